//! Reputation benchmark: import a 1M-post community, time `reputation
//! rebuild`, then the worker's cost per new event (with and without badge
//! rules, so the badges' share shows). Prints figures; asserts nothing.

use std::time::{Duration, Instant};

use forum::reputation::ReputationConfig;
use forum::{Forum, NewThread};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{percentile, with_database};

pub fn run(backend: &str, lines: &[String]) -> anyhow::Result<()> {
    with_database(backend, |url, _dir| {
        let forum = Forum::open(url, 8)?;
        let started = Instant::now();
        let summary = forum.import_lines(lines.iter().map(|l| Ok(l.clone())), 500, |_| {})?;
        println!(
            "[{backend}] imported {} threads, {} posts, {} kudos in {:.1}s",
            summary.threads,
            summary.posts,
            summary.votes,
            started.elapsed().as_secs_f64()
        );
        if backend == "postgres" {
            // As autovacuum would after a bulk load: fresh statistics.
            let ok = std::process::Command::new("psql")
                .args([url, "-qc", "ANALYZE"])
                .status()?
                .success();
            anyhow::ensure!(ok, "ANALYZE failed");
        }
        let threads = summary.threads as i64;
        for round in 1..=2 {
            let started = Instant::now();
            let r = forum.rebuild_reputation()?;
            println!(
                "[{backend}] reputation rebuild #{round}: {:.1}s for {} posts: {} awards, {} members, {} points, badges +{} -{}",
                started.elapsed().as_secs_f64(),
                summary.posts,
                r.awards,
                r.users,
                r.points,
                r.badges_added,
                r.badges_removed
            );
            let phases: Vec<String> = r
                .phases
                .iter()
                .map(|(n, ms)| format!("{n} {ms} ms"))
                .collect();
            println!("[{backend}]   phases: {}", phases.join(", "));
        }
        per_event(
            backend,
            &forum,
            "all badge rules",
            ReputationConfig::default(),
            1,
            threads,
        )?;
        let without = ReputationConfig {
            badges: Vec::new(),
            ..ReputationConfig::default()
        };
        per_event(backend, &forum, "no badge rules", without, 2, threads)?;
        per_event(
            backend,
            &forum,
            "all badge rules",
            ReputationConfig::default(),
            3,
            threads,
        )?;
        Ok(())
    })
}

/// New replies and kudos by existing members, each processed as its own
/// batch, as the worker would see them trickle in.
fn per_event(
    backend: &str,
    base: &Forum,
    label: &str,
    rules: ReputationConfig,
    seed: u64,
    threads: i64,
) -> anyhow::Result<()> {
    let forum = base.clone().with_rules(rules, Default::default())?;
    let mut rng = StdRng::seed_from_u64(seed);
    let member = |rng: &mut StdRng| -> anyhow::Result<forum::Actor> {
        let name = format!("member{}", rng.gen_range(0..2000));
        let user = forum
            .find_user(&name)?
            .ok_or_else(|| anyhow::anyhow!("no {name}"))?;
        Ok(user.actor())
    };
    // Drain whatever is pending first, so only the new events are timed.
    while forum.process_reputation_events(1000)? > 0 {}
    let mut lat: Vec<Duration> = Vec::new();
    let n = 300;
    for i in 0..n {
        let who = member(&mut rng)?;
        let thread = if i % 10 == 0 {
            forum.create_thread(
                who,
                NewThread {
                    category: "support".into(),
                    title: format!("Benchmark question {seed}-{i}"),
                    body: "How do I do this?".into(),
                    tags: vec![],
                },
            )?
        } else {
            rng.gen_range(1..=threads)
        };
        let post = forum.reply(who, thread, "Here is an answer that helps.")?;
        let voter = member(&mut rng)?;
        if voter.user_id != who.user_id {
            forum.vote(voter, post, true)?;
        }
        loop {
            let t = Instant::now();
            let handled = forum.process_reputation_events(1)?;
            if handled == 0 {
                break;
            }
            lat.push(t.elapsed());
        }
    }
    lat.sort();
    let mean =
        lat.iter().map(Duration::as_secs_f64).sum::<f64>() / lat.len().max(1) as f64 * 1000.0;
    println!(
        "[{backend}] worker cost per event ({label}): mean {mean:.3} ms, p50 {:.3} ms, p99 {:.3} ms over {} events",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.len()
    );
    Ok(())
}
