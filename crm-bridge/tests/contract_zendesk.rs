//! Contract tests for the Zendesk connector against a local fake of the
//! Support API: List Tickets filtered by `external_id`, Create Ticket with
//! `Idempotency-Key` (same key + same payload replays the first answer, a
//! different payload is `IdempotentRequestError`), Update Ticket (with an
//! optional comment), Show Many Tickets and List Comments (with sideloaded
//! users and `next_page` links), behind Basic `{email}/token:{token}` auth.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{comment, task, FakeServer, Recorded, Reply};
use crm_bridge::connector::zendesk::ZendeskConnector;
use crm_bridge::connector::{Connector, ConnectorError, InboundChange};
use crm_bridge::rules::{Priority, TaskStatus};
use crm_bridge::Secret;
use serde_json::{json, Value};

const EMAIL: &str = "integrations@acme.test";
const TOKEN: &str = "zd-api-token-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";
const AGENT_ID: u64 = 9001;
const INTEGRATION_ID: u64 = 9000;

#[derive(Debug, Clone)]
struct Ticket {
    id: u64,
    external_id: Option<String>,
    subject: String,
    status: String,
    priority: Option<String>,
    tags: Vec<String>,
    requester: Value,
    updated_at: String,
}

#[derive(Debug, Clone)]
struct Comment {
    id: u64,
    ticket: u64,
    author_id: u64,
    body: String,
    public: bool,
}

#[derive(Debug, Clone)]
struct Fault {
    method: &'static str,
    path_contains: String,
    apply: bool,
    reply: Option<Reply>,
    delay: Option<Duration>,
    remaining: usize,
}

#[derive(Default)]
struct Desk {
    base: String,
    tickets: Vec<Ticket>,
    comments: Vec<Comment>,
    /// Idempotency-Key → (request body, status, answer).
    idempotency: HashMap<String, (Value, u16, Value)>,
    faults: Vec<Fault>,
    next_ticket: u64,
    next_comment: u64,
    clock: u64,
    comments_per_page: usize,
}

fn zerr(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(status, json!({"error": error, "description": description}))
}

