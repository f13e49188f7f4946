//! The CRM worker loop: outbox events into tasks, timer rules (escalation
//! and SLA), deliveries to the external CRM, and polling it for changes.
//! Every step is safe to run on many nodes at once: the outbox cursor and
//! the delivery queue are claimed with `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, and timer rules are compare-and-set per task.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::service::Crm;

/// How often the timer rules run and rules saved elsewhere are picked up.
const TIMER_EVERY: Duration = Duration::from_secs(5);

pub struct CrmWorker {
    stop: Arc<AtomicBool>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

/// One pass of the event and timer work; returns events handled.
pub fn run_once(crm: &Crm, batch: i64) -> crate::Result<usize> {
    let n = crm.process_events(batch)?;
    crm.run_timers(500)?;
    Ok(n)
}

fn sleep_unless_stopped(stop: &AtomicBool, d: Duration) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::SeqCst) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

impl CrmWorker {
    /// Two threads: one for events and timers, one for the connector, so a
    /// slow external CRM never delays task creation.
    pub fn spawn(crm: Crm, idle: Duration) -> CrmWorker {
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();

        let (c, flag) = (crm.clone(), stop.clone());
        let events = std::thread::Builder::new().name("crm-events".into()).spawn(move || {
            let mut backoff = Duration::from_millis(200);
            let mut timers_at = Instant::now();
            while !flag.load(Ordering::SeqCst) {
                if timers_at.elapsed() >= TIMER_EVERY {
                    timers_at = Instant::now();
                    if let Err(e) = c.reload_rules().and_then(|_| c.run_timers(500).map(|_| ())) {
                        tracing::warn!(error = %e, "CRM timer rules failed");
                    }
                }
                match c.process_events(500) {
                    Ok(0) => sleep_unless_stopped(&flag, idle),
                    Ok(n) => {
                        backoff = Duration::from_millis(200);
                        tracing::debug!(events = n, "CRM batch");
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, retry_ms = backoff.as_millis() as u64, "CRM worker failed; will retry");
                        sleep_unless_stopped(&flag, backoff);
                        backoff = (backoff * 2).min(Duration::from_secs(30));
                    }
                }
            }
        });
        match events {
            Ok(h) => handles.push(h),
            Err(e) => tracing::error!(error = %e, "could not start the CRM worker"),
        }

        if crm.connector_name().is_some() {
            let (c, flag) = (crm, stop.clone());
            let poll_every = Duration::from_millis(c.config().delivery.poll_every_ms.max(100));
            let delivery = std::thread::Builder::new()
                .name("crm-delivery".into())
                .spawn(move || {
                    let mut polled_at = Instant::now();
                    while !flag.load(Ordering::SeqCst) {
                        if polled_at.elapsed() >= poll_every {
                            polled_at = Instant::now();
                            match c.pull() {
                                Ok(0) => {}
                                Ok(n) => tracing::info!(
                                    changes = n,
                                    "changes pulled from the external CRM"
                                ),
                                Err(e) => {
                                    tracing::warn!(error = %e, "polling the external CRM failed")
                                }
                            }
                        }
                        match c.deliver() {
                            Ok(r) if r.delivered + r.retried + r.dead + r.deferred == 0 => {
                                sleep_unless_stopped(&flag, idle)
                            }
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, "CRM delivery pass failed");
                                sleep_unless_stopped(&flag, Duration::from_secs(1));
                            }
                        }
                    }
                });
            match delivery {
                Ok(h) => handles.push(h),
                Err(e) => tracing::error!(error = %e, "could not start the CRM delivery worker"),
            }
        }
        CrmWorker { stop, handles }
    }

    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for h in self.handles.drain(..) {
            let _ = h.join();
        }
    }
}

impl Drop for CrmWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
