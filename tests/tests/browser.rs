//! Pages in a real browser (Debian's Chromium driven by playwright-core, with
//! axe-core for accessibility): on the ask page live suggestions appear while
//! typing and opening one is recorded as a possible deflection; a member
//! reports a reply, a moderator rejects it from the review queue, its author
//! reads why and readers no longer see it. `.ci/test-all` installs them;
//! without them these tests fail unless `HEARTH_TEST_SKIP=browser`.

use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

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

    let result = node(
        &dir,
        &[
            "ask_suggestions.mjs",
            &s.base,
            "carla",
            "password123",
            title,
        ],
    )
    .await;
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

/// axe-core's violations of this impact in a script's run of it on a page.
fn violations<'a>(axe: &'a serde_json::Value, impact: &str) -> Vec<&'a serde_json::Value> {
    assert!(
        axe["passes"].as_u64() > Some(10),
        "axe checked the page: {axe}"
    );
    axe["violations"]
        .as_array()
        .expect("axe ran")
        .iter()
        .filter(|v| v["impact"] == impact)
        .collect()
}

async fn report_and_hide(backend: Backend) {
    let Some(dir) = browser_tools() else { return };
    // The product's moderation defaults, as a brand runs it.
    let Some(s) = start_with_config(backend, 64 * 1024, |c, _| {
        c.moderation = forum::review::ModerationConfig::default();
    })
    .await
    else {
        return;
    };
    api_staff(&s, "mod", forum::Role::Moderator).await;
    // Established members (the brand's single sign-on vouches for them), so
    // their posts are not held; the reporter is new.
    let mut established = Vec::new();
    for name in ["asker", "author"] {
        let (b, id) = api_user(&s.base, name).await;
        s.execute_sql(&format!(
            "INSERT INTO user_identities (provider, subject, user_id, created_at) \
             VALUES ('corp', 'sub-{id}', {id}, 0)"
        ));
        established.push((b, id));
    }
    let (asker, author) = (&established[0].0, &established[1].0);
    let author_id = established[1].1;
    api_user(&s.base, "reporter").await;
    let r = asker
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Router drops Wi-Fi", "body": "Every night at two"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let thread = r.json()["thread"]["id"].as_i64().unwrap();
    let reply_text = "You are an idiot for asking";
    let r = author
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &json!({ "body": reply_text }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let reply = r.json()["id"].as_i64().unwrap();

    let reason = "personal attack";
    let result = node(
        &dir,
        &[
            "report_and_hide.mjs",
            &s.base,
            &thread.to_string(),
            &reply.to_string(),
            reply_text,
            "reporter",
            "mod",
            "author",
            "password123",
            reason,
        ],
    )
    .await;
    println!("{result:#}");
    assert_eq!(result["replyShownBefore"], true, "{result}");
    for size in ["desktop", "phone"] {
        assert_eq!(
            result[size]["fits"], true,
            "the open report form fits the {size} viewport: {}",
            result[size]
        );
    }
    assert!(
        result["reportNotice"]
            .as_str()
            .unwrap()
            .contains("the moderators have your report"),
        "{result}"
    );
    assert_eq!(result["itemShown"], true, "{result}");
    let reports = result["itemReports"].to_string();
    assert!(
        reports.contains("abusive") && reports.contains("a personal attack"),
        "{reports}"
    );
    assert!(
        result["decidedNotice"]
            .as_str()
            .unwrap()
            .contains("The author has been told"),
        "{result}"
    );
    assert_eq!(result["itemGone"], true, "left the open queue: {result}");
    let notices = result["notifications"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| n
            .as_str()
            .unwrap()
            .contains(&format!("was removed by a moderator: {reason}"))),
        "{notices:?}"
    );
    assert_eq!(result["anonymousSeesReply"], false, "{result}");
    for page in ["threadAxe", "reviewAxe"] {
        assert_eq!(
            violations(&result[page], "critical"),
            Vec::<&serde_json::Value>::new(),
            "{page}"
        );
    }
    assert_eq!(
        result["pageErrors"],
        json!([]),
        "no script errors (CSP included)"
    );
    // What the browser did is what the domain holds.
    assert_eq!(s.forum.flag_counts(author_id).unwrap(), (1, 0));
    let stats = s
        .forum
        .moderation_stats(
            forum::Actor {
                user_id: 0,
                role: forum::Role::Admin,
            },
            30,
        )
        .unwrap();
    assert_eq!((stats.decided, stats.open_items), (1, 0));
    s.stop().await;
}

