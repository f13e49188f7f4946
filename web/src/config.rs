//! Configuration: defaults, then a TOML file, then `HEARTH_*` environment
//! variables, then command-line flags (applied by main).

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database and (later) the search index live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://DATA_DIR/hearth.db`.
    pub database_url: String,
    pub bind: String,
    pub pool_size: u32,
    pub workers: usize,
    /// Mark cookies `Secure`; turn on whenever Hearth is served over HTTPS.
    pub cookie_secure: bool,
    /// Largest accepted request body, in bytes (larger gets 413).
    /// The largest request body read (HEARTH_MAX_BODY_BYTES); larger ones
    /// get 413 before any handler runs.
    pub max_body_bytes: usize,
    /// `text` or `json` log lines.
    pub log_format: String,
    pub site_name: String,
    /// The interface language (`en`, `ru`, `uk`, `fa`) for visitors whose
    /// browser asks for none of them; members choose their own. Also a
    /// live site setting.
    pub default_language: String,
    /// Points, ranks and badges (`[reputation]`, with `[[reputation.badges]]`).
    pub reputation: forum::reputation::ReputationConfig,
    /// Knowledge-base promotion and review rules (`[kb]`).
    pub kb: forum::kb::KbConfig,
    /// CRM rules, SLA, delivery tuning and the external connector (`[crm]`).
    pub crm: crm_bridge::CrmConfig,
    /// How mail is sent (`[mail]`).
    pub mail: crate::mail::MailConfig,
    /// Failed sign-ins before an account or address is locked (`[login]`).
    pub login: LoginThrottle,
    /// The community's public address, for links in mails.
    pub public_url: String,
    /// Signs unsubscribe links. Empty: a random key kept in
    /// `DATA_DIR/secret.key`. Set `HEARTH_SECRET_KEY` on every node of a
    /// cluster.
    pub secret_key: crm_bridge::Secret,
    /// Single sign-on: password sign-in on/off and OpenID Connect providers (`[sso]`).
    pub sso: crate::sso::SsoConfig,
    /// A background worker whose pass runs, or which keeps failing, this
    /// long makes `/healthz` unhealthy so the process gets restarted.
    pub worker_stuck_after_secs: u64,
    /// Password hashes computed at once (each takes 19 MiB); 0 means one
    /// per CPU. Sign-ins and registrations beyond it wait briefly, then
    /// get 503 with Retry-After.
    pub max_concurrent_password_hashes: usize,
    /// Outbox events every consumer has handled are deleted once they are
    /// this many days old; 0 keeps them forever.
    pub outbox_retention_days: u64,
    /// Requests per client address and per account (`[rate_limits]`),
    /// counted in the database so every node agrees.
    pub rate_limits: crate::rate_limits::RateLimits,
    /// Who may register with a password (`[registration]`).
    pub registration: Registration,
    /// Trust levels, new-member limits and members' reports
    /// (`[moderation]`, `[moderation.trust]`, `[moderation.new_members]`,
    /// `[moderation.flags]`).
    pub moderation: forum::review::ModerationConfig,
    /// An optional remote spam checker in Akismet's API shape
    /// (`[spam_checker]`, off by default).
    pub spam_checker: crate::spam_check::SpamCheckerConfig,
    /// How requests reach us (`[server]`).
    pub server: Server,
    /// The brand colour and logo (`[theme]`); also live site settings
    /// (`theme.brand_color`, `theme.logo_url`).
    pub theme: crate::theme::ThemeConfig,
    /// Files and avatars members upload: limits, and where the bytes are
    /// kept (`[uploads]`, `[uploads.store]`, `[uploads.store.s3]`; by
    /// default `DATA_DIR/uploads`).
    pub uploads: forum::uploads::UploadConfig,
    /// What an assisted contact costs, for the analytics page's value
    /// figure (`[analytics]`: `cost_per_contact_cents`, `currency`).
    pub analytics: forum::analytics::AnalyticsConfig,
    /// Whole pages kept in memory for visitors who are not signed in
    /// (`[page_cache]`: `enabled`, `max_bytes`, `max_age_secs`).
    pub page_cache: crate::page_cache::PageCacheConfig,
}

/// `[server]`: the reverse proxies whose forwarding headers are believed
/// (addresses or networks, e.g. `["10.0.0.0/8", "::1"]`; default none:
/// the client address is the TCP peer). See `client_addr`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    pub trusted_proxies: Vec<crate::client_addr::Cidr>,
}

