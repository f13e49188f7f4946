//! Analytics on SQLite and PostgreSQL: a scripted history with the clock
//! injected pins each definition of `docs/analytics.md` to an exact value
//! (medians and 90th percentiles included, and the edges: deleted posts,
//! the asker's own replies, other boards, questions too young to judge).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::analytics::rollups::Source;
use forum::analytics::{Detail, PageKind, Report, Share, SlaCount, Window, DAY_MS};
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    a_scripted_history_gives_exact_figures,
    searches_are_logged_without_members_and_ranked,
    traffic_is_counted_in_visits_without_identities,
    deflection_waits_for_the_task_window,
    the_weekly_digest_goes_to_admins_once_a_week,
    rollups_equal_the_facts_over_a_generated_year,
    people_count_only_visible_accepted_answers,
);

const T0: i64 = 1_800_000_000_000 - 1_800_000_000_000 % DAY_MS;
const H: i64 = 3_600_000;

/// Run the rollup consumer until no event is pending. Events of a
/// transaction another client (a parallel test) keeps open on the same
/// server are not visible yet: wait for them rather than stop early.
fn catch_up(f: &Forum) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let done = f.process_analytics_events(1_000).unwrap();
        let pending = f
            .pending_events(forum::analytics::rollups::OUTBOX_CONSUMER)
            .unwrap();
        if done == 0 && pending == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{pending} events stay pending"
        );
        if done == 0 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// The figures of a whole-day window from the rollups (the worker caught
/// up first), which must equal the direct computation from the facts.
fn figures(f: &Forum, actor: Actor, window: Window) -> Report {
    catch_up(f);
    let rolled = f
        .analytics_from(actor, window.clone(), 7, Source::Rollups, Detail::Full)
        .unwrap();
    let direct = f
        .analytics_from(actor, window.clone(), 7, Source::Facts, Detail::Full)
        .unwrap();
    assert_eq!(rolled, direct, "rollups and facts disagree on {window:?}");
    // The headline (the page's previous period) is the full report less
    // its details, from either source.
    let mut expected = rolled.clone();
    expected.activity.headline_only();
    expected.people = Default::default();
    expected.articles.clear();
    for source in [Source::Rollups, Source::Facts] {
        let headline = f
            .analytics_from(actor, window.clone(), 7, source, Detail::Headline)
            .unwrap();
        assert_eq!(headline, expected, "{source:?} headline of {window:?}");
    }
    rolled
}

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
        ..Default::default()
    };
    let r = figures(&f, admin, window.clone());
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
    let r = figures(
        &f,
        admin,
        Window {
            category_id: Some(support.id),
            ..window.clone()
        },
    );
    assert_eq!((r.activity.threads, r.activity.replies), (1, 0));
    assert_eq!(r.answering.questions, 1);
    assert_eq!(r.support.tasks_created, 1);
    assert_eq!(r.support.by_priority[0].priority, "low");

    // The ten days before: nothing; two months before: Bob's old question
    // and Dora's three answers.
    let before = figures(&f, admin, window.previous());
    assert_eq!((before.activity.threads, before.activity.replies), (0, 0));
    let earlier = Window {
        from: T0 - 61 * DAY_MS,
        to: T0 - 59 * DAY_MS,
        ..window.clone()
    };
    let earlier = figures(&f, admin, earlier);
    assert_eq!((earlier.activity.threads, earlier.activity.replies), (1, 3));

    // Agents see the support part only; customers nothing.
    let seen = figures(&f, agent, window.clone());
    assert_eq!(seen.activity.threads, 0);
    assert_eq!(seen.support.tasks_created, 4);
    assert!(matches!(
        f.analytics(ann, window.clone(), 7),
        Err(ForumError::Forbidden(_))
    ));

    // A customer segment: Ann is "enterprise", so its figures are her
    // question, her two replies, her task; her answers' repliers still
    // count for the first-reply times of her question.
    db.execute_sql(&format!(
        "UPDATE crm_contacts SET segment = 'enterprise' WHERE user_id = {}",
        ann.user_id
    ));
    // Contacts start in the default segment, "customer".
    assert_eq!(f.customer_segments().unwrap(), ["customer", "enterprise"]);
    let enterprise = Window {
        segment: Some("enterprise".into()),
        ..window.clone()
    };
    let r = figures(&f, admin, enterprise);
    assert_eq!(
        (r.activity.threads, r.activity.replies, r.activity.kudos),
        (1, 2, 0)
    );
    assert_eq!(r.activity.active_members, 1);
    assert_eq!(r.answering.questions, 1);
    assert_eq!(r.answering.first_reply.median_ms, Some(H));
    assert_eq!(r.support.tasks_created, 1);
    assert_eq!(r.support.resolved_by_community, 1);
    assert_eq!(r.people.top_contributors.len(), 1);
    // A segment nobody is in: nothing.
    let nobody = Window {
        segment: Some("government".into()),
        ..window.clone()
    };
    let r = figures(&f, admin, nobody);
    assert_eq!((r.activity.threads, r.support.tasks_created), (0, 0));

    // Windows run forward and at most 400 days.
    let backwards = Window {
        from: T0,
        to: T0,
        ..Default::default()
    };
    assert!(f.analytics(admin, backwards, 7).is_err());
}

