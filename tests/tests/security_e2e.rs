//! Identity security over HTTP: sign-in throttling per account and per
//! address, hardened cookies, and CSRF on every state-changing form.

use std::sync::Arc;

use hearth_e2e::*;
use serde_json::json;

fn strict_login() -> Customize {
    Arc::new(|c: &mut web::Config| {
        c.login.max_failures_per_account = 3;
        c.login.max_failures_per_address = 6;
        c.login.lock_secs = 600;
    })
}

#[actix_rt::test]
async fn sign_in_is_throttled_per_account_and_per_address() {
    let s = start_with(
        Backend::Sqlite,
        64 * 1024,
        Default::default(),
        strict_login(),
    )
    .await
    .unwrap();
    for name in ["ann", "bob", "carl"] {
        let b = Browser::new(&s.base);
        b.register(name).await;
    }
    let page = Browser::new(&s.base);
    for _ in 0..3 {
        let r = page
            .submit(
                "/login",
                "/login",
                &[("login", "ann"), ("password", "wrong-password")],
            )
            .await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    // Locked: even the right password is refused, with a reason and a time.
    let r = page
        .submit(
            "/login",
            "/login",
            &[("login", "ann"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("Too many failed sign-ins"), "{}", r.body);
    assert!(r
        .headers
        .get("retry-after")
        .is_some_and(|v| v.parse::<u64>().unwrap_or(0) > 0));
    let api = Browser::new(&s.base);
    let r = api
        .post_json(
            "/api/v1/auth/token",
            &json!({ "login": "ann", "password": "password123" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (429, "too_many_attempts")
    );
    // Another account is not locked by ann's failures.
    let r = Browser::new(&s.base)
        .submit(
            "/login",
            "/login",
            &[("login", "bob"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Spraying many accounts from one address locks the address.
    for _ in 0..3 {
        let r = api
            .post_json(
                "/api/v1/auth/token",
                &json!({ "login": "carl", "password": "nope-nope" }),
            )
            .await;
        assert!(r.status == 401 || r.status == 429, "{}", r.body);
    }
    let r = api
        .post_json(
            "/api/v1/auth/token",
            &json!({ "login": "bob", "password": "password123" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (429, "too_many_attempts"),
        "6 failures from this address"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn cookies_are_secure_when_served_over_https() {
    let secure: Customize = Arc::new(|c: &mut web::Config| c.cookie_secure = true);
    let s = start_with(Backend::Sqlite, 64 * 1024, Default::default(), secure)
        .await
        .unwrap();
    let b = Browser::new(&s.base);
    let r = b.register("sam").await;
    let set = r.headers.get("set-cookie").cloned().unwrap_or_default();
    let session = set
        .lines()
        .find(|l| l.starts_with("hearth_session="))
        .expect("session cookie");
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{flag} missing: {session}");
    }
    let csrf = Browser::new(&s.base).get("/login").await.headers["set-cookie"].clone();
    assert!(
        csrf.contains("Secure") && csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"),
        "{csrf}"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn every_state_changing_form_demands_its_csrf_token() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    s.forum
        .register(forum::NewUser {
            language: None,
            username: "root".into(),
            email: "root@example.com".into(),
            password: Some("password123".into()),
            role: forum::Role::Admin,
            display_name: None,
        })
        .unwrap();
    let admin = Browser::new(&s.base);
    assert_eq!(
        admin
            .submit(
                "/login",
                "/login",
                &[("login", "root"), ("password", "password123")]
            )
            .await
            .status,
        303
    );
    let t = s
        .forum
        .create_thread(
            s.forum.find_user("root").unwrap().unwrap().actor(),
            forum::NewThread {
                category: "support".into(),
                title: "CSRF target".into(),
                body: "body".into(),
                tags: vec![],
            },
        )
        .unwrap();
    let before = s.forum.thread(t, None, 1, 10, false).unwrap();
    // A forged request carries every field a form could want, but not the
    // session's CSRF token.
    let fields: Vec<(&str, &str)> = vec![
        ("csrf", "forged-token"),
        ("body", "forged"),
        ("title", "forged"),
        ("on", "1"),
        ("status", "closed"),
        ("priority", "low"),
        ("owner", "none"),
        ("in_hours", "1"),
        ("note", "n"),
        ("email", "root@example.com"),
        ("password", "forged-password"),
        ("token", "0"),
        ("login", "root"),
        ("username", "forger"),
        ("category", "general"),
        ("of", "1"),
        ("id", "1"),
        ("helpful", "true"),
        ("locked", "1"),
        ("tags", ""),
        ("next", "/"),
        ("question", "q"),
        ("task_categories", "support"),
        ("no_response_hours", "1"),
        ("keywords", "x"),
        ("vip_segments", "vip"),
        ("default_priority", "normal"),
        ("escalated_priority", "high"),
        ("vip_priority", "urgent"),
        ("segments", "customer"),
        ("lifecycle_stages", "customer"),
        ("warn_before_minutes", "1"),
        ("low_first", "1"),
        ("low_resolution", "2"),
        ("normal_first", "1"),
        ("normal_resolution", "2"),
        ("high_first", "1"),
        ("high_resolution", "2"),
        ("urgent_first", "1"),
        ("urgent_resolution", "2"),
        ("mode_reply", "off"),
        ("decision", "approve"),
        ("reason", "spam"),
        ("days", "1"),
        ("slug", "forged"),
        ("name", "Forged"),
        ("see_min_role", "customer"),
        ("start_threads", "everyone"),
        ("crm_tasks", "rules"),
        ("premoderation", "none"),
        ("direction", "up"),
        ("site_name", "Forged"),
        ("key", "site_name"),
    ];
    let p = before.question.id;
    let routes = [
        "/admin/boards".to_string(),
        "/admin/boards/general".into(),
        "/admin/boards/general/archive".into(),
        "/admin/boards/general/move".into(),
        "/admin/boards/general/unarchive".into(),
        "/admin/crm/replay".into(),
        "/admin/settings".into(),
        "/admin/settings/reset".into(),
        "/admin/crm/rules".into(),
        "/agent/canned".into(),
        "/agent/canned/1/delete".into(),
        "/agent/reminders/1/dismiss".into(),
        "/agent/tasks/1/claim".into(),
        "/agent/tasks/1/remind".into(),
        "/agent/tasks/1/reply".into(),
        "/agent/tasks/1/update".into(),
        "/admin/users/1/confirm-email".into(),
        "/ask".into(),
        "/c/general/watch".into(),
        "/confirm-email".into(),
        format!("/confirm-email/{}", "0".repeat(64)),
        "/kb/x/edit".into(),
        "/kb/x/feedback".into(),
        "/kb/x/status".into(),
        "/login".into(),
        "/logout".into(),
        "/mod/review/1/claim".into(),
        "/mod/review/1/decide".into(),
        "/mod/review/bulk".into(),
        "/notifications/read".into(),
        format!("/p/{p}/accept"),
        format!("/p/{p}/delete"),
        format!("/p/{p}/edit"),
        format!("/p/{p}/report"),
        format!("/p/{p}/vote"),
        "/password/forgot".into(),
        "/password/reset".into(),
        "/register".into(),
        "/settings/notifications".into(),
        format!("/t/{t}/duplicate"),
        format!("/t/{t}/escalate"),
        format!("/t/{t}/lock"),
        format!("/t/{t}/move"),
        format!("/t/{t}/promote"),
        format!("/t/{t}/reply"),
        format!("/t/{t}/watch"),
    ];
    for route in &routes {
        let r = admin.post_form(route, &fields).await;
        assert_eq!(
            r.status,
            403,
            "{route} accepted a forged form: {} {}",
            r.status,
            r.body.chars().take(300).collect::<String>()
        );
    }
    // Nothing happened, and the real session still works.
    let after = s.forum.thread(t, None, 1, 10, false).unwrap();
    assert_eq!(after.total_replies, before.total_replies);
    assert_eq!(after.thread.status, before.thread.status);
    assert_eq!(admin.get("/agent").await.status, 200);
    s.stop().await;
}
