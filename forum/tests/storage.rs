//! The storage suite: every case runs on SQLite and on PostgreSQL.
//! PostgreSQL comes from HEARTH_TEST_PG_URL (default: the local server); each
//! test gets its own schema (`forum::testkit`).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use forum::import::Record;
use forum::*;

use forum::testkit::{pg_db, sqlite_db, TestDb};

forum::both_backends!(
    accounts_and_tokens,
    ask_answer_accept,
    kudos_rules,
    private_boards,
    edits_keep_history,
    moderator_soft_delete,
    listing_sorts_and_pages,
    view_counts_are_buffered,
    failed_writes_leave_nothing,
    outbox_records_each_change,
    outbox_cursor_survives_restart,
    outbox_concurrent_workers,
    import_export_round_trip,
    stateless_readers_keep_their_own_position,
    search_documents_reflect_threads,
    deflection_is_counted,
    reputation_guards_and_rebuild_agree,
    knowledge_base_promotion_review_and_staleness,
    knowledge_base_promotion_by_rule,
    ranks_unlock_privileges,
    poison_events_are_dead_lettered,
    undecodable_events_are_dead_lettered_not_delivered,
    rerender_brings_stored_html_in_line,
    outbox_is_pruned_below_every_cursor,
    a_post_knows_its_page_and_who_answered,
    drafts_are_kept_per_member_and_place,
    mentions_complete_by_username_prefix,
);

fn mentions_complete_by_username_prefix(db: &TestDb) {
    let f = &db.forum;
    let admin = user(f, "root", Role::Admin);
    user(f, "bob", Role::Customer);
    user(f, "bo_ann", Role::Customer);
    user(f, "boxer", Role::Customer);
    user(f, "ольга", Role::Customer);
    let spammer = user(f, "bo_spam", Role::Customer);
    let names = |p: &str| -> Vec<String> {
        let mut v: Vec<String> = f
            .mention_candidates(p, 10)
            .unwrap()
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("bo"), vec!["bo_ann", "bo_spam", "bob", "boxer"]);
    // "_" is a letter here, not a wildcard: "bo_" is not "bob".
    assert_eq!(names("bo_"), vec!["bo_ann", "bo_spam"]);
    assert_eq!(names("BO_A"), vec!["bo_ann"]);
    assert_eq!(names("ОЛ"), vec!["ольга"]);
    assert!(names("%").is_empty());
    assert!(names("").is_empty());
    // A banned account is not offered.
    f.set_standing(
        Some(admin),
        spammer.user_id,
        &forum::members::StandingChange {
            status: forum::members::MemberStatus::Banned,
            for_days: None,
            reason: "spam".into(),
        },
    )
    .unwrap();
    assert_eq!(names("bo_"), vec!["bo_ann"]);
}

fn drafts_are_kept_per_member_and_place(db: &TestDb) {
    use forum::drafts::{DraftKey, DRAFT_MAX_CHARS};
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let t = ask(f, ann, "support", "Printer shows offline");
    let here = DraftKey::Reply { thread_id: t };
    assert_eq!(f.draft(bob.user_id, here).unwrap(), None);
    f.save_draft(bob, here, "", "Restart the spooler").unwrap();
    f.save_draft(bob, DraftKey::Ask, "Scanner", "It will not scan")
        .unwrap();
    // Saved again: replaced, not added.
    f.save_draft(bob, here, "", "Restart the spooler, then")
        .unwrap();
    let d = f.draft(bob.user_id, here).unwrap().unwrap();
    assert_eq!(d.body, "Restart the spooler, then");
    assert_eq!(
        f.draft(bob.user_id, DraftKey::Ask).unwrap().unwrap().title,
        "Scanner"
    );
    // Each member has their own.
    assert_eq!(f.draft(ann.user_id, here).unwrap(), None);
    // Over a post's limit is kept (it is being shortened); far over is not.
    let long = "x".repeat(forum::validate::BODY_MAX + 10);
    f.save_draft(bob, here, "", &long).unwrap();
    assert_eq!(f.draft(bob.user_id, here).unwrap().unwrap().body, long);
    assert!(f
        .save_draft(bob, here, "", &"x".repeat(DRAFT_MAX_CHARS + 1))
        .is_err());
    // Only for threads the member may read.
    assert!(matches!(
        f.save_draft(bob, DraftKey::Reply { thread_id: 999_999 }, "", "x"),
        Err(ForumError::NotFound(_))
    ));
    // Emptied: gone. Discarded: gone.
    f.save_draft(bob, here, "", "  ").unwrap();
    assert_eq!(f.draft(bob.user_id, here).unwrap(), None);
    f.discard_draft(bob.user_id, DraftKey::Ask).unwrap();
    assert_eq!(f.draft(bob.user_id, DraftKey::Ask).unwrap(), None);
}

/// A post's permanent link finds its page as the reader sees the thread,
/// and "the support team answered" rests on a visible staff reply.
fn a_post_knows_its_page_and_who_answered(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let agent = user(f, "agnes", Role::Agent);
    let moderator = user(f, "mia", Role::Moderator);
    let t = ask(f, ann, "support", "Printer shows offline");
    let question = f.thread(t, None, 1, 2, false).unwrap().question.id;
    let replies: Vec<i64> = (0..5)
        .map(|i| f.reply(bob, t, &format!("Reply number {i}")).unwrap())
        .collect();
    assert_eq!(f.post_location(question, None, 2).unwrap(), (t, 1));
    assert_eq!(f.post_location(replies[0], None, 2).unwrap(), (t, 1));
    assert_eq!(f.post_location(replies[1], None, 2).unwrap(), (t, 1));
    assert_eq!(f.post_location(replies[2], None, 2).unwrap(), (t, 2));
    assert_eq!(f.post_location(replies[4], Some(ann), 2).unwrap(), (t, 3));
    // A deleted reply before it moves it up a page for readers, not for
    // moderators (who still see the deleted one).
    f.delete_post(moderator, replies[0]).unwrap();
    assert_eq!(f.post_location(replies[2], None, 2).unwrap(), (t, 1));
    assert_eq!(
        f.post_location(replies[2], Some(moderator), 2).unwrap(),
        (t, 2)
    );
    // No staff reply yet; then an agent's.
    assert!(!f.staff_replied(t).unwrap());
    f.reply(agent, t, "Support here: reinstall the driver")
        .unwrap();
    assert!(f.staff_replied(t).unwrap());
}

fn user(f: &Forum, name: &str, role: Role) -> Actor {
    forum::testkit::register(f, name, role).actor()
}

fn ask(f: &Forum, who: Actor, category: &str, title: &str) -> i64 {
    f.create_thread(
        who,
        NewThread {
            category: category.into(),
            title: title.into(),
            body: format!("{title}: the details."),
            tags: vec!["setup".into()],
        },
    )
    .unwrap()
}

