//! Rate limits on the expensive and abusable requests, before any handler
//! runs: registering, asking for a reset mail, starting single sign-on,
//! searching, ask-page suggestions, and posting threads and replies. Each
//! is counted per client address and, for writes, per credential (session
//! cookie or bearer token), in the database (`forum::rate_limit`), so every
//! node behind a balancer counts together. Over the limit: 429 with
//! Retry-After and the code `rate_limited`. One table below decides which
//! request counts as what, so a new route is limited by adding a line.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use forum::rate_limit::RateLimit;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::WebError;
use crate::AppState;

/// `[rate_limits]`: `limit` per `period_secs` for each kind of request;
/// a limit of 0 turns that one off. Each rule is also a live site setting
/// (`rate_limits.<rule>`, `live_settings`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    pub register_per_address: RateLimit,
    /// A second, daily cap on accounts per address.
    pub register_per_address_per_day: RateLimit,
    pub password_forgot_per_address: RateLimit,
    pub sso_start_per_address: RateLimit,
    pub search_per_address: RateLimit,
    pub suggest_per_address: RateLimit,
    pub thread_per_address: RateLimit,
    pub thread_per_account: RateLimit,
    pub reply_per_address: RateLimit,
    pub reply_per_account: RateLimit,
    /// Mailing a fresh email confirmation link.
    pub confirm_resend_per_address: RateLimit,
    pub confirm_resend_per_account: RateLimit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            register_per_address: RateLimit::per_hour(10),
            register_per_address_per_day: RateLimit::per_day(20),
            password_forgot_per_address: RateLimit::per_hour(10),
            sso_start_per_address: RateLimit::per_minute(30),
            search_per_address: RateLimit::per_minute(120),
            // The ask page asks as the member types.
            suggest_per_address: RateLimit::per_minute(600),
            thread_per_address: RateLimit::per_hour(60),
            thread_per_account: RateLimit::per_hour(20),
            reply_per_address: RateLimit::per_hour(600),
            reply_per_account: RateLimit::per_hour(120),
            confirm_resend_per_address: RateLimit::per_hour(20),
            confirm_resend_per_account: RateLimit::per_hour(5),
        }
    }
}

impl RateLimits {
    /// Every limit off (for load tests and test harnesses that register
    /// hundreds of members from one address).
    pub fn off() -> RateLimits {
        let off = RateLimit {
            limit: 0,
            period_secs: 1,
        };
        RateLimits {
            register_per_address: off,
            register_per_address_per_day: off,
            password_forgot_per_address: off,
            sso_start_per_address: off,
            search_per_address: off,
            suggest_per_address: off,
            thread_per_address: off,
            thread_per_account: off,
            reply_per_address: off,
            reply_per_account: off,
            confirm_resend_per_address: off,
            confirm_resend_per_account: off,
        }
    }
}

/// What a request counts as, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Register,
    PasswordForgot,
    SsoStart,
    Search,
    Suggest,
    Thread,
    Reply,
    ConfirmResend,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::PasswordForgot => "password_forgot",
            Action::SsoStart => "sso_start",
            Action::Search => "search",
            Action::Suggest => "suggest",
            Action::Thread => "thread",
            Action::Reply => "reply",
            Action::ConfirmResend => "confirm_resend",
        }
    }

    /// Every rule a request of this kind is counted against: (key
    /// suffix, who is counted, the rule). Keys are `{suffix}:{who}:{id}`.
    fn rules(self, l: &RateLimits) -> Vec<(&'static str, Counted, RateLimit)> {
        use Counted::{Address, Credential};
        match self {
            Action::Register => vec![
                ("register", Address, l.register_per_address),
                ("register_day", Address, l.register_per_address_per_day),
            ],
            Action::PasswordForgot => {
                vec![("password_forgot", Address, l.password_forgot_per_address)]
            }
            Action::SsoStart => vec![("sso_start", Address, l.sso_start_per_address)],
            Action::Search => vec![("search", Address, l.search_per_address)],
            Action::Suggest => vec![("suggest", Address, l.suggest_per_address)],
            Action::Thread => vec![
                ("thread", Address, l.thread_per_address),
                ("thread", Credential, l.thread_per_account),
            ],
            Action::Reply => vec![
                ("reply", Address, l.reply_per_address),
                ("reply", Credential, l.reply_per_account),
            ],
            Action::ConfirmResend => vec![
                ("confirm_resend", Address, l.confirm_resend_per_address),
                ("confirm_resend", Credential, l.confirm_resend_per_account),
            ],
        }
    }
}

/// Who a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// The client address.
    Address,
    /// The session cookie or bearer token (writes).
    Credential,
}

