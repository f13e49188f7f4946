//! The one runner for background work. Every worker loop (search indexer,
//! outbox consumers, timers, CRM deliveries, mail) is a `Job` with its own
//! thread here, and the runner owns what they share:
//!
//! - **panic isolation**: a pass that panics is a failed pass; the loop
//!   goes on with backoff and the panic is logged and counted;
//! - **poison items**: after a failure the job is asked for one item at a
//!   time, and an item that keeps failing for a reason of its own (not a
//!   database outage) is dead-lettered by the job, so one bad event never
//!   stops a queue;
//! - **health**: a job that has exited, hangs in one pass, or has failed
//!   for longer than `stuck_after` makes `/healthz` unhealthy, so an
//!   orchestrator restarts the process;
//! - **metrics and shutdown**: counters per job, and waits that end as
//!   soon as `stop` is called.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Why a pass failed, and whether the cause is outside the item (a
/// database that is down or busy), in which case the item is never given up on.
#[derive(Debug, Clone)]
pub struct JobError {
    pub message: String,
    pub transient: bool,
}

impl From<forum::ForumError> for JobError {
    fn from(e: forum::ForumError) -> Self {
        use forum::ForumError as F;
        JobError {
            transient: matches!(e, F::Busy | F::Database(_)),
            message: e.to_string(),
        }
    }
}

impl From<crm_bridge::CrmError> for JobError {
    fn from(e: crm_bridge::CrmError) -> Self {
        match e {
            crm_bridge::CrmError::Forum(f) => f.into(),
            // A connector error is the external system's, not an item's.
            other => JobError {
                transient: true,
                message: other.to_string(),
            },
        }
    }
}

impl From<crate::indexer::IndexerError> for JobError {
    fn from(e: crate::indexer::IndexerError) -> Self {
        match e {
            crate::indexer::IndexerError::Forum(f) => f.into(),
            // Index files: a disk problem, not an event's.
            other => JobError {
                transient: true,
                message: other.to_string(),
            },
        }
    }
}

/// A unit of background work, run in a loop on its own thread.
pub trait Job: Send + 'static {
    fn name(&self) -> &'static str;

    /// One pass; returns how much it did (0: nothing to do, wait `idle`).
    /// `isolate` is set after a failure: work on one item only, so that a
    /// bad item can be told from the rest.
    fn run(&mut self, isolate: bool) -> Result<usize, JobError>;

    /// Record the item that keeps failing as dead and move past it.
    /// Returns false for jobs that have no items to give up on.
    fn dead_letter(&mut self, _error: &str) -> Result<bool, JobError> {
        Ok(false)
    }

    /// How long to wait after a pass that found nothing to do.
    fn idle(&self) -> Duration;
}

/// When to give up on an item, how to back off, and when a job counts as
/// stuck.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Consecutive failures (the later ones on a single item) before the
    /// item is dead-lettered.
    pub dead_letter_after: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// A pass running this long, or failures without a success for this
    /// long, make the job unhealthy.
    pub stuck_after: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            dead_letter_after: 8,
            backoff_base: Duration::from_millis(200),
            backoff_cap: Duration::from_secs(30),
            stuck_after: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, Clone)]
struct State {
    running: bool,
    busy_since: Option<Instant>,
    last_success: Instant,
    failing_since: Option<Instant>,
    failures: u64,
    panics: u64,
    dead_letters: u64,
    last_error: String,
}

struct Worker {
    name: &'static str,
    state: Mutex<State>,
}