/// Drain a consumer. On PostgreSQL an empty poll can mean "held back by a
/// transaction still open elsewhere in the cluster", so drain until nothing
/// is pending rather than until the first empty poll.
fn events(f: &Forum, consumer: &str) -> Vec<Event> {
    let mut all = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = f
            .poll_events(consumer, 100, |evs| {
                all.extend_from_slice(evs);
                Ok(())
            })
            .unwrap();
        if n == 0 {
            if f.pending_events(consumer).unwrap() == 0 {
                return all;
            }
            assert!(std::time::Instant::now() < deadline, "outbox stalled");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

fn accounts_and_tokens(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "Ann", Role::Customer);
    assert!(matches!(
        f.register(NewUser {
            language: None,
            username: "ann".into(),
            email: "other@example.com".into(),
            password: Some("password123".into()),
            role: Role::Customer,
            display_name: None,
        }),
        Err(ForumError::Taken {
            field: "username",
            ..
        })
    ));
    assert!(matches!(
        f.register(NewUser {
            language: None,
            username: "ann2".into(),
            email: "ANN@example.com".into(),
            password: Some("password123".into()),
            role: Role::Customer,
            display_name: None,
        }),
        Err(ForumError::Taken { field: "email", .. })
    ));
    assert_eq!(
        f.authenticate("ann", "password123").unwrap().id,
        ann.user_id
    );
    assert_eq!(
        f.authenticate("ANN@EXAMPLE.COM", "password123").unwrap().id,
        ann.user_id
    );
    assert!(matches!(
        f.authenticate("ann", "nope-nope"),
        Err(ForumError::BadCredentials)
    ));
    assert!(matches!(
        f.authenticate("ghost", "password123"),
        Err(ForumError::BadCredentials)
    ));

    let session = f.issue_token(ann.user_id, TokenKind::Session).unwrap();
    let api = f.issue_token(ann.user_id, TokenKind::Api).unwrap();
    assert_eq!(
        f.user_for_token(&session, TokenKind::Session)
            .unwrap()
            .unwrap()
            .id,
        ann.user_id
    );
    assert!(
        f.user_for_token(&session, TokenKind::Api)
            .unwrap()
            .is_none(),
        "kinds do not mix"
    );
    assert_eq!(
        f.user_for_token(&api, TokenKind::Api)
            .unwrap()
            .unwrap()
            .username,
        "Ann"
    );
    f.revoke_token(&session).unwrap();
    assert!(f
        .user_for_token(&session, TokenKind::Session)
        .unwrap()
        .is_none());
    assert!(f
        .user_for_token("garbage", TokenKind::Api)
        .unwrap()
        .is_none());
}

fn ask_answer_accept(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let eve = user(f, "eve", Role::Customer);
    let mod_ = user(f, "mia", Role::Moderator);
    let t = ask(f, ann, "support", "Printer shows offline");
    assert_eq!(
        f.thread(t, None, 1, 50, false).unwrap().thread.status,
        ThreadStatus::Open
    );

    // The asker's own follow-up does not make it answered.
    f.reply(ann, t, "More detail: it is a LaserJet").unwrap();
    assert_eq!(
        f.thread(t, None, 1, 50, false).unwrap().thread.status,
        ThreadStatus::Open
    );
    let answer = f.reply(bob, t, "Restart the **spooler** service").unwrap();
    let other = f.reply(eve, t, "Try a new cable").unwrap();
    let page = f.thread(t, Some(ann), 1, 50, false).unwrap();
    assert_eq!(page.thread.status, ThreadStatus::Answered);
    assert_eq!(page.thread.reply_count, 3);
    assert_eq!(page.replies.len(), 3);
    assert!(page.replies[1]
        .body_html
        .contains("<strong>spooler</strong>"));

    assert!(matches!(
        f.accept(eve, answer),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.accept(ann, page.question.id),
        Err(ForumError::Validation { .. })
    ));
    f.accept(ann, answer).unwrap();
    let page = f.thread(t, None, 1, 50, false).unwrap();
    assert_eq!(page.thread.status, ThreadStatus::Solved);
    assert_eq!(page.thread.accepted_post_id, Some(answer));
    assert!(page.replies.iter().any(|p| p.id == answer && p.is_accepted));

    // A moderator may move the solution; the asker may withdraw it.
    f.accept(mod_, other).unwrap();
    assert_eq!(
        f.thread(t, None, 1, 50, false)
            .unwrap()
            .thread
            .accepted_post_id,
        Some(other)
    );
    f.unaccept(ann, t).unwrap();
    let page = f.thread(t, None, 1, 50, false).unwrap();
    assert_eq!(page.thread.status, ThreadStatus::Answered);
    assert_eq!(page.thread.accepted_post_id, None);

    // Locked: customers cannot reply, moderators can.
    f.set_locked(mod_, t, true).unwrap();
    assert!(matches!(
        f.reply(bob, t, "late"),
        Err(ForumError::Forbidden(_))
    ));
    f.reply(mod_, t, "Locked as resolved offline").unwrap();
    assert!(matches!(
        f.set_locked(ann, t, false),
        Err(ForumError::Forbidden(_))
    ));
    f.set_locked(mod_, t, false).unwrap();
    assert_eq!(
        f.thread(t, None, 1, 50, false).unwrap().thread.status,
        ThreadStatus::Answered
    );
}

fn kudos_rules(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let cyd = user(f, "cyd", Role::Customer);
    let t = ask(f, ann, "general", "Favourite keyboard shortcuts");
    let p = f.reply(bob, t, "Ctrl+K opens search").unwrap();
    assert!(matches!(
        f.vote(bob, p, true),
        Err(ForumError::Forbidden(_))
    ));
    assert_eq!(f.vote(ann, p, true).unwrap(), 1);
    assert_eq!(f.vote(ann, p, true).unwrap(), 1, "one kudo per user");
    assert_eq!(f.vote(cyd, p, true).unwrap(), 2);
    assert_eq!(f.vote(ann, p, false).unwrap(), 1);
    assert_eq!(
        f.vote(ann, p, false).unwrap(),
        1,
        "withdrawing twice is a no-op"
    );
    let page = f.thread(t, Some(cyd), 1, 50, false).unwrap();
    assert_eq!(page.replies[0].kudos, 1);
    assert!(page.replies[0].viewer_voted);
    assert!(matches!(
        f.vote(ann, 999_999, true),
        Err(ForumError::NotFound(_))
    ));
    assert_eq!(f.profile(bob.user_id, None).unwrap().kudos_received, 1);
}

fn private_boards(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let agent = user(f, "agent1", Role::Agent);
    let t = ask(f, agent, "staff", "Internal: refund policy");
    assert!(!f
        .categories(Some(ann))
        .unwrap()
        .iter()
        .any(|c| c.slug == "staff"));
    assert!(!f
        .categories(None)
        .unwrap()
        .iter()
        .any(|c| c.slug == "staff"));
    assert!(f
        .categories(Some(agent))
        .unwrap()
        .iter()
        .any(|c| c.slug == "staff"));
    assert!(matches!(
        f.thread(t, Some(ann), 1, 50, false),
        Err(ForumError::NotFound(_))
    ));
    assert!(matches!(
        f.thread(t, None, 1, 50, false),
        Err(ForumError::NotFound(_))
    ));
    assert!(f.thread(t, Some(agent), 1, 50, false).is_ok());
    assert!(matches!(
        f.threads("staff", Some(ann), ThreadSort::Latest, 1, 20),
        Err(ForumError::NotFound(_))
    ));
    assert_eq!(
        f.threads("staff", Some(agent), ThreadSort::Latest, 1, 20)
            .unwrap()
            .1
            .total,
        1
    );
    assert!(matches!(
        f.reply(ann, t, "sneaky"),
        Err(ForumError::NotFound(_))
    ));
    assert!(matches!(
        f.create_thread(
            ann,
            NewThread {
                category: "staff".into(),
                title: "Let me in".into(),
                body: "x".into(),
                tags: vec![]
            }
        ),
        Err(ForumError::Validation { .. })
    ));
    assert_eq!(f.profile(agent.user_id, Some(ann)).unwrap().thread_count, 0);
    assert_eq!(
        f.profile(agent.user_id, Some(agent)).unwrap().thread_count,
        1
    );
}

fn edits_keep_history(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let t = ask(f, ann, "support", "VPN drops every hour");
    let q = f.thread(t, None, 1, 10, false).unwrap().question.id;
    assert!(matches!(
        f.edit_post(bob, q, None, "vandal"),
        Err(ForumError::Forbidden(_))
    ));
    f.edit_post(
        ann,
        q,
        Some("VPN drops every 60 minutes"),
        "It drops on Wi-Fi only.",
    )
    .unwrap();
    f.edit_post(ann, q, None, "It drops on Wi-Fi only, since 2.3.")
        .unwrap();
    let page = f.thread(t, None, 1, 10, false).unwrap();
    assert_eq!(page.thread.title, "VPN drops every 60 minutes");
    assert!(page.question.edited_at.is_some());
    let revs = f.revisions(q, None).unwrap();
    assert_eq!(revs.len(), 3, "original plus two edits");
    assert_eq!(revs[0].title.as_deref(), Some("VPN drops every hour"));
    assert_eq!(revs[0].body_md, "VPN drops every hour: the details.");
    assert_eq!(revs[2].body_md, "It drops on Wi-Fi only, since 2.3.");
    let r = f.reply(bob, t, "Check MTU").unwrap();
    assert!(matches!(
        f.edit_post(bob, r, Some("A title"), "x"),
        Err(ForumError::Validation { .. })
    ));
}

fn moderator_soft_delete(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let mia = user(f, "mia", Role::Moderator);
    let t = ask(f, ann, "support", "Spam magnet thread");
    let good = f.reply(bob, t, "Real answer").unwrap();
    f.accept(ann, good).unwrap();
    assert!(matches!(
        f.delete_post(ann, good),
        Err(ForumError::Forbidden(_))
    ));
    f.delete_post(mia, good).unwrap();
    let page = f.thread(t, None, 1, 10, false).unwrap();
    assert!(
        page.replies.is_empty(),
        "customers do not see deleted posts"
    );
    assert_eq!(page.thread.reply_count, 0);
    assert_eq!(page.thread.accepted_post_id, None);
    assert_eq!(page.thread.status, ThreadStatus::Open);
    let as_mod = f.thread(t, Some(mia), 1, 10, false).unwrap();
    assert!(as_mod.replies[0].deleted && as_mod.replies[0].body_md == "Real answer");
    assert!(matches!(
        f.vote(ann, good, true),
        Err(ForumError::NotFound(_))
    ));

    let q = page.question.id;
    f.delete_post(mia, q).unwrap();
    assert!(matches!(
        f.thread(t, None, 1, 10, false),
        Err(ForumError::NotFound(_))
    ));
    assert_eq!(
        f.threads("support", None, ThreadSort::Latest, 1, 10)
            .unwrap()
            .1
            .total,
        0
    );
    assert!(
        f.thread(t, Some(mia), 1, 10, false).is_ok(),
        "moderators still see it"
    );
}

fn listing_sorts_and_pages(db: &TestDb) {
    let clock_ms = Arc::new(AtomicU64::new(1_000_000));
    let c = clock_ms.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst) as i64),
    );
    let ann = user(&f, "ann", Role::Customer);
    let bob = user(&f, "bob", Role::Customer);
    let mut ids = Vec::new();
    for i in 0..25 {
        clock_ms.fetch_add(1000, Ordering::SeqCst);
        ids.push(ask(&f, ann, "support", &format!("Question number {i}")));
    }
    clock_ms.fetch_add(1000, Ordering::SeqCst);
    let r = f.reply(bob, ids[3], "answer").unwrap();
    f.accept(ann, r).unwrap();

    let (_, p1) = f
        .threads("support", None, ThreadSort::Latest, 1, 10)
        .unwrap();
    assert_eq!(p1.total, 25);
    assert_eq!(p1.page_count(), 3);
    assert_eq!(p1.items[0].id, ids[3], "activity bumps a thread");
    assert_eq!(p1.items[1].id, ids[24]);
    assert_eq!(p1.items[0].tags, vec!["setup"]);
    let (_, p3) = f
        .threads("support", None, ThreadSort::Latest, 3, 10)
        .unwrap();
    assert_eq!(p3.items.len(), 5);
    let (_, unanswered) = f
        .threads("support", None, ThreadSort::Unanswered, 1, 50)
        .unwrap();
    assert_eq!(unanswered.total, 24);
    assert!(unanswered.items.iter().all(|t| t.id != ids[3]));
    let (_, solved) = f
        .threads("support", None, ThreadSort::Solved, 1, 50)
        .unwrap();
    assert_eq!(
        solved.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![ids[3]]
    );
    assert!(matches!(
        f.threads("nope", None, ThreadSort::Latest, 1, 10),
        Err(ForumError::NotFound(_))
    ));
}

