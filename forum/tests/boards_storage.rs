//! Board administration on SQLite and PostgreSQL: create, rename,
//! reorder, archive, each setting enforced where members post and read,
//! and the audit entry and event every change writes.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum::boards::{BoardChange, CrmTasks, Direction, NewBoard, Premoderation, StartThreads};
use forum::members::AuditFilter;
use forum::reputation::{RankRule, ReputationConfig};
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    boards_are_created_renamed_and_reordered_with_audit,
    who_sees_a_board_follows_its_minimum_role,
    who_starts_threads_follows_the_board,
    archived_boards_are_read_only_and_off_the_list,
    only_admins_change_boards,
    board_thread_counts_are_kept_exactly,
);

fn member(f: &Forum, name: &str, role: Role) -> Actor {
    forum::testkit::register(f, name, role).actor()
}

fn ask(f: &Forum, who: Actor, board: &str, title: &str) -> Result<i64> {
    f.create_thread(
        who,
        NewThread {
            category: board.into(),
            title: title.into(),
            body: "details".into(),
            tags: vec![],
        },
    )
}

fn new_board(slug: &str, name: &str) -> NewBoard {
    NewBoard {
        slug: slug.into(),
        name: name.into(),
        ..Default::default()
    }
}

fn audit(f: &Forum, board_id: i64) -> Vec<forum::members::AuditEntry> {
    f.audit_log(
        None,
        &AuditFilter {
            target_kind: Some("board".into()),
            target_id: Some(board_id),
            ..Default::default()
        },
        100,
    )
    .unwrap()
}