/// An accepted answer deleted afterwards no longer makes its author a top
/// contributor, in the rollups (kept by the consumer and by a rebuild)
/// as in the facts; the question still counts as solved.
fn people_count_only_visible_accepted_answers(db: &TestDb) {
    let clock = Arc::new(AtomicI64::new(T0 + H));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    );
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    let eve = member(&f, "eve", Role::Customer);
    let q1 = ask(&f, ann, "general", "Router keeps rebooting");
    let q2 = ask(&f, ann, "general", "Modem lights blink");
    at(T0 + 2 * H);
    let bobs = f.reply(bob, q1, "Replace the power adapter.").unwrap();
    let eves = f.reply(eve, q2, "Call your provider about it.").unwrap();
    // Ann accepts her own answer too: it counts as hers.
    let q3 = ask(&f, ann, "general", "Wifi drops at night");
    let anns = f
        .reply(ann, q3, "Found it: the channel was crowded.")
        .unwrap();
    at(T0 + 3 * H);
    f.accept(ann, bobs).unwrap();
    f.accept(ann, eves).unwrap();
    f.accept(ann, anns).unwrap();
    let window = Window {
        from: T0,
        to: T0 + 2 * DAY_MS,
        ..Default::default()
    };
    let accepted = |r: &Report| -> Vec<(String, i64)> {
        let mut v: Vec<(String, i64)> = r
            .people
            .top_contributors
            .iter()
            .filter(|c| c.accepted_answers > 0)
            .map(|c| (c.username.clone(), c.accepted_answers))
            .collect();
        v.sort();
        v
    };
    let r = figures(&f, admin, window.clone());
    assert_eq!(
        accepted(&r),
        [("ann".into(), 1), ("bob".into(), 1), ("eve".into(), 1)]
    );
    assert_eq!(r.people.top_1_percent_share.whole, 3);

    // Eve's answer is deleted: her acceptance no longer counts.
    at(T0 + 4 * H);
    f.delete_post(admin, eves).unwrap();
    let r = figures(&f, admin, window.clone());
    assert_eq!(accepted(&r), [("ann".into(), 1), ("bob".into(), 1)]);
    assert_eq!(r.people.top_1_percent_share.whole, 2);
    // Ann's segment keeps her own acceptance only.
    db.execute_sql(&format!(
        "INSERT INTO crm_contacts (user_id, updated_at, segment) VALUES ({}, {T0}, 'vip')",
        ann.user_id
    ));
    let vip = Window {
        segment: Some("vip".into()),
        ..window.clone()
    };
    assert_eq!(accepted(&figures(&f, admin, vip)), [("ann".into(), 1)]);
    // A rebuild reads the same from the facts.
    f.rebuild_analytics().unwrap();
    let rebuilt = f
        .analytics_from(admin, window.clone(), 7, Source::Rollups, Detail::Full)
        .unwrap();
    assert_eq!(accepted(&rebuilt), [("ann".into(), 1), ("bob".into(), 1)]);
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
        f.log_search(lang, q, results, None);
    }
    // Two searches on the search page (ids for their result links): one
    // with a result opened twice, one with none.
    let (clicked, ignored) = (
        forum::analytics::new_search_id(),
        forum::analytics::new_search_id(),
    );
    assert_ne!(clicked, ignored);
    f.log_search("en", "pair remote", 2, Some(&clicked));
    f.log_search("en", "pair hub", 1, Some(&ignored));
    // A click can arrive before its search is written (another node's
    // buffer): it is kept on its own and joined when counted.
    f.record_search_click(&clicked, 1).unwrap();
    f.record_search_click(&clicked, 2).unwrap();
    assert!(matches!(
        f.record_search_click("not-an-id", 1),
        Err(ForumError::Validation { .. })
    ));
    // Nothing is written until the flush.
    let window = Window {
        from: T0,
        to: T0 + DAY_MS,
        ..Default::default()
    };
    assert_eq!(
        f.analytics(admin, window.clone(), 7)
            .unwrap()
            .searching
            .searches,
        0
    );
    assert_eq!(
        f.flush_search_log(180).unwrap(),
        7,
        "the blank one is not logged"
    );
    let s = figures(&f, admin, window.clone()).searching;
    assert_eq!(s.searches, 7);
    assert_eq!(s.zero_results, Share { part: 3, whole: 7 });
    // Of the two page searches, one had a result opened (twice: once).
    assert_eq!(s.click_through, Share { part: 1, whole: 2 });
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
        ..window.clone()
    };
    assert_eq!(figures(&f, admin, board).searching.searches, 0);
    // Kept 180 days, then gone with the next flush, clicks too.
    clock.store(T0 + 181 * DAY_MS, Ordering::SeqCst);
    f.log_search("en", "later", 1, None);
    f.flush_search_log(180).unwrap();
    assert_eq!(
        f.analytics(admin, window.clone(), 7)
            .unwrap()
            .searching
            .searches,
        0
    );
    assert_eq!(db.count_sql("SELECT COUNT(*) FROM search_clicks"), 0);
}

