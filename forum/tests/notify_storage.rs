//! Notifications, mail preferences, digests, password resets and sign-in
//! throttling on SQLite and PostgreSQL, with the clock injected.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::notify::MailMode;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    events_become_one_mail_per_recipient,
    preferences_route_to_digest_or_nowhere,
    reset_links_expire_and_work_once,
    throttling_locks_and_forgives,
    throttling_holds_under_parallel_attempts,
    mail_leases_and_retries,
    mail_dead_letters_replay_in_the_shared_queue,
);

const T0: i64 = 1_800_000_000_000;
const HOUR: i64 = 3_600_000;

fn clocked(db: &TestDb) -> (Forum, Arc<AtomicI64>) {
    forum::testkit::clocked(db, T0)
}

fn user(f: &Forum, name: &str) -> Actor {
    f.register(NewUser {
        language: None,
        username: name.into(),
        email: format!("{name}@example.com"),
        password: Some("password123".into()),
        role: Role::Customer,
        display_name: None,
    })
    .unwrap()
    .actor()
}

/// Run the notify consumer until nothing is pending. On PostgreSQL an empty
/// poll can mean "held back by a transaction open elsewhere in the cluster".
fn drain(f: &Forum) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = f.process_notify_events(500).unwrap();
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

fn ask(f: &Forum, who: Actor, title: &str) -> i64 {
    f.create_thread(
        who,
        NewThread {
            category: "general".into(),
            title: title.into(),
            body: "details".into(),
            tags: vec![],
        },
    )
    .unwrap()
}

/// (recipient id, kind) of every queued mail.
fn queued(f: &Forum) -> Vec<(i64, String)> {
    let mut v: Vec<(i64, String)> = f
        .claim_mails(1, 1_000)
        .unwrap()
        .into_iter()
        .map(|m| (m.user_id, m.kind))
        .collect();
    v.sort();
    v
}

fn events_become_one_mail_per_recipient(db: &TestDb) {
    let (f, _) = clocked(db);
    let (ann, bob, carl, dana) = (
        user(&f, "ann"),
        user(&f, "bob"),
        user(&f, "carl"),
        user(&f, "dana"),
    );
    let general = f.category("general", None).unwrap().id;
    f.subscribe(dana, "category", general, true).unwrap();
    let t = ask(&f, ann, "Scanner jams");
    f.subscribe(carl, "thread", t, true).unwrap();
    // Carl is mentioned and watches: one mail (mention wins), not two.
    let answer = f
        .reply(bob, t, "Clean the rollers, @carl knows how. Also @nobody.")
        .unwrap();
    f.accept(ann, answer).unwrap();
    drain(&f);
    drain(&f);
    let mut want = vec![
        (ann.user_id, "reply".to_string()),
        (bob.user_id, "accepted".into()),
        (carl.user_id, "mention".into()),
        (dana.user_id, "watched".into()),
        (dana.user_id, "watched".into()),
    ];
    want.sort();
    assert_eq!(queued(&f), want);
    // The bell has them too; a replayed batch adds nothing.
    assert_eq!(f.unread_notifications(carl.user_id).unwrap(), 1);
    assert!(
        f.subscribe(carl, "thread", 999_999, true).is_err(),
        "cannot watch what does not exist"
    );
    assert_eq!(
        f.subscriptions(carl.user_id).unwrap()[0].title,
        "Scanner jams"
    );
    f.subscribe(carl, "thread", t, false).unwrap();
    assert!(!f.is_subscribed(carl.user_id, "thread", t).unwrap());
}

