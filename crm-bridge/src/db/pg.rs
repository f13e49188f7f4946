//! PostgreSQL: `store.rs` and `logic.rs` compiled against PostgreSQL, with
//! what differs here (SKIP LOCKED claims, multi-row inserts).

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

use diesel::prelude::*;

pub type Conn = diesel::PgConnection;

pub fn tx_conn(conn: &mut Conn) -> forum::TxConn<'_> {
    forum::TxConn::Pg(conn)
}

pub fn transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> forum::Result<T>,
) -> forum::Result<T> {
    conn.transaction(f)
}

/// This backend's connection as the forum's, for the queue and outbox
/// functions the CRM shares with it.
pub fn forum_tx(conn: &mut Conn) -> forum::TxConn<'_> {
    forum::TxConn::Pg(conn)
}

// Multi-row statements: a round trip per few hundred rows, not per row.
use crate::schema::{crm_contacts, crm_tasks, crm_timeline};

#[derive(Insertable)]
#[diesel(table_name = crm_timeline)]
struct TimelineRow<'a> {
    contact_id: i64,
    at: i64,
    kind: &'a str,
    thread_id: Option<i64>,
    task_id: Option<i64>,
    actor_id: Option<i64>,
    summary: &'a str,
    dedupe_key: &'a str,
    params: String,
}

/// Many timeline entries in one statement; replays are skipped.
pub fn add_timelines(conn: &mut Conn, entries: &[TimelineNew<'_>]) -> forum::Result<()> {
    for chunk in entries.chunks(500) {
        let rows: Vec<TimelineRow<'_>> = chunk
            .iter()
            .map(|e| TimelineRow {
                contact_id: e.contact_id,
                at: e.at,
                kind: e.kind,
                thread_id: e.thread_id,
                task_id: e.task_id,
                actor_id: e.actor_id,
                summary: &e.summary,
                dedupe_key: &e.dedupe_key,
                params: e.params_text(),
            })
            .collect();
        diesel::insert_into(crm_timeline::table)
            .values(rows)
            .on_conflict(crm_timeline::dedupe_key)
            .do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

/// Contacts for these members, where missing.
pub fn ensure_contacts(
    conn: &mut Conn,
    now: i64,
    users: &[i64],
    segment: &str,
) -> forum::Result<()> {
    for chunk in users.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|u| {
                (
                    crm_contacts::user_id.eq(*u),
                    crm_contacts::segment.eq(segment),
                    crm_contacts::updated_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(crm_contacts::table)
            .values(rows)
            .on_conflict(crm_contacts::user_id)
            .do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Insertable)]
#[diesel(table_name = crm_tasks)]
struct TaskInsert<'a> {
    thread_id: i64,
    contact_id: i64,
    subject: &'a str,
    description: &'a str,
    priority: &'a str,
    status: &'a str,
    first_response_due: i64,
    resolution_due: i64,
    sla_flags: i32,
    escalation: Option<&'a str>,
    created_at: i64,
    updated_at: i64,
}

/// Insert tasks, skipping threads that have one; returns (task id, thread id)
/// of those created.
pub fn insert_tasks(conn: &mut Conn, tasks: &[NewTask<'_>]) -> forum::Result<Vec<(i64, i64)>> {
    let mut created = Vec::with_capacity(tasks.len());
    for chunk in tasks.chunks(400) {
        let rows: Vec<TaskInsert<'_>> = chunk
            .iter()
            .map(|t| TaskInsert {
                thread_id: t.thread_id,
                contact_id: t.contact_id,
                subject: t.subject,
                description: t.description,
                priority: t.priority.as_str(),
                status: t.status.as_str(),
                first_response_due: t.first_response_due,
                resolution_due: t.resolution_due,
                sla_flags: 0,
                escalation: t.escalation.as_deref(),
                created_at: t.now,
                updated_at: t.now,
            })
            .collect();
        let ids: Vec<(i64, i64)> = diesel::insert_into(crm_tasks::table)
            .values(rows)
            .on_conflict(crm_tasks::thread_id)
            .do_nothing()
            .returning((crm_tasks::id, crm_tasks::thread_id))
            .get_results(conn)?;
        created.extend(ids);
    }
    Ok(created)
}

#[path = "../store.rs"]
mod store;
pub use store::*;

#[path = "../logic.rs"]
pub mod logic;
