//! Single sign-on end to end: a real Hearth server and a real OpenID
//! provider (`tests/oidc/provider.js`, node's `oidc-provider`), driven like a
//! browser: every redirect followed by hand, cookies kept per host (both
//! servers are on 127.0.0.1, so, as in a browser, they share one jar), the
//! provider's login and consent forms filled in.
//!
//! Without `node` or `tests/oidc/node_modules` the tests that need the
//! provider skip loudly, unless `CI` is set: then they fail.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_e2e::*;
use serde_json::json;

const BODY_LIMIT: usize = 64 * 1024;
const PROVIDER: &str = "test";
const CLIENT_ID: &str = "hearth";
const CLIENT_SECRET: &str = "s3cret-for-tests";

// ------------------------------------------------------------------ the provider

fn provider_script() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/oidc/provider.js").to_string()
}

/// Whether the provider can run here; skips (or fails under CI) if not.
fn provider_available() -> bool {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let modules = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/oidc/node_modules/oidc-provider"
    ))
    .is_dir();
    if node && modules {
        return true;
    }
    let why = if node {
        "tests/oidc/node_modules is missing (run `npm ci` in tests/oidc)"
    } else {
        "`node` is not installed"
    };
    forum::testkit::suite_available("oidc", Some(why.to_string()))
}

/// A running `tests/oidc/provider.js`; killed when dropped.
struct Idp {
    child: Child,
    issuer: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            if let Ok(log) = self.stderr.lock() {
                eprintln!("--- OpenID provider stderr ---\n{log}");
            }
        }
    }
}

fn users() -> serde_json::Value {
    json!([
        {"sub": "sub-alice", "username": "alice", "password": "pw-alice", "email": "alice@example.com",
         "email_verified": true, "name": "Alice Able", "groups": []},
        {"sub": "sub-agnes", "username": "agnes", "password": "pw-agnes", "email": "agnes@example.com",
         "email_verified": true, "name": "Agnes Agent", "groups": ["staff", "support-agents"]},
        {"sub": "sub-carol", "username": "carol.idp", "password": "pw-carol", "email": "Carol@Example.com",
         "email_verified": true, "name": "Carol Corp"},
        {"sub": "sub-dave", "username": "dave", "password": "pw-dave", "email": "dave@example.com",
         "email_verified": false, "name": "Dave Unverified"},
    ])
}

fn start_idp(hearth: &str, extra_env: &[(&str, &str)]) -> Idp {
    // Node's cold start (module loading, key generation) took over 30 s once
    // on a fresh checkout with both cores busy, and once a provider never
    // reached its listen callback at all (its stderr held only the runtime
    // warning): a provider that is not ready in time is killed and started
    // again rather than failing the suite on one stuck process.
    const ATTEMPTS: usize = 3;
    let mut failures = Vec::new();
    for attempt in 1..=ATTEMPTS {
        match spawn_idp_once(hearth, extra_env, Duration::from_secs(45)) {
            Ok(idp) => return idp,
            Err(why) => {
                eprintln!("OpenID provider attempt {attempt}/{ATTEMPTS} failed: {why}");
                failures.push(why);
            }
        }
    }
    panic!("the OpenID provider never became ready: {failures:?}");
}

fn spawn_idp_once(hearth: &str, extra_env: &[(&str, &str)], wait: Duration) -> Result<Idp, String> {
    let mut cmd = Command::new("node");
    cmd.arg(provider_script())
        .env("OIDC_PORT", "0")
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env(
            "OIDC_REDIRECT_URIS",
            format!("{hearth}/auth/sso/{PROVIDER}/callback"),
        )
        .env("OIDC_POST_LOGOUT_REDIRECT_URIS", format!("{hearth}/"))
        .env("OIDC_USERS", users().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("start node tests/oidc/provider.js: {e}"))?;
    // Line by line, so a provider that hangs still shows how far it got.
    let stderr_log = Arc::new(Mutex::new(String::new()));
    if let Some(err) = child.stderr.take() {
        let log = stderr_log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Ok(mut l) = log.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the provider never blocks on a full pipe.
            let mut rest = String::new();
            let _ = reader.read_to_string(&mut rest);
        });
    }
    let mut idp = Idp {
        child,
        issuer: String::new(),
        stderr: stderr_log,
    };
    let stderr_so_far = |idp: &Idp| idp.stderr.lock().map(|l| l.clone()).unwrap_or_default();
    let line = match rx.recv_timeout(wait) {
        Ok(line) => line,
        Err(e) => {
            let log = stderr_so_far(&idp);
            return Err(format!(
                "no OIDC_READY line within {wait:?} ({e}); stderr: {log}"
            ));
        }
    };
    match line.trim().strip_prefix("OIDC_READY ") {
        Some(issuer) => {
            idp.issuer = issuer.to_string();
            Ok(idp)
        }
        None => {
            let log = stderr_so_far(&idp);
            Err(format!(
                "unexpected provider output {line:?}; stderr: {log}"
            ))
        }
    }
}

