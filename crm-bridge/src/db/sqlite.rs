//! SQLite: `store.rs` and `logic.rs` compiled against SQLite, with what
//! differs here (how a write transaction starts, how deliveries are claimed,
//! multi-row inserts).

// The shared storage files are modules of both backends on purpose.
#![allow(clippy::duplicate_mod)]

// What `store.rs` and `logic.rs` both work with; they see it through
// `use super::*`.
#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::rules::{Priority, TaskStatus};
#[allow(unused_imports)]
use crate::schema::*;
#[allow(unused_imports)]
use forum::{ForumError, Result};

pub type Conn = diesel::SqliteConnection;

pub fn tx_conn(conn: &mut Conn) -> forum::TxConn<'_> {
    forum::TxConn::Sqlite(conn)
}

/// BEGIN IMMEDIATE: take the write lock first so writers queue instead
/// of failing to upgrade a read lock.
pub fn transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> forum::Result<T>,
) -> forum::Result<T> {
    conn.immediate_transaction(f)
}

/// This backend's connection as the forum's, for the queue and outbox
/// functions the CRM shares with it.
pub fn forum_tx(conn: &mut Conn) -> forum::TxConn<'_> {
    forum::TxConn::Sqlite(conn)
}

/// SQLite cannot combine multi-row VALUES with ON CONFLICT in diesel;
/// in-process single-row inserts inside one transaction are cheap anyway.
pub fn add_timelines(conn: &mut Conn, entries: &[TimelineNew<'_>]) -> forum::Result<()> {
    for e in entries {
        add_timeline(conn, e)?;
    }
    Ok(())
}

pub fn ensure_contacts(
    conn: &mut Conn,
    now: i64,
    users: &[i64],
    segment: &str,
) -> forum::Result<()> {
    for u in users {
        ensure_contact(conn, now, *u, segment)?;
    }
    Ok(())
}

pub fn insert_tasks(conn: &mut Conn, tasks: &[NewTask<'_>]) -> forum::Result<Vec<(i64, i64)>> {
    let mut created = Vec::with_capacity(tasks.len());
    for t in tasks {
        if let Some(id) = insert_task(conn, t)? {
            created.push((id, t.thread_id));
        }
    }
    Ok(created)
}

#[path = "../store.rs"]
mod store;
pub use store::*;

#[path = "../logic.rs"]
pub mod logic;