fn expected_auth() -> String {
    let raw = format!("{EMAIL}/token:{TOKEN}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

impl Desk {
    fn tick(&mut self) -> String {
        self.clock += 1;
        format!("2024-05-01T11:{:02}:00Z", self.clock % 60)
    }

    fn ticket_json(&self, t: &Ticket) -> Value {
        json!({
            "url": format!("{}/api/v2/tickets/{}.json", self.base, t.id),
            "id": t.id, "external_id": t.external_id, "subject": t.subject,
            "status": t.status, "priority": t.priority, "tags": t.tags,
            "requester": t.requester, "updated_at": t.updated_at,
        })
    }

    fn handle(&mut self, r: &Recorded) -> Reply {
        if let Some(i) = self.faults.iter().position(|f| {
            f.remaining > 0 && f.method == r.method && r.path.contains(&f.path_contains)
        }) {
            self.faults[i].remaining -= 1;
            let f = self.faults[i].clone();
            let normal = if f.apply || f.reply.is_none() {
                self.answer(r)
            } else {
                Reply::empty(599)
            };
            let mut reply = f.reply.unwrap_or(normal);
            reply.delay = f.delay;
            return reply;
        }
        self.answer(r)
    }

    fn answer(&mut self, r: &Recorded) -> Reply {
        if r.header("authorization") != Some(expected_auth().as_str()) {
            return zerr(401, "Couldn't authenticate you", "");
        }
        let segs: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
        match (r.method.as_str(), segs.as_slice()) {
            ("GET", ["api", "v2", "tickets.json"]) => {
                let wanted = r.query("external_id");
                let found: Vec<Value> = self
                    .tickets
                    .iter()
                    .filter(|t| wanted.is_some() && t.external_id.as_deref() == wanted)
                    .map(|t| self.ticket_json(t))
                    .collect();
                let count = found.len();
                Reply::json(
                    200,
                    json!({"tickets": found, "next_page": null, "previous_page": null, "count": count}),
                )
            }
            ("POST", ["api", "v2", "tickets.json"]) => self.create(r),
            ("GET", ["api", "v2", "tickets", "show_many.json"]) => {
                let ids: Vec<u64> = r
                    .query("ids")
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|s| s.parse().ok())
                    .collect();
                let found: Vec<Value> = self
                    .tickets
                    .iter()
                    .filter(|t| ids.contains(&t.id))
                    .map(|t| self.ticket_json(t))
                    .collect();
                Reply::json(
                    200,
                    json!({"tickets": found, "next_page": null, "count": found.len()}),
                )
            }
            ("PUT", ["api", "v2", "tickets", file]) => {
                match file
                    .strip_suffix(".json")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    Some(id) => self.update(id, &r.json()),
                    None => zerr(404, "RecordNotFound", "Not found"),
                }
            }
            ("GET", ["api", "v2", "tickets", id, "comments.json"]) => match id.parse::<u64>() {
                Ok(id) => self.list_comments(id, r),
                Err(_) => zerr(404, "RecordNotFound", "Not found"),
            },
            _ => zerr(404, "InvalidEndpoint", "Not found"),
        }
    }

    fn create(&mut self, r: &Recorded) -> Reply {
        let body = r.json();
        if let Some(key) = r.header("idempotency-key") {
            if let Some((seen, status, answer)) = self.idempotency.get(key) {
                if *seen == body {
                    return Reply::json(*status, answer.clone())
                        .with_header("x-idempotency-lookup", "hit");
                }
                return zerr(
                    400,
                    "IdempotentRequestError",
                    "Idempotency key was already used with a different request payload",
                );
            }
        }
        let t = &body["ticket"];
        let Some(first) = t["comment"]["body"].as_str() else {
            return Reply::json(
                422,
                json!({"error": "RecordInvalid", "description": "Record validation errors",
                       "details": {"base": [{"description": "Description: cannot be blank"}]}}),
            );
        };
        let status = t["status"].as_str().unwrap_or("new").to_string();
        if !["new", "open", "pending", "hold", "solved", "closed"].contains(&status.as_str()) {
            return zerr(422, "RecordInvalid", "Status: is not valid");
        }
        self.next_ticket += 1;
        let id = 35_435 + self.next_ticket;
        let now = self.tick();
        let ticket = Ticket {
            id,
            external_id: t["external_id"].as_str().map(str::to_string),
            subject: t["subject"].as_str().unwrap_or("").to_string(),
            status,
            priority: t["priority"].as_str().map(str::to_string),
            tags: t["tags"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            requester: t["requester"].clone(),
            updated_at: now,
        };
        self.next_comment += 1;
        self.comments.push(Comment {
            id: 1_000 + self.next_comment,
            ticket: id,
            author_id: INTEGRATION_ID,
            body: first.to_string(),
            public: t["comment"]["public"].as_bool().unwrap_or(true),
        });
        let answer = json!({"ticket": self.ticket_json(&ticket)});
        self.tickets.push(ticket);
        if let Some(key) = r.header("idempotency-key") {
            self.idempotency
                .insert(key.to_string(), (body, 201, answer.clone()));
        }
        Reply::json(201, answer).with_header("x-idempotency-lookup", "miss")
    }

    fn update(&mut self, id: u64, body: &Value) -> Reply {
        let now = self.tick();
        let Some(i) = self.tickets.iter().position(|t| t.id == id) else {
            return zerr(404, "RecordNotFound", "Not found");
        };
        let t = &body["ticket"];
        if self.tickets[i].status == "closed" {
            return zerr(
                422,
                "RecordInvalid",
                "Status: closed prevents ticket update",
            );
        }
        {
            let ticket = &mut self.tickets[i];
            if let Some(s) = t["status"].as_str() {
                ticket.status = s.to_string();
            }
            if let Some(p) = t["priority"].as_str() {
                ticket.priority = Some(p.to_string());
            }
            for tag in t["additional_tags"].as_array().into_iter().flatten() {
                if let Some(tag) = tag.as_str() {
                    if !ticket.tags.iter().any(|x| x == tag) {
                        ticket.tags.push(tag.to_string());
                    }
                }
            }
            for tag in t["remove_tags"].as_array().into_iter().flatten() {
                ticket.tags.retain(|x| Some(x.as_str()) != tag.as_str());
            }
            ticket.updated_at = now;
        }
        if let Some(c) = t.get("comment") {
            self.next_comment += 1;
            self.comments.push(Comment {
                id: 1_000 + self.next_comment,
                ticket: id,
                author_id: INTEGRATION_ID,
                body: c["body"].as_str().unwrap_or("").to_string(),
                public: c["public"].as_bool().unwrap_or(true),
            });
        }
        let ticket = self.ticket_json(&self.tickets[i]);
        Reply::json(200, json!({"ticket": ticket, "audit": {"events": []}}))
    }

    fn list_comments(&mut self, id: u64, r: &Recorded) -> Reply {
        if !self.tickets.iter().any(|t| t.id == id) {
            return zerr(404, "RecordNotFound", "Not found");
        }
        let all: Vec<&Comment> = self.comments.iter().filter(|c| c.ticket == id).collect();
        let per = if self.comments_per_page == 0 {
            100
        } else {
            self.comments_per_page
        };
        let page: usize = r.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let slice: Vec<&Comment> = all
            .iter()
            .skip((page - 1) * per)
            .take(per)
            .copied()
            .collect();
        let next = (page * per < all.len()).then(|| {
            format!(
                "{}/api/v2/tickets/{id}/comments.json?include=users&page={}",
                self.base,
                page + 1
            )
        });
        let comments: Vec<Value> = slice
            .iter()
            .map(|c| {
                json!({"id": c.id, "type": "Comment", "author_id": c.author_id, "body": c.body,
                       "html_body": format!("<p>{}</p>", c.body), "plain_body": c.body,
                       "public": c.public, "created_at": "2024-05-01T11:00:00Z"})
            })
            .collect();
        let users = if r.query("include") == Some("users") {
            json!([
                {"id": INTEGRATION_ID, "name": "Hearth Integration"},
                {"id": AGENT_ID, "name": "Agent Rivera"},
            ])
        } else {
            json!([])
        };
        Reply::json(
            200,
            json!({"comments": comments, "users": users, "next_page": next,
                   "previous_page": null, "count": all.len()}),
        )
    }
}

struct Env {
    server: FakeServer,
    desk: Arc<Mutex<Desk>>,
}

impl Env {
    fn start() -> Env {
        let desk = Arc::new(Mutex::new(Desk::default()));
        let handler_desk = desk.clone();
        let server = FakeServer::start(move |r| handler_desk.lock().expect("desk").handle(r));
        desk.lock().expect("desk").base = server.base.clone();
        Env { server, desk }
    }

    fn desk(&self) -> MutexGuard<'_, Desk> {
        self.desk.lock().expect("desk")
    }

    fn connector_with(&self, timeout: Duration) -> ZendeskConnector {
        ZendeskConnector::new(
            format!("{}/", self.server.base),
            EMAIL.into(),
            Secret::new(TOKEN),
            timeout,
        )
    }

    fn connector(&self) -> ZendeskConnector {
        self.connector_with(Duration::from_secs(5))
    }

    fn fault(&self, method: &'static str, path_contains: &str, apply: bool, reply: Option<Reply>) {
        self.desk().faults.push(Fault {
            method,
            path_contains: path_contains.into(),
            apply,
            reply,
            delay: None,
            remaining: 1,
        });
    }

    fn seed_ticket(&self, status: &str, comments: &[(u64, &str, bool)]) -> u64 {
        let mut d = self.desk();
        d.next_ticket += 1;
        let id = 35_435 + d.next_ticket;
        let now = d.tick();
        d.tickets.push(Ticket {
            id,
            external_id: None,
            subject: "seeded".into(),
            status: status.into(),
            priority: Some("normal".into()),
            tags: vec![],
            requester: Value::Null,
            updated_at: now,
        });
        for (author, body, public) in comments {
            d.next_comment += 1;
            let cid = 1_000 + d.next_comment;
            d.comments.push(Comment {
                id: cid,
                ticket: id,
                author_id: *author,
                body: body.to_string(),
                public: *public,
            });
        }
        id
    }

    fn posts(&self) -> Vec<Recorded> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect()
    }
}

