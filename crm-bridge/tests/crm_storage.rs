//! The built-in CRM against real storage: every case runs on SQLite and on
//! PostgreSQL (see `forum::testkit`). Time is injected, so "24 hours later"
//! is a number, never a sleep.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crm_bridge::connector::webhook::sign;
use crm_bridge::connector::{Connector, ConnectorError, ExternalComment, ExternalTask};
use crm_bridge::rules::{Priority, TaskStatus, HOUR_MS, SLA_FIRST_BREACHED, SLA_FIRST_WARNED};
use crm_bridge::*;
use forum::import::CategoryRecord;
use forum::testkit::TestDb;
use forum::*;

const T0: i64 = 1_800_000_000_000;

forum::both_backends!(
    support_threads_become_tasks_once,
    no_response_escalates_after_the_configured_delay,
    keywords_and_vips_escalate_at_once,
    agent_reply_lands_in_the_thread_and_acceptance_resolves,
    manual_escalation_and_roles,
    queue_filters_and_contact_history,
    canned_responses_and_reminders,
    deliveries_retry_back_off_and_dead_letter,
    inbound_webhook_is_verified_and_applied_once,
    concurrent_workers_create_each_task_once,
    reconcile_finds_and_fixes_gaps,
    the_board_setting_decides_over_task_categories,
);

struct World {
    forum: Forum,
    clock: Arc<AtomicI64>,
    admin: Actor,
    agent: Actor,
    moderator: Actor,
}

