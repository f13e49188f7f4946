//! Live site settings: what an administrator may change on the site
//! settings page without editing the configuration file or restarting.
//! The file's (and environment's) values stay the defaults; the database
//! holds the overrides, one JSON value per key, and a version every change
//! bumps, so every node notices a change with one cheap read.
//!
//! A key is the setting's path in the configuration file (`site_name`,
//! `registration.mode`, `mail.from`, `rate_limits.<rule>`,
//! `moderation.flags.hide_threshold`, …). Each value is validated here,
//! strictly, before anything is stored; a change of several keys is all or
//! nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ForumError, Result, Rule};
use crate::models::{Actor, Role};

/// What a setting's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text, at most `max` characters.
    Text {
        max: usize,
        empty_ok: bool,
    },
    /// A mail address, alone or as `Name <address>`.
    Mailbox,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A whole number in this range.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// `{"limit": n, "period_secs": s}` (`limit` 0 turns the rule off).
    RateLimit,
}

/// The page's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Site,
    Registration,
    Mail,
    RateLimits,
    Moderation,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Site,
        Group::Registration,
        Group::Mail,
        Group::RateLimits,
        Group::Moderation,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Site => "Site",
            Group::Registration => "Registration",
            Group::Mail => "Mail",
            Group::RateLimits => "Rate limits",
            Group::Moderation => "Moderation",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Site => "site",
            Group::Registration => "registration",
            Group::Mail => "mail",
            Group::RateLimits => "rate_limits",
            Group::Moderation => "moderation",
        }
    }
}

/// One setting that may be changed live.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub key: &'static str,
    pub group: Group,
    pub kind: Kind,
    pub help: &'static str,
    /// A further rule for a text value, after its kind's: the value as
    /// stored, or why it is refused (the theme's colour and logo).
    pub check: Option<Check>,
}

/// A further rule: the value as stored, or why it is refused.
pub type Check = fn(&str) -> std::result::Result<String, (Rule, String)>;

/// `registration.mode`: who may create an account with a password.
pub const REGISTRATION_MODES: &[&str] = &["open", "invite_only", "sso_only"];

/// The rules of `[rate_limits]` (the web layer checks it names them all).
pub const RATE_LIMIT_RULES: &[&str] = &[
    "register_per_address",
    "register_per_address_per_day",
    "password_forgot_per_address",
    "sso_start_per_address",
    "search_per_address",
    "suggest_per_address",
    "thread_per_address",
    "thread_per_account",
    "reply_per_address",
    "reply_per_account",
    "confirm_resend_per_address",
    "confirm_resend_per_account",
];

const TRUST_LEVELS: &[&str] = &["new", "member", "leader", "staff"];

const fn key(key: &'static str, group: Group, kind: Kind, help: &'static str) -> Key {
    Key {
        key,
        group,
        kind,
        help,
        check: None,
    }
}

/// The brand theme: the colour of buttons, links and highlights, and the
/// logo in every page's header (`theme.*`; the web layer turns them into a
/// small stylesheet).
const THEME_KEYS: [Key; 2] = [
    Key {
        key: "theme.brand_color",
        group: Group::Site,
        kind: Kind::Text {
            max: 7,
            empty_ok: false,
        },
        help: "The brand colour of buttons, links and highlights, written #rrggbb. White text on it must have a contrast of at least 4.5:1 (WCAG AA), so very light colours are refused.",
        check: Some(check_brand_color),
    },
    Key {
        key: "theme.logo_url",
        group: Group::Site,
        kind: Kind::Text {
            max: 500,
            empty_ok: true,
        },
        help: "The logo shown in the header instead of the site name (which becomes its text alternative): an https:// address, or a path on this site's domain such as /brand/logo.svg (served by your web server). Empty: the site name alone.",
        check: Some(check_logo_url),
    },
];

