//! Hostile input over HTTP, on both backends: page numbers that overflowed
//! or aborted the process, control characters that PostgreSQL refused with
//! a 500, open redirects after sign-in, parallel password guessing, posts
//! that froze a browser, replies in long threads, CSRF tokens that outlived
//! their session, and health that ignored dead workers.

use std::sync::Arc;

use hearth_e2e::*;
use serde_json::json;

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await; } )*
        }
        mod postgres {
            $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await; } )*
        }
    };
}

both_backends!(
    page_numbers_are_bounded,
    control_characters_are_refused_not_500,
    sign_in_redirects_stay_on_the_site,
    parallel_guesses_never_exceed_the_limit,
    long_threads_reply_and_edit_by_id,
    deep_markdown_is_flattened,
    csrf_tokens_are_bound_to_the_session,
    health_reports_a_worker_that_cannot_progress,
    lag_metrics_read_real_positions,
    search_index_rebuilds_when_its_events_were_pruned,
);

async fn server(backend: Backend) -> TestServer {
    start(backend, 256 * 1024)
        .await
        .expect("the database for this backend is required")
}

async fn page_numbers_are_bounded(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Paging question", "body": "Body", "tags": ["x"] }),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let b = Browser::new(&s.base);
    // Each of these aborted the process, overflowed OFFSET on PostgreSQL
    // or asked for a huge page: now a 422 naming the field.
    for path in [
        "/api/v1/search?tag=x&page=2147483648",
        "/api/v1/search?q=paging&page=99999999",
        "/api/v1/search?tag=x&page=501",
        "/api/v1/search?q=paging&per_page=101",
        "/api/v1/search?q=paging&page=0",
        "/api/v1/categories/general/threads?page=9223372036854775807&per_page=200",
        "/api/v1/categories/general/threads?page=1&per_page=500",
        "/api/v1/categories/general/threads?page=-1",
        &format!(
            "/api/v1/threads/{}?page=4611686018427387904",
            t.json()["thread"]["id"]
        ),
    ] {
        let r = b.get(path).await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (422, "validation_failed"),
            "{path}: {}",
            r.body
        );
        let field = r.json()["error"]["field"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(
            ["page", "per_page"].contains(&field.as_str()),
            "{path}: {field}"
        );
    }
    for path in [
        "/search?tag=x&page=2147483648",
        "/search?q=a&page=99999999999",
        "/c/general?page=9223372036854775807",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        assert!(r.body.contains("page"), "{path}: {}", r.body);
    }
    // Out of range for the integer type: a bad request, never a 5xx.
    let r = b
        .get("/api/v1/search?tag=x&page=99999999999999999999999")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = b.get("/api/v1/crm/tasks?offset=9223372036854775807").await;
    assert!(r.status < 500, "{}", r.body);
    // The last page inside the window still works, and the server is up.
    assert_eq!(b.get("/api/v1/search?tag=x&page=500").await.status, 200);
    assert_eq!(b.get("/healthz").await.status, 200);
    s.stop().await;
}