impl World {
    fn new(db: &TestDb) -> World {
        let clock = Arc::new(AtomicI64::new(T0));
        let c = clock.clone();
        let forum = Forum::with_clock(
            db.forum.db().clone(),
            Arc::new(move || c.load(Ordering::SeqCst)),
        );
        let admin = user(&forum, "admin", Role::Admin);
        for (slug, name) in [("support", "Support"), ("general", "General")] {
            // The first migration seeds some categories; make sure of these two.
            match forum.create_category(
                admin,
                CategoryRecord {
                    slug: slug.into(),
                    name: name.into(),
                    description: String::new(),
                    is_private: false,
                    position: 0,
                    kind: Default::default(),
                },
            ) {
                Ok(_)
                | Err(ForumError::Conflict(_))
                | Err(ForumError::Validation { field: "slug", .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        let agent = user(&forum, "agent", Role::Agent);
        let moderator = user(&forum, "moder", Role::Moderator);
        World {
            forum,
            clock,
            admin,
            agent,
            moderator,
        }
    }

    fn crm(&self, config: CrmConfig) -> Crm {
        Crm::new(self.forum.clone(), config).unwrap()
    }

    fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn ask(&self, who: Actor, category: &str, title: &str, body: &str) -> i64 {
        self.forum
            .create_thread(
                who,
                NewThread {
                    category: category.into(),
                    title: title.into(),
                    body: body.into(),
                    tags: vec![],
                },
            )
            .unwrap()
    }
}

fn user(f: &Forum, name: &str, role: Role) -> Actor {
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

/// Run the event worker until the CRM consumer has nothing pending.
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

fn task_of(crm: &Crm, thread: i64) -> Task {
    crm.task_for_thread(thread)
        .unwrap()
        .expect("thread has a task")
}

fn support_threads_become_tasks_once(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let support = w.ask(
        ann,
        "support",
        "Router keeps rebooting",
        "Every hour or so.",
    );
    let chat = w.ask(ann, "general", "Favourite router?", "Just curious.");
    drain(&crm);

    let t = task_of(&crm, support);
    assert_eq!(t.status, TaskStatus::New);
    assert_eq!(t.priority, Priority::Normal);
    assert_eq!(t.contact.id, ann.user_id);
    assert_eq!(t.subject, "Router keeps rebooting");
    assert!(
        t.description.contains("Every hour or so.")
            && t.description.contains(&format!("/t/{support}"))
    );
    assert_eq!(t.first_response_due, T0 + 24 * HOUR_MS);
    assert_eq!(t.resolution_due, T0 + 120 * HOUR_MS);
    assert!(t.external.is_none(), "no connector, no external link");
    assert!(
        crm.task_for_thread(chat).unwrap().is_none(),
        "general threads get no task"
    );

    // Re-running the worker changes nothing: the cursor moved with the writes.
    assert_eq!(crm.process_events(500).unwrap(), 0);
    let view = crm.contact_view(w.agent, ann.user_id).unwrap();
    assert_eq!(view.tasks.len(), 1);
    assert_eq!(view.threads.len(), 2);
    let kinds: Vec<&str> = view.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"member.joined"), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "thread.created").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "task.created").count(),
        1,
        "{kinds:?}"
    );
}

fn no_response_escalates_after_the_configured_delay(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let bob = user(&w.forum, "bob", Role::Customer);
    let waiting = w.ask(
        ann,
        "support",
        "No sound after update",
        "Speakers are silent.",
    );
    let answered = w.ask(bob, "support", "Where is the manual?", "Cannot find it.");
    drain(&crm);
    w.advance(HOUR_MS);
    crm.agent_reply(
        w.agent,
        task_of(&crm, answered).id,
        "It is under Downloads.",
    )
    .unwrap();
    drain(&crm);

    w.advance(23 * HOUR_MS - 1);
    let r = crm.run_timers(100).unwrap();
    assert_eq!(r.escalated, 0, "one millisecond early");
    assert_eq!(task_of(&crm, waiting).status, TaskStatus::New);
    // The normal SLA warns 60 minutes before the 24 h first-response due.
    assert!(r
        .sla_flags
        .iter()
        .any(|(id, f)| *id == task_of(&crm, waiting).id && f & SLA_FIRST_WARNED != 0));

    w.advance(1);
    let r = crm.run_timers(100).unwrap();
    assert_eq!(r.escalated, 1);
    let t = task_of(&crm, waiting);
    assert_eq!(t.status, TaskStatus::Escalated);
    assert_eq!(t.priority, Priority::High);
    assert!(t.escalation.as_deref().unwrap_or("").contains("after 24 h"));
    assert_eq!(
        task_of(&crm, answered).status,
        TaskStatus::Pending,
        "an agent replied there"
    );

    // Escalated to high from creation: 8 h first response, long breached.
    assert!(
        t.first_response_breached()
            || crm
                .run_timers(100)
                .unwrap()
                .sla_flags
                .iter()
                .any(|(_, f)| f & SLA_FIRST_BREACHED != 0)
    );
    let again = crm.run_timers(100).unwrap();
    assert_eq!(again.escalated, 0);
    assert!(
        again.sla_flags.is_empty(),
        "each flag is set once: {:?}",
        again.sla_flags
    );
    let t = task_of(&crm, waiting);
    assert!(t.first_response_breached());
    let stats = crm.stats(w.agent).unwrap();
    assert_eq!(stats.escalated_total, 1);
    assert_eq!(stats.first_response_breaches, 1);
    assert_eq!(stats.median_first_response_minutes, Some(60.0));
}

fn keywords_and_vips_escalate_at_once(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let vip = user(&w.forum, "vip", Role::Customer);
    drain(&crm);
    crm.update_contact(
        w.agent,
        vip.user_id,
        &ContactPatch {
            segment: Some("vip".into()),
            company: Some("Acme".into()),
            ..ContactPatch::default()
        },
    )
    .unwrap();
    let refund = w.ask(
        ann,
        "general",
        "Billing question",
        "I want a REFUND for March.",
    );
    let ru = w.ask(ann, "support", "Оплата", "Оформите возврат, пожалуйста.");
    let vip_q = w.ask(vip, "support", "Login page slow", "Takes 10 s.");
    let calm = w.ask(ann, "support", "Dark mode?", "Is there one?");
    drain(&crm);

    let t = task_of(&crm, refund);
    assert_eq!(
        t.status,
        TaskStatus::Escalated,
        "keywords escalate outside support too"
    );
    assert_eq!(t.priority, Priority::High);
    assert!(t.escalation.unwrap().contains("refund"));
    assert_eq!(task_of(&crm, ru).status, TaskStatus::Escalated);
    let v = task_of(&crm, vip_q);
    assert_eq!(
        (v.status, v.priority),
        (TaskStatus::Escalated, Priority::Urgent)
    );
    assert_eq!(v.first_response_due, w.now() + HOUR_MS);
    assert_eq!(task_of(&crm, calm).status, TaskStatus::New);

    // A follow-up by the asker with a keyword escalates an existing task.
    w.forum
        .reply(ann, calm, "Never mind, I will cancel my plan.")
        .unwrap();
    drain(&crm);
    assert_eq!(task_of(&crm, calm).status, TaskStatus::Escalated);
    let c = crm.contact(w.agent, vip.user_id).unwrap();
    assert_eq!((c.segment.as_str(), c.company.as_str()), ("vip", "Acme"));
    let bad = crm.update_contact(
        w.agent,
        vip.user_id,
        &ContactPatch {
            segment: Some("platinum".into()),
            ..ContactPatch::default()
        },
    );
    assert_eq!(bad.unwrap_err().code(), "validation_failed");
}

fn agent_reply_lands_in_the_thread_and_acceptance_resolves(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let helper = user(&w.forum, "helper", Role::Customer);
    let tid = w.ask(ann, "support", "Printer offline", "It says offline.");
    drain(&crm);
    let task = task_of(&crm, tid);
    let claimed = crm.claim(w.agent, task.id).unwrap();
    assert_eq!(claimed.owner.as_ref().map(|o| o.id), Some(w.agent.user_id));
    assert_eq!(claimed.status, TaskStatus::Open);

    w.advance(30 * 60_000);
    let post = crm
        .agent_reply(w.agent, task.id, "Please power-cycle it.")
        .unwrap();
    let page = w.forum.thread(tid, Some(ann), 1, 50, false).unwrap();
    let reply = page
        .replies
        .iter()
        .find(|p| p.id == post)
        .expect("agent reply is in the thread");
    assert_eq!(reply.author.role, Role::Agent, "shown as official staff");
    let t = task_of(&crm, tid);
    assert_eq!(t.status, TaskStatus::Pending);
    assert_eq!(t.first_response_at, Some(w.now()));

    w.forum.reply(ann, tid, "Still offline.").unwrap();
    drain(&crm);
    assert_eq!(
        task_of(&crm, tid).status,
        TaskStatus::Open,
        "the customer answered"
    );

    let answer = w.forum.reply(helper, tid, "Reinstall the driver.").unwrap();
    w.forum.accept(ann, answer).unwrap();
    drain(&crm);
    let t = task_of(&crm, tid);
    assert_eq!(t.status, TaskStatus::Resolved);
    assert!(t.resolved_at.is_some());
    let kinds: Vec<String> = crm
        .contact_view(w.agent, ann.user_id)
        .unwrap()
        .timeline
        .into_iter()
        .map(|e| e.summary)
        .collect();
    assert!(kinds.iter().any(|s| s.contains("→ resolved")), "{kinds:?}");

    // Withdrawing the solution reopens it.
    w.forum.unaccept(ann, tid).unwrap();
    drain(&crm);
    assert_eq!(task_of(&crm, tid).status, TaskStatus::Open);
}

fn manual_escalation_and_roles(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let tid = w.ask(
        ann,
        "general",
        "Is the API rate limited?",
        "Asking for a script.",
    );
    drain(&crm);
    assert!(crm.task_for_thread(tid).unwrap().is_none());
    assert_eq!(
        crm.escalate_thread(ann, tid).unwrap_err().code(),
        "forbidden"
    );
    let t = crm.escalate_thread(w.moderator, tid).unwrap();
    assert_eq!(t.status, TaskStatus::Escalated);
    assert!(t
        .escalation
        .unwrap()
        .contains(&format!("#{}", w.moderator.user_id)));
    // Again: no second task, no error.
    let again = crm.escalate_thread(w.agent, tid).unwrap();
    assert_eq!(again.id, t.id);
    assert_eq!(
        crm.queue(w.moderator, &QueueFilter::default())
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        crm.queue(ann, &QueueFilter::default()).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        crm.update_task(
            w.agent,
            t.id,
            &TaskPatch {
                owner_id: Some(Some(ann.user_id)),
                ..TaskPatch::default()
            }
        )
        .unwrap_err()
        .code(),
        "validation_failed"
    );
    assert_eq!(
        crm.escalate_thread(w.agent, 999_999).unwrap_err().code(),
        "not_found"
    );

    let mut rules = crm.rules();
    rules.manual_escalation = false;
    assert_eq!(
        crm.save_rules(w.agent, rules.clone()).unwrap_err().code(),
        "forbidden"
    );
    crm.save_rules(w.admin, rules).unwrap();
    // Another node picks the saved rules up from the database.
    let other = w.crm(CrmConfig::default());
    assert!(!other.rules().manual_escalation);
    assert_eq!(
        other.escalate_thread(w.agent, tid).unwrap_err().code(),
        "forbidden"
    );
}

fn queue_filters_and_contact_history(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let other_agent = user(&w.forum, "agent2", Role::Agent);
    let a = w.ask(ann, "support", "First", "one");
    let b = w.ask(ann, "support", "Second refund", "two");
    let c = w.ask(ann, "support", "Third", "three");
    drain(&crm);
    let (ta, tb, tc) = (task_of(&crm, a), task_of(&crm, b), task_of(&crm, c));
    crm.claim(w.agent, ta.id).unwrap();
    crm.update_task(
        w.agent,
        tc.id,
        &TaskPatch {
            owner_id: Some(Some(other_agent.user_id)),
            priority: Some(Priority::Low),
            ..TaskPatch::default()
        },
    )
    .unwrap();

    let ids = |f: QueueFilter| -> Vec<i64> {
        crm.queue(w.agent, &f)
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect()
    };
    assert_eq!(
        ids(QueueFilter::default()),
        vec![tb.id, ta.id, tc.id],
        "high first, then by due time"
    );
    assert_eq!(
        ids(QueueFilter {
            statuses: vec![TaskStatus::Escalated],
            ..QueueFilter::default()
        }),
        vec![tb.id]
    );
    assert_eq!(
        ids(QueueFilter {
            priority: Some(Priority::Low),
            ..QueueFilter::default()
        }),
        vec![tc.id]
    );
    assert_eq!(
        ids(QueueFilter {
            owner: OwnerFilter::Agent(w.agent.user_id),
            ..QueueFilter::default()
        }),
        vec![ta.id]
    );
    assert_eq!(
        ids(QueueFilter {
            owner: OwnerFilter::Unassigned,
            ..QueueFilter::default()
        }),
        vec![tb.id]
    );
    // Escalated to high: its first response is due in 8 h; the others in 24 h or more.
    assert_eq!(
        ids(QueueFilter {
            due_before: Some(w.now() + 9 * HOUR_MS),
            ..QueueFilter::default()
        }),
        vec![tb.id]
    );

    crm.update_task(
        w.agent,
        ta.id,
        &TaskPatch {
            status: Some(TaskStatus::Closed),
            ..TaskPatch::default()
        },
    )
    .unwrap();
    assert_eq!(
        ids(QueueFilter::default()),
        vec![tb.id, tc.id],
        "closed tasks leave the queue"
    );
    let view = crm.task_view(w.agent, tb.id).unwrap();
    assert_eq!(view.question_md, "two");
    assert_eq!(view.customer.tasks.len(), 3);
    assert_eq!(view.customer.threads.len(), 3);
    assert!(view
        .customer
        .timeline
        .iter()
        .any(|e| e.kind == "task.escalated"));
}

fn canned_responses_and_reminders(db: &TestDb) {
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let tid = w.ask(ann, "support", "Wi-Fi drops", "Often.");
    drain(&crm);
    let task = task_of(&crm, tid);
    let id = crm.save_canned_response(w.agent, None, "Greeting", "Hi {{customer_name}}, about “{{thread_title}}” (task {{task_id}}): {{thread_url}} — {{agent_name}}").unwrap();
    assert_eq!(
        crm.save_canned_response(w.agent, None, " ", "x")
            .unwrap_err()
            .code(),
        "validation_failed"
    );
    assert_eq!(
        crm.save_canned_response(ann, None, "Mine", "x")
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let text = crm.render_canned_response(w.agent, id, task.id).unwrap();
    assert_eq!(
        text,
        format!(
            "Hi ann, about “Wi-Fi drops” (task {}): http://127.0.0.1:8080/t/{tid} — agent",
            task.id
        )
    );
    crm.save_canned_response(w.agent, Some(id), "Greeting", "Hello {{customer_name}}")
        .unwrap();
    assert_eq!(
        crm.canned_responses(w.agent).unwrap()[0].body,
        "Hello {{customer_name}}"
    );

    assert_eq!(
        crm.add_reminder(w.agent, task.id, w.now() - 1, "past")
            .unwrap_err()
            .code(),
        "validation_failed"
    );
    let r = crm
        .add_reminder(w.agent, task.id, w.now() + 2 * HOUR_MS, "call back")
        .unwrap();
    assert!(crm.due_reminders(w.agent).unwrap().is_empty());
    w.advance(2 * HOUR_MS);
    let due = crm.due_reminders(w.agent).unwrap();
    assert_eq!(
        due.iter()
            .map(|r| (r.id, r.note.as_str()))
            .collect::<Vec<_>>(),
        vec![(r, "call back")]
    );
    assert_eq!(
        crm.dismiss_reminder(w.moderator, r).unwrap_err().code(),
        "forbidden"
    );
    crm.dismiss_reminder(w.agent, r).unwrap();
    assert!(crm.due_reminders(w.agent).unwrap().is_empty());
    crm.delete_canned_response(w.agent, id).unwrap();
    assert!(crm.canned_responses(w.agent).unwrap().is_empty());
}

/// An in-process connector double for the queue's own logic; the HTTP
/// connectors have their own contract tests against real HTTP servers.
#[derive(Default)]
struct Flaky {
    fail_next: AtomicUsize,
    permanent: Mutex<bool>,
    records: Mutex<HashMap<i64, (String, TaskStatus)>>,
    comments: Mutex<Vec<(String, i64)>>,
    calls: AtomicUsize,
}

impl Connector for Flaky {
    fn name(&self) -> &'static str {
        "flaky"
    }
    fn push_task(
        &self,
        t: &ExternalTask,
        _ext: Option<&str>,
    ) -> std::result::Result<String, ConnectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if *self.permanent.lock().unwrap() {
            return Err(ConnectorError::Permanent("HTTP 400 bad field".into()));
        }
        if self.fail_next.load(Ordering::SeqCst) > 0 {
            self.fail_next.fetch_sub(1, Ordering::SeqCst);
            return Err(ConnectorError::Retryable {
                message: "HTTP 429".into(),
                retry_after: Some(std::time::Duration::from_secs(7)),
            });
        }
        let mut r = self.records.lock().unwrap();
        let e = r
            .entry(t.task_id)
            .or_insert_with(|| (format!("EXT-{}", t.task_id), t.status));
        e.1 = t.status;
        Ok(e.0.clone())
    }
    fn push_comment(
        &self,
        _t: &ExternalTask,
        ext: &str,
        c: &ExternalComment,
    ) -> std::result::Result<(), ConnectorError> {
        self.comments
            .lock()
            .unwrap()
            .push((ext.to_string(), c.post_id));
        Ok(())
    }
}

