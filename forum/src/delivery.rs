//! The one retry queue for everything Hearth sends to the outside world:
//! mail (channel `mail`) and changes for the external CRM (channel `crm`).
//! Items are written in the transaction of their cause, claimed with a
//! lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers
//! on any number of nodes share a channel; a crashed worker's lease simply
//! runs out), retried with capped exponential backoff and jitter that a
//! server's Retry-After can lengthen, and dead-lettered after the last
//! attempt or a permanent failure, from where an admin can replay them.
//!
//! What an item means belongs to its channel: a mail item points at its
//! rendered row in `mail_outbox`, a CRM item at a task (and a post, for
//! comments). The queue only knows when to try and what happened.

use serde::Serialize;

use crate::db::TxConn;
use crate::error::Result;
use crate::Forum;

/// Mail to members (`subject_id` is the `mail_outbox` row).
pub const MAIL: &str = "mail";
/// Changes for the external CRM (`subject_id` is the task; `ref_id` the
/// post of a comment).
pub const CRM: &str = "crm";

/// One queued item as its worker sees it.
#[derive(Debug, Clone, PartialEq, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::schema::delivery_queue)]
pub struct QueuedDelivery {
    pub id: i64,
    pub channel: String,
    pub kind: String,
    pub subject_id: i64,
    pub ref_id: i64,
    /// `pending`, `done` or `dead`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    /// Moves whenever the item is re-queued, so a worker that claimed an
    /// older version cannot mark the newer change delivered.
    pub updated_at: i64,
}

impl QueuedDelivery {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            id: self.id,
            updated_at: self.updated_at,
        }
    }
}

/// Which version of an item a worker claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub id: i64,
    pub updated_at: i64,
}

/// Something to send.
#[derive(Debug, Clone, Copy)]
pub struct NewDelivery<'a> {
    pub channel: &'a str,
    pub kind: &'a str,
    pub subject_id: i64,
    pub ref_id: i64,
    /// Re-queue an existing item for the same thing (a newer state replaces
    /// an older one: "sync this task") instead of ignoring the duplicate
    /// (a comment is sent once).
    pub coalesce: bool,
}

/// How a channel retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RetryPolicy {
    pub max_attempts: i32,
    pub backoff_base_ms: i64,
    pub backoff_cap_ms: i64,
}

/// Why an attempt failed.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// Worth trying again; the server may have said when.
    Retryable {
        error: &'a str,
        retry_after_ms: Option<i64>,
    },
    /// Trying again cannot help (rejected as invalid).
    Permanent(&'a str),
}

impl Failure<'_> {
    pub fn message(&self) -> &str {
        match self {
            Failure::Retryable { error, .. } | Failure::Permanent(error) => error,
        }
    }
}

/// What happens to a failed item next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts made, this one included.
    pub attempts: i32,
    /// When to try again; `None`: dead-lettered.
    pub next_at: Option<i64>,
}

impl RetryPolicy {
    /// After attempt number `attempts` (1-based) failed at `now`: retry
    /// after the backoff, or give up. `jitter` is uniform in [0, 1].
    pub fn after_failure(
        &self,
        now: i64,
        attempts: i32,
        failure: Failure<'_>,
        jitter: f64,
    ) -> Retry {
        let (permanent, retry_after_ms) = match failure {
            Failure::Retryable { retry_after_ms, .. } => (false, retry_after_ms),
            Failure::Permanent(_) => (true, None),
        };
        let next_at = (!permanent && attempts < self.max_attempts).then(|| {
            now + backoff_ms(
                self.backoff_base_ms,
                self.backoff_cap_ms,
                attempts,
                jitter,
                retry_after_ms,
            )
        });
        Retry { attempts, next_at }
    }
}

/// Exponential backoff with jitter for attempt `attempt` (1-based):
/// base·2^(attempt-1), capped, then scaled by a random factor in [0.5, 1.0]
/// so that many failed items do not retry in lock-step. A server's
/// Retry-After wins when it asks for longer.
pub fn backoff_ms(
    base_ms: i64,
    cap_ms: i64,
    attempt: i32,
    jitter: f64,
    retry_after_ms: Option<i64>,
) -> i64 {
    let exp = base_ms.saturating_mul(1i64 << (attempt.clamp(1, 30) - 1) as u32);
    let capped = exp.min(cap_ms).max(1);
    let jittered = (capped as f64 * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))).round() as i64;
    match retry_after_ms {
        Some(ra) if ra > jittered => ra,
        _ => jittered.max(1),
    }
}

/// Run a delivery store function on the connection of a transaction that
/// code in another crate (the CRM bridge) holds.
macro_rules! on_tx {
    ($tx:expr, $func:ident($($arg:expr),* $(,)?)) => {
        match $tx {
            TxConn::Sqlite(conn) => crate::db::sqlite_store::delivery::$func(conn, $($arg),*),
            TxConn::Pg(conn) => crate::db::pg_store::delivery::$func(conn, $($arg),*),
        }
    };
}

/// Queue an item in the caller's transaction.
pub fn enqueue(tx: TxConn<'_>, now: i64, item: NewDelivery<'_>) -> Result<()> {
    on_tx!(tx, enqueue(now, item))
}

/// Mark a claimed item delivered in the caller's transaction; false when
/// it was re-queued since it was claimed (it stays pending).
pub fn finish(tx: TxConn<'_>, now: i64, stamp: Stamp) -> Result<bool> {
    on_tx!(tx, finish(now, stamp))
}

