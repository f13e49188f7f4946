//! Contract tests for the Salesforce connector against a local fake of the
//! REST API: the OAuth 2.0 refresh-token endpoint, SOQL `query` (with
//! `nextRecordsUrl` paging), Case upsert by External ID, Case update and
//! CaseComment create, with the documented request and response shapes and
//! error bodies. The fake keeps records the way the org does (Cases keyed by
//! the External ID field), so retries are checked against real state.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::{comment, task, FakeServer, Recorded, Reply};
use crm_bridge::connector::salesforce::SalesforceConnector;
use crm_bridge::connector::{Connector, ConnectorError, InboundChange};
use crm_bridge::rules::{Priority, TaskStatus};
use crm_bridge::Secret;
use serde_json::{json, Map, Value};

const V: &str = "v60.0";
const FIELD: &str = "Hearth_Task_Key__c";
const CLIENT_ID: &str = "3MVG9-hearth-client";
const CLIENT_SECRET: &str = "sf-client-secret-XYZ";
const REFRESH_TOKEN: &str = "5Aep861-refresh-token-ABC";
const TOKEN_PATH: &str = "/services/oauth2/token";

#[derive(Debug, Clone)]
struct Case {
    id: String,
    key: Option<String>,
    fields: Map<String, Value>,
    last_modified: String,
}

#[derive(Debug, Clone)]
struct CaseComment {
    id: String,
    parent: String,
    body: String,
    published: bool,
    created_by: String,
    created: String,
}

/// Something the fake does instead of (or on top of) its normal answer.
#[derive(Debug, Clone)]
struct Fault {
    method: &'static str,
    path_contains: String,
    /// Apply the request to the org's state before answering.
    apply: bool,
    /// Answer with this instead of the normal answer.
    reply: Option<Reply>,
    delay: Option<Duration>,
    remaining: usize,
}

#[derive(Default)]
struct Org {
    base: String,
    valid_tokens: Vec<String>,
    issued: usize,
    send_instance_url: bool,
    contacts: Vec<(String, String)>,
    cases: Vec<Case>,
    comments: Vec<CaseComment>,
    faults: Vec<Fault>,
    page_size: usize,
    cursors: HashMap<String, Vec<Value>>,
    next_id: usize,
    clock: usize,
}

fn err(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(status, json!([{ "message": message, "errorCode": code }]))
}

/// An 18-character record id the way Salesforce makes them: a unique
/// 15-character, case-sensitive id and a 3-character case checksum.
fn sf_id(prefix: &str, n: usize) -> String {
    let short = format!("{prefix}HRT{n:09}");
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let mut id = short.clone();
    for chunk in short.as_bytes().chunks(5) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        id.push(alphabet[bits] as char);
    }
    id
}

fn same_id(a: &str, b: &str) -> bool {
    a.get(..15) == b.get(..15)
}