fn deliveries_retry_back_off_and_dead_letter(db: &TestDb) {
    let w = World::new(db);
    let mut cfg = CrmConfig::default();
    cfg.delivery.max_attempts = 3;
    cfg.delivery.backoff_base_ms = 1_000;
    let flaky = Arc::new(Flaky::default());
    let crm = w.crm(cfg).with_connector(flaky.clone());
    let ann = user(&w.forum, "ann", Role::Customer);
    let tid = w.ask(ann, "support", "Sync me", "please");
    drain(&crm);
    flaky.fail_next.store(2, Ordering::SeqCst);
    let r = crm.deliver().unwrap();
    assert_eq!((r.delivered, r.retried), (0, 1));
    let pending = crm.pending_deliveries().unwrap();
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(
        pending[0].next_attempt_at,
        w.now() + 7_000,
        "Retry-After wins over a shorter backoff"
    );
    assert_eq!(
        crm.deliver().unwrap(),
        DeliveryReport::default(),
        "not due yet"
    );
    w.advance(7_000);
    assert_eq!(crm.deliver().unwrap().retried, 1);
    w.advance(7_000);
    assert_eq!(crm.deliver().unwrap().delivered, 1);
    let t = task_of(&crm, tid);
    let link = t.external.expect("linked");
    assert_eq!(
        (link.external_id.as_deref(), link.sync_state.as_str()),
        (Some(format!("EXT-{}", t.id).as_str()), "synced")
    );

    // A change queues one coalesced sync; a reply queues a comment after it.
    crm.update_task(
        w.agent,
        t.id,
        &TaskPatch {
            priority: Some(Priority::High),
            ..TaskPatch::default()
        },
    )
    .unwrap();
    crm.agent_reply(w.agent, t.id, "On it.").unwrap();
    drain(&crm);
    let r = crm.deliver().unwrap();
    assert_eq!(r.delivered, 2);
    assert_eq!(flaky.records.lock().unwrap()[&t.id].1, TaskStatus::Pending);
    assert_eq!(flaky.comments.lock().unwrap().len(), 1);
    assert_eq!(
        flaky.records.lock().unwrap().len(),
        1,
        "one external record per task"
    );

    // Permanent failures go straight to the dead-letter list; replay revives them.
    *flaky.permanent.lock().unwrap() = true;
    crm.update_task(
        w.agent,
        t.id,
        &TaskPatch {
            status: Some(TaskStatus::Resolved),
            ..TaskPatch::default()
        },
    )
    .unwrap();
    assert_eq!(crm.deliver().unwrap().dead, 1);
    assert_eq!(crm.dead_letters(w.agent).unwrap_err().code(), "forbidden");
    let dead = crm.dead_letters(w.admin).unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0]
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("bad field"));
    assert_eq!(task_of(&crm, tid).external.unwrap().sync_state, "failed");
    *flaky.permanent.lock().unwrap() = false;
    assert_eq!(crm.replay_dead_letters(w.admin, None).unwrap(), 1);
    assert_eq!(crm.deliver().unwrap().delivered, 1);
    assert!(crm.dead_letters(w.admin).unwrap().is_empty());
    assert_eq!(flaky.records.lock().unwrap()[&t.id].1, TaskStatus::Resolved);
}

