//! Staff actions on members (roles, silence, suspension, bans), the audit
//! log they write, the member list, and rate limits shared through the
//! database, on SQLite and PostgreSQL with the clock injected.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::members::{AuditFilter, MemberQuery, MemberStatus, StandingChange};
use forum::rate_limit::RateLimit;
use forum::testkit::TestDb;
use forum::*;

forum::both_backends!(
    roles_change_with_an_audit_entry_and_a_notice,
    silenced_members_read_but_do_not_write,
    suspension_ends_sessions_and_runs_out,
    only_the_right_staff_change_standing,
    member_list_searches_filters_and_sorts,
    rate_limits_allow_bursts_then_refuse_with_a_wait,
    several_keys_are_counted_together_or_not_at_all,
    erasure_leaves_no_personal_data_in_any_table,
    the_audit_log_is_exported_and_not_imported,
);

const T0: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;

fn clocked(db: &TestDb) -> (Forum, Arc<AtomicI64>) {
    forum::testkit::clocked(db, T0)
}

fn member(f: &Forum, name: &str, role: Role) -> User {
    forum::testkit::register(f, name, role)
}

fn ask(f: &Forum, who: Actor, title: &str) -> Result<i64> {
    f.create_thread(
        who,
        NewThread {
            category: "general".into(),
            title: title.into(),
            body: "details".into(),
            tags: vec![],
        },
    )
}

fn change(status: MemberStatus, days: Option<u32>, reason: &str) -> StandingChange {
    StandingChange {
        status,
        for_days: days,
        reason: reason.into(),
    }
}

fn roles_change_with_an_audit_entry_and_a_notice(db: &TestDb) {
    let (f, _) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    let user = f
        .set_role(Some(admin.actor()), ann.id, Role::Moderator, "helps a lot")
        .unwrap();
    assert_eq!(user.role, Role::Moderator);
    assert_eq!(f.user(ann.id).unwrap().role, Role::Moderator);
    let log = f
        .audit_log(Some(admin.actor()), &AuditFilter::default(), 10)
        .unwrap();
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!(
        (e.action.as_str(), e.target_kind.as_str(), e.target_id),
        ("member.role", "user", ann.id)
    );
    assert_eq!(
        (e.before.as_str(), e.after.as_str()),
        ("customer", "moderator")
    );
    assert_eq!(e.actor_name.as_deref(), Some("root"));
    assert_eq!(e.reason, "helps a lot");
    // The member hears of it in the bell and by mail, whatever their settings.
    let notes = f.notifications(ann.id, 10).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.kind == "account" && n.title.contains("moderator")),
        "{notes:?}"
    );
    assert_eq!(f.mail_counts().unwrap().0, 1);
    // And the CRM and others see the change as an event.
    // (On PostgreSQL, transactions elsewhere in the cluster can hold the
    // outbox's visibility back for a moment.)
    let mut roles = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while f.pending_events("probe").unwrap() > 0 || roles.is_empty() {
        f.poll_events("probe", 100, |evs| {
            roles.extend(evs.iter().filter_map(|e| match &e.body {
                EventBody::UserRoleChanged(p) => Some((p.to.clone(), p.via.clone())),
                _ => None,
            }));
            Ok(())
        })
        .unwrap();
        assert!(std::time::Instant::now() < deadline, "outbox stalled");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(roles, vec![("moderator".to_string(), "admin".to_string())]);
    // The command line acts as nobody; the log says so.
    f.set_role(None, ann.id, Role::Customer, "").unwrap();
    let log = f.audit_log(None, &AuditFilter::default(), 10).unwrap();
    assert_eq!((log[0].actor_id, log[0].after.as_str()), (None, "customer"));
    // Unknown members and self-promotion are refused, and leave no entry.
    assert!(matches!(
        f.set_role(Some(admin.actor()), 999_999, Role::Admin, ""),
        Err(ForumError::NotFound(_))
    ));
    assert!(matches!(
        f.set_role(Some(admin.actor()), admin.id, Role::Customer, ""),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.set_role(Some(ann.actor()), ann.id, Role::Admin, ""),
        Err(ForumError::Forbidden(_))
    ));
    assert_eq!(
        f.audit_log(None, &AuditFilter::default(), 10)
            .unwrap()
            .len(),
        2
    );
}

