//! The site settings page (`/admin/settings`) and API
//! (`/api/v1/admin/settings`): the settings that may change live
//! (`forum::settings`), each with its value in force and where it comes
//! from (the configuration file, or set here), set by administrators
//! (moderators may look), reset to the file's value. A change is in force
//! on this node at once and on every other node within seconds
//! (`live_settings`).

use std::collections::BTreeMap;

use actix_web::{web, Responder};
use askama::Template;
use forum::settings::{Group, Kind};
use forum::{Actor, ForumError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::ApiResult;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::Layout;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody};
use crate::pages::{render, with_status, PageError, PageResult};
use crate::session::{ApiCaller, PageCtx};
use crate::AppState;

pub fn api_routes(r: &mut ApiRoutes) {
    r.add(__path_get_settings, get_settings)
        .add(__path_put_settings, put_settings)
        .add(__path_delete_setting, delete_setting);
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/settings", web::get().to(page))
        .route("/admin/settings", web::post().to(page_set))
        .route("/admin/settings/reset", web::post().to(page_reset));
}

/// One setting as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteSetting {
    /// The setting's path in the configuration file, e.g. `site_name`,
    /// `rate_limits.search_per_address`, `moderation.flags.hide_threshold`.
    pub key: String,
    /// site, registration, mail, rate_limits or moderation.
    pub group: String,
    pub help: String,
    /// The value in force.
    pub value: Value,
    /// The configuration file's (or environment's) value.
    pub file_value: Value,
    /// Set here (over the file's value).
    pub overridden: bool,
    pub updated_at: Option<i64>,
    pub updated_by: Option<i64>,
}

/// Every setting that may change live.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteSettings {
    /// Moves on with every change.
    pub version: i64,
    pub settings: Vec<SiteSetting>,
}

fn view(state: &AppState, overrides: &forum::settings::Overrides) -> SiteSettings {
    let settings = forum::settings::keys()
        .map(|k| {
            let file_value = state.live.file_value(k.key);
            let o = overrides.values.get(k.key);
            SiteSetting {
                key: k.key.to_string(),
                group: k.group.as_str().to_string(),
                help: k.help.to_string(),
                value: o.map_or_else(|| file_value.clone(), |o| o.value.clone()),
                file_value,
                overridden: o.is_some(),
                updated_at: o.map(|o| o.updated_at),
                updated_by: o.and_then(|o| o.updated_by),
            }
        })
        .collect();
    SiteSettings {
        version: overrides.version,
        settings,
    }
}

fn moderator_or_admin(actor: Actor) -> Result<(), WebError> {
    if actor.role.can_moderate() {
        Ok(())
    } else {
        Err(WebError::Forum(ForumError::Forbidden("staff only")))
    }
}

/// Read the overrides afresh and put them in force here.
async fn current(state: &AppState) -> Result<forum::settings::Overrides, WebError> {
    let live = state.live.clone();
    state
        .call(move |f| {
            let o = f.site_settings()?;
            live.install(f, o.clone());
            Ok(o)
        })
        .await
}

async fn change(
    state: &AppState,
    actor: Actor,
    changes: BTreeMap<String, Value>,
) -> Result<forum::settings::Overrides, WebError> {
    let live = state.live.clone();
    state
        .call(move |f| {
            let o = f.set_site_settings(Some(actor), &changes)?;
            live.install(f, o.clone());
            Ok(o)
        })
        .await
}

async fn reset(
    state: &AppState,
    actor: Actor,
    key: String,
) -> Result<forum::settings::Overrides, WebError> {
    let live = state.live.clone();
    state
        .call(move |f| {
            let o = f.clear_site_setting(Some(actor), &key)?;
            live.install(f, o.clone());
            Ok(o)
        })
        .await
}

