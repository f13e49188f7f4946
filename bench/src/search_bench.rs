//! Search benchmark: a generated community of `threads` threads with
//! `replies` replies each (1M posts at the defaults), indexed in bulk, then
//! queried in-process and over HTTP, plus commit-to-searchable latency.

use std::time::{Duration, Instant};

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use search::{DocKind, SearchDoc, SearchQuery};

use crate::{load, percentile, sentence, vocabulary};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Lazily generated thread documents: question, accepted answer and every
/// other reply, text drawn from the four-language corpus vocabulary.
fn docs(
    threads: usize,
    replies: usize,
    vocab: &[Vec<String>],
) -> impl Iterator<Item = SearchDoc> + '_ {
    let mut rng = StdRng::seed_from_u64(7);
    let boards = ["support", "general", "billing", "devices", "accounts"];
    let now = 1_795_000_000_000i64;
    (0..threads).map(move |i| {
        let words = &vocab[i % vocab.len()];
        let title_len = rng.gen_range(5..10);
        let body_len = rng.gen_range(30..120);
        let solved = i % 3 == 0;
        let mut reps: Vec<String> = (0..replies)
            .map(|_| {
                let n = rng.gen_range(20..80);
                sentence(&mut rng, words, n)
            })
            .collect();
        let answer = if solved && !reps.is_empty() {
            Some(reps.remove(0))
        } else {
            None
        };
        SearchDoc {
            kind: DocKind::Thread,
            id: i as i64 + 1,
            title: sentence(&mut rng, words, title_len),
            body: sentence(&mut rng, words, body_len),
            answer,
            replies: reps,
            tags: vec![format!("tag{}", rng.gen_range(0..50))],
            category: boards[i % boards.len()].to_string(),
            visible_to: u8::from(i % 50 == 0),
            status: if solved {
                "solved".into()
            } else {
                "open".into()
            },
            solved,
            votes: rng.gen_range(0..20),
            created_at: now - rng.gen_range(0..400) * 86_400_000,
            updated_at: now - rng.gen_range(0..400) * 86_400_000,
            url: format!("/t/{}", i + 1),
        }
    })
}

fn report(label: &str, mut lat: Vec<Duration>, elapsed: Duration, hits: usize) {
    lat.sort();
    println!(
        "  {label:<40} p50 {:>7.3} ms  p99 {:>7.3} ms  {:>7.0} q/s  ({} queries, avg {:.1} hits)",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.len() as f64 / elapsed.as_secs_f64(),
        lat.len(),
        hits as f64 / lat.len().max(1) as f64
    );
}