fn silenced_members_read_but_do_not_write(db: &TestDb) {
    let (f, clock) = clocked(db);
    let moderator = member(&f, "mia", Role::Moderator);
    let ann = member(&f, "ann", Role::Customer);
    let bob = member(&f, "bob", Role::Customer);
    let t = ask(&f, bob.actor(), "A question from Bob").unwrap();
    f.set_standing(
        Some(moderator.actor()),
        ann.id,
        &change(MemberStatus::Silenced, Some(2), "heated replies"),
    )
    .unwrap();
    assert!(matches!(
        ask(&f, ann.actor(), "Still here"),
        Err(ForumError::Silenced { until: Some(u), .. }) if u == T0 + 2 * DAY
    ));
    assert!(matches!(
        f.reply(ann.actor(), t, "me too"),
        Err(ForumError::Silenced { .. })
    ));
    let q = f
        .thread(t, Some(ann.actor()), 1, 10, false)
        .unwrap()
        .question
        .id;
    assert!(matches!(
        f.vote(ann.actor(), q, true),
        Err(ForumError::Silenced { .. })
    ));
    // Reading and signing in still work.
    assert!(f.thread(t, Some(ann.actor()), 1, 10, false).is_ok());
    assert!(f.authenticate("ann", "password123").is_ok());
    // The period runs out by itself.
    clock.fetch_add(2 * DAY, Ordering::SeqCst);
    assert!(f.reply(ann.actor(), t, "calmer now").is_ok());
    // Reinstating early is an action of its own, with no reason needed.
    f.set_standing(
        Some(moderator.actor()),
        bob.id,
        &change(MemberStatus::Silenced, None, "spam links"),
    )
    .unwrap();
    assert!(f.reply(bob.actor(), t, "x").is_err());
    f.set_standing(
        Some(moderator.actor()),
        bob.id,
        &change(MemberStatus::Active, None, ""),
    )
    .unwrap();
    assert!(f.reply(bob.actor(), t, "back").is_ok());
    let log = f
        .audit_log(
            Some(moderator.actor()),
            &AuditFilter {
                target_id: Some(bob.id),
                ..Default::default()
            },
            10,
        )
        .unwrap();
    let afters: Vec<&str> = log.iter().map(|e| e.after.as_str()).collect();
    assert_eq!(afters, vec!["active", "silenced"]);
    assert_eq!(log[0].before, "silenced");
}

fn suspension_ends_sessions_and_runs_out(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    let session = f.issue_token(ann.id, TokenKind::Session).unwrap();
    let api = f.issue_token(ann.id, TokenKind::Api).unwrap();
    assert!(f
        .user_for_token(&session, TokenKind::Session)
        .unwrap()
        .is_some());
    f.set_standing(
        Some(admin.actor()),
        ann.id,
        &change(MemberStatus::Suspended, Some(7), "ban evasion"),
    )
    .unwrap();
    assert!(f
        .user_for_token(&session, TokenKind::Session)
        .unwrap()
        .is_none());
    assert!(f.user_for_token(&api, TokenKind::Api).unwrap().is_none());
    assert!(matches!(
        f.authenticate("ann", "password123"),
        Err(ForumError::Suspended { until: Some(u), ref reason }) if u == T0 + 7 * DAY && reason == "ban evasion"
    ));
    // A wrong password says nothing about the suspension.
    assert!(matches!(
        f.authenticate("ann", "wrong-password"),
        Err(ForumError::BadCredentials)
    ));
    assert!(matches!(
        f.issue_token(ann.id, TokenKind::Session),
        Err(ForumError::Suspended { .. })
    ));
    clock.fetch_add(7 * DAY, Ordering::SeqCst);
    assert!(f.authenticate("ann", "password123").is_ok());
    // A ban has no end.
    f.set_standing(
        Some(admin.actor()),
        ann.id,
        &change(MemberStatus::Banned, Some(1), "fraud"),
    )
    .unwrap();
    clock.fetch_add(3650 * DAY, Ordering::SeqCst);
    assert!(matches!(
        f.authenticate("ann", "password123"),
        Err(ForumError::Suspended { until: None, .. })
    ));
    // Asking without a reason, or for an absurd period, is refused.
    assert!(matches!(
        f.set_standing(
            Some(admin.actor()),
            ann.id,
            &change(MemberStatus::Suspended, Some(1), "  ")
        ),
        Err(ForumError::Validation {
            field: "reason",
            ..
        })
    ));
    assert!(matches!(
        f.set_standing(
            Some(admin.actor()),
            ann.id,
            &change(MemberStatus::Suspended, Some(0), "x")
        ),
        Err(ForumError::Validation {
            field: "for_days",
            ..
        })
    ));
}

