//! Background work driven by the outbox: reputation (points, ranks, badges),
//! the knowledge base (staleness, promotion by kudos and by views) and
//! notifications (who hears about replies, mentions and watched threads). Each
//! consumer's cursor is taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
//! any number of nodes may run these loops; one of them gets each batch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use forum::Forum;

/// How often solved threads are checked for the view-count promotion rule.
const VIEW_RULE_EVERY: Duration = Duration::from_secs(30);

pub struct CommunityTask {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

/// One pass: returns how many events were handled.
pub fn run_once(forum: &Forum, batch: i64) -> forum::Result<usize> {
    Ok(forum.process_reputation_events(batch)?
        + forum.process_kb_events(batch)?
        + forum.process_notify_events(batch)?)
}

impl CommunityTask {
    pub fn spawn(forum: Forum, idle: Duration) -> CommunityTask {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("community-worker".into())
            .spawn(move || {
                let mut backoff = Duration::from_millis(200);
                let mut views_checked = Instant::now();
                while !flag.load(Ordering::SeqCst) {
                    if views_checked.elapsed() >= VIEW_RULE_EVERY {
                        views_checked = Instant::now();
                        match forum.promote_by_views(100) {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(promoted = n, "threads promoted to the KB by views"),
                            Err(e) => tracing::warn!(error = %e, "view promotion rule failed"),
                        }
                    }
                    match run_once(&forum, 500) {
                        Ok(0) => std::thread::sleep(idle),
                        Ok(n) => {
                            backoff = Duration::from_millis(200);
                            tracing::debug!(events = n, "community batch");
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, retry_ms = backoff.as_millis() as u64, "community worker failed; will retry");
                            std::thread::sleep(backoff);
                            backoff = (backoff * 2).min(Duration::from_secs(30));
                        }
                    }
                }
            })
            .ok();
        if handle.is_none() {
            tracing::error!("could not start the community worker thread");
        }
        CommunityTask { stop, handle }
    }

    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for CommunityTask {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
