//! A member's own settings over real HTTP: the time zone absolute times
//! are written in (the settings form, the API, a thread page), and the
//! paged activity tabs of a profile.

use hearth_e2e::*;
use serde_json::json;

const BODY_LIMIT: usize = 64 * 1024;

/// What a `<time>`'s hover text says in Tehran (+03:30 all year since
/// 2022), worked out from the UTC text alone.
fn in_tehran(ms: i64) -> String {
    let local = web::timefmt::human(ms + 3 * 3_600_000 + 30 * 60_000);
    format!("{} UTC+03:30", local.trim_end_matches(" UTC"))
}

/// The `<time>` element a page writes for `ms` starts so.
fn time_element(ms: i64, title: &str) -> String {
    format!(
        "<time datetime=\"{}\" title=\"{title}\">",
        web::timefmt::iso8601(ms)
    )
}

async fn members_read_times_in_their_own_zone(s: &TestServer) {
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = post_thread(&ann, "general", "Printer offline again", "Since Monday.").await;
    let thread = ann.get(&format!("/api/v1/threads/{t}")).await;
    assert_eq!(thread.status, 200, "{}", thread.body);
    let at = thread.json()["question"]["created_at"].as_i64().unwrap();

    // Visitors, and members who chose none, read UTC.
    let visitor = Browser::new(&s.base).get(&format!("/t/{t}")).await;
    let utc = time_element(at, &web::timefmt::human(at));
    assert!(visitor.body.contains(&utc), "{}", visitor.body);

    let olga = Browser::new(&s.base);
    olga.register("olga").await;
    let form = olga.get("/settings/profile").await;
    assert_eq!(form.status, 200);
    // Every zone of the database, none chosen yet: the page asks the
    // browser (hearth.js) and says so when it does.
    assert!(form.body.contains("data-browser-zone"), "{}", form.body);
    assert!(form
        .body
        .contains("<option value=\"\">Not chosen (UTC)</option>"));
    assert!(form
        .body
        .contains("<option value=\"Asia/Tehran\">Asia/Tehran (UTC+03:30)</option>"));
    assert!(form.body.contains("<option value=\"Europe/Kyiv\">"));
    assert!(form.body.contains("<option value=\"America/New_York\">"));
    assert!(form
        .body
        .contains("id=\"time-zone-detected\" role=\"status\" hidden"));
    assert!(olga.get(&format!("/t/{t}")).await.body.contains(&utc));

    let r = olga
        .submit(
            "/settings/profile",
            "/settings/profile",
            &[
                ("display_name", "Olga"),
                ("bio", ""),
                ("time_zone", "Asia/Tehran"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let form = olga.get("/settings/profile").await;
    assert!(
        form.body
            .contains("<option value=\"Asia/Tehran\" selected>"),
        "{}",
        form.body
    );
    assert!(!form.body.contains("data-browser-zone"));
    // The thread page: the hover text in her zone, the machine-readable
    // time still ISO UTC; other readers unchanged.
    let page = olga.get(&format!("/t/{t}")).await;
    let hers = time_element(at, &in_tehran(at));
    assert!(page.body.contains(&hers), "{hers} in {}", page.body);
    assert!(!page.body.contains(&utc));
    let visitor = Browser::new(&s.base).get(&format!("/t/{t}")).await;
    assert!(visitor.body.contains(&utc));
    // In Persian, in Persian digits.
    olga.choose_language("fa").await;
    let page = olga.get(&format!("/t/{t}")).await;
    let fa_digits = |s: &str| {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap(),
                _ => c,
            })
            .collect::<String>()
    };
    assert!(
        page.body
            .contains(&format!("title=\"{}\"", fa_digits(&in_tehran(at)))),
        "{}",
        page.body
    );
    olga.choose_language("en").await;

    // A zone the database does not know: 422, the form as she typed it,
    // the rule named, nothing saved.
    let r = olga
        .submit(
            "/settings/profile",
            "/settings/profile",
            &[
                ("display_name", "Olga Typed"),
                ("bio", "Kept as typed"),
                ("time_zone", "Mars/Olympus_Mons"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("role=\"alert\">choose a time zone from the list (for example Europe/Kyiv)<"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Olga Typed\""), "{}", r.body);
    assert!(r.body.contains(">Kept as typed</textarea>"), "{}", r.body);
    assert!(r
        .body
        .contains("<option value=\"Mars/Olympus_Mons\" selected>"));
    let stored = s.forum.find_user("olga").unwrap().unwrap();
    assert_eq!(stored.display_name, "Olga");
    assert_eq!(stored.time_zone.as_deref(), Some("Asia/Tehran"));

    // The API: read in GET /me, set with PUT /me/time-zone.
    let mut api = Browser::new(&s.base);
    api.api_login("olga").await;
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.json()["time_zone"], "Asia/Tehran");
    let r = api
        .put_json(
            "/api/v1/me/time-zone",
            &json!({ "time_zone": "Atlantis/Capital" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "time_zone");
    let r = api
        .put_json(
            "/api/v1/me/time-zone",
            &json!({ "time_zone": "america/new_york" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["time_zone"], "America/New_York");
    let page = olga.get(&format!("/t/{t}")).await;
    assert!(page.body.contains(" UTC-0"), "{}", page.body);
    let r = api
        .put_json("/api/v1/me/time-zone", &json!({ "time_zone": null }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["time_zone"].is_null());
    assert!(olga.get(&format!("/t/{t}")).await.body.contains(&utc));
}

#[actix_web::test]
async fn members_read_times_in_their_own_zone_sqlite() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    members_read_times_in_their_own_zone(&s).await;
    s.stop().await;
}

#[actix_web::test]
async fn members_read_times_in_their_own_zone_postgres() {
    let Some(s) = start(Backend::Postgres, BODY_LIMIT).await else {
        return;
    };
    members_read_times_in_their_own_zone(&s).await;
    s.stop().await;
}

/// A profile's activity tabs page with the boards' pager: page 1 the
/// newest 20, page 2 the older ones.
#[actix_web::test]
async fn profile_tabs_page_to_older_activity() {
    let s = start(Backend::Sqlite, BODY_LIMIT)
        .await
        .expect("sqlite server");
    let (_, bob_id) = api_user(&s.base, "bob").await;
    let bob = s.forum.user(bob_id).unwrap();
    let mut asked = Vec::new();
    for i in 0..23 {
        let t = s
            .forum
            .create_thread(
                bob.actor(),
                forum::NewThread {
                    category: "general".into(),
                    title: format!("Bob's question number {i:02}"),
                    body: format!("Details {i}"),
                    tags: vec![],
                },
            )
            .unwrap();
        asked.push(t);
    }
    let visitor = Browser::new(&s.base);
    let first = visitor.get(&format!("/u/{bob_id}")).await;
    assert_eq!(first.status, 200);
    let shows = |body: &str, t: i64| body.contains(&format!("href=\"/t/{t}\""));
    assert!(
        asked[3..].iter().all(|t| shows(&first.body, *t)),
        "{}",
        first.body
    );
    assert!(asked[..3].iter().all(|t| !shows(&first.body, *t)));
    assert!(first.body.contains("Page 1 of 2"), "{}", first.body);
    assert!(
        first.body.contains(&format!(
            "href=\"/u/{bob_id}?tab=questions&amp;page=2\" rel=\"next\""
        )),
        "{}",
        first.body
    );
    let second = visitor
        .get(&format!("/u/{bob_id}?tab=questions&page=2"))
        .await;
    assert_eq!(second.status, 200);
    assert!(
        asked[..3].iter().all(|t| shows(&second.body, *t)),
        "{}",
        second.body
    );
    assert!(asked[3..].iter().all(|t| !shows(&second.body, *t)));
    assert!(second.body.contains(&format!(
        "href=\"/u/{bob_id}?tab=questions&amp;page=1\" rel=\"prev\""
    )));
    // The other tabs page the same way; a page number below 1 is refused.
    let replies = visitor
        .get(&format!("/u/{bob_id}?tab=replies&page=2"))
        .await;
    assert_eq!(replies.status, 200);
    assert!(
        visitor
            .get(&format!("/u/{bob_id}?tab=solutions&page=0"))
            .await
            .status
            >= 400
    );
    s.stop().await;
}