/// `[registration]`: email domains (and their subdomains) refused at
/// registration, e.g. disposable-mail providers, and whether members who
/// register with a password confirm their address before posting.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Registration {
    /// Who may create an account with a password: `open` (anyone),
    /// `invite_only` (nobody registers themselves; staff create accounts),
    /// `sso_only` (accounts come from single sign-on). Also a live site
    /// setting (`registration.mode`).
    pub mode: String,
    pub refused_email_domains: Vec<String>,
    /// A mailed single-use link confirms the address; until then the
    /// member reads but does not post, reply, vote or accept. Accounts
    /// from single sign-on count as confirmed. Turn off on SSO-only sites
    /// or where mail is not set up.
    pub require_email_confirmation: bool,
}

impl Default for Registration {
    fn default() -> Self {
        Registration {
            mode: "open".into(),
            refused_email_domains: Vec::new(),
            require_email_confirmation: true,
        }
    }
}

/// The `site_name` when none is configured.
pub const DEFAULT_SITE_NAME: &str = "Hearth Community";

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            bind: "127.0.0.1:8080".into(),
            pool_size: 8,
            workers: 0,
            cookie_secure: false,
            // A post at the domain's limit (50,000 characters in any script,
            // up to 4 bytes each, tripled by URL encoding) must reach the
            // handler, which gives the form back with the text when it is
            // too long; 640 KiB holds it, and is still small.
            max_body_bytes: 640 * 1024,
            log_format: "text".into(),
            site_name: DEFAULT_SITE_NAME.into(),
            default_language: "en".into(),
            reputation: Default::default(),
            kb: Default::default(),
            crm: Default::default(),
            sso: Default::default(),
            mail: Default::default(),
            login: Default::default(),
            public_url: "http://127.0.0.1:8080".into(),
            secret_key: crm_bridge::Secret::default(),
            worker_stuck_after_secs: 300,
            max_concurrent_password_hashes: 0,
            outbox_retention_days: 7,
            rate_limits: Default::default(),
            registration: Default::default(),
            moderation: Default::default(),
            spam_checker: Default::default(),
            server: Default::default(),
            theme: Default::default(),
            uploads: Default::default(),
            analytics: Default::default(),
            page_cache: Default::default(),
        }
    }
}

/// Sign-in throttling, counted in the database so every node agrees.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LoginThrottle {
    pub max_failures_per_account: i32,
    pub max_failures_per_address: i32,
    pub window_secs: i64,
    pub lock_secs: i64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            window_secs: 900,
            lock_secs: 900,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is invalid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name} is invalid: {message}")]
    Env { name: String, message: String },
}