fn view_counts_are_buffered(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let t = ask(f, ann, "general", "Counting views here");
    for _ in 0..5 {
        f.thread(t, None, 1, 10, true).unwrap();
    }
    assert_eq!(f.flush_views().unwrap(), 1);
    assert_eq!(
        f.thread(t, None, 1, 10, false).unwrap().thread.view_count,
        5
    );
    // A second node sharing the database adds, never overwrites.
    let other = Forum::new(f.db().clone());
    other.thread(t, None, 1, 10, true).unwrap();
    f.thread(t, None, 1, 10, true).unwrap();
    other.flush_views().unwrap();
    f.flush_views().unwrap();
    assert_eq!(
        f.thread(t, None, 1, 10, false).unwrap().thread.view_count,
        7
    );
}

fn failed_writes_leave_nothing(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let mia = user(f, "mia", Role::Moderator);
    let before = events(f, "probe").len();
    assert!(before >= 2, "registrations are events");
    assert!(f
        .create_thread(
            ann,
            NewThread {
                category: "missing".into(),
                title: "Valid title".into(),
                body: "b".into(),
                tags: vec![]
            }
        )
        .is_err());
    let t = ask(f, ann, "support", "Thread to lock");
    f.set_locked(mia, t, true).unwrap();
    assert!(f.reply(ann, t, "nope").is_err());
    let evs = events(f, "probe");
    let kinds: Vec<&str> = evs.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec!["thread.created", "thread.locked"],
        "no event for refused writes"
    );
    let page = f.thread(t, Some(mia), 1, 10, false).unwrap();
    assert_eq!(page.replies.len(), 0);
    assert_eq!(
        f.threads("support", Some(mia), ThreadSort::Latest, 1, 10)
            .unwrap()
            .1
            .total,
        1
    );
}

fn outbox_records_each_change(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let mia = user(f, "mia", Role::Moderator);
    let t = ask(f, ann, "support", "Outbox coverage");
    let q = f.thread(t, None, 1, 10, false).unwrap().question.id;
    let p = f.reply(bob, t, "An answer").unwrap();
    f.edit_post(ann, q, None, "Edited question").unwrap();
    f.vote(ann, p, true).unwrap();
    f.vote(ann, p, false).unwrap();
    f.accept(ann, p).unwrap();
    f.unaccept(ann, t).unwrap();
    f.delete_post(mia, p).unwrap();
    let kinds: Vec<&str> = events(f, "search").iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            "user.registered",
            "user.registered",
            "user.registered",
            "thread.created",
            "post.created",
            "post.edited",
            "post.voted",
            "post.unvoted",
            "solution.accepted",
            "solution.unaccepted",
            "post.deleted",
        ]
    );
    // Every consumer has its own cursor.
    assert_eq!(events(f, "crm").len(), kinds.len());
    assert!(events(f, "search").is_empty());
    assert_eq!(f.pending_events("search").unwrap(), 0);
    assert_eq!(
        f.pending_events("never-polled").unwrap(),
        kinds.len() as i64
    );
}

