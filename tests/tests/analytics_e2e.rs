//! The analytics page over HTTP on SQLite and PostgreSQL: who sees what,
//! the figures of a seeded community, the board and range filters, and
//! the CSV downloads (parsed back).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hearth_e2e::*;

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await } )* }
        mod postgres { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await } )* }
    };
}

both!(
    staff_read_the_figures_filter_them_and_download_them,
    readers_are_counted_and_clicks_and_holdout_measured,
);

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";

/// Rows of a CSV body (no quoted commas in these).
fn rows(body: &str) -> Vec<Vec<String>> {
    body.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

async fn staff_read_the_figures_filter_them_and_download_them(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let t1 = post_thread(&ann, "general", "Printer offline", "It says offline.").await;
    let answer = post_reply(&bob, t1, "Reinstall the driver.").await;
    let r = ann
        .post_json(
            &format!("/api/v1/posts/{answer}/accept"),
            &serde_json::json!({}),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    post_thread(&bob, "support", "Billing address", "How do I change it?").await;
    s.settle().await;

    // Searches from the search page, logged without who made them.
    let visitor = Browser::new(&s.base);
    assert_eq!(visitor.get("/search?q=printer+offline").await.status, 200);
    assert_eq!(visitor.get("/search?q=quantum+fax+zzz").await.status, 200);
    assert_eq!(
        visitor.get("/search?q=quantum+fax+zzz&page=2").await.status,
        200
    );
    s.forum.flush_search_log(180).unwrap();

    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let page = admin.get("/analytics").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("<svg class=\"chart\""), "charts drawn");
    assert!(body.contains("id=\"activity-h\""));
    assert!(body.contains("id=\"support-h\""));
    // Two questions, one reply, in the last 30 days.
    assert!(
        body.contains("<dt>Questions</dt><dd><strong>2</strong>"),
        "{body}"
    );
    assert!(
        body.contains("<dt>Replies</dt><dd><strong>1</strong>"),
        "{body}"
    );
    assert!(
        body.contains("<th scope=\"row\">First community reply</th><td>1</td>"),
        "{body}"
    );
    // Bob gave the accepted answer: top contributor, and the whole of the
    // top 1 % share.
    assert!(body.contains("id=\"people-h\""));
    assert!(
        body.contains("dir=\"auto\">bob</a></th><td>1</td><td>1</td>"),
        "{body}"
    );
    // The value section prints its assumptions.
    assert!(body.contains("id=\"value-h\""));
    assert!(body.contains("at 15.00 USD each"), "{body}");
    // Two searches (page two is not a new search), one found nothing, and
    // the gap offers to ask the community.
    assert!(body.contains("id=\"search-h\""));
    assert!(
        body.contains("<dt>Searches</dt><dd><strong>2</strong>"),
        "{body}"
    );
    assert!(
        body.contains("<bdi dir=\"auto\">quantum fax zzz</bdi></th><td>en</td><td>1</td><td><a href=\"/ask?title=quantum+fax+zzz\">Ask the community</a>"),
        "{body}"
    );
    // A moderator can turn the gap into a KB draft at once.
    let drafted = admin
        .submit(
            "/analytics",
            "/analytics/kb-draft",
            &[("title", "quantum fax zzz"), ("board", "general")],
        )
        .await;
    assert_eq!(drafted.status, 303, "{}", drafted.body);
    let edit = drafted.headers["location"].clone();
    assert!(
        edit.starts_with("/kb/") && edit.ends_with("/edit"),
        "{edit}"
    );
    let form = admin.get(&edit).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("quantum fax zzz") || form.body.contains("Quantum fax zzz"),
        "{}",
        form.body
    );
    let customer_try = signed_in(&s, "dora", forum::Role::Customer).await;
    let refused = customer_try
        .submit(
            "/",
            "/analytics/kb-draft",
            &[("title", "another gap"), ("board", "general")],
        )
        .await;
    assert_eq!(refused.status, 403);
    // Every chart has its numbers in a table.
    assert!(body.matches("<svg class=\"chart\"").count() <= body.matches("<table").count());

    // One board.
    let general = admin.get("/analytics?range=7&board=support").await.body;
    assert!(
        general.contains("<dt>Questions</dt><dd><strong>1</strong>"),
        "{general}"
    );
    assert!(
        general.contains("<dt>Replies</dt><dd><strong>0</strong>"),
        "{general}"
    );

    // CSV: a row per day of the range, the same counts.
    let csv = admin.get("/analytics/days.csv?range=7").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"].starts_with("attachment; filename=\"hearth-days-"));
    let table = rows(&csv.body);
    assert_eq!(
        table[0],
        [
            "day",
            "threads",
            "replies",
            "active_members",
            "kudos",
            "new_members"
        ]
    );
    assert_eq!(table.len(), 1 + 7);
    let sum = |col: usize| {
        table[1..]
            .iter()
            .map(|r| r[col].parse::<i64>().unwrap())
            .sum::<i64>()
    };
    assert_eq!((sum(1), sum(2)), (2, 1));
    let answering = rows(&admin.get("/analytics/answering.csv?range=30").await.body);
    assert_eq!(answering[1][0], "first_reply");
    assert_eq!(answering[1][1], "1");
    let time_to_solution = &answering[4];
    assert_eq!(time_to_solution[0], "time_to_solution");
    assert_eq!(time_to_solution[1], "1");
    let searches = rows(&admin.get("/analytics/searches.csv?range=30").await.body);
    assert_eq!(
        searches[0],
        ["list", "language", "query", "searches", "without_results"]
    );
    assert!(
        searches
            .iter()
            .any(|r| r[0] == "not_found" && r[2] == "quantum fax zzz" && r[4] == "1"),
        "{searches:?}"
    );
    let people = rows(&admin.get("/analytics/people.csv?range=30").await.body);
    assert!(
        people
            .iter()
            .any(|r| r[0] == "top_contributor" && r[1] == "bob" && r[2] == "1"),
        "{people:?}"
    );
    assert_eq!(admin.get("/analytics/nothing.csv").await.status, 404);

    // Chosen dates, and refused ones.
    let custom = admin
        .get("/analytics?range=custom&from=2020-01-01&to=2020-01-31")
        .await;
    assert_eq!(custom.status, 200);
    assert!(custom
        .body
        .contains("<dt>Questions</dt><dd><strong>0</strong>"));
    assert_eq!(
        admin
            .get("/analytics?range=custom&from=soon&to=later")
            .await
            .status,
        422
    );
    assert_eq!(admin.get("/analytics?range=12").await.status, 422);

    // Agents see the support part only; customers and visitors nothing.
    let agent = signed_in(&s, "agent", forum::Role::Agent).await;
    let theirs = agent.get("/analytics").await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("id=\"activity-h\""));
    assert!(theirs.body.contains("id=\"support-h\""));
    let customer = signed_in(&s, "carl", forum::Role::Customer).await;
    assert_eq!(customer.get("/analytics").await.status, 403);
    assert_eq!(customer.get("/analytics/days.csv").await.status, 403);
    let visitor = Browser::new(&s.base);
    assert_eq!(visitor.get("/analytics").await.status, 401);

    // In Persian, with Persian digits and the page's direction.
    admin.choose_language("fa").await;
    let fa = admin.get("/analytics").await.body;
    assert!(fa.contains("dir=\"rtl\""));
    assert!(fa.contains("<dt>پرسش‌ها</dt><dd><strong>۲</strong>"), "{fa}");
    s.stop().await;
}

