//! Administration: statistics, the dead-letter list and its replay,
//! monitoring counts and reconciliation.

#[allow(unused_imports)]
use super::*;

impl Crm {
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
