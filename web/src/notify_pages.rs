//! Pages and API for mail notifications: watching threads and boards,
//! per-kind preferences, the signed one-click unsubscribe, the password
//! reset by mail, and the bell's unread badge.

use actix_web::{web, HttpResponse, Responder};
use askama::Template;
use forum::notify::{MailMode, Subscription, KINDS};
use forum::ForumError;
use serde::Deserialize;

use crate::api::types as t;
use crate::api::{no_content, ApiResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::mail::verify_unsubscribe;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody};
use crate::pages::{render, with_status, PageError, PageResult};
use crate::session::{ApiCaller, PageCtx};
use crate::AppState;

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{id}/watch", web::post().to(watch_thread))
        .route("/c/{slug}/watch", web::post().to(watch_category))
        .route("/settings/notifications", web::get().to(settings))
        .route("/settings/notifications", web::post().to(settings_save))
        .route("/unsubscribe", web::get().to(unsubscribe_page))
        .route("/unsubscribe", web::post().to(unsubscribe_now))
        .route("/password/forgot", web::get().to(forgot_form))
        .route("/password/forgot", web::post().to(forgot_submit))
        .route("/password/reset", web::get().to(reset_form))
        .route("/password/reset", web::post().to(reset_submit))
        .route("/notifications/badge.svg", web::get().to(badge));
}

pub fn api_routes(r: &mut ApiRoutes) {
    r.add(__path_api_settings, api_settings)
        .add(__path_api_settings_save, api_settings_save)
        .add(__path_api_subscriptions, api_subscriptions)
        .add(__path_api_watch_thread, api_watch_thread)
        .add(__path_api_watch_category, api_watch_category)
        .add(__path_api_forgot, api_forgot);
}

#[derive(Deserialize)]
struct WatchForm {
    csrf: String,
    /// "1" to watch, "0" to stop.
    on: String,
}

async fn watch_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<WatchForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    let on = form.on == "1";
    state
        .call(move |f| f.subscribe(actor, "thread", id, on))
        .await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

async fn watch_category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<WatchForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let slug = slug.into_inner();
    let on = form.on == "1";
    let back = format!("/c/{}", crate::pages::url_encode(&slug));
    state
        .call(move |f| {
            let c = f.category(&slug, Some(actor))?;
            f.subscribe(actor, "category", c.id, on)
        })
        .await?;
    Ok(ctx.redirect(&back))
}

/// One kind's row on the settings page.
struct PrefRow {
    kind: String,
    /// The kind's name and description in the catalogue.
    label_key: String,
    description_key: String,
    /// `instant`, `digest` or `off`.
    mode: &'static str,
}

/// Every mail mode, with its name in the catalogue.
const MODES: [(&str, &str); 3] = [
    ("instant", "notify-mode-instant"),
    ("digest", "notify-mode-digest"),
    ("off", "notify-mode-off"),
];