impl Worker {
    fn state(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere held it; the
        // counters are still meaningful.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Marks the worker as exited however its thread ends, unwinding included.
struct ExitGuard(Arc<Worker>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let mut s = self.0.state();
        s.running = false;
        s.busy_since = None;
    }
}

struct Shared {
    stopping: Mutex<bool>,
    wake: Condvar,
    workers: Mutex<Vec<Arc<Worker>>>,
    handles: Mutex<Vec<JoinHandle<()>>>,
    policy: Policy,
}

impl Shared {
    fn stopping(&self) -> bool {
        *self.stopping.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sleep for `d`, or less if the runner is stopping.
    fn sleep(&self, d: Duration) {
        let guard = self.stopping.lock().unwrap_or_else(|e| e.into_inner());
        if *guard {
            return;
        }
        let _ = self
            .wake
            .wait_timeout_while(guard, d, |stopping| !*stopping);
    }
}

/// One job's health, as `/healthz` and `/metrics` show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerReport {
    pub name: &'static str,
    /// `ok`, `failing` (failures, not yet for long), `stuck` (one pass has
    /// run longer than allowed), `down` (failing for longer than allowed),
    /// or `stopped` (the thread exited).
    pub status: &'static str,
    pub healthy: bool,
    pub seconds_since_success: u64,
    pub failures: u64,
    pub panics: u64,
    pub dead_letters: u64,
}

/// The runner. Cheap to clone; `stop` ends every job.
#[derive(Clone)]
pub struct Supervisor {
    shared: Arc<Shared>,
}

impl Supervisor {
    pub fn new(policy: Policy) -> Supervisor {
        Supervisor {
            shared: Arc::new(Shared {
                stopping: Mutex::new(false),
                wake: Condvar::new(),
                workers: Mutex::default(),
                handles: Mutex::default(),
                policy,
            }),
        }
    }

    /// Start `job` on its own thread.
    pub fn spawn(&self, job: impl Job) {
        let name = job.name();
        let now = Instant::now();
        let worker = Arc::new(Worker {
            name,
            state: Mutex::new(State {
                running: true,
                busy_since: None,
                last_success: now,
                failing_since: None,
                failures: 0,
                panics: 0,
                dead_letters: 0,
                last_error: String::new(),
            }),
        });
        self.shared
            .workers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(worker.clone());
        let shared = self.shared.clone();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || run_loop(&shared, worker, job));
        match spawned {
            Ok(h) => self
                .shared
                .handles
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(h),
            Err(e) => {
                tracing::error!(worker = name, error = %e, "could not start a worker thread");
                if let Some(w) = self.find(name) {
                    w.state().running = false;
                }
            }
        }
    }

    fn find(&self, name: &str) -> Option<Arc<Worker>> {
        self.shared
            .workers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|w| w.name == name)
            .cloned()
    }

    /// Stop every job and wait for the passes in flight to finish.
    pub fn stop(&self) {
        *self
            .shared
            .stopping
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = true;
        self.shared.wake.notify_all();
        let handles: Vec<_> = self
            .shared
            .handles
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect();
        for h in handles {
            let _ = h.join();
        }
    }

    pub fn report(&self) -> Vec<WorkerReport> {
        let stuck_after = self.shared.policy.stuck_after;
        let stopping = self.shared.stopping();
        let now = Instant::now();
        let workers = self
            .shared
            .workers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        workers
            .iter()
            .map(|w| {
                let s = w.state().clone();
                let status = if !s.running {
                    if stopping {
                        "ok"
                    } else {
                        "stopped"
                    }
                } else if s
                    .busy_since
                    .is_some_and(|b| now.duration_since(b) > stuck_after)
                {
                    "stuck"
                } else if let Some(since) = s.failing_since {
                    if now.duration_since(since) > stuck_after {
                        "down"
                    } else {
                        "failing"
                    }
                } else {
                    "ok"
                };
                WorkerReport {
                    name: w.name,
                    status,
                    healthy: matches!(status, "ok" | "failing"),
                    seconds_since_success: now.duration_since(s.last_success).as_secs(),
                    failures: s.failures,
                    panics: s.panics,
                    dead_letters: s.dead_letters,
                }
            })
            .collect()
    }

    pub fn healthy(&self) -> bool {
        self.report().iter().all(|r| r.healthy)
    }

    /// The last error of a job, for the log and tests; never shown on
    /// public endpoints (it may name internals).
    pub fn last_error(&self, name: &str) -> Option<String> {
        self.find(name)
            .map(|w| w.state().last_error.clone())
            .filter(|e| !e.is_empty())
    }

    /// Prometheus lines for every job.
    pub fn render_metrics(&self, out: &mut String) {
        use std::fmt::Write;
        let reports = self.report();
        let families: [MetricFamily; 5] = [
            (
                "hearth_worker_healthy",
                "gauge",
                "1 while a background worker is healthy.",
                |r| f64::from(u8::from(r.healthy)),
            ),
            (
                "hearth_worker_seconds_since_success",
                "gauge",
                "Seconds since a worker's last successful pass.",
                |r| r.seconds_since_success as f64,
            ),
            (
                "hearth_worker_failures_total",
                "counter",
                "Failed passes of a worker.",
                |r| r.failures as f64,
            ),
            (
                "hearth_worker_panics_total",
                "counter",
                "Passes of a worker that panicked (each also counts as a failure).",
                |r| r.panics as f64,
            ),
            (
                "hearth_worker_dead_letters_total",
                "counter",
                "Items a worker gave up on after retries, since start.",
                |r| r.dead_letters as f64,
            ),
        ];
        for (name, kind, help, value) in families {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for r in &reports {
                let _ = writeln!(out, "{name}{{worker=\"{}\"}} {}", r.name, value(r));
            }
        }
    }
}

