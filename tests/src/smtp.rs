//! A real SMTP server for the mail suites: the aiosmtpd sink
//! (`tests/smtp/sink.py`) started per test, the messages it wrote read
//! back (quoted-printable and base64 decoded), and the mail settings that
//! point a server at it.

// Test set-up: a sink that cannot start is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::Customize;

/// The SMTP sink process (aiosmtpd, `tests/smtp/sink.py`) writing each
/// message it receives into `dir`; stopped when dropped.
pub struct Sink {
    child: Child,
    pub dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn python_ok() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start the SMTP sink on `port`, or None (after a loud message) when
/// Python's aiosmtpd is missing outside CI.
pub fn sink_on(port: u16, dir: Option<tempfile::TempDir>) -> Option<Sink> {
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
pub struct Mail {
    pub headers: BTreeMap<String, String>,
    /// Quoted-printable decoded, base64 parts decoded and appended.
    pub body: String,
}

impl Mail {
    pub fn h(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map_or("", String::as_str)
    }
    pub fn to(&self) -> &str {
        self.h("x-envelope-to")
    }
    pub fn kind(&self) -> &str {
        self.h("x-hearth-kind")
    }
    pub fn unsubscribe_url(&self) -> String {
        self.h("list-unsubscribe")
            .trim_matches(['<', '>'])
            .to_string()
    }
}

/// Quoted-printable bodies, decoded enough to search them.
pub fn qp_decode(s: &str) -> String {
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

/// Standard base64, whitespace ignored (mail parts in scripts that are
/// not mostly ASCII are sent so).
pub fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The body with each base64 part decoded after it, so a test can search
/// the text whatever the encoding.
pub fn with_base64_parts(body: &str) -> String {
    let mut out = body.to_string();
    for part in body.split("Content-Transfer-Encoding: base64").skip(1) {
        // The part's data starts after the blank line ending its headers.
        let data = part.split_once("\n\n").map_or(part, |(_, d)| d);
        let encoded: String = data
            .lines()
            .take_while(|l| !l.is_empty() && !l.starts_with("--"))
            .collect();
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&base64_decode(&encoded)));
    }
    out
}

pub fn read_mails(dir: &std::path::Path) -> Vec<Mail> {
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
                body: with_base64_parts(&qp_decode(body)),
            }
        })
        .collect()
}

pub fn wait_for(dir: &std::path::Path, what: &str, check: impl Fn(&[Mail]) -> bool) -> Vec<Mail> {
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

pub fn count(mails: &[Mail], to: &str, kind: &str) -> usize {
    mails
        .iter()
        .filter(|m| m.to() == to && m.kind() == kind)
        .count()
}

pub fn mail_config(port: u16, digest_secs: i64) -> Customize {
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