fn inbound_webhook_is_verified_and_applied_once(db: &TestDb) {
    let w = World::new(db);
    let mut cfg = CrmConfig::default();
    cfg.inbound.secret = Secret::new("inbound-secret");
    let crm = w.crm(cfg);
    let ann = user(&w.forum, "ann", Role::Customer);
    let tid = w.ask(ann, "support", "Invoice missing", "Where is it?");
    drain(&crm);
    let task = task_of(&crm, tid);
    let secs = w.now() / 1000;
    let body = format!(
        r#"{{"id":"evt-1","type":"task.status","task_id":{},"status":"solved"}}"#,
        task.id
    );
    let good = sign(b"inbound-secret", secs, body.as_bytes());

    let code = |sig: Option<&str>, body: &str| {
        crm.handle_webhook(sig, body.as_bytes()).unwrap_err().code()
    };
    assert_eq!(code(None, &body), "signature_missing");
    assert_eq!(
        code(Some(&sign(b"wrong", secs, body.as_bytes())), &body),
        "signature_invalid"
    );
    assert_eq!(
        code(
            Some(&sign(b"inbound-secret", secs - 301, body.as_bytes())),
            &body
        ),
        "timestamp_stale"
    );
    let junk = "{\"id\": ";
    assert_eq!(
        code(Some(&sign(b"inbound-secret", secs, junk.as_bytes())), junk),
        "bad_payload"
    );
    let unknown = r#"{"id":"evt-9","type":"task.status","task_id":424242,"status":"open"}"#;
    assert_eq!(
        code(
            Some(&sign(b"inbound-secret", secs, unknown.as_bytes())),
            unknown
        ),
        "unknown_task"
    );
    assert_eq!(
        task_of(&crm, tid).status,
        TaskStatus::New,
        "rejected webhooks change nothing"
    );

    assert!(crm.handle_webhook(Some(&good), body.as_bytes()).unwrap());
    assert_eq!(task_of(&crm, tid).status, TaskStatus::Resolved);
    assert_eq!(code(Some(&good), &body), "replayed");

    let comment = format!(
        r#"{{"id":"evt-2","type":"task.comment","task_id":{},"author":"Dana (billing)","body":"We re-sent the invoice."}}"#,
        task.id
    );
    let sig = sign(b"inbound-secret", secs, comment.as_bytes());
    assert!(crm.handle_webhook(Some(&sig), comment.as_bytes()).unwrap());
    assert_eq!(
        crm.handle_webhook(Some(&sig), comment.as_bytes())
            .unwrap_err()
            .code(),
        "replayed"
    );
    let page = w.forum.thread(tid, None, 1, 50, false).unwrap();
    let posted: Vec<&Post> = page
        .replies
        .iter()
        .filter(|p| p.body_md.contains("We re-sent the invoice."))
        .collect();
    assert_eq!(posted.len(), 1, "exactly one post for the comment");
    assert_eq!(posted[0].author.role, Role::Agent);
    assert!(posted[0].body_md.contains("Dana (billing)"));

    let off = w.crm(CrmConfig::default());
    assert_eq!(
        off.handle_webhook(Some(&good), body.as_bytes())
            .unwrap_err()
            .code(),
        "not_configured"
    );
}

