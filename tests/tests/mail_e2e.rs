//! Mail notifications end to end: a real SMTP server (aiosmtpd, started by
//! these tests from tests/smtp/sink.py) receives what the server sends, and
//! the tests read every message back from disk.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_e2e::smtp::*;
use hearth_e2e::*;
use serde_json::json;

async fn ask(b: &Browser, category: &str, title: &str, body: &str) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": category, "title": title, "body": body }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().unwrap()
}

async fn every_event_mails_once(backend: Backend) {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let mut crm = crm_bridge::CrmConfig::default();
    // A first response is due in 36 s and the warning window is 1 minute,
    // so the SLA timer warns at once.
    crm.rules.sla.normal.first_response_hours = 0.01;
    crm.rules.sla.high.first_response_hours = 0.01;
    crm.rules.sla.warn_before_minutes = 1;
    let Some(s) = start_with(backend, 64 * 1024, crm, mail_config(port, 24 * 3600)).await else {
        return;
    };
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let (carl, _) = api_user(&s.base, "carl").await;
    let (dana, _) = api_user(&s.base, "dana").await;
    let (_eve, _) = api_user(&s.base, "eve").await;
    let _agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let moderator = api_staff(&s, "mod1", forum::Role::Moderator).await;

    // Dana watches the general board; Carl watches the thread.
    let r = dana
        .post_json(
            "/api/v1/categories/general/watch",
            &json!({ "watch": true }),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let t = ask(
        &ann,
        "general",
        "Printer prints blank pages",
        "Since the driver update.",
    )
    .await;
    let r = carl
        .post_json(
            &format!("/api/v1/threads/{t}/watch"),
            &json!({ "watch": true }),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let answer = post_reply(&bob, t, "Reinstall the driver, @eve saw this too.").await;
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert!(r.status < 300, "{}", r.body);
    // A kudo on the accepted answer promotes it to the KB review queue.
    let r = ann
        .post_json(
            &format!("/api/v1/posts/{answer}/vote"),
            &json!({ "on": true }),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    // A support thread escalated by hand reaches the agents.
    let t2 = ask(
        &carl,
        "support",
        "Refund for a broken unit",
        "It arrived cracked.",
    )
    .await;
    let _ = moderator
        .post_json(&format!("/api/v1/threads/{t2}/escalate"), &json!({}))
        .await;

    let mails = wait_for(sink.dir.path(), "every notification", |m| {
        count(m, "ann@example.com", "reply") == 1
            && count(m, "eve@example.com", "mention") == 1
            && count(m, "carl@example.com", "watched") == 1
            && count(m, "dana@example.com", "watched") == 2
            && count(m, "bob@example.com", "accepted") == 1
            && count(m, "bob@example.com", "badge") >= 1
            && count(m, "mod1@example.com", "kb_review") == 1
            && count(m, "agent1@example.com", "escalated") == 1
            && count(m, "agent1@example.com", "sla") >= 1
    });
    // Nobody hears about their own action, and nothing is sent twice.
    assert_eq!(
        count(&mails, "bob@example.com", "reply") + count(&mails, "bob@example.com", "watched"),
        0
    );
    assert_eq!(
        count(&mails, "ann@example.com", "watched"),
        0,
        "the asker gets one reply mail, not two"
    );
    let ids: std::collections::HashSet<&str> = mails.iter().map(|m| m.h("message-id")).collect();
    assert_eq!(ids.len(), mails.len(), "every Message-ID is unique");

    // Every mail carries a signed unsubscribe link for its own kind that opens.
    for m in &mails {
        let url = m.unsubscribe_url();
        assert!(url.contains(&format!("k={}", m.kind())), "{:?}", m.headers);
        let path = url
            .strip_prefix(&s.base)
            .expect("link to this community")
            .to_string();
        let page = Browser::new(&s.base).get(&path).await;
        assert_eq!(page.status, 200, "{} for {}: {}", path, m.kind(), page.body);
    }
    // The reply mail: right recipient, threaded, both parts, and a signed unsubscribe link that works.
    let r = mails
        .iter()
        .find(|m| m.to() == "ann@example.com" && m.kind() == "reply")
        .unwrap();
    assert!(
        r.h("in-reply-to")
            .contains(&format!("thread.{t}@127.0.0.1")),
        "{:?}",
        r.headers
    );
    assert!(r.h("content-type").contains("multipart/alternative"));
    assert!(
        r.body.contains("text/html") && r.body.contains(&format!("/t/{t}#p{answer}")),
        "{}",
        r.body
    );
    assert_eq!(r.h("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
    let url = r.unsubscribe_url();
    let path = url
        .strip_prefix(&s.base)
        .expect("link to this community")
        .to_string();
    let page = Browser::new(&s.base).get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let tampered = path.replace("k=reply", "k=mention");
    assert_eq!(
        Browser::new(&s.base).post_form(&tampered, &[]).await.status,
        422
    );
    let done = Browser::new(&s.base).post_form(&path, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let prefs = ann.get("/api/v1/me/notification-settings").await.json();
    assert_eq!(prefs["modes"]["reply"], "off");

    // After unsubscribing, a new reply mails the watcher but not the asker.
    post_reply(&bob, t, "One more thing: update the firmware.").await;
    let mails = wait_for(sink.dir.path(), "the second watched mail", |m| {
        count(m, "carl@example.com", "watched") == 2
    });
    assert_eq!(
        count(&mails, "ann@example.com", "reply"),
        1,
        "unsubscribed from replies"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn every_event_mails_once_sqlite() {
    every_event_mails_once(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn every_event_mails_once_postgres() {
    every_event_mails_once(Backend::Postgres).await;
}

#[actix_rt::test]
async fn digests_group_a_day_of_updates_into_one_mail() {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        Backend::Sqlite,
        64 * 1024,
        Default::default(),
        mail_config(port, 2),
    )
    .await
    else {
        return;
    };
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let r = ann
        .put_json(
            "/api/v1/me/notification-settings",
            &json!({ "modes": { "reply": "digest" } }),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let a = ask(&ann, "general", "Keyboard lag", "Letters appear late.").await;
    let b = ask(&ann, "general", "Mouse drift", "The cursor moves alone.").await;
    post_reply(&bob, a, "Try another USB port.").await;
    post_reply(&bob, b, "Clean the sensor.").await;
    post_reply(&bob, a, "Or update the firmware.").await;
    let mails = wait_for(sink.dir.path(), "a digest", |m| {
        count(m, "ann@example.com", "digest") == 1
    });
    assert_eq!(
        count(&mails, "ann@example.com", "reply"),
        0,
        "digest mode sends no instant mails"
    );
    let d = mails.iter().find(|m| m.kind() == "digest").unwrap();
    let html = d.body.split("text/html").nth(1).unwrap_or("");
    assert_eq!(
        html.matches("<h3>").count(),
        2,
        "one section per thread: {html}"
    );
    let kb = html.find("Keyboard lag").unwrap();
    let mouse = html.find("Mouse drift").unwrap();
    assert!(kb < mouse, "threads in first-seen order");
    assert_eq!(
        html[kb..mouse].matches(&format!("/t/{a}#p")).count(),
        2,
        "both replies of the first thread sit under it"
    );
    assert!(!d.unsubscribe_url().is_empty());
    // Nothing waits any more: a second digest needs new items.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        count(&read_mails(sink.dir.path()), "ann@example.com", "digest"),
        1
    );
    s.stop().await;
}

#[actix_rt::test]
async fn smtp_down_for_a_while_then_every_mail_once() {
    let port = free_port();
    if !forum::testkit::suite_available(
        "smtp",
        (!python_ok()).then(|| "python3 with aiosmtpd is missing (pip install aiosmtpd)".into()),
    ) {
        return;
    }
    let base = mail_config(port, 24 * 3600);
    // Enough retries to outlast the outage.
    let customize: Customize = Arc::new(move |c: &mut web::Config| {
        base(c);
        c.mail.max_attempts = 10_000;
    });
    let Some(s) = start_with(Backend::Sqlite, 64 * 1024, Default::default(), customize).await
    else {
        return;
    };
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let mut threads = Vec::new();
    for i in 0..6 {
        threads.push(ask(&ann, "general", &format!("Question number {i}"), "details").await);
    }
    for t in &threads {
        post_reply(&bob, *t, "An answer.").await;
    }
    // Nothing listens for a few seconds: the mails wait and are retried.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (pending, sent, _) = s.forum.mail_counts().unwrap();
        if pending >= 6 {
            assert_eq!(sent, 0);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "mails never queued: {pending} pending"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    let (pending, sent, dead) = s.forum.mail_counts().unwrap();
    assert!(
        pending >= 6 && sent == 0 && dead == 0,
        "{pending} {sent} {dead}"
    );
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    wait_for(sink.dir.path(), "all six reply mails", |m| {
        count(m, "ann@example.com", "reply") >= 6
    });
    // Other mails (badges) may still be in their backoff: wait until the
    // queue is empty, then make sure nothing arrives twice afterwards.
    let deadline = Instant::now() + Duration::from_secs(60);
    while s.forum.mail_counts().unwrap().0 > 0 {
        assert!(Instant::now() < deadline, "mails never drained");
        std::thread::sleep(Duration::from_millis(100));
    }
    let mails = read_mails(sink.dir.path());
    std::thread::sleep(Duration::from_millis(1500));
    let mails_after = read_mails(sink.dir.path());
    assert_eq!(mails_after.len(), mails.len(), "no duplicates arrive later");
    assert_eq!(
        count(&mails_after, "ann@example.com", "reply"),
        6,
        "each mail exactly once"
    );
    let (pending, sent, dead) = s.forum.mail_counts().unwrap();
    assert_eq!((pending, dead), (0, 0));
    assert_eq!(
        sent as usize,
        mails_after.len(),
        "every queued mail arrived once (replies and badges)"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn password_reset_by_mail_is_single_use() {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        Backend::Sqlite,
        64 * 1024,
        Default::default(),
        mail_config(port, 24 * 3600),
    )
    .await
    else {
        return;
    };
    let (_ann, _) = api_user(&s.base, "ann").await;
    let b = Browser::new(&s.base);
    let r = b
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "ann@example.com")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let unknown = b
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(unknown.status, 200);
    assert_eq!(
        unknown.body.contains("a reset link is on its way"),
        r.body.contains("a reset link is on its way"),
        "the answer does not reveal whether an account exists"
    );
    let mails = wait_for(sink.dir.path(), "the reset mail", |m| {
        count(m, "ann@example.com", "password_reset") == 1
    });
    assert_eq!(mails.len(), 1, "nobody else got mail");
    let m = &mails[0];
    assert!(
        m.h("list-unsubscribe").is_empty(),
        "security mail cannot be unsubscribed"
    );
    let marker = "/password/reset?token=";
    let at = m.body.find(marker).expect("link in mail") + marker.len();
    let token: String = m.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64);
    let page = format!("/password/reset?token={token}");
    let r = b
        .submit(
            &page,
            "/password/reset",
            &[("token", &token), ("password", "brand-new-secret")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let again = b
        .submit(
            &page,
            "/password/reset",
            &[("token", &token), ("password", "another-secret-1")],
        )
        .await;
    assert_eq!(again.status, 422, "a reset link works once");
    let login = Browser::new(&s.base);
    let ok = login
        .submit(
            "/login",
            "/login",
            &[("login", "ann"), ("password", "brand-new-secret")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let old = Browser::new(&s.base);
    let bad = old
        .submit(
            "/login",
            "/login",
            &[("login", "ann"), ("password", "password123")],
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(s.forum.mail_counts().unwrap().1 >= 1);
    s.stop().await;
}

/// The confirmation link in a mail, as a path.
fn confirm_path(m: &Mail) -> String {
    let marker = "/confirm-email/";
    let at = m.body.find(marker).expect("link in mail") + marker.len();
    let token: String = m.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "{}", m.body);
    format!("{marker}{token}")
}

async fn members_confirm_their_address_before_posting(backend: Backend) {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let mail = mail_config(port, 24 * 3600);
    let Some(s) = start_with(
        backend,
        64 * 1024,
        Default::default(),
        Arc::new(move |c: &mut web::Config| {
            mail(c);
            c.registration.require_email_confirmation = true;
        }),
    )
    .await
    else {
        return;
    };
    // Registered over the API: signed in, reads, but may not post yet.
    let (ann, _) = api_user(&s.base, "ann").await;
    let refused = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "My first question", "body": "Hello" }),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.error_code(), "email_unconfirmed");
    assert!(refused.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("mailed you"));
    assert_eq!(ann.get("/api/v1/categories").await.status, 200);
    let me = ann.get("/api/v1/me").await;
    assert_eq!(me.json()["email_confirmation_pending"], true);
    let mails = wait_for(sink.dir.path(), "the confirmation mail", |m| {
        count(m, "ann@example.com", "email_confirm") == 1
    });
    let first = mails
        .iter()
        .find(|m| m.kind() == "email_confirm")
        .expect("mail");
    assert!(
        first.h("list-unsubscribe").is_empty(),
        "a confirmation cannot be unsubscribed from"
    );
    let first_link = confirm_path(first);
    // Resend by the API: a second link.
    let resent = ann
        .post_json("/api/v1/me/confirm-email/resend", &json!({}))
        .await;
    assert_eq!(resent.status, 202, "{}", resent.body);
    assert_eq!(resent.json()["sent"], true);
    let mails = wait_for(sink.dir.path(), "the second link", |m| {
        count(m, "ann@example.com", "email_confirm") == 2
    });
    let second = mails
        .iter()
        .filter(|m| m.kind() == "email_confirm")
        .map(confirm_path)
        .find(|p| *p != first_link)
        .expect("a new link");

    // Opening the link (a mail scanner does too) confirms nothing…
    let visitor = Browser::new(&s.base);
    let page = visitor.get(&second).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Confirm"));
    let still = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "My first question", "body": "Hello" }),
        )
        .await;
    assert_eq!(still.error_code(), "email_unconfirmed");
    // …the button does.
    let done = visitor.submit(&second, &second, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("is confirmed"), "{}", done.body);
    let ok = ann
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "My first question", "body": "Hello" }),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(
        ann.get("/api/v1/me").await.json()["email_confirmation_pending"],
        false
    );
    // Single use: both links are spent now.
    for link in [&second, &first_link] {
        assert_eq!(visitor.get(link).await.status, 410, "{link}");
    }

    // The pages: a member who registers by the form is sent to the
    // confirmation page, is refused with a way to get a new link, and gets
    // one.
    let bob = Browser::new(&s.base);
    let r = bob.register("bob").await;
    assert_eq!(r.location(), "/confirm-email");
    let page = bob.get("/confirm-email").await;
    assert!(page.body.contains("bob@example.com"), "{}", page.body);
    let refused = bob
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "general"),
                ("title", "Can I post yet"),
                ("body", "Probably not"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("action=\"/confirm-email\""));
    let resent = bob.submit("/confirm-email", "/confirm-email", &[]).await;
    assert_eq!(resent.status, 200);
    assert!(resent.body.contains("on its way"), "{}", resent.body);
    wait_for(sink.dir.path(), "bob's two links", |m| {
        count(m, "bob@example.com", "email_confirm") == 2
    });
    // An administrator can confirm by hand instead.
    api_staff(&s, "root", forum::Role::Admin).await;
    let bob_id = s.forum.find_user("bob").unwrap().unwrap().id;
    let root = Browser::new(&s.base);
    let login = root
        .submit(
            "/login",
            "/login",
            &[("login", "root"), ("password", "password123")],
        )
        .await;
    assert_eq!(login.status, 303);
    let member = root.get(&format!("/admin/users/{bob_id}")).await;
    assert!(
        member.body.contains("email not confirmed"),
        "{}",
        member.body
    );
    let confirmed = root
        .submit(
            &format!("/admin/users/{bob_id}"),
            &format!("/admin/users/{bob_id}/confirm-email"),
            &[("reason", "checked by phone")],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    let asked = bob
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "general"),
                ("title", "Can I post yet"),
                ("body", "Yes, now"),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let audit = root.get("/admin/audit?action=member.email_confirmed").await;
    assert!(audit.body.contains("checked by phone"), "{}", audit.body);
    s.stop().await;
}

#[actix_rt::test]
async fn members_confirm_their_address_before_posting_sqlite() {
    members_confirm_their_address_before_posting(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn members_confirm_their_address_before_posting_postgres() {
    members_confirm_their_address_before_posting(Backend::Postgres).await;
}

async fn change_email(b: &Browser, to: &str, password: &str) -> Response {
    b.submit(
        "/settings/profile",
        "/settings/email",
        &[("new_email", to), ("current_password", password)],
    )
    .await
}

/// A member changes their address: the current password proves it is
/// them, the link goes to the new address (never the old one), and the
/// address changes only when that link is used; an address another
/// account has is refused.
#[actix_rt::test]
async fn a_new_address_is_confirmed_at_the_new_address() {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        Backend::Sqlite,
        64 * 1024,
        Default::default(),
        mail_config(port, 24 * 3600),
    )
    .await
    else {
        return;
    };
    let olga = Browser::new(&s.base);
    olga.register("olga").await;
    Browser::new(&s.base).register("bob").await;
    let wrong = change_email(&olga, "olga.new@example.org", "guess").await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains("that is not your current password"),
        "{}",
        wrong.body
    );
    let taken = change_email(&olga, "bob@example.com", "password123").await;
    assert_eq!(taken.status, 422);
    assert!(
        taken
            .body
            .contains("an account with that email already exists"),
        "{}",
        taken.body
    );
    let r = change_email(&olga, "olga.new@example.org", "password123").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/settings/profile?email=1");
    let mails = wait_for(sink.dir.path(), "the link to the new address", |m| {
        count(m, "olga.new@example.org", "email_change") == 1
    });
    assert_eq!(count(&mails, "olga@example.com", "email_change"), 0);
    // Not changed until the link is used.
    let user = s.forum.find_user("olga").unwrap().unwrap();
    assert_eq!(user.email, "olga@example.com");
    let link = confirm_path(
        mails
            .iter()
            .find(|m| m.kind() == "email_change")
            .expect("mail"),
    );
    let done = olga.submit(&link, &link, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let user = s.forum.find_user("olga").unwrap().unwrap();
    assert_eq!(user.email, "olga.new@example.org");
    assert!(user.email_confirmed_at.is_some());
    // The old address is told, over SMTP like any mail, with the new
    // address masked; nothing to unsubscribe from, no link to open.
    let mails = wait_for(sink.dir.path(), "the word to the old address", |m| {
        count(m, "olga@example.com", "email_changed") == 1
    });
    assert_eq!(count(&mails, "olga.new@example.org", "email_changed"), 0);
    let told = mails
        .iter()
        .find(|m| m.kind() == "email_changed")
        .expect("mail");
    assert!(told.h("subject").contains("Your email address was changed"));
    assert!(
        told.body.contains("was changed to o***@example.org"),
        "{}",
        told.body
    );
    assert!(!told.body.contains("olga.new@"), "{}", told.body);
    assert!(told.unsubscribe_url().is_empty());
    // Spent.
    assert_eq!(olga.get(&link).await.status, 410);
    s.stop().await;
}

#[actix_rt::test]
async fn the_weekly_figures_reach_admins_by_mail_once() {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        Backend::Sqlite,
        64 * 1024,
        Default::default(),
        mail_config(port, 24 * 3600),
    )
    .await
    else {
        return;
    };
    // An admin who reads Persian, another who turned the digest off, and
    // a customer.
    for (name, language) in [("shirin", "fa"), ("quiet", "en")] {
        s.forum
            .register_with(
                forum::NewUser {
                    language: Some(language.into()),
                    username: name.into(),
                    email: format!("{name}@example.com"),
                    password: Some("password123".into()),
                    role: forum::Role::Admin,
                    display_name: None,
                },
                forum::AccountEmail::Confirmed,
            )
            .unwrap();
    }
    let quiet = s.forum.find_user("quiet").unwrap().unwrap();
    s.forum
        .set_mail_pref(quiet.id, "analytics", forum::notify::MailMode::Off)
        .unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    ask(&ann, "general", "Printer offline", "It says offline.").await;

    // What the hourly job does (its first run waits past start-up).
    assert_eq!(s.forum.send_weekly_digest().unwrap(), 2);
    assert_eq!(s.forum.send_weekly_digest().unwrap(), 0);
    let mails = wait_for(sink.dir.path(), "the weekly figures", |m| {
        count(m, "shirin@example.com", "analytics") == 1
    });
    let m = mails.iter().find(|m| m.kind() == "analytics").unwrap();
    // In her language: the heading and the figures (the subject is
    // encoded; the body repeats it).
    assert!(m.body.contains("هفتهٔ جامعه در یک نگاه"), "{}", m.body);
    // Last week's figures (today's question belongs to this week; the
    // exact figures are pinned by the storage suite).
    assert!(
        m.body.contains("پرسش‌ها: ۰ (هفتهٔ پیش از آن: ۰)"),
        "{}",
        m.body
    );
    assert!(
        m.body.contains("/analytics?range=custom&from="),
        "{}",
        m.body
    );
    assert!(!m.h("list-unsubscribe").is_empty(), "it can be turned off");
    // Nobody else: not the admin who turned it off, not the customer.
    std::thread::sleep(Duration::from_millis(500));
    let all = read_mails(sink.dir.path());
    assert_eq!(
        all.iter().filter(|m| m.kind() == "analytics").count(),
        1,
        "{:?}",
        all.iter().map(|m| m.to().to_string()).collect::<Vec<_>>()
    );
    s.stop().await;
}