/// The least contrast WCAG 2.2 AA asks of ordinary text (1.4.3).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// `#rrggbb` (either case) as red, green, blue.
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG's relative luminance of an sRGB colour (0: black, 1: white).
pub fn relative_luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG's contrast ratio of two colours, from 1 (none) to 21.
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `theme.brand_color`: `#rrggbb`, stored in lower case, and dark enough
/// for white text (buttons are white on the brand colour, links are the
/// brand colour on white).
fn check_brand_color(s: &str) -> std::result::Result<String, (Rule, String)> {
    let rgb = parse_hex_color(s).ok_or_else(|| {
        (
            Rule::Colour,
            format!("{s:?} is not a colour: write it #rrggbb, e.g. #c2410c"),
        )
    })?;
    let ratio = contrast_ratio(rgb, [255, 255, 255]);
    if ratio < MIN_TEXT_CONTRAST {
        // Rounded down, so a refused colour never reads as 4.50:1.
        let shown = (ratio * 100.0).floor() / 100.0;
        return Err((
            Rule::LowContrast {
                ratio: format!("{shown:.2}"),
            },
            format!(
                "white text on {s} has a contrast of only {shown:.2}:1, and WCAG AA asks at least 4.5:1 \
                 for text to stay readable (buttons are white on this colour, links are this colour on white): \
                 choose a darker colour"
            ),
        ));
    }
    Ok(s.to_ascii_lowercase())
}

/// `theme.logo_url`: empty, an `https://` address, or a path on this site
/// (`/…`, not `//…`, which would be another site). Nothing that could
/// leave the attribute or the address: no spaces, quotes, angle brackets
/// or backslashes.
fn check_logo_url(s: &str) -> std::result::Result<String, (Rule, String)> {
    if s.is_empty() {
        return Ok(String::new());
    }
    let bad =
        "must be an https:// address or a path on this site starting with / (e.g. /brand/logo.svg)";
    if s.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err((
            Rule::LogoAddress,
            format!("{bad}; spaces, quotes, angle brackets and backslashes are not allowed"),
        ));
    }
    if let Some(rest) = s.strip_prefix("https://") {
        // No user:password@ (which hides the real host) and a plain host name.
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        };
        let name_ok = (name.contains('.') || name == "localhost")
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !name.starts_with(['.', '-'])
            && !name.ends_with(['.', '-']);
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if name_ok && port_ok {
            return Ok(s.to_string());
        }
        return Err((
            Rule::LogoAddress,
            format!("{bad}; {s:?} names no valid host"),
        ));
    }
    if s.starts_with('/') && !s.starts_with("//") {
        return Ok(s.to_string());
    }
    Err((Rule::LogoAddress, bad.to_string()))
}

const fn int(min: i64, max: i64) -> Kind {
    Kind::Int { min, max }
}

macro_rules! rate_keys {
    ($($rule:literal),* $(,)?) => {
        [$(key(
            concat!("rate_limits.", $rule),
            Group::RateLimits,
            Kind::RateLimit,
            "Requests allowed per period (0: no limit).",
        )),*]
    };
}

const RATE_KEYS: [Key; 12] = rate_keys!(
    "register_per_address",
    "register_per_address_per_day",
    "password_forgot_per_address",
    "sso_start_per_address",
    "search_per_address",
    "suggest_per_address",
    "thread_per_address",
    "thread_per_account",
    "reply_per_address",
    "reply_per_account",
    "confirm_resend_per_address",
    "confirm_resend_per_account",
);

