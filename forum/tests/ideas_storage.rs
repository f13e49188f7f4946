//! The idea exchange on SQLite and PostgreSQL with the clock injected:
//! ideas boards with their default statuses, ideas with tags and a product
//! area, status changes with their history, votes (once per member,
//! withdrawn, a budget whose votes come back when an idea closes, no
//! self-votes unless the board allows them), sorts and filters.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::boards::{BoardKind, NewBoard};
use forum::ideas::*;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    ideas_boards_have_statuses_and_changes_are_kept,
    votes_count_once_and_respect_the_board_rules,
    ideas_sort_and_filter,
    a_status_change_tells_everyone_once_even_after_a_crash,
    merge_and_unmerge_restore_exact_vote_sets,
    votes_break_down_by_segment_and_company_and_score,
    trending_counts_exactly_the_last_fourteen_days_on_every_node,
    ideas_import_with_their_votes_and_export_back,
    statuses_are_edited_moved_and_removed_and_merges_mark_duplicates,
    idea_votes_and_deliveries_earn_reputation_and_a_rebuild_agrees,
);

const T0: i64 = 1_800_000_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;

fn clocked(db: &TestDb) -> (Forum, Arc<AtomicI64>) {
    forum::testkit::clocked(db, T0)
}

fn member(f: &Forum, name: &str, role: Role) -> User {
    forum::testkit::register(f, name, role)
}

fn ideas_board(f: &Forum, admin: &User, slug: &str) -> IdeaBoard {
    let c = f
        .create_board(
            Some(admin.actor()),
            NewBoard {
                slug: slug.into(),
                name: "Ideas".into(),
                kind: Some(BoardKind::Ideas),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(c.kind, BoardKind::Ideas);
    f.idea_board(slug, None).unwrap()
}

fn submit(f: &Forum, who: &User, board: &str, title: &str, tags: &[&str], area: &str) -> i64 {
    f.submit_idea(
        who.actor(),
        NewIdea {
            board: board.into(),
            title: title.into(),
            description: format!("{title}, described at length"),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            product_area: area.into(),
        },
        &Default::default(),
    )
    .unwrap()
    .thread_id
}

fn ideas_boards_have_statuses_and_changes_are_kept(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let board = ideas_board(&f, &admin, "ideas");
    let slugs: Vec<_> = board.statuses.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "new",
            "under-review",
            "planned",
            "in-progress",
            "delivered",
            "declined"
        ]
    );
    let kinds: Vec<_> = board.statuses.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StatusKind::Open,
            StatusKind::Open,
            StatusKind::Active,
            StatusKind::Active,
            StatusKind::Completed,
            StatusKind::Declined
        ]
    );
    assert_eq!(board.vote_budget, None, "no budget by default");
    assert!(!board.self_vote, "no self-votes by default");
    // A discussion board is no ideas board.
    f.create_board(
        Some(admin.actor()),
        NewBoard {
            slug: "help".into(),
            name: "Help".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(
        f.idea_board("help", None),
        Err(ForumError::NotFound(_))
    ));
    assert_eq!(f.idea_boards(None).unwrap().len(), 1);

    let id = submit(
        &f,
        &ann,
        "ideas",
        "Dark mode",
        &["ui", "Theme"],
        "Mobile app",
    );
    let idea = f.idea(id, None).unwrap();
    assert_eq!(idea.summary.status.slug, "new");
    assert_eq!(idea.summary.status.colour, "#6b7280");
    assert_eq!(idea.summary.product_area, "Mobile app");
    assert_eq!(idea.summary.tags, ["theme", "ui"]);
    assert_eq!(idea.summary.author.username, "ann");
    assert!(idea.history.is_empty());
    // The idea is a thread: its description is the first post, replies
    // are comments.
    let page = f.thread(id, None, 1, 20, false).unwrap();
    assert_eq!(page.thread.title, "Dark mode");
    f.reply(agent.actor(), id, "Thanks, we are looking into it")
        .unwrap();

    // Members do not change statuses; staff do, with a public note.
    assert!(matches!(
        f.change_idea_status(ann.actor(), id, "planned", "please"),
        Err(ForumError::Forbidden(_))
    ));
    clock.fetch_add(DAY, Ordering::SeqCst);
    let change = f
        .change_idea_status(agent.actor(), id, "planned", "On the roadmap for May")
        .unwrap();
    assert_eq!(change.from_name.as_deref(), Some("New"));
    assert_eq!(change.to_kind, StatusKind::Active);
    assert!(matches!(
        f.change_idea_status(agent.actor(), id, "planned", ""),
        Err(ForumError::Conflict(_))
    ));
    assert!(matches!(
        f.change_idea_status(agent.actor(), id, "shipped", ""),
        Err(ForumError::Validation {
            field: "status",
            ..
        })
    ));
    clock.fetch_add(DAY, Ordering::SeqCst);
    assert!(matches!(
        f.change_idea_status_with_link(
            admin.actor(),
            id,
            "delivered",
            "Out in 2.4",
            "javascript:alert(1)"
        ),
        Err(ForumError::Validation { field: "link", .. })
    ));
    f.change_idea_status_with_link(
        admin.actor(),
        id,
        "delivered",
        "Out in 2.4",
        "https://example.com/releases/2.4",
    )
    .unwrap();
    let history = f.idea_history(id, None).unwrap();
    let seen: Vec<_> = history
        .iter()
        .map(|h| {
            (
                h.actor.as_ref().unwrap().username.clone(),
                h.from_name.clone().unwrap(),
                h.to_name.clone(),
                h.note.clone(),
                h.at,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "agent".to_owned(),
                "New".to_owned(),
                "Planned".to_owned(),
                "On the roadmap for May".to_owned(),
                T0 + DAY
            ),
            (
                "root".to_owned(),
                "Planned".to_owned(),
                "Delivered".to_owned(),
                "Out in 2.4".to_owned(),
                T0 + 2 * DAY
            ),
        ]
    );
    assert_eq!(history[0].link, "");
    assert_eq!(history[1].link, "https://example.com/releases/2.4");
    let idea = f.idea(id, Some(ann.actor())).unwrap();
    assert_eq!(idea.summary.status.slug, "delivered");
    assert_eq!(idea.summary.status_changed_at, T0 + 2 * DAY);
    assert_eq!(idea.history, history);
    // Each change is on the outbox for the notifier.
    // On PostgreSQL an event is read once no older transaction anywhere
    // in the cluster is open: ask until both are there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (events, _) = f
            .read_events_after(
                "ideas-test",
                OutboxPosition {
                    tx_id: 0,
                    event_id: 0,
                },
                1000,
            )
            .unwrap();
        let changes = events
            .iter()
            .filter(|e| matches!(e.body, EventBody::IdeaStatusChanged(_)))
            .count();
        if changes == 2 {
            break;
        }
        assert!(changes < 2, "{changes} status events");
        assert!(std::time::Instant::now() < deadline, "events never visible");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }

    // Administrators add statuses (mapped to a kind) and set the rules.
    assert!(matches!(
        f.add_idea_status(
            Some(agent.actor()),
            "ideas",
            NewStatus {
                slug: "exists".into(),
                name: "Already exists".into(),
                kind: StatusKind::Declined,
                colour: "#999999".into(),
            }
        ),
        Err(ForumError::Forbidden(_))
    ));
    let b = f
        .add_idea_status(
            Some(admin.actor()),
            "ideas",
            NewStatus {
                slug: "exists".into(),
                name: "Already exists".into(),
                kind: StatusKind::Declined,
                colour: "#999999".into(),
            },
        )
        .unwrap();
    assert_eq!(b.statuses.last().unwrap().name, "Already exists");
    assert_eq!(b.statuses.len(), 7);
    let b = f
        .update_idea_board(
            Some(admin.actor()),
            "ideas",
            IdeaBoardChange {
                vote_budget: Some(Some(5)),
                self_vote: Some(true),
                segment_weights: None,
            },
        )
        .unwrap();
    assert_eq!((b.vote_budget, b.self_vote), (Some(5), true));
    assert!(f
        .update_idea_board(
            Some(admin.actor()),
            "ideas",
            IdeaBoardChange {
                vote_budget: Some(Some(0)),
                self_vote: None,
                segment_weights: None,
            },
        )
        .is_err());
}

