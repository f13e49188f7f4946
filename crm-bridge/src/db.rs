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

    include!("store.rs");

    pub mod logic {
        use super::*;
        include!("logic.rs");
    }
}