fn preferences_route_to_digest_or_nowhere(db: &TestDb) {
    let (f, clock) = clocked(db);
    let (ann, bob) = (user(&f, "ann"), user(&f, "bob"));
    f.set_mail_pref(ann.user_id, "reply", MailMode::Digest)
        .unwrap();
    f.set_mail_pref(bob.user_id, "accepted", MailMode::Off)
        .unwrap();
    assert!(f
        .set_mail_pref(ann.user_id, "bogus", MailMode::Off)
        .is_err());
    let a = ask(&f, ann, "Printer offline");
    let b = ask(&f, ann, "Router slow");
    let p = f.reply(bob, a, "Restart it").unwrap();
    f.reply(bob, b, "Move it").unwrap();
    f.accept(ann, p).unwrap();
    drain(&f);
    assert!(queued(&f).is_empty(), "digest and off send nothing now");
    assert_eq!(
        f.unread_notifications(bob.user_id).unwrap(),
        1,
        "off still rings the bell"
    );
    assert_eq!(f.queue_digests(24 * HOUR).unwrap(), 0, "not a day old yet");
    clock.fetch_add(24 * HOUR, Ordering::SeqCst);
    assert_eq!(f.queue_digests(24 * HOUR).unwrap(), 1);
    assert_eq!(f.queue_digests(24 * HOUR).unwrap(), 0, "items go out once");
    let mails = f.claim_mails(1, 10).unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        (mails[0].user_id, mails[0].kind.as_str()),
        (ann.user_id, "digest")
    );
    let items = mails[0].params["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let groups: Vec<&str> = items
        .iter()
        .map(|i| i["group_title"].as_str().unwrap())
        .collect();
    assert_eq!(groups, vec!["Printer offline", "Router slow"]);
    // Each line carries what its text is written from in Ann's language.
    assert_eq!(items[0]["kind"], "reply");
    assert_eq!(items[0]["params"]["thread"], "Printer offline");
    assert_eq!(items[0]["params"]["actor"], "bob");
    let bell = f.notifications(bob.user_id, 10).unwrap();
    assert_eq!(
        (bell[0].kind.as_str(), &bell[0].params["thread"]),
        ("accepted", &serde_json::json!("Printer offline"))
    );
    let prefs = f.mail_prefs(ann.user_id).unwrap();
    assert!(prefs.contains(&("reply".to_string(), MailMode::Digest)));
    assert!(
        prefs.contains(&("mention".to_string(), MailMode::Instant)),
        "defaults fill in"
    );
}

fn reset_links_expire_and_work_once(db: &TestDb) {
    let (f, clock) = clocked(db);
    let ann = user(&f, "ann");
    let session = f.issue_token(ann.user_id, TokenKind::Session).unwrap();
    f.request_password_reset("ann@example.com").unwrap();
    f.request_password_reset("nobody@example.com").unwrap();
    let mails = f.claim_mails(1, 10).unwrap();
    assert_eq!(mails.len(), 1, "only real accounts get mail");
    assert_eq!(
        f.unread_notifications(ann.user_id).unwrap(),
        0,
        "a reset link never goes to the bell"
    );
    let token = mails[0].link.rsplit('=').next().unwrap().to_string();
    f.mail_sent(&mails[0]).unwrap();
    assert!(
        f.reset_password(&token, "short").is_err(),
        "password rules apply"
    );
    f.reset_password(&token, "a-new-password").unwrap();
    assert!(f.authenticate("ann", "a-new-password").is_ok());
    assert!(
        f.user_for_token(&session, TokenKind::Session)
            .unwrap()
            .is_none(),
        "sessions end with a reset"
    );
    assert!(
        f.reset_password(&token, "another-password").is_err(),
        "single use"
    );
    // A second link, used after an hour, has expired.
    f.request_password_reset("ann@example.com").unwrap();
    let mails = f.claim_mails(1, 10).unwrap();
    let late = mails[0].link.rsplit('=').next().unwrap().to_string();
    clock.fetch_add(HOUR + 1, Ordering::SeqCst);
    assert!(f.reset_password(&late, "too-late-password").is_err());
}

fn throttling_locks_and_forgives(db: &TestDb) {
    let (f, clock) = clocked(db);
    let min = 60_000;
    let attempt = |f: &Forum| {
        f.begin_login_attempt(&[("acct:ann", 5), ("ip:1.2.3.4", 50)], 15 * min, 15 * min)
            .unwrap()
    };
    for _ in 0..5 {
        assert_eq!(attempt(&f), None, "the first five attempts are checked");
    }
    assert_eq!(attempt(&f), Some(T0 + 15 * min), "the sixth is refused");
    assert_eq!(attempt(&f), Some(T0 + 15 * min), "and so is the next");
    clock.fetch_add(15 * min, Ordering::SeqCst);
    assert_eq!(
        attempt(&f),
        None,
        "the lock runs out and a new count starts"
    );
    // A success clears the account and refunds the address.
    f.finish_login_success("acct:ann", &["ip:1.2.3.4"]).unwrap();
    for _ in 0..5 {
        assert_eq!(attempt(&f), None);
    }
    // The window runs out without a lock: a new count.
    clock.fetch_add(16 * min, Ordering::SeqCst);
    for _ in 0..5 {
        assert_eq!(attempt(&f), None);
    }
    assert!(attempt(&f).is_some());
}