/// A Prometheus family over the workers: name, type, help, value of one.
type MetricFamily = (
    &'static str,
    &'static str,
    &'static str,
    fn(&WorkerReport) -> f64,
);

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

fn jittered(d: Duration) -> Duration {
    d.mul_f64(0.5 + 0.5 * rand::random::<f64>())
}

fn run_loop(shared: &Shared, worker: Arc<Worker>, mut job: impl Job) {
    let _exit = ExitGuard(worker.clone());
    let policy = &shared.policy;
    let name = worker.name;
    let mut consecutive = 0u32;
    let mut backoff = policy.backoff_base;
    while !shared.stopping() {
        let isolate = consecutive > 0;
        worker.state().busy_since = Some(Instant::now());
        let outcome = match catch_unwind(AssertUnwindSafe(|| job.run(isolate))) {
            Ok(r) => r,
            Err(panic) => {
                worker.state().panics += 1;
                Err(JobError {
                    message: format!("panicked: {}", panic_message(&*panic)),
                    transient: false,
                })
            }
        };
        {
            let mut s = worker.state();
            s.busy_since = None;
            match &outcome {
                Ok(_) => {
                    s.last_success = Instant::now();
                    s.failing_since = None;
                }
                Err(e) => {
                    s.failures += 1;
                    s.failing_since.get_or_insert_with(Instant::now);
                    s.last_error = e.message.clone();
                }
            }
        }
        match outcome {
            Ok(0) => {
                consecutive = 0;
                backoff = policy.backoff_base;
                shared.sleep(job.idle());
            }
            Ok(n) => {
                consecutive = 0;
                backoff = policy.backoff_base;
                tracing::debug!(worker = name, done = n, "worker pass");
            }
            Err(e) => {
                consecutive += 1;
                tracing::warn!(worker = name, failures = consecutive, transient = e.transient, retry_ms = backoff.as_millis() as u64, error = %e.message, "worker pass failed; will retry");
                if isolate && !e.transient && consecutive >= policy.dead_letter_after {
                    match catch_unwind(AssertUnwindSafe(|| job.dead_letter(&e.message))) {
                        Ok(Ok(true)) => {
                            let mut s = worker.state();
                            s.dead_letters += 1;
                            s.failing_since = None;
                            drop(s);
                            tracing::error!(worker = name, error = %e.message, "item dead-lettered after repeated failures");
                            consecutive = 0;
                            backoff = policy.backoff_base;
                            continue;
                        }
                        Ok(Ok(false)) => {}
                        Ok(Err(d)) => {
                            tracing::warn!(worker = name, error = %d.message, "could not dead-letter the failing item")
                        }
                        Err(p) => {
                            tracing::warn!(worker = name, error = %panic_message(&*p), "dead-lettering panicked")
                        }
                    }
                }
                shared.sleep(jittered(backoff));
                backoff = (backoff * 2).min(policy.backoff_cap);
            }
        }
    }
}

/// A job that runs `f` every `period` (view flushing, timer rules).
pub struct Every<F> {
    name: &'static str,
    period: Duration,
    next: Instant,
    f: F,
}

