//! Site settings changed live (`forum::settings`): set, read, reset, the
//! version every node watches, strict validation, administrators only, the
//! audit trail, and the moderation rules following at once, on SQLite and
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use forum::members::AuditFilter;
use forum::testkit::TestDb;
use forum::*;
use serde_json::{json, Value};

forum::both_backends!(
    settings_are_set_read_and_reset_with_audit,
    invalid_changes_store_nothing,
    only_administrators_change_settings,
    moderation_rules_follow_the_settings_in_every_clone,
);

fn member(f: &Forum, name: &str, role: Role) -> User {
    forum::testkit::register(f, name, role)
}

fn changes(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn settings_are_set_read_and_reset_with_audit(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin).actor();
    let start = f.site_settings().unwrap();
    assert!(start.values.is_empty());
    let v0 = f.site_settings_version().unwrap();
    assert_eq!(start.version, v0);

    let now = f
        .set_site_settings(
            Some(admin),
            &changes(&[
                ("site_name", json!("  Acme Community ")),
                ("registration.mode", json!("invite_only")),
                (
                    "rate_limits.search_per_address",
                    json!({"limit": 5, "period_secs": 60}),
                ),
            ]),
        )
        .unwrap();
    assert!(now.version > v0);
    assert_eq!(now.str("site_name"), Some("Acme Community"));
    assert_eq!(now.str("registration.mode"), Some("invite_only"));
    assert_eq!(
        now.get("rate_limits.search_per_address"),
        Some(&json!({"limit": 5, "period_secs": 60}))
    );
    assert_eq!(now.values["site_name"].updated_by, Some(admin.user_id));
    assert_eq!(f.site_settings().unwrap(), now);

    // Changing one again replaces it.
    let again = f
        .set_site_settings(Some(admin), &changes(&[("site_name", json!("Acme"))]))
        .unwrap();
    assert!(again.version > now.version);
    assert_eq!(again.str("site_name"), Some("Acme"));

    // Reset: the row goes, the version moves on, a second reset is not found.
    let cleared = f.clear_site_setting(Some(admin), "site_name").unwrap();
    assert!(cleared.get("site_name").is_none());
    assert!(cleared.version > again.version);
    assert_eq!(f.site_settings_version().unwrap(), cleared.version);
    assert!(matches!(
        f.clear_site_setting(Some(admin), "site_name"),
        Err(ForumError::NotFound(_))
    ));

    let log = f
        .audit_log(
            Some(admin),
            &AuditFilter {
                target_kind: Some("setting".into()),
                ..Default::default()
            },
            50,
        )
        .unwrap();
    let lines: Vec<(String, String, String)> = log
        .iter()
        .map(|e| (e.action.clone(), e.before.clone(), e.after.clone()))
        .collect();
    assert!(lines.contains(&(
        "setting.set".into(),
        "site_name (file value)".into(),
        "site_name = \"Acme Community\"".into()
    )));
    assert!(lines.contains(&(
        "setting.set".into(),
        "site_name = \"Acme Community\"".into(),
        "site_name = \"Acme\"".into()
    )));
    assert!(lines.contains(&(
        "setting.clear".into(),
        "site_name = \"Acme\"".into(),
        "site_name (file value)".into()
    )));
    assert_eq!(log.len(), 5, "{lines:?}");
    assert!(log.iter().all(|e| e.actor_id == Some(admin.user_id)));
}

fn invalid_changes_store_nothing(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin).actor();
    let v0 = f.site_settings_version().unwrap();
    let cases = [
        ("site_name", json!(""), "must not be empty"),
        ("registration.mode", json!("closed"), "must be one of"),
        (
            "mail.from",
            json!("Acme <not an address>"),
            "not a mail address",
        ),
        ("moderation.flags.hide_threshold", json!(0), "between 1 and"),
        ("moderation.spam.enabled", json!("yes"), "true or false"),
        (
            "rate_limits.reply_per_account",
            json!({"limit": -1, "period_secs": 60}),
            "limit must be",
        ),
        ("no.such.key", json!(1), "not a setting"),
    ];
    for (key, value, says) in cases {
        // A valid change beside it is not stored either: all or nothing.
        let err = f
            .set_site_settings(
                Some(admin),
                &changes(&[("site_name", json!("Fine")), (key, value.clone())]),
            )
            .unwrap_err();
        match &err {
            ForumError::Validation { message, .. } => {
                assert!(message.contains(says), "{key}: {message}")
            }
            other => panic!("{key}: {other:?}"),
        }
    }
    assert!(f.site_settings().unwrap().values.is_empty());
    assert_eq!(f.site_settings_version().unwrap(), v0);
    assert!(matches!(
        f.set_site_settings(Some(admin), &BTreeMap::new()),
        Err(ForumError::Validation { .. })
    ));
}

fn only_administrators_change_settings(db: &TestDb) {
    let f = &db.forum;
    let admin = member(f, "root", Role::Admin).actor();
    let moderator = member(f, "mod", Role::Moderator).actor();
    let change = changes(&[("site_name", json!("Mine"))]);
    assert!(matches!(
        f.set_site_settings(Some(moderator), &change),
        Err(ForumError::Forbidden(_))
    ));
    // The command line (no actor) may.
    f.set_site_settings(None, &change).unwrap();
    assert!(matches!(
        f.clear_site_setting(Some(moderator), "site_name"),
        Err(ForumError::Forbidden(_))
    ));
    f.clear_site_setting(Some(admin), "site_name").unwrap();
}

fn moderation_rules_follow_the_settings_in_every_clone(db: &TestDb) {
    let f = db
        .forum
        .clone()
        .with_moderation(forum::review::ModerationConfig::default());
    let other_clone = f.clone();
    // Another process on the same database: it applies what it reads.
    let other_node = Forum::new(f.db().clone()).with_moderation(Default::default());
    let admin = member(&f, "root", Role::Admin).actor();
    assert_eq!(f.moderation_rules().flags.hide_threshold, 3);
    f.set_site_settings(
        Some(admin),
        &changes(&[
            ("moderation.flags.hide_threshold", json!(1)),
            ("moderation.new_members.max_links", json!(0)),
        ]),
    )
    .unwrap();
    assert_eq!(other_clone.moderation_rules().flags.hide_threshold, 1);
    assert_eq!(other_clone.moderation_rules().new_members.max_links, 0);
    assert_eq!(other_node.moderation_rules().flags.hide_threshold, 3);
    other_node.apply_site_settings(&other_node.site_settings().unwrap());
    assert_eq!(other_node.moderation_rules().flags.hide_threshold, 1);
    // Reset: the file's value again.
    let now = f
        .clear_site_setting(Some(admin), "moderation.flags.hide_threshold")
        .unwrap();
    assert_eq!(f.moderation_rules().flags.hide_threshold, 3);
    other_node.apply_site_settings(&now);
    assert_eq!(other_node.moderation_rules().flags.hide_threshold, 3);
    assert_eq!(other_node.moderation_rules().new_members.max_links, 0);
}