#[actix_rt::test]
async fn report_and_hide_in_a_real_browser_sqlite() {
    report_and_hide(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn report_and_hide_in_a_real_browser_postgres() {
    report_and_hide(Backend::Postgres).await;
}

/// The frame and the home page at phone and desktop sizes, in English and
/// Persian (`home_layout.mjs`): a header of at most 64 px on a 390×844
/// phone, no sideways scrolling, search and navigation folded behind their
/// buttons and operable from the keyboard, the layout mirrored right to
/// left, visible focus, and no axe-core findings.
#[actix_rt::test]
async fn home_layout_in_a_real_browser() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let mut threads = Vec::new();
    for (board, title) in [
        ("support", "How do I export my contacts to CSV for the accountant at the end of every single month?"),
        ("general", "چطور رمز عبور را تغییر دهم؟"),
        ("general", "Не приходит письмо с подтверждением"),
        ("support", "Averyveryveryverylongwordwithoutanyspacesthatmustnotpushthepagesideways"),
    ] {
        let r = ann
            .post_json(
                "/api/v1/threads",
                &json!({ "category": board, "title": title, "body": "Details." }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        threads.push(r.json()["thread"]["id"].as_i64().unwrap());
    }
    // Bob answers; Ann accepts: a solved thread with a summary, a
    // contributor, and unread notifications for Ann's bell.
    let r = bob
        .post_json(
            &format!("/api/v1/threads/{}/posts", threads[0]),
            &json!({ "body": "Settings → Export → CSV, then pick the month." }),
        )
        .await;
    ann.post_json(
        &format!("/api/v1/posts/{}/accept", r.json()["id"]),
        &json!({}),
    )
    .await;
    bob.post_json(
        &format!("/api/v1/threads/{}/posts", threads[1]),
        &json!({ "body": "از تنظیمات حساب." }),
    )
    .await;
    s.settle().await;
    let unread = ann.get("/api/v1/notifications").await.json()["unread"]
        .as_i64()
        .unwrap();
    assert!((1..10).contains(&unread), "{unread}");

    let result = node(&dir, &["home_layout.mjs", &s.base, "ann", "password123"]).await;
    println!("{result:#}");
    assert_eq!(
        result["pageErrors"],
        json!([]),
        "no script errors (CSP included)"
    );
    for lang in ["en", "fa"] {
        let r = &result[lang];
        assert_eq!(r["dir"], if lang == "fa" { "rtl" } else { "ltr" }, "{lang}");
        for (what, g) in [
            ("phone", &r["phone"]),
            ("open menu", &r["menuOpen"]),
            ("member", &r["memberPhone"]),
        ] {
            assert!(
                g["scrollWidth"].as_i64() <= Some(390),
                "{lang} {what}: no sideways scrolling: {g}"
            );
        }
        for (what, g) in [("phone", &r["phone"]), ("member", &r["memberPhone"])] {
            assert!(
                g["header"].as_f64() <= Some(64.0),
                "{lang} {what}: the header is at most 64 px: {g}"
            );
        }
        let phone = &r["phone"];
        assert_eq!(phone["searchForm"], false, "{lang}: {phone}");
        assert_eq!(phone["searchIcon"], true, "{lang}: {phone}");
        assert_eq!(phone["menuButton"], true, "{lang}: {phone}");
        assert_eq!(phone["nav"], false, "{lang}: folded: {phone}");
        assert_eq!(r["menuOpen"]["nav"], true, "{lang}: {}", r["menuOpen"]);
        assert_eq!(r["menuExpanded"], "true", "{lang}");
        assert_eq!(
            r["menuClosedByEscape"],
            json!({ "expanded": "false", "focusOnButton": true }),
            "{lang}"
        );
        assert_eq!(
            r["skip"],
            json!({ "isSkip": true, "visible": true, "outline": true }),
            "{lang}: the skip link is the first stop and shows"
        );
        assert_eq!(r["menuFocusOutline"], true, "{lang}: visible focus");
        let badge = &r["memberBadge"];
        assert_eq!(badge["visible"], true, "{lang}: the bell's badge: {badge}");
        let label = badge["label"].as_str().unwrap_or("");
        let digit = if lang == "fa" {
            char::from_u32(0x06F0 + unread as u32).unwrap().to_string()
        } else {
            unread.to_string()
        };
        assert!(
            label.contains(&digit) && badge["badge"] == digit.as_str(),
            "{lang}: {unread} unread, shown and announced: {badge}"
        );
        let desktop = &r["desktop"];
        assert_eq!(desktop["searchForm"], true, "{lang}: {desktop}");
        assert_eq!(desktop["searchIcon"], false, "{lang}: {desktop}");
        assert_eq!(desktop["menuButton"], false, "{lang}: {desktop}");
        assert_eq!(desktop["nav"], true, "{lang}: {desktop}");
        assert!(desktop["scrollWidth"].as_i64() <= Some(1280), "{desktop}");
        // Start of the line: left in English, right in Persian.
        let open = &r["menuOpen"];
        let (edge_phone, edge_desktop) = (390 - 40, 1280 - 40);
        if lang == "fa" {
            assert!(
                open["firstLink"]["right"].as_i64() >= Some(edge_phone),
                "{open}"
            );
            assert!(
                phone["brand"]["right"].as_i64() >= Some(edge_phone),
                "{phone}"
            );
            assert!(
                desktop["brand"]["right"].as_i64() >= Some(edge_desktop),
                "{desktop}"
            );
            assert!(
                desktop["firstLink"]["right"].as_i64() >= Some(edge_desktop),
                "{desktop}"
            );
        } else {
            assert!(open["firstLink"]["left"].as_i64() <= Some(40), "{open}");
            assert!(phone["brand"]["left"].as_i64() <= Some(40), "{phone}");
            assert!(desktop["brand"]["left"].as_i64() <= Some(40), "{desktop}");
            assert!(
                desktop["firstLink"]["left"].as_i64() <= Some(40),
                "{desktop}"
            );
        }
        for page in ["phoneAxe", "desktopAxe"] {
            assert!(
                r[page]["passes"].as_u64() > Some(10),
                "axe ran: {}",
                r[page]
            );
            assert_eq!(r[page]["violations"], json!([]), "{lang} {page}");
        }
    }
    s.stop().await;
}

/// The reply composer in a real browser: it counts characters, keeps a text
/// over the limit from being sent (and keeps the text), and its live
/// preview is exactly what the posted reply shows.
#[actix_rt::test]
async fn the_composer_counts_keeps_and_previews() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = post_thread(&ann, "support", "Printer spooler stops", "Every hour.").await;
    Browser::new(&s.base).register("carla").await;
    let result = node(
        &dir,
        &[
            "composer.mjs",
            &s.base,
            "carla",
            "password123",
            &format!("/t/{t}"),
            &forum::validate::BODY_MAX.to_string(),
        ],
    )
    .await;
    assert_eq!(result["counter"], "(5 / 50,000)", "{result}");
    assert_eq!(result["tooLongHiddenAtStart"], true, "{result}");
    assert_eq!(result["tooLongShown"], true, "{result}");
    assert_eq!(result["invalid"], "true", "{result}");
    assert_eq!(result["stayed"], true, "not sent: {result}");
    assert_eq!(
        result["keptLength"].as_u64(),
        Some(forum::validate::BODY_MAX as u64 + 1),
        "{result}"
    );
    assert_eq!(result["tooLongHiddenAgain"], true, "{result}");
    assert_eq!(result["expanded"], "true", "{result}");
    assert_eq!(result["previewHasScript"], false, "{result}");
    assert_eq!(result["previewMatchesPost"], true, "{result}");
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    s.stop().await;
}

/// Drafts in a real browser: a reply being written survives a reload and
/// is there in a second browser; posting it clears it; the ask form keeps
/// its title and text.
#[actix_rt::test]
async fn drafts_survive_a_reload_and_a_second_browser() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = post_thread(&ann, "support", "Router keeps rebooting", "Every night.").await;
    Browser::new(&s.base).register("carla").await;
    let result = node(
        &dir,
        &[
            "drafts.mjs",
            &s.base,
            "carla",
            "password123",
            &format!("/t/{t}"),
        ],
    )
    .await;
    let text = "Half-written: hold the reset button for ten seconds";
    assert_eq!(result["savedSays"], "Draft saved", "{result}");
    assert_eq!(result["afterReload"], text, "{result}");
    assert_eq!(result["inSecondBrowser"], text, "{result}");
    assert_eq!(result["posted"], text, "{result}");
    assert_eq!(result["secondAfterPosting"], "", "{result}");
    assert_eq!(result["firstAfterPosting"], "", "{result}");
    assert_eq!(result["askTitle"], "Scanner will not scan", "{result}");
    assert_eq!(
        result["askBody"], "Since the update it says offline.",
        "{result}"
    );
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    s.stop().await;
}

/// Quote-reply in a real browser: a selected passage of a reply goes into
/// the composer as a quote crediting its author, and posts as one.
#[actix_rt::test]
async fn a_selected_passage_is_quoted_in_the_reply() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let t = post_thread(&ann, "support", "Router keeps rebooting", "Every night.").await;
    let p = post_reply(
        &bob,
        t,
        "Update the firmware first. Then **hold the reset button** for ten seconds.",
    )
    .await;
    let result = node(
        &dir,
        &[
            "quote.mjs",
            &s.base,
            "ann",
            "password123",
            &format!("/t/{t}"),
            &p.to_string(),
            "Then hold the reset button",
        ],
    )
    .await;
    assert_eq!(result["selected"], "Then hold the reset button", "{result}");
    assert_eq!(
        result["composer"],
        format!("Thanks!\n\n@bob [wrote](/p/{p}):\n> Then hold the reset button\n\n"),
        "{result}"
    );
    assert_eq!(result["focused"], "body", "{result}");
    assert_eq!(
        result["postedQuote"], "Then hold the reset button",
        "{result}"
    );
    assert_eq!(result["postedLink"], 1, "{result}");
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    s.stop().await;
}

