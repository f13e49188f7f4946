//! Posting figures (issue 13): what screening every new thread and reply
//! costs. The release `hearth` binary runs as its own process (started
//! once per configuration), and this process is the load generator.
//!
//! 1. Over HTTP: members post replies (four in five) and threads (one in
//!    five) with bearer tokens over the JSON API, against a server with
//!    all checks OFF (`[moderation.new_members] enabled = false,
//!    duplicate_window_secs = 0`, rate limits off) and one with all checks
//!    ON (the product's moderation defaults; the product's rate limits,
//!    with the posting ones raised so they count every post but refuse
//!    none). Servers run off, on, on, off, so a drift over the run (the
//!    database grows) weighs on both sides alike. Each server takes
//!    established members (screened, published) and new members
//!    (screened; most held: the holds are real work), at 1 client (the
//!    latency of one post) and at `--concurrency` clients (throughput).
//! 2. In process: `Forum::submit_reply` against the same database with the
//!    moderation rules off, on, and on plus the two rate-limit counts a
//!    reply costs, interleaved post by post; the paired differences are
//!    the checks' own cost, without HTTP or scheduling around them.
//!
//! Judged by differences and ratios between configurations measured in the
//! same run: the target is that the checks add < 1 ms to the p50 of a post.
//!
//!     cargo build --release -p web && cargo run --release -p hearth-bench -- posting \
//!         [--threads N] [--replies N] [--seconds S] [--concurrency C] [--backends sqlite,postgres]
//!
//! `HEARTH_BIN` overrides the server binary (default target/release/hearth).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use forum::rate_limit::RateLimit;
use forum::review::{ModerationConfig, TrustLevel, DAY_MS};
use forum::{Actor, Forum, NewUser, Role, TokenKind};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::json;

use crate::hardening_bench::{post_json, start_with};
use crate::{generate, load, percentile, sentence, vocabulary, Options};

/// Each client posts as this many members in turn, so no member posts
/// far faster than a person could (the duplicate check and the new-member
/// limits look at the member's own recent posts).
const MEMBERS_PER_CLIENT: usize = 16;
/// Posts per configuration in the in-process measurement.
const IN_PROCESS_POSTS: usize = 1500;
/// Reply targets: this many of the imported threads.
const TARGET_THREADS: usize = 500;