/// Parallel guesses on one account, from separate pools as from separate
/// nodes: exactly the limit get through to a password check.
fn throttling_holds_under_parallel_attempts(db: &TestDb) {
    let (f, _clock) = clocked(db);
    let passed = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..16 {
            let f = f.clone();
            let passed = &passed;
            s.spawn(move || {
                for _ in 0..10 {
                    if f.begin_login_attempt(&[("acct:eve", 5)], 900_000, 900_000)
                        .unwrap()
                        .is_none()
                    {
                        passed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
    });
    assert_eq!(passed.load(Ordering::SeqCst), 5);
}

fn mail_leases_and_retries(db: &TestDb) {
    let (f, clock) = clocked(db);
    let (ann, bob) = (user(&f, "ann"), user(&f, "bob"));
    let t = ask(&f, ann, "Leases");
    f.reply(bob, t, "hi").unwrap();
    drain(&f);
    let first = f.claim_mails(60_000, 10).unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        f.claim_mails(60_000, 10).unwrap().is_empty(),
        "leased to the first sender"
    );
    let policy = forum::delivery::RetryPolicy {
        max_attempts: 2,
        backoff_base_ms: 5_000,
        backoff_cap_ms: 60_000,
    };
    let refused = forum::delivery::Failure::Retryable {
        error: "connection refused",
        retry_after_ms: None,
    };
    let retry = f.mail_failed(&first[0], &policy, refused).unwrap();
    assert_eq!(retry.attempts, 1);
    let at = retry.next_at.expect("retried");
    assert!(
        (T0 + 2_500..=T0 + 5_000).contains(&at),
        "base backoff with jitter: {at}"
    );
    assert_eq!(f.mail_counts().unwrap(), (1, 0, 0));
    clock.fetch_add(5_000, Ordering::SeqCst);
    let again = f.claim_mails(60_000, 10).unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1));
    assert_eq!(
        again[0].delivery.last_error.as_deref(),
        Some("connection refused")
    );
    f.mail_sent(&again[0]).unwrap();
    clock.fetch_add(120_000, Ordering::SeqCst);
    assert!(
        f.claim_mails(60_000, 10).unwrap().is_empty(),
        "sent once, never again"
    );
    assert_eq!(f.mail_counts().unwrap(), (0, 1, 0));
}

/// Mail rides the one delivery queue: its own channel, dead-lettered on a
/// permanent failure or an exhausted budget, replayed with a fresh budget.
fn mail_dead_letters_replay_in_the_shared_queue(db: &TestDb) {
    use forum::delivery::{Failure, RetryPolicy, CRM, MAIL};
    let (f, clock) = clocked(db);
    let (ann, bob) = (user(&f, "ann"), user(&f, "bob"));
    let t = ask(&f, ann, "Dead letters");
    f.reply(bob, t, "hi").unwrap();
    drain(&f);
    assert!(
        f.claim_deliveries(CRM, 60_000, 10).unwrap().is_empty(),
        "a mail is not the CRM's"
    );
    let policy = RetryPolicy {
        max_attempts: 3,
        backoff_base_ms: 1_000,
        backoff_cap_ms: 1_000,
    };
    let mails = f.claim_mails(60_000, 10).unwrap();
    assert_eq!(mails.len(), 1);
    let retry = f
        .mail_failed(&mails[0], &policy, Failure::Permanent("550 no such user"))
        .unwrap();
    assert_eq!(retry.next_at, None, "a permanent failure is not retried");
    assert_eq!(f.mail_counts().unwrap(), (0, 0, 1));
    let dead = f.deliveries(MAIL, "dead", 10).unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].subject_id, mails[0].id);
    assert_eq!(dead[0].last_error.as_deref(), Some("550 no such user"));
    clock.fetch_add(3_600_000, Ordering::SeqCst);
    assert!(
        f.claim_mails(60_000, 10).unwrap().is_empty(),
        "dead stays dead"
    );

    assert_eq!(f.replay_dead_deliveries(MAIL, None).unwrap(), 1);
    // Retryable failures until the budget runs out.
    for attempt in 1..=3 {
        let mails = f.claim_mails(60_000, 10).unwrap();
        assert_eq!(mails.len(), 1, "attempt {attempt}");
        assert_eq!(mails[0].attempts, attempt - 1);
        let retry = f
            .mail_failed(
                &mails[0],
                &policy,
                Failure::Retryable {
                    error: "421 try later",
                    retry_after_ms: None,
                },
            )
            .unwrap();
        assert_eq!(retry.next_at.is_none(), attempt == 3);
        clock.fetch_add(1_000, Ordering::SeqCst);
    }
    assert_eq!(f.mail_counts().unwrap(), (0, 0, 1));
}