fn retry_after(e: &ConnectorError) -> Option<Duration> {
    match e {
        ConnectorError::Retryable { retry_after, .. } => *retry_after,
        ConnectorError::Permanent(_) => None,
    }
}

#[test]
fn create_looks_up_the_external_id_then_posts_with_an_idempotency_key() {
    let env = Env::start();
    let zd = env.connector();
    let mut t = task(7);
    t.priority = Priority::Urgent;

    let id = zd.push_task(&t, None).expect("created");
    assert_eq!(id, "35436");

    assert_eq!(
        env.server.lines(),
        vec!["GET /api/v2/tickets.json", "POST /api/v2/tickets.json"]
    );
    let reqs = env.server.requests();
    assert_eq!(reqs[0].query("external_id"), Some("hearth-task-7"));
    for r in &reqs {
        assert_eq!(r.header("authorization"), Some(expected_auth().as_str()));
    }
    let post = &reqs[1];
    assert_eq!(post.header("idempotency-key"), Some("hearth-task-7"));
    assert!(post
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    let body = post.json();
    let ticket = &body["ticket"];
    assert_eq!(ticket["subject"], "Export to CSV drops accents");
    assert_eq!(ticket["priority"], "urgent");
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["external_id"], "hearth-task-7");
    assert_eq!(
        ticket["requester"],
        json!({"name": "Dana O'Neil", "email": "dana.o'neil@example.com"})
    );
    assert_eq!(ticket["tags"], json!(["hearth"]));
    let description = ticket["comment"]["body"].as_str().unwrap_or_default();
    assert!(description.starts_with("Every é becomes ? in the exported file."));
    assert!(description.contains("https://community.example/t/107"));

    let d = env.desk();
    assert_eq!(d.tickets.len(), 1);
    assert_eq!(d.tickets[0].external_id.as_deref(), Some("hearth-task-7"));
}