pub fn run(o: &Options) -> anyhow::Result<()> {
    let bin = crate::hardening_bench::release_binary()?;
    let vocab = vocabulary();
    let lines = generate(o.threads, o.replies, &vocab);
    println!(
        "posting bench: community of {} threads (~{} posts), {}s per round, 1 and {} clients, {} members per client; machine: {} cores",
        lines.len(),
        o.threads * (o.replies + 1) + 5 * (100 - o.replies.min(100)),
        o.seconds,
        o.concurrency,
        MEMBERS_PER_CLIENT,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    crate::each_backend(o, |backend, url, dir| {
        bench(backend, &bin, url, dir, &lines, o)
    });
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Checks {
    Off,
    On,
}

impl Checks {
    fn name(self) -> &'static str {
        match self {
            Checks::Off => "off",
            Checks::On => "on",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Kind {
    Established,
    New,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Established => "established",
            Kind::New => "new",
        }
    }
}

fn moderation(checks: Checks) -> ModerationConfig {
    match checks {
        Checks::Off => ModerationConfig::off(),
        Checks::On => ModerationConfig::default(),
    }
}

/// Raised far enough to never refuse the bench (one address, a few hundred
/// posts a second) while still counting every post in the database.
fn counting_limit() -> RateLimit {
    RateLimit::per_hour(3_600_000)
}

fn rate_limits(checks: Checks) -> web::rate_limits::RateLimits {
    match checks {
        Checks::Off => web::rate_limits::RateLimits::off(),
        Checks::On => web::rate_limits::RateLimits {
            thread_per_address: counting_limit(),
            thread_per_account: counting_limit(),
            reply_per_address: counting_limit(),
            reply_per_account: counting_limit(),
            ..Default::default()
        },
    }
}

pub(crate) fn config_text(checks: Checks) -> anyhow::Result<String> {
    #[derive(serde::Serialize)]
    struct BenchConfig {
        rate_limits: web::rate_limits::RateLimits,
        moderation: ModerationConfig,
    }
    Ok(toml::to_string(&BenchConfig {
        rate_limits: rate_limits(checks),
        moderation: moderation(checks),
    })?)
}

/// Fresh members of one kind, each with an API token. Established members
/// joined three days ago and wrote three replies then (past the product's
/// `new_member_days = 2` and `trusted_after_posts = 3`); new members
/// joined now and have written nothing. Registered without a password:
/// confirmed, and no password hash to wait for.
pub(crate) fn members(
    forum: &Forum,
    kind: Kind,
    tag: &str,
    n: usize,
    thread: i64,
) -> anyhow::Result<Vec<(Actor, String)>> {
    let real = forum.now();
    let joined_at = match kind {
        Kind::Established => real - 3 * DAY_MS,
        Kind::New => real,
    };
    // The members' history is set-up, not measured: written with every
    // check off (their earlier answers look alike, which spam scoring
    // would rightly hold).
    let then = Forum::with_clock(forum.db().clone(), Arc::new(move || joined_at))
        .with_moderation(ModerationConfig::off());
    let product = forum.clone().with_moderation(ModerationConfig::default());
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("{tag}{}{i}", &kind.name()[..1]);
        let user = then.register(NewUser {
            language: None,
            username: name.clone(),
            email: format!("{name}@example.com"),
            password: None,
            role: Role::Customer,
            display_name: None,
        })?;
        let actor = user.actor();
        if kind == Kind::Established {
            for p in 0..3 {
                then.reply(
                    actor,
                    thread,
                    &format!("An earlier answer number {p} from {name}."),
                )?;
            }
        }
        let want = match kind {
            Kind::Established => TrustLevel::Member,
            Kind::New => TrustLevel::New,
        };
        let got = product.trust_level(actor.user_id)?;
        if got != want {
            bail!("{name} is {got:?}, meant to be {want:?}");
        }
        out.push((actor, forum.issue_token(user.id, TokenKind::Api)?));
    }
    Ok(out)
}

fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

/// Wait until the server is idle (its outbox consumers have caught up):
/// under 5% of a core over a second, twice in a row, or 20 s at most.
/// Returns seconds.
pub(crate) fn settle(pid: u32) -> f64 {
    let started = Instant::now();
    let mut quiet = 0;
    let mut last = cpu_ticks(pid);
    while quiet < 2 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_secs(1));
        let now = cpu_ticks(pid);
        // Clock ticks are 1/100 s: 5 ticks per second is 5% of a core.
        quiet = if now.saturating_sub(last) < 5 {
            quiet + 1
        } else {
            0
        };
        last = now;
    }
    started.elapsed().as_secs_f64()
}

struct Round {
    checks: Checks,
    kind: Kind,
    clients: usize,
    rps: f64,
    p50: f64,
    p99: f64,
}

