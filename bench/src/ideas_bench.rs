//! Ideas benchmark (issue 17): 100k ideas with 2M votes, imported as
//! another idea tool's export would be (`hearth import`), then
//! - the trending list in process (the storage figure) and its page and
//!   API over HTTP under load from a separate process (this binary's `load`
//!   mode), judged by p99 (target < 20 ms) and by the ratio to `/healthz`
//!   measured in the same run;
//! - a vote over the API from a separate process (target p99 < 10 ms),
//!   many members on many open ideas;
//! - a status change on an idea with 10,000 voters: the time until every
//!   notice and CRM timeline entry is written (target < 10 s), and the
//!   latency of other members' votes meanwhile against before (the ratio
//!   says whether the fan-out blocks writes).
//!
//! Prints figures; asserts nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use forum::ideas::{IdeaQuery, IdeaSort};
use forum::{Forum, NewUser, Role, TokenKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::with_database;

/// Members who vote (the import creates them).
const MEMBERS: usize = 20_000;
/// Voters of the idea whose status change is measured.
const FAN_OUT: usize = 10_000;
/// Members who vote during the load runs (each with an API token).
const LOAD_MEMBERS: usize = 200;

pub fn run(o: &crate::Options) -> anyhow::Result<()> {
    let ideas = if o.threads == 10_000 {
        100_000
    } else {
        o.threads
    };
    let votes = ideas * 20;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let started = Instant::now();
    let (lines, made) = generate(ideas, votes, now);
    println!(
        "generated {ideas} ideas with {made} votes by {MEMBERS} members in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    for backend in &o.backends {
        let r = match (&o.keep, backend.as_str()) {
            // Kept databases (to profile the list on): SQLite in the
            // directory, PostgreSQL in its own schema; imported once.
            (Some(dir), "sqlite") => {
                std::fs::create_dir_all(dir)?;
                let url = format!("sqlite://{}", dir.join("hearth.db").display());
                measure(backend, &url, dir, &lines, ideas, o)
            }
            (Some(dir), "postgres") => {
                std::fs::create_dir_all(dir)?;
                let url = crate::pg_schema_url("hearth_bench_ideas_kept", false)?;
                measure(backend, &url, dir, &lines, ideas, o)
            }
            (Some(_), other) => Err(anyhow::anyhow!("--keep is not for {other}")),
            (None, _) => with_database(backend, |url, dir| {
                measure(backend, url, dir, &lines, ideas, o)
            }),
        };
        if let Err(e) = r {
            println!("[{backend}] failed: {e:#}");
        }
    }
    Ok(())
}

/// The status an idea is generated with: a tenth closed (delivered), the
/// rest open or active; the first (the fan-out idea) is new.
fn status_of(i: usize) -> &'static str {
    match i % 10 {
        _ if i == 0 => "new",
        0 => "delivered",
        1 => "planned",
        2 => "under-review",
        3 => "in-progress",
        _ => "new",
    }
}

/// Whether a vote on the idea generated as `i` is accepted (not closed).
fn open(i: usize) -> bool {
    status_of(i) != "delivered"
}

