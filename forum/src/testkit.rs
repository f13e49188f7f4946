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

    /// The one number a `SELECT COUNT(…)` (or any single integer) gives.
    pub fn count_sql(&self, sql: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT ({sql}) AS n");
        let rows: Vec<Count> = match self.forum.db() {
            crate::Db::Sqlite(p) => {
                diesel::sql_query(&sql).load(&mut *p.get().expect("connection"))
            }
            crate::Db::Pg(p) => diesel::sql_query(&sql).load(&mut *p.get().expect("connection")),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.first().map_or(0, |c| c.n)
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
/// `smtp`, `oidc`, `rt`, `s3`) may run: `problem` is why it cannot (None: it
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

/// A real S3-compatible server for the upload store's tests: `s3s-fs`
/// (crates.io; `.ci/test-all` installs it) on a free loopback port, over a
/// temporary directory, with one bucket and checked signatures. Stopped
/// when dropped.
pub struct S3Server {
    pub config: crate::uploads::blobs::S3Config,
    /// Where the server keeps objects: `root/<bucket>/<key>`.
    pub root: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    /// None only when `s3s-fs` is missing and the `s3` suite is opted out.
    pub fn start() -> Option<S3Server> {
        let root = tempfile::tempdir().expect("temporary directory");
        let bucket = "hearth-uploads";
        std::fs::create_dir_all(root.path().join(bucket)).expect("bucket directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let (access, secret) = ("hearth-test", "hearth-test-secret-key");
        let child = std::process::Command::new("s3s-fs")
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--access-key",
                access,
                "--secret-key",
                secret,
            ])
            .arg(root.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                suite_available(
                    "s3",
                    Some(format!(
                        "s3s-fs could not be started ({e}); install it with \
                         `cargo install s3s-fs --version =0.14.1 --features binary --locked`"
                    )),
                );
                return None;
            }
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "s3s-fs did not listen on port {port} within 20 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Some(S3Server {
            config: crate::uploads::blobs::S3Config {
                endpoint: format!("http://127.0.0.1:{port}"),
                bucket: bucket.into(),
                access_key: access.into(),
                secret_key: crate::secret::Secret::new(secret),
                ..Default::default()
            },
            root,
            child,
        })
    }
}

/// A member with `role`, registered as the storage suites do: password
/// `password123`, address `<name>@example.com`.
pub fn register(f: &Forum, name: &str, role: crate::Role) -> crate::User {
    f.register(crate::NewUser {
        language: None,
        username: name.into(),
        email: format!("{name}@example.com"),
        password: Some("password123".into()),
        role,
        display_name: None,
    })
    .expect("register a test member")
}

/// `db`'s forum on a clock the test moves (unix ms), starting at `start`.
pub fn clocked(db: &TestDb, start: i64) -> (Forum, std::sync::Arc<std::sync::atomic::AtomicI64>) {
    let clock = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(start));
    let c = clock.clone();
    (
        Forum::with_clock(
            db.forum.db().clone(),
            std::sync::Arc::new(move || c.load(Ordering::SeqCst)),
        ),
        clock,
    )
}
