//! Single sign-on with OpenID Connect providers: the sign-in pages.
//!
//! - `GET /auth/sso/{provider}` stores a flow (state, nonce, PKCE verifier,
//!   where to go next, and a key tying it to this browser) and redirects to
//!   the provider.
//! - `GET /auth/sso/{provider}/callback` takes the flow back (single use,
//!   10 minutes), exchanges the code, validates the ID token, and then signs
//!   in the linked user, offers to link the local account with the same
//!   verified email, or creates an account, all with the role mapping applied.
//! - `POST /auth/sso/link` confirms or cancels such a link.
//!
//! Every failure is an HTML page with a stable code (`sso_state`,
//! `sso_denied`, …) and a structured log line; nothing is half-written.

pub mod config;
pub mod oidc;

pub use config::{ProviderConfig, RoleRule, SsoConfig};

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use forum::sso::{LinkContext, NewSsoFlow, SsoOutcome, VerifiedIdentity};
use forum::ForumError;
use serde::Deserialize;

use crate::error::WebError;
use crate::i18n::{message, t, Arg, Lang};
use crate::layout::Layout;
use crate::session::{random_hex, safe_next, PageCtx, SESSION_COOKIE};
use crate::AppState;

/// Ties a started sign-in or a link offer to the browser that started it.
pub const BROWSER_COOKIE: &str = "hearth_sso";