const OTHER_KEYS: [Key; 26] = [
    key(
        "site_name",
        Group::Site,
        Kind::Text {
            max: 80,
            empty_ok: false,
        },
        "Shown in every page's header and title, and in mails.",
    ),
    key(
        "default_language",
        Group::Site,
        Kind::Choice(&crate::validate::LANGUAGES),
        "The interface language for visitors whose browser asks for none of en, ru, uk, fa.",
    ),
    key(
        "registration.mode",
        Group::Registration,
        Kind::Choice(REGISTRATION_MODES),
        "open: anyone may register; invite_only: no self-registration; sso_only: accounts come from single sign-on only.",
    ),
    key(
        "mail.from",
        Group::Mail,
        Kind::Mailbox,
        "The sender of every mail, e.g. Acme Community <community@example.com>.",
    ),
    key(
        "moderation.review_sla_hours",
        Group::Moderation,
        int(1, 8760),
        "Open review items older than this are overdue.",
    ),
    key(
        "moderation.flags.min_trust",
        Group::Moderation,
        Kind::Choice(TRUST_LEVELS),
        "The least trust a member needs to report posts.",
    ),
    key(
        "moderation.flags.daily_allowance",
        Group::Moderation,
        int(0, 10_000),
        "Reports one member may make per day.",
    ),
    key(
        "moderation.flags.hide_threshold",
        Group::Moderation,
        int(1, 1000),
        "A post is hidden pending review when its reports weigh this much.",
    ),
    key(
        "moderation.flags.member_weight",
        Group::Moderation,
        int(0, 1000),
        "The weight of an ordinary member's report.",
    ),
    key(
        "moderation.flags.leader_weight",
        Group::Moderation,
        int(0, 1000),
        "The weight of a community leader's or staff member's report.",
    ),
    key(
        "moderation.new_members.enabled",
        Group::Moderation,
        Kind::Bool,
        "Whether the new-member limits below apply.",
    ),
    key(
        "moderation.new_members.max_links",
        Group::Moderation,
        int(0, 1000),
        "Links a new member's post may carry.",
    ),
    key(
        "moderation.new_members.max_mentions",
        Group::Moderation,
        int(0, 1000),
        "Mentions a new member's post may carry.",
    ),
    key(
        "moderation.new_members.max_topics_first_day",
        Group::Moderation,
        int(0, 10_000),
        "Threads a new member may start on their first day.",
    ),
    key(
        "moderation.new_members.max_replies_first_day",
        Group::Moderation,
        int(0, 10_000),
        "Replies a new member may post on their first day.",
    ),
    key(
        "moderation.new_members.min_seconds_between_posts",
        Group::Moderation,
        int(0, 86_400),
        "Seconds a new member waits between two posts (0: no wait).",
    ),
    key(
        "moderation.new_members.duplicate_window_secs",
        Group::Moderation,
        int(0, 604_800),
        "The same text twice within this many seconds is refused (0: never).",
    ),
    key(
        "moderation.spam.enabled",
        Group::Moderation,
        Kind::Bool,
        "Whether new members' posts are scored for spam.",
    ),
    key(
        "moderation.spam.hold_at",
        Group::Moderation,
        int(1, 100),
        "A new member's post scoring this or more (of 100) is held.",
    ),
    key(
        "moderation.spam.min_training_docs",
        Group::Moderation,
        int(0, 1_000_000),
        "Decisions of each kind the classifier learns from before it speaks.",
    ),
    key(
        "moderation.trust.new_member_days",
        Group::Moderation,
        int(0, 3650),
        "An account younger than this many days is new…",
    ),
    key(
        "moderation.trust.trusted_after_posts",
        Group::Moderation,
        int(0, 1_000_000),
        "…and so is one with fewer visible posts than this…",
    ),
    key(
        "moderation.trust.trusted_min_points",
        Group::Moderation,
        int(0, 1_000_000_000),
        "…unless its reputation reached this many points.",
    ),
    key(
        "moderation.trust.sso_is_trusted",
        Group::Moderation,
        Kind::Bool,
        "A single sign-on identity vouches for a member.",
    ),
    key(
        "moderation.trust.crm_company_is_trusted",
        Group::Moderation,
        Kind::Bool,
        "A CRM contact with a known company vouches for a member.",
    ),
    key(
        "moderation.trust.leader_rank",
        Group::Moderation,
        Kind::Text {
            max: 80,
            empty_ok: true,
        },
        "Members at this rank or above are community leaders (empty: none).",
    ),
];

