//! CRM bridge benchmark.
//!
//! 1. Latency: threads are created at a steady rate (default 50/s for 30 s)
//!    while the CRM worker runs with the webhook connector pointed at a
//!    loopback HTTP target; each thread's latency is from the commit of
//!    `create_thread` to the target receiving `task.created` for it.
//! 2. Catch-up: a backlog of N `thread.created` events (default 100k) is
//!    written with no worker running, then one worker drains it into the
//!    built-in CRM; prints tasks per second.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crm_bridge::{ConnectorConfig, Crm, CrmConfig, Secret};
use forum::{Forum, NewThread, NewUser, Role};

use crate::with_database;

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// When each thread's task reached the receiver.
type Arrivals = Arc<Mutex<HashMap<i64, Instant>>>;

/// A loopback webhook receiver recording when each thread's task arrived.
fn target() -> anyhow::Result<(String, Arrivals, Arc<AtomicBool>)> {
    let server =
        Arc::new(tiny_http::Server::http("127.0.0.1:0").map_err(|e| anyhow::anyhow!("{e}"))?);
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow::anyhow!("no ip"))?;
    let seen: Arrivals = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    for _ in 0..4 {
        let (server, seen, stop) = (server.clone(), seen.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let Ok(Some(mut req)) = server.recv_timeout(Duration::from_millis(100)) else {
                    continue;
                };
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let at = Instant::now();
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&body) {
                    if v["event"] == "task.created" {
                        if let Some(t) = v["task"]["thread_id"].as_i64() {
                            seen.lock()
                                .map(|mut m| m.entry(t).or_insert(at).to_owned())
                                .ok();
                        }
                    }
                    let id = v["task"]["task_id"].as_i64().unwrap_or(0);
                    let _ = req.respond(tiny_http::Response::from_string(format!(
                        "{{\"id\":\"ext-{id}\"}}"
                    )));
                } else {
                    let _ =
                        req.respond(tiny_http::Response::from_string("bad").with_status_code(400));
                }
            }
        });
    }
    Ok((format!("http://{addr}/hook"), seen, stop))
}

fn asker(forum: &Forum, name: &str) -> anyhow::Result<forum::Actor> {
    Ok(forum
        .register(NewUser {
            language: None,
            username: name.into(),
            email: format!("{name}@example.com"),
            password: None,
            role: Role::Customer,
            display_name: None,
        })?
        .actor())
}

fn latency(backend: &str, url: &str, rate: u64, seconds: u64) -> anyhow::Result<()> {
    let forum = Forum::open(url, 8)?;
    let (hook, seen, stop) = target()?;
    let config = CrmConfig {
        connector: ConnectorConfig::Webhook {
            url: hook,
            secret: Secret::new("bench"),
        },
        ..CrmConfig::default()
    };
    let crm = Crm::new(forum.clone(), config)?;
    let worker = web::supervisor::Supervisor::new(Default::default());
    web::workers::spawn_crm(&worker, &crm, Duration::from_millis(20));
    let who = asker(&forum, "latency")?;
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let mut committed: Vec<(i64, Instant)> = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = started + interval * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let id = forum.create_thread(
            who,
            NewThread {
                category: "support".into(),
                title: format!("Latency question {i}"),
                body: "details".into(),
                tags: vec![],
            },
        )?;
        committed.push((id, Instant::now()));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while seen.lock().map(|m| m.len()).unwrap_or(0) < committed.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    worker.stop();
    stop.store(true, Ordering::SeqCst);
    let seen = seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut ms: Vec<f64> = committed
        .iter()
        .filter_map(|(id, at)| {
            seen.get(id)
                .map(|s| s.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "[{backend}] commit → task created in webhook target, {rate} threads/s for {seconds}s: {} of {} arrived; p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        ms.len(),
        committed.len(),
        pct(&ms, 0.5),
        pct(&ms, 0.9),
        pct(&ms, 0.99),
        ms.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

fn catch_up(backend: &str, url: &str, backlog: usize) -> anyhow::Result<()> {
    let forum = Forum::open(url, 8)?;
    let who = asker(&forum, "backlog")?;
    // The consumer starts at the head, so registration is not part of the backlog.
    let crm = Crm::new(forum.clone(), CrmConfig::default())?;
    crm.process_events(10)?;
    let t = Instant::now();
    for i in 0..backlog {
        forum.create_thread(
            who,
            NewThread {
                category: "support".into(),
                title: format!("Backlog question {i}"),
                body: "Please help with the router setup.".into(),
                tags: vec![],
            },
        )?;
    }
    println!(
        "[{backend}] wrote a backlog of {backlog} threads in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut events = 0;
    loop {
        let n = crm.process_events(1_000)?;
        events += n;
        if n == 0 && forum.pending_events(crm_bridge::OUTBOX_CONSUMER)? == 0 {
            break;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "[{backend}] catch-up into the built-in CRM: {events} events → {backlog} tasks in {secs:.1}s = {:.0} tasks/s (one worker)",
        backlog as f64 / secs
    );
    Ok(())
}

pub fn run(backends: &[String], rate: u64, seconds: u64, backlog: usize) {
    for backend in backends {
        if let Err(e) = with_database(backend, |url, _| latency(backend, url, rate, seconds)) {
            println!("[{backend}] latency run failed: {e:#}");
        }
        if let Err(e) = with_database(backend, |url, _| catch_up(backend, url, backlog)) {
            println!("[{backend}] catch-up run failed: {e:#}");
        }
    }
}