fn votes_count_once_and_respect_the_board_rules(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    let cy = member(&f, "cyd", Role::Customer);
    ideas_board(&f, &admin, "ideas");
    let a = submit(&f, &ann, "ideas", "Export to CSV", &[], "");
    let b = submit(&f, &ann, "ideas", "Keyboard shortcuts", &[], "");
    let c = submit(&f, &ann, "ideas", "Offline mode", &[], "");

    // One vote per member per idea, withdrawable.
    assert_eq!(f.vote_idea(bob.actor(), a).unwrap().vote_count, 1);
    assert_eq!(f.vote_idea(bob.actor(), a).unwrap().vote_count, 1);
    clock.fetch_add(1000, Ordering::SeqCst);
    assert_eq!(f.vote_idea(cy.actor(), a).unwrap().vote_count, 2);
    let out = f.unvote_idea(bob.actor(), a).unwrap();
    assert_eq!((out.vote_count, out.voted), (1, false));
    assert_eq!(f.unvote_idea(bob.actor(), a).unwrap().vote_count, 1);
    assert_eq!(f.idea(a, None).unwrap().summary.vote_count, 1);
    assert!(f.idea(a, Some(cy.actor())).unwrap().summary.voted);
    assert!(!f.idea(a, Some(bob.actor())).unwrap().summary.voted);

    // No voting on one's own idea unless the board allows it.
    assert!(matches!(
        f.vote_idea(ann.actor(), a),
        Err(ForumError::Forbidden(_))
    ));
    assert!(!f.idea(a, Some(ann.actor())).unwrap().can_vote);
    f.update_idea_board(
        Some(admin.actor()),
        "ideas",
        IdeaBoardChange {
            vote_budget: None,
            self_vote: Some(true),
            segment_weights: None,
        },
    )
    .unwrap();
    clock.fetch_add(1000, Ordering::SeqCst);
    assert_eq!(f.vote_idea(ann.actor(), a).unwrap().vote_count, 2);

    // Voters are listed to staff only; the count is public.
    let voters: Vec<_> = f
        .idea_voters(Some(agent.actor()), a)
        .unwrap()
        .into_iter()
        .map(|v| v.user.username)
        .collect();
    assert_eq!(voters, ["ann", "cyd"]);
    assert!(matches!(
        f.idea_voters(Some(bob.actor()), a),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.idea_voters(None, a),
        Err(ForumError::Unauthenticated)
    ));

    // A budget of two active votes.
    f.update_idea_board(
        Some(admin.actor()),
        "ideas",
        IdeaBoardChange {
            vote_budget: Some(Some(2)),
            self_vote: None,
            segment_weights: None,
        },
    )
    .unwrap();
    f.vote_idea(bob.actor(), a).unwrap();
    let out = f.vote_idea(bob.actor(), b).unwrap();
    assert_eq!((out.votes_used, out.vote_budget), (2, Some(2)));
    match f.vote_idea(bob.actor(), c) {
        Err(ForumError::Conflict(m)) => assert!(m.contains("all 2"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(!f.idea(c, Some(bob.actor())).unwrap().can_vote);
    assert_eq!(f.idea(c, None).unwrap().summary.vote_count, 0);
    // A closed idea returns its votes: they no longer count against the
    // budget, and it takes no new ones.
    f.change_idea_status(agent.actor(), a, "delivered", "Shipped")
        .unwrap();
    assert_eq!(f.idea(c, Some(bob.actor())).unwrap().votes_used, 1);
    assert_eq!(f.vote_idea(bob.actor(), c).unwrap().votes_used, 2);
    // cy had voted on it already: the vote stands, nothing is added.
    assert!(f.vote_idea(cy.actor(), a).unwrap().voted);
    assert_eq!(f.idea(a, None).unwrap().summary.vote_count, 3);
    let dan = member(&f, "dan", Role::Customer);
    match f.vote_idea(dan.actor(), a) {
        Err(ForumError::Conflict(m)) => assert!(m.contains("closed"), "{m}"),
        other => panic!("{other:?}"),
    }
    // The votes on the closed idea are kept (the count stays public).
    assert_eq!(f.idea(a, None).unwrap().summary.vote_count, 3);

    // "Vote for this instead" while submitting: a vote and a deflected
    // duplicate; a refused one counts neither.
    assert_eq!(f.idea_deflections(0).unwrap(), 0);
    assert!(f.vote_instead(dan.actor(), b).unwrap().is_ok());
    assert!(f.idea(b, Some(dan.actor())).unwrap().summary.voted);
    assert_eq!(f.idea_deflections(0).unwrap(), 1);
    assert_eq!(
        f.vote_instead(dan.actor(), a).unwrap(),
        Err(VoteRefusal::Closed)
    );
    assert_eq!(f.idea_deflections(0).unwrap(), 1);
}

fn ideas_sort_and_filter(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let voters: Vec<User> = (0..4)
        .map(|i| member(&f, &format!("voter{i}"), Role::Customer))
        .collect();
    ideas_board(&f, &admin, "ideas");
    // old: 4 votes long ago; fresh: 2 votes this week; newest: none.
    let old = submit(&f, &ann, "ideas", "Old favourite", &["api"], "Platform");
    for v in &voters {
        f.vote_idea(v.actor(), old).unwrap();
    }
    clock.fetch_add(30 * DAY, Ordering::SeqCst);
    let fresh = submit(&f, &ann, "ideas", "Fresh hit", &["ui"], "Mobile");
    for v in &voters[..2] {
        f.vote_idea(v.actor(), fresh).unwrap();
    }
    clock.fetch_add(DAY, Ordering::SeqCst);
    let newest = submit(&f, &ann, "ideas", "Brand new", &["ui"], "Platform");
    clock.fetch_add(DAY, Ordering::SeqCst);
    f.change_idea_status(agent.actor(), old, "in-progress", "")
        .unwrap();

    let list = |sort: IdeaSort, q: IdeaQuery| -> Vec<i64> {
        f.ideas(
            Some(voters[2].actor()),
            &IdeaQuery {
                sort,
                page: 1,
                per_page: 20,
                ..q
            },
        )
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.thread_id)
        .collect()
    };
    let all = IdeaQuery::default;
    assert_eq!(list(IdeaSort::Trending, all()), [fresh, newest, old]);
    assert_eq!(list(IdeaSort::Top, all()), [old, fresh, newest]);
    assert_eq!(list(IdeaSort::Newest, all()), [newest, fresh, old]);
    assert_eq!(list(IdeaSort::Status, all()), [old, newest, fresh]);
    let page = f
        .ideas(
            None,
            &IdeaQuery {
                sort: IdeaSort::Trending,
                page: 1,
                per_page: 20,
                ..all()
            },
        )
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.items[0].recent_votes, 2);
    assert_eq!(page.items[2].status.slug, "in-progress");
    assert!(
        page.items.iter().all(|i| !i.voted),
        "a visitor voted nothing"
    );

    let kind = |k| IdeaQuery {
        status_kind: Some(k),
        ..all()
    };
    assert_eq!(list(IdeaSort::Top, kind(StatusKind::Active)), [old]);
    assert_eq!(list(IdeaSort::Top, kind(StatusKind::Open)), [fresh, newest]);
    assert!(list(IdeaSort::Top, kind(StatusKind::Completed)).is_empty());
    let tag = IdeaQuery {
        tag: Some(" UI ".into()),
        ..all()
    };
    assert_eq!(list(IdeaSort::Newest, tag), [newest, fresh]);
    let area = IdeaQuery {
        product_area: Some("Platform".into()),
        ..all()
    };
    assert_eq!(list(IdeaSort::Newest, area), [newest, old]);
    let mine = IdeaQuery {
        voted_by_me: true,
        ..all()
    };
    // voters[2] voted on old only.
    assert_eq!(list(IdeaSort::Top, mine.clone()), [old]);
    assert!(f.ideas(None, &mine).unwrap().items.is_empty());
    let one_board = IdeaQuery {
        board: Some("ideas".into()),
        per_page: 2,
        page: 2,
        sort: IdeaSort::Top,
        ..all()
    };
    let p2 = f.ideas(None, &one_board).unwrap();
    assert_eq!(
        (p2.total, p2.items.len(), p2.items[0].thread_id),
        (3, 1, newest)
    );
    assert!(matches!(
        f.ideas(
            None,
            &IdeaQuery {
                board: Some("nope".into()),
                ..all()
            }
        ),
        Err(ForumError::NotFound(_))
    ));
}

fn idea_notices(f: &Forum, user: &User) -> Vec<forum::reputation::Notification> {
    f.notifications(user.id, 100)
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == "idea_status")
        .collect()
}

