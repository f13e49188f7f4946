//! Analytics benchmark: a 1M-post community over a year (100k threads ×
//! 10 posts), then
//! - `hearth analytics rebuild` (twice),
//! - the rollup consumer's cost per event on new activity,
//! - the 90-day figures computed from the rollups and, as the reference,
//!   directly from the facts (in process, each a median of runs),
//! - the `/analytics` page for the last 90 days of the data (both periods:
//!   the page compares with the 90 days before) under load from a separate
//!   process (this binary's `load` mode), judged by its p99 (target
//!   < 150 ms) and by its ratio to `/healthz` measured in the same run.
//!
//! Prints figures; asserts nothing.

use std::time::Instant;

use forum::analytics::rollups::Source;
use forum::analytics::{Window, DAY_MS};
use forum::{Forum, NewUser, Role, TokenKind};

use crate::with_database;

pub fn run(backend: &str, lines: &[String], o: &crate::Options) -> anyhow::Result<()> {
    match (&o.keep, backend) {
        (Some(dir), "sqlite") => {
            std::fs::create_dir_all(dir)?;
            let url = format!("sqlite://{}", dir.join("hearth.db").display());
            measure(backend, &url, dir, lines, o)
        }
        (Some(dir), "postgres") => {
            // A kept PostgreSQL database lives in its own schema, never
            // dropped; the directory keeps its markers and search index.
            std::fs::create_dir_all(dir)?;
            let url = crate::pg_schema_url("hearth_bench_kept", false)?;
            measure(backend, &url, dir, lines, o)
        }
        (Some(_), other) => anyhow::bail!("--keep is not for {other}"),
        (None, _) => with_database(backend, |url, dir| measure(backend, url, dir, lines, o)),
    }
}