impl Config {
    /// Load `file` (if given, or `hearth.toml` in the working directory if it
    /// exists), then apply `HEARTH_*` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let default_file = Path::new("hearth.toml");
        let path = match file {
            Some(p) => Some(p.to_path_buf()),
            None if default_file.exists() => Some(default_file.to_path_buf()),
            None => None,
        };
        let mut config = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.clone(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: p.clone(),
                    message: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        config.apply_env(env)?;
        config.crm.validate().map_err(|message| ConfigError::Env {
            name: "[crm]".into(),
            message,
        })?;
        config.sso.validate().map_err(|message| ConfigError::Env {
            name: "[sso]".into(),
            message,
        })?;
        forum::settings::validate(
            "registration.mode",
            &serde_json::Value::String(config.registration.mode.clone()),
        )
        .map_err(|e| ConfigError::Env {
            name: "[registration] mode".into(),
            message: e.to_string(),
        })?;
        for (key, value) in [
            ("theme.brand_color", &config.theme.brand_color),
            ("theme.logo_url", &config.theme.logo_url),
        ] {
            forum::settings::validate(key, &serde_json::Value::String(value.clone())).map_err(
                |e| ConfigError::Env {
                    name: format!("[theme] {}", key.trim_start_matches("theme.")),
                    message: e.to_string(),
                },
            )?;
        }
        forum::validate::language(&config.default_language).map_err(|e| ConfigError::Env {
            name: "default_language".into(),
            message: e.to_string(),
        })?;
        Ok(config)
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e: T::Err| ConfigError::Env {
                name: name.into(),
                message: e.to_string(),
            })
        }
        if let Some(v) = env("HEARTH_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = env("HEARTH_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = env("HEARTH_BIND") {
            self.bind = v;
        }
        if let Some(v) = env("HEARTH_POOL_SIZE") {
            self.pool_size = parse("HEARTH_POOL_SIZE", &v)?;
        }
        if let Some(v) = env("HEARTH_WORKERS") {
            self.workers = parse("HEARTH_WORKERS", &v)?;
        }
        if let Some(v) = env("HEARTH_COOKIE_SECURE") {
            self.cookie_secure = parse("HEARTH_COOKIE_SECURE", &v)?;
        }
        if let Some(v) = env("HEARTH_MAX_BODY_BYTES") {
            self.max_body_bytes = parse("HEARTH_MAX_BODY_BYTES", &v)?;
        }
        if let Some(v) = env("HEARTH_UPLOADS_MAX_BYTES") {
            self.uploads.max_bytes = parse("HEARTH_UPLOADS_MAX_BYTES", &v)?;
        }
        if let Some(v) = env("HEARTH_UPLOADS_STORE") {
            self.uploads.store.kind = v;
        }
        let s3 = &mut self.uploads.store.s3;
        for (name, field) in [
            ("HEARTH_UPLOADS_S3_ENDPOINT", &mut s3.endpoint),
            ("HEARTH_UPLOADS_S3_BUCKET", &mut s3.bucket),
            ("HEARTH_UPLOADS_S3_REGION", &mut s3.region),
            ("HEARTH_UPLOADS_S3_ACCESS_KEY", &mut s3.access_key),
            ("HEARTH_UPLOADS_S3_PREFIX", &mut s3.prefix),
        ] {
            if let Some(v) = env(name) {
                *field = v;
            }
        }
        if let Some(v) = env("HEARTH_UPLOADS_S3_SECRET_KEY") {
            s3.secret_key = forum::secret::Secret::new(v);
        }
        if let Some(v) = env("HEARTH_LOG_FORMAT") {
            self.log_format = v;
        }
        if let Some(v) = env("HEARTH_SITE_NAME") {
            self.site_name = v;
        }
        if let Some(v) = env("HEARTH_DEFAULT_LANGUAGE") {
            self.default_language = v;
        }
        if let Some(v) = env("HEARTH_PAGE_CACHE_ENABLED") {
            self.page_cache.enabled = parse("HEARTH_PAGE_CACHE_ENABLED", &v)?;
        }
        if let Some(v) = env("HEARTH_PAGE_CACHE_MAX_BYTES") {
            self.page_cache.max_bytes = parse("HEARTH_PAGE_CACHE_MAX_BYTES", &v)?;
        }
        if let Some(v) = env("HEARTH_PAGE_CACHE_MAX_AGE_SECS") {
            self.page_cache.max_age_secs = parse("HEARTH_PAGE_CACHE_MAX_AGE_SECS", &v)?;
        }
        if let Some(v) = env("HEARTH_WORKER_STUCK_AFTER_SECS") {
            self.worker_stuck_after_secs = parse("HEARTH_WORKER_STUCK_AFTER_SECS", &v)?;
        }
        if let Some(v) = env("HEARTH_OUTBOX_RETENTION_DAYS") {
            self.outbox_retention_days = parse("HEARTH_OUTBOX_RETENTION_DAYS", &v)?;
        }
        if let Some(v) = env("HEARTH_MAX_CONCURRENT_PASSWORD_HASHES") {
            self.max_concurrent_password_hashes =
                parse("HEARTH_MAX_CONCURRENT_PASSWORD_HASHES", &v)?;
        }
        if let Some(v) = env("HEARTH_TRUSTED_PROXIES") {
            self.server.trusted_proxies = v
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(str::parse)
                .collect::<Result<_, String>>()
                .map_err(|message| ConfigError::Env {
                    name: "HEARTH_TRUSTED_PROXIES".into(),
                    message,
                })?;
        }
        if let Some(v) = env("HEARTH_REQUIRE_EMAIL_CONFIRMATION") {
            self.registration.require_email_confirmation =
                parse("HEARTH_REQUIRE_EMAIL_CONFIRMATION", &v)?;
        }
        if let Some(v) = env("HEARTH_KB_AUTO_PROMOTE_MIN_KUDOS") {
            self.kb.auto_promote_min_kudos = parse("HEARTH_KB_AUTO_PROMOTE_MIN_KUDOS", &v)?;
        }
        if let Some(v) = env("HEARTH_KB_AUTO_PROMOTE_MIN_VIEWS") {
            self.kb.auto_promote_min_views = parse("HEARTH_KB_AUTO_PROMOTE_MIN_VIEWS", &v)?;
        }
        self.apply_mail_env(&env)?;
        self.apply_crm_env(&env)?;
        self.sso.apply_env(&env)
    }

    fn apply_mail_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let m = &mut self.mail;
        let port = |v: &str| {
            v.parse()
                .map_err(|e: std::num::ParseIntError| ConfigError::Env {
                    name: "HEARTH_SMTP_PORT".into(),
                    message: e.to_string(),
                })
        };
        if let Some(v) = env("HEARTH_MAIL_TRANSPORT") {
            m.transport = v;
        }
        if let Some(v) = env("HEARTH_SMTP_HOST") {
            m.smtp_host = v;
        }
        if let Some(v) = env("HEARTH_SMTP_PORT") {
            m.smtp_port = port(&v)?;
        }
        if let Some(v) = env("HEARTH_SMTP_SECURITY") {
            m.security = v;
        }
        if let Some(v) = env("HEARTH_SMTP_USERNAME") {
            m.username = v;
        }
        if let Some(v) = env("HEARTH_SMTP_PASSWORD") {
            m.password = crm_bridge::Secret::new(v);
        }
        if let Some(v) = env("HEARTH_MAIL_FROM") {
            m.from = v;
        }
        if let Some(v) = env("HEARTH_REGISTRATION_MODE") {
            self.registration.mode = v;
        }
        if let Some(v) = env("HEARTH_PUBLIC_URL") {
            self.public_url = v;
        }
        if let Some(v) = env("HEARTH_SECRET_KEY") {
            self.secret_key = crm_bridge::Secret::new(v);
        }
        if let Some(v) = env("HEARTH_SPAM_CHECKER_API_KEY") {
            self.spam_checker.api_key = crm_bridge::Secret::new(v);
        }
        Ok(())
    }

    /// The key that signs unsubscribe links: configured, or created once
    /// in the data directory (owner-only) and reused.
    pub fn secret_bytes(&self) -> std::io::Result<Vec<u8>> {
        if !self.secret_key.is_empty() {
            return Ok(self.secret_key.expose().as_bytes().to_vec());
        }
        let path = self.data_dir.join("secret.key");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            if existing.trim().len() >= 32 {
                return Ok(existing.trim().as_bytes().to_vec());
            }
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let key = crate::session::random_hex();
        #[cfg(unix)]
        {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&path)?;
            f.write_all(key.as_bytes())?;
        }
        #[cfg(not(unix))]
        std::fs::write(&path, &key)?;
        Ok(key.into_bytes())
    }

    /// Secrets belong in the environment, not in a file in the repository.
    fn apply_crm_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        use crm_bridge::{ConnectorConfig, Secret};
        let crm = &mut self.crm;
        if let Some(v) = env("HEARTH_CRM_PUBLIC_URL") {
            crm.public_url = v;
        }
        if let Some(v) = env("HEARTH_CRM_INBOUND_SECRET") {
            crm.inbound.secret = Secret::new(v);
        }
        if let Some(kind) = env("HEARTH_CRM_CONNECTOR") {
            let var = |k: &str| env(k).unwrap_or_default();
            crm.connector = match kind.as_str() {
                "none" | "" => ConnectorConfig::None,
                "webhook" => ConnectorConfig::Webhook {
                    url: var("HEARTH_CRM_WEBHOOK_URL"),
                    secret: Secret::new(var("HEARTH_CRM_WEBHOOK_SECRET")),
                },
                "rt" => ConnectorConfig::Rt {
                    url: var("HEARTH_CRM_RT_URL"),
                    token: Secret::new(var("HEARTH_CRM_RT_TOKEN")),
                    queue: env("HEARTH_CRM_RT_QUEUE").unwrap_or_else(|| "General".into()),
                    user: env("HEARTH_CRM_RT_USER").unwrap_or_else(|| "root".into()),
                },
                "zendesk" => ConnectorConfig::Zendesk {
                    base_url: var("HEARTH_CRM_ZENDESK_URL"),
                    email: var("HEARTH_CRM_ZENDESK_EMAIL"),
                    api_token: Secret::new(var("HEARTH_CRM_ZENDESK_API_TOKEN")),
                },
                "salesforce" => ConnectorConfig::Salesforce {
                    instance_url: var("HEARTH_CRM_SALESFORCE_URL"),
                    token_url: env("HEARTH_CRM_SALESFORCE_TOKEN_URL").unwrap_or_else(|| {
                        "https://login.salesforce.com/services/oauth2/token".into()
                    }),
                    client_id: var("HEARTH_CRM_SALESFORCE_CLIENT_ID"),
                    client_secret: Secret::new(var("HEARTH_CRM_SALESFORCE_CLIENT_SECRET")),
                    refresh_token: Secret::new(var("HEARTH_CRM_SALESFORCE_REFRESH_TOKEN")),
                    api_version: env("HEARTH_CRM_SALESFORCE_API_VERSION").unwrap_or_else(|| "v60.0".into()),
                    external_id_field: env("HEARTH_CRM_SALESFORCE_EXTERNAL_ID_FIELD")
                        .unwrap_or_else(|| "Hearth_Task_Key__c".into()),
                },
                other => {
                    return Err(ConfigError::Env {
                        name: "HEARTH_CRM_CONNECTOR".into(),
                        message: format!("unknown connector {other:?}; one of none, webhook, rt, zendesk, salesforce"),
                    })
                }
            };
        } else {
            // Secrets for a connector chosen in the file.
            match &mut crm.connector {
                ConnectorConfig::Webhook { secret, .. } => {
                    if let Some(v) = env("HEARTH_CRM_WEBHOOK_SECRET") {
                        *secret = Secret::new(v);
                    }
                }
                ConnectorConfig::Rt { token, .. } => {
                    if let Some(v) = env("HEARTH_CRM_RT_TOKEN") {
                        *token = Secret::new(v);
                    }
                }
                ConnectorConfig::Zendesk { api_token, .. } => {
                    if let Some(v) = env("HEARTH_CRM_ZENDESK_API_TOKEN") {
                        *api_token = Secret::new(v);
                    }
                }
                ConnectorConfig::Salesforce {
                    client_secret,
                    refresh_token,
                    ..
                } => {
                    if let Some(v) = env("HEARTH_CRM_SALESFORCE_CLIENT_SECRET") {
                        *client_secret = Secret::new(v);
                    }
                    if let Some(v) = env("HEARTH_CRM_SALESFORCE_REFRESH_TOKEN") {
                        *refresh_token = Secret::new(v);
                    }
                }
                ConnectorConfig::None => {}
            }
        }
        Ok(())
    }

    /// Open the database with this configuration's community rules.
    pub fn open_forum(&self, url: &str, pool_size: u32) -> Result<forum::Forum, forum::ForumError> {
        let mut kb = self.kb.clone();
        kb.draft_words = crate::i18n::draft_words(
            crate::i18n::Lang::parse(&self.default_language).unwrap_or(crate::i18n::Lang::En),
        );
        let store = self.uploads.store.open(&self.data_dir)?;
        let forum = forum::Forum::open(url, pool_size)?
            .with_rules(self.reputation.clone(), kb)?
            .with_uploads(self.uploads.clone(), store)
            .with_moderation(self.moderation.clone())
            .with_tokenizer(std::sync::Arc::new(search::analysis::tokens))
            .with_email_confirmation(self.registration.require_email_confirmation)
            .with_analytics(self.analytics.clone());
        Ok(if self.spam_checker.enabled {
            forum.with_remote_spam_checker(std::sync::Arc::new(
                crate::spam_check::AkismetChecker::new(&self.spam_checker, &self.public_url),
            ))
        } else {
            forum
        })
    }

    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("hearth.db").display())
        } else {
            self.database_url.clone()
        }
    }
}