impl Org {
    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        sf_id(prefix, self.next_id)
    }

    fn tick(&mut self) -> String {
        self.clock += 1;
        format!("2024-05-01T10:{:02}:00.000+0000", self.clock % 60)
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
        if r.method == "POST" && r.path == TOKEN_PATH {
            return self.token(r);
        }
        let authorised = r
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|t| self.valid_tokens.iter().any(|v| v == t));
        if !authorised {
            return err(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        let prefix = format!("/services/data/{V}");
        let Some(rest) = r.path.strip_prefix(&prefix) else {
            return err(404, "NOT_FOUND", "The requested resource does not exist");
        };
        let segs: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        match (r.method.as_str(), segs.as_slice()) {
            ("GET", ["query"]) => self.query(r.query("q").unwrap_or("")),
            ("GET", ["query", cursor]) => self.next_page(cursor),
            ("PATCH", ["sobjects", "Case", field, key]) if *field == FIELD => {
                self.upsert(key, &r.json())
            }
            ("PATCH", ["sobjects", "Case", id]) => self.update(id, &r.json()),
            ("POST", ["sobjects", "CaseComment"]) => self.add_comment(&r.json()),
            _ => err(404, "NOT_FOUND", "The requested resource does not exist"),
        }
    }

    fn token(&mut self, r: &Recorded) -> Reply {
        let ok = r.form_field("grant_type").as_deref() == Some("refresh_token")
            && r.form_field("refresh_token").as_deref() == Some(REFRESH_TOKEN)
            && r.form_field("client_id").as_deref() == Some(CLIENT_ID)
            && r.form_field("client_secret").as_deref() == Some(CLIENT_SECRET);
        if !ok {
            return Reply::json(
                400,
                json!({"error": "invalid_grant", "error_description": "expired access/refresh token"}),
            );
        }
        self.issued += 1;
        let token = format!("00Dxx0000001gPL!tok-{}", self.issued);
        self.valid_tokens.push(token.clone());
        let mut body = json!({
            "access_token": token,
            "signature": "SSSbLO/gBhmmyNUvN18ODBDFYHzakxOMgqYtu+hDPsc=",
            "scope": "refresh_token api",
            "id": "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS",
            "token_type": "Bearer",
            "issued_at": "1714557600000",
        });
        if self.send_instance_url {
            body["instance_url"] = json!(self.base);
        }
        Reply::json(200, body)
    }

    fn records_reply(&mut self, records: Vec<Value>) -> Reply {
        let total = records.len();
        let size = if self.page_size == 0 {
            2000
        } else {
            self.page_size
        };
        if total <= size {
            return Reply::json(
                200,
                json!({"totalSize": total, "done": true, "records": records}),
            );
        }
        let (first, rest) = records.split_at(size);
        let cursor = format!("01gHRT{:09}-{size}", self.cursors.len() + 1);
        self.cursors.insert(cursor.clone(), rest.to_vec());
        Reply::json(
            200,
            json!({
                "totalSize": total, "done": false, "records": first,
                "nextRecordsUrl": format!("/services/data/{V}/query/{cursor}"),
            }),
        )
    }

    fn next_page(&mut self, cursor: &str) -> Reply {
        match self.cursors.remove(cursor) {
            Some(rest) => self.records_reply(rest),
            None => err(400, "INVALID_QUERY_LOCATOR", "invalid query locator"),
        }
    }

    fn query(&mut self, soql: &str) -> Reply {
        let lits = literals(soql);
        let attrs = |ty: &str, id: &str| json!({"type": ty, "url": format!("/services/data/{V}/sobjects/{ty}/{id}")});
        let records: Vec<Value> = if soql.starts_with("SELECT Id FROM Contact WHERE Email = ") {
            let Some((email, _)) = lits.first() else {
                return err(400, "MALFORMED_QUERY", "expected a literal");
            };
            self.contacts
                .iter()
                .filter(|(_, e)| e.eq_ignore_ascii_case(email))
                .take(1)
                .map(|(id, _)| json!({"attributes": attrs("Contact", id), "Id": id}))
                .collect()
        } else if soql.starts_with(&format!("SELECT Id FROM Case WHERE {FIELD} = ")) {
            let Some((key, _)) = lits.first() else {
                return err(400, "MALFORMED_QUERY", "expected a literal");
            };
            self.cases
                .iter()
                .filter(|c| c.key.as_deref() == Some(key))
                .map(|c| json!({"attributes": attrs("Case", &c.id), "Id": c.id}))
                .collect()
        } else if soql.starts_with("SELECT Id FROM CaseComment WHERE ParentId = ") {
            let (Some((parent, _)), Some((prefix, true))) = (lits.first(), lits.get(1)) else {
                return err(400, "MALFORMED_QUERY", "expected ParentId and a LIKE prefix");
            };
            self.comments
                .iter()
                .filter(|c| same_id(&c.parent, parent) && c.body.starts_with(prefix.as_str()))
                .take(1)
                .map(|c| json!({"attributes": attrs("CaseComment", &c.id), "Id": c.id}))
                .collect()
        } else if soql.starts_with("SELECT Id, Status, LastModifiedDate FROM Case WHERE Id IN (") {
            self.cases
                .iter()
                .filter(|c| lits.iter().any(|(id, _)| same_id(&c.id, id)))
                .map(|c| {
                    json!({
                        "attributes": attrs("Case", &c.id), "Id": c.id,
                        "Status": c.fields.get("Status").cloned().unwrap_or(Value::Null),
                        "LastModifiedDate": c.last_modified,
                    })
                })
                .collect()
        } else if soql.starts_with(
            "SELECT Id, ParentId, CommentBody, CreatedBy.Name, CreatedDate FROM CaseComment WHERE ParentId IN (",
        ) {
            let only_published = soql.contains("IsPublished = true");
            self.comments
                .iter()
                .filter(|c| lits.iter().any(|(id, _)| same_id(&c.parent, id)))
                .filter(|c| c.published || !only_published)
                .map(|c| {
                    json!({
                        "attributes": attrs("CaseComment", &c.id), "Id": c.id,
                        "ParentId": c.parent, "CommentBody": c.body,
                        "CreatedBy": {"attributes": attrs("User", "005HRT000000000001"), "Name": c.created_by},
                        "CreatedDate": c.created,
                    })
                })
                .collect()
        } else {
            return err(400, "MALFORMED_QUERY", "unexpected query");
        };
        self.records_reply(records)
    }

    /// The picklist and field checks a default org applies.
    fn check_case_fields(body: &Value) -> Result<(), Reply> {
        let Some(obj) = body.as_object() else {
            return Err(err(400, "JSON_PARSER_ERROR", "expected an object"));
        };
        if obj.contains_key(FIELD) {
            return Err(err(
                400,
                "INVALID_FIELD",
                "The External ID field is in the URL and cannot be in the body",
            ));
        }
        let pick = |name: &str, allowed: &[&str]| match obj.get(name) {
            None => Ok(()),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(()),
            Some(_) => Err(err(
                400,
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                &format!("{name}: bad value for restricted picklist field"),
            )),
        };
        pick("Priority", &["Low", "Medium", "High"])?;
        pick("Status", &["New", "Working", "Escalated", "Closed"])?;
        pick("Origin", &["Phone", "Email", "Web", "Community"])?;
        Ok(())
    }

    fn upsert(&mut self, key: &str, body: &Value) -> Reply {
        if let Err(e) = Self::check_case_fields(body) {
            return e;
        }
        let fields = body.as_object().cloned().unwrap_or_default();
        let now = self.tick();
        if let Some(c) = self
            .cases
            .iter_mut()
            .find(|c| c.key.as_deref() == Some(key))
        {
            c.fields.extend(fields);
            c.last_modified = now;
            return Reply::json(
                200,
                json!({"id": c.id, "success": true, "errors": [], "created": false}),
            );
        }
        let id = self.new_id("500");
        self.cases.push(Case {
            id: id.clone(),
            key: Some(key.to_string()),
            fields,
            last_modified: now,
        });
        Reply::json(
            201,
            json!({"id": id, "success": true, "errors": [], "created": true}),
        )
    }

    fn update(&mut self, id: &str, body: &Value) -> Reply {
        if let Err(e) = Self::check_case_fields(body) {
            return e;
        }
        let now = self.tick();
        match self.cases.iter_mut().find(|c| same_id(&c.id, id)) {
            Some(c) => {
                c.fields
                    .extend(body.as_object().cloned().unwrap_or_default());
                c.last_modified = now;
                Reply::empty(204)
            }
            None => err(404, "NOT_FOUND", "The requested resource does not exist"),
        }
    }

    fn add_comment(&mut self, body: &Value) -> Reply {
        let parent = body["ParentId"].as_str().unwrap_or("").to_string();
        if !self.cases.iter().any(|c| same_id(&c.id, &parent)) {
            return err(
                400,
                "FIELD_INTEGRITY_EXCEPTION",
                "Parent ID: id value of incorrect type",
            );
        }
        let id = self.new_id("00a");
        let created = self.tick();
        self.comments.push(CaseComment {
            id: id.clone(),
            parent,
            body: body["CommentBody"].as_str().unwrap_or("").to_string(),
            published: body["IsPublished"].as_bool().unwrap_or(false),
            created_by: "Hearth Integration".into(),
            created,
        });
        Reply::json(201, json!({"id": id, "success": true, "errors": []}))
    }
}

