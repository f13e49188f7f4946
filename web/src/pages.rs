//! Server-rendered HTML pages. Every form carries a CSRF token; errors are
//! shown as friendly pages with the same status codes as the API.

use actix_web::{web, HttpResponse, ResponseError};
use askama::Template;
use forum::{
    Category, ForumError, NewThread, NewUser, PageLimits, Paging, Post, Revision, Role, ThreadSort,
    ThreadSummary, TokenKind, UserProfile,
};
use serde::Deserialize;

use crate::error::WebError;
use crate::layout::Layout;
use crate::session::{safe_next, PageCtx};
use crate::AppState;

/// An error on an HTML route: rendered as a page, or a redirect to sign in.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

impl PageError {
    /// The friendly page for this error in `layout`'s frame.
    pub(crate) fn render_page(&self, layout: Layout) -> String {
        let heading = match self.status_code().as_u16() {
            401 => "Please sign in",
            403 => "Not allowed",
            404 => "Not found",
            413 => "Too large",
            422 | 400 => "Please check your input",
            503 => "Busy",
            _ => "Something went wrong",
        };
        let page = ErrorPage {
            layout,
            heading: heading.into(),
            message: self.0.public_message(),
        };
        page.render().unwrap_or_else(|_| self.0.public_message())
    }

    /// The logged error page, framed as for a visitor of `site_name`.
    pub(crate) fn visitor_response(&self, site_name: &str) -> HttpResponse {
        self.0.log();
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(self.render_page(Layout::visitor(site_name)))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.0.status_and_code().0
    }

    /// Without the request, neither the member nor the site's name is known
    /// here; on page routes `layout::error_pages` renders the body again in
    /// the request's frame.
    fn error_response(&self) -> HttpResponse {
        self.visitor_response(crate::config::DEFAULT_SITE_NAME)
    }
}

pub(crate) type PageResult = Result<HttpResponse, PageError>;

pub(crate) fn render(ctx: &PageCtx, t: &impl Template) -> PageResult {
    let body = t
        .render()
        .map_err(|e| WebError::Forum(ForumError::Internal(format!("template: {e}"))))?;
    Ok(ctx.html(body))
}

fn login_redirect(ctx: &PageCtx) -> HttpResponse {
    let next: String = url_encode(&ctx.path);
    ctx.redirect(&format!("/login?next={next}"))
}

pub(crate) fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/c/{slug}", web::get().to(category))
        .route("/t/{id}", web::get().to(thread))
        .route("/t/{id}/reply", web::post().to(reply))
        .route("/t/{id}/lock", web::post().to(lock))
        .route("/p/{id}/vote", web::post().to(vote))
        .route("/p/{id}/accept", web::post().to(accept))
        .route("/p/{id}/delete", web::post().to(delete))
        .route("/p/{id}/edit", web::get().to(edit_form))
        .route("/p/{id}/edit", web::post().to(edit_submit))
        .route("/p/{id}/history", web::get().to(history))
        .route("/ask", web::get().to(ask_form))
        .route("/ask", web::post().to(ask_submit))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login_submit))
        .route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register_submit))
        .route("/logout", web::post().to(logout))
        .route("/u/{id}", web::get().to(profile));
}

// ------------------------------------------------------------------ home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    categories: Vec<Category>,
}

async fn home(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let viewer = ctx.actor();
    let categories = state.call(move |f| f.categories(viewer)).await?;
    render(
        &ctx,
        &HomePage {
            layout: ctx.layout(),
            categories,
        },
    )
}

// ------------------------------------------------------------------ category

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage {
    layout: Layout,
    category: Category,
    threads: Vec<ThreadSummary>,
    sort: String,
    sorts: Vec<String>,
    page: i64,
    page_count: i64,
}

#[derive(Deserialize)]
struct ListQuery {
    sort: Option<String>,
    page: Option<i64>,
}