/// Every setting that may be changed live, in the page's order.
pub fn keys() -> impl Iterator<Item = &'static Key> {
    OTHER_KEYS[..3]
        .iter()
        .chain(THEME_KEYS.iter())
        .chain(RATE_KEYS.iter())
        .chain(OTHER_KEYS[3..].iter())
}

/// The setting named `name`, if it may be changed live.
pub fn find(name: &str) -> Option<&'static Key> {
    keys().find(|k| k.key == name)
}

/// Check one value for `name`; the value as it will be stored.
pub fn validate(name: &str, value: &Value) -> Result<(&'static Key, Value)> {
    let Some(k) = find(name) else {
        return Err(ForumError::invalid(
            "key",
            Rule::Unknown {
                value: name.to_string(),
            },
            format!("{name} is not a setting that can be changed here"),
        ));
    };
    let field = k.key;
    let bad = |what: &str| ForumError::validation(field, format!("{field}: {what}"));
    let refuse =
        |rule: Rule, what: &str| ForumError::invalid(field, rule, format!("{field}: {what}"));
    let value = match k.kind {
        Kind::Text { max, empty_ok } => {
            let s = value.as_str().ok_or_else(|| bad("must be text"))?;
            crate::validate::no_controls(field, s, false)?;
            let s = s.trim();
            if s.is_empty() && !empty_ok {
                return Err(refuse(Rule::Required, "must not be empty"));
            }
            if s.chars().count() > max {
                return Err(refuse(
                    Rule::TooLong { max: max as i64 },
                    &format!("must be at most {max} characters"),
                ));
            }
            match k.check {
                Some(check) => Value::String(check(s).map_err(|(rule, why)| refuse(rule, &why))?),
                None => Value::String(s.to_string()),
            }
        }
        Kind::Mailbox => {
            let s = value.as_str().ok_or_else(|| bad("must be text"))?.trim();
            crate::validate::no_controls(field, s, false)?;
            let address = match (s.rfind('<'), s.ends_with('>')) {
                (Some(open), true) => {
                    let name = s[..open].trim();
                    if name.contains(['<', '>', '"']) {
                        return Err(refuse(
                            Rule::Mailbox,
                            "the name must not contain <, > or quotes",
                        ));
                    }
                    &s[open + 1..s.len() - 1]
                }
                (None, false) => s,
                _ => return Err(refuse(Rule::Mailbox, "write an address, or Name <address>")),
            };
            // Local part @ host: `noreply@localhost` is fine for a sender.
            let well_formed = address.split_once('@').is_some_and(|(local, host)| {
                !local.is_empty()
                    && !host.is_empty()
                    && !host.contains('@')
                    && !address.contains(char::is_whitespace)
                    && !address.contains(['<', '>', '"', ',', ';'])
            });
            if !well_formed {
                return Err(refuse(
                    Rule::Mailbox,
                    &format!("{address:?} is not a mail address"),
                ));
            }
            if s.chars().count() > 200 {
                return Err(refuse(
                    Rule::TooLong { max: 200 },
                    "must be at most 200 characters",
                ));
            }
            Value::String(s.to_string())
        }
        Kind::Choice(words) => {
            let s = value.as_str().ok_or_else(|| bad("must be text"))?;
            if !words.contains(&s) {
                return Err(refuse(
                    Rule::OneOf {
                        choices: words.join(", "),
                    },
                    &format!("must be one of {}", words.join(", ")),
                ));
            }
            Value::String(s.to_string())
        }
        Kind::Int { min, max } => {
            let n = value
                .as_i64()
                .ok_or_else(|| refuse(Rule::WholeNumber, "must be a whole number"))?;
            if n < min || n > max {
                return Err(refuse(
                    Rule::Range { min, max },
                    &format!("must be between {min} and {max}"),
                ));
            }
            Value::from(n)
        }
        Kind::Bool => Value::Bool(
            value
                .as_bool()
                .ok_or_else(|| refuse(Rule::TrueOrFalse, "must be true or false"))?,
        ),
        Kind::RateLimit => {
            let o = value
                .as_object()
                .ok_or_else(|| bad("must be an object {\"limit\": n, \"period_secs\": s}"))?;
            if let Some(other) = o.keys().find(|k| *k != "limit" && *k != "period_secs") {
                return Err(bad(&format!("unknown field {other}")));
            }
            let limit = o
                .get("limit")
                .and_then(Value::as_i64)
                .ok_or_else(|| refuse(Rule::WholeNumber, "limit must be a whole number"))?;
            let period = o
                .get("period_secs")
                .and_then(Value::as_i64)
                .ok_or_else(|| refuse(Rule::WholeNumber, "period_secs must be a whole number"))?;
            if !(0..=1_000_000).contains(&limit) {
                return Err(refuse(
                    Rule::Range {
                        min: 0,
                        max: 1_000_000,
                    },
                    "limit must be between 0 and 1000000",
                ));
            }
            if !(1..=31_536_000).contains(&period) {
                return Err(refuse(
                    Rule::Range {
                        min: 1,
                        max: 31_536_000,
                    },
                    "period_secs must be between 1 and 31536000 (a year)",
                ));
            }
            serde_json::json!({ "limit": limit, "period_secs": period })
        }
    };
    Ok((k, value))
}

