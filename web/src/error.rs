//! The one place where errors become HTTP: a status, a stable code, and a
//! message. The JSON API and the HTML pages share this mapping.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use forum::ForumError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Forum(#[from] ForumError),
    #[error(transparent)]
    Crm(crm_bridge::CrmError),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("expected Content-Type: {0}")]
    UnsupportedMediaType(&'static str),
    #[error("the form has expired; reload the page and try again")]
    Csrf,
    #[error("no such page")]
    NoRoute,
    /// Blocking work did not finish: it panicked (a bug, logged with its
    /// message by the panic hook) or the worker pool is shutting down.
    #[error("blocking work failed")]
    Blocking,
    #[error("too many failed sign-ins; try again in {0} s")]
    TooManyAttempts(u64),
    #[error("password sign-in is turned off here; sign in with single sign-on")]
    PasswordLoginDisabled,
}

impl WebError {
    /// Seconds to wait before trying again, for a Retry-After header.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            WebError::TooManyAttempts(secs) => Some(i64::try_from(*secs).unwrap_or(i64::MAX)),
            WebError::Forum(ForumError::RateLimited { retry_after_ms }) => {
                Some(retry_after_secs(*retry_after_ms))
            }
            _ if self.status_and_code().0 == StatusCode::SERVICE_UNAVAILABLE => Some(1),
            _ => None,
        }
    }

    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::Forum(e) => (forum_status(e), e.code()),
            WebError::Crm(e) => (crm_status(e), e.code()),
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            WebError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            WebError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            WebError::Csrf => (StatusCode::FORBIDDEN, "csrf_failed"),
            WebError::NoRoute => (StatusCode::NOT_FOUND, "not_found"),
            WebError::Blocking => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
            WebError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            WebError::PasswordLoginDisabled => (StatusCode::FORBIDDEN, "password_login_disabled"),
        }
    }

    /// What the user may read; internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Forum(ForumError::Database(_) | ForumError::Internal(_))
            | WebError::Blocking
            | WebError::Crm(crm_bridge::CrmError::Forum(
                ForumError::Database(_) | ForumError::Internal(_),
            )) => "something went wrong on our side; it has been logged".into(),
            // The detail (which store, its answer) is for the log.
            WebError::Forum(ForumError::Unavailable(_)) => {
                "a service this needs is not answering; try again in a moment".into()
            }
            other => other.to_string(),
        }
    }

    /// What the user may read, in `lang`: English pages keep the precise
    /// message; other languages get the catalogue's sentence for the
    /// error's code (`error-<code>` in `web/locales`), with the number of
    /// seconds to wait, the field to check, or a staff member's reason.
    ///
    /// A refused input reads as its rule's sentence (`invalid-<rule>`)
    /// with the field's label (`field-<name>`); a rule without an id of its
    /// own names the field only.
    pub fn localized_message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{message, t, Arg, Lang};
        if lang == Lang::En {
            return self.public_message();
        }
        let (status, code) = self.status_and_code();
        let reason = |r: &str| {
            if r.trim().is_empty() {
                String::new()
            } else {
                format!(
                    " {}",
                    message(lang, "error-reason", &[("reason", Arg::from(r))])
                )
            }
        };
        match self {
            WebError::Forum(ForumError::Validation { field, rule, .. })
            | WebError::Crm(crm_bridge::CrmError::Forum(ForumError::Validation {
                field,
                rule,
                ..
            })) => validation_message(lang, field, rule),
            WebError::Forum(ForumError::Taken { field, .. }) => {
                t(lang, &format!("error-taken-{field}"))
            }
            WebError::Forum(ForumError::Suspended { reason: r, .. }) => {
                t(lang, "error-suspended") + &reason(r)
            }
            WebError::Forum(ForumError::Silenced { reason: r, .. }) => {
                t(lang, "error-silenced") + &reason(r)
            }
            _ if status == StatusCode::TOO_MANY_REQUESTS => message(
                lang,
                "error-rate_limited",
                &[("seconds", Arg::Number(self.retry_after().unwrap_or(1)))],
            ),
            _ if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE => {
                t(lang, "error-internal")
            }
            _ => {
                let key = match code {
                    "csrf_failed" => "error-csrf",
                    "not_found" => "error-not_found",
                    "unauthenticated" => "error-unauthenticated",
                    "bad_credentials" => "error-bad_credentials",
                    "busy" => "error-busy",
                    "email_unconfirmed" => "error-email_unconfirmed",
                    "payload_too_large" => "error-payload_too_large",
                    "conflict" => "error-conflict",
                    _ if status == StatusCode::FORBIDDEN => "error-forbidden",
                    _ if status == StatusCode::NOT_FOUND => "error-not_found",
                    _ if status == StatusCode::SERVICE_UNAVAILABLE => "error-busy",
                    _ => "error-generic",
                };
                t(lang, key)
            }
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            WebError::Forum(ForumError::Validation { field, .. })
            | WebError::Crm(crm_bridge::CrmError::Forum(ForumError::Validation {
                field, ..
            })) => Some(field),
            _ => None,
        }
    }

    pub fn log(&self) {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(code, status = status.as_u16(), error = %self, "request failed");
        } else {
            tracing::debug!(code, status = status.as_u16(), error = %self, "request refused");
        }
    }
}