/// The string literals of a SOQL statement, unescaped, each with whether it
/// ends in an unescaped `%` (which is dropped).
fn literals(soql: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut chars = soql.chars();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lit = String::new();
        let mut wildcard_at_end = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    wildcard_at_end = false;
                    match chars.next() {
                        Some('n') => lit.push('\n'),
                        Some('r') => lit.push('\r'),
                        Some('t') => lit.push('\t'),
                        Some('b') => lit.push('\u{8}'),
                        Some('f') => lit.push('\u{c}'),
                        Some(other) => lit.push(other),
                        None => break,
                    }
                }
                '\'' => break,
                '%' => {
                    wildcard_at_end = true;
                    lit.push('%');
                }
                c => {
                    wildcard_at_end = false;
                    lit.push(c);
                }
            }
        }
        if wildcard_at_end {
            lit.pop();
        }
        out.push((lit, wildcard_at_end));
    }
    out
}

struct Env {
    server: FakeServer,
    org: Arc<Mutex<Org>>,
}

impl Env {
    fn start() -> Env {
        let org = Arc::new(Mutex::new(Org {
            send_instance_url: true,
            ..Org::default()
        }));
        let handler_org = org.clone();
        let server = FakeServer::start(move |r| handler_org.lock().expect("org").handle(r));
        org.lock().expect("org").base = server.base.clone();
        Env { server, org }
    }