fn concurrent_workers_create_each_task_once(db: &TestDb) {
    let w = World::new(db);
    let flaky = Arc::new(Flaky::default());
    let crm = w.crm(CrmConfig::default()).with_connector(flaky.clone());
    let ann = user(&w.forum, "ann", Role::Customer);
    let threads: Vec<i64> = (0..60)
        .map(|i| w.ask(ann, "support", &format!("Question {i}"), "body"))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let crm = crm.clone();
            s.spawn(move || {
                for _ in 0..200 {
                    let n = crm.process_events(7).unwrap();
                    let d = crm.deliver().unwrap();
                    if n == 0
                        && d == DeliveryReport::default()
                        && crm.forum().pending_events(OUTBOX_CONSUMER).unwrap() == 0
                        && crm.pending_deliveries().unwrap().is_empty()
                    {
                        break;
                    }
                }
            });
        }
    });
    drain(&crm);
    while crm.deliver().unwrap() != DeliveryReport::default() {}
    for t in &threads {
        assert!(crm.task_for_thread(*t).unwrap().is_some());
    }
    assert_eq!(
        flaky.records.lock().unwrap().len(),
        threads.len(),
        "one external record per thread"
    );
    assert_eq!(
        flaky.calls.load(Ordering::SeqCst),
        threads.len(),
        "each delivered exactly once"
    );
}