/// The agent's composer in a real browser: a canned response is inserted
/// at the cursor and nothing the agent typed is lost.
#[actix_rt::test]
async fn a_canned_response_goes_in_at_the_cursor() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    ann.post_json(
        "/api/v1/threads",
        &json!({ "category": "support", "title": "Screen flickers", "body": "Only on battery." }),
    )
    .await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let r = agent
        .post_json(
            "/api/v1/crm/canned",
            &json!({ "title": "Driver", "body": "Please install driver 2.1, {{customer_name}}." }),
        )
        .await;
    assert!(r.status < 300, "{} {}", r.status, r.body);
    let deadline = Instant::now() + Duration::from_secs(20);
    let task = loop {
        let q = agent.get("/api/v1/crm/tasks").await.json();
        if let Some(id) = q["tasks"][0]["id"].as_i64() {
            break id;
        }
        assert!(Instant::now() < deadline, "no task: {q}");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    };
    let result = node(
        &dir,
        &[
            "canned.mjs",
            &s.base,
            "agent1",
            "password123",
            &format!("/agent/tasks/{task}"),
        ],
    )
    .await;
    assert_eq!(
        result["composer"], "Thanks for waiting.\n\nPlease install driver 2.1, ann.Regards",
        "{result}"
    );
    assert_eq!(
        result["url"],
        format!("{}/agent/tasks/{task}", s.base),
        "no reload: {result}"
    );
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    s.stop().await;
}

