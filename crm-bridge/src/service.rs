//! `Crm`: the CRM bridge's service. All methods block; call them from a
//! worker thread in async code.

use std::sync::{Arc, RwLock};

use forum::{Actor, Forum, ForumError, NewUser, Role, TxConn};

use crate::config::CrmConfig;
use crate::connector::webhook::{self, InboundError, InboundPayload};
use crate::connector::{Connector, ConnectorError, ExternalComment, InboundChange};
use crate::db::{in_tx, on_db};
use crate::error::{CrmError, Result};
use crate::model::*;
use crate::rules::{Escalation, Rules, TaskStatus};

mod admin;
mod console;
mod workers;

const RULES_KEY: &str = "rules";

#[derive(Clone)]
pub struct Crm {
    forum: Forum,
    config: Arc<CrmConfig>,
    rules: Arc<RwLock<Rules>>,
    connector: Option<Arc<dyn Connector>>,
    sync_user: Arc<RwLock<Option<i64>>>,
    instance: Arc<std::sync::OnceLock<String>>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
    pub deferred: usize,
}

#[derive(Debug, Default, Clone)]
pub struct TimerReport {
    pub escalated: usize,
    /// (task id, SLA flags newly set)
    pub sla_flags: Vec<(i64, i32)>,
    pub reminders_due: usize,
}

fn ensure_agent(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Agent | Role::Admin => Ok(()),
        _ => Err(ForumError::Forbidden("only support agents can do this").into()),
    }
}

/// Fill `{{name}}` placeholders; unknown ones stay as written so the agent sees them.
pub fn render_template(body: &str, vars: &[(&str, &str)]) -> String {
    let mut out = body.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

impl Crm {
    /// The bridge over `forum`'s database. Rules saved from the admin page
    /// override the file's.
    pub fn new(forum: Forum, config: CrmConfig) -> Result<Crm> {
        config
            .validate()
            .map_err(|m| ForumError::validation("crm", m))?;
        let connector = config
            .connector()
            .map_err(|m| ForumError::validation("crm.connector", m))?;
        let crm = Crm {
            forum,
            rules: Arc::new(RwLock::new(config.rules.clone())),
            config: Arc::new(config),
            connector,
            sync_user: Arc::default(),
            instance: Arc::default(),
        };
        crm.reload_rules()?;
        Ok(crm)
    }

    /// Use this connector instead of the configured one (tests, benchmarks).
    pub fn with_connector(mut self, connector: Arc<dyn Connector>) -> Crm {
        self.connector = Some(connector);
        self
    }

    pub fn forum(&self) -> &Forum {
        &self.forum
    }

    pub fn config(&self) -> &CrmConfig {
        &self.config
    }

    pub fn connector_name(&self) -> Option<&'static str> {
        self.connector.as_ref().map(|c| c.name())
    }

    pub fn rules(&self) -> Rules {
        self.rules.read().map(|r| r.clone()).unwrap_or_default()
    }

    /// Pick up rules another node saved. Cheap: one row.
    pub fn reload_rules(&self) -> Result<()> {
        let db = self.forum.db();
        if let Some(json) = on_db!(db, setting(RULES_KEY))? {
            match serde_json::from_str::<Rules>(&json) {
                Ok(r) if r.validate().is_ok() => {
                    if let Ok(mut w) = self.rules.write() {
                        *w = r;
                    }
                }
                _ => tracing::warn!("stored CRM rules are invalid; keeping the file's"),
            }
        }
        Ok(())
    }

    /// Save rules from the admin page (admins only).
    pub fn save_rules(&self, actor: Actor, rules: Rules) -> Result<()> {
        if actor.role != Role::Admin {
            return Err(ForumError::Forbidden("only administrators can change CRM rules").into());
        }
        rules
            .validate()
            .map_err(|m| ForumError::validation("rules", m))?;
        let json =
            serde_json::to_string(&rules).map_err(|e| ForumError::Internal(e.to_string()))?;
        let now = self.forum.now();
        on_db!(self.forum.db(), set_setting(now, RULES_KEY, &json))?;
        if let Ok(mut w) = self.rules.write() {
            *w = rules;
        }
        tracing::info!(user_id = actor.user_id, "CRM rules saved");
        Ok(())
    }

    /// This installation's id, made once and kept in the database; it goes
    /// into every idempotency key sent to an external CRM.
    pub fn instance_id(&self) -> Result<String> {
        if let Some(id) = self.instance.get() {
            return Ok(id.clone());
        }
        let db = self.forum.db();
        let id = match on_db!(db, setting("instance_id"))? {
            Some(id) => id,
            None => {
                let fresh = hex::encode(rand::random::<[u8; 4]>());
                on_db!(
                    db,
                    insert_setting_once(self.forum.now(), "instance_id", &fresh)
                )?;
                // Another node may have won the race: read what is stored.
                on_db!(db, setting("instance_id"))?.unwrap_or(fresh)
            }
        };
        Ok(self.instance.get_or_init(|| id).clone())
    }

    /// The agent account that speaks for the external CRM in threads,
    /// created on first use.
    pub fn sync_user(&self) -> Result<i64> {
        if let Some(id) = self.sync_user.read().ok().and_then(|g| *g) {
            return Ok(id);
        }
        let name = &self.config.sync_username;
        let id = match self.forum.find_user(name)? {
            Some(u) => u.id,
            None => match self.forum.register(NewUser {
                language: None,
                username: name.clone(),
                email: format!("{name}@hearth.invalid"),
                password: None,
                role: Role::Agent,
                display_name: Some("Support team".into()),
            }) {
                Ok(u) => u.id,
                // Another node created it first.
                Err(ForumError::Conflict(_) | ForumError::Taken { .. }) => {
                    self.forum
                        .find_user(name)?
                        .ok_or(ForumError::NotFound("sync user"))?
                        .id
                }
                Err(e) => return Err(e.into()),
            },
        };
        if let Ok(mut w) = self.sync_user.write() {
            *w = Some(id);
        }
        Ok(id)
    }

    fn ctx_parts(&self) -> Result<(Rules, Option<i64>)> {
        let sync_user = match self.connector {
            Some(_) => Some(self.sync_user()?),
            None => None,
        };
        Ok((self.rules(), sync_user))
    }
}

#[cfg(test)]
mod tests {
    use super::render_template;

    #[test]
    fn templates_fill_known_placeholders_only() {
        assert_eq!(
            render_template(
                "Hi {{customer_name}}, re {{thread_title}} {{unknown}}",
                &[("customer_name", "Olha"), ("thread_title", "Wi-Fi")]
            ),
            "Hi Olha, re Wi-Fi {{unknown}}"
        );
    }
}
