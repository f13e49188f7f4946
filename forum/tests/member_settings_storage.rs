//! A member's own settings and profile, on SQLite and PostgreSQL with the
//! clock injected: the time zone (checked against the bundled database,
//! kept, cleared, erased), the paged activity tabs, and the word to the old
//! address when a change of address is confirmed.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    a_time_zone_is_checked_kept_cleared_and_erased,
    activity_tabs_are_paged_newest_first,
    a_confirmed_change_of_address_tells_the_old_one,
);

const T0: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;

fn clocked(db: &TestDb) -> (Forum, Arc<AtomicI64>) {
    forum::testkit::clocked(db, T0)
}

fn member(f: &Forum, name: &str, role: Role) -> User {
    forum::testkit::register(f, name, role)
}

fn a_time_zone_is_checked_kept_cleared_and_erased(db: &TestDb) {
    let (f, _) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    assert_eq!(ann.time_zone, None, "none until chosen (UTC)");
    // Any case; kept in the database's own spelling.
    let saved = f.set_time_zone(ann.id, "europe/kyiv").unwrap();
    assert_eq!(saved.time_zone.as_deref(), Some("Europe/Kyiv"));
    // Every way a member is looked up carries it (the session's too).
    let token = f.issue_token(ann.id, TokenKind::Session).unwrap();
    let signed_in = f
        .user_for_token(&token, TokenKind::Session)
        .unwrap()
        .unwrap();
    assert_eq!(signed_in.time_zone.as_deref(), Some("Europe/Kyiv"));
    assert_eq!(
        f.find_user("ann").unwrap().unwrap().time_zone.as_deref(),
        Some("Europe/Kyiv")
    );
    // A zone the database does not know is refused by its rule, and the
    // stored one stays.
    for bogus in ["Mars/Olympus_Mons", "Europe/Kyiv/Podil", "EET+2"] {
        match f.set_time_zone(ann.id, bogus) {
            Err(ForumError::Validation { field, rule, .. }) => {
                assert_eq!(field, "time_zone");
                assert_eq!(rule, Rule::TimeZone);
            }
            other => panic!("{bogus}: {other:?}"),
        }
    }
    assert_eq!(
        f.user(ann.id).unwrap().time_zone.as_deref(),
        Some("Europe/Kyiv")
    );
    // Half-hour zones and the far west are zones like any other.
    f.set_time_zone(ann.id, "Asia/Tehran").unwrap();
    assert_eq!(
        f.user(ann.id).unwrap().time_zone.as_deref(),
        Some("Asia/Tehran")
    );
    // Blank: back to none.
    assert_eq!(f.set_time_zone(ann.id, " ").unwrap().time_zone, None);
    assert!(matches!(
        f.set_time_zone(999_999, "Europe/Kyiv"),
        Err(ForumError::NotFound(_))
    ));
    // Erasure forgets it with the rest of the member's personal data.
    f.set_time_zone(ann.id, "America/New_York").unwrap();
    f.erase_member(Some(admin.actor()), ann.id, "ann").unwrap();
    assert_eq!(f.user(ann.id).unwrap().time_zone, None);
}

fn pages(page: i64, per_page: i64) -> Paging {
    Paging::pages(Some(page), Some(per_page), PageLimits::LISTING).unwrap()
}

