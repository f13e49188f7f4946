//! Knowledge search end to end: the outbox feeds the index, and the API,
//! pages and ask-page suggestions read from it.

use std::time::{Duration, Instant};

use hearth_e2e::*;
use serde_json::json;

/// Poll the search API until `check` holds; searchable "soon" is the
/// contract here, the latency figure lives in the benchmark.
async fn until(
    b: &Browser,
    url: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = b.get(url).await;
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let j = r.json();
        if check(&j) {
            return j;
        }
        assert!(Instant::now() < deadline, "timed out waiting on {url}: {j}");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ids(j: &serde_json::Value) -> Vec<i64> {
    j["hits"]
        .as_array()
        .map(|a| a.iter().filter_map(|h| h["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn ask(b: &Browser, category: &str, title: &str, body: &str, tags: &[&str]) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": category, "title": title, "body": body, "tags": tags }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().unwrap()
}

#[actix_rt::test]
async fn posts_edits_and_deletes_reach_search() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let moderator = api_staff(&s, "mod1", forum::Role::Moderator).await;
    let t = ask(
        &ann,
        "support",
        "Printer spooler keeps crashing",
        "The print spooler service stops every hour.",
        &["printing"],
    )
    .await;
    let found = until(&ann, "/api/v1/search?q=spooler", |j| ids(j).contains(&t)).await;
    let hit = &found["hits"][0];
    assert_eq!(hit["url"], format!("/t/{t}"));
    assert!(
        hit["snippet_html"].as_str().unwrap().contains("<b>"),
        "{hit}"
    );
    assert!(found["facets"]["categories"]
        .to_string()
        .contains("support"));

    // Russian morphology through the whole stack.
    let ru = ask(
        &bob,
        "support",
        "Не приходят уведомления клиентам",
        "Клиенты не получают письма с уведомлениями.",
        &[],
    )
    .await;
    until(
        &ann,
        "/api/v1/search?q=%D1%83%D0%B2%D0%B5%D0%B4%D0%BE%D0%BC%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5",
        |j| ids(j).contains(&ru),
    )
    .await;

    // Accepting an answer indexes its text with the thread.
    let reply = bob
        .post_json(
            &format!("/api/v1/threads/{t}/posts"),
            &json!({ "body": "Clear the queue folder and reinstall the driver." }),
        )
        .await;
    let reply_id = reply.json()["id"].as_i64().unwrap();
    ann.post_json(&format!("/api/v1/posts/{reply_id}/accept"), &json!({}))
        .await;
    until(&ann, "/api/v1/search?q=queue+folder+is:solved", |j| {
        ids(j) == vec![t]
    })
    .await;

    // An edit changes what is found.
    let q = ann.get(&format!("/api/v1/threads/{t}")).await.json()["question"]["id"]
        .as_i64()
        .unwrap();
    let e = ann.patch_json(&format!("/api/v1/posts/{q}"), &json!({ "title": "Scanner driver keeps crashing", "body": "The scanner service stops every hour." })).await;
    assert_eq!(e.status, 200);
    until(&ann, "/api/v1/search?q=scanner", |j| ids(j).contains(&t)).await;
    until(&ann, "/api/v1/search?q=spooler", |j| !ids(j).contains(&t)).await;

    // A delete removes it.
    assert_eq!(
        moderator.delete(&format!("/api/v1/posts/{q}")).await.status,
        204
    );
    until(&ann, "/api/v1/search?q=scanner", |j| !ids(j).contains(&t)).await;
    s.stop().await;
}

#[actix_rt::test]
async fn private_boards_stay_private_in_search() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let agent = api_staff(&s, "agent7", forum::Role::Agent).await;
    let (customer, _) = api_user(&s.base, "cust").await;
    let secret = ask(
        &agent,
        "staff",
        "Refund override procedure",
        "Internal: how to override refunds.",
        &["refunds"],
    )
    .await;
    let public = ask(
        &customer,
        "general",
        "Refund timing question",
        "How long do refunds take?",
        &["refunds"],
    )
    .await;
    let staff_view = until(&agent, "/api/v1/search?q=refund", |j| {
        ids(j).contains(&secret) && ids(j).contains(&public)
    })
    .await;
    assert_eq!(staff_view["total"], 2);
    let customer_view = customer.get("/api/v1/search?q=refund").await.json();
    assert_eq!(ids(&customer_view), vec![public]);
    assert_eq!(customer_view["total"], 1);
    assert!(
        !customer_view["facets"].to_string().contains("staff"),
        "facets leak nothing"
    );
    let anon = Browser::new(&s.base);
    assert_eq!(
        ids(&anon.get("/api/v1/search?q=override").await.json()),
        Vec::<i64>::new()
    );
    assert!(!anon
        .get("/search?q=override")
        .await
        .body
        .contains("Refund override"));
    let sim = anon
        .get("/api/v1/search/similar?title=refund+override")
        .await
        .json();
    assert!(!sim.to_string().contains("Refund override"));

    // A board for moderators only: agents do not find its threads either.
    let admin = api_staff(&s, "admin7", forum::Role::Admin).await;
    let r = admin
        .post_json(
            "/api/v1/admin/boards",
            &serde_json::json!({"slug": "mods", "name": "Moderators", "see_min_role": "moderator"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let moderator = api_staff(&s, "mod7", forum::Role::Moderator).await;
    let hidden = ask(
        &moderator,
        "mods",
        "Refund abuse watchlist",
        "Accounts that abuse refunds.",
        &[],
    )
    .await;
    until(&moderator, "/api/v1/search?q=watchlist", |j| {
        ids(j).contains(&hidden)
    })
    .await;
    assert_eq!(
        ids(&agent.get("/api/v1/search?q=watchlist").await.json()),
        Vec::<i64>::new()
    );
    s.stop().await;
}

#[actix_rt::test]
async fn restart_mid_stream_loses_and_duplicates_nothing() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    for i in 0..5 {
        ask(
            &ann,
            "general",
            &format!("Before restart topic zebra{i}"),
            "body text",
            &[],
        )
        .await;
    }
    until(&ann, "/api/v1/search?q=before+restart", |j| j["total"] == 5).await;
    // While the server is down, the community keeps writing (another node).
    let forum = s.forum.clone();
    let s = {
        let stopped = s;
        let author = forum.authenticate("ann", "password123").unwrap().actor();
        for i in 0..7 {
            forum
                .create_thread(
                    author,
                    forum::NewThread {
                        category: "general".into(),
                        title: format!("While down topic yak{i}"),
                        body: "body".into(),
                        tags: vec![],
                    },
                )
                .unwrap();
        }
        stopped.restart().await
    };
    let b = Browser::new(&s.base);
    until(&b, "/api/v1/search?q=while+down", |j| j["total"] == 7).await;
    let before = b.get("/api/v1/search?q=before+restart").await.json();
    assert_eq!(before["total"], 5, "nothing duplicated: {before}");
    assert_eq!(s.search.num_docs(), 12, "one document per thread");
    s.stop().await;
}

#[actix_rt::test]
async fn reindex_gives_identical_results() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let topics = [
        (
            "Wi-Fi drops after update",
            "My router loses Wi-Fi after the firmware update.",
        ),
        (
            "Invoice shows wrong VAT",
            "The invoice VAT rate is wrong for Germany.",
        ),
        (
            "Как сменить тариф",
            "Хочу перейти на другой тариф без потери данных.",
        ),
        (
            "چطور رمز عبور را تغییر دهم",
            "می‌خواهم رمز عبور حساب کاربری را عوض کنم.",
        ),
        (
            "Як змінити пароль",
            "Не можу змінити пароль у налаштуваннях.",
        ),
    ];
    let mut ids_made = Vec::new();
    for (title, body) in topics {
        let t = ask(&ann, "support", title, body, &["help"]).await;
        let r = bob
            .post_json(
                &format!("/api/v1/threads/{t}/posts"),
                &json!({ "body": format!("Answer to: {body}") }),
            )
            .await;
        ann.post_json(
            &format!("/api/v1/posts/{}/accept", r.json()["id"]),
            &json!({}),
        )
        .await;
        ids_made.push(t);
    }
    until(&ann, "/api/v1/search?q=is:solved", |j| j["total"] == 5).await;
    let queries = [
        "wifi",
        "invoice+vat",
        "%D1%82%D0%B0%D1%80%D0%B8%D1%84",
        "tag:help",
        "is:solved",
        "%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C",
    ];
    let mut before = Vec::new();
    for q in queries {
        before.push(ids(&ann.get(&format!("/api/v1/search?q={q}")).await.json()));
    }
    assert!(before.iter().all(|r| !r.is_empty()), "{before:?}");
    let search = s.search.clone();
    let forum = s.forum.clone();
    let n = actix_web::web::block(move || web::indexer::rebuild(&forum, &search, |_| {}))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n, 5);
    for (q, expected) in queries.iter().zip(&before) {
        assert_eq!(
            &ids(&ann.get(&format!("/api/v1/search?q={q}")).await.json()),
            expected,
            "{q}"
        );
    }
    // New writes after the swap keep flowing into the new generation.
    let late = ask(
        &ann,
        "support",
        "Late arrival after rebuild",
        "kangaroo",
        &[],
    )
    .await;
    until(&ann, "/api/v1/search?q=kangaroo", |j| ids(j) == vec![late]).await;
    s.stop().await;
}

/// Every word must match; only when nothing has them all does search
/// widen, and it says so. Nothing at all offers to ask. Snippets are the
/// text people read, not Markdown source.
#[actix_rt::test]
async fn all_words_by_default_widening_said_and_plain_snippets() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ask(
        &ann,
        "support",
        "Printer offline after the update",
        "The **printer** shows offline; I followed [the setup guide](https://example.com/guide) twice.",
        &[],
    )
    .await;
    let other = ask(
        &ann,
        "support",
        "Scanner driver missing",
        "Windows cannot find the scanner driver.",
        &[],
    )
    .await;
    until(&ann, "/api/v1/search?q=scanner", |j| {
        ids(j).contains(&other)
    })
    .await;
    until(&ann, "/api/v1/search?q=printer", |j| ids(j).contains(&t)).await;

    let all = ann.get("/api/v1/search?q=printer+offline").await.json();
    assert_eq!(ids(&all), vec![t], "{all}");
    assert_eq!(all["matched"], "all_words");
    // "printer driver": no thread has both words, so any word, said.
    let any = ann.get("/api/v1/search?q=printer+driver").await.json();
    assert_eq!(any["matched"], "any_word", "{any}");
    let mut found = ids(&any);
    found.sort_unstable();
    assert_eq!(found, vec![t, other]);
    let page = Browser::new(&s.base).get("/search?q=printer+driver").await;
    assert!(
        page.body
            .contains("No result has all of these words; showing results with any of them."),
        "{}",
        page.body
    );
    let page = Browser::new(&s.base).get("/search?q=printer+offline").await;
    assert!(!page.body.contains("showing results with"), "{}", page.body);

    // Nothing: say so, and offer to ask with the words already typed.
    let none = ann.get("/api/v1/search?q=zzzxqy+qqwwvv").await.json();
    assert_eq!(none["total"], 0, "{none}");
    assert_eq!(none["matched"], "all_words");
    let page = Browser::new(&s.base).get("/search?q=zzzxqy+qqwwvv").await;
    assert!(
        page.body.contains("Nothing matched your search."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/ask?title=zzzxqy%20qqwwvv\">Ask the community</a>"),
        "{}",
        page.body
    );

    // The snippet quotes the link's words, not the Markdown around them.
    let guide = ann.get("/api/v1/search?q=guide").await.json();
    let snippet = guide["hits"][0]["snippet_html"]
        .as_str()
        .unwrap_or_default();
    assert!(snippet.contains("<b>guide</b>"), "{guide}");
    for markdown in ["**", "](", "https://example.com"] {
        assert!(!snippet.contains(markdown), "{markdown} in {snippet}");
    }
    s.stop().await;
}