fn outbox_cursor_survives_restart(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    for i in 0..30 {
        ask(f, ann, "general", &format!("Event source thread {i}"));
    }
    let mut seen: Vec<i64> = Vec::new();
    // First worker takes two batches, then crashes mid-batch: the handler
    // fails, so that batch must come again.
    // On PostgreSQL a transaction open elsewhere in the cluster (other
    // suites run in parallel) can hold a poll back; poll until it delivers.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut batches = 0;
    while batches < 2 {
        let n = f
            .poll_events("indexer", 7, |evs| {
                seen.extend(evs.iter().map(|e| e.id));
                Ok(())
            })
            .unwrap();
        batches += usize::from(n > 0);
        assert!(
            std::time::Instant::now() < deadline,
            "outbox never delivered"
        );
    }
    loop {
        let crashed = f.poll_events("indexer", 7, |_| Err(ForumError::Internal("crash".into())));
        match crashed {
            Err(_) => break,
            Ok(n) => assert_eq!(n, 0, "a failing handler never moves the cursor"),
        }
        assert!(
            std::time::Instant::now() < deadline,
            "outbox never delivered the crashing batch"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }

    // "Restart": a brand-new pool and service on the same database.
    let restarted = Forum::open(&db.url, 2).unwrap();
    seen.extend(events(&restarted, "indexer").iter().map(|e| e.id));
    let all: Vec<i64> = events(&restarted, "audit").iter().map(|e| e.id).collect();
    assert_eq!(all.len(), 31);
    assert_eq!(seen, all, "every event exactly once, in order");
}

/// Several writers and two workers (separate pools, like separate processes)
/// share one consumer: every event is delivered exactly once.
fn outbox_concurrent_workers(db: &TestDb) {
    let writer_forum = Forum::open(&db.url, 4).unwrap();
    let ann = user(&writer_forum, "ann", Role::Customer);
    let delivered = Arc::new(Mutex::new(Vec::<i64>::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut handles = Vec::new();
    for w in 0..2 {
        let worker = Forum::open(&db.url, 2).unwrap();
        let delivered = delivered.clone();
        let done = done.clone();
        handles.push(std::thread::spawn(move || loop {
            let finished = done.load(Ordering::SeqCst);
            let n = worker
                .poll_events("shared", 5, |evs| {
                    delivered.lock().unwrap().extend(evs.iter().map(|e| e.id));
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("worker {w}: {e}"));
            if n == 0 {
                if finished && worker.pending_events("shared").unwrap() == 0 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }));
    }
    let mut writers = Vec::new();
    for w in 0..3 {
        let f = writer_forum.clone();
        writers.push(std::thread::spawn(move || {
            for i in 0..20 {
                ask(&f, ann, "general", &format!("Writer {w} thread {i}"));
            }
        }));
    }
    for h in writers {
        h.join().unwrap();
    }
    // Let the workers drain everything that is now committed.
    done.store(true, Ordering::SeqCst);
    for h in handles {
        h.join().unwrap();
    }
    let got = delivered.lock().unwrap().clone();
    let unique: HashSet<i64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "no event delivered twice");
    assert_eq!(got.len(), 61, "1 registration + 60 threads, none skipped");
}

fn import_export_round_trip(db: &TestDb) {
    let f = &db.forum;
    let lines = [
        r#"{"type":"user","username":"olga","email":"olga@example.com","role":"agent"}"#,
        r#"{"type":"category","slug":"billing","name":"Billing","description":"Invoices"}"#,
        r#"{"category":"billing","title":"Счёт не пришёл на почту","body":"Где мой счёт?","author":"ivan","tags":["счёт"],"created_at":1000,"views":12,"kudos_from":["olga"],"replies":[{"author":"olga","body":"Проверьте папку «Спам».","accepted":true,"kudos_from":["ivan","petr"]},{"author":"petr","body":"У меня так же"}]}"#,
        r#"{"category":"support","title":"پرینتر کار نمی‌کند","body":"چطور درستش کنم؟","author":"sara"}"#,
        r#"{"category":"support","title":"no","body":"too short title","author":"x1x"}"#,
        "not json",
    ];
    let mut progress_calls = 0;
    let s = f
        .import_lines(lines.iter().map(|l| Ok(l.to_string())), 1, |_| {
            progress_calls += 1
        })
        .unwrap();
    assert_eq!((s.threads, s.posts, s.votes), (2, 4, 3));
    assert_eq!(s.skipped.len(), 2);
    assert_eq!(s.skipped[0].0, 5);
    assert!(s.skipped[0].1.contains("title"), "{:?}", s.skipped);
    assert!(progress_calls >= 2);
    let (_, billing) = f
        .threads("billing", None, ThreadSort::Latest, 1, 10)
        .unwrap();
    let t = &billing.items[0];
    assert_eq!(t.status, ThreadStatus::Solved);
    assert_eq!(t.view_count, 12);
    let page = f.thread(t.id, None, 1, 10, false).unwrap();
    assert_eq!(page.replies[0].kudos, 2);
    assert!(page.replies[0].body_html.contains("Спам"));

    let mut first = Vec::new();
    f.export(|r| {
        first.push(r.clone());
        Ok(())
    })
    .unwrap();
    let json: Vec<String> = first
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();

    let fresh = sqlite_db();
    let s2 = fresh
        .forum
        .import_lines(json.iter().map(|l| Ok(l.clone())), 100, |_| {})
        .unwrap();
    assert!(s2.skipped.is_empty(), "{:?}", s2.skipped);
    let mut second = Vec::new();
    fresh
        .forum
        .export(|r| {
            second.push(r.clone());
            Ok(())
        })
        .unwrap();
    let threads = |v: &[Record]| -> Vec<Record> {
        v.iter()
            .filter(|r| matches!(r, Record::Thread(_)))
            .cloned()
            .collect()
    };
    assert_eq!(
        threads(&first),
        threads(&second),
        "threads survive a round trip"
    );
    let users = |v: &[Record]| -> HashSet<String> {
        v.iter()
            .filter_map(|r| match r {
                Record::User(u) => Some(format!("{}:{}:{:?}", u.username, u.email, u.role)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(users(&first), users(&second));
    assert!(fresh.forum.authenticate("olga", "x").is_err());
}

/// PostgreSQL hands out sequence ids at insert time, so a transaction can
/// commit a lower id after a higher one. A plain "id > cursor" reader would
/// skip it forever; ours must deliver both, in commit-safe order.
#[test]
fn postgres_out_of_order_commits_are_not_skipped() {
    let Some(db) = pg_db() else { return };
    let f = &db.forum;
    let insert = "INSERT INTO outbox_events (kind, aggregate_id, payload, created_at) VALUES ('thread.locked', 1, $1, 0)";
    let mut slow = diesel::PgConnection::establish(&db.url).unwrap();
    let mut fast = diesel::PgConnection::establish(&db.url).unwrap();
    slow.batch_execute("BEGIN").unwrap();
    diesel::sql_query(insert)
        .bind::<diesel::sql_types::Text, _>(r#"{"thread_id":1}"#)
        .execute_and_ignore(&mut slow);
    diesel::sql_query(insert)
        .bind::<diesel::sql_types::Text, _>(r#"{"thread_id":2}"#)
        .execute_and_ignore(&mut fast);
    let mut early = Vec::new();
    f.poll_events("ordered", 100, |evs| {
        early.extend(evs.iter().map(|e| e.body.thread_id()));
        Ok(())
    })
    .unwrap();
    assert!(
        early.is_empty(),
        "nothing may pass a still-open lower transaction: {early:?}"
    );
    slow.batch_execute("COMMIT").unwrap();
    // Thread 1 is the slow transaction's event, thread 2 the fast one's.
    let threads: Vec<Option<i64>> = events(f, "ordered")
        .iter()
        .map(|e| e.body.thread_id())
        .collect();
    assert_eq!(threads, vec![Some(1), Some(2)]);
}

trait ExecuteAndIgnore {
    fn execute_and_ignore(self, conn: &mut diesel::PgConnection);
}

impl<
        Q: diesel::RunQueryDsl<diesel::PgConnection>
            + diesel::query_builder::QueryFragment<diesel::pg::Pg>
            + diesel::query_builder::QueryId,
    > ExecuteAndIgnore for Q
{
    fn execute_and_ignore(self, conn: &mut diesel::PgConnection) {
        diesel::RunQueryDsl::execute(self, conn).unwrap();
    }
}

fn stateless_readers_keep_their_own_position(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    for i in 0..12 {
        ask(f, ann, "general", &format!("Positioned thread {i}"));
    }
    // Wait until every event is readable (PostgreSQL: no open transactions).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    // Transactions of other tests in the cluster can hold the head back for
    // a moment, so wait until it covers the last event too.
    let head = loop {
        let (all, _) = f
            .read_events_after("reader", OutboxPosition::START, 1000)
            .unwrap();
        let head = f.outbox_head().unwrap();
        if all.len() == 13 && all.last().map(|e| e.id) == Some(head.event_id) {
            break head;
        }
        assert!(std::time::Instant::now() < deadline, "outbox stalled");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let mut pos = OutboxPosition::START;
    let mut seen = Vec::new();
    loop {
        let (evs, next) = f.read_events_after("reader", pos, 5).unwrap();
        if evs.is_empty() {
            assert_eq!(next, pos, "an empty read does not move");
            break;
        }
        seen.extend(evs.iter().map(|e| e.id));
        // Positions survive a text round trip (they live in index payloads).
        pos = OutboxPosition::decode(&next.encode()).unwrap();
    }
    assert_eq!(seen.len(), 13);
    assert_eq!(pos, head, "reading to the end arrives at the head");
    assert!(f
        .read_events_after("reader", head, 10)
        .unwrap()
        .0
        .is_empty());
    assert_eq!(OutboxPosition::decode("nonsense"), None);
}

fn search_documents_reflect_threads(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let bob = user(f, "bob", Role::Customer);
    let cyd = user(f, "cyd", Role::Customer);
    let mia = user(f, "mia", Role::Moderator);
    let agent = user(f, "agent1", Role::Agent);
    let t = ask(f, ann, "support", "Printer prints blank pages");
    let weak = f.reply(bob, t, "Try turning it off and on").unwrap();
    let strong = f.reply(cyd, t, "Replace the toner cartridge").unwrap();
    f.vote(ann, strong, true).unwrap();
    f.vote(bob, strong, true).unwrap();
    f.accept(ann, weak).unwrap();
    let private = ask(f, agent, "staff", "Internal printer notes");
    let gone = ask(f, ann, "general", "Deleted soon thread");
    let gone_q = f.thread(gone, Some(mia), 1, 1, false).unwrap().question.id;
    f.delete_post(mia, gone_q).unwrap();

    let docs = f.thread_documents(&[t, private, gone, 987_654]).unwrap();
    assert_eq!(docs.len(), 3, "unknown ids are absent");
    let d = &docs[0];
    assert_eq!(d.title, "Printer prints blank pages");
    assert_eq!(
        d.accepted_answer_md.as_deref(),
        Some("Try turning it off and on")
    );
    assert_eq!(d.replies_md, vec!["Replace the toner cartridge"]);
    assert_eq!(
        (d.status, d.votes, d.private, d.deleted),
        (ThreadStatus::Solved, 2, false, false)
    );
    assert_eq!(d.tags, vec!["setup"]);
    assert!(docs[1].private && docs[1].category_slug == "staff");
    assert!(docs[2].deleted);
    let live: Vec<i64> = f
        .thread_documents_after(0, 100)
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(live, vec![t, private], "rebuilds skip deleted threads");
    assert_eq!(f.thread_documents_after(t, 1).unwrap()[0].id, private);

    // The incremental path (a few indexed queries per thread) and the bulk
    // path of a rebuild make the same document, also past five replies.
    for i in 0..7 {
        let r = f
            .reply(bob, t, &format!("Another idea number {i}"))
            .unwrap();
        if i % 2 == 0 {
            f.vote(cyd, r, true).unwrap();
        }
    }
    let one = f.thread_documents(&[t]).unwrap().remove(0);
    let bulk = f.thread_documents_after(t - 1, 1).unwrap().remove(0);
    assert_eq!(format!("{one:?}"), format!("{bulk:?}"));
    assert_eq!(one.replies_md.len(), 5);
    assert_eq!(one.replies_md[0], "Replace the toner cartridge");
    assert_eq!(one.votes, 6);
}

fn deflection_is_counted(db: &TestDb) {
    let clock = Arc::new(AtomicU64::new(1_000_000));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst) as i64),
    );
    let ann = user(&f, "ann", Role::Customer);
    let helped = "a".repeat(32);
    let posted = "b".repeat(32);
    let browsing = "c".repeat(32);
    f.start_ask_session(&helped, Some(ann.user_id), None)
        .unwrap();
    f.start_ask_session(&posted, Some(ann.user_id), None)
        .unwrap();
    f.start_ask_session(&browsing, None, None).unwrap();
    f.start_ask_session(&browsing, None, None).unwrap();
    f.record_suggestion_open(&helped, Some(ann.user_id), "thread", 1)
        .unwrap();
    f.record_suggestion_open(&posted, Some(ann.user_id), "article", 2)
        .unwrap();
    let t = ask(&f, ann, "support", "Posted anyway after looking");
    f.mark_ask_posted(&posted, t).unwrap();
    assert!(matches!(
        f.start_ask_session("short", None, None),
        Err(ForumError::Validation { .. })
    ));
    assert!(matches!(
        f.record_suggestion_open(&helped, None, "video", 1),
        Err(ForumError::Validation { .. })
    ));
    clock.fetch_add(1000, Ordering::SeqCst);
    let stats = f.deflection_stats(0, f.now()).unwrap();
    assert_eq!(
        stats,
        DeflectionStats {
            ask_sessions: 3,
            opened_suggestion: 2,
            posted: 1,
            deflected: 1
        }
    );
    assert_eq!(
        f.deflection_stats(f.now(), f.now() + 1)
            .unwrap()
            .ask_sessions,
        0
    );
    let kinds: Vec<&str> = events(&f, "analytics").iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "suggestion.opened").count(),
        2
    );
}

// ---------------------------------------------------------------- reputation and KB

const HOUR: i64 = 3_600_000;

/// A forum on the test database whose clock the test moves.
fn clocked(db: &TestDb, start: i64) -> (Forum, Arc<AtomicU64>) {
    let clock = Arc::new(AtomicU64::new(start as u64));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst) as i64),
    );
    (f, clock)
}

fn quick_user(f: &Forum, name: &str, role: Role) -> Actor {
    f.register(NewUser {
        language: None,
        username: name.into(),
        email: format!("{name}@example.com"),
        password: None,
        role,
        display_name: None,
    })
    .unwrap()
    .actor()
}

/// Run the reputation and KB workers until the outbox is drained for both.
fn drain_workers(f: &Forum) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = f.process_reputation_events(500).unwrap() + f.process_kb_events(500).unwrap();
        if n == 0
            && f.pending_events("reputation").unwrap() == 0
            && f.pending_events("kb").unwrap() == 0
        {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "workers stalled");
        if n == 0 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

fn points(f: &Forum, who: Actor) -> i64 {
    f.standing(who.user_id).unwrap().stats.points
}

fn reputation_guards_and_rebuild_agree(db: &TestDb) {
    let day0 = 20_000 * 86_400_000i64 + 9 * HOUR;
    let (f, clock) = clocked(db, day0);
    let at = |ms: i64| clock.store(ms as u64, Ordering::SeqCst);
    let ann = quick_user(&f, "ann", Role::Customer);
    let bob = quick_user(&f, "bob", Role::Customer);
    let cat = quick_user(&f, "cat", Role::Customer);
    let moderator = quick_user(&f, "moira", Role::Moderator);
    let rules = f.reputation_rules().clone();

    // Bob answers within the hour and is accepted.
    let t1 = ask(&f, ann, "support", "Printer shows offline after update");
    at(day0 + HOUR / 2);
    let b1 = f
        .reply(bob, t1, "Remove the printer and add it again.")
        .unwrap();
    at(day0 + 2 * HOUR);
    let c1 = f.reply(cat, t1, "Same here, following.").unwrap();
    f.accept(ann, b1).unwrap();
    // Four more answers by Bob in other threads, later the same day.
    let mut bob_posts = vec![b1];
    for i in 0..4 {
        at(day0 + 3 * HOUR + i * 60_000);
        let t = ask(&f, ann, "general", &format!("Question about settings {i}"));
        at(day0 + 5 * HOUR + i * 60_000);
        bob_posts.push(f.reply(bob, t, &format!("Try setting {i}.")).unwrap());
    }
    // Self-kudos are refused outright.
    assert!(matches!(
        f.vote(bob, b1, true),
        Err(ForumError::Forbidden(_))
    ));
    // Cat gives Bob five kudos in one day: only three count.
    at(day0 + 6 * HOUR);
    for (i, p) in bob_posts.iter().enumerate() {
        at(day0 + 6 * HOUR + i as i64 * 1000);
        f.vote(cat, *p, true).unwrap();
    }
    // A withdraw-and-give-again cycle earns nothing extra.
    for _ in 0..3 {
        f.vote(cat, bob_posts[0], false).unwrap();
        f.vote(cat, bob_posts[0], true).unwrap();
    }
    // Ann's kudo on Cat's post (another pair, no cap interaction).
    f.vote(ann, c1, true).unwrap();
    drain_workers(&f);

    let kudos_counted = rules.daily_kudo_cap as i64;
    let bob_expected =
        rules.first_reply as i64 + rules.accepted as i64 + kudos_counted * rules.kudo as i64;
    assert_eq!(points(&f, bob), bob_expected);
    assert_eq!(points(&f, cat), rules.kudo as i64);
    assert_eq!(points(&f, ann), 0);
    let standing = f.standing(bob.user_id).unwrap();
    assert_eq!(standing.stats.accepted, 1);
    assert_eq!(standing.stats.kudos, kudos_counted);
    assert_eq!(standing.stats.posts, 5);
    let badge_keys: Vec<&str> = standing.badges.iter().map(|b| b.key.as_str()).collect();
    assert!(
        badge_keys.contains(&"first-post") && badge_keys.contains(&"first-solution"),
        "{badge_keys:?}"
    );

    // Deleting a kudoed post takes its points back, and the freed slot in
    // the day's cap goes to the next kudo that day (as a rebuild would see it).
    at(day0 + 8 * HOUR);
    f.delete_post(moderator, bob_posts[1]).unwrap();
    // Withdrawing the accepted answer's acceptance takes those points back.
    f.unaccept(ann, t1).unwrap();
    drain_workers(&f);
    let bob_now = rules.first_reply as i64 + kudos_counted * rules.kudo as i64;
    assert_eq!(points(&f, bob), bob_now);
    assert!(f
        .standing(bob.user_id)
        .unwrap()
        .badges
        .iter()
        .all(|b| b.key != "first-solution"));
    f.accept(ann, b1).unwrap();
    drain_workers(&f);
    assert_eq!(points(&f, bob), bob_now + rules.accepted as i64);

    // Next day the cap starts afresh.
    at(day0 + 26 * HOUR);
    f.vote(cat, bob_posts[1 + 1], false).unwrap();
    f.vote(cat, bob_posts[1 + 1], true).unwrap();
    drain_workers(&f);
    // The re-given kudo moved to a new day, so the first day's cap has room
    // for another of Cat's kudos: four count now.
    assert_eq!(f.standing(bob.user_id).unwrap().stats.kudos, 4);

    let before = f.reputation_snapshot().unwrap();
    let totals: Vec<i64> = [ann, bob, cat].iter().map(|u| points(&f, *u)).collect();
    let notifications_before = f.notifications(bob.user_id, 100).unwrap().len();
    let summary = f.rebuild_reputation().unwrap();
    assert_eq!(summary.badges_added, 0, "{summary:?}");
    assert_eq!(summary.badges_removed, 0, "{summary:?}");
    assert_eq!(f.reputation_snapshot().unwrap(), before);
    let after: Vec<i64> = [ann, bob, cat].iter().map(|u| points(&f, *u)).collect();
    assert_eq!(after, totals);
    // Replaying the whole outbox changes nothing either, and notifies nobody twice.
    drain_workers(&f);
    assert_eq!(
        f.notifications(bob.user_id, 100).unwrap().len(),
        notifications_before
    );
    let titles: Vec<String> = f
        .notifications(bob.user_id, 100)
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    let unique: HashSet<&String> = titles.iter().collect();
    assert_eq!(unique.len(), titles.len(), "{titles:?}");
    assert!(f.unread_notifications(bob.user_id).unwrap() >= 2);
    f.mark_notifications_read(bob.user_id).unwrap();
    assert_eq!(f.unread_notifications(bob.user_id).unwrap(), 0);

    // Leaderboards: all time, this week, and per board.
    let all = f.leaderboard("all", None, None, 10).unwrap();
    assert_eq!(all[0].user_id, bob.user_id);
    assert_eq!(all[0].points, points(&f, bob));
    let support = f.leaderboard("week", Some("support"), None, 10).unwrap();
    let bob_support: i64 = support
        .iter()
        .find(|e| e.user_id == bob.user_id)
        .map_or(0, |e| e.points);
    assert_eq!(
        bob_support,
        rules.first_reply as i64 + rules.accepted as i64 + rules.kudo as i64
    );
    at(day0 + 40 * 86_400_000);
    assert!(f.leaderboard("week", None, None, 10).unwrap().is_empty());
    assert!(matches!(
        f.leaderboard("year", None, None, 10),
        Err(ForumError::Validation { .. })
    ));
    let (rule, holders) = f.badge_holders("first-post").unwrap();
    assert_eq!(rule.name, "First post");
    let holder_ids: HashSet<i64> = holders.iter().map(|h| h.user_id).collect();
    assert!(holder_ids.contains(&bob.user_id) && holder_ids.contains(&ann.user_id));
    assert_eq!(
        f.ranks_for(&[bob.user_id]).unwrap()[&bob.user_id],
        "Contributor"
    );
}

fn solved_thread(f: &Forum, asker: Actor, helper: Actor, title: &str) -> (i64, i64) {
    let t = ask(f, asker, "support", title);
    let answer = f
        .reply(
            helper,
            t,
            "Hold the reset button for ten seconds.\nThen pair again.",
        )
        .unwrap();
    f.accept(asker, answer).unwrap();
    (t, answer)
}

fn knowledge_base_promotion_review_and_staleness(db: &TestDb) {
    let (f, _clock) = clocked(db, 1_800_000_000_000);
    let ann = quick_user(&f, "ann", Role::Customer);
    let bob = quick_user(&f, "bob", Role::Customer);
    let cat = quick_user(&f, "cat", Role::Customer);
    let agent = quick_user(&f, "agent", Role::Agent);
    let moderator = quick_user(&f, "moira", Role::Moderator);
    let (t, answer) = solved_thread(&f, ann, bob, "HELP!! headset will not pair???");
    let extra = f.reply(cat, t, "Also charge it first.").unwrap();
    f.vote(ann, extra, true).unwrap();
    f.vote(agent, extra, true).unwrap();
    let open = ask(&f, ann, "support", "Unsolved question");

    assert!(matches!(
        f.promote_thread(ann, t),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.promote_thread(agent, open),
        Err(ForumError::Validation { .. })
    ));
    let (slug, created) = f.promote_thread(agent, t).unwrap();
    assert!(created);
    assert_eq!(slug, "headset-will-not-pair");
    assert_eq!(
        f.promote_thread(moderator, t).unwrap(),
        (slug.clone(), false)
    );

    let draft = f.article(&slug, Some(agent)).unwrap();
    assert_eq!(draft.title, "Headset will not pair?");
    assert_eq!(draft.status, forum::kb::ArticleStatus::Draft);
    assert!(draft.body_md.contains("Hold the reset button"));
    assert!(
        draft.body_md.contains("> Also charge it first."),
        "{}",
        draft.body_md
    );
    assert_eq!(
        draft.source_author.as_ref().map(|a| a.1.as_str()),
        Some("bob")
    );
    assert_eq!(draft.source_post_id, Some(answer));
    // Drafts are for staff only.
    assert!(matches!(
        f.article(&slug, Some(ann)),
        Err(ForumError::NotFound(_))
    ));
    assert!(matches!(
        f.article(&slug, None),
        Err(ForumError::NotFound(_))
    ));
    assert!(f
        .review_queue(agent)
        .unwrap()
        .iter()
        .any(|a| a.slug == slug));
    assert!(matches!(f.review_queue(ann), Err(ForumError::Forbidden(_))));

    f.update_article(
        agent,
        &slug,
        forum::kb::ArticleEdit {
            body: Some(format!("{}\n\nTested on model X2.", draft.body_md)),
            note: "Added the tested model".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(
        f.update_article(
            agent,
            &slug,
            forum::kb::ArticleEdit {
                title: Some(" ".into()),
                ..Default::default()
            }
        ),
        Err(ForumError::Validation { .. })
    ));
    use forum::kb::ArticleStatus::*;
    assert!(matches!(
        f.set_article_status(agent, &slug, Published),
        Err(ForumError::Forbidden(_))
    ));
    f.set_article_status(agent, &slug, Review).unwrap();
    f.set_article_status(moderator, &slug, Published).unwrap();
    let published = f.article(&slug, None).unwrap();
    assert_eq!(published.status, Published);
    assert_eq!(published.version, 2);
    assert!(published.body_md.contains("Tested on model X2."));
    assert!(published.published_at.is_some());
    let history = f.article_revisions(agent, &slug).unwrap();
    assert_eq!(
        history.iter().map(|r| r.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(history[0].editor.as_deref(), Some("agent"));
    assert_eq!(f.articles(None, Some("support")).unwrap().len(), 1);
    assert!(f.articles(None, Some("general")).unwrap().is_empty());
    assert!(!f
        .review_queue(agent)
        .unwrap()
        .iter()
        .any(|a| a.slug == slug));

    // The answer's author earns the promotion points once it is published.
    drain_workers(&f);
    let rules = f.reputation_rules().clone();
    assert_eq!(f.standing(bob.user_id).unwrap().stats.kb_articles, 1,);
    assert_eq!(
        points(&f, bob),
        (rules.accepted + rules.kb_promoted + rules.first_reply) as i64
    );

    // Editing the source answer flags the article, with the diff.
    f.edit_post(
        bob,
        answer,
        None,
        "Hold the reset button for fifteen seconds.\nThen pair again.",
    )
    .unwrap();
    drain_workers(&f);
    let stale = f.article(&slug, Some(agent)).unwrap();
    assert!(stale.source_changed);
    let change = f
        .article_source_change(agent, &slug)
        .unwrap()
        .expect("a diff");
    use forum::kb::DiffLine;
    assert!(change.answer.contains(&DiffLine::Removed(
        "Hold the reset button for ten seconds.".into()
    )));
    assert!(change.answer.contains(&DiffLine::Added(
        "Hold the reset button for fifteen seconds.".into()
    )));
    assert!(change
        .answer
        .contains(&DiffLine::Same("Then pair again.".into())));
    assert!(f
        .review_queue(agent)
        .unwrap()
        .iter()
        .any(|a| a.slug == slug && a.source_changed));
    assert!(f
        .notifications(moderator.user_id, 50)
        .unwrap()
        .iter()
        .any(|n| n.title.starts_with("Source changed")));
    // Publishing again after review takes the new source as the baseline.
    f.set_article_status(moderator, &slug, Published).unwrap();
    assert!(!f.article(&slug, None).unwrap().source_changed);

    // Feedback: one vote per member; mostly not helpful flags it.
    let voters: Vec<Actor> = (0..5)
        .map(|i| quick_user(&f, &format!("reader{i}"), Role::Customer))
        .collect();
    f.article_feedback(voters[0], &slug, true).unwrap();
    f.article_feedback(voters[0], &slug, true).unwrap();
    let a = f.article_feedback(voters[1], &slug, false).unwrap();
    assert_eq!((a.helpful, a.not_helpful), (1, 1));
    assert!(!a.needs_review_for_feedback);
    for v in &voters[2..] {
        f.article_feedback(*v, &slug, false).unwrap();
    }
    let a = f.article(&slug, None).unwrap();
    assert_eq!((a.helpful, a.not_helpful), (1, 4));
    assert!(a.needs_review_for_feedback);
    assert!(f
        .review_queue(agent)
        .unwrap()
        .iter()
        .any(|x| x.slug == slug && x.needs_review_for_feedback));

    // Archived articles leave the public list.
    f.set_article_status(moderator, &slug, Archived).unwrap();
    assert!(f.articles(None, None).unwrap().is_empty());
    assert!(matches!(
        f.article(&slug, None),
        Err(ForumError::NotFound(_))
    ));
    let docs = f.article_documents(&[a.id]).unwrap();
    assert!(!docs[0].published);
}

fn knowledge_base_promotion_by_rule(db: &TestDb) {
    let (f, _clock) = clocked(db, 1_800_000_000_000);
    let f = f
        .with_rules(
            forum::reputation::ReputationConfig::default(),
            forum::kb::KbConfig {
                auto_promote_min_kudos: 2,
                auto_promote_min_views: 3,
                ..Default::default()
            },
        )
        .unwrap();
    let ann = quick_user(&f, "ann", Role::Customer);
    let bob = quick_user(&f, "bob", Role::Customer);
    let cat = quick_user(&f, "cat", Role::Customer);
    let moderator = quick_user(&f, "moira", Role::Moderator);
    let (t1, a1) = solved_thread(&f, ann, bob, "Invoice PDF is blank");
    f.vote(cat, a1, true).unwrap();
    drain_workers(&f);
    assert!(
        f.review_queue(moderator).unwrap().is_empty(),
        "one kudo is not enough"
    );
    f.vote(ann, a1, true).unwrap();
    drain_workers(&f);
    let queue = f.review_queue(moderator).unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].source_thread_id, Some(t1));
    assert_eq!(queue[0].status, forum::kb::ArticleStatus::Review);
    assert!(queue[0].auto_promoted);
    assert!(f
        .notifications(moderator.user_id, 10)
        .unwrap()
        .iter()
        .any(|n| n.kind == "kb_review"));
    // More votes do not promote twice.
    let dan = quick_user(&f, "dan", Role::Customer);
    f.vote(dan, a1, true).unwrap();
    drain_workers(&f);
    assert_eq!(f.review_queue(moderator).unwrap().len(), 1);

    // By views: a solved thread viewed three times.
    let (t2, _) = solved_thread(&f, ann, bob, "Export to CSV drops accents");
    for _ in 0..2 {
        f.thread(t2, None, 1, 20, true).unwrap();
    }
    f.flush_views().unwrap();
    assert_eq!(f.promote_by_views(100).unwrap(), 0);
    f.thread(t2, None, 1, 20, true).unwrap();
    f.flush_views().unwrap();
    assert_eq!(f.promote_by_views(100).unwrap(), 1);
    assert_eq!(f.promote_by_views(100).unwrap(), 0);
    assert_eq!(f.review_queue(moderator).unwrap().len(), 2);
}

fn ranks_unlock_privileges(db: &TestDb) {
    let (f, _clock) = clocked(db, 1_800_000_000_000);
    let mut rules = forum::reputation::ReputationConfig::default();
    // A low bar so one accepted answer makes a Community Leader.
    rules.ranks[3].min_points = 20;
    rules.ranks[3].min_accepted = 1;
    let f = f.with_rules(rules, forum::kb::KbConfig::default()).unwrap();
    let ann = quick_user(&f, "ann", Role::Customer);
    let bob = quick_user(&f, "bob", Role::Customer);
    let cat = quick_user(&f, "cat", Role::Customer);
    let t = ask(&f, cat, "support", "How do I change the language");
    let other = ask(&f, cat, "support", "Changing language of the app");
    let cat_reply = f.reply(cat, t, "Bumping this.").unwrap();
    assert!(matches!(
        f.edit_post(bob, cat_reply, None, "edited"),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.move_thread(bob, t, "general"),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.mark_duplicate(bob, other, Some(t)),
        Err(ForumError::Forbidden(_))
    ));

    let (_, _) = solved_thread(&f, ann, bob, "Where is the dark mode switch");
    drain_workers(&f);
    assert_eq!(
        f.ranks_for(&[bob.user_id]).unwrap()[&bob.user_id],
        "Community Leader"
    );
    f.edit_post(bob, cat_reply, None, "Bumping this (edited for clarity).")
        .unwrap();
    f.move_thread(bob, t, "general").unwrap();
    assert_eq!(
        f.thread(t, None, 1, 10, false).unwrap().category.slug,
        "general"
    );
    assert!(matches!(
        f.move_thread(bob, t, "staff"),
        Err(ForumError::NotFound(_))
    ));
    f.mark_duplicate(bob, other, Some(t)).unwrap();
    assert_eq!(f.duplicate_of(other).unwrap().map(|d| d.0), Some(t));
    assert!(matches!(
        f.mark_duplicate(bob, t, Some(other)),
        Err(ForumError::Validation { .. })
    ));
    assert!(matches!(
        f.mark_duplicate(bob, t, Some(t)),
        Err(ForumError::Validation { .. })
    ));
    // Moving a thread moves its points in the per-board leaderboards too.
    assert!(f
        .leaderboard("all", Some("support"), None, 10)
        .unwrap()
        .iter()
        .all(|e| e.user_id != cat.user_id));
    assert_eq!(
        f.ranks_for(&[ann.user_id]).unwrap()[&ann.user_id],
        "Newcomer"
    );
}

/// A consumer whose handler keeps failing (or panicking) on one event
/// gives up on exactly that event: it is kept as a dead letter, the cursor
/// moves past it, every other event is handled, and a panic inside the
/// transaction leaves the pool usable.
fn poison_events_are_dead_lettered(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let ids: Vec<i64> = (0..5)
        .map(|i| ask(f, ann, "general", &format!("Poison source thread {i}")))
        .collect();
    let all = events(f, "audit");
    let poison = all
        .iter()
        .find(|e| e.kind() == "thread.created" && e.aggregate_id == ids[2])
        .expect("the third thread's event")
        .id;
    // A panic inside the consumer's transaction: nothing moves, and the
    // connection it held is not handed out again half-way through.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = f.poll_events("poison", 100, |_| panic!("handler bug"));
    }));
    assert!(panicked.is_err());
    assert_eq!(f.pending_events("poison").unwrap(), all.len() as i64);

    let mut seen = Vec::new();
    let mut skipped = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let polled = f.poll_events("poison", 1, |evs| {
            if evs.iter().any(|e| e.id == poison) {
                return Err(ForumError::Internal("cannot handle this one".into()));
            }
            seen.extend(evs.iter().map(|e| e.id));
            Ok(())
        });
        match polled {
            Err(_) => skipped.push(
                f.skip_event("poison", "cannot handle this one")
                    .unwrap()
                    .expect("the failing event is at the head"),
            ),
            Ok(0) if f.pending_events("poison").unwrap() == 0 => break,
            Ok(0) => {
                assert!(std::time::Instant::now() < deadline, "outbox stalled");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Ok(_) => {}
        }
    }
    assert_eq!(skipped, vec![poison]);
    let expected: Vec<i64> = all
        .iter()
        .map(|e| e.id)
        .filter(|id| *id != poison)
        .collect();
    assert_eq!(seen, expected, "every other event exactly once, in order");
    let letters = f.dead_letters("poison", 10).unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].0, poison);
    assert_eq!(letters[0].1, "thread.created");
    assert_eq!(letters[0].2, "cannot handle this one");
    assert!(f
        .dead_letter_counts()
        .unwrap()
        .contains(&("poison".to_string(), 1)));
    assert!(f
        .consumer_lags()
        .unwrap()
        .contains(&("poison".to_string(), 0)));
    // Nothing left: skipping again gives up on nothing.
    assert_eq!(f.skip_event("poison", "x").unwrap(), None);
    assert_eq!(
        f.events_after_count(OutboxPosition::START).unwrap(),
        all.len() as i64
    );
}