fn only_the_right_staff_change_standing(db: &TestDb) {
    let (f, _) = clocked(db);
    let moderator = member(&f, "mia", Role::Moderator);
    let agent = member(&f, "sam", Role::Agent);
    let ann = member(&f, "ann", Role::Customer);
    for (who, to) in [
        (moderator.actor(), MemberStatus::Suspended),
        (moderator.actor(), MemberStatus::Banned),
        (agent.actor(), MemberStatus::Silenced),
        (ann.actor(), MemberStatus::Silenced),
    ] {
        assert!(
            matches!(
                f.set_standing(
                    Some(who),
                    ann.id.max(agent.id).min(ann.id),
                    &change(to, None, "x")
                ),
                Err(ForumError::Forbidden(_))
            ),
            "{who:?} → {to:?}"
        );
    }
    assert!(matches!(
        f.set_standing(
            Some(moderator.actor()),
            agent.id,
            &change(MemberStatus::Silenced, None, "x")
        ),
        Err(ForumError::Forbidden(_))
    ));
    assert!(f
        .audit_log(None, &AuditFilter::default(), 10)
        .unwrap()
        .is_empty());
    assert!(matches!(
        f.members(
            Some(ann.actor()),
            &MemberQuery::default(),
            Paging {
                page: 1,
                per_page: 10
            }
        ),
        Err(ForumError::Forbidden(_))
    ));
    assert!(matches!(
        f.audit_log(Some(agent.actor()), &AuditFilter::default(), 10),
        Err(ForumError::Forbidden(_))
    ));
}

fn member_list_searches_filters_and_sorts(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    clock.fetch_add(1_000, Ordering::SeqCst);
    let ann = member(&f, "ann", Role::Customer);
    clock.fetch_add(1_000, Ordering::SeqCst);
    let olha = member(&f, "olha_k", Role::Customer);
    for i in 0..3 {
        ask(&f, ann.actor(), &format!("Ann's question {i}")).unwrap();
    }
    f.set_standing(
        Some(admin.actor()),
        olha.id,
        &change(MemberStatus::Silenced, None, "x"),
    )
    .unwrap();
    let page = Paging {
        page: 1,
        per_page: 10,
    };
    let names = |q: MemberQuery| -> Vec<String> {
        f.members(Some(admin.actor()), &q, page)
            .unwrap()
            .0
            .into_iter()
            .map(|m| m.username)
            .collect()
    };
    assert_eq!(names(MemberQuery::default()), vec!["olha_k", "ann", "root"]);
    // Ranks come from reputation: Ann has 60 points (a Contributor).
    db.execute_sql(&format!(
        "INSERT INTO user_reputation (user_id, points, accepted, kudos, kb_articles, posts, \
         answer_categories, best_streak, updated_at) VALUES ({}, 60, 0, 6, 0, 3, 1, 1, 0)",
        ann.id
    ));
    let rank = |r: &str| MemberQuery {
        rank: Some(r.into()),
        ..Default::default()
    };
    assert_eq!(names(rank("Contributor")), vec!["ann"]);
    assert_eq!(names(rank("newcomer")), vec!["olha_k", "root"]);
    assert!(names(rank("Expert")).is_empty());
    assert!(matches!(
        f.members(Some(admin.actor()), &rank("Wizard"), page),
        Err(ForumError::Validation { field: "rank", .. })
    ));
    let listed = f
        .members(Some(admin.actor()), &MemberQuery::default(), page)
        .unwrap()
        .0;
    assert_eq!(listed[1].rank, "Contributor");
    assert_eq!(listed[0].rank, "Newcomer");
    assert_eq!(
        names(MemberQuery {
            q: Some("OLHA".into()),
            ..Default::default()
        }),
        vec!["olha_k"]
    );
    assert_eq!(
        names(MemberQuery {
            q: Some("ann@example".into()),
            ..Default::default()
        }),
        vec!["ann"]
    );
    assert_eq!(
        names(MemberQuery {
            role: Some(Role::Admin),
            ..Default::default()
        }),
        vec!["root"]
    );
    assert_eq!(
        names(MemberQuery {
            status: Some(MemberStatus::Silenced),
            ..Default::default()
        }),
        vec!["olha_k"]
    );
    let (by_posts, total) = f
        .members(
            Some(admin.actor()),
            &MemberQuery {
                sort: Some("posts".into()),
                ..Default::default()
            },
            Paging {
                page: 1,
                per_page: 1,
            },
        )
        .unwrap();
    assert_eq!(total, 3);
    assert_eq!(
        (by_posts[0].username.as_str(), by_posts[0].posts),
        ("ann", 3)
    );
    // Wildcards in the search are text, not patterns.
    assert!(
        names(MemberQuery {
            q: Some("%".into()),
            ..Default::default()
        })
        .len()
            == 3
    );
}