fn a_status_change_tells_everyone_once_even_after_a_crash(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let voter_a = member(&f, "voter_a", Role::Customer);
    let voter_b = member(&f, "voter_b", Role::Customer);
    let commenter = member(&f, "commenter", Role::Customer);
    let watcher = member(&f, "watcher", Role::Customer);
    let bystander = member(&f, "bystander", Role::Customer);
    ideas_board(&f, &admin, "ideas");
    f.update_idea_board(
        Some(admin.actor()),
        "ideas",
        IdeaBoardChange {
            vote_budget: Some(Some(10)),
            self_vote: None,
            segment_weights: None,
        },
    )
    .unwrap();
    let id = submit(&f, &ann, "ideas", "Bulk export", &[], "");
    f.vote_idea(voter_a.actor(), id).unwrap();
    f.vote_idea(voter_b.actor(), id).unwrap();
    // A voter who also comments and watches is still told once.
    f.reply(voter_a.actor(), id, "Yes please").unwrap();
    f.reply(commenter.actor(), id, "And JSON too").unwrap();
    f.subscribe(watcher.actor(), "thread", id, true).unwrap();
    f.subscribe(voter_b.actor(), "thread", id, true).unwrap();
    // What posting told people is not what this test counts.
    drain(&f);

    clock.fetch_add(60_000, Ordering::SeqCst);
    f.change_idea_status(agent.actor(), id, "planned", "Coming in Q3")
        .unwrap();
    // The process dies here: the change and its event are committed, the
    // notifier has not run. Nothing is told inline.
    assert!(idea_notices(&f, &voter_a).is_empty());
    drop(f);
    // After the restart the notifier catches up.
    let (f, clock) = clocked(db);
    clock.store(T0 + 120_000, Ordering::SeqCst);
    drain(&f);
    let told = [&ann, &voter_a, &voter_b, &commenter, &watcher];
    for who in told {
        let n = idea_notices(&f, who);
        assert_eq!(n.len(), 1, "{}: {n:?}", who.username);
        assert_eq!(n[0].link, format!("/ideas/{id}#timeline"));
        assert_eq!(n[0].params["to"], "Planned");
        assert_eq!(n[0].params["from"], "New");
        assert_eq!(n[0].params["excerpt"], "Coming in Q3");
        assert_eq!(n[0].params["returned"], false);
    }
    assert!(
        idea_notices(&f, &agent).is_empty(),
        "not the one who changed it"
    );
    assert!(idea_notices(&f, &bystander).is_empty());

    // A replayed batch (the cursor rolled back, as when a node dies after
    // delivering and before its cursor commit) tells nobody twice.
    db.execute_sql(
        "UPDATE outbox_cursors SET last_tx_id = 0, last_event_id = 0 WHERE consumer = 'notify'",
    );
    drain(&f);
    for who in told {
        assert_eq!(idea_notices(&f, who).len(), 1, "{}", who.username);
    }

    // A second change is a second notice; closing an idea on a board with
    // a budget tells its voters their vote is returned.
    f.change_idea_status(agent.actor(), id, "delivered", "Shipped")
        .unwrap();
    drain(&f);
    for who in told {
        assert_eq!(idea_notices(&f, who).len(), 2, "{}", who.username);
    }
    let latest = |who: &User| {
        idea_notices(&f, who)
            .into_iter()
            .find(|n| n.params["to"] == "Delivered")
            .unwrap()
    };
    assert_eq!(latest(&voter_a).params["returned"], true);
    assert!(latest(&voter_a).title.contains("returned"));
    assert_eq!(
        latest(&ann).params["returned"],
        false,
        "the author did not vote"
    );
    // Instant mail is the default preference: each notice queued one mail.
    let mails = f.claim_mails(60_000, 1000).unwrap();
    let to_voter_a = mails
        .iter()
        .filter(|m| m.user_id == voter_a.id && m.kind == "idea_status")
        .count();
    assert_eq!(to_voter_a, 2);
}