/// Instant search in a real browser: the header's search box lists the
/// first matches while typing, reachable and openable from the keyboard.
#[actix_rt::test]
async fn the_header_search_answers_while_typing() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let title = "Print spooler stops every hour";
    ann.post_json(
        "/api/v1/threads",
        &json!({ "category": "support", "title": title, "body": "The spooler service stops." }),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while ann.get("/api/v1/search?q=spooler").await.json()["total"] != 1 {
        assert!(Instant::now() < deadline, "not indexed");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    let result = node(&dir, &["instant.mjs", &s.base, "spooler", title]).await;
    assert_eq!(result["titles"], json!([title]), "{result}");
    assert_eq!(result["said"], "1 result", "{result}");
    assert_eq!(result["focused"], title, "{result}");
    assert_eq!(result["closed"], true, "{result}");
    assert_eq!(result["backInField"], "q", "{result}");
    assert_eq!(
        result["opened"].as_str().map(|t| t.contains(title)),
        Some(true),
        "{result}"
    );
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    // The endpoint itself: nothing for one character, as the reader may see.
    let none = Browser::new(&s.base)
        .get("/search/instant?q=s")
        .await
        .json();
    assert_eq!(none["total"], 0);
    s.stop().await;
}

/// @mention completion in a real browser: "@bo" lists bob, and choosing
/// him from the keyboard puts "@bob " in the text.
#[actix_rt::test]
async fn mentions_complete_while_typing() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    api_user(&s.base, "bob").await;
    let t = post_thread(&ann, "support", "Router keeps rebooting", "Every night.").await;
    let result = node(
        &dir,
        &[
            "mentions.mjs",
            &s.base,
            "ann",
            "password123",
            &format!("/t/{t}"),
        ],
    )
    .await;
    assert_eq!(result["listed"], json!(["@bob · bob"]), "{result}");
    assert_eq!(result["said"], "1 member suggested", "{result}");
    assert_eq!(result["focused"], "@bob · bob", "{result}");
    assert_eq!(result["composer"], "Thanks @bob for the tip", "{result}");
    assert_eq!(result["closed"], true, "{result}");
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    // Visitors get nothing from the endpoint.
    let visitor = Browser::new(&s.base).get("/members/mention?q=bo").await;
    assert_eq!(visitor.status, 401);
    s.stop().await;
}

