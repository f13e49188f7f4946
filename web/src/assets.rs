//! Hearth's own static files (the stylesheet, the scripts), compiled into
//! the binary, and the brand theme's stylesheet. No CDN: everything is
//! served from here.
//!
//! Pages link each file under a name carrying a hash of its content
//! (`/static/hearth.3f2a91c07b1e.css`, from [`url`], in templates
//! `layout.asset("hearth.css")`), served with a year's immutable cache: a
//! new release, or a new theme, is a new name, so browsers never hold a
//! stale copy and never ask again for a current one. The plain names
//! (`/static/hearth.css`) keep working with a short cache, for anything
//! that links them directly; every answer has an ETag, so a revalidation
//! costs a 304.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::AppState;

/// A year: the longest cache lifetime browsers honour.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For the plain names, and for a hashed name that is not the current one.
pub const SHORT: &str = "public, max-age=300";

/// The first 12 hex digits of the SHA-256 of `bytes`: enough to tell
/// versions apart, short enough for a file name.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex::encode(&digest[..6])
}

/// One compiled-in file.
pub struct Asset {
    /// The plain name, e.g. `hearth.css`.
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
    pub hash: String,
}

impl Asset {
    /// `hearth.css` → `hearth.<hash>.css`.
    pub fn hashed_name(&self) -> String {
        hashed(self.name, &self.hash)
    }
}

fn hashed(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        ("hearth.css", CSS, include_str!("../static/hearth.css")),
        ("hearth.js", JS, include_str!("../static/hearth.js")),
        ("ask.js", JS, include_str!("../static/ask.js")),
    ]
    .into_iter()
    .map(|(name, content_type, body)| Asset {
        name,
        content_type,
        body,
        hash: content_hash(body.as_bytes()),
    })
    .collect()
});

/// The compiled-in file named `name` (plain name).
pub fn asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

/// The address pages link `name` under: its content-hashed name, or the
/// plain one for a file Hearth does not have.
pub fn url(name: &str) -> String {
    match asset(name) {
        Some(a) => format!("/static/{}", a.hashed_name()),
        None => format!("/static/{name}"),
    }
}

/// A requested file name taken apart: the plain name, and the hash it
/// carried (None: the plain name was asked for). Only hex hashes count.
fn parse(file: &str) -> (String, Option<&str>) {
    let mut parts = file.rsplitn(3, '.');
    let (ext, hash, stem) = (parts.next(), parts.next(), parts.next());
    match (stem, hash, ext) {
        (Some(stem), Some(hash), Some(ext))
            if !hash.is_empty()
                && hash.len() <= 64
                && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            (format!("{stem}.{ext}"), Some(hash))
        }
        _ => (file.to_string(), None),
    }
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    let Some(value) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    value
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// A file with its cache headers; 304 when the browser has it.
pub fn respond(
    req: &HttpRequest,
    content_type: &str,
    body: impl actix_web::body::MessageBody + 'static,
    hash: &str,
    cache: &str,
) -> HttpResponse {
    // Weak: the bytes on the wire differ with the compression chosen.
    let etag = format!("W/\"{hash}\"");
    let unchanged = not_modified(req, &etag);
    let mut resp = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::CACHE_CONTROL, cache.to_string()))
        .insert_header((header::ETAG, etag));
    if unchanged {
        return resp.finish();
    }
    resp.content_type(content_type.to_string()).body(body)
}

/// `GET /static/{file}`: a compiled-in file or the theme's stylesheet,
/// under its hashed or its plain name.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> HttpResponse {
    let (name, asked_hash) = parse(&file);
    if name == "theme.css" {
        let theme = state.live.get().theme.clone();
        // Another node may not have the newest theme yet: only the
        // current version is cached for good.
        let cache = if asked_hash == Some(theme.version.as_str()) {
            IMMUTABLE
        } else {
            SHORT
        };
        return respond(&req, CSS, theme.css.clone(), &theme.version, cache);
    }
    let Some(a) = asset(&name) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such file");
    };
    // A page from before a release asks for the old hash: it gets
    // today's file, but not for a year under that name.
    let cache = if asked_hash == Some(a.hash.as_str()) {
        IMMUTABLE
    } else {
        SHORT
    };
    respond(&req, a.content_type, a.body.to_string(), &a.hash, cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let css = asset("hearth.css").unwrap();
        assert_eq!(
            css.hash,
            content_hash(include_str!("../static/hearth.css").as_bytes())
        );
        assert_eq!(css.hash.len(), 12);
        assert_eq!(
            url("hearth.css"),
            format!("/static/hearth.{}.css", css.hash)
        );
        assert_eq!(
            url("ask.js"),
            format!("/static/ask.{}.js", asset("ask.js").unwrap().hash)
        );
        assert_eq!(url("nope.css"), "/static/nope.css");
        assert_ne!(asset("hearth.js").unwrap().hash, css.hash);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }

    #[test]
    fn requested_names_are_taken_apart() {
        assert_eq!(parse("hearth.css"), ("hearth.css".into(), None));
        assert_eq!(
            parse("hearth.0a1b2c.css"),
            ("hearth.css".into(), Some("0a1b2c"))
        );
        assert_eq!(
            parse("theme.ffee00112233.css"),
            ("theme.css".into(), Some("ffee00112233"))
        );
        // Not a hash: the name as it is (and so, not found).
        assert_eq!(parse("hearth.zz.css"), ("hearth.zz.css".into(), None));
        assert_eq!(parse("a.b.g.d"), ("a.b.g.d".into(), None));
        assert_eq!(parse("x"), ("x".into(), None));
        assert_eq!(parse(".css"), (".css".into(), None));
    }

    #[test]
    fn if_none_match_is_read_like_browsers_send_it() {
        let req = |v: &str| {
            actix_web::test::TestRequest::default()
                .insert_header((header::IF_NONE_MATCH, v))
                .to_http_request()
        };
        let etag = "W/\"abc\"";
        assert!(not_modified(&req("W/\"abc\""), etag));
        assert!(not_modified(&req("\"abc\""), etag));
        assert!(not_modified(&req("\"x\", W/\"abc\""), etag));
        assert!(not_modified(&req("*"), etag));
        assert!(!not_modified(&req("\"abd\""), etag));
        assert!(!not_modified(
            &actix_web::test::TestRequest::default().to_http_request(),
            etag
        ));
    }
}
