//! A status change reaching a voter by mail, over a real SMTP server
//! (aiosmtpd, tests/smtp/sink.py, as the mail suite does), on SQLite and
//! PostgreSQL: each voter and the author get exactly one mail, in their
//! language, with the public note and a link to the idea's timeline.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

struct Sink {
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python_ok() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start the SMTP sink on `port`, or None (after a loud message) when
/// Python's aiosmtpd is missing outside CI.
fn sink_on(port: u16, dir: Option<tempfile::TempDir>) -> Option<Sink> {
    if !forum::testkit::suite_available(
        "smtp",
        (!python_ok()).then(|| "python3 with aiosmtpd is missing (pip install aiosmtpd)".into()),
    ) {
        return None;
    }
    let dir = dir.unwrap_or_else(|| tempfile::tempdir().unwrap());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp/sink.py");
    let mut child = Command::new("python3")
        .args([script, dir.path().to_str().unwrap(), &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start SMTP sink");
    let mut out = child.stdout.take().unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    use std::io::Read;
    while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    assert!(
        String::from_utf8_lossy(&line).starts_with("SMTP_READY"),
        "sink did not start"
    );
    Some(Sink { child, dir })
}

#[derive(Debug, Clone)]
struct Mail {
    headers: BTreeMap<String, String>,
    body: String,
}

impl Mail {
    fn h(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map_or("", String::as_str)
    }
    fn to(&self) -> &str {
        self.h("x-envelope-to")
    }
    fn kind(&self) -> &str {
        self.h("x-hearth-kind")
    }
}

/// Quoted-printable bodies, decoded enough to search them.
fn qp_decode(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_mails(dir: &std::path::Path) -> Vec<Mail> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let raw = std::fs::read_to_string(&p).unwrap().replace("\r\n", "\n");
            let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
            let mut headers = BTreeMap::new();
            let mut last = String::new();
            for line in head.lines() {
                if line.starts_with([' ', '\t']) {
                    if let Some(v) = headers.get_mut(&last) {
                        let v: &mut String = v;
                        v.push_str(line.trim_start());
                    }
                } else if let Some((k, v)) = line.split_once(':') {
                    last = k.trim().to_ascii_lowercase();
                    headers.insert(last.clone(), v.trim().to_string());
                }
            }
            Mail {
                headers,
                body: qp_decode(body),
            }
        })
        .collect()
}

fn wait_for(dir: &std::path::Path, what: &str, check: impl Fn(&[Mail]) -> bool) -> Vec<Mail> {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let mails = read_mails(dir);
        if check(&mails) {
            return mails;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; have {:?}",
            mails
                .iter()
                .map(|m| (m.to().to_string(), m.kind().to_string()))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count(mails: &[Mail], to: &str, kind: &str) -> usize {
    mails
        .iter()
        .filter(|m| m.to() == to && m.kind() == kind)
        .count()
}

fn mail_config(port: u16, digest_secs: i64) -> Customize {
    Arc::new(move |c: &mut web::Config| {
        c.mail.transport = "smtp".into();
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.security = "none".into();
        c.mail.from = "Hearth <community@example.com>".into();
        c.mail.backoff_base_ms = 100;
        c.mail.backoff_cap_ms = 500;
        c.mail.digest_after_secs = digest_secs;
        c.kb.auto_promote_min_kudos = 1;
    })
}

async fn a_status_change_reaches_every_voter_by_mail(backend: Backend) {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        backend,
        64 * 1024,
        crm_bridge::CrmConfig::default(),
        mail_config(port, 24 * 3600),
    )
    .await
    else {
        return;
    };
    s.forum
        .create_board(
            None,
            forum::boards::NewBoard {
                slug: "ideas".into(),
                name: "Ideas".into(),
                kind: Some(forum::boards::BoardKind::Ideas),
                ..Default::default()
            },
        )
        .unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let (olga, olga_id) = api_user(&s.base, "olga").await;
    let (_eve, _) = api_user(&s.base, "eve").await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    // Olga reads Russian.
    s.forum.set_language(olga_id, "ru").unwrap();
    let r = ann
        .post_json(
            "/api/v1/ideas",
            &json!({ "board": "ideas", "title": "Dark mode", "description": "Easier at night." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["idea"]["id"].as_i64().unwrap();
    for voter in [&bob, &olga] {
        let r = voter
            .post_json(&format!("/api/v1/ideas/{id}/vote"), &json!({}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = agent
        .post_json(
            &format!("/api/v1/ideas/{id}/status"),
            &json!({ "status": "planned", "note": "Coming in the spring release" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let dir = sink.dir.path();
    let mails = wait_for(dir, "the status mails", |m| {
        ["ann@example.com", "bob@example.com", "olga@example.com"]
            .iter()
            .all(|to| count(m, to, "idea_status") == 1)
    });
    let to_bob = mails
        .iter()
        .find(|m| m.to() == "bob@example.com" && m.kind() == "idea_status")
        .unwrap();
    assert!(
        to_bob.body.contains("Coming in the spring release"),
        "{}",
        to_bob.body
    );
    assert!(
        to_bob.body.contains(&format!("/ideas/{id}#timeline")),
        "{}",
        to_bob.body
    );
    assert!(to_bob.body.contains("is now Planned"), "{}", to_bob.body);
    let to_olga = mails
        .iter()
        .find(|m| m.to() == "olga@example.com" && m.kind() == "idea_status")
        .unwrap();
    let text = base64_parts(&to_olga.body);
    assert!(text.contains("теперь Planned"), "{text}");
    assert!(text.contains("Coming in the spring release"), "{text}");
    // Nobody else, and nobody twice, once everything has run.
    s.settle().await;
    std::thread::sleep(Duration::from_millis(500));
    let mails = read_mails(dir);
    for to in ["ann@example.com", "bob@example.com", "olga@example.com"] {
        assert_eq!(count(&mails, to, "idea_status"), 1, "{to}");
    }
    assert_eq!(count(&mails, "eve@example.com", "idea_status"), 0);
    assert_eq!(count(&mails, "agent1@example.com", "idea_status"), 0);
    // And in the bell too.
    let bell = bob.get("/api/v1/notifications").await;
    assert!(bell.body.contains("idea_status"), "{}", bell.body);
    s.stop().await;
}

#[actix_web::test]
async fn a_status_change_reaches_every_voter_by_mail_sqlite() {
    a_status_change_reaches_every_voter_by_mail(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_status_change_reaches_every_voter_by_mail_postgres() {
    a_status_change_reaches_every_voter_by_mail(Backend::Postgres).await;
}

/// The base64 parts of a message decoded and joined (non-ASCII text is
/// sent base64).
fn base64_parts(body: &str) -> String {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = String::new();
    for part in body.split("Content-Transfer-Encoding: base64").skip(1) {
        let data: Vec<u8> = part
            .split("\n\n")
            .nth(1)
            .unwrap_or_default()
            .split("\n--")
            .next()
            .unwrap_or_default()
            .bytes()
            .filter_map(value)
            .map(|v| v as u8)
            .collect();
        let mut bytes = Vec::new();
        for chunk in data.chunks(4) {
            let mut n: u32 = 0;
            for (i, v) in chunk.iter().enumerate() {
                n |= u32::from(*v) << (18 - 6 * i);
            }
            let take = chunk.len().saturating_sub(1);
            for i in 0..take {
                bytes.push((n >> (16 - 8 * i)) as u8);
            }
        }
        out.push_str(&String::from_utf8_lossy(&bytes));
        out.push('\n');
    }
    out
}