fn reconcile_finds_and_fixes_gaps(db: &TestDb) {
    let w = World::new(db);
    let ann = user(&w.forum, "ann", Role::Customer);
    // Threads written while no CRM worker ran and the CRM consumer was skipped past them.
    let early = w.ask(ann, "support", "Before the CRM", "old");
    let crm = w.crm(CrmConfig::default());
    w.forum
        .poll_events(OUTBOX_CONSUMER, 10_000, |_| Ok(()))
        .unwrap();
    let report = crm.reconcile(false).unwrap();
    assert_eq!(report.missing_tasks, vec![early]);
    assert!(
        crm.task_for_thread(early).unwrap().is_none(),
        "a dry run changes nothing"
    );
    let fixed = crm.reconcile(true).unwrap();
    assert_eq!(fixed.missing_tasks, vec![early]);
    assert_eq!(
        task_of(&crm, early).created_at,
        T0,
        "SLA counts from the thread, not the fix"
    );
    assert!(crm.reconcile(false).unwrap().missing_tasks.is_empty());

    let flaky = Arc::new(Flaky::default());
    let linked = w.crm(CrmConfig::default()).with_connector(flaky.clone());
    let r = linked.reconcile(false).unwrap();
    assert_eq!(
        r.out_of_sync,
        vec![task_of(&crm, early).id],
        "never mirrored"
    );
    linked.reconcile(true).unwrap();
    assert_eq!(linked.deliver().unwrap().delivered, 1);
    assert!(linked.reconcile(false).unwrap().out_of_sync.is_empty());
}

