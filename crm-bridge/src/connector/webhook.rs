//! The generic webhook connector: HMAC-SHA256-signed JSON POSTs out, and the
//! verification of signed webhooks coming in.
//!
//! Signature header (both directions): `X-Hearth-Signature: t=<unix
//! seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp
//! is inside the signed text, so an old delivery cannot be re-dated, and a
//! receiver rejects one outside its tolerance window.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::http::Http;
use super::{
    status_from_words, Connector, ConnectorError, ExternalComment, ExternalTask, InboundChange,
};
use crate::config::Secret;

type HmacSha256 = Hmac<Sha256>;

pub const SIGNATURE_HEADER: &str = "X-Hearth-Signature";

pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length; should that ever change, an empty
    // signature is refused by every receiver rather than panicking here.
    let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InboundError {
    #[error("missing X-Hearth-Signature header")]
    MissingSignature,
    #[error("malformed signature header")]
    MalformedSignature,
    #[error("signature does not match the body")]
    BadSignature,
    #[error("timestamp is outside the accepted window of {0} s")]
    Stale(i64),
    #[error("this delivery was already received")]
    Replayed,
    #[error("malformed payload: {0}")]
    BadPayload(String),
    #[error("no task for {0}")]
    UnknownTask(String),
}

impl InboundError {
    pub fn code(&self) -> &'static str {
        match self {
            InboundError::MissingSignature => "signature_missing",
            InboundError::MalformedSignature => "signature_malformed",
            InboundError::BadSignature => "signature_invalid",
            InboundError::Stale(_) => "timestamp_stale",
            InboundError::Replayed => "replayed",
            InboundError::BadPayload(_) => "bad_payload",
            InboundError::UnknownTask(_) => "unknown_task",
        }
    }
}

/// Check a signature header against the raw body, in constant time, and
/// that its timestamp is within `tolerance_secs` of `now_secs`.
pub fn verify(
    secret: &[u8],
    header: Option<&str>,
    body: &[u8],
    now_secs: i64,
    tolerance_secs: i64,
) -> Result<(), InboundError> {
    let header = header.ok_or(InboundError::MissingSignature)?;
    let mut ts = None;
    let mut sig = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => ts = v.parse::<i64>().ok(),
            Some(("v1", v)) => sig = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(ts), Some(sig)) = (ts, sig) else {
        return Err(InboundError::MalformedSignature);
    };
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| InboundError::BadSignature)?;
    mac.update(ts.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&sig)
        .map_err(|_| InboundError::BadSignature)?;
    if (now_secs - ts).abs() > tolerance_secs {
        return Err(InboundError::Stale(tolerance_secs));
    }
    Ok(())
}

/// What an external system may send to `POST /api/v1/crm/webhook`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundPayload {
    /// Unique per delivery; a second delivery with the same id is a replay.
    pub id: String,
    /// "task.status" or "task.comment".
    #[serde(rename = "type")]
    pub kind: String,
    pub task_id: Option<i64>,
    pub external_id: Option<String>,
    pub status: Option<String>,
    pub author: Option<String>,
    pub body: Option<String>,
}

impl InboundPayload {
    pub fn parse(body: &[u8]) -> Result<InboundPayload, InboundError> {
        let p: InboundPayload =
            serde_json::from_slice(body).map_err(|e| InboundError::BadPayload(e.to_string()))?;
        if p.id.trim().is_empty() || p.id.len() > 200 {
            return Err(InboundError::BadPayload(
                "id must be 1 to 200 characters".into(),
            ));
        }
        if p.task_id.is_none() && p.external_id.is_none() {
            return Err(InboundError::BadPayload(
                "task_id or external_id is required".into(),
            ));
        }
        match p.kind.as_str() {
            "task.status" => {
                let s = p.status.as_deref().unwrap_or("");
                if status_from_words(s).is_none() {
                    return Err(InboundError::BadPayload(format!("unknown status {s:?}")));
                }
            }
            "task.comment" => {
                if p.body.as_deref().is_none_or(|b| b.trim().is_empty()) {
                    return Err(InboundError::BadPayload("a comment needs a body".into()));
                }
            }
            other => return Err(InboundError::BadPayload(format!("unknown type {other:?}"))),
        }
        Ok(p)
    }

    /// As a change keyed by the delivery id, given the task's external id.
    pub fn into_change(self, external_id: String) -> InboundChange {
        let key = format!("webhook:{}", self.id);
        match self.kind.as_str() {
            "task.status" => InboundChange::Status {
                external_id,
                status: self
                    .status
                    .as_deref()
                    .and_then(status_from_words)
                    .unwrap_or(crate::rules::TaskStatus::Open),
                key,
            },
            _ => InboundChange::Comment {
                external_id,
                author: self.author.unwrap_or_else(|| "support".into()),
                body: self.body.unwrap_or_default(),
                key,
            },
        }
    }
}

