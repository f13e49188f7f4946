//! The member's own settings: display name, bio, language, time zone,
//! email address, password.

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
    /// The zone shown selected: stored, or as typed in a refused form.
    time_zone: String,
    /// Every zone offered, with its offset now: (name, "UTC+02:00").
    zones: Vec<(String, String)>,
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

/// The zones a member picks from, each with its offset at `now_ms`, and
/// `current` among them even if the list would not offer it (an old alias
/// such as `US/Eastern` set through the API).
fn zone_choices(current: &str, now_ms: i64) -> Vec<(String, String)> {
    let mut names = forum::time_zone::offered();
    if !current.is_empty() && !names.iter().any(|n| n == current) {
        names.insert(0, current.to_string());
    }
    names
        .into_iter()
        .map(|name| {
            let tz = forum::time_zone::zone(Some(&name));
            let offset = crate::timefmt::offset_label(now_ms, &tz);
            (name, offset)
        })
        .collect()
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
    let layout = ctx.layout();
    let time_zone = user.time_zone.clone().unwrap_or_default();
    render(
        &ctx,
        &ProfileSettings {
            zones: zone_choices(&time_zone, layout.now_ms),
            time_zone,
            layout,
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
    /// Absent (an older form): left as it is; blank: none (UTC).
    time_zone: Option<String>,
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
    let zone = form.time_zone.clone();
    let result = state
        .call(move |f| {
            // The zone first: a refused zone changes nothing else either.
            if let Some(zone) = &zone {
                forum::time_zone::parse(zone)?;
            }
            f.update_profile(actor, &name, &bio)?;
            if !language.is_empty() {
                f.set_language(actor.user_id, &language)?;
            }
            if let Some(zone) = &zone {
                f.set_time_zone(actor.user_id, zone)?;
            }
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/settings/profile?saved=1")),
        Err(WebError::Forum(e @ forum::ForumError::Validation { .. })) => {
            let typed = Typed {
                display_name: form.display_name,
                bio: form.bio,
                time_zone: form.time_zone,
            };
            refused(&state, &ctx, user, e, Some(typed)).await
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

/// The profile form as the member sent it.
struct Typed {
    display_name: String,
    bio: String,
    time_zone: Option<String>,
}

/// The settings page again after a refusal: the reason, and the profile
/// fields as typed or as stored.
async fn refused(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    user: forum::User,
    e: forum::ForumError,
    typed: Option<Typed>,
) -> PageResult {
    let id = user.id;
    let (bio, has_avatar) = state
        .call(move |f| Ok((f.bio(id)?, f.avatar(id)?.is_some())))
        .await?;
    let stored_zone = user.time_zone.clone().unwrap_or_default();
    let (display_name, bio, time_zone) = match typed {
        Some(t) => (t.display_name, t.bio, t.time_zone.unwrap_or(stored_zone)),
        None => (user.display_name.clone(), bio, stored_zone),
    };
    let layout = ctx.layout();
    let page = ProfileSettings {
        zones: zone_choices(&time_zone, layout.now_ms),
        time_zone,
        layout,
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
