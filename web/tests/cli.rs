//! The `hearth` binary's admin commands, run as a user would run them.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn hearth(data: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("HEARTH_DATABASE_URL")
        .env("HEARTH_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hearth");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn admin_commands_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let (ok, out, err) = hearth(&data, &["migrate"], None);
    assert!(ok, "{err}");
    assert!(out.contains("migration(s) applied"), "{out}");
    assert!(
        data.join("hearth.db").exists(),
        "SQLite lives in the data dir"
    );

    let (ok, out, err) = hearth(
        &data,
        &[
            "user",
            "create",
            "--username",
            "root",
            "--email",
            "root@example.com",
            "--role",
            "admin",
        ],
        Some("s3cret-password\n"),
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("created root") && out.contains("admin"),
        "{out}"
    );
    let (ok, _, err) = hearth(
        &data,
        &[
            "user",
            "create",
            "--username",
            "x",
            "--email",
            "x@example.com",
            "--role",
            "king",
        ],
        Some("password123\n"),
    );
    assert!(!ok && err.contains("unknown role"), "{err}");
    let (ok, _, err) = hearth(
        &data,
        &[
            "user",
            "create",
            "--username",
            "shorty",
            "--email",
            "s@example.com",
        ],
        Some("short\n"),
    );
    assert!(!ok && err.contains("at least 8"), "{err}");

    let file = dir.path().join("in.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"category":"support","title":"Printer offline after update","body":"It says offline.","author":"ann","replies":[{"author":"bob","body":"Reinstall the driver","accepted":true}]}"#,
            r#"{"category":"support","title":"Принтер не печатает","body":"Почему?","author":"ivan"}"#,
            "garbage line",
        ]
        .join("\n"),
    )
    .unwrap();
    let (ok, out, err) = hearth(&data, &["import", file.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("imported 2 threads, 3 posts"), "{out}");
    assert!(out.contains("line 3"), "bad lines are reported: {out}");

    let dump = dir.path().join("dump.jsonl");
    let (ok, _, err) = hearth(&data, &["export", "-o", dump.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let exported = std::fs::read_to_string(&dump).unwrap();
    assert!(exported.contains("\"type\":\"user\"") && exported.contains("Принтер не печатает"));
    assert!(exported.contains("\"accepted\":true"));
    let (ok, _, err) = hearth(
        &dir.path().join("copy"),
        &["import", dump.to_str().unwrap()],
        None,
    );
    assert!(ok, "the export imports into a fresh install: {err}");

    let (ok, out, err) = hearth(&data, &["reindex"], None);
    assert!(ok, "{err}");
    assert!(out.contains("reindexed 2 threads"), "{out}");
    let current = std::fs::read_to_string(data.join("search/CURRENT")).unwrap();
    assert!(data.join("search").join(current.trim()).is_dir());

    // Posts rendered by today's renderer: nothing to change.
    let (ok, out, err) = hearth(&data, &["rerender"], None);
    assert!(ok, "{err}");
    assert!(out.contains("0 changed"), "{out}");

    // Bob's imported accepted answer earns points in a rebuild.
    let (ok, out, err) = hearth(&data, &["reputation", "rebuild"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("reputation rebuilt") && !out.contains(" 0 awards"),
        "{out}"
    );
    assert!(!out.contains(" 0 points"), "{out}");

    let (ok, _, err) = hearth(&data, &["import", "/no/such/file.jsonl"], None);
    assert!(!ok && err.contains("cannot open"), "{err}");
}

#[test]
fn crm_reconcile_reports_and_fixes_missing_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, _, err) = hearth(&data, &["migrate"], None);
    assert!(ok, "{err}");
    // A thread written while no CRM worker ran.
    let url = format!("sqlite://{}", data.join("hearth.db").display());
    let forum = forum::Forum::open(&url, 2).unwrap();
    let ann = forum
        .register(forum::NewUser {
            language: None,
            username: "ann".into(),
            email: "ann@example.com".into(),
            password: None,
            role: forum::Role::Customer,
            display_name: None,
        })
        .unwrap()
        .actor();
    let thread = forum
        .create_thread(
            ann,
            forum::NewThread {
                category: "support".into(),
                title: "Router lost its settings".into(),
                body: "After the power cut.".into(),
                tags: vec![],
            },
        )
        .unwrap();
    // The CRM consumer has moved past it (as after a lost backlog).
    forum
        .poll_events(crm_bridge::OUTBOX_CONSUMER, 10_000, |_| Ok(()))
        .unwrap();

    let (ok, out, err) = hearth(&data, &["crm", "reconcile"], None);
    assert!(ok, "{err}");
    assert!(out.contains("threads without a task: 1"), "{out}");
    assert!(out.contains(&thread.to_string()), "{out}");
    assert!(out.contains("--fix"), "{out}");

    let (ok, out, err) = hearth(&data, &["crm", "reconcile", "--fix"], None);
    assert!(ok, "{err}");
    assert!(out.contains("fixed"), "{out}");
    let crm = crm_bridge::Crm::new(forum.clone(), crm_bridge::CrmConfig::default()).unwrap();
    let task = crm.task_for_thread(thread).unwrap().expect("task created");
    assert_eq!(task.subject, "Router lost its settings");

    let (ok, out, _) = hearth(&data, &["crm", "reconcile"], None);
    assert!(ok);
    assert!(out.contains("threads without a task: 0"), "{out}");
}

/// The first administrator can run the site from the shell: list members,
/// change a role, silence, suspend, ban and reinstate, hand out a reset
/// link when mail is off, and read the audit log of all of it.
#[test]
fn staff_commands_manage_members_without_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for name in ["root", "ann"] {
        let (ok, _, err) = hearth(
            &data,
            &[
                "user",
                "create",
                "--username",
                name,
                "--email",
                &format!("{name}@example.com"),
            ],
            Some("correct horse battery\n"),
        );
        assert!(ok, "{err}");
    }
    let run = |args: &[&str]| {
        let (ok, out, err) = hearth(&data, args, None);
        assert!(ok, "{args:?}: {err}");
        out
    };
    let out = run(&[
        "user",
        "set-role",
        "root",
        "admin",
        "--reason",
        "first admin",
    ]);
    assert!(out.contains("root is now admin"), "{out}");
    let out = run(&["user", "list", "--role", "admin"]);
    assert!(out.contains("root") && !out.contains("ann@"), "{out}");
    assert!(out.contains("1 of 1"), "{out}");
    let out = run(&[
        "user", "silence", "ann", "--days", "3", "--reason", "heated",
    ]);
    assert!(out.contains("ann is silenced until 20"), "{out}");
    let out = run(&["user", "list", "--status", "silenced"]);
    assert!(out.contains("ann") && out.contains("1 of 1"), "{out}");
    let out = run(&["user", "suspend", "ann", "--reason", "spam wave"]);
    assert!(out.contains("ann is suspended"), "{out}");
    let out = run(&["user", "ban", "ann@example.com", "--reason", "fraud"]);
    assert!(out.contains("ann is banned"), "{out}");
    let out = run(&["user", "reinstate", "ann"]);
    assert!(out.contains("ann is active"), "{out}");
    let out = run(&["user", "reset-password", "ann"]);
    assert!(
        out.contains("single-use link for ann") && out.contains("/password/reset?token="),
        "mail is off by default, so the link is printed: {out}"
    );
    let (ok, _, err) = hearth(&data, &["user", "erase", "ann", "--confirm", "anne"], None);
    assert!(!ok && err.contains("username"), "{err}");
    let out = run(&["user", "erase", "ann", "--confirm", "ann"]);
    assert!(out.contains("erased"), "{out}");
    let out = run(&["user", "list"]);
    assert!(
        !out.contains("ann@example.com") && out.contains("deleted-"),
        "{out}"
    );
    let out = run(&["user", "audit"]);
    for action in ["member.role", "member.standing", "member.password_reset"] {
        assert!(out.contains(action), "{action} in {out}");
    }
    assert!(
        out.contains("(command line)") && out.contains("fraud"),
        "{out}"
    );
    // Mistakes get a clear error, not a panic.
    let (ok, _, err) = hearth(&data, &["user", "set-role", "nobody", "admin"], None);
    assert!(!ok && err.contains("no member"), "{err}");
    let (ok, _, err) = hearth(&data, &["user", "suspend", "root", "--reason", " "], None);
    assert!(!ok && err.contains("reason"), "{err}");
    let (ok, _, err) = hearth(&data, &["user", "set-role", "root", "emperor"], None);
    assert!(!ok && !err.is_empty(), "{err}");
}