/// JSONL: an ideas board, then `ideas` ideas over the past year with
/// `votes` votes in all — the first idea has `FAN_OUT`, the rest a heavy
/// tail (most have a few, some thousands), each cast between the idea's
/// creation and now. Returns the lines and the votes made.
fn generate(ideas: usize, votes: usize, now: i64) -> (Vec<String>, usize) {
    const DAY: i64 = 24 * 60 * 60 * 1000;
    let mut rng = StdRng::seed_from_u64(17);
    let areas = [
        "Mobile",
        "Web",
        "API",
        "Billing",
        "Integrations",
        "Reports",
        "Security",
        "Admin",
    ];
    // Pareto-like weights, scaled so the sum is about `votes`.
    let weights: Vec<f64> = (0..ideas)
        .map(|_| 1.0 / rng.gen_range(0.002f64..1.0).powf(0.8))
        .collect();
    let total: f64 = weights.iter().skip(1).sum();
    let rest = votes.saturating_sub(FAN_OUT) as f64;
    let mut out = Vec::with_capacity(ideas + 1);
    out.push(r#"{"type":"category","slug":"ideas","name":"Ideas","kind":"ideas"}"#.to_string());
    let mut made = 0;
    for (i, w) in weights.iter().enumerate() {
        let created = now - 365 * DAY + (i as i64 * 365 * DAY) / ideas as i64;
        let n = if i == 0 {
            FAN_OUT
        } else {
            ((w / total * rest).round() as usize).min(MEMBERS)
        };
        let voters = rand::seq::index::sample(&mut rng, MEMBERS, n);
        let list: Vec<serde_json::Value> = voters
            .iter()
            .map(|m| {
                serde_json::json!({
                    "member": format!("member{m}"),
                    "at": rng.gen_range(created..now),
                })
            })
            .collect();
        made += list.len();
        let line = serde_json::json!({
            "category": "ideas",
            "title": format!("Idea number {i}: let us export reports by {}", areas[i % 8]),
            "body": "It would save our team an hour every week.",
            "author": format!("author{}", i % 2_000),
            "tags": [format!("t{}", i % 50)],
            "created_at": created,
            "idea": {
                "status": status_of(i),
                "product_area": areas[i % 8],
                "votes": list,
            },
        });
        out.push(line.to_string());
    }
    (out, made)
}

fn figures(label: &str, backend: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "[{backend}] {label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)",
        crate::percentile(&times, 0.5),
        crate::percentile(&times, 0.99),
        crate::percentile(&times, 1.0),
        times.len()
    );
}

