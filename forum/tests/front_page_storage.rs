//! The home page's reads on SQLite and PostgreSQL: each list holds what it
//! says, in its order, only from boards the viewer sees and that are not
//! archived; solved threads carry their accepted answer; articles are
//! featured by readers' votes; contributors are the month's.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum::front::FrontLimits;
use forum::kb::ArticleStatus;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    lists_hold_what_they_say_in_order,
    only_visible_live_boards_count,
    articles_are_featured_by_readers_votes,
);

fn member(f: &Forum, name: &str, role: Role) -> Actor {
    f.register(NewUser {
        language: None,
        username: name.into(),
        email: format!("{name}@example.com"),
        password: None,
        role,
        display_name: Some(format!("{name} display")),
    })
    .unwrap()
    .actor()
}

fn ask(f: &Forum, who: Actor, board: &str, title: &str) -> i64 {
    f.create_thread(
        who,
        NewThread {
            category: board.into(),
            title: title.into(),
            body: "details".into(),
            tags: vec!["tagged".into()],
        },
    )
    .unwrap()
}

fn titles(list: &[ThreadSummary]) -> Vec<&str> {
    list.iter().map(|t| t.title.as_str()).collect()
}

fn lists_hold_what_they_say_in_order(db: &TestDb) {
    let f = &db.forum;
    let ann = member(f, "ann", Role::Customer);
    let bob = member(f, "bob", Role::Customer);
    let empty = f.front_page(None, FrontLimits::default()).unwrap();
    assert!(empty.latest.is_empty() && empty.solved.is_empty() && empty.contributors.is_empty());
    assert_eq!(empty.categories.len(), 2, "general and support, not staff");

    let first = ask(f, ann, "general", "First question");
    let second = ask(f, ann, "support", "Second question");
    let third = ask(f, bob, "general", "Third question");
    let locked = ask(f, bob, "general", "Locked question");
    let moderator = member(f, "moe", Role::Moderator);
    f.set_locked(moderator, locked, true).unwrap();
    // Bob answers the first; Ann accepts it.
    let answer = f
        .reply(
            bob,
            first,
            "Restart the **router**, then [check the lights](https://example.com).",
        )
        .unwrap();
    f.accept(ann, answer).unwrap();
    f.vote(ann, answer, true).unwrap();
    // A reply to the second: answered, not unanswered.
    f.reply(bob, second, "Have you tried the manual?").unwrap();
    // On PostgreSQL an event may become readable only once other suites'
    // transactions end: process until Bob's points have counted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        while f.process_reputation_events(500).unwrap() > 0 {}
        if !f.leaderboard("month", None, None, 5).unwrap().is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the accepted answer never counted"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let page = f.front_page(None, FrontLimits::default()).unwrap();
    // Latest activity first: the second's reply came last.
    assert_eq!(
        titles(&page.latest)[0],
        "Second question",
        "{:?}",
        titles(&page.latest)
    );
    assert_eq!(page.latest.len(), 4);
    let unanswered = titles(&page.unanswered);
    assert_eq!(unanswered, vec!["Third question"], "no replies, not locked");
    assert_eq!(page.solved.len(), 1);
    let solved = &page.solved[0];
    assert_eq!(solved.thread.id, first);
    assert_eq!(solved.thread.status, ThreadStatus::Solved);
    assert_eq!(solved.thread.reply_count, 1);
    assert_eq!(solved.thread.author.display_name, "ann display");
    let a = solved.answer.as_ref().expect("the accepted answer");
    assert_eq!(a.post_id, answer);
    assert_eq!(a.author.username, "bob");
    assert_eq!(a.excerpt, "Restart the router, then check the lights.");
    assert_eq!(
        page.contributors[0].username, "bob",
        "{:?}",
        page.contributors
    );
    assert!(page.contributors[0].points > 0);
    assert!(page.latest.iter().any(|t| t.id == third));

    // Limits hold.
    let small = f
        .front_page(
            None,
            FrontLimits {
                latest: 2,
                unanswered: 0,
                solved: 1,
                articles: 1,
                contributors: 0,
            },
        )
        .unwrap();
    assert_eq!(small.latest.len(), 2);
    assert!(small.unanswered.is_empty() && small.contributors.is_empty());

    // A deleted answer is not quoted; the thread stays solved.
    f.delete_post(moderator, answer).unwrap();
    let page = f.front_page(None, FrontLimits::default()).unwrap();
    if let Some(s) = page.solved.iter().find(|s| s.thread.id == first) {
        assert!(s.answer.is_none(), "{s:?}");
    }
}

