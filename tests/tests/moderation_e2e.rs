//! Moderation over HTTP on SQLite and PostgreSQL, with the product's
//! default new-member limits on: members report a post until it hides, a
//! new member's link-laden question is held (202, `held_for_review`) and
//! released once from the review page, and a spam wave (50 new accounts,
//! 500 link-laden posts) beside 10 established members: what reached
//! readers, what was held, and that every held post is in the queue.

use hearth_e2e::{api_staff, api_user, start_with_config, Backend, Browser, TestServer};
use serde_json::json;

async fn server(backend: Backend) -> Option<TestServer> {
    start_with_config(backend, 256 * 1024, |c, _| {
        c.moderation = forum::review::ModerationConfig::default();
    })
    .await
}

/// An established member: the brand's single sign-on vouches for them.
async fn established(s: &TestServer, name: &str) -> (Browser, i64) {
    let (b, id) = api_user(&s.base, name).await;
    s.execute_sql(&format!(
        "INSERT INTO user_identities (provider, subject, user_id, created_at) \
         VALUES ('corp', 'sub-{id}', {id}, 0)"
    ));
    (b, id)
}

async fn signed_in(s: &TestServer, name: &str) -> Browser {
    let b = Browser::new(&s.base);
    let r = b
        .submit(
            "/login",
            "/login",
            &[("login", name), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    b
}

async fn report_hide_and_review(backend: Backend) {
    let Some(s) = server(backend).await else {
        return;
    };
    let moderator = api_staff(&s, "mod", forum::Role::Moderator).await;
    let (asker, _) = established(&s, "asker").await;
    let (author, _) = established(&s, "author").await;
    let r = asker
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Router drops Wi-Fi", "body": "Every night at two"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let thread = r.json()["thread"]["id"].as_i64().unwrap();
    let r = author
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &json!({"body": "You are an idiot"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let rude = r.json()["id"].as_i64().unwrap();

    // Three members report it; the third report hides it.
    let mut hidden = Vec::new();
    for name in ["rep1", "rep2", "rep3"] {
        let (b, _) = api_user(&s.base, name).await;
        let r = b
            .post_json(
                &format!("/api/v1/posts/{rude}/flag"),
                &json!({"reason": "abusive", "note": "insults"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        hidden.push(r.json()["hidden"].as_bool().unwrap());
        let again = b
            .post_json(
                &format!("/api/v1/posts/{rude}/flag"),
                &json!({"reason": "spam"}),
            )
            .await;
        assert_eq!(again.status, 409, "one report per member per post");
    }
    assert_eq!(hidden, vec![false, false, true]);
    let page = Browser::new(&s.base).get(&format!("/t/{thread}")).await;
    assert!(!page.body.contains("You are an idiot"));
    assert!(page.body.contains("hidden while a moderator reviews it"));
    s.settle().await;
    let notes = author.get("/api/v1/notifications").await.json();
    assert!(
        notes
            .to_string()
            .contains("hidden after members reported it"),
        "{notes}"
    );

    // Moderators see it in the queue; customers may not.
    assert_eq!(asker.get("/api/v1/mod/review").await.status, 403);
    let queue = moderator.get("/api/v1/mod/review").await.json();
    assert_eq!(queue["total"], 1, "{queue}");
    let item = &queue["items"][0];
    assert_eq!(item["post_id"], rude);
    assert_eq!(item["flags"].as_array().unwrap().len(), 3);
    assert_eq!(item["post_state"], "hidden");
    let item_id = item["id"].as_i64().unwrap();

    // The moderator rejects it from the review page, with a reason.
    let modpage = signed_in(&s, "mod").await;
    let list = modpage.get("/mod/review").await;
    assert!(list.body.contains("Router drops Wi-Fi"), "{}", list.body);
    let r = modpage
        .submit(
            "/mod/review",
            &format!("/mod/review/{item_id}/decide"),
            &[("decision", "reject"), ("reason", "personal attack")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let again = moderator
        .post_json(
            &format!("/api/v1/mod/review/{item_id}/decide"),
            &json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(again.status, 409, "decided once");
    s.settle().await;
    assert!(author
        .get("/api/v1/notifications")
        .await
        .body
        .contains("removed by a moderator: personal attack"));

    // A new member's question with three links is held, not lost.
    let (newbie, _) = api_user(&s.base, "newbie").await;
    let r = newbie
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Great deals today",
                    "body": "see https://a.example https://b.example https://c.example"}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let held = r.json();
    assert_eq!(held["held_for_review"]["code"], "held_for_review");
    assert_eq!(
        held["held_for_review"]["reasons"][0]["code"],
        "too_many_links"
    );
    assert_eq!(held["question"]["review"], "held");
    let held_thread = held["thread"]["id"].as_i64().unwrap();
    assert_eq!(
        Browser::new(&s.base)
            .get(&format!("/t/{held_thread}"))
            .await
            .status,
        404
    );
    let own = newbie.get(&format!("/api/v1/threads/{held_thread}")).await;
    assert_eq!(own.status, 200);
    assert_eq!(own.json()["question"]["review"], "held");
    let queue = moderator.get("/api/v1/mod/review").await.json();
    let item_id = queue["items"][0]["id"].as_i64().unwrap();
    assert_eq!(queue["items"][0]["held_at_creation"], true);
    let r = moderator
        .post_json(&format!("/api/v1/mod/review/{item_id}/claim"), &json!({}))
        .await;
    assert_eq!(r.status, 204);
    let r = modpage
        .submit(
            "/mod/review",
            &format!("/mod/review/{item_id}/decide"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let public = Browser::new(&s.base)
        .get(&format!("/t/{held_thread}"))
        .await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("https://a.example"));

    // A decision stands until the post is edited.
    let r = asker
        .post_json(
            &format!("/api/v1/posts/{}/flag", held["question"]["id"]),
            &json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // A member reports from the thread page.
    let question = Browser::new(&s.base)
        .get(&format!("/api/v1/threads/{thread}"))
        .await
        .json()["question"]["id"]
        .as_i64()
        .unwrap();
    let reader = signed_in(&s, "rep1").await;
    let r = reader
        .submit(
            &format!("/t/{thread}"),
            &format!("/p/{question}/report"),
            &[("reason", "needs_staff"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().contains("reported="));
    let page = reader.get(r.location()).await;
    assert!(page.body.contains("the moderators have your report"));
    let stats = moderator.get("/api/v1/mod/review/stats").await.json();
    assert_eq!(stats["decided"], 2, "{stats}");
    assert_eq!(stats["approved"], 1);
    assert_eq!(stats["open_items"], 1);
    let dash = modpage.get("/admin").await;
    assert!(dash.body.contains("1 waiting for review"), "{}", dash.body);
    assert!(
        dash.body
            .contains("<strong>7</strong> new members · <strong>3</strong> posts"),
        "{}",
        dash.body
    );
    s.stop().await;
}

#[actix_rt::test]
async fn report_hide_and_review_sqlite() {
    report_hide_and_review(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn report_hide_and_review_postgres() {
    report_hide_and_review(Backend::Postgres).await;
}

async fn spam_wave(backend: Backend) {
    let Some(s) = server(backend).await else {
        return;
    };
    let moderator = api_staff(&s, "mod", forum::Role::Moderator).await;
    let mut members = Vec::new();
    for i in 0..10 {
        members.push(established(&s, &format!("member{i}")).await.0);
    }
    let r = members[0]
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Best way to back up photos?", "body": "I have 20 GB of photos"}),
        )
        .await;
    assert_eq!(r.status, 201);
    let thread = r.json()["thread"]["id"].as_i64().unwrap();
    let mut spammers = Vec::new();
    for i in 0..50 {
        spammers.push(api_user(&s.base, &format!("spammer{i}")).await.0);
    }
    let (mut spam_published, mut spam_held, mut legit_held, mut legit) = (0, 0, 0, 0);
    for round in 0..10 {
        for (i, spammer) in spammers.iter().enumerate() {
            let body = format!(
                "Cheap pills {round}-{i}: https://pills{i}.example/buy www.pills{i}.example https://t.example/{round}"
            );
            let r = if round % 3 == 0 {
                spammer
                    .post_json(
                        "/api/v1/threads",
                        &json!({"category": "general", "title": format!("Pills {round} {i}"), "body": body}),
                    )
                    .await
            } else {
                spammer
                    .post_json(
                        &format!("/api/v1/threads/{thread}/posts"),
                        &json!({"body": body}),
                    )
                    .await
            };
            match r.status {
                201 => spam_published += 1,
                202 => spam_held += 1,
                other => panic!("spam post answered {other}: {}", r.body),
            }
        }
        for (i, m) in members.iter().enumerate() {
            let r = m
                .post_json(
                    &format!("/api/v1/threads/{thread}/posts"),
                    &json!({"body": format!("Round {round}: I use an external disk, member {i}")}),
                )
                .await;
            match r.status {
                201 => legit += 1,
                202 => legit_held += 1,
                other => panic!("member post answered {other}: {}", r.body),
            }
        }
    }
    println!(
        "spam wave: {spam_published} of 500 spam posts reached readers, {spam_held} held; \
         {legit_held} of {} posts by established members held",
        legit + legit_held
    );
    assert_eq!(spam_published, 0, "no spam reaches readers");
    assert_eq!(spam_held, 500, "nothing dropped");
    assert_eq!(legit_held, 0, "established members are never held");
    // Every held post is in the queue; a page of readers shows none.
    let queue = moderator.get("/api/v1/mod/review?per_page=1").await.json();
    assert_eq!(queue["total"], 500);
    let public = Browser::new(&s.base)
        .get(&format!("/api/v1/threads/{thread}?per_page=200"))
        .await
        .json();
    assert_eq!(public["total_replies"], 100);
    assert!(!public.to_string().contains("Cheap pills"));
    let search = Browser::new(&s.base).get("/api/v1/search?q=pills").await;
    assert!(!search.body.contains("Cheap pills"), "{}", search.body);
    // One decision clears a spammer's whole backlog and bans them.
    let first = moderator.get("/api/v1/mod/review").await.json();
    let item = first["items"][0]["id"].as_i64().unwrap();
    let r = moderator
        .post_json(
            &format!("/api/v1/mod/review/{item}/decide"),
            &json!({"decision": "delete_spam", "reason": "spam"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let queue = moderator.get("/api/v1/mod/review?per_page=1").await.json();
    assert_eq!(
        queue["total"], 490,
        "the spammer's ten items close together"
    );
    let banned = spammers[0]
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &json!({"body": "still here?"}),
        )
        .await;
    assert!(
        [401, 403].contains(&banned.status),
        "a banned account cannot post: {}",
        banned.body
    );
    s.stop().await;
}

#[actix_rt::test]
async fn spam_wave_reaches_no_reader_sqlite() {
    spam_wave(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn spam_wave_reaches_no_reader_postgres() {
    spam_wave(Backend::Postgres).await;
}
