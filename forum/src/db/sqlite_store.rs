//! SQLite: the storage code in `store/` (one file per area),
//! compiled against SQLite, with what differs on this backend (how a write
//! transaction starts, how cursors and queues are claimed).

// The shared storage files are modules of both backends on purpose.
#![allow(clippy::duplicate_mod)]

use diesel::prelude::*;

// What every store file works with; they see it through `use super::*`.
#[allow(unused_imports)]
use crate::error::{ForumError, Result};
#[allow(unused_imports)]
use crate::events::{self, EventBody};
#[allow(unused_imports)]
use crate::import::{
    CategoryRecord, IdeaRecord, IdeaVoteRecord, ImportCounts, ReplyRecord, ThreadRecord, UserRecord,
};
#[allow(unused_imports)]
use crate::models::*;
#[allow(unused_imports)]
use crate::policy;
#[allow(unused_imports)]
use crate::rows::*;
#[allow(unused_imports)]
use crate::schema::*;

pub type Conn = diesel::SqliteConnection;

/// In-process writers queue here, in arrival order, before they ask
/// SQLite for its write lock. SQLite's own busy handler polls, sleeping
/// up to 100 ms between tries, so under contention a writer slept long
/// after the lock was free: tail latencies of hundreds of milliseconds
/// with eight clients, and fewer writes per second. The server runs its
/// workers in the same process, so this queue sees nearly every writer;
/// another process (a CLI import) still meets SQLite's busy timeout. One
/// lock per process, not per file: a process works on one database.
static WRITERS: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

/// How long a writer waits in the queue (SQLite's busy timeout): past it,
/// behind a long rebuild, it asks SQLite anyway and the busy timeout
/// decides, as before the queue.
const WRITER_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

thread_local! {
    /// This thread holds its turn in `WRITERS`: a nested transaction must
    /// not queue behind itself (diesel refuses it; it should fail at once).
    static HOLDS_WRITER_TURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// BEGIN IMMEDIATE takes the write lock up front, so two writers queue
/// instead of failing when a read lock cannot be upgraded; in process they
/// queue on `WRITERS`. The store files never nest these (diesel refuses
/// an immediate transaction inside another); if one ever does, it fails
/// at once rather than after waiting out the queue behind itself.
fn transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    if HOLDS_WRITER_TURN.with(std::cell::Cell::get) {
        return conn.immediate_transaction(f);
    }
    let turn = WRITERS.try_lock_for(WRITER_QUEUE_WAIT);
    HOLDS_WRITER_TURN.with(|held| held.set(turn.is_some()));
    let result = conn.immediate_transaction(f);
    HOLDS_WRITER_TURN.with(|held| held.set(false));
    drop(turn);
    result
}

#[cfg(test)]
mod writer_queue_tests {
    use super::*;
    use diesel::Connection;