/// Run the notify consumer until nothing is pending. On PostgreSQL an empty
/// poll can mean "held back by a transaction open elsewhere in the cluster".
fn drain(f: &Forum) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = f.process_notify_events(2).unwrap();
        if n == 0 && f.pending_events(forum::notify::OUTBOX_CONSUMER).unwrap() == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "notify worker stalled"
        );
        if n == 0 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

fn merge_and_unmerge_restore_exact_vote_sets(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let voters: Vec<User> = (0..4)
        .map(|i| member(&f, &format!("voter{i}"), Role::Customer))
        .collect();
    ideas_board(&f, &admin, "ideas");
    let a = submit(&f, &ann, "ideas", "Dark mode", &[], "");
    let b = submit(&f, &ann, "ideas", "Night theme", &[], "");
    // voter0 and voter1 on A; voter1, voter2 and voter3 on B (voter1 on both).
    for (v, idea) in [(0, a), (1, a), (1, b), (2, b), (3, b)] {
        clock.fetch_add(1000, Ordering::SeqCst);
        f.vote_idea(voters[v].actor(), idea).unwrap();
    }
    let a_before = f.idea_vote_set(a).unwrap();
    let b_before = f.idea_vote_set(b).unwrap();
    assert_eq!((a_before.len(), b_before.len()), (2, 3));

    assert!(matches!(
        f.merge_idea(ann.actor(), b, a),
        Err(ForumError::Forbidden(_))
    ));
    assert!(f.merge_idea(agent.actor(), b, b).is_err());
    f.merge_idea(agent.actor(), b, a).unwrap();
    // A has everyone once (voter1 counts once); B has none and is listed no more.
    let a_merged: Vec<i64> = f.idea_vote_set(a).unwrap().iter().map(|v| v.0).collect();
    let mut everyone: Vec<i64> = voters.iter().map(|v| v.id).collect();
    everyone.sort();
    assert_eq!(a_merged, everyone);
    assert_eq!(f.idea(a, None).unwrap().summary.vote_count, 4);
    assert!(f.idea_vote_set(b).unwrap().is_empty());
    let idea_b = f.idea(b, Some(voters[2].actor())).unwrap();
    assert_eq!(idea_b.merged_into, Some(a));
    assert!(!idea_b.can_vote);
    assert_eq!(
        f.idea(a, None).unwrap().merged_here,
        [(b, "Night theme".to_owned())]
    );
    let listed: Vec<i64> = f
        .ideas(
            None,
            &IdeaQuery {
                page: 1,
                per_page: 20,
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .iter()
        .map(|i| i.thread_id)
        .collect();
    assert_eq!(listed, [a]);
    assert!(matches!(
        f.vote_idea(voters[0].actor(), b),
        Err(ForumError::Conflict(_))
    ));
    assert!(f.merge_idea(agent.actor(), b, a).is_err(), "merged already");
    // B's comments stay readable.
    assert_eq!(
        f.thread(b, None, 1, 20, false).unwrap().thread.title,
        "Night theme"
    );

    // Unmerge: B's own votes come back exactly (same members, same times),
    // A goes back to its own.
    assert_eq!(f.unmerge_idea(agent.actor(), b).unwrap(), a);
    assert_eq!(f.idea_vote_set(b).unwrap(), b_before);
    assert_eq!(f.idea_vote_set(a).unwrap(), a_before);
    assert_eq!(f.idea(a, None).unwrap().summary.vote_count, 2);
    assert_eq!(f.idea(b, None).unwrap().summary.vote_count, 3);
    assert_eq!(f.idea(b, None).unwrap().merged_into, None);
    assert!(f.idea(a, None).unwrap().merged_here.is_empty());
    assert!(matches!(
        f.unmerge_idea(agent.actor(), b),
        Err(ForumError::NotFound(_))
    ));
    // Merged again and unmerged again: still exact. Merges are logged.
    f.merge_idea(agent.actor(), b, a).unwrap();
    f.unmerge_idea(agent.actor(), b).unwrap();
    assert_eq!(f.idea_vote_set(b).unwrap(), b_before);
    assert_eq!(f.idea_vote_set(a).unwrap(), a_before);
    let log = f
        .audit_log(
            None,
            &forum::members::AuditFilter {
                target_kind: Some("thread".into()),
                target_id: Some(b),
                ..Default::default()
            },
            100,
        )
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "idea.merge").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "idea.unmerge").count(), 2);
}

