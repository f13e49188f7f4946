//! Connection pools for both backends, migrations, `dispatch!`, and the
//! per-backend compilation of the storage code (`db/sqlite_store.rs`,
//! `db/pg_store.rs`, each of which compiles `store.rs` and the per-area
//! store files as modules of its own).

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

/// Run a storage function, written once and compiled per backend, on
/// whichever backend `db` is: `$sqlite` and `$pg` are the two modules
/// that compile it (each crate with storage has such a pair), `f(…)` or
/// `submodule::f(…)` the function, called with a pooled connection first.
/// The one dispatcher for every crate; `dispatch!` (forum) and `on_db!`
/// (crm-bridge) only name their crate's pair.
#[doc(hidden)]
#[macro_export]
macro_rules! dispatch_backend {
    ($db:expr, [$($sqlite:tt)+], [$($pg:tt)+], $($func:ident)::+ ($($arg:expr),* $(,)?)) => {
        match $db {
            $crate::Db::Sqlite(pool) => {
                let mut conn = pool.get().map_err($crate::ForumError::from)?;
                $($sqlite)+::$($func)::+(&mut conn, $($arg),*)
            }
            $crate::Db::Pg(pool) => {
                let mut conn = pool.get().map_err($crate::ForumError::from)?;
                $($pg)+::$($func)::+(&mut conn, $($arg),*)
            }
        }
    };
}

/// Run a `store` function (or one in a store submodule, `kb::f(…)`) on
/// whichever backend `db` is.
macro_rules! dispatch {
    ($db:expr, $($func:ident)::+ ($($arg:expr),* $(,)?)) => {
        $crate::dispatch_backend!(
            $db,
            [$crate::db::sqlite_store],
            [$crate::db::pg_store],
            $($func)::+($($arg),*)
        )
    };
}
pub(crate) use dispatch;

pub(crate) mod pg_store;
pub(crate) mod sqlite_store;
