//! Harness for Hearth's end-to-end tests: a real server on a loopback port
//! (SQLite in a temp dir, or a fresh PostgreSQL schema), and a small HTTP
//! client that keeps cookies and reads CSRF tokens like a browser would.

use std::cell::RefCell;
use std::collections::BTreeMap;

pub mod smtp;

use forum::Forum;

pub struct TestServer {
    pub base: String,
    pub forum: Forum,
    pub search: std::sync::Arc<search::SearchIndex>,
    handle: actix_web::dev::ServerHandle,
    workers: Option<web::supervisor::Supervisor>,
    pub crm: crm_bridge::Crm,
    crm_config: crm_bridge::CrmConfig,
    customize: Customize,
    _dir: tempfile::TempDir,
    pg_schema: Option<String>,
    url: String,
    max_body: usize,
}

impl TestServer {
    fn stop_workers(&mut self) {
        if let Some(w) = self.workers.take() {
            w.stop();
        }
    }

    pub async fn stop(mut self) {
        self.handle.stop(false).await;
        self.stop_workers();
    }

    /// Stop, then start a new server on the same database and data directory,
    /// as after a crash or deploy.
    pub async fn restart(mut self) -> TestServer {
        self.handle.stop(false).await;
        self.stop_workers();
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        let schema = self.pg_schema.take();
        let (url, max_body, crm) = (self.url.clone(), self.max_body, self.crm_config.clone());
        let customize = self.customize.clone();
        drop(self);
        launch(dir, url, schema, max_body, crm, customize, &mut |_, _| {})
    }

    /// Wait until every outbox consumer with a cursor has caught up, so
    /// that whatever the workers do in reaction to earlier requests
    /// (notices, badges, CRM tasks) has been done before a test looks.
    pub async fn settle(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut quiet_polls = 0;
        while quiet_polls < 2 {
            let lags = self.forum.consumer_lags().expect("consumer lags");
            if lags.iter().all(|(_, lag)| *lag == 0) {
                quiet_polls += 1;
            } else {
                quiet_polls = 0;
                assert!(
                    std::time::Instant::now() < deadline,
                    "the workers did not catch up: {lags:?}"
                );
            }
            actix_rt::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// A second web node on the same database, as behind a load balancer:
    /// its own port, data directory (search index), caches and workers.
    /// Drop it before this one (a PostgreSQL schema goes with this one).
    pub fn another_node(&self) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        launch(
            dir,
            self.url.clone(),
            None,
            self.max_body,
            self.crm_config.clone(),
            self.customize.clone(),
            &mut |_, _| {},
        )
    }

    /// The data directory, to restart a server on the same files.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Run SQL on the server's database behind its back (to break or
    /// repair something a test needs broken).
    pub fn execute_sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        match self.forum.db() {
            forum::Db::Sqlite(p) => p.get().expect("connection").batch_execute(sql),
            forum::Db::Pg(p) => p.get().expect("connection").batch_execute(sql),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(schema) = &self.pg_schema {
            let admin = pg_admin_url();
            let _ = std::process::Command::new("psql")
                .args([
                    admin.as_str(),
                    "-qc",
                    &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ])
                .output();
        }
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("HEARTH_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub enum Backend {
    Sqlite,
    Postgres,
}

/// Start a server. `None` only when PostgreSQL is unreachable outside CI.
pub async fn start(backend: Backend, max_body: usize) -> Option<TestServer> {
    start_with_crm(backend, max_body, crm_bridge::CrmConfig::default()).await
}

/// As `start`, with these CRM settings (a connector, an inbound secret).
pub async fn start_with_crm(
    backend: Backend,
    max_body: usize,
    crm: crm_bridge::CrmConfig,
) -> Option<TestServer> {
    start_with(backend, max_body, crm, std::sync::Arc::new(|_| {})).await
}

/// As `start`, with `configure` applied to the server's configuration; it
/// also gets the server's base URL (`http://127.0.0.1:PORT`), known before
/// the server starts, for settings that name the server itself. A restart
/// reuses the resulting configuration.
pub async fn start_with_config(
    backend: Backend,
    max_body: usize,
    configure: impl FnOnce(&mut web::Config, &str),
) -> Option<TestServer> {
    let mut configure = Some(configure);
    let mut once = |c: &mut web::Config, base: &str| {
        if let Some(f) = configure.take() {
            f(c, base);
        }
    };
    start_inner(
        backend,
        max_body,
        Default::default(),
        std::sync::Arc::new(|_| {}),
        &mut once,
    )
    .await
}

/// Adjusts the server's configuration before it starts (mail, login limits…).
pub type Customize = std::sync::Arc<dyn Fn(&mut web::Config) + Send + Sync>;

/// As `start_with_crm`, and `customize` edits the configuration (again on
/// every restart).
pub async fn start_with(
    backend: Backend,
    max_body: usize,
    crm: crm_bridge::CrmConfig,
    customize: Customize,
) -> Option<TestServer> {
    start_inner(backend, max_body, crm, customize, &mut |_, _| {}).await
}

async fn start_inner(
    backend: Backend,
    max_body: usize,
    crm: crm_bridge::CrmConfig,
    customize: Customize,
    once: &mut dyn FnMut(&mut web::Config, &str),
) -> Option<TestServer> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, schema) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("hearth.db").display()),
            None,
        ),
        Backend::Postgres => {
            let admin = pg_admin_url();
            let schema = format!(
                "hearth_e2e_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos())
            );
            let ok = std::process::Command::new("psql")
                .args([admin.as_str(), "-qc", &format!("CREATE SCHEMA {schema}")])
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                forum::testkit::suite_available(
                    "postgres",
                    Some(format!("PostgreSQL at {admin} is unreachable")),
                );
                return None;
            }
            let sep = if admin.contains('?') { '&' } else { '?' };
            (
                format!("{admin}{sep}options=-csearch_path%3D{schema}"),
                Some(schema),
            )
        }
    };
    Some(launch(dir, url, schema, max_body, crm, customize, once))
}

