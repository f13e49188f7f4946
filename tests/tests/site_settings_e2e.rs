//! Site settings changed live (`/admin/settings`, `/api/v1/admin/settings`)
//! on both backends: the site name in the next page's header, registration
//! closed to self-sign-up, a lower report threshold and a lower rate limit
//! in force at once, reset to the file's value, and who may do what.

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

both_backends!(settings_change_live_from_the_page_and_the_api);

async fn settings_change_live_from_the_page_and_the_api(backend: Backend) {
    let Some(s) = start(backend, 256 * 1024).await else {
        return;
    };
    let admin = signed_in(&s, "root", forum::Role::Admin).await;
    let moderator = signed_in(&s, "mod", forum::Role::Moderator).await;

    // The dashboard links to the page; moderators see it without forms.
    assert!(admin.get("/admin").await.body.contains("/admin/settings"));
    let page = moderator.get("/admin/settings").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("moderation.flags.hide_threshold"));
    assert!(!page.body.contains("Save site"));
    let r = moderator
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("site_name", "Mine")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);

    // The site name, set on the page, is in the next page's header.
    let r = admin
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("site_name", "Acme Live Community")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let home = Browser::new(&s.base).get("/").await;
    assert!(home.body.contains("Acme Live Community"), "{}", home.body);
    let page = admin.get("/admin/settings").await;
    assert!(page.body.contains("set here"), "{}", page.body);
    // A refused value: the page says why, nothing changes.
    let r = admin
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("mail.from", "not an address")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("not a mail address"), "{}", r.body);

    // Registration: invite-only, then SSO-only, refuse self-sign-up.
    let r = admin
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("registration.mode", "invite_only")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let anon = Browser::new(&s.base);
    let r = anon
        .post_json(
            "/api/v1/users",
            &json!({"username": "newbie", "email": "newbie@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("invitation only"), "{}", r.body);
    let page = anon.get("/register").await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("invitation only"), "{}", page.body);

    let mut api_admin = Browser::new(&s.base);
    api_admin.api_login("root").await;
    let r = api_admin
        .put_json(
            "/api/v1/admin/settings",
            &json!({"registration.mode": "sso_only"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = anon
        .post_json(
            "/api/v1/users",
            &json!({"username": "newbie", "email": "newbie@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("single sign-on"), "{}", r.body);
    // All or nothing: one bad value, nothing stored.
    let r = api_admin
        .put_json(
            "/api/v1/admin/settings",
            &json!({"registration.mode": "open", "moderation.flags.hide_threshold": 0}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = api_admin
        .delete("/api/v1/admin/settings/registration.mode")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, _) = api_user(&s.base, "newbie").await;

    // One member's report hides a post once the threshold is 1.
    let r = api_admin
        .put_json(
            "/api/v1/admin/settings",
            &json!({"moderation.flags.hide_threshold": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (author, _) = api_user(&s.base, "author").await;
    let r = author
        .post_json(
            "/api/v1/threads",
            &json!({"category": "general", "title": "Router drops Wi-Fi", "body": "Every night at two"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let thread = r.json()["thread"]["id"].as_i64().unwrap();
    let r = author
        .post_json(
            &format!("/api/v1/threads/{thread}/posts"),
            &json!({"body": "You are an idiot"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let post = r.json()["id"].as_i64().unwrap();
    let (reporter, _) = api_user(&s.base, "reporter").await;
    let r = reporter
        .post_json(
            &format!("/api/v1/posts/{post}/flag"),
            &json!({"reason": "abusive"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["hidden"], true, "{}", r.body);

    // A lower rate limit applies to the next request.
    let r = api_admin
        .put_json(
            "/api/v1/admin/settings",
            &json!({"rate_limits.search_per_address": {"limit": 1, "period_secs": 3600}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let first = anon.get("/api/v1/search?q=router").await;
    assert_ne!(first.status, 429, "{}", first.body);
    let second = anon.get("/api/v1/search?q=router").await;
    assert_eq!(second.status, 429, "{}", second.body);

    // The audit log has every change.
    let log = api_admin
        .get("/api/v1/admin/audit?action=setting.set&limit=50")
        .await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(log.body.contains("site_name"), "{}", log.body);
    s.stop().await;
}
