//! One rule for every request, before any handler runs: no control
//! characters in path segments, and none but line breaks and tabs in query
//! values, form fields and JSON strings. New routes are covered without
//! doing anything. PostgreSQL refuses NUL in text where SQLite would store
//! it, so refusing here keeps data portable between the backends; fields
//! with stricter needs (names, titles, anything in a mail header) are
//! checked again, as one line, in `forum::validate`.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use actix_web::ResponseError;
use forum::validate::is_forbidden_control;
use forum::ForumError;
use futures_util::StreamExt;

use crate::error::WebError;
use crate::AppState;

/// What a body must be checked as.
enum BodyKind {
    Json,
    Form,
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Err(e) = check_target(req.path(), req.query_string()) {
        return Ok(refuse(req, e).await);
    }
    let kind = match req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .as_deref()
    {
        Some("application/json") => Some(BodyKind::Json),
        Some("application/x-www-form-urlencoded") => Some(BodyKind::Form),
        _ => None,
    };
    // Signed machine-to-machine deliveries are passed through whole: their
    // text is cleaned where it is used, so an external system's stray
    // control character never makes a delivery fail for good.
    let machine = req.path() == "/api/v1/crm/webhook";
    if let Some(kind) = kind.filter(|_| !machine) {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(1 << 20, |s| s.config.max_body_bytes);
        // A declared length over the limit is refused before reading a byte.
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > limit) {
            return Ok(refuse(req, WebError::PayloadTooLarge(limit)).await);
        }
        let mut payload = std::mem::replace(req.parts_mut().1, Payload::None);
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let e =
                        WebError::BadRequest(format!("the request body could not be read: {e}"));
                    return Ok(refuse(req, e).await);
                }
            };
            if body.len() + chunk.len() > limit {
                return Ok(refuse(req, WebError::PayloadTooLarge(limit)).await);
            }
            body.extend_from_slice(&chunk);
        }
        let found = match kind {
            BodyKind::Json => json_control(&body),
            BodyKind::Form => form_control(&body),
        };
        if let Some(c) = found {
            return Ok(refuse(req, control_error("body", c)).await);
        }
        req.set_payload(Payload::from(body.freeze()));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

async fn refuse<B>(req: ServiceRequest, e: WebError) -> ServiceResponse<EitherBody<B>> {
    let resp = if req.path().starts_with("/api/") {
        e.error_response()
    } else {
        crate::layout::refused_page(req.request(), e).await
    };
    req.into_response(resp).map_into_right_body()
}

fn control_error(field: &'static str, c: char) -> WebError {
    let place = match field {
        "path" => "the address",
        "query" => "the query string",
        _ => "the request",
    };
    WebError::Forum(ForumError::invalid(
        field,
        forum::Rule::ControlCharacter {
            code_point: format!("U+{:04X}", c as u32),
        },
        format!(
            "{place} contains a control character (U+{:04X}), which is not allowed",
            c as u32
        ),
    ))
}

/// The decoded path must be free of control characters, the decoded query
/// values of all but line breaks and tabs.
fn check_target(path: &str, query: &str) -> Result<(), WebError> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if let Some(c) = decoded.chars().find(|c| is_forbidden_control(*c, false)) {
        return Err(control_error("path", c));
    }
    if let Some(c) = form_control(query.as_bytes()) {
        return Err(control_error("query", c));
    }
    Ok(())
}

fn form_control(body: &[u8]) -> Option<char> {
    form_urlencoded::parse(body).find_map(|(k, v)| {
        k.chars()
            .chain(v.chars())
            .find(|c| is_forbidden_control(*c, true))
    })
}

/// A forbidden control character in a JSON text, raw or as a `\u` escape.
/// Raw line breaks and tabs are JSON whitespace; raw C0 controls inside a
/// string are a syntax error the parser reports itself.
fn json_control(body: &[u8]) -> Option<char> {
    let text = std::str::from_utf8(body).ok()?;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.next() == Some('u') {
                let hex: String = chars.by_ref().take(4).collect();
                let escaped = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                if let Some(e) = escaped.filter(|e| is_forbidden_control(*e, true)) {
                    return Some(e);
                }
            }
        } else if is_forbidden_control(c, true) {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries() {
        assert!(check_target("/t/5", "page=2&q=%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C").is_ok());
        assert!(check_target("/t/%00", "").is_err());
        assert!(check_target("/c/a%0Ab", "").is_err());
        assert!(check_target("/search", "q=a%00b").is_err());
        assert!(check_target("/search", "q=a%C2%85b").is_err(), "C1 NEL");
        assert!(check_target("/ask", "body=line%0Aline%09tab").is_ok());
        assert!(
            check_target("/login", "next=%2F%0D%0A").is_ok(),
            "safe_next refuses it"
        );
    }

    #[test]
    fn json_escapes_and_raw_characters() {
        assert_eq!(json_control(br#"{"a":"x\u0000y"}"#), Some('\0'));
        assert_eq!(json_control(br#"{"a":"x\u001By"}"#), Some('\u{1b}'));
        assert_eq!(json_control(br#"{"a":"x\u0085y"}"#), Some('\u{85}'));
        assert_eq!(
            json_control("{\"a\":\"x\u{85}y\"}".as_bytes()),
            Some('\u{85}')
        );
        assert_eq!(json_control(br#"{"a":"line\nnext\ttab\r"}"#), None);
        assert_eq!(json_control(br#"{"a":"x\u000ay\u0009"}"#), None);
        // An escaped backslash followed by text that only looks like an escape.
        assert_eq!(json_control(br#"{"a":"C:\\u0000"}"#), None);
        assert_eq!(json_control(b"{\n\t\"a\": 1\r\n}"), None);
        assert_eq!(
            json_control("{\"a\":\"Привет \u{200c} سلام\"}".as_bytes()),
            None
        );
    }

    #[test]
    fn form_bodies() {
        assert_eq!(form_control(b"title=a%00b&body=x"), Some('\0'));
        assert_eq!(
            form_control(b"display_name=Eve%0AX"),
            None,
            "names are checked in the domain"
        );
        assert_eq!(form_control(b"body=a+b%0D%0Ac"), None);
    }
}