    fn org(&self) -> MutexGuard<'_, Org> {
        self.org.lock().expect("org")
    }

    fn connector_at(&self, instance_url: &str, timeout: Duration) -> SalesforceConnector {
        SalesforceConnector::new(
            instance_url.into(),
            format!("{}{TOKEN_PATH}", self.server.base),
            CLIENT_ID.into(),
            Secret::new(CLIENT_SECRET),
            Secret::new(REFRESH_TOKEN),
            V.into(),
            FIELD.into(),
            timeout,
        )
        .expect("valid settings")
    }

    fn connector(&self) -> SalesforceConnector {
        self.connector_at(&self.server.base, Duration::from_secs(5))
    }

    fn fault(&self, method: &'static str, path_contains: &str, apply: bool, reply: Option<Reply>) {
        self.org().faults.push(Fault {
            method,
            path_contains: path_contains.into(),
            apply,
            reply,
            delay: None,
            remaining: 1,
        });
    }

    fn seed_case(&self, key: Option<&str>, status: &str) -> String {
        let mut org = self.org();
        let id = org.new_id("500");
        let now = org.tick();
        let mut fields = Map::new();
        fields.insert("Status".into(), json!(status));
        fields.insert("Subject".into(), json!("seeded"));
        org.cases.push(Case {
            id: id.clone(),
            key: key.map(str::to_string),
            fields,
            last_modified: now,
        });
        id
    }

    fn seed_comment(&self, parent: &str, body: &str, published: bool, by: &str) -> String {
        let mut org = self.org();
        let id = org.new_id("00a");
        let created = org.tick();
        org.comments.push(CaseComment {
            id: id.clone(),
            parent: parent.into(),
            body: body.into(),
            published,
            created_by: by.into(),
            created,
        });
        id
    }
}

fn retry_after(e: &ConnectorError) -> Option<Duration> {
    match e {
        ConnectorError::Retryable { retry_after, .. } => *retry_after,
        ConnectorError::Permanent(_) => None,
    }
}