fn rate_limits_allow_bursts_then_refuse_with_a_wait(db: &TestDb) {
    let (f, clock) = clocked(db);
    let rule = RateLimit::per_minute(3);
    for _ in 0..3 {
        f.rate_limit("register:ip:203.0.113.7", rule).unwrap();
    }
    let Err(ForumError::RateLimited { retry_after_ms }) =
        f.rate_limit("register:ip:203.0.113.7", rule)
    else {
        panic!("the fourth in a minute is refused");
    };
    assert!((1..=20_000).contains(&retry_after_ms), "{retry_after_ms}");
    // Another key counts on its own.
    f.rate_limit("register:ip:198.51.100.1", rule).unwrap();
    // A refusal does not use up the allowance: after the wait, one more.
    clock.fetch_add(retry_after_ms, Ordering::SeqCst);
    f.rate_limit("register:ip:203.0.113.7", rule).unwrap();
    assert!(f.rate_limit("register:ip:203.0.113.7", rule).is_err());
    // After a quiet minute the full burst is back, and the state is pruned.
    clock.fetch_add(61_000, Ordering::SeqCst);
    assert_eq!(f.prune_rate_limits().unwrap(), 2);
    for _ in 0..3 {
        f.rate_limit("register:ip:203.0.113.7", rule).unwrap();
    }
    // Limit 0 is off.
    for _ in 0..10 {
        f.rate_limit("search:ip:x", RateLimit::per_minute(0))
            .unwrap();
    }
    // Many threads at once (many nodes) never exceed the limit.
    let allowed = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..5 {
                    if f.rate_limit("post:user:1", RateLimit::per_hour(10)).is_ok() {
                        allowed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
    });
    assert_eq!(allowed.load(Ordering::SeqCst), 10);
}

/// Every table's rows as text (SQLite: each column cast to text; PostgreSQL:
/// each row as JSON), to look for a string anywhere in the database.
fn whole_database(db: &TestDb) -> Vec<(String, String)> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let mut out = Vec::new();
    match db.forum.db() {
        Db::Sqlite(pool) => {
            let mut c = pool.get().unwrap();
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .load(&mut c)
            .unwrap();
            for t in tables {
                #[derive(QueryableByName)]
                struct Col {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    name: String,
                }
                let cols: Vec<Col> = diesel::sql_query(format!("PRAGMA table_info({})", t.name))
                    .load(&mut c)
                    .unwrap();
                let expr = cols
                    .iter()
                    .map(|c| format!("COALESCE(CAST(\"{}\" AS TEXT), '')", c.name))
                    .collect::<Vec<_>>()
                    .join(" || ' | ' || ");
                let rows: Vec<Line> =
                    diesel::sql_query(format!("SELECT {expr} AS line FROM \"{}\"", t.name))
                        .load(&mut c)
                        .unwrap();
                out.extend(rows.into_iter().map(|r| (t.name.clone(), r.line)));
            }
        }
        Db::Pg(pool) => {
            let mut c = pool.get().unwrap();
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .load(&mut c)
            .unwrap();
            for t in tables {
                let rows: Vec<Line> = diesel::sql_query(format!(
                    "SELECT row_to_json(t)::text AS line FROM \"{}\" t",
                    t.name
                ))
                .load(&mut c)
                .unwrap();
                out.extend(rows.into_iter().map(|r| (t.name.clone(), r.line)));
            }
        }
    }
    out
}