pub struct WebhookConnector {
    http: Http,
    url: String,
    secret: Secret,
    clock: Box<dyn Fn() -> i64 + Send + Sync>,
}

impl WebhookConnector {
    pub fn new(url: String, secret: Secret, timeout: Duration) -> WebhookConnector {
        WebhookConnector {
            http: Http::new(timeout),
            url,
            secret,
            clock: Box::new(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            }),
        }
    }

    fn post(
        &self,
        event: &str,
        key: &str,
        payload: serde_json::Value,
    ) -> Result<serde_json::Value, ConnectorError> {
        let body = payload.to_string();
        let sig = sign(
            self.secret.expose().as_bytes(),
            (self.clock)(),
            body.as_bytes(),
        );
        let resp = self.http.send(
            "POST",
            &self.url,
            &[
                ("content-type", "application/json"),
                ("idempotency-key", key),
                ("x-hearth-event", event),
                (SIGNATURE_HEADER, &sig),
            ],
            Some(&body),
        )?;
        if !resp.is_success() {
            return Err(resp.error(event));
        }
        // A receiver may answer with nothing; only an id matters.
        Ok(serde_json::from_str(&resp.body).unwrap_or(serde_json::Value::Null))
    }
}

impl Connector for WebhookConnector {
    fn name(&self) -> &'static str {
        "webhook"
    }

    fn push_task(
        &self,
        task: &ExternalTask,
        external_id: Option<&str>,
    ) -> Result<String, ConnectorError> {
        let event = if external_id.is_some() {
            "task.updated"
        } else {
            "task.created"
        };
        // The key is per task: a receiver that dedupes on it keeps exactly one
        // record however often a create is retried.
        let key = task.idempotency_key();
        let answer = self.post(
            event,
            &key,
            serde_json::json!({ "event": event, "external_id": external_id, "task": task }),
        )?;
        Ok(answer
            .get("id")
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            })
            .or_else(|| external_id.map(str::to_string))
            .unwrap_or(key))
    }

    fn push_comment(
        &self,
        task: &ExternalTask,
        external_id: &str,
        comment: &ExternalComment,
    ) -> Result<(), ConnectorError> {
        let key = format!("hearth-post-{}", comment.post_id);
        self.post(
            "task.comment",
            &key,
            serde_json::json!({
                "event": "task.comment", "external_id": external_id,
                "task_id": task.task_id, "comment": comment,
            }),
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_reject_tampering_and_age() {
        let body = br#"{"id":"1"}"#;
        let h = sign(b"s3cret", 1_000, body);
        assert_eq!(verify(b"s3cret", Some(&h), body, 1_100, 300), Ok(()));
        assert_eq!(
            verify(b"other", Some(&h), body, 1_100, 300),
            Err(InboundError::BadSignature)
        );
        assert_eq!(
            verify(b"s3cret", Some(&h), br#"{"id":"2"}"#, 1_100, 300),
            Err(InboundError::BadSignature)
        );
        assert_eq!(
            verify(b"s3cret", Some(&h), body, 1_301, 300),
            Err(InboundError::Stale(300))
        );
        assert_eq!(
            verify(b"s3cret", None, body, 1_000, 300),
            Err(InboundError::MissingSignature)
        );
        assert_eq!(
            verify(b"s3cret", Some("v1=zz"), body, 1_000, 300),
            Err(InboundError::MalformedSignature)
        );
        // Re-dating the header breaks the signature.
        let redated = h.replace("t=1000", "t=1200");
        assert_eq!(
            verify(b"s3cret", Some(&redated), body, 1_200, 300),
            Err(InboundError::BadSignature)
        );
    }

    #[test]
    fn payloads_are_checked() {
        assert!(InboundPayload::parse(b"{not json").is_err());
        assert!(InboundPayload::parse(
            br#"{"id":"1","type":"task.status","task_id":1,"status":"weird"}"#
        )
        .is_err());
        assert!(InboundPayload::parse(
            br#"{"id":"1","type":"task.comment","task_id":1,"body":" "}"#
        )
        .is_err());
        assert!(
            InboundPayload::parse(br#"{"id":"1","type":"task.status","status":"resolved"}"#)
                .is_err()
        );
        assert!(InboundPayload::parse(
            br#"{"id":"1","type":"task.status","task_id":1,"status":"resolved","x":1}"#
        )
        .is_err());
        let ok = InboundPayload::parse(
            br#"{"id":"e1","type":"task.status","task_id":1,"status":"Solved"}"#,
        )
        .expect("valid");
        assert_eq!(
            ok.into_change("x".into()),
            InboundChange::Status {
                external_id: "x".into(),
                status: crate::rules::TaskStatus::Resolved,
                key: "webhook:e1".into()
            }
        );
    }
}