const MIN: i64 = 60_000;

fn traffic_is_counted_in_visits_without_identities(db: &TestDb) {
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    );
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    let agent = member(&f, "agent", Role::Agent);
    let general = f.category("general", Some(admin)).unwrap().id;
    let support = f.category("support", Some(admin)).unwrap().id;
    // A KB article in `general`, read and rated.
    let t = ask(&f, ann, "general", "Pairing the remote control");
    let r = f
        .reply(agent, t, "Hold the button for five seconds.")
        .unwrap();
    f.accept(ann, r).unwrap();
    let (slug, _) = f.promote_thread(agent, t).unwrap();
    f.set_article_status(admin, &slug, forum::kb::ArticleStatus::Published)
        .unwrap();
    let article = f.article(&slug, Some(admin)).unwrap();
    f.article_feedback(ann, &slug, true).unwrap();

    let view =
        |key: &str, kind, board, target| f.record_page_view(key.to_string(), kind, board, target);
    // Day 0. Ann: home, a thread 10 min later, the article 30 min after
    // that (one visit), then a board 31 min later (a second visit).
    at(T0 + H);
    view("m:ann", PageKind::Home, None, None);
    at(T0 + H + 10 * MIN);
    view("m:ann", PageKind::Thread, Some(general), Some(t));
    at(T0 + H + 40 * MIN);
    view("m:ann", PageKind::Kb, Some(general), Some(article.id));
    at(T0 + H + 71 * MIN);
    view("m:ann", PageKind::Board, Some(support), None);
    // A visitor reads the article once.
    view(
        "v:10.0.0.9|Firefox",
        PageKind::Kb,
        Some(general),
        Some(article.id),
    );
    assert_eq!(f.flush_page_views().unwrap(), 5);
    // Day 1: Ann comes back.
    at(T0 + DAY_MS + H);
    view("m:ann", PageKind::Thread, Some(general), Some(t));
    f.flush_page_views().unwrap();

    let window = Window {
        from: T0,
        to: T0 + 2 * DAY_MS,
        ..Default::default()
    };
    let r = figures(&f, admin, window.clone());
    let tr = &r.traffic;
    assert_eq!((tr.page_views, tr.visits), (6, 4));
    assert_eq!(tr.single_page_visits, Share { part: 3, whole: 4 });
    assert_eq!(tr.by_bucket, vec![(T0, 5, 3), (T0 + DAY_MS, 1, 1)]);
    assert_eq!(tr.by_board, vec![(general, 4, 3), (support, 1, 1)]);
    let kind = |k| tr.by_kind.iter().find(|x| x.0 == k).unwrap().1;
    assert_eq!((kind(PageKind::Kb), kind(PageKind::Home)), (2, 1));
    // The article: two views, one helpful answer.
    assert_eq!(r.articles.len(), 1);
    assert_eq!(
        (
            r.articles[0].slug.as_str(),
            r.articles[0].views,
            r.articles[0].helpful
        ),
        (slug.as_str(), 2, 1)
    );
    // One board: its views and the visits that saw it.
    let board = figures(
        &f,
        admin,
        Window {
            category_id: Some(support),
            ..window.clone()
        },
    );
    assert_eq!((board.traffic.page_views, board.traffic.visits), (1, 1));
    assert!(board.articles.is_empty(), "the article is in another board");

    // Nothing stored names the member or the address, and the same member
    // is another visitor the next day (a new salt).
    let stored = db.count_sql(
        "SELECT COUNT(*) FROM page_views WHERE visitor LIKE '%ann%' OR visitor LIKE '%10.0.0.9%'",
    );
    assert_eq!(stored, 0);
    assert_eq!(
        db.count_sql("SELECT COUNT(DISTINCT visitor) FROM page_views"),
        3
    );
    // Two days on, the old days' salts are gone (nobody can recompute a
    // hash from an address); views stay until page_view_days.
    at(T0 + 3 * DAY_MS);
    view("m:ann", PageKind::Home, None, None);
    f.flush_page_views().unwrap();
    assert_eq!(db.count_sql("SELECT COUNT(*) FROM analytics_salts"), 1);
    at(T0 + 200 * DAY_MS);
    f.flush_page_views().unwrap();
    assert_eq!(db.count_sql("SELECT COUNT(*) FROM page_views"), 0);
}