fn erasure_leaves_no_personal_data_in_any_table(db: &TestDb) {
    let (f, _) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let bob = member(&f, "bob", Role::Customer);
    let quokka = f
        .register(NewUser {
            language: None,
            username: "quokka_zyx".into(),
            email: "Quokka.Zyx@Example.org".into(),
            password: Some("password123".into()),
            role: Role::Customer,
            display_name: Some("Zyxwvut Quokka".into()),
        })
        .unwrap();
    let secrets = [
        "quokka_zyx",
        "Quokka.Zyx",
        "quokka.zyx",
        "Zyxwvut",
        "198.51.100.77",
    ];
    // The address they signed in from (staff see it on their page).
    f.record_member_address(quokka.id, "198.51.100.77").unwrap();
    // A life in the community: a question, a reply to Bob (so Bob's bell
    // and mail name them), a mention, sessions, a failed sign-in, a
    // single-sign-on identity, preferences, a CRM contact with notes.
    let t = ask(&f, bob.actor(), "How do I reset the router").unwrap();
    f.reply(quokka.actor(), t, "Hold the button for ten seconds.")
        .unwrap();
    let mine = ask(&f, quokka.actor(), "Firmware upgrade stuck at 90%").unwrap();
    f.reply(bob.actor(), mine, "Same here @quokka_zyx").unwrap();
    f.issue_token(quokka.id, TokenKind::Session).unwrap();
    f.issue_token(quokka.id, TokenKind::Api).unwrap();
    let _ = f.authenticate("quokka_zyx", "wrong-password");
    f.subscribe(quokka.actor(), "thread", t, true).unwrap();
    // A reply they were still writing.
    f.save_draft(
        quokka.actor(),
        forum::drafts::DraftKey::Reply { thread_id: t },
        "",
        "Zyxwvut's half-written answer",
    )
    .unwrap();
    // A confirmation link waiting for them (it holds their address).
    assert!(f
        .clone()
        .with_email_confirmation(true)
        .resend_email_confirmation(quokka.id)
        .unwrap());
    db.execute_sql(&format!(
        "INSERT INTO user_identities (provider, subject, user_id, created_at) VALUES ('corp', 'Quokka.Zyx-sub', {id}, 0);
         INSERT INTO crm_contacts (user_id, company, segment, lifecycle, tags, notes, updated_at)
           VALUES ({id}, 'Zyxwvut Holdings', 'vip', 'customer', 'zyxwvut', 'Call Zyxwvut Quokka after 5', 0);",
        id = quokka.id
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while f.pending_events(forum::notify::OUTBOX_CONSUMER).unwrap() > 0 {
        f.process_notify_events(500).unwrap();
        assert!(std::time::Instant::now() < deadline, "notify stalled");
    }
    let before = whole_database(db);
    for s in secrets {
        assert!(
            before.iter().any(|(_, line)| line.contains(s)),
            "the scan finds {s} before erasure"
        );
    }

    // A confirmation step: the username, typed.
    assert!(matches!(
        f.erase_member(Some(admin.actor()), quokka.id, "quokka"),
        Err(ForumError::Validation {
            field: "confirm",
            ..
        })
    ));
    assert!(matches!(
        f.erase_member(Some(bob.actor()), quokka.id, "quokka_zyx"),
        Err(ForumError::Forbidden(_))
    ));
    f.erase_member(Some(admin.actor()), quokka.id, "quokka_zyx")
        .unwrap();

    let after = whole_database(db);
    let leaks: Vec<&(String, String)> = after
        .iter()
        .filter(|(_, line)| secrets.iter().any(|s| line.contains(s)))
        .collect();
    assert!(leaks.is_empty(), "personal data left: {leaks:#?}");
    // The content stays, under "Deleted member", and the account is closed.
    let page = f.thread(t, None, 1, 10, false).unwrap();
    assert_eq!(page.replies[0].author.display_name, "Deleted member");
    assert_eq!(page.replies[0].body_md, "Hold the button for ten seconds.");
    assert!(f.authenticate("quokka_zyx", "password123").is_err());
    assert!(f.find_user("Quokka.Zyx@Example.org").unwrap().is_none());
    let log = f.audit_log(None, &AuditFilter::default(), 1).unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].target_id),
        ("member.erased", quokka.id)
    );
    // Bob's notice of the reply no longer names them.
    let notes = f.notifications(bob.id, 10).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.title.starts_with("Deleted member replied")),
        "{notes:?}"
    );
}