#[actix_rt::test]
async fn search_page_and_malformed_queries() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let t = ask(
        &ann,
        "support",
        "Password reset email never arrives",
        "I click reset but get no <script>alert(1)</script> email.",
        &["accounts"],
    )
    .await;
    until(&ann, "/api/v1/search?q=password", |j| ids(j).contains(&t)).await;
    for bad in [
        "%22unclosed",
        "(((",
        "title%3A",
        "AND",
        "tag%3A",
        "%5B%5D%5E~*",
        "-",
        "OR+OR+OR",
    ] {
        let r = ann.get(&format!("/api/v1/search?q={bad}")).await;
        assert_eq!(r.status, 200, "{bad}: {}", r.body);
    }
    let typo = ann.get("/api/v1/search?q=pasword").await.json();
    assert!(ids(&typo).contains(&t), "typo tolerance: {typo}");
    let words = ann.get("/api/v1/search?q=email+reset").await.json();
    assert!(ids(&words).contains(&t));
    let phrase = ann.get("/api/v1/search?q=%22email+reset%22").await.json();
    assert!(
        !ids(&phrase).contains(&t),
        "a phrase needs the words in order: {phrase}"
    );
    let phrase = ann
        .get("/api/v1/search?q=%22email+never+arrives%22")
        .await
        .json();
    assert_eq!(ids(&phrase), vec![t]);
    let lean = ann
        .get("/api/v1/search?q=password&facets=false")
        .await
        .json();
    assert!(ids(&lean).contains(&t));
    assert_eq!(lean["facets"]["categories"], json!([]));
    let too_long = ann
        .get(&format!("/api/v1/search?q={}", "a".repeat(600)))
        .await;
    assert_eq!(too_long.status, 422);

    let page = Browser::new(&s.base).get("/search?q=password").await;
    assert_eq!(page.status, 200);
    // Results link through /search/go (click-through), to the thread.
    assert!(
        page.body.contains(&format!("&amp;r=1&amp;to=%2Ft%2F{t}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("category=support"), "facets are links");
    assert!(
        !page.body.to_lowercase().contains("<script>alert"),
        "snippets are escaped"
    );
    let filtered = Browser::new(&s.base)
        .get("/search?q=password&category=general")
        .await;
    assert!(!filtered.body.contains(&format!("href=\"/t/{t}\"")));
    assert!(
        Browser::new(&s.base)
            .get("/")
            .await
            .body
            .contains("action=\"/search\""),
        "search box in the header"
    );
    s.stop().await;
}

#[actix_rt::test]
async fn ask_page_suggests_and_records_deflection() {
    let s = start(Backend::Sqlite, 64 * 1024).await.unwrap();
    let (ann, _) = api_user(&s.base, "ann").await;
    let (bob, _) = api_user(&s.base, "bob").await;
    let solved = ask(
        &ann,
        "support",
        "How to export contacts to CSV",
        "Where is the CSV export for contacts?",
        &[],
    )
    .await;
    let r = bob
        .post_json(
            &format!("/api/v1/threads/{solved}/posts"),
            &json!({ "body": "Settings, then Export, then CSV." }),
        )
        .await;
    ann.post_json(
        &format!("/api/v1/posts/{}/accept", r.json()["id"]),
        &json!({}),
    )
    .await;
    let open = ask(
        &bob,
        "support",
        "Export contacts fails with CSV error",
        "CSV export errors out.",
        &[],
    )
    .await;
    until(&ann, "/api/v1/search?q=export+contacts", |j| {
        ids(j).len() == 2
    })
    .await;

    let sim = ann
        .get("/api/v1/search/similar?title=export+contacts+csv")
        .await
        .json();
    let first = &sim["suggestions"][0];
    assert_eq!(first["id"], solved, "solved threads come first: {sim}");
    assert!(sim["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == open));
    assert_eq!(
        ann.get("/api/v1/search/similar?title=").await.json()["suggestions"],
        json!([])
    );

    // Without JavaScript: the "Find similar questions" button.
    let customer = Browser::new(&s.base);
    customer.register("carla").await;
    let form = customer.get("/ask").await;
    // The script under its content hash, cached for a year.
    assert!(
        form.body.contains("<script src=\"/static/ask."),
        "{}",
        form.body
    );
    assert!(!form.body.contains("/static/ask.js"), "{}", form.body);
    let ask_id = {
        let m = "name=\"ask_id\" value=\"";
        let i = form.body.find(m).unwrap() + m.len();
        form.body[i..i + 32].to_string()
    };
    let with = customer
        .get(&format!(
            "/ask?ask_id={ask_id}&title=export+contacts+csv&body="
        ))
        .await;
    let link = format!("/ask/open?ask_id={ask_id}&amp;kind=thread&amp;id={solved}");
    assert!(with.body.contains(&link), "{}", with.body);
    let click = customer
        .get(&format!(
            "/ask/open?ask_id={ask_id}&kind=thread&id={solved}"
        ))
        .await;
    assert_eq!(
        (click.status, click.location()),
        (303, format!("/t/{solved}").as_str())
    );
    assert_eq!(
        customer
            .get("/ask/open?ask_id=nope&kind=thread&id=1")
            .await
            .status,
        422
    );

    // The customer leaves without posting: a deflection.
    let now = s.forum.now();
    let stats = s.forum.deflection_stats(0, now + 1).unwrap();
    assert_eq!(
        (stats.opened_suggestion, stats.deflected, stats.posted),
        (1, 1, 0)
    );

    // Another customer looks, then posts anyway: not a deflection.
    let dave = Browser::new(&s.base);
    dave.register("dave").await;
    let page = dave.get("/ask").await;
    let m = "name=\"ask_id\" value=\"";
    let i = page.body.find(m).unwrap() + m.len();
    let dave_ask = page.body[i..i + 32].to_string();
    dave.get(&format!(
        "/ask/open?ask_id={dave_ask}&kind=thread&id={open}"
    ))
    .await;
    let posted = dave
        .submit(
            "/ask",
            "/ask",
            &[
                ("ask_id", &dave_ask),
                ("category", "support"),
                ("title", "Export still fails for me"),
                ("body", "Same CSV error."),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let stats = s.forum.deflection_stats(0, s.forum.now() + 1).unwrap();
    assert_eq!(
        (stats.opened_suggestion, stats.deflected, stats.posted),
        (2, 1, 1)
    );
    s.stop().await;
}
