//! `Idempotency-Key` on API writes: a member's `POST` under `/api/v1`
//! carrying the header is answered once; a retry with the same key and the
//! same request (method, address, body) gets the first response again
//! (`Idempotent-Replayed: true`) without a second write, the same key with
//! a different request is a 422, and a retry while the first is still
//! running is a 409 with `Retry-After` (`forum::idempotency`). Answers of
//! 5xx and 429 are not kept, so those can be retried. Requests without the
//! header, or without a member's token, pass through untouched.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use forum::idempotency::{Begin, StoredResponse};
use forum::{ForumError, TokenKind};
use futures_util::StreamExt;
use sha2::Digest;

use crate::error::WebError;
use crate::AppState;

/// The request header (RFC draft `httpapi-idempotency-key-header`).
pub const HEADER: &str = "idempotency-key";

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match req.headers().get(HEADER) {
        Some(k) if req.method() == Method::POST => k.to_str().unwrap_or("\u{0}").to_string(),
        _ => return Ok(next.call(req).await?.map_into_boxed_body()),
    };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string());
    let (Some(state), Some(token)) = (req.app_data::<web::Data<AppState>>().cloned(), bearer)
    else {
        // No member: the handler refuses or serves it as it would.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let user = match state
        .call(move |f| f.user_for_token(&token, TokenKind::Api))
        .await
    {
        Ok(Some(user)) => user.id,
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(e) => return Ok(refuse(req, e)),
    };
    let body = match read_body(&mut req, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(e) => return Ok(refuse(req, e)),
    };
    let hash = {
        let mut h = sha2::Sha256::new();
        h.update(req.method().as_str());
        h.update(b"\n");
        h.update(req.uri().path_and_query().map_or("", |p| p.as_str()));
        h.update(b"\n");
        h.update(&body);
        hex::encode(h.finalize())
    };
    let k = key.clone();
    match state
        .call(move |f| f.idempotency_begin(user, &k, &hash))
        .await
    {
        Err(e) => Ok(refuse(req, e)),
        Ok(Begin::Replay(stored)) => Ok(req.into_response(replay(&stored))),
        Ok(Begin::Mismatch) => Ok(refuse(req, forum::idempotency::key_reused())),
        Ok(Begin::InProgress) => {
            let e = WebError::Forum(ForumError::Conflict(
                "a request with this Idempotency-Key has not been answered yet; retry it later"
                    .into(),
            ));
            let mut res = e.error_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            Ok(req.into_response(res))
        }
        Ok(Begin::Proceed) => {
            req.set_payload(Payload::from(body));
            let abandon = |state: &web::Data<AppState>, key: String| {
                let state = state.clone();
                async move {
                    if let Err(e) = state.call(move |f| f.idempotency_abandon(user, &key)).await {
                        tracing::warn!(error = %e, "an idempotency key stays claimed");
                    }
                }
            };
            let res = match next.call(req).await {
                Ok(res) => res,
                Err(e) => {
                    abandon(&state, key).await;
                    return Err(e);
                }
            };
            let status = res.status();
            if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                abandon(&state, key).await;
                return Ok(res.map_into_boxed_body());
            }
            let (http_req, res) = res.into_parts();
            let (res, body) = res.into_parts();
            let Ok(bytes) = actix_web::body::to_bytes(body).await else {
                abandon(&state, key).await;
                let res =
                    WebError::Forum(ForumError::Internal("response body".into())).error_response();
                return Ok(ServiceResponse::new(http_req, res));
            };
            let text = |name: header::HeaderName| {
                res.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let stored = StoredResponse {
                status: status.as_u16(),
                content_type: text(header::CONTENT_TYPE),
                location: text(header::LOCATION),
                body: bytes.to_vec(),
            };
            if let Err(e) = state
                .call(move |f| f.idempotency_finish(user, &key, &stored))
                .await
            {
                // The write happened; the key stays "in progress" (a retry
                // gets 409, never a second write).
                tracing::warn!(error = %e, "an idempotent response was not kept");
            }
            let res = res.set_body(BoxBody::new(bytes));
            Ok(ServiceResponse::new(http_req, res))
        }
    }
}

fn refuse(req: ServiceRequest, e: impl Into<WebError>) -> ServiceResponse<BoxBody> {
    req.into_response(e.into().error_response())
}

/// The stored answer again.
fn replay(stored: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    res.insert_header(("Idempotent-Replayed", "true"));
    if let Some(ct) = &stored.content_type {
        res.insert_header((header::CONTENT_TYPE, ct.as_str()));
    }
    if let Some(location) = &stored.location {
        res.insert_header((header::LOCATION, location.as_str()));
    }
    res.body(stored.body.clone())
}

/// The request's body, up to `limit` bytes (413 beyond).
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<web::Bytes, WebError> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| WebError::BadRequest(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(WebError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