/// Posts stored with HTML from an older renderer (here: replaced by hand)
/// are rendered again from their Markdown; current ones are left alone.
fn rerender_brings_stored_html_in_line(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let t = ask(f, ann, "general", "Rendering question");
    let deep = format!("{}deep", ">".repeat(100));
    let reply = f.reply(ann, t, &deep).unwrap();
    let page = f.thread(t, None, 1, 10, false).unwrap();
    let fresh_question = page.question.body_html.clone();
    let stale = "<blockquote><blockquote><input></blockquote></blockquote>";
    let sql = format!("UPDATE posts SET body_html = '{stale}' WHERE id = {reply}");
    match f.db() {
        Db::Sqlite(p) => p.get().unwrap().batch_execute(&sql).unwrap(),
        Db::Pg(p) => p.get().unwrap().batch_execute(&sql).unwrap(),
    }
    assert_eq!(f.post(reply, None).unwrap().body_html, stale);
    let mut progress = 0;
    assert_eq!(
        f.rerender_posts(|n| progress = n).unwrap(),
        1,
        "only the stale one"
    );
    assert_eq!(progress, 2);
    let html = f.post(reply, None).unwrap().body_html;
    assert!(!html.contains("<input"), "{html}");
    assert!(
        html.matches("<blockquote>").count() <= markdown::MAX_NESTING,
        "{html}"
    );
    assert!(html.contains("deep"));
    assert_eq!(
        f.thread(t, None, 1, 10, false).unwrap().question.body_html,
        fresh_question
    );
    assert_eq!(
        f.rerender_posts(|_| {}).unwrap(),
        0,
        "nothing left to change"
    );
}