/// Why a single sign-on did not complete. Each has a stable code, shown on
/// the error page, and a status.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("no provider named {0:?}")]
    UnknownProvider(String),
    #[error("the provider reported access_denied: {0}")]
    Denied(String),
    #[error("the provider reported an error: {0}")]
    Provider(String),
    #[error("bad state: {0}")]
    State(FlowProblem),
    #[error("the callback's iss {0:?} is not the provider's issuer")]
    Issuer(String),
    #[error("provider unreachable: {0}")]
    Unreachable(String),
    #[error("provider discovery failed: {0}")]
    Discovery(String),
    #[error("the code was refused: {0}")]
    Code(String),
    #[error("the token request failed: {0}")]
    Token(String),
    #[error("ID token signature: {0}")]
    Signature(String),
    #[error("ID token rejected: {0}")]
    IdToken(String),
    #[error("unusable claims: {0}")]
    Claims(String),
    #[error("link offer: {0}")]
    Link(LinkProblem),
    #[error("CSRF check failed")]
    Csrf,
    #[error("{0}")]
    Conflict(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl SsoError {
    pub fn status(&self) -> StatusCode {
        match self {
            SsoError::UnknownProvider(_) => StatusCode::NOT_FOUND,
            SsoError::Denied(_) | SsoError::Csrf => StatusCode::FORBIDDEN,
            SsoError::Provider(_)
            | SsoError::State(_)
            | SsoError::Issuer(_)
            | SsoError::Code(_)
            | SsoError::Claims(_)
            | SsoError::Link(_) => StatusCode::BAD_REQUEST,
            SsoError::Unreachable(_) | SsoError::Discovery(_) | SsoError::Token(_) => {
                StatusCode::BAD_GATEWAY
            }
            SsoError::Signature(_) | SsoError::IdToken(_) => StatusCode::UNAUTHORIZED,
            SsoError::Conflict(_) => StatusCode::CONFLICT,
            SsoError::Internal(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Stable and machine-readable; never change an existing one.
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::UnknownProvider(_) => "sso_provider",
            SsoError::Denied(_) => "sso_denied",
            SsoError::Provider(_) => "sso_provider_error",
            SsoError::State(_) => "sso_state",
            SsoError::Issuer(_) => "sso_issuer",
            SsoError::Unreachable(_) => "sso_unreachable",
            SsoError::Discovery(_) => "sso_discovery",
            SsoError::Code(_) => "sso_code",
            SsoError::Token(_) => "sso_token",
            SsoError::Signature(_) => "sso_signature",
            SsoError::IdToken(_) => "sso_id_token",
            SsoError::Claims(_) => "sso_claims",
            SsoError::Link(_) => "sso_link",
            SsoError::Csrf => "sso_csrf",
            SsoError::Conflict(_) => "sso_conflict",
            SsoError::Internal(_) => "sso_internal",
        }
    }

    /// The error page's heading, in `lang`.
    fn heading(&self, lang: Lang) -> String {
        match self {
            SsoError::Denied(_) => t(lang, "sso-heading-denied"),
            SsoError::UnknownProvider(_) => t(lang, "sso-heading-unknown"),
            SsoError::Unreachable(_) | SsoError::Discovery(_) => t(lang, "sso-heading-unavailable"),
            _ => t(lang, "sso-heading-failed"),
        }
    }

    /// What the person reads, in `lang`; details stay in the log. A
    /// domain's reason (`Claims`, `Conflict`) is English prose: the English
    /// page quotes it, the others say what it means in general.
    pub fn public_message(&self, lang: Lang, provider: &str) -> String {
        let at = if provider.is_empty() {
            t(lang, "sso-provider-generic")
        } else {
            provider.to_string()
        };
        let p = [("provider", Arg::from(&at))];
        match self {
            SsoError::UnknownProvider(name) => message(
                lang,
                "sso-error-unknown-provider",
                &[("provider", Arg::from(name))],
            ),
            SsoError::Denied(_) => message(lang, "sso-error-denied", &p),
            SsoError::Provider(_) => message(lang, "sso-error-provider", &p),
            SsoError::State(FlowProblem::Unknown) => t(lang, "sso-error-state-unknown"),
            SsoError::State(FlowProblem::Expired) => t(lang, "sso-error-state-expired"),
            SsoError::State(FlowProblem::OtherProvider) => {
                t(lang, "sso-error-state-other-provider")
            }
            SsoError::State(FlowProblem::OtherBrowser) => t(lang, "sso-error-state-other-browser"),
            SsoError::Issuer(_) => message(lang, "sso-error-issuer", &p),
            SsoError::Unreachable(_) => message(lang, "sso-error-unreachable", &p),
            SsoError::Discovery(_) => message(lang, "sso-error-discovery", &p),
            SsoError::Code(_) => message(lang, "sso-error-code", &p),
            SsoError::Token(_) => message(lang, "sso-error-token", &p),
            SsoError::Signature(_) => message(lang, "sso-error-signature", &p),
            SsoError::IdToken(_) => message(lang, "sso-error-id-token", &p),
            SsoError::Claims(m) => message(
                lang,
                "sso-error-claims",
                &[("provider", Arg::from(&at)), ("reason", Arg::from(m))],
            ),
            SsoError::Link(LinkProblem::Unknown) => t(lang, "sso-error-link-unknown"),
            SsoError::Link(LinkProblem::Expired) => t(lang, "sso-error-link-expired"),
            SsoError::Link(LinkProblem::OtherBrowser) => t(lang, "sso-error-link-other-browser"),
            SsoError::Csrf => t(lang, "sso-error-csrf"),
            SsoError::Conflict(m) => {
                message(lang, "sso-error-conflict", &[("reason", Arg::from(m))])
            }
            SsoError::Internal(_) => t(lang, "sso-error-internal"),
        }
    }
}

/// Why a sign-in attempt coming back from a provider cannot finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowProblem {
    Unknown,
    Expired,
    OtherProvider,
    OtherBrowser,
}

impl std::fmt::Display for FlowProblem {
    /// For the log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FlowProblem::Unknown => "the sign-in attempt is unknown or was already used",
            FlowProblem::Expired => "the sign-in attempt has expired",
            FlowProblem::OtherProvider => "the sign-in attempt was started with another provider",
            FlowProblem::OtherBrowser => "the sign-in attempt was started in another browser",
        })
    }
}

/// Why an offer to link accounts cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Expired,
    OtherBrowser,
}

impl std::fmt::Display for LinkProblem {
    /// For the log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LinkProblem::Unknown => "is unknown or was already answered",
            LinkProblem::Expired => "has expired",
            LinkProblem::OtherBrowser => "was made in another browser",
        })
    }
}

impl From<WebError> for SsoError {
    fn from(e: WebError) -> Self {
        match e {
            WebError::Forum(ForumError::Conflict(m) | ForumError::Taken { message: m, .. }) => {
                SsoError::Conflict(m)
            }
            WebError::Forum(ForumError::Validation { message, .. }) => SsoError::Claims(message),
            other => SsoError::Internal(other.to_string()),
        }
    }
}

