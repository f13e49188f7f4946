//! The anonymous page cache over HTTP, with two web nodes on one database
//! (SQLite and PostgreSQL): a visitor's page is served from a node's cache
//! with validators, and every change that alters what a page shows, made
//! through the *other* node, reaches it (each change is checked against a
//! page that was cached just before it). Members are never served from
//! the cache, and a private board's page never enters it.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await } )* }
        mod postgres { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await } )* }
    };
}

both!(
    visitors_share_cached_pages_with_validators,
    every_change_reaches_the_other_nodes_cached_pages,
    members_and_private_boards_stay_out_of_the_cache,
);

/// How long a change may take to reach the other node here; the design
/// polls every 200 ms, the margin is for a loaded test machine.
const REACH: Duration = Duration::from_secs(5);

/// Fetch `path` as a visitor until it is a cache hit; its body.
async fn cached(visitor: &Browser, path: &str) -> String {
    let deadline = Instant::now() + REACH;
    loop {
        let r = visitor.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        if r.headers.get("x-hearth-cache").map(String::as_str) == Some("hit") {
            return r.body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never came from the cache"
        );
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Poll `path` as a visitor until `check` holds for (status, body);
/// how long it took.
async fn until_visitor_sees(
    visitor: &Browser,
    path: &str,
    what: &str,
    check: impl Fn(u16, &str) -> bool,
) -> Duration {
    let started = Instant::now();
    loop {
        let r = visitor.get(path).await;
        if check(r.status, &r.body) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < REACH,
            "the other node still shows the old {path} ({what}): {} {}",
            r.status,
            r.body
        );
        actix_rt::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn visitors_share_cached_pages_with_validators(backend: Backend) {
    let Some(a) = start(backend, 1 << 20).await else {
        return;
    };
    let (author, _) = api_user(&a.base, "carol").await;
    let t = post_thread(
        &author,
        "general",
        "Printer offline again",
        "It drops off the network.",
    )
    .await;
    let visitor = Browser::new(&a.base);
    let path = format!("/t/{t}");
    let first = visitor.get(&path).await;
    assert_eq!(first.status, 200);
    let page = cached(&visitor, &path).await;
    assert!(page.contains("Printer offline again"));
    let r = visitor.get(&path).await;
    assert_eq!(r.headers["cache-control"], "public, no-cache");
    assert!(r.headers["vary"].contains("Cookie"), "{:?}", r.headers);
    assert!(r.headers.contains_key("last-modified"));
    assert!(
        !r.headers.contains_key("set-cookie"),
        "a shared page sets no cookie"
    );
    assert!(
        !r.body.contains("name=\"csrf\" value=\"") || r.body.contains("name=\"csrf\" value=\"\""),
        "no visitor's form token in a shared page"
    );
    let etag = r.headers["etag"].clone();
    let again = visitor
        .get_with_headers(&path, &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status, 304, "{:?}", again.headers);
    assert!(again.body.is_empty());
    let modified = r.headers["last-modified"].clone();
    let again = visitor
        .get_with_headers(&path, &[("If-Modified-Since", &modified)])
        .await;
    assert_eq!(again.status, 304);
    // Gzipped once, for clients that take it; the same page.
    let z = visitor
        .get_with_headers(&path, &[("Accept-Encoding", "gzip")])
        .await;
    assert_eq!(z.status, 200);
    assert_eq!(z.headers["content-encoding"], "gzip");
    let mut unzipped = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&z.bytes[..]),
        &mut unzipped,
    )
    .unwrap();
    assert_eq!(unzipped, page, "the same page");
    // Another language is another page.
    let ru = visitor
        .get_with_headers(&path, &[("Accept-Language", "ru")])
        .await;
    assert!(ru.body.contains("<html lang=\"ru\""), "{}", &ru.body[..200]);
    assert_ne!(ru.headers["etag"], etag);
    // The language picker works from a shared page (no form token).
    visitor.choose_language("uk").await;
    assert!(visitor.get(&path).await.body.contains("<html lang=\"uk\""));
    // Views from the cache still count.
    let m = visitor.get("/metrics").await.body;
    let hits: f64 = m
        .lines()
        .find_map(|l| l.strip_prefix("hearth_page_cache_hits "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(hits >= 3.0, "{m}");
    a.stop().await;
}

async fn every_change_reaches_the_other_nodes_cached_pages(backend: Backend) {
    // A rank that a couple of kudos reach, to see a poster's rank change.
    let Some(a) = start_with(
        backend,
        1 << 20,
        Default::default(),
        std::sync::Arc::new(|c: &mut web::Config| {
            c.reputation.first_reply = 0;
            c.reputation.ranks.truncate(1);
            c.reputation.ranks.push(forum::reputation::RankRule {
                name: "Helper".into(),
                min_points: 10,
                min_accepted: 0,
                privileges: Vec::new(),
            });
        }),
    )
    .await
    else {
        return;
    };
    let b = a.another_node();
    let moderator = api_staff(&a, "mona", forum::Role::Moderator).await;
    let admin = api_staff(&a, "adam", forum::Role::Admin).await;
    let asker_web = signed_in(&a, "asker", forum::Role::Customer).await;
    let (asker, _) = {
        let mut api = Browser::new(&a.base);
        api.api_login("asker").await;
        (api, ())
    };
    let (helper, _) = api_user(&a.base, "helper").await;
    let (fan, _) = api_user(&a.base, "fan").await;
    let t = post_thread(
        &asker,
        "general",
        "Router reboots nightly",
        "Every night at three.",
    )
    .await;
    let other = post_thread(&asker, "general", "Second router question", "Another one.").await;
    let answer = post_reply(&helper, t, "Update the firmware first.").await;
    let elsewhere = post_reply(&helper, other, "Try a factory reset.").await;
    a.settle().await;
    let visitor = Browser::new(&b.base);
    let page = format!("/t/{t}");
    let mut reached = Vec::new();

    // A reply.
    cached(&visitor, &page).await;
    post_reply(&helper, t, "Also check the power supply.").await;
    reached.push((
        "reply",
        until_visitor_sees(&visitor, &page, "reply", |_, b| {
            b.contains("check the power supply")
        })
        .await,
    ));

    // An edit.
    cached(&visitor, &page).await;
    let r = helper
        .patch_json(
            &format!("/api/v1/posts/{answer}"),
            &json!({ "body": "Update the firmware to 2.1 first." }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    reached.push((
        "edit",
        until_visitor_sees(&visitor, &page, "edit", |_, b| {
            b.contains("firmware to 2.1")
        })
        .await,
    ));

    // A poster's rank, changed by a kudo on another thread: this thread's
    // page has no event of its own.
    a.settle().await;
    let before = cached(&visitor, &page).await;
    assert!(!before.contains(">Helper<"), "no rank yet");
    let r = fan
        .post_json(&format!("/api/v1/posts/{elsewhere}/vote"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "rank",
        until_visitor_sees(&visitor, &page, "rank", |_, b| b.contains(">Helper<")).await,
    ));

    // A kudo on this thread (the count on the post).
    a.settle().await;
    let before = cached(&visitor, &page).await;
    let r = asker
        .post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "kudo",
        until_visitor_sees(&visitor, &page, "kudo", |_, b| {
            b != before && kudos_shown(b, answer) == Some(1)
        })
        .await,
    ));

    // A display name.
    a.settle().await;
    cached(&visitor, &page).await;
    let r = asker_web
        .submit(
            "/settings/profile",
            "/settings/profile",
            &[
                ("display_name", "Asker Renamed"),
                ("bio", ""),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    reached.push((
        "profile",
        until_visitor_sees(&visitor, &page, "display name", |_, b| {
            b.contains("Asker Renamed")
        })
        .await,
    ));

    // The accepted answer; and the board list shows it solved.
    a.settle().await;
    cached(&visitor, &page).await;
    cached(&visitor, "/c/general").await;
    let r = asker
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "accept",
        until_visitor_sees(&visitor, &page, "accept", |_, b| {
            b.contains("class=\"status solved\"")
        })
        .await,
    ));
    until_visitor_sees(&visitor, "/c/general", "solved in the list", |_, b| {
        b.contains("class=\"status solved\"")
    })
    .await;

    // KB publish: the promoted answer appears in the KB list.
    a.settle().await;
    cached(&visitor, "/kb").await;
    let r = moderator
        .post_json(&format!("/api/v1/threads/{t}/promote"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    let slug = r.json()["slug"].as_str().unwrap().to_string();
    cached(&visitor, "/kb").await;
    let r = moderator
        .post_json(&format!("/api/v1/kb/{slug}/publish"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    reached.push((
        "kb publish",
        until_visitor_sees(&visitor, "/kb", "published article", |_, b| {
            b.contains(&format!("/kb/{slug}"))
        })
        .await,
    ));

    // Lock.
    a.settle().await;
    cached(&visitor, &page).await;
    let r = moderator
        .post_json(
            &format!("/api/v1/threads/{t}/lock"),
            &json!({ "locked": true }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "lock",
        until_visitor_sees(&visitor, &page, "lock", |_, b| {
            b.contains("class=\"status locked\"")
        })
        .await,
    ));

    // A reply deleted.
    let doomed = post_reply(&helper, other, "A reply to be removed.").await;
    let second = format!("/t/{other}");
    until_visitor_sees(&visitor, &second, "reply", |_, b| {
        b.contains("to be removed")
    })
    .await;
    cached(&visitor, &second).await;
    let r = moderator.delete(&format!("/api/v1/posts/{doomed}")).await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "delete",
        until_visitor_sees(&visitor, &second, "delete", |_, b| {
            !b.contains("to be removed")
        })
        .await,
    ));

    // A move to another board (the crumbs name the board).
    cached(&visitor, &second).await;
    let r = moderator
        .post_json(
            &format!("/api/v1/threads/{other}/move"),
            &json!({ "category": "support" }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    reached.push((
        "move",
        until_visitor_sees(&visitor, &second, "move", |_, b| {
            b.contains("href=\"/c/support\"")
        })
        .await,
    ));

    // The board made private: its list and its thread leave the visitor's reach.
    cached(&visitor, &second).await;
    cached(&visitor, "/c/support").await;
    let r = admin
        .patch_json(
            "/api/v1/admin/boards/support",
            &json!({ "see_min_role": "agent" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    reached.push((
        "board privacy",
        until_visitor_sees(&visitor, &second, "privacy", |s, _| s == 404).await,
    ));
    until_visitor_sees(&visitor, "/c/support", "privacy", |s, _| s == 404).await;

    eprintln!("time for a change on one node to reach the other's cached page: {reached:?}");
    b.stop().await;
    a.stop().await;
}

/// The kudos count printed on post `id` (its `data-kudos`, else the count
/// in its kudos button).
fn kudos_shown(body: &str, id: i64) -> Option<i64> {
    let start = body.find(&format!("id=\"p{id}\""))?;
    let rest = &body[start..];
    let at = rest.find("class=\"kudos")?;
    let digits: String = rest[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

async fn members_and_private_boards_stay_out_of_the_cache(backend: Backend) {
    let Some(a) = start(backend, 1 << 20).await else {
        return;
    };
    let agent = signed_in(&a, "agnes", forum::Role::Agent).await;
    let mut agent_api = Browser::new(&a.base);
    agent_api.api_login("agnes").await;
    let staff_thread = post_thread(
        &agent_api,
        "staff",
        "Internal escalation notes",
        "Staff only.",
    )
    .await;
    let path = format!("/t/{staff_thread}");
    for _ in 0..3 {
        let r = agent.get(&path).await;
        assert_eq!(r.status, 200);
        assert!(
            !r.headers.contains_key("x-hearth-cache"),
            "a member's page is drawn for them"
        );
        assert!(r
            .headers
            .get("cache-control")
            .is_none_or(|c| !c.contains("public")));
    }
    let visitor = Browser::new(&a.base);
    for _ in 0..3 {
        let r = visitor.get(&path).await;
        assert_eq!(r.status, 404, "a private board's thread: {}", r.body);
        assert!(!r.body.contains("Internal escalation notes"));
    }
    // The staff board's list never reaches visitors, and members' views of
    // public pages are never stored for visitors either.
    assert_eq!(visitor.get("/c/staff").await.status, 404);
    let public = post_thread(
        &agent_api,
        "general",
        "Public maintenance window",
        "Sunday.",
    )
    .await;
    agent.get(&format!("/t/{public}")).await;
    let first = visitor.get(&format!("/t/{public}")).await;
    assert_eq!(
        first.headers["x-hearth-cache"], "miss",
        "the member's view was not kept"
    );
    assert!(
        !first.body.contains("action=\"/logout\""),
        "no member's frame"
    );
    a.stop().await;
}