fn measure(
    backend: &str,
    url: &str,
    dir: &std::path::Path,
    lines: &[String],
    ideas: usize,
    o: &crate::Options,
) -> anyhow::Result<()> {
    let forum = Forum::open(url, 16)?;
    // A kept database says it was imported.
    let imported = dir.join("ideas-imported");
    let reused = o.keep.is_some() && imported.exists();
    if !reused {
        let started = Instant::now();
        let summary = forum.import_lines(lines.iter().map(|l| Ok(l.clone())), 500, |_| {})?;
        println!(
            "[{backend}] imported {} ideas with {} votes in {:.1}s",
            summary.threads,
            summary.idea_votes,
            started.elapsed().as_secs_f64()
        );
        // Ideas are threads 1..=ideas in generated order only if none was left out.
        anyhow::ensure!(
            summary.skipped.is_empty() && summary.threads as usize == ideas,
            "lines left out: {:?}",
            summary.skipped.iter().take(3).collect::<Vec<_>>()
        );
        if o.keep.is_some() {
            std::fs::write(&imported, ideas.to_string())?;
        }
    }
    if backend == "postgres" {
        let ok = std::process::Command::new("psql")
            .args([url, "-qc", "ANALYZE"])
            .status()?
            .success();
        anyhow::ensure!(ok, "ANALYZE failed");
    }
    // Imported ideas are threads 1..=ideas in generated order.
    let thread_of = |i: usize| i as i64 + 1;
    let open_ideas: Vec<i64> = (0..ideas).filter(|i| open(*i)).map(thread_of).collect();
    // Registered once (a kept database has them already).
    let member = |name: String, password: Option<&str>, role| -> anyhow::Result<forum::User> {
        if let Some(u) = forum.find_user(&name)? {
            return Ok(u);
        }
        Ok(forum.register(NewUser {
            language: None,
            email: format!("{name}@example.com"),
            username: name,
            password: password.map(String::from),
            role,
            display_name: None,
        })?)
    };
    let admin = member("benchadmin".into(), Some("password123"), Role::Admin)?;
    let voters: Vec<forum::User> = (0..LOAD_MEMBERS)
        .map(|i| member(format!("loadvoter{i}"), None, Role::Customer))
        .collect::<Result<_, _>>()?;

    // The trending list in process: the first page of the board, for a
    // visitor and for a member (whose votes are marked), and with a filter.
    let board = |sort: IdeaSort| IdeaQuery {
        board: Some("ideas".into()),
        sort,
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    for (label, viewer, q) in [
        ("trending, a visitor", None, board(IdeaSort::Trending)),
        (
            "trending, a member",
            Some(voters[0].actor()),
            board(IdeaSort::Trending),
        ),
        (
            "trending, open ideas only",
            None,
            IdeaQuery {
                status_kind: Some(forum::ideas::StatusKind::Open),
                ..board(IdeaSort::Trending)
            },
        ),
        ("top", None, board(IdeaSort::Top)),
        (
            "newest, page 50",
            None,
            IdeaQuery {
                page: 50,
                ..board(IdeaSort::Newest)
            },
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            std::hint::black_box(forum.ideas(viewer, &q)?);
            times.push(t.elapsed());
        }
        figures(&format!("in process, {label} (page of 20)"), backend, times);
    }
    if std::env::var_os("HEARTH_BENCH_IDEAS_LIST_ONLY").is_some() {
        return Ok(());
    }

    // A vote in process: distinct members on open ideas.
    let mut rng = StdRng::seed_from_u64(7);
    let mut times = Vec::new();
    for i in 0..1_000 {
        let who = voters[i % LOAD_MEMBERS].actor();
        let idea = open_ideas[rng.gen_range(0..open_ideas.len())];
        let t = Instant::now();
        forum.vote_idea(who, idea)?;
        times.push(t.elapsed());
    }
    figures("in process, a vote", backend, times);

    // The fan-out: consumers at the head first, then one status change on
    // the idea with 10,000 voters, while other members keep voting.
    let crm = crm_bridge::Crm::new(forum.clone(), crm_bridge::CrmConfig::default())?;
    let started = Instant::now();
    while forum.process_notify_events(5_000)? > 0 {}
    while crm.process_events(5_000)? > 0 {}
    println!(
        "[{backend}] notifier and CRM consumers past the import in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let voting = |stop: Arc<AtomicBool>, seed: u64| {
        let forum = forum.clone();
        let voters = voters.clone();
        let open_ideas = open_ideas.clone();
        std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let who = voters[rng.gen_range(0..voters.len())].actor();
                let idea = open_ideas[rng.gen_range(1..open_ideas.len())];
                let t = Instant::now();
                forum.vote_idea(who, idea)?;
                times.push(t.elapsed());
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok(times)
        })
    };
    let stop = Arc::new(AtomicBool::new(false));
    let before = voting(stop.clone(), 1);
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::Relaxed);
    let quiet = before
        .join()
        .map_err(|_| anyhow::anyhow!("voter panicked"))??;
    let stop = Arc::new(AtomicBool::new(false));
    let during = voting(stop.clone(), 2);
    let started = Instant::now();
    let change = forum.change_idea_status(
        admin.actor(),
        thread_of(0),
        "planned",
        "On the plan for Q3.",
    )?;
    let (mut notices, mut timeline) = (0, 0);
    loop {
        let n = forum.process_notify_events(500)?;
        let c = crm.process_events(500)?;
        notices += n;
        timeline += c;
        if n == 0 && c == 0 {
            break;
        }
    }
    let fan_out = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let busy = during
        .join()
        .map_err(|_| anyhow::anyhow!("voter panicked"))??;
    // Checked, not assumed: each voter has the notice (none had any before).
    let mut told = 0;
    for (member, _) in forum.idea_vote_set(thread_of(0))? {
        told += usize::from(forum.unread_notifications(member)? > 0);
    }
    println!(
        "[{backend}] status change #{} to {FAN_OUT} voters: {told} notices written, every consumer done in {:.2}s ({notices} notifier and {timeline} CRM events)",
        change.id,
        fan_out.as_secs_f64()
    );
    let p99 = |mut v: Vec<Duration>| {
        v.sort();
        (crate::percentile(&v, 0.99), v.len())
    };
    let ((q99, qn), (b99, bn)) = (p99(quiet), p99(busy));
    println!(
        "[{backend}] other members' votes: p99 {q99:.2} ms before ({qn}), {b99:.2} ms during the fan-out ({bn}); ratio {:.2}",
        b99 / q99.max(0.001)
    );

    // Over HTTP, the load from another process.
    if forum.pending_events(forum::reputation::OUTBOX_CONSUMER)? > 0 {
        forum.rebuild_reputation()?;
    }
    if forum.pending_events(forum::analytics::rollups::OUTBOX_CONSUMER)? > 0 {
        forum.rebuild_analytics()?;
    }
    let tokens: Vec<String> = voters
        .iter()
        .map(|v| forum.issue_token(v.id, TokenKind::Api))
        .collect::<Result<_, _>>()?;
    let tokens_file = dir.join("tokens");
    std::fs::write(&tokens_file, tokens.join("\n"))?;
    let ids_file = dir.join("ids");
    let ids: Vec<String> = open_ideas.iter().skip(1).map(|i| i.to_string()).collect();
    std::fs::write(&ids_file, ids.join("\n"))?;
    let config = web::Config {
        data_dir: dir.to_path_buf(),
        database_url: url.to_string(),
        pool_size: 16,
        rate_limits: web::rate_limits::RateLimits::off(),
        ..web::Config::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let search = web::AppState::open_search(&config)?;
    let index = search.clone();
    let state = web::AppState::new(forum.clone(), search, config)?;
    let drained = forum.clone();
    let (seconds, concurrency) = (o.seconds, o.concurrency);
    actix_rt::System::new().block_on(async move {
        let running = web::start_server(state, listener)?;
        let handle = running.server.handle();
        actix_rt::spawn(running.server);
        // The workers catch up on the import (indexing 100k ideas…) first.
        let started = Instant::now();
        loop {
            let (f, index) = (drained.clone(), index.clone());
            let behind = actix_web::rt::task::spawn_blocking(move || {
                let lags: i64 = f.consumer_lags()?.iter().map(|(_, n)| n).sum();
                anyhow::Ok(lags + web::indexer::lag(&f, &index)?)
            })
            .await??;
            if behind == 0 {
                break;
            }
            anyhow::ensure!(
                started.elapsed().as_secs() < 3600,
                "workers still {behind} events behind after an hour"
            );
            actix_rt::time::sleep(Duration::from_secs(2)).await;
        }
        println!(
            "[{backend}] workers caught up in {:.0}s",
            started.elapsed().as_secs_f64()
        );
        let runs = [
            ("/healthz (reference)", format!("{base}/healthz"), "GET"),
            (
                "the trending page /ideas/b/ideas",
                format!("{base}/ideas/b/ideas?sort=trending"),
                "GET",
            ),
            (
                "GET /api/v1/ideas?board=ideas&sort=trending",
                format!("{base}/api/v1/ideas?board=ideas&sort=trending"),
                "GET",
            ),
            (
                "POST /api/v1/ideas/{id}/vote (200 members, open ideas)",
                format!("{base}/api/v1/ideas/{{id}}/vote"),
                "POST",
            ),
        ];
        for (label, url, method) in runs {
            let (tokens, ids) = (tokens_file.clone(), ids_file.clone());
            let out = actix_web::rt::task::spawn_blocking(move || {
                let mut cmd = std::process::Command::new(std::env::current_exe()?);
                cmd.args([
                    "load",
                    "--url",
                    &url,
                    "--seconds",
                    &seconds.to_string(),
                    "--concurrency",
                    &concurrency.to_string(),
                    "--method",
                    method,
                ]);
                if method == "POST" {
                    cmd.arg("--bearer-file").arg(&tokens);
                    cmd.arg("--ids-file").arg(&ids);
                }
                cmd.output()
            })
            .await??;
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            println!("[{backend}] {label}: {line}");
        }
        handle.stop(true).await;
        running.workers.stop();
        anyhow::Ok(())
    })?;
    Ok(())
}
