//! Connection pools for both backends, migrations, and the per-backend
//! compilation of `store.rs`.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::{ForumError, Result};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

#[derive(Clone)]
pub enum Db {
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    Pg(Pool<ConnectionManager<PgConnection>>),
}

/// A connection inside a transaction the forum opened, lent to code in
/// another crate that must write in the same transaction.
pub enum TxConn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Pg(&'a mut PgConnection),
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // busy_timeout first, so the rest waits instead of failing.
        conn.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

impl Db {
    /// Open a pool for `sqlite://PATH` (or a bare path) or `postgres://…`.
    pub fn open(url: &str, pool_size: u32) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = Pool::builder()
                .max_size(pool_size)
                .connection_timeout(Duration::from_secs(10))
                .build(ConnectionManager::<PgConnection>::new(url))
                .map_err(|e| ForumError::Database(format!("cannot connect to PostgreSQL: {e}")))?;
            Ok(Db::Pg(pool))
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        ForumError::Database(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
            }
            // WAL is a property of the file: set it once, before the pool
            // opens connections in parallel.
            {
                use diesel::Connection;
                let mut c = SqliteConnection::establish(path).map_err(|e| {
                    ForumError::Database(format!("cannot open SQLite at {path}: {e}"))
                })?;
                c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                    .map_err(|e| {
                        ForumError::Database(format!("cannot enable WAL on {path}: {e}"))
                    })?;
            }
            let pool = Pool::builder()
                .max_size(pool_size)
                .connection_timeout(Duration::from_secs(10))
                .connection_customizer(Box::new(SqlitePragmas))
                .build(ConnectionManager::<SqliteConnection>::new(path))
                .map_err(|e| ForumError::Database(format!("cannot open SQLite at {path}: {e}")))?;
            Ok(Db::Sqlite(pool))
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Pg(_) => "postgres",
        }
    }

    /// Apply pending migrations; returns how many ran.
    pub fn migrate(&self) -> Result<usize> {
        let err = |e: Box<dyn std::error::Error + Send + Sync>| {
            ForumError::Database(format!("migration failed: {e}"))
        };
        match self {
            Db::Sqlite(p) => Ok(p
                .get()?
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(err)?
                .len()),
            Db::Pg(p) => Ok(p
                .get()?
                .run_pending_migrations(PG_MIGRATIONS)
                .map_err(err)?
                .len()),
        }
    }
}

/// Run a `store` function (or one in a store submodule, `kb::f(…)`) on
/// whichever backend `db` is.
macro_rules! dispatch {
    ($db:expr, $module:ident :: $func:ident($($arg:expr),* $(,)?)) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut conn = pool.get()?;
                $crate::db::sqlite_store::$module::$func(&mut conn, $($arg),*)
            }
            $crate::db::Db::Pg(pool) => {
                let mut conn = pool.get()?;
                $crate::db::pg_store::$module::$func(&mut conn, $($arg),*)
            }
        }
    };
    ($db:expr, $func:ident($($arg:expr),* $(,)?)) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut conn = pool.get()?;
                $crate::db::sqlite_store::$func(&mut conn, $($arg),*)
            }
            $crate::db::Db::Pg(pool) => {
                let mut conn = pool.get()?;
                $crate::db::pg_store::$func(&mut conn, $($arg),*)
            }
        }
    };
}
pub(crate) use dispatch;

pub(crate) mod sqlite_store {

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

    /// Writers are serialised and ids are given in commit order, so every
    /// committed event is safe to read.
    fn visible_tx_bound(_conn: &mut Conn) -> crate::error::Result<i64> {
        Ok(i64::MAX)
    }

    include!("store.rs");

    pub mod reputation {
        use super::*;
        include!("reputation_store.rs");
    }

    pub mod kb {
        use super::*;
        include!("kb_store.rs");
    }

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

    pub mod notify {
        use super::*;
        include!("notify_store.rs");
    }

    pub mod sso {
        use super::*;
        include!("sso_store.rs");
    }
}

pub(crate) mod pg_store {
    use diesel::sql_types::{BigInt, Text};

    pub type Conn = diesel::PgConnection;

    fn transaction<T>(
        conn: &mut Conn,
        f: impl FnOnce(&mut Conn) -> crate::error::Result<T>,
    ) -> crate::error::Result<T> {
        conn.transaction(f)
    }

    /// Dropping an index would lock readers out until the rebuild commits.
    const REBUILD_DROPS_INDEXES: bool = false;

    #[derive(QueryableByName)]
    struct CursorRow {
        #[diesel(sql_type = BigInt)]
        last_tx_id: i64,
        #[diesel(sql_type = BigInt)]
        last_event_id: i64,
    }

    /// Another worker already draining this consumer holds the row; skip it
    /// rather than wait, so workers on many nodes never block each other.
    fn lock_cursor(conn: &mut Conn, consumer: &str) -> crate::error::Result<Option<(i64, i64)>> {
        let row: Option<CursorRow> = diesel::sql_query(
            "SELECT last_tx_id, last_event_id FROM outbox_cursors \
             WHERE consumer = $1 FOR UPDATE SKIP LOCKED",
        )
        .bind::<Text, _>(consumer)
        .get_result(conn)
        .optional()?;
        Ok(row.map(|r| (r.last_tx_id, r.last_event_id)))
    }

    /// Transactions below the oldest running xid are all finished, so no
    /// event with a smaller tx_id can appear later: reading below it is gap-free.
    fn visible_tx_bound(conn: &mut Conn) -> crate::error::Result<i64> {
        Ok(diesel::select(diesel::dsl::sql::<BigInt>(
            "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        ))
        .get_result(conn)?)
    }

    include!("store.rs");

    pub mod reputation {
        use super::*;
        include!("reputation_store.rs");
    }

    pub mod kb {
        use super::*;
        include!("kb_store.rs");
    }

    #[derive(QueryableByName)]
    struct IdRow {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    /// Mails another sender is claiming are skipped, not waited for.
    fn due_mail_ids(conn: &mut Conn, now: i64, limit: i64) -> crate::error::Result<Vec<i64>> {
        let rows: Vec<IdRow> = diesel::sql_query(
            "SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub mod notify {
        use super::*;
        include!("notify_store.rs");
    }

    pub mod sso {
        use super::*;
        include!("sso_store.rs");
    }
}