async fn control_characters_are_refused_not_500(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    let anon = Browser::new(&s.base);
    let cases: Vec<(&Browser, &str, serde_json::Value)> = vec![
        (
            &ann,
            "/api/v1/threads",
            json!({ "category": "general", "title": "Nul\u{0} in title", "body": "Body" }),
        ),
        (
            &ann,
            "/api/v1/threads",
            json!({ "category": "general", "title": "Fine title", "body": "escape \u{1b}[31m red" }),
        ),
        (
            &anon,
            "/api/v1/users",
            json!({ "username": "eve", "email": "eve@example.com", "password": "password123", "display_name": "Eve\nX" }),
        ),
        (
            &anon,
            "/api/v1/users",
            json!({ "username": "eve", "email": "e\u{0}ve@example.com", "password": "password123" }),
        ),
        (
            &anon,
            "/api/v1/auth/token",
            json!({ "login": "ann\u{0}", "password": "password123" }),
        ),
    ];
    for (who, path, body) in cases {
        let r = who.post_json(path, &body).await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (422, "validation_failed"),
            "{path} {body}: {}",
            r.body
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("control character"));
    }
    for path in [
        "/t/%00",
        "/c/a%00b",
        "/api/v1/threads/%00",
        "/search?q=a%00b",
    ] {
        let r = anon.get(path).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
    }
    // The sign-in form with a NUL in the login, and a form body.
    let r = anon
        .submit("/login", "/login", &[("login", "ann\0"), ("password", "x")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Nothing was written: ann's one thread count is zero, and eve is unknown.
    assert!(s.forum.find_user("eve").unwrap().is_none());
    // Line breaks in a body are text, not control characters.
    let ok = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Line breaks are fine", "body": "one\n\ttwo\r\nthree" }),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    s.stop().await;
}

async fn sign_in_redirects_stay_on_the_site(backend: Backend) {
    let s = server(backend).await;
    Browser::new(&s.base).register("ann").await;
    for next in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\r\nSet-Cookie: x=y",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example",
    ] {
        // The sign-in page never offers it back …
        let b = Browser::new(&s.base);
        let query = serde_urlencoded::to_string([("next", next)]).unwrap();
        let page = b.get(&format!("/login?{query}")).await;
        assert_eq!(page.status, 200, "{next:?}: {}", page.body);
        assert!(!page.body.contains("evil.example"), "{next:?}");
        // … and a form posted with it straight away goes home.
        let r = b
            .submit(
                "/login",
                "/login",
                &[
                    ("login", "ann"),
                    ("password", "password123"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.location(), "/", "{next:?}");
    }
    let b = Browser::new(&s.base);
    let r = b
        .submit(
            "/login",
            "/login",
            &[
                ("login", "ann"),
                ("password", "password123"),
                ("next", "/t/5?page=2"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/t/5?page=2");
    s.stop().await;
}

async fn parallel_guesses_never_exceed_the_limit(backend: Backend) {
    // The address limit is raised so that only the account's limit (5)
    // decides; otherwise the 51st attempt from this address is refused too.
    let s = start_with(
        backend,
        64 * 1024,
        Default::default(),
        Arc::new(|c: &mut web::Config| c.login.max_failures_per_address = 1000),
    )
    .await
    .expect("database");
    let (_ann, _) = api_user(&s.base, "ann").await;
    let mut handles = Vec::new();
    for _ in 0..200 {
        let base = s.base.clone();
        handles.push(actix_rt::spawn(async move {
            Browser::new(&base)
                .post_json(
                    "/api/v1/auth/token",
                    &json!({ "login": "ann", "password": "wrong-password" }),
                )
                .await
                .status
        }));
    }
    let mut checked = 0;
    let mut refused = 0;
    for h in handles {
        match h.await.expect("request task") {
            401 => checked += 1,
            429 => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    println!("parallel wrong guesses: {checked} password checks, {refused} refused (limit 5)");
    assert_eq!(checked, 5, "exactly the limit reach a password check");
    assert_eq!(refused, 195);
    s.stop().await;
}

async fn long_threads_reply_and_edit_by_id(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "A very long thread", "body": "Body" }),
        )
        .await;
    let id = t.json()["thread"]["id"].as_i64().unwrap();
    let mut last = serde_json::Value::Null;
    for i in 0..205 {
        let r = ann
            .post_json(
                &format!("/api/v1/threads/{id}/posts"),
                &json!({ "body": format!("reply number {i}") }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        last = r.json();
    }
    // The reply itself comes back, not only its id, past the 200th.
    assert_eq!(last["body_md"], "reply number 204", "{last}");
    let post_id = last["id"].as_i64().unwrap();
    // Its edit form is filled in (it opened empty past the 200th reply).
    let b = Browser::new(&s.base);
    b.submit(
        "/login",
        "/login",
        &[("login", "ann"), ("password", "password123")],
    )
    .await;
    let form = b.get(&format!("/p/{post_id}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("reply number 204"), "{}", form.body);
    s.stop().await;
}

async fn deep_markdown_is_flattened(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    let body = format!("{}deep", ">".repeat(45_000));
    let t = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Nested quotes", "body": body }),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let id = t.json()["thread"]["id"].as_i64().unwrap();
    let page = Browser::new(&s.base).get(&format!("/t/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.matches("<blockquote>").count() <= forum::markdown::MAX_NESTING,
        "{} blockquotes",
        page.body.matches("<blockquote>").count()
    );
    assert!(page.body.len() < 200_000, "{} bytes", page.body.len());
    s.stop().await;
}

async fn csrf_tokens_are_bound_to_the_session(backend: Backend) {
    let s = server(backend).await;
    Browser::new(&s.base).register("ann").await;
    Browser::new(&s.base).register("bob").await;
    let b = Browser::new(&s.base);
    // A token from before signing in …
    let before = extract_csrf(&b.get("/login").await.body).unwrap();
    let r = b
        .post_form(
            "/login",
            &[
                ("csrf", &before),
                ("login", "ann"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // … does not work once signed in, though the CSRF cookie is the same.
    let r = b.post_form("/logout", &[("csrf", &before)]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let during = extract_csrf(&b.get("/").await.body).unwrap();
    assert_ne!(before, during);
    // Another member's browser with ann's CSRF cookie cannot use her token.
    let other = Browser::new(&s.base);
    other
        .submit(
            "/login",
            "/login",
            &[("login", "bob"), ("password", "password123")],
        )
        .await;
    let planted = other.cookie("hearth_session").unwrap();
    let mallory = Browser::new(&s.base);
    let cookie = format!(
        "hearth_csrf={}; hearth_session={planted}",
        b.cookie("hearth_csrf").unwrap()
    );
    let r = mallory
        .post_raw_with_cookie("/logout", &cookie, format!("csrf={during}"))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // The right token, in the right session, works.
    let r = b.post_form("/logout", &[("csrf", &during)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    s.stop().await;
}

async fn health_reports_a_worker_that_cannot_progress(backend: Backend) {
    let s = start_with(
        backend,
        64 * 1024,
        Default::default(),
        Arc::new(|c: &mut web::Config| c.worker_stuck_after_secs = 1),
    )
    .await
    .expect("database");
    let b = Browser::new(&s.base);
    let ok = b.get("/healthz").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.json()["workers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["name"] == "mail"));
    // Take away the consumers' cursors: every outbox consumer now fails on
    // each pass, as if its table were broken.
    s.execute_sql("ALTER TABLE outbox_cursors RENAME TO outbox_cursors_away");
    let status_of = |workers: &serde_json::Value, name: &str| {
        workers
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .map(|w| w["status"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let down = loop {
        let r = b.get("/healthz").await;
        if r.status == 503 && status_of(&r.json()["workers"], "reputation") == "down" {
            break r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never unhealthy: {}",
            r.body
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(down.headers.contains_key("retry-after"));
    let workers = down.json()["workers"].clone();
    let status_of = |name: &str| status_of(&workers, name);
    assert_eq!(status_of("search-indexer"), "ok", "{workers}");
    assert!(
        !down.body.contains("outbox_cursors"),
        "no internals: {}",
        down.body
    );
    let metrics = b.get("/metrics").await.body;
    assert!(
        metrics.contains("hearth_worker_healthy{worker=\"reputation\"} 0"),
        "{metrics}"
    );
    // Repaired: healthy again, nothing was dead-lettered for an outage.
    s.execute_sql("ALTER TABLE outbox_cursors_away RENAME TO outbox_cursors");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let r = b.get("/healthz").await;
        if r.status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never recovered: {}",
            r.body
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(s.forum.dead_letter_counts().unwrap().is_empty());
    s.stop().await;
}

/// Each consumer's lag comes from its real position: the search index's
/// from its own last commit (the old gauge read a cursor nothing wrote and
/// only grew), the others from their cursors. All reach 0 once caught up.
async fn lag_metrics_read_real_positions(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    for i in 0..3 {
        let r = ann
            .post_json(
                "/api/v1/threads",
                &json!({ "category": "general", "title": format!("Lag question {i}"), "body": "Body" }),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let b = Browser::new(&s.base);
    let consumers = ["search", "reputation", "kb", "notify", "crm"];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let m = b.get("/metrics").await.body;
        let caught_up = consumers
            .iter()
            .all(|c| m.contains(&format!("hearth_outbox_pending{{consumer=\"{c}\"}} 0\n")))
            && m.contains("hearth_outbox_pending_search 0\n");
        if caught_up {
            assert!(
                m.contains("hearth_worker_healthy{worker=\"search-indexer\"} 1"),
                "{m}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never caught up:\n{m}"
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    s.stop().await;
}

async fn search_finds(b: &Browser, id: i64) -> bool {
    b.get("/api/v1/search?q=spooler").await.json()["hits"]
        .as_array()
        .is_some_and(|h| h.iter().any(|d| d["id"] == id))
}

async fn caught_up(b: &Browser) -> bool {
    let m = b.get("/metrics").await.body;
    m.lines()
        .filter(|l| l.starts_with("hearth_outbox_pending{"))
        .all(|l| l.ends_with(" 0"))
}

fn before(deadline: std::time::Instant, what: &str) {
    assert!(std::time::Instant::now() < deadline, "timed out: {what}");
}

/// A node whose index is behind the pruned outbox (here: wiped, as on a
/// node that joins after pruning) cannot replay what is gone, so it builds
/// the index again from the tables and search finds the old thread.
async fn search_index_rebuilds_when_its_events_were_pruned(backend: Backend) {
    let s = server(backend).await;
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Spooler keeps crashing", "body": "Since the update." }),
        )
        .await;
    let id = t.json()["thread"]["id"].as_i64().unwrap();
    let b = Browser::new(&s.base);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !(search_finds(&b, id).await && caught_up(&b).await) {
        before(deadline, "indexed and every consumer caught up");
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let pruned = s.forum.prune_outbox(0, 100_000).unwrap();
    assert!(pruned > 0);
    assert!(s.forum.outbox_pruned_through().unwrap().is_some());
    std::fs::remove_dir_all(s.data_dir().join("search")).unwrap();
    let s = s.restart().await;
    let b = Browser::new(&s.base);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !search_finds(&b, id).await {
        before(deadline, "found again after the rebuild");
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let m = b.get("/metrics").await.body;
    assert!(m.contains("hearth_outbox_events "), "{m}");
    s.stop().await;
}
