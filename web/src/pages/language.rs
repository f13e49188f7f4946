//! The language picker (every page's footer): a visitor's choice is kept in
//! a cookie; a member's becomes their setting, which mails follow too.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::web;
use serde::Deserialize;

use super::{PageError, PageResult};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::session::{safe_next, PageCtx, LANG_COOKIE};
use crate::AppState;

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    #[serde(default)]
    csrf: String,
    language: String,
    next: Option<String>,
}

pub(super) async fn choose(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<LanguageForm>,
) -> PageResult {
    // Pages every visitor shares (the page cache) carry no per-visitor
    // token, so a visitor's picker sends none: accepted from this site
    // only (the browser's own cross-site signals), and it only sets their
    // cookie. A token that is sent is checked; a member's choice changes
    // their account and always needs one.
    let visitor_without_token = ctx.user.is_none() && form.csrf.is_empty() && !cross_site(&req);
    if !visitor_without_token {
        ctx.verify_csrf(&form.csrf)?;
    }
    let Some(lang) = Lang::parse(&form.language) else {
        return Err(PageError(WebError::Forum(forum::ForumError::invalid(
            "language",
            forum::Rule::OneOf {
                choices: "en, ru, uk, fa".into(),
            },
            "choose one of: en, ru, uk, fa",
        ))));
    };
    if let Some(user) = &ctx.user {
        let id = user.id;
        state.call(move |f| f.set_language(id, lang.code())).await?;
    }
    let mut resp = ctx.redirect(&safe_next(form.next.as_deref()));
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish();
    let _ = resp.add_cookie(&cookie);
    Ok(resp)
}

/// The browser says this form was posted from another site: its
/// `Sec-Fetch-Site`, or an `Origin` naming another host than this one.
fn cross_site(req: &actix_web::HttpRequest) -> bool {
    let headers = req.headers();
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if fetch_site == "cross-site" || fetch_site == "same-site" {
        return true;
    }
    let Some(origin) = headers.get(actix_web::http::header::ORIGIN) else {
        return false;
    };
    let host = req.connection_info().host().to_string();
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, h)| h);
    origin_host != Some(host.as_str())
}

#[cfg(test)]
mod tests {
    use super::cross_site;
    use actix_web::test::TestRequest;

    #[test]
    fn posts_from_other_sites_are_told_apart() {
        let req = |h: &[(&str, &str)]| {
            let mut r = TestRequest::post().insert_header(("Host", "forum.example"));
            for (k, v) in h {
                r = r.insert_header((*k, *v));
            }
            r.to_http_request()
        };
        assert!(!cross_site(&req(&[])), "an old browser says nothing");
        assert!(!cross_site(&req(&[("Origin", "https://forum.example")])));
        assert!(!cross_site(&req(&[("Sec-Fetch-Site", "same-origin")])));
        assert!(cross_site(&req(&[("Origin", "https://evil.example")])));
        assert!(cross_site(&req(&[("Origin", "null")])));
        assert!(cross_site(&req(&[("Sec-Fetch-Site", "cross-site")])));
    }
}
