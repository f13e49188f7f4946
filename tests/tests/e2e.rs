//! End-to-end tests over real HTTP against a real server.

use hearth_e2e::*;
use serde_json::json;

const BODY_LIMIT: usize = 64 * 1024;

async fn sqlite() -> TestServer {
    start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server")
}

/// The core story over the API: ask, answer, accept, and see it solved in
/// both the API and the HTML page. Runs on both backends.
async fn ask_answer_accept_flow(server: &TestServer) {
    let (asker, asker_id) = api_user(&server.base, "asker").await;
    let (helper, helper_id) = api_user(&server.base, "helper").await;
    let (bystander, _) = api_user(&server.base, "bystander").await;

    let t = asker
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": "Router keeps rebooting", "body": "Every night at 3am.", "tags": ["router"] }),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let thread_id = t.json()["thread"]["id"].as_i64().unwrap();
    assert_eq!(t.json()["thread"]["status"], "open");
    assert_eq!(t.json()["thread"]["author"]["id"], asker_id);

    let r = helper
        .post_json(
            &format!("/api/v1/threads/{thread_id}/posts"),
            &json!({ "body": "Disable the **auto-update** window." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let answer_id = r.json()["id"].as_i64().unwrap();
    assert!(r.json()["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>auto-update</strong>"));

    // Kudos: one per user, never on your own post.
    assert_eq!(
        helper
            .post_json(&format!("/api/v1/posts/{answer_id}/vote"), &json!({}))
            .await
            .status,
        403
    );
    let v = bystander
        .post_json(&format!("/api/v1/posts/{answer_id}/vote"), &json!({}))
        .await;
    assert_eq!((v.status, v.json()["kudos"].as_i64()), (200, Some(1)));
    let v = bystander
        .post_json(&format!("/api/v1/posts/{answer_id}/vote"), &json!({}))
        .await;
    assert_eq!(v.json()["kudos"], 1);

    // Only the asker (or a moderator) accepts.
    let denied = bystander
        .post_json(&format!("/api/v1/posts/{answer_id}/accept"), &json!({}))
        .await;
    assert_eq!(
        (denied.status, denied.error_code().as_str()),
        (403, "forbidden")
    );
    let ok = asker
        .post_json(&format!("/api/v1/posts/{answer_id}/accept"), &json!({}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["status"], "solved");

    let anon = Browser::new(&server.base);
    let thread = anon.get(&format!("/api/v1/threads/{thread_id}")).await;
    assert_eq!(thread.status, 200);
    let j = thread.json();
    assert_eq!(j["thread"]["status"], "solved");
    assert_eq!(j["thread"]["accepted_post_id"], answer_id);
    assert_eq!(j["replies"][0]["is_accepted"], true);
    assert_eq!(j["replies"][0]["author"]["id"], helper_id);

    let html = anon.get(&format!("/t/{thread_id}")).await;
    assert_eq!(html.status, 200);
    assert!(
        html.body.contains("class=\"status solved\""),
        "{}",
        html.body
    );
    assert!(html.body.contains("Accepted solution"));
    assert!(html.body.contains("<strong>auto-update</strong>"));

    let list = anon
        .get("/api/v1/categories/support/threads?sort=solved")
        .await;
    assert_eq!(list.json()["threads"][0]["id"], thread_id);
    let profile = anon.get(&format!("/api/v1/users/{helper_id}")).await;
    assert_eq!(profile.json()["accepted_answers"], 1);
    assert_eq!(profile.json()["kudos_received"], 1);
    assert!(
        profile.json()["user"].get("email").is_none(),
        "emails are private"
    );
}

#[actix_rt::test]
async fn ask_answer_accept_on_sqlite() {
    let s = sqlite().await;
    ask_answer_accept_flow(&s).await;
    s.stop().await;
}

#[actix_rt::test]
async fn ask_answer_accept_on_postgres() {
    let Some(s) = start(Backend::Postgres, BODY_LIMIT).await else {
        return;
    };
    ask_answer_accept_flow(&s).await;
    s.stop().await;
}

/// The same story through the HTML forms, as a browser without JavaScript.
#[actix_rt::test]
async fn html_forms_flow_with_csrf() {
    let s = sqlite().await;
    let asker = Browser::new(&s.base);
    asker.register("pageasker").await;
    assert!(asker.cookie("hearth_session").is_some());

    let ask = asker
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "support"),
                ("title", "Где найти счёт?"),
                ("body", "Не вижу счёт в кабинете."),
                ("tags", "счёт, billing"),
            ],
        )
        .await;
    assert_eq!(ask.status, 303, "{}", ask.body);
    let thread_path = ask.location().to_string();
    assert!(thread_path.starts_with("/t/"));

    let helper = Browser::new(&s.base);
    helper.register("pagehelper").await;
    let reply = helper
        .submit(
            &thread_path,
            &format!("{thread_path}/reply"),
            &[("body", "Раздел «Платежи» → «Счета».")],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let post_id: i64 = reply
        .location()
        .rsplit("#p")
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let page = asker.get(&thread_path).await;
    assert!(
        page.body
            .contains(&format!("action=\"/p/{post_id}/accept\"")),
        "asker sees the accept button"
    );
    let helper_page = helper.get(&thread_path).await;
    assert!(
        !helper_page
            .body
            .contains(&format!("action=\"/p/{post_id}/accept\"")),
        "others do not"
    );

    let accept = asker
        .submit(&thread_path, &format!("/p/{post_id}/accept"), &[])
        .await;
    assert_eq!(accept.status, 303, "{}", accept.body);
    let solved = Browser::new(&s.base).get(&thread_path).await;
    assert!(solved.body.contains("class=\"status solved\""));
    assert!(solved.body.contains("Раздел «Платежи» → «Счета»."));
    assert!(solved.body.contains("dir=\"auto\""));

    // A form without the right token changes nothing.
    let forged = helper
        .post_form(
            &format!("{thread_path}/reply"),
            &[("csrf", "0".repeat(64).as_str()), ("body", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let none = helper
        .post_form(&format!("{thread_path}/reply"), &[("body", "forged")])
        .await;
    assert_eq!(none.status, 400, "missing field is a bad form");
    let fresh = Browser::new(&s.base);
    let stranger = fresh
        .post_form(
            &format!("{thread_path}/reply"),
            &[("csrf", "x"), ("body", "forged")],
        )
        .await;
    assert_eq!(stranger.status, 403);
    assert!(!asker.get(&thread_path).await.body.contains("forged"));

    // Validation errors keep what was typed and explain.
    let bad = asker
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "support"),
                ("title", "Hi"),
                ("body", "Keep this text"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("at least 5 characters") && bad.body.contains("Keep this text"));

    // Sign out, and the session is gone server-side too.
    let old_session = asker.cookie("hearth_session").unwrap();
    let out = asker.submit("/", "/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert!(s
        .forum
        .user_for_token(&old_session, forum::TokenKind::Session)
        .unwrap()
        .is_none());
    let login_again = asker
        .submit(
            "/login",
            "/login",
            &[
                ("login", "pageasker"),
                ("password", "password123"),
                ("next", "/u/1"),
            ],
        )
        .await;
    assert_eq!((login_again.status, login_again.location()), (303, "/u/1"));
    let wrong = Browser::new(&s.base)
        .submit(
            "/login",
            "/login",
            &[("login", "pageasker"), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("Wrong username or password"));
    s.stop().await;
}

#[actix_rt::test]
async fn session_cookies_are_hardened_and_rotated() {
    let s = sqlite().await;
    let b = Browser::new(&s.base);
    let first = b.register("rotator").await;
    let set = first.headers.get("set-cookie").cloned().unwrap_or_default();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let before = b.cookie("hearth_session").unwrap();
    let login = b
        .submit(
            "/login",
            "/login",
            &[("login", "rotator"), ("password", "password123")],
        )
        .await;
    assert_eq!(login.status, 303);
    let after = b.cookie("hearth_session").unwrap();
    assert_ne!(before, after, "login issues a new session id");
    assert!(
        s.forum
            .user_for_token(&before, forum::TokenKind::Session)
            .unwrap()
            .is_none(),
        "the old one is revoked"
    );
    let csrf_cookie = Browser::new(&s.base).get("/login").await.headers["set-cookie"].clone();
    assert!(
        csrf_cookie.contains("SameSite=Strict") && csrf_cookie.contains("HttpOnly"),
        "{csrf_cookie}"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn private_boards_and_roles_over_http() {
    let s = sqlite().await;
    let agent = api_staff(&s, "agentsmith", forum::Role::Agent).await;
    let moderator = api_staff(&s, "modmia", forum::Role::Moderator).await;
    let (customer, _) = api_user(&s.base, "curious").await;
    let anon = Browser::new(&s.base);

    let t = agent
        .post_json("/api/v1/threads", &json!({ "category": "staff", "title": "Escalation playbook draft", "body": "Internal only." }))
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let staff_thread = t.json()["thread"]["id"].as_i64().unwrap();

    for b in [&customer, &anon] {
        assert_eq!(
            b.get(&format!("/api/v1/threads/{staff_thread}"))
                .await
                .status,
            404
        );
        assert_eq!(b.get("/api/v1/categories/staff/threads").await.status, 404);
        let cats = b.get("/api/v1/categories").await.json();
        assert!(!cats["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "staff"));
    }
    assert_eq!(anon.get(&format!("/t/{staff_thread}")).await.status, 404);
    assert_eq!(anon.get("/c/staff").await.status, 404);
    assert!(!anon.get("/").await.body.contains("/c/staff"));
    assert_eq!(
        agent
            .get(&format!("/api/v1/threads/{staff_thread}"))
            .await
            .status,
        200
    );
    assert_eq!(
        moderator
            .get("/api/v1/categories/staff/threads")
            .await
            .json()["total"],
        1
    );

    // Roles: 401 without a token, 403 for the wrong role.
    let q = customer
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Public question here", "body": "Body" }),
        )
        .await;
    let question_post = q.json()["question"]["id"].as_i64().unwrap();
    let thread_id = q.json()["thread"]["id"].as_i64().unwrap();
    let unauth = anon
        .post_json(
            &format!("/api/v1/threads/{thread_id}/posts"),
            &json!({ "body": "hi" }),
        )
        .await;
    assert_eq!(
        (unauth.status, unauth.error_code().as_str()),
        (401, "unauthenticated")
    );
    assert_eq!(
        unauth.headers.get("www-authenticate").map(String::as_str),
        Some("Bearer")
    );
    let mut forged = Browser::new(&s.base);
    forged.bearer = Some("f".repeat(64));
    assert_eq!(
        forged.get("/api/v1/categories").await.status,
        401,
        "a bad token is refused, not ignored"
    );
    let del = customer
        .delete(&format!("/api/v1/posts/{question_post}"))
        .await;
    assert_eq!((del.status, del.error_code().as_str()), (403, "forbidden"));
    let lock = agent
        .post_json(
            &format!("/api/v1/threads/{thread_id}/lock"),
            &json!({ "locked": true }),
        )
        .await;
    assert_eq!(lock.status, 403, "agents do not moderate");
    let mk = customer
        .post_json(
            "/api/v1/categories",
            &json!({ "slug": "mine", "name": "Mine" }),
        )
        .await;
    assert_eq!(mk.status, 403);

    // Moderators edit (with history), lock and delete.
    let edit = moderator
        .patch_json(
            &format!("/api/v1/posts/{question_post}"),
            &json!({ "title": "Public question, clarified", "body": "Body, edited" }),
        )
        .await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    let revs = anon
        .get(&format!("/api/v1/posts/{question_post}/revisions"))
        .await
        .json();
    assert_eq!(revs["revisions"].as_array().unwrap().len(), 2);
    assert!(anon
        .get(&format!("/p/{question_post}/history"))
        .await
        .body
        .contains("Body, edited"));
    assert_eq!(
        moderator
            .post_json(
                &format!("/api/v1/threads/{thread_id}/lock"),
                &json!({ "locked": true })
            )
            .await
            .status,
        204
    );
    let locked = customer
        .post_json(
            &format!("/api/v1/threads/{thread_id}/posts"),
            &json!({ "body": "me too" }),
        )
        .await;
    assert_eq!(locked.status, 403);
    assert_eq!(
        moderator
            .delete(&format!("/api/v1/posts/{question_post}"))
            .await
            .status,
        204
    );
    assert_eq!(
        anon.get(&format!("/api/v1/threads/{thread_id}"))
            .await
            .status,
        404
    );
    s.stop().await;
}

#[actix_rt::test]
async fn markdown_xss_comes_back_inert() {
    let s = sqlite().await;
    let (b, _) = api_user(&s.base, "mallory").await;
    let attack = "Hi <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n\
                  <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">a</a>\n\n<iframe src=\"//evil\"></iframe>\n\n\
                  <svg><script>alert(4)</script></svg>\n\n<form action=\"/logout\"><button>x</button></form>";
    let t = b
        .post_json("/api/v1/threads", &json!({ "category": "general", "title": "<script>alert('title')</script>", "body": attack }))
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let id = t.json()["thread"]["id"].as_i64().unwrap();
    b.post_json(
        &format!("/api/v1/threads/{id}/posts"),
        &json!({ "body": attack }),
    )
    .await;
    let page = Browser::new(&s.base).get(&format!("/t/{id}")).await;
    // The page's own scripts (served by Hearth, under /static/) are the
    // only ones allowed; take them out before looking for injected ones.
    let mut lower = page.body.to_lowercase();
    while let Some(start) = lower.find("<script src=\"/static/") {
        let end = lower[start..]
            .find("</script>")
            .map_or(lower.len(), |e| start + e + "</script>".len());
        lower.replace_range(start..end, "");
    }
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<svg",
        "<form action=\"/logout\"",
    ] {
        assert!(!lower.contains(bad), "{bad} survived in the page");
    }
    assert!(
        page.body.contains("&lt;script&gt;alert"),
        "the title is shown as text"
    );
    let csp = page
        .headers
        .get("content-security-policy")
        .cloned()
        .unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "defence in depth: {csp}");
    let api = Browser::new(&s.base)
        .get(&format!("/api/v1/threads/{id}"))
        .await
        .json();
    let html = api["question"]["body_html"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(
        !html.contains("<script") && !html.contains("javascript:") && !html.contains("onerror")
    );
    s.stop().await;
}

#[actix_rt::test]
async fn bad_input_gets_clear_errors_never_500() {
    let s = start(Backend::Sqlite, 4096).await.unwrap();
    let (b, _) = api_user(&s.base, "tester").await;

    let v = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": "x", "body": "b" }),
        )
        .await;
    assert_eq!(v.status, 422);
    assert_eq!(v.json()["error"]["code"], "validation_failed");
    assert_eq!(v.json()["error"]["field"], "title");
    let v = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "nowhere", "title": "Valid title", "body": "b" }),
        )
        .await;
    assert_eq!(
        (v.status, v.json()["error"]["field"].as_str()),
        (422, Some("category"))
    );
    let v = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": "Valid title", "body": "  " }),
        )
        .await;
    assert_eq!(v.json()["error"]["field"], "body");
    let v = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": 5, "body": "b" }),
        )
        .await;
    assert_eq!(
        (v.status, v.error_code().as_str()),
        (422, "validation_failed")
    );
    let v = b
        .post_raw(
            "/api/v1/threads",
            "application/json",
            b"{\"category\": ".to_vec(),
        )
        .await;
    assert_eq!((v.status, v.error_code().as_str()), (400, "bad_request"));
    let v = b
        .post_raw("/api/v1/threads", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(
        (v.status, v.error_code().as_str()),
        (415, "unsupported_media_type")
    );
    let big = "x".repeat(10_000);
    let v = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": "Big body", "body": big }),
        )
        .await;
    assert_eq!(
        (v.status, v.error_code().as_str()),
        (413, "payload_too_large")
    );
    let v = b.get("/api/v1/threads/not-a-number").await;
    assert_eq!((v.status, v.error_code().as_str()), (404, "not_found"));
    let v = b.get("/api/v1/threads/999999").await;
    assert_eq!((v.status, v.error_code().as_str()), (404, "not_found"));
    let v = b
        .get("/api/v1/categories/support/threads?sort=sideways")
        .await;
    assert_eq!(
        (v.status, v.json()["error"]["field"].as_str()),
        (422, Some("sort"))
    );
    let v = b.get("/api/v1/categories/support/threads?page=minus").await;
    assert_eq!((v.status, v.error_code().as_str()), (400, "bad_request"));
    let v = b.get("/api/v1/no/such/route").await;
    assert_eq!((v.status, v.error_code().as_str()), (404, "not_found"));
    let dup = b
        .post_json(
            "/api/v1/users",
            &json!({ "username": "TESTER", "email": "t2@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!((dup.status, dup.error_code().as_str()), (409, "conflict"));
    let creds = b
        .post_json(
            "/api/v1/auth/token",
            &json!({ "login": "tester", "password": "wrong-one" }),
        )
        .await;
    assert_eq!(
        (creds.status, creds.error_code().as_str()),
        (401, "bad_credentials")
    );

    // HTML routes answer with friendly pages, same statuses.
    let anon = Browser::new(&s.base);
    let p = anon.get("/t/999999").await;
    assert_eq!(p.status, 404);
    assert!(p.headers["content-type"].starts_with("text/html") && p.body.contains("Not found"));
    assert_eq!(anon.get("/t/abc").await.status, 404);
    assert_eq!(anon.get("/nowhere").await.status, 404);
    let big_form = anon
        .post_form(
            "/login",
            &[
                ("csrf", "x"),
                ("login", &"y".repeat(8000)),
                ("password", "p"),
            ],
        )
        .await;
    assert_eq!(big_form.status, 413);
    assert!(big_form.body.contains("Too large"));
    let ask = anon.get("/ask").await;
    assert_eq!(
        (ask.status, ask.location().starts_with("/login?next=")),
        (303, true)
    );

    // Nothing half-written: no thread came out of all that.
    let list = anon.get("/api/v1/categories/support/threads").await.json();
    assert_eq!(list["total"], 0);
    s.stop().await;
}

/// Error pages have the frame of every other page: the configured site
/// name, and a signed-in member shown signed in, with a sign-out form that
/// works.
#[actix_rt::test]
async fn error_pages_show_the_member_and_the_site_name() {
    let s = start_with_config(Backend::Sqlite, BODY_LIMIT, |c, _| {
        c.site_name = "Acme Owners' Club".into();
    })
    .await
    .expect("sqlite server");
    let site = "Acme Owners&#x27; Club";
    let member = Browser::new(&s.base);
    member.register("frodo").await;
    // No such route, nothing with that id, a path that does not parse, a
    // handler's not-found.
    for path in ["/nowhere", "/t/999999", "/t/abc", "/c/no-such-board"] {
        let p = member.get(path).await;
        assert_eq!(p.status, 404, "{path}");
        assert!(p.body.contains("<h1>Not found</h1>"), "{path}: {}", p.body);
        assert!(
            p.body
                .contains(&format!("<title>Not found · {site}</title>")),
            "{path}: the configured site name: {}",
            p.body
        );
        assert!(!p.body.contains("Hearth Community"), "{path}");
        assert!(
            p.body.contains("dir=\"auto\">frodo</a>") && p.body.contains("Sign out"),
            "{path}: shown signed in: {}",
            p.body
        );
        assert!(
            !p.body.contains("href=\"/login\""),
            "{path}: not as a visitor"
        );
    }
    // Other statuses too: a form with a stale token.
    let stale = member
        .post_form("/t/1/reply", &[("csrf", "stale"), ("body", "hi")])
        .await;
    assert_eq!(stale.status, 403);
    assert!(stale.body.contains(site) && stale.body.contains("dir=\"auto\">frodo</a>"));

    // The frame's sign-out form carries this request's token.
    let p = member.get("/nowhere").await;
    let csrf = extract_csrf(&p.body).expect("a sign-out form");
    assert_eq!(
        member.post_form("/logout", &[("csrf", &csrf)]).await.status,
        303
    );
    let p = member.get("/nowhere").await;
    assert!(
        p.body.contains(site) && p.body.contains("href=\"/login\""),
        "signed out: {}",
        p.body
    );

    // Refused before routing (a control character): no session lookup, so
    // a visitor's frame, but still the configured name.
    let p = Browser::new(&s.base).get("/t/1?q=%01").await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains(site) && p.body.contains("href=\"/login\""),
        "{}",
        p.body
    );
    s.stop().await;
}

#[actix_rt::test]
async fn openapi_health_and_metrics() {
    let s = sqlite().await;
    let b = Browser::new(&s.base);
    let doc = b.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    // Routing and schemas against the document: openapi_e2e.rs.
    assert!(doc["paths"]["/threads/{id}"]["get"].is_object());
    let h = b.get("/healthz").await;
    assert_eq!((h.status, h.json()["status"].as_str()), (200, Some("ok")));
    let m = b.get("/metrics").await;
    assert_eq!(m.status, 200);
    assert!(
        m.body.contains(
            "hearth_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{}",
        m.body
    );
    assert!(m
        .body
        .contains("hearth_http_request_duration_seconds_bucket"));
    assert!(m.body.contains("hearth_crm_dead_letters 0"), "{}", m.body);
    assert!(m.body.contains("hearth_outbox_pending_search"));
    s.stop().await;
}

#[actix_rt::test]
async fn category_pages_sort_and_paginate() {
    let s = sqlite().await;
    let (b, _) = api_user(&s.base, "prolific").await;
    let (other, _) = api_user(&s.base, "answerer").await;
    let mut ids = Vec::new();
    for i in 0..23 {
        let t = b
            .post_json("/api/v1/threads", &json!({ "category": "general", "title": format!("Pagination thread {i:02}"), "body": "b" }))
            .await;
        ids.push(t.json()["thread"]["id"].as_i64().unwrap());
    }
    other
        .post_json(
            &format!("/api/v1/threads/{}/posts", ids[0]),
            &json!({ "body": "answer" }),
        )
        .await;
    let anon = Browser::new(&s.base);
    let p1 = anon.get("/c/general").await;
    assert_eq!(p1.status, 200);
    assert!(p1.body.contains("Page 1 of 2"));
    assert!(p1.body.contains("rel=\"next\""));
    let first_link = p1.body.find("Pagination thread 00").unwrap();
    let newest = p1.body.find("Pagination thread 22").unwrap();
    assert!(
        first_link < newest,
        "the answered thread was bumped to the top"
    );
    let p2 = anon.get("/c/general?page=2").await;
    assert!(p2.body.contains("Page 2 of 2") && p2.body.contains("rel=\"prev\""));
    let unanswered = anon.get("/c/general?sort=unanswered").await;
    assert!(!unanswered.body.contains("Pagination thread 00<"));
    let api = anon
        .get("/api/v1/categories/general/threads?per_page=5&page=2")
        .await
        .json();
    assert_eq!(api["threads"].as_array().unwrap().len(), 5);
    assert_eq!(api["total"], 23);
    let home = anon.get("/").await;
    assert!(home.body.contains("/c/general") && home.body.contains("23 threads"));
    s.stop().await;
}

/// Error pages speak the member's language: a member who chose Persian gets
/// a right-to-left Persian 404 and 413, still signed in, with the site name.
#[actix_rt::test]
async fn error_pages_speak_the_members_language() {
    let s = start_with_config(Backend::Sqlite, BODY_LIMIT, |c, _| {
        c.site_name = "Acme".into();
    })
    .await
    .expect("sqlite server");
    let member = Browser::new(&s.base);
    member.register("samira").await;
    member.choose_language("fa").await;
    let home = member.get("/").await;
    assert!(
        home.body.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "{}",
        home.body
    );

    let p = member.get("/nowhere").await;
    assert_eq!(p.status, 404);
    assert!(
        p.body.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "{}",
        p.body
    );
    assert!(p.body.contains("<h1>پیدا نشد</h1>"), "{}", p.body);
    assert!(
        p.body.contains("<title>پیدا نشد · Acme</title>"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("dir=\"auto\">samira</a>"),
        "signed in: {}",
        p.body
    );

    // Too large a reply: 413, in Persian, still signed in.
    let thread = {
        let page = member.get("/ask").await;
        let csrf = extract_csrf(&page.body).expect("a form");
        let r = member
            .post_form(
                "/ask",
                &[
                    ("csrf", &csrf),
                    ("category", "general"),
                    ("title", "Printer offline"),
                    ("body", "Since Monday"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        r.location().to_string()
    };
    let page = member.get(&thread).await;
    let csrf = extract_csrf(&page.body).expect("a reply form");
    let huge = "x".repeat(BODY_LIMIT + 1024);
    let p = member
        .post_form(
            &format!("{thread}/reply"),
            &[("csrf", &csrf), ("body", &huge)],
        )
        .await;
    assert_eq!(p.status, 413, "{}", p.body);
    assert!(p.body.contains("<h1>بیش از اندازه بزرگ</h1>"), "{}", p.body);
    assert!(
        p.body.contains("dir=\"auto\">samira</a>"),
        "signed in: {}",
        p.body
    );
    s.stop().await;
}

/// A reply over the length limit comes back in the composer, whole, with
/// the limit explained, in the reader's language; nothing is posted.
#[actix_web::test]
async fn a_reply_too_long_keeps_its_text() {
    let s = start(Backend::Sqlite, 1 << 20)
        .await
        .expect("sqlite server");
    let member = Browser::new(&s.base);
    member.register("samira").await;
    let asked = member
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "general"),
                ("title", "Printer offline"),
                ("body", "Since Monday"),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let thread = asked.location().to_string();
    // 50,001 characters in Cyrillic: over the limit, under the byte limit.
    let long = format!("Начало. {}", "я".repeat(49_994));
    assert_eq!(long.chars().count(), 50_002);
    let r = member
        .submit(&thread, &format!("{thread}/reply"), &[("body", &long)])
        .await;
    assert_eq!(r.status, 422, "{}", &r.body[..r.body.len().min(2000)]);
    assert!(
        r.body
            .contains("the text can have at most 50000 characters"),
        "the limit explained"
    );
    let area = &r.body[r.body.find("<textarea id=\"body\"").expect("the composer")..];
    let text = &area[area.find('>').unwrap() + 1..area.find("</textarea>").unwrap()];
    assert_eq!(text, long, "the text, whole, in the composer");
    assert!(area.starts_with("<textarea id=\"body\" name=\"body\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    // Nothing was posted.
    let page = member.get(&thread).await;
    assert!(!page.body.contains("Начало."));
    // In Persian, the same refusal reads in Persian.
    member.choose_language("fa").await;
    let r = member
        .submit(&thread, &format!("{thread}/reply"), &[("body", &long)])
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("«متن» حداکثر می‌تواند ۵۰٬۰۰۰ نویسه داشته باشد."),
        "{}",
        &r.body[..r.body.len().min(3000)]
    );
    s.stop().await;
}

/// A member edits their own profile (name, bio, language) and changes
/// their password: the current one is required, and their other sessions
/// end while this one stays signed in.
#[actix_web::test]
async fn members_edit_their_profile_and_change_their_password() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    let me = Browser::new(&s.base);
    me.register("olga").await;
    let other_device = Browser::new(&s.base);
    let r = other_device
        .submit(
            "/login",
            "/login",
            &[("login", "olga"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let r = me
        .submit(
            "/settings/profile",
            "/settings/profile",
            &[
                ("display_name", "Ольга К."),
                ("bio", "Сетевой инженер. Люблю роутеры."),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/settings/profile?saved=1");
    let page = me.get("/settings/profile?saved=1").await;
    assert!(
        page.body.contains("<html lang=\"ru\""),
        "the language took effect"
    );
    assert!(page.body.contains("Профиль сохранён."), "{}", page.body);
    let id = s.forum.find_user("olga").unwrap().unwrap().id;
    let profile = Browser::new(&s.base).get(&format!("/u/{id}")).await;
    assert!(profile.body.contains("Ольга К."), "{}", profile.body);
    assert!(
        profile
            .body
            .contains("<p dir=\"auto\">Сетевой инженер. Люблю роутеры.</p>"),
        "{}",
        profile.body
    );
    // Too long a bio: the form comes back as typed, with the rule.
    let long = "б".repeat(1001);
    let r = me
        .submit(
            "/settings/profile",
            "/settings/profile",
            &[("display_name", "Ольга К."), ("bio", &long)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("В поле «О себе» может быть не больше 1000 символов."),
        "{}",
        r.body
    );
    assert!(r.body.contains(&long));

    // The password: wrong current one refused, nothing changes.
    let r = me
        .submit(
            "/settings/profile",
            "/settings/password",
            &[
                ("current_password", "guess"),
                ("new_password", "new-password-456"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Это не ваш текущий пароль."), "{}", r.body);
    assert_eq!(other_device.get("/settings/profile").await.status, 200);
    let r = me
        .submit(
            "/settings/profile",
            "/settings/password",
            &[
                ("current_password", "password123"),
                ("new_password", "new-password-456"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // This session stays; the other device is signed out.
    assert_eq!(me.get("/settings/profile").await.status, 200);
    let elsewhere = other_device.get("/settings/profile").await;
    assert_eq!(elsewhere.status, 303, "signed out elsewhere");
    assert!(s.forum.authenticate("olga", "password123").is_err());
    assert!(s.forum.authenticate("olga", "new-password-456").is_ok());
    s.stop().await;
}

/// A member's profile has activity tabs: their questions (the default),
/// their replies (linked to each reply, with its opening words) and their
/// accepted answers.
#[actix_web::test]
async fn profiles_show_questions_replies_and_solutions_in_tabs() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, bob_id) = api_user(&s.base, "bob").await;
    let asked = post_thread(&bob, "general", "Which router is quiet", "Fans are loud.").await;
    let t = post_thread(&ann, "support", "Printer offline", "Since Monday.").await;
    let reply = post_reply(&bob, t, "Restart the **spooler** service.").await;
    let r = ann
        .post_json(
            &format!("/api/v1/posts/{reply}/accept"),
            &serde_json::json!({}),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    let visitor = Browser::new(&s.base);
    let questions = visitor.get(&format!("/u/{bob_id}")).await.body;
    assert!(
        questions.contains(&format!("href=\"/t/{asked}\"")),
        "{questions}"
    );
    assert!(
        questions.contains("aria-current=\"page\">Recent questions</a>"),
        "{questions}"
    );
    let replies = visitor.get(&format!("/u/{bob_id}?tab=replies")).await.body;
    assert!(
        replies.contains(&format!("href=\"/p/{reply}\"")),
        "{replies}"
    );
    assert!(
        replies.contains("Restart the spooler service."),
        "{replies}"
    );
    assert!(
        !replies.contains(&format!("href=\"/t/{asked}\"")),
        "{replies}"
    );
    let solutions = visitor
        .get(&format!("/u/{bob_id}?tab=solutions"))
        .await
        .body;
    assert!(
        solutions.contains(&format!("href=\"/t/{t}\"")),
        "{solutions}"
    );
    s.stop().await;
}

/// A refused form says which rule refused it, in the reader's language,
/// with the rule's figures (Russian plurals, Persian digits).
#[actix_web::test]
async fn refusals_name_the_rule_in_the_readers_language() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    Browser::new(&s.base).register("olga").await;

    let visitor = Browser::new(&s.base);
    visitor.choose_language("ru").await;
    let taken = visitor
        .try_register("olga", "other@example.com", "password123")
        .await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert!(
        taken
            .body
            .contains("Это имя пользователя уже занято; выберите другое."),
        "{}",
        taken.body
    );
    let short = visitor
        .try_register("pavel", "pavel@example.com", "short")
        .await;
    assert_eq!(short.status, 422, "{}", short.body);
    assert!(
        short
            .body
            .contains("В поле «Пароль» нужно не меньше 8 символов."),
        "{}",
        short.body
    );

    let member = Browser::new(&s.base);
    member.register("samira").await;
    member.choose_language("fa").await;
    let asked = member
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "general"),
                ("title", "چاپ"),
                ("body", "از دوشنبه کار نمی‌کند"),
            ],
        )
        .await;
    assert_eq!(asked.status, 422, "{}", asked.body);
    assert!(
        asked.body.contains("«عنوان» دست‌کم به ۵ نویسه نیاز دارد."),
        "{}",
        asked.body
    );
    // The member's words stay in the form.
    assert!(
        asked.body.contains("از دوشنبه کار نمی‌کند"),
        "{}",
        asked.body
    );
    s.stop().await;
}