fn only_visible_live_boards_count(db: &TestDb) {
    let f = &db.forum;
    let ann = member(f, "ann", Role::Customer);
    let agent = member(f, "agent", Role::Agent);
    let admin = member(f, "root", Role::Admin);
    ask(f, agent, "staff", "Internal matter");
    ask(f, ann, "general", "Public matter");
    let visitor = f.front_page(None, FrontLimits::default()).unwrap();
    assert_eq!(titles(&visitor.latest), vec!["Public matter"]);
    assert!(visitor.categories.iter().all(|c| c.slug != "staff"));
    let customer = f.front_page(Some(ann), FrontLimits::default()).unwrap();
    assert_eq!(titles(&customer.latest), vec!["Public matter"]);
    let staff = f.front_page(Some(agent), FrontLimits::default()).unwrap();
    assert_eq!(
        titles(&staff.latest),
        vec!["Public matter", "Internal matter"]
    );
    assert!(staff.categories.iter().any(|c| c.slug == "staff"));
    assert_eq!(
        staff.unanswered.len(),
        2,
        "both are unanswered: {:?}",
        titles(&staff.unanswered)
    );

    // An archived board leaves the home page with its threads.
    f.set_board_archived(Some(admin), "general", true).unwrap();
    let after = f.front_page(None, FrontLimits::default()).unwrap();
    assert!(after.latest.is_empty(), "{:?}", titles(&after.latest));
    assert!(after.categories.iter().all(|c| c.slug != "general"));
}

fn articles_are_featured_by_readers_votes(db: &TestDb) {
    let f = &db.forum;
    let ann = member(f, "ann", Role::Customer);
    let bob = member(f, "bob", Role::Customer);
    let carl = member(f, "carl", Role::Customer);
    let agent = member(f, "agent", Role::Agent);
    let editor = member(f, "editor", Role::Moderator);
    let mut slugs = Vec::new();
    for (board, title) in [
        ("general", "Pairing the remote"),
        ("general", "Resetting the hub"),
        ("support", "Updating the firmware"),
        ("staff", "Internal escalation steps"),
        ("general", "A draft nobody published"),
    ] {
        // Only staff ask in the staff room; a moderator answers there.
        let asker = if board == "staff" { agent } else { ann };
        let t = ask(f, asker, board, title);
        let answerer = if board == "staff" { editor } else { agent };
        let r = f.reply(answerer, t, "Here is how, step by step.").unwrap();
        f.accept(asker, r).unwrap();
        let (slug, _) = f.promote_thread(agent, t).unwrap();
        if title != "A draft nobody published" {
            f.set_article_status(editor, &slug, ArticleStatus::Published)
                .unwrap();
        }
        slugs.push(slug);
    }
    // Resetting: two helpful votes. Firmware: one. Pairing: one helpful,
    // two not: mostly unhelpful, never featured.
    f.article_feedback(ann, &slugs[1], true).unwrap();
    f.article_feedback(bob, &slugs[1], true).unwrap();
    f.article_feedback(ann, &slugs[2], true).unwrap();
    f.article_feedback(ann, &slugs[0], true).unwrap();
    f.article_feedback(bob, &slugs[0], false).unwrap();
    f.article_feedback(carl, &slugs[0], false).unwrap();

    let page = f.front_page(Some(ann), FrontLimits::default()).unwrap();
    let featured: Vec<&str> = page.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(featured.len(), 2, "{featured:?}");
    assert!(featured[0].contains("Resetting the hub"), "{featured:?}");
    assert!(
        featured[1].contains("Updating the firmware"),
        "{featured:?}"
    );
    assert_eq!(page.articles[0].helpful, 2);
    assert_eq!(page.articles[0].category_name, "General discussion");
    assert_eq!(page.articles[1].category_name, "Questions & support");
    // Staff see the staff board's article too, still after the voted ones.
    let staff = f.front_page(Some(agent), FrontLimits::default()).unwrap();
    assert!(staff
        .articles
        .iter()
        .any(|a| a.title.contains("Internal escalation steps")));
    assert!(staff.articles[0].title.contains("Resetting the hub"));
}