#[utoipa::path(
    get,
    path = "/admin/settings",
    summary = "The site settings that may change live: the value in force, the file's value, and whether it is set here (moderators and admins)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Every setting", body = SiteSettings))
)]
async fn get_settings(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<SiteSettings>> {
    moderator_or_admin(caller.require()?.actor())?;
    let o = current(&state).await?;
    Ok(web::Json(view(&state, &o)))
}

#[utoipa::path(
    put,
    path = "/admin/settings",
    summary = "Set site settings over the file's values (admins): an object of key to value, all validated before any is stored. Audited; in force on every node within seconds",
    request_body(content = BTreeMap<String, Value>, description = "Key to value, e.g. {\"site_name\": \"Acme\", \"rate_limits.search_per_address\": {\"limit\": 60, \"period_secs\": 60}}"),
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Every setting now", body = SiteSettings))
)]
async fn put_settings(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<BTreeMap<String, Value>>,
) -> ApiResult<web::Json<SiteSettings>> {
    let actor = caller.require()?.actor();
    let o = change(&state, actor, body.into_inner()).await?;
    Ok(web::Json(view(&state, &o)))
}

#[utoipa::path(
    delete,
    path = "/admin/settings/{key}",
    summary = "Go back to the configuration file's value of a setting (admins). Audited",
    params(("key" = String, Path, description = "The setting, e.g. site_name")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Every setting now", body = SiteSettings))
)]
async fn delete_setting(
    state: web::Data<AppState>,
    caller: ApiCaller,
    key: web::Path<String>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let o = reset(&state, actor, key.into_inner()).await?;
    Ok(web::Json(view(&state, &o)))
}