fn deflection_waits_for_the_task_window(db: &TestDb) {
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    )
    .with_analytics(forum::analytics::AnalyticsConfig {
        holdout_percent: 50,
        ..Default::default()
    });
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    let admin = member(&f, "root", Role::Admin);
    let general = f.category("general", Some(admin)).unwrap().id;
    let mut members = Vec::new();
    for name in ["ann", "bob", "carl", "dora", "eve"] {
        let m = member(&f, name, Role::Customer);
        db.execute_sql(&format!(
            "INSERT INTO crm_contacts (user_id, segment, updated_at) VALUES ({}, '{}', {T0})",
            m.user_id,
            if name == "ann" { "enterprise" } else { "" }
        ));
        members.push(m);
    }
    let (ann, bob, carl, dora, eve) = (members[0], members[1], members[2], members[3], members[4]);
    // Session ids chosen for the 50 % holdout: the first eight hex digits
    // modulo 100 pick the bucket, below 50 is held out: 0x5n = 80 + n is
    // shown suggestions, 0x0n = n is held out.
    let shown = |n: u8| format!("0000005{n}{}", "0".repeat(24));
    let held = |n: u8| format!("0000000{n}{}", "0".repeat(24));
    assert!(!f
        .start_ask_session(&shown(1), Some(ann.user_id), Some(general))
        .unwrap());
    assert!(f
        .start_ask_session(&held(1), Some(eve.user_id), None)
        .unwrap());
    assert!(f.ask_session_held_out(&held(1)));
    // Ann opens a suggestion and leaves: deflected once 7 days pass.
    f.record_suggestion_open(&shown(1), Some(ann.user_id), "thread", 1)
        .unwrap();
    // Bob opens one, leaves, and six days later asks anyway (a task):
    // not deflected.
    f.start_ask_session(&shown(2), Some(bob.user_id), None)
        .unwrap();
    f.record_suggestion_open(&shown(2), Some(bob.user_id), "thread", 1)
        .unwrap();
    // Carl opens one and posts right away.
    f.start_ask_session(&shown(3), Some(carl.user_id), None)
        .unwrap();
    f.record_suggestion_open(&shown(3), Some(carl.user_id), "article", 2)
        .unwrap();
    let t = ask(&f, carl, "support", "Still stuck after reading");
    f.mark_ask_posted(&shown(3), t).unwrap();
    // Dora opens one on day 5: her window is still open at day 10.
    at(T0 + 5 * DAY_MS);
    f.start_ask_session(&shown(4), Some(dora.user_id), None)
        .unwrap();
    f.record_suggestion_open(&shown(4), Some(dora.user_id), "thread", 1)
        .unwrap();
    // CRM tasks as the bridge writes them: Bob's six days after his
    // session (inside the window), Ann's exactly seven days after (outside).
    let task = |who: Actor, created: i64| {
        let t = ask(&f, admin, "general", &format!("Task thread at {created}"));
        db.execute_sql(&format!(
            "INSERT INTO crm_tasks (thread_id, contact_id, subject, description, priority, status,              first_response_due, resolution_due, created_at, updated_at)              VALUES ({t}, {}, 's', 'd', 'normal', 'open', {created}, {created}, {created}, {created})",
            who.user_id
        ))
    };
    task(bob, T0 + 6 * DAY_MS);
    task(ann, T0 + 7 * DAY_MS);

    at(T0 + 10 * DAY_MS);
    let window = Window {
        from: T0,
        to: T0 + 10 * DAY_MS,
        ..Default::default()
    };
    let d = figures(&f, admin, window.clone()).deflection;
    assert_eq!(d.window_days, 7);
    let all = &d.all;
    // Four shown sessions; all opened one; Carl posted; Ann deflected;
    // Dora pending; Bob came back within the window.
    assert_eq!(
        (
            all.ask_sessions,
            all.opened_suggestion,
            all.posted,
            all.deflected,
            all.pending
        ),
        (4, 4, 1, 1, 1)
    );
    assert_eq!(all.rate, Share { part: 1, whole: 3 });
    // The funnel's third step: opened one and did not post (Ann, Bob, Dora).
    assert_eq!(all.opened_not_posted, 3);
    // Carl's session took the board he posted to; Ann's the one the page
    // was opened for.
    let support = f.category("support", Some(admin)).unwrap().id;
    let board = |b: Option<i64>| d.by_board.iter().find(|x| x.0 == b).unwrap().1.clone();
    assert_eq!(
        (
            board(Some(general)).ask_sessions,
            board(Some(general)).deflected
        ),
        (1, 1)
    );
    assert_eq!(
        (
            board(Some(support)).ask_sessions,
            board(Some(support)).posted
        ),
        (1, 1)
    );
    assert_eq!(board(None).ask_sessions, 2);
    let segment = |s: &str| d.by_segment.iter().find(|x| x.0 == s).unwrap().1.clone();
    assert_eq!(segment("enterprise").rate, Share { part: 1, whole: 1 });
    assert_eq!(segment("").ask_sessions, 3);
    // Eve, held out, ended without contact; of the shown, Ann did (Dora is
    // pending): 1 of 3 judged against 1 of 1.
    assert_eq!(d.holdout.held_out, Share { part: 1, whole: 1 });
    assert_eq!(d.holdout.shown, Share { part: 1, whole: 3 });
    assert!(d.holdout.lift_points.is_some());

    // A board filter keeps that board's sessions; a segment its members'.
    let r = figures(
        &f,
        admin,
        Window {
            category_id: Some(general),
            ..window.clone()
        },
    );
    assert_eq!(
        (r.deflection.all.ask_sessions, r.deflection.all.deflected),
        (1, 1)
    );
    let r = figures(
        &f,
        admin,
        Window {
            segment: Some("enterprise".into()),
            ..window.clone()
        },
    );
    assert_eq!(r.deflection.all.ask_sessions, 1);
    // The value counts the deflected session.
    let report = figures(&f, admin, window);
    assert_eq!(forum::analytics::value(&report, 1500).deflected_sessions, 1);
}