fn measure(
    backend: &str,
    url: &str,
    dir: &std::path::Path,
    lines: &[String],
    o: &crate::Options,
) -> anyhow::Result<()> {
    let (seconds, concurrency) = (o.seconds, o.concurrency);
    // A kept database records how many threads it was generated with.
    let kept = dir.join("threads");
    let reused = o.keep.is_some() && kept.exists();
    {
        let forum = Forum::open(url, 16)?;
        let threads: usize = if reused {
            std::fs::read_to_string(&kept)?.trim().parse()?
        } else {
            let started = Instant::now();
            let summary = forum.import_lines(lines.iter().map(|l| Ok(l.clone())), 500, |_| {})?;
            println!(
                "[{backend}] imported {} threads, {} posts, {} kudos in {:.1}s",
                summary.threads,
                summary.posts,
                summary.votes,
                started.elapsed().as_secs_f64()
            );
            summary.threads as usize
        };
        if backend == "postgres" {
            let ok = std::process::Command::new("psql")
                .args([url, "-qc", "ANALYZE"])
                .status()?
                .success();
            anyhow::ensure!(ok, "ANALYZE failed");
        }
        for round in (1..=2).filter(|_| !reused) {
            let started = Instant::now();
            let r = forum.rebuild_analytics()?;
            println!(
                "[{backend}] analytics rebuild #{round}: {:.1}s ({} posts and {} kudos into {} member-days, {} questions)",
                started.elapsed().as_secs_f64(),
                r.posts,
                r.kudos,
                r.member_days,
                r.questions
            );
        }
        if backend == "postgres" {
            let ok = std::process::Command::new("psql")
                .args([url, "-qc", "ANALYZE"])
                .status()?
                .success();
            anyhow::ensure!(ok, "ANALYZE failed");
        }
        // The imported year ends where the generator's last thread is.
        let last: i64 = forum
            .thread_documents_after(threads as i64 - 2, 5)?
            .iter()
            .map(|t| t.created_at)
            .max()
            .unwrap_or(0);
        let end = forum::analytics::day_of(last) + DAY_MS;
        let admin = match forum.find_user("benchadmin")? {
            Some(admin) => admin,
            None => forum.register(NewUser {
                language: None,
                username: "benchadmin".into(),
                email: "benchadmin@example.com".into(),
                password: Some("password123".into()),
                role: Role::Admin,
                display_name: None,
            })?,
        };
        // A kept database records that its views were generated.
        let views_made = dir.join("views");
        if o.keep.is_none() || !views_made.exists() {
            let started = Instant::now();
            let views = generate_views(&forum, end, 180, 5_000)?;
            println!(
                "[{backend}] {views} page views over 180 days written and rolled up in {:.1}s",
                started.elapsed().as_secs_f64()
            );
            if o.keep.is_some() {
                std::fs::write(&views_made, views.to_string())?;
            }
        }
        if o.keep.is_some() && !reused {
            std::fs::write(&kept, threads.to_string())?;
        }
        let actor = admin.actor();

        // The consumer: new replies and kudos by existing members, then the
        // worker's pass over their events.
        let members: Vec<i64> = (0..200)
            .filter_map(|i| forum.find_user(&format!("member{i}")).ok().flatten())
            .map(|u| u.id)
            .collect();
        // HEARTH_BENCH_REPEAT=1 (a kept database, for profiling): only the
        // figures and the page, no new activity and no reference run.
        // HEARTH_BENCH_REPEAT=2: only the consumer's new activity.
        let mode = std::env::var("HEARTH_BENCH_REPEAT").unwrap_or_default();
        let repeat = mode == "1";
        let before = forum.pending_events(forum::analytics::rollups::OUTBOX_CONSUMER)?;
        let mut made = 0;
        for i in (0..2_000usize).filter(|_| !repeat) {
            let who = forum::Actor {
                user_id: members[i % members.len()],
                role: Role::Customer,
            };
            let thread = 1 + (i as i64 * 37) % threads as i64;
            if let Ok(p) = forum.reply(who, thread, "Another way that worked for me here.") {
                made += 1;
                let voter = forum::Actor {
                    user_id: members[(i + 7) % members.len()],
                    role: Role::Customer,
                };
                let _ = forum.vote(voter, p, true);
            }
        }
        let events = forum.pending_events(forum::analytics::rollups::OUTBOX_CONSUMER)? - before;
        let started = Instant::now();
        while forum.process_analytics_events(500)? > 0 {}
        let secs = started.elapsed().as_secs_f64();
        println!(
            "[{backend}] rollup consumer: {events} events ({made} replies and their kudos) in {:.2}s = {:.2} ms per event",
            secs,
            secs * 1000.0 / events.max(1) as f64
        );
        if mode == "2" {
            return Ok(());
        }

        // The figures of 90 days, in process: rollups against the facts.
        let window = Window {
            from: end - 90 * DAY_MS,
            to: end,
            ..Default::default()
        };
        // The page's previous period: headline figures only.
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            std::hint::black_box(forum.analytics_headline(actor, window.previous(), 7)?);
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "[{backend}] previous 90 days, headline from the rollups: median {:.1} ms, max {:.1} ms (15 runs)",
            crate::percentile(&times, 0.5),
            crate::percentile(&times, 1.0)
        );
        for source in [Source::Rollups, Source::Facts] {
            if repeat && source == Source::Facts {
                continue;
            }
            let runs = if source == Source::Rollups { 15 } else { 3 };
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let r = forum.analytics_from(
                    actor,
                    window.clone(),
                    7,
                    source,
                    forum::analytics::Detail::Full,
                )?;
                times.push(t.elapsed());
                std::hint::black_box(r);
            }
            times.sort();
            println!(
                "[{backend}] 90-day figures from the {}: median {:.1} ms, max {:.1} ms ({runs} runs)",
                if source == Source::Rollups { "rollups" } else { "facts (reference)" },
                crate::percentile(&times, 0.5),
                crate::percentile(&times, 1.0)
            );
        }

        // Reputation catches up on an import by a rebuild, as an operator
        // would (`hearth reputation rebuild`); its consumer would take an
        // hour over 100k imported threads here.
        if forum.pending_events(forum::reputation::OUTBOX_CONSUMER)? > 0 {
            let started = Instant::now();
            forum.rebuild_reputation()?;
            println!(
                "[{backend}] reputation rebuild: {:.1}s",
                started.elapsed().as_secs_f64()
            );
        }

        // The page over HTTP, the load from another process.
        let token = forum.issue_token(admin.id, TokenKind::Session)?;
        let config = web::Config {
            data_dir: dir.to_path_buf(),
            database_url: url.to_string(),
            pool_size: 16,
            rate_limits: web::rate_limits::RateLimits::off(),
            analytics: views_kept(),
            ..web::Config::default()
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let search = web::AppState::open_search(&config)?;
        let index = search.clone();
        let state = web::AppState::new(forum.clone(), search, config)?;
        let drained = forum.clone();
        let day = |ms: i64| {
            let d = ms.div_euclid(DAY_MS);
            civil(d)
        };
        let page = format!(
            "{base}/analytics?range=custom&from={}&to={}",
            day(window.from),
            day(window.to - 1)
        );
        actix_rt::System::new().block_on(async move {
            let running = web::start_server(state, listener)?;
            let handle = running.server.handle();
            actix_rt::spawn(running.server);
            // Steady state first: the server's workers catch up on the
            // generated history (indexing, reputation, CRM…) before the
            // page is measured, so the figure is not mixed with catch-up.
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
                actix_rt::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            println!(
                "[{backend}] workers caught up in {:.0}s",
                started.elapsed().as_secs_f64()
            );
            let cookie = format!("hearth_session={token}");
            let probe = awc::Client::default()
                .get(&page)
                .insert_header(("Cookie", cookie.clone()))
                .send()
                .await;
            let (status, bytes) = match probe {
                Ok(mut r) => (
                    r.status().as_u16(),
                    r.body().limit(20 << 20).await.map_or(0, |b| b.len()),
                ),
                Err(_) => (0, 0),
            };
            println!("[{backend}] analytics page probe: status {status}, {bytes} bytes");
            let healthz = format!("{base}/healthz");
            for (label, url) in [
                ("/healthz (reference)", &healthz),
                ("/analytics, 90 days", &page),
            ] {
                let out = actix_web::rt::task::spawn_blocking({
                    let (url, cookie) = (url.clone(), cookie.clone());
                    move || {
                        std::process::Command::new(std::env::current_exe()?)
                            .args([
                                "load",
                                "--url",
                                &url,
                                "--cookie",
                                &cookie,
                                "--seconds",
                                &seconds.to_string(),
                                "--concurrency",
                                &concurrency.to_string(),
                            ])
                            .output()
                    }
                })
                .await??;
                let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
                println!("[{backend}] {label}: {line}");
            }
            handle.stop(true).await;
            running.workers.stop();
            anyhow::Ok(())
        })?;
    }
    Ok(())
}

