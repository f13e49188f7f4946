//! SQLite: the storage code in `store.rs` and the per-area store files,
//! compiled against SQLite, with what differs on this backend (how a write
//! transaction starts, how cursors and queues are claimed).

// The shared storage files are modules of both backends on purpose.
#![allow(clippy::duplicate_mod)]

use diesel::prelude::*;

// What every store file works with; they see it through `use super::*`.
#[allow(unused_imports)]
use crate::error::{ForumError, Result};
#[allow(unused_imports)]
use crate::models::*;
#[allow(unused_imports)]
use crate::rows::*;
#[allow(unused_imports)]
use crate::schema::*;

pub type Conn = diesel::SqliteConnection;

/// BEGIN IMMEDIATE takes the write lock up front, so two writers queue on
/// busy_timeout instead of failing when a read lock cannot be upgraded.
/// store.rs never nests these.
fn transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    conn.immediate_transaction(f)
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

/// One writer at a time already: whoever gets to prune, prunes.
fn try_prune_lease(_conn: &mut Conn) -> crate::error::Result<bool> {
    Ok(true)
}

/// Writers are serialised and ids are given in commit order, so every
/// committed event is safe to read.
fn visible_tx_bound(_conn: &mut Conn) -> crate::error::Result<i64> {
    Ok(i64::MAX)
}

#[path = "../store.rs"]
mod store;
pub use store::*;

#[path = "../reputation_store.rs"]
pub mod reputation;

#[path = "../kb_store.rs"]
pub mod kb;

/// One writer at a time on SQLite: a plain read is a safe claim.
fn due_mail_ids(conn: &mut Conn, now: i64, limit: i64) -> crate::error::Result<Vec<i64>> {
    use crate::schema::mail_outbox as m;
    Ok(m::table
        .filter(m::status.eq("pending"))
        .filter(m::next_attempt_at.le(now))
        .order((m::next_attempt_at.asc(), m::id.asc()))
        .limit(limit)
        .select(m::id)
        .load(conn)?)
}

#[path = "../notify_store.rs"]
pub mod notify;

#[path = "../sso_store.rs"]
pub mod sso;
