//! Email confirmation before posting, on SQLite and PostgreSQL with the
//! clock injected: unconfirmed members read but do not write, links are
//! mailed through the outbox, work once and expire, staff confirm by hand
//! (audited), and a site that does not ask asks nobody.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::members::AuditFilter;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    unconfirmed_members_read_but_do_not_write,
    links_work_once_and_expire,
    staff_confirm_by_hand_with_an_audit_entry,
    a_site_that_does_not_ask_asks_nobody,
);

const T0: i64 = 1_800_000_000_000;

fn clocked(db: &TestDb, required: bool) -> (Forum, Arc<AtomicI64>) {
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    (
        Forum::with_clock(
            db.forum.db().clone(),
            Arc::new(move || c.load(Ordering::SeqCst)),
        )
        .with_email_confirmation(required),
        clock,
    )
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        language: None,
        username: name.into(),
        email: format!("{name}@example.com"),
        password: Some("password123".into()),
        role,
        display_name: None,
    }
}

fn ask(f: &Forum, who: Actor, title: &str) -> Result<i64> {
    f.create_thread(
        who,
        NewThread {
            category: "general".into(),
            title: title.into(),
            body: "details".into(),
            tags: vec![],
        },
    )
}

/// The tokens of the confirmation links mailed to `email` since the last
/// look (the mails are claimed and marked sent, as the sender would).
fn mailed_tokens(f: &Forum, email: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for m in f.claim_mails(60_000, 100).unwrap() {
        f.mail_sent(&m).unwrap();
        if m.kind == "email_confirm" && m.to_email == email {
            let token = m.link.strip_prefix("/confirm-email/").expect("a link");
            tokens.push(token.to_string());
        }
    }
    tokens
}

fn unconfirmed_members_read_but_do_not_write(db: &TestDb) {
    let (f, _) = clocked(db, true);
    let bob = f
        .register_with(new_user("bob", Role::Customer), AccountEmail::Confirmed)
        .unwrap();
    let t = ask(&f, bob.actor(), "A question from Bob").unwrap();
    let q = f.thread(t, None, 1, 10, false).unwrap().question.id;
    let ann = f.register(new_user("ann", Role::Customer)).unwrap();
    assert!(f.must_confirm_email(&ann));
    assert!(matches!(
        ask(&f, ann.actor(), "Hello"),
        Err(ForumError::EmailUnconfirmed)
    ));
    assert_eq!(
        ForumError::EmailUnconfirmed.code(),
        "email_unconfirmed",
        "a stable code"
    );
    assert!(matches!(
        f.reply(ann.actor(), t, "me too"),
        Err(ForumError::EmailUnconfirmed)
    ));
    assert!(matches!(
        f.vote(ann.actor(), q, true),
        Err(ForumError::EmailUnconfirmed)
    ));
    // Signing in and reading work.
    assert!(f.authenticate("ann", "password123").is_ok());
    assert!(f.issue_token(ann.id, TokenKind::Session).is_ok());
    assert!(f.thread(t, Some(ann.actor()), 1, 10, false).is_ok());
    // The link was mailed with the account, in its transaction, and is
    // not in the bell (it is a secret).
    let tokens = mailed_tokens(&f, "ann@example.com");
    assert_eq!(tokens.len(), 1);
    assert_eq!(f.notifications(ann.id, 10).unwrap().len(), 0);
    let holder = f.email_confirmation_holder(&tokens[0]).unwrap().unwrap();
    assert_eq!(holder.id, ann.id);
    assert!(
        f.must_confirm_email(&f.user(ann.id).unwrap()),
        "looking at the link does not spend it"
    );
    let confirmed = f.confirm_email(&tokens[0]).unwrap();
    assert_eq!(confirmed.email_confirmed_at, Some(T0));
    let mine = ask(&f, ann.actor(), "Hello").unwrap();
    f.reply(ann.actor(), t, "me too").unwrap();
    assert_eq!(f.vote(ann.actor(), q, true).unwrap(), 1);
    let answer = f.reply(bob.actor(), mine, "Hi Ann").unwrap();
    f.accept(ann.actor(), answer).unwrap();
    // Staff and members who never posted are not asked twice.
    assert!(!f.resend_email_confirmation(ann.id).unwrap());
    assert!(mailed_tokens(&f, "ann@example.com").is_empty());
}

