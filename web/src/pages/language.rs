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
    form: web::Form<LanguageForm>,
) -> PageResult {
    // A visitor's choice only sets their own cookie, so a forged one does
    // no harm; pages shared by all visitors (the page cache) carry no
    // per-visitor token. A member's choice changes their account: checked.
    if ctx.user.is_some() {
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
