//! A status change reaching a voter by mail, over a real SMTP server
//! (aiosmtpd, tests/smtp/sink.py, as the mail suite does), on SQLite and
//! PostgreSQL: each voter and the author get exactly one mail, in their
//! language, with the public note and a link to the idea's timeline.

use std::time::Duration;

use hearth_e2e::smtp::*;
use hearth_e2e::*;
use serde_json::json;

async fn a_status_change_reaches_every_voter_by_mail(backend: Backend) {
    let port = free_port();
    let Some(sink) = sink_on(port, None) else {
        return;
    };
    let Some(s) = start_with(
        backend,
        64 * 1024,
        crm_bridge::CrmConfig::default(),
        mail_config(port, 24 * 3600),
    )
    .await
    else {
        return;
    };
    s.forum
        .create_board(
            None,
            forum::boards::NewBoard {
                slug: "ideas".into(),
                name: "Ideas".into(),
                kind: Some(forum::boards::BoardKind::Ideas),
                ..Default::default()
            },
        )
        .unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let (olga, olga_id) = api_user(&s.base, "olga").await;
    let (_eve, _) = api_user(&s.base, "eve").await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    // Olga reads Russian.
    s.forum.set_language(olga_id, "ru").unwrap();
    let r = ann
        .post_json(
            "/api/v1/ideas",
            &json!({ "board": "ideas", "title": "Dark mode", "description": "Easier at night." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["idea"]["id"].as_i64().unwrap();
    for voter in [&bob, &olga] {
        let r = voter
            .post_json(&format!("/api/v1/ideas/{id}/vote"), &json!({}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = agent
        .post_json(
            &format!("/api/v1/ideas/{id}/status"),
            &json!({ "status": "planned", "note": "Coming in the spring release" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let dir = sink.dir.path();
    let mails = wait_for(dir, "the status mails", |m| {
        ["ann@example.com", "bob@example.com", "olga@example.com"]
            .iter()
            .all(|to| count(m, to, "idea_status") == 1)
    });
    let to_bob = mails
        .iter()
        .find(|m| m.to() == "bob@example.com" && m.kind() == "idea_status")
        .unwrap();
    assert!(
        to_bob.body.contains("Coming in the spring release"),
        "{}",
        to_bob.body
    );
    assert!(
        to_bob.body.contains(&format!("/ideas/{id}#timeline")),
        "{}",
        to_bob.body
    );
    assert!(to_bob.body.contains("is now Planned"), "{}", to_bob.body);
    let to_olga = mails
        .iter()
        .find(|m| m.to() == "olga@example.com" && m.kind() == "idea_status")
        .unwrap();
    let text = to_olga.body.clone();
    assert!(text.contains("теперь Planned"), "{text}");
    assert!(text.contains("Coming in the spring release"), "{text}");
    // Nobody else, and nobody twice, once everything has run.
    s.settle().await;
    std::thread::sleep(Duration::from_millis(500));
    let mails = read_mails(dir);
    for to in ["ann@example.com", "bob@example.com", "olga@example.com"] {
        assert_eq!(count(&mails, to, "idea_status"), 1, "{to}");
    }
    assert_eq!(count(&mails, "eve@example.com", "idea_status"), 0);
    assert_eq!(count(&mails, "agent1@example.com", "idea_status"), 0);
    // And in the bell too.
    let bell = bob.get("/api/v1/notifications").await;
    assert!(bell.body.contains("idea_status"), "{}", bell.body);
    s.stop().await;
}

#[actix_web::test]
async fn a_status_change_reaches_every_voter_by_mail_sqlite() {
    a_status_change_reaches_every_voter_by_mail(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_status_change_reaches_every_voter_by_mail_postgres() {
    a_status_change_reaches_every_voter_by_mail(Backend::Postgres).await;
}
