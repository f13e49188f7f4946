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

    /// After a bulk write (an import, a rebuild), bring the planner's
    /// statistics up to date for `tables`, and on PostgreSQL their
    /// visibility maps too (VACUUM), so index-only scans work at once
    /// rather than whenever autovacuum (if on) gets to them. Outside any
    /// transaction; table names come from code, never from input.
    pub fn refresh_statistics(&self, tables: &[&str]) -> Result<()> {
        debug_assert!(tables
            .iter()
            .all(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        match self {
            Db::Sqlite(p) => {
                let mut conn = p.get()?;
                for t in tables {
                    conn.batch_execute(&format!("ANALYZE {t}"))?;
                }
            }
            Db::Pg(p) => {
                p.get()?
                    .batch_execute(&format!("VACUUM (ANALYZE) {}", tables.join(", ")))?;
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;

    /// Rows of the two queues that existed before `delivery_queue` (mail
    /// in `mail_outbox`, CRM changes in `crm_deliveries`) arrive in it with
    /// their state, and the mails keep what they say.
    macro_rules! queues_move_into_delivery_queue {
        ($conn:expr, $source:expr) => {{
        let conn = $conn;
        let source = $source;
        let pending = conn.pending_migrations(source).unwrap();
        let mut before = pending;
        let at = before
            .iter()
            .position(|m| m.name().to_string().ends_with("_delivery_queue"))
            .expect("the delivery queue migration");
        let after = before.split_off(at);
        for m in &before {
            conn.run_migration(m).map_err(|e| format!("{}: {e}", m.name())).unwrap();
        }
        conn.batch_execute(
            "INSERT INTO users (id, username, username_key, email, email_key, display_name, role, created_at, last_seen_at) \
             VALUES (1, 'ann', 'ann', 'ann@example.com', 'ann@example.com', 'Ann', 'customer', 0, 0);
             INSERT INTO mail_outbox (id, user_id, kind, dedupe_key, title, link, group_key, params, status, attempts, next_attempt_at, last_error, created_at, sent_at) VALUES
               (10, 1, 'reply', 'a', 'Sent one', '/t/1', '', '{}', 'sent', 1, 5, NULL, 1, 5),
               (11, 1, 'reply', 'b', 'Waiting one', '/t/1', '', '{}', 'pending', 2, 99, 'refused', 2, NULL),
               (12, 1, 'reply', 'c', 'Dead one', '/t/1', '', '{}', 'dead', 20, 7, 'gone', 3, NULL);
             INSERT INTO categories (id, slug, name, created_at) VALUES (100, 'mig-test', 'Migration test', 0);
             INSERT INTO threads (id, category_id, author_id, title, status, created_at, last_activity_at) VALUES (100, 100, 1, 'T', 'open', 0, 0);
             INSERT INTO crm_contacts (user_id, updated_at) VALUES (1, 0);
             INSERT INTO crm_tasks (id, thread_id, contact_id, subject, description, priority, status, first_response_due, resolution_due, created_at, updated_at) \
             VALUES (3, 100, 1, 'T', '', 'normal', 'open', 0, 0, 0, 0);
             INSERT INTO crm_deliveries (task_id, kind, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at) VALUES
               (3, 'sync', 0, 'pending', 1, 50, 'timeout', 4, 6),
               (3, 'comment', 8, 'dead', 12, 0, '400', 4, 4);",
        )
        .unwrap();
        for m in &after {
            conn.run_migration(m).map_err(|e| format!("{}: {e}", m.name())).unwrap();
        }
        #[derive(diesel::QueryableByName, Debug, PartialEq)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            channel: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            kind: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            subject_id: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            ref_id: i64,
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
            #[diesel(sql_type = diesel::sql_types::Integer)]
            attempts: i32,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            last_error: Option<String>,
        }
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT channel, kind, subject_id, ref_id, status, attempts, last_error \
             FROM delivery_queue ORDER BY channel, subject_id, ref_id",
        )
        .load(conn)
        .unwrap();
        let row = |channel: &str,
                   kind: &str,
                   subject_id,
                   ref_id,
                   status: &str,
                   attempts,
                   err: Option<&str>| Row {
            channel: channel.into(),
            kind: kind.into(),
            subject_id,
            ref_id,
            status: status.into(),
            attempts,
            last_error: err.map(String::from),
        };
        assert_eq!(
            rows,
            vec![
                row("crm", "sync", 3, 0, "pending", 1, Some("timeout")),
                row("crm", "comment", 3, 8, "dead", 12, Some("400")),
                row("mail", "mail", 10, 0, "done", 1, None),
                row("mail", "mail", 11, 0, "pending", 2, Some("refused")),
                row("mail", "mail", 12, 0, "dead", 20, Some("gone")),
            ]
        );
        }};
    }

    #[test]
    fn sqlite_queues_move_into_delivery_queue() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            SqliteConnection::establish(&dir.path().join("old.db").display().to_string()).unwrap();
        queues_move_into_delivery_queue!(&mut conn, SQLITE_MIGRATIONS);
    }

    #[test]
    fn postgres_queues_move_into_delivery_queue() {
        let admin_url = std::env::var("HEARTH_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let Ok(mut admin) = PgConnection::establish(&admin_url) else {
            assert!(
                std::env::var("HEARTH_TEST_SKIP")
                    .is_ok_and(|s| s.split(',').any(|n| n.trim() == "postgres")),
                "PostgreSQL at {admin_url} is unreachable (opt out with HEARTH_TEST_SKIP=postgres)"
            );
            return;
        };
        let schema = format!("hearth_mig_{}", std::process::id());
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let mut conn =
            PgConnection::establish(&format!("{admin_url}{sep}options=-csearch_path%3D{schema}"))
                .unwrap();
        queues_move_into_delivery_queue!(&mut conn, PG_MIGRATIONS);
        drop(conn);
        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    }
}
