//! The design over HTTP, on both backends: the home page's sections (latest,
//! unanswered, recently solved with the accepted answer, featured articles,
//! top contributors, the boards) in English and Persian; the stylesheet
//! and scripts under content-hashed names with a year's immutable cache
//! (and 304 on revalidation), the plain names still served briefly cached;
//! every member's generated avatar; the brand theme set live by an
//! administrator (a colour too light for white text refused, with why; a
//! logo in the header) reaching pages through its own stylesheet.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hearth_e2e::*;
use serde_json::json;

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await; } )*
        }
        mod postgres {
            $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await; } )*
        }
    };
}

both_backends!(
    the_home_page_shows_what_is_going_on,
    assets_are_hashed_and_cached_for_good,
    avatars_are_drawn_for_every_member,
    the_brand_theme_is_set_live,
);

/// The value of the first `attr="…"` after `marker` in `html`.
fn attr_after<'a>(html: &'a str, marker: &str, attr: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[at..];
    let key = format!("{attr}=\"");
    let start = rest.find(&key).unwrap() + key.len();
    &rest[start..start + rest[start..].find('"').unwrap()]
}

/// The path of the stylesheet or script the page links as `prefix`, a
/// hex hash, `ext` (`/static/hearth.` … `.css`).
fn linked(html: &str, prefix: &str, ext: &str) -> String {
    let mut rest = html;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let hash_len = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hash_len > 0 && after[hash_len..].starts_with(ext) {
            return format!("{prefix}{}{ext}", &after[..hash_len]);
        }
        rest = after;
    }
    panic!("no {prefix}…{ext} in {html}")
}