/// One field of the page.
struct Field {
    key: String,
    /// What the setting does, in the page's language.
    help: String,
    /// text, email, number, choice or rate.
    input: &'static str,
    /// A choice's (value, label) pairs.
    choices: Vec<(&'static str, String)>,
    /// The value in force as the form shows it (rate limits: limit, period).
    shown: String,
    limit: String,
    period: String,
    /// The file's value as people read it.
    file_shown: String,
    overridden: bool,
}

struct GroupView {
    id: &'static str,
    title: String,
    /// The group's save button ("Save site settings").
    save: String,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    layout: Layout,
    groups: Vec<GroupView>,
    is_admin: bool,
    error: String,
}

/// The catalogue's description of a setting: `setting-` and the key with
/// dashes for dots (`setting-moderation-flags-hide_threshold`), since a
/// dot in a message id would name an attribute.
fn help_id(key: &str) -> String {
    format!("setting-{}", key.replace('.', "-"))
}

/// The catalogue's name of a group (`setting-group-rate_limits`); its
/// `.save` attribute is the group's save button.
fn group_id(group: Group) -> String {
    format!("setting-group-{}", group.as_str())
}

/// The words for one value of a choice setting; None for a word this page
/// has no label for (tests hold that there is none).
fn choice_label(layout: &Layout, key: &forum::settings::Key, value: &str) -> Option<String> {
    if matches!(key.kind, Kind::Bool) {
        return match value {
            "true" => Some(layout.t("admin-settings-yes")),
            "false" => Some(layout.t("admin-settings-no")),
            _ => None,
        };
    }
    match (key.key, value) {
        ("default_language", code) => Lang::parse(code)
            .filter(|l| l.code() == code)
            .map(|l| l.native_name().to_string()),
        ("registration.mode", "open") => Some(layout.t("admin-settings-registration-open")),
        ("registration.mode", "invite_only") => {
            Some(layout.t("admin-settings-registration-invite_only"))
        }
        ("registration.mode", "sso_only") => Some(layout.t("admin-settings-registration-sso_only")),
        ("moderation.flags.min_trust", level) => {
            use forum::review::TrustLevel;
            let level = match level {
                "new" => TrustLevel::New,
                "member" => TrustLevel::Member,
                "leader" => TrustLevel::Leader,
                "staff" => TrustLevel::Staff,
                _ => return None,
            };
            Some(crate::moderation_pages::trust_label(layout, &level))
        }
        _ => None,
    }
}

/// A value as people read it: a choice's words, "10 per 60 s", "(empty)".
fn shown(layout: &Layout, key: &forum::settings::Key, v: &Value) -> String {
    let number = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or_default();
    match v {
        Value::Object(o) => layout.t2(
            "admin-settings-rate",
            "limit",
            number(o.get("limit")),
            "seconds",
            number(o.get("period_secs")),
        ),
        Value::Bool(b) => {
            choice_label(layout, key, if *b { "true" } else { "false" }).unwrap_or_default()
        }
        Value::String(s) if s.is_empty() => layout.t("admin-settings-empty"),
        Value::String(s) => choice_label(layout, key, s).unwrap_or_else(|| s.clone()),
        Value::Number(n) => n.as_i64().map_or_else(|| n.to_string(), |n| layout.num(n)),
        other => other.to_string(),
    }
}

fn page_view(ctx: &PageCtx, view: &SiteSettings, is_admin: bool, error: String) -> SettingsPage {
    let layout = ctx.layout();
    let groups = Group::ALL
        .iter()
        .map(|&g| GroupView {
            id: g.as_str(),
            title: layout.t(&group_id(g)),
            save: layout.t(&format!("{}.save", group_id(g))),
            fields: view
                .settings
                .iter()
                .filter(|s| s.group == g.as_str())
                .filter_map(|s| {
                    let k = forum::settings::find(&s.key)?;
                    let words: &[&'static str] = match k.kind {
                        Kind::Bool => &["true", "false"],
                        Kind::Choice(words) => words,
                        _ => &[],
                    };
                    let input = match k.kind {
                        Kind::Text { .. } => "text",
                        Kind::Mailbox => "email",
                        Kind::Int { .. } => "number",
                        Kind::Bool | Kind::Choice(_) => "choice",
                        Kind::RateLimit => "rate",
                    };
                    Some(Field {
                        key: k.key.to_string(),
                        help: layout.t(&help_id(k.key)),
                        input,
                        choices: words
                            .iter()
                            .map(|w| {
                                (
                                    *w,
                                    choice_label(&layout, k, w).unwrap_or_else(|| w.to_string()),
                                )
                            })
                            .collect(),
                        shown: match &s.value {
                            Value::String(v) => v.clone(),
                            other => other.to_string(),
                        },
                        limit: s
                            .value
                            .get("limit")
                            .map(Value::to_string)
                            .unwrap_or_default(),
                        period: s
                            .value
                            .get("period_secs")
                            .map(Value::to_string)
                            .unwrap_or_default(),
                        file_shown: shown(&layout, k, &s.file_value),
                        overridden: s.overridden,
                    })
                })
                .collect(),
        })
        .collect();
    SettingsPage {
        layout,
        groups,
        is_admin,
        error,
    }
}

async fn page(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = ctx.require_actor()?;
    moderator_or_admin(actor)?;
    let o = current(&state).await?;
    let v = view(&state, &o);
    render(
        &ctx,
        &page_view(&ctx, &v, actor.role == forum::Role::Admin, String::new()),
    )
}

/// The form's value of `key` as JSON (None: not on this form).
fn form_value(
    k: &forum::settings::Key,
    form: &BTreeMap<String, String>,
) -> Result<Option<Value>, ForumError> {
    let number = |name: String| -> Result<Option<Value>, ForumError> {
        match form.get(&name) {
            None => Ok(None),
            Some(raw) => raw
                .trim()
                .parse::<i64>()
                .map(|n| Some(Value::from(n)))
                .map_err(|_| {
                    ForumError::invalid(
                        k.key,
                        forum::Rule::WholeNumber,
                        format!("{name}: must be a whole number"),
                    )
                }),
        }
    };
    Ok(match k.kind {
        Kind::RateLimit => {
            let limit = number(format!("{}.limit", k.key))?;
            let period = number(format!("{}.period_secs", k.key))?;
            match (limit, period) {
                (Some(l), Some(p)) => Some(serde_json::json!({"limit": l, "period_secs": p})),
                _ => None,
            }
        }
        Kind::Int { .. } => number(k.key.to_string())?,
        Kind::Bool => match form.get(k.key).map(String::as_str) {
            None => None,
            Some("true") => Some(Value::Bool(true)),
            Some("false") => Some(Value::Bool(false)),
            Some(_) => {
                return Err(ForumError::invalid(
                    k.key,
                    forum::Rule::TrueOrFalse,
                    format!("{}: must be true or false", k.key),
                ))
            }
        },
        _ => form.get(k.key).map(|s| Value::String(s.clone())),
    })
}

async fn page_set(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let form: BTreeMap<String, String> = form.into_inner().into_iter().collect();
    ctx.verify_csrf(form.get("csrf").map_or("", String::as_str))?;
    let actor = ctx.require_actor()?;
    moderator_or_admin(actor)?;
    let before = current(&state).await?;
    let in_force = view(&state, &before);
    // Only what the form changes is set: an untouched field keeps coming
    // from where it came from.
    let mut changes = BTreeMap::new();
    let mut failed = None;
    for k in forum::settings::keys() {
        match form_value(k, &form) {
            Ok(None) => {}
            Ok(Some(v)) => {
                let normalized = forum::settings::validate(k.key, &v).map(|(_, v)| v);
                let same = in_force
                    .settings
                    .iter()
                    .any(|s| s.key == k.key && normalized.as_ref().is_ok_and(|n| *n == s.value));
                if !same {
                    changes.insert(k.key.to_string(), v);
                }
            }
            Err(e) => failed = Some(e),
        }
    }
    let result = match failed {
        Some(e) => Err(WebError::Forum(e)),
        None if changes.is_empty() => return Ok(ctx.redirect("/admin/settings")),
        None => change(&state, actor, changes).await,
    };
    match result {
        Ok(_) => Ok(ctx.redirect("/admin/settings")),
        Err(WebError::Forum(e @ ForumError::Validation { .. })) => {
            // English pages keep the rule's own words; the others name
            // the setting (`WebError::localized_message`).
            let message = WebError::Forum(e).localized_message(ctx.lang);
            let page = page_view(&ctx, &in_force, actor.role == forum::Role::Admin, message);
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
struct ResetForm {
    csrf: String,
    key: String,
}

async fn page_reset(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ResetForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    moderator_or_admin(actor)?;
    reset(&state, actor, form.into_inner().key).await?;
    Ok(ctx.redirect("/admin/settings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every live setting has its description in every language, every
    /// group its name and save button, and every value of a choice its
    /// words: a setting added to `forum::settings` without them fails here.
    #[test]
    fn every_setting_group_and_choice_is_in_the_catalogue() {
        for lang in Lang::ALL {
            let defined = crate::i18n::keys(lang);
            let mut missing = Vec::new();
            for k in forum::settings::keys() {
                if !defined.contains(&help_id(k.key)) {
                    missing.push(help_id(k.key));
                }
                let layout = Layout::visitor("Hearth", lang);
                let words: &[&str] = match k.kind {
                    Kind::Bool => &["true", "false"],
                    Kind::Choice(words) => words,
                    _ => &[],
                };
                for w in words {
                    if choice_label(&layout, k, w).is_none() {
                        missing.push(format!("{} = {w}", k.key));
                    }
                }
            }
            for g in Group::ALL {
                for id in [group_id(g), format!("{}.save", group_id(g))] {
                    if !defined.contains(&id) {
                        missing.push(id);
                    }
                }
            }
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }

    #[test]
    fn values_read_as_words() {
        let layout = Layout::visitor("Hearth", Lang::En);
        let find = |k| forum::settings::find(k).expect("a live setting");
        assert_eq!(
            shown(
                &layout,
                find("rate_limits.search_per_address"),
                &serde_json::json!({"limit": 10, "period_secs": 60})
            ),
            "10 per 60 s"
        );
        assert_eq!(
            shown(
                &layout,
                find("registration.mode"),
                &Value::from("invite_only")
            ),
            "invitation only"
        );
        assert_eq!(
            shown(
                &layout,
                find("moderation.spam.enabled"),
                &Value::Bool(false)
            ),
            "no"
        );
        let fa = Layout::visitor("Hearth", Lang::Fa);
        assert_eq!(
            shown(&fa, find("default_language"), &Value::from("uk")),
            "Українська"
        );
        assert_eq!(
            shown(
                &fa,
                find("moderation.flags.hide_threshold"),
                &Value::from(1205)
            ),
            "۱٬۲۰۵"
        );
    }
}
