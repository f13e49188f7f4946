//! The optional remote spam checker, tested at the HTTP boundary against
//! a stand-in built from Akismet's documented `comment-check` API: a form
//! POST with `api_key`, `blog`, `user_ip`, `user_agent`, `comment_type`,
//! `comment_author`, `comment_author_email` and `comment_content`; the
//! answer is the body `true` (spam) or `false`, or `invalid` with an
//! `X-akismet-debug-help` header when the key is wrong. Then the wiring:
//! a new member's post the service calls spam is held, and a service that
//! is down never blocks a post.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use forum::spam::{RemoteCheck, RemoteSpamChecker};
use hearth_e2e::{api_user, start_with_config, Backend};
use serde_json::json;
use web::spam_check::{AkismetChecker, SpamCheckerConfig};

/// Every request's form fields, as the stand-in saw them.
type Seen = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A stand-in for the service: answers spam for content containing
/// "viagra", records every request's form fields.
fn fake_service() -> (String, Seen) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/1.1/comment-check",
        server.server_addr().to_ip().unwrap()
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let form: HashMap<String, String> =
                serde_urlencoded::from_str(&body).unwrap_or_default();
            let is_form = request.headers().iter().any(|h| {
                h.field.equiv("Content-Type")
                    && h.value
                        .as_str()
                        .starts_with("application/x-www-form-urlencoded")
            });
            let answer = if request.method() != &tiny_http::Method::Post
                || !is_form
                || request.url() != "/1.1/comment-check"
            {
                tiny_http::Response::from_string("bad request").with_status_code(400)
            } else if form.get("api_key").map(String::as_str) != Some("right-key") {
                tiny_http::Response::from_string("invalid").with_header(
                    tiny_http::Header::from_bytes(
                        &b"X-akismet-debug-help"[..],
                        &b"We were unable to verify your API key."[..],
                    )
                    .unwrap(),
                )
            } else if form
                .get("comment_content")
                .is_some_and(|c| c.to_lowercase().contains("viagra"))
            {
                tiny_http::Response::from_string("true")
            } else {
                tiny_http::Response::from_string("false")
            };
            log.lock().unwrap().push(form);
            let _ = request.respond(answer);
        }
    });
    (url, seen)
}

fn config(endpoint: &str, key: &str) -> SpamCheckerConfig {
    SpamCheckerConfig {
        enabled: true,
        endpoint: endpoint.into(),
        api_key: crm_bridge::Secret::new(key),
        site_url: "https://community.example".into(),
        timeout_ms: 2000,
    }
}

fn post(content: &str) -> RemoteCheck {
    RemoteCheck {
        author_name: "newbie".into(),
        author_email: "newbie@example.com".into(),
        client_addr: "203.0.113.7".into(),
        user_agent: "Mozilla/5.0".into(),
        content: content.into(),
        kind: "forum-post",
    }
}

#[test]
fn the_checker_speaks_the_documented_api() {
    let (url, seen) = fake_service();
    let checker = AkismetChecker::new(&config(&url, "right-key"), "http://unused");
    assert_eq!(checker.check(&post("Buy VIAGRA now")), Ok(true));
    assert_eq!(checker.check(&post("My router drops Wi-Fi")), Ok(false));
    let sent = seen.lock().unwrap()[0].clone();
    for (field, value) in [
        ("api_key", "right-key"),
        ("blog", "https://community.example"),
        ("user_ip", "203.0.113.7"),
        ("user_agent", "Mozilla/5.0"),
        ("comment_type", "forum-post"),
        ("comment_author", "newbie"),
        ("comment_author_email", "newbie@example.com"),
        ("comment_content", "Buy VIAGRA now"),
    ] {
        assert_eq!(sent.get(field).map(String::as_str), Some(value), "{field}");
    }
    // A wrong key is an error with the service's help text, not a verdict.
    let wrong = AkismetChecker::new(&config(&url, "wrong-key"), "http://unused");
    let err = wrong.check(&post("anything")).unwrap_err();
    assert!(
        err.contains("invalid") && err.contains("verify your API key"),
        "{err}"
    );
    // Nobody listening: an error, quickly.
    let down = AkismetChecker::new(&config("http://127.0.0.1:9/1.1/comment-check", "k"), "x");
    assert!(down.check(&post("anything")).is_err());
}

async fn wiring(backend: Backend) {
    let (url, seen) = fake_service();
    let Some(s) = start_with_config(backend, 256 * 1024, move |c, _| {
        c.moderation = forum::review::ModerationConfig::default();
        c.spam_checker = config(&url, "right-key");
    })
    .await
    else {
        return;
    };
    let (newbie, _) = api_user(&s.base, "newbie").await;
    let r = newbie
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Pharmacy", "body": "cheap viagra here"}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let reasons = r.json()["held_for_review"]["reasons"].to_string();
    assert!(reasons.contains("likely_spam"), "{reasons}");
    assert!(reasons.contains("spam checking service"), "{reasons}");
    // Another new member's ordinary question goes through (a second post
    // by the same newcomer this soon would wait for the new-member limit).
    let (neighbour, _) = api_user(&s.base, "neighbour").await;
    let r = neighbour
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Router question", "body": "my router drops wifi at night"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(seen.lock().unwrap().len(), 2, "asked once per post");
    s.stop().await;

    // The service down: posts go through on the local score alone.
    let Some(s) = start_with_config(Backend::Sqlite, 256 * 1024, |c, _| {
        c.moderation = forum::review::ModerationConfig::default();
        c.spam_checker = config("http://127.0.0.1:9/1.1/comment-check", "k");
    })
    .await
    else {
        return;
    };
    let (other, _) = api_user(&s.base, "other").await;
    let r = other
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Printer question", "body": "the printer jams"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    s.stop().await;
}

#[actix_rt::test]
async fn a_post_the_service_calls_spam_is_held_sqlite() {
    wiring(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn a_post_the_service_calls_spam_is_held_postgres() {
    wiring(Backend::Postgres).await;
}
