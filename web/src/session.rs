//! Who is asking: bearer tokens for the API, session cookies for pages, and
//! double-submit CSRF tokens for every page form.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use forum::{Actor, TokenKind, User};
use futures_util::future::LocalBoxFuture;
use rand::RngCore;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::Layout;
use crate::AppState;

pub const SESSION_COOKIE: &str = "hearth_session";
pub const CSRF_COOKIE: &str = "hearth_csrf";

fn state(req: &HttpRequest) -> Result<AppState, WebError> {
    req.app_data::<web::Data<AppState>>()
        .map(|s| s.get_ref().clone())
        .ok_or(WebError::Blocking)
}

/// The API caller, if a valid bearer token came with the request.
pub struct ApiCaller(pub Option<User>);

impl ApiCaller {
    pub fn actor(&self) -> Option<Actor> {
        self.0.as_ref().map(User::actor)
    }

    pub fn require(&self) -> Result<&User, WebError> {
        self.0
            .as_ref()
            .ok_or(WebError::Forum(forum::ForumError::Unauthenticated))
    }
}

impl FromRequest for ApiCaller {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string);
        let state = state(req);
        Box::pin(async move {
            let Some(header) = header else {
                return Ok(ApiCaller(None));
            };
            let token = header
                .strip_prefix("Bearer ")
                .or_else(|| header.strip_prefix("bearer "))
                .ok_or(WebError::BadRequest(
                    "Authorization must be \"Bearer <token>\"".into(),
                ))?
                .trim()
                .to_string();
            let user = state?
                .call(move |f| f.user_for_token(&token, TokenKind::Api))
                .await?;
            // A token that was sent but is wrong is an error, not anonymity.
            user.map(|u| ApiCaller(Some(u)))
                .ok_or(WebError::Forum(forum::ForumError::Unauthenticated))
        })
    }
}

/// Context for HTML pages: the signed-in user and the CSRF token.
#[derive(Clone)]
pub struct PageCtx {
    pub user: Option<User>,
    /// The token forms carry: bound to the CSRF cookie *and* the session,
    /// so a cookie planted from elsewhere (a sibling subdomain) or a token
    /// seen before signing in is worthless with another session.
    pub csrf: String,
    /// The random value of the CSRF cookie.
    csrf_cookie: String,
    new_csrf: bool,
    secure: bool,
    pub site_name: String,
    pub path: String,
    /// The interface language of this request (`i18n::Lang::negotiate`).
    pub lang: Lang,
    /// The member's unread notifications (0 for visitors).
    pub unread: i64,
    /// The brand theme in force (from the live settings: no query).
    pub theme: std::sync::Arc<crate::theme::Theme>,
    /// The largest upload (0: uploads off).
    pub upload_max: usize,
    /// Counts this request's page as viewed when it renders (members and
    /// visitors reading with a browser; never staff, robots or the API).
    view: Option<ViewCounter>,
}

/// Who viewed (raw: `m:<member>` or `v:<address>|<browser>`, hashed with
/// the day's salt when written) and what the handler said the page shows.
#[derive(Clone)]
struct ViewCounter {
    forum: forum::Forum,
    key: String,
    /// (board, thread or article) of the page, set by its handler.
    place: std::cell::Cell<(Option<i64>, Option<i64>)>,
}

impl PageCtx {
    pub fn actor(&self) -> Option<Actor> {
        self.user.as_ref().map(User::actor)
    }

    /// The frame of a page rendered for this request.
    pub fn layout(&self) -> Layout {
        Layout {
            site_name: self.site_name.clone(),
            user: self.user.clone(),
            csrf: self.csrf.clone(),
            lang: self.lang,
            now_ms: crate::layout::now_ms(),
            unread: self.unread,
            // Without the query: the language picker returns here, and a
            // query can carry anything (`/login?next=…` from elsewhere).
            path: self.path.split('?').next().unwrap_or("/").to_string(),
            theme: self.theme.clone(),
            upload_max: self.upload_max,
            tz: forum::time_zone::zone(self.user.as_ref().and_then(|u| u.time_zone.as_deref())),
        }
    }

    /// The signed-in member, or "sign in to do this".
    pub fn require_actor(&self) -> Result<Actor, WebError> {
        self.actor()
            .ok_or(WebError::Forum(forum::ForumError::Unauthenticated))
    }