/// The generated year lies in the past: its views are kept past the
/// default 180 days so the server's own flushes keep them.
fn views_kept() -> forum::analytics::AnalyticsConfig {
    forum::analytics::AnalyticsConfig {
        page_view_days: 800,
        ..Default::default()
    }
}

/// Page views of `days` days before `end`: `visitors` a day (from a pool
/// ten times larger, members and anonymous), each visit one to six pages
/// minutes apart, mostly threads, over the five boards; written and rolled
/// up day by day as the nodes' flushes would. Returns the views written.
fn generate_views(forum: &Forum, end: i64, days: i64, visitors: usize) -> anyhow::Result<usize> {
    use forum::analytics::PageKind;
    use rand::{Rng, SeedableRng};
    use std::sync::atomic::{AtomicI64, Ordering};
    let clock = std::sync::Arc::new(AtomicI64::new(end - days * DAY_MS));
    let c = clock.clone();
    let node = Forum::with_clock(
        forum.db().clone(),
        std::sync::Arc::new(move || c.load(Ordering::SeqCst)),
    )
    .with_analytics(views_kept());
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let kinds = [
        (PageKind::Thread, 60),
        (PageKind::Board, 12),
        (PageKind::Home, 10),
        (PageKind::Search, 8),
        (PageKind::Kb, 5),
        (PageKind::Ask, 3),
        (PageKind::Profile, 2),
    ];
    let mut written = 0;
    for d in 0..days {
        let day = end - (days - d) * DAY_MS;
        for _ in 0..visitors {
            let key = match rng.gen_range(0..visitors * 10) {
                n if n % 4 == 0 => format!("m:{n}"),
                n => format!("v:10.{}.{}.{}|Firefox", n >> 16, (n >> 8) & 255, n & 255),
            };
            let mut at = day + rng.gen_range(0..DAY_MS - 3 * 3_600_000);
            for _ in 0..rng.gen_range(1..7) {
                let mut pick = rng.gen_range(0..100);
                let kind = kinds
                    .iter()
                    .find(|(_, w)| {
                        let hit = pick < *w;
                        pick -= if hit { 0 } else { *w };
                        hit
                    })
                    .map_or(PageKind::Other, |k| k.0);
                let board = matches!(kind, PageKind::Thread | PageKind::Board | PageKind::Kb)
                    .then(|| rng.gen_range(1..=5));
                // Threads of the whole year; a KB of 500 articles.
                let target = match kind {
                    PageKind::Thread => Some(rng.gen_range(1..100_000)),
                    PageKind::Kb => Some(rng.gen_range(1..=500)),
                    _ => None,
                };
                clock.store(at, Ordering::SeqCst);
                node.record_page_view(key.clone(), kind, board, target);
                written += 1;
                at += rng.gen_range(1..25) * 60_000;
            }
        }
        // The next day's first flush rolls this day up.
        clock.store(day + DAY_MS, Ordering::SeqCst);
        node.flush_page_views()?;
    }
    Ok(written)
}