#[test]
fn escalated_is_open_with_a_tag() {
    let env = Env::start();
    let zd = env.connector();
    let mut t = task(8);
    t.status = TaskStatus::Escalated;
    let id = zd.push_task(&t, None).expect("created");
    {
        let d = env.desk();
        assert_eq!(d.tickets[0].status, "open");
        assert_eq!(d.tickets[0].tags, vec!["hearth", "hearth_escalated"]);
    }
    t.status = TaskStatus::Pending;
    zd.push_task(&t, Some(&id)).expect("updated");
    let d = env.desk();
    assert_eq!(d.tickets[0].status, "pending");
    assert_eq!(d.tickets[0].tags, vec!["hearth"]);
}

#[test]
fn update_puts_status_and_priority() {
    let env = Env::start();
    let id = env.seed_ticket("open", &[(AGENT_ID, "desc", true)]);
    let zd = env.connector();
    let mut t = task(3);
    t.status = TaskStatus::Resolved;
    t.priority = Priority::Low;

    assert_eq!(
        zd.push_task(&t, Some(&id.to_string())).expect("updated"),
        id.to_string()
    );
    let reqs = env.server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "PUT");
    assert_eq!(reqs[0].path, format!("/api/v2/tickets/{id}.json"));
    assert_eq!(
        reqs[0].json(),
        json!({"ticket": {"status": "solved", "priority": "low", "remove_tags": ["hearth_escalated"]}})
    );
    let d = env.desk();
    assert_eq!(d.tickets[0].status, "solved");
    assert_eq!(d.tickets[0].priority.as_deref(), Some("low"));
}

#[test]
fn updating_a_missing_or_closed_ticket_is_permanent() {
    let env = Env::start();
    let closed = env.seed_ticket("closed", &[(AGENT_ID, "desc", true)]);
    let zd = env.connector();
    let e = zd.push_task(&task(1), Some("999999")).expect_err("404");
    assert!(matches!(e, ConnectorError::Permanent(ref m) if m.contains("404")));
    let e = zd
        .push_task(&task(1), Some(&closed.to_string()))
        .expect_err("422");
    assert!(matches!(e, ConnectorError::Permanent(ref m) if m.contains("422")));
    let e = zd
        .push_task(&task(1), Some("1/../../users"))
        .expect_err("bad id");
    assert!(matches!(e, ConnectorError::Permanent(_)));
    assert_eq!(env.server.requests().len(), 2);
}

