//! Test databases for the storage suites of this and other crates: a fresh
//! SQLite file, or a fresh schema on the PostgreSQL server named by
//! `HEARTH_TEST_PG_URL` (default: the local server), and the rule every
//! suite that needs an outside service follows (`suite_available`): without
//! the service the test fails, unless the suite is opted out by name in
//! `HEARTH_TEST_SKIP`. Compiled only with the `testkit` feature.

// Test set-up: a database that cannot be made is the test failing.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::SimpleConnection;
use diesel::Connection;

use crate::Forum;

pub struct TestDb {
    pub forum: Forum,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, schema)) = &self.pg_schema {
            if let Ok(mut c) = diesel::PgConnection::establish(admin_url) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

impl TestDb {
    /// Run raw SQL against the test database (to plant rows the domain
    /// would never write).
    pub fn execute_sql(&self, sql: &str) {
        match self.forum.db() {
            crate::Db::Sqlite(p) => p.get().expect("connection").batch_execute(sql),
            crate::Db::Pg(p) => p.get().expect("connection").batch_execute(sql),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

pub fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("hearth.db").display());
    TestDb {
        forum: Forum::open(&url, 8).expect("open SQLite"),
        url,
        _dir: Some(dir),
        pg_schema: None,
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("HEARTH_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether a suite that needs an outside service (`postgres`, `browser`,
/// `smtp`, `oidc`, `rt`) may run: `problem` is why it cannot (None: it
/// can). A missing service fails the test with how to fix it, unless the
/// suite is named in `HEARTH_TEST_SKIP` (comma-separated), in which case
/// the test returns early and `.ci/test-all` lists the suite as not run.
pub fn suite_available(suite: &str, problem: Option<String>) -> bool {
    let Some(problem) = problem else {
        return true;
    };
    let opted_out = std::env::var("HEARTH_TEST_SKIP")
        .unwrap_or_default()
        .split(',')
        .any(|s| s.trim() == suite);
    if opted_out {
        eprintln!("not running ({suite} opted out by HEARTH_TEST_SKIP): {problem}");
        return false;
    }
    panic!(
        "the {suite} suite cannot run: {problem}. `bash .ci/test-all` sets up every \
         service the tests need; to run without this one, set HEARTH_TEST_SKIP={suite}"
    );
}

/// Run each named `fn(&TestDb)` twice, as `sqlite::name` and
/// `postgres::name`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&$crate::testkit::sqlite_db()); } )*
        }
        mod postgres {
            $( #[test] fn $name() { if let Some(db) = $crate::testkit::pg_db() { super::$name(&db); } } )*
        }
    };
}

/// A fresh schema; None only when PostgreSQL is unreachable and opted out.
pub fn pg_db() -> Option<TestDb> {
    static N: AtomicU64 = AtomicU64::new(0);
    let admin_url = pg_admin_url();
    let mut admin = match diesel::PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) => {
            suite_available(
                "postgres",
                Some(format!("PostgreSQL at {admin_url} is unreachable: {e}")),
            );
            return None;
        }
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "hearth_t_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
    );
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("create test schema");
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-csearch_path%3D{schema}");
    Some(TestDb {
        forum: Forum::open(&url, 8).expect("open PostgreSQL"),
        url,
        _dir: None,
        pg_schema: Some((admin_url, schema)),
    })
}