    /// Check a submitted form's token against the cookie, in constant time.
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if self.new_csrf || !constant_time_eq(self.csrf.as_bytes(), submitted.as_bytes()) {
            return Err(WebError::Csrf);
        }
        Ok(())
    }

    pub fn finish(&self, mut resp: HttpResponse) -> HttpResponse {
        if self.new_csrf {
            let cookie = Cookie::build(CSRF_COOKIE, self.csrf_cookie.clone())
                .path("/")
                .http_only(true)
                .secure(self.secure)
                .same_site(SameSite::Strict)
                .finish();
            let _ = resp.add_cookie(&cookie);
        }
        resp
    }

    /// The page shows this board and this thread or article: its view
    /// counts for them (`forum::analytics::traffic`).
    pub fn viewing(&self, board: Option<i64>, target: Option<i64>) {
        if let Some(v) = &self.view {
            v.place.set((board, target));
        }
    }

    /// Count this request's page as viewed (what `html` does).
    pub fn count_view(&self) {
        if let Some(v) = &self.view {
            let (board, target) = v.place.get();
            v.forum.record_page_view(
                v.key.clone(),
                forum::analytics::PageKind::of_path(&self.path),
                board,
                target,
            );
        }
    }

    /// A visitor (nobody signed in), whose page every visitor shares.
    pub fn is_visitor(&self) -> bool {
        self.user.is_none()
    }

    /// This request drawing a page every visitor may be shown: no form
    /// token of its own (the only visitor form on such pages, the language
    /// picker, needs none), and no cookie set with it.
    pub fn shared(&self) -> PageCtx {
        PageCtx {
            csrf: String::new(),
            new_csrf: false,
            ..self.clone()
        }
    }

    pub fn html(&self, body: String) -> HttpResponse {
        self.count_view();
        self.finish(
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header(("X-Frame-Options", "DENY"))
                .body(body),
        )
    }

    pub fn redirect(&self, to: &str) -> HttpResponse {
        self.finish(
            HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, to.to_string()))
                .finish(),
        )
    }

    pub fn session_cookie(&self, token: &str) -> Cookie<'static> {
        Cookie::build(SESSION_COOKIE, token.to_string())
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::days(30))
            .finish()
    }

    pub fn clear_session_cookie(&self) -> Cookie<'static> {
        let mut c = Cookie::build(SESSION_COOKIE, "")
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .finish();
        c.make_removal();
        c
    }
}

impl FromRequest for PageCtx {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let csrf = req
            .cookie(CSRF_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|v| v.len() == 64);
        let path = req
            .uri()
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
        let state = state(req);
        let req = req.clone();
        Box::pin(async move {
            let state = state?;
            let (user, unread) = match session.clone() {
                Some(token) => {
                    state
                        .call(move |f| {
                            let user = f.user_for_token(&token, TokenKind::Session)?;
                            let unread = match &user {
                                Some(u) => f.unread_notifications(u.id)?,
                                None => 0,
                            };
                            Ok::<_, forum::ForumError>((user, unread))
                        })
                        .await?
                }
                None => (None, 0),
            };
            let (csrf_cookie, new_csrf) = match csrf {
                Some(c) => (c, false),
                None => (random_hex(), true),
            };
            // Only a session that is still valid counts; a stale cookie is
            // the same as none.
            let bound_session = session.filter(|_| user.is_some()).unwrap_or_default();
            let csrf = csrf_token(&state.secret, &csrf_cookie, &bound_session);
            let live = state.live.get();
            let lang = request_language(
                &req,
                user.as_ref().map(|u| u.language.as_str()),
                live.default_language,
            );
            let view = page_viewer(&req, user.as_ref()).map(|key| ViewCounter {
                forum: state.forum.clone(),
                key,
                place: Default::default(),
            });
            let ctx = PageCtx {
                view,
                lang,
                unread,
                user,
                csrf,
                csrf_cookie,
                new_csrf,
                secure: state.config.cookie_secure,
                site_name: live.site_name.clone(),
                theme: live.theme.clone(),
                path,
                upload_max: if state.config.uploads.enabled {
                    state.config.uploads.max_bytes
                } else {
                    0
                },
            };
            // For an error page of this request (`layout::error_pages`).
            req.extensions_mut().insert(ctx.clone());
            Ok(ctx)
        })
    }
}

