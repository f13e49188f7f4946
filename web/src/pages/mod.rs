//! Server-rendered HTML pages. Every form carries a CSRF token; errors are
//! shown as friendly pages with the same status codes as the API.
//!
//! The forum's own pages are here, one module per area; this module has
//! their routes and what every page module shares (the error page,
//! rendering, the template filters). Other areas' pages live in
//! `community_pages`, `crm_pages`, `notify_pages`, `search_routes`, `sso`.

mod accounts;
mod ask;
mod boards;
mod edit;
pub(crate) mod filters;
pub(crate) mod labels;
mod language;
mod profile_settings;
mod threads;

use actix_web::{web, HttpResponse, ResponseError};
use askama::Template;
use forum::ForumError;
use serde::Deserialize;

use crate::error::WebError;
use crate::layout::Layout;
use crate::session::PageCtx;

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
    /// The stable error code, for pages that offer a way out (a new
    /// confirmation link).
    code: &'static str,
}

impl PageError {
    /// The friendly page for this error in `layout`'s frame and language.
    pub(crate) fn render_page(&self, layout: Layout) -> String {
        let status = self.status_code().as_u16();
        let heading = layout.t(match status {
            401 => "error-title-401",
            403 => "error-title-403",
            404 => "error-title-404",
            413 => "error-title-413",
            422 | 400 => "error-title-422",
            503 => "error-title-503",
            429 => "error-title-429",
            _ => "error-title-500",
        });
        let page = ErrorPage {
            message: self.0.localized_message(layout.lang),
            layout,
            heading,
            code: self.0.status_and_code().1,
        };
        page.render().unwrap_or_else(|_| self.0.public_message())
    }

    /// The logged error page, in a visitor's frame.
    pub(crate) fn visitor_response(&self, layout: Layout) -> HttpResponse {
        self.0.log();
        let mut resp = HttpResponse::build(self.status_code());
        if let Some(secs) = self.0.retry_after() {
            resp.insert_header(("Retry-After", secs.to_string()));
        }
        resp.content_type("text/html; charset=utf-8")
            .body(self.render_page(layout))
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
        self.visitor_response(Layout::visitor(
            crate::config::DEFAULT_SITE_NAME,
            crate::i18n::Lang::En,
        ))
    }
}

pub(crate) type PageResult = Result<HttpResponse, PageError>;

pub(crate) fn render(ctx: &PageCtx, t: &impl Template) -> PageResult {
    Ok(ctx.html(render_body(t)?))
}

/// A template's text.
pub(crate) fn render_body(t: &impl Template) -> Result<String, PageError> {
    t.render().map_err(|e| {
        PageError(WebError::Forum(ForumError::Internal(format!(
            "template: {e}"
        ))))
    })
}

/// A drawn page: its text, what it shows (`page_cache::Tags`) and what a
/// view of it counts for (board, thread or article).
pub(crate) type Drawn = (String, crate::page_cache::Tags, (Option<i64>, Option<i64>));

/// A page every visitor sees alike (home, boards, threads, articles):
/// visitors get it from the node's page cache, or it is drawn once for
/// all of them (`draw` gets a context without a per-visitor form token)
/// and kept; members get it drawn for them. `page` is the page's address
/// in canonical form (the parameters that change it, nothing else).
pub(crate) async fn shared_page<F, Fut>(
    state: &crate::AppState,
    ctx: &PageCtx,
    req: &actix_web::HttpRequest,
    page: String,
    draw: F,
) -> PageResult
where
    F: FnOnce(PageCtx) -> Fut,
    Fut: std::future::Future<Output = Result<Drawn, PageError>>,
{
    use crate::page_cache::{lookup, Lookup};
    let settings = state.live.get().overrides.version;
    match lookup(
        &state.pages,
        req,
        ctx.is_visitor(),
        ctx.lang.code(),
        settings,
        page,
    ) {
        Lookup::Hit(res, (board, target)) => {
            ctx.viewing(board, target);
            ctx.count_view();
            Ok(res)
        }
        Lookup::Miss(pending) => {
            let (body, tags, (board, target)) = draw(ctx.shared()).await?;
            ctx.viewing(board, target);
            ctx.count_view();
            Ok(pending.store(req, body, tags, (board, target)))
        }
        Lookup::Member => {
            let (body, _, (board, target)) = draw(ctx.clone()).await?;
            ctx.viewing(board, target);
            Ok(ctx.html(body))
        }
    }
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
    cfg.route("/", web::get().to(boards::home))
        .route("/c/{slug}", web::get().to(boards::category))
        .route("/t/{id}", web::get().to(threads::thread))
        .route("/t/{id}/reply", web::post().to(threads::reply))
        .route("/t/{id}/lock", web::post().to(threads::lock))
        .route("/p/{id}", web::get().to(threads::permalink))
        .route("/p/{id}/vote", web::post().to(threads::vote))
        .route("/p/{id}/accept", web::post().to(threads::accept))
        .route("/p/{id}/delete", web::post().to(threads::delete))
        .route("/p/{id}/report", web::post().to(threads::report))
        .route("/p/{id}/edit", web::get().to(edit::edit_form))
        .route("/p/{id}/edit", web::post().to(edit::edit_submit))
        .route("/p/{id}/history", web::get().to(edit::history))
        .route("/settings/profile", web::get().to(profile_settings::page))
        .route("/settings/profile", web::post().to(profile_settings::save))
        .route(
            "/settings/password",
            web::post().to(profile_settings::change_password),
        )
        .route(
            "/settings/email",
            web::post().to(profile_settings::change_email),
        )
        .route("/preview", web::post().to(threads::preview))
        .route("/members/mention", web::get().to(threads::mention))
        .route("/drafts/{key}", web::post().to(threads::save_draft))
        .route("/ask", web::get().to(ask::ask_form))
        .route("/ask", web::post().to(ask::ask_submit))
        .route("/login", web::get().to(accounts::login_form))
        .route("/login", web::post().to(accounts::login_submit))
        .route("/register", web::get().to(accounts::register_form))
        .route("/register", web::post().to(accounts::register_submit))
        .route("/logout", web::post().to(accounts::logout))
        .route("/language", web::post().to(language::choose))
        .route("/u/{id}", web::get().to(accounts::profile))
        .route("/confirm-email", web::get().to(accounts::confirm_status))
        .route("/confirm-email", web::post().to(accounts::confirm_resend))
        .route(
            "/confirm-email/{token}",
            web::get().to(accounts::confirm_link),
        )
        .route(
            "/confirm-email/{token}",
            web::post().to(accounts::confirm_submit),
        );
}

pub(crate) fn with_status(mut resp: HttpResponse, status: u16) -> HttpResponse {
    if let Ok(s) = actix_web::http::StatusCode::from_u16(status) {
        *resp.status_mut() = s;
    }
    resp
}

/// A form with nothing but its token.
#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

/// Unknown HTML routes get the friendly 404 page.
pub async fn not_found() -> PageResult {
    Err(PageError(WebError::NoRoute))
}