/// Run blocking protocol code on the worker pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SsoError> + Send + 'static,
) -> Result<T, SsoError> {
    web::block(f)
        .await
        .map_err(|_| SsoError::Internal("the worker pool is unavailable".into()))?
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/sso/link", web::post().to(link_submit))
        .route("/auth/sso/{provider}", web::get().to(start))
        .route("/auth/sso/{provider}/callback", web::get().to(callback));
}

// ------------------------------------------------------------------ pages

#[derive(Template)]
#[template(path = "sso_error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
    code: String,
    provider: String,
}

#[derive(Template)]
#[template(path = "sso_link.html")]
struct LinkPage {
    layout: Layout,
    provider: String,
    username: String,
    email: String,
    token: String,
}

/// The error page for `e`, with a log line.
fn fail(ctx: &PageCtx, provider: Option<&ProviderConfig>, e: SsoError) -> HttpResponse {
    let status = e.status();
    let code = e.code();
    let name = provider.map_or("", |p| p.name.as_str());
    if status.is_server_error() {
        tracing::error!(code, status = status.as_u16(), provider = name, error = %e, "single sign-on failed");
    } else {
        tracing::warn!(code, status = status.as_u16(), provider = name, error = %e, "single sign-on refused");
    }
    let label = provider.map_or("", ProviderConfig::label);
    let page = ErrorPage {
        layout: ctx.layout(),
        heading: e.heading(ctx.lang),
        message: e.public_message(ctx.lang, label),
        code: code.into(),
        provider: label.into(),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{code}: {}", e.public_message(ctx.lang, label)));
    ctx.finish(
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header(("X-Frame-Options", "DENY"))
            .body(body),
    )
}

/// A provider button on the sign-in page.
pub struct SsoButton {
    pub name: String,
    pub label: String,
    pub href: String,
}

pub fn buttons(cfg: &SsoConfig, next: &str) -> Vec<SsoButton> {
    cfg.providers
        .iter()
        .map(|p| SsoButton {
            name: p.name.clone(),
            label: p.label().to_string(),
            href: if next == "/" {
                format!("/auth/sso/{}", p.name)
            } else {
                format!(
                    "/auth/sso/{}?next={}",
                    p.name,
                    crate::pages::url_encode(next)
                )
            },
        })
        .collect()
}

/// Hearth's own address as the providers see it.
fn base_url(state: &AppState, req: &HttpRequest) -> String {
    let configured = state.config.sso.public_url.trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_string();
    }
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn redirect_uri(state: &AppState, req: &HttpRequest, provider: &str) -> String {
    format!("{}/auth/sso/{provider}/callback", base_url(state, req))
}

fn browser_key(req: &HttpRequest) -> Option<String> {
    req.cookie(BROWSER_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn same_browser(req: &HttpRequest, expected: &str) -> bool {
    browser_key(req).is_some_and(|k| {
        k.len() == expected.len()
            && k.bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

fn browser_cookie(key: &str, secure: bool) -> Cookie<'static> {
    // Lax: it must come back on the provider's top-level redirect.
    Cookie::build(BROWSER_COOKIE, key.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(1))
        .finish()
}

// ------------------------------------------------------------------ start

#[derive(Deserialize)]
struct StartQuery {
    next: Option<String>,
}

async fn start(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    name: web::Path<String>,
    q: web::Query<StartQuery>,
) -> HttpResponse {
    let name = name.into_inner();
    let Some(p) = state.config.sso.provider(&name).cloned() else {
        return fail(&ctx, None, SsoError::UnknownProvider(name));
    };
    let next = safe_next(q.next.as_deref());
    match start_flow(&state, &ctx, &req, &p, next).await {
        Ok(resp) => resp,
        Err(e) => fail(&ctx, Some(&p), e),
    }
}

async fn start_flow(
    state: &AppState,
    ctx: &PageCtx,
    req: &HttpRequest,
    p: &ProviderConfig,
    next: String,
) -> Result<HttpResponse, SsoError> {
    let redirect = redirect_uri(state, req, &p.name);
    let provider = p.clone();
    let started = blocking(move || oidc::start(&provider, &redirect)).await?;
    let key = browser_key(req).unwrap_or_else(random_hex);
    let flow = NewSsoFlow {
        state: started.state,
        provider: p.name.clone(),
        nonce: started.nonce,
        pkce_verifier: started.pkce_verifier,
        next,
        browser_key: key.clone(),
    };
    state.call(move |f| f.sso_start_flow(&flow)).await?;
    tracing::info!(provider = %p.name, "single sign-on started");
    let mut resp = ctx.redirect(&started.url);
    let _ = resp.add_cookie(&browser_cookie(&key, state.config.cookie_secure));
    Ok(resp)
}

// ------------------------------------------------------------------ callback

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    iss: Option<String>,
}

async fn callback(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    name: web::Path<String>,
    q: web::Query<CallbackQuery>,
) -> HttpResponse {
    let name = name.into_inner();
    let Some(p) = state.config.sso.provider(&name).cloned() else {
        return fail(&ctx, None, SsoError::UnknownProvider(name));
    };
    match finish_flow(&state, &ctx, &req, &p, q.into_inner()).await {
        Ok(resp) => resp,
        Err(e) => fail(&ctx, Some(&p), e),
    }
}

async fn finish_flow(
    state: &AppState,
    ctx: &PageCtx,
    req: &HttpRequest,
    p: &ProviderConfig,
    q: CallbackQuery,
) -> Result<HttpResponse, SsoError> {
    // Take the flow first: whatever happens next, it cannot be used again.
    let flow = match q.state.clone() {
        Some(s) => state.call(move |f| f.sso_take_flow(&s)).await?,
        None => None,
    };
    if let Some(error) = q.error {
        let detail = format!("{error}: {}", q.error_description.unwrap_or_default());
        return Err(if error == "access_denied" {
            SsoError::Denied(detail)
        } else {
            SsoError::Provider(detail)
        });
    }
    let flow = flow.ok_or(SsoError::State(FlowProblem::Unknown))?;
    if flow.is_expired(state.forum.now()) {
        return Err(SsoError::State(FlowProblem::Expired));
    }
    if flow.provider != p.name {
        return Err(SsoError::State(FlowProblem::OtherProvider));
    }
    if !same_browser(req, &flow.browser_key) {
        return Err(SsoError::State(FlowProblem::OtherBrowser));
    }
    if let Some(iss) = q.iss.as_deref() {
        if !oidc::same_issuer(iss, &p.issuer) {
            return Err(SsoError::Issuer(iss.to_string()));
        }
    }
    let code = q
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| SsoError::Provider("the callback has no code".into()))?;
    let redirect = redirect_uri(state, req, &p.name);
    let provider = p.clone();
    let (verifier, nonce) = (flow.pkce_verifier, flow.nonce);
    let identity =
        blocking(move || oidc::finish(&provider, &redirect, code, verifier, nonce)).await?;
    let role = p.role_for(&identity.claims);
    let logout_token = identity.end_session.then(|| identity.id_token.clone());

    let verified = VerifiedIdentity {
        provider: p.name.clone(),
        subject: identity.subject.clone(),
        email: identity.email.clone(),
        email_verified: identity.email_verified,
        email_unverified: matches!(
            identity.claims.get("email_verified"),
            Some(serde_json::Value::Bool(false))
        ) || identity
            .claims
            .get("email_verified")
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.eq_ignore_ascii_case("false")),
        preferred_username: identity.preferred_username.clone(),
        name: identity.name.clone(),
        role,
    };
    let link = LinkContext {
        next: flow.next.clone(),
        id_token: logout_token.clone().unwrap_or_default(),
        browser_key: flow.browser_key.clone(),
    };
    // Which account this is (linked, offered a link, or new) is the
    // domain's decision.
    let outcome = state.call(move |f| f.sso_resolve(&verified, link)).await?;
    match outcome {
        SsoOutcome::Known(user) => {
            tracing::info!(provider = %p.name, user_id = user.id, role = user.role.as_str(), outcome = "signed_in", "single sign-on completed");
            sign_in(state, ctx, req, p, user.id, logout_token, &flow.next).await
        }
        SsoOutcome::Created(user) => {
            tracing::info!(provider = %p.name, user_id = user.id, role = user.role.as_str(), outcome = "account_created", "single sign-on completed");
            sign_in(state, ctx, req, p, user.id, logout_token, &flow.next).await
        }
        SsoOutcome::OfferLink { local, token } => {
            tracing::info!(provider = %p.name, user_id = local.id, outcome = "link_offered", "single sign-on found an account with the same verified email");
            let page = LinkPage {
                layout: ctx.layout(),
                provider: p.label().to_string(),
                username: local.username,
                email: local.email,
                token,
            };
            let body = page
                .render()
                .map_err(|e| SsoError::Internal(format!("template: {e}")))?;
            Ok(ctx.html(body))
        }
    }
}

/// Start a session for `user_id`, rotating any session id the browser had.
async fn sign_in(
    state: &AppState,
    ctx: &PageCtx,
    req: &HttpRequest,
    p: &ProviderConfig,
    user_id: i64,
    logout_token: Option<String>,
    next: &str,
) -> Result<HttpResponse, SsoError> {
    let old = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let provider = p.name.clone();
    let address = crate::client_addr::of(req);
    let token = state
        .call(move |f| {
            let token =
                f.sso_start_session(user_id, old.as_deref(), &provider, logout_token.as_deref())?;
            f.record_member_address(user_id, &address)?;
            Ok(token)
        })
        .await?;
    let mut resp = ctx.redirect(&safe_next(Some(next)));
    let _ = resp.add_cookie(&ctx.session_cookie(&token));
    Ok(resp)
}

// ------------------------------------------------------------------ linking

#[derive(Deserialize)]
struct LinkForm {
    csrf: String,
    token: String,
    #[serde(default)]
    decision: String,
}

async fn link_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: web::Form<LinkForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if ctx.verify_csrf(&form.csrf).is_err() {
        return fail(&ctx, None, SsoError::Csrf);
    }
    let token = form.token.clone();
    let link = match state.call(move |f| f.sso_take_link(&token)).await {
        Ok(l) => l,
        Err(e) => return fail(&ctx, None, e.into()),
    };
    let Some(link) = link else {
        return fail(&ctx, None, SsoError::Link(LinkProblem::Unknown));
    };
    let Some(p) = state.config.sso.provider(&link.provider).cloned() else {
        return fail(&ctx, None, SsoError::UnknownProvider(link.provider));
    };
    if link.is_expired(state.forum.now()) {
        return fail(&ctx, Some(&p), SsoError::Link(LinkProblem::Expired));
    }
    if !same_browser(&req, &link.browser_key) {
        return fail(&ctx, Some(&p), SsoError::Link(LinkProblem::OtherBrowser));
    }
    if form.decision != "link" {
        tracing::info!(provider = %p.name, user_id = link.user_id, outcome = "link_cancelled", "account link cancelled");
        return ctx.redirect("/login");
    }
    let (provider, subject, user_id, role) = (
        link.provider.clone(),
        link.subject.clone(),
        link.user_id,
        link.role,
    );
    let linked = state
        .call(move |f| f.sso_link(&provider, &subject, user_id, role))
        .await;
    let user = match linked {
        Ok(u) => u,
        Err(e) => return fail(&ctx, Some(&p), e.into()),
    };
    tracing::info!(provider = %p.name, user_id = user.id, role = user.role.as_str(), outcome = "linked", "single sign-on completed");
    let logout_token = (!link.id_token.is_empty()).then_some(link.id_token);
    match sign_in(&state, &ctx, &req, &p, user.id, logout_token, &link.next).await {
        Ok(resp) => resp,
        Err(e) => fail(&ctx, Some(&p), e),
    }
}

// ------------------------------------------------------------------ logout

/// Where to send the browser after signing out of `session_token`: the
/// provider's logout endpoint (with `id_token_hint` and
/// `post_logout_redirect_uri`) when the session came from a provider that
/// advertises one, else the home page. Call before revoking the session.
pub async fn logout_target(state: &AppState, req: &HttpRequest, session_token: &str) -> String {
    let token = session_token.to_string();
    let session = match state.call(move |f| f.sso_session(&token)).await {
        Ok(Some(s)) => s,
        Ok(None) => return "/".into(),
        Err(e) => {
            tracing::warn!(error = %e, "could not look up the session's provider; signing out locally");
            return "/".into();
        }
    };
    let Some(p) = state.config.sso.provider(&session.provider).cloned() else {
        return "/".into();
    };
    let back = format!("{}/", base_url(state, req));
    let name = p.name.clone();
    match blocking(move || oidc::end_session_url(&p, &session.id_token, &back)).await {
        Ok(Some(url)) => {
            tracing::info!(provider = %name, "signing out at the provider too");
            url
        }
        Ok(None) => "/".into(),
        Err(e) => {
            tracing::warn!(provider = %name, code = e.code(), error = %e, "provider logout unavailable; signed out locally only");
            "/".into()
        }
    }
}
