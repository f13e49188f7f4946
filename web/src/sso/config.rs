//! The `[sso]` configuration section: whether password sign-in is on, and
//! the OpenID Connect providers with their claim-to-role mapping.
//!
//! ```toml
//! [sso]
//! password_login = false
//! public_url = "https://community.example.com"
//!
//! [[sso.providers]]
//! name = "corp"                      # in URLs: /auth/sso/corp
//! display_name = "Example Corp"
//! issuer = "https://login.example.com"
//! client_id = "hearth"
//! # client_secret from HEARTH_SSO_CORP_CLIENT_SECRET
//! scopes = ["openid", "email", "profile", "groups"]
//! default_role = "customer"
//!
//! [[sso.providers.role_mapping]]     # first match wins
//! claim = "groups"
//! value = "support-agents"
//! role = "agent"
//! ```

use crm_bridge::Secret;
use forum::Role;
use serde::Deserialize;
use serde_json::Value;

use crate::config::ConfigError;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SsoConfig {
    /// Local username-and-password sign-in (and registration). With it off,
    /// the providers are the only way in.
    pub password_login: bool,
    /// Hearth's public address (scheme and host, no path), used to build the
    /// callback and post-logout URLs registered at the providers. Empty:
    /// taken from each request's Host header.
    pub public_url: String,
    pub providers: Vec<ProviderConfig>,
}

impl Default for SsoConfig {
    fn default() -> Self {
        SsoConfig {
            password_login: true,
            public_url: String::new(),
            providers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Lower-case letters, digits, `-` and `_`; part of the callback URL and
    /// of every linked identity, so keep it stable.
    pub name: String,
    /// On the button: "Sign in with …". Defaults to the name.
    #[serde(default)]
    pub display_name: String,
    /// The issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Better set through `HEARTH_SSO_<NAME>_CLIENT_SECRET`.
    #[serde(default)]
    pub client_secret: Secret,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Claim-to-role rules, tried in order; the first match wins.
    #[serde(default)]
    pub role_mapping: Vec<RoleRule>,
    /// The role when no rule matches.
    #[serde(default = "default_role")]
    pub default_role: Role,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile"].map(String::from).to_vec()
}

fn default_role() -> Role {
    Role::Customer
}

/// `claim` (a name, or a dotted path into nested objects such as
/// `realm_access.roles`) equals `value`, or is a list containing it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub claim: String,
    pub value: String,
    pub role: Role,
}

impl RoleRule {
    pub fn matches(&self, claims: &serde_json::Map<String, Value>) -> bool {
        let mut path = self.claim.split('.');
        let Some(first) = path.next() else {
            return false;
        };
        let mut current = claims.get(first);
        for part in path {
            current = current.and_then(|v| v.get(part));
        }
        match current {
            Some(Value::Array(items)) => items.iter().any(|v| scalar_eq(v, &self.value)),
            Some(v) => scalar_eq(v, &self.value),
            None => false,
        }
    }
}

fn scalar_eq(v: &Value, expected: &str) -> bool {
    match v {
        Value::String(s) => s == expected,
        Value::Bool(b) => b.to_string() == expected,
        Value::Number(n) => n.to_string() == expected,
        _ => false,
    }
}

/// The role for these claims: the first matching rule's, else `default`.
pub fn map_role(
    rules: &[RoleRule],
    default: Role,
    claims: &serde_json::Map<String, Value>,
) -> Role {
    rules
        .iter()
        .find(|r| r.matches(claims))
        .map_or(default, |r| r.role)
}

impl ProviderConfig {
    pub fn label(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }

    pub fn role_for(&self, claims: &serde_json::Map<String, Value>) -> Role {
        map_role(&self.role_mapping, self.default_role, claims)
    }
}

/// `HEARTH_SSO_<NAME>_CLIENT_SECRET`, the name upper-cased with `-` as `_`.
pub fn secret_env_name(provider: &str) -> String {
    format!(
        "HEARTH_SSO_{}_CLIENT_SECRET",
        provider.to_ascii_uppercase().replace('-', "_")
    )
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        // `/auth/sso/link` is the link form's address.
        && name != "link"
}

impl SsoConfig {
    pub fn provider(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.name == name)
    }