fn links_work_once_and_expire(db: &TestDb) {
    let (f, clock) = clocked(db, true);
    let ann = f.register(new_user("ann", Role::Customer)).unwrap();
    let first = mailed_tokens(&f, "ann@example.com").remove(0);
    // Three days, then the link is of no use.
    clock.fetch_add(CONFIRM_TOKEN_TTL_MS, Ordering::SeqCst);
    assert!(f.email_confirmation_holder(&first).unwrap().is_none());
    assert!(matches!(
        f.confirm_email(&first),
        Err(ForumError::Validation { field: "token", .. })
    ));
    assert!(f.must_confirm_email(&f.user(ann.id).unwrap()));
    // A new one is mailed on request.
    assert!(f.resend_email_confirmation(ann.id).unwrap());
    assert!(f.resend_email_confirmation(ann.id).unwrap());
    let fresh = mailed_tokens(&f, "ann@example.com");
    assert_eq!(fresh.len(), 2);
    f.confirm_email(&fresh[1]).unwrap();
    // Once: the same link, and every other link of hers, are spent.
    for t in &fresh {
        assert!(matches!(
            f.confirm_email(t),
            Err(ForumError::Validation { .. })
        ));
    }
    assert!(f.confirm_email("not a token").is_err());
    assert!(ask(&f, ann.actor(), "Confirmed now").is_ok());
}

fn staff_confirm_by_hand_with_an_audit_entry(db: &TestDb) {
    let (f, _) = clocked(db, true);
    let admin = f
        .register_with(new_user("root", Role::Admin), AccountEmail::Confirmed)
        .unwrap();
    let moderator = f
        .register_with(new_user("mia", Role::Moderator), AccountEmail::Confirmed)
        .unwrap();
    let ann = f.register(new_user("ann", Role::Customer)).unwrap();
    assert!(matches!(
        f.staff_confirm_email(Some(moderator.actor()), ann.id, ""),
        Err(ForumError::Forbidden(_))
    ));
    let ann = f
        .staff_confirm_email(Some(admin.actor()), ann.id, "asked by phone")
        .unwrap();
    assert!(!f.must_confirm_email(&ann));
    assert!(ask(&f, ann.actor(), "Hello").is_ok());
    let token = mailed_tokens(&f, "ann@example.com").remove(0);
    assert!(
        f.confirm_email(&token).is_err(),
        "confirming by hand spends the mailed link"
    );
    let log = f
        .audit_log(
            None,
            &AuditFilter {
                action: Some("member.email_confirmed".into()),
                ..Default::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actor_id, Some(admin.id));
    assert_eq!(log[0].target_id, ann.id);
    assert_eq!(
        (log[0].before.as_str(), log[0].after.as_str()),
        ("unconfirmed", "confirmed")
    );
    assert_eq!(log[0].reason, "asked by phone");
    // Again: nothing to do, nothing audited.
    f.staff_confirm_email(Some(admin.actor()), ann.id, "")
        .unwrap();
    assert_eq!(
        f.audit_log(None, &AuditFilter::default(), 10)
            .unwrap()
            .len(),
        1
    );
}

fn a_site_that_does_not_ask_asks_nobody(db: &TestDb) {
    let (f, _) = clocked(db, false);
    let ann = f.register(new_user("ann", Role::Customer)).unwrap();
    assert!(ann.email_confirmed_at.is_none(), "nobody confirmed it");
    assert!(!f.must_confirm_email(&ann));
    assert!(ask(&f, ann.actor(), "Hello").is_ok());
    assert!(!f.resend_email_confirmation(ann.id).unwrap());
    assert_eq!(f.mail_counts().unwrap(), (0, 0, 0), "no mail at all");
    // Should the site start asking, she is asked (and may get a link).
    let strict = f.clone().with_email_confirmation(true);
    assert!(matches!(
        ask(&strict, ann.actor(), "Again"),
        Err(ForumError::EmailUnconfirmed)
    ));
    assert!(strict.resend_email_confirmation(ann.id).unwrap());
    let token = mailed_tokens(&strict, "ann@example.com").remove(0);
    strict.confirm_email(&token).unwrap();
    assert!(ask(&strict, ann.actor(), "Again").is_ok());
    // Login-less accounts (no password) and identity-provider accounts
    // need no link.
    let contact = strict
        .register(NewUser {
            language: None,
            password: None,
            ..new_user("carl", Role::Customer)
        })
        .unwrap();
    assert!(!strict.must_confirm_email(&contact));
    let sso = strict
        .sso_create_account(&forum::sso::NewSsoAccount {
            provider: "corp".into(),
            subject: "s-1".into(),
            username_base: "dora".into(),
            email: Some("dora@example.com".into()),
            display_name: None,
            role: Role::Customer,
            email_confirmed: true,
        })
        .unwrap();
    assert!(!strict.must_confirm_email(&sso));
    let unverified = strict
        .sso_create_account(&forum::sso::NewSsoAccount {
            provider: "corp".into(),
            subject: "s-2".into(),
            username_base: "eve".into(),
            email: Some("eve@example.com".into()),
            display_name: None,
            role: Role::Customer,
            email_confirmed: false,
        })
        .unwrap();
    assert!(strict.must_confirm_email(&unverified));
}