#[derive(Template)]
#[template(path = "settings_notifications.html")]
struct SettingsPage {
    layout: Layout,
    prefs: Vec<PrefRow>,
    modes: [(&'static str, &'static str); 3],
    subscriptions: Vec<Subscription>,
    categories: Vec<(String, String, bool)>,
    saved: bool,
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn settings(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<SavedQuery>,
) -> PageResult {
    let actor = ctx.require_actor()?;
    let (prefs, subscriptions, categories) = state
        .call(move |f| {
            let prefs = f.mail_prefs(actor.user_id)?;
            let subs = f.subscriptions(actor.user_id)?;
            let cats = f
                .categories(Some(actor))?
                .into_iter()
                .map(|c| {
                    let watched = subs
                        .iter()
                        .any(|s| s.target_kind == "category" && s.target_id == c.id);
                    (c.slug, c.name, watched)
                })
                .collect();
            Ok((prefs, subs, cats))
        })
        .await?;
    render(
        &ctx,
        &SettingsPage {
            layout: ctx.layout(),
            prefs: prefs
                .into_iter()
                .map(|(kind, mode)| {
                    let key = crate::notices::kind_key(&kind)
                        .unwrap_or_else(|| "notify-settings-kind".into());
                    PrefRow {
                        label_key: key.clone(),
                        description_key: format!("{key}.description"),
                        kind,
                        mode: mode.as_str(),
                    }
                })
                .collect(),
            modes: MODES,
            subscriptions: subscriptions
                .into_iter()
                .filter(|s| s.target_kind == "thread")
                .collect(),
            categories,
            saved: q.saved.is_some(),
        },
    )
}

async fn settings_save(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let fields = form.into_inner();
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    ctx.verify_csrf(&csrf)?;
    let actor = ctx.require_actor()?;
    let mut changes = Vec::new();
    for (k, v) in fields {
        if let Some(kind) = k.strip_prefix("mode_") {
            let mode =
                MailMode::parse(&v).ok_or(PageError(WebError::Forum(ForumError::invalid(
                    "mode",
                    forum::Rule::OneOf {
                        choices: "instant, digest, off".into(),
                    },
                    "instant, digest or off",
                ))))?;
            changes.push((kind.to_string(), mode));
        }
    }
    state
        .call(move |f| {
            for (kind, mode) in &changes {
                f.set_mail_pref(actor.user_id, kind, *mode)?;
            }
            Ok(())
        })
        .await?;
    Ok(ctx.redirect("/settings/notifications?saved=1"))
}

#[derive(Deserialize)]
struct UnsubscribeQuery {
    u: i64,
    k: String,
    s: String,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    u: i64,
    k: String,
    s: String,
    /// The kind's name in the page's language.
    kind_label: String,
    done: bool,
}

fn check_link(state: &AppState, q: &UnsubscribeQuery) -> Result<(), PageError> {
    if !KINDS.contains(&q.k.as_str()) || !verify_unsubscribe(&state.secret, q.u, &q.k, &q.s) {
        tracing::info!(user_id = q.u, kind = %q.k, "unsubscribe link with a bad signature");
        return Err(PageError(WebError::Forum(ForumError::invalid(
            "s",
            forum::Rule::LinkExpired,
            "this unsubscribe link is not valid",
        ))));
    }
    Ok(())
}

/// Opening the link asks for a click, so mail scanners that fetch links
/// do not unsubscribe anyone.
async fn unsubscribe_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<UnsubscribeQuery>,
) -> PageResult {
    let q = q.into_inner();
    check_link(&state, &q)?;
    render(
        &ctx,
        &UnsubscribePage {
            layout: ctx.layout(),
            u: q.u,
            kind_label: crate::notices::kind_label(ctx.lang, &q.k),
            k: q.k,
            s: q.s,
            done: false,
        },
    )
}

/// RFC 8058 one-click: mail clients POST here; the signature is the
/// credential, so no session or CSRF token is needed.
async fn unsubscribe_now(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<UnsubscribeQuery>,
) -> PageResult {
    let q = q.into_inner();
    check_link(&state, &q)?;
    let (u, k) = (q.u, q.k.clone());
    state
        .call(move |f| f.set_mail_pref(u, &k, MailMode::Off))
        .await?;
    tracing::info!(user_id = q.u, kind = %q.k, "unsubscribed by link");
    render(
        &ctx,
        &UnsubscribePage {
            layout: ctx.layout(),
            u: q.u,
            kind_label: crate::notices::kind_label(ctx.lang, &q.k),
            k: q.k,
            s: q.s,
            done: true,
        },
    )
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    layout: Layout,
    sent: bool,
}

async fn forgot_form(ctx: PageCtx) -> PageResult {
    render(
        &ctx,
        &ForgotPage {
            layout: ctx.layout(),
            sent: false,
        },
    )
}

#[derive(Deserialize)]
struct ForgotForm {
    csrf: String,
    email: String,
}

async fn forgot_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ForgotForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let email = form.into_inner().email;
    state
        .call(move |f| f.request_password_reset(&email))
        .await?;
    // The same answer whether or not the address has an account.
    render(
        &ctx,
        &ForgotPage {
            layout: ctx.layout(),
            sent: true,
        },
    )
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    error: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: String,
}