/// Record a failed attempt in the caller's transaction.
pub fn fail(tx: TxConn<'_>, stamp: Stamp, retry: Retry, error: &str) -> Result<()> {
    on_tx!(tx, fail(stamp, retry, error))
}

/// Whether a `kind` item for `subject_id` is waiting, in the caller's
/// transaction.
pub fn is_pending(tx: TxConn<'_>, channel: &str, kind: &str, subject_id: i64) -> Result<bool> {
    on_tx!(tx, is_pending(channel, kind, subject_id))
}

/// (pending, done, dead) items of `channel`, in the caller's transaction.
pub fn counts(tx: TxConn<'_>, channel: &str) -> Result<(i64, i64, i64)> {
    on_tx!(tx, counts(channel))
}

impl Forum {
    /// Lease up to `limit` due items of `channel` for `lease_ms`.
    pub fn claim_deliveries(
        &self,
        channel: &str,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<QueuedDelivery>> {
        crate::db::dispatch!(
            self.db(),
            delivery::claim(self.now(), channel, lease_ms, limit.clamp(1, 1_000))
        )
    }

    /// Record a failed attempt of a claimed item: retried after the
    /// channel's backoff, or dead-lettered. Returns what was decided.
    pub fn delivery_failed(
        &self,
        item: &QueuedDelivery,
        policy: &RetryPolicy,
        failure: Failure<'_>,
    ) -> Result<Retry> {
        let now = self.now();
        let retry = policy.after_failure(now, item.attempts + 1, failure, rand::random::<f64>());
        crate::db::dispatch!(
            self.db(),
            delivery::fail(item.stamp(), retry, failure.message())
        )?;
        match retry.next_at {
            None => tracing::error!(
                channel = %item.channel, delivery_id = item.id, attempts = retry.attempts,
                error = failure.message(), "delivery moved to the dead-letter list"
            ),
            Some(at) => tracing::warn!(
                channel = %item.channel, delivery_id = item.id, attempts = retry.attempts,
                retry_in_ms = at - now, error = failure.message(), "delivery failed; will retry"
            ),
        }
        Ok(retry)
    }

    /// Put a claimed item back without counting an attempt (it waits on
    /// another item).
    pub fn defer_delivery(&self, item: &QueuedDelivery, until: i64) -> Result<()> {
        self.defer_delivery_id(item.id, until)
    }

    /// As `defer_delivery`, by the item's id.
    pub fn defer_delivery_id(&self, id: i64, until: i64) -> Result<()> {
        crate::db::dispatch!(self.db(), delivery::defer(id, until))
    }

    /// Items of `channel` in `status`, oldest first.
    pub fn deliveries(
        &self,
        channel: &str,
        status: &str,
        limit: i64,
    ) -> Result<Vec<QueuedDelivery>> {
        crate::db::dispatch!(
            self.db(),
            delivery::list(channel, status, limit.clamp(1, 10_000))
        )
    }

    /// Dead items of `channel` back to pending with a fresh attempt budget;
    /// `id` None replays them all. Returns how many.
    pub fn replay_dead_deliveries(&self, channel: &str, id: Option<i64>) -> Result<usize> {
        crate::db::dispatch!(self.db(), delivery::replay_dead(self.now(), channel, id))
    }

    /// (pending, done, dead) items of `channel`.
    pub fn delivery_counts(&self, channel: &str) -> Result<(i64, i64, i64)> {
        crate::db::dispatch!(self.db(), delivery::counts(channel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 5,
        backoff_base_ms: 1_000,
        backoff_cap_ms: 60_000,
    };

    #[test]
    fn backoff_doubles_caps_jitters_and_yields_to_retry_after() {
        assert_eq!(backoff_ms(1_000, 60_000, 1, 1.0, None), 1_000);
        assert_eq!(backoff_ms(1_000, 60_000, 3, 1.0, None), 4_000);
        assert_eq!(backoff_ms(1_000, 60_000, 3, 0.0, None), 2_000);
        assert_eq!(backoff_ms(1_000, 60_000, 30, 1.0, None), 60_000);
        assert_eq!(backoff_ms(1_000, 60_000, 1, 1.0, Some(90_000)), 90_000);
        // A Retry-After shorter than the backoff does not hurry us.
        assert_eq!(backoff_ms(1_000, 60_000, 3, 1.0, Some(10)), 4_000);
        assert!(backoff_ms(0, 0, 1, 0.0, None) >= 1);
    }

    #[test]
    fn failures_retry_until_the_budget_or_a_permanent_error() {
        let retryable = Failure::Retryable {
            error: "503",
            retry_after_ms: None,
        };
        let r = POLICY.after_failure(100, 1, retryable, 1.0);
        assert_eq!(
            r,
            Retry {
                attempts: 1,
                next_at: Some(1_100)
            }
        );
        assert_eq!(POLICY.after_failure(100, 5, retryable, 1.0).next_at, None);
        assert_eq!(
            POLICY
                .after_failure(100, 1, Failure::Permanent("400"), 1.0)
                .next_at,
            None
        );
        let slow = Failure::Retryable {
            error: "429",
            retry_after_ms: Some(30_000),
        };
        assert_eq!(POLICY.after_failure(0, 1, slow, 1.0).next_at, Some(30_000));
    }
}