#[allow(clippy::too_many_arguments)]
async fn post_round(
    base: &str,
    tokens: &[String],
    targets: &[i64],
    bodies: &Rc<Vec<String>>,
    tag: &str,
    seconds: u64,
    clients: usize,
) -> (crate::LoadResult, BTreeMap<u16, usize>) {
    let statuses = Rc::new(RefCell::new(BTreeMap::new()));
    let (b, tokens, targets, bodies, tag, seen) = (
        base.to_owned(),
        Rc::new(tokens.to_vec()),
        Rc::new(targets.to_vec()),
        bodies.clone(),
        tag.to_owned(),
        statuses.clone(),
    );
    let r = load(seconds, clients, move |c, i| {
        let (worker, n) = (i / 1_000_000, i % 1_000_000);
        // Client w posts as members w, w + clients, w + 2·clients, …
        let member = (worker + (n % MEMBERS_PER_CLIENT) * clients) % tokens.len();
        let token = tokens[member].clone();
        let body = format!("{} (post {tag}-{i})", bodies[i % bodies.len()]);
        let (url, payload) = if n % 5 == 4 {
            (
                format!("{b}/api/v1/threads"),
                json!({ "category": "support", "title": format!("Posting bench question {tag}-{i}"), "body": body, "tags": ["bench"] }),
            )
        } else {
            let thread = targets[(i * 31 + worker) % targets.len()];
            (
                format!("{b}/api/v1/threads/{thread}/posts"),
                json!({ "body": body }),
            )
        };
        let seen = seen.clone();
        async move {
            let status = post_json(&c, url, Some(&token), payload).await;
            *seen.borrow_mut().entry(status).or_insert(0) += 1;
            status == 201 || status == 202
        }
    })
    .await;
    let statuses = statuses.borrow().clone();
    (r, statuses)
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
    let summary = crate::import_community(backend, &forum, lines)?;
    // Imported threads are numbered from 1; the first five have 100
    // replies. Reply to a spread of the others.
    let last = summary.threads as i64;
    let step = ((last - 5) / TARGET_THREADS as i64).max(1);
    let targets: Vec<i64> = (6..=last).step_by(step as usize).collect();
    for id in [targets[0], *targets.last().context("no targets")?] {
        forum.thread(id, None, 1, 1, false)?;
    }
    let mut rng = StdRng::seed_from_u64(13);
    let vocab = vocabulary();
    let bodies: Rc<Vec<String>> = Rc::new(
        (0..1000)
            .map(|i| sentence(&mut rng, &vocab[i % vocab.len()], 20 + i % 60))
            .collect(),
    );

    let system = actix_rt::System::new();
    let mut rounds: Vec<Round> = Vec::new();
    let members_per_kind = o.concurrency * MEMBERS_PER_CLIENT;
    for (s, checks) in [Checks::Off, Checks::On, Checks::On, Checks::Off]
        .into_iter()
        .enumerate()
    {
        let established = members(
            &forum,
            Kind::Established,
            &format!("s{s}"),
            members_per_kind,
            targets[0],
        )?;
        let new = members(
            &forum,
            Kind::New,
            &format!("s{s}"),
            members_per_kind,
            targets[0],
        )?;
        let server = start_with(bin, url, dir, &config_text(checks)?)?;
        let pid = server.child.id();
        let idle = settle(pid);
        println!(
            "[{backend}] server {} (checks {}): idle after {idle:.0}s",
            s + 1,
            checks.name()
        );
        for (kind, who) in [(Kind::Established, &established), (Kind::New, &new)] {
            let tokens: Vec<String> = who.iter().map(|(_, t)| t.clone()).collect();
            for clients in [1, o.concurrency] {
                let tag = format!("s{s}{}{clients}", &kind.name()[..1]);
                let (r, statuses) = system.block_on(post_round(
                    &server.base,
                    &tokens,
                    &targets,
                    &bodies,
                    &tag,
                    o.seconds,
                    clients,
                ));
                println!(
                    "[{backend}] checks {:>3}, {:>11} members, {clients} clients: {:.0} posts/s, p50 {:.2} ms, p99 {:.2} ms; by status {statuses:?}",
                    checks.name(),
                    kind.name(),
                    r.rps,
                    r.p50,
                    r.p99
                );
                rounds.push(Round {
                    checks,
                    kind,
                    clients,
                    rps: r.rps,
                    p50: r.p50,
                    p99: r.p99,
                });
                settle(pid);
            }
        }
        drop(server);
    }

    println!("[{backend}] summary over HTTP (mean of the two servers of each configuration):");
    let mut verdicts = Vec::new();
    for kind in [Kind::Established, Kind::New] {
        for clients in [1, o.concurrency] {
            let mean = |checks: Checks, f: fn(&Round) -> f64| {
                let v: Vec<f64> = rounds
                    .iter()
                    .filter(|r| r.checks == checks && r.kind == kind && r.clients == clients)
                    .map(f)
                    .collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let (rps_off, rps_on) = (mean(Checks::Off, |r| r.rps), mean(Checks::On, |r| r.rps));
            let (p50_off, p50_on) = (mean(Checks::Off, |r| r.p50), mean(Checks::On, |r| r.p50));
            let (p99_off, p99_on) = (mean(Checks::Off, |r| r.p99), mean(Checks::On, |r| r.p99));
            println!(
                "[{backend}]   {:>11} members, {clients} clients, off vs on: {rps_off:.0} vs {rps_on:.0} posts/s ({:.2}×); p50 {p50_off:.2} vs {p50_on:.2} ms ({:+.2} ms, {:.2}×); p99 {p99_off:.2} vs {p99_on:.2} ms ({:+.2} ms, {:.2}×)",
                kind.name(),
                rps_on / rps_off,
                p50_on - p50_off,
                p50_on / p50_off,
                p99_on - p99_off,
                p99_on / p99_off,
            );
            if clients == 1 {
                verdicts.push((
                    format!("HTTP, {} members, 1 client", kind.name()),
                    p50_on - p50_off,
                ));
            }
        }
    }

    // In process, on the same database, with the server stopped.
    println!("[{backend}] in process: Forum::submit_reply, {IN_PROCESS_POSTS} replies per configuration, interleaved:");
    let off = forum.clone().with_moderation(moderation(Checks::Off));
    let on = forum.clone().with_moderation(moderation(Checks::On));
    for kind in [Kind::Established, Kind::New] {
        let who = members(&forum, kind, "ip", 64, targets[0])?;
        // [off, on, on + rate limits] per post; the order rotates so none
        // of them always runs first.
        let mut t: [Vec<Duration>; 3] = Default::default();
        let mut held = [0usize; 3];
        for k in 0..IN_PROCESS_POSTS {
            for j in 0..3 {
                let variant = (k + j) % 3;
                let (actor, _) = &who[(k * 3 + j) % who.len()];
                let thread = targets[(k * 7 + j) % targets.len()];
                let body = format!("{} (in-process {k}-{variant})", bodies[k % bodies.len()]);
                let started = Instant::now();
                let submitted = match variant {
                    0 => off.submit_reply(*actor, thread, &body)?,
                    1 => on.submit_reply(*actor, thread, &body)?,
                    _ => {
                        // What the web layer counts before a reply runs
                        // (both keys at once, as the middleware does).
                        on.rate_limit_all(&[
                            ("reply:ip:127.0.0.1".to_string(), counting_limit()),
                            (format!("reply:cred:{}", actor.user_id), counting_limit()),
                        ])?;
                        on.submit_reply(*actor, thread, &body)?
                    }
                };
                t[variant].push(started.elapsed());
                if !submitted.held.is_empty() {
                    held[variant] += 1;
                }
            }
        }
        let diffs = |a: usize| {
            let mut d: Vec<f64> = t[a]
                .iter()
                .zip(&t[0])
                .map(|(x, y)| (x.as_secs_f64() - y.as_secs_f64()) * 1000.0)
                .collect();
            d.sort_by(f64::total_cmp);
            let at = |p: f64| d[((d.len() as f64 - 1.0) * p).round() as usize];
            (at(0.5), at(0.99))
        };
        let sorted: Vec<Vec<Duration>> = t
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v.sort();
                v
            })
            .collect();
        let p = |v: usize, q: f64| percentile(&sorted[v], q);
        for (v, label) in [(1, "on"), (2, "on + rate limits")] {
            let (d50, d99) = diffs(v);
            println!(
                "[{backend}]   {:>11} members, off vs {label}: p50 {:.3} vs {:.3} ms ({:+.3} ms, {:.2}×), p99 {:.3} vs {:.3} ms; paired difference p50 {d50:+.3} ms, p99 {d99:+.3} ms; held {} vs {}",
                kind.name(),
                p(0, 0.5),
                p(v, 0.5),
                p(v, 0.5) - p(0, 0.5),
                p(v, 0.5) / p(0, 0.5),
                p(0, 0.99),
                p(v, 0.99),
                held[0],
                held[v],
            );
            if kind == Kind::Established {
                verdicts.push((
                    format!("in process, established members, off vs {label}"),
                    p(v, 0.5) - p(0, 0.5),
                ));
            }
        }
    }
    for (what, added) in verdicts {
        println!(
            "[{backend}] {} ({what}): the checks add {added:+.3} ms to the p50 of a post (target < 1 ms, issue 13)",
            if added < 1.0 { "PASS" } else { "FAIL" },
        );
    }
    Ok(())
}