#[test]
fn comments_are_public_or_private_marked_and_not_added_twice() {
    let env = Env::start();
    let zd = env.connector();
    let t = task(4);
    let id = zd.push_task(&t, None).expect("created");
    env.server.clear();

    zd.push_comment(&t, &id, &comment(41, false))
        .expect("commented");
    zd.push_comment(&t, &id, &comment(42, true))
        .expect("commented");
    zd.push_comment(&t, &id, &comment(41, false))
        .expect("no-op");

    let puts: Vec<Recorded> = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 2);
    assert_eq!(puts[0].path, format!("/api/v2/tickets/{id}.json"));
    let c = &puts[0].json()["ticket"]["comment"];
    assert_eq!(c["public"], json!(true));
    let body = c["body"].as_str().unwrap_or_default();
    assert!(body.starts_with("[hearth-post-41] Dana O'Neil:"), "{body}");
    assert!(body.contains("It also happens with ü."));
    assert_eq!(puts[1].json()["ticket"]["comment"]["public"], json!(false));
    // Only the comment: the ticket's status is left alone.
    assert!(puts[0].json()["ticket"].get("status").is_none());

    // Description + two comments.
    assert_eq!(env.desk().comments.len(), 3);
    // Every push looked at the existing comments first.
    let looks = env
        .server
        .lines()
        .iter()
        .filter(|l| *l == &format!("GET /api/v2/tickets/{id}/comments.json"))
        .count();
    assert_eq!(looks, 3);
}

#[test]
fn pull_changes_maps_statuses_and_public_agent_comments() {
    let env = Env::start();
    env.desk().comments_per_page = 2; // make the comment list page
    let a = env.seed_ticket(
        "solved",
        &[
            (INTEGRATION_ID, "The description", true),
            (INTEGRATION_ID, "[hearth-post-3] Dana:\nfrom Hearth", true),
            (AGENT_ID, "Fixed in 2.4.1.", true),
            (AGENT_ID, "internal: refund approved", false),
        ],
    );
    let b = env.seed_ticket(
        "hold",
        &[
            (INTEGRATION_ID, "Another description", true),
            (AGENT_ID, "Waiting on the vendor.", true),
        ],
    );
    let (upd_a, upd_b, c_a, c_b) = {
        let d = env.desk();
        (
            d.tickets[0].updated_at.clone(),
            d.tickets[1].updated_at.clone(),
            d.comments[2].id,
            d.comments[5].id,
        )
    };
    let zd = env.connector();
    let changes = zd
        .pull_changes(&[
            (1, a.to_string()),
            (2, b.to_string()),
            (3, "not-a-ticket".into()),
        ])
        .expect("pulled");

    assert_eq!(
        changes,
        vec![
            InboundChange::Status {
                external_id: a.to_string(),
                status: TaskStatus::Resolved,
                key: format!("zendesk:status:{a}:solved:{upd_a}"),
            },
            InboundChange::Status {
                external_id: b.to_string(),
                status: TaskStatus::Open,
                key: format!("zendesk:status:{b}:hold:{upd_b}"),
            },
            InboundChange::Comment {
                external_id: a.to_string(),
                author: "Agent Rivera".into(),
                body: "Fixed in 2.4.1.".into(),
                key: format!("zendesk:comment:{c_a}"),
            },
            InboundChange::Comment {
                external_id: b.to_string(),
                author: "Agent Rivera".into(),
                body: "Waiting on the vendor.".into(),
                key: format!("zendesk:comment:{c_b}"),
            },
        ]
    );
    let reqs = env.server.requests();
    assert_eq!(reqs[0].path, "/api/v2/tickets/show_many.json");
    assert_eq!(reqs[0].query("ids"), Some(format!("{a},{b}").as_str()));
    // Ticket a's four comments came in two pages.
    let pages_a: Vec<Option<&str>> = reqs
        .iter()
        .filter(|r| r.path == format!("/api/v2/tickets/{a}/comments.json"))
        .map(|r| r.query("page"))
        .collect();
    assert_eq!(pages_a, vec![None, Some("2")]);
}

#[test]
fn rate_limiting_is_retryable_after_the_servers_delay() {
    let env = Env::start();
    let zd = env.connector();
    env.fault(
        "POST",
        "/api/v2/tickets.json",
        false,
        Some(
            Reply::json(429, json!({"error": "TooManyRequests"})).with_header("Retry-After", "30"),
        ),
    );
    let e = zd.push_task(&task(5), None).expect_err("429");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    assert_eq!(retry_after(&e), Some(Duration::from_secs(30)));
    assert!(env.desk().tickets.is_empty());
}

#[test]
fn server_errors_are_retryable() {
    let env = Env::start();
    let zd = env.connector();
    env.fault(
        "GET",
        "/api/v2/tickets.json",
        false,
        Some(Reply::json(503, json!({"error": "ServiceUnavailable"}))),
    );
    let e = zd.push_task(&task(5), None).expect_err("503");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    env.fault(
        "GET",
        "show_many.json",
        false,
        Some(Reply::json(500, json!({"error": "InternalError"}))),
    );
    let e = zd.pull_changes(&[(1, "35436".into())]).expect_err("500");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    assert_eq!(env.posts().len(), 0);
}

