//! Uploads over HTTP: the composer's attach, paste and drop
//! (`POST /uploads`), avatars (`POST /settings/avatar`,
//! `POST /settings/avatar/remove`), and the files themselves
//! (`GET /uploads/{key}/{name}`), served so that none can run script:
//! the type the bytes were checked to be, `nosniff`, a sandboxing CSP,
//! and anything but an image as an attachment.
//!
//! Uploads take the file as the request body (what `fetch` sends for a
//! `File`), the name in `?name=`, and the form token in `X-CSRF-Token`;
//! they answer JSON with the error's sentence in the member's language.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::error::WebError;
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/uploads", web::post().to(upload))
        .route("/uploads/{key}/{name}", web::get().to(serve))
        .route("/settings/avatar", web::post().to(avatar_upload))
        .route("/settings/avatar/remove", web::post().to(avatar_remove));
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
}

/// An error as the composer's script reads it: `{"error": {"code",
/// "message", "field"}}`, the message in the member's language.
fn json_error(ctx: Option<&PageCtx>, e: WebError) -> HttpResponse {
    e.log();
    let mut body = e.body();
    if let Some(ctx) = ctx {
        body.error.message = e.localized_message(ctx.lang);
    }
    let mut resp = HttpResponse::build(e.status_code());
    if let Some(secs) = e.retry_after() {
        resp.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    resp.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

fn csrf_header(req: &HttpRequest) -> &str {
    req.headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Read the body up to the upload limit; a larger one is refused as soon
/// as it is known to be (its declared length, or the bytes so far).
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    max: usize,
) -> Result<Vec<u8>, WebError> {
    let too_large = || {
        WebError::Forum(forum::ForumError::invalid(
            "file",
            forum::Rule::FileTooLarge {
                megabytes: ((max as i64 + (1 << 19)) >> 20).max(1),
            },
            format!("the file is larger than {max} bytes, the most accepted"),
        ))
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max));
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| WebError::BadRequest(format!("the file could not be read: {e}")))?;
        if body.len() + chunk.len() > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /uploads?name=…`: keep a file for the composer. 201 with where
/// it is and the Markdown that shows it.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<UploadQuery>,
    payload: web::Payload,
) -> HttpResponse {
    let actor = match checked_member(&req, &ctx) {
        Ok(a) => a,
        Err(e) => return json_error(Some(&ctx), e),
    };
    let max = state.config.uploads.max_bytes;
    let bytes = match read_body(&req, payload, max).await {
        Ok(b) => b,
        Err(e) => return json_error(Some(&ctx), e),
    };
    let name = q.into_inner().name;
    match state
        .call(move |f| f.store_upload(actor, &name, &bytes))
        .await
    {
        Ok(u) => HttpResponse::Created()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({
                "key": u.key,
                "url": u.url(),
                "markdown": u.markdown(),
                "name": u.file_name,
                "kind": u.kind.as_str(),
                "image": u.kind.is_image(),
                "bytes": u.byte_size,
                "width": u.width,
                "height": u.height,
            })),
        Err(e) => json_error(Some(&ctx), e),
    }
}

/// A signed-in member whose form token matches.
fn checked_member(req: &HttpRequest, ctx: &PageCtx) -> Result<forum::Actor, WebError> {
    let actor = ctx
        .actor()
        .ok_or(WebError::Forum(forum::ForumError::Unauthenticated))?;
    ctx.verify_csrf(csrf_header(req))?;
    Ok(actor)
}

/// `GET /uploads/{key}/{name}`: the file, never as something that runs.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (key, _name) = path.into_inner();
    let found = state
        .call(move |f| {
            let u = f.upload(&key)?;
            let bytes = f.upload_bytes(&u)?;
            Ok((u, bytes))
        })
        .await;
    let (upload, bytes) = match found {
        Ok(found) => found,
        Err(WebError::Forum(forum::ForumError::NotFound(_))) => {
            return HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .insert_header((
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox",
                ))
                .body("no such file");
        }
        Err(e) => return json_error(None, e),
    };
    // The bytes under a key never change.
    let mut resp = crate::assets::respond(
        &req,
        upload.kind.content_type(),
        bytes,
        &upload.key,
        crate::assets::IMMUTABLE,
    );
    let disposition = if upload.kind.is_image() {
        "inline"
    } else {
        "attachment"
    };
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(disposition, &upload.file_name),
    );
    protect(headers);
    resp
}

/// What every uploaded file is served with: no sniffing, and a policy
/// under which even a document opened directly runs nothing, loads
/// nothing and is its own unique origin.
pub fn protect(headers: &mut actix_web::http::header::HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
}

/// `inline; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn content_disposition(kind: &str, name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `POST /settings/avatar`: the body is the image; 201 with the avatar's
/// address.
pub async fn avatar_upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    payload: web::Payload,
) -> HttpResponse {
    let actor = match checked_member(&req, &ctx) {
        Ok(a) => a,
        Err(e) => return json_error(Some(&ctx), e),
    };
    let bytes = match read_body(&req, payload, state.config.uploads.max_bytes).await {
        Ok(b) => b,
        Err(e) => return json_error(Some(&ctx), e),
    };
    match state.call(move |f| f.set_avatar(actor, &bytes)).await {
        Ok(u) => HttpResponse::Created()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({
                "url": format!("/u/{}/avatar?v={}", actor.user_id, &u.key[..8]),
            })),
        Err(e) => json_error(Some(&ctx), e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /settings/avatar/remove`: back to initials.
pub async fn avatar_remove(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<CsrfForm>,
) -> crate::pages::PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx
        .actor()
        .ok_or(WebError::Forum(forum::ForumError::Unauthenticated))?;
    state.call(move |f| f.remove_avatar(actor)).await?;
    Ok(ctx.finish(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/settings/profile?saved=avatar"))
            .finish(),
    ))
}