/// The value of `attr="…"` of the first element after `marker`.
fn attr_after<'a>(body: &'a str, marker: &str, attr: &str) -> &'a str {
    let from = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"));
    let rest = &body[from..];
    let start = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    let end = rest[start..].find('"').unwrap();
    &rest[start..start + end]
}

async fn readers_are_counted_and_clicks_and_holdout_measured(backend: Backend) {
    let Some(s) = start_with_config(backend, 1 << 20, |c, _| {
        c.analytics.holdout_percent = 50;
    })
    .await
    else {
        return;
    };
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let t1 = post_thread(&ann, "general", "Printer offline", "It says offline.").await;
    post_reply(&bob, t1, "Reinstall the driver.").await;
    s.settle().await;
    let browser = [("User-Agent", FIREFOX)];

    // A visitor reads three pages with a browser: one visit, three views.
    let visitor = Browser::new(&s.base);
    for path in ["/", "/c/general", &format!("/t/{t1}")] {
        assert_eq!(visitor.get_with_headers(path, &browser).await.status, 200);
    }
    // Not counted: a robot, a script, the API, staff, a page that failed.
    let robot = Browser::new(&s.base);
    let googlebot = [("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")];
    assert_eq!(robot.get_with_headers("/", &googlebot).await.status, 200);
    assert_eq!(robot.get("/").await.status, 200);
    assert_eq!(
        visitor
            .get_with_headers("/api/v1/categories", &browser)
            .await
            .status,
        200
    );
    assert_eq!(
        visitor.get_with_headers("/t/999999", &browser).await.status,
        404
    );
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    assert_eq!(admin.get_with_headers("/", &browser).await.status, 200);

    // A search on the search page whose first result is opened, and one
    // that is not: half the searches led somewhere.
    let results = visitor
        .get_with_headers("/search?q=printer+offline", &browser)
        .await;
    let link = attr_after(&results.body, "<ol class=\"threads\">", "href").replace("&amp;", "&");
    assert!(link.starts_with("/search/go?s="), "{link}");
    let go = visitor.get_with_headers(&link, &browser).await;
    assert_eq!(go.status, 303);
    assert_eq!(go.headers["location"], format!("/t/{t1}"));
    visitor.get_with_headers("/search?q=driver", &browser).await;
    // Never a way off the site.
    let away = visitor
        .get("/search/go?s=00000000000000000000000000000000&r=1&to=//evil.example/")
        .await;
    assert_eq!(away.status, 422);
    s.forum.flush_search_log(180).unwrap();
    s.forum.flush_page_views().unwrap();

    let page = admin.get("/analytics").await.body;
    assert!(page.contains("id=\"traffic-h\""), "{page}");
    // "/", "/c/general", "/t/1" and the search page twice (the result
    // link is a redirect, not a page): five views in one visit.
    assert!(
        page.contains("<dt>Page views</dt><dd><strong>5</strong>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Visits</dt><dd><strong>1</strong>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Searches with a result opened</dt><dd><strong>50 %</strong>"),
        "{page}"
    );
    // The board's views: the board page and the thread.
    assert!(
        page.contains(
            "<th scope=\"row\"><bdi dir=\"auto\">General discussion</bdi></th><td>2</td><td>1</td>"
        ),
        "{page}"
    );
    let csv = admin.get("/analytics/traffic.csv?range=7").await;
    let table = rows(&csv.body);
    assert_eq!(table[0], ["day", "page_views", "visits"]);
    let views: i64 = table[1..]
        .iter()
        .map(|r| r[1].parse::<i64>().unwrap())
        .sum();
    assert_eq!(views, 5);

    // The holdout (50 % here): a held-out session is shown no suggestions,
    // live or not; a shown one is.
    let held = format!("00000001{}", "0".repeat(24));
    let shown = format!("00000051{}", "0".repeat(24));
    let asking = signed_in(&s, "carl", forum::Role::Customer).await;
    let page = asking
        .get(&format!("/ask?ask_id={held}&title=Printer+offline"))
        .await
        .body;
    assert!(!page.contains("/static/ask."), "{page}");
    assert!(
        !page.contains(&format!("/t/{t1}\"")) && !page.contains("kind=thread&amp;id="),
        "{page}"
    );
    let page = asking
        .get(&format!("/ask?ask_id={shown}&title=Printer+offline"))
        .await
        .body;
    assert!(page.contains("/static/ask."), "{page}");
    assert!(page.contains(&format!("kind=thread&amp;id={t1}")), "{page}");
    let page = admin.get("/analytics").await.body;
    assert!(page.contains("id=\"holdout-lift\""), "{page}");
    assert!(page.contains("Not enough judged sessions"), "{page}");

    // The API: traffic, and deflection with its window and holdout.
    let api = api_staff(&s, "analyst", forum::Role::Admin).await;
    let traffic = api.get("/api/v1/analytics/traffic").await;
    assert_eq!(traffic.status, 200, "{}", traffic.body);
    let v: serde_json::Value = serde_json::from_str(&traffic.body).unwrap();
    assert_eq!(v["traffic"]["page_views"], 5);
    assert_eq!(v["traffic"]["visits"], 1);
    let d: serde_json::Value =
        serde_json::from_str(&api.get("/api/v1/analytics/deflection").await.body).unwrap();
    assert_eq!(d["deflection"]["window_days"], 7);
    assert!(d["deflection"]["holdout"]["lift_points"].is_null());
    s.stop().await;
}