fn provider_config(issuer: &str) -> web::sso::ProviderConfig {
    web::sso::ProviderConfig {
        name: PROVIDER.into(),
        display_name: "Test IdP".into(),
        issuer: issuer.into(),
        client_id: CLIENT_ID.into(),
        client_secret: crm_bridge::Secret::new(CLIENT_SECRET),
        scopes: ["openid", "email", "profile", "groups"]
            .map(String::from)
            .to_vec(),
        role_mapping: vec![
            web::sso::RoleRule {
                claim: "groups".into(),
                value: "support-agents".into(),
                role: forum::Role::Agent,
            },
            web::sso::RoleRule {
                claim: "groups".into(),
                value: "staff".into(),
                role: forum::Role::Moderator,
            },
        ],
        default_role: forum::Role::Customer,
    }
}

/// A Hearth server wired to a provider started with `idp_env`.
struct Env {
    server: TestServer,
    idp: Idp,
}

impl Env {
    fn hearth(&self) -> &str {
        &self.server.base
    }
}

async fn setup_on(backend: Backend, idp_env: &[(&str, &str)], password_login: bool) -> Option<Env> {
    if !provider_available() {
        return None;
    }
    let mut idp = None;
    let server = start_with_config(backend, BODY_LIMIT, |cfg, base| {
        let started = start_idp(base, idp_env);
        cfg.sso.public_url = base.to_string();
        cfg.sso.password_login = password_login;
        cfg.sso.providers = vec![provider_config(&started.issuer)];
        cfg.sso.validate().expect("valid SSO config");
        idp = Some(started);
    })
    .await?;
    Some(Env {
        server,
        idp: idp.expect("provider started"),
    })
}

async fn setup(idp_env: &[(&str, &str)]) -> Option<Env> {
    setup_on(Backend::Sqlite, idp_env, true).await
}

// ------------------------------------------------------------------ the browser

struct Page {
    url: String,
    status: u16,
    location: Option<String>,
    body: String,
}

impl Page {
    fn sso_code(&self) -> Option<String> {
        between(&self.body, "data-code=\"", "\"")
    }
}

/// Follows no redirects by itself; keeps cookies per host like a browser
/// (cookies ignore ports, so Hearth and the provider share 127.0.0.1's).
struct Agent {
    client: awc::Client,
    jar: RefCell<HashMap<String, BTreeMap<String, String>>>,
}

enum Step {
    /// A page that is not a redirect.
    Page(Page),
    /// The next redirect goes to a URL we stopped at, not yet requested.
    Stopped(String),
}

fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

fn host(url: &str) -> String {
    let o = origin(url);
    let hostport = o.split("://").nth(1).unwrap_or(o);
    hostport.split(':').next().unwrap_or(hostport).to_string()
}

fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_string()
    } else if location.starts_with('/') {
        format!("{}{location}", origin(base))
    } else {
        panic!("unexpected relative Location {location:?} from {base}")
    }
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// The `href` of the login page's "Sign in with …" button for `provider`.
fn sso_button(body: &str, provider: &str) -> Option<String> {
    let end = body.find(&format!("\" data-sso-provider=\"{provider}\""))?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&body[start..end]))
}