#[test]
fn a_timeout_is_retryable() {
    let env = Env::start();
    let zd = env.connector_with(Duration::from_millis(300));
    env.desk().faults.push(Fault {
        method: "GET",
        path_contains: "/api/v2/tickets.json".into(),
        apply: false,
        reply: None,
        delay: Some(Duration::from_millis(1_500)),
        remaining: 1,
    });
    let started = Instant::now();
    let e = zd.push_task(&task(6), None).expect_err("timed out");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(1_400));
}

#[test]
fn bad_requests_and_bad_credentials_are_permanent() {
    let env = Env::start();
    let zd = env.connector();
    env.fault(
        "POST",
        "/api/v2/tickets.json",
        false,
        Some(zerr(400, "InvalidValue", "Priority is invalid")),
    );
    let e = zd.push_task(&task(6), None).expect_err("400");
    assert!(
        matches!(e, ConnectorError::Permanent(ref m) if m.contains("400")),
        "{e:?}"
    );

    let wrong = ZendeskConnector::new(
        env.server.base.clone(),
        EMAIL.into(),
        Secret::new("wrong-token"),
        Duration::from_secs(5),
    );
    let e = wrong.push_task(&task(6), None).expect_err("401");
    let ConnectorError::Permanent(m) = &e else {
        panic!("expected a permanent error, got {e:?}");
    };
    assert!(m.contains("401"));
    assert!(!m.contains("wrong-token") && !m.contains(TOKEN));
}

#[test]
fn a_retried_create_whose_answer_was_lost_finds_the_ticket() {
    let env = Env::start();
    let zd = env.connector();
    // The create lands, but the answer is a 500.
    env.fault(
        "POST",
        "/api/v2/tickets.json",
        true,
        Some(Reply::json(500, json!({"error": "InternalError"}))),
    );
    let e = zd.push_task(&task(11), None).expect_err("500");
    assert!(matches!(e, ConnectorError::Retryable { .. }));
    assert_eq!(env.desk().tickets.len(), 1, "the first attempt did land");
    env.server.clear();

    let id = zd.push_task(&task(11), None).expect("retried");
    assert_eq!(env.server.lines(), vec!["GET /api/v2/tickets.json"]);
    let d = env.desk();
    assert_eq!(d.tickets.len(), 1);
    assert_eq!(d.tickets[0].id.to_string(), id);
}

#[test]
fn the_idempotency_key_covers_a_lookup_that_cannot_see_the_first_attempt() {
    let env = Env::start();
    let zd = env.connector_with(Duration::from_millis(300));
    // The create lands, but the answer comes too late.
    env.desk().faults.push(Fault {
        method: "POST",
        path_contains: "/api/v2/tickets.json".into(),
        apply: true,
        reply: None,
        delay: Some(Duration::from_millis(1_000)),
        remaining: 1,
    });
    let e = zd.push_task(&task(12), None).expect_err("timed out");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    let first_id = env.desk().tickets[0].id;

    // The lookup misses (not visible yet); the same key replays the answer.
    env.fault(
        "GET",
        "/api/v2/tickets.json",
        false,
        Some(Reply::json(
            200,
            json!({"tickets": [], "next_page": null, "count": 0}),
        )),
    );
    let id = zd.push_task(&task(12), None).expect("replayed");
    assert_eq!(id, first_id.to_string());
    assert_eq!(env.desk().tickets.len(), 1);
    let posts = env.posts();
    assert_eq!(posts.len(), 2);
    assert!(posts
        .iter()
        .all(|p| p.header("idempotency-key") == Some("hearth-task-12")));

    // The task changed meanwhile: same key, other payload. Zendesk refuses
    // it; the connector recognises that the ticket exists.
    let mut changed = task(12);
    changed.status = TaskStatus::Open;
    env.fault(
        "GET",
        "/api/v2/tickets.json",
        false,
        Some(Reply::json(
            200,
            json!({"tickets": [], "next_page": null, "count": 0}),
        )),
    );
    let id = zd.push_task(&changed, None).expect("recognised");
    assert_eq!(id, first_id.to_string());
    assert_eq!(env.desk().tickets.len(), 1);
}
