//! Test databases for the storage suites of this and other crates: a fresh
//! SQLite file, or a fresh schema on the PostgreSQL server named by
//! `HEARTH_TEST_PG_URL` (default: the local server). Without a reachable
//! server the PostgreSQL half skips loudly, unless `CI` is set, where it
//! fails. Compiled only with the `testkit` feature.

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

/// None (after a loud message) when no server is reachable outside CI.
pub fn pg_db() -> Option<TestDb> {
    static N: AtomicU64 = AtomicU64::new(0);
    let admin_url = pg_admin_url();
    let mut admin = match diesel::PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL at {admin_url} is required under CI: {e}");
            }
            eprintln!("\n!!! SKIPPING PostgreSQL test: {admin_url} unreachable: {e} !!!\n");
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
