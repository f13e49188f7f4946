//! Administration over HTTP on both backends: the dashboard, the member
//! list, a member page whose forms silence, suspend, reinstate, change a
//! role and reset a password, the audit log, who may see and do what, and
//! CSRF on every new form.

#![allow(clippy::unwrap_used, clippy::expect_used)]

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
    admins_run_boards_from_the_pages_and_the_api,
    staff_run_members_from_the_admin_pages,
    refused_email_domains_cannot_register,
    daily_registration_cap_per_address
);

/// Besides the hourly limit, an address may open only so many accounts a
/// day (`register_per_address_per_day`).
async fn daily_registration_cap_per_address(backend: Backend) {
    let Some(s) = start_with_config(backend, 256 * 1024, |c, _| {
        c.rate_limits.register_per_address_per_day = forum::rate_limit::RateLimit::per_day(2);
    })
    .await
    else {
        return;
    };
    let anon = Browser::new(&s.base);
    let mut statuses = Vec::new();
    for i in 0..3 {
        let r = anon
            .post_json(
                "/api/v1/users",
                &json!({ "username": format!("daily{i}"), "email": format!("daily{i}@example.com"), "password": "password123" }),
            )
            .await;
        statuses.push((r.status, r.error_code()));
    }
    assert_eq!(
        statuses[..2].iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![201, 201]
    );
    assert_eq!(statuses[2], (429, "rate_limited".to_string()));
}

