//! Signing in and out, registering, and a member's profile.

use actix_web::web;
use askama::Template;
use forum::{ForumError, NewUser, PageLimits, Paging, Role, TokenKind, UserProfile};
use serde::Deserialize;

use super::{render, with_status, CsrfOnly, PageResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::{safe_next, PageCtx};
use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    login: String,
    error: String,
    /// Single sign-on buttons, and whether the password form is shown.
    providers: Vec<crate::sso::SsoButton>,
    password_login: bool,
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn login_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<NextQuery>,
) -> PageResult {
    let next = safe_next(q.next.as_deref());
    render(
        &ctx,
        &LoginPage {
            layout: ctx.layout(),
            providers: crate::sso::buttons(&state.config.sso, &next),
            password_login: state.config.sso.password_login,
            next,
            login: String::new(),
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    csrf: String,
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub(super) async fn login_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<LoginForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled.into());
    }
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let old = req
        .cookie(crate::session::SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let (login, password) = (form.login.clone(), form.password);
    let ip = crate::client_addr::of(&req);
    let limits = state.config.login.clone();
    let forum = state.forum.clone();
    let result = web::block(move || {
        let user = crate::session::throttled_authenticate(&forum, &limits, &login, &password, &ip)?;
        // Rotate: a session id known before login never becomes a signed-in one.
        if let Some(old) = old {
            forum.revoke_token(&old)?;
        }
        Ok::<_, WebError>(forum.issue_token(user.id, TokenKind::Session)?)
    })
    .await
    .map_err(|_| WebError::Blocking)
    .and_then(|r| r);
    match result {
        Ok(token) => {
            let mut resp = ctx.redirect(&next);
            let _ = resp.add_cookie(&ctx.session_cookie(&token));
            Ok(resp)
        }
        Err(WebError::Forum(ForumError::BadCredentials)) => {
            let layout = ctx.layout().signed_out();
            let page = LoginPage {
                error: layout.t("error-bad_credentials"),
                layout,
                providers: crate::sso::buttons(&state.config.sso, &next),
                password_login: true,
                next,
                login: form.login,
            };
            Ok(with_status(render(&ctx, &page)?, 401))
        }
        Err(WebError::TooManyAttempts(secs)) => {
            let layout = ctx.layout().signed_out();
            let page = LoginPage {
                error: layout.t1("login-too-many", "minutes", secs.div_ceil(60)),
                layout,
                providers: crate::sso::buttons(&state.config.sso, &next),
                password_login: true,
                next,
                login: form.login,
            };
            let mut resp = with_status(render(&ctx, &page)?, 429);
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, v);
            }
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    username: String,
    email: String,
    error: String,
}

pub(super) async fn register_form(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    // `registration.mode` (a live setting) and `[sso] password_login`.
    if let Some(refusal) = state.live.get().registration_refusal(&state.config) {
        return Err(refusal.into());
    }
    render(
        &ctx,
        &RegisterPage {
            layout: ctx.layout(),
            username: String::new(),
            email: String::new(),
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct RegisterForm {
    csrf: String,
    username: String,
    email: String,
    password: String,
}

pub(super) async fn register_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<RegisterForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    if let Some(refusal) = state.live.get().registration_refusal(&state.config) {
        return Err(refusal.into());
    }
    let form = form.into_inner();
    let refused = &state.config.registration.refused_email_domains;
    let input = NewUser {
        language: Some(ctx.lang.code().to_string()),
        username: form.username.clone(),
        email: form.email.clone(),
        password: Some(form.password),
        role: Role::Customer,
        display_name: None,
    };
    let result = match forum::validate::email_domain_allowed(&input.email, refused) {
        Err(e) => Err(WebError::Forum(e)),
        Ok(()) => {
            let address = crate::client_addr::of(&req);
            state
                .call(move |f| {
                    let user = f.register(input)?;
                    f.record_member_address(user.id, &address)?;
                    Ok((
                        f.issue_token(user.id, TokenKind::Session)?,
                        f.must_confirm_email(&user),
                    ))
                })
                .await
        }
    };
    match result {
        Ok((token, confirm)) => {
            // Someone who must confirm first is told how.
            let mut resp = ctx.redirect(if confirm { "/confirm-email" } else { "/" });
            let _ = resp.add_cookie(&ctx.session_cookie(&token));
            Ok(resp)
        }
        Err(WebError::Forum(
            e
            @ (ForumError::Validation { .. } | ForumError::Conflict(_) | ForumError::Taken { .. }),
        )) => {
            let status = if matches!(e, ForumError::Conflict(_) | ForumError::Taken { .. }) {
                409
            } else {
                422
            };
            let page = RegisterPage {
                layout: ctx.layout().signed_out(),
                username: form.username,
                email: form.email,
                error: WebError::Forum(e).localized_message(ctx.lang),
            };
            Ok(with_status(render(&ctx, &page)?, status))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn logout(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let mut to = "/".to_string();
    if let Some(token) = req
        .cookie(crate::session::SESSION_COOKIE)
        .map(|c| c.value().to_string())
    {
        // A session from single sign-on also ends at its provider.
        to = crate::sso::logout_target(&state, &req, &token).await;
        state.call(move |f| f.revoke_token(&token)).await?;
    }
    let mut resp = ctx.redirect(&to);
    let _ = resp.add_cookie(&ctx.clear_session_cookie());
    Ok(resp)
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    profile: UserProfile,
    standing: forum::reputation::Standing,
    /// What they wrote about themselves.
    bio: String,
    /// The viewer is looking at their own profile.
    own: bool,
    /// The activity tab shown: questions, replies or solutions.
    tab: &'static str,
    /// The questions tab's page of threads (empty on the other tabs).
    threads: Vec<forum::ThreadSummary>,
    /// The replies tab's page: (post, thread title, when, opening words).
    replies: Vec<(i64, String, i64, String)>,
    /// The solutions tab's page: (thread, title).
    solved: Vec<(i64, String)>,
    /// The tab's page and how many it has (the shared pager).
    page: i64,
    page_count: i64,
    /// The pager's links up to `page=`.
    pager_base: String,
}

#[derive(Deserialize)]
pub(super) struct ProfileQuery {
    tab: Option<String>,
    page: Option<i64>,
}

/// The profile's activity tabs, in order.
const PROFILE_TABS: [&str; 3] = ["questions", "replies", "solutions"];

/// Items on one page of a profile's activity tab.
const PROFILE_PER_PAGE: i64 = 20;

pub(super) async fn profile(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    q: web::Query<ProfileQuery>,
) -> PageResult {
    let id = id.into_inner();
    let viewer = ctx.actor();
    let tab = PROFILE_TABS
        .into_iter()
        .find(|t| q.tab.as_deref() == Some(*t))
        .unwrap_or("questions");
    let paging = Paging::pages(q.page, Some(PROFILE_PER_PAGE), PageLimits::LISTING)?;
    let (profile, standing, bio, threads, replies, solved, (page, page_count)) = state
        .call(move |f| {
            let (mut threads, mut replies, mut solved) = (Vec::new(), Vec::new(), Vec::new());
            let pages = match tab {
                "replies" => {
                    let p = f.recent_replies(id, viewer, paging)?;
                    let pages = (p.page, p.page_count());
                    replies = p
                        .items
                        .into_iter()
                        .map(|r| {
                            let excerpt = forum::markdown::excerpt(&r.body_md, 160);
                            (r.post_id, r.thread_title, r.created_at, excerpt)
                        })
                        .collect();
                    pages
                }
                "solutions" => {
                    let p = f.accepted_answers(id, viewer, paging)?;
                    let pages = (p.page, p.page_count());
                    solved = p.items;
                    pages
                }
                _ => {
                    let p = f.member_threads(id, viewer, paging)?;
                    let pages = (p.page, p.page_count());
                    threads = p.items;
                    pages
                }
            };
            Ok((
                f.profile(id, viewer)?,
                f.standing(id)?,
                f.bio(id)?,
                threads,
                replies,
                solved,
                pages,
            ))
        })
        .await?;
    render(
        &ctx,
        &ProfilePage {
            layout: ctx.layout(),
            own: viewer.is_some_and(|a| a.user_id == id),
            tab,
            threads,
            replies,
            solved,
            page,
            page_count,
            pager_base: format!("/u/{id}?tab={tab}&"),
            profile,
            standing,
            bio,
        },
    )
}

#[derive(Template)]
#[template(path = "confirm_email.html")]
struct ConfirmStatusPage {
    layout: Layout,
    pending: bool,
    sent: bool,
    email: String,
}

fn confirm_status_page(state: &AppState, ctx: &PageCtx, sent: bool) -> PageResult {
    let user = ctx
        .user
        .clone()
        .ok_or(WebError::Forum(ForumError::Unauthenticated))?;
    render(
        ctx,
        &ConfirmStatusPage {
            layout: ctx.layout(),
            pending: state.forum.must_confirm_email(&user),
            sent,
            email: user.email,
        },
    )
}

/// Whether the signed-in member still has to confirm, and a button for a
/// new link.
pub(super) async fn confirm_status(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    confirm_status_page(&state, &ctx, false)
}

/// Mail a new link (rate-limited in `rate_limits`).
pub(super) async fn confirm_resend(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let user_id = ctx.require_actor()?.user_id;
    let sent = state
        .call(move |f| f.resend_email_confirmation(user_id))
        .await?;
    confirm_status_page(&state, &ctx, sent)
}

#[derive(Template)]
#[template(path = "confirm_email_link.html")]
struct ConfirmLinkPage {
    layout: Layout,
    token: String,
    name: String,
    /// The link is unknown, used or expired.
    spent: bool,
    done: bool,
}

/// The page a mailed link opens: a button, never a confirmation by
/// itself (mail scanners follow links).
pub(super) async fn confirm_link(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> PageResult {
    let token = token.into_inner();
    let t = token.clone();
    let holder = state.call(move |f| f.email_confirmation_holder(&t)).await?;
    let page = ConfirmLinkPage {
        layout: ctx.layout(),
        spent: holder.is_none(),
        name: holder.map(|u| u.display_name).unwrap_or_default(),
        token,
        done: false,
    };
    let status = if page.spent { 410 } else { 200 };
    Ok(with_status(render(&ctx, &page)?, status))
}

pub(super) async fn confirm_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let token = token.into_inner();
    let t = token.clone();
    let name = match state.call(move |f| f.confirm_email(&t)).await {
        Ok(user) => Some(user.display_name),
        Err(WebError::Forum(ForumError::Validation { .. })) => None,
        Err(e) => return Err(e.into()),
    };
    let page = ConfirmLinkPage {
        layout: ctx.layout(),
        token,
        done: name.is_some(),
        spent: name.is_none(),
        name: name.unwrap_or_default(),
    };
    let status = if page.done { 200 } else { 410 };
    Ok(with_status(render(&ctx, &page)?, status))
}
