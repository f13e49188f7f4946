//! `hearth`: run the community server and its admin commands.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use forum::{Forum, NewUser, Role};
use web::config::{redact_url, Config};

/// mimalloc gives freed memory back to the system: with glibc's malloc a
/// burst of password hashes (19 MiB each) left the process at gigabytes
/// long after the burst, kept in per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "hearth", version, about = "Hearth brand community")]
struct Cli {
    /// Configuration file (TOML). Defaults to ./hearth.toml when present.
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory for the SQLite database and search index.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB (default: DATA_DIR/hearth.db).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies migrations first).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bulk-import threads with replies (and users, categories) from JSONL.
    Import {
        file: PathBuf,
        /// Threads per transaction.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
    /// Rebuild the search index from the database and swap it in atomically
    /// (a running server keeps answering from the old one until the swap).
    Reindex,
    /// Render every post's Markdown again with the current renderer (after
    /// an upgrade that changes sanitising or nesting limits).
    Rerender,
    /// Dump users, categories and threads as JSONL that `import` reads back.
    Export {
        /// Output file; standard output when omitted.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Points, ranks and badges.
    Reputation {
        #[command(subcommand)]
        command: ReputationCommand,
    },
    /// The CRM bridge.
    Crm {
        #[command(subcommand)]
        command: CrmCommand,
    },
    /// The analytics' daily rollups.
    Analytics {
        #[command(subcommand)]
        command: AnalyticsCommand,
    },
}

#[derive(Subcommand)]
enum AnalyticsCommand {
    /// Recompute the daily rollups from the database. The result equals
    /// what the event-driven worker keeps; a server running meanwhile goes
    /// on answering from the old rollups until the rebuild commits.
    Rebuild,
}

#[derive(Subcommand)]
enum CrmCommand {
    /// Report threads that should have a task and have none, and tasks not
    /// mirrored to the external CRM; `--fix` creates and queues them.
    Reconcile {
        #[arg(long)]
        fix: bool,
    },
}

#[derive(Subcommand)]
enum ReputationCommand {
    /// Recompute every award, total and badge from the database. The result
    /// equals what the event-driven worker computed; run it after changing
    /// the point values or badge rules.
    Rebuild,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is prompted for, or read from stdin.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "customer")]
        role: String,
    },
    /// List members: newest first, or by last seen / posts.
    List {
        /// Part of the username, display name or email.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// active, silenced, suspended or banned.
        #[arg(long)]
        status: Option<String>,
        /// A rank's name, e.g. "Community Leader".
        #[arg(long)]
        rank: Option<String>,
        /// joined, seen or posts.
        #[arg(long, default_value = "joined")]
        sort: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Give a member a role: customer, agent, moderator or admin.
    SetRole {
        name: String,
        role: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Let a member read but not post, for N days (or until reinstated).
    Silence {
        name: String,
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        reason: String,
    },
    /// Stop a member signing in, for N days (or until reinstated); their
    /// sessions end at once.
    Suspend {
        name: String,
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        reason: String,
    },
    /// Suspend a member for good.
    Ban {
        name: String,
        #[arg(long)]
        reason: String,
    },
    /// Lift a silence, suspension or ban.
    Reinstate { name: String },
    /// Mail a member a single-use reset link, or print it when mail is off.
    ResetPassword { name: String },
    /// Erase a member's personal data for good (GDPR); their posts stay,
    /// as "Deleted member". Give the username again to confirm.
    Erase {
        name: String,
        #[arg(long)]
        confirm: String,
    },
    /// The staff audit log, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

/// mimalloc reads its options from the environment once, as the process
/// starts, before `main` runs. By default it keeps freed memory for a while
/// and never gives back what exiting threads held; under a burst of
/// requests on the blocking pool that kept about 100 MiB for good. So the
/// binary starts itself again, once, with the options that return memory
/// at once (same PID, so systemd's notify protocol is unaffected). Set
/// `MIMALLOC_PURGE_DELAY` yourself to choose otherwise.
fn tune_allocator() {
    #[cfg(unix)]
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        use std::os::unix::process::CommandExt;
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let err = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("MIMALLOC_PURGE_DELAY", "0")
            .env("MIMALLOC_ABANDONED_PAGE_PURGE", "1")
            .exec();
        // Only reached when the exec failed: run untuned rather than not at all.
        eprintln!("hearth: could not restart with allocator settings ({err}); going on");
    }
}

fn main() -> anyhow::Result<()> {
    tune_allocator();
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref(), |k| std::env::var(k).ok())?;
    if let Some(d) = cli.data_dir {
        config.data_dir = d;
    }
    if let Some(u) = cli.database_url {
        config.database_url = u;
    }
    web::init_logging(&config.log_format);
    let url = config.effective_database_url();
    match cli.command {
        Command::Serve { bind } => {
            if let Some(b) = bind {
                config.bind = b;
            }
            serve(config, &url)
        }
        Command::Migrate => {
            let db = forum::Db::open(&url, 1)?;
            let n = db.migrate()?;
            println!("{n} migration(s) applied to {}", redact_url(&url));
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    email,
                    role,
                },
        } => {
            let role: Role = role.parse()?;
            let forum = Forum::open(&url, 2)?;
            let password = read_password()?;
            // The operator vouches for the address they typed.
            let user = forum.register_with(
                NewUser {
                    language: None,
                    username,
                    email,
                    password: Some(password),
                    role,
                    display_name: None,
                },
                forum::AccountEmail::Confirmed,
            )?;
            println!(
                "created {} #{} ({})",
                user.username,
                user.id,
                user.role.as_str()
            );
            Ok(())
        }
        Command::User { command } => user_command(&config, &url, command),
        Command::Import { file, batch } => import(&url, &file, batch),
        Command::Reindex => reindex(&config, &url),
        Command::Rerender => {
            let forum = config.open_forum(&url, 2)?;
            let started = std::time::Instant::now();
            let changed = forum.rerender_posts(|_| {})?;
            println!(
                "re-rendered posts in {:.1}s: {changed} changed",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Export { output } => export(&url, output),
        Command::Crm {
            command: CrmCommand::Reconcile { fix },
        } => {
            let forum = config.open_forum(&url, 2)?;
            let crm = crm_bridge::Crm::new(forum, config.crm.clone())?;
            let r = crm.reconcile(fix)?;
            let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
            println!("threads without a task: {}", r.missing_tasks.len());
            if !r.missing_tasks.is_empty() {
                println!("  {}", list(&r.missing_tasks));
            }
            match crm.connector_name() {
                Some(c) => {
                    println!("tasks out of sync with {c}: {}", r.out_of_sync.len());
                    if !r.out_of_sync.is_empty() {
                        println!("  {}", list(&r.out_of_sync));
                    }
                }
                None => println!("no external CRM configured; nothing to sync"),
            }
            if fix {
                println!("fixed: tasks created and deliveries queued; the worker of a running server sends them");
            } else if !r.missing_tasks.is_empty() || !r.out_of_sync.is_empty() {
                println!("run again with --fix to repair");
            }
            Ok(())
        }
        Command::Analytics {
            command: AnalyticsCommand::Rebuild,
        } => {
            let forum = config.open_forum(&url, 2)?;
            let started = std::time::Instant::now();
            let s = forum.rebuild_analytics()?;
            println!(
                "analytics rollups rebuilt in {:.1}s: {} posts and {} kudos into {} member-days, {} questions; {} days of page views",
                started.elapsed().as_secs_f64(),
                s.posts,
                s.kudos,
                s.member_days,
                s.questions,
                s.traffic_days
            );
            Ok(())
        }
        Command::Reputation {
            command: ReputationCommand::Rebuild,
        } => {
            let forum = config.open_forum(&url, 2)?;
            let started = std::time::Instant::now();
            let s = forum.rebuild_reputation()?;
            println!(
                "reputation rebuilt in {:.1}s: {} awards, {} members, {} points in all; badges +{} -{}",
                started.elapsed().as_secs_f64(),
                s.awards,
                s.users,
                s.points,
                s.badges_added,
                s.badges_removed
            );
            Ok(())
        }
    }
}

fn serve(config: Config, url: &str) -> anyhow::Result<()> {
    // Panics are caught where they happen (a request, a worker's pass);
    // this puts each in the structured log with where it came from.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = web::supervisor::panic_message(info.payload());
        let thread = std::thread::current();
        tracing::error!(panic = %message, %location, thread = thread.name().unwrap_or("?"), "panic");
    }));
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let forum = config.open_forum(url, config.pool_size)?;
    let listener = std::net::TcpListener::bind(&config.bind)
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(database = %redact_url(url), %addr, "starting Hearth");
    println!(
        "Hearth is running at http://{addr}/  (database: {})",
        redact_url(url)
    );
    let search = web::AppState::open_search(&config)?;
    let config_search_days = config.analytics.search_log_days;
    let state = web::AppState::new(forum.clone(), search, config)?;
    let (workers, pinged) = (state.workers.clone(), forum.clone());
    actix_web::rt::System::new().block_on(async move {
        let running = web::start_server(state, listener)?;
        // Under systemd (Type=notify, WatchdogSec=): ready now, then pinged
        // only while healthy, so a stuck worker gets the process restarted.
        web::sd_notify::notify("READY=1");
        web::sd_notify::spawn_watchdog(move || workers.healthy() && pinged.ping().is_ok());
        running.server.await?;
        web::sd_notify::notify("STOPPING=1");
        running.workers.stop();
        // Views buffered since the last tick are written before exit.
        if let Err(e) = forum.flush_views() {
            tracing::warn!(error = %e, "could not flush view counts at shutdown");
        }
        if let Err(e) = forum.flush_search_log(config_search_days) {
            tracing::warn!(error = %e, "could not write the search log at shutdown");
        }
        if let Err(e) = forum.flush_page_views() {
            tracing::warn!(error = %e, "could not write page views at shutdown");
        }
        Ok(())
    })
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the passwords do not match");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

