//! The site settings in force on this node: the configuration file's (and
//! environment's) values with the overrides an administrator set on
//! `/admin/settings` on top (`forum::settings`). The database stays the
//! source of truth; each node keeps the overrides it last read and, at most
//! every [`CHECK_EVERY`], reads their version (one row) and re-reads them
//! when it moved. So a change made through one node is in force on every
//! node within a few seconds, without a restart; the node that made it
//! applies it at once.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use forum::settings::Overrides;
use forum::Forum;
use serde_json::Value;

use crate::rate_limits::RateLimits;
use crate::{AppState, Config};

/// How often a node asks whether the settings changed.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// `registration.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationMode {
    Open,
    InviteOnly,
    SsoOnly,
}

impl RegistrationMode {
    fn parse(s: &str) -> RegistrationMode {
        match s {
            "invite_only" => RegistrationMode::InviteOnly,
            "sso_only" => RegistrationMode::SsoOnly,
            _ => RegistrationMode::Open,
        }
    }
}

/// The effective settings at one moment.
#[derive(Debug, Clone)]
pub struct Live {
    pub overrides: Overrides,
    pub site_name: String,
    /// The interface language for visitors who ask for none we have.
    pub default_language: crate::i18n::Lang,
    pub registration: RegistrationMode,
    pub mail_from: String,
    pub rate_limits: RateLimits,
    /// The brand theme (its stylesheet is built here, once per change).
    pub theme: Arc<crate::theme::Theme>,
}

impl Live {
    fn build(config: &Config, overrides: Overrides) -> Live {
        Live {
            site_name: overrides
                .str("site_name")
                .unwrap_or(&config.site_name)
                .to_string(),
            default_language: crate::i18n::Lang::parse(
                overrides
                    .str("default_language")
                    .unwrap_or(&config.default_language),
            )
            .unwrap_or(crate::i18n::Lang::En),
            registration: RegistrationMode::parse(
                overrides
                    .str("registration.mode")
                    .unwrap_or(&config.registration.mode),
            ),
            mail_from: overrides
                .str("mail.from")
                .unwrap_or(&config.mail.from)
                .to_string(),
            rate_limits: overrides.apply("rate_limits", &config.rate_limits),
            theme: Arc::new(crate::theme::Theme::new(
                overrides
                    .str("theme.brand_color")
                    .unwrap_or(&config.theme.brand_color),
                overrides
                    .str("theme.logo_url")
                    .unwrap_or(&config.theme.logo_url),
            )),
            overrides,
        }
    }

    /// Refuse password registration when the site does not take it now:
    /// invite-only sites, SSO-only sites, and sites without password
    /// sign-in.
    pub fn registration_refusal(&self, config: &Config) -> Option<crate::error::WebError> {
        match self.registration {
            RegistrationMode::InviteOnly => Some(crate::error::WebError::Forum(
                forum::ForumError::Forbidden(
                    "registration here is by invitation only: ask the community's staff for an account",
                ),
            )),
            RegistrationMode::SsoOnly => Some(crate::error::WebError::Forum(
                forum::ForumError::Forbidden(
                    "accounts here come from single sign-on: sign in with your organisation's account instead of registering",
                ),
            )),
            RegistrationMode::Open if !config.sso.password_login => {
                Some(crate::error::WebError::PasswordLoginDisabled)
            }
            RegistrationMode::Open => None,
        }
    }
}

/// The node's cache of the effective settings.
pub struct LiveSettings {
    config: Arc<Config>,
    current: RwLock<Arc<Live>>,
    /// When this node last asked the database (None: never).
    checked: Mutex<Option<Instant>>,
}

impl LiveSettings {
    /// The file's values alone, until the first read.
    pub fn new(config: Arc<Config>) -> LiveSettings {
        let live = Live::build(
            &config,
            Overrides {
                version: -1,
                ..Default::default()
            },
        );
        LiveSettings {
            config,
            current: RwLock::new(Arc::new(live)),
            checked: Mutex::new(None),
        }
    }

    /// The settings in force (no database access).
    pub fn get(&self) -> Arc<Live> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// True once per [`CHECK_EVERY`]: the caller should [`refresh`](Self::refresh).
    pub fn due(&self) -> bool {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        match *checked {
            Some(at) if at.elapsed() < CHECK_EVERY => false,
            _ => {
                *checked = Some(Instant::now());
                true
            }
        }
    }

    /// Read the version and, when it moved, the overrides (blocking).
    pub fn refresh(&self, forum: &Forum) -> forum::Result<()> {
        let version = forum.site_settings_version()?;
        if version != self.get().overrides.version {
            self.install(forum, forum.site_settings()?);
        }
        Ok(())
    }

    /// Put these overrides in force here, unless newer ones already are.
    pub fn install(&self, forum: &Forum, overrides: Overrides) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if overrides.version < current.overrides.version {
            return;
        }
        forum.apply_site_settings(&overrides);
        *current = Arc::new(Live::build(&self.config, overrides));
    }

    /// The configuration file's (or environment's) value of `key`.
    pub fn file_value(&self, key: &str) -> Value {
        let c = &self.config;
        match key {
            "site_name" => Value::String(c.site_name.clone()),
            "default_language" => Value::String(c.default_language.clone()),
            "registration.mode" => Value::String(c.registration.mode.clone()),
            "mail.from" => Value::String(c.mail.from.clone()),
            "theme.brand_color" => Value::String(c.theme.brand_color.clone()),
            "theme.logo_url" => Value::String(c.theme.logo_url.clone()),
            _ => {
                let (root, rest) = key.split_once('.').unwrap_or((key, ""));
                let mut json = match root {
                    "rate_limits" => serde_json::to_value(&c.rate_limits),
                    "moderation" => serde_json::to_value(&c.moderation),
                    _ => Ok(Value::Null),
                }
                .unwrap_or(Value::Null);
                for part in rest.split('.') {
                    json = json.get(part).cloned().unwrap_or(Value::Null);
                }
                json
            }
        }
    }
}

/// Wraps every request: at most every [`CHECK_EVERY`], see whether the
/// settings changed (before the rate limits and the handler read them). A
/// database that does not answer leaves the last settings in force.
pub async fn refresh(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(state) = req.app_data::<web::Data<AppState>>().cloned() {
        if state.live.due() {
            let live = state.live.clone();
            if let Err(e) = state.call(move |f| live.refresh(f)).await {
                tracing::warn!(error = %e, "site settings not refreshed");
            }
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rate_limit_rule_is_a_setting() {
        let json = serde_json::to_value(RateLimits::default()).unwrap();
        let mut fields: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut rules = forum::settings::RATE_LIMIT_RULES.to_vec();
        fields.sort_unstable();
        rules.sort_unstable();
        assert_eq!(fields, rules);
    }

    #[test]
    fn file_values_are_found_for_every_key() {
        let live = LiveSettings::new(Arc::new(Config::default()));
        for k in forum::settings::keys() {
            let v = live.file_value(k.key);
            assert!(!v.is_null(), "{}", k.key);
            forum::settings::validate(k.key, &v)
                .unwrap_or_else(|e| panic!("the default of {} is refused: {e}", k.key));
        }
    }
}
