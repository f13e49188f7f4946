//! `store.rs` compiled once per backend, with the two things that differ:
//! how a write transaction starts and how due deliveries are claimed.

/// Run a `store` function on whichever backend `db` is.
macro_rules! on_db {
    ($db:expr, logic::$func:ident($($arg:expr),* $(,)?)) => {
        match $db {
            forum::Db::Sqlite(pool) => {
                let mut conn = pool.get().map_err(forum::ForumError::from)?;
                $crate::db::sqlite::logic::$func(&mut conn, $($arg),*)
            }
            forum::Db::Pg(pool) => {
                let mut conn = pool.get().map_err(forum::ForumError::from)?;
                $crate::db::pg::logic::$func(&mut conn, $($arg),*)
            }
        }
    };
    ($db:expr, $func:ident($($arg:expr),* $(,)?)) => {
        match $db {
            forum::Db::Sqlite(pool) => {
                let mut conn = pool.get().map_err(forum::ForumError::from)?;
                $crate::db::sqlite::$func(&mut conn, $($arg),*)
            }
            forum::Db::Pg(pool) => {
                let mut conn = pool.get().map_err(forum::ForumError::from)?;
                $crate::db::pg::$func(&mut conn, $($arg),*)
            }
        }
    };
}
pub(crate) use on_db;

/// Run a closure in one transaction on either backend; the closure is written
/// once and compiled for both (`$conn` is the connection, `$m` the module).
macro_rules! in_tx {
    ($db:expr, |$conn:ident, $m:ident| $body:expr) => {
        match $db {
            forum::Db::Sqlite(pool) => {
                let mut c = pool.get().map_err(forum::ForumError::from)?;
                #[allow(unused_imports)]
                use $crate::db::sqlite as $m;
                $crate::db::sqlite::transaction(&mut c, |$conn| $body)
            }
            forum::Db::Pg(pool) => {
                let mut c = pool.get().map_err(forum::ForumError::from)?;
                #[allow(unused_imports)]
                use $crate::db::pg as $m;
                $crate::db::pg::transaction(&mut c, |$conn| $body)
            }
        }
    };
}
pub(crate) use in_tx;

pub(crate) mod sqlite {
    use diesel::prelude::*;

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

    /// One writer at a time on SQLite, so a plain read is a safe claim.
    fn due_delivery_ids(conn: &mut Conn, now: i64, limit: i64) -> forum::Result<Vec<i64>> {
        use crate::schema::crm_deliveries as d;
        Ok(d::table
            .filter(d::status.eq("pending"))
            .filter(d::next_attempt_at.le(now))
            .order((d::next_attempt_at.asc(), d::id.asc()))
            .limit(limit)
            .select(d::id)
            .load(conn)?)
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

    include!("store.rs");

    pub mod logic {
        use super::*;
        include!("logic.rs");
    }
}

pub(crate) mod pg {
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

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

    #[derive(QueryableByName)]
    struct IdRow {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    /// Rows another worker is claiming right now are skipped, not waited
    /// for: any number of workers on any number of nodes share the queue.
    fn due_delivery_ids(conn: &mut Conn, now: i64, limit: i64) -> forum::Result<Vec<i64>> {
        let rows: Vec<IdRow> = diesel::sql_query(
            "SELECT id FROM crm_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
        Ok(rows.into_iter().map(|r| r.id).collect())
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

    include!("store.rs");

    pub mod logic {
        use super::*;
        include!("logic.rs");
    }
}
