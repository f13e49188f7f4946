//! The idea exchange and the CRM (issue 17) on SQLite and PostgreSQL: a
//! status change writes one entry on each voter's contact timeline, once,
//! however often the CRM's batch is replayed.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crm_bridge::*;
use forum::boards::{BoardKind, NewBoard};
use forum::ideas::NewIdea;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(a_status_change_lands_on_each_voters_timeline_once);

fn drain(crm: &Crm) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let n = crm.process_events(500).unwrap();
        if n == 0 && crm.forum().pending_events(OUTBOX_CONSUMER).unwrap() == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "CRM worker stalled");
        if n == 0 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

fn idea_entries(crm: &Crm, agent: Actor, user: i64) -> Vec<TimelineEntry> {
    crm.contact_view(agent, user)
        .unwrap()
        .timeline
        .into_iter()
        .filter(|e| e.kind == "idea.status")
        .collect()
}

fn a_status_change_lands_on_each_voters_timeline_once(db: &TestDb) {
    let (f, _clock) = forum::testkit::clocked(db, 1_800_000_000_000);
    let admin = forum::testkit::register(&f, "root", Role::Admin);
    let agent = forum::testkit::register(&f, "agent", Role::Agent).actor();
    let ann = forum::testkit::register(&f, "ann", Role::Customer);
    let bob = forum::testkit::register(&f, "bob", Role::Customer);
    let cyd = forum::testkit::register(&f, "cyd", Role::Customer);
    f.create_board(
        Some(admin.actor()),
        NewBoard {
            slug: "ideas".into(),
            name: "Ideas".into(),
            kind: Some(BoardKind::Ideas),
            ..Default::default()
        },
    )
    .unwrap();
    let id = f
        .submit_idea(
            ann.actor(),
            NewIdea {
                board: "ideas".into(),
                title: "Dark mode".into(),
                description: "Easier on the eyes".into(),
                ..Default::default()
            },
            &Default::default(),
        )
        .unwrap()
        .thread_id;
    f.vote_idea(bob.actor(), id).unwrap();
    f.vote_idea(cyd.actor(), id).unwrap();
    let crm = Crm::new(f.clone(), CrmConfig::default()).unwrap();
    drain(&crm);
    f.change_idea_status(agent, id, "planned", "Next quarter")
        .unwrap();
    drain(&crm);
    for voter in [&bob, &cyd] {
        let entries = idea_entries(&crm, agent, voter.id);
        assert_eq!(entries.len(), 1, "{}", voter.username);
        assert_eq!(entries[0].thread_id, Some(id));
        assert_eq!(entries[0].actor_id, Some(agent.user_id));
        let params: serde_json::Value = serde_json::from_str(&entries[0].params).unwrap();
        assert_eq!(params["to"], "Planned");
        assert_eq!(params["title"], "Dark mode");
    }
    // The author did not vote: no entry of this kind.
    assert!(idea_entries(&crm, agent, ann.id).is_empty());
    // A replayed batch adds nothing.
    db.execute_sql(&format!(
        "UPDATE outbox_cursors SET last_tx_id = 0, last_event_id = 0 WHERE consumer = '{OUTBOX_CONSUMER}'"
    ));
    drain(&crm);
    assert_eq!(idea_entries(&crm, agent, bob.id).len(), 1);
    // The next change is the next entry.
    f.change_idea_status(agent, id, "delivered", "").unwrap();
    drain(&crm);
    assert_eq!(idea_entries(&crm, agent, bob.id).len(), 2);
}