    /// A transaction inside a transaction fails at once, not after the
    /// queue's ten seconds behind itself; the turn is given back.
    #[test]
    fn a_nested_transaction_fails_at_once_and_the_turn_is_given_back() {
        let mut conn = Conn::establish(":memory:").unwrap();
        let started = std::time::Instant::now();
        let nested = transaction(&mut conn, |conn| transaction(conn, |_| Ok(())));
        assert!(nested.is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let n = transaction(&mut conn, |conn| {
            diesel::sql_query("CREATE TABLE t (x INTEGER)").execute(conn)?;
            Ok(diesel::sql_query("INSERT INTO t VALUES (1)").execute(conn)?)
        })
        .unwrap();
        assert_eq!(n, 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}

/// Bulk rebuilds drop secondary indexes and build them again afterwards:
/// readers keep their WAL snapshot meanwhile, so nobody waits.
const REBUILD_DROPS_INDEXES: bool = true;

/// SQLite runs one writer at a time, so the cursor needs no row lock.
fn lock_cursor(conn: &mut Conn, consumer: &str) -> crate::error::Result<Option<(i64, i64)>> {
    use crate::schema::outbox_cursors as c;
    Ok(c::table
        .find(consumer)
        .select((c::last_tx_id, c::last_event_id))
        .first(conn)
        .optional()?)
}

/// One writer at a time already: moderation on a post is serialised.
fn lock_post(_conn: &mut Conn, _post_id: i64) -> crate::error::Result<()> {
    Ok(())
}

/// SQLite's WAL commit is already cheap; nothing to relax.
fn relax_durability(_conn: &mut Conn) -> crate::error::Result<()> {
    Ok(())
}

/// SQLite counts in process, where round trips cost nothing: the generic
/// transaction in `store/rate_limit.rs` does it.
fn native_rate_limit_hit(
    _conn: &mut Conn,
    _now: i64,
    _keys: &[(String, i64, i64)],
) -> crate::error::Result<Option<Option<i64>>> {
    Ok(None)
}

/// One writer at a time already: whoever gets to prune, prunes.
fn try_prune_lease(_conn: &mut Conn) -> crate::error::Result<bool> {
    Ok(true)
}

/// Writers are serialised and ids are given in commit order, so every
/// committed event is safe to read.
fn visible_tx_bound(_conn: &mut Conn) -> crate::error::Result<i64> {
    Ok(i64::MAX)
}

// The storage code, by area.
#[path = "../store/outbox.rs"]
mod outbox;
pub use outbox::*;
#[path = "../store/accounts.rs"]
mod accounts;
pub use accounts::*;
#[path = "../store/review.rs"]
mod review;
pub use review::*;
#[path = "../store/spam.rs"]
mod spam;
pub use spam::*;
#[path = "../store/boards.rs"]
mod boards;
pub use boards::*;
#[path = "../store/threads_posts.rs"]
mod threads_posts;
pub use threads_posts::*;
#[path = "../store/import_export.rs"]
mod import_export;
pub use import_export::*;
#[path = "../store/search_documents.rs"]
mod search_documents;
pub use search_documents::*;
#[path = "../store/deflection.rs"]
mod deflection;
pub use deflection::*;
#[path = "../store/moderation.rs"]
mod moderation;
pub use moderation::*;

#[path = "../store/reputation.rs"]
pub mod reputation;

#[path = "../store/kb.rs"]
pub mod kb;

#[path = "../store/front.rs"]
pub mod front;

#[path = "../store/drafts.rs"]
pub mod draft_store;

#[path = "../store/ideas.rs"]
pub mod idea_store;

#[path = "../store/uploads.rs"]
pub mod upload_store;

#[path = "../store/analytics.rs"]
pub mod analytics_store;

#[path = "../store/analytics_rollups.rs"]
pub mod analytics_rollups;

/// One writer at a time on SQLite: a plain read is a safe claim.
fn due_delivery_ids(
    conn: &mut Conn,
    now: i64,
    channel: &str,
    limit: i64,
) -> crate::error::Result<Vec<i64>> {
    use crate::schema::delivery_queue as q;
    Ok(q::table
        .filter(q::channel.eq(channel))
        .filter(q::status.eq("pending"))
        .filter(q::next_attempt_at.le(now))
        .order((q::next_attempt_at.asc(), q::id.asc()))
        .limit(limit)
        .select(q::id)
        .load(conn)?)
}

#[path = "../store/delivery.rs"]
pub mod delivery;

#[path = "../store/members.rs"]
pub mod members;

#[path = "../store/idempotency.rs"]
pub mod idempotency;
#[path = "../store/rate_limit.rs"]
pub mod rate_limit;

#[path = "../store/notify.rs"]
pub mod notify;

#[path = "../store/sso.rs"]
pub mod sso;

#[path = "../store/email_confirm.rs"]
pub mod email_confirm;

#[path = "../store/settings.rs"]
pub mod settings;
