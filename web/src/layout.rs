//! The frame around every page (`templates/base.html`): the site's name,
//! who is signed in, and the CSRF token its forms (sign out) carry; and the
//! middleware that puts error pages in the same frame.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use forum::User;

use crate::pages::PageError;
use crate::session::PageCtx;
use crate::AppState;

/// The fields every page shares, built once per request by
/// [`PageCtx::layout`](crate::session::PageCtx::layout) and held by each page
/// struct as `layout`; templates read `layout.site_name`, `layout.user` and
/// `layout.csrf`.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The site name in force (`site_name`, a live setting).
    pub site_name: String,
    pub user: Option<User>,
    /// The form token of this request (see `PageCtx::csrf`).
    pub csrf: String,
}

impl Layout {
    /// The frame as a visitor sees it: nobody signed in, no form token.
    pub fn visitor(site_name: &str) -> Layout {
        Layout {
            site_name: site_name.to_string(),
            user: None,
            csrf: String::new(),
        }
    }

    /// The same frame shown as to a visitor: pages answering a failed
    /// sign-in, registration or password reset show no member.
    pub fn signed_out(self) -> Layout {
        Layout { user: None, ..self }
    }
}

/// The site name in force (the file's, or the live setting).
fn site_name(req: &HttpRequest) -> String {
    req.app_data::<web::Data<AppState>>().map_or_else(
        || crate::config::DEFAULT_SITE_NAME.to_string(),
        |s| s.live.get().site_name.clone(),
    )
}

/// Wraps the page routes: an error page is rendered again in the request's
/// frame, since `PageError::error_response` gets no request and so knows
/// neither who is signed in nor the site's name. The `PageCtx` is the one
/// the handler extracted (kept in the request's extensions, so no second
/// session lookup) or, for errors before a handler ran (no such route, a bad
/// path), a new one; if even that fails (the database is down), a visitor's
/// frame with the configured name.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(error) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
    else {
        return Ok(res);
    };
    // Bound first: the extensions must not stay borrowed while a new
    // PageCtx stores itself in them.
    let cached = res.request().extensions().get::<PageCtx>().cloned();
    let ctx = match cached {
        Some(ctx) => Some(ctx),
        None => PageCtx::extract(res.request()).await.ok(),
    };
    let layout = match &ctx {
        Some(ctx) => ctx.layout(),
        None => Layout::visitor(&site_name(res.request())),
    };
    let body = error.render_page(layout);
    let (req, resp) = res.into_parts();
    // Same status, headers and attached error; only the body changes.
    let resp = resp.set_body(BoxBody::new(body));
    // A new CSRF cookie, if the frame's sign-out form needs one.
    let resp = match ctx {
        Some(ctx) => ctx.finish(resp),
        None => resp,
    };
    Ok(ServiceResponse::new(req, resp))
}

/// The error page for a request refused before routing (`input_guard`):
/// framed as for a visitor, since such a request gets no session lookup.
pub fn refused_page(req: &HttpRequest, e: crate::error::WebError) -> actix_web::HttpResponse {
    PageError(e).visitor_response(&site_name(req))
}