/// Attachments in a real browser: a pasted screenshot and a dropped file
/// are uploaded and inserted at the cursor, the posted reply shows the
/// picture and links the file, and a stored file holding a script runs
/// nothing when opened directly or embedded.
#[actix_rt::test]
async fn pasted_and_dropped_files_are_attached_and_nothing_runs() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (bob, _) = api_user(&s.base, "bob").await;
    let t = post_thread(&bob, "support", "Sync fails every morning", "Since Monday.").await;
    let ann = Browser::new(&s.base);
    ann.register("ann").await;
    let csrf = extract_csrf(&ann.get(&format!("/t/{t}")).await.body).unwrap();
    let trap = b"request log\n<script>window.hearthPwned = true; alert(document.cookie)</script>\n"
        .to_vec();
    let r = ann
        .post_bytes(
            "/uploads?name=trap.html",
            "application/octet-stream",
            &[("X-CSRF-Token", csrf.as_str())],
            trap,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let trap_url = r.json()["url"].as_str().unwrap().to_string();
    let result = node(
        &dir,
        &[
            "uploads.mjs",
            &s.base,
            "ann",
            "password123",
            &format!("/t/{t}"),
            &trap_url,
        ],
    )
    .await;
    let composer = result["composer"].as_str().unwrap_or("");
    assert!(
        composer.starts_with("Here is what I see:\n![image.png](/uploads/"),
        "{result}"
    );
    assert!(composer.contains("[server.log](/uploads/"), "{result}");
    assert!(!composer.contains("()"), "no placeholder left: {result}");
    assert_eq!(result["imageWidth"], 40, "{result}");
    assert_eq!(result["fileLinks"], 1, "{result}");
    assert_eq!(result["downloaded"], "trap.txt", "{result}");
    assert_eq!(result["dialogs"], 0, "{result}");
    assert_eq!(result["ranScript"], false, "{result}");
    s.stop().await;
}