/// Pruning drops only events every consumer has handled and that are old
/// enough, records how far it went, and leaves the cursors working.
fn outbox_is_pruned_below_every_cursor(db: &TestDb) {
    let clock = Arc::new(AtomicU64::new(1_000_000));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst) as i64),
    );
    assert_eq!(
        f.prune_outbox(0, 100).unwrap(),
        0,
        "no cursor: nothing is safe"
    );
    let ann = user(&f, "ann", Role::Customer);
    for i in 0..6 {
        ask(&f, ann, "general", &format!("Retention thread {i}"));
    }
    let all = events(&f, "fast");
    assert!(all.len() >= 7);
    // A slower consumer has handled only the first three.
    let mut slow_seen = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while slow_seen < 3 {
        slow_seen += f
            .poll_events("slow", 3 - slow_seen as i64, |_| Ok(()))
            .unwrap();
        assert!(std::time::Instant::now() < deadline, "outbox stalled");
    }
    // Too young: nothing goes.
    assert_eq!(f.prune_outbox(60_000, 100).unwrap(), 0);
    clock.fetch_add(120_000, Ordering::SeqCst);
    // Old enough: only what both consumers handled, in batches.
    assert_eq!(f.prune_outbox(60_000, 2).unwrap(), 2);
    assert_eq!(f.prune_outbox(60_000, 100).unwrap(), 1);
    assert_eq!(f.prune_outbox(60_000, 100).unwrap(), 0);
    assert_eq!(f.outbox_size().unwrap(), all.len() as i64 - 3);
    let through = f
        .outbox_pruned_through()
        .unwrap()
        .expect("a pruned position");
    assert_eq!(through.event_id, all[2].id);
    // The slow consumer goes on from its cursor as if nothing happened.
    let rest = events(&f, "slow");
    assert_eq!(
        rest.iter().map(|e| e.id).collect::<Vec<_>>(),
        all[3..].iter().map(|e| e.id).collect::<Vec<_>>()
    );
    // A reader that kept its own position below the pruned one can tell.
    assert!(OutboxPosition::START < through);
    assert_eq!(f.prune_outbox(60_000, 100).unwrap(), all.len() as u64 - 3);
    assert_eq!(f.outbox_size().unwrap(), 0);
}