fn launch(
    dir: tempfile::TempDir,
    url: String,
    schema: Option<String>,
    max_body: usize,
    crm: crm_bridge::CrmConfig,
    customize: Customize,
    once: &mut dyn FnMut(&mut web::Config, &str),
) -> TestServer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let mut config = web::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: url.clone(),
        workers: 2,
        max_body_bytes: max_body,
        crm: crm.clone(),
        public_url: base.clone(),
        // Suites register many members from one address; the limits have
        // suites of their own, which turn them on.
        rate_limits: web::rate_limits::RateLimits::off(),
        // Likewise they post a lot from brand-new accounts; the moderation
        // suites turn the new-member limits on.
        moderation: forum::review::ModerationConfig::off(),
        // Suites register members and post at once; email confirmation
        // has tests of its own (mail_e2e), which turn it on.
        registration: web::config::Registration {
            require_email_confirmation: false,
            ..Default::default()
        },
        ..web::Config::default()
    };
    customize(&mut config);
    once(&mut config, &base);
    // A restart applies the same settings again.
    let saved = config.clone();
    let customize: Customize = std::sync::Arc::new(move |c: &mut web::Config| {
        let (data_dir, database_url, public_url) = (
            c.data_dir.clone(),
            c.database_url.clone(),
            c.public_url.clone(),
        );
        *c = saved.clone();
        (c.data_dir, c.database_url, c.public_url) = (data_dir, database_url, public_url);
    });
    let crm = config.crm.clone();
    let forum = config.open_forum(&url, 4).expect("open database");
    let search = web::AppState::open_search(&config).expect("open search index");
    let state = web::AppState::new(forum.clone(), search.clone(), config).expect("CRM config");
    let crm_service = state.crm.clone();
    let running = web::start_server(state, listener).expect("start");
    let handle = running.server.handle();
    actix_rt::spawn(running.server);
    TestServer {
        base,
        forum,
        search,
        handle,
        workers: Some(running.workers),
        crm: crm_service,
        crm_config: crm,
        customize,
        _dir: dir,
        pg_schema: schema,
        url,
        max_body,
    }
}