#[test]
fn create_fetches_a_token_finds_the_contact_and_upserts_by_external_id() {
    let env = Env::start();
    env.org().contacts.push((
        "003HRT000000000777".into(),
        "Dana.O'Neil@example.com".into(),
    ));
    let sf = env.connector();
    let mut t = task(7);
    t.priority = Priority::Normal;

    let id = sf.push_task(&t, None).expect("created");

    assert_eq!(
        env.server.lines(),
        vec![
            format!("POST {TOKEN_PATH}"),
            format!("GET /services/data/{V}/query"),
            format!("PATCH /services/data/{V}/sobjects/Case/{FIELD}/hearth-task-7"),
        ]
    );
    let reqs = env.server.requests();
    // The refresh-token grant, client credentials in the form body.
    let token = &reqs[0];
    assert_eq!(
        token.form_field("grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        token.form_field("refresh_token").as_deref(),
        Some(REFRESH_TOKEN)
    );
    assert_eq!(token.form_field("client_id").as_deref(), Some(CLIENT_ID));
    // The contact lookup, with the quote in the address escaped.
    assert_eq!(
        reqs[1].query("q"),
        Some(r"SELECT Id FROM Contact WHERE Email = 'dana.o\'neil@example.com' LIMIT 1")
    );
    assert_eq!(
        reqs[1].header("authorization"),
        Some("Bearer 00Dxx0000001gPL!tok-1")
    );
    // The upsert.
    let up = &reqs[2];
    assert_eq!(
        up.header("authorization"),
        Some("Bearer 00Dxx0000001gPL!tok-1")
    );
    assert!(up
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    let body = up.json();
    assert_eq!(body["Subject"], "Export to CSV drops accents");
    assert_eq!(body["Origin"], "Community");
    assert_eq!(body["Priority"], "Medium");
    assert_eq!(body["Status"], "New");
    assert_eq!(body["SuppliedEmail"], "dana.o'neil@example.com");
    assert_eq!(body["SuppliedName"], "Dana O'Neil");
    assert_eq!(body["ContactId"], "003HRT000000000777");
    let description = body["Description"].as_str().unwrap_or_default();
    assert!(description.contains("Every é becomes ?"));
    assert!(description.contains("https://community.example/t/107"));

    let org = env.org();
    assert_eq!(org.cases.len(), 1);
    assert_eq!(org.cases[0].id, id);
    assert_eq!(org.cases[0].key.as_deref(), Some("hearth-task-7"));
}

#[test]
fn the_token_is_cached_and_the_token_responses_instance_url_is_used() {
    let env = Env::start();
    // Nothing listens on the configured address: only the instance_url of
    // the token response leads to the org.
    let sf = env.connector_at("http://127.0.0.1:9", Duration::from_secs(5));
    let mut t = task(1);
    t.contact_email = String::new();
    let id = sf.push_task(&t, None).expect("created");
    t.status = TaskStatus::Open;
    sf.push_task(&t, Some(&id)).expect("updated");
    sf.push_comment(&t, &id, &comment(5, false))
        .expect("commented");

    let tokens = env
        .server
        .lines()
        .iter()
        .filter(|l| l.ends_with(TOKEN_PATH))
        .count();
    assert_eq!(tokens, 1, "one token serves every call");
    assert_eq!(env.org().issued, 1);
    // Without an e-mail there is no contact lookup.
    assert!(!env
        .server
        .requests()
        .iter()
        .any(|r| r.query("q").is_some_and(|q| q.contains("FROM Contact"))));
}

#[test]
fn a_contact_that_does_not_exist_is_left_out() {
    let env = Env::start();
    let sf = env.connector();
    sf.push_task(&task(2), None).expect("created");
    let up = env
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("an upsert");
    assert!(up.json().get("ContactId").is_none());
}

#[test]
fn update_patches_the_case_by_id() {
    let env = Env::start();
    let id = env.seed_case(Some("hearth-task-3"), "New");
    let sf = env.connector();
    let mut t = task(3);
    t.status = TaskStatus::Escalated;
    t.priority = Priority::Urgent;

    assert_eq!(sf.push_task(&t, Some(&id)).expect("updated"), id);

    let patch = env
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("a PATCH");
    assert_eq!(patch.path, format!("/services/data/{V}/sobjects/Case/{id}"));
    assert_eq!(
        patch.json(),
        json!({"Subject": "Export to CSV drops accents", "Priority": "High", "Status": "Escalated"})
    );
    let org = env.org();
    assert_eq!(org.cases[0].fields["Status"], "Escalated");

    // Pending has no standard Case status: it is Working; resolved closes.
    drop(org);
    t.status = TaskStatus::Pending;
    sf.push_task(&t, Some(&id)).expect("updated");
    assert_eq!(env.org().cases[0].fields["Status"], "Working");
    t.status = TaskStatus::Resolved;
    sf.push_task(&t, Some(&id)).expect("updated");
    assert_eq!(env.org().cases[0].fields["Status"], "Closed");
}

#[test]
fn update_of_a_deleted_case_is_permanent() {
    let env = Env::start();
    let sf = env.connector();
    let e = sf
        .push_task(&task(3), Some("500HRT000000009999"))
        .expect_err("404");
    assert!(matches!(e, ConnectorError::Permanent(ref m) if m.contains("404")));
    // An id that is not one never reaches the API.
    let e = sf
        .push_task(&task(3), Some("500' OR Id != '"))
        .expect_err("bad id");
    assert!(matches!(e, ConnectorError::Permanent(_)));
    assert!(!env.server.lines().iter().any(|l| l.contains("OR")));
}

#[test]
fn comments_are_marked_published_per_author_and_not_posted_twice() {
    let env = Env::start();
    let id = env.seed_case(Some("hearth-task-4"), "Working");
    let sf = env.connector();
    let t = task(4);

    sf.push_comment(&t, &id, &comment(41, false))
        .expect("commented");
    sf.push_comment(&t, &id, &comment(42, true))
        .expect("commented");
    // The same post again (a retry after a lost answer): nothing new.
    sf.push_comment(&t, &id, &comment(41, false))
        .expect("no-op");

    let posts: Vec<Recorded> = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/sobjects/CaseComment"))
        .collect();
    assert_eq!(posts.len(), 2);
    let first = posts[0].json();
    assert_eq!(first["ParentId"], json!(id));
    assert_eq!(first["IsPublished"], json!(true));
    let body = first["CommentBody"].as_str().unwrap_or_default();
    assert!(body.starts_with("[hearth-post-41] Dana O'Neil:"), "{body}");
    assert!(body.contains("It also happens with ü."));
    assert_eq!(posts[1].json()["IsPublished"], json!(false));

    // Each post was preceded by the duplicate check.
    let checks: Vec<String> = env
        .server
        .requests()
        .iter()
        .filter_map(|r| r.query("q").map(str::to_string))
        .filter(|q| q.contains("CommentBody LIKE"))
        .collect();
    assert_eq!(
        checks[0],
        format!(
            "SELECT Id FROM CaseComment WHERE ParentId = '{id}' AND CommentBody LIKE '[hearth-post-41]%' LIMIT 1"
        )
    );
    assert_eq!(checks.len(), 3);
    assert_eq!(env.org().comments.len(), 2);
}

#[test]
fn pull_changes_maps_statuses_and_agent_comments() {
    let env = Env::start();
    env.org().page_size = 2; // make the comment query page
    let a = env.seed_case(Some("hearth-task-10"), "Closed");
    let b = env.seed_case(Some("hearth-task-11"), "Working");
    let other = env.seed_case(None, "New");
    env.seed_comment(
        &a,
        "[hearth-post-9] Dana:\nfrom Hearth",
        true,
        "Hearth Integration",
    );
    let c1 = env.seed_comment(&a, "We shipped a fix.", true, "Agent Smith");
    env.seed_comment(&a, "internal: customer is VIP", false, "Agent Smith");
    let c2 = env.seed_comment(&b, "Can you send the file?", true, "Agent Jones");
    env.seed_comment(&other, "not linked", true, "Agent Smith");
    let (mod_a, mod_b) = {
        let org = env.org();
        (
            org.cases[0].last_modified.clone(),
            org.cases[1].last_modified.clone(),
        )
    };
    let sf = env.connector();
    // The link may hold the 15-character form of an id.
    let short_b = b[..15].to_string();
    let changes = sf
        .pull_changes(&[(10, a.clone()), (11, short_b.clone())])
        .expect("pulled");

    assert_eq!(
        changes,
        vec![
            InboundChange::Status {
                external_id: a.clone(),
                status: TaskStatus::Closed,
                key: format!("salesforce:status:{a}:Closed:{mod_a}"),
            },
            InboundChange::Status {
                external_id: short_b.clone(),
                status: TaskStatus::Open,
                key: format!("salesforce:status:{b}:Working:{mod_b}"),
            },
            InboundChange::Comment {
                external_id: a.clone(),
                author: "Agent Smith".into(),
                body: "We shipped a fix.".into(),
                key: format!("salesforce:comment:{c1}"),
            },
            InboundChange::Comment {
                external_id: short_b.clone(),
                author: "Agent Jones".into(),
                body: "Can you send the file?".into(),
                key: format!("salesforce:comment:{c2}"),
            },
        ]
    );
    let queries: Vec<String> = env
        .server
        .requests()
        .iter()
        .filter_map(|r| r.query("q").map(str::to_string))
        .collect();
    assert_eq!(
        queries[0],
        format!("SELECT Id, Status, LastModifiedDate FROM Case WHERE Id IN ('{a}', '{short_b}')")
    );
    assert!(queries[1].starts_with(
        "SELECT Id, ParentId, CommentBody, CreatedBy.Name, CreatedDate FROM CaseComment WHERE ParentId IN ("
    ));
    // The comment query came back in two pages.
    assert!(env
        .server
        .lines()
        .iter()
        .any(|l| l.starts_with(&format!("GET /services/data/{V}/query/01gHRT"))));
}

#[test]
fn pull_changes_batches_ids() {
    let env = Env::start();
    let linked: Vec<(i64, String)> = (0..250)
        .map(|i| (i, sf_id("500", 900_000 + i as usize)))
        .collect();
    let sf = env.connector();
    assert_eq!(sf.pull_changes(&linked).expect("pulled"), vec![]);
    let status_queries = env
        .server
        .requests()
        .iter()
        .filter_map(|r| r.query("q").map(str::to_string))
        .filter(|q| q.contains("FROM Case WHERE Id IN"))
        .map(|q| q.matches('\'').count() / 2)
        .collect::<Vec<_>>();
    assert_eq!(status_queries, vec![100, 100, 50]);
}

#[test]
fn an_expired_session_is_refreshed_once_and_the_call_retried() {
    let env = Env::start();
    let sf = env.connector();
    let id = sf.push_task(&task(5), None).expect("created");
    // The session expires (Salesforce revokes it server side).
    env.org().valid_tokens.clear();
    env.server.clear();

    let mut t = task(5);
    t.status = TaskStatus::Open;
    assert_eq!(sf.push_task(&t, Some(&id)).expect("updated"), id);

    assert_eq!(
        env.server.lines(),
        vec![
            format!("PATCH /services/data/{V}/sobjects/Case/{id}"),
            format!("POST {TOKEN_PATH}"),
            format!("PATCH /services/data/{V}/sobjects/Case/{id}"),
        ]
    );
    let reqs = env.server.requests();
    assert_eq!(
        reqs[0].header("authorization"),
        Some("Bearer 00Dxx0000001gPL!tok-1")
    );
    assert_eq!(
        reqs[2].header("authorization"),
        Some("Bearer 00Dxx0000001gPL!tok-2")
    );
    assert_eq!(env.org().cases[0].fields["Status"], "Working");

    // The new token is kept.
    env.server.clear();
    sf.push_comment(&t, &id, &comment(1, false))
        .expect("commented");
    assert!(!env.server.lines().iter().any(|l| l.ends_with(TOKEN_PATH)));
}

#[test]
fn a_401_after_a_refresh_is_not_retried_again() {
    let env = Env::start();
    let id = env.seed_case(Some("hearth-task-6"), "New");
    let sf = env.connector();
    let api = format!("/services/data/{V}/sobjects/Case/{id}");
    let expired = err(401, "INVALID_SESSION_ID", "Session expired or invalid");
    env.fault("PATCH", &api, false, Some(expired.clone()));
    env.fault("PATCH", &api, false, Some(expired));

    let e = sf.push_task(&task(6), Some(&id)).expect_err("still 401");
    assert!(matches!(e, ConnectorError::Permanent(ref m) if m.contains("401")));
    let lines = env.server.lines();
    assert_eq!(lines.iter().filter(|l| l.ends_with(TOKEN_PATH)).count(), 2);
    assert_eq!(lines.iter().filter(|l| l.starts_with("PATCH")).count(), 2);
}

#[test]
fn rate_limiting_is_retryable_after_the_servers_delay() {
    let env = Env::start();
    let sf = env.connector();
    env.fault(
        "PATCH",
        "/sobjects/Case/",
        false,
        Some(
            err(
                429,
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded.",
            )
            .with_header("Retry-After", "17"),
        ),
    );
    let e = sf.push_task(&task(8), None).expect_err("429");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    assert_eq!(retry_after(&e), Some(Duration::from_secs(17)));
    assert!(env.org().cases.is_empty());
}

#[test]
fn server_errors_are_retryable() {
    let env = Env::start();
    let sf = env.connector();
    env.fault(
        "GET",
        "/query",
        false,
        Some(err(
            500,
            "UNKNOWN_EXCEPTION",
            "An unexpected error occurred.",
        )),
    );
    let e = sf.push_task(&task(8), None).expect_err("500");
    assert!(
        matches!(
            e,
            ConnectorError::Retryable {
                retry_after: None,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_timeout_is_retryable() {
    let env = Env::start();
    let sf = env.connector_at(&env.server.base, Duration::from_millis(300));
    // Warm the token so only the API call is slow.
    sf.push_task(&task(20), None).expect("created");
    env.org().faults.push(Fault {
        method: "PATCH",
        path_contains: "/sobjects/Case/".into(),
        apply: false,
        reply: Some(Reply::empty(204)),
        delay: Some(Duration::from_millis(1_500)),
        remaining: 1,
    });
    let started = Instant::now();
    let e = sf
        .push_task(&task(20), Some("500HRT000000000001"))
        .expect_err("timed out");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(1_400));
}

#[test]
fn a_bad_request_is_permanent() {
    let env = Env::start();
    let sf = env.connector();
    env.fault(
        "PATCH",
        "/sobjects/Case/",
        false,
        Some(err(
            400,
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Status: bad value for restricted picklist field: Working",
        )),
    );
    let e = sf.push_task(&task(9), None).expect_err("400");
    assert!(
        matches!(e, ConnectorError::Permanent(ref m) if m.contains("400") && m.contains("RESTRICTED_PICKLIST")),
        "{e:?}"
    );
}

#[test]
fn a_retried_create_whose_answer_was_lost_keeps_one_case() {
    let env = Env::start();
    let sf = env.connector();
    // The first upsert lands, but its answer is a 500.
    env.fault(
        "PATCH",
        &format!("/sobjects/Case/{FIELD}/hearth-task-12"),
        true,
        Some(err(
            500,
            "UNKNOWN_EXCEPTION",
            "An unexpected error occurred.",
        )),
    );
    let e = sf.push_task(&task(12), None).expect_err("500");
    assert!(matches!(e, ConnectorError::Retryable { .. }));
    assert_eq!(env.org().cases.len(), 1, "the first attempt did land");

    let id = sf.push_task(&task(12), None).expect("retried");
    let org = env.org();
    assert_eq!(org.cases.len(), 1, "the retry updated the same case");
    assert_eq!(org.cases[0].id, id);
}

#[test]
fn a_retried_create_after_a_timeout_keeps_one_case() {
    let env = Env::start();
    let sf = env.connector_at(&env.server.base, Duration::from_millis(300));
    let mut first = task(13);
    first.contact_email = String::new();
    sf.push_task(&task(99), None).expect("token warmed");
    env.org().faults.push(Fault {
        method: "PATCH",
        path_contains: "hearth-task-13".into(),
        apply: true,
        reply: None,
        delay: Some(Duration::from_millis(1_000)),
        remaining: 1,
    });
    let e = sf.push_task(&first, None).expect_err("timed out");
    assert!(matches!(e, ConnectorError::Retryable { .. }), "{e:?}");

    // The task changed before the retry; the same Case is updated.
    first.status = TaskStatus::Open;
    let id = sf.push_task(&first, None).expect("retried");
    let org = env.org();
    let cases: Vec<&Case> = org
        .cases
        .iter()
        .filter(|c| c.key.as_deref() == Some("hearth-task-13"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].id, id);
    assert_eq!(cases[0].fields["Status"], "Working");
}

#[test]
fn an_upsert_answered_without_a_body_is_resolved_by_query() {
    let env = Env::start();
    let existing = env.seed_case(Some("hearth-task-14"), "New");
    let sf = env.connector();
    env.fault("PATCH", "hearth-task-14", true, Some(Reply::empty(204)));
    assert_eq!(sf.push_task(&task(14), None).expect("upserted"), existing);
    let q = env
        .server
        .requests()
        .iter()
        .filter_map(|r| r.query("q").map(str::to_string))
        .next_back()
        .unwrap_or_default();
    assert_eq!(
        q,
        format!("SELECT Id FROM Case WHERE {FIELD} = 'hearth-task-14' LIMIT 1")
    );
}

#[test]
fn token_endpoint_failures_are_classified_without_leaking_secrets() {
    let env = Env::start();
    let sf = env.connector();
    env.fault(
        "POST",
        TOKEN_PATH,
        false,
        Some(
            Reply::json(503, json!({"error": "temporarily_unavailable"}))
                .with_header("Retry-After", "4"),
        ),
    );
    let e = sf.push_task(&task(15), None).expect_err("503");
    assert_eq!(retry_after(&e), Some(Duration::from_secs(4)));

    // A revoked refresh token needs an operator: permanent.
    let revoked = SalesforceConnector::new(
        env.server.base.clone(),
        format!("{}{TOKEN_PATH}", env.server.base),
        CLIENT_ID.into(),
        Secret::new(CLIENT_SECRET),
        Secret::new("revoked-refresh-token"),
        V.into(),
        FIELD.into(),
        Duration::from_secs(5),
    )
    .expect("valid settings");
    let e = revoked
        .push_task(&task(15), None)
        .expect_err("invalid_grant");
    let ConnectorError::Permanent(message) = &e else {
        panic!("expected a permanent error, got {e:?}");
    };
    assert!(message.contains("invalid_grant"), "{message}");
    for secret in [CLIENT_SECRET, "revoked-refresh-token", REFRESH_TOKEN] {
        assert!(!message.contains(secret));
    }
}
