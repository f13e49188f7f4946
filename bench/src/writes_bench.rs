//! Write figures (issue 20): creating threads, and many members replying
//! to one hot thread at once, over HTTP against the release `hearth`
//! binary in its own process (this process is the load generator).
//!
//! Each figure is judged by a reference measured in the same run: the raw
//! rate of single-row "post + outbox event" transactions the database
//! sustains (SQLite: one writer, its ceiling; PostgreSQL: as many
//! connections as clients), and `/healthz` over HTTP. Rounds run after the
//! server's workers have caught up (idle), after a warm-up, three times
//! each; the median and the spread are printed. At the end the hot
//! thread's reply counter must equal a recount of its visible replies.
//!
//!     cargo build --release -p web && cargo run --release -p hearth-bench -- writes \
//!         [--threads N] [--replies N] [--seconds S] [--concurrency C] [--backends sqlite,postgres]
//!
//! Targets (issue 20): create thread ≥ 2,000/s with p99 ≤ 25 ms on SQLite;
//! 32 members replying to one thread ≥ 1,000/s on SQLite and ≥ 500/s on
//! PostgreSQL with p99 ≤ 50 ms.

use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use forum::Forum;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::json;

use crate::hardening_bench::{post_json, start_with};
use crate::posting_bench::{config_text, members, settle, Checks, Kind};
use crate::{generate, load, sentence, vocabulary, LoadResult, Options};

/// Members replying to the hot thread at once (the figure).
const HOT_CLIENTS: usize = 32;
/// Repeats of each measured round.
const REPEATS: usize = 3;

