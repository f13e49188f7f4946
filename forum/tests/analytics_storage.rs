//! Analytics on SQLite and PostgreSQL: a scripted history with the clock
//! injected pins each definition of `docs/analytics.md` to an exact value
//! (medians and 90th percentiles included, and the edges: deleted posts,
//! the asker's own replies, other boards, questions too young to judge).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::analytics::{Share, SlaCount, Window, DAY_MS};
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    a_scripted_history_gives_exact_figures,
    searches_are_logged_without_members_and_ranked,
);

const T0: i64 = 1_800_000_000_000 - 1_800_000_000_000 % DAY_MS;
const H: i64 = 3_600_000;

fn member(f: &Forum, name: &str, role: Role) -> Actor {
    forum::testkit::register(f, name, role).actor()
}

fn ask(f: &Forum, who: Actor, board: &str, title: &str) -> i64 {
    f.create_thread(
        who,
        NewThread {
            category: board.into(),
            title: title.into(),
            body: "What should I do about this?".into(),
            tags: vec![],
        },
    )
    .unwrap()
}

fn a_scripted_history_gives_exact_figures(db: &TestDb) {
    let clock = Arc::new(AtomicI64::new(T0 - 60 * DAY_MS));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    );
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    // Before the window: Bob's first post ever, and members joining.
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    let old = ask(&f, bob, "general", "An old question");
    // Dora answered three times two months ago and has been quiet since.
    let dora = member(&f, "dora", Role::Customer);
    for n in 0..3 {
        f.reply(dora, old, &format!("Old advice number {n}."))
            .unwrap();
    }
    at(T0 + H / 2);
    let carl = member(&f, "carl", Role::Customer);
    let agent = member(&f, "agent", Role::Agent);

    // Day 0. Ann asks; the agent answers after 1 h, Bob after 2 h, Ann
    // herself after 3 h (not a reply to her own question); she accepts
    // Bob's after 5 h; Carl gives Bob a kudo.
    at(T0 + H);
    let q1 = ask(&f, ann, "general", "Printer offline");
    at(T0 + 2 * H);
    f.reply(agent, q1, "Try turning it off and on.").unwrap();
    at(T0 + 3 * H);
    let bobs = f.reply(bob, q1, "Reinstall the driver.").unwrap();
    at(T0 + 4 * H);
    f.reply(ann, q1, "Thanks, trying.").unwrap();
    at(T0 + 6 * H);
    f.accept(ann, bobs).unwrap();
    f.vote(carl, bobs, true).unwrap();

    // Day 1. Carl asks; Ann answers 30 h later (day 2); a reply by Bob is
    // deleted and does not count.
    at(T0 + DAY_MS);
    let q2 = ask(&f, carl, "general", "Scanner jams");
    at(T0 + DAY_MS + H);
    let gone = f.reply(bob, q2, "Clean the rollers.").unwrap();
    f.delete_post(admin, gone).unwrap();
    at(T0 + DAY_MS + 30 * H);
    f.reply(ann, q2, "Update the firmware.").unwrap();

    // Day 3: a question nobody answers; another board's question.
    at(T0 + 3 * DAY_MS);
    let q3 = ask(&f, bob, "general", "Fax machine noise");
    let elsewhere = ask(&f, carl, "support", "Billing address change");
    // An old question's late reply: a contribution, not a window question.
    f.reply(carl, old, "Late, but: check the cable.").unwrap();

    // CRM tasks as the bridge writes them: q1's resolved by Bob's accepted
    // answer in time, q2's answered late and unresolved, q3's urgent.
    let contact = |u: Actor| {
        db.execute_sql(&format!(
            "INSERT INTO crm_contacts (user_id, updated_at) VALUES ({}, {T0})",
            u.user_id
        ))
    };
    contact(ann);
    contact(carl);
    contact(bob);
    let task = |thread: i64,
                who: Actor,
                prio: &str,
                created: i64,
                fr: Option<i64>,
                res: Option<i64>,
                esc: &str| {
        let opt = |v: Option<i64>| v.map_or("NULL".to_string(), |v| v.to_string());
        db.execute_sql(&format!(
            "INSERT INTO crm_tasks (thread_id, contact_id, subject, description, priority, status, \
             first_response_due, resolution_due, first_response_at, resolved_at, escalation, created_at, updated_at) \
             VALUES ({thread}, {}, 's', 'd', '{prio}', '{}', {}, {}, {}, {}, {esc}, {created}, {created})",
            who.user_id,
            if res.is_some() { "resolved" } else { "open" },
            created + 4 * H,
            created + 2 * DAY_MS,
            opt(fr),
            opt(res),
        ))
    };
    task(
        q1,
        ann,
        "normal",
        T0 + H,
        Some(T0 + 2 * H),
        Some(T0 + 6 * H),
        "NULL",
    );
    task(
        q2,
        carl,
        "normal",
        T0 + DAY_MS,
        Some(T0 + DAY_MS + 30 * H),
        None,
        "NULL",
    );
    task(
        q3,
        bob,
        "urgent",
        T0 + 3 * DAY_MS,
        None,
        None,
        "'urgent keyword'",
    );
    task(elsewhere, carl, "low", T0 + 3 * DAY_MS, None, None, "NULL");

    // The window: days 0 to 9; judged at day 12.
    at(T0 + 12 * DAY_MS);
    let window = Window {
        from: T0,
        to: T0 + 10 * DAY_MS,
        category_id: None,
        bucket: forum::analytics::Bucket::Day,
    };
    let r = f.analytics(admin, window, 7).unwrap();
    let a = &r.activity;
    // Questions q1, q2, q3, elsewhere; replies: agent, bob, ann (own), ann
    // on q2, carl on the old one (the deleted one does not count); one kudo.
    assert_eq!((a.threads, a.replies, a.kudos), (4, 5, 1));
    // Posted or gave a kudo: ann, bob, carl, agent.
    assert_eq!(a.active_members, 4);
    // Joined in the window: carl and the agent.
    assert_eq!(a.new_members, 2);
    // First post ever in the window: ann, carl, agent (bob posted before).
    assert_eq!(a.new_contributors, 3);
    assert_eq!(a.days.len(), 10);
    assert_eq!(a.days[0].threads, 1);
    assert_eq!(a.days[0].replies, 3);
    assert_eq!(a.days[0].kudos, 1);
    assert_eq!(a.days[0].active_members, 4);
    assert_eq!(a.days[0].new_members, 2);
    assert_eq!(a.days[2].replies, 1, "Ann's answer to q2 lands on day 2");

    let q = &r.answering;
    assert_eq!(q.questions, 4);
    // First replies by others: q1 after 1 h (agent), q2 after 30 h (ann).
    assert_eq!(q.first_reply.count, 2);
    assert_eq!(q.first_reply.median_ms, Some(H));
    assert_eq!(q.first_reply.p90_ms, Some(30 * H));
    assert_eq!(q.first_reply.mean_ms, Some(31 * H / 2));
    // Community: q1 Bob after 2 h, q2 Ann after 30 h. Staff: q1 only.
    assert_eq!(q.first_community_reply.count, 2);
    assert_eq!(q.first_community_reply.median_ms, Some(2 * H));
    assert_eq!(q.first_staff_reply.count, 1);
    assert_eq!(q.first_staff_reply.median_ms, Some(H));
    assert_eq!(q.time_to_solution.count, 1);
    assert_eq!(q.time_to_solution.median_ms, Some(5 * H));
    // All four are a day old by the end: q2 (30 h), q3 and elsewhere had
    // no reply within 24 h.
    assert_eq!(q.unanswered_after_24h, Share { part: 3, whole: 4 });
    // Seven days old by day 10: q1 (solved), q2, q3, elsewhere.
    assert_eq!(q.solved_within, Share { part: 1, whole: 4 });

    let s = &r.support;
    assert_eq!((s.tasks_created, s.escalated, s.resolved), (4, 1, 1));
    assert_eq!((s.resolved_by_community, s.resolved_by_agents), (1, 0));
    assert_eq!(s.first_response.count, 2);
    assert_eq!(s.first_response.median_ms, Some(H));
    let prio = |p: &str| {
        s.by_priority
            .iter()
            .find(|x| x.priority == p)
            .unwrap()
            .clone()
    };
    assert_eq!(
        prio("normal").first_response,
        SlaCount {
            met: 1,
            breached: 1,
            open: 0
        }
    );
    assert_eq!(
        prio("normal").resolution,
        SlaCount {
            met: 1,
            breached: 1,
            open: 0
        }
    );
    // Judged at day 12: the urgent task's deadlines have passed.
    assert_eq!(
        prio("urgent").first_response,
        SlaCount {
            met: 0,
            breached: 1,
            open: 0
        }
    );
    assert_eq!(s.backlog[0], (T0, 0), "q1's task was resolved on day 0");
    assert_eq!(s.backlog[3], (T0 + 3 * DAY_MS, 3));

    // People: Bob gave the one accepted answer; with four active members
    // the top 1 % and 5 % are one member, who gave all of them.
    let p = &r.people;
    let names: Vec<(&str, i64, i64)> = p
        .top_contributors
        .iter()
        .map(|c| (c.username.as_str(), c.accepted_answers, c.replies))
        .collect();
    assert_eq!(
        names,
        [
            ("bob", 1, 1),
            ("ann", 0, 2),
            ("carl", 0, 1),
            ("agent", 0, 1)
        ]
    );
    assert_eq!(p.top_1_percent_share, Share { part: 1, whole: 1 });
    assert_eq!(p.top_5_percent_share, Share { part: 1, whole: 1 });
    assert_eq!(p.at_risk.len(), 1);
    assert_eq!(
        (p.at_risk[0].username.as_str(), p.at_risk[0].posts_before),
        ("dora", 3)
    );

    // One board: the `support` question and its task only.
    let support = f.category("support", Some(admin)).unwrap();
    let r = f
        .analytics(
            admin,
            Window {
                category_id: Some(support.id),
                ..window
            },
            7,
        )
        .unwrap();
    assert_eq!((r.activity.threads, r.activity.replies), (1, 0));
    assert_eq!(r.answering.questions, 1);
    assert_eq!(r.support.tasks_created, 1);
    assert_eq!(r.support.by_priority[0].priority, "low");

    // The ten days before: nothing; two months before: Bob's old question
    // and Dora's three answers.
    let before = f.analytics(admin, window.previous(), 7).unwrap();
    assert_eq!((before.activity.threads, before.activity.replies), (0, 0));
    let earlier = Window {
        from: T0 - 61 * DAY_MS,
        to: T0 - 59 * DAY_MS,
        ..window
    };
    let earlier = f.analytics(admin, earlier, 7).unwrap();
    assert_eq!((earlier.activity.threads, earlier.activity.replies), (1, 3));

    // Agents see the support part only; customers nothing.
    let seen = f.analytics(agent, window, 7).unwrap();
    assert_eq!(seen.activity.threads, 0);
    assert_eq!(seen.support.tasks_created, 4);
    assert!(matches!(
        f.analytics(ann, window, 7),
        Err(ForumError::Forbidden(_))
    ));
    // Windows run forward and at most 400 days.
    let backwards = Window {
        from: T0,
        to: T0,
        category_id: None,
        bucket: forum::analytics::Bucket::Day,
    };
    assert!(f.analytics(admin, backwards, 7).is_err());
}