fn the_weekly_digest_goes_to_admins_once_a_week(db: &TestDb) {
    // T0 is a Friday: the last whole week ran from the Monday eleven days
    // before to the Monday four days before.
    assert_eq!((T0 / DAY_MS + 3).rem_euclid(7), 4, "T0 is a Friday");
    let monday = T0 - 4 * DAY_MS;
    let clock = Arc::new(AtomicI64::new(monday - 5 * DAY_MS));
    let c = clock.clone();
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    );
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    let root = member(&f, "root", Role::Admin);
    let quiet = member(&f, "quiet", Role::Admin);
    let gone = member(&f, "gone", Role::Admin);
    let moderator = member(&f, "mod", Role::Moderator);
    let ann = member(&f, "ann", Role::Customer);
    // Last week: two questions and a reply; this week: one more question.
    let q = ask(&f, ann, "general", "Printer offline");
    f.reply(moderator, q, "Try turning it off and on.").unwrap();
    ask(&f, ann, "general", "Scanner jams");
    at(T0);
    ask(&f, ann, "general", "Fax noise");
    // One admin reads it in the bell only; one is suspended.
    f.set_mail_pref(quiet.user_id, "analytics", forum::notify::MailMode::Off)
        .unwrap();
    db.execute_sql(&format!(
        "UPDATE users SET status = 'suspended' WHERE id = {}",
        gone.user_id
    ));

    // The rollups the digest reads are kept by the worker.
    catch_up(&f);
    assert_eq!(f.send_weekly_digest().unwrap(), 2);
    // Any node, any hour, after a restart: never twice for the week.
    assert_eq!(f.send_weekly_digest().unwrap(), 0);
    let bell = |who: Actor| {
        f.notifications(who.user_id, 50)
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == "analytics")
            .collect::<Vec<_>>()
    };
    let mine = bell(root);
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].link,
        "/analytics?range=custom&from=2027-01-04&to=2027-01-10"
    );
    assert_eq!(bell(quiet).len(), 1);
    assert!(bell(gone).is_empty() && bell(moderator).is_empty());
    // Mail for the admin who wants it, none for the one who turned it off.
    let mails = |who: Actor| {
        db.count_sql(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE user_id = {} AND kind = 'analytics'",
            who.user_id
        ))
    };
    assert_eq!((mails(root), mails(quiet)), (1, 0));
    // The figures: last week's, beside the week before's.
    let p = &mine[0].params;
    assert_eq!(p["questions"], serde_json::json!([2, 0]));
    assert_eq!(p["replies"], serde_json::json!([1, 0]));
    assert_eq!(p["currency"], "USD");
    assert_eq!(p["from"], monday - 7 * DAY_MS);
    assert_eq!(p["to"], monday - 1);

    // The next week brings the next digest; a site that turned it off
    // sends none.
    at(T0 + 7 * DAY_MS);
    let off = Forum::with_clock(db.forum.db().clone(), Arc::new(move || T0 + 7 * DAY_MS))
        .with_analytics(forum::analytics::AnalyticsConfig {
            weekly_digest: false,
            ..Default::default()
        });
    assert_eq!(off.send_weekly_digest().unwrap(), 0);
    assert_eq!(f.send_weekly_digest().unwrap(), 2);
    assert_eq!(bell(root).len(), 2);
}