/// `[registration] refused_email_domains`: the API and the form refuse an
/// address at a refused domain or its subdomains, with a clear message on
/// the email field, and nothing is created.
async fn refused_email_domains_cannot_register(backend: Backend) {
    let Some(s) = start_with_config(backend, 256 * 1024, |c, _| {
        c.registration.refused_email_domains = vec!["mailinator.com".into()];
    })
    .await
    else {
        return;
    };
    let anon = Browser::new(&s.base);
    let r = anon
        .post_json(
            "/api/v1/users",
            &json!({ "username": "spammy", "email": "spammy@eu.Mailinator.com", "password": "password123" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (422, "validation_failed".to_string()),
        "{}",
        r.body
    );
    assert_eq!(r.json()["error"]["field"], "email");
    let r = anon
        .submit(
            "/register",
            "/register",
            &[
                ("username", "spammy2"),
                ("email", "x@mailinator.com"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("cannot register here"), "{}", r.body);
    assert!(s.forum.find_user("spammy").unwrap().is_none());
    assert!(s.forum.find_user("spammy2").unwrap().is_none());
    // Other domains are welcome.
    let r = anon
        .post_json(
            "/api/v1/users",
            &json!({ "username": "fine", "email": "fine@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn staff_run_members_from_the_admin_pages(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let moderator = signed_in(&s, "mia", forum::Role::Moderator).await;
    let ann = Browser::new(&s.base);
    ann.register("ann").await;
    let ann_id = s.forum.find_user("ann").unwrap().unwrap().id;
    let ask = ann
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "support"),
                ("title", "Router keeps rebooting"),
                ("body", "Every hour."),
            ],
        )
        .await;
    assert_eq!(ask.status, 303, "{}", ask.body);
    let thread = ask.location().to_string();

    let r = moderator
        .submit(
            &thread,
            &format!("{thread}/reply"),
            &[("body", "Thanks @ann — the watchdog resets it hourly.")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    // Her name is in the index only through that mention.
    while !admin
        .get("/search?q=ann")
        .await
        .body
        .contains("Router keeps rebooting")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "indexed with the mention"
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Customers do not get in; visitors are sent to sign in.
    assert_eq!(ann.get("/admin").await.status, 403);
    assert_eq!(ann.get("/admin/users").await.status, 403);
    assert_eq!(Browser::new(&s.base).get("/admin").await.status, 401);

    let dash = admin.get("/admin").await;
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("3 members"), "{}", dash.body);
    let list = admin.get("/admin/users?q=ANN&sort=posts").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("ann@example.com") && !list.body.contains("root@example.com"));
    assert!(list.body.contains("1 found"), "{}", list.body);
    assert_eq!(admin.get("/admin/users?status=nonsense").await.status, 422);

    // The member page and the API tell moderation's facts: trust, reports
    // on her posts and by her, and (to admins) her CRM contact once the CRM
    // keeps one.
    let member = format!("/admin/users/{ann_id}");
    let tid = thread.rsplit('/').next().unwrap();
    let question = admin.get(&format!("/api/v1/threads/{tid}")).await.json()["question"]["id"]
        .as_i64()
        .unwrap();
    let (bob, bob_id) = api_user(&s.base, "bob").await;
    let r = bob
        .post_json(
            &format!("/api/v1/posts/{question}/flag"),
            &json!({"reason": "off_topic"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mut admin_api = Browser::new(&s.base);
    admin_api.api_login("root").await;
    let mut mod_api = Browser::new(&s.base);
    mod_api.api_login("mia").await;
    let detail = admin_api
        .get(&format!("/api/v1/admin/users/{ann_id}"))
        .await
        .json();
    let seen = &detail["moderation"]["addresses"];
    assert_eq!(
        seen[0]["address"], "127.0.0.1",
        "registered and signed in here: {detail}"
    );
    assert!(seen[0]["times"].as_i64().unwrap() >= 1);
    assert!(
        seen[0]["other_accounts"].as_i64().unwrap() >= 1,
        "every test member shares the loopback address: {detail}"
    );
    let mut moderation = detail["moderation"].clone();
    moderation.as_object_mut().unwrap().remove("addresses");
    assert_eq!(
        moderation,
        json!({"trust": "new", "reports_received": 1, "reports_given": 0}),
        "{detail}"
    );
    // The CRM keeps a contact for her (made when she joined).
    let contact = format!("/api/v1/crm/contacts/{ann_id}");
    assert_eq!(detail["crm_contact"], json!(contact), "{detail}");
    assert_eq!(admin_api.get(&contact).await.status, 200, "and it answers");
    let bobs = mod_api
        .get(&format!("/api/v1/admin/users/{bob_id}"))
        .await
        .json();
    assert_eq!(bobs["moderation"]["reports_given"], 1, "{bobs}");
    assert_eq!(bobs["moderation"]["reports_received"], 0, "{bobs}");
    let page = admin.get(&member).await;
    assert!(
        page.body
            .contains("<dt>Reports on their posts</dt><dd>1</dd>")
            && page.body.contains("<dt>Reports they made</dt><dd>0</dd>")
            && page.body.contains("<span class=\"badge trust\">new</span>")
            && page.body.contains("<td>127.0.0.1</td>")
            && page
                .body
                .contains(&format!("<a href=\"{contact}\">CRM contact</a>")),
        "{}",
        page.body
    );
    let as_mod = mod_api
        .get(&format!("/api/v1/admin/users/{ann_id}"))
        .await
        .json();
    assert_eq!(as_mod["crm_contact"], json!(null), "moderators read no CRM");
    assert!(!moderator.get(&member).await.body.contains("CRM contact"));

    // A moderator silences Ann for two days, with a reason she is told.
    let r = moderator
        .submit(
            &member,
            &format!("{member}/standing"),
            &[
                ("status", "silenced"),
                ("days", "2"),
                ("reason", "heated replies"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = moderator.get(&member).await;
    assert!(
        page.body.contains("<strong>silenced</strong>") && page.body.contains("heated replies"),
        "{}",
        page.body
    );
    let reply = ann
        .submit(&thread, &format!("{thread}/reply"), &[("body", "Anyone?")])
        .await;
    assert_eq!(reply.status, 403, "a silenced member cannot post");
    assert!(
        reply.body.contains("heated replies"),
        "and is told why: {}",
        reply.body
    );
    assert!(ann.get(&thread).await.status == 200, "but can read");
    let bell = ann.get("/notifications").await;
    assert!(
        bell.body.contains("You cannot post for now"),
        "{}",
        bell.body
    );

    // Moderators do not suspend or change roles; the forms are not even shown.
    assert!(!page.body.contains("value=\"suspended\""));
    assert!(!page.body.contains("/role\""));
    let csrf = extract_csrf(&page.body).unwrap();
    let r = moderator
        .post_form(
            &format!("{member}/standing"),
            &[("csrf", &csrf), ("status", "suspended"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = moderator
        .post_form(
            &format!("{member}/role"),
            &[("csrf", &csrf), ("role", "admin")],
        )
        .await;
    assert_eq!(r.status, 403);

    // Every new form refuses a missing or foreign token.
    for (action, fields) in [
        (format!("{member}/standing"), vec![("status", "active")]),
        (format!("{member}/role"), vec![("role", "agent")]),
        (format!("{member}/reset-password"), vec![]),
    ] {
        let mut with_bad = vec![("csrf", "forged")];
        with_bad.extend(fields.iter().copied());
        assert_eq!(
            admin.post_form(&action, &with_bad).await.status,
            403,
            "{action}"
        );
    }

    // The admin suspends her: her session ends at once.
    let r = admin
        .submit(
            &member,
            &format!("{member}/standing"),
            &[("status", "suspended"), ("reason", "spam wave")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let me = ann.get("/notifications").await;
    assert_eq!(me.status, 401, "signed out: {}", me.body);
    let again = Browser::new(&s.base);
    let r = again
        .submit(
            "/login",
            "/login",
            &[("login", "ann"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("spam wave"), "{}", r.body);
    let api = again
        .post_json(
            "/api/v1/auth/token",
            &json!({ "login": "ann", "password": "password123" }),
        )
        .await;
    assert_eq!(
        (api.status, api.error_code()),
        (403, "suspended".to_string())
    );

    // Reinstated, she signs in again; then she becomes an agent.
    let r = admin
        .submit(
            &member,
            &format!("{member}/standing"),
            &[("status", "active")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = again
        .submit(
            "/login",
            "/login",
            &[("login", "ann"), ("password", "password123")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = admin
        .submit(
            &member,
            &format!("{member}/role"),
            &[("role", "agent"), ("reason", "joined support")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(s.forum.user(ann_id).unwrap().role, forum::Role::Agent);

    // Mail is off in tests, so the reset link is shown once on the page.
    let r = admin
        .submit(&member, &format!("{member}/reset-password"), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("/password/reset?token="), "{}", r.body);

    // Erasure: a confirmation step, then the name is gone from pages and
    // search while the question stays, as "Deleted member".
    let r = admin
        .submit(&member, &format!("{member}/erase"), &[("confirm", "an")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = moderator
        .post_form(
            &format!("{member}/erase"),
            &[("csrf", &csrf), ("confirm", "ann")],
        )
        .await;
    assert_eq!(r.status, 403, "moderators do not erase");
    assert_eq!(
        admin
            .post_form(
                &format!("{member}/erase"),
                &[("csrf", "forged"), ("confirm", "ann")]
            )
            .await
            .status,
        403
    );
    let r = admin
        .submit(&member, &format!("{member}/erase"), &[("confirm", "ann")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = admin.get(&thread).await;
    assert!(page.body.contains("Deleted member") && page.body.contains("Router keeps rebooting"));
    assert!(!page.body.contains("ann@example.com") && !page.body.contains(">ann<"));
    // The mention in Mia's reply follows the new name, in the thread and
    // (once the indexer has the erasure event) in search.
    assert!(
        !page.body.contains("@ann ") && page.body.contains("@deleted-"),
        "{}",
        page.body
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let by_name = admin.get("/search?q=ann").await;
        let by_word = admin.get("/search?q=watchdog").await;
        if !by_name.body.contains("Router keeps rebooting")
            && by_word.body.contains("Router keeps rebooting")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search still finds her name: {}",
            by_name.body
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The audit log has all of it, newest first, with who did it.
    let log = admin.get("/admin/audit").await;
    assert_eq!(log.status, 200);
    let order: Vec<usize> = [
        "member.password_reset",
        "member.role",
        "spam wave",
        "heated replies",
    ]
    .iter()
    .map(|needle| {
        log.body
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in the log"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    assert!(log.body.contains(">mia<") && log.body.contains(">root<"));
    let filtered = admin.get("/admin/audit?action=member.role").await;
    assert!(filtered.body.contains("joined support") && !filtered.body.contains("spam wave"));
}

/// Boards as an administrator runs them: create one on `/admin/boards`,
/// set who sees it and who starts threads, reorder, archive and open it
/// again, each reflected where members read and post; moderators may only
/// look; every form refuses a forged token; the API does the same.
async fn admins_run_boards_from_the_pages_and_the_api(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let moderator = signed_in(&s, "mia", forum::Role::Moderator).await;
    let agent = signed_in(&s, "agnes", forum::Role::Agent).await;
    let ann = Browser::new(&s.base);
    ann.register("ann").await;

    // Who may get in.
    assert_eq!(ann.get("/admin/boards").await.status, 403);
    assert_eq!(agent.get("/admin/boards").await.status, 403);
    assert_eq!(Browser::new(&s.base).get("/admin/boards").await.status, 401);
    assert!(admin
        .get("/admin")
        .await
        .body
        .contains("href=\"/admin/boards\""));
    let list = moderator.get("/admin/boards").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Staff room") && !list.body.contains("Create board"));

    // Create a board from the list page.
    let r = admin
        .submit(
            "/admin/boards",
            "/admin/boards",
            &[
                ("slug", "guides"),
                ("name", "Guides"),
                ("description", "How-to articles"),
                ("see_min_role", "customer"),
                ("start_threads", "staff"),
                ("rank", "Newcomer"),
                ("crm_tasks", "off"),
                ("premoderation", "all"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/admin/boards/guides");
    let page = admin.get("/admin/boards/guides").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("value=\"all\" selected"),
        "{}",
        page.body
    );
    assert!(page.body.contains("board.create"), "history: {}", page.body);
    // A taken slug is refused with a message on the field.
    let dup = admin
        .submit(
            "/admin/boards",
            "/admin/boards",
            &[
                ("slug", "guides"),
                ("name", "Again"),
                ("see_min_role", "customer"),
                ("start_threads", "everyone"),
                ("crm_tasks", "rules"),
                ("premoderation", "none"),
            ],
        )
        .await;
    assert_eq!(dup.status, 422, "{}", dup.body);
    assert!(dup.body.contains("already a board"), "{}", dup.body);

    // Members see it on the home page; only staff start threads there.
    assert!(ann.get("/").await.body.contains("Guides"));
    let refused = ask_in_guides(&ann).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("only staff start threads"),
        "{}",
        refused.body
    );
    let posted = ask_in_guides(&agent).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let thread = posted.location().to_string();

    // Moderators cannot change it.
    assert_eq!(
        moderator
            .submit("/admin/boards/guides", "/admin/boards/guides/archive", &[])
            .await
            .status,
        403
    );

    // Agents and up only: Ann loses the board and its thread.
    let r = admin
        .submit(
            "/admin/boards/guides",
            "/admin/boards/guides",
            &[
                ("name", "Staff guides"),
                ("description", "Internal"),
                ("see_min_role", "agent"),
                ("start_threads", "everyone"),
                ("rank", "Newcomer"),
                ("crm_tasks", "rules"),
                ("premoderation", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!ann.get("/").await.body.contains("Staff guides"));
    assert_eq!(ann.get("/c/guides").await.status, 404);
    assert_eq!(ann.get(&thread).await.status, 404);
    assert!(agent.get("/").await.body.contains("Staff guides"));
    assert_eq!(agent.get(&thread).await.status, 200);

    // Reorder: move it up, and the home page follows.
    let order = |body: &str| {
        let a = body.find("Staff guides").unwrap();
        let b = body.find("Staff room").unwrap();
        a < b
    };
    let before = admin.get("/").await.body;
    let was_before = order(&before);
    let r = admin
        .submit(
            "/admin/boards",
            "/admin/boards/guides/move",
            &[("direction", if was_before { "down" } else { "up" })],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_ne!(order(&admin.get("/").await.body), was_before);

    // Archive: off the list, still readable, no replies.
    let r = admin
        .submit("/admin/boards/guides", "/admin/boards/guides/archive", &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!agent.get("/").await.body.contains("Staff guides"));
    let t = agent.get(&thread).await;
    assert_eq!(t.status, 200);
    assert!(
        t.body.contains("archived") && !t.body.contains("Post reply"),
        "{}",
        t.body
    );
    let reply = agent
        .post_form(
            &format!("{thread}/reply"),
            &[("csrf", &extract_csrf(&t.body).unwrap()), ("body", "late")],
        )
        .await;
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(admin.get("/admin/boards").await.body.contains("archived"));
    let r = admin
        .submit(
            "/admin/boards/guides",
            "/admin/boards/guides/unarchive",
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(agent.get("/").await.body.contains("Staff guides"));

    // Every board form refuses a forged token.
    for action in [
        "/admin/boards",
        "/admin/boards/guides",
        "/admin/boards/guides/archive",
        "/admin/boards/guides/unarchive",
        "/admin/boards/guides/move",
    ] {
        let r = admin
            .post_form(
                action,
                &[
                    ("csrf", "forged"),
                    ("slug", "forged"),
                    ("name", "Forged"),
                    ("see_min_role", "customer"),
                    ("start_threads", "everyone"),
                    ("crm_tasks", "rules"),
                    ("premoderation", "none"),
                    ("direction", "up"),
                ],
            )
            .await;
        assert_eq!(r.status, 403, "{action}");
    }

    // The audit log has it all.
    let log = admin.get("/admin/audit").await.body;
    for action in [
        "board.create",
        "board.update",
        "board.move",
        "board.archive",
        "board.unarchive",
    ] {
        assert!(log.contains(action), "{action}: {log}");
    }

    // The API: the same operations, admins only.
    let api_admin = api_staff(&s, "apiroot", forum::Role::Admin).await;
    let api_mod = api_staff(&s, "apimod", forum::Role::Moderator).await;
    let list = api_mod.get("/api/v1/admin/boards").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.json()["ranks"].as_array().unwrap().len() > 1);
    let r = api_mod
        .post_json("/api/v1/admin/boards", &json!({ "slug": "x", "name": "X" }))
        .await;
    assert_eq!(r.status, 403);
    let r = api_admin
        .post_json(
            "/api/v1/admin/boards",
            &json!({ "slug": "beta", "name": "Beta", "start_threads": "rank:Expert", "premoderation": "new_members" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let b = r.json();
    assert_eq!(b["start_threads"], "rank:Expert");
    assert_eq!(b["premoderation"], "new_members");
    assert_eq!(b["crm_tasks"], "rules");
    let r = api_admin
        .patch_json(
            "/api/v1/admin/boards/beta",
            &json!({ "name": "Beta testers", "see_min_role": "moderator", "crm_tasks": "on" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["is_private"], true);
    assert_eq!(r.json()["crm_tasks"], "on");
    let r = api_admin
        .patch_json(
            "/api/v1/admin/boards/beta",
            &json!({ "start_threads": "rank:Wizard" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (422, "validation_failed".to_string())
    );
    let r = api_admin
        .post_json("/api/v1/admin/boards/beta/archive", &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["archived_at"].is_i64());
    let r = api_admin
        .post_json("/api/v1/admin/boards/beta/unarchive", &json!({}))
        .await;
    assert!(r.json()["archived_at"].is_null());
    let r = api_admin
        .post_json(
            "/api/v1/admin/boards/beta/move",
            &json!({ "direction": "up" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        api_admin.get("/api/v1/admin/boards/nowhere").await.status,
        404
    );
    let one = api_mod.get("/api/v1/admin/boards/beta").await;
    assert_eq!(one.json()["name"], "Beta testers");
    s.stop().await;
}

async fn ask_in_guides(b: &Browser) -> Response {
    b.submit(
        "/ask",
        "/ask",
        &[
            ("category", "guides"),
            ("title", "How do I reset it"),
            ("body", "Step by step please."),
        ],
    )
    .await
}