fn searches_are_logged_without_members_and_ranked(db: &TestDb) {
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    );
    let admin = member(&f, "root", Role::Admin);
    for (lang, q, results) in [
        ("en", "Reset  Password", 4),
        ("en", "reset password", 4),
        ("en", "fax noise", 0),
        ("fa", "رمز عبور", 0),
        ("fa", "رمز عبور", 0),
        ("en", "   ", 0),
    ] {
        f.log_search(lang, q, results);
    }
    // Nothing is written until the flush.
    let window = Window {
        from: T0,
        to: T0 + DAY_MS,
        category_id: None,
        bucket: forum::analytics::Bucket::Day,
    };
    assert_eq!(f.analytics(admin, window, 7).unwrap().searching.searches, 0);
    assert_eq!(
        f.flush_search_log(180).unwrap(),
        5,
        "the blank one is not logged"
    );
    let s = f.analytics(admin, window, 7).unwrap().searching;
    assert_eq!(s.searches, 5);
    assert_eq!(s.zero_results, Share { part: 3, whole: 5 });
    assert_eq!(
        s.top_queries[0],
        ("en".to_string(), "reset password".to_string(), 2, 0)
    );
    assert_eq!(
        s.top_zero_result_queries[0],
        ("fa".to_string(), "رمز عبور".to_string(), 2, 2)
    );
    // A board's figures have no searches (they are site-wide).
    let support = f.category("support", Some(admin)).unwrap();
    let board = Window {
        category_id: Some(support.id),
        ..window
    };
    assert_eq!(f.analytics(admin, board, 7).unwrap().searching.searches, 0);
    // Kept 180 days, then gone with the next flush.
    clock.store(T0 + 181 * DAY_MS, Ordering::SeqCst);
    f.log_search("en", "later", 1);
    f.flush_search_log(180).unwrap();
    assert_eq!(f.analytics(admin, window, 7).unwrap().searching.searches, 0);
}