fn votes_break_down_by_segment_and_company_and_score(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    ideas_board(&f, &admin, "ideas");
    // Four voters: two enterprise customers of one company, one SMB, one
    // member the CRM has no record of.
    let people: Vec<User> = ["ent_one", "ent_two", "smb_one", "nobody"]
        .iter()
        .map(|n| member(&f, n, Role::Customer))
        .collect();
    for (u, (company, segment, stage)) in people.iter().zip([
        ("Acme", "enterprise", "customer"),
        ("Acme", "enterprise", "customer"),
        ("Bolt", "smb", "trial"),
    ]) {
        db.execute_sql(&format!(
            "INSERT INTO crm_contacts (user_id, company, segment, lifecycle, tags, notes, updated_at) \
             VALUES ({}, '{company}', '{segment}', '{stage}', '', '', 0)",
            u.id
        ));
    }
    let big = submit(&f, &ann, "ideas", "SSO for everyone", &[], "");
    let many = submit(&f, &ann, "ideas", "More emoji", &[], "");
    for u in &people[..2] {
        f.vote_idea(u.actor(), big).unwrap();
    }
    for u in &people[2..] {
        clock.fetch_add(1000, Ordering::SeqCst);
        f.vote_idea(u.actor(), many).unwrap();
    }
    let extra = member(&f, "extra", Role::Customer);
    f.vote_idea(extra.actor(), many).unwrap();
    let b = f.idea_breakdown(Some(agent.actor()), big).unwrap();
    assert_eq!(b.segments, [("enterprise".to_owned(), 2)]);
    assert_eq!(b.lifecycle, [("customer".to_owned(), 2)]);
    assert_eq!(b.companies, [("Acme".to_owned(), 2)], "each company once");
    assert_eq!(b.score, 2, "no weights: one per voter");
    let m = f.idea_breakdown(Some(agent.actor()), many).unwrap();
    assert_eq!(
        m.segments,
        [("".to_owned(), 2), ("smb".to_owned(), 1)],
        "members without a CRM record count under none"
    );
    assert_eq!(m.companies, [("Bolt".to_owned(), 1)]);
    assert!(matches!(
        f.idea_breakdown(Some(ann.actor()), big),
        Err(ForumError::Forbidden(_))
    ));

    // Enterprise ×3: the two-voter idea outscores the three-voter one.
    f.update_idea_board(
        Some(admin.actor()),
        "ideas",
        IdeaBoardChange {
            vote_budget: None,
            self_vote: None,
            segment_weights: Some([("enterprise".to_owned(), 3)].into_iter().collect()),
        },
    )
    .unwrap();
    assert_eq!(f.idea_breakdown(Some(agent.actor()), big).unwrap().score, 6);
    assert_eq!(
        f.idea_breakdown(Some(agent.actor()), many).unwrap().score,
        3
    );
    let order = |sort| -> Vec<i64> {
        f.ideas(
            Some(agent.actor()),
            &IdeaQuery {
                sort,
                page: 1,
                per_page: 20,
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .iter()
        .map(|i| i.thread_id)
        .collect()
    };
    assert_eq!(order(IdeaSort::Top), [many, big]);
    assert_eq!(order(IdeaSort::Score), [big, many]);
    assert!(matches!(
        f.ideas(
            Some(ann.actor()),
            &IdeaQuery {
                sort: IdeaSort::Score,
                ..Default::default()
            }
        ),
        Err(ForumError::Forbidden(_))
    ));
    assert!(f
        .update_idea_board(
            Some(admin.actor()),
            "ideas",
            IdeaBoardChange {
                vote_budget: None,
                self_vote: None,
                segment_weights: Some([("vip".to_owned(), 1000)].into_iter().collect()),
            },
        )
        .is_err());
}

/// Every idea's trending count, as listed, against the votes counted by
/// hand: cast on or after midnight (UTC) 13 days before `now`.
fn assert_trending_exact(f: &Forum, ideas: &[i64], now: i64) {
    let from = forum::ideas::trending_from(now);
    for id in ideas {
        let by_hand = f
            .idea_vote_set(*id)
            .unwrap()
            .iter()
            .filter(|(_, at)| *at >= from)
            .count() as i64;
        let listed = f.idea(*id, None).unwrap().summary.recent_votes;
        assert_eq!(listed, by_hand, "idea #{id} at {now}");
    }
}

fn trending_counts_exactly_the_last_fourteen_days_on_every_node(db: &TestDb) {
    let (f, clock) = clocked(db);
    let c = clock.clone();
    // Another node on the same database whose clock runs a day behind.
    let late_node = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst) - DAY),
    );
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let voters: Vec<User> = (0..6)
        .map(|i| member(&f, &format!("voter{i}"), Role::Customer))
        .collect();
    ideas_board(&f, &admin, "ideas");
    let a = submit(&f, &ann, "ideas", "Alpha idea", &[], "");
    let b = submit(&f, &ann, "ideas", "Beta idea", &[], "");
    let ideas = [a, b];
    // Day 0: three votes on a; day 5: two on b and one more on a.
    for v in &voters[..3] {
        f.vote_idea(v.actor(), a).unwrap();
    }
    clock.fetch_add(5 * DAY, Ordering::SeqCst);
    for v in &voters[3..5] {
        f.vote_idea(v.actor(), b).unwrap();
    }
    f.vote_idea(voters[5].actor(), a).unwrap();
    assert_trending_exact(&f, &ideas, clock.load(Ordering::SeqCst));
    let trending = |node: &Forum| -> Vec<(i64, i64)> {
        node.ideas(
            None,
            &IdeaQuery {
                sort: IdeaSort::Trending,
                page: 1,
                per_page: 20,
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .iter()
        .map(|i| (i.thread_id, i.recent_votes))
        .collect()
    };
    assert_eq!(trending(&f), [(a, 4), (b, 2)]);
    // Day 13 is still inside the window of day 0's votes; day 14 is not.
    clock.store(T0 + 13 * DAY, Ordering::SeqCst);
    assert_eq!(trending(&f), [(a, 4), (b, 2)]);
    let day_14 = forum::analytics::day_of(T0) + 14 * DAY;
    clock.store(day_14 + 1, Ordering::SeqCst);
    // Both nodes read at once: the day's votes leave exactly once, and
    // the node a day behind moves nothing back.
    std::thread::scope(|s| {
        s.spawn(|| late_node.roll_idea_trending().unwrap());
        s.spawn(|| f.roll_idea_trending().unwrap());
    });
    assert!(!f.roll_idea_trending().unwrap(), "rolled once a day");
    assert!(!late_node.roll_idea_trending().unwrap());
    assert_eq!(trending(&f), [(b, 2), (a, 1)]);
    assert_eq!(trending(&late_node), [(b, 2), (a, 1)]);
    assert_trending_exact(&f, &ideas, clock.load(Ordering::SeqCst));
    // Withdrawing a vote that left the window leaves the count alone; a
    // recent one takes it down.
    f.unvote_idea(voters[0].actor(), a).unwrap();
    f.unvote_idea(voters[5].actor(), a).unwrap();
    assert_trending_exact(&f, &ideas, clock.load(Ordering::SeqCst));
    assert_eq!(trending(&f), [(b, 2), (a, 0)]);
    // A merge moves votes with their own times; an unmerge gives them back.
    f.vote_idea(voters[0].actor(), a).unwrap();
    f.merge_idea(agent.actor(), b, a).unwrap();
    assert_eq!(trending(&f), [(a, 3)]);
    assert_trending_exact(&f, &ideas, clock.load(Ordering::SeqCst));
    f.unmerge_idea(agent.actor(), b).unwrap();
    assert_eq!(trending(&f), [(b, 2), (a, 1)]);
    // Weeks later nothing is recent; the window jumps in one roll.
    clock.fetch_add(40 * DAY, Ordering::SeqCst);
    assert_eq!(trending(&f), [(b, 0), (a, 0)]);
    assert_trending_exact(&f, &ideas, clock.load(Ordering::SeqCst));
}

fn ideas_import_with_their_votes_and_export_back(db: &TestDb) {
    let (f, clock) = clocked(db);
    clock.store(T0 + 30 * DAY, Ordering::SeqCst);
    let agent = member(&f, "agent", Role::Agent);
    let lines = [
        // A board first named by an idea is an ideas board.
        format!(
            r#"{{"category":"roadmap","title":"Dark mode please","body":"For the night shift","author":"ann","tags":["ui"],"created_at":{t0},"idea":{{"status":"planned","product_area":"Mobile","votes":[{{"member":"bob","at":{old}}},{{"member":"cyd","at":{new}}},{{"member":"bob","at":{new}}}]}}}}"#,
            t0 = T0,
            old = T0 + DAY,
            new = T0 + 29 * DAY
        ),
        // No idea fields: the board's first status, no votes.
        r#"{"category":"roadmap","title":"Export to CSV","body":"Spreadsheets","author":"cyd"}"#
            .to_string(),
        r#"{"type":"category","slug":"ideas-two","name":"More ideas","kind":"ideas"}"#.to_string(),
    ];
    let summary = f
        .import_lines(lines.iter().map(|l| Ok(l.clone())), 10, |_| {})
        .unwrap();
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert_eq!((summary.threads, summary.idea_votes), (2, 2));
    let board = f.idea_board("roadmap", None).unwrap();
    assert_eq!(board.statuses.len(), 6, "default statuses come with it");
    assert_eq!(f.idea_board("ideas-two", None).unwrap().statuses.len(), 6);
    let listed = f
        .ideas(
            None,
            &IdeaQuery {
                board: Some("roadmap".into()),
                sort: IdeaSort::Top,
                page: 1,
                per_page: 20,
                ..Default::default()
            },
        )
        .unwrap();
    let dark = &listed.items[0];
    assert_eq!(dark.title, "Dark mode please");
    assert_eq!(
        (dark.status.slug.as_str(), dark.product_area.as_str()),
        ("planned", "Mobile")
    );
    // bob once, at his first vote; only cy's is within 14 days.
    assert_eq!((dark.vote_count, dark.recent_votes), (2, 1));
    assert_eq!(dark.tags, ["ui"]);
    let ann = f.find_user("bob").unwrap().unwrap();
    let times: Vec<i64> = f
        .idea_vote_set(dark.thread_id)
        .unwrap()
        .into_iter()
        .map(|(_, at)| at)
        .collect();
    assert_eq!(times, [T0 + DAY, T0 + 29 * DAY]);
    assert!(f
        .idea_vote_set(dark.thread_id)
        .unwrap()
        .contains(&(ann.id, T0 + DAY)));
    assert_eq!(listed.items[1].status.slug, "new");
    // Imported ideas behave as any other: votes, statuses.
    f.change_idea_status(agent.actor(), dark.thread_id, "in-progress", "Started")
        .unwrap();
    // An unknown status, or an idea for a discussion board, is refused.
    let bad = [
        r#"{"category":"roadmap","title":"Something else","body":"b","author":"ann","idea":{"status":"shipped"}}"#,
    ];
    let e = f
        .import_lines(bad.iter().map(|l| Ok(l.to_string())), 10, |_| {})
        .unwrap_err();
    assert!(e.to_string().contains("shipped"), "{e}");
    f.import_lines(
        [r#"{"category":"help","title":"A plain question","body":"b","author":"ann"}"#]
            .iter()
            .map(|l| Ok(l.to_string())),
        10,
        |_| {},
    )
    .unwrap();
    let bad =
        [r#"{"category":"help","title":"Something else","body":"b","author":"ann","idea":{}}"#];
    let e = f
        .import_lines(bad.iter().map(|l| Ok(l.to_string())), 10, |_| {})
        .unwrap_err();
    assert!(e.to_string().contains("not an ideas board"), "{e}");

    // Exported, the ideas carry kind, status, area and votes with times.
    let mut exported = Vec::new();
    f.export(|r| {
        exported.push(r.clone());
        Ok(())
    })
    .unwrap();
    let category = exported
        .iter()
        .find_map(|r| match r {
            forum::import::Record::Category(c) if c.slug == "roadmap" => Some(c.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(category.kind, BoardKind::Ideas);
    let idea = exported
        .iter()
        .find_map(|r| match r {
            forum::import::Record::Thread(t) if t.title == "Dark mode please" => t.idea.clone(),
            _ => None,
        })
        .unwrap();
    assert_eq!(idea.status.as_deref(), Some("in-progress"));
    assert_eq!(idea.product_area, "Mobile");
    let votes: Vec<(String, Option<i64>)> =
        idea.votes.into_iter().map(|v| (v.member, v.at)).collect();
    assert_eq!(
        votes,
        [
            ("bob".to_string(), Some(T0 + DAY)),
            ("cyd".to_string(), Some(T0 + 29 * DAY))
        ]
    );
    assert!(exported.iter().all(|r| match r {
        forum::import::Record::Thread(t) => (t.category == "help") == t.idea.is_none(),
        _ => true,
    }));
}

fn statuses_are_edited_moved_and_removed_and_merges_mark_duplicates(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    ideas_board(&f, &admin, "ideas");
    let a = submit(&f, &ann, "ideas", "Offline mode", &[], "Mobile");
    let b = submit(&f, &bob, "ideas", "Work without network", &[], "");
    f.change_idea_status(agent.actor(), b, "under-review", "Looking")
        .unwrap();
    let slugs = |board: &IdeaBoard| -> Vec<String> {
        board.statuses.iter().map(|s| s.slug.clone()).collect()
    };
    // Rename, recolour, re-kind and move: only admins.
    let edit = StatusEdit {
        name: Some("Being considered".into()),
        colour: Some("#123456".into()),
        kind: Some(StatusKind::Active),
        position: Some(0),
    };
    assert!(matches!(
        f.edit_idea_status(Some(agent.actor()), "ideas", "under-review", edit.clone()),
        Err(ForumError::Forbidden(_))
    ));
    let board = f
        .edit_idea_status(Some(admin.actor()), "ideas", "under-review", edit)
        .unwrap();
    assert_eq!(
        slugs(&board),
        [
            "under-review",
            "new",
            "planned",
            "in-progress",
            "delivered",
            "declined"
        ]
    );
    let s = &board.statuses[0];
    assert_eq!(
        (s.name.as_str(), s.colour.as_str(), s.kind, s.position),
        ("Being considered", "#123456", StatusKind::Active, 0)
    );
    assert!(matches!(
        f.edit_idea_status(
            Some(admin.actor()),
            "ideas",
            "planned",
            StatusEdit {
                colour: Some("red; x".into()),
                ..Default::default()
            }
        ),
        Err(ForumError::Validation { .. })
    ));
    // The idea shows the new name; its history keeps the old one.
    let idea = f.idea(b, None).unwrap();
    assert_eq!(idea.summary.status.name, "Being considered");
    assert_eq!(idea.history.last().unwrap().to_name, "Under review");
    let moved = f
        .edit_idea_status(
            Some(admin.actor()),
            "ideas",
            "under-review",
            StatusEdit {
                position: Some(99),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(slugs(&moved).last().unwrap(), "under-review");
    assert_eq!(
        moved
            .statuses
            .iter()
            .map(|s| s.position)
            .collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5]
    );
    // Removing a status moves its ideas; never to itself or elsewhere.
    assert!(matches!(
        f.remove_idea_status(Some(admin.actor()), "ideas", "under-review", "under-review"),
        Err(ForumError::Validation { .. })
    ));
    assert!(matches!(
        f.remove_idea_status(Some(admin.actor()), "ideas", "under-review", "nowhere"),
        Err(ForumError::Validation { .. })
    ));
    let board = f
        .remove_idea_status(Some(admin.actor()), "ideas", "under-review", "planned")
        .unwrap();
    assert_eq!(board.statuses.len(), 5);
    assert_eq!(f.idea(b, None).unwrap().summary.status.slug, "planned");
    assert_eq!(f.idea(a, None).unwrap().summary.status.slug, "new");
    // The product area: the author or staff, nobody else.
    assert!(matches!(
        f.set_idea_product_area(bob.actor(), a, "Web"),
        Err(ForumError::Forbidden(_))
    ));
    f.set_idea_product_area(ann.actor(), a, " Web ").unwrap();
    assert_eq!(f.idea(a, None).unwrap().summary.product_area, "Web");
    f.set_idea_product_area(agent.actor(), a, "Sync").unwrap();
    assert_eq!(f.idea(a, None).unwrap().summary.product_area, "Sync");

    // With a duplicate status, a merged idea takes it; unmerged, it gets
    // its own status back; both in its history.
    f.add_idea_status(
        Some(admin.actor()),
        "ideas",
        NewStatus {
            slug: "duplicate".into(),
            name: "Duplicate".into(),
            kind: StatusKind::Duplicate,
            colour: "#888888".into(),
        },
    )
    .unwrap();
    clock.fetch_add(1000, Ordering::SeqCst);
    f.merge_idea(agent.actor(), b, a).unwrap();
    let merged = f.idea(b, Some(agent.actor())).unwrap();
    assert_eq!(merged.summary.status.kind, StatusKind::Duplicate);
    let last = merged.history.last().unwrap();
    assert_eq!(
        (last.from_name.as_deref(), last.to_name.as_str()),
        (Some("Planned"), "Duplicate")
    );
    f.unmerge_idea(agent.actor(), b).unwrap();
    let back = f.idea(b, Some(agent.actor())).unwrap();
    assert_eq!(back.summary.status.slug, "planned");
    assert_eq!(back.history.last().unwrap().to_name, "Planned");
    assert_eq!(back.history.len(), merged.history.len() + 1);
}

fn drain_reputation(f: &Forum) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = f.process_reputation_events(3).unwrap();
        if n == 0
            && f.pending_events(forum::reputation::OUTBOX_CONSUMER)
                .unwrap()
                == 0
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "reputation worker stalled"
        );
        if n == 0 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

fn badge_keys(f: &Forum, who: &User) -> Vec<String> {
    f.standing(who.id)
        .unwrap()
        .badges
        .into_iter()
        .map(|b| b.key)
        .collect()
}

fn idea_votes_and_deliveries_earn_reputation_and_a_rebuild_agrees(db: &TestDb) {
    let (f, clock) = clocked(db);
    let rules = f.reputation_rules().clone();
    let (per_vote, delivered) = (rules.idea_vote as i64, rules.idea_delivered as i64);
    assert!(per_vote > 0 && delivered > 0, "on by default");
    let admin = member(&f, "root", Role::Admin);
    let agent = member(&f, "agent", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    let voters: Vec<User> = (0..12)
        .map(|i| member(&f, &format!("voter{i}"), Role::Customer))
        .collect();
    ideas_board(&f, &admin, "ideas");
    let a = submit(&f, &ann, "ideas", "Dark mode", &[], "");
    let b = submit(&f, &bob, "ideas", "Night theme", &[], "");
    // Ten votes on Ann's idea, her own refused.
    for v in &voters[..10] {
        clock.fetch_add(1000, Ordering::SeqCst);
        f.vote_idea(v.actor(), a).unwrap();
    }
    assert!(f.vote_idea(ann.actor(), a).is_err(), "no self-vote here");
    // Bob's idea: voter9 (also on A), voter10, voter11.
    for v in &voters[9..] {
        clock.fetch_add(1000, Ordering::SeqCst);
        f.vote_idea(v.actor(), b).unwrap();
    }
    drain_reputation(&f);
    let points = |u: &User| f.standing(u.id).unwrap().stats.points;
    assert_eq!(points(&ann), 10 * per_vote);
    assert_eq!(points(&bob), 3 * per_vote);
    assert_eq!(points(&voters[0]), 0, "voting earns the voter nothing");
    let standing = f.standing(ann.id).unwrap();
    assert_eq!(standing.stats.idea_top_votes, 10);
    assert!(badge_keys(&f, &ann).contains(&"idea-ten-votes".to_owned()));
    assert!(!badge_keys(&f, &bob).contains(&"idea-ten-votes".to_owned()));

    // A withdrawn vote takes its points back; under ten, the badge goes.
    f.unvote_idea(voters[0].actor(), a).unwrap();
    drain_reputation(&f);
    assert_eq!(points(&ann), 9 * per_vote);
    assert!(!badge_keys(&f, &ann).contains(&"idea-ten-votes".to_owned()));
    clock.fetch_add(1000, Ordering::SeqCst);
    f.vote_idea(voters[0].actor(), a).unwrap();

    // Delivered: the author earns the delivery points and the badge.
    f.change_idea_status(agent.actor(), a, "delivered", "Shipped in 4.2")
        .unwrap();
    drain_reputation(&f);
    assert_eq!(points(&ann), 10 * per_vote + delivered);
    let keys = badge_keys(&f, &ann);
    assert!(keys.contains(&"idea-delivered".to_owned()), "{keys:?}");
    assert!(keys.contains(&"idea-ten-votes".to_owned()), "{keys:?}");
    assert_eq!(f.standing(ann.id).unwrap().stats.ideas_delivered, 1);
    let shipped: Vec<_> = idea_notices_of_kind(&f, &ann, "badge");
    assert!(
        shipped
            .iter()
            .any(|n| n.params["badge"] == "idea-delivered"),
        "{shipped:?}"
    );
    // Taken back to planned: the delivery points go.
    f.change_idea_status(agent.actor(), a, "planned", "Reverted")
        .unwrap();
    drain_reputation(&f);
    assert_eq!(points(&ann), 10 * per_vote);
    f.change_idea_status(agent.actor(), a, "delivered", "Shipped again")
        .unwrap();

    // Bob's idea merged into Ann's: its votes move with their points (voter9
    // counts once), and an unmerge gives them back exactly.
    f.merge_idea(agent.actor(), b, a).unwrap();
    drain_reputation(&f);
    assert_eq!(points(&bob), 0);
    assert_eq!(points(&ann), 12 * per_vote + delivered);
    let merged = f.reputation_snapshot().unwrap();
    f.unmerge_idea(agent.actor(), b).unwrap();
    drain_reputation(&f);
    assert_eq!(points(&bob), 3 * per_vote);
    assert_eq!(points(&ann), 10 * per_vote + delivered);
    f.merge_idea(agent.actor(), b, a).unwrap();
    drain_reputation(&f);
    assert_eq!(f.reputation_snapshot().unwrap().awards, merged.awards);

    // Deleting the idea takes everything it earned.
    let first_post = f.thread(a, None, 1, 1, false).unwrap().question.id;
    f.delete_post(admin.actor(), first_post).unwrap();
    drain_reputation(&f);
    assert_eq!(points(&ann), 0);
    assert!(badge_keys(&f, &ann).iter().all(|k| !k.starts_with("idea")));

    // A fresh idea with votes, then: a rebuild reproduces what the worker did.
    let c = submit(&f, &bob, "ideas", "Offline sync", &[], "");
    for v in &voters {
        clock.fetch_add(1000, Ordering::SeqCst);
        f.vote_idea(v.actor(), c).unwrap();
    }
    f.change_idea_status(agent.actor(), c, "delivered", "Done")
        .unwrap();
    drain_reputation(&f);
    assert_eq!(points(&bob), 12 * per_vote + delivered);
    let before = f.reputation_snapshot().unwrap();
    assert!(!before.awards.is_empty());
    let summary = f.rebuild_reputation().unwrap();
    assert_eq!(
        (summary.badges_added, summary.badges_removed),
        (0, 0),
        "{summary:?}"
    );
    assert_eq!(f.reputation_snapshot().unwrap(), before);
}

fn idea_notices_of_kind(
    f: &Forum,
    user: &User,
    kind: &str,
) -> Vec<forum::reputation::Notification> {
    f.notifications(user.id, 200)
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == kind)
        .collect()
}