/// A sum over every rollup row, to compare two states of the tables.
fn rollup_checksum(db: &TestDb) -> [i64; 7] {
    [
        db.count_sql(
            "SELECT CAST(COALESCE(SUM((day / 86400000) * 7 + category_id * 13 + user_id * 17 \
             + questions * 19 + replies * 23 + kudos * 29), 0) AS BIGINT) FROM analytics_member_days",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM((week / 86400000) * 7 + category_id * 13 + user_id * 17 \
             + questions * 19 + replies * 23 + kudos * 29), 0) AS BIGINT) FROM analytics_member_weeks",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM((day / 86400000) * 7 + category_id * 13 \
             + questions * 19 + replies * 23 + kudos * 29 + members * 31), 0) AS BIGINT) FROM analytics_days",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM(user_id * 7 + category_id * 13 + (first_at % 1000003)), 0) AS BIGINT) \
             FROM analytics_first_posts",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM(thread_id * 7 + category_id * 13 + asker_id * 17 \
             + (COALESCE(first_community_at, 1) % 1000003) + (COALESCE(first_staff_at, 2) % 1000003) \
             + (COALESCE(accepted_at, 3) % 1000003)), 0) AS BIGINT) FROM analytics_questions",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM((day / 86400000) * 7 + category_id * 13 + LENGTH(kind) * 17 \
             + views * 19 + visits * 23 + single_visits * 29), 0) AS BIGINT) FROM analytics_traffic_days",
        ),
        db.count_sql(
            "SELECT CAST(COALESCE(SUM((day / 86400000) * 7 + category_id * 13 + article_id * 17 \
             + views * 19), 0) AS BIGINT) FROM analytics_article_days",
        ),
    ]
}

