//! `store.rs` and `logic.rs` compiled once per backend (`db/sqlite.rs`,
//! `db/pg.rs` declare them as modules), with what differs: how a write
//! transaction starts and how due deliveries are claimed.

/// Run a `store` (or `logic::`) function on whichever backend `db` is,
/// through the forum's one dispatcher.
macro_rules! on_db {
    ($db:expr, $($func:ident)::+ ($($arg:expr),* $(,)?)) => {
        forum::dispatch_backend!(
            $db,
            [$crate::db::sqlite],
            [$crate::db::pg],
            $($func)::+($($arg),*)
        )
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

pub(crate) mod pg;
pub(crate) mod sqlite;
