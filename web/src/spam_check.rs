//! The optional remote spam checker, in Akismet's API shape
//! (`POST …/1.1/comment-check`, form fields `api_key`, `blog`, `user_ip`,
//! `user_agent`, `comment_type`, `comment_author`, `comment_author_email`,
//! `comment_content`; the answer is the body `true` (spam) or `false`, and
//! `invalid` with an `X-akismet-debug-help` header for a bad key). Off by
//! default (`[spam_checker]`); Hearth scores spam offline without it, and
//! a checker that fails or is slow never blocks a post.

use std::time::Duration;

use forum::spam::{RemoteCheck, RemoteSpamChecker};
use serde::Deserialize;

/// `[spam_checker]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpamCheckerConfig {
    pub enabled: bool,
    /// The comment-check endpoint.
    pub endpoint: String,
    /// The service's key (`HEARTH_SPAM_CHECKER_API_KEY`); never logged.
    pub api_key: crm_bridge::Secret,
    /// The community's front page, as the service knows the site (`blog`).
    pub site_url: String,
    pub timeout_ms: u64,
}

impl Default for SpamCheckerConfig {
    fn default() -> Self {
        SpamCheckerConfig {
            enabled: false,
            endpoint: "https://rest.akismet.com/1.1/comment-check".into(),
            api_key: crm_bridge::Secret::default(),
            site_url: String::new(),
            timeout_ms: 3000,
        }
    }
}

pub struct AkismetChecker {
    agent: ureq::Agent,
    endpoint: String,
    api_key: crm_bridge::Secret,
    site_url: String,
}

impl AkismetChecker {
    pub fn new(cfg: &SpamCheckerConfig, public_url: &str) -> AkismetChecker {
        AkismetChecker {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_millis(cfg.timeout_ms.max(100)))
                .redirects(0)
                .user_agent("Hearth/1 | hearth-spam-check")
                .build(),
            endpoint: cfg.endpoint.clone(),
            api_key: cfg.api_key.clone(),
            site_url: if cfg.site_url.is_empty() {
                public_url.to_owned()
            } else {
                cfg.site_url.clone()
            },
        }
    }
}

impl RemoteSpamChecker for AkismetChecker {
    fn check(&self, post: &RemoteCheck) -> Result<bool, String> {
        let answer = self.agent.post(&self.endpoint).send_form(&[
            ("api_key", self.api_key.expose()),
            ("blog", &self.site_url),
            ("user_ip", &post.client_addr),
            ("user_agent", &post.user_agent),
            ("comment_type", post.kind),
            ("comment_author", &post.author_name),
            ("comment_author_email", &post.author_email),
            ("comment_content", &post.content),
        ]);
        let response = match answer {
            Ok(r) => r,
            Err(ureq::Error::Status(code, _)) => return Err(format!("answered {code}")),
            Err(e) => return Err(format!("unreachable: {e}")),
        };
        let help = response
            .header("X-akismet-debug-help")
            .unwrap_or_default()
            .to_owned();
        let body = response
            .into_string()
            .map_err(|e| format!("unreadable answer: {e}"))?;
        match body.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("unexpected answer {other:?} {help}")),
        }
    }
}

/// Where a request came from, for the spam checks.
pub fn origin_of(req: &actix_web::HttpRequest) -> forum::spam::PostOrigin {
    forum::spam::PostOrigin {
        client_addr: crate::client_addr::of(req),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect(),
        typed_ms: None,
    }
}