/// Profile settings in a real browser: the browser's time zone is offered
/// to a member who never chose one, saving keeps it, and a chosen picture
/// becomes the avatar at once.
#[actix_rt::test]
async fn the_browser_zone_is_offered_and_a_picture_uploads() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let ann = Browser::new(&s.base);
    ann.register("ann").await;
    let result = node(
        &dir,
        &[
            "profile_picture_zone.mjs",
            &s.base,
            "ann",
            "password123",
            "Asia/Tehran",
        ],
    )
    .await;
    assert_eq!(result["preselected"], "Asia/Tehran", "{result}");
    assert_eq!(result["toldDetected"], true, "{result}");
    assert_eq!(result["saved"], "Asia/Tehran", "{result}");
    let id = s.forum.find_user("ann").unwrap().unwrap().id;
    assert!(
        result["avatarSrc"]
            .as_str()
            .is_some_and(|src| src.starts_with(&format!("/u/{id}/avatar?v="))),
        "{result}"
    );
    assert_eq!(result["avatarWidth"], 256, "{result}");
    assert_eq!(result["status"], "Your picture is saved.", "{result}");
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    assert!(s.forum.avatar(id).unwrap().is_some());
    s.stop().await;
}

/// The analytics page in a real browser: charts render, the range and
/// board filters redraw them, and a CSV download parses.
#[actix_rt::test]
async fn analytics_charts_filter_and_download() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 1 << 20).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let t = post_thread(&ann, "general", "Printer offline", "It says offline.").await;
    post_reply(&bob, t, "Reinstall the driver.").await;
    post_thread(&bob, "support", "Billing address", "How do I change it?").await;
    post_thread(&ann, "general", "Scanner jams", "Every page.").await;
    signed_in(&s, "root", forum::Role::Admin).await;
    let result = node(&dir, &["analytics.mjs", &s.base, "root", "password123"]).await;
    assert!(result["charts"].as_i64().unwrap_or(0) >= 4, "{result}");
    assert!(
        result["chartBox"]["width"].as_f64().unwrap_or(0.0) > 300.0,
        "{result}"
    );
    assert_eq!(result["chartHidden"], "true", "{result}");
    assert_eq!(result["questions30"], "3", "{result}");
    assert_eq!(result["questions7"], "1", "{result}");
    assert!(
        result["url"]
            .as_str()
            .unwrap_or("")
            .contains("board=support"),
        "{result}"
    );
    assert_ne!(result["lines30"], result["lines7"], "redrawn: {result}");
    assert!(
        result["csvName"]
            .as_str()
            .unwrap_or("")
            .starts_with("hearth-days-"),
        "{result}"
    );
    let csv = result["csv"].as_array().unwrap();
    assert_eq!(
        csv[0],
        serde_json::json!([
            "day",
            "threads",
            "replies",
            "active_members",
            "kudos",
            "new_members"
        ])
    );
    assert_eq!(csv.len(), 8, "a header and seven days: {result}");
    let threads: i64 = csv[1..]
        .iter()
        .map(|r| r[1].as_str().unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(threads, 1, "the support board's one question: {result}");
    assert_eq!(result["pageErrors"], serde_json::json!([]), "{result}");
    s.stop().await;
}

