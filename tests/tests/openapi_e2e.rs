//! The OpenAPI document against the server that serves it, over HTTP:
//!
//! 1. every documented operation is routed, and nothing else is routed on
//!    a documented path (web registers each route from its documentation,
//!    `web::openapi::ApiRoutes`, so a route outside the document would have
//!    to bypass that);
//! 2. a seeded server is driven through every operation (every one at
//!    least once with a success, plus the common errors), and each answer
//!    is checked against the document: its status must be documented for
//!    the operation, and its body must validate against the schema
//!    documented for that status (JSON Schema 2020-12, `$ref`s resolved in
//!    `components/schemas`). Objects are checked closed: a field the
//!    handler sends that the schema does not name is a failure too, so a
//!    renamed, added, removed or retyped field fails the test.
//!
//! Runs on both backends.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crm_bridge::connector::webhook::{sign, SIGNATURE_HEADER};
use crm_bridge::{ConnectorConfig, CrmConfig, Secret};
use hearth_e2e::*;
use serde_json::{json, Value};

const BODY_LIMIT: usize = 64 * 1024;
const PREFIX: &str = "/api/v1";
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
const INBOUND_SECRET: &[u8] = b"openapi-inbound";

/// The served document, with response validators built from it, and what
/// the run saw.
struct Spec {
    doc: Value,
    /// `components`, with every object schema closed (see the module doc).
    components: Value,
    validators: RefCell<HashMap<(String, String, String), jsonschema::Validator>>,
    /// (method, path template) → statuses answered.
    seen: RefCell<BTreeMap<(String, String), BTreeSet<u16>>>,
    failures: RefCell<Vec<String>>,
}