/// The `action` of the page's form whose action ends with `suffix`.
fn form_action(body: &str, suffix: &str) -> Option<String> {
    body.match_indices("action=\"").find_map(|(i, m)| {
        let rest = &body[i + m.len()..];
        let action = unescape(&rest[..rest.find('"')?]);
        action.ends_with(suffix).then_some(action)
    })
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn with_param(url: &str, name: &str, value: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            if k == name {
                (k, value.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(pairs).expect("query")
    )
}

impl Agent {
    fn new() -> Agent {
        Agent {
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(Duration::from_secs(60))
                .finish(),
            jar: RefCell::default(),
        }
    }

    fn cookie(&self, url: &str, name: &str) -> Option<String> {
        self.jar.borrow().get(&host(url))?.get(name).cloned()
    }

    async fn send(&self, url: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut req = match form {
            Some(_) => self.client.post(url),
            None => self.client.get(url),
        };
        let cookies: String = self
            .jar
            .borrow()
            .get(&host(url))
            .map(|j| {
                j.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        if !cookies.is_empty() {
            req = req.insert_header(("Cookie", cookies));
        }
        let mut resp = match form {
            Some(fields) => req
                .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                .send_body(serde_urlencoded::to_string(fields).expect("form")),
            None => req.send(),
        }
        .await
        .unwrap_or_else(|e| panic!("request to {url} failed: {e}"));
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap_or("");
            let pair = v.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                let lower = v.to_ascii_lowercase();
                let expired = value.is_empty()
                    || lower.contains("max-age=0")
                    || lower.contains("expires=thu, 01 jan 1970");
                let mut jar = self.jar.borrow_mut();
                let j = jar.entry(host(url)).or_default();
                if expired {
                    j.remove(name.trim());
                } else {
                    j.insert(name.trim().to_string(), value.to_string());
                }
            }
        }
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(String::from);
        let body = resp.body().limit(4 * 1024 * 1024).await.expect("body");
        Page {
            url: url.to_string(),
            status: resp.status().as_u16(),
            location,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn get(&self, url: &str) -> Page {
        self.send(url, None).await
    }

    async fn post(&self, url: &str, form: &[(&str, &str)]) -> Page {
        self.send(url, Some(form)).await
    }

    /// Follow redirects (as GETs) until a page, or until the next URL
    /// starts with `stop_at`.
    async fn follow(&self, mut page: Page, stop_at: Option<&str>) -> Step {
        for _ in 0..20 {
            if !(300..400).contains(&page.status) {
                return Step::Page(page);
            }
            let loc = page
                .location
                .clone()
                .unwrap_or_else(|| panic!("{} redirected without Location", page.url));
            let next = resolve(&page.url, &loc);
            if stop_at.is_some_and(|s| next.starts_with(s)) {
                return Step::Stopped(next);
            }
            page = self.get(&next).await;
        }
        panic!("too many redirects")
    }

    async fn follow_all(&self, page: Page) -> Page {
        match self.follow(page, None).await {
            Step::Page(p) => p,
            Step::Stopped(_) => unreachable!(),
        }
    }

    /// Click "Sign in with Test IdP" (or open `start`), sign in at the
    /// provider with `login` when it asks, answer its consent with
    /// `decision`, and stop at Hearth's callback: its URL, not yet visited.
    async fn authorize(
        &self,
        hearth: &str,
        start: &str,
        login: (&str, &str),
        decision: &str,
    ) -> String {
        let first = self.get(&format!("{hearth}{start}")).await;
        assert_eq!(first.status, 303, "start: {}", first.body);
        let callback = format!("{hearth}/auth/sso/{PROVIDER}/callback");
        let mut step = self.follow(first, Some(&callback)).await;
        for _ in 0..4 {
            let page = match step {
                Step::Stopped(url) => return url,
                Step::Page(p) => p,
            };
            assert_eq!(page.status, 200, "at {}: {}", page.url, page.body);
            let answer = if let Some(action) = form_action(&page.body, "/login") {
                assert!(page.body.contains("name=\"password\""), "{}", page.body);
                self.post(
                    &resolve(&page.url, &action),
                    &[("username", login.0), ("password", login.1)],
                )
                .await
            } else if let Some(action) = form_action(&page.body, "/confirm") {
                self.post(&resolve(&page.url, &action), &[("decision", decision)])
                    .await
            } else {
                panic!("unexpected provider page {}: {}", page.url, page.body)
            };
            assert!(
                (300..400).contains(&answer.status),
                "the provider did not accept the form at {}: {}",
                answer.url,
                answer.body
            );
            step = self.follow(answer, Some(&callback)).await;
        }
        panic!("the provider never redirected back to Hearth")
    }

    /// The signed-in user's id on Hearth's home page, if any.
    async fn whoami(&self, hearth: &str) -> Option<i64> {
        let home = self.get(&format!("{hearth}/")).await;
        assert_eq!(home.status, 200, "{}", home.body);
        if !home.body.contains("action=\"/logout\"") {
            return None;
        }
        between(&home.body, "<a href=\"/u/", "\"").and_then(|id| id.parse().ok())
    }
}

fn users_count(env: &Env) -> i64 {
    env.server.forum.user_count().expect("count users")
}

fn user_named(env: &Env, name: &str) -> forum::User {
    env.server
        .forum
        .find_user(name)
        .expect("find user")
        .unwrap_or_else(|| panic!("no user {name}"))
}

fn assert_error_page(page: &Page, status: u16, code: &str) {
    assert_eq!(page.status, status, "{}: {}", page.url, page.body);
    assert_eq!(
        page.sso_code().as_deref(),
        Some(code),
        "error code on {}: {}",
        page.url,
        page.body
    );
    assert!(
        page.body.contains("<h1>") && page.body.contains("role=\"alert\""),
        "an explanatory page: {}",
        page.body
    );
}

// ------------------------------------------------------------------ tests

/// Sign in with Test IdP: the button is on the login page, a first sign-in
/// creates the account (no password), the callback is single use, and a
/// second sign-in rotates the session and reuses the account.
async fn first_login_creates_account(env: &Env) {
    let hearth = env.hearth();
    let browser = Agent::new();
    let login = browser
        .get(&format!("{hearth}/login?next=/c/support"))
        .await;
    assert_eq!(login.status, 200);
    let href = sso_button(&login.body, PROVIDER).expect("SSO button");
    assert_eq!(href, "/auth/sso/test?next=%2Fc%2Fsupport");
    assert!(login.body.contains("Sign in with Test IdP"));
    assert!(
        login.body.contains("action=\"/login\""),
        "password form still there"
    );
    let before = users_count(env);

    let callback = browser
        .authorize(hearth, &href, ("alice", "pw-alice"), "approve")
        .await;
    assert!(query_param(&callback, "code").is_some(), "{callback}");
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/c/support"), "back to next");
    assert_eq!(users_count(env), before + 1);
    let alice = user_named(env, "alice");
    assert_eq!(alice.email, "alice@example.com");
    assert_eq!(alice.display_name, "Alice Able");
    assert_eq!(
        alice.role,
        forum::Role::Customer,
        "no group: the default role"
    );
    assert_eq!(
        env.server.forum.sso_identities(alice.id).unwrap(),
        vec![(PROVIDER.to_string(), "sub-alice".to_string())]
    );
    assert_eq!(browser.whoami(hearth).await, Some(alice.id));
    let first_session = browser.cookie(hearth, "hearth_session").expect("session");
    // No password was set: password sign-in cannot reach this account.
    let api = Browser::new(hearth);
    let t = api
        .post_json(
            "/api/v1/auth/token",
            &json!({"login": "alice", "password": ""}),
        )
        .await;
    assert_eq!(t.status, 401, "{}", t.body);

    // The same callback again: its state was used up.
    let replay = browser.get(&callback).await;
    assert_error_page(&replay, 400, "sso_state");
    assert_eq!(users_count(env), before + 1);
    assert_eq!(
        browser.whoami(hearth).await,
        Some(alice.id),
        "still signed in"
    );

    // Again: the provider remembers the browser, Hearth the identity; the
    // session id changes and the old one is dead.
    let callback = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/"));
    assert_eq!(users_count(env), before + 1, "no second account");
    let second_session = browser.cookie(hearth, "hearth_session").expect("session");
    assert_ne!(first_session, second_session, "session rotated");
    assert!(env
        .server
        .forum
        .user_for_token(&first_session, forum::TokenKind::Session)
        .unwrap()
        .is_none());
    assert_eq!(browser.whoami(hearth).await, Some(alice.id));
}

#[actix_rt::test]
async fn sso_first_login_creates_an_account() {
    let Some(env) = setup(&[]).await else { return };
    first_login_creates_account(&env).await;
}

#[actix_rt::test]
async fn sso_first_login_creates_an_account_on_postgres() {
    let Some(env) = setup_on(Backend::Postgres, &[], true).await else {
        return;
    };
    first_login_creates_account(&env).await;
}

/// groups ∋ support-agents → agent (the first rule, though `staff` also
/// maps), and the agent console opens; a customer's does not.
#[actix_rt::test]
async fn sso_role_mapping_makes_agents() {
    let Some(env) = setup(&[]).await else { return };
    let hearth = env.hearth();
    let agent = Agent::new();
    let cb = agent
        .authorize(hearth, "/auth/sso/test", ("agnes", "pw-agnes"), "approve")
        .await;
    assert_eq!(agent.get(&cb).await.status, 303);
    let agnes = user_named(&env, "agnes");
    assert_eq!(agnes.role, forum::Role::Agent, "first matching rule wins");
    let console = agent.get(&format!("{hearth}/agent")).await;
    assert_eq!(console.status, 200, "{}", console.body);
    let home = agent.get(&format!("{hearth}/")).await;
    assert!(home.body.contains("Agent console"));

    let customer = Agent::new();
    let cb = customer
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    assert_eq!(customer.get(&cb).await.status, 303);
    assert_eq!(user_named(&env, "alice").role, forum::Role::Customer);
    let console = customer.get(&format!("{hearth}/agent")).await;
    assert_ne!(console.status, 200, "a customer has no agent console");
}

/// A local account with the provider's verified email: Hearth asks before
/// linking; cancel changes nothing, a forged form is refused, confirm links
/// and signs in, and later sign-ins go straight in.
async fn links_a_verified_email(env: &Env) {
    let hearth = env.hearth();
    let carol = env
        .server
        .forum
        .register(forum::NewUser {
            language: None,
            username: "carol".into(),
            email: "carol@example.com".into(),
            password: Some("password123".into()),
            role: forum::Role::Customer,
            display_name: Some("Carol Local".into()),
        })
        .unwrap();
    let before = users_count(env);
    let browser = Agent::new();

    // Cancel.
    let cb = browser
        .authorize(
            hearth,
            "/auth/sso/test",
            ("carol.idp", "pw-carol"),
            "approve",
        )
        .await;
    let offer = browser.get(&cb).await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    assert!(
        offer
            .body
            .contains("Link your Hearth account carol to Test IdP?"),
        "{}",
        offer.body
    );
    let csrf = extract_csrf(&offer.body).expect("csrf");
    let token = between(&offer.body, "name=\"token\" value=\"", "\"").expect("token");
    let cancelled = browser
        .post(
            &format!("{hearth}/auth/sso/link"),
            &[("csrf", &csrf), ("token", &token), ("decision", "cancel")],
        )
        .await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(cancelled.location.as_deref(), Some("/login"));
    assert!(env
        .server
        .forum
        .sso_identities(carol.id)
        .unwrap()
        .is_empty());
    assert_eq!(users_count(env), before);
    assert_eq!(browser.whoami(hearth).await, None);
    // The answered offer cannot be used again.
    let again = browser
        .post(
            &format!("{hearth}/auth/sso/link"),
            &[("csrf", &csrf), ("token", &token), ("decision", "link")],
        )
        .await;
    assert_error_page(&again, 400, "sso_link");
    assert!(env
        .server
        .forum
        .sso_identities(carol.id)
        .unwrap()
        .is_empty());

    // A form without the page's CSRF token is refused and links nothing.
    let cb = browser
        .authorize(
            hearth,
            "/auth/sso/test",
            ("carol.idp", "pw-carol"),
            "approve",
        )
        .await;
    let offer = browser.get(&cb).await;
    let csrf = extract_csrf(&offer.body).expect("csrf");
    let token = between(&offer.body, "name=\"token\" value=\"", "\"").expect("token");
    let forged = browser
        .post(
            &format!("{hearth}/auth/sso/link"),
            &[
                ("csrf", "0".repeat(64).as_str()),
                ("token", &token),
                ("decision", "link"),
            ],
        )
        .await;
    assert_error_page(&forged, 403, "sso_csrf");
    assert!(env
        .server
        .forum
        .sso_identities(carol.id)
        .unwrap()
        .is_empty());
    // Another browser cannot answer this browser's offer.
    let other = Agent::new();
    let other_login = other.get(&format!("{hearth}/login")).await;
    // The form token on its own page: bound to its cookie and session.
    let other_csrf = hearth_e2e::extract_csrf(&other_login.body).expect("csrf");
    let stolen = other
        .post(
            &format!("{hearth}/auth/sso/link"),
            &[
                ("csrf", &other_csrf),
                ("token", &token),
                ("decision", "link"),
            ],
        )
        .await;
    assert_error_page(&stolen, 400, "sso_link");
    assert!(env
        .server
        .forum
        .sso_identities(carol.id)
        .unwrap()
        .is_empty());

    // Confirm.
    let cb = browser
        .authorize(
            hearth,
            "/auth/sso/test",
            ("carol.idp", "pw-carol"),
            "approve",
        )
        .await;
    let offer = browser.get(&cb).await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    let token = between(&offer.body, "name=\"token\" value=\"", "\"").expect("token");
    let linked = browser
        .post(
            &format!("{hearth}/auth/sso/link"),
            &[("csrf", &csrf), ("token", &token), ("decision", "link")],
        )
        .await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    assert_eq!(linked.location.as_deref(), Some("/"));
    assert_eq!(
        env.server.forum.sso_identities(carol.id).unwrap(),
        vec![(PROVIDER.to_string(), "sub-carol".to_string())]
    );
    assert_eq!(users_count(env), before, "no new account");
    assert_eq!(browser.whoami(hearth).await, Some(carol.id));

    // Next time: straight in, no question.
    let fresh = Agent::new();
    let cb = fresh
        .authorize(
            hearth,
            "/auth/sso/test",
            ("carol.idp", "pw-carol"),
            "approve",
        )
        .await;
    let done = fresh.get(&cb).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(fresh.whoami(hearth).await, Some(carol.id));
    // The password still works too.
    let api = Browser::new(hearth);
    let t = api
        .post_json(
            "/api/v1/auth/token",
            &json!({"login": "carol", "password": "password123"}),
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.body);
}

#[actix_rt::test]
async fn sso_links_a_verified_email_after_confirmation() {
    let Some(env) = setup(&[]).await else { return };
    links_a_verified_email(&env).await;
}

#[actix_rt::test]
async fn sso_links_a_verified_email_on_postgres() {
    let Some(env) = setup_on(Backend::Postgres, &[], true).await else {
        return;
    };
    links_a_verified_email(&env).await;
}

/// An email the provider has not verified never offers linking: the person
/// gets a new account of their own and the local one is untouched.
#[actix_rt::test]
async fn sso_does_not_link_an_unverified_email() {
    let Some(env) = setup(&[]).await else { return };
    let hearth = env.hearth();
    let dave = env
        .server
        .forum
        .register(forum::NewUser {
            language: None,
            username: "dave".into(),
            email: "dave@example.com".into(),
            password: Some("password123".into()),
            role: forum::Role::Customer,
            display_name: None,
        })
        .unwrap();
    let before = users_count(&env);
    let browser = Agent::new();
    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("dave", "pw-dave"), "approve")
        .await;
    let done = browser.get(&cb).await;
    assert_eq!(done.status, 303, "no link offer: {}", done.body);
    assert!(!done.body.contains("Link your Hearth account"));
    assert_eq!(users_count(&env), before + 1);
    assert!(env.server.forum.sso_identities(dave.id).unwrap().is_empty());
    let new = user_named(&env, "dave-2");
    assert_ne!(new.id, dave.id);
    assert_ne!(
        new.email, "dave@example.com",
        "the local account keeps its email"
    );
    assert_eq!(
        env.server.forum.sso_identities(new.id).unwrap(),
        vec![(PROVIDER.to_string(), "sub-dave".to_string())]
    );
    assert_eq!(browser.whoami(hearth).await, Some(new.id));
}

/// password_login = false: only the provider button, password sign-in and
/// registration refused on the pages and the API, SSO still works.
#[actix_rt::test]
async fn sso_password_login_can_be_switched_off() {
    let Some(env) = setup_on(Backend::Sqlite, &[], false).await else {
        return;
    };
    let hearth = env.hearth();
    env.server
        .forum
        .register(forum::NewUser {
            language: None,
            username: "local".into(),
            email: "local@example.com".into(),
            password: Some("password123".into()),
            role: forum::Role::Customer,
            display_name: None,
        })
        .unwrap();
    let browser = Agent::new();
    let login = browser.get(&format!("{hearth}/login")).await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("data-sso-provider=\"test\""));
    assert!(!login.body.contains("action=\"/login\""), "{}", login.body);
    assert!(!login.body.contains("type=\"password\""));
    // No password form here; the reset page's form carries this browser's token.
    let forgot = browser.get(&format!("{hearth}/password/forgot")).await;
    let csrf = hearth_e2e::extract_csrf(&forgot.body).expect("CSRF token");
    let refused = browser
        .post(
            &format!("{hearth}/login"),
            &[
                ("csrf", &csrf),
                ("login", "local"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("password sign-in is turned off"),
        "{}",
        refused.body
    );
    assert!(browser.cookie(hearth, "hearth_session").is_none());

    let api = Browser::new(hearth);
    let t = api
        .post_json(
            "/api/v1/auth/token",
            &json!({"login": "local", "password": "password123"}),
        )
        .await;
    assert_eq!(t.status, 403, "{}", t.body);
    assert_eq!(t.error_code(), "password_login_disabled");
    let before = users_count(&env);
    let r = api
        .post_json(
            "/api/v1/users",
            &json!({"username": "newbie", "email": "newbie@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let reg = browser
        .post(
            &format!("{hearth}/register"),
            &[
                ("csrf", &csrf),
                ("username", "newbie2"),
                ("email", "n2@example.com"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(reg.status, 403, "{}", reg.body);
    assert_eq!(users_count(&env), before);

    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    assert_eq!(browser.get(&cb).await.status, 303);
    assert_eq!(
        browser.whoami(hearth).await,
        Some(user_named(&env, "alice").id)
    );
}

/// Sign-out ends the Hearth session and, through the provider's
/// end_session_endpoint, the provider's: the next sign-in asks for the
/// password again.
#[actix_rt::test]
async fn sso_sign_out_ends_both_sessions() {
    let Some(env) = setup(&[]).await else { return };
    let hearth = env.hearth();
    let browser = Agent::new();
    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    assert_eq!(browser.get(&cb).await.status, 303);
    let alice = user_named(&env, "alice");
    assert_eq!(browser.whoami(hearth).await, Some(alice.id));
    let session = browser.cookie(hearth, "hearth_session").expect("session");

    let home = browser.get(&format!("{hearth}/")).await;
    let csrf = extract_csrf(&home.body).expect("csrf");
    let out = browser
        .post(&format!("{hearth}/logout"), &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status, 303, "{}", out.body);
    let to = out.location.clone().expect("location");
    assert!(
        to.starts_with(&format!("{}/session/end?", env.idp.issuer)),
        "to the provider's end_session_endpoint: {to}"
    );
    assert!(query_param(&to, "id_token_hint").is_some_and(|t| t.split('.').count() == 3));
    assert_eq!(
        query_param(&to, "post_logout_redirect_uri").as_deref(),
        Some(format!("{hearth}/").as_str())
    );
    // Signed out of Hearth already.
    assert!(browser.cookie(hearth, "hearth_session").is_none());
    assert!(env
        .server
        .forum
        .user_for_token(&session, forum::TokenKind::Session)
        .unwrap()
        .is_none());
    assert_eq!(browser.whoami(hearth).await, None);

    // The provider's confirmation, then back to Hearth.
    let confirm = browser.get(&to).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let xsrf = between(&confirm.body, "name=\"xsrf\" value=\"", "\"").expect("xsrf");
    let done = browser
        .post(
            &format!("{}/session/end/confirm", env.idp.issuer),
            &[("xsrf", &xsrf), ("logout", "yes")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        done.location
            .as_deref()
            .unwrap_or("")
            .starts_with(&format!("{hearth}/")),
        "{:?}",
        done.location
    );
    let back = browser.follow_all(done).await;
    assert_eq!(back.status, 200);
    assert!(back.url.starts_with(hearth));

    // The provider forgot us: its login form comes back.
    let start = browser.get(&format!("{hearth}/auth/sso/test")).await;
    let callback = format!("{hearth}/auth/sso/{PROVIDER}/callback");
    match browser.follow(start, Some(&callback)).await {
        Step::Page(p) => {
            assert_eq!(p.status, 200);
            assert!(p.body.contains("name=\"password\""), "{}", p.body);
        }
        Step::Stopped(url) => panic!("the provider session survived sign-out: {url}"),
    }
}

/// Deny at the consent screen: error=access_denied comes back, the page
/// says so, nobody is created or signed in.
#[actix_rt::test]
async fn sso_denied_consent_is_explained() {
    let Some(env) = setup(&[]).await else { return };
    let hearth = env.hearth();
    let before = users_count(&env);
    let browser = Agent::new();
    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "deny")
        .await;
    assert_eq!(query_param(&cb, "error").as_deref(), Some("access_denied"));
    let page = browser.get(&cb).await;
    assert_error_page(&page, 403, "sso_denied");
    assert!(page.body.contains("cancelled"), "{}", page.body);
    assert_eq!(users_count(&env), before);
    assert!(env.server.forum.find_user("alice").unwrap().is_none());
    assert_eq!(browser.whoami(hearth).await, None);
}

/// A callback with a state Hearth did not issue, without one, or from
/// another browser is refused; nothing is created.
#[actix_rt::test]
async fn sso_wrong_state_is_refused() {
    let Some(env) = setup(&[]).await else { return };
    let hearth = env.hearth();
    let before = users_count(&env);
    let browser = Agent::new();
    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    let forged = browser
        .get(&with_param(&cb, "state", "forged-state-value"))
        .await;
    assert_error_page(&forged, 400, "sso_state");
    let code = query_param(&cb, "code").expect("code");
    let stateless = browser
        .get(&format!("{hearth}/auth/sso/test/callback?code={}", code))
        .await;
    assert_error_page(&stateless, 400, "sso_state");
    // The real callback, but in a browser that did not start the sign-in
    // (login CSRF): refused, and the state is used up.
    let attacker_victim = Agent::new();
    let elsewhere = attacker_victim.get(&cb).await;
    assert_error_page(&elsewhere, 400, "sso_state");
    let after = browser.get(&cb).await;
    assert_error_page(&after, 400, "sso_state");
    assert_eq!(users_count(&env), before);
    assert!(env.server.forum.find_user("alice").unwrap().is_none());
}

/// A code that expired at the provider (OIDC_CODE_TTL_SECONDS=1): the token
/// endpoint says invalid_grant, Hearth says so.
#[actix_rt::test]
async fn sso_expired_code_is_explained() {
    let Some(env) = setup(&[("OIDC_CODE_TTL_SECONDS", "1")]).await else {
        return;
    };
    let hearth = env.hearth();
    let before = users_count(&env);
    let browser = Agent::new();
    let cb = browser
        .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
        .await;
    // The provider checks in whole seconds: TTL + 1 s and a margin.
    actix_rt::time::sleep(Duration::from_millis(2600)).await;
    let page = browser.get(&cb).await;
    assert_error_page(&page, 400, "sso_code");
    assert!(
        page.body.contains("expired or was already used"),
        "{}",
        page.body
    );
    assert_eq!(users_count(&env), before);
    assert_eq!(browser.whoami(hearth).await, None);
}

/// The provider is down (discovery gets connection refused): a 502 page, and
/// an unknown provider name is a 404 page. No `node` needed.
#[actix_rt::test]
async fn sso_unreachable_provider_is_explained() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let server = start_with_config(Backend::Sqlite, BODY_LIMIT, |cfg, base| {
        cfg.sso.public_url = base.to_string();
        cfg.sso.providers = vec![web::sso::ProviderConfig {
            name: "down".into(),
            display_name: "Down IdP".into(),
            issuer: format!("http://127.0.0.1:{closed}"),
            client_id: CLIENT_ID.into(),
            client_secret: crm_bridge::Secret::new(CLIENT_SECRET),
            scopes: vec!["openid".into()],
            role_mapping: Vec::new(),
            default_role: forum::Role::Customer,
        }];
    })
    .await
    .expect("server");
    let before = server.forum.user_count().unwrap();
    let browser = Agent::new();
    let page = browser.get(&format!("{}/auth/sso/down", server.base)).await;
    assert_error_page(&page, 502, "sso_unreachable");
    assert!(
        page.body.contains("Down IdP cannot be reached"),
        "{}",
        page.body
    );
    // Straight to the callback (no flow) is a state error, not a crash.
    let cb = browser
        .get(&format!(
            "{}/auth/sso/down/callback?code=x&state=y",
            server.base
        ))
        .await;
    assert_error_page(&cb, 400, "sso_state");
    let unknown = browser.get(&format!("{}/auth/sso/nope", server.base)).await;
    assert_error_page(&unknown, 404, "sso_provider");
    assert_eq!(server.forum.user_count().unwrap(), before);
}

/// The provider publishes a wrong key (same kid, then another kid, which
/// also makes Hearth refetch the keys once): the ID token is rejected.
#[actix_rt::test]
async fn sso_bad_signature_is_rejected() {
    for mode in ["1", "other-kid"] {
        let Some(env) = setup(&[("OIDC_ROGUE_JWKS", mode)]).await else {
            return;
        };
        let hearth = env.hearth();
        let before = users_count(&env);
        let browser = Agent::new();
        let cb = browser
            .authorize(hearth, "/auth/sso/test", ("alice", "pw-alice"), "approve")
            .await;
        let page = browser.get(&cb).await;
        assert_error_page(&page, 401, "sso_signature");
        assert!(
            page.body.contains("valid signature"),
            "{mode}: {}",
            page.body
        );
        assert_eq!(users_count(&env), before, "{mode}");
        assert!(env.server.forum.find_user("alice").unwrap().is_none());
        assert_eq!(browser.whoami(hearth).await, None);
    }
}
