//! The idea exchange over real HTTP (issue 17), on SQLite and PostgreSQL,
//! through the pages as a person uses them without JavaScript: an
//! administrator makes an ideas board, a member submits an idea, others
//! vote and withdraw, the board's rules refuse votes with the reason, an
//! agent moves the idea to another status with a note, the timeline shows
//! it, and a voter finds the change in the bell.

use hearth_e2e::*;
use serde_json::json;

const BODY_LIMIT: usize = 64 * 1024;

fn idea_id(location: &str) -> i64 {
    location
        .strip_prefix("/ideas/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an idea: {location}"))
}

async fn ideas_are_proposed_voted_answered_and_told(s: &TestServer) {
    let admin = signed_in(s, "root", forum::Role::Admin).await;
    let r = admin
        .submit(
            "/admin/boards",
            "/admin/boards",
            &[
                ("slug", "ideas"),
                ("name", "Product ideas"),
                ("description", "Tell us what to build"),
                ("see_min_role", "customer"),
                ("start_threads", "everyone"),
                ("crm_tasks", "off"),
                ("premoderation", "none"),
                ("kind", "ideas"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let settings = admin.get("/admin/boards/ideas").await;
    assert!(
        settings.body.contains("href=\"/admin/ideas/ideas\""),
        "{}",
        settings.body
    );
    let home = Browser::new(&s.base).get("/ideas").await;
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("href=\"/ideas/b/ideas\""),
        "{}",
        home.body
    );

    // A member submits an idea with tags and a product area.
    let ann = signed_in(s, "ann", forum::Role::Customer).await;
    let refused = ann
        .submit(
            "/ideas/b/ideas/new",
            "/ideas/b/ideas/new",
            &[
                ("title", ""),
                ("description", "Something"),
                ("tags", ""),
                ("area", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("value=\"\""), "the form comes back");
    assert!(refused.body.contains(">Something</textarea>"));
    let r = ann
        .submit(
            "/ideas/b/ideas/new",
            "/ideas/b/ideas/new",
            &[
                ("title", "Dark mode"),
                ("description", "Easier on the eyes at night."),
                ("tags", "ui, theme"),
                ("area", "Mobile app"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dark = idea_id(r.location());
    let page = Browser::new(&s.base).get(&format!("/ideas/{dark}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-status=\"new\""), "{}", page.body);
    assert!(page.body.contains("Mobile app"));
    assert!(page.body.contains("Easier on the eyes at night."));
    assert!(page.body.contains("0 votes"));
    // The status's colour, as an image (no inline styles under the CSP).
    assert!(page.body.contains("fill=%27%236b7280%27"), "{}", page.body);
    assert!(page.body.contains("Sign in to vote"));

    // Votes: one per member, withdrawable; not on one's own idea.
    let bob = signed_in(s, "bob", forum::Role::Customer).await;
    let path = format!("/ideas/{dark}");
    let r = bob.submit(&path, &format!("/ideas/{dark}/vote"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/ideas/{dark}?notice=voted#votes"));
    let seen = bob.get(&format!("/ideas/{dark}?notice=voted")).await;
    assert!(seen.body.contains("1 vote"), "{}", seen.body);
    assert!(seen.body.contains("Your vote is counted."));
    assert!(seen.body.contains("Withdraw my vote"));
    let r = bob
        .submit(&path, &format!("/ideas/{dark}/unvote"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(bob.get(&path).await.body.contains("0 votes"));
    bob.submit(&path, &format!("/ideas/{dark}/vote"), &[]).await;
    let own = ann.get(&path).await;
    assert!(
        own.body
            .contains("You cannot vote on your own idea in this board."),
        "{}",
        own.body
    );
    let forged = ann
        .post_form(&format!("/ideas/{dark}/vote"), &[("csrf", "x")])
        .await;
    assert_eq!(forged.status, 403);

    // A budget of one active vote: bob's second vote is refused, said why.
    let r = admin
        .submit(
            "/admin/ideas/ideas",
            "/admin/ideas/ideas",
            &[("vote_budget", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = ann
        .submit(
            "/ideas/b/ideas/new",
            "/ideas/b/ideas/new",
            &[
                ("title", "Export to CSV"),
                ("description", "For the monthly report."),
                ("tags", "reports"),
                ("area", "Web"),
                // Seen the similar ideas, if any were offered: submit.
                ("confirmed", "1"),
            ],
        )
        .await;
    let csv = idea_id(r.location());
    let r = bob
        .submit(&format!("/ideas/{csv}"), &format!("/ideas/{csv}/vote"), &[])
        .await;
    assert_eq!(r.location(), format!("/ideas/{csv}?notice=budget#votes"));
    let refused = bob.get(&format!("/ideas/{csv}?notice=budget")).await;
    assert!(
        refused
            .body
            .contains("You are already using your 1 vote in this board"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("0 votes"));

    // The list: sorts and filters, with the status and the vote count.
    let list = bob.get("/ideas/b/ideas?sort=top").await;
    assert_eq!(list.status, 200);
    let (d, c) = (
        list.body.find("Dark mode").unwrap(),
        list.body.find("Export to CSV").unwrap(),
    );
    assert!(d < c, "top: the voted idea first");
    let newest = bob.get("/ideas/b/ideas?sort=newest").await;
    assert!(newest.body.find("Export to CSV").unwrap() < newest.body.find("Dark mode").unwrap());
    let mine = bob.get("/ideas/b/ideas?sort=top&mine=1").await;
    assert!(mine.body.contains("Dark mode") && !mine.body.contains("Export to CSV"));
    let tagged = bob.get("/ideas/b/ideas?tag=reports").await;
    assert!(!tagged.body.contains("Dark mode") && tagged.body.contains("Export to CSV"));
    let area = bob.get("/ideas/b/ideas?area=Mobile+app").await;
    assert!(area.body.contains("Dark mode") && !area.body.contains("Export to CSV"));
    assert!(bob
        .get("/ideas/b/ideas?kind=nonsense")
        .await
        .status
        .eq(&422));

    // Members cannot change statuses; an agent does, with a public note.
    let r = bob
        .submit(
            &path,
            &format!("/ideas/{dark}/status"),
            &[("status", "planned"), ("note", "please")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(!bob.get(&path).await.body.contains("Change the status"));
    let agent = signed_in(s, "agent", forum::Role::Agent).await;
    let staff_view = agent.get(&path).await;
    assert!(staff_view.body.contains("Who voted"));
    let voters = staff_view
        .body
        .split("<ul class=\"idea-voters\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default();
    assert!(voters.contains(">bob</a>"), "voters are listed: {voters}");
    let r = agent
        .submit(
            &path,
            &format!("/ideas/{dark}/status"),
            &[
                ("status", "planned"),
                ("note", "Coming in the spring release"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = Browser::new(&s.base).get(&path).await;
    assert!(
        after.body.contains("data-status=\"planned\""),
        "{}",
        after.body
    );
    assert!(after.body.contains("New → Planned"), "{}", after.body);
    assert!(after.body.contains("Coming in the spring release"));
    assert!(after.body.contains("kind-active"));
    let list = Browser::new(&s.base)
        .get("/ideas/b/ideas?sort=status")
        .await;
    assert!(list.body.find("Dark mode").unwrap() < list.body.find("Export to CSV").unwrap());
    let active = Browser::new(&s.base)
        .get("/ideas/b/ideas?kind=active")
        .await;
    assert!(active.body.contains("Dark mode") && !active.body.contains("Export to CSV"));

    // The voter and the author hear of it in the bell, once.
    s.settle().await;
    for who in [&bob, &ann] {
        let bell = who.get("/notifications").await;
        assert_eq!(
            bell.body.matches("“Dark mode” is now Planned").count(),
            1,
            "{}",
            bell.body
        );
    }
    assert!(!agent
        .get("/notifications")
        .await
        .body
        .contains("is now Planned"));

    // In Persian the page is right to left and the words are Persian.
    bob.choose_language("fa").await;
    let fa = bob.get(&path).await;
    assert!(fa.body.contains("dir=\"rtl\""), "{}", fa.body);
    assert!(fa.body.contains("پس گرفتن رأی من"), "{}", fa.body);
}

#[actix_web::test]
async fn ideas_are_proposed_voted_answered_and_told_sqlite() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    ideas_are_proposed_voted_answered_and_told(&s).await;
    s.stop().await;
}

#[actix_web::test]
async fn ideas_are_proposed_voted_answered_and_told_postgres() {
    let Some(s) = start(Backend::Postgres, BODY_LIMIT).await else {
        return;
    };
    ideas_are_proposed_voted_answered_and_told(&s).await;
    s.stop().await;
}

/// Submitting shows similar ideas first (the multilingual similar search,
/// kept to the ideas boards), without JavaScript: "vote for this
/// instead" votes and counts a deflected duplicate; "submit mine anyway"
/// submits. The roadmap shows planned, in-progress and recently delivered
/// ideas to everyone, right to left in Persian.
#[actix_web::test]
async fn similar_ideas_are_offered_and_the_roadmap_is_public() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let r = admin
        .submit(
            "/admin/boards",
            "/admin/boards",
            &[
                ("slug", "ideas"),
                ("name", "Ideas"),
                ("see_min_role", "customer"),
                ("start_threads", "everyone"),
                ("crm_tasks", "off"),
                ("premoderation", "none"),
                ("kind", "ideas"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let ann = signed_in(&s, "ann", forum::Role::Customer).await;
    let r = ann
        .submit(
            "/ideas/b/ideas/new",
            "/ideas/b/ideas/new",
            &[
                ("title", "Dark theme for the dashboard"),
                (
                    "description",
                    "A dark colour theme for the dashboard at night.",
                ),
                ("tags", ""),
                ("area", "Dashboard"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dark = idea_id(r.location());
    // A discussion thread with the same words is not an idea.
    post_thread(
        &{
            let (b, _) = api_user(&s.base, "carl").await;
            b
        },
        "general",
        "Dark theme for the dashboard broken",
        "The dark theme for the dashboard shows white text on white.",
    )
    .await;
    s.settle().await;

    let bob = signed_in(&s, "bob", forum::Role::Customer).await;
    let fields = [
        ("title", "Dashboard dark theme"),
        ("description", "Please add a dark theme to the dashboard."),
        ("tags", ""),
        ("area", ""),
    ];
    // `settle` waited for the search index too: the idea is findable.
    let offered = bob
        .submit("/ideas/b/ideas/new", "/ideas/b/ideas/new", &fields)
        .await;
    assert_eq!(offered.status, 200, "{}", offered.body);
    assert!(
        offered.body.contains("id=\"similar-ideas\""),
        "{}",
        offered.body
    );
    assert!(offered
        .body
        .contains(&format!("action=\"/ideas/{dark}/vote-instead\"")));
    assert!(
        !offered.body.contains("broken"),
        "threads of other boards are left out"
    );
    // What bob typed is kept, and the form now submits anyway.
    assert!(offered.body.contains("value=\"Dashboard dark theme\""));
    assert!(offered.body.contains("name=\"confirmed\" value=\"1\""));
    assert!(offered.body.contains("Submit mine anyway"));

    // Taken: bob votes for ann's idea instead; nothing new is submitted.
    let csrf = extract_csrf(&offered.body).unwrap();
    let r = bob
        .post_form(&format!("/ideas/{dark}/vote-instead"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/ideas/{dark}?notice=voted#votes"));
    assert!(bob
        .get(&format!("/ideas/{dark}"))
        .await
        .body
        .contains("1 vote"));
    assert_eq!(s.forum.idea_deflections(0).unwrap(), 1);

    // Not taken: cyd submits hers anyway.
    let cyd = signed_in(&s, "cyd", forum::Role::Customer).await;
    let offered = cyd
        .submit("/ideas/b/ideas/new", "/ideas/b/ideas/new", &fields)
        .await;
    assert_eq!(offered.status, 200, "{}", offered.body);
    let csrf = extract_csrf(&offered.body).unwrap();
    let mut all = vec![("csrf", csrf.as_str()), ("confirmed", "1")];
    all.extend_from_slice(&fields);
    let r = cyd.post_form("/ideas/b/ideas/new", &all).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let hers = idea_id(r.location());
    assert_ne!(hers, dark);
    assert_eq!(s.forum.idea_deflections(0).unwrap(), 1);

    // Staff merge cyd's duplicate into ann's idea, then undo it.
    let agent = signed_in(&s, "agent", forum::Role::Agent).await;
    cyd.submit(
        &format!("/ideas/{hers}"),
        &format!("/ideas/{hers}/vote"),
        &[],
    )
    .await;
    let own_vote = bob
        .submit(
            &format!("/ideas/{hers}"),
            &format!("/ideas/{hers}/vote"),
            &[],
        )
        .await;
    assert_eq!(own_vote.status, 303);
    let r = agent
        .submit(
            &format!("/ideas/{hers}"),
            &format!("/ideas/{hers}/merge"),
            &[("into", &dark.to_string())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let old = visitor_get(&s, &format!("/ideas/{hers}")).await;
    assert_eq!(old.status, 303);
    assert_eq!(old.location(), format!("/ideas/{dark}?merged={hers}"));
    let target = agent.get(old.location()).await;
    assert!(
        target.body.contains("was merged into this one"),
        "{}",
        target.body
    );
    assert!(target.body.contains(&format!("href=\"/t/{hers}\"")));
    // bob voted on both: counted once.
    assert!(target.body.contains("1 vote"), "{}", target.body);
    assert!(target.body.contains("Unmerge"));
    let r = agent
        .submit(
            &format!("/ideas/{dark}"),
            &format!("/ideas/{hers}/unmerge"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(visitor_get(&s, &format!("/ideas/{hers}"))
        .await
        .body
        .contains("1 vote"));

    // The roadmap: public, a column per active status, then delivered.
    for (id, status) in [(dark, "in-progress"), (hers, "delivered")] {
        let r = agent
            .submit(
                &format!("/ideas/{id}"),
                &format!("/ideas/{id}/status"),
                &[("status", status), ("note", ""), ("link", "/kb/dark-theme")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let visitor = Browser::new(&s.base);
    // "Delivered" points to the KB article named with the change.
    let delivered_page = visitor.get(&format!("/ideas/{hers}")).await;
    assert!(
        delivered_page
            .body
            .contains("<a href=\"/kb/dark-theme\" rel=\"noopener\">Read more</a>"),
        "{}",
        delivered_page.body
    );
    let map = visitor.get("/ideas/roadmap").await;
    assert_eq!(map.status, 200, "{}", map.body);
    let planned = map.body.find(">Planned").expect("planned column");
    let progress = map.body.find(">In progress").expect("in progress column");
    let delivered = map
        .body
        .find("Delivered recently")
        .expect("delivered column");
    let (d, h) = (
        map.body.find("Dark theme for the dashboard").unwrap(),
        map.body.find("Dashboard dark theme").unwrap(),
    );
    assert!(planned < progress && progress < d && d < delivered && delivered < h);
    visitor.choose_language("fa").await;
    let fa = visitor.get("/ideas/roadmap").await;
    assert!(
        fa.body.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "{}",
        fa.body
    );
    assert!(fa.body.contains("به‌تازگی تحویل‌شده"));
    s.stop().await;
}

async fn visitor_get(s: &TestServer, path: &str) -> Response {
    Browser::new(&s.base).get(path).await
}

/// Poll the search API until `check` holds for the results of `query`.
async fn search_until(
    who: &Browser,
    query: &str,
    what: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = who.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let json = r.json();
        if check(&json) {
            return json;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {json}");
        actix_rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Ideas in search: a kind facet and filter next to threads, each idea hit
/// with its board status (name and colour), kept current when the status
/// changes, and a merged idea found only through the one it joined.
async fn ideas_are_found_with_their_kind_and_status(s: &TestServer) {
    s.forum
        .create_board(
            None,
            forum::boards::NewBoard {
                slug: "ideas".into(),
                name: "Ideas".into(),
                kind: Some(forum::boards::BoardKind::Ideas),
                ..Default::default()
            },
        )
        .unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let agent = api_staff(s, "agnes", forum::Role::Agent).await;
    let mut ideas = Vec::new();
    for title in ["Calendar export to iCal", "Calendar sync with Outlook"] {
        let r = ann
            .post_json(
                "/api/v1/ideas",
                &json!({ "board": "ideas", "title": title,
                         "description": "Our team plans everything in the calendar." }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        ideas.push(r.json()["idea"]["id"].as_i64().unwrap());
    }
    let thread = post_thread(
        &ann,
        "support",
        "Calendar shows the wrong week",
        "The calendar starts on Sunday although I chose Monday.",
    )
    .await;
    let all = search_until(&ann, "q=calendar", "three documents", |j| j["total"] == 3).await;
    let kinds = all["facets"]["kinds"].as_array().unwrap();
    assert!(kinds.contains(&json!(["idea", 2])), "{all}");
    assert!(kinds.contains(&json!(["thread", 1])), "{all}");
    let hit = |j: &serde_json::Value, id: i64| {
        j["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no hit {id}: {j}"))
    };
    let idea = hit(&all, ideas[0]);
    assert_eq!(idea["kind"], "idea", "{idea}");
    assert_eq!(idea["url"], format!("/ideas/{}", ideas[0]), "{idea}");
    assert_eq!(idea["status"], "new", "{idea}");
    assert_eq!(idea["idea_status"]["name"], "New", "{idea}");
    assert_eq!(idea["idea_status"]["kind"], "open", "{idea}");
    assert_eq!(hit(&all, thread)["kind"], "thread");
    assert!(hit(&all, thread).get("idea_status").is_none());
    let only_ideas = ann.get("/api/v1/search?q=calendar&kind=idea").await.json();
    assert_eq!(only_ideas["total"], 2, "{only_ideas}");
    // The ask page suggests answers, not proposals.
    let suggested = ann
        .get("/api/v1/search/similar?title=Calendar+export+to+iCal")
        .await
        .json();
    let kinds: Vec<&str> = suggested["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["thread"], "{suggested}");
    let refused = ann.get("/api/v1/search?q=calendar&kind=poll").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["error"]["field"], "kind", "{}", refused.body);

    // A status change shows in search, and filters by the idea's status.
    let r = agent
        .post_json(
            &format!("/api/v1/ideas/{}/status", ideas[0]),
            &json!({ "status": "planned", "note": "Next quarter." }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    let planned = search_until(&ann, "q=calendar&status=planned", "planned", |j| {
        j["total"] == 1
    })
    .await;
    assert_eq!(planned["hits"][0]["id"], ideas[0], "{planned}");
    assert_eq!(planned["hits"][0]["idea_status"]["name"], "Planned");
    // The page shows the kind facet and the status by its name.
    let page = ann.get("/search?q=calendar").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("kind=idea"), "{}", page.body);
    assert!(page.body.contains(">Ideas</a>"), "{}", page.body);
    assert!(page.body.contains(">Planned</span>"), "{}", page.body);
    let filtered = ann.get("/search?q=calendar&kind=thread").await;
    assert!(filtered.body.contains("Calendar shows the wrong week"));
    assert!(!filtered.body.contains("Calendar export to iCal"));

    // Merged away, the second idea leaves search; unmerged, it is back.
    let r = agent
        .post_json(
            &format!("/api/v1/ideas/{}/merge", ideas[1]),
            &json!({ "into": ideas[0] }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    search_until(&ann, "q=calendar&kind=idea", "merged idea gone", |j| {
        j["total"] == 1
    })
    .await;
    let r = agent
        .post_json(&format!("/api/v1/ideas/{}/unmerge", ideas[1]), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    search_until(&ann, "q=calendar&kind=idea", "unmerged idea back", |j| {
        j["total"] == 2
    })
    .await;
}

#[actix_web::test]
async fn ideas_are_found_with_their_kind_and_status_sqlite() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    ideas_are_found_with_their_kind_and_status(&s).await;
    s.stop().await;
}

#[actix_web::test]
async fn ideas_are_found_with_their_kind_and_status_postgres() {
    let Some(s) = start(Backend::Postgres, BODY_LIMIT).await else {
        return;
    };
    ideas_are_found_with_their_kind_and_status(&s).await;
    s.stop().await;
}
