//! Every background job Hearth runs, registered with the one runner in
//! `supervisor`: the search indexer, the outbox consumers (reputation,
//! knowledge base, notifications, CRM), the timers (view counts, promotion
//! by views, CRM escalation and SLA rules), CRM deliveries and mail. Each
//! consumer's cursor is taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! so any number of nodes may run these; one of them gets each batch.

use std::time::{Duration, Instant};

use forum::Forum;

use crate::supervisor::{Every, Job, JobError, OutboxConsumer, Supervisor};
use crate::AppState;

/// How often solved threads are checked for the view-count promotion rule.
const VIEW_RULE_EVERY: Duration = Duration::from_secs(30);
/// How often buffered view counts are written.
const VIEW_FLUSH_EVERY: Duration = Duration::from_secs(2);
/// How often handled, old outbox events are pruned (up to a batch a time).
const OUTBOX_PRUNE_EVERY: Duration = Duration::from_secs(60);
const OUTBOX_PRUNE_BATCH: i64 = 10_000;

/// How often CRM timer rules run and rules saved elsewhere are picked up.
const CRM_TIMERS_EVERY: Duration = Duration::from_secs(5);

/// Start every job of a web node on `state.workers`.
pub fn spawn_all(state: &AppState) -> Result<(), String> {
    let sup = &state.workers;
    sup.spawn(crate::indexer::IndexerJob::new(
        state.forum.clone(),
        state.search.clone(),
        Duration::from_millis(100),
    ));
    if state.pages.enabled() {
        sup.spawn(crate::page_cache::PageCacheJob::new(
            state.forum.clone(),
            state.pages.clone(),
        ));
    }
    spawn_community(sup, &state.forum, Duration::from_millis(200));
    // Searches are buffered like view counts and written in batches.
    let f = state.forum.clone();
    let keep_days = state.config.analytics.search_log_days;
    sup.spawn(Every::new("search-log", VIEW_FLUSH_EVERY, move || {
        Ok(f.flush_search_log(keep_days)?)
    }));
    let f = state.forum.clone();
    sup.spawn(Every::new("page-views", VIEW_FLUSH_EVERY, move || {
        Ok(f.flush_page_views()?)
    }));
    // Idempotent per week (the notices' dedupe keys): any node, any hour.
    let f = state.forum.clone();
    sup.spawn(Every::after(
        "analytics-digest",
        Duration::from_secs(300),
        Duration::from_secs(3600),
        move || Ok(f.send_weekly_digest()?),
    ));
    // Idempotency keys expire after a day; any node may delete them.
    let f = state.forum.clone();
    sup.spawn(Every::new(
        "idempotency-keys",
        OUTBOX_PRUNE_EVERY,
        move || {
            let n = f.prune_idempotency_keys(OUTBOX_PRUNE_BATCH)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    ));
    spawn_crm(sup, &state.crm, Duration::from_millis(100));
    let mail = crate::mail::MailJob::new(
        state.forum.clone(),
        state.mail_context(),
        Duration::from_millis(200),
    )?;
    sup.spawn(mail);
    if let Some(age) = retention(state.config.outbox_retention_days) {
        let f = state.forum.clone();
        sup.spawn(Every::new(
            "outbox-retention",
            OUTBOX_PRUNE_EVERY,
            move || {
                let n = f.prune_outbox(age, OUTBOX_PRUNE_BATCH)?;
                if n > 0 {
                    tracing::info!(events = n, "old outbox events pruned");
                }
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            },
        ));
    }
    Ok(())
}

/// The retention age in milliseconds; `None` keeps events forever.
fn retention(days: u64) -> Option<i64> {
    (days > 0).then(|| i64::try_from(days.saturating_mul(86_400_000)).unwrap_or(i64::MAX))
}

/// Reputation, knowledge base and notifications: one job per outbox
/// consumer, so a failure in one never holds up the others, plus the
/// community timers.
pub fn spawn_community(sup: &Supervisor, forum: &Forum, idle: Duration) {
    let consumer = |name: &'static str,
                    consumer: &'static str,
                    step: fn(&Forum, i64) -> forum::Result<usize>| {
        let f = forum.clone();
        OutboxConsumer {
            name,
            consumer,
            forum: forum.clone(),
            batch: 500,
            idle,
            step: move |batch| step(&f, batch).map_err(JobError::from),
        }
    };
    sup.spawn(consumer(
        "reputation",
        forum::reputation::OUTBOX_CONSUMER,
        Forum::process_reputation_events,
    ));
    sup.spawn(consumer(
        "kb",
        forum::kb::OUTBOX_CONSUMER,
        Forum::process_kb_events,
    ));
    sup.spawn(consumer(
        "notify",
        forum::notify::OUTBOX_CONSUMER,
        Forum::process_notify_events,
    ));
    sup.spawn(consumer(
        "analytics",
        forum::analytics::rollups::OUTBOX_CONSUMER,
        Forum::process_analytics_events,
    ));
    let f = forum.clone();
    sup.spawn(Every::new(
        "kb-view-promotion",
        VIEW_RULE_EVERY,
        move || {
            let n = f.promote_by_views(100)?;
            if n > 0 {
                tracing::info!(promoted = n, "threads promoted to the KB by views");
            }
            Ok(n)
        },
    ));
    let f = forum.clone();
    sup.spawn(Every::new("view-counts", VIEW_FLUSH_EVERY, move || {
        Ok(f.flush_views()?)
    }));
    let f = forum.clone();
    sup.spawn(Every::new(
        "rate-limit-prune",
        Duration::from_secs(600),
        move || Ok(f.prune_rate_limits()?),
    ));
}

/// CRM: outbox events into tasks, timer rules, and (with a connector)
/// deliveries and polling on a job of their own, so a slow external CRM
/// never delays task creation.
pub fn spawn_crm(sup: &Supervisor, crm: &crm_bridge::Crm, idle: Duration) {
    let c = crm.clone();
    sup.spawn(OutboxConsumer {
        name: "crm-events",
        consumer: crm_bridge::OUTBOX_CONSUMER,
        forum: crm.forum().clone(),
        batch: 500,
        idle,
        step: move |batch| c.process_events(batch).map_err(JobError::from),
    });
    let c = crm.clone();
    sup.spawn(Every::new("crm-timers", CRM_TIMERS_EVERY, move || {
        c.reload_rules()?;
        c.run_timers(500)?;
        Ok(1)
    }));
    if crm.connector_name().is_some() {
        sup.spawn(CrmDelivery {
            crm: crm.clone(),
            idle,
            poll_every: Duration::from_millis(crm.config().delivery.poll_every_ms.max(100)),
            polled_at: Instant::now(),
        });
    }
}

/// Deliveries to the external CRM (each item retried and dead-lettered by
/// the delivery queue itself), and polling it for changes.
struct CrmDelivery {
    crm: crm_bridge::Crm,
    idle: Duration,
    poll_every: Duration,
    polled_at: Instant,
}

impl Job for CrmDelivery {
    fn name(&self) -> &'static str {
        "crm-delivery"
    }

    fn run(&mut self, _isolate: bool) -> Result<usize, JobError> {
        if self.polled_at.elapsed() >= self.poll_every {
            self.polled_at = Instant::now();
            let n = self.crm.pull()?;
            if n > 0 {
                tracing::info!(changes = n, "changes pulled from the external CRM");
            }
        }
        let r = self.crm.deliver()?;
        Ok(r.delivered + r.retried + r.dead + r.deferred)
    }

    fn idle(&self) -> Duration {
        self.idle
    }
}

/// For tests that drive the consumers by hand: one pass of each.
pub fn run_once(forum: &Forum, batch: i64) -> forum::Result<usize> {
    Ok(forum.process_reputation_events(batch)?
        + forum.process_kb_events(batch)?
        + forum.process_notify_events(batch)?)
}