fn activity_tabs_are_paged_newest_first(db: &TestDb) {
    let (f, clock) = clocked(db);
    let agent = member(&f, "agnes", Role::Agent);
    let bob = member(&f, "bob", Role::Agent);
    let mut asked = Vec::new();
    let mut replies = Vec::new();
    let mut solved = Vec::new();
    for i in 0..13 {
        clock.fetch_add(MINUTE, Ordering::SeqCst);
        let t = f
            .create_thread(
                bob.actor(),
                NewThread {
                    category: "general".into(),
                    title: format!("Bob's question number {i}"),
                    body: format!("Details of question {i}"),
                    tags: vec![],
                },
            )
            .unwrap();
        asked.push(t);
        let q = f
            .create_thread(
                agent.actor(),
                NewThread {
                    category: "general".into(),
                    title: format!("Agnes asks thing {i}"),
                    body: format!("Agnes's details {i}"),
                    tags: vec![],
                },
            )
            .unwrap();
        clock.fetch_add(MINUTE, Ordering::SeqCst);
        let r = f
            .reply(bob.actor(), q, &format!("Bob's answer {i}"))
            .unwrap();
        replies.push(r);
        f.accept(agent.actor(), r).unwrap();
        solved.push(q);
    }
    // Questions: 13 at 5 a page is 3 pages, newest first; page 2 holds
    // the older ones, the last page the oldest.
    let p1 = f.member_threads(bob.id, None, pages(1, 5)).unwrap();
    assert_eq!((p1.total, p1.page_count()), (13, 3));
    let ids = |p: &Paged<ThreadSummary>| p.items.iter().map(|t| t.id).collect::<Vec<_>>();
    let newest: Vec<i64> = asked.iter().rev().copied().collect();
    assert_eq!(ids(&p1), newest[0..5]);
    let p2 = f.member_threads(bob.id, None, pages(2, 5)).unwrap();
    assert_eq!(ids(&p2), newest[5..10]);
    let p3 = f.member_threads(bob.id, None, pages(3, 5)).unwrap();
    assert_eq!(ids(&p3), newest[10..13]);
    assert!(f
        .member_threads(bob.id, None, pages(4, 5))
        .unwrap()
        .items
        .is_empty());
    // Replies, the same way.
    let newest: Vec<i64> = replies.iter().rev().copied().collect();
    let r2 = f.recent_replies(bob.id, None, pages(2, 5)).unwrap();
    assert_eq!(r2.total, 13);
    assert_eq!(
        r2.items.iter().map(|r| r.post_id).collect::<Vec<_>>(),
        newest[5..10]
    );
    // Accepted answers, newest solution first.
    let newest: Vec<i64> = solved.iter().rev().copied().collect();
    let s1 = f.accepted_answers(bob.id, None, pages(1, 10)).unwrap();
    let s2 = f.accepted_answers(bob.id, None, pages(2, 10)).unwrap();
    assert_eq!((s1.total, s1.page_count()), (13, 2));
    assert_eq!(
        s1.items.iter().map(|s| s.0).collect::<Vec<_>>(),
        newest[0..10]
    );
    assert_eq!(
        s2.items.iter().map(|s| s.0).collect::<Vec<_>>(),
        newest[10..13]
    );
    // Only what the viewer may read is counted: a thread in a staff-only
    // board leaves the visitor's count and pages.
    let staff_board = f
        .create_board(
            Some(member(&f, "root", Role::Admin).actor()),
            boards::NewBoard {
                slug: "internal-notes".into(),
                name: "Internal notes".into(),
                description: String::new(),
                see_min_role: Some(Role::Agent),
                ..Default::default()
            },
        )
        .unwrap();
    f.create_thread(
        bob.actor(),
        NewThread {
            category: staff_board.slug.clone(),
            title: "An internal question".into(),
            body: "For staff".into(),
            tags: vec![],
        },
    )
    .unwrap();
    assert_eq!(
        f.member_threads(bob.id, None, pages(1, 5)).unwrap().total,
        13
    );
    assert_eq!(
        f.member_threads(bob.id, Some(agent.actor()), pages(1, 5))
            .unwrap()
            .total,
        14
    );
}

/// The mails claimed since the last look, marked sent as the sender would.
fn mails(f: &Forum) -> Vec<notify::OutgoingMail> {
    let out = f.claim_mails(60_000, 100).unwrap();
    for m in &out {
        f.mail_sent(m).unwrap();
    }
    out
}

fn a_confirmed_change_of_address_tells_the_old_one(db: &TestDb) {
    let (f, _) = clocked(db);
    let ann = member(&f, "ann", Role::Customer);
    f.set_language(ann.id, "uk").unwrap();
    mails(&f);
    // Asked: the link goes to the new address; the old one hears nothing
    // yet (nothing has changed).
    f.request_email_change(ann.actor(), "password123", "olena.k@example.net")
        .unwrap();
    let sent = mails(&f);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].kind, "email_change");
    assert_eq!(sent[0].to_email, "olena.k@example.net");
    let token = sent[0]
        .link
        .strip_prefix("/confirm-email/")
        .unwrap()
        .to_string();
    // Confirmed: in the same transaction, a mail to the *old* address,
    // saying where the account's mail goes now with that address masked,
    // in the member's language.
    let changed = f.confirm_email(&token).unwrap();
    assert_eq!(changed.email, "olena.k@example.net");
    let sent = mails(&f);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let told = &sent[0];
    assert_eq!(told.kind, "email_changed");
    assert_eq!(told.to_email, "ann@example.com");
    assert_eq!(told.language, "uk");
    assert_eq!(told.params["new_masked"], "o***@example.net");
    assert!(
        !told.params.to_string().contains("olena.k@"),
        "the new address is never written out whole: {}",
        told.params
    );
    assert!(forum::notify::SYSTEM_KINDS.contains(&told.kind.as_str()));
    // For the old mailbox, not the bell of whoever is signed in.
    assert!(f.notifications(ann.id, 10).unwrap().is_empty());

    // A change that fails (the address was taken meanwhile) tells nobody.
    f.request_email_change(ann.actor(), "password123", "shared@example.org")
        .unwrap();
    let token = mails(&f)[0]
        .link
        .strip_prefix("/confirm-email/")
        .unwrap()
        .to_string();
    f.register(NewUser {
        language: None,
        username: "zed".into(),
        email: "shared@example.org".into(),
        password: Some("password123".into()),
        role: Role::Customer,
        display_name: None,
    })
    .unwrap();
    mails(&f);
    assert!(matches!(
        f.confirm_email(&token),
        Err(ForumError::Taken { .. })
    ));
    assert!(mails(&f).is_empty());
    assert_eq!(f.user(ann.id).unwrap().email, "olena.k@example.net");
}
