//! Page figures (issue 20): pages visitors read, answered from the
//! anonymous page cache, judged against the same server's `/healthz` in
//! the same run; the same thread page drawn for a signed-in member (never
//! cached) beside them. The release `hearth` binary runs in its own
//! process; this process is the load generator. Rounds run after the
//! workers caught up on the import, after a warm-up, three times each;
//! the median and spread are printed, and the server's own hit counter
//! confirms the visitors' pages came from its cache.
//!
//!     cargo build --release -p web && cargo run --release -p hearth-bench -- pages \
//!         [--threads N] [--replies N] [--seconds S] [--concurrency C] [--backends sqlite,postgres]
//!
//! Target (issue 20): a cached 100-reply thread page at ≥ 60 % of
//! `/healthz`'s rate, p99 ≤ 5 ms.

use std::rc::Rc;
use std::time::Instant;

use anyhow::{bail, Context};
use forum::{Forum, TokenKind};

use crate::hardening_bench::start_with;
use crate::posting_bench::{config_text, members, Checks, Kind};
use crate::writes_bench::{caught_up, Figure};
use crate::{generate, load, vocabulary, LoadResult, Options};

/// Repeats of each measured round.
const REPEATS: usize = 3;

pub fn run(o: &Options) -> anyhow::Result<()> {
    let bin = crate::hardening_bench::release_binary()?;
    let lines = generate(o.threads, o.replies, &vocabulary());
    println!(
        "pages bench: community of {} threads ({} replies each, the first five 100), {}s per round, {REPEATS} rounds per figure, {} clients; machine: {} cores",
        lines.len(),
        o.replies,
        o.seconds,
        o.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    crate::each_backend(o, |backend, url, dir| {
        bench(backend, &bin, url, dir, &lines, o)
    });
    Ok(())
}

/// One GET per call; `cookie` signs the client in.
async fn get(c: &awc::Client, url: &str, cookie: Option<&str>) -> bool {
    let mut req = c.get(url);
    if let Some(cookie) = cookie {
        req = req.insert_header(("Cookie", cookie.to_string()));
    }
    match req.send().await {
        Ok(mut r) => r.status().is_success() && r.body().limit(10 << 20).await.is_ok(),
        Err(_) => false,
    }
}

/// A plain HTTP/1.0 GET on the side (not measured): the response head
/// and body as text.
fn fetch(base: &str, path: &str) -> anyhow::Result<(String, String)> {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr)?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").context("no response head")?;
    Ok((head.to_ascii_lowercase(), body.to_string()))
}

/// A metric's value from the server's `/metrics`.
fn metric(base: &str, name: &str) -> anyhow::Result<f64> {
    let (_, body) = fetch(base, "/metrics")?;
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .with_context(|| format!("{name} not in /metrics"))
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
    if forum.pending_events(forum::reputation::OUTBOX_CONSUMER)? > 0 {
        forum.rebuild_reputation()?;
    }
    // Thread 1 has 100 replies; its board is "support".
    let thread = forum.thread(1, None, 1, 100, false).context("thread 1")?;
    let board = thread.category.slug.clone();
    let member = members(&forum, Kind::Established, "reader", 1, 1)?;
    let session = forum.issue_token(member[0].0.user_id, TokenKind::Session)?;
    let cookie = Rc::new(format!("hearth_session={session}"));

    let server = start_with(bin, url, dir, &config_text(Checks::Off)?)?;
    let pid = server.child.id();
    caught_up(&forum, pid, backend, "the import")?;
    let base = server.base.clone();
    let (_, page) = fetch(&base, "/t/1")?;
    let size = page.len();
    let (head, _) = fetch(&base, "/t/1")?;
    if !head.contains("x-hearth-cache: hit") {
        bail!("the thread page did not come from the page cache on a second read: {head}");
    }
    println!("[{backend}] thread page: {size} bytes, 100 replies");
    let clients = o.concurrency.max(1);
    let system = actix_rt::System::new();
    let round = |path: String, signed_in: bool| -> LoadResult {
        let url = Rc::new(format!("{base}{path}"));
        let cookie = signed_in.then(|| cookie.clone());
        system.block_on(load(o.seconds, clients, move |c, _| {
            let (url, cookie) = (url.clone(), cookie.clone());
            async move { get(&c, &url, cookie.as_deref().map(String::as_str)).await }
        }))
    };
    let pages: [(&str, String, bool); 5] = [
        ("/healthz", "/healthz".into(), false),
        (
            "visitor: thread page, 100 replies (cached)",
            "/t/1".into(),
            false,
        ),
        ("visitor: board page (cached)", format!("/c/{board}"), false),
        ("visitor: home page (cached)", "/".into(), false),
        (
            "member: thread page, 100 replies (drawn)",
            "/t/1".into(),
            true,
        ),
    ];
    for (_, path, signed_in) in &pages {
        let _ = round(path.clone(), *signed_in);
    }
    let hits_before = metric(&base, "hearth_page_cache_hits")?;
    let misses_before = metric(&base, "hearth_page_cache_misses")?;
    let mut figures: Vec<Figure> = pages.iter().map(|_| Figure::new()).collect();
    let mut errors = 0;
    let started = Instant::now();
    for r in 0..REPEATS {
        // Interleaved, so that a noisy moment hits every figure alike.
        for (i, (label, path, signed_in)) in pages.iter().enumerate() {
            let res = round(path.clone(), *signed_in);
            errors += res.errors;
            println!(
                "[{backend}] round {}: {label}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
                r + 1,
                res.rps,
                res.p50,
                res.p99
            );
            figures[i].push(&res);
        }
    }
    let hits = metric(&base, "hearth_page_cache_hits")? - hits_before;
    let misses = metric(&base, "hearth_page_cache_misses")? - misses_before;
    println!(
        "[{backend}] {REPEATS} rounds in {:.0}s; the server's page cache: {hits:.0} hits, {misses:.0} misses while measuring",
        started.elapsed().as_secs_f64()
    );
    let healthz = Figure::median(&figures[0].rps);
    for (i, (label, _, _)) in pages.iter().enumerate() {
        println!(
            "[{backend}] {label}: {}; {:.0}% of /healthz",
            figures[i].line("req"),
            100.0 * Figure::median(&figures[i].rps) / healthz
        );
    }
    let (rps, p99) = (
        Figure::median(&figures[1].rps),
        Figure::median(&figures[1].p99),
    );
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    println!(
        "[{backend}] {}: cached 100-reply thread page ≥ 60% of /healthz ({:.0}%) with p99 ≤ 5 ms ({p99:.2} ms) (issue 20)",
        verdict(rps >= 0.6 * healthz && p99 <= 5.0),
        100.0 * rps / healthz
    );
    println!(
        "[{backend}] {}: {errors} failed requests; visitors' reads were cache hits ({:.1}% of page-cache lookups)",
        verdict(errors == 0 && hits > 0.0),
        100.0 * hits / (hits + misses).max(1.0)
    );
    drop(server);
    Ok(())
}
