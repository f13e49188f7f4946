//! Community benchmark: generate a multilingual community, import it, then
//! load the HTTP server with thread-page reads and thread creation, on SQLite
//! and PostgreSQL. Prints figures; asserts nothing.
//!
//!     cargo run --release -p hearth-bench -- [community|search|reputation|crm|hardening|posting|analytics|ideas|writes|pages|relevance] [--threads N]
//!         [--replies N] [--backends sqlite,postgres] [--seconds S] [--concurrency C]
//!
//! `search`, `reputation` and `analytics` default to 100k threads × (1
//! question + 9 replies) = 1M posts; `ideas` to 100k ideas with 2M votes.

use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

mod analytics_bench;
mod crm_bench;
mod hardening_bench;
mod ideas_bench;
mod pages_bench;
mod posting_bench;
mod relevance_bench;
mod reputation_bench;
mod search_bench;
mod writes_bench;

use anyhow::{bail, Context};
use forum::{Forum, NewUser, Role, TokenKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub(crate) struct Options {
    mode: String,
    threads: usize,
    replies: usize,
    backends: Vec<String>,
    seconds: u64,
    concurrency: usize,
    /// `analytics` and `ideas`: keep the generated database (SQLite: in this
    /// directory; PostgreSQL: in schema `hearth_bench_kept`, or
    /// `hearth_bench_ideas_kept`, markers and the search index in this
    /// directory) and reuse it on the next run. With
    /// `HEARTH_BENCH_IDEAS_LIST_ONLY` set, `ideas` stops after the list
    /// figures (nothing written), to profile them on a kept database.
    keep: Option<std::path::PathBuf>,
}

fn parse_args() -> anyhow::Result<Options> {
    let mut o = Options {
        mode: "community".into(),
        threads: 10_000,
        replies: 10,
        backends: vec!["sqlite".into(), "postgres".into()],
        seconds: 10,
        concurrency: 8,
        keep: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("missing value");
        match a.as_str() {
            "--threads" => o.threads = value()?.parse()?,
            "--replies" => o.replies = value()?.parse()?,
            "--backends" => o.backends = value()?.split(',').map(String::from).collect(),
            "--seconds" => o.seconds = value()?.parse()?,
            "--concurrency" => o.concurrency = value()?.parse()?,
            "--keep" => o.keep = Some(value()?.into()),
            "community" | "search" | "reputation" | "crm" | "hardening" | "posting" | "ideas"
            | "analytics" | "writes" | "pages" | "relevance" => o.mode = a.clone(),
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(o)
}

/// Words per language from the shared corpus, so text has real vocabulary.
pub(crate) fn vocabulary() -> Vec<Vec<String>> {
    let dir = search::sample_corpus_dir();
    let mut langs = Vec::new();
    for file in [
        "python-faq.en.jsonl",
        "social-crm-004.ru.jsonl",
        "social-crm-002.uk.jsonl",
        "social-crm-000.fa.jsonl",
    ] {
        let mut words = Vec::new();
        if let Ok(f) = std::fs::File::open(dir.join(file)) {
            for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                    continue;
                };
                for key in ["title", "body", "answer"] {
                    if let Some(t) = v[key].as_str() {
                        words.extend(
                            t.split_whitespace()
                                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                                .filter(|w| w.chars().count() > 1)
                                .map(String::from),
                        );
                    }
                }
            }
        }
        if words.len() > 50 {
            langs.push(words);
        }
    }
    if langs.is_empty() {
        eprintln!(
            "corpus not found at {}; using a small built-in vocabulary",
            dir.display()
        );
        langs.push(
            "printer offline restart spooler driver network router password reset account billing invoice refund"
                .split(' ')
                .map(String::from)
                .collect(),
        );
    }
    langs
}

pub(crate) fn sentence(rng: &mut StdRng, words: &[String], n: usize) -> String {
    (0..n)
        .map(|_| words[rng.gen_range(0..words.len())].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// JSONL lines: `threads` threads with `replies` replies each, plus a few
/// 100-reply threads for the page benchmark (they come first).
pub(crate) fn generate(threads: usize, replies: usize, vocab: &[Vec<String>]) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(42);
    let boards = ["support", "general", "billing", "devices", "accounts"];
    let mut out = Vec::with_capacity(threads);
    // Spread over about a year, so daily caps, streaks and leaderboard
    // periods see realistic dates.
    let start = 1_760_000_000_000i64;
    let step = 365 * 86_400_000 / threads.max(1) as i64;
    for i in 0..threads {
        let asked = start + i as i64 * step;
        let words = &vocab[i % vocab.len()];
        let n_replies = if i < 5 { 100 } else { replies };
        let title_len = rng.gen_range(5..10);
        let body_len = rng.gen_range(30..120);
        let reps: Vec<serde_json::Value> = (0..n_replies)
            .map(|r| {
                let len = rng.gen_range(20..80);
                serde_json::json!({
                    "author": format!("member{}", rng.gen_range(0..2000)),
                    "created_at": asked + (r as i64 + 1) * rng.gen_range(60_000..3_600_000),
                    "body": sentence(&mut rng, words, len),
                    "accepted": r == 2 && i % 3 == 0,
                    "kudos_from": (0..rng.gen_range(0..3)).map(|_| format!("member{}", rng.gen_range(0..2000))).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut title = sentence(&mut rng, words, title_len);
        if title.chars().count() < 5 {
            title.push_str(" question");
        }
        let title: String = title.chars().take(190).collect();
        out.push(
            serde_json::json!({
                "category": boards[i % boards.len()],
                "title": title,
                "body": sentence(&mut rng, words, body_len),
                "author": format!("member{}", rng.gen_range(0..2000)),
                "created_at": asked,
                "tags": [format!("tag{}", rng.gen_range(0..50))],
                "replies": reps,
            })
            .to_string(),
        );
    }
    out
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

pub(crate) struct LoadResult {
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
}

/// Run `concurrency` clients for `seconds`, each calling `make` in a loop.
pub(crate) async fn load<F, Fut>(seconds: u64, concurrency: usize, make: F) -> LoadResult
where
    F: Fn(awc::Client, usize) -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = bool> + 'static,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let make = make.clone();
        tasks.push(actix_rt::spawn(async move {
            let client = awc::Client::builder()
                .timeout(Duration::from_secs(30))
                .finish();
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut i = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                if !make(client.clone(), worker * 1_000_000 + i).await {
                    errors += 1;
                }
                lat.push(t.elapsed());
                i += 1;
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    LoadResult {
        requests: all.len(),
        errors,
        rps: all.len() as f64 / elapsed,
        p50: percentile(&all, 0.50),
        p99: percentile(&all, 0.99),
    }
}

/// Import the generated community into `forum`, printing how long it took.
pub(crate) fn import_community(
    backend: &str,
    forum: &Forum,
    lines: &[String],
) -> anyhow::Result<forum::ImportSummary> {
    let started = Instant::now();
    let summary = forum.import_lines(lines.iter().map(|l| Ok(l.clone())), 500, |_| {})?;
    println!(
        "[{backend}] imported {} threads, {} posts in {:.1}s",
        summary.threads,
        summary.posts,
        started.elapsed().as_secs_f64()
    );
    Ok(summary)
}

fn pg_url() -> anyhow::Result<(String, String)> {
    let schema = format!("hearth_bench_{}", std::process::id());
    Ok((pg_schema_url(&schema, true)?, schema))
}

/// A URL whose search path is `schema`, created first (dropped and made
/// anew when `fresh`).
pub(crate) fn pg_schema_url(schema: &str, fresh: bool) -> anyhow::Result<String> {
    let admin = std::env::var("HEARTH_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let drop = if fresh {
        format!("DROP SCHEMA IF EXISTS {schema} CASCADE; ")
    } else {
        String::new()
    };
    let ok = std::process::Command::new("psql")
        .env("PGOPTIONS", "--client-min-messages=warning")
        .args([
            admin.as_str(),
            "-qc",
            &format!("{drop}CREATE SCHEMA IF NOT EXISTS {schema}"),
        ])
        .status()?
        .success();
    if !ok {
        bail!("cannot create schema on {admin}");
    }
    let sep = if admin.contains('?') { '&' } else { '?' };
    Ok(format!("{admin}{sep}options=-csearch_path%3D{schema}"))
}

fn run_backend(backend: &str, lines: &[String], o: &Options) -> anyhow::Result<()> {
    with_database(backend, |url, dir| {
        bench_backend(backend, url, dir, lines, o)
    })
}

/// Run `f` on a fresh database of `backend` (a temp SQLite file, or a new
/// PostgreSQL schema that is dropped afterwards).
/// Run `bench` on each of the chosen backends in a fresh database; a
/// backend that fails is reported and the next one runs.
pub(crate) fn each_backend(
    o: &Options,
    mut bench: impl FnMut(&str, &str, &Path) -> anyhow::Result<()>,
) {
    for backend in &o.backends {
        if let Err(e) = with_database(backend, |url, dir| bench(backend, url, dir)) {
            println!("[{backend}] failed: {e:#}");
        }
    }
}

pub(crate) fn with_database(
    backend: &str,
    f: impl FnOnce(&str, &Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, schema) = match backend {
        "sqlite" => (
            format!("sqlite://{}", dir.path().join("hearth.db").display()),
            None,
        ),
        "postgres" => {
            let (u, s) = pg_url()?;
            (u, Some(s))
        }
        other => bail!("unknown backend {other}"),
    };
    let result = f(&url, dir.path());
    if let Some(schema) = schema {
        let admin = std::env::var("HEARTH_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let _ = std::process::Command::new("psql")
            .env("PGOPTIONS", "--client-min-messages=warning")
            .args([
                admin.as_str(),
                "-qc",
                &format!("DROP SCHEMA {schema} CASCADE"),
            ])
            .status();
    }
    result
}

fn bench_backend(
    backend: &str,
    url: &str,
    data_dir: &Path,
    lines: &[String],
    o: &Options,
) -> anyhow::Result<()> {
    let forum = Forum::open(url, 16)?;
    let started = Instant::now();
    let summary = forum.import_lines(lines.iter().map(|l| Ok(l.clone())), 500, |_| {})?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "[{backend}] import: {} threads, {} posts, {} kudos in {:.1}s = {:.0} posts/s",
        summary.threads,
        summary.posts,
        summary.votes,
        secs,
        summary.posts as f64 / secs
    );
    if !summary.skipped.is_empty() {
        println!(
            "[{backend}] skipped {} lines, first: {:?}",
            summary.skipped.len(),
            summary.skipped.first()
        );
    }
    let user = forum.register(NewUser {
        language: None,
        username: "benchuser".into(),
        email: "bench@example.com".into(),
        password: Some("password123".into()),
        role: Role::Customer,
        display_name: None,
    })?;
    let token = forum.issue_token(user.id, TokenKind::Api)?;

    let config = web::Config {
        data_dir: data_dir.to_path_buf(),
        database_url: url.to_string(),
        pool_size: 16,
        // One load generator on one address is not abuse to refuse.
        rate_limits: web::rate_limits::RateLimits::off(),
        ..web::Config::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let search = web::AppState::open_search(&config)?;
    let state = web::AppState::new(forum.clone(), search, config)?;
    let (seconds, concurrency) = (o.seconds, o.concurrency);
    actix_rt::System::new().block_on(async move {
        let running = web::start_server(state, listener)?;
        let handle = running.server.handle();
        actix_rt::spawn(running.server);

        // Thread 1 is one of the 100-reply threads.
        let page_url = format!("{base}/t/1");
        let probe = awc::Client::default().get(&page_url).send().await;
        let mut probe = probe.map_err(|e| anyhow::anyhow!("probe failed: {e}"))?;
        let body = probe.body().limit(10 << 20).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("[{backend}] thread page: {} bytes, status {}", body.len(), probe.status());

        let targets = [
            ("HTML thread page, 100 replies", page_url.clone(), 1),
            ("HTML thread page, 100 replies", page_url.clone(), concurrency),
            ("API thread, 100 replies", format!("{base}/api/v1/threads/1?per_page=100"), concurrency),
        ];
        for (label, url, concurrency) in targets {
            let r = load(seconds, concurrency, move |c, _| {
                let url = url.clone();
                async move {
                    match c.get(&url).send().await {
                        Ok(mut r) => r.status().is_success() && r.body().limit(10 << 20).await.is_ok(),
                        Err(_) => false,
                    }
                }
            })
            .await;
            println!(
                "[{backend}] {label}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors, {concurrency} clients)",
                r.rps, r.p50, r.p99, r.requests, r.errors
            );
        }
        let create_url = format!("{base}/api/v1/threads");
        let r = load(seconds, concurrency, move |c, i| {
            let url = create_url.clone();
            let token = token.clone();
            async move {
                let body = serde_json::json!({ "category": "support", "title": format!("Benchmark question number {i}"), "body": "How do I **reset** my router? It keeps dropping Wi-Fi.", "tags": ["bench"] });
                matches!(c.post(&url).insert_header(("Authorization", format!("Bearer {token}"))).send_json(&body).await, Ok(r) if r.status().as_u16() == 201)
            }
        })
        .await;
        println!(
            "[{backend}] create thread (API): {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors, {concurrency} clients)",
            r.rps, r.p50, r.p99, r.requests, r.errors
        );
        handle.stop(true).await;
        running.workers.stop();
        anyhow::Ok(())
    })?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("load") {
        return analytics_bench::load_main(&args);
    }
    let o = parse_args()?;
    if o.mode == "analytics" {
        let threads = if o.threads == 10_000 {
            100_000
        } else {
            o.threads
        };
        let replies = if o.replies == 10 { 9 } else { o.replies };
        let lines = generate(threads, replies, &vocabulary());
        for backend in &o.backends {
            if let Err(e) = analytics_bench::run(backend, &lines, &o) {
                println!("[{backend}] failed: {e:#}");
            }
        }
        return Ok(());
    }
    if o.mode == "hardening" {
        return hardening_bench::run(&o);
    }
    if o.mode == "ideas" {
        return ideas_bench::run(&o);
    }
    if o.mode == "posting" {
        return posting_bench::run(&o);
    }
    if o.mode == "pages" {
        return pages_bench::run(&o);
    }
    if o.mode == "relevance" {
        return relevance_bench::run(&o);
    }
    if o.mode == "writes" {
        return writes_bench::run(&o);
    }
    if o.mode == "search" {
        let threads = if o.threads == 10_000 {
            100_000
        } else {
            o.threads
        };
        // 1 question + 9 replies per thread: 1M posts at 100k threads.
        let replies = if o.replies == 10 { 9 } else { o.replies };
        return search_bench::run(threads, replies, o.seconds, o.concurrency);
    }
    if o.mode == "crm" {
        // --threads is the catch-up backlog; --seconds the latency run at 50/s.
        let backlog = if o.threads == 10_000 {
            100_000
        } else {
            o.threads
        };
        let seconds = if o.seconds == 10 { 30 } else { o.seconds };
        crm_bench::run(&o.backends, 50, seconds, backlog);
        return Ok(());
    }
    if o.mode == "reputation" {
        let threads = if o.threads == 10_000 {
            100_000
        } else {
            o.threads
        };
        let replies = if o.replies == 10 { 9 } else { o.replies };
        let lines = generate(threads, replies, &vocabulary());
        for backend in &o.backends {
            if let Err(e) = reputation_bench::run(backend, &lines) {
                println!("[{backend}] failed: {e:#}");
            }
        }
        return Ok(());
    }
    let vocab = vocabulary();
    let t = Instant::now();
    let lines = generate(o.threads, o.replies, &vocab);
    let bytes: usize = lines.iter().map(String::len).sum();
    println!(
        "generated {} threads (~{} posts, {} languages, {:.1} MB JSONL) in {:.1}s; machine: {} cores",
        lines.len(),
        o.threads * (o.replies + 1) + 5 * (100 - o.replies.min(100)),
        vocab.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for backend in &o.backends {
        if let Err(e) = run_backend(backend, &lines, &o) {
            println!("[{backend}] failed: {e:#}");
        }
    }
    Ok(())
}