fn import(url: &str, file: &std::path::Path, batch: usize) -> anyhow::Result<()> {
    let forum = Forum::open(url, 2)?;
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let reader = std::io::BufReader::new(bar.wrap_read(f));
    let started = std::time::Instant::now();
    let summary = forum.import_lines(reader.lines(), batch.max(1), |lines| {
        bar.set_message(format!("{lines} lines"))
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "imported {} threads, {} posts, {} kudos, {} idea votes; created {} users, {} categories in {:.1}s ({:.0} posts/s)",
        summary.threads,
        summary.posts,
        summary.votes,
        summary.idea_votes,
        summary.users_created,
        summary.categories_created,
        secs,
        summary.posts as f64 / secs.max(0.001)
    );
    if summary.audit_entries_not_imported > 0 {
        println!(
            "{} staff audit entries read and not imported (the log records this site's own actions)",
            summary.audit_entries_not_imported
        );
    }
    if !summary.skipped.is_empty() {
        println!("skipped {} line(s):", summary.skipped.len());
        for (line, reason) in summary.skipped.iter().take(50) {
            println!("  line {line}: {reason}");
        }
    }
    Ok(())
}

fn export(url: &str, output: Option<PathBuf>) -> anyhow::Result<()> {
    let forum = Forum::open(url, 2)?;
    let sink: Box<dyn Write> = match &output {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    let n = forum.export(|record| {
        serde_json::to_writer(&mut out, record)
            .and_then(|_| out.write_all(b"\n").map_err(serde_json::Error::io))
            .map_err(|e| forum::ForumError::Internal(format!("writing export: {e}")))
    })?;
    out.flush()?;
    if output.is_some() {
        eprintln!("exported {n} records");
    }
    Ok(())
}

fn reindex(config: &Config, url: &str) -> anyhow::Result<()> {
    let forum = Forum::open(url, 2)?;
    let index = web::AppState::open_search(config)?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {pos} threads read {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let started = std::time::Instant::now();
    let n = web::indexer::rebuild(&forum, &index, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "reindexed {n} threads in {secs:.1}s ({:.0} docs/s); the new index is live",
        n as f64 / secs.max(0.001)
    );
    Ok(())
}

fn member_named(forum: &Forum, name: &str) -> anyhow::Result<forum::User> {
    forum
        .find_user(name)?
        .ok_or_else(|| anyhow::anyhow!("no member with the username or email {name:?}"))
}

/// `hearth user …` other than `create`: the staff actions, run as the
/// command line (audited with no actor), so the first administrator can
/// recover a site without the web.
fn user_command(config: &Config, url: &str, command: UserCommand) -> anyhow::Result<()> {
    use forum::members::{AuditFilter, MemberQuery, MemberStatus, StandingChange};
    let forum = config.open_forum(url, 2)?;
    let standing = |name: &str, status, days, reason: String| -> anyhow::Result<()> {
        let user = member_named(&forum, name)?;
        let user = forum.set_standing(
            None,
            user.id,
            &StandingChange {
                status,
                for_days: days,
                reason,
            },
        )?;
        let until = user
            .standing
            .until
            .map(|u| format!(" until {}", web::timefmt::iso8601(u)))
            .unwrap_or_default();
        println!(
            "{} is {}{until}",
            user.username,
            user.standing.status.as_str()
        );
        Ok(())
    };
    match command {
        UserCommand::Create { .. } => bail!("`user create` is handled before the staff commands"),
        UserCommand::List {
            search,
            role,
            status,
            rank,
            sort,
            limit,
        } => {
            let q = MemberQuery {
                q: search,
                role: role.map(|r| r.parse::<Role>()).transpose()?,
                status: status.map(|s| MemberStatus::parse(&s)).transpose()?,
                rank,
                sort: Some(sort),
            };
            let (members, total) = forum.members(
                None,
                &q,
                forum::Paging {
                    page: 1,
                    per_page: limit.clamp(1, 10_000),
                },
            )?;
            println!(
                "{:>7}  {:<24} {:<10} {:<10} {:>6}  email",
                "id", "username", "role", "status", "posts"
            );
            for m in &members {
                println!(
                    "{:>7}  {:<24} {:<10} {:<10} {:>6}  {}",
                    m.id,
                    m.username,
                    m.role.as_str(),
                    m.status.as_str(),
                    m.posts,
                    m.email
                );
            }
            println!("{} of {total}", members.len());
            Ok(())
        }
        UserCommand::SetRole { name, role, reason } => {
            let user = member_named(&forum, &name)?;
            let user = forum.set_role(None, user.id, role.parse()?, &reason)?;
            println!("{} is now {}", user.username, user.role.as_str());
            Ok(())
        }
        UserCommand::Silence { name, days, reason } => {
            standing(&name, MemberStatus::Silenced, days, reason)
        }
        UserCommand::Suspend { name, days, reason } => {
            standing(&name, MemberStatus::Suspended, days, reason)
        }
        UserCommand::Ban { name, reason } => standing(&name, MemberStatus::Banned, None, reason),
        UserCommand::Reinstate { name } => {
            standing(&name, MemberStatus::Active, None, String::new())
        }
        UserCommand::ResetPassword { name } => {
            let user = member_named(&forum, &name)?;
            let by_mail = config.mail.transport != "none";
            match forum.staff_password_reset(None, user.id, by_mail)? {
                Some(path) => println!(
                    "single-use link for {} (valid one hour): {}{path}",
                    user.username,
                    config.public_url.trim_end_matches('/')
                ),
                None => println!("a reset link was mailed to {}", user.username),
            }
            Ok(())
        }
        UserCommand::Erase { name, confirm } => {
            let user = member_named(&forum, &name)?;
            forum.erase_member(None, user.id, &confirm)?;
            println!("member #{} erased", user.id);
            Ok(())
        }
        UserCommand::Audit { limit } => {
            for e in forum.audit_log(None, &AuditFilter::default(), limit)? {
                println!(
                    "{}  {:<12} {:<22} {}#{}  {} -> {}  {}",
                    web::timefmt::iso8601(e.at),
                    e.actor_name.as_deref().unwrap_or("(command line)"),
                    e.action,
                    e.target_kind,
                    e.target_id,
                    e.before,
                    e.after,
                    e.reason
                );
            }
            Ok(())
        }
    }
}
