//! Rate limits hold across nodes: two `hearth serve` processes share one
//! PostgreSQL database, and a client alternating between them gets exactly
//! the configured allowance in all, then 429 with Retry-After and the code
//! `rate_limited`, on the JSON API and on the pages alike.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Node {
    child: Child,
    base: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn node(dir: &std::path::Path, name: &str, config: &std::path::Path, url: &str) -> Node {
    let port = free_port();
    let data = dir.join(name);
    let child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(&data)
        .arg("--database-url")
        .arg(url)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        // Both nodes sign with the same key, as a cluster must.
        .env(
            "HEARTH_SECRET_KEY",
            "a-shared-secret-key-for-both-test-nodes",
        )
        .env("HEARTH_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run hearth serve");
    // Owned at once, so a failed start still stops the process.
    let node = Node {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if ureq::get(&format!("{}/healthz", node.base)).call().is_ok() {
            return node;
        }
        assert!(Instant::now() < deadline, "{name} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// (status, Retry-After, body)
fn send(req: ureq::Request, body: Option<serde_json::Value>) -> (u16, Option<String>, String) {
    let result = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = resp.status();
    let retry = resp.header("Retry-After").map(str::to_owned);
    (status, retry, resp.into_string().unwrap_or_default())
}

/// A fresh schema on the PostgreSQL server of `HEARTH_TEST_PG_URL`, dropped
/// when this goes. None only when PostgreSQL is unreachable and the suite
/// is opted out (otherwise the test fails).
struct PgSchema {
    admin: String,
    schema: String,
    url: String,
}

impl PgSchema {
    fn fresh(prefix: &str) -> Option<PgSchema> {
        let admin = std::env::var("HEARTH_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let schema = format!("{prefix}_{}", std::process::id());
        let created = psql(
            &admin,
            &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"),
        );
        if !forum::testkit::suite_available(
            "postgres",
            (!created).then(|| format!("PostgreSQL at {admin} is unreachable")),
        ) {
            return None;
        }
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-csearch_path%3D{schema}");
        Some(PgSchema { admin, schema, url })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        psql(
            &self.admin,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema),
        );
    }
}

fn psql(admin: &str, sql: &str) -> bool {
    Command::new("psql")
        .args([admin, "-qc", sql])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn limits_hold_across_two_nodes_on_one_postgres() {
    let Some(db) = PgSchema::fresh("hearth_rl") else {
        return;
    };
    let url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "[rate_limits]\n\
         register_per_address = { limit = 4, period_secs = 3600 }\n\
         search_per_address = { limit = 6, period_secs = 3600 }\n",
    )
    .unwrap();
    // Migrate once, then start both nodes on the same database.
    let status = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["--database-url", &url, "--data-dir"])
        .arg(dir.path().join("migrate"))
        .arg("migrate")
        .status()
        .unwrap();
    assert!(status.success());
    let a = node(dir.path(), "a", &config, &url);
    let b = node(dir.path(), "b", &config, &url);

    let mut created = 0;
    let mut refused = Vec::new();
    for i in 0..10 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (status, retry, body) = send(
            ureq::post(&format!("{base}/api/v1/users")),
            Some(serde_json::json!({
                "username": format!("member{i}"),
                "email": format!("member{i}@example.com"),
                "password": "correct horse battery",
            })),
        );
        match status {
            201 => created += 1,
            429 => refused.push((retry, body)),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created, 4, "the allowance is shared, not per node");
    assert_eq!(refused.len(), 6);
    for (retry, body) in &refused {
        let secs: u64 = retry.as_deref().expect("Retry-After").parse().unwrap();
        assert!((1..=3600).contains(&secs), "{secs}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "rate_limited", "{body}");
    }

    // Pages get the same answer as a page.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (status, retry, body) = send(ureq::get(&format!("{base}/search?q=router")), None);
        if status == 429 {
            assert!(retry.is_some());
            assert!(body.contains("<html"), "a page, not JSON: {body}");
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        2,
        "{statuses:?}"
    );
    drop((a, b));
}

/// A site setting changed through node A is in force on node B within
/// seconds, without a restart: the site name in B's pages and a rate limit
/// B applies.
#[test]
fn a_setting_changed_on_one_node_is_applied_by_the_other() {
    let Some(db) = PgSchema::fresh("hearth_ls") else {
        return;
    };
    let url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "site_name = \"File Name\"\n[registration]\nrequire_email_confirmation = false\n",
    )
    .unwrap();
    let hearth = |args: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["--database-url", &url, "--data-dir"])
            .arg(dir.path().join("cli"))
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "hearth {args:?}");
    };
    hearth(&["migrate"]);
    let a = node(dir.path(), "a", &config, &url);
    let b = node(dir.path(), "b", &config, &url);
    let (status, _, body) = send(
        ureq::post(&format!("{}/api/v1/users", a.base)),
        Some(serde_json::json!({
            "username": "root", "email": "root@example.com", "password": "correct horse battery",
        })),
    );
    assert_eq!(status, 201, "{body}");
    hearth(&["user", "set-role", "root", "admin"]);
    let (status, _, body) = send(
        ureq::post(&format!("{}/api/v1/auth/token", a.base)),
        Some(serde_json::json!({"login": "root", "password": "correct horse battery"})),
    );
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, page) = send(ureq::get(&format!("{}/", b.base)), None);
    assert!(page.contains("File Name"), "{page}");

    let (status, _, body) = send(
        ureq::put(&format!("{}/api/v1/admin/settings", a.base))
            .set("Authorization", &format!("Bearer {token}")),
        Some(serde_json::json!({
            "site_name": "Live Name",
            "rate_limits.search_per_address": {"limit": 2, "period_secs": 3600},
        })),
    );
    assert_eq!(status, 200, "{body}");
    // A at once; B within seconds (it checks every two).
    let (_, _, page) = send(ureq::get(&format!("{}/", a.base)), None);
    assert!(page.contains("Live Name"), "{page}");
    let changed = Instant::now();
    loop {
        let (_, _, page) = send(ureq::get(&format!("{}/", b.base)), None);
        if page.contains("Live Name") {
            break;
        }
        assert!(
            changed.elapsed() < Duration::from_secs(8),
            "node B still shows the old name"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // B applies the new limit too (shared count: two allowed in all).
    let statuses: Vec<u16> = (0..4)
        .map(|_| send(ureq::get(&format!("{}/api/v1/search?q=x", b.base)), None).0)
        .collect();
    assert_eq!(statuses, vec![200, 200, 429, 429]);
    drop((a, b));
}
