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

both!(staff_read_the_figures_filter_them_and_download_them);

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
