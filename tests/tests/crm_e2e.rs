//! The CRM bridge end to end over HTTP: the built-in CRM with the agent's
//! API and console, signed inbound webhooks, and the outbound webhook
//! connector against a real HTTP target that fails at random and goes down.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crm_bridge::connector::webhook::{sign, verify, SIGNATURE_HEADER};
use crm_bridge::{ConnectorConfig, CrmConfig, Secret};
use hearth_e2e::*;
use rand::Rng;
use serde_json::json;

async fn until(
    b: &Browser,
    url: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = b.get(url).await;
        if r.status == 200 && check(&r.json()) {
            return r.json();
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting on {url}: {} {}",
            r.status,
            r.body
        );
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn ask(b: &Browser, category: &str, title: &str, body: &str) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": category, "title": title, "body": body }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().unwrap()
}

fn task_for(j: &serde_json::Value, thread: i64) -> Option<serde_json::Value> {
    j["tasks"]
        .as_array()?
        .iter()
        .find(|t| t["thread_id"] == thread)
        .cloned()
}

async fn built_in_crm_flow(backend: Backend) {
    let mut crm = CrmConfig::default();
    crm.inbound.secret = Secret::new("e2e-inbound");
    let Some(s) = start_with_crm(backend, 64 * 1024, crm).await else {
        return;
    };
    let (ann, ann_id) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let moderator = api_staff(&s, "mod1", forum::Role::Moderator).await;

    let t = ask(
        &ann,
        "support",
        "Bluetooth pairing fails",
        "The headset never shows up.",
    )
    .await;
    let queue = until(&agent, "/api/v1/crm/tasks", |j| task_for(j, t).is_some()).await;
    let task = task_for(&queue, t).unwrap();
    let task_id = task["id"].as_i64().unwrap();
    assert_eq!(task["status"], "new");
    assert_eq!(task["contact"]["id"], ann_id);

    // Only agents see the queue; the API says why.
    let r = ann.get("/api/v1/crm/tasks").await;
    assert_eq!((r.status, r.error_code().as_str()), (403, "forbidden"));
    let r = moderator.get("/api/v1/crm/tasks").await;
    assert_eq!(r.status, 403);
    let r = agent.get("/api/v1/crm/tasks?status=bogus").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "validation_failed")
    );

    // Claim, reply as staff: the reply is in the thread for everyone.
    let r = agent
        .post_json(&format!("/api/v1/crm/tasks/{task_id}/claim"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = agent
        .post_json(
            &format!("/api/v1/crm/tasks/{task_id}/replies"),
            &json!({ "body": "Hold the button for 10 s." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let thread = ann.get(&format!("/api/v1/threads/{t}")).await.json();
    let replies = thread["replies"].as_array().unwrap();
    assert!(
        replies
            .iter()
            .any(|p| p["body_md"] == "Hold the button for 10 s." && p["author"]["role"] == "agent"),
        "{thread}"
    );
    let view = agent
        .get(&format!("/api/v1/crm/tasks/{task_id}"))
        .await
        .json();
    assert_eq!(view["task"]["status"], "pending");
    assert!(view["task"]["first_response_at"].is_i64());
    assert_eq!(view["customer"]["contact"]["username"], "ann");

    // Contacts: agents read and edit; the timeline shows the history.
    let r = agent
        .patch_json(
            &format!("/api/v1/crm/contacts/{ann_id}"),
            &json!({ "company": "Acme", "tags": ["beta"] }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c = agent
        .get(&format!("/api/v1/crm/contacts/{ann_id}"))
        .await
        .json();
    assert_eq!(c["contact"]["company"], "Acme");
    assert!(c["timeline"].as_array().unwrap().len() >= 3, "{c}");
    assert_eq!(
        ann.get(&format!("/api/v1/crm/contacts/{ann_id}"))
            .await
            .status,
        403
    );

    // Escalate: moderators and agents, not customers; a general thread gets a task.
    let g = ask(&ann, "general", "Which case fits?", "For the new model.").await;
    let r = bob
        .post_json(&format!("/api/v1/threads/{g}/escalate"), &json!({}))
        .await;
    assert_eq!(r.status, 403);
    let r = moderator
        .post_json(&format!("/api/v1/threads/{g}/escalate"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "escalated");

    // An accepted solution resolves the task, and the thread shows it.
    let r = bob
        .post_json(
            &format!("/api/v1/threads/{t}/posts"),
            &json!({ "body": "Reset it first." }),
        )
        .await;
    let answer = r.json()["id"].as_i64().unwrap();
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{} {}", r.status, r.body);
    until(&agent, &format!("/api/v1/crm/tasks/{task_id}"), |j| {
        j["task"]["status"] == "resolved"
    })
    .await;
    // A customer's answer: the community solved it, and gets the credit.
    let page = ann.get(&format!("/t/{t}")).await;
    assert!(
        !page.body.contains("Answered by the support team"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Solved by the community. Answer by <bdi>bob</bdi>"),
        "{}",
        page.body
    );
    // A staff member's answer, accepted: the support team answered.
    let r = agent
        .post_json(
            &format!("/api/v1/threads/{g}/posts"),
            &json!({ "body": "The slim case fits the new model." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let staff_answer = r.json()["id"].as_i64().unwrap();
    let r = ann
        .post_json(&format!("/api/v1/posts/{staff_answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{} {}", r.status, r.body);
    let page = ann.get(&format!("/t/{g}")).await;
    assert!(
        page.body.contains("Answered by the support team"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("Solved by the community"),
        "{}",
        page.body
    );

    // Signed inbound webhooks: bad ones are refused with a reason and change nothing.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = json!({ "id": "crm-evt-1", "type": "task.comment", "task_id": task_id, "author": "Tier 2", "body": "Firmware 2.1 fixes this." }).to_string();
    let hook = |sig: String, body: String| {
        let url = format!("{}/api/v1/crm/webhook", s.base);
        async move {
            let mut req = awc::Client::new()
                .post(url)
                .insert_header(("Content-Type", "application/json"));
            if !sig.is_empty() {
                req = req.insert_header((SIGNATURE_HEADER, sig));
            }
            let mut resp = req.send_body(body).await.expect("webhook request");
            let status = resp.status().as_u16();
            let j: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
            (
                status,
                j["error"]["code"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    assert_eq!(
        hook(String::new(), body.clone()).await,
        (401, "signature_missing".into())
    );
    assert_eq!(
        hook(sign(b"wrong", secs, body.as_bytes()), body.clone()).await,
        (401, "signature_invalid".into())
    );
    assert_eq!(
        hook(
            sign(b"e2e-inbound", secs - 3600, body.as_bytes()),
            body.clone()
        )
        .await,
        (401, "timestamp_stale".into())
    );
    let junk = "{\"id\":".to_string();
    assert_eq!(
        hook(sign(b"e2e-inbound", secs, junk.as_bytes()), junk).await,
        (400, "bad_payload".into())
    );
    let before = ann.get(&format!("/api/v1/threads/{t}")).await.json()["replies"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        hook(sign(b"e2e-inbound", secs, body.as_bytes()), body.clone())
            .await
            .0,
        202
    );
    assert_eq!(
        hook(sign(b"e2e-inbound", secs, body.as_bytes()), body.clone()).await,
        (409, "replayed".into())
    );
    let after = ann.get(&format!("/api/v1/threads/{t}")).await.json();
    let replies = after["replies"].as_array().unwrap();
    assert_eq!(replies.len(), before + 1, "one post for one comment");
    assert!(replies.iter().any(|p| p["body_md"]
        .as_str()
        .unwrap_or("")
        .contains("Firmware 2.1 fixes this.")));
    // Another system's stray control characters are cleaned, not refused:
    // the comment arrives (a NUL was a 500 on PostgreSQL).
    let dirty = json!({ "id": "crm-evt-2", "type": "task.comment", "task_id": task_id, "author": "Tier\u{0}2", "body": "Reboot\u{0} the router\u{1b}[0m now." }).to_string();
    assert_eq!(
        hook(sign(b"e2e-inbound", secs, dirty.as_bytes()), dirty)
            .await
            .0,
        202
    );
    let after = ann.get(&format!("/api/v1/threads/{t}")).await.json();
    assert!(
        after["replies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["body_md"]
                .as_str()
                .unwrap_or("")
                .contains("Reboot  the router [0m now.")),
        "{after}"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn built_in_crm_over_http_sqlite() {
    built_in_crm_flow(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn built_in_crm_over_http_postgres() {
    built_in_crm_flow(Backend::Postgres).await;
}

#[actix_rt::test]
async fn agent_console_pages_work_with_forms() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ask(&ann, "support", "Screen flickers", "Only on battery.").await;
    s.forum
        .register(forum::NewUser {
            language: None,
            username: "agent1".into(),
            email: "agent1@example.com".into(),
            password: Some("password123".into()),
            role: forum::Role::Agent,
            display_name: Some("Alex Agent".into()),
        })
        .unwrap();
    let agent = Browser::new(&s.base);
    let r = agent
        .submit(
            "/login",
            "/login",
            &[("login", "agent1"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let deadline = Instant::now() + Duration::from_secs(20);
    let queue = loop {
        let q = agent.get("/agent").await;
        assert_eq!(q.status, 200, "{}", q.body);
        if q.body.contains("Screen flickers") {
            break q;
        }
        assert!(Instant::now() < deadline, "task never reached the console");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    };
    // Each task's next deadline as a countdown, the time itself on hover.
    assert!(queue.body.contains(">due in "), "{}", queue.body);
    let marker = "href=\"/agent/tasks/";
    let start_at = queue.body.find(marker).unwrap() + marker.len();
    let task_id: i64 = queue.body[start_at..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = format!("/agent/tasks/{task_id}");

    let r = agent
        .submit(
            "/agent/canned",
            "/agent/canned",
            &[
                ("title", "Hello"),
                ("body", "Hi {{customer_name}}, {{agent_name}} here."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let canned = agent.get("/agent/canned").await;
    let cid = canned
        .body
        .split("name=\"id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let drafted = agent.get(&format!("{page}?canned={cid}")).await;
    assert!(
        drafted.body.contains("Hi ann, Alex Agent here."),
        "{}",
        drafted.body
    );

    let r = agent
        .submit(
            &page,
            &format!("{page}/reply"),
            &[("body", "Hi ann, Alex Agent here. Try the driver update.")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let thread = ann.get(&format!("/t/{t}")).await;
    assert!(
        thread.body.contains("Try the driver update.")
            && thread.body.contains("Official · Support agent"),
        "{}",
        thread.body
    );
    // The task page shows the thread as members read it: the question
    // rendered, and the replies.
    let task = agent.get(&page).await.body;
    let conversation = &task[task
        .find("<ol class=\"conversation\">")
        .expect("the thread")..];
    assert!(
        conversation.contains("<p>Only on battery.</p>")
            && conversation.contains("Try the driver update."),
        "{conversation}"
    );
    assert!(!task.contains("<pre class=\"question\""), "{task}");
    // Assigned by username, as the field completes it.
    assert!(
        task.contains("<datalist id=\"task-agents\"><option value=\"agent1\">Alex Agent</option>"),
        "{task}"
    );
    let r = agent
        .submit(&page, &format!("{page}/update"), &[("owner", "nobody")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = agent
        .submit(&page, &format!("{page}/update"), &[("owner", "@agent1")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let task = agent.get(&page).await.body;
    assert!(
        task.contains("owner <span dir=\"auto\">Alex Agent</span>"),
        "{task}"
    );
    let r = agent
        .submit(
            &page,
            &format!("{page}/remind"),
            &[("in_hours", "0.0001"), ("note", "check back")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    actix_rt::time::sleep(Duration::from_millis(500)).await;
    assert!(
        agent.get("/agent").await.body.contains("check back"),
        "due reminders show in the console"
    );
    let r = agent
        .submit(&page, &format!("{page}/update"), &[("status", "closed")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(agent
        .get(&page)
        .await
        .body
        .contains("<span class=\"status\">closed</span>"));

    // Customers are kept out; forms without CSRF are refused.
    let carl = Browser::new(&s.base);
    assert_eq!(carl.register("carl").await.status, 303);
    assert_eq!(carl.get("/agent").await.status, 403);
    assert_eq!(Browser::new(&s.base).get("/agent").await.status, 401);
    assert_eq!(
        agent
            .post_form(&format!("{page}/claim"), &[("csrf", "nope")])
            .await
            .status,
        403
    );
    s.stop().await;
}

/// A CRM's webhook endpoint: verifies our signature, keeps one record per
/// Idempotency-Key, fails half of all requests (half of those after
/// storing, so the answer is lost) and can be taken down.
struct FlakyTarget {
    url: String,
    records: Arc<Mutex<HashMap<String, (String, u32)>>>,
    down: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FlakyTarget {
    fn start(secret: &'static [u8]) -> FlakyTarget {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/hooks/hearth",
            server.server_addr().to_ip().unwrap()
        );
        let records: Arc<Mutex<HashMap<String, (String, u32)>>> = Arc::default();
        let down = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, d, n, st) = (
            records.clone(),
            down.clone(),
            requests.clone(),
            stop.clone(),
        );
        let server = Arc::new(server);
        for _ in 0..4 {
            let (server, r, d, n, st) =
                (server.clone(), r.clone(), d.clone(), n.clone(), st.clone());
            std::thread::spawn(move || {
                while !st.load(Ordering::SeqCst) {
                    let Ok(Some(mut req)) = server.recv_timeout(Duration::from_millis(100)) else {
                        continue;
                    };
                    n.fetch_add(1, Ordering::SeqCst);
                    let mut body = Vec::new();
                    let _ = req.as_reader().read_to_end(&mut body);
                    let header = |name: &'static str| {
                        req.headers()
                            .iter()
                            .find(|h| h.field.equiv(name))
                            .map(|h| h.value.as_str().to_string())
                    };
                    let respond = |req: tiny_http::Request, code: u16, body: String| {
                        let _ = req
                            .respond(tiny_http::Response::from_string(body).with_status_code(code));
                    };
                    if d.load(Ordering::SeqCst) {
                        respond(req, 503, "down".into());
                        continue;
                    }
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs() as i64;
                    if verify(secret, header(SIGNATURE_HEADER).as_deref(), &body, now, 300).is_err()
                    {
                        respond(req, 401, "bad signature".into());
                        continue;
                    }
                    let roll: f64 = rand::thread_rng().gen();
                    if roll < 0.25 {
                        respond(req, 500, "flaky before".into());
                        continue;
                    }
                    let key = header("Idempotency-Key").unwrap_or_default();
                    let event = header("X-Hearth-Event").unwrap_or_default();
                    let id = {
                        let mut recs = r.lock().unwrap();
                        let next = recs.len() + 1;
                        let e = recs
                            .entry(key.clone())
                            .or_insert_with(|| (format!("ext-{next}"), 0));
                        if event == "task.created" {
                            e.1 += 1;
                        }
                        e.0.clone()
                    };
                    if roll < 0.5 {
                        respond(req, 500, "flaky after storing".into());
                        continue;
                    }
                    respond(req, 200, json!({ "id": id }).to_string());
                }
            });
        }
        FlakyTarget {
            url,
            records,
            down,
            requests,
            stop,
        }
    }
}

impl Drop for FlakyTarget {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

#[actix_rt::test]
async fn webhook_fault_injection_every_thread_gets_exactly_one_external_task() {
    let target = FlakyTarget::start(b"fault-secret");
    let crm = CrmConfig {
        connector: ConnectorConfig::Webhook {
            url: target.url.clone(),
            secret: Secret::new("fault-secret"),
        },
        delivery: crm_bridge::config::DeliveryConfig {
            backoff_base_ms: 20,
            backoff_cap_ms: 400,
            max_attempts: 80,
            timeout_ms: 2_000,
            batch: 64,
            ..Default::default()
        },
        ..CrmConfig::default()
    };
    let s = start_with_crm(Backend::Sqlite, 64 * 1024, crm)
        .await
        .unwrap();
    let asker = s
        .forum
        .register(forum::NewUser {
            language: None,
            username: "asker".into(),
            email: "asker@example.com".into(),
            password: None,
            role: forum::Role::Customer,
            display_name: None,
        })
        .unwrap()
        .actor();

    let forum = s.forum.clone();
    let down = target.down.clone();
    let threads: Vec<i64> = actix_web::rt::task::spawn_blocking(move || {
        (0..500)
            .map(|i| {
                // The CRM is fully down while threads 150..300 are created.
                down.store((150..300).contains(&i), Ordering::SeqCst);
                if (150..300).contains(&i) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                forum
                    .create_thread(
                        asker,
                        forum::NewThread {
                            category: "support".into(),
                            title: format!("Fault test question {i}"),
                            body: "details".into(),
                            tags: vec![],
                        },
                    )
                    .unwrap()
            })
            .collect()
    })
    .await
    .unwrap();
    target.down.store(false, Ordering::SeqCst);

    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let crm = s.crm.clone();
        let (pending, linked) = actix_web::rt::task::spawn_blocking(move || {
            let pending = crm.pending_deliveries().unwrap().len();
            (
                pending,
                crm.forum()
                    .pending_events(crm_bridge::OUTBOX_CONSUMER)
                    .unwrap(),
            )
        })
        .await
        .unwrap();
        if pending == 0 && linked == 0 && target.records.lock().unwrap().len() >= threads.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "deliveries did not finish: {pending} pending, {} records",
            target.records.lock().unwrap().len()
        );
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
    let crm = s.crm.clone();
    let tasks: Vec<crm_bridge::Task> = actix_web::rt::task::spawn_blocking(move || {
        threads
            .iter()
            .map(|t| crm.task_for_thread(*t).unwrap().expect("task"))
            .collect()
    })
    .await
    .unwrap();
    let records = target.records.lock().unwrap().clone();
    let crm = s.crm.clone();
    let instance = actix_web::rt::task::spawn_blocking(move || crm.instance_id().unwrap())
        .await
        .unwrap();
    assert_eq!(records.len(), 500, "exactly one external record per thread");
    for t in &tasks {
        let link = t.external.as_ref().expect("linked");
        assert_eq!(link.sync_state, "synced");
        let (ext, creates) = &records[&format!("hearth-task-{instance}-{}", t.id)];
        assert_eq!(link.external_id.as_deref(), Some(ext.as_str()));
        assert!(*creates >= 1);
    }
    let admin = s
        .forum
        .register(forum::NewUser {
            language: None,
            username: "root".into(),
            email: "root@example.com".into(),
            password: None,
            role: forum::Role::Admin,
            display_name: None,
        })
        .unwrap()
        .actor();
    let crm = s.crm.clone();
    let dead = actix_web::rt::task::spawn_blocking(move || crm.dead_letters(admin).unwrap())
        .await
        .unwrap();
    assert!(dead.is_empty(), "nothing exhausted its retries: {dead:?}");
    assert!(
        target.requests.load(Ordering::SeqCst) > 600,
        "failures forced retries"
    );
    s.stop().await;
}