/// One stored override.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub value: Value,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

/// Every override in the database, and its version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub version: i64,
    /// Only known keys with valid values (a row a later version no longer
    /// accepts is left out, and the file's value applies).
    pub values: BTreeMap<String, Override>,
}

impl Overrides {
    pub(crate) fn from_rows(version: i64, rows: Vec<(String, String, i64, Option<i64>)>) -> Self {
        let mut values = BTreeMap::new();
        for (key, raw, updated_at, updated_by) in rows {
            let checked = serde_json::from_str::<Value>(&raw)
                .map_err(|e| ForumError::validation("value", e.to_string()))
                .and_then(|v| validate(&key, &v));
            match checked {
                Ok((_, value)) => {
                    values.insert(
                        key,
                        Override {
                            value,
                            updated_at,
                            updated_by,
                        },
                    );
                }
                Err(e) => tracing::warn!(key, error = %e, "site setting ignored"),
            }
        }
        Overrides { version, values }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|o| &o.value)
    }

    /// A string override.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// `base` with every override under `prefix.` put at its path (the rest
    /// of the key) in `base`'s JSON form. Should the result not read back
    /// (it cannot, with validated values), `base` unchanged.
    pub fn apply<T: Serialize + DeserializeOwned + Clone>(&self, prefix: &str, base: &T) -> T {
        let Ok(mut json) = serde_json::to_value(base) else {
            return base.clone();
        };
        let lead = format!("{prefix}.");
        for (key, o) in &self.values {
            let Some(path) = key.strip_prefix(&lead) else {
                continue;
            };
            let mut at = &mut json;
            for part in path.split('.') {
                at = &mut at[part];
            }
            *at = o.value.clone();
        }
        serde_json::from_value(json).unwrap_or_else(|e| {
            tracing::warn!(prefix, error = %e, "site settings not applied");
            base.clone()
        })
    }
}

fn must_be_admin(actor: Option<Actor>) -> Result<()> {
    match actor {
        Some(a) if a.role != Role::Admin => Err(ForumError::Forbidden(
            "only administrators change site settings",
        )),
        _ => Ok(()),
    }
}

