//! The ask page in a real browser (Debian's Chromium driven by
//! playwright-core): live suggestions appear while typing and opening one is
//! recorded as a possible deflection. `.ci/run` installs both; outside CI a
//! machine without them skips this test loudly.

use std::path::Path;
use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

fn browser_tools() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node_ok {
        Some("node")
    } else if !Path::new(&chromium).exists() {
        Some("chromium")
    } else if !dir.join("node_modules/playwright-core").exists() {
        Some("playwright-core (npm install in tests/browser)")
    } else {
        None
    };
    forum::testkit::suite_available(
        "browser",
        missing.map(|what| format!("{what} is not installed")),
    )
    .then(|| dir.to_string_lossy().into_owned())
}

#[actix_rt::test]
async fn live_suggestions_in_a_real_browser() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let title = "How to export contacts to CSV";
    let t = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": title, "body": "Where is the CSV export?" }),
        )
        .await
        .json()["thread"]["id"]
        .as_i64()
        .unwrap();
    let r = bob
        .post_json(
            &format!("/api/v1/threads/{t}/posts"),
            &json!({ "body": "Settings → Export → CSV." }),
        )
        .await;
    ann.post_json(
        &format!("/api/v1/posts/{}/accept", r.json()["id"]),
        &json!({}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while ann.get("/api/v1/search?q=export+contacts").await.json()["total"] != 1 {
        assert!(Instant::now() < deadline, "not indexed");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    Browser::new(&s.base).register("carla").await;

    let base = s.base.clone();
    let out = actix_web::web::block(move || {
        std::process::Command::new("node")
            .current_dir(&dir)
            .args(["ask_suggestions.mjs", &base, "carla", "password123", title])
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
    let result: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap_or("{}")).unwrap();
    assert_eq!(result["suggestionsHiddenAtStart"], true, "{result}");
    assert_eq!(result["firstIsExpected"], true, "{result}");
    assert!(
        result["openedUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/t/{t}")),
        "{result}"
    );
    assert_eq!(
        result["openedTitle"].as_str().map(|t| t.contains(title)),
        Some(true),
        "{result}"
    );
    assert_eq!(
        result["pageErrors"],
        json!([]),
        "no script errors (CSP included)"
    );
    let stats = s.forum.deflection_stats(0, s.forum.now() + 1).unwrap();
    assert_eq!(stats.opened_suggestion, 1, "the click was recorded");
    assert_eq!(stats.deflected, 1, "and she left without posting");
    s.stop().await;
}
