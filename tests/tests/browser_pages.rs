//! Every page in a real browser (Debian's Chromium via playwright-core, with
//! axe-core), for a visitor, a customer, a support agent, a moderator and an
//! admin, at 1280×800 and 390×844, in the English and the Persian interface:
//! `tests/browser/every_page.mjs` checks no script errors, no sideways
//! scroll, a phone header of at most 64 px, `<html lang dir>`, the frame on
//! the reading side, and zero axe-core violations. Without the browser tools
//! this fails unless `HEARTH_TEST_SKIP=browser`.

use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

#[actix_rt::test]
async fn every_page_for_every_role_in_english_and_persian() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 256 * 1024).await.unwrap();
    let (carla, carla_id) = api_user(&s.base, "carla").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let agent = api_staff(&s, "agnes", forum::Role::Agent).await;
    let moderator = api_staff(&s, "moritz", forum::Role::Moderator).await;
    api_staff(&s, "ada", forum::Role::Admin).await;

    // A community with content in both directions: an English thread
    // answered and accepted (then promoted to the knowledge base), and a
    // Persian one.
    let solved = post_thread(
        &carla,
        "support",
        "Router drops Wi-Fi every night",
        "Every night at two the Wi-Fi goes away until I restart the router.",
    )
    .await;
    let answer = post_reply(
        &bob,
        solved,
        "Turn off the nightly channel scan in the router's wireless settings.",
    )
    .await;
    let r = carla
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    let persian = post_thread(
        &bob,
        "support",
        "چگونه رمز عبور را تغییر دهم؟",
        "می‌خواهم رمز عبور حسابم را عوض کنم ولی گزینه‌اش را پیدا نمی‌کنم.",
    )
    .await;
    post_reply(
        &carla,
        persian,
        "از بخش تنظیمات حساب، گزینهٔ امنیت را باز کنید.",
    )
    .await;
    let r = agent
        .post_json(&format!("/api/v1/threads/{solved}/promote"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    let slug = r.json()["slug"].as_str().unwrap().to_string();
    let r = moderator
        .post_json(&format!("/api/v1/kb/{slug}/publish"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // An ideas board with an idea in each direction, one with a status
    // change on its timeline.
    s.forum
        .create_board(
            None,
            forum::boards::NewBoard {
                slug: "ideas".into(),
                name: "Product ideas".into(),
                kind: Some(forum::boards::BoardKind::Ideas),
                ..Default::default()
            },
        )
        .unwrap();
    let mut ideas = Vec::new();
    for (title, description) in [
        ("Dark mode for the app", "Easier on the eyes at night."),
        ("حالت تاریک برای برنامه", "خواندن در شب را آسان‌تر می‌کند."),
    ] {
        let r = carla
            .post_json(
                "/api/v1/ideas",
                &json!({ "board": "ideas", "title": title, "description": description,
                         "product_area": "Mobile" }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["idea"]["id"].as_i64().unwrap();
        let r = bob
            .post_json(&format!("/api/v1/ideas/{id}/vote"), &json!({}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        ideas.push(id);
    }
    let r = agent
        .post_json(
            &format!("/api/v1/ideas/{}/status", ideas[0]),
            &json!({ "status": "planned", "note": "Coming in the autumn release." }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    // The CRM task of the first thread, for the agent's pages.
    let deadline = Instant::now() + Duration::from_secs(20);
    let task = loop {
        let tasks = agent
            .get("/api/v1/crm/tasks?status=new,open,pending,escalated,resolved,closed")
            .await
            .json();
        if let Some(id) = tasks["tasks"][0]["id"].as_i64() {
            break id;
        }
        assert!(Instant::now() < deadline, "no CRM task: {tasks}");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    };
    s.settle().await;

    let public = [
        "/".to_string(),
        "/c/support".into(),
        format!("/t/{solved}"),
        format!("/t/{persian}"),
        "/search?q=router".into(),
        "/kb".into(),
        format!("/kb/{slug}"),
        "/leaderboard".into(),
        "/badges".into(),
        format!("/u/{carla_id}"),
        "/ideas".into(),
        "/ideas/b/ideas".into(),
        format!("/ideas/{}", ideas[0]),
        format!("/ideas/{}", ideas[1]),
        "/ideas/roadmap".into(),
        "/no/such/page".into(),
    ];
    let mut visitor_paths = public.to_vec();
    visitor_paths.extend([
        "/login".to_string(),
        "/register".into(),
        "/password/forgot".into(),
    ]);
    let mut customer = public.to_vec();
    customer.extend([
        "/ask".to_string(),
        "/notifications".into(),
        "/settings/notifications".into(),
        "/settings/profile".into(),
        format!("/p/{answer}/history"),
        "/ideas/b/ideas/new".into(),
    ]);
    let not_found = json!({ "/no/such/page": 404 });
    let plan = json!([
        { "login": null, "paths": visitor_paths, "expect": not_found },
        { "login": "carla", "paths": customer, "expect": not_found },
        { "login": "agnes", "paths": [
            "/agent", format!("/agent/tasks/{task}"), "/agent/canned", format!("/t/{solved}"),
            "/analytics", format!("/ideas/{}", ideas[0])
        ] },
        { "login": "moritz", "paths": [
            "/mod/review", "/kb/review", format!("/kb/{slug}/edit"), format!("/t/{persian}")
        ] },
        { "login": "ada", "paths": [
            "/admin", "/admin/users", format!("/admin/users/{carla_id}"), "/admin/boards",
            "/admin/boards/support", "/admin/settings", "/admin/audit", "/admin/crm",
            "/analytics", "/admin/ideas/ideas"
        ] },
    ]);

    let result = node(
        &dir,
        &["every_page.mjs", &s.base, "password123", &plan.to_string()],
    )
    .await;
    let checked = result["checked"].as_array().map_or(0, Vec::len);
    // 5 roles' pages × 2 sizes × 2 languages.
    let expected = 2
        * 2
        * plan
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["paths"].as_array().unwrap().len())
            .sum::<usize>();
    assert_eq!(checked, expected, "every page was visited: {result}");
    let problems = result["problems"].as_array().cloned().unwrap_or_default();
    assert!(
        problems.is_empty(),
        "{} of {checked} page views have problems:\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    s.stop().await;
}

#[actix_rt::test]
async fn keyboard_alone_signs_in_and_replies_with_visible_focus() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 256 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    api_user(&s.base, "kim").await;
    let thread = post_thread(
        &ann,
        "support",
        "Printer prints blank pages",
        "Since the update every page comes out blank.",
    )
    .await;
    let result = node(
        &dir,
        &[
            "keyboard.mjs",
            &s.base,
            "kim",
            "password123",
            &thread.to_string(),
            "Try a new cartridge",
        ],
    )
    .await;
    let runs = result["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2, "{result}");
    for run in runs {
        assert_eq!(run["firstStopIsSkipLink"], true, "{run}");
        assert_eq!(run["skipLinkVisibleOnFocus"], true, "{run}");
        assert_eq!(run["reachedLogin"], true, "{run}");
        assert_eq!(run["reachedPassword"], true, "{run}");
        assert_eq!(run["reachedReplyBox"], true, "{run}");
        assert_eq!(run["replyPosted"], true, "{run}");
        assert_eq!(
            run["invisibleFocus"],
            json!([]),
            "every stop shows focus: {run}"
        );
        assert!(run["pageError"].is_null(), "{run}");
    }
    assert_eq!(
        runs[1]["lang"], "fa",
        "the picker switched by keyboard: {result}"
    );
    s.stop().await;
}
