//! The member's own settings: display name, bio, language, password.

use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{login_redirect, render, with_status, PageResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::{PageCtx, SESSION_COOKIE};
use crate::AppState;

#[derive(Template)]
#[template(path = "settings_profile.html")]
struct ProfileSettings {
    layout: Layout,
    user: forum::User,
    display_name: String,
    bio: String,
    saved: bool,
    password_changed: bool,
    /// A link went to the new address.
    email_sent: bool,
    error: String,
    /// The member uploaded a picture (else their initials are drawn).
    has_avatar: bool,
}

impl ProfileSettings {
    fn is_language(&self, code: &str) -> bool {
        self.user.language == code
    }
}

#[derive(Deserialize)]
pub(super) struct SettingsQuery {
    saved: Option<String>,
    password: Option<String>,
    email: Option<String>,
}

/// `GET /settings/profile`.
pub(super) async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<SettingsQuery>,
) -> PageResult {
    let Some(user) = ctx.user.clone() else {
        return Ok(login_redirect(&ctx));
    };
    let id = user.id;
    let (bio, has_avatar) = state
        .call(move |f| Ok((f.bio(id)?, f.avatar(id)?.is_some())))
        .await?;
    render(
        &ctx,
        &ProfileSettings {
            layout: ctx.layout(),
            display_name: user.display_name.clone(),
            user,
            bio,
            saved: q.saved.is_some(),
            password_changed: q.password.is_some(),
            email_sent: q.email.is_some(),
            error: String::new(),
            has_avatar,
        },
    )
}

#[derive(Deserialize)]
pub(super) struct ProfileForm {
    csrf: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    language: String,
}

/// `POST /settings/profile`: a refusal gives the form back as typed.
pub(super) async fn save(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ProfileForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(user) = ctx.user.clone() else {
        return Ok(login_redirect(&ctx));
    };
    let actor = user.actor();
    let form = form.into_inner();
    let (name, bio, language) = (form.display_name.clone(), form.bio.clone(), form.language);
    let result = state
        .call(move |f| {
            f.update_profile(actor, &name, &bio)?;
            if !language.is_empty() {
                f.set_language(actor.user_id, &language)?;
            }
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/settings/profile?saved=1")),
        Err(WebError::Forum(e @ forum::ForumError::Validation { .. })) => {
            let typed = Some((form.display_name, form.bio));
            refused(&state, &ctx, user, e, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

/// `POST /settings/password`: the current password proves it is them; the
/// member's other sessions and API tokens end, this one stays.
pub(super) async fn change_password(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<PasswordForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(user) = ctx.user.clone() else {
        return Ok(login_redirect(&ctx));
    };
    let actor = user.actor();
    let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let form = form.into_inner();
    let result = state
        .call(move |f| {
            f.change_password(
                actor,
                &form.current_password,
                &form.new_password,
                session.as_deref(),
            )
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/settings/profile?password=1")),
        Err(WebError::Forum(e @ forum::ForumError::Validation { .. })) => {
            refused(&state, &ctx, user, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct EmailForm {
    csrf: String,
    new_email: String,
    #[serde(default)]
    current_password: String,
}

/// `POST /settings/email`: a confirmation link goes to the new address; the
/// account's address changes when the member opens it.
pub(super) async fn change_email(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<EmailForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(user) = ctx.user.clone() else {
        return Ok(login_redirect(&ctx));
    };
    let actor = user.actor();
    let form = form.into_inner();
    let result = state
        .call(move |f| f.request_email_change(actor, &form.current_password, &form.new_email))
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/settings/profile?email=1")),
        Err(WebError::Forum(
            e @ (forum::ForumError::Validation { .. } | forum::ForumError::Taken { .. }),
        )) => refused(&state, &ctx, user, e, None).await,
        Err(e) => Err(e.into()),
    }
}

/// The settings page again after a refusal: the reason, and the profile
/// fields as typed (`typed`: display name and bio) or as stored.
async fn refused(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    user: forum::User,
    e: forum::ForumError,
    typed: Option<(String, String)>,
) -> PageResult {
    let id = user.id;
    let (bio, has_avatar) = state
        .call(move |f| Ok((f.bio(id)?, f.avatar(id)?.is_some())))
        .await?;
    let (display_name, bio) = typed.unwrap_or_else(|| (user.display_name.clone(), bio));
    let page = ProfileSettings {
        layout: ctx.layout(),
        error: WebError::Forum(e).localized_message(ctx.lang),
        user,
        display_name,
        bio,
        saved: false,
        password_changed: false,
        email_sent: false,
        has_avatar,
    };
    Ok(with_status(render(ctx, &page)?, 422))
}