impl<F> Every<F>
where
    F: FnMut() -> Result<usize, JobError> + Send + 'static,
{
    pub fn new(name: &'static str, period: Duration, f: F) -> Every<F> {
        Every {
            name,
            period,
            next: Instant::now(),
            f,
        }
    }

    /// As `new`, the first run after `delay` rather than at once (work
    /// that need not race the start-up).
    pub fn after(name: &'static str, delay: Duration, period: Duration, f: F) -> Every<F> {
        Every {
            name,
            period,
            next: Instant::now() + delay,
            f,
        }
    }
}

impl<F> Job for Every<F>
where
    F: FnMut() -> Result<usize, JobError> + Send + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn run(&mut self, _isolate: bool) -> Result<usize, JobError> {
        let now = Instant::now();
        if now < self.next {
            return Ok(0);
        }
        // A failure leaves `next` where it is: the runner's backoff decides
        // when to try again, and the job stays failing (not "idle and
        // fine") until a pass succeeds.
        (self.f)()?;
        self.next = now + self.period;
        // Done work is not a reason to run again at once: wait the period.
        Ok(0)
    }

    fn idle(&self) -> Duration {
        self.next
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(50))
    }
}

/// A job over one outbox consumer whose cursor lives in the forum's
/// database: `step(forum, batch)` handles a batch, and an event that keeps
/// failing is dead-lettered with `Forum::skip_event`.
pub struct OutboxConsumer<F> {
    pub name: &'static str,
    pub consumer: &'static str,
    pub forum: forum::Forum,
    pub batch: i64,
    pub idle: Duration,
    pub step: F,
}

