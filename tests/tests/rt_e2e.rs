//! The Request Tracker connector against a real RT 5 that `.ci/rt5.sh`
//! installs and starts on loopback (it exports RT5_URL, RT5_TOKEN, …).
//! Without RT5_URL the test skips loudly, unless CI is set: then it fails.

use std::time::{Duration, Instant};

use crm_bridge::{ConnectorConfig, CrmConfig, Secret};
use hearth_e2e::*;
use serde_json::json;

struct Rt {
    url: String,
    token: String,
    agent: (String, String),
}

fn rt_from_env() -> Option<Rt> {
    match (std::env::var("RT5_URL"), std::env::var("RT5_TOKEN")) {
        (Ok(url), Ok(token)) if !url.is_empty() && !token.is_empty() => Some(Rt {
            url,
            token,
            agent: (
                std::env::var("RT5_AGENT_USER").unwrap_or_else(|_| "agent".into()),
                std::env::var("RT5_AGENT_PASSWORD").unwrap_or_else(|_| "agentpass".into()),
            ),
        }),
        _ => {
            forum::testkit::suite_available(
                "rt",
                Some("RT5_URL and RT5_TOKEN are unset (eval \"$(bash .ci/rt5.sh)\")".into()),
            );
            None
        }
    }
}

async fn rt_json(
    req: awc::ClientRequest,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut resp = match body {
        Some(b) => {
            req.insert_header(("Content-Type", "application/json"))
                .send_body(b.to_string())
                .await
        }
        None => req.send().await,
    }
    .expect("RT request");
    let status = resp.status().as_u16();
    let bytes = resp.body().await.expect("RT body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[actix_rt::test]
async fn request_tracker_tickets_follow_threads_and_come_back() {
    let Some(rt) = rt_from_env() else { return };
    let crm = CrmConfig {
        connector: ConnectorConfig::Rt {
            url: rt.url.clone(),
            token: Secret::new(rt.token.clone()),
            queue: "General".into(),
            user: "root".into(),
        },
        delivery: crm_bridge::config::DeliveryConfig {
            poll_every_ms: 300,
            backoff_base_ms: 200,
            ..Default::default()
        },
        ..CrmConfig::default()
    };
    let s = start_with_crm(Backend::Sqlite, 64 * 1024, crm)
        .await
        .unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let agent = api_staff(&s, "agent1", forum::Role::Agent).await;
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let title = format!("Camera app freezes {nonce}");
    let r = ann.post_json("/api/v1/threads", &json!({ "category": "support", "title": title, "body": "It freezes when I switch to video." })).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let thread = r.json()["thread"]["id"].as_i64().unwrap();

    // Thread → task → RT ticket.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (task_id, ticket) = loop {
        let q = agent.get("/api/v1/crm/tasks").await.json();
        let found = q["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["thread_id"] == thread)
            .cloned();
        if let Some(t) = found {
            if t["external"]["sync_state"] == "synced" {
                break (
                    t["id"].as_i64().unwrap(),
                    t["external"]["external_id"].as_str().unwrap().to_string(),
                );
            }
        }
        assert!(
            Instant::now() < deadline,
            "no RT ticket for the thread: {q}"
        );
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    };
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let token = format!("token {}", rt.token);
    let (status, t) = rt_json(
        client
            .get(format!("{}/REST/2.0/ticket/{ticket}", rt.url))
            .insert_header(("Authorization", token.as_str())),
        None,
    )
    .await;
    assert_eq!(status, 200, "{t}");
    assert!(t["Subject"].as_str().unwrap().contains(&title), "{t}");
    let crm = s.crm.clone();
    let instance = actix_web::rt::task::spawn_blocking(move || crm.instance_id().unwrap())
        .await
        .unwrap();
    assert!(
        t["Subject"]
            .as_str()
            .unwrap()
            .contains(&format!("[hearth-task-{instance}-{task_id}]")),
        "{t}"
    );
    assert_eq!(
        t["Queue"]["id"].as_str().map(|q| !q.is_empty()),
        Some(true),
        "{t}"
    );
    let requestors = t["Requestor"].to_string();
    assert!(
        requestors.contains("ann@example.com") || t.to_string().contains("ann@example.com"),
        "{t}"
    );

    // An agent answers in RT, then resolves the ticket: both reach the thread.
    let agent_auth = |req: awc::ClientRequest| req.basic_auth(&rt.agent.0, &rt.agent.1);
    let answer = format!("Update the camera firmware to 4.2 ({nonce}).");
    let (status, body) = rt_json(
        agent_auth(client.post(format!("{}/REST/2.0/ticket/{ticket}/correspond", rt.url))),
        Some(json!({ "Content": answer, "ContentType": "text/plain" })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = rt_json(
        agent_auth(client.put(format!("{}/REST/2.0/ticket/{ticket}", rt.url))),
        Some(json!({ "Status": "resolved" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let t = ann.get(&format!("/api/v1/threads/{thread}")).await.json();
        let view = agent
            .get(&format!("/api/v1/crm/tasks/{task_id}"))
            .await
            .json();
        let replies = t["replies"].as_array().unwrap();
        let posted: Vec<_> = replies
            .iter()
            .filter(|p| p["body_md"].as_str().unwrap_or("").contains(&answer))
            .collect();
        if posted.len() == 1 && view["task"]["status"] == "resolved" {
            assert_eq!(
                posted[0]["author"]["role"], "agent",
                "posted as official staff"
            );
            break;
        }
        assert!(posted.len() <= 1, "the RT reply was posted twice: {t}");
        assert!(
            Instant::now() < deadline,
            "RT changes never reached Hearth: task {} / {t}",
            view["task"]
        );
        actix_rt::time::sleep(Duration::from_millis(300)).await;
    }
    let page = ann.get(&format!("/t/{thread}")).await;
    assert!(page.body.contains("Answered by the support team"));

    // A reply in the thread becomes an RT comment on the ticket.
    let follow = format!("Thanks, firmware fixed it ({nonce}).");
    let r = ann
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &json!({ "body": follow }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, h) = rt_json(
            client.get(format!("{}/REST/2.0/ticket/{ticket}/attachments?fields=Content,ContentType&per_page=100", rt.url)).insert_header(("Authorization", token.as_str())),
            None,
        )
        .await;
        if h.to_string().contains(&follow) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the thread reply never reached RT"
        );
        actix_rt::time::sleep(Duration::from_millis(300)).await;
    }
    s.stop().await;
}