async fn reset_form(ctx: PageCtx, q: web::Query<TokenQuery>) -> PageResult {
    render(
        &ctx,
        &ResetPage {
            layout: ctx.layout(),
            token: q.into_inner().token,
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
struct ResetForm {
    csrf: String,
    token: String,
    password: String,
}

async fn reset_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ResetForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let form = form.into_inner();
    let (token, password) = (form.token.clone(), form.password);
    match state
        .call(move |f| f.reset_password(&token, &password))
        .await
    {
        Ok(user) => {
            tracing::info!(user_id = user.id, "password reset");
            Ok(ctx.redirect("/login?reset=1"))
        }
        Err(e @ WebError::Forum(ForumError::Validation { .. })) => {
            let page = ResetPage {
                layout: ctx.layout().signed_out(),
                token: form.token,
                error: e.localized_message(ctx.lang),
            };
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(e.into()),
    }
}

/// The bell's unread count as a tiny SVG, so every page shows it without
/// each page's handler counting.
async fn badge(state: web::Data<AppState>, ctx: PageCtx) -> HttpResponse {
    let n = match ctx.user.as_ref().map(|u| u.id) {
        Some(uid) => state
            .call(move |f| f.unread_notifications(uid))
            .await
            .unwrap_or(0),
        None => 0,
    };
    let lang = ctx.lang;
    let label = if n > 99 {
        format!("{}+", lang.number(99))
    } else {
        lang.number(n)
    };
    let aria = crate::notices::escape(&crate::i18n::message(
        lang,
        "notifications-unread",
        &[("count", crate::i18n::Arg::Number(n))],
    ));
    let (fill, text) = if n == 0 {
        ("#ddd", "#555")
    } else {
        ("#c0392b", "#fff")
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"28\" height=\"18\" role=\"img\" aria-label=\"{aria}\"><rect rx=\"9\" width=\"28\" height=\"18\" fill=\"{fill}\"/><text x=\"14\" y=\"13\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\" fill=\"{text}\">{label}</text></svg>"
    );
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("X-Unread-Count", n.to_string()))
        .body(svg)
}

// ---------------------------------------------------------------- API

#[utoipa::path(
    get,
    path = "/me/notification-settings",
    summary = "Your mail mode per kind of notification: instant, digest or off",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Modes by kind", body = t::MailModes))
)]
async fn api_settings(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::MailModes>> {
    let actor = caller.require()?.actor();
    let prefs = state.call(move |f| f.mail_prefs(actor.user_id)).await?;
    Ok(web::Json(t::MailModes {
        modes: prefs.into_iter().map(|(k, m)| (k, m.into())).collect(),
    }))
}

#[utoipa::path(
    put,
    path = "/me/notification-settings",
    summary = "Change modes: {\"modes\": {\"reply\": \"digest\", …}}; kinds not given keep theirs",
    request_body = t::MailModes,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Saved"))
)]
async fn api_settings_save(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::MailModes>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let modes = body.into_inner().modes;
    state
        .call(move |f| {
            for (kind, mode) in &modes {
                f.set_mail_pref(actor.user_id, kind, (*mode).into())?;
            }
            Ok(())
        })
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    get,
    path = "/me/subscriptions",
    summary = "Threads and boards you watch",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Subscriptions", body = t::SubscriptionList))
)]
async fn api_subscriptions(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::SubscriptionList>> {
    let actor = caller.require()?.actor();
    let subs = state.call(move |f| f.subscriptions(actor.user_id)).await?;
    Ok(web::Json(t::SubscriptionList {
        subscriptions: subs.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/watch",
    summary = "Watch or stop watching a thread: {\"watch\": true|false}",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = t::Watch,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Done"))
)]
async fn api_watch_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::Watch>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let (id, on) = (id.into_inner(), body.watch);
    state
        .call(move |f| f.subscribe(actor, "thread", id, on))
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    post,
    path = "/categories/{slug}/watch",
    summary = "Watch or stop watching a board: {\"watch\": true|false}",
    params(("slug" = String, Path, description = "The board's slug")),
    request_body = t::Watch,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Done"))
)]
async fn api_watch_category(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::Watch>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let (slug, on) = (slug.into_inner(), body.watch);
    state
        .call(move |f| {
            let c = f.category(&slug, Some(actor))?;
            f.subscribe(actor, "category", c.id, on)
        })
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    post,
    path = "/auth/password-reset",
    summary = "Mail a single-use reset link (one hour) to {\"email\"}; the answer never says whether the account exists",
    request_body = t::PasswordResetRequest,
    responses(Common, JsonBody, (status = 202, description = "Accepted", body = t::PasswordResetAccepted))
)]
async fn api_forgot(
    state: web::Data<AppState>,
    body: web::Json<t::PasswordResetRequest>,
) -> ApiResult<impl Responder> {
    let email = body.into_inner().email;
    state
        .call(move |f| f.request_password_reset(&email))
        .await?;
    Ok(web::Json(t::PasswordResetAccepted {
        status: "if the address has an account, a link is on its way".into(),
    })
    .customize()
    .with_status(actix_web::http::StatusCode::ACCEPTED))
}