/// A database URL fit for logs: any password is masked.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hearth.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\npool_size = 3\n").unwrap();
        let c = Config::load(Some(&file), |k| {
            (k == "HEARTH_POOL_SIZE").then(|| "5".into())
        })
        .unwrap();
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert_eq!(c.pool_size, 5);
        assert_eq!(c.effective_database_url(), "sqlite://data/hearth.db");
        let bad = Config::load(Some(&file), |k| {
            (k == "HEARTH_POOL_SIZE").then(|| "many".into())
        });
        assert!(bad.unwrap_err().to_string().contains("HEARTH_POOL_SIZE"));
        std::fs::write(
            &file,
            "[reputation]\nkudo = 3\n[[reputation.ranks]]\nname = \"Member\"\nmin_points = 0\n\n[kb]\nauto_promote_min_views = 10\n",
        )
        .unwrap();
        let c = Config::load(Some(&file), |k| {
            (k == "HEARTH_KB_AUTO_PROMOTE_MIN_KUDOS").then(|| "7".into())
        })
        .unwrap();
        assert_eq!(c.reputation.kudo, 3);
        assert_eq!(c.reputation.accepted, 25, "unset keys keep their defaults");
        assert_eq!(c.reputation.ranks.len(), 1);
        assert_eq!(c.kb.auto_promote_min_views, 10);
        assert_eq!(c.kb.auto_promote_min_kudos, 7);
        std::fs::write(&file, "bnd = 1\n").unwrap();
        assert!(
            Config::load(Some(&file), |_| None).is_err(),
            "typos are reported"
        );
    }

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