impl crate::Forum {
    /// Every override, with its version.
    pub fn site_settings(&self) -> Result<Overrides> {
        let (version, rows) = crate::db::dispatch!(self.db(), settings::all())?;
        Ok(Overrides::from_rows(version, rows))
    }

    /// The overrides' version: changes whenever a setting is set or reset.
    pub fn site_settings_version(&self) -> Result<i64> {
        crate::db::dispatch!(self.db(), settings::version())
    }

    /// Set these settings (`actor` None: the command line; otherwise an
    /// administrator), all or none: every value is validated first. Each
    /// change is audited in the same transaction. The moderation rules of
    /// this process follow at once; other processes within seconds.
    pub fn set_site_settings(
        &self,
        actor: Option<Actor>,
        changes: &BTreeMap<String, Value>,
    ) -> Result<Overrides> {
        must_be_admin(actor)?;
        if changes.is_empty() {
            return Err(ForumError::invalid(
                "settings",
                Rule::NothingToChange,
                "nothing to change",
            ));
        }
        let mut checked = Vec::with_capacity(changes.len());
        for (key, value) in changes {
            let (k, value) = validate(key, value)?;
            checked.push((k.key, value.to_string()));
        }
        crate::db::dispatch!(self.db(), settings::set(self.now(), actor, &checked))?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), keys = ?changes.keys().collect::<Vec<_>>(), "site settings changed");
        let now = self.site_settings()?;
        self.apply_site_settings(&now);
        Ok(now)
    }

    /// Go back to the file's value of `key`. Not found when it is not set
    /// here.
    pub fn clear_site_setting(&self, actor: Option<Actor>, key: &str) -> Result<Overrides> {
        must_be_admin(actor)?;
        let cleared = crate::db::dispatch!(self.db(), settings::clear(self.now(), actor, key))?;
        if !cleared {
            return Err(ForumError::NotFound("site setting override"));
        }
        tracing::info!(actor = ?actor.map(|a| a.user_id), key, "site setting reset");
        let now = self.site_settings()?;
        self.apply_site_settings(&now);
        Ok(now)
    }

    /// Apply these overrides to what the forum itself reads (the
    /// moderation rules), in every clone of this forum.
    pub fn apply_site_settings(&self, overrides: &Overrides) {
        let rules = overrides.apply("moderation", &*self.moderation_base);
        *self.moderation.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_checked_strictly() {
        assert!(validate("site_name", &json!("Acme")).is_ok());
        assert!(validate("site_name", &json!("")).is_err());
        assert!(validate("site_name", &json!(3)).is_err());
        assert!(validate("site_name", &json!("a\nb")).is_err());
        assert!(validate("nope", &json!(1)).is_err());
        assert!(validate("registration.mode", &json!("sso_only")).is_ok());
        assert!(validate("registration.mode", &json!("closed")).is_err());
        assert!(validate("mail.from", &json!("Acme <a@example.com>")).is_ok());
        assert!(validate("mail.from", &json!("a@example.com")).is_ok());
        assert!(validate("mail.from", &json!("Acme <nope>")).is_err());
        assert!(validate("mail.from", &json!("Acme a@example.com>")).is_err());
        assert!(validate("moderation.flags.hide_threshold", &json!(1)).is_ok());
        assert!(validate("moderation.flags.hide_threshold", &json!(0)).is_err());
        assert!(validate("moderation.flags.hide_threshold", &json!(1.5)).is_err());
        assert!(validate("moderation.spam.enabled", &json!("yes")).is_err());
        let (_, v) = validate(
            "rate_limits.search_per_address",
            &json!({"limit": 5, "period_secs": 60}),
        )
        .unwrap();
        assert_eq!(v, json!({"limit": 5, "period_secs": 60}));
        assert!(validate("rate_limits.search_per_address", &json!({"limit": 5})).is_err());
        assert!(validate(
            "rate_limits.search_per_address",
            &json!({"limit": 5, "period_secs": 0})
        )
        .is_err());
        assert_eq!(keys().count(), 40);
        assert_eq!(RATE_KEYS.len(), RATE_LIMIT_RULES.len());
    }

    #[test]
    fn the_brand_colour_is_hex_and_readable_under_white_text() {
        let ok = |v: &str| validate("theme.brand_color", &json!(v)).map(|(_, v)| v);
        assert_eq!(
            ok("#C2410C").unwrap(),
            json!("#c2410c"),
            "stored lower case"
        );
        assert_eq!(ok(" #1d4ed8 ").unwrap(), json!("#1d4ed8"));
        for bad in ["c2410c", "#c2410", "#c2410cc", "#gggggg", "red", "", "#fff"] {
            assert!(ok(bad).is_err(), "{bad:?}");
        }
        // Yellow under white text: 1.07:1.
        let e = ok("#ffff00").unwrap_err().to_string();
        assert!(e.contains("1.07:1") && e.contains("4.5:1"), "{e}");
        // Just under the line (4.48:1) is refused, just over it kept.
        assert!(ok("#777777").is_err());
        assert!(ok("#767676").is_ok());
        assert!(
            (contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9,
            "black on white"
        );
        assert!((contrast_ratio([9, 9, 9], [9, 9, 9]) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_logo_is_https_or_a_local_path() {
        let ok = |v: &str| validate("theme.logo_url", &json!(v)).map(|(_, v)| v);
        for good in [
            "",
            "/static/logo.svg",
            "/media/logo.png?v=2",
            "https://cdn.example.com/logo.svg",
            "https://example.com:8443/a/b.png",
            "https://localhost/logo.png",
        ] {
            assert_eq!(ok(good).unwrap(), json!(good), "{good:?}");
        }
        for bad in [
            "http://example.com/logo.png",
            "//evil.example/logo.png",
            "javascript:alert(1)",
            "data:image/svg+xml,<svg/>",
            "logo.png",
            "https://",
            "https://exa mple.com/x.png",
            "https://user:pw@example.com/x.png",
            "https://example.com:0/x.png",
            "https://example.com:99999/x.png",
            "/logo.png\" onerror=\"alert(1)",
            "/a\\b",
            "https://-example.com/x.png",
        ] {
            assert!(ok(bad).is_err(), "{bad:?}");
        }
        assert!(ok(&format!("/{}", "a".repeat(500))).is_err(), "too long");
    }

    #[test]
    fn every_moderation_key_applies_to_the_rules() {
        let base = crate::review::ModerationConfig::default();
        let mut values = BTreeMap::new();
        for k in keys().filter(|k| k.group == Group::Moderation) {
            let v = match k.kind {
                Kind::Int { min, .. } => json!(min + 7),
                Kind::Bool => json!(false),
                Kind::Choice(w) => json!(w[1]),
                Kind::Text { .. } => json!("Gold"),
                _ => unreachable!(),
            };
            values.insert(
                k.key.to_string(),
                Override {
                    value: v,
                    updated_at: 0,
                    updated_by: None,
                },
            );
        }
        let o = Overrides { version: 1, values };
        let rules = o.apply("moderation", &base);
        assert_eq!(rules.flags.hide_threshold, 8);
        assert_eq!(rules.review_sla_hours, 8);
        assert_eq!(rules.trust.leader_rank, "Gold");
        assert!(!rules.spam.enabled);
        // Every key changed something: each one names a real field.
        let before = serde_json::to_value(&base).unwrap();
        let after = serde_json::to_value(&rules).unwrap();
        for k in keys().filter(|k| k.group == Group::Moderation) {
            let mut b = &before;
            let mut a = &after;
            for part in k.key.strip_prefix("moderation.").unwrap().split('.') {
                b = &b[part];
                a = &a[part];
            }
            assert!(!a.is_null(), "{} names no field", k.key);
            assert_ne!(a, b, "{} did not apply", k.key);
        }
    }
}
