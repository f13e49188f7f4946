//! The `[crm]` configuration: rules, delivery tuning, the inbound webhook
//! secret and the one enabled connector. Secrets are wrapped so that no
//! `Debug`, log line or error message can print them.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::connector::{
    rt::RtConnector, salesforce::SalesforceConnector, webhook::WebhookConnector,
    zendesk::ZendeskConnector, Connector,
};
use crate::rules::Rules;

pub use forum::secret::Secret;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryConfig {
    /// Failed attempts before an item goes to the dead-letter list.
    pub max_attempts: i32,
    pub backoff_base_ms: i64,
    pub backoff_cap_ms: i64,
    /// How long a claimed item is hidden from other workers.
    pub lease_ms: i64,
    /// Timeout of every external HTTP call.
    pub timeout_ms: u64,
    pub batch: i64,
    /// Parallel deliveries per worker.
    pub concurrency: usize,
    /// How often polling connectors are asked for changes.
    pub poll_every_ms: u64,
}

impl DeliveryConfig {
    pub fn retry_policy(&self) -> forum::delivery::RetryPolicy {
        forum::delivery::RetryPolicy {
            max_attempts: self.max_attempts,
            backoff_base_ms: self.backoff_base_ms,
            backoff_cap_ms: self.backoff_cap_ms,
        }
    }
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            max_attempts: 12,
            backoff_base_ms: 1_000,
            backoff_cap_ms: 15 * 60_000,
            lease_ms: 120_000,
            timeout_ms: 10_000,
            batch: 64,
            concurrency: 8,
            poll_every_ms: 30_000,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InboundConfig {
    /// Shared secret for `POST /api/v1/crm/webhook`; empty disables the endpoint.
    pub secret: Secret,
    pub tolerance_secs: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ConnectorConfig {
    /// The built-in CRM only.
    #[default]
    None,
    Webhook {
        url: String,
        secret: Secret,
    },
    Salesforce {
        /// e.g. https://acme.my.salesforce.com
        instance_url: String,
        /// e.g. https://login.salesforce.com/services/oauth2/token
        token_url: String,
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        #[serde(default = "default_sf_version")]
        api_version: String,
        /// The Case field (External ID, unique) holding Hearth's task key.
        #[serde(default = "default_sf_external_field")]
        external_id_field: String,
    },
    Zendesk {
        /// e.g. https://acme.zendesk.com
        base_url: String,
        email: String,
        api_token: Secret,
    },
    Rt {
        /// e.g. https://rt.example.com (REST2 lives under /REST/2.0/)
        url: String,
        token: Secret,
        #[serde(default = "default_rt_queue")]
        queue: String,
        /// The RT account the token belongs to; its own changes are not
        /// pulled back. Use a dedicated account in production.
        #[serde(default = "default_rt_user")]
        user: String,
    },
}

fn default_sf_version() -> String {
    "v60.0".into()
}
fn default_sf_external_field() -> String {
    "Hearth_Task_Key__c".into()
}
fn default_rt_queue() -> String {
    "General".into()
}
fn default_rt_user() -> String {
    "root".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CrmConfig {
    pub rules: Rules,
    pub delivery: DeliveryConfig,
    pub inbound: InboundConfig,
    pub connector: ConnectorConfig,
    /// Public address of the community, for links to threads in tasks.
    pub public_url: String,
    /// The agent account that posts what agents write in an external CRM.
    pub sync_username: String,
}

impl Default for CrmConfig {
    fn default() -> Self {
        CrmConfig {
            rules: Rules::default(),
            delivery: DeliveryConfig::default(),
            inbound: InboundConfig {
                secret: Secret::default(),
                tolerance_secs: 300,
            },
            connector: ConnectorConfig::None,
            public_url: "http://127.0.0.1:8080".into(),
            sync_username: "support-desk".into(),
        }
    }
}

impl CrmConfig {
    /// Build the configured connector, if any.
    pub fn connector(&self) -> Result<Option<Arc<dyn Connector>>, String> {
        let timeout = Duration::from_millis(self.delivery.timeout_ms.max(100));
        let need = |what: &str, v: &str| {
            if v.trim().is_empty() {
                Err(format!("crm.connector.{what} is required"))
            } else {
                Ok(())
            }
        };
        Ok(match &self.connector {
            ConnectorConfig::None => None,
            ConnectorConfig::Webhook { url, secret } => {
                need("url", url)?;
                need("secret", secret.expose())?;
                Some(Arc::new(WebhookConnector::new(
                    url.clone(),
                    secret.clone(),
                    timeout,
                )))
            }
            ConnectorConfig::Salesforce {
                instance_url,
                token_url,
                client_id,
                client_secret,
                refresh_token,
                api_version,
                external_id_field,
            } => {
                need("instance_url", instance_url)?;
                need("token_url", token_url)?;
                need("client_id", client_id)?;
                need("refresh_token", refresh_token.expose())?;
                Some(Arc::new(SalesforceConnector::new(
                    instance_url.clone(),
                    token_url.clone(),
                    client_id.clone(),
                    client_secret.clone(),
                    refresh_token.clone(),
                    api_version.clone(),
                    external_id_field.clone(),
                    timeout,
                )?))
            }
            ConnectorConfig::Zendesk {
                base_url,
                email,
                api_token,
            } => {
                need("base_url", base_url)?;
                need("email", email)?;
                need("api_token", api_token.expose())?;
                Some(Arc::new(ZendeskConnector::new(
                    base_url.clone(),
                    email.clone(),
                    api_token.clone(),
                    timeout,
                )))
            }
            ConnectorConfig::Rt {
                url,
                token,
                queue,
                user,
            } => {
                need("url", url)?;
                need("token", token.expose())?;
                Some(Arc::new(RtConnector::new(
                    url.clone(),
                    token.clone(),
                    queue.clone(),
                    user.clone(),
                    timeout,
                )))
            }
        })
    }

    pub fn validate(&self) -> Result<(), String> {
        self.rules.validate()?;
        if self.delivery.max_attempts < 1 {
            return Err("crm.delivery.max_attempts must be at least 1".into());
        }
        self.connector().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let c = ConnectorConfig::Webhook {
            url: "http://x".into(),
            secret: Secret::new("hunter2"),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(!serde_json::to_string(&c)
            .unwrap_or_default()
            .contains("hunter2"));
    }

    #[test]
    fn missing_connector_settings_are_reported() {
        let cfg = CrmConfig {
            connector: ConnectorConfig::Webhook {
                url: "http://x".into(),
                secret: Secret::default(),
            },
            ..CrmConfig::default()
        };
        assert_eq!(
            cfg.validate().err().as_deref(),
            Some("crm.connector.secret is required")
        );
    }
}