async fn ask(b: &Browser, board: &str, title: &str) -> i64 {
    let r = b
        .post_json(
            "/api/v1/threads",
            &json!({ "category": board, "title": title, "body": "Details, please." }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["thread"]["id"].as_i64().unwrap()
}

async fn the_home_page_shows_what_is_going_on(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let (ann, ann_id) = api_user(&s.base, "ann").await;
    let (bob, bob_id) = api_user(&s.base, "bob").await;
    let moderator = api_staff(&s, "moe", forum::Role::Moderator).await;
    let solved = ask(&ann, "support", "Export contacts to CSV").await;
    let waiting = ask(&ann, "general", "Nobody answered this yet").await;
    let busy = ask(&bob, "general", "A lively discussion").await;
    let answer = bob
        .post_json(
            &format!("/api/v1/threads/{solved}/posts"),
            &json!({ "body": "Open **Settings → Export** and pick CSV." }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = ann
        .post_json(&format!("/api/v1/posts/{answer}/accept"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    ann.post_json(&format!("/api/v1/posts/{answer}/vote"), &json!({}))
        .await;
    ann.post_json(
        &format!("/api/v1/threads/{busy}/posts"),
        &json!({ "body": "Me too." }),
    )
    .await;
    // The solved thread becomes a published article that a reader liked.
    let article = moderator
        .post_json(&format!("/api/v1/threads/{solved}/promote"), &json!({}))
        .await;
    assert!(article.status == 201, "{}", article.body);
    let slug = article.json()["slug"].as_str().unwrap().to_string();
    let r = moderator
        .post_json(&format!("/api/v1/kb/{slug}/publish"), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    ann.post_json(
        &format!("/api/v1/kb/{slug}/feedback"),
        &json!({ "helpful": true }),
    )
    .await;
    s.settle().await;

    let home = Browser::new(&s.base).get("/").await;
    assert_eq!(home.status, 200);
    let body = &home.body;
    for heading in [
        "Latest threads",
        "Unanswered",
        "Recently solved",
        "Featured articles",
        "Top contributors this month",
        "Boards",
    ] {
        assert!(body.contains(heading), "{heading}: {body}");
    }
    // Every thread in the latest list, with status, replies and activity.
    for id in [solved, waiting, busy] {
        assert!(body.contains(&format!("href=\"/t/{id}\"")), "{id}");
    }
    let unanswered =
        &body[body.find("id=\"unanswered-h\"").unwrap()..body.find("id=\"solved-h\"").unwrap()];
    assert!(
        unanswered.contains("Nobody answered this yet"),
        "{unanswered}"
    );
    assert!(
        !unanswered.contains("A lively discussion"),
        "it has a reply"
    );
    assert!(!unanswered.contains("Export contacts to CSV"));
    let solved_list =
        &body[body.find("id=\"solved-h\"").unwrap()..body.find("id=\"articles-h\"").unwrap()];
    assert!(
        solved_list.contains("Export contacts to CSV"),
        "{solved_list}"
    );
    assert!(
        solved_list.contains("Open Settings → Export and pick CSV."),
        "the accepted answer, summarised: {solved_list}"
    );
    assert!(solved_list.contains(&format!("href=\"/t/{solved}#p{answer}\"")));
    assert!(solved_list.contains("Accepted answer"));
    assert!(body.contains("class=\"status solved\">Solved<"), "{body}");
    assert!(body.contains("class=\"status open\">Open<"));
    assert!(
        body.contains("1 reply<") && body.contains("0 replies<"),
        "{body}"
    );
    assert!(body.contains("<time datetime=\""));
    // Authors' avatars, decorative beside their names.
    assert!(body.contains(&format!(
        "<img class=\"avatar\" src=\"/u/{ann_id}/avatar?v="
    )));
    assert!(body.contains(&format!("src=\"/u/{bob_id}/avatar?v=")));
    assert!(body.contains("alt=\"\""));
    // The board's list and the thread's posts show them too.
    let board = Browser::new(&s.base).get("/c/support").await.body;
    assert!(
        board.contains("<li class=\"thread-row\">")
            && board.contains(&format!(
                "<img class=\"avatar\" src=\"/u/{ann_id}/avatar?v="
            )),
        "{board}"
    );
    let thread = Browser::new(&s.base)
        .get(&format!("/t/{solved}"))
        .await
        .body;
    // The accepted answer, summarised under the question, linked.
    let callout = &thread[thread
        .find("class=\"solution-callout\"")
        .expect("a callout")..];
    assert!(
        callout
            .contains("<p class=\"excerpt\" dir=\"auto\">Open Settings → Export and pick CSV.</p>"),
        "{callout}"
    );
    assert!(
        callout.contains(&format!("href=\"#p{answer}\"")),
        "{callout}"
    );
    // A post's permanent link leads to its place in its thread.
    let link = Browser::new(&s.base).get(&format!("/p/{answer}")).await;
    assert_eq!(link.status, 303);
    assert_eq!(link.location(), format!("/t/{solved}#p{answer}"));
    assert!(
        thread.contains(&format!("src=\"/u/{bob_id}/avatar?v=")),
        "{thread}"
    );
    // The article and the contributors.
    let side = &body[body.find("id=\"articles-h\"").unwrap()..];
    assert!(side.contains(&format!("href=\"/kb/{slug}\"")), "{side}");
    assert!(side.contains("1 reader found it helpful"), "{side}");
    assert!(
        side.contains(&format!("href=\"/u/{bob_id}\"")),
        "bob earned points: {side}"
    );
    assert!(side.contains("points"));
    // The boards, as before.
    assert!(
        body.contains("/c/general") && body.contains("2 threads"),
        "{body}"
    );
    assert!(
        !body.contains("/c/staff"),
        "visitors do not see the staff room"
    );

    // In Persian: the same page in Persian words and digits, right to left.
    let fa = Browser::new(&s.base);
    let picked = fa
        .submit("/", "/language", &[("language", "fa"), ("next", "/")])
        .await;
    assert_eq!(picked.status, 303, "{}", picked.body);
    let page = fa.get("/").await.body;
    assert!(page.contains("<html lang=\"fa\" dir=\"rtl\">"));
    assert!(page.contains("تازه‌ترین موضوع‌ها") && page.contains("به‌تازگی حل‌شده"));
    assert!(page.contains("۱ پاسخ"), "Persian digits: {page}");
    assert!(page.contains("حل‌شده"));
    s.stop().await;
}

async fn assets_are_hashed_and_cached_for_good(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let b = Browser::new(&s.base);
    let home = b.get("/").await.body;
    let css = linked(&home, "/static/hearth.", ".css");
    let js = linked(&home, "/static/hearth.", ".js");
    let hash = css
        .trim_start_matches("/static/hearth.")
        .trim_end_matches(".css");
    assert_eq!(hash.len(), 12, "{css}");
    assert!(hash.bytes().all(|c| c.is_ascii_hexdigit()), "{css}");
    for (path, kind) in [(&css, "text/css"), (&js, "text/javascript")] {
        let r = b.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.headers["content-type"].starts_with(kind), "{path}");
        assert_eq!(
            r.headers["cache-control"], "public, max-age=31536000, immutable",
            "{path}"
        );
        let etag = r.headers["etag"].clone();
        assert!(etag.starts_with("W/\""), "{etag}");
        // Revalidation is a 304 without a body.
        let again = awc::Client::default()
            .get(format!("{}{path}", s.base))
            .insert_header(("If-None-Match", etag.as_str()))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
    }
    let body = b.get(&css).await.body;
    assert!(body.contains("--brand:") && body.contains("margin-inline"));
    assert!(
        !body.contains("margin-left") && !body.contains("padding-right"),
        "logical properties only"
    );
    // The plain names keep working, briefly cached; so does a stale hash.
    for path in ["/static/hearth.css", "/static/hearth.js", "/static/ask.js"] {
        let r = b.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.headers["cache-control"], "public, max-age=300", "{path}");
    }
    let stale = b.get("/static/hearth.000000000000.css").await;
    assert_eq!(stale.status, 200);
    assert_eq!(stale.headers["cache-control"], "public, max-age=300");
    assert_eq!(stale.body, body, "today's file");
    for path in [
        "/static/nope.css",
        "/static/hearth.zz.css",
        "/static/..%2Fsecret.key",
    ] {
        assert_eq!(b.get(path).await.status, 404, "{path}");
    }
    // Nothing comes from elsewhere: every stylesheet and script is ours.
    for tag in ["<link rel=\"stylesheet\" href=\"", "<script src=\""] {
        let mut rest = home.as_str();
        while let Some(i) = rest.find(tag) {
            rest = &rest[i + tag.len()..];
            assert!(rest.starts_with("/static/"), "{}", &rest[..40]);
        }
    }
    s.stop().await;
}

async fn avatars_are_drawn_for_every_member(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let register = |name: &'static str, display: &'static str| {
        let base = s.base.clone();
        async move {
            let b = Browser::new(&base);
            let r = b
                .post_json(
                    "/api/v1/users",
                    &json!({ "username": name, "email": format!("{name}@example.com"), "password": "password123", "display_name": display }),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_i64().unwrap()
        }
    };
    let olena = register("olena", "Олена Коваль").await;
    let ali = register("ali", "علی رضایی").await;
    let tricky = register("tricky", "<svg onload=alert(1)> & \"x\"").await;
    let b = Browser::new(&s.base);
    let r = b.get(&format!("/u/{olena}/avatar.svg")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-type"], "image/svg+xml");
    assert_eq!(
        r.headers["cache-control"], "public, max-age=300",
        "no version: briefly"
    );
    assert_eq!(r.headers["content-security-policy"], "default-src 'none'");
    assert!(r
        .body
        .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(r.body.contains(">ОК</text>"), "{}", r.body);
    assert!(b
        .get(&format!("/u/{ali}/avatar.svg"))
        .await
        .body
        .contains(">ع</text>"));
    let svg = b.get(&format!("/u/{tricky}/avatar.svg")).await.body;
    assert!(svg.contains(">SX</text>"), "{svg}");
    assert_eq!(svg.matches("<svg").count(), 1, "{svg}");
    assert!(!svg.contains("onload"));
    // The address pages use names the current drawing: cached for good.
    let (member, _) = api_user(&s.base, "carla").await;
    let t = member
        .post_json(
            "/api/v1/threads",
            &json!({ "category": "general", "title": "Hello", "body": "Hi all" }),
        )
        .await;
    assert_eq!(t.status, 201);
    let home = b.get("/").await.body;
    let src = attr_after(&home, "<img class=\"avatar\"", "src").to_string();
    assert!(src.contains("/avatar?v="), "{src}");
    let r = b.get(&src).await;
    assert_eq!(r.status, 200, "{src}");
    // Five minutes, then a cheap revalidation: an avatar uploaded later
    // replaces the initials on every page within that time.
    assert_eq!(r.headers["cache-control"], "public, max-age=300");
    let etag = r.headers["etag"].clone();
    let again = b
        .get_with_headers(&src, &[("If-None-Match", etag.as_str())])
        .await;
    assert_eq!(again.status, 304);
    for path in [
        "/u/999999/avatar.svg",
        "/u/abc/avatar.svg",
        "/u/-1/avatar.svg",
    ] {
        assert_eq!(b.get(path).await.status, 404, "{path}");
    }
    s.stop().await;
}

async fn the_brand_theme_is_set_live(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let visitor = Browser::new(&s.base);
    let before = visitor.get("/").await.body;
    let theme = linked(&before, "/static/theme.", ".css");
    let css = visitor.get(&theme).await;
    assert_eq!(css.status, 200);
    assert_eq!(
        css.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("--brand:#c2410c"), "{}", css.body);
    assert!(!before.contains("class=\"logo\""));

    // Yellow under white text is unreadable: refused, with the reason.
    let page = admin.get("/admin/settings").await.body;
    assert!(page.contains("theme.brand_color") && page.contains("theme.logo_url"));
    let r = admin
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("theme.brand_color", "#ffff00")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("contrast") && r.body.contains("4.5:1"),
        "{}",
        r.body
    );
    for bad in ["blue", "#12345", "#1d4ed8; color: red"] {
        let r = admin
            .submit(
                "/admin/settings",
                "/admin/settings",
                &[("theme.brand_color", bad)],
            )
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    for bad in [
        "http://example.com/logo.png",
        "//evil.example/x.png",
        "javascript:alert(1)",
    ] {
        let r = admin
            .submit(
                "/admin/settings",
                "/admin/settings",
                &[("theme.logo_url", bad)],
            )
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    assert_eq!(
        linked(&visitor.get("/").await.body, "/static/theme.", ".css"),
        theme
    );

    // A readable blue and a logo: in force at once, on every page.
    let r = admin
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[
                ("theme.brand_color", "#1D4ED8"),
                ("theme.logo_url", "/brand/logo.svg"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = visitor.get("/").await.body;
    let new_theme = linked(&after, "/static/theme.", ".css");
    assert_ne!(new_theme, theme, "a new address for the new colours");
    let css = visitor.get(&new_theme).await;
    assert!(css.body.contains("--brand:#1d4ed8"), "{}", css.body);
    assert_eq!(
        css.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // The old address now answers with today's colours, briefly cached.
    let old = visitor.get(&theme).await;
    assert_eq!(old.headers["cache-control"], "public, max-age=300");
    assert!(old.body.contains("--brand:#1d4ed8"));
    assert!(
        after.contains("<img class=\"logo\" src=\"/brand/logo.svg\" alt=\"Hearth Community\">"),
        "{after}"
    );
    assert!(!after.contains(" style=\""), "no inline styles (CSP)");
    let error_page = visitor.get("/nowhere").await.body;
    assert!(error_page.contains(&new_theme), "error pages too");

    // The API reads it back; resetting returns to the file's values.
    let mut api = Browser::new(&s.base);
    api.api_login("root").await;
    let all = api.get("/api/v1/admin/settings").await.json();
    let color = all["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "theme.brand_color")
        .unwrap()
        .clone();
    assert_eq!(color["value"], "#1d4ed8", "stored lower case");
    assert_eq!(color["file_value"], "#c2410c");
    assert_eq!(color["group"], "site");
    let r = api
        .put_json(
            "/api/v1/admin/settings",
            &json!({ "theme.brand_color": "#fde047" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for key in ["theme.brand_color", "theme.logo_url"] {
        let r = api.delete(&format!("/api/v1/admin/settings/{key}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let reset = visitor.get("/").await.body;
    assert_eq!(linked(&reset, "/static/theme.", ".css"), theme);
    assert!(!reset.contains("class=\"logo\""));
    s.stop().await;
}
