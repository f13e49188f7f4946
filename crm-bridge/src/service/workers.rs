//! The CRM's background work: applying outbox events, timers (SLA,
//! reminders), pushing queued changes to the external connector, and
//! taking changes back (polling and signed webhooks).

#[allow(unused_imports)]
use super::*;

impl Crm {
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
        self.write_large_fan_outs_ahead(&ctx, limit)?;
        Ok(self.forum.poll_events_with(
            crate::OUTBOX_CONSUMER,
            limit,
            |conn, events| match conn {
                TxConn::Sqlite(c) => crate::db::sqlite::logic::handle_events(c, &ctx, events),
                TxConn::Pg(c) => crate::db::pg::logic::handle_events(c, &ctx, events),
            },
        )?)
    }

    /// An idea's status change reaches every voter's timeline: thousands
    /// of entries. They are written ahead of the batch in transactions of
    /// 500, so the change never holds the (SQLite) write lock for long;
    /// dedupe keys make the batch's own pass, or a replay, add nothing.
    fn write_large_fan_outs_ahead(&self, ctx: &Ctx<'_>, limit: i64) -> Result<()> {
        const PART: usize = 500;
        let Some(from) = self.forum.consumer_position(crate::OUTBOX_CONSUMER)? else {
            return Ok(());
        };
        let (events, _) =
            self.forum
                .read_events_after(crate::OUTBOX_CONSUMER, from, limit.clamp(1, 10_000))?;
        for e in &events {
            let forum::events::EventBody::IdeaStatusChanged(p) = &e.body else {
                continue;
            };
            let mut skip = 0;
            loop {
                let voters = in_tx!(self.forum.db(), |conn, m| {
                    m::logic::idea_status_timeline_part(conn, ctx, e, p, skip, PART)
                })?;
                skip += PART;
                if skip >= voters {
                    break;
                }
            }
        }
        Ok(())
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
}