fn rollups_equal_the_facts_over_a_generated_year(db: &TestDb) {
    use rand::{Rng, SeedableRng};
    let start = T0 - 365 * DAY_MS;
    let clock = Arc::new(AtomicI64::new(start));
    let c = clock.clone();
    // Views are kept the whole year, so the facts can be compared with the
    // day rollups over it.
    let config = forum::analytics::AnalyticsConfig {
        page_view_days: 400,
        ..Default::default()
    };
    let f = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    )
    .with_analytics(config.clone());
    // A second node, whose buffer is flushed only every third day: its
    // views reach days already rolled up.
    let c = clock.clone();
    let late_node = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    )
    .with_analytics(config);
    let at = |t: i64| clock.store(t, Ordering::SeqCst);
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let admin = member(&f, "root", Role::Admin);
    let moderator = member(&f, "mod", Role::Moderator);
    let agent = member(&f, "agent", Role::Agent);
    let customers: Vec<Actor> = (0..12)
        .map(|i| member(&f, &format!("member{i}"), Role::Customer))
        .collect();
    for (i, m) in customers.iter().enumerate() {
        db.execute_sql(&format!(
            "INSERT INTO crm_contacts (user_id, segment, updated_at) VALUES ({}, '{}', {start})",
            m.user_id,
            if i % 3 == 0 { "enterprise" } else { "smb" }
        ));
    }
    let boards = ["general", "support"];
    let mut threads: Vec<(i64, Actor)> = Vec::new();
    let mut replies: Vec<(i64, i64)> = Vec::new();
    for day in 0..365 {
        at(start + day * DAY_MS + rng.gen_range(0..3 * H));
        for _ in 0..rng.gen_range(0..3) {
            let asker = customers[rng.gen_range(0..customers.len())];
            let board = boards[rng.gen_range(0..2)];
            let t = ask(&f, asker, board, &format!("Question of day {day}"));
            threads.push((t, asker));
            clock.fetch_add(rng.gen_range(1..60) * 60_000, Ordering::SeqCst);
        }
        if threads.is_empty() {
            continue;
        }
        for _ in 0..rng.gen_range(0..4) {
            let (t, _) = threads[threads.len() - 1 - rng.gen_range(0..threads.len().min(20))];
            let who = match rng.gen_range(0..10) {
                0 => agent,
                1 => moderator,
                n => customers[(n as usize * 7 + day as usize) % customers.len()],
            };
            if let Ok(p) = f.reply(who, t, "Here is what worked for me.") {
                replies.push((t, p));
            }
            clock.fetch_add(rng.gen_range(1..300) * 60_000, Ordering::SeqCst);
        }
        for _ in 0..rng.gen_range(0..3) {
            if replies.is_empty() {
                break;
            }
            let (_, p) = replies[rng.gen_range(0..replies.len())];
            let voter = customers[rng.gen_range(0..customers.len())];
            let _ = f.vote(voter, p, rng.gen_range(0..5) > 0);
        }
        if rng.gen_range(0..4) == 0 && !replies.is_empty() {
            let (t, p) = replies[rng.gen_range(0..replies.len())];
            if let Some((_, asker)) = threads.iter().find(|(x, _)| *x == t) {
                let _ = f.accept(*asker, p);
            }
        }
        match rng.gen_range(0..40) {
            0 if !replies.is_empty() => {
                let (_, p) = replies[rng.gen_range(0..replies.len())];
                let _ = f.delete_post(moderator, p);
            }
            1 => {
                let (t, _) = threads[rng.gen_range(0..threads.len())];
                let _ = f.move_thread(moderator, t, boards[rng.gen_range(0..2)]);
            }
            2 => {
                // A whole question goes.
                let (t, _) = threads[rng.gen_range(0..threads.len())];
                if let Ok(page) = f.thread(t, Some(admin), 1, 1, false) {
                    let _ = f.delete_post(moderator, page.question.id);
                }
            }
            _ => {}
        }
        if day == 200 {
            // A customer joins the staff: their replies count as staff's now.
            f.set_role(Some(admin), customers[1].user_id, Role::Agent, "hired")
                .unwrap();
        }
        // Readers: a few visitors, members and anonymous, each reading a
        // few pages minutes apart (or over half an hour: a new visit).
        for v in 0..rng.gen_range(0..4) {
            let node = if v % 2 == 0 { &f } else { &late_node };
            let key = if rng.gen_range(0..2) == 0 {
                format!("m:member{}", rng.gen_range(0..12))
            } else {
                format!("v:10.0.0.{}|Firefox", rng.gen_range(0..20))
            };
            for _ in 0..rng.gen_range(1..5) {
                let kind = PageKind::ALL[rng.gen_range(0..PageKind::ALL.len())];
                let board = (kind != PageKind::Home && kind != PageKind::Search)
                    .then(|| threads[rng.gen_range(0..threads.len())].0)
                    .and_then(|t| f.thread(t, Some(admin), 1, 1, false).ok())
                    .map(|page| page.category.id);
                let target = (kind == PageKind::Kb).then(|| rng.gen_range(1..4));
                node.record_page_view(key.clone(), kind, board, target);
                clock.fetch_add(rng.gen_range(1..45) * 60_000, Ordering::SeqCst);
            }
        }
        f.flush_page_views().unwrap();
        if day % 3 == 0 {
            late_node.flush_page_views().unwrap();
        }
        // The worker runs now and then, not after every write.
        if day % 45 == 0 {
            catch_up(&f);
        }
    }
    late_node.flush_page_views().unwrap();
    at(T0 + 2 * H);
    // Today's first flush rolls up the last day.
    f.flush_page_views().unwrap();
    let general = f.category("general", Some(admin)).unwrap().id;
    let year = Window {
        from: start,
        to: T0,
        bucket: forum::analytics::Bucket::Month,
        ..Default::default()
    };
    let quarter = Window {
        from: T0 - 90 * DAY_MS,
        to: T0,
        ..Default::default()
    };
    let windows = [
        year.clone(),
        quarter.clone(),
        Window {
            bucket: forum::analytics::Bucket::Week,
            ..quarter.clone()
        },
        Window {
            category_id: Some(general),
            ..quarter.clone()
        },
        Window {
            segment: Some("enterprise".into()),
            ..year.clone()
        },
    ];
    let incremental: Vec<Report> = windows
        .iter()
        .map(|w| figures(&f, admin, w.clone()))
        .collect();
    assert!(
        incremental[0].activity.threads > 200 && incremental[0].activity.replies > 300,
        "a busy year: {:?}",
        incremental[0].activity
    );
    assert!(incremental[0].answering.first_staff_reply.count > 0);
    assert!(
        incremental[0].traffic.page_views > 500 && incremental[3].traffic.visits > 10,
        "a year of readers: {:?}",
        incremental[0].traffic
    );
    // Rebuilding from the facts gives the same rows and the same figures.
    let before = rollup_checksum(db);
    let summary = f.rebuild_analytics().unwrap();
    assert!(summary.member_days > 0 && summary.questions > 0 && summary.traffic_days > 300);
    assert_eq!(rollup_checksum(db), before, "rebuild equals incremental");
    for (w, r) in windows.iter().zip(&incremental) {
        assert_eq!(&figures(&f, admin, w.clone()), r, "{w:?}");
    }
}
