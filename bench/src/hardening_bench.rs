//! Hardening figures (issue 11): the release `hearth` binary runs as its
//! own process, and this process is the load generator.
//!
//! 1. Memory: RSS at start, at the peak and after 2,000 registrations,
//!    2,000 sign-ins and a hostile mix (page overflows, control characters,
//!    deeply nested posts, oversized bodies, open-redirect attempts), and
//!    again after 15 s idle. Judged against the process's own baseline.
//! 2. Replies: requests per second replying to a thread that already has
//!    6,400 replies against a fresh thread, in interleaved rounds, on the
//!    same server. Judged as the ratio long/fresh (1.0 = no penalty).
//!
//!     cargo build --release -p web && cargo run --release -p hearth-bench -- hardening
//!
//! `HEARTH_BIN` overrides the server binary (default target/release/hearth).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use forum::{Forum, NewThread};
use serde_json::json;

use crate::{load, with_database, Options};

pub fn run(o: &Options) -> anyhow::Result<()> {
    let bin = release_binary()?;
    for backend in &o.backends {
        with_database(backend, |url, dir| bench(backend, &bin, url, dir, o))?;
    }
    Ok(())
}

pub(crate) struct Server {
    pub child: std::process::Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn start(bin: &str, url: &str, dir: &std::path::Path) -> anyhow::Result<Server> {
    // Every request comes from one address: lift the per-address sign-in
    // limit so the 2,000 sign-ins are all password checks (the per-account
    // limit stays), and the per-address request limits, which would answer
    // most of the mix with 429 instead of doing the work being measured.
    #[derive(serde::Serialize)]
    struct BenchConfig {
        login: std::collections::BTreeMap<&'static str, i64>,
        rate_limits: web::rate_limits::RateLimits,
        registration: std::collections::BTreeMap<&'static str, bool>,
    }
    // The bench's members post as soon as they register.
    let config_text = toml::to_string(&BenchConfig {
        login: [("max_failures_per_address", 1_000_000)].into(),
        rate_limits: web::rate_limits::RateLimits::off(),
        registration: [("require_email_confirmation", false)].into(),
    })?;
    start_with(bin, url, dir, &config_text)
}

/// Start `hearth serve` as its own process with this configuration file's
/// text, and wait until it answers /healthz.
/// The release server binary the process-level benches start
/// (`HEARTH_BIN`, default `target/release/hearth`).
pub(crate) fn release_binary() -> anyhow::Result<String> {
    let bin = std::env::var("HEARTH_BIN").unwrap_or_else(|_| "target/release/hearth".into());
    if !std::path::Path::new(&bin).exists() {
        bail!("{bin} not found: run `cargo build --release -p web` first (or set HEARTH_BIN)");
    }
    Ok(bin)
}

pub(crate) fn start_with(
    bin: &str,
    url: &str,
    dir: &std::path::Path,
    config_text: &str,
) -> anyhow::Result<Server> {
    let port = free_port()?;
    let config = dir.join("bench.toml");
    std::fs::write(&config, config_text)?;
    let child = std::process::Command::new(bin)
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .env("HEARTH_DATABASE_URL", url)
        .env("HEARTH_DATA_DIR", dir)
        .env("HEARTH_BIND", format!("127.0.0.1:{port}"))
        .env("HEARTH_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("starting {bin}"))?;
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200") {
                return Ok(server);
            }
        }
        if Instant::now() > deadline {
            bail!("the server did not become healthy");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Samples the server's RSS every 50 ms and keeps the peak.
struct RssWatch {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl RssWatch {
    fn start(pid: u32) -> RssWatch {
        let (peak, stop) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        RssWatch { peak, stop }
    }

    fn peak_mib(&self) -> f64 {
        self.peak.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for RssWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Send `n` requests with `concurrency` clients; returns status counts.
async fn run_n<F, Fut>(
    n: usize,
    concurrency: usize,
    make: F,
) -> std::collections::BTreeMap<u16, usize>
where
    F: Fn(awc::Client, usize) -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = u16> + 'static,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (make, next) = (make.clone(), next.clone());
        tasks.push(actix_rt::spawn(async move {
            let client = awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish();
            let mut seen = std::collections::BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                *seen.entry(make(client.clone(), i).await).or_insert(0) += 1;
            }
            seen
        }));
    }
    let mut all = std::collections::BTreeMap::new();
    for t in tasks {
        if let Ok(seen) = t.await {
            for (k, v) in seen {
                *all.entry(k).or_insert(0) += v;
            }
        }
    }
    all
}

pub(crate) async fn post_json(
    client: &awc::Client,
    url: String,
    token: Option<&str>,
    body: serde_json::Value,
) -> u16 {
    let mut req = client.post(url);
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    match req.send_json(&body).await {
        Ok(mut r) => {
            let _ = r.body().limit(1 << 20).await;
            r.status().as_u16()
        }
        Err(_) => 0,
    }
}

async fn get(client: &awc::Client, url: String) -> u16 {
    match client.get(url).send().await {
        Ok(mut r) => {
            let _ = r.body().limit(8 << 20).await;
            r.status().as_u16()
        }
        Err(_) => 0,
    }
}

fn bench(
    backend: &str,
    bin: &str,
    url: &str,
    dir: &std::path::Path,
    o: &Options,
) -> anyhow::Result<()> {
    // Migrate and seed the board before the server starts.
    let forum = Forum::open(url, 4)?;
    let server = start(bin, url, dir)?;
    let pid = server.child.id();
    std::thread::sleep(Duration::from_secs(2));
    let baseline = rss_kib(pid) as f64 / 1024.0;
    let watch = RssWatch::start(pid);
    let base = server.base.clone();
    let system = actix_rt::System::new();
    let (registered, logins, hostile) = system.block_on(async {
        let b = base.clone();
        let registered = run_n(2000, 16, move |c, i| {
            let url = format!("{b}/api/v1/users");
            async move {
                post_json(
                    &c,
                    url,
                    None,
                    json!({ "username": format!("member{i}"), "email": format!("member{i}@example.com"), "password": "password123" }),
                )
                .await
            }
        })
        .await;
        println!(
            "[{backend}] RSS after 2,000 registrations: {:.0} MiB",
            rss_kib(pid) as f64 / 1024.0
        );
        let b = base.clone();
        let logins = run_n(2000, 16, move |c, i| {
            let url = format!("{b}/api/v1/auth/token");
            // Nine in ten right, one in ten wrong.
            let password = if i % 10 == 0 { "wrong-password" } else { "password123" };
            async move {
                post_json(&c, url, None, json!({ "login": format!("member{}", i % 2000), "password": password })).await
            }
        })
        .await;
        println!(
            "[{backend}] RSS after 2,000 sign-ins: {:.0} MiB",
            rss_kib(pid) as f64 / 1024.0
        );
        let b = base.clone();
        let hostile = run_n(2000, 16, move |c, i| {
            let b = b.clone();
            async move {
                match i % 10 {
                    0 => get(&c, format!("{b}/search?tag=x&page=2147483648")).await,
                    1 => get(&c, format!("{b}/api/v1/search?q=a&page=99999999999")).await,
                    2 => get(&c, format!("{b}/t/%00")).await,
                    3 => get(&c, format!("{b}/api/v1/categories/general/threads?page=9223372036854775807&per_page=500")).await,
                    4 => get(&c, format!("{b}/login?next=%2F%09%2Fevil.example%2F")).await,
                    5 => post_json(&c, format!("{b}/api/v1/users"), None, json!({ "username": format!("eve{i}"), "email": format!("eve{i}@example.com"), "password": "password123", "display_name": "Eve\nX" })).await,
                    6 => post_json(&c, format!("{b}/api/v1/users"), None, json!({ "username": format!("big{i}"), "email": "x@example.com", "password": "x".repeat(300_000) })).await,
                    7 => post_json(&c, format!("{b}/api/v1/auth/token"), None, json!({ "login": "member1\u{0}", "password": "password123" })).await,
                    8 => get(&c, format!("{b}/search?q={}", "a%20".repeat(120))).await,
                    _ => get(&c, format!("{b}/api/v1/search?q=password&per_page=100")).await,
                }
            }
        })
        .await;
        (registered, logins, hostile)
    });
    let after = rss_kib(pid) as f64 / 1024.0;
    let peak = watch.peak_mib();
    std::thread::sleep(Duration::from_secs(15));
    let idle = rss_kib(pid) as f64 / 1024.0;
    drop(watch);
    println!("[{backend}] registrations by status: {registered:?}");
    println!("[{backend}] sign-ins by status: {logins:?}");
    println!("[{backend}] hostile mix by status: {hostile:?}");
    println!(
        "[{backend}] RSS MiB: start {baseline:.0}, peak {peak:.0} ({:.1}× start), after {after:.0}, after 15 s idle {idle:.0} ({:.1}× start)",
        peak / baseline,
        idle / baseline
    );
    if hostile.keys().any(|s| *s >= 500 && *s != 503) {
        println!("[{backend}] !!! the hostile mix got server errors");
    }

    // Replies: a thread with 6,400 replies against a fresh one.
    let asker = forum
        .find_user("member1")?
        .context("member1 registered")?
        .actor();
    let thread = |title: &str| {
        forum.create_thread(
            asker,
            NewThread {
                category: "general".into(),
                title: title.into(),
                body: "A question to reply to.".into(),
                tags: vec![],
            },
        )
    };
    let long = thread("A thread with a long history")?;
    let seeded = Instant::now();
    for i in 0..6400 {
        forum.reply(asker, long, &format!("Earlier reply number {i}."))?;
    }
    println!(
        "[{backend}] seeded 6,400 replies in {:.1}s",
        seeded.elapsed().as_secs_f64()
    );
    // Each "fresh" round gets a thread of its own: a round adds thousands
    // of replies, so the thread of the first round is not fresh afterwards.
    let fresh: Vec<i64> = (0..2)
        .map(|i| thread(&format!("A thread with no history, number {i}")))
        .collect::<Result<_, _>>()?;
    let tokens: Vec<String> = (0..o.concurrency)
        .map(|i| {
            let u = forum
                .find_user(&format!("member{}", 100 + i))?
                .ok_or(forum::ForumError::NotFound("user"))?;
            forum.issue_token(u.id, forum::TokenKind::Api)
        })
        .collect::<Result<_, _>>()?;
    let mut rounds: Vec<(&str, f64, f64)> = Vec::new();
    system.block_on(async {
        // fresh, long, long, fresh: a drift over the run (the database
        // and the consumers' work grow) weighs on both sides alike.
        for (round, kind) in ["fresh", "long", "long", "fresh"].into_iter().enumerate() {
            let (name, id) = if kind == "fresh" {
                ("fresh", fresh[round / 2])
            } else {
                ("long", long)
            };
            let (b, tokens) = (base.clone(), tokens.clone());
            let r = load(o.seconds, o.concurrency, move |c, i| {
                let url = format!("{b}/api/v1/threads/{id}/posts");
                let token = tokens[(i / 1_000_000) % tokens.len()].clone();
                async move {
                    post_json(&c, url, Some(&token), json!({ "body": format!("Reply {i} under load.") })).await == 201
                }
            })
            .await;
            println!(
                "[{backend}] replies to the {name} thread: {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, errors {}",
                r.rps, r.p50, r.p99, r.errors
            );
            rounds.push((name, r.rps, r.p99));
        }
    });
    let mean = |n: &str| {
        let v: Vec<f64> = rounds.iter().filter(|r| r.0 == n).map(|r| r.1).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    println!(
        "[{backend}] replies/s, 6,400-reply thread vs fresh: {:.0} vs {:.0} = {:.2}× (1.0 = no penalty for a long thread)",
        mean("long"),
        mean("fresh"),
        mean("long") / mean("fresh")
    );
    drop(server);
    Ok(())
}