pub fn run(o: &Options) -> anyhow::Result<()> {
    let bin = crate::hardening_bench::release_binary()?;
    let lines = generate(o.threads, o.replies, &vocabulary());
    println!(
        "writes bench: community of {} threads, {}s per round, {REPEATS} rounds per figure, create at {} clients, hot thread at {HOT_CLIENTS}; machine: {} cores",
        lines.len(),
        o.seconds,
        o.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    crate::each_backend(o, |backend, url, dir| {
        bench(backend, &bin, url, dir, &lines, o)
    });
    Ok(())
}

/// Wait until every outbox consumer has caught up, then until the
/// server's process is idle; prints how long each took.
pub(crate) fn caught_up(forum: &Forum, pid: u32, backend: &str, what: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let behind: Vec<(String, i64)> = forum
            .consumer_lags()?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        if behind.is_empty() {
            break;
        }
        if started.elapsed() > Duration::from_secs(900) {
            bail!("workers still behind after 15 minutes: {behind:?}");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let caught_up = started.elapsed().as_secs_f64();
    let idle = settle(pid);
    println!(
        "[{backend}] after {what}: workers caught up in {caught_up:.1}s, idle {idle:.0}s later"
    );
    Ok(())
}

/// Median and spread of repeated rounds.
pub(crate) struct Figure {
    pub(crate) rps: Vec<f64>,
    pub(crate) p99: Vec<f64>,
}

impl Figure {
    pub(crate) fn new() -> Figure {
        Figure {
            rps: Vec::new(),
            p99: Vec::new(),
        }
    }
    pub(crate) fn push(&mut self, r: &LoadResult) {
        self.rps.push(r.rps);
        self.p99.push(r.p99);
    }
    pub(crate) fn median(v: &[f64]) -> f64 {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    }
    fn spread(v: &[f64]) -> (f64, f64) {
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min, max)
    }
    pub(crate) fn line(&self, unit: &str) -> String {
        let (lo, hi) = Figure::spread(&self.rps);
        let (plo, phi) = Figure::spread(&self.p99);
        format!(
            "{:.0} {unit}/s (spread {lo:.0}–{hi:.0}), p99 {:.1} ms (spread {plo:.1}–{phi:.1})",
            Figure::median(&self.rps),
            Figure::median(&self.p99)
        )
    }
}

/// The raw reference: single-row transactions of one post and one outbox
/// event, straight through diesel, on scratch tables of the same database.
fn raw_transactions(url: &str, clients: usize, seconds: u64) -> anyhow::Result<f64> {
    const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS bench_raw_posts (id BIGINT PRIMARY KEY, thread_id BIGINT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS bench_raw_events (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL)";
    let sqlite = url.strip_prefix("sqlite://").map(str::to_owned);
    let next = Arc::new(std::sync::atomic::AtomicI64::new(1));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let run = |worker: usize| -> anyhow::Result<u64> {
        let mut done = 0u64;
        let body = "How do I reset my router? It keeps dropping Wi-Fi.";
        macro_rules! drive {
            ($conn:expr, $begin:expr) => {{
                let conn = &mut $conn;
                while Instant::now() < deadline {
                    let id = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    conn.batch_execute($begin)?;
                    diesel::sql_query("INSERT INTO bench_raw_posts (id, thread_id, body, created_at) VALUES ($1, $2, $3, $4)")
                        .bind::<BigInt, _>(id)
                        .bind::<BigInt, _>(worker as i64)
                        .bind::<diesel::sql_types::Text, _>(body)
                        .bind::<BigInt, _>(id)
                        .execute(conn)?;
                    diesel::sql_query("INSERT INTO bench_raw_events (id, kind, payload) VALUES ($1, 'post.created', $2)")
                        .bind::<BigInt, _>(id)
                        .bind::<diesel::sql_types::Text, _>(format!("{{\"post_id\":{id}}}"))
                        .execute(conn)?;
                    conn.batch_execute("COMMIT")?;
                    done += 1;
                }
            }};
        }
        match &sqlite {
            Some(path) => {
                let mut c = diesel::SqliteConnection::establish(path)?;
                c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")?;
                drive!(c, "BEGIN IMMEDIATE")
            }
            None => {
                let mut c = diesel::PgConnection::establish(url)?;
                drive!(c, "BEGIN")
            }
        }
        Ok(done)
    };
    match &sqlite {
        Some(path) => diesel::SqliteConnection::establish(path)?.batch_execute(SCHEMA)?,
        None => diesel::PgConnection::establish(url)?.batch_execute(SCHEMA)?,
    }
    let started = Instant::now();
    let total: u64 = std::thread::scope(|s| -> anyhow::Result<u64> {
        let handles: Vec<_> = (0..clients).map(|w| s.spawn(move || run(w))).collect();
        let mut total = 0;
        for h in handles {
            total += h
                .join()
                .map_err(|_| anyhow::anyhow!("raw writer panicked"))??;
        }
        Ok(total)
    })?;
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The hot thread's reply counter and a recount of its visible replies.
fn reply_counts(url: &str, thread: i64) -> anyhow::Result<(i64, i64)> {
    let counter =
        format!("SELECT CAST(reply_count AS BIGINT) AS n FROM threads WHERE id = {thread}");
    let recount = format!(
        "SELECT COUNT(*) AS n FROM posts WHERE thread_id = {thread} AND NOT is_question \
         AND deleted_at IS NULL AND review_state IS NULL"
    );
    let read = |sql: &str| -> anyhow::Result<i64> {
        Ok(match url.strip_prefix("sqlite://") {
            Some(path) => diesel::sql_query(sql)
                .get_result::<Count>(&mut diesel::SqliteConnection::establish(path)?)?,
            None => diesel::sql_query(sql)
                .get_result::<Count>(&mut diesel::PgConnection::establish(url)?)?,
        }
        .n)
    };
    Ok((read(&counter)?, read(&recount)?))
}

fn bench(
    backend: &str,
    bin: &str,
    url: &str,
    dir: &std::path::Path,
    lines: &[String],
    o: &Options,
) -> anyhow::Result<()> {
    let forum = Forum::open(url, 4)?;
    crate::import_community(backend, &forum, lines)?;
    // Imported threads are numbered from 1; thread 6 is an ordinary one.
    let hot: i64 = 6;
    forum
        .thread(hot, None, 1, 1, false)
        .context("the hot thread")?;
    let clients = o.concurrency.max(1);
    let creators = members(&forum, Kind::Established, "c", clients * 4, hot)?;
    let repliers = members(&forum, Kind::Established, "h", HOT_CLIENTS, hot)?;
    let mut rng = StdRng::seed_from_u64(20);
    let vocab = vocabulary();
    let bodies: Rc<Vec<String>> = Rc::new(
        (0..1000)
            .map(|i| sentence(&mut rng, &vocab[i % vocab.len()], 20 + i % 60))
            .collect(),
    );
    // Reputation catches up on an import by a rebuild, as an operator
    // would (`hearth reputation rebuild`), not while rounds are measured.
    if forum.pending_events(forum::reputation::OUTBOX_CONSUMER)? > 0 {
        let started = Instant::now();
        forum.rebuild_reputation()?;
        println!(
            "[{backend}] reputation rebuild: {:.1}s",
            started.elapsed().as_secs_f64()
        );
    }

    let server = start_with(bin, url, dir, &config_text(Checks::Off)?)?;
    let pid = server.child.id();
    // Every round starts with the workers caught up (on the import, then
    // on the previous round's writes): the figures are the writes alone.
    let drain = |what: &str| caught_up(&forum, pid, backend, what);
    drain("start")?;
    let system = actix_rt::System::new();
    let base = server.base.clone();
    let create = |tag: String, seconds: u64| {
        let (b, tokens, bodies) = (
            base.clone(),
            Rc::new(creators.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>()),
            bodies.clone(),
        );
        system.block_on(load(seconds, clients, move |c, i| {
            let token = tokens[i % tokens.len()].clone();
            let payload = json!({
                "category": "support",
                "title": format!("Writes bench question {tag}-{i}"),
                "body": format!("{} ({tag}-{i})", bodies[i % bodies.len()]),
                "tags": ["bench"],
            });
            let url = format!("{b}/api/v1/threads");
            async move { post_json(&c, url, Some(&token), payload).await == 201 }
        }))
    };
    let reply = |tag: String, seconds: u64| {
        let (b, tokens, bodies) = (
            base.clone(),
            Rc::new(repliers.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>()),
            bodies.clone(),
        );
        system.block_on(load(seconds, HOT_CLIENTS, move |c, i| {
            // One member per client, as 32 people would.
            let token = tokens[(i / 1_000_000) % tokens.len()].clone();
            let payload = json!({ "body": format!("{} ({tag}-{i})", bodies[i % bodies.len()]) });
            let url = format!("{b}/api/v1/threads/{hot}/posts");
            async move { post_json(&c, url, Some(&token), payload).await == 201 }
        }))
    };
    let healthz = |seconds: u64| {
        let url = format!("{base}/healthz");
        system.block_on(load(seconds, clients, move |c, _| {
            let url = url.clone();
            async move {
                match c.get(&url).send().await {
                    Ok(mut r) => r.status().is_success() && r.body().await.is_ok(),
                    Err(_) => false,
                }
            }
        }))
    };
    // Warm-up: not counted.
    let _ = create("warm".into(), 1);
    let _ = reply("warm".into(), 1);
    drain("warm-up")?;
    let (mut created, mut replied, mut health) = (Figure::new(), Figure::new(), Figure::new());
    let mut errors = 0;
    for round in 0..REPEATS {
        let r = healthz(o.seconds);
        health.push(&r);
        let r = create(format!("r{round}"), o.seconds);
        errors += r.errors;
        println!(
            "[{backend}] round {}: create {:.0}/s p99 {:.1} ms ({} errors)",
            round + 1,
            r.rps,
            r.p99,
            r.errors
        );
        created.push(&r);
        drain("creating")?;
        let r = reply(format!("r{round}"), o.seconds);
        errors += r.errors;
        println!(
            "[{backend}] round {}: hot-thread replies {:.0}/s p99 {:.1} ms ({} errors)",
            round + 1,
            r.rps,
            r.p99,
            r.errors
        );
        replied.push(&r);
        drain("replying")?;
    }
    drop(server);
    drop(forum);
    // The references, with the server stopped (nothing else writes).
    let raw_clients = if backend == "sqlite" { 1 } else { HOT_CLIENTS };
    let raw = raw_transactions(url, raw_clients, o.seconds)?;
    let (counter, recount) = reply_counts(url, hot)?;

    println!("[{backend}] references: /healthz ({clients} clients) {}; raw post+event transactions ({raw_clients} connection(s)) {raw:.0}/s", health.line("req"));
    println!(
        "[{backend}] create thread ({clients} clients): {}; {:.1}% of the raw transaction rate",
        created.line("threads"),
        100.0 * Figure::median(&created.rps) / raw
    );
    println!(
        "[{backend}] replies to one thread ({HOT_CLIENTS} members): {}; {:.1}% of the raw transaction rate",
        replied.line("replies"),
        100.0 * Figure::median(&replied.rps) / raw
    );
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let (create_rps, create_p99) = (Figure::median(&created.rps), Figure::median(&created.p99));
    let (hot_rps, hot_p99) = (Figure::median(&replied.rps), Figure::median(&replied.p99));
    if backend == "sqlite" {
        println!(
            "[{backend}] {}: create thread ≥ 2,000/s with p99 ≤ 25 ms (issue 20)",
            verdict(create_rps >= 2000.0 && create_p99 <= 25.0)
        );
    }
    let hot_target = if backend == "sqlite" { 1000.0 } else { 500.0 };
    println!(
        "[{backend}] {}: hot thread ≥ {hot_target:.0}/s with p99 ≤ 50 ms (issue 20)",
        verdict(hot_rps >= hot_target && hot_p99 <= 50.0)
    );
    println!(
        "[{backend}] {}: the hot thread's reply counter {counter} equals a recount {recount}; {errors} failed requests",
        verdict(counter == recount && errors == 0)
    );
    Ok(())
}