/// The board events once `n` are readable (on PostgreSQL an event is read
/// once every older transaction in the cluster has ended, and other tests
/// run at the same time).
fn board_events(f: &Forum, n: usize) -> Vec<forum::events::BoardChanged> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (events, _) = f
            .read_events_after("test", OutboxPosition::START, 10_000)
            .unwrap();
        let boards: Vec<_> = events
            .into_iter()
            .filter_map(|e| match e.body {
                EventBody::BoardChanged(b) => Some(b),
                _ => None,
            })
            .collect();
        if boards.len() >= n || std::time::Instant::now() > deadline {
            return boards;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn boards_are_created_renamed_and_reordered_with_audit(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin);
    let ann = member(f, "ann", Role::Customer);
    let created = f
        .create_board(
            Some(admin),
            NewBoard {
                description: "Step by step".into(),
                premoderation: Some(Premoderation::NewMembers),
                crm_tasks: Some(CrmTasks::Off),
                ..new_board("how-to", "How-to")
            },
        )
        .unwrap();
    assert_eq!(created.premoderation, Premoderation::NewMembers);
    assert_eq!(created.crm_tasks, CrmTasks::Off);
    assert_eq!(created.start_threads, StartThreads::Everyone);
    assert!(!created.is_private && created.archived_at.is_none());
    let last = f.boards_for_staff(Some(admin)).unwrap();
    assert_eq!(last.last().unwrap().slug, "how-to", "new boards go last");

    // Slugs are checked and unique, with the field named.
    for bad in ["How To", "", "-x", "a/b"] {
        assert!(matches!(
            f.create_board(Some(admin), new_board(bad, "X")),
            Err(ForumError::Validation { field: "slug", .. })
        ));
    }
    assert!(matches!(
        f.create_board(Some(admin), new_board("how-to", "Again")),
        Err(ForumError::Validation { field: "slug", .. })
    ));
    assert!(matches!(
        f.create_board(Some(admin), new_board("long", &"n".repeat(101))),
        Err(ForumError::Validation { field: "name", .. })
    ));

    // Rename and describe: one audit entry with what changed.
    let renamed = f
        .update_board(
            Some(admin),
            "how-to",
            BoardChange {
                name: Some("Guides".into()),
                description: Some("Long reads".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(renamed.name, "Guides");
    assert_eq!(f.category("how-to", Some(ann)).unwrap().name, "Guides");
    let entries = audit(f, created.id);
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0].action, "board.update");
    assert_eq!(entries[0].actor_id, Some(admin.user_id));
    assert!(
        entries[0].before.contains("name=How-to"),
        "{:?}",
        entries[0]
    );
    assert!(entries[0].after.contains("name=Guides"), "{:?}", entries[0]);
    assert!(!entries[0].after.contains("premoderation"), "only changes");
    assert_eq!(entries[1].action, "board.create");
    // Saving the same settings again writes nothing.
    f.update_board(Some(admin), "how-to", BoardChange::default())
        .unwrap();
    assert_eq!(audit(f, created.id).len(), 2);

    // Reorder: up one place, and the home list follows.
    let slugs = |v: Vec<Category>| v.into_iter().map(|c| c.slug).collect::<Vec<_>>();
    let before = slugs(f.categories(Some(admin)).unwrap());
    let n = before.len();
    f.move_board(Some(admin), "how-to", Direction::Up).unwrap();
    let after = slugs(f.categories(Some(admin)).unwrap());
    assert_eq!(after[n - 2], "how-to", "{after:?}");
    assert_eq!(after[n - 1], before[n - 2], "{after:?}");
    let moved = audit(f, created.id);
    assert_eq!(moved[0].action, "board.move");
    // At the top already: nothing moves, nothing is written.
    let top = after[0].clone();
    f.move_board(Some(admin), &top, Direction::Up).unwrap();
    assert_eq!(slugs(f.categories(Some(admin)).unwrap())[0], top);
    // Position by PATCH.
    f.update_board(
        Some(admin),
        "how-to",
        BoardChange {
            position: Some(-5),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(slugs(f.categories(Some(ann)).unwrap())[0], "how-to");
    assert!(matches!(
        f.move_board(Some(admin), "nowhere", Direction::Down),
        Err(ForumError::NotFound(_))
    ));
    // Every change was announced.
    let events = board_events(f, 4);
    assert!(events
        .iter()
        .any(|e| e.action == "create" && e.slug == "how-to"));
    assert!(events.iter().any(|e| e.action == "move"));
}

fn who_sees_a_board_follows_its_minimum_role(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin);
    let agent = member(f, "agnes", Role::Agent);
    let moderator = member(f, "moder", Role::Moderator);
    let ann = member(f, "ann", Role::Customer);
    let b = f
        .create_board(Some(admin), new_board("launch", "Launch"))
        .unwrap();
    let t = ask(f, ann, "launch", "Before the launch").unwrap();
    f.update_board(
        Some(admin),
        "launch",
        BoardChange {
            see_min_role: Some(Role::Moderator),
            ..Default::default()
        },
    )
    .unwrap();
    let visible = |who: Option<Actor>| {
        f.categories(who)
            .unwrap()
            .iter()
            .any(|c| c.slug == "launch")
    };
    assert!(!visible(None) && !visible(Some(ann)) && !visible(Some(agent)));
    assert!(visible(Some(moderator)) && visible(Some(admin)));
    for who in [None, Some(ann), Some(agent)] {
        assert!(matches!(
            f.category("launch", who),
            Err(ForumError::NotFound(_))
        ));
        assert!(matches!(
            f.thread(t, who, 1, 20, false),
            Err(ForumError::NotFound(_))
        ));
    }
    assert!(f.thread(t, Some(moderator), 1, 20, false).is_ok());
    // A customer cannot post there (it does not exist for them), nor reply.
    assert!(ask(f, ann, "launch", "Another one").is_err());
    assert!(f.reply(ann, t, "me too").is_err());
    // Search hears of it: the event lists the board's threads.
    let ev = board_events(f, 2);
    let change = ev.iter().find(|e| e.action == "update").unwrap();
    assert_eq!(change.threads, vec![t]);
    assert!(change.private);
    assert_eq!(change.see_min_role, "moderator");
    let docs = f.thread_documents(&[t]).unwrap();
    assert!(docs[0].private, "search documents follow");
    // The audit says before and after.
    let e = &audit(f, b.id)[0];
    assert_eq!(
        (e.before.as_str(), e.after.as_str()),
        ("see=customer", "see=moderator")
    );
    // The seeded staff room keeps meaning agents and up.
    let staff = f.board_for_staff(Some(admin), "staff").unwrap();
    assert_eq!(staff.see_min_role, Role::Agent);
    assert!(f.category("staff", Some(agent)).is_ok());
    assert!(f.category("staff", Some(ann)).is_err());
}

fn who_starts_threads_follows_the_board(db: &TestDb) {
    let rules = ReputationConfig {
        ranks: vec![
            RankRule {
                name: "Newcomer".into(),
                min_points: 0,
                min_accepted: 0,
                privileges: vec![],
            },
            RankRule {
                name: "Regular".into(),
                min_points: 10,
                min_accepted: 0,
                privileges: vec![],
            },
            RankRule {
                name: "Veteran".into(),
                min_points: 1000,
                min_accepted: 0,
                privileges: vec![],
            },
        ],
        ..Default::default()
    };
    let f = &db
        .forum
        .clone()
        .with_rules(rules, Default::default())
        .unwrap();
    let admin = member(f, "root", Role::Admin);
    let agent = member(f, "agnes", Role::Agent);
    let ann = member(f, "ann", Role::Customer);
    let bob = member(f, "bob", Role::Customer);
    f.create_board(
        Some(admin),
        NewBoard {
            start_threads: Some("staff".into()),
            ..new_board("news", "News")
        },
    )
    .unwrap();
    let err = ask(f, ann, "news", "Can I post?").unwrap_err();
    assert!(
        matches!(err, ForumError::Forbidden(m) if m.contains("staff")),
        "{err:?}"
    );
    let news = ask(f, agent, "news", "Version 2 is out").unwrap();
    f.reply(ann, news, "Congratulations").unwrap();

    // A rank: Regular and up. Unknown ranks are refused when set.
    assert!(matches!(
        f.update_board(
            Some(admin),
            "news",
            BoardChange {
                start_threads: Some("rank:Wizard".into()),
                ..Default::default()
            },
        ),
        Err(ForumError::Validation {
            field: "start_threads",
            ..
        })
    ));
    let b = f
        .update_board(
            Some(admin),
            "news",
            BoardChange {
                start_threads: Some("rank:Regular".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(b.start_threads, StartThreads::Rank("Regular".into()));
    assert!(matches!(
        ask(f, ann, "news", "Early"),
        Err(ForumError::Forbidden(_))
    ));
    // One kudo from bob is 10 points: Regular.
    let answer = f.reply(ann, news, "Tip: update first").unwrap();
    f.vote(bob, answer, true).unwrap();
    // On PostgreSQL the outbox reader sees an event only once every older
    // transaction has ended (other suites' included): keep processing
    // until the kudo has counted, or give up after a while.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        while f.process_reputation_events(500).unwrap() > 0 {}
        let ranks = f.reached_ranks(ann).unwrap();
        if ranks.contains(&"Regular".to_owned()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the kudo never counted: {ranks:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    ask(f, ann, "news", "Now I may").unwrap();
    assert!(matches!(
        ask(f, bob, "news", "Me too, please"),
        Err(ForumError::Forbidden(_))
    ));
    // Veteran and up: ann's Regular is not enough.
    f.update_board(
        Some(admin),
        "news",
        BoardChange {
            start_threads: Some("rank:Veteran".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(
        ask(f, ann, "news", "Again"),
        Err(ForumError::Forbidden(_))
    ));
    assert!(ask(f, admin, "news", "Staff always may").is_ok());
}

fn archived_boards_are_read_only_and_off_the_list(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin);
    let ann = member(f, "ann", Role::Customer);
    let bob = member(f, "bob", Role::Customer);
    let b = f
        .create_board(Some(admin), new_board("old", "Old"))
        .unwrap();
    let t = ask(f, ann, "old", "Old question").unwrap();
    let answer = f.reply(bob, t, "Old answer").unwrap();
    let archived = f.set_board_archived(Some(admin), "old", true).unwrap();
    assert!(archived.archived_at.is_some());
    assert!(!f
        .categories(Some(ann))
        .unwrap()
        .iter()
        .any(|c| c.slug == "old"));
    assert!(f
        .boards_for_staff(Some(admin))
        .unwrap()
        .iter()
        .any(|c| c.slug == "old"));
    // Still readable at its address.
    assert!(f.category("old", None).unwrap().archived_at.is_some());
    assert_eq!(f.thread(t, None, 1, 20, false).unwrap().thread.id, t);
    // No new threads, no replies, for anyone.
    let err = ask(f, ann, "old", "New question").unwrap_err();
    assert!(
        matches!(&err, ForumError::Validation { field: "category", rule: forum::Rule::BoardArchived, message } if message.contains("archived")),
        "{err:?}"
    );
    assert!(ask(f, admin, "old", "New question").is_err());
    let err = f.reply(bob, t, "late").unwrap_err();
    assert!(
        matches!(&err, ForumError::Forbidden(m) if m.contains("archived")),
        "{err:?}"
    );
    // Votes and accepting still work.
    f.vote(ann, answer, true).unwrap();
    f.accept(ann, answer).unwrap();
    // Archiving twice writes once; unarchive opens it again.
    f.set_board_archived(Some(admin), "old", true).unwrap();
    let unarchived = f.set_board_archived(Some(admin), "old", false).unwrap();
    assert!(unarchived.archived_at.is_none());
    f.reply(bob, t, "back again").unwrap();
    let actions: Vec<String> = audit(f, b.id).into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        ["board.unarchive", "board.archive", "board.create"]
    );
}

fn only_admins_change_boards(db: &TestDb) {
    let f = &db.forum;
    let moderator = member(f, "moder", Role::Moderator);
    let agent = member(f, "agnes", Role::Agent);
    let ann = member(f, "ann", Role::Customer);
    // Moderators look; they do not change.
    assert!(!f.boards_for_staff(Some(moderator)).unwrap().is_empty());
    assert!(f.board_for_staff(Some(moderator), "support").is_ok());
    for who in [agent, ann] {
        assert!(matches!(
            f.boards_for_staff(Some(who)),
            Err(ForumError::Forbidden(_))
        ));
    }
    for who in [moderator, agent, ann] {
        assert!(matches!(
            f.create_board(Some(who), new_board("mine", "Mine")),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            f.set_board_archived(Some(who), "support", true),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            f.move_board(Some(who), "support", Direction::Down),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            f.update_board(Some(who), "support", BoardChange::default()),
            Err(ForumError::Forbidden(_))
        ));
    }
    // The command line (no actor) may; it is audited without an actor.
    let b = f.create_board(None, new_board("cli", "CLI")).unwrap();
    let e = &audit(f, b.id)[0];
    assert_eq!((e.action.as_str(), e.actor_id), ("board.create", None));
    let refused = f
        .audit_log(
            None,
            &AuditFilter {
                target_kind: Some("board".into()),
                ..Default::default()
            },
            100,
        )
        .unwrap();
    assert_eq!(refused.len(), 1, "refusals write nothing");
}

/// The boards' thread counts are kept, not counted per page: creating,
/// deleting and holding a question, moving and importing keep them equal
/// to the threads not deleted, on every page that shows them.
fn board_thread_counts_are_kept_exactly(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin);
    let ann = member(f, "ann", Role::Customer);
    let counts = |f: &Forum| -> Vec<(String, i64)> {
        let mut listed: Vec<(String, i64)> = f
            .categories(Some(admin))
            .unwrap()
            .into_iter()
            .filter(|c| c.slug == "general" || c.slug == "support")
            .map(|c| (c.slug, c.thread_count))
            .collect();
        listed.sort();
        for (slug, n) in &listed {
            assert_eq!(f.category(slug, Some(admin)).unwrap().thread_count, *n);
        }
        listed
    };
    let both = |g: i64, s: i64| vec![("general".to_string(), g), ("support".to_string(), s)];
    let start = counts(f);
    let (g0, s0) = (start[0].1, start[1].1);
    let a = ask(f, ann, "general", "First question here").unwrap();
    let b = ask(f, ann, "general", "Second question here").unwrap();
    let c = ask(f, ann, "support", "Third question here").unwrap();
    assert_eq!(counts(f), both(g0 + 2, s0 + 1));
    // The thread page shows its board's count too.
    let page = f.thread(a, Some(ann), 1, 20, false).unwrap();
    assert_eq!(page.category.thread_count, g0 + 2);

    // Deleting a question removes its thread; deleting a reply does not.
    let reply = f.reply(admin, b, "An answer to remove.").unwrap();
    f.delete_post(admin, reply).unwrap();
    assert_eq!(counts(f), both(g0 + 2, s0 + 1));
    let question = f.thread(b, Some(admin), 1, 1, false).unwrap().question.id;
    f.delete_post(admin, question).unwrap();
    f.delete_post(admin, question).unwrap(); // twice: still one less
    assert_eq!(counts(f), both(g0 + 1, s0 + 1));

    // Moving one thread to the other board.
    f.move_thread(admin, c, "general").unwrap();
    assert_eq!(counts(f), both(g0 + 2, s0));
    f.move_thread(admin, c, "general").unwrap(); // already there
    assert_eq!(counts(f), both(g0 + 2, s0));

    // Importing two threads into support.
    let line = |title: &str| {
        serde_json::json!({
            "category": "support",
            "title": title,
            "body": "Imported question body.",
            "author": "importer",
            "created_at": 1_700_000_000_000i64,
            "replies": [],
        })
        .to_string()
    };
    let lines = [line("Imported question one"), line("Imported question two")];
    let summary = f
        .import_lines(lines.iter().map(|l| Ok(l.clone())), 10, |_| {})
        .unwrap();
    assert_eq!(summary.threads, 2, "{:?}", summary.skipped);
    assert_eq!(counts(f), both(g0 + 2, s0 + 2));
}
