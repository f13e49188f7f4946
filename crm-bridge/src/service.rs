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
                username: name.clone(),
                email: format!("{name}@hearth.invalid"),
                password: None,
                role: Role::Agent,
                display_name: Some("Support team".into()),
            }) {
                Ok(u) => u.id,
                // Another node created it first.
                Err(ForumError::Conflict(_)) => {
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

    // ------------------------------------------------------------ worker entry points

    /// Turn the next outbox events into tasks and timeline entries; the
    /// writes commit with the cursor. Returns how many events were handled.
    pub fn process_events(&self, limit: i64) -> Result<usize> {
        let (rules, sync_user) = self.ctx_parts()?;
        let connector = self.connector_name();
        let ctx = Ctx {
            rules: &rules,
            connector,
            now: self.forum.now(),
            public_url: &self.config.public_url,
            sync_user,
        };
        Ok(self.forum.poll_events_with(
            crate::OUTBOX_CONSUMER,
            limit,
            |conn, events| match conn {
                TxConn::Sqlite(c) => crate::db::sqlite::logic::handle_events(c, &ctx, events),
                TxConn::Pg(c) => crate::db::pg::logic::handle_events(c, &ctx, events),
            },
        )?)
    }

    /// Escalate tasks that waited too long and set SLA flags.
    pub fn run_timers(&self, limit: i64) -> Result<TimerReport> {
        let (rules, sync_user) = self.ctx_parts()?;
        let connector = self.connector_name();
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        let ctx = Ctx {
            rules: &rules,
            connector,
            now,
            public_url,
            sync_user,
        };
        let (escalated, sla_flags) = on_db!(self.forum.db(), logic::run_timers(&ctx, limit))?;
        if escalated > 0 || !sla_flags.is_empty() {
            tracing::info!(
                escalated,
                sla_flags = sla_flags.len(),
                "CRM timer rules applied"
            );
        }
        Ok(TimerReport {
            escalated,
            sla_flags,
            reminders_due: 0,
        })
    }

    /// Push due items to the external CRM: up to `batch` of them, with
    /// `concurrency` in flight. Returns what happened to them.
    pub fn deliver(&self) -> Result<DeliveryReport> {
        let Some(connector) = self.connector.clone() else {
            return Ok(DeliveryReport::default());
        };
        let d = &self.config.delivery;
        let claimed: Vec<Delivery> = self
            .forum
            .claim_deliveries(forum::delivery::CRM, d.lease_ms, d.batch)?
            .into_iter()
            .map(Delivery::from)
            .collect();
        if claimed.is_empty() {
            return Ok(DeliveryReport::default());
        }
        let lanes = d.concurrency.clamp(1, 64);
        let chunk = claimed.len().div_ceil(lanes);
        let reports: Vec<Result<DeliveryReport>> = std::thread::scope(|s| {
            let handles: Vec<_> = claimed
                .chunks(chunk)
                .map(|items| {
                    let connector = connector.clone();
                    s.spawn(move || {
                        let mut r = DeliveryReport::default();
                        for item in items {
                            self.deliver_one(connector.as_ref(), item, &mut r)?;
                        }
                        Ok(r)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(ForumError::Internal("delivery thread panicked".into()).into())
                    })
                })
                .collect()
        });
        let mut total = DeliveryReport::default();
        for r in reports {
            let r = r?;
            total.delivered += r.delivered;
            total.retried += r.retried;
            total.dead += r.dead;
            total.deferred += r.deferred;
        }
        Ok(total)
    }

    fn deliver_one(
        &self,
        connector: &dyn Connector,
        item: &Delivery,
        report: &mut DeliveryReport,
    ) -> Result<()> {
        let db = self.forum.db();
        let name = connector.name();
        let public_url = self.config.public_url.as_str();
        let mut task = on_db!(db, logic::external_task(item.task_id, public_url))?;
        task.instance = self.instance_id()?;
        let known = on_db!(db, external_id(item.task_id))?;
        // A connector that panics on one item fails that item (retried,
        // then dead-lettered), never the whole delivery loop.
        let guarded = |call: &mut dyn FnMut() -> std::result::Result<
            Option<String>,
            ConnectorError,
        >| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(ConnectorError::retryable(format!(
                    "the connector panicked: {message}"
                )))
            })
        };
        let outcome: std::result::Result<Option<String>, ConnectorError> = match item.kind.as_str()
        {
            "sync" => guarded(&mut || connector.push_task(&task, known.as_deref()).map(Some)),
            _ => {
                let Some(ext) = known else {
                    // The task itself is not out yet; try again shortly.
                    self.forum
                        .defer_delivery_id(item.id, self.forum.now() + 1_000)?;
                    report.deferred += 1;
                    return Ok(());
                };
                match self.comment_for(item.ref_id)? {
                    Some(comment) => {
                        guarded(&mut || connector.push_comment(&task, &ext, &comment).map(|_| None))
                    }
                    None => Ok(None),
                }
            }
        };
        let now = self.forum.now();
        match outcome {
            Ok(ext) => {
                on_db!(
                    db,
                    logic::complete_delivery_tx(now, name, item, ext.as_deref())
                )?;
                report.delivered += 1;
            }
            Err(e) => {
                let message = e.to_string();
                let failure = match &e {
                    ConnectorError::Retryable { retry_after, .. } => {
                        forum::delivery::Failure::Retryable {
                            error: &message,
                            retry_after_ms: retry_after.map(|r| r.as_millis() as i64),
                        }
                    }
                    ConnectorError::Permanent(_) => forum::delivery::Failure::Permanent(&message),
                };
                let retry = self.config.delivery.retry_policy().after_failure(
                    now,
                    item.attempts + 1,
                    failure,
                    rand::random::<f64>(),
                );
                on_db!(
                    db,
                    logic::fail_delivery_tx(now, name, item, retry, &message)
                )?;
                match retry.next_at {
                    None => {
                        tracing::error!(delivery_id = item.id, task_id = item.task_id, attempts = retry.attempts, error = %message, "CRM delivery moved to the dead-letter list");
                        report.dead += 1;
                    }
                    Some(at) => {
                        tracing::warn!(delivery_id = item.id, task_id = item.task_id, attempts = retry.attempts, retry_in_ms = at - now, error = %message, "CRM delivery failed; will retry");
                        report.retried += 1;
                    }
                }
            }
        }
        Ok(())
    }

    fn comment_for(&self, post_id: i64) -> Result<Option<ExternalComment>> {
        let db = self.forum.db();
        let Some((author, body, deleted)) = on_db!(db, post_body(post_id))? else {
            return Ok(None);
        };
        if deleted {
            return Ok(None);
        }
        let user = self.forum.user(author)?;
        Ok(Some(ExternalComment {
            post_id,
            author_name: user.display_name.clone(),
            author_email: user.email.clone(),
            body,
            from_staff: user.role.is_staff(),
        }))
    }

    /// Ask a polling connector for changes to every linked task and apply
    /// them. Returns how many changes were new.
    pub fn pull(&self) -> Result<usize> {
        let Some(connector) = self.connector.clone() else {
            return Ok(0);
        };
        let db = self.forum.db();
        let mut after = 0;
        let mut applied = 0;
        loop {
            let linked = on_db!(db, linked_tasks(connector.name(), after, 100))?;
            let Some(last) = linked.last() else { break };
            after = last.0;
            for change in connector.pull_changes(&linked)? {
                let Some(task_id) = linked
                    .iter()
                    .find(|(_, ext)| ext == change.external_id())
                    .map(|(t, _)| *t)
                else {
                    continue;
                };
                if self.apply_inbound(task_id, &change)? {
                    applied += 1;
                }
            }
        }
        Ok(applied)
    }

    /// Apply one change from the external CRM; false if it was seen before.
    pub fn apply_inbound(&self, task_id: i64, change: &InboundChange) -> Result<bool> {
        let db = self.forum.db();
        if on_db!(db, inbound_seen(change.key()))? {
            return Ok(false);
        }
        let (rules, sync_user) = self.ctx_parts()?;
        let sync_user = match sync_user {
            Some(u) => u,
            None => self.sync_user()?,
        };
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        let connector = self.connector_name();
        match change {
            InboundChange::Status { .. } => {
                let ctx = Ctx {
                    rules: &rules,
                    connector,
                    now,
                    public_url,
                    sync_user: Some(sync_user),
                };
                Ok(on_db!(
                    db,
                    logic::apply_inbound_status_tx(&ctx, task_id, change)
                )?)
            }
            InboundChange::Comment {
                author, body, key, ..
            } => {
                let task = on_db!(db, task(task_id))?;
                // Text from another system is cleaned, not refused: a
                // control character must not make a comment undeliverable.
                let (body, author) = (
                    forum::validate::strip_controls(body),
                    forum::validate::strip_controls(author),
                );
                let text = if author.trim().is_empty() {
                    body
                } else {
                    format!("{body}\n\n— {author}")
                };
                let agent = Actor {
                    user_id: sync_user,
                    role: Role::Agent,
                };
                // The key commits with the post, so a redelivered comment
                // is refused instead of posted twice.
                let posted =
                    self.forum
                        .reply_with(agent, task.thread_id, &text, |conn, _post_id| {
                            let fresh = match conn {
                                TxConn::Sqlite(c) => {
                                    crate::db::sqlite::record_inbound(c, now, key)?
                                }
                                TxConn::Pg(c) => crate::db::pg::record_inbound(c, now, key)?,
                            };
                            if fresh {
                                Ok(())
                            } else {
                                Err(ForumError::Conflict(
                                    "inbound comment already applied".into(),
                                ))
                            }
                        });
                match posted {
                    Ok(_) => Ok(true),
                    Err(ForumError::Conflict(_)) => Ok(false),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// `POST /api/v1/crm/webhook`: verify, parse, check for a replay, apply.
    pub fn handle_webhook(&self, signature: Option<&str>, body: &[u8]) -> Result<bool> {
        let inbound = &self.config.inbound;
        if inbound.secret.is_empty() {
            return Err(CrmError::NotConfigured(
                "the inbound CRM webhook has no secret configured",
            ));
        }
        let now_secs = self.forum.now() / 1000;
        webhook::verify(
            inbound.secret.expose().as_bytes(),
            signature,
            body,
            now_secs,
            inbound.tolerance_secs,
        )?;
        let payload = InboundPayload::parse(body)?;
        let db = self.forum.db();
        let task_id = match (payload.task_id, payload.external_id.as_deref()) {
            (Some(id), _) => {
                on_db!(db, task_row(id))
                    .map_err(|_| InboundError::UnknownTask(format!("task {id}")))?
                    .id
            }
            (None, Some(ext)) => {
                let connector = self.connector_name().unwrap_or("webhook");
                on_db!(db, task_by_external(connector, ext))?
                    .ok_or_else(|| InboundError::UnknownTask(format!("external id {ext}")))?
            }
            (None, None) => {
                return Err(
                    InboundError::BadPayload("task_id or external_id is required".into()).into(),
                )
            }
        };
        let external = on_db!(db, external_id(task_id))?.unwrap_or_default();
        let change = payload.into_change(external);
        if !self.apply_inbound(task_id, &change)? {
            return Err(InboundError::Replayed.into());
        }
        tracing::info!(task_id, key = change.key(), "inbound CRM webhook applied");
        Ok(true)
    }

    // ------------------------------------------------------------ agent console

    pub fn queue(&self, actor: Actor, filter: &QueueFilter) -> Result<Vec<Task>> {
        ensure_agent(actor)?;
        let mut f = filter.clone();
        if f.limit <= 0 {
            f.limit = 50;
        }
        Ok(on_db!(self.forum.db(), queue(&f))?)
    }

    pub fn task(&self, actor: Actor, id: i64) -> Result<Task> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), task(id))?)
    }

    /// The task for a thread, for anyone who can see the thread (the forum
    /// checks that); used for the "answered by staff" mark.
    pub fn task_for_thread(&self, thread_id: i64) -> Result<Option<Task>> {
        Ok(on_db!(self.forum.db(), task_for_thread(thread_id))?)
    }

    pub fn task_view(&self, actor: Actor, id: i64) -> Result<TaskView> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let task = on_db!(db, task(id))?;
        let facts = on_db!(db, thread_facts(task.thread_id))?;
        let thread_status = on_db!(db, thread_status(task.thread_id))?;
        let customer = self.contact_view(actor, task.contact.id)?;
        let reminders = on_db!(db, reminders(actor.user_id, None, Some(id)))?;
        Ok(TaskView {
            question_md: facts.map(|f| f.body).unwrap_or_default(),
            thread_status,
            task,
            customer,
            reminders,
        })
    }

    pub fn contact(&self, actor: Actor, user_id: i64) -> Result<Contact> {
        ensure_agent(actor)?;
        let seg = self.rules().segments.first().cloned().unwrap_or_default();
        Ok(on_db!(self.forum.db(), contact(user_id, &seg))?)
    }

    pub fn contact_view(&self, actor: Actor, user_id: i64) -> Result<ContactView> {
        let contact = self.contact(actor, user_id)?;
        let db = self.forum.db();
        Ok(ContactView {
            contact,
            timeline: on_db!(db, timeline(user_id, 200))?,
            tasks: on_db!(db, tasks_of_contact(user_id, 100))?,
            threads: on_db!(db, threads_of(user_id, 100))?,
        })
    }

    pub fn update_contact(
        &self,
        actor: Actor,
        user_id: i64,
        patch: &ContactPatch,
    ) -> Result<Contact> {
        ensure_agent(actor)?;
        let rules = self.rules();
        if let Some(s) = &patch.segment {
            if !rules.segments.contains(s) {
                return Err(ForumError::validation(
                    "segment",
                    format!("unknown segment; one of: {}", rules.segments.join(", ")),
                )
                .into());
            }
        }
        if let Some(s) = &patch.lifecycle {
            if !rules.lifecycle_stages.contains(s) {
                return Err(ForumError::validation(
                    "lifecycle",
                    format!(
                        "unknown stage; one of: {}",
                        rules.lifecycle_stages.join(", ")
                    ),
                )
                .into());
            }
        }
        if let Some(tags) = &patch.tags {
            if tags
                .iter()
                .any(|t| t.contains(',') || t.trim().is_empty() || t.len() > 40)
            {
                return Err(ForumError::validation(
                    "tags",
                    "tags are 1 to 40 characters, without commas",
                )
                .into());
            }
        }
        if patch.notes.as_ref().is_some_and(|n| n.len() > 20_000)
            || patch.company.as_ref().is_some_and(|c| c.len() > 200)
        {
            return Err(ForumError::validation("notes", "too long").into());
        }
        let now = self.forum.now();
        let seg = rules.segments.first().cloned().unwrap_or_default();
        Ok(on_db!(
            self.forum.db(),
            update_contact_tx(now, user_id, &seg, patch, actor.user_id)
        )?)
    }

    /// Change status, priority or owner. Every change lands in the
    /// customer's timeline and, with a connector, in the external CRM.
    pub fn update_task(&self, actor: Actor, id: i64, patch: &TaskPatch) -> Result<Task> {
        ensure_agent(actor)?;
        if let Some(Some(owner)) = patch.owner_id {
            let u = self.forum.user(owner)?;
            if !matches!(u.role, Role::Agent | Role::Admin) {
                return Err(ForumError::validation(
                    "owner_id",
                    "tasks can only be assigned to agents",
                )
                .into());
            }
        }
        let rules = self.rules();
        let connector = self.connector_name();
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        in_tx!(self.forum.db(), |conn, m| {
            let ctx = Ctx {
                rules: &rules,
                connector,
                now,
                public_url,
                sync_user: None,
            };
            let mut t = m::task_row(conn, id)?;
            if let Some(status) = patch.status {
                if status == TaskStatus::Escalated {
                    m::logic::escalate_row(
                        conn,
                        &ctx,
                        t,
                        &Escalation::Manual { by: actor.user_id },
                        Some(actor.user_id),
                    )?;
                } else {
                    m::logic::set_status_row(
                        conn,
                        &ctx,
                        t,
                        status,
                        Some(actor.user_id),
                        "changed by an agent",
                        true,
                    )?;
                }
                t = m::task_row(conn, id)?;
            }
            let seen = t.updated_at;
            let mut changed = Vec::new();
            if let Some(p) = patch.priority {
                if t.priority() != p {
                    let (f, r) = rules.sla.due_times(p, t.created_at);
                    changed.push(format!("priority {} → {}", t.priority, p.as_str()));
                    t.priority = p.as_str().into();
                    t.first_response_due = f;
                    t.resolution_due = r;
                }
            }
            if let Some(owner) = patch.owner_id {
                if t.owner_id != owner {
                    changed.push(match owner {
                        Some(o) => format!("assigned to user #{o}"),
                        None => "unassigned".into(),
                    });
                    t.owner_id = owner;
                    if owner.is_some() && t.status() == TaskStatus::New {
                        t.status = TaskStatus::Open.as_str().into();
                    }
                }
            }
            if !changed.is_empty() {
                t.updated_at = now.max(seen + 1);
                if !m::save_task(conn, &t, seen)? {
                    return Err(ForumError::Conflict(
                        "the task changed meanwhile; reload and try again".into(),
                    ));
                }
                m::add_timeline(
                    conn,
                    &m::TimelineNew {
                        contact_id: t.contact_id,
                        at: now,
                        kind: "task.updated",
                        thread_id: Some(t.thread_id),
                        task_id: Some(id),
                        actor_id: Some(actor.user_id),
                        summary: format!("task #{id}: {}", changed.join(", ")),
                        dedupe_key: format!("task:{id}:update:{}", t.updated_at),
                    },
                )?;
                if let Some(c) = connector {
                    m::enqueue_delivery(conn, now, c, id, "sync", 0)?;
                }
            }
            m::task(conn, id)
        })
        .map_err(CrmError::from)
    }

    /// Take a task: it becomes yours and open.
    pub fn claim(&self, actor: Actor, id: i64) -> Result<Task> {
        self.update_task(
            actor,
            id,
            &TaskPatch {
                owner_id: Some(Some(actor.user_id)),
                ..TaskPatch::default()
            },
        )
    }

    /// Reply in the task's thread as the agent. The post, the first-response
    /// mark and the status change commit together.
    pub fn agent_reply(&self, actor: Actor, id: i64, body: &str) -> Result<i64> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let task = on_db!(db, task(id))?;
        let rules = self.rules();
        let now = self.forum.now();
        let ctx = Ctx {
            rules: &rules,
            connector: self.connector_name(),
            now,
            public_url: &self.config.public_url,
            sync_user: None,
        };
        let thread = task.thread_id;
        let post = self
            .forum
            .reply_with(actor, thread, body, |conn, _post| match conn {
                TxConn::Sqlite(c) => {
                    crate::db::sqlite::logic::record_staff_reply(c, &ctx, thread, now)
                }
                TxConn::Pg(c) => crate::db::pg::logic::record_staff_reply(c, &ctx, thread, now),
            })?;
        tracing::info!(
            task_id = id,
            post_id = post,
            agent_id = actor.user_id,
            "agent replied"
        );
        Ok(post)
    }

    /// The escalate button: moderators and agents, if the rule is on. A
    /// thread without a task gets one.
    pub fn escalate_thread(&self, actor: Actor, thread_id: i64) -> Result<Task> {
        if !actor.role.is_staff() {
            return Err(ForumError::Forbidden("only moderators and agents can escalate").into());
        }
        let rules = self.rules();
        if !rules.manual_escalation {
            return Err(ForumError::Forbidden("manual escalation is turned off").into());
        }
        // The forum decides whether this actor may see the thread.
        self.forum.thread(thread_id, Some(actor), 1, 1, false)?;
        let connector = self.connector_name();
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        let why = Escalation::Manual { by: actor.user_id };
        in_tx!(self.forum.db(), |conn, m| {
            let ctx = Ctx {
                rules: &rules,
                connector,
                now,
                public_url,
                sync_user: None,
            };
            match m::task_row_for_thread(conn, thread_id)? {
                Some(t) => {
                    m::logic::escalate_row(conn, &ctx, t, &why, Some(actor.user_id))?;
                }
                None => {
                    m::logic::create_task_for_thread(
                        conn,
                        &ctx,
                        thread_id,
                        Some(why.clone()),
                        now,
                    )?;
                }
            }
            m::task_for_thread(conn, thread_id)?.ok_or(ForumError::NotFound("thread"))
        })
        .map_err(CrmError::from)
    }

    // ------------------------------------------------------------ canned responses, reminders

    pub fn canned_responses(&self, actor: Actor) -> Result<Vec<CannedResponse>> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), canned_responses())?)
    }

    pub fn save_canned_response(
        &self,
        actor: Actor,
        id: Option<i64>,
        title: &str,
        body: &str,
    ) -> Result<i64> {
        ensure_agent(actor)?;
        let (title, body) = (title.trim(), body.trim());
        if title.is_empty() || title.chars().count() > 120 {
            return Err(ForumError::validation(
                "title",
                "a title of 1 to 120 characters is required",
            )
            .into());
        }
        if body.is_empty() || body.len() > 20_000 {
            return Err(
                ForumError::validation("body", "a body of 1 to 20000 bytes is required").into(),
            );
        }
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            save_canned(now, id, title, body, actor.user_id)
        )?)
    }

    pub fn delete_canned_response(&self, actor: Actor, id: i64) -> Result<()> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), delete_canned(id))?)
    }

    /// A canned response filled in for this task and agent. Placeholders:
    /// `{{customer_name}}`, `{{customer_username}}`, `{{thread_title}}`,
    /// `{{thread_url}}`, `{{task_id}}`, `{{agent_name}}`.
    pub fn render_canned_response(
        &self,
        actor: Actor,
        canned_id: i64,
        task_id: i64,
    ) -> Result<String> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let canned = on_db!(db, canned_response(canned_id))?;
        let task = on_db!(db, task(task_id))?;
        let agent = self.forum.user(actor.user_id)?;
        let url = format!(
            "{}/t/{}",
            self.config.public_url.trim_end_matches('/'),
            task.thread_id
        );
        let id = task.id.to_string();
        Ok(render_template(
            &canned.body,
            &[
                ("customer_name", &task.contact.display_name),
                ("customer_username", &task.contact.username),
                ("thread_title", &task.thread_title),
                ("thread_url", &url),
                ("task_id", &id),
                ("agent_name", &agent.display_name),
            ],
        ))
    }

    pub fn add_reminder(
        &self,
        actor: Actor,
        task_id: i64,
        remind_at: i64,
        note: &str,
    ) -> Result<i64> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        if remind_at <= now {
            return Err(
                ForumError::validation("remind_at", "a reminder must be in the future").into(),
            );
        }
        if note.len() > 2_000 {
            return Err(ForumError::validation("note", "at most 2000 bytes").into());
        }
        Ok(on_db!(
            self.forum.db(),
            add_reminder(now, task_id, actor.user_id, remind_at, note.trim())
        )?)
    }

    /// The agent's reminders whose time has come.
    pub fn due_reminders(&self, actor: Actor) -> Result<Vec<Reminder>> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            reminders(actor.user_id, Some(now), None)
        )?)
    }

    pub fn dismiss_reminder(&self, actor: Actor, id: i64) -> Result<()> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            dismiss_reminder(now, id, actor.user_id)
        )?)
    }

    // ------------------------------------------------------------ admin

    pub fn stats(&self, actor: Actor) -> Result<CrmStats> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), stats())?)
    }

    pub fn dead_letters(&self, actor: Actor) -> Result<Vec<Delivery>> {
        if actor.role != Role::Admin {
            return Err(
                ForumError::Forbidden("only administrators see the dead-letter list").into(),
            );
        }
        self.deliveries("dead", 500)
    }

    /// Give dead items a fresh retry budget; `id` None replays them all.
    pub fn replay_dead_letters(&self, actor: Actor, id: Option<i64>) -> Result<usize> {
        if actor.role != Role::Admin {
            return Err(ForumError::Forbidden("only administrators can replay deliveries").into());
        }
        let n = self
            .forum
            .replay_dead_deliveries(forum::delivery::CRM, id)?;
        tracing::info!(
            user_id = actor.user_id,
            replayed = n,
            "dead CRM deliveries replayed"
        );
        Ok(n)
    }

    /// (pending, dead) delivery counts, for monitoring.
    pub fn delivery_backlog(&self) -> Result<(i64, i64)> {
        let s = on_db!(self.forum.db(), stats())?;
        Ok((s.pending_deliveries, s.dead_letters))
    }

    /// Items waiting for the connector (for tests and the admin page).
    pub fn pending_deliveries(&self) -> Result<Vec<Delivery>> {
        self.deliveries("pending", 10_000)
    }

    fn deliveries(&self, status: &str, limit: i64) -> Result<Vec<Delivery>> {
        Ok(self
            .forum
            .deliveries(forum::delivery::CRM, status, limit)?
            .into_iter()
            .map(Delivery::from)
            .collect())
    }

    /// Threads that should have a task and don't; tasks not mirrored to the
    /// external CRM. With `fix`, create and queue what is missing.
    pub fn reconcile(&self, fix: bool) -> Result<ReconcileReport> {
        let rules = self.rules();
        let db = self.forum.db();
        let mut report = ReconcileReport {
            fixed: fix,
            ..ReconcileReport::default()
        };
        let mut after = 0;
        loop {
            let ids = on_db!(
                db,
                threads_without_task(&rules.task_categories, after, 1_000)
            )?;
            let Some(last) = ids.last() else { break };
            after = *last;
            report.missing_tasks.extend(ids);
        }
        if let Some(c) = self.connector_name() {
            let mut after = 0;
            loop {
                let ids = on_db!(db, tasks_out_of_sync(after, 1_000))?;
                let Some(last) = ids.last() else { break };
                after = *last;
                report.out_of_sync.extend(ids);
            }
            if fix {
                let now = self.forum.now();
                for id in &report.out_of_sync {
                    on_db!(db, enqueue_delivery(now, c, *id, "sync", 0))?;
                }
            }
        }
        if fix {
            let connector = self.connector_name();
            let now = self.forum.now();
            let public_url = self.config.public_url.as_str();
            for tid in &report.missing_tasks {
                let created_at = on_db!(db, thread_created_at(*tid))?.unwrap_or(now);
                in_tx!(db, |conn, m| {
                    let ctx = Ctx {
                        rules: &rules,
                        connector,
                        now,
                        public_url,
                        sync_user: None,
                    };
                    m::logic::create_task_for_thread(conn, &ctx, *tid, None, created_at)
                })?;
            }
        }
        Ok(report)
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
