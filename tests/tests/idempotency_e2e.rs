//! `Idempotency-Key` on API writes over HTTP, on SQLite and PostgreSQL: a
//! retry gets the first answer without a second write, a key reused for a
//! different request is refused, keys are per member, and requests racing
//! with one key write once.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hearth_e2e::*;
use serde_json::json;

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await } )* }
        mod postgres { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await } )* }
    };
}

both!(retries_with_a_key_write_once, racing_retries_write_once);

/// POST JSON with an `Idempotency-Key`.
async fn post_keyed(b: &Browser, path: &str, key: &str, body: &serde_json::Value) -> Response {
    b.post_json_with_headers(path, &[("Idempotency-Key", key)], body)
        .await
}

/// Threads titled `title` in the general board, as the API lists them.
async fn titled(b: &Browser, title: &str) -> usize {
    let r = b
        .get("/api/v1/categories/general/threads?per_page=100")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["threads"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["title"] == title)
        .count()
}

async fn retries_with_a_key_write_once(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, _) = api_user(&s.base, "annika").await;
    let (bob, _) = api_user(&s.base, "bobby").await;
    let ask = json!({ "category": "general", "title": "Modem light blinks red", "body": "Since the storm." });
    let first = post_keyed(&ann, "/api/v1/threads", "key-0001", &ask).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(!first.headers.contains_key("idempotent-replayed"));
    // The client lost the answer and sends the same request again.
    let again = post_keyed(&ann, "/api/v1/threads", "key-0001", &ask).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.json(), first.json(), "the first answer, again");
    assert_eq!(again.headers["content-type"], first.headers["content-type"]);
    assert_eq!(
        titled(&ann, "Modem light blinks red").await,
        1,
        "one thread"
    );
    // The same key for something else is a mistake, named.
    let other = json!({ "category": "general", "title": "Another question entirely", "body": "Different." });
    let r = post_keyed(&ann, "/api/v1/threads", "key-0001", &other).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "idempotency_key", "{}", r.body);
    assert_eq!(titled(&ann, "Another question entirely").await, 0);
    // The same key on another address is another request too.
    let t = first.json()["thread"]["id"].as_i64().unwrap();
    let reply = json!({ "body": "Same key, other address." });
    let r = post_keyed(
        &ann,
        &format!("/api/v1/threads/{t}/posts"),
        "key-0001",
        &reply,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Keys are per member: Bob's key-0001 is his own.
    let r = post_keyed(&bob, "/api/v1/threads", "key-0001", &ask).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!r.headers.contains_key("idempotent-replayed"));
    assert_ne!(r.json()["thread"]["id"], first.json()["thread"]["id"]);
    assert_eq!(titled(&ann, "Modem light blinks red").await, 2);
    // A refusal is an answer too: the same refusal comes back.
    let short = json!({ "category": "general", "title": "Hi", "body": "x" });
    let r1 = post_keyed(&ann, "/api/v1/threads", "key-0002", &short).await;
    assert_eq!(r1.status, 422);
    let r2 = post_keyed(&ann, "/api/v1/threads", "key-0002", &short).await;
    assert_eq!(r2.status, 422);
    assert_eq!(r2.headers["idempotent-replayed"], "true");
    assert_eq!(r2.json(), r1.json());
    // Replies and kudos take keys as well.
    let r1 = post_keyed(
        &bob,
        &format!("/api/v1/threads/{t}/posts"),
        "reply-1",
        &reply,
    )
    .await;
    assert_eq!(r1.status, 201, "{}", r1.body);
    let r2 = post_keyed(
        &bob,
        &format!("/api/v1/threads/{t}/posts"),
        "reply-1",
        &reply,
    )
    .await;
    assert_eq!(r2.json()["id"], r1.json()["id"]);
    let thread = ann.get(&format!("/api/v1/threads/{t}")).await.json();
    assert_eq!(thread["total_replies"], 1, "{thread}");
    // Keys that are not 1 to 255 visible ASCII characters are refused.
    for bad in ["", "with space", &"k".repeat(256)] {
        let r = post_keyed(&ann, "/api/v1/threads", bad, &other).await;
        assert_eq!(r.status, 422, "{bad:?}: {}", r.body);
        assert_eq!(r.json()["error"]["field"], "idempotency_key");
    }
    // Without a member's token the key changes nothing: the usual 401.
    let r = post_keyed(&Browser::new(&s.base), "/api/v1/threads", "key-0003", &ask).await;
    assert_eq!(r.status, 401);
    s.stop().await;
}

async fn racing_retries_write_once(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, _) = api_user(&s.base, "annika").await;
    let ask = json!({ "category": "general", "title": "Router fan is loud", "body": "Louder every day." });
    let tries = (0..6).map(|_| post_keyed(&ann, "/api/v1/threads", "same-key", &ask));
    let answers = futures_util::future::join_all(tries).await;
    let mut created = std::collections::BTreeSet::new();
    for r in &answers {
        match r.status {
            201 => {
                created.insert(r.json()["thread"]["id"].as_i64().unwrap());
            }
            409 => assert!(r.headers.contains_key("retry-after"), "{:?}", r.headers),
            other => panic!("{other}: {}", r.body),
        }
    }
    assert_eq!(
        created.len(),
        1,
        "every 201 names the one thread: {created:?}"
    );
    assert_eq!(titled(&ann, "Router fan is loud").await, 1);
    s.stop().await;
}