impl<F> Job for OutboxConsumer<F>
where
    F: FnMut(i64) -> Result<usize, JobError> + Send + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn run(&mut self, isolate: bool) -> Result<usize, JobError> {
        (self.step)(if isolate { 1 } else { self.batch })
    }

    fn dead_letter(&mut self, error: &str) -> Result<bool, JobError> {
        Ok(self.forum.skip_event(self.consumer, error)?.is_some())
    }

    fn idle(&self) -> Duration {
        self.idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn fast(stuck_after: Duration) -> Policy {
        Policy {
            dead_letter_after: 3,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(5),
            stuck_after,
        }
    }

    /// A queue of items where item 3 always panics and item 5 always
    /// fails with its own error.
    struct Queue {
        items: Arc<Mutex<Vec<u32>>>,
        done: Arc<Mutex<Vec<u32>>>,
        dead: Arc<Mutex<Vec<u32>>>,
    }

    impl Job for Queue {
        fn name(&self) -> &'static str {
            "queue"
        }
        fn run(&mut self, isolate: bool) -> Result<usize, JobError> {
            let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
            let take = if isolate { 1 } else { 4 }.min(items.len());
            let batch: Vec<u32> = items[..take].to_vec();
            for i in &batch {
                if *i == 3 {
                    panic!("item 3 is poison");
                }
                if *i == 5 {
                    return Err(JobError {
                        message: "item 5 is malformed".into(),
                        transient: false,
                    });
                }
            }
            items.drain(..take);
            self.done
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(batch);
            Ok(take)
        }
        fn dead_letter(&mut self, _error: &str) -> Result<bool, JobError> {
            let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
            if items.is_empty() {
                return Ok(false);
            }
            self.dead
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(items.remove(0));
            Ok(true)
        }
        fn idle(&self) -> Duration {
            Duration::from_millis(5)
        }
    }

    fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
        let until = Instant::now() + Duration::from_secs(10);
        while !ok() {
            assert!(Instant::now() < until, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_panicking_or_failing_item_is_dead_lettered_and_the_rest_goes_on() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let q = Queue {
            items: Arc::new(Mutex::new((1..=8).collect())),
            done: Arc::default(),
            dead: Arc::default(),
        };
        let (done, dead) = (q.done.clone(), q.dead.clone());
        let sup = Supervisor::new(fast(Duration::from_secs(60)));
        sup.spawn(q);
        wait_for("all items", || {
            done.lock().unwrap().len() + dead.lock().unwrap().len() == 8
        });
        sup.stop();
        std::panic::set_hook(prev);
        assert_eq!(*dead.lock().unwrap(), vec![3, 5]);
        assert_eq!(*done.lock().unwrap(), vec![1, 2, 4, 6, 7, 8]);
        let r = &sup.report()[0];
        assert_eq!(r.dead_letters, 2);
        assert!(r.panics >= 3, "{r:?}");
        assert!(r.healthy, "{r:?}");
    }

    struct Failing(bool);

    impl Job for Failing {
        fn name(&self) -> &'static str {
            "failing"
        }
        fn run(&mut self, _isolate: bool) -> Result<usize, JobError> {
            Err(JobError {
                message: "database is down".into(),
                transient: self.0,
            })
        }
        fn dead_letter(&mut self, _error: &str) -> Result<bool, JobError> {
            panic!("a transient failure must never dead-letter");
        }
        fn idle(&self) -> Duration {
            Duration::from_millis(1)
        }
    }

    #[test]
    fn failing_for_too_long_is_unhealthy_and_outages_never_dead_letter() {
        let sup = Supervisor::new(fast(Duration::from_millis(100)));
        sup.spawn(Failing(true));
        wait_for("failures", || sup.report()[0].failures > 5);
        assert_eq!(sup.report()[0].status, "failing");
        assert!(sup.healthy(), "not yet for long");
        wait_for("down", || !sup.healthy());
        assert_eq!(sup.report()[0].status, "down");
        assert_eq!(sup.report()[0].dead_letters, 0);
        assert_eq!(
            sup.last_error("failing").as_deref(),
            Some("database is down")
        );
        let mut metrics = String::new();
        sup.render_metrics(&mut metrics);
        assert!(
            metrics.contains("hearth_worker_healthy{worker=\"failing\"} 0"),
            "{metrics}"
        );
        sup.stop();
    }

    struct Hangs(Arc<AtomicUsize>);

    impl Job for Hangs {
        fn name(&self) -> &'static str {
            "hangs"
        }
        fn run(&mut self, _isolate: bool) -> Result<usize, JobError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(400));
            Ok(1)
        }
        fn idle(&self) -> Duration {
            Duration::from_millis(1)
        }
    }

    #[test]
    fn a_pass_that_hangs_is_stuck() {
        let sup = Supervisor::new(fast(Duration::from_millis(100)));
        let passes = Arc::new(AtomicUsize::new(0));
        sup.spawn(Hangs(passes.clone()));
        wait_for("a pass", || passes.load(Ordering::SeqCst) > 0);
        wait_for("stuck", || !sup.healthy());
        assert_eq!(sup.report()[0].status, "stuck");
        sup.stop();
    }

    #[test]
    fn a_timer_that_keeps_failing_is_not_mistaken_for_an_idle_one() {
        let sup = Supervisor::new(fast(Duration::from_millis(100)));
        let runs = Arc::new(AtomicUsize::new(0));
        let r = runs.clone();
        sup.spawn(Every::new(
            "broken-timer",
            Duration::from_secs(3600),
            move || {
                r.fetch_add(1, Ordering::SeqCst);
                Err(JobError {
                    message: "cannot reach the table".into(),
                    transient: true,
                })
            },
        ));
        wait_for("down", || !sup.healthy());
        assert_eq!(sup.report()[0].status, "down");
        assert!(
            runs.load(Ordering::SeqCst) > 1,
            "retried on the backoff, not the period"
        );
        sup.stop();
    }

    #[test]
    fn stop_ends_idle_waits_at_once_and_timers_run_on_their_period() {
        let sup = Supervisor::new(Policy::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let r = runs.clone();
        sup.spawn(Every::new("timer", Duration::from_secs(3600), move || {
            r.fetch_add(1, Ordering::SeqCst);
            Ok(1)
        }));
        wait_for("first run", || runs.load(Ordering::SeqCst) == 1);
        let started = Instant::now();
        sup.stop();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(sup.healthy(), "a stopped runner is not unhealthy");
    }
}