async fn category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> PageResult {
    let sort = ThreadSort::parse(q.sort.as_deref().unwrap_or(""))?;
    let page = Paging::pages(q.page, None, PageLimits::LISTING)?.page;
    let viewer = ctx.actor();
    let slug = slug.into_inner();
    let (category, threads) = state
        .call(move |f| f.threads(&slug, viewer, sort, page, 20))
        .await?;
    let page_count = threads.page_count();
    render(
        &ctx,
        &CategoryPage {
            layout: ctx.layout(),
            category,
            page: threads.page,
            page_count,
            threads: threads.items,
            sort: sort.as_str().into(),
            sorts: ["latest", "unanswered", "solved", "top"]
                .map(String::from)
                .to_vec(),
        },
    )
}

// ------------------------------------------------------------------ thread

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPageView {
    layout: Layout,
    thread: ThreadSummary,
    category: Category,
    question: Post,
    replies: Vec<Post>,
    accepted: Option<Post>,
    total_replies: i64,
    page: i64,
    page_count: i64,
    ranks: std::collections::HashMap<i64, String>,
    duplicate_of: Option<(i64, String)>,
    /// The KB article promoted from this thread: (slug, status).
    article: Option<(String, String)>,
    can_move: bool,
    can_mark_duplicate: bool,
    /// A rank lets the viewer edit others' posts.
    can_edit_any: bool,
    /// Boards a thread may move to (only filled for those who may move it).
    move_targets: Vec<Category>,
    /// The thread's CRM task: (id, status), for the staff mark and console link.
    support_task: Option<(i64, String)>,
    /// The viewer watches this thread.
    watching: bool,
}