impl Spec {
    async fn fetch(base: &str) -> Spec {
        let r = Browser::new(base).get("/api/v1/openapi.json").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.headers["content-type"].starts_with("application/json"));
        let doc = r.json();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"], json!([{ "url": PREFIX }]));
        let mut components = doc["components"].clone();
        close_objects(&mut components, false);
        Spec {
            doc,
            components,
            validators: RefCell::default(),
            seen: RefCell::default(),
            failures: RefCell::default(),
        }
    }

    fn paths(&self) -> &serde_json::Map<String, Value> {
        self.doc["paths"].as_object().expect("paths")
    }

    fn operations(&self) -> BTreeSet<(String, String)> {
        self.paths()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(m, _)| METHODS.contains(&m.as_str()))
                    .map(move |(m, _)| (m.clone(), path.clone()))
            })
            .collect()
    }

    /// The documented path a concrete one matches, literal segments
    /// winning over `{parameters}` (`/kb/review` over `/kb/{slug}`).
    fn template(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        self.paths()
            .keys()
            .filter_map(|t| {
                let parts: Vec<&str> = t.split('/').collect();
                if parts.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (p, s) in parts.iter().zip(&segments) {
                    if p.starts_with('{') {
                        if s.is_empty() {
                            return None;
                        }
                    } else if p == s {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, t.clone()))
            })
            .max()
            .map(|(_, t)| t)
    }

    fn fail(&self, what: String) {
        eprintln!("FAIL {what}");
        self.failures.borrow_mut().push(what);
    }

    /// Check one answer against the document.
    fn check(&self, method: &str, url: &str, r: &Response) {
        let path = url
            .strip_prefix(PREFIX)
            .unwrap_or(url)
            .split('?')
            .next()
            .unwrap_or("");
        let at = format!("{} {url} → {}", method.to_uppercase(), r.status);
        let Some(template) = self.template(path) else {
            self.fail(format!("{at}: no documented path"));
            return;
        };
        self.seen
            .borrow_mut()
            .entry((method.to_string(), template.clone()))
            .or_default()
            .insert(r.status);
        let op = &self.doc["paths"][&template][method];
        if !op.is_object() {
            self.fail(format!("{at}: {method} {template} is not documented"));
            return;
        }
        let status = r.status.to_string();
        let documented = &op["responses"][&status];
        if !documented.is_object() {
            self.fail(format!(
                "{at}: status not documented for {method} {template}: {}",
                r.body
            ));
            return;
        }
        let schema = &documented["content"]["application/json"]["schema"];
        if schema.is_null() {
            if !r.body.is_empty() {
                self.fail(format!("{at}: documented without a body, got {}", r.body));
            }
            return;
        }
        let content_type = r.headers.get("content-type").map_or("", String::as_str);
        if !content_type.starts_with("application/json") {
            self.fail(format!("{at}: Content-Type {content_type:?}"));
            return;
        }
        let Ok(body) = serde_json::from_str::<Value>(&r.body) else {
            self.fail(format!("{at}: not JSON: {}", r.body));
            return;
        };
        let key = (method.to_string(), template.clone(), status);
        let mut validators = self.validators.borrow_mut();
        let validator = validators.entry(key).or_insert_with(|| {
            let mut schema = schema.clone();
            close_objects(&mut schema, false);
            // The document's own `#/components/...` references resolve
            // within this root.
            schema["components"] = self.components.clone();
            jsonschema::draft202012::new(&schema)
                .unwrap_or_else(|e| panic!("{method} {template} {}: bad schema: {e}", r.status))
        });
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("at {:?}: {e}", e.instance_path().to_string()))
            .collect();
        if !errors.is_empty() {
            let mut shown = r.body.clone();
            shown.truncate(600);
            self.fail(format!("{at}: {}\n  body: {shown}", errors.join("\n  ")));
        }
    }

    async fn send(&self, b: &Browser, method: &str, url: &str, body: Option<Value>) -> Response {
        let body = body.unwrap_or_else(|| json!({}));
        let r = match method {
            "get" => b.get(url).await,
            "delete" => b.delete(url).await,
            "post" => b.post_json(url, &body).await,
            "put" => b.put_json(url, &body).await,
            "patch" => b.patch_json(url, &body).await,
            other => panic!("method {other}"),
        };
        self.check(method, url, &r);
        r
    }

    /// A request that must succeed with `status`; its JSON (or null).
    async fn ok(
        &self,
        b: &Browser,
        method: &str,
        url: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let r = self.send(b, method, url, body).await;
        assert_eq!(
            r.status,
            status,
            "{} {url}: {}",
            method.to_uppercase(),
            r.body
        );
        serde_json::from_str(&r.body).unwrap_or(Value::Null)
    }

    async fn get(&self, b: &Browser, url: &str) -> Value {
        self.ok(b, "get", url, None, 200).await
    }

    /// GET until `check` holds (the outbox consumers work in the background).
    async fn until(&self, b: &Browser, url: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let j = self.get(b, url).await;
            if check(&j) {
                return j;
            }
            assert!(Instant::now() < deadline, "timed out waiting on {url}: {j}");
            actix_rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A request that must fail with `status` and `code`.
    async fn refused(
        &self,
        b: &Browser,
        method: &str,
        url: &str,
        body: Option<Value>,
        status: u16,
        code: &str,
    ) {
        let r = self.send(b, method, url, body).await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (status, code),
            "{} {url}: {}",
            method.to_uppercase(),
            r.body
        );
    }

    /// A signed delivery to the CRM webhook.
    async fn webhook(&self, base: &str, body: &Value, secret: &[u8]) -> Response {
        let text = body.to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let mut resp = awc::Client::new()
            .post(format!("{base}{PREFIX}/crm/webhook"))
            .insert_header(("Content-Type", "application/json"))
            .insert_header((SIGNATURE_HEADER, sign(secret, now, text.as_bytes())))
            .send_body(text)
            .await
            .expect("webhook request");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let bytes = resp.body().await.expect("webhook answer");
        let r = Response {
            status: resp.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        };
        self.check("post", &format!("{PREFIX}/crm/webhook"), &r);
        r
    }

    /// No answer differed from the document.
    fn assert_clean(&self, name: &str) {
        let failures = self.failures.borrow();
        assert!(
            failures.is_empty(),
            "{name}: {} answers differ from the OpenAPI document:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Every operation answered with a success at least once, and no
    /// answer differed from the document.
    fn finish(&self, name: &str) {
        let seen = self.seen.borrow();
        let missed: Vec<String> = self
            .operations()
            .into_iter()
            .filter(|op| {
                !seen
                    .get(op)
                    .is_some_and(|s| s.iter().any(|st| (200..300).contains(st)))
            })
            .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
            .collect();
        let checked: usize = seen.values().map(BTreeSet::len).sum();
        println!(
            "openapi {name}: {} operations, {checked} (operation, status) pairs checked",
            self.operations().len()
        );
        self.assert_clean(name);
        assert!(
            missed.is_empty(),
            "{name}: never answered with a success, so unchecked: {missed:?}"
        );
    }
}

/// Close every object schema that lists its properties and says nothing
/// about others (`additionalProperties: false`), so the check also fails on
/// fields the document does not name. Not inside `allOf`, where each part
/// sees only its own properties.
fn close_objects(v: &mut Value, in_all_of: bool) {
    match v {
        Value::Object(map) => {
            if !in_all_of
                && map.contains_key("properties")
                && !map.contains_key("additionalProperties")
            {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (k, child) in map.iter_mut() {
                close_objects(child, k == "allOf");
            }
        }
        Value::Array(items) => {
            for item in items {
                close_objects(item, in_all_of);
            }
        }
        _ => {}
    }
}

/// Every documented operation is routed, and no undocumented method is
/// routed on a documented path: the API's fallback answers those.
async fn routes_match_the_document(s: &TestServer, spec: &Spec) {
    let b = Browser::new(&s.base);
    let unrouted = |r: &Response| r.status == 404 && r.body.contains("no such page");
    for path in spec.paths().keys() {
        let concrete = path
            .replace("{id}", "1")
            .replace("{slug}", "support")
            .replace("{key}", "first-post");
        let url = format!("{PREFIX}{concrete}");
        for method in METHODS {
            // Documented here, or on another path this one also matches
            // (`PATCH /kb/review` is `PATCH /kb/{slug}`).
            let documented = spec
                .paths()
                .iter()
                .any(|(t, item)| item.get(method).is_some() && matches(t, &concrete));
            let r = match method {
                "get" => b.get(&url).await,
                "post" => b.post_json(&url, &json!({})).await,
                "put" => b.put_json(&url, &json!({})).await,
                "patch" => b.patch_json(&url, &json!({})).await,
                _ => b.delete(&url).await,
            };
            if documented {
                assert!(r.status < 500, "{method} {url}: {} {}", r.status, r.body);
                assert!(
                    !unrouted(&r),
                    "{method} {path} is documented but not routed"
                );
            } else {
                assert!(
                    unrouted(&r),
                    "{method} {url} is routed but not documented: {} {}",
                    r.status,
                    r.body
                );
            }
        }
    }
    // The document is complete for what the old hand-written one had.
    for required in [
        "/auth/token",
        "/threads",
        "/threads/{id}",
        "/categories/{slug}/threads",
        "/threads/{id}/posts",
        "/posts/{id}/vote",
        "/posts/{id}/accept",
        "/users/{id}",
        "/crm/webhook",
        "/search",
    ] {
        assert!(
            spec.paths().contains_key(required),
            "{required} undocumented"
        );
    }
}

/// Whether a concrete path matches a documented one.
fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// A server with an inbound webhook secret and an outbound connector that
/// cannot be reached and gives up at once, so the CRM has dead letters.
async fn server(backend: Backend) -> Option<TestServer> {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut crm = CrmConfig::default();
    crm.inbound.secret = Secret::new(std::str::from_utf8(INBOUND_SECRET).unwrap());
    crm.connector = ConnectorConfig::Webhook {
        url: format!("http://127.0.0.1:{closed}/hook"),
        secret: Secret::new("outbound"),
    };
    crm.delivery.max_attempts = 1;
    crm.delivery.backoff_base_ms = 10;
    crm.delivery.timeout_ms = 2_000;
    start_with_crm(backend, BODY_LIMIT, crm).await
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn every_answer_matches_the_document(backend: Backend, name: &str) {
    let Some(s) = server(backend).await else {
        return;
    };
    let spec = Spec::fetch(&s.base).await;
    routes_match_the_document(&s, &spec).await;
    let c = &spec;
    let anon = Browser::new(&s.base);
    c.get(&anon, "/api/v1/openapi.json").await;

    // Accounts and tokens.
    let mut ann = Browser::new(&s.base);
    let mut bob = Browser::new(&s.base);
    let mut ids = BTreeMap::new();
    for (b, name) in [(&mut ann, "ann"), (&mut bob, "bob")] {
        let user = c
            .ok(
                &anon,
                "post",
                "/api/v1/users",
                Some(json!({ "username": name, "email": format!("{name}@example.com"), "password": "password123", "display_name": name.to_uppercase() })),
                201,
            )
            .await;
        ids.insert(name, user["id"].as_i64().unwrap());
        let token = c
            .ok(
                &anon,
                "post",
                "/api/v1/auth/token",
                Some(json!({ "login": name, "password": "password123" })),
                200,
            )
            .await;
        b.bearer = Some(token["token"].as_str().unwrap().to_string());
    }
    let (ann_id, bob_id) = (ids["ann"], ids["bob"]);
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let moderator = api_staff(&s, "mod1", forum::Role::Moderator).await;
    let admin = api_staff(&s, "admin1", forum::Role::Admin).await;
    let mut stranger = Browser::new(&s.base);
    stranger.bearer = Some("not-a-token".into());
    ideas_answers_match_the_document(c, &anon, &ann, &bob, &agent, &admin).await;

    // Errors, each against the `Error` schema and its operation's statuses.
    c.refused(
        &anon,
        "post",
        "/api/v1/auth/token",
        Some(json!({ "login": "ann", "password": "wrong-password" })),
        401,
        "bad_credentials",
    )
    .await;
    c.refused(
        &anon,
        "post",
        "/api/v1/users",
        Some(json!({ "username": "ann", "email": "ann2@example.com", "password": "password123" })),
        409,
        "conflict",
    )
    .await;
    c.refused(
        &anon,
        "post",
        "/api/v1/users",
        Some(json!({ "username": "x", "email": "x@example.com", "password": "password123" })),
        422,
        "validation_failed",
    )
    .await;
    c.refused(&anon, "get", "/api/v1/me", None, 401, "unauthenticated")
        .await;
    c.refused(
        &stranger,
        "get",
        "/api/v1/categories",
        None,
        401,
        "unauthenticated",
    )
    .await;
    c.refused(
        &anon,
        "get",
        "/api/v1/threads/999999",
        None,
        404,
        "not_found",
    )
    .await;
    c.refused(&anon, "get", "/api/v1/threads/abc", None, 404, "not_found")
        .await;
    c.refused(
        &anon,
        "get",
        "/api/v1/categories/support/threads?page=x",
        None,
        400,
        "bad_request",
    )
    .await;
    c.refused(
        &anon,
        "get",
        "/api/v1/categories/support/threads?per_page=201",
        None,
        422,
        "validation_failed",
    )
    .await;
    c.refused(&ann, "get", "/api/v1/crm/tasks", None, 403, "forbidden")
        .await;
    c.refused(
        &ann,
        "post",
        "/api/v1/threads",
        Some(json!({ "category": "support", "title": "Hi", "body": "b" })),
        422,
        "validation_failed",
    )
    .await;
    let r = ann
        .post_raw("/api/v1/threads", "text/plain", b"hello".to_vec())
        .await;
    c.check("post", "/api/v1/threads", &r);
    assert_eq!(r.status, 415, "{}", r.body);
    let big = json!({ "category": "support", "title": "Too large a question", "body": "x".repeat(BODY_LIMIT) });
    c.refused(
        &ann,
        "post",
        "/api/v1/threads",
        Some(big),
        413,
        "payload_too_large",
    )
    .await;

    // The forum.
    c.get(&anon, "/api/v1/categories").await;
    let board = c
        .ok(
            &admin,
            "post",
            "/api/v1/categories",
            Some(json!({ "slug": "howto", "name": "How-to", "description": "Guides" })),
            201,
        )
        .await;
    assert_eq!(board["slug"], "howto");
    c.get(&agent, "/api/v1/categories").await;
    let thread = c
        .ok(&ann, "post", "/api/v1/threads", Some(json!({ "category": "support", "title": "Headset will not pair", "body": "It never shows up in **Bluetooth** settings.", "tags": ["bluetooth", "headset"] })), 201)
        .await;
    let t = thread["thread"]["id"].as_i64().unwrap();
    let other = c
        .ok(&bob, "post", "/api/v1/threads", Some(json!({ "category": "general", "title": "Pairing a headset", "body": "Same here: the headset does not pair." })), 201)
        .await["thread"]["id"]
        .as_i64()
        .unwrap();
    let reply = c
        .ok(
            &bob,
            "post",
            &format!("/api/v1/threads/{t}/posts"),
            Some(json!({ "body": "Hold the button for 10 seconds, then pair again." })),
            201,
        )
        .await;
    let answer = reply["id"].as_i64().unwrap();
    let extra = c
        .ok(
            &bob,
            "post",
            &format!("/api/v1/threads/{t}/posts"),
            Some(json!({ "body": "Or try another phone." })),
            201,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    c.get(&anon, &format!("/api/v1/threads/{t}?page=1&per_page=10"))
        .await;
    c.get(
        &anon,
        "/api/v1/categories/support/threads?sort=top&per_page=5",
    )
    .await;
    c.get(&anon, &format!("/api/v1/users/{ann_id}")).await;
    c.get(&ann, "/api/v1/me").await;
    let zone = c
        .ok(
            &ann,
            "put",
            "/api/v1/me/time-zone",
            Some(json!({ "time_zone": "Europe/Kyiv" })),
            200,
        )
        .await;
    assert_eq!(zone["time_zone"], "Europe/Kyiv");
    c.refused(
        &ann,
        "put",
        "/api/v1/me/time-zone",
        Some(json!({ "time_zone": "Europe/Atlantis" })),
        422,
        "validation_failed",
    )
    .await;
    let zone = c
        .ok(
            &ann,
            "put",
            "/api/v1/me/time-zone",
            Some(json!({ "time_zone": null })),
            200,
        )
        .await;
    assert!(zone["time_zone"].is_null());
    // Nothing to confirm on this site (the harness turns it off), so
    // nothing is sent; mail_e2e covers the rest.
    let resent = c
        .ok(&ann, "post", "/api/v1/me/confirm-email/resend", None, 202)
        .await;
    assert_eq!(resent["sent"], false);
    c.ok(
        &bob,
        "patch",
        &format!("/api/v1/posts/{answer}"),
        Some(json!({ "body": "Hold the button for 10 seconds, then pair it again." })),
        200,
    )
    .await;
    c.get(&anon, &format!("/api/v1/posts/{answer}/revisions"))
        .await;
    c.refused(
        &bob,
        "post",
        &format!("/api/v1/posts/{answer}/vote"),
        None,
        403,
        "forbidden",
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/posts/{answer}/vote"),
        None,
        200,
    )
    .await;
    c.ok(
        &ann,
        "delete",
        &format!("/api/v1/posts/{answer}/vote"),
        None,
        200,
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/posts/{answer}/vote"),
        None,
        200,
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/posts/{answer}/accept"),
        None,
        200,
    )
    .await;
    c.ok(
        &ann,
        "delete",
        &format!("/api/v1/threads/{t}/accept"),
        None,
        204,
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/posts/{answer}/accept"),
        None,
        200,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{t}/lock"),
        Some(json!({ "locked": true })),
        204,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{t}/lock"),
        Some(json!({ "locked": false })),
        204,
    )
    .await;
    c.ok(
        &moderator,
        "delete",
        &format!("/api/v1/posts/{extra}"),
        None,
        204,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{other}/duplicate"),
        Some(json!({ "of": t })),
        204,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{other}/duplicate"),
        Some(json!({ "of": null })),
        204,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{other}/move"),
        Some(json!({ "category": "howto" })),
        204,
    )
    .await;
    c.get(&moderator, &format!("/api/v1/threads/{t}")).await;

    // Notifications and mail settings.
    c.until(&ann, "/api/v1/notifications", |j| {
        j["unread"].as_i64() > Some(0)
    })
    .await;
    c.ok(&ann, "post", "/api/v1/notifications/read", None, 200)
        .await;
    c.get(&ann, "/api/v1/me/notification-settings").await;
    c.ok(
        &ann,
        "put",
        "/api/v1/me/notification-settings",
        Some(json!({ "modes": { "reply": "digest", "badge": "off" } })),
        204,
    )
    .await;
    c.refused(
        &ann,
        "put",
        "/api/v1/me/notification-settings",
        Some(json!({ "modes": { "reply": "loud" } })),
        422,
        "validation_failed",
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/threads/{other}/watch"),
        Some(json!({ "watch": true })),
        204,
    )
    .await;
    c.ok(
        &ann,
        "post",
        "/api/v1/categories/support/watch",
        Some(json!({ "watch": true })),
        204,
    )
    .await;
    c.get(&ann, "/api/v1/me/subscriptions").await;
    c.ok(
        &anon,
        "post",
        "/api/v1/auth/password-reset",
        Some(json!({ "email": "ann@example.com" })),
        202,
    )
    .await;

    // Knowledge base.
    let draft = c
        .ok(
            &agent,
            "post",
            &format!("/api/v1/threads/{t}/promote"),
            None,
            201,
        )
        .await;
    let slug = draft["slug"].as_str().unwrap().to_string();
    c.ok(
        &agent,
        "post",
        &format!("/api/v1/threads/{t}/promote"),
        None,
        200,
    )
    .await;
    c.ok(&agent, "patch", &format!("/api/v1/kb/{slug}"), Some(json!({ "title": "Pairing a headset that does not show up", "tags": ["bluetooth"], "note": "Clearer title" })), 200).await;
    c.get(&agent, &format!("/api/v1/kb/{slug}/revisions")).await;
    c.ok(
        &agent,
        "post",
        &format!("/api/v1/kb/{slug}/status"),
        Some(json!({ "status": "review" })),
        200,
    )
    .await;
    c.refused(
        &agent,
        "post",
        &format!("/api/v1/kb/{slug}/status"),
        Some(json!({ "status": "gone" })),
        422,
        "validation_failed",
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/kb/{slug}/publish"),
        None,
        200,
    )
    .await;
    c.ok(
        &ann,
        "post",
        &format!("/api/v1/kb/{slug}/feedback"),
        Some(json!({ "helpful": true })),
        200,
    )
    .await;
    c.get(&anon, &format!("/api/v1/kb/{slug}")).await;
    c.get(&anon, "/api/v1/kb?category=support").await;
    // An edited source shows staff the diff.
    c.ok(
        &bob,
        "patch",
        &format!("/api/v1/posts/{answer}"),
        Some(json!({ "body": "Disable the hands-free profile, then re-pair the headset." })),
        200,
    )
    .await;
    let stale = c
        .until(&agent, &format!("/api/v1/kb/{slug}"), |j| {
            j["source_changed"] == true
        })
        .await;
    assert!(stale["source_change"]["answer"].is_array(), "{stale}");
    c.until(&agent, "/api/v1/kb/review", |j| {
        j["articles"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;

    // Reputation.
    c.until(&anon, &format!("/api/v1/users/{bob_id}/badges"), |j| {
        j["badges"].as_array().is_some_and(|b| !b.is_empty())
    })
    .await;
    c.get(&anon, &format!("/api/v1/users/{bob_id}/reputation"))
        .await;
    c.get(&anon, "/api/v1/leaderboard?period=week&limit=5")
        .await;
    c.get(&anon, "/api/v1/leaderboard?category=support").await;
    let badges = c.get(&anon, "/api/v1/badges").await;
    let key = badges["badges"][0]["badge"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    c.get(&anon, &format!("/api/v1/badges/{key}")).await;

    // Search.
    c.until(&anon, "/api/v1/search?q=headset", |j| {
        j["total"].as_u64() > Some(0)
    })
    .await;
    c.get(&anon, "/api/v1/search?q=headset&facets=false&per_page=1")
        .await;
    c.get(&agent, "/api/v1/search?q=pair&status=solved").await;
    c.get(
        &anon,
        "/api/v1/search/similar?title=headset+does+not+pair&limit=3",
    )
    .await;
    c.refused(
        &anon,
        "get",
        &format!("/api/v1/search?q={}", "a".repeat(501)),
        None,
        422,
        "validation_failed",
    )
    .await;

    // The CRM: the support thread became a task (resolved: it is solved).
    let all = "new,open,pending,escalated,resolved,closed";
    let queue = c
        .until(&agent, &format!("/api/v1/crm/tasks?status={all}"), |j| {
            j["tasks"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["thread_id"] == t))
        })
        .await;
    let task = queue["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["thread_id"] == t)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    c.get(
        &agent,
        "/api/v1/crm/tasks?status=new,open&priority=normal&owner=any&limit=10",
    )
    .await;
    c.ok(
        &agent,
        "post",
        &format!("/api/v1/crm/tasks/{task}/claim"),
        None,
        200,
    )
    .await;
    c.ok(
        &agent,
        "post",
        &format!("/api/v1/crm/tasks/{task}/replies"),
        Some(json!({ "body": "We are looking into it." })),
        201,
    )
    .await;
    // The CRM worker records that staff reply on the task; a PATCH racing
    // it gets 409 "changed meanwhile" (by design), so let it finish first.
    s.settle().await;
    c.ok(
        &agent,
        "patch",
        &format!("/api/v1/crm/tasks/{task}"),
        Some(json!({ "priority": "high", "owner_id": null })),
        200,
    )
    .await;
    let reminder = c
        .ok(
            &agent,
            "post",
            &format!("/api/v1/crm/tasks/{task}/reminders"),
            Some(json!({ "remind_at": now_ms() + 1_000, "note": "Call back" })),
            201,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    c.until(&agent, "/api/v1/crm/reminders", |j| {
        j["reminders"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    c.ok(
        &agent,
        "post",
        &format!("/api/v1/crm/reminders/{reminder}/dismiss"),
        None,
        204,
    )
    .await;
    c.get(&agent, &format!("/api/v1/crm/tasks/{task}")).await;
    c.ok(&agent, "patch", &format!("/api/v1/crm/contacts/{ann_id}"), Some(json!({ "company": "Acme", "segment": "vip", "tags": ["beta"], "notes": "Prefers mail" })), 200).await;
    c.get(&agent, &format!("/api/v1/crm/contacts/{ann_id}"))
        .await;
    let canned = c
        .ok(
            &agent,
            "post",
            "/api/v1/crm/canned",
            Some(json!({ "title": "Greeting", "body": "Hello {{customer_name}}" })),
            201,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    c.ok(
        &agent,
        "put",
        &format!("/api/v1/crm/canned/{canned}"),
        Some(
            json!({ "title": "Greeting", "body": "Hi {{customer_name}}, about {{thread_title}}" }),
        ),
        204,
    )
    .await;
    c.get(&agent, "/api/v1/crm/canned").await;
    c.get(
        &agent,
        &format!("/api/v1/crm/canned/{canned}/render?task={task}"),
    )
    .await;
    c.ok(
        &agent,
        "delete",
        &format!("/api/v1/crm/canned/{canned}"),
        None,
        204,
    )
    .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/threads/{other}/escalate"),
        None,
        200,
    )
    .await;
    c.get(&agent, "/api/v1/crm/stats").await;
    let rules = c.get(&admin, "/api/v1/crm/rules").await;
    c.ok(&admin, "put", "/api/v1/crm/rules", Some(rules), 204)
        .await;
    c.refused(&agent, "get", "/api/v1/crm/rules", None, 403, "forbidden")
        .await;
    let dead = c
        .until(&admin, "/api/v1/crm/dead-letters", |j| {
            j["dead_letters"].as_array().is_some_and(|a| !a.is_empty())
        })
        .await;
    let letter = dead["dead_letters"][0]["id"].as_i64().unwrap();
    c.ok(
        &admin,
        "post",
        "/api/v1/crm/dead-letters/replay",
        Some(json!({ "id": letter })),
        200,
    )
    .await;
    let comment = json!({ "id": "evt-1", "type": "task.comment", "task_id": task, "author": "Tier 2", "body": "Fixed in firmware 2.1." });
    let r = c.webhook(&s.base, &comment, INBOUND_SECRET).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let r = c.webhook(&s.base, &comment, INBOUND_SECRET).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c.webhook(&s.base, &comment, b"wrong").await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Moderation: reports, the review queue, claims, decisions, figures.
    let question = c.get(&ann, &format!("/api/v1/threads/{other}")).await["question"]["id"]
        .as_i64()
        .unwrap();
    let flagged = c
        .ok(
            &ann,
            "post",
            &format!("/api/v1/posts/{question}/flag"),
            Some(json!({ "reason": "off_topic", "note": "belongs in support" })),
            201,
        )
        .await;
    assert_eq!(flagged["hidden"], false, "{flagged}");
    c.refused(
        &ann,
        "post",
        &format!("/api/v1/posts/{question}/flag"),
        Some(json!({ "reason": "spam" })),
        409,
        "conflict",
    )
    .await;
    let pitch = c
        .ok(
            &bob,
            "post",
            &format!("/api/v1/threads/{t}/posts"),
            Some(json!({ "body": "Buy my pairing guide." })),
            201,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let hidden = c
        .ok(
            &moderator,
            "post",
            &format!("/api/v1/posts/{pitch}/flag"),
            Some(json!({ "reason": "spam" })),
            201,
        )
        .await;
    // Bob has earned trust (points): a staff report weighs 2 of 3.
    assert_eq!(hidden["hidden"], false, "{hidden}");
    c.refused(&ann, "get", "/api/v1/mod/review", None, 403, "forbidden")
        .await;
    let queue = c.get(&moderator, "/api/v1/mod/review?sort=priority").await;
    assert_eq!(queue["total"], 2, "{queue}");
    c.get(&moderator, "/api/v1/mod/review?state=decided").await;
    let first = flagged["review_id"].as_i64().unwrap();
    let second = hidden["review_id"].as_i64().unwrap();
    c.get(&moderator, &format!("/api/v1/mod/review/{first}"))
        .await;
    c.ok(
        &moderator,
        "post",
        &format!("/api/v1/mod/review/{first}/claim"),
        None,
        204,
    )
    .await;
    let decided = c
        .ok(
            &moderator,
            "post",
            &format!("/api/v1/mod/review/{first}/decide"),
            Some(json!({ "decision": "approve" })),
            200,
        )
        .await;
    assert_eq!(decided["state"], "approved", "{decided}");
    let bulk = c
        .ok(
            &admin,
            "post",
            "/api/v1/mod/review/bulk",
            Some(json!({ "ids": [first, second], "decision": "reject", "reason": "advertising" })),
            200,
        )
        .await;
    assert_eq!(bulk["decided"], json!([second]), "{bulk}");
    assert_eq!(bulk["failed"][0]["id"], first, "{bulk}");
    let stats = c.get(&moderator, "/api/v1/mod/review/stats?days=7").await;
    assert_eq!(stats["decided"], 2, "{stats}");

    // Administration: members, standing, roles, resets, the audit log.
    let list = c
        .get(
            &moderator,
            "/api/v1/admin/users?q=ann&sort=posts&per_page=5",
        )
        .await;
    assert_eq!(list["total"], 1, "{list}");
    c.refused(&agent, "get", "/api/v1/admin/users", None, 403, "forbidden")
        .await;
    c.refused(
        &moderator,
        "get",
        "/api/v1/admin/users?sort=shoe-size",
        None,
        422,
        "validation_failed",
    )
    .await;
    let silenced = c
        .ok(
            &moderator,
            "put",
            &format!("/api/v1/admin/users/{bob_id}/standing"),
            Some(json!({ "status": "silenced", "for_days": 1, "reason": "cool down" })),
            200,
        )
        .await;
    assert_eq!(silenced["status"], "silenced", "{silenced}");
    c.refused(
        &moderator,
        "put",
        &format!("/api/v1/admin/users/{bob_id}/standing"),
        Some(json!({ "status": "banned", "reason": "x" })),
        403,
        "forbidden",
    )
    .await;
    c.refused(
        &bob,
        "post",
        &format!("/api/v1/threads/{other}/posts"),
        Some(json!({ "body": "still here" })),
        403,
        "silenced",
    )
    .await;
    c.ok(
        &admin,
        "put",
        &format!("/api/v1/admin/users/{bob_id}/standing"),
        Some(json!({ "status": "active" })),
        200,
    )
    .await;
    let promoted = c
        .ok(
            &admin,
            "put",
            &format!("/api/v1/admin/users/{bob_id}/role"),
            Some(json!({ "role": "agent", "reason": "joined support" })),
            200,
        )
        .await;
    assert_eq!(promoted["role"], "agent");
    let reset = c
        .ok(
            &admin,
            "post",
            &format!("/api/v1/admin/users/{bob_id}/password-reset"),
            None,
            201,
        )
        .await;
    assert_eq!(reset["mailed"], false, "mail is off in tests: {reset}");
    let detail = c
        .get(&moderator, &format!("/api/v1/admin/users/{bob_id}"))
        .await;
    assert_eq!(
        detail["history"].as_array().map(Vec::len),
        Some(4),
        "{detail}"
    );
    let log = c
        .get(&admin, "/api/v1/admin/audit?action=member.role&limit=10")
        .await;
    assert_eq!(log["entries"][0]["reason"], "joined support", "{log}");
    c.refused(
        &admin,
        "post",
        &format!("/api/v1/admin/users/{bob_id}/erase"),
        Some(json!({ "confirm": "not-bob" })),
        422,
        "validation_failed",
    )
    .await;
    c.ok(
        &admin,
        "post",
        &format!("/api/v1/admin/users/{bob_id}/erase"),
        Some(json!({ "confirm": "bob" })),
        204,
    )
    .await;
    let erased = c
        .get(&admin, &format!("/api/v1/admin/users/{bob_id}"))
        .await;
    assert_eq!(
        erased["member"]["display_name"], "Deleted member",
        "{erased}"
    );

    // Boards: list, create, one, change, archive, unarchive, move.
    let boards = c.get(&moderator, "/api/v1/admin/boards").await;
    assert!(
        boards["boards"].as_array().is_some_and(|b| !b.is_empty()),
        "{boards}"
    );
    let board = c
        .ok(
            &admin,
            "post",
            "/api/v1/admin/boards",
            Some(json!({ "slug": "beta", "name": "Beta", "start_threads": "staff", "premoderation": "all" })),
            201,
        )
        .await;
    assert_eq!(board["start_threads"], "staff", "{board}");
    c.refused(
        &admin,
        "post",
        "/api/v1/admin/boards",
        Some(json!({ "slug": "beta", "name": "Again" })),
        422,
        "validation_failed",
    )
    .await;
    c.refused(
        &moderator,
        "post",
        "/api/v1/admin/boards",
        Some(json!({ "slug": "gamma", "name": "Gamma" })),
        403,
        "forbidden",
    )
    .await;
    let one = c.get(&moderator, "/api/v1/admin/boards/beta").await;
    assert_eq!(one["name"], "Beta", "{one}");
    let changed = c
        .ok(
            &admin,
            "patch",
            "/api/v1/admin/boards/beta",
            Some(json!({ "name": "Beta testers", "see_min_role": "agent", "crm_tasks": "off", "position": 3 })),
            200,
        )
        .await;
    assert_eq!(changed["is_private"], true, "{changed}");
    let archived = c
        .ok(
            &admin,
            "post",
            "/api/v1/admin/boards/beta/archive",
            None,
            200,
        )
        .await;
    assert!(archived["archived_at"].is_i64(), "{archived}");
    c.ok(
        &admin,
        "post",
        "/api/v1/admin/boards/beta/unarchive",
        None,
        200,
    )
    .await;
    c.ok(
        &admin,
        "post",
        "/api/v1/admin/boards/beta/move",
        Some(json!({ "direction": "up" })),
        200,
    )
    .await;

    // Site settings: moderators read, admins set and reset.
    let settings = c.get(&moderator, "/api/v1/admin/settings").await;
    assert!(
        settings["settings"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{settings}"
    );
    let set = c
        .ok(
            &admin,
            "put",
            "/api/v1/admin/settings",
            Some(json!({ "site_name": "Documented", "rate_limits.search_per_address": { "limit": 1000, "period_secs": 60 } })),
            200,
        )
        .await;
    assert!(set["version"].as_i64().is_some(), "{set}");
    c.ok(
        &admin,
        "delete",
        "/api/v1/admin/settings/site_name",
        None,
        200,
    )
    .await;

    // Analytics: every metric, a board and weekly buckets; agents see
    // support only; bad input refused.
    for metric in ["activity", "traffic", "answering", "support", "deflection"] {
        let figures = c
            .get(
                &moderator,
                &format!("/api/v1/analytics/{metric}?bucket=week"),
            )
            .await;
        assert_eq!(figures["metric"], metric, "{figures}");
        assert!(figures[metric].is_object(), "{figures}");
    }
    let activity = c
        .get(&admin, "/api/v1/analytics/activity?category=general")
        .await;
    assert!(
        activity["activity"]["threads"].as_i64().is_some(),
        "{activity}"
    );
    assert_eq!(
        activity["activity"]["buckets"].as_array().map(Vec::len),
        Some(30)
    );
    let support = c.get(&agent, "/api/v1/analytics/support").await;
    assert!(
        support["support"]["tasks_created"].as_i64().is_some(),
        "{support}"
    );
    c.refused(
        &agent,
        "get",
        "/api/v1/analytics/activity",
        None,
        403,
        "forbidden",
    )
    .await;
    c.refused(
        &admin,
        "get",
        "/api/v1/analytics/activity?from=yesterday",
        None,
        422,
        "validation_failed",
    )
    .await;
    c.refused(
        &admin,
        "get",
        "/api/v1/analytics/weather",
        None,
        404,
        "not_found",
    )
    .await;

    c.finish(name);
    s.stop().await;
}

/// A rate-limited answer (the suite's servers run without limits) is
/// documented too, with its Retry-After.
#[actix_rt::test]
async fn rate_limited_answers_match_the_document() {
    let one = forum::rate_limit::RateLimit {
        limit: 1,
        period_secs: 3600,
    };
    let s = start_with(
        Backend::Sqlite,
        BODY_LIMIT,
        CrmConfig::default(),
        std::sync::Arc::new(move |c: &mut web::Config| {
            c.rate_limits.suggest_per_address = one;
            c.rate_limits.register_per_address = one;
        }),
    )
    .await
    .expect("sqlite server");
    let spec = Spec::fetch(&s.base).await;
    let anon = Browser::new(&s.base);
    let similar = "/api/v1/search/similar?title=headset";
    spec.get(&anon, similar).await;
    spec.refused(&anon, "get", similar, None, 429, "rate_limited")
        .await;
    let user = |n: &str| json!({ "username": n, "email": format!("{n}@example.com"), "password": "password123" });
    spec.ok(&anon, "post", "/api/v1/users", Some(user("first")), 201)
        .await;
    let r = spec
        .send(&anon, "post", "/api/v1/users", Some(user("second")))
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.headers.contains_key("retry-after"), "{:?}", r.headers);
    spec.assert_clean("rate limits");
    s.stop().await;
}

#[actix_rt::test]
async fn every_answer_matches_the_document_sqlite() {
    every_answer_matches_the_document(Backend::Sqlite, "sqlite").await;
}

#[actix_rt::test]
async fn every_answer_matches_the_document_postgres() {
    every_answer_matches_the_document(Backend::Postgres, "postgres").await;
}

/// The idea exchange's operations (issue 17): an ideas board made over the
/// admin API, every ideas operation with a success, and their refusals.
async fn ideas_answers_match_the_document(
    c: &Spec,
    anon: &Browser,
    ann: &Browser,
    bob: &Browser,
    agent: &Browser,
    admin: &Browser,
) {
    let board = c
        .ok(
            admin,
            "post",
            "/api/v1/admin/boards",
            Some(json!({ "slug": "product-ideas", "name": "Product ideas", "kind": "ideas" })),
            201,
        )
        .await;
    assert_eq!(board["kind"], "ideas", "{board}");
    let boards = c.get(anon, "/api/v1/ideas/boards").await;
    assert_eq!(
        boards["boards"][0]["statuses"].as_array().map(Vec::len),
        Some(6)
    );
    let created = c
        .ok(
            ann,
            "post",
            "/api/v1/ideas",
            Some(
                json!({ "board": "product-ideas", "title": "Offline mode for the app",
                "description": "Let the app work **offline**.", "tags": ["mobile"],
                "product_area": "Mobile" }),
            ),
            201,
        )
        .await;
    let id = created["idea"]["id"].as_i64().unwrap();
    assert_eq!(created["idea"]["status"]["slug"], "new");
    assert!(created["description_html"]
        .as_str()
        .unwrap()
        .contains("<strong>"));
    c.refused(
        ann,
        "post",
        "/api/v1/ideas",
        Some(json!({ "board": "product-ideas", "title": "", "description": "x" })),
        422,
        "validation_failed",
    )
    .await;
    c.refused(
        ann,
        "post",
        &format!("/api/v1/ideas/{id}/vote"),
        None,
        403,
        "forbidden",
    )
    .await;
    let vote = c
        .ok(bob, "post", &format!("/api/v1/ideas/{id}/vote"), None, 200)
        .await;
    assert_eq!(
        (vote["votes"].as_i64(), vote["voted"].as_bool()),
        (Some(1), Some(true))
    );
    let list = c
        .get(
            bob,
            "/api/v1/ideas?board=product-ideas&sort=top&status_kind=open&tag=mobile&product_area=Mobile&mine=true&page=1&per_page=10",
        )
        .await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["ideas"][0]["voted"], true);
    c.get(anon, "/api/v1/ideas").await;
    c.refused(
        anon,
        "get",
        "/api/v1/ideas?sort=hot",
        None,
        422,
        "validation_failed",
    )
    .await;
    c.refused(
        anon,
        "get",
        "/api/v1/ideas?board=nope",
        None,
        404,
        "not_found",
    )
    .await;
    let detail = c.get(bob, &format!("/api/v1/ideas/{id}")).await;
    assert_eq!(detail["idea"]["votes"], 1);
    c.refused(anon, "get", "/api/v1/ideas/999999", None, 404, "not_found")
        .await;
    let breakdown = c.get(agent, &format!("/api/v1/ideas/{id}/breakdown")).await;
    assert_eq!(breakdown["score"], 1, "{breakdown}");
    c.refused(
        bob,
        "get",
        &format!("/api/v1/ideas/{id}/breakdown"),
        None,
        403,
        "forbidden",
    )
    .await;
    let by_score = c.get(agent, "/api/v1/ideas?sort=score").await;
    assert_eq!(by_score["ideas"][0]["id"], id, "{by_score}");
    c.refused(
        bob,
        "get",
        "/api/v1/ideas?sort=score",
        None,
        403,
        "forbidden",
    )
    .await;
    let voters = c.get(agent, &format!("/api/v1/ideas/{id}/voters")).await;
    assert_eq!(voters["voters"].as_array().map(Vec::len), Some(1));
    c.refused(
        bob,
        "get",
        &format!("/api/v1/ideas/{id}/voters"),
        None,
        403,
        "forbidden",
    )
    .await;
    c.refused(
        bob,
        "post",
        &format!("/api/v1/ideas/{id}/status"),
        Some(json!({ "status": "planned", "note": "please" })),
        403,
        "forbidden",
    )
    .await;
    let change = c
        .ok(
            agent,
            "post",
            &format!("/api/v1/ideas/{id}/status"),
            Some(json!({ "status": "planned", "note": "In the next release" })),
            200,
        )
        .await;
    assert_eq!(change["to_kind"], "active", "{change}");
    c.refused(
        agent,
        "post",
        &format!("/api/v1/ideas/{id}/status"),
        Some(json!({ "status": "planned" })),
        409,
        "conflict",
    )
    .await;
    let history = c.get(anon, &format!("/api/v1/ideas/{id}/history")).await;
    assert_eq!(history["changes"][0]["from"], "New", "{history}");
    assert_eq!(history["changes"][0]["note"], "In the next release");
    c.ok(
        agent,
        "post",
        &format!("/api/v1/ideas/{id}/status"),
        Some(json!({ "status": "delivered", "link": "/kb/offline-mode" })),
        200,
    )
    .await;
    let history = c.get(anon, &format!("/api/v1/ideas/{id}/history")).await;
    assert_eq!(
        history["changes"][1]["link"], "/kb/offline-mode",
        "{history}"
    );
    let unvoted = c
        .ok(
            bob,
            "delete",
            &format!("/api/v1/ideas/{id}/vote"),
            None,
            200,
        )
        .await;
    assert_eq!(unvoted["votes"], 0);
    c.refused(
        bob,
        "post",
        &format!("/api/v1/ideas/{id}/vote"),
        None,
        409,
        "conflict",
    )
    .await;
    // Merge a duplicate into the idea, and undo it.
    let twin = c
        .ok(
            bob,
            "post",
            "/api/v1/ideas",
            Some(
                json!({ "board": "product-ideas", "title": "Use the app without network",
                "description": "Offline please." }),
            ),
            201,
        )
        .await["idea"]["id"]
        .as_i64()
        .unwrap();
    c.ok(
        ann,
        "post",
        &format!("/api/v1/ideas/{twin}/vote"),
        None,
        200,
    )
    .await;
    c.refused(
        bob,
        "post",
        &format!("/api/v1/ideas/{twin}/merge"),
        Some(json!({ "into": id })),
        403,
        "forbidden",
    )
    .await;
    let merged = c
        .ok(
            agent,
            "post",
            &format!("/api/v1/ideas/{twin}/merge"),
            Some(json!({ "into": id })),
            200,
        )
        .await;
    assert_eq!(merged["merged_here"], json!([twin]), "{merged}");
    c.refused(
        agent,
        "post",
        &format!("/api/v1/ideas/{twin}/merge"),
        Some(json!({ "into": id })),
        409,
        "conflict",
    )
    .await;
    let back = c
        .ok(
            agent,
            "post",
            &format!("/api/v1/ideas/{twin}/unmerge"),
            None,
            200,
        )
        .await;
    assert!(back["merged_into"].is_null(), "{back}");
    assert_eq!(back["idea"]["votes"], 1);
    c.refused(
        agent,
        "post",
        &format!("/api/v1/ideas/{twin}/unmerge"),
        None,
        404,
        "not_found",
    )
    .await;
    // The product area: its author or staff.
    c.refused(
        ann,
        "patch",
        &format!("/api/v1/ideas/{twin}"),
        Some(json!({ "product_area": "Sync" })),
        403,
        "forbidden",
    )
    .await;
    let area = c
        .ok(
            bob,
            "patch",
            &format!("/api/v1/ideas/{twin}"),
            Some(json!({ "product_area": "Sync" })),
            200,
        )
        .await;
    assert_eq!(area["idea"]["product_area"], "Sync", "{area}");
    // Board rules and statuses: admins only.
    c.refused(
        agent,
        "patch",
        "/api/v1/ideas/boards/product-ideas",
        Some(json!({ "vote_budget": 5 })),
        403,
        "forbidden",
    )
    .await;
    let rules = c
        .ok(
            admin,
            "patch",
            "/api/v1/ideas/boards/product-ideas",
            Some(json!({ "vote_budget": 5, "self_vote": true, "segment_weights": { "enterprise": 3 } })),
            200,
        )
        .await;
    assert_eq!(rules["vote_budget"], 5, "{rules}");
    c.refused(
        admin,
        "patch",
        "/api/v1/ideas/boards/product-ideas",
        Some(json!({ "vote_budget": 5000 })),
        422,
        "validation_failed",
    )
    .await;
    let added = c
        .ok(
            admin,
            "post",
            "/api/v1/ideas/boards/product-ideas/statuses",
            Some(json!({ "slug": "duplicate", "name": "Duplicate", "kind": "duplicate", "colour": "#888888" })),
            201,
        )
        .await;
    assert_eq!(added["statuses"].as_array().map(Vec::len), Some(7));
    c.refused(
        admin,
        "post",
        "/api/v1/ideas/boards/product-ideas/statuses",
        Some(json!({ "slug": "duplicate", "name": "Again", "kind": "duplicate", "colour": "#888888" })),
        422,
        "validation_failed",
    )
    .await;
    let edited = c
        .ok(
            admin,
            "patch",
            "/api/v1/ideas/boards/product-ideas/statuses/under-review",
            Some(json!({ "name": "Considering", "colour": "#123456", "position": 0 })),
            200,
        )
        .await;
    assert_eq!(edited["statuses"][0]["name"], "Considering", "{edited}");
    c.refused(
        admin,
        "patch",
        "/api/v1/ideas/boards/product-ideas/statuses/nope",
        Some(json!({ "name": "x y z" })),
        404,
        "not_found",
    )
    .await;
    c.refused(
        admin,
        "delete",
        "/api/v1/ideas/boards/product-ideas/statuses/under-review?move_to=under-review",
        None,
        422,
        "validation_failed",
    )
    .await;
    let removed = c
        .ok(
            admin,
            "delete",
            "/api/v1/ideas/boards/product-ideas/statuses/under-review?move_to=new",
            None,
            200,
        )
        .await;
    assert_eq!(removed["statuses"].as_array().map(Vec::len), Some(6));
    let similar = c
        .until(
            bob,
            "/api/v1/ideas/similar?title=Offline+mode&description=The+app+offline",
            |j| j["total"].as_i64().unwrap_or(0) >= 1,
        )
        .await;
    assert_eq!(similar["ideas"][0]["id"], id, "{similar}");
    c.refused(
        anon,
        "get",
        "/api/v1/ideas/similar?title=Offline",
        None,
        401,
        "unauthenticated",
    )
    .await;
}