/// A board's own CRM setting (the board admin page) wins over the rules'
/// `task_categories`; a board never set follows the rules.
fn the_board_setting_decides_over_task_categories(db: &TestDb) {
    use forum::boards::{BoardChange, CrmTasks};
    let w = World::new(db);
    let crm = w.crm(CrmConfig::default());
    let ann = user(&w.forum, "ann", Role::Customer);
    let set = |slug: &str, v: CrmTasks| {
        w.forum
            .update_board(
                Some(w.admin),
                slug,
                BoardChange {
                    crm_tasks: Some(v),
                    ..Default::default()
                },
            )
            .unwrap();
    };
    set("support", CrmTasks::Off);
    set("general", CrmTasks::On);
    let support = w.ask(ann, "support", "Router reboots", "Every hour.");
    let chat = w.ask(ann, "general", "Router colours", "Which one?");
    drain(&crm);
    assert!(crm.task_for_thread(support).unwrap().is_none(), "board off");
    assert_eq!(task_of(&crm, chat).subject, "Router colours");

    // Back to the rules: support makes tasks again, and reconcile agrees.
    set("support", CrmTasks::Rules);
    let again = w.ask(ann, "support", "Router hums", "Loudly.");
    drain(&crm);
    task_of(&crm, again);
    let report = crm.reconcile(false).unwrap();
    assert_eq!(report.missing_tasks, vec![support], "{report:?}");
}