/// The table: which method and path is which action.
pub fn classify(method: &Method, path: &str) -> Option<Action> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let get = method == Method::GET;
    let post = method == Method::POST;
    match segments.as_slice() {
        ["register"] | ["api", "v1", "users"] if post => Some(Action::Register),
        ["password", "forgot"] | ["api", "v1", "auth", "password-reset"] if post => {
            Some(Action::PasswordForgot)
        }
        ["auth", "sso", provider] if get && *provider != "link" => Some(Action::SsoStart),
        ["search"] | ["api", "v1", "search"] if get => Some(Action::Search),
        ["api", "v1", "search", "similar"] if get => Some(Action::Suggest),
        ["confirm-email"] | ["api", "v1", "me", "confirm-email", "resend"] if post => {
            Some(Action::ConfirmResend)
        }
        ["ask"] | ["api", "v1", "threads"] if post => Some(Action::Thread),
        ["t", _, "reply"]
        | ["api", "v1", "threads", _, "posts"]
        | ["agent", "tasks", _, "reply"]
        | ["api", "v1", "crm", "tasks", _, "replies"]
            if post =>
        {
            Some(Action::Reply)
        }
        _ => None,
    }
}

/// Who is counted for a write: a digest of the session cookie or bearer
/// token (no lookup needed; the secret itself is never stored).
fn credential(req: &ServiceRequest) -> Option<String> {
    let secret = req
        .cookie(crate::session::SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
        })?;
    let digest = Sha256::digest(secret.as_bytes());
    Some(hex::encode(&digest[..12]))
}

pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(action) = classify(req.method(), req.path()) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let address = crate::client_addr::of(req.request());
    let credential = credential(&req);
    let address_for_log = address.clone();
    let live = state.live.get();
    let checks: Vec<(String, RateLimit)> = action
        .rules(&live.rate_limits)
        .into_iter()
        .filter_map(|(suffix, counted, rule)| match counted {
            Counted::Address => Some((format!("{suffix}:ip:{address}"), rule)),
            Counted::Credential => credential
                .as_ref()
                .map(|who| (format!("{suffix}:cred:{who}"), rule)),
        })
        .collect();
    let verdict = state.call(move |f| f.rate_limit_all(&checks)).await;
    match verdict {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(e @ WebError::Forum(forum::ForumError::RateLimited { .. })) => {
            tracing::debug!(action = action.name(), client = %address_for_log, "rate limited");
            let resp = if req.path().starts_with("/api/") {
                e.error_response()
            } else {
                crate::layout::refused_page(req.request(), e).await
            };
            Ok(req.into_response(resp).map_into_right_body())
        }
        // The limiter's own trouble (a busy database) must not take the
        // site down with it: let the request through and say so.
        Err(e) => {
            tracing::warn!(error = %e, action = action.name(), "rate limit not checked");
            Ok(next.call(req).await?.map_into_left_body())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_what_counts() {
        let cases = [
            (Method::POST, "/register", Some(Action::Register)),
            (Method::GET, "/register", None),
            (Method::POST, "/api/v1/users", Some(Action::Register)),
            (
                Method::POST,
                "/password/forgot",
                Some(Action::PasswordForgot),
            ),
            (
                Method::POST,
                "/api/v1/auth/password-reset",
                Some(Action::PasswordForgot),
            ),
            (Method::GET, "/auth/sso/corp", Some(Action::SsoStart)),
            (Method::GET, "/auth/sso/corp/callback", None),
            (Method::POST, "/auth/sso/link", None),
            (Method::GET, "/search", Some(Action::Search)),
            (Method::GET, "/api/v1/search", Some(Action::Search)),
            (Method::GET, "/api/v1/search/similar", Some(Action::Suggest)),
            (Method::POST, "/ask", Some(Action::Thread)),
            (Method::POST, "/api/v1/threads", Some(Action::Thread)),
            (Method::POST, "/t/5/reply", Some(Action::Reply)),
            (Method::POST, "/api/v1/threads/5/posts", Some(Action::Reply)),
            (Method::POST, "/agent/tasks/5/reply", Some(Action::Reply)),
            (
                Method::POST,
                "/api/v1/crm/tasks/5/replies",
                Some(Action::Reply),
            ),
            (Method::POST, "/confirm-email", Some(Action::ConfirmResend)),
            (
                Method::POST,
                "/api/v1/me/confirm-email/resend",
                Some(Action::ConfirmResend),
            ),
            (Method::POST, "/confirm-email/abc", None),
            (Method::GET, "/confirm-email", None),
            (Method::GET, "/t/5", None),
            (Method::GET, "/", None),
        ];
        for (method, path, want) in cases {
            assert_eq!(classify(&method, path), want, "{method} {path}");
        }
    }

    #[test]
    fn limits_written_as_toml_are_read_back_by_the_config() {
        #[derive(Serialize)]
        struct File {
            rate_limits: RateLimits,
        }
        let text = toml::to_string(&File {
            rate_limits: RateLimits::off(),
        })
        .unwrap();
        let config: crate::Config = toml::from_str(&text).unwrap();
        assert_eq!(config.rate_limits.register_per_address.limit, 0);
        assert_eq!(config.rate_limits.reply_per_account.limit, 0);
        assert_eq!(config.rate_limits.register_per_address_per_day.limit, 0);
    }

    #[test]
    fn writes_count_per_address_and_per_credential() {
        let rules = Action::Reply.rules(&RateLimits::default());
        let counted: Vec<Counted> = rules.iter().map(|r| r.1).collect();
        assert_eq!(counted, vec![Counted::Address, Counted::Credential]);
        let register: Vec<&str> = Action::Register
            .rules(&RateLimits::default())
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(register, vec!["register", "register_day"]);
    }
}
