//! A recording HTTP server for the connector contract tests: every request
//! is kept (method, path, query, headers, body) and answered by a handler
//! that plays the remote API, after an optional delay.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crm_bridge::connector::{ExternalComment, ExternalTask};
use crm_bridge::rules::{Priority, TaskStatus};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The form fields of an `application/x-www-form-urlencoded` body.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn form_field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: body.to_string(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            delay: None,
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: String::new(),
            headers: Vec::new(),
            delay: None,
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = Some(d);
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

pub struct FakeServer {
    pub base: String,
    log: Arc<Mutex<Vec<Recorded>>>,
    server: Arc<tiny_http::Server>,
}

impl FakeServer {
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> FakeServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a local port"));
        let addr = server
            .server_addr()
            .to_ip()
            .expect("the fake server listens on TCP");
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let server = server.clone();
            let log = log.clone();
            thread::spawn(move || {
                for mut req in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = req.as_reader().read_to_string(&mut body);
                    let (path, query) = match req.url().split_once('?') {
                        Some((p, q)) => (p.to_string(), q.to_string()),
                        None => (req.url().to_string(), String::new()),
                    };
                    let rec = Recorded {
                        method: req.method().as_str().to_string(),
                        path,
                        query: url::form_urlencoded::parse(query.as_bytes())
                            .into_owned()
                            .collect(),
                        headers: req
                            .headers()
                            .iter()
                            .map(|h| {
                                (
                                    h.field.as_str().as_str().to_ascii_lowercase(),
                                    h.value.as_str().to_string(),
                                )
                            })
                            .collect(),
                        body,
                    };
                    log.lock().expect("log lock").push(rec.clone());
                    let handler = handler.clone();
                    // One thread per request, so a slow answer does not hold
                    // up the next request.
                    thread::spawn(move || {
                        let reply = handler(&rec);
                        if let Some(d) = reply.delay {
                            thread::sleep(d);
                        }
                        let mut resp = tiny_http::Response::from_string(reply.body)
                            .with_status_code(reply.status);
                        for (k, v) in &reply.headers {
                            resp = resp.with_header(
                                tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes())
                                    .expect("valid header"),
                            );
                        }
                        // The client may have given up (timeout tests).
                        let _ = req.respond(resp);
                    });
                }
            });
        }
        FakeServer {
            base: format!("http://{addr}"),
            log,
            server,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log lock").clone()
    }

    /// "METHOD /path" of every request so far, in order.
    pub fn lines(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    pub fn clear(&self) {
        self.log.lock().expect("log lock").clear();
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

pub fn task(task_id: i64) -> ExternalTask {
    ExternalTask {
        instance: String::new(),
        task_id,
        thread_id: 100 + task_id,
        thread_url: format!("https://community.example/t/{}", 100 + task_id),
        subject: "Export to CSV drops accents".into(),
        description: "Every é becomes ? in the exported file.".into(),
        priority: Priority::High,
        status: TaskStatus::New,
        contact_name: "Dana O'Neil".into(),
        contact_email: "dana.o'neil@example.com".into(),
        owner_email: None,
        escalation: None,
        created_at: 1_700_000_000,
        updated_at: 1_700_000_000,
    }
}

pub fn comment(post_id: i64, from_staff: bool) -> ExternalComment {
    ExternalComment {
        post_id,
        author_name: "Dana O'Neil".into(),
        author_email: "dana.o'neil@example.com".into(),
        body: "It also happens with ü.".into(),
        from_staff,
    }
}