/// `YYYY-MM-DD` of days since 1970-01-01.
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The `load` mode: GET (or `--method POST`) `url` with `cookie` from
/// `concurrency` clients for `seconds`; prints one line of figures (this
/// process is the load generator, apart from the server's). With
/// `--bearer-file` each request sends one of its tokens (one per line) and
/// with `--ids-file` the `{id}` in the URL is one of its ids, both drawn
/// at random.
pub fn load_main(args: &[String]) -> anyhow::Result<()> {
    use rand::Rng;
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let lines = |name: &str| -> anyhow::Result<Vec<String>> {
        Ok(match arg(name) {
            Some(path) => std::fs::read_to_string(path)?
                .lines()
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            None => Vec::new(),
        })
    };
    let url = arg("--url").ok_or_else(|| anyhow::anyhow!("--url"))?;
    let cookie = arg("--cookie").unwrap_or_default();
    let post = arg("--method").is_some_and(|m| m.eq_ignore_ascii_case("POST"));
    let tokens = std::rc::Rc::new(lines("--bearer-file")?);
    let ids = std::rc::Rc::new(lines("--ids-file")?);
    let seconds: u64 = arg("--seconds").unwrap_or_else(|| "10".into()).parse()?;
    let concurrency: usize = arg("--concurrency").unwrap_or_else(|| "4".into()).parse()?;
    actix_rt::System::new().block_on(async move {
        let r = crate::load(seconds, concurrency, move |c, _| {
            let mut rng = rand::thread_rng();
            let url = match ids.len() {
                0 => url.clone(),
                n => url.replace("{id}", &ids[rng.gen_range(0..n)]),
            };
            let mut req = if post { c.post(&url) } else { c.get(&url) };
            if !cookie.is_empty() {
                req = req.insert_header(("Cookie", cookie.clone()));
            }
            if !tokens.is_empty() {
                let token = &tokens[rng.gen_range(0..tokens.len())];
                req = req.insert_header(("Authorization", format!("Bearer {token}")));
            }
            async move {
                match req.send().await {
                    Ok(mut r) => {
                        r.status().is_success() && r.body().limit(20 << 20).await.is_ok()
                    }
                    Err(_) => false,
                }
            }
        })
        .await;
        println!(
            "{:.0} req/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors, {concurrency} clients)",
            r.rps, r.p50, r.p99, r.requests, r.errors
        );
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil(0), "1970-01-01");
        assert_eq!(super::civil(20_787), "2026-11-30");
    }
}