/// The raw visitor key of a page request that counts as a view: a GET by
/// a customer (`m:<id>`) or a visitor (`v:<address>|<browser>`) whose
/// browser is not a robot's. Staff reading their own site are not traffic.
fn page_viewer(req: &HttpRequest, user: Option<&User>) -> Option<String> {
    if req.method() != actix_web::http::Method::GET {
        return None;
    }
    let agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if forum::analytics::traffic::is_bot(agent) {
        return None;
    }
    match user {
        Some(u) if u.role != forum::Role::Customer => None,
        Some(u) => Some(format!("m:{}", u.id)),
        None => Some(format!("v:{}|{agent}", crate::client_addr::of(req))),
    }
}

/// The cookie a visitor's language choice is kept in.
pub const LANG_COOKIE: &str = "hearth_lang";

/// The interface language of a request: the member's setting, else the
/// visitor's choice (cookie), else `Accept-Language`, else the site's.
pub fn request_language(req: &HttpRequest, member: Option<&str>, site_default: Lang) -> Lang {
    let cookie = req.cookie(LANG_COOKIE);
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(
        member,
        cookie.as_ref().map(|c| c.value()),
        accept,
        site_default,
    )
}

/// The form token for a CSRF cookie value and a session token.
fn csrf_token(secret: &[u8], cookie: &str, session: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(b"csrf:");
    mac.update(cookie.as_bytes());
    mac.update(b":");
    mac.update(session.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Only same-site relative paths are followed after login.
/// Where to send someone after signing in: a path on this site, never
/// anywhere else. Browsers drop tabs and line breaks from URLs and read `\`
/// as `/`, so `/\t/evil.example` would leave the site: such characters are
/// refused outright, then what is left is resolved as a URL against this
/// origin and kept only if it stays here.
pub fn safe_next(next: Option<&str>) -> String {
    let home = || "/".to_string();
    let Some(n) = next else { return home() };
    if !n.starts_with('/')
        || n.len() > 2048
        || n.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return home();
    }
    let Ok(origin) = url::Url::parse("http://hearth.invalid/") else {
        return home();
    };
    match origin.join(n) {
        Ok(u) if u.origin() == origin.origin() => u[url::Position::BeforePath..].to_string(),
        _ => home(),
    }
}

/// Check a password with throttling: the attempt is counted per account
/// and per client address first, atomically, and refused (429) once either
/// is over its limit, before the password is even looked at. A success
/// clears the account's count and gives the address its attempt back.
pub fn throttled_authenticate(
    f: &forum::Forum,
    limits: &crate::config::LoginThrottle,
    login: &str,
    password: &str,
    ip: &str,
) -> Result<User, WebError> {
    let acct = format!("acct:{}", login.trim().to_lowercase());
    let addr = format!("ip:{ip}");
    let now = f.now();
    let refused = f.begin_login_attempt(
        &[
            (&acct, limits.max_failures_per_account),
            (&addr, limits.max_failures_per_address),
        ],
        limits.window_secs * 1000,
        limits.lock_secs * 1000,
    )?;
    if let Some(until) = refused {
        tracing::warn!(ip, "sign-in refused: too many attempts");
        return Err(WebError::TooManyAttempts(
            ((until - now) / 1000).max(1) as u64
        ));
    }
    let user = f.authenticate(login, password)?;
    f.finish_login_success(&acct, &[&addr])?;
    f.record_member_address(user.id, ip)?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_never_offsite() {
        assert_eq!(safe_next(Some("/t/5")), "/t/5");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example/")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example/")), "/");
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: x=y")), "/");
        assert_eq!(safe_next(Some("/ /evil.example/")), "/");
        assert_eq!(safe_next(Some("///evil.example")), "/");
        assert_eq!(
            safe_next(Some("/%2F%2Fevil.example")),
            "/%2F%2Fevil.example"
        );
        assert_eq!(safe_next(Some("/t/5?page=2#p9")), "/t/5?page=2#p9");
        assert_eq!(safe_next(Some("/a/../t/5")), "/t/5");
        assert_eq!(
            safe_next(Some("/поиск?q=пароль")),
            "/%D0%BF%D0%BE%D0%B8%D1%81%D0%BA?q=%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C"
        );
        assert_eq!(safe_next(None), "/");
        let a = csrf_token(b"k", "cookie", "");
        assert_eq!(a.len(), 64);
        assert_ne!(
            a,
            csrf_token(b"k", "cookie", "session"),
            "bound to the session"
        );
        assert_ne!(a, csrf_token(b"k", "other", ""), "bound to the cookie");
        assert_ne!(a, csrf_token(b"other", "cookie", ""), "bound to the key");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