impl ThreadPageView {
    /// The author's rank, shown next to their name on every post.
    fn rank_of(&self, user_id: &i64) -> &str {
        self.ranks.get(user_id).map_or("", String::as_str)
    }
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

pub const REPLIES_PER_PAGE: i64 = 100;

async fn thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> PageResult {
    let id = id.into_inner();
    let viewer = ctx.actor();
    let page = Paging::pages(
        q.page,
        None,
        PageLimits::LISTING.with_default(REPLIES_PER_PAGE),
    )?
    .page;
    let (t, extras) = state
        .call(move |f| {
            let t = f.thread(id, viewer, page, REPLIES_PER_PAGE, true)?;
            let mut authors: Vec<i64> = t.replies.iter().map(|p| p.author.id).collect();
            authors.push(t.question.author.id);
            authors.sort_unstable();
            authors.dedup();
            let ranks = f.ranks_for(&authors)?;
            let duplicate_of = f.duplicate_of(id)?;
            let article = f.article_for_thread(id)?;
            let privileges = f.thread_privileges(viewer)?;
            let move_targets = if privileges.can_move {
                f.categories(viewer)?
            } else {
                Vec::new()
            };
            Ok((t, (ranks, duplicate_of, article, privileges, move_targets)))
        })
        .await?;
    let (ranks, duplicate_of, article, privileges, move_targets) = extras;
    let support_task = state
        .crm(move |c| c.task_for_thread(id))
        .await?
        .map(|t| (t.id, t.status.as_str().to_string()));
    let watching = match viewer {
        Some(a) => {
            state
                .call(move |f| f.is_subscribed(a.user_id, "thread", id))
                .await?
        }
        None => false,
    };
    let accepted = t.replies.iter().find(|p| p.is_accepted).cloned();
    let page_count = ((t.total_replies + t.per_page - 1) / t.per_page).max(1);
    render(
        &ctx,
        &ThreadPageView {
            layout: ctx.layout(),
            thread: t.thread,
            category: t.category,
            question: t.question,
            replies: t.replies,
            accepted,
            total_replies: t.total_replies,
            page: t.page,
            page_count,
            ranks,
            duplicate_of,
            article,
            can_move: privileges.can_move,
            can_mark_duplicate: privileges.can_mark_duplicate,
            can_edit_any: privileges.can_edit_any,
            move_targets,
            support_task,
            watching,
        },
    )
}

#[derive(Deserialize)]
struct BodyForm {
    csrf: String,
    body: String,
}

async fn reply(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let thread_id = id.into_inner();
    let form = form.into_inner();
    let (post_id, total) = state
        .call(move |f| {
            let post_id = f.reply(actor, thread_id, &form.body)?;
            Ok((
                post_id,
                f.thread(thread_id, Some(actor), 1, 1, false)?.total_replies,
            ))
        })
        .await?;
    let last_page = ((total + REPLIES_PER_PAGE - 1) / REPLIES_PER_PAGE).max(1);
    Ok(ctx.redirect(&format!("/t/{thread_id}?page={last_page}#p{post_id}")))
}

#[derive(Deserialize)]
struct FlagForm {
    csrf: String,
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    locked: Option<String>,
}

async fn lock(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<FlagForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let id = id.into_inner();
    let locked = form.locked.as_deref() == Some("1");
    state.call(move |f| f.set_locked(actor, id, locked)).await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

async fn post_action(
    state: web::Data<AppState>,
    ctx: PageCtx,
    post_id: i64,
    csrf: &str,
    action: impl FnOnce(&forum::Forum, forum::Actor) -> forum::Result<()> + Send + 'static,
) -> PageResult {
    ctx.verify_csrf(csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let thread_id = state
        .call(move |f| {
            let thread_id = f.thread_of_post(post_id, Some(actor))?;
            action(f, actor)?;
            Ok(thread_id)
        })
        .await?;
    Ok(ctx.redirect(&format!("/t/{thread_id}#p{post_id}")))
}

async fn vote(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<FlagForm>,
) -> PageResult {
    let id = id.into_inner();
    let on = form.on.as_deref() != Some("0");
    post_action(state, ctx, id, &form.csrf, move |f, a| {
        f.vote(a, id, on).map(|_| ())
    })
    .await
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn accept(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let id = id.into_inner();
    post_action(state, ctx, id, &form.csrf, move |f, a| f.accept(a, id)).await
}

async fn delete(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let id = id.into_inner();
    post_action(state, ctx, id, &form.csrf, move |f, a| f.delete_post(a, id)).await
}

// ------------------------------------------------------------------ edit

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    layout: Layout,
    post_id: i64,
    thread_id: i64,
    title: Option<String>,
    body: String,
    error: String,
}

/// The post as its editor sees it, with the title when it is the question.
async fn editable(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    post_id: i64,
) -> Result<(i64, Option<String>, String), PageError> {
    let viewer = ctx.actor();
    Ok(state
        .call(move |f| {
            let post = f.post(post_id, viewer)?;
            let title = if post.is_question {
                Some(f.thread(post.thread_id, viewer, 1, 1, false)?.thread.title)
            } else {
                None
            };
            Ok((post.thread_id, title, post.body_md))
        })
        .await?)
}

async fn edit_form(state: web::Data<AppState>, ctx: PageCtx, id: web::Path<i64>) -> PageResult {
    if ctx.user.is_none() {
        return Ok(login_redirect(&ctx));
    }
    let post_id = id.into_inner();
    let (thread_id, title, body) = editable(&state, &ctx, post_id).await?;
    render(
        &ctx,
        &EditPage {
            layout: ctx.layout(),
            post_id,
            thread_id,
            title,
            body,
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
struct EditForm {
    csrf: String,
    title: Option<String>,
    body: String,
}

async fn edit_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<EditForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let post_id = id.into_inner();
    let form = form.into_inner();
    let (title, body) = (form.title.clone(), form.body.clone());
    let result = state
        .call(move |f| {
            f.edit_post(actor, post_id, title.as_deref(), &body)?;
            f.thread_of_post(post_id, Some(actor))
        })
        .await;
    match result {
        Ok(thread_id) => Ok(ctx.redirect(&format!("/t/{thread_id}#p{post_id}"))),
        Err(WebError::Forum(e @ ForumError::Validation { .. })) => {
            let (thread_id, _, _) = editable(&state, &ctx, post_id).await?;
            let page = EditPage {
                layout: ctx.layout(),
                post_id,
                thread_id,
                title: form.title,
                body: form.body,
                error: e.to_string(),
            };
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    post_id: i64,
    thread_id: i64,
    revisions: Vec<Revision>,
}

async fn history(state: web::Data<AppState>, ctx: PageCtx, id: web::Path<i64>) -> PageResult {
    let post_id = id.into_inner();
    let viewer = ctx.actor();
    let (thread_id, revisions) = state
        .call(move |f| {
            Ok((
                f.thread_of_post(post_id, viewer)?,
                f.revisions(post_id, viewer)?,
            ))
        })
        .await?;
    render(
        &ctx,
        &HistoryPage {
            layout: ctx.layout(),
            post_id,
            thread_id,
            revisions,
        },
    )
}

pub(crate) fn with_status(mut resp: HttpResponse, status: u16) -> HttpResponse {
    if let Ok(s) = actix_web::http::StatusCode::from_u16(status) {
        *resp.status_mut() = s;
    }
    resp
}

// ------------------------------------------------------------------ ask

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    layout: Layout,
    ask_id: String,
    suggestions: Vec<search::SearchHit>,
    categories: Vec<Category>,
    category: String,
    title: String,
    body: String,
    tags: String,
    error: String,
}

#[derive(Deserialize)]
struct AskQuery {
    category: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
    ask_id: Option<String>,
}

fn valid_ask_id(id: Option<&str>) -> Option<String> {
    id.filter(|i| i.len() == 32 && i.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(String::from)
}

/// The ask form. With a title in the query (the no-JavaScript "Find similar
/// questions" button), similar threads are listed before posting.
async fn ask_form(state: web::Data<AppState>, ctx: PageCtx, q: web::Query<AskQuery>) -> PageResult {
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let q = q.into_inner();
    let ask_id = match valid_ask_id(q.ask_id.as_deref()) {
        Some(id) => id,
        None => {
            let id = crate::session::random_hex()[..32].to_string();
            let sid = id.clone();
            state
                .call(move |f| f.start_ask_session(&sid, Some(actor.user_id)))
                .await?;
            id
        }
    };
    let categories = state.call(move |f| f.categories(Some(actor))).await?;
    let suggestions =
        crate::search_routes::suggestions_for(&state, actor.role.is_staff(), &q.title, &q.body)
            .await;
    let category = q.category.unwrap_or_else(|| "support".into());
    render(
        &ctx,
        &AskPage {
            layout: ctx.layout(),
            ask_id,
            suggestions,
            categories,
            category,
            title: q.title,
            body: q.body,
            tags: q.tags,
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
struct AskForm {
    csrf: String,
    #[serde(default)]
    ask_id: Option<String>,
    category: String,
    title: String,
    body: String,
    #[serde(default)]
    tags: String,
}

async fn ask_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<AskForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let form = form.into_inner();
    let input = NewThread {
        category: form.category.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        tags: vec![form.tags.clone()],
    };
    let ask_id = valid_ask_id(form.ask_id.as_deref());
    let posted_ask = ask_id.clone();
    let created = state
        .call(move |f| {
            let id = f.create_thread(actor, input)?;
            if let Some(ask) = posted_ask {
                // Analytics only: a stale ask id must not fail the post.
                if let Err(e) = f.mark_ask_posted(&ask, id) {
                    tracing::debug!(error = %e, "ask session not marked");
                }
            }
            Ok(id)
        })
        .await;
    match created {
        Ok(id) => Ok(ctx.redirect(&format!("/t/{id}"))),
        Err(WebError::Forum(e @ ForumError::Validation { .. })) => {
            // Keep what they typed; nothing was written.
            let categories = state.call(move |f| f.categories(Some(actor))).await?;
            let page = AskPage {
                layout: ctx.layout(),
                ask_id: ask_id.unwrap_or_default(),
                suggestions: Vec::new(),
                categories,
                category: form.category,
                title: form.title,
                body: form.body,
                tags: form.tags,
                error: e.to_string(),
            };
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ accounts

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
struct NextQuery {
    next: Option<String>,
}

async fn login_form(
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
struct LoginForm {
    csrf: String,
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login_submit(
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
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
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
            let page = LoginPage {
                layout: ctx.layout().signed_out(),
                providers: crate::sso::buttons(&state.config.sso, &next),
                password_login: true,
                next,
                login: form.login,
                error: "Wrong username or password.".into(),
            };
            Ok(with_status(render(&ctx, &page)?, 401))
        }
        Err(WebError::TooManyAttempts(secs)) => {
            let page = LoginPage {
                layout: ctx.layout().signed_out(),
                providers: crate::sso::buttons(&state.config.sso, &next),
                password_login: true,
                next,
                login: form.login,
                error: format!(
                    "Too many failed sign-ins. Try again in {} minutes, or reset your password.",
                    secs.div_ceil(60)
                ),
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

async fn register_form(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled.into());
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
struct RegisterForm {
    csrf: String,
    username: String,
    email: String,
    password: String,
}

async fn register_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<RegisterForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled.into());
    }
    let form = form.into_inner();
    let input = NewUser {
        username: form.username.clone(),
        email: form.email.clone(),
        password: Some(form.password),
        role: Role::Customer,
        display_name: None,
    };
    let result = state
        .call(move |f| {
            let user = f.register(input)?;
            f.issue_token(user.id, TokenKind::Session)
        })
        .await;
    match result {
        Ok(token) => {
            let mut resp = ctx.redirect("/");
            let _ = resp.add_cookie(&ctx.session_cookie(&token));
            Ok(resp)
        }
        Err(WebError::Forum(e @ (ForumError::Validation { .. } | ForumError::Conflict(_)))) => {
            let status = if matches!(e, ForumError::Conflict(_)) {
                409
            } else {
                422
            };
            let page = RegisterPage {
                layout: ctx.layout().signed_out(),
                username: form.username,
                email: form.email,
                error: e.to_string(),
            };
            Ok(with_status(render(&ctx, &page)?, status))
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(
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
    solved: Vec<(i64, String)>,
}

async fn profile(state: web::Data<AppState>, ctx: PageCtx, id: web::Path<i64>) -> PageResult {
    let id = id.into_inner();
    let viewer = ctx.actor();
    let (profile, standing, solved) = state
        .call(move |f| {
            Ok((
                f.profile(id, viewer)?,
                f.standing(id)?,
                f.accepted_answers(id, viewer, 20)?,
            ))
        })
        .await?;
    render(
        &ctx,
        &ProfilePage {
            layout: ctx.layout(),
            profile,
            standing,
            solved,
        },
    )
}

/// Unknown HTML routes get the friendly 404 page.
pub async fn not_found() -> PageResult {
    Err(PageError(WebError::NoRoute))
}

/// Askama filters used by the templates, and the templates' HTML escaper
/// (named in `web/askama.toml`).
pub(crate) mod filters {
    use std::fmt::Write;

    #[askama::filter_fn]
    pub fn iso(ms: &i64, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(crate::timefmt::iso8601(*ms))
    }

    #[askama::filter_fn]
    pub fn human(ms: &i64, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(crate::timefmt::human(*ms))
    }

    /// HTML escaping with the entities askama wrote before 0.13 (`&lt;`,
    /// `&gt;`, `&amp;`, `&quot;`, `&#x27;`) rather than its numeric ones
    /// (`&#60;`…): just as safe, and pages stay byte-for-byte what they were
    /// for anything that reads them (tests, scrapers, caches).
    #[derive(Clone, Copy, Debug, Default)]
    pub struct HtmlEscaper;

    impl askama::filters::Escaper for HtmlEscaper {
        fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> std::fmt::Result {
            let mut plain = 0;
            for (i, b) in s.bytes().enumerate() {
                let entity = match b {
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    b'&' => "&amp;",
                    b'"' => "&quot;",
                    b'\'' => "&#x27;",
                    _ => continue,
                };
                // `i` is at an ASCII byte, so both slices end on char boundaries.
                dest.write_str(&s[plain..i])?;
                dest.write_str(entity)?;
                plain = i + 1;
            }
            dest.write_str(&s[plain..])
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use askama::filters::Escaper;

        #[test]
        fn escapes_like_askama_0_12() {
            let mut out = String::new();
            HtmlEscaper
                .write_escaped_str(&mut out, "a<b>&\"c\" 'd' é/€")
                .unwrap();
            assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot; &#x27;d&#x27; é/€");
        }
    }
}