pub struct Response {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    /// The body as text (invalid UTF-8 replaced); `bytes` as sent.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers.get("location").map_or("", String::as_str)
    }

    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub struct Browser {
    base: String,
    client: awc::Client,
    cookies: RefCell<BTreeMap<String, String>>,
    pub bearer: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_string(),
            client: awc::Client::builder().disable_redirects().finish(),
            cookies: RefCell::default(),
            bearer: None,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.borrow().get(name).cloned()
    }

    async fn send(&self, mut req: awc::ClientRequest, body: Option<(&str, Vec<u8>)>) -> Response {
        let cookie_header: String = self
            .cookies
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie_header.is_empty() {
            req = req.insert_header(("Cookie", cookie_header));
        }
        if let Some(token) = &self.bearer {
            req = req.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let mut resp = match body {
            Some((ct, bytes)) => {
                req.insert_header(("Content-Type", ct))
                    .send_body(bytes)
                    .await
            }
            None => req.send().await,
        }
        .expect("request failed");
        let mut headers = BTreeMap::new();
        for (k, v) in resp.headers() {
            let v = v.to_str().unwrap_or("").to_string();
            if k.as_str() == "set-cookie" {
                let pair = v.split(';').next().unwrap_or("");
                if let Some((name, value)) = pair.split_once('=') {
                    let expired = v.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
                    if expired {
                        self.cookies.borrow_mut().remove(name);
                    } else {
                        self.cookies
                            .borrow_mut()
                            .insert(name.to_string(), value.to_string());
                    }
                }
                headers
                    .entry("set-cookie".to_string())
                    .and_modify(|e: &mut String| {
                        e.push('\n');
                        e.push_str(&v);
                    })
                    .or_insert(v);
            } else {
                headers.insert(k.as_str().to_string(), v);
            }
        }
        let bytes = resp.body().limit(20 * 1024 * 1024).await.expect("body");
        Response {
            status: resp.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.client.get(format!("{}{path}", self.base)), None)
            .await
    }

    /// GET with extra request headers (`If-None-Match`, …).
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        self.send(req, None).await
    }

    /// POST raw bytes with extra request headers (`X-CSRF-Token`, …), as
    /// a script's `fetch` of a file does.
    pub async fn post_bytes(
        &self,
        path: &str,
        content_type: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Response {
        let mut req = self.client.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        self.send(req, Some((content_type, body))).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.send(self.client.delete(format!("{}{path}", self.base)), None)
            .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Response {
        self.send(
            self.client.post(format!("{}{path}", self.base)),
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    /// POST JSON with extra request headers (`Idempotency-Key`, …).
    pub async fn post_json_with_headers(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Response {
        let mut req = self.client.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        self.send(
            req,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub async fn patch_json(&self, path: &str, body: &serde_json::Value) -> Response {
        self.send(
            self.client.patch(format!("{}{path}", self.base)),
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> Response {
        self.send(
            self.client.put(format!("{}{path}", self.base)),
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.send(
            self.client.post(format!("{}{path}", self.base)),
            Some((content_type, body)),
        )
        .await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.send(
            self.client.post(format!("{}{path}", self.base)),
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
        )
        .await
    }

    /// POST a form body with exactly this Cookie header, ignoring the jar
    /// (to plant another browser's cookies).
    pub async fn post_raw_with_cookie(&self, path: &str, cookie: &str, form: String) -> Response {
        let saved = std::mem::take(&mut *self.cookies.borrow_mut());
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .insert_header(("Cookie", cookie.to_string()));
        let r = self
            .send(
                req,
                Some(("application/x-www-form-urlencoded", form.into_bytes())),
            )
            .await;
        *self.cookies.borrow_mut() = saved;
        r
    }

    /// Load a page and submit one of its forms with the page's CSRF token.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let html = self.get(page).await;
        assert_eq!(html.status, 200, "GET {page}: {}", html.body);
        let csrf = extract_csrf(&html.body).unwrap_or_else(|| panic!("no CSRF token on {page}"));
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    /// Exchange the test password for an API token and keep it.
    pub async fn api_login(&mut self, username: &str) {
        let t = self
            .post_json(
                "/api/v1/auth/token",
                &serde_json::json!({ "login": username, "password": "password123" }),
            )
            .await;
        assert_eq!(t.status, 200, "{}", t.body);
        self.bearer = Some(t.json()["token"].as_str().expect("token").to_string());
    }

    /// Register through the HTML form; the browser is then signed in.
    pub async fn register(&self, username: &str) -> Response {
        let email = format!("{username}@example.com");
        let r = self.try_register(username, &email, "password123").await;
        assert_eq!(r.status, 303, "register {username}: {}", r.body);
        r
    }

    /// Fill in and send the registration form, whatever the answer.
    pub async fn try_register(&self, username: &str, email: &str, password: &str) -> Response {
        self.submit(
            "/register",
            "/register",
            &[
                ("username", username),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    /// Switch the interface to `language` with the picker, as a reader
    /// would (the member's setting when signed in, else a cookie).
    pub async fn choose_language(&self, language: &str) {
        let r = self
            .submit("/", "/language", &[("language", language), ("next", "/")])
            .await;
        assert_eq!(r.status, 303, "choose {language}: {}", r.body);
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// Register a user over the API and return a client holding its token.
pub async fn api_user(base: &str, username: &str) -> (Browser, i64) {
    let mut b = Browser::new(base);
    let r = b
        .post_json(
            "/api/v1/users",
            &serde_json::json!({ "username": username, "email": format!("{username}@example.com"), "password": "password123" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    b.api_login(username).await;
    (b, id)
}

/// Create a staff account directly, then log it in over the API.
pub async fn api_staff(server: &TestServer, username: &str, role: forum::Role) -> Browser {
    // As `hearth user create` does: the operator vouches for the address.
    server
        .forum
        .register_with(
            forum::NewUser {
                language: None,
                username: username.into(),
                email: format!("{username}@example.com"),
                password: Some("password123".into()),
                role,
                display_name: None,
            },
            forum::AccountEmail::Confirmed,
        )
        .expect("register staff");
    let mut b = Browser::new(&server.base);
    b.api_login(username).await;
    b
}

// ------------------------------------------------------------ real browser

/// Where the real-browser scripts live (`tests/browser`), if Chromium,
/// node, playwright-core and axe-core are all here; otherwise the browser
/// suite is unavailable (which fails under CI unless opted out).
pub fn browser_tools() -> Option<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node_ok {
        Some("node")
    } else if !std::path::Path::new(&chromium).exists() {
        Some("chromium")
    } else if !dir.join("node_modules/playwright-core").exists() {
        Some("playwright-core (npm ci in tests/browser)")
    } else if !dir.join("node_modules/axe-core").exists() {
        Some("axe-core (npm ci in tests/browser)")
    } else {
        None
    };
    forum::testkit::suite_available(
        "browser",
        missing.map(|what| format!("{what} is not installed")),
    )
    .then(|| dir.to_string_lossy().into_owned())
}

/// Run a script of tests/browser with these arguments; its last line of
/// output is its findings (JSON). A failed run fails the test, with what it
/// printed.
pub async fn node(dir: &str, args: &[&str]) -> serde_json::Value {
    let (dir, args) = (
        dir.to_string(),
        args.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
    );
    let out = actix_web::web::block(move || {
        std::process::Command::new("node")
            .current_dir(&dir)
            .args(&args)
            .output()
    })
    .await
    .unwrap()
    .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser run failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim().lines().last().unwrap_or("{}")).unwrap()
}

// ------------------------------------------------------------ content

/// Start a thread over the API in `category`; its id.
pub async fn post_thread(b: &Browser, category: &str, title: &str, body: &str) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &serde_json::json!({ "category": category, "title": title, "body": body }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().expect("thread id")
}

/// Reply to a thread over the API; the post's id.
pub async fn post_reply(b: &Browser, thread: i64, body: &str) -> i64 {
    let r = b
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &serde_json::json!({ "body": body }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_i64().expect("post id")
}

/// A member with `role` (address confirmed, as an operator vouches) signed
/// in through the login form, as a person in a browser is.
pub async fn signed_in(s: &TestServer, name: &str, role: forum::Role) -> Browser {
    s.forum
        .register_with(
            forum::NewUser {
                language: None,
                username: name.into(),
                email: format!("{name}@example.com"),
                password: Some("password123".into()),
                role,
                display_name: None,
            },
            forum::AccountEmail::Confirmed,
        )
        .expect("register");
    let b = Browser::new(&s.base);
    let r = b
        .submit(
            "/login",
            "/login",
            &[("login", name), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    b
}
