//! Knowledge base and reputation end to end over HTTP: promotion, review,
//! publishing into search, staleness; points, badges, leaderboards and
//! notifications from the worker; the pages that show them.

use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

/// Poll `url` until `check` holds (the workers run on their own schedule).
async fn until(
    b: &Browser,
    url: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = b.get(url).await;
        if r.status == 200 {
            let j = r.json();
            if check(&j) {
                return j;
            }
            assert!(Instant::now() < deadline, "timed out waiting on {url}: {j}");
        } else {
            assert!(
                Instant::now() < deadline,
                "timed out waiting on {url}: {} {}",
                r.status,
                r.body
            );
        }
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn ask(b: &Browser, title: &str, body: &str) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "support", "title": title, "body": body, "tags": ["audio"] }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().unwrap()
}

#[actix_rt::test]
async fn a_solved_thread_becomes_an_article_found_above_its_thread() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, bob_id) = api_user(&s.base, "bob").await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let moderator = api_staff(&s, "mod1", forum::Role::Moderator).await;

    let t = ask(
        &ann,
        "Bluetooth headset crackles during calls",
        "My bluetooth headset crackles and drops audio during calls on the laptop.",
    )
    .await;
    let answer = post_reply(
        &bob,
        t,
        "Turn off the hands-free telephony profile for the bluetooth headset; the crackle comes from the low-quality codec.",
    )
    .await;
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);

    // Customers cannot promote; staff can, and promoting twice gives the same draft.
    let r = ann
        .post_json(&format!("/api/v1/threads/{t}/promote"), &json!({}))
        .await;
    assert_eq!((r.status, r.error_code().as_str()), (403, "forbidden"));
    let r = agent
        .post_json(&format!("/api/v1/threads/{t}/promote"), &json!({}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let draft = r.json();
    let slug = draft["slug"].as_str().unwrap().to_string();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["source_author"][1], "bob");
    let again = agent
        .post_json(&format!("/api/v1/threads/{t}/promote"), &json!({}))
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["slug"], slug.as_str());
    // Drafts stay out of sight, and out of search.
    assert_eq!(ann.get(&format!("/api/v1/kb/{slug}")).await.status, 404);
    let r = agent
        .patch_json(
            &format!("/api/v1/kb/{slug}"),
            &json!({ "title": "Bluetooth headset crackles during calls", "note": "clearer title" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = agent
        .post_json(&format!("/api/v1/kb/{slug}/publish"), &json!({}))
        .await;
    assert_eq!((r.status, r.error_code().as_str()), (403, "forbidden"));
    let r = moderator
        .post_json(&format!("/api/v1/kb/{slug}/publish"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "published");

    // Published: public, in the KB list, and found in its thread's place:
    // one result, the article, linked to the thread it came from.
    let article = ann.get(&format!("/api/v1/kb/{slug}")).await;
    assert_eq!(article.status, 200);
    let list = ann.get("/api/v1/kb?category=support").await.json();
    assert_eq!(list["articles"][0]["slug"], slug.as_str());
    let one_result = |j: &serde_json::Value| {
        let hits = j["hits"].as_array().cloned().unwrap_or_default();
        hits.iter().any(|h| h["kind"] == "article")
            && !hits.iter().any(|h| h["kind"] == "thread" && h["id"] == t)
    };
    let found = until(
        &ann,
        "/api/v1/search?q=bluetooth+headset+crackles",
        one_result,
    )
    .await;
    assert_eq!(found["hits"][0]["kind"], "article", "{found}");
    assert_eq!(found["hits"][0]["url"], format!("/kb/{slug}"));
    assert_eq!(found["hits"][0]["origin_url"], format!("/t/{t}"), "{found}");
    assert_eq!(found["total"], 1, "{found}");
    let html = ann.get("/search?q=bluetooth+headset+crackles").await;
    assert!(
        html.body
            .contains(&format!("<a href=\"/t/{t}\">From a community thread</a>")),
        "{}",
        html.body
    );
    // A full reindex keeps the article, alone, in the same place.
    let (forum, search) = (s.forum.clone(), s.search.clone());
    actix_web::web::block(move || web::indexer::rebuild(&forum, &search, |_| {}))
        .await
        .unwrap()
        .unwrap();
    let again = ann
        .get("/api/v1/search?q=bluetooth+headset+crackles")
        .await
        .json();
    assert_eq!(again["hits"][0]["url"], format!("/kb/{slug}"), "{again}");
    assert!(one_result(&again), "{again}");
    // And it is suggested first while someone types the same question.
    let similar = ann
        .get("/api/v1/search/similar?title=headset+crackles+on+calls")
        .await
        .json();
    assert_eq!(similar["suggestions"][0]["kind"], "article", "{similar}");

    // The article page credits the answer's author and takes feedback.
    let page = Browser::new(&s.base);
    page.register("reader").await;
    let html = page.get(&format!("/kb/{slug}")).await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("@bob"), "{}", html.body);
    assert!(html.body.contains(&format!("href=\"/t/{t}\"")));
    let r = page
        .submit(
            &format!("/kb/{slug}"),
            &format!("/kb/{slug}/feedback"),
            &[("helpful", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = ann
        .post_json(
            &format!("/api/v1/kb/{slug}/feedback"),
            &json!({ "helpful": false }),
        )
        .await;
    assert_eq!(r.json()["helpful"], 1);
    assert_eq!(r.json()["not_helpful"], 1);
    let html = Browser::new(&s.base).get("/kb").await;
    assert!(html.body.contains(&format!("/kb/{slug}")));

    // Editing the source answer flags the article and shows reviewers the diff.
    let r = bob
        .patch_json(
            &format!("/api/v1/posts/{answer}"),
            &json!({ "body": "Disable the hands-free profile, then re-pair the headset." }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stale = until(&agent, &format!("/api/v1/kb/{slug}"), |j| {
        j["source_changed"] == true
    })
    .await;
    let diff = stale["source_change"]["answer"].to_string();
    assert!(diff.contains("added") && diff.contains("re-pair"), "{diff}");
    let queue = agent.get("/api/v1/kb/review").await.json();
    assert!(queue["articles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["slug"] == slug.as_str()));
    let reviewer = Browser::new(&s.base);
    let r = reviewer
        .submit(
            "/login",
            "/login",
            &[("login", "mod1"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let edit = reviewer.get(&format!("/kb/{slug}/edit")).await;
    assert_eq!(edit.status, 200);
    assert!(
        edit.body.contains("Source changed since the last review"),
        "{}",
        edit.body
    );
    assert!(edit
        .body
        .contains("<ins>+ Disable the hands-free profile, then re-pair the headset.</ins>"));
    assert!(edit
        .body
        .contains("<del>- Turn off the hands-free telephony profile"));
    // Customers do not get the review tools.
    assert_eq!(page.get(&format!("/kb/{slug}/edit")).await.status, 403);

    // Archiving takes it out of search, and its thread comes back.
    let r = moderator
        .post_json(
            &format!("/api/v1/kb/{slug}/status"),
            &json!({ "status": "archived" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    until(&ann, "/api/v1/search?q=bluetooth+headset+crackles", |j| {
        j["hits"].as_array().is_some_and(|h| {
            h.iter().all(|x| x["kind"] != "article")
                && h.iter().any(|x| x["kind"] == "thread" && x["id"] == t)
        })
    })
    .await;
    let r = moderator
        .post_json(
            &format!("/api/v1/kb/{slug}/status"),
            &json!({ "status": "gone" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "validation_failed")
    );

    // The answer's author was credited with points for the promotion.
    let rep = until(&ann, &format!("/api/v1/users/{bob_id}/reputation"), |j| {
        j["stats"]["kb_articles"] == 1
    })
    .await;
    assert!(rep["stats"]["points"].as_i64().unwrap() > 0);
    s.stop().await;
}

async fn reputation_flow(backend: Backend) {
    let Some(s) = start(backend, 64 * 1024).await else {
        return;
    };
    let (ann, ann_id) = api_user(&s.base, "ann").await;
    let (bob, bob_id) = api_user(&s.base, "bob").await;
    let (cat, _) = api_user(&s.base, "cat").await;
    let t = ask(
        &ann,
        "Router reboots every night",
        "The router restarts at 3am.",
    )
    .await;
    let answer = post_reply(
        &bob,
        t,
        "Disable the scheduled maintenance reboot in the admin panel.",
    )
    .await;
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    // Self-kudos are refused with a clear error.
    let r = bob
        .post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
        .await;
    assert_eq!((r.status, r.error_code().as_str()), (403, "forbidden"));
    // Give, withdraw, give: one kudo.
    for _ in 0..2 {
        cat.post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
            .await;
        cat.delete(&format!("/api/v1/posts/{answer}/vote")).await;
    }
    cat.post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
        .await;
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);

    let rules = forum::reputation::ReputationConfig::default();
    let expected = (2 * rules.kudo + rules.accepted + rules.first_reply) as i64;
    let badges = until(&ann, &format!("/api/v1/users/{bob_id}/badges"), |j| {
        j["badges"]
            .as_array()
            .is_some_and(|b| b.iter().any(|x| x["key"] == "first-solution"))
    })
    .await;
    assert!(badges["badges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["key"] == "first-post"));
    let rep = until(&ann, &format!("/api/v1/users/{bob_id}/reputation"), |j| {
        j["stats"]["points"] == expected
    })
    .await;
    assert_eq!(rep["rank"], "Contributor");

    let board = ann.get("/api/v1/leaderboard?period=week").await.json();
    assert_eq!(board["entries"][0]["user_id"], bob_id);
    assert_eq!(board["entries"][0]["points"], expected);
    let board = ann
        .get("/api/v1/leaderboard?period=all&category=general")
        .await
        .json();
    assert!(board["entries"].as_array().unwrap().is_empty());
    let r = ann.get("/api/v1/leaderboard?period=decade").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "validation_failed")
    );
    let r = ann.get("/api/v1/leaderboard?category=staff").await;
    assert_eq!(r.status, 404, "a private board is not revealed");

    let notes = bob.get("/api/v1/notifications").await.json();
    let titles: Vec<&str> = notes["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["title"].as_str())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("Problem solver")),
        "{titles:?}"
    );
    assert!(notes["unread"].as_i64().unwrap() >= 2);
    assert_eq!(
        ann.get("/api/v1/notifications").await.json()["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["title"]
                .as_str()
                .is_some_and(|t| t.contains("Problem solver")))
            .count(),
        0
    );
    // Every notice the workers will send for the above is in before the
    // member marks them read (else one can land just after).
    s.settle().await;
    let r = bob
        .post_json("/api/v1/notifications/read", &json!({}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(bob.get("/api/v1/notifications").await.json()["unread"], 0);
    assert_eq!(
        Browser::new(&s.base)
            .get("/api/v1/notifications")
            .await
            .status,
        401
    );

    // A rebuild from scratch reproduces every award and badge, and notifies nobody again.
    let before = s.forum.reputation_snapshot().unwrap();
    let summary = s.forum.rebuild_reputation().unwrap();
    assert_eq!((summary.badges_added, summary.badges_removed), (0, 0));
    assert_eq!(s.forum.reputation_snapshot().unwrap(), before);
    assert_eq!(bob.get("/api/v1/notifications").await.json()["unread"], 0);

    // Pages: the profile shows points, rank, badges and (in its tab)
    // accepted answers; every post shows its author's rank; leaderboards
    // and badges list them.
    let b = Browser::new(&s.base);
    let profile = b.get(&format!("/u/{bob_id}")).await;
    assert_eq!(profile.status, 200);
    for needle in ["Contributor", &expected.to_string(), "Problem solver"] {
        assert!(
            profile.body.contains(needle),
            "profile lacks {needle}: {}",
            profile.body
        );
    }
    let solutions = b.get(&format!("/u/{bob_id}?tab=solutions")).await;
    assert!(
        solutions.body.contains("Router reboots every night"),
        "{}",
        solutions.body
    );
    let thread = b.get(&format!("/t/{t}")).await;
    assert!(thread
        .body
        .contains("<span class=\"rank\" dir=\"auto\">Contributor</span>"));
    assert!(thread
        .body
        .contains("<span class=\"rank\" dir=\"auto\">Newcomer</span>"));
    let board = b.get("/leaderboard?period=all").await;
    assert!(board.body.contains(&format!("href=\"/u/{bob_id}\"")));
    assert!(
        !board.body.contains(&format!("href=\"/u/{ann_id}\"")),
        "no points, not listed"
    );
    let badge = b.get("/badges/first-solution").await;
    assert!(badge.body.contains("@bob"));
    assert!(b.get("/badges").await.body.contains("Problem solver"));
    assert_eq!(b.get("/badges/no-such-badge").await.status, 404);
    s.stop().await;
}

#[actix_rt::test]
async fn reputation_badges_and_leaderboards_sqlite() {
    reputation_flow(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn reputation_badges_and_leaderboards_postgres() {
    reputation_flow(Backend::Postgres).await;
}

#[actix_rt::test]
async fn community_leaders_moderate_from_the_thread_page() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let leader = Browser::new(&s.base);
    leader.register("leader").await;
    let t = ask(
        &ann,
        "Where do I find invoices",
        "I cannot find my invoices.",
    )
    .await;
    let original = ask(&ann, "Invoices location", "Where are invoices kept?").await;
    // Without the rank, the forms are absent and the actions refused.
    let page = leader.get(&format!("/t/{t}")).await;
    assert!(!page.body.contains("Mark duplicate"));
    let csrf = extract_csrf(&page.body).unwrap();
    let r = leader
        .post_form(
            &format!("/t/{t}/move"),
            &[("csrf", &csrf), ("category", "general")],
        )
        .await;
    assert_eq!(r.status, 403);

    // Give the member a Community Leader's record: many accepted answers.
    let leader_id = s
        .forum
        .authenticate("leader", "password123")
        .unwrap()
        .actor();
    let asker = s.forum.authenticate("ann", "password123").unwrap().actor();
    for i in 0..40 {
        let q = s
            .forum
            .create_thread(
                asker,
                forum::NewThread {
                    category: "general".into(),
                    title: format!("Question number {i} about settings"),
                    body: "details".into(),
                    tags: vec![],
                },
            )
            .unwrap();
        let a = s.forum.reply(leader_id, q, "Here is how.").unwrap();
        s.forum.accept(asker, a).unwrap();
    }
    until(
        &ann,
        &format!("/api/v1/users/{}/reputation", leader_id.user_id),
        |j| j["rank"] == "Community Leader",
    )
    .await;
    let page = leader.get(&format!("/t/{t}")).await;
    assert!(page.body.contains("Mark duplicate") && page.body.contains("Move to"));
    let r = leader
        .submit(
            &format!("/t/{t}"),
            &format!("/t/{t}/duplicate"),
            &[("of", &format!("/t/{original}"))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader
        .submit(
            &format!("/t/{t}"),
            &format!("/t/{t}/move"),
            &[("category", "general")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = Browser::new(&s.base).get(&format!("/t/{t}")).await;
    assert!(page.body.contains("Marked as a duplicate of"));
    assert!(page.body.contains("href=\"/c/general\""));
    let r = leader
        .submit(
            &format!("/t/{t}"),
            &format!("/t/{t}/duplicate"),
            &[("of", "not a thread")],
        )
        .await;
    assert_eq!(r.status, 422);
    s.stop().await;
}