/// The idea exchange in a real browser: the similar ideas shown while
/// submitting (taken: the vote counts as a deflected duplicate; not taken:
/// submitted anyway), voting and withdrawing, an agent's status change
/// reaching the voter on the timeline and in the bell, the roadmap in
/// English and right to left in Persian, and a merge undone.
#[actix_rt::test]
async fn ideas_submit_vote_answer_roadmap_and_merge() {
    let Some(dir) = browser_tools() else { return };
    let s = start(Backend::Sqlite, 256 * 1024).await.unwrap();
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
    let (bob, _) = api_user(&s.base, "bob").await;
    let title = "Dark mode for the mobile app";
    let r = bob
        .post_json(
            "/api/v1/ideas",
            &json!({ "board": "ideas", "title": title,
                     "description": "A dark theme for the mobile app, easier on the eyes at night." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let existing = r.json()["idea"]["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while bob.get("/api/v1/search?q=dark+mode").await.json()["total"] != 1 {
        assert!(Instant::now() < deadline, "not indexed");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, carla_id) = api_user(&s.base, "carla").await;
    api_staff(&s, "agnes", forum::Role::Agent).await;

    let result = node(
        &dir,
        &[
            "ideas.mjs",
            &s.base,
            "carla",
            "agnes",
            "password123",
            "ideas",
            &existing.to_string(),
            "Dark mode in the mobile app please",
        ],
    )
    .await;
    let existing_path = format!("/ideas/{existing}");
    assert_eq!(result["similarShown"], true, "{result}");
    assert_eq!(result["similarLinks"], json!([existing_path]), "{result}");
    assert_eq!(result["noticeAfterInstead"], true, "{result}");
    assert_eq!(result["countAfterInstead"], "1 vote", "{result}");
    assert_eq!(result["unvoteOffered"], true, "{result}");
    let submitted = result["submittedUrl"].as_str().unwrap_or_default();
    let new_id: i64 = submitted
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no new idea: {result}"));
    assert_ne!(new_id, existing);
    assert_eq!(
        result["submittedTitle"], "Dark mode in the mobile app please",
        "{result}"
    );
    assert_eq!(result["ownIdeaVoteRefused"], true, "{result}");
    assert_eq!(result["countAfterUnvote"], "0 votes", "{result}");
    assert_eq!(result["countAfterVote"], "1 vote", "{result}");
    assert_eq!(result["statusAfterChange"], "planned", "{result}");
    assert_eq!(
        result["timelineNote"], "On the roadmap for the autumn release.",
        "{result}"
    );
    let bell = result["bell"].as_array().cloned().unwrap_or_default();
    assert!(
        bell.iter()
            .any(|n| n.as_str().is_some_and(|t| t.contains("Planned"))),
        "the voter heard of it: {result}"
    );
    assert_eq!(result["roadmapPlanned"], json!([existing_path]), "{result}");
    assert_eq!(result["roadmapFa"]["lang"], "fa", "{result}");
    assert_eq!(result["roadmapFa"]["dir"], "rtl", "{result}");
    assert_eq!(result["roadmapFa"]["ideas"], 1, "{result}");
    assert_eq!(
        result["roadmapFa"]["firstColumnOnTheRight"], true,
        "{result}"
    );
    assert_eq!(
        result["mergedHere"],
        json!([format!("/t/{new_id}")]),
        "{result}"
    );
    assert!(
        result["afterUnmergeUrl"]
            .as_str()
            .is_some_and(|u| u.contains("notice=unmerged")),
        "{result}"
    );
    assert_eq!(result["mergedHereAfterUnmerge"], 0, "{result}");
    assert_eq!(result["pageErrors"], json!([]), "{result}");
    // The vote taken instead of submitting counts as a deflected duplicate.
    assert_eq!(s.forum.idea_deflections(0).unwrap(), 1);
    let voters: Vec<i64> = s
        .forum
        .idea_vote_set(existing)
        .unwrap()
        .into_iter()
        .map(|v| v.0)
        .collect();
    assert_eq!(voters, [carla_id]);
    s.stop().await;
}