/// The sentence for input `field` refused by `rule`, in `lang`.
fn validation_message(lang: crate::i18n::Lang, field: &str, rule: &forum::Rule) -> String {
    use crate::i18n::{message, t, Arg};
    // A dot would name a Fluent attribute: `crm.connector` is `field-crm-connector`.
    let id = format!("field-{}", field.replace('.', "-"));
    let label = t(lang, &id);
    let label = if label == id {
        field.to_string()
    } else {
        label
    };
    let mut args: Vec<(&str, Arg<'_>)> = vec![("field", Arg::from(label))];
    for (name, value) in rule.args() {
        args.push((
            name,
            match value {
                forum::RuleArg::Number(n) => Arg::Number(n),
                // A ratio such as "3.20" is a number to the reader.
                forum::RuleArg::Text(s) if name == "ratio" => Arg::from(lang.decimal(s)),
                forum::RuleArg::Text(s) => Arg::from(s),
            },
        ));
    }
    match rule {
        forum::Rule::Unspecified => message(lang, "error-validation_failed", &args),
        rule => message(lang, &format!("invalid-{}", rule.id()), &args),
    }
}

/// Forum errors inside the CRM keep their own mapping.
impl From<crm_bridge::CrmError> for WebError {
    fn from(e: crm_bridge::CrmError) -> Self {
        match e {
            crm_bridge::CrmError::Forum(f) => WebError::Forum(f),
            other => WebError::Crm(other),
        }
    }
}

fn crm_status(e: &crm_bridge::CrmError) -> StatusCode {
    use crm_bridge::connector::webhook::InboundError as I;
    use crm_bridge::CrmError as C;
    match e {
        C::Forum(f) => forum_status(f),
        C::Inbound(I::MissingSignature | I::MalformedSignature | I::BadSignature | I::Stale(_)) => {
            StatusCode::UNAUTHORIZED
        }
        C::Inbound(I::Replayed) => StatusCode::CONFLICT,
        C::Inbound(I::BadPayload(_)) => StatusCode::BAD_REQUEST,
        C::Inbound(I::UnknownTask(_)) => StatusCode::NOT_FOUND,
        C::Connector(_) => StatusCode::BAD_GATEWAY,
        // The endpoint is off until a secret is configured.
        C::NotConfigured(_) => StatusCode::NOT_FOUND,
    }
}

fn forum_status(e: &ForumError) -> StatusCode {
    match e {
        ForumError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ForumError::NotFound(_) => StatusCode::NOT_FOUND,
        ForumError::Unauthenticated | ForumError::BadCredentials => StatusCode::UNAUTHORIZED,
        ForumError::Forbidden(_) => StatusCode::FORBIDDEN,
        ForumError::Conflict(_) | ForumError::Taken { .. } => StatusCode::CONFLICT,
        ForumError::Busy | ForumError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        ForumError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        // Signed in by the password, but the account may not be used.
        ForumError::Suspended { .. } => StatusCode::FORBIDDEN,
        ForumError::Silenced { .. } => StatusCode::FORBIDDEN,
        // Signed in, reads, and posts once the mailed link is opened.
        ForumError::EmailUnconfirmed => StatusCode::FORBIDDEN,
        ForumError::Database(_) | ForumError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Not an error: the code of the notice sent with a 202 when a post was
/// saved but waits for a moderator (new-member limits, spam score, a
/// board's pre-moderation). Listed here with the error codes, since
/// clients branch on it the same way.
pub const HELD_FOR_REVIEW: &str = "held_for_review";

/// The JSON API's error body: `{"error": {"code", "message", "field"?}}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable: bad_request, bad_credentials, busy,
    /// conflict, csrf_failed, database_error, email_unconfirmed, forbidden,
    /// internal_error, not_found, password_login_disabled,
    /// payload_too_large, rate_limited, silenced, suspended,
    /// too_many_attempts, unauthenticated, unavailable,
    /// unsupported_media_type, validation_failed; from the CRM webhook also
    /// bad_payload, replayed, signature_invalid, signature_malformed,
    /// signature_missing, timestamp_stale, unknown_task, not_configured;
    /// connector_failed.
    pub code: &'static str,
    /// For people; may change between versions.
    pub message: String,
    /// The input that failed validation (`validation_failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl WebError {
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.status_and_code().1,
                message: self.public_message(),
                field: self.field(),
            },
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.status_and_code().0
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let status = self.status_code();
        let mut resp = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED && !matches!(self, WebError::Crm(_)) {
            resp.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let Some(secs) = self.retry_after() {
            resp.insert_header(("Retry-After", secs.to_string()));
        }
        resp.json(self.body())
    }
}

/// Whole seconds to wait, rounded up (Retry-After has no fractions).
pub fn retry_after_secs(ms: i64) -> i64 {
    (ms.max(1) + 999) / 1000
}

/// Map actix's JSON body errors (size, syntax, content type) into ours.
pub fn json_error(err: actix_web::error::JsonPayloadError, limit: usize) -> WebError {
    use actix_web::error::JsonPayloadError as J;
    match err {
        J::Overflow { .. } | J::OverflowKnownLength { .. } => WebError::PayloadTooLarge(limit),
        J::ContentType => WebError::UnsupportedMediaType("application/json"),
        J::Deserialize(e) if e.is_data() => WebError::Forum(ForumError::validation(
            "body",
            format!("invalid field: {e}"),
        )),
        other => WebError::BadRequest(format!("malformed JSON: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use forum::Rule;

    fn refused(field: &'static str, rule: Rule, english: &str) -> WebError {
        WebError::Forum(ForumError::invalid(field, rule, english))
    }

    #[test]
    fn a_refusal_states_its_rule_in_the_readers_language() {
        let short = refused(
            "title",
            Rule::TooShort { min: 5 },
            "the title needs at least 5 characters",
        );
        assert_eq!(
            short.localized_message(Lang::En),
            "the title needs at least 5 characters"
        );
        assert_eq!(
            short.localized_message(Lang::Ru),
            "В поле «Заголовок» нужно не меньше 5 символов."
        );
        assert_eq!(
            short.localized_message(Lang::Uk),
            "У полі «Заголовок» потрібно щонайменше 5 символів."
        );
        assert_eq!(
            short.localized_message(Lang::Fa),
            "«عنوان» دست‌کم به ۵ نویسه نیاز دارد."
        );
        // Russian and Ukrainian plurals follow the figure.
        let one = refused("tags", Rule::TooManyTags { max: 1 }, "");
        assert_eq!(
            one.localized_message(Lang::Ru),
            "У темы может быть не больше 1 метки."
        );
        let long = refused("title", Rule::TooLong { max: 22 }, "");
        assert_eq!(
            long.localized_message(Lang::Uk),
            "У полі «Заголовок» може бути не більше 22 символів."
        );
        // Words from the rule keep their own spelling.
        let tag = refused("tags", Rule::Tag { tag: "<b>".into() }, "");
        assert!(tag.localized_message(Lang::Ru).contains("«<b>»"));
        // A decimal reads as the language writes it.
        let colour = refused(
            "theme.brand_color",
            Rule::LowContrast {
                ratio: "3.20".into(),
            },
            "",
        );
        assert!(colour.localized_message(Lang::Ru).contains("всего 3,20:1"));
        assert!(colour.localized_message(Lang::Fa).contains("۳٫۲۰"));
    }

    #[test]
    fn a_refusal_without_a_rule_names_its_field() {
        let e = WebError::Forum(ForumError::validation("crm.connector", "no such connector"));
        assert_eq!(e.localized_message(Lang::En), "no such connector");
        assert_eq!(
            e.localized_message(Lang::Ru),
            "Проверьте поле «Коннектор CRM»."
        );
        let unknown = WebError::Forum(ForumError::validation("zzz", "?"));
        assert_eq!(unknown.localized_message(Lang::Ru), "Проверьте поле «zzz».");
    }

    #[test]
    fn a_taken_name_is_said_in_every_language() {
        for (field, ru) in [
            (
                "username",
                "Это имя пользователя уже занято; выберите другое.",
            ),
            (
                "email",
                "Учётная запись с этим адресом электронной почты уже есть. Войдите или восстановите пароль.",
            ),
        ] {
            let e = WebError::Forum(ForumError::Taken {
                field,
                message: "taken".into(),
            });
            assert_eq!(e.status_and_code(), (StatusCode::CONFLICT, "conflict"));
            assert_eq!(e.localized_message(Lang::Ru), ru);
            assert_eq!(e.localized_message(Lang::En), "taken");
        }
    }
}