fn the_audit_log_is_exported_and_not_imported(db: &TestDb) {
    let (f, clock) = clocked(db);
    let admin = member(&f, "root", Role::Admin);
    let ann = member(&f, "ann", Role::Customer);
    f.set_role(Some(admin.actor()), ann.id, Role::Agent, "helps a lot")
        .unwrap();
    clock.fetch_add(1000, Ordering::SeqCst);
    f.set_standing(
        None,
        ann.id,
        &change(MemberStatus::Silenced, Some(1), "cool down"),
    )
    .unwrap();
    let mut records = Vec::new();
    f.export(|r| {
        records.push(r.clone());
        Ok(())
    })
    .unwrap();
    let audit: Vec<&forum::import::AuditRecord> = records
        .iter()
        .filter_map(|r| match r {
            forum::import::Record::Audit(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(audit.len(), 2, "every entry, oldest first");
    assert_eq!(audit[0].action, "member.role");
    assert_eq!(audit[0].actor.as_deref(), Some("root"));
    assert_eq!(audit[0].actor_id, Some(admin.id));
    assert_eq!(audit[0].target.as_deref(), Some("ann"));
    assert_eq!(
        (audit[0].before.as_str(), audit[0].after.as_str()),
        ("customer", "agent")
    );
    assert_eq!(audit[0].reason, "helps a lot");
    assert_eq!(audit[1].action, "member.standing");
    assert_eq!(audit[1].actor, None, "the command line");
    assert_eq!(audit[1].at, T0 + 1000);
    assert!(
        matches!(records.last(), Some(forum::import::Record::Audit(_))),
        "the log comes last"
    );
    // The lines read back, and an import counts them without writing them.
    let lines: Vec<String> = records
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    assert!(lines.last().unwrap().contains("\"type\":\"audit\""));
    let fresh = forum::testkit::sqlite_db();
    let s = fresh
        .forum
        .import_lines(lines.iter().map(|l| Ok(l.clone())), 100, |_| {})
        .unwrap();
    assert!(s.skipped.is_empty(), "{:?}", s.skipped);
    assert_eq!(s.audit_entries_not_imported, 2);
    assert!(fresh
        .forum
        .audit_log(None, &AuditFilter::default(), 10)
        .unwrap()
        .is_empty());
}

fn several_keys_are_counted_together_or_not_at_all(db: &TestDb) {
    let (f, clock) = clocked(db);
    let tight = RateLimit {
        limit: 1,
        period_secs: 60,
    };
    let loose = RateLimit {
        limit: 5,
        period_secs: 60,
    };
    let both = |who: &str| {
        vec![
            (format!("reply:ip:{who}"), loose),
            (format!("reply:cred:{who}"), tight),
        ]
    };
    f.rate_limit_all(&both("a")).unwrap();
    // The tight key refuses; the loose one is not spent by the refusal.
    for _ in 0..4 {
        assert!(matches!(
            f.rate_limit_all(&both("a")),
            Err(ForumError::RateLimited { .. })
        ));
    }
    clock.fetch_add(61_000, Ordering::SeqCst);
    for _ in 0..4 {
        f.rate_limit_all(&both("a")).unwrap();
        clock.fetch_add(61_000, Ordering::SeqCst);
    }
    // Five allowed in all: the loose key has its full burst left each time
    // it was refused with the tight one. A zero limit is off.
    let off = RateLimit {
        limit: 0,
        period_secs: 60,
    };
    for _ in 0..10 {
        f.rate_limit_all(&[("x".to_string(), off)]).unwrap();
    }
}