/// Rows this build cannot read (an unknown kind, a misspelt payload key,
/// a newer payload version, text that is not JSON) never reach a consumer,
/// as `null` or otherwise: each reader dead-letters them, counts them and
/// moves on, and the events around them are delivered in order.
fn undecodable_events_are_dead_lettered_not_delivered(db: &TestDb) {
    let f = &db.forum;
    let ann = user(f, "ann", Role::Customer);
    let first = ask(f, ann, "general", "Before the bad rows");
    db.execute_sql(
        "INSERT INTO outbox_events (kind, aggregate_id, payload, created_at) VALUES \
         ('post.exploded', 1, '{\"post_id\":1}', 0), \
         ('solution.unaccepted', 1, '{\"thread_id\":1,\"postid\":2}', 0), \
         ('thread.locked', 1, '{\"v\":99,\"thread_id\":1}', 0), \
         ('thread.locked', 1, 'not json', 0)",
    );
    let second = ask(f, ann, "general", "After the bad rows");
    let seen_before = forum::events::undecodable_events_seen();

    let delivered = events(f, "audit");
    let kinds: Vec<&str> = delivered.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec!["user.registered", "thread.created", "thread.created"]
    );
    let threads: Vec<Option<i64>> = delivered.iter().map(|e| e.body.thread_id()).collect();
    assert_eq!(threads, vec![None, Some(first), Some(second)]);
    assert_eq!(
        f.pending_events("audit").unwrap(),
        0,
        "the cursor moved past them"
    );
    let dead = f.dead_letters("audit", 10).unwrap();
    let mut dead_kinds: Vec<&str> = dead.iter().map(|d| d.1.as_str()).collect();
    dead_kinds.sort_unstable();
    assert_eq!(
        dead_kinds,
        vec![
            "post.exploded",
            "solution.unaccepted",
            "thread.locked",
            "thread.locked"
        ]
    );
    assert!(
        dead.iter().all(|d| d.2.starts_with("undecodable event")),
        "{dead:?}"
    );
    assert!(dead.iter().any(|d| d.2.contains("version 99")), "{dead:?}");
    assert!(
        dead.iter()
            .any(|d| d.2.contains("postid") || d.2.contains("post_id")),
        "{dead:?}"
    );
    assert!(forum::events::undecodable_events_seen() >= seen_before + 4);

    // A reader that keeps its own position skips them the same way.
    let mut pos = OutboxPosition::START;
    let mut read = Vec::new();
    loop {
        let (evs, next) = f.read_events_after("reader", pos, 2).unwrap();
        if next == pos {
            break;
        }
        read.extend(evs.into_iter().map(|e| e.kind()));
        pos = next;
    }
    assert_eq!(read, kinds);
    assert_eq!(pos, f.outbox_head().unwrap());
    assert_eq!(f.dead_letters("reader", 10).unwrap().len(), 4);
    // Reading again records nothing twice.
    f.read_events_after("reader", OutboxPosition::START, 100)
        .unwrap();
    assert_eq!(f.dead_letters("reader", 10).unwrap().len(), 4);
}