    /// Environment overrides: `HEARTH_SSO_PASSWORD_LOGIN`,
    /// `HEARTH_SSO_PUBLIC_URL` and each provider's client secret.
    pub fn apply_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("HEARTH_SSO_PASSWORD_LOGIN") {
            self.password_login = v.parse().map_err(|e| ConfigError::Env {
                name: "HEARTH_SSO_PASSWORD_LOGIN".into(),
                message: format!("{e}; use true or false"),
            })?;
        }
        if let Some(v) = env("HEARTH_SSO_PUBLIC_URL") {
            self.public_url = v;
        }
        for p in &mut self.providers {
            if let Some(v) = env(&secret_env_name(&p.name)) {
                p.client_secret = Secret::new(v);
            }
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for p in &self.providers {
            if !valid_name(&p.name) {
                return Err(format!(
                    "provider name {:?}: use 1 to 32 lower-case letters, digits, - or _ (not \"link\")",
                    p.name
                ));
            }
            if !seen.insert(p.name.as_str()) {
                return Err(format!("provider {:?} is configured twice", p.name));
            }
            let issuer_ok = openidconnect::url::Url::parse(&p.issuer)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !issuer_ok {
                return Err(format!(
                    "provider {:?}: issuer {:?} is not an http(s) URL",
                    p.name, p.issuer
                ));
            }
            if p.client_id.trim().is_empty() {
                return Err(format!("provider {:?}: client_id is empty", p.name));
            }
            if !p.scopes.iter().any(|s| s == "openid") {
                return Err(format!("provider {:?}: scopes must include openid", p.name));
            }
        }
        if !self.public_url.is_empty() {
            let ok = openidconnect::url::Url::parse(&self.public_url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(format!(
                    "public_url {:?} is not an http(s) URL",
                    self.public_url
                ));
            }
        }
        if !self.password_login && self.providers.is_empty() {
            return Err(
                "password_login = false needs at least one provider, or nobody can sign in".into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn rule(claim: &str, value: &str, role: Role) -> RoleRule {
        RoleRule {
            claim: claim.into(),
            value: value.into(),
            role,
        }
    }

    #[test]
    fn first_matching_rule_wins() {
        let rules = vec![
            rule("groups", "hearth-admins", Role::Admin),
            rule("groups", "support-agents", Role::Agent),
            rule("groups", "moderators", Role::Moderator),
        ];
        let agent = claims(json!({"sub": "u1", "groups": ["support-agents", "moderators"]}));
        assert_eq!(map_role(&rules, Role::Customer, &agent), Role::Agent);
        let admin = claims(json!({"groups": ["moderators", "hearth-admins"]}));
        assert_eq!(
            map_role(&rules, Role::Customer, &admin),
            Role::Admin,
            "rule order, not claim order"
        );
        let none = claims(json!({"groups": []}));
        assert_eq!(map_role(&rules, Role::Customer, &none), Role::Customer);
        let missing = claims(json!({"sub": "u2"}));
        assert_eq!(
            map_role(&rules, Role::Moderator, &missing),
            Role::Moderator,
            "the default"
        );
        assert_eq!(map_role(&[], Role::Customer, &agent), Role::Customer);
    }

    #[test]
    fn rules_match_strings_scalars_and_nested_claims() {
        let c = claims(json!({
            "department": "support",
            "staff": true,
            "level": 3,
            "realm_access": {"roles": ["mod"]},
            "groups": "support-agents",
        }));
        assert!(rule("department", "support", Role::Agent).matches(&c));
        assert!(
            !rule("department", "sup", Role::Agent).matches(&c),
            "no substring match"
        );
        assert!(rule("staff", "true", Role::Agent).matches(&c));
        assert!(rule("level", "3", Role::Agent).matches(&c));
        assert!(rule("realm_access.roles", "mod", Role::Moderator).matches(&c));
        assert!(!rule("realm_access.missing", "mod", Role::Moderator).matches(&c));
        assert!(
            rule("groups", "support-agents", Role::Agent).matches(&c),
            "a single string"
        );
        assert!(!rule("nope", "x", Role::Agent).matches(&c));
    }

    #[test]
    fn config_parses_and_validates() {
        let text = r#"
            password_login = false
            [[providers]]
            name = "corp-sso"
            issuer = "https://login.example.com"
            client_id = "hearth"
            client_secret = "from-file"
            scopes = ["openid", "email", "groups"]
            [[providers.role_mapping]]
            claim = "groups"
            value = "support-agents"
            role = "agent"
        "#;
        let mut c: SsoConfig = toml::from_str(text).unwrap();
        assert!(!c.password_login);
        c.validate().unwrap();
        let p = c.provider("corp-sso").unwrap();
        assert_eq!(p.default_role, Role::Customer);
        assert_eq!(p.label(), "corp-sso");
        assert_eq!(format!("{:?}", p.client_secret), "[redacted]");
        assert!(
            !format!("{c:?}").contains("from-file"),
            "secrets stay out of Debug"
        );
        assert_eq!(
            secret_env_name("corp-sso"),
            "HEARTH_SSO_CORP_SSO_CLIENT_SECRET"
        );
        c.apply_env(&|k: &str| {
            (k == "HEARTH_SSO_CORP_SSO_CLIENT_SECRET").then(|| "from-env".to_string())
        })
        .unwrap();
        assert_eq!(c.providers[0].client_secret.expose(), "from-env");
        assert!(c
            .apply_env(&|k: &str| (k == "HEARTH_SSO_PASSWORD_LOGIN").then(|| "maybe".to_string()))
            .is_err());

        let bad = |edit: &dyn Fn(&mut SsoConfig)| {
            let mut c2 = c.clone();
            edit(&mut c2);
            c2.validate().unwrap_err()
        };
        assert!(bad(&|c| c.providers[0].name = "Corp".into()).contains("provider name"));
        assert!(bad(&|c| c.providers[0].name = "link".into()).contains("provider name"));
        assert!(bad(&|c| c.providers[0].issuer = "login.example.com".into()).contains("issuer"));
        assert!(bad(&|c| c.providers[0].scopes = vec!["email".into()]).contains("openid"));
        assert!(bad(&|c| {
            let dup = c.providers[0].clone();
            c.providers.push(dup)
        })
        .contains("twice"));
        assert!(bad(&|c| c.providers.clear()).contains("password_login"));
        assert!(SsoConfig::default().validate().is_ok());
    }
}