pub fn run(threads: usize, replies: usize, seconds: u64, concurrency: usize) -> anyhow::Result<()> {
    let vocab = vocabulary();
    // For profiling query changes: HEARTH_BENCH_INDEX_DIR keeps the built
    // index between runs, and HEARTH_BENCH_QUERIES_ONLY stops after the
    // in-process queries.
    let kept = std::env::var_os("HEARTH_BENCH_INDEX_DIR").map(std::path::PathBuf::from);
    let queries_only = std::env::var_os("HEARTH_BENCH_QUERIES_ONLY").is_some();
    let dir = tempfile::tempdir()?;
    let data_dir = kept.clone().unwrap_or_else(|| dir.path().to_path_buf());
    let reuse = kept.is_some() && data_dir.join("search").join("CURRENT").exists();
    let index = std::sync::Arc::new(search::open_generational(&data_dir.join("search"))?);
    let posts = threads * (replies + 1);
    println!(
        "search benchmark: {threads} threads, {posts} posts, {} languages, 2-core machine",
        vocab.len()
    );

    if reuse {
        println!("reusing the index in {}", data_dir.display());
    } else {
        let started = Instant::now();
        let n = index.rebuild(docs(threads, replies, &vocab), None, |_| {})?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "bulk rebuild: {n} thread docs ({posts} posts) in {secs:.1}s = {:.0} docs/s = {:.0} posts/s",
            n as f64 / secs,
            posts as f64 / secs
        );
    }
    println!(
        "index size on disk: {:.0} MB; peak RSS so far {:.0} MB",
        dir_size(&data_dir.join("search")) as f64 / 1e6,
        peak_rss_mb()
    );

    // Query terms sampled from the same vocabulary.
    let mut rng = StdRng::seed_from_u64(11);
    let pick = |rng: &mut StdRng| {
        let words = &vocab[rng.gen_range(0..vocab.len())];
        words[rng.gen_range(0..words.len())].clone()
    };
    let pick_in = |rng: &mut StdRng, lang: usize| {
        let words = &vocab[lang];
        words[rng.gen_range(0..words.len())].clone()
    };
    let kinds: Vec<(&str, Vec<SearchQuery>)> = vec![
        (
            "single term",
            (0..1000).map(|_| q(&pick(&mut rng))).collect(),
        ),
        (
            "multi term (3, one language)",
            (0..1000)
                .map(|_| {
                    let lang = rng.gen_range(0..vocab.len());
                    q(&format!(
                        "{} {} {}",
                        pick_in(&mut rng, lang),
                        pick_in(&mut rng, lang),
                        pick_in(&mut rng, lang)
                    ))
                })
                .collect(),
        ),
        (
            // Words from different languages rarely share a document, so
            // these mostly widen to the any-word pass.
            "multi term (3, mixed languages)",
            (0..1000)
                .map(|_| {
                    q(&format!(
                        "{} {} {}",
                        pick(&mut rng),
                        pick(&mut rng),
                        pick(&mut rng)
                    ))
                })
                .collect(),
        ),
        (
            "phrase (2 words)",
            (0..1000)
                .map(|_| {
                    let lang = rng.gen_range(0..vocab.len());
                    q(&format!(
                        "\"{} {}\"",
                        pick_in(&mut rng, lang),
                        pick_in(&mut rng, lang)
                    ))
                })
                .collect(),
        ),
        (
            "filtered (tag + is:solved)",
            (0..1000)
                .map(|i| q(&format!("{} tag:tag{} is:solved", pick(&mut rng), i % 50)))
                .collect(),
        ),
        (
            "multi term (3, one language), no facets",
            (0..1000)
                .map(|_| {
                    let lang = rng.gen_range(0..vocab.len());
                    SearchQuery {
                        skip_facets: true,
                        ..q(&format!(
                            "{} {} {}",
                            pick_in(&mut rng, lang),
                            pick_in(&mut rng, lang),
                            pick_in(&mut rng, lang)
                        ))
                    }
                })
                .collect(),
        ),
        (
            "typo-tolerant (1 word)",
            (0..1000)
                .map(|_| q(&format!("{}x", pick(&mut rng))))
                .collect(),
        ),
    ];
    println!("in-process search, 1 thread, 20 hits per page:");
    for (label, queries) in &kinds {
        // Warm the page cache and the searcher first.
        for query in queries.iter().take(50) {
            index.search(query)?;
        }
        let mut lat = Vec::with_capacity(queries.len());
        let mut hits = 0;
        let t = Instant::now();
        for query in queries {
            let s = Instant::now();
            hits += index.search(query)?.hits.len();
            lat.push(s.elapsed());
        }
        report(label, lat, t.elapsed(), hits);
    }
    let t = Instant::now();
    let mut lat = Vec::new();
    for i in 0..1000 {
        let s = Instant::now();
        index.similar(
            &format!(
                "{} {} {} {}",
                pick(&mut rng),
                pick(&mut rng),
                pick(&mut rng),
                i
            ),
            "",
            0,
            5,
        )?;
        lat.push(s.elapsed());
    }
    report("similar (ask page)", lat, t.elapsed(), 5000);
    if queries_only {
        return Ok(());
    }

    // Over HTTP, and commit-to-searchable, through the real server path.
    let url = format!("sqlite://{}", data_dir.join("hearth.db").display());
    let forum = forum::Forum::open(&url, 8)?;
    let config = web::Config {
        data_dir: data_dir.clone(),
        database_url: url.clone(),
        ..web::Config::default()
    };
    let user = forum.register(forum::NewUser {
        language: None,
        username: "freshness".into(),
        email: "fresh@example.com".into(),
        password: None,
        role: forum::Role::Customer,
        display_name: None,
    })?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = web::AppState::new(forum.clone(), index.clone(), config)?;
    let words: Vec<String> = (0..200).map(|_| pick(&mut rng)).collect();
    let index_for_fresh = index.clone();
    actix_rt::System::new().block_on(async move {
        let running = web::start_server(state, listener)?;
        let handle = running.server.handle();
        actix_rt::spawn(running.server);
        let words = std::sync::Arc::new(words);
        let r = load(seconds, concurrency, move |c, i| {
            let url = format!("{base}/api/v1/search?q={}", urlencode(&words[i % words.len()]));
            async move {
                match c.get(&url).send().await {
                    Ok(mut r) => r.status().is_success() && r.body().await.is_ok(),
                    Err(_) => false,
                }
            }
        })
        .await;
        println!(
            "HTTP /api/v1/search, {concurrency} clients: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors)",
            r.rps, r.p50, r.p99, r.requests, r.errors
        );

        // Commit to searchable: 200 threads at ~20/s, each polled for.
        let mut fresh = Vec::new();
        for i in 0..200 {
            // Quoted, so typo tolerance cannot match an earlier probe.
            let marker = format!("freshmarker{i}q");
            let f = forum.clone();
            let title = format!("Freshness probe {marker}");
            let actor = user.actor();
            let committed = actix_web::web::block(move || {
                f.create_thread(actor, forum::NewThread { category: "support".into(), title, body: "probe".into(), tags: vec![] })
                    .map(|_| Instant::now())
            })
            .await
            .context("blocking pool")??;
            loop {
                let found = index_for_fresh
                    .search(&q(&format!("\"{marker}\"")))?
                    .hits
                    .iter()
                    .any(|h| h.title.ends_with(&marker));
                if found {
                    fresh.push(committed.elapsed());
                    break;
                }
                if committed.elapsed() > Duration::from_secs(10) {
                    anyhow::bail!("thread {i} not searchable after 10 s");
                }
                actix_rt::time::sleep(Duration::from_millis(2)).await;
            }
            actix_rt::time::sleep(Duration::from_millis(50)).await;
        }
        fresh.sort();
        println!(
            "commit to searchable (200 threads, indexer idle poll 100 ms): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            percentile(&fresh, 0.5),
            percentile(&fresh, 0.99),
            fresh.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
        handle.stop(true).await;
        running.workers.stop();
        anyhow::Ok(())
    })?;
    println!("peak RSS of the whole run: {:.0} MB", peak_rss_mb());
    Ok(())
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        page: 1,
        per_page: 20,
        ..SearchQuery::default()
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
