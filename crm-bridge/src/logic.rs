//! The CRM's rules applied to storage, compiled once per backend next to
//! `store.rs`. Callers own the transaction unless a name ends in `_tx`.

#[allow(unused_imports)]
use super::*;

use forum::events::{EventBody, ThreadCreated};
use forum::Event;
use serde_json::json;

use crate::connector::InboundChange;
use crate::model::Ctx;
use crate::rules::{
    sla_check, Escalation, Priority, SlaClock, SLA_FIRST_BREACHED, SLA_FIRST_WARNED,
    SLA_RESOLUTION_BREACHED, SLA_RESOLUTION_WARNED,
};

/// Queue the task's current state for the external CRM, if one is enabled.
fn sync(conn: &mut Conn, ctx: &Ctx<'_>, task_id: i64) -> Result<()> {
    if let Some(c) = ctx.connector {
        enqueue_delivery(conn, ctx.now, c, task_id, "sync", 0)?;
    }
    Ok(())
}

fn is_staff_role(role: &str) -> bool {
    matches!(role, "agent" | "moderator" | "admin")
}

/// Tell the task's owner (or, for an unowned task, every agent) by the
/// forum's notifications: the bell, and mail as each prefers.
fn notify_agents(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    t: &TaskRow,
    kind: &str,
    title: String,
    key: String,
) -> Result<()> {
    let recipients: Vec<i64> = match t.owner_id {
        Some(o) => vec![o],
        None => agent_ids(conn)?,
    };
    let thread_title = thread_facts(conn, t.thread_id)?
        .map(|f| f.title)
        .unwrap_or_default();
    for uid in recipients {
        forum::Forum::notify_in_tx(
            tx_conn(conn),
            ctx.now,
            &forum::notify::Notice {
                user_id: uid,
                kind: kind.into(),
                title: title.clone(),
                link: format!("/agent/tasks/{}", t.id),
                dedupe_key: format!("{key}:{uid}"),
                group_key: format!("thread:{}", t.thread_id),
                params: serde_json::json!({ "thread": thread_title, "task": t.id }),
            },
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn timeline_for_task(
    conn: &mut Conn,
    t: &TaskRow,
    at: i64,
    kind: &str,
    actor: Option<i64>,
    summary: String,
    params: serde_json::Value,
    key: String,
) -> Result<()> {
    add_timeline(
        conn,
        &TimelineNew {
            contact_id: t.contact_id,
            at,
            kind,
            thread_id: Some(t.thread_id),
            task_id: Some(t.id),
            actor_id: actor,
            summary,
            params,
            dedupe_key: key,
        },
    )?;
    Ok(())
}

/// Create the thread's task (once). `at` is when the thread was created, so
/// a worker catching up on a backlog still computes the right SLA.
pub fn create_task_for_thread(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    thread_id: i64,
    escalation: Option<Escalation>,
    at: i64,
) -> Result<Option<i64>> {
    let Some(ThreadFacts {
        author,
        title,
        body,
        accepted,
        deleted,
    }) = thread_facts(conn, thread_id)?
    else {
        return Ok(None);
    };
    if deleted {
        return Ok(None);
    }
    ensure_contact(conn, ctx.now, author, ctx.default_segment())?;
    let segment = contact_segment(conn, author)?.unwrap_or_default();
    let mut priority = ctx.rules.initial_priority(&segment);
    if let Some(why) = &escalation {
        priority = ctx.rules.escalated(priority, why);
    }
    let (first_due, res_due) = ctx.rules.sla.due_times(priority, at);
    let excerpt: String = body.chars().take(2_000).collect();
    let description = format!(
        "{excerpt}\n\nThread: {}/t/{thread_id}",
        ctx.public_url.trim_end_matches('/')
    );
    let status = if accepted.is_some() {
        TaskStatus::Resolved
    } else if escalation.is_some() {
        TaskStatus::Escalated
    } else {
        TaskStatus::New
    };
    let Some(id) = insert_task(
        conn,
        &NewTask {
            thread_id,
            contact_id: author,
            subject: &title,
            description: &description,
            priority,
            status,
            first_response_due: first_due,
            resolution_due: res_due,
            escalation: escalation.as_ref().map(Escalation::describe),
            now: at,
        },
    )?
    else {
        return Ok(None);
    };
    let row = task_row(conn, id)?;
    timeline_for_task(
        conn,
        &row,
        at,
        "task.created",
        None,
        format!("task #{id} opened ({})", priority.as_str()),
        json!({ "task": id, "priority": priority.as_str() }),
        format!("task:{id}:created"),
    )?;
    if let Some(why) = &escalation {
        timeline_for_task(
            conn,
            &row,
            at,
            "task.escalated",
            None,
            format!("escalated: {}", why.describe()),
            why.params(),
            format!("task:{id}:escalated:{at}"),
        )?;
        notify_agents(
            conn,
            ctx,
            &row,
            "escalated",
            format!("Task #{id} escalated: {}", why.describe()),
            format!("crm:escalated:{id}:{}", row.updated_at),
        )?;
    }
    sync(conn, ctx, id)?;
    Ok(Some(id))
}

/// Escalate a task; false when it already was (nothing changes).
pub fn escalate_row(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    mut t: TaskRow,
    why: &Escalation,
    actor: Option<i64>,
) -> Result<bool> {
    if t.status() == TaskStatus::Escalated {
        return Ok(false);
    }
    let seen = t.updated_at;
    let priority = ctx.rules.escalated(t.priority(), why);
    let (first_due, res_due) = ctx.rules.sla.due_times(priority, t.created_at);
    t.priority = priority.as_str().into();
    t.first_response_due = first_due;
    t.resolution_due = res_due;
    t.status = TaskStatus::Escalated.as_str().into();
    t.resolved_at = None;
    t.escalation = Some(why.describe());
    t.updated_at = ctx.now.max(seen + 1);
    if !save_task(conn, &t, seen)? {
        return Ok(false);
    }
    timeline_for_task(
        conn,
        &t,
        ctx.now,
        "task.escalated",
        actor,
        format!("escalated: {}", why.describe()),
        why.params(),
        format!("task:{}:escalated:{}", t.id, ctx.now),
    )?;
    notify_agents(
        conn,
        ctx,
        &t,
        "escalated",
        format!("Task #{} escalated: {}", t.id, why.describe()),
        format!("crm:escalated:{}:{}", t.id, t.updated_at),
    )?;
    sync(conn, ctx, t.id)?;
    Ok(true)
}

/// Why a task's status changed, for its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    CustomerReplied,
    SolutionAccepted,
    SolutionWithdrawn,
    ExternalCrm,
    ByAgent,
}

impl StatusReason {
    /// The stable code in the entry's parameters.
    pub fn code(self) -> &'static str {
        match self {
            StatusReason::CustomerReplied => "customer_replied",
            StatusReason::SolutionAccepted => "solution_accepted",
            StatusReason::SolutionWithdrawn => "solution_withdrawn",
            StatusReason::ExternalCrm => "external_crm",
            StatusReason::ByAgent => "by_agent",
        }
    }

    /// The English summary's words.
    pub fn english(self) -> &'static str {
        match self {
            StatusReason::CustomerReplied => "the customer replied",
            StatusReason::SolutionAccepted => "a solution was accepted",
            StatusReason::SolutionWithdrawn => "the accepted solution was withdrawn",
            StatusReason::ExternalCrm => "changed in the external CRM",
            StatusReason::ByAgent => "changed by an agent",
        }
    }
}

/// The stable code of an SLA flag, for the timeline's parameters.
fn sla_code(bit: i32) -> &'static str {
    match bit {
        SLA_FIRST_WARNED => "first_due_soon",
        SLA_FIRST_BREACHED => "first_breached",
        SLA_RESOLUTION_WARNED => "resolution_due_soon",
        _ => "resolution_breached",
    }
}

/// Set a task's status, with the side effects every path shares.
pub fn set_status_row(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    mut t: TaskRow,
    status: TaskStatus,
    actor: Option<i64>,
    why: StatusReason,
    push: bool,
) -> Result<bool> {
    let old = t.status();
    if old == status {
        return Ok(false);
    }
    let seen = t.updated_at;
    t.status = status.as_str().into();
    t.resolved_at = match status {
        TaskStatus::Resolved | TaskStatus::Closed => Some(t.resolved_at.unwrap_or(ctx.now)),
        _ => None,
    };
    if status != TaskStatus::Escalated {
        // A de-escalated task keeps the reason in its timeline only.
        if old == TaskStatus::Escalated && status.is_active() {
            t.escalation = None;
        }
    }
    t.updated_at = ctx.now.max(seen + 1);
    if !save_task(conn, &t, seen)? {
        return Err(ForumError::Conflict(
            "the task changed meanwhile; reload and try again".into(),
        ));
    }
    timeline_for_task(
        conn,
        &t,
        ctx.now,
        "task.status",
        actor,
        format!(
            "task #{} {} → {} ({})",
            t.id,
            old.as_str(),
            status.as_str(),
            why.english()
        ),
        json!({ "task": t.id, "from": old.as_str(), "to": status.as_str(), "why": why.code() }),
        format!("task:{}:status:{}:{}", t.id, t.updated_at, status.as_str()),
    )?;
    if push {
        sync(conn, ctx, t.id)?;
    }
    Ok(true)
}

/// An agent replied in the thread: the first response clock stops and the
/// task waits on the customer.
pub fn record_staff_reply(conn: &mut Conn, ctx: &Ctx<'_>, thread_id: i64, at: i64) -> Result<()> {
    let Some(mut t) = task_row_for_thread(conn, thread_id)? else {
        return Ok(());
    };
    if t.first_response_at.is_some() && t.status() == TaskStatus::Pending {
        return Ok(());
    }
    let seen = t.updated_at;
    if t.first_response_at.is_none() {
        t.first_response_at = Some(at);
    }
    if matches!(
        t.status(),
        TaskStatus::New | TaskStatus::Open | TaskStatus::Escalated
    ) {
        t.status = TaskStatus::Pending.as_str().into();
    }
    t.updated_at = ctx.now.max(seen + 1);
    if save_task(conn, &t, seen)? {
        sync(conn, ctx, t.id)?;
    }
    Ok(())
}

/// Apply a batch of outbox events. Runs inside the transaction that moves
/// the CRM's cursor, and every write is keyed, so a replay is a no-op.
pub fn handle_events(conn: &mut Conn, ctx: &Ctx<'_>, events: &[Event]) -> Result<()> {
    // Runs of new threads (the bulk of any backlog) are handled set-wise; a
    // run ends before any other event, so order is kept.
    let mut run: Vec<(&Event, &ThreadCreated)> = Vec::new();
    for e in events {
        if let EventBody::ThreadCreated(p) = &e.body {
            run.push((e, p));
            continue;
        }
        threads_created(conn, ctx, &run)?;
        run.clear();
        let key = format!("evt:{}", e.id);
        match &e.body {
            EventBody::UserRegistered(p) => {
                let uid = p.user_id;
                ensure_contact(conn, ctx.now, uid, ctx.default_segment())?;
                add_timeline(
                    conn,
                    &TimelineNew {
                        contact_id: uid,
                        at: e.created_at,
                        kind: "member.joined",
                        thread_id: None,
                        task_id: None,
                        actor_id: Some(uid),
                        summary: "joined the community".into(),
                        params: json!({}),
                        dedupe_key: key,
                    },
                )?;
            }
            EventBody::ThreadMoved(p) if board_creates_tasks(conn, ctx, p.category_id, &p.to)? => {
                create_task_for_thread(conn, ctx, p.thread_id, None, e.created_at)?;
            }
            EventBody::PostCreated(p) => {
                let (pid, tid, author) = (p.post_id, p.thread_id, p.author_id);
                ensure_contact(conn, ctx.now, author, ctx.default_segment())?;
                add_timeline(
                    conn,
                    &TimelineNew {
                        contact_id: author,
                        at: e.created_at,
                        kind: "post.created",
                        thread_id: Some(tid),
                        task_id: None,
                        actor_id: Some(author),
                        summary: format!("replied in thread #{tid}"),
                        params: json!({ "thread": tid }),
                        dedupe_key: key,
                    },
                )?;
                let Some(t) = task_row_for_thread(conn, tid)? else {
                    continue;
                };
                let role = user_role(conn, author)?.unwrap_or_default();
                if is_staff_role(&role) {
                    record_staff_reply(conn, ctx, tid, e.created_at)?;
                } else if author == t.contact_id {
                    let body = post_body(conn, pid)?.map(|p| p.1).unwrap_or_default();
                    if let Some(kw) = t
                        .status()
                        .is_active()
                        .then(|| ctx.rules.keyword_in(&body))
                        .flatten()
                    {
                        escalate_row(conn, ctx, t.clone(), &Escalation::Keyword(kw), Some(author))?;
                    } else if t.status() == TaskStatus::Pending {
                        set_status_row(
                            conn,
                            ctx,
                            t.clone(),
                            TaskStatus::Open,
                            Some(author),
                            StatusReason::CustomerReplied,
                            true,
                        )?;
                    }
                }
                if let Some(c) = ctx.connector {
                    if Some(author) != ctx.sync_user {
                        enqueue_delivery(conn, ctx.now, c, t.id, "comment", pid)?;
                    }
                }
            }
            EventBody::SolutionAccepted(p) => {
                if let Some(t) = task_row_for_thread(conn, p.thread_id)? {
                    if t.status().is_active() {
                        set_status_row(
                            conn,
                            ctx,
                            t,
                            TaskStatus::Resolved,
                            e.actor_id,
                            StatusReason::SolutionAccepted,
                            true,
                        )?;
                    }
                }
            }
            EventBody::IdeaStatusChanged(p) => idea_status_timeline(conn, ctx, e, p)?,
            EventBody::SolutionUnaccepted(p) => {
                if let Some(t) = task_row_for_thread(conn, p.thread_id)? {
                    if t.status() == TaskStatus::Resolved {
                        set_status_row(
                            conn,
                            ctx,
                            t,
                            TaskStatus::Open,
                            e.actor_id,
                            StatusReason::SolutionWithdrawn,
                            true,
                        )?;
                    }
                }
            }
            _ => {}
        }
    }
    threads_created(conn, ctx, &run)
}

/// New threads: contacts, "asked" timeline entries, and tasks for those in
/// task categories or that escalate at once, in a few statements per batch.
///
/// Whether a board's threads become tasks is the board's own setting
/// (`creates_crm_tasks`, set on `/admin/boards`); a board that was never
/// set follows the rules' `task_categories`.
fn board_creates_tasks(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    category_id: i64,
    slug: &str,
) -> Result<bool> {
    let own = board_task_settings(conn, &[category_id])?
        .get(&category_id)
        .copied()
        .flatten();
    Ok(own.unwrap_or_else(|| ctx.rules.creates_task_for(slug)))
}

fn threads_created(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    events: &[(&Event, &ThreadCreated)],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let news: Vec<(&Event, i64, i64, &ThreadCreated)> = events
        .iter()
        .map(|(e, p)| (*e, p.thread_id, p.author_id, *p))
        .collect();
    let mut authors: Vec<i64> = news.iter().map(|n| n.2).collect();
    authors.sort_unstable();
    authors.dedup();
    ensure_contacts(conn, ctx.now, &authors, ctx.default_segment())?;
    let segments = segments_of(conn, &authors)?;
    let tids: Vec<i64> = news.iter().map(|n| n.1).collect();
    let facts = thread_facts_many(conn, &tids)?;
    let boards: Vec<i64> = news.iter().map(|n| n.3.category_id).collect();
    let board_settings = board_task_settings(conn, &boards)?;
    let mut timeline: Vec<TimelineNew<'_>> = Vec::with_capacity(news.len() * 2);
    let mut wanted: Vec<(i64, Option<Escalation>, i64)> = Vec::new();
    for (e, tid, author, created) in &news {
        let title = &created.title;
        timeline.push(TimelineNew {
            contact_id: *author,
            at: e.created_at,
            kind: "thread.created",
            thread_id: Some(*tid),
            task_id: None,
            actor_id: Some(*author),
            summary: format!("asked “{title}”"),
            params: json!({ "title": title }),
            dedupe_key: format!("evt:{}", e.id),
        });
        let Some(f) = facts.get(tid).filter(|f| !f.deleted) else {
            continue;
        };
        let segment = segments.get(author).map_or("", String::as_str);
        let esc = ctx
            .rules
            .escalation_on_create(&format!("{}\n{}", f.title, f.body), segment);
        let board_says = board_settings.get(&created.category_id).copied().flatten();
        if board_says.unwrap_or_else(|| ctx.rules.creates_task_for(&created.category))
            || esc.is_some()
        {
            wanted.push((*tid, esc, e.created_at));
        }
    }
    let base = ctx.public_url.trim_end_matches('/');
    struct Prepared<'f> {
        description: String,
        priority: Priority,
        status: TaskStatus,
        escalation: Option<String>,
        thread_id: i64,
        at: i64,
        facts: &'f ThreadFacts,
    }
    let prepared: Vec<Prepared<'_>> = wanted
        .iter()
        .filter_map(|(tid, esc, at)| {
            let f = facts.get(tid)?;
            let segment = segments.get(&f.author).map_or("", String::as_str);
            let mut priority = ctx.rules.initial_priority(segment);
            if let Some(why) = esc {
                priority = ctx.rules.escalated(priority, why);
            }
            let excerpt: String = f.body.chars().take(2_000).collect();
            let status = if f.accepted.is_some() {
                TaskStatus::Resolved
            } else if esc.is_some() {
                TaskStatus::Escalated
            } else {
                TaskStatus::New
            };
            Some(Prepared {
                description: format!("{excerpt}\n\nThread: {base}/t/{tid}"),
                priority,
                status,
                escalation: esc.as_ref().map(Escalation::describe),
                thread_id: *tid,
                at: *at,
                facts: f,
            })
        })
        .collect();
    let new_tasks: Vec<NewTask<'_>> = prepared
        .iter()
        .map(|p| {
            let (first_due, res_due) = ctx.rules.sla.due_times(p.priority, p.at);
            NewTask {
                thread_id: p.thread_id,
                contact_id: p.facts.author,
                subject: &p.facts.title,
                description: &p.description,
                priority: p.priority,
                status: p.status,
                first_response_due: first_due,
                resolution_due: res_due,
                escalation: p.escalation.clone(),
                now: p.at,
            }
        })
        .collect();
    let created = insert_tasks(conn, &new_tasks)?;
    let by_thread: std::collections::HashMap<i64, &NewTask<'_>> =
        new_tasks.iter().map(|t| (t.thread_id, t)).collect();
    let mut escalated = Vec::new();
    for (id, tid) in &created {
        let Some(t) = by_thread.get(tid) else {
            continue;
        };
        timeline.push(TimelineNew {
            contact_id: t.contact_id,
            at: t.now,
            kind: "task.created",
            thread_id: Some(*tid),
            task_id: Some(*id),
            actor_id: None,
            summary: format!("task #{id} opened ({})", t.priority.as_str()),
            params: json!({ "task": id, "priority": t.priority.as_str() }),
            dedupe_key: format!("task:{id}:created"),
        });
        if let Some(why) = &t.escalation {
            timeline.push(TimelineNew {
                contact_id: t.contact_id,
                at: t.now,
                kind: "task.escalated",
                thread_id: Some(*tid),
                task_id: Some(*id),
                actor_id: None,
                summary: format!("escalated: {why}"),
                params: Escalation::from_description(why)
                    .map_or(serde_json::Value::Null, |e| e.params()),
                dedupe_key: format!("task:{id}:escalated:{}", t.now),
            });
            escalated.push(*id);
        }
    }
    add_timelines(conn, &timeline)?;
    for id in escalated {
        let row = task_row(conn, id)?;
        let why = row.escalation.clone().unwrap_or_default();
        notify_agents(
            conn,
            ctx,
            &row,
            "escalated",
            format!("Task #{id} escalated: {why}"),
            format!("crm:escalated:{id}:{}", row.updated_at),
        )?;
    }
    for (id, _) in &created {
        sync(conn, ctx, *id)?;
    }
    Ok(())
}

/// Timer rules for at most `limit` tasks: escalate those waiting too long,
/// then set SLA warning and breach flags. Each task is its own short
/// transaction with a compare-and-set, so concurrent workers (several
/// nodes on one PostgreSQL) apply every rule once. Returns (escalated,
/// (task, newly set flags)).
pub fn run_timers(conn: &mut Conn, ctx: &Ctx<'_>, limit: i64) -> Result<(usize, Vec<(i64, i32)>)> {
    let mut escalated = 0;
    if let Some(cutoff) = ctx.rules.no_response_cutoff(ctx.now) {
        for t in tasks_waiting_since(conn, cutoff, limit)? {
            let Some(why) = ctx.rules.overdue_without_response(
                t.status(),
                t.created_at,
                t.first_response_at,
                ctx.now,
            ) else {
                continue;
            };
            if transaction(conn, |conn| {
                let fresh = task_row(conn, t.id)?;
                if fresh.updated_at != t.updated_at {
                    return Ok(false);
                }
                escalate_row(conn, ctx, fresh, &why, None)
            })? {
                escalated += 1;
            }
        }
    }
    let warn = ctx
        .rules
        .sla
        .warn_before_minutes
        .max(0)
        .saturating_mul(crate::rules::MINUTE_MS);
    let mut flagged = Vec::new();
    for t in tasks_near_due(conn, ctx.now.saturating_add(warn), limit)? {
        let state = sla_check(
            &ctx.rules.sla,
            SlaClock {
                status: t.status(),
                first_response_due: t.first_response_due,
                resolution_due: t.resolution_due,
                first_response_at: t.first_response_at,
                flags: t.sla_flags,
            },
            ctx.now,
        );
        if state.flags == 0 {
            continue;
        }
        let done = transaction(conn, |conn| {
            let mut fresh = task_row(conn, t.id)?;
            let seen = fresh.updated_at;
            let new = state.flags & !fresh.sla_flags;
            if new == 0 {
                return Ok(0);
            }
            fresh.sla_flags |= new;
            fresh.updated_at = ctx.now.max(seen + 1);
            if !save_task(conn, &fresh, seen)? {
                return Ok(0);
            }
            if new & (SLA_FIRST_WARNED | SLA_RESOLUTION_WARNED) != 0
                && new & (SLA_FIRST_BREACHED | SLA_RESOLUTION_BREACHED) == 0
            {
                notify_agents(
                    conn,
                    ctx,
                    &fresh,
                    "sla",
                    format!("Task #{}: SLA about to breach", fresh.id),
                    format!("crm:sla:{}:{new}", fresh.id),
                )?;
            }
            for (bit, what) in [
                (SLA_FIRST_WARNED, "first response due soon"),
                (SLA_FIRST_BREACHED, "first response SLA breached"),
                (SLA_RESOLUTION_WARNED, "resolution due soon"),
                (SLA_RESOLUTION_BREACHED, "resolution SLA breached"),
            ] {
                if new & bit != 0 {
                    timeline_for_task(
                        conn,
                        &fresh,
                        ctx.now,
                        "task.sla",
                        None,
                        format!("task #{}: {what}", fresh.id),
                        json!({ "task": fresh.id, "what": sla_code(bit) }),
                        format!("task:{}:sla:{bit}", fresh.id),
                    )?;
                }
            }
            Ok(new)
        })?;
        if done != 0 {
            flagged.push((t.id, done));
        }
    }
    Ok((escalated, flagged))
}

/// Apply a status change made in the external CRM. Returns false for a
/// replay. No delivery is queued: the change came from there.
pub fn apply_inbound_status_tx(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    task_id: i64,
    change: &InboundChange,
) -> Result<bool> {
    let InboundChange::Status { status, key, .. } = change else {
        return Ok(false);
    };
    transaction(conn, |conn| {
        if !record_inbound(conn, ctx.now, key)? {
            return Ok(false);
        }
        let t = task_row(conn, task_id)?;
        // CRMs without a "waiting on customer" state report our pending
        // task as open; that is our own change coming back, not news.
        if *status == TaskStatus::Open && t.status() == TaskStatus::Pending {
            return Ok(true);
        }
        if *status == TaskStatus::Escalated {
            escalate_row(conn, ctx, t, &Escalation::External, ctx.sync_user)?;
        } else {
            set_status_row(
                conn,
                ctx,
                t,
                *status,
                ctx.sync_user,
                StatusReason::ExternalCrm,
                false,
            )?;
        }
        Ok(true)
    })
}

/// The task as an external CRM receives it.
pub fn external_task(
    conn: &mut Conn,
    task_id: i64,
    public_url: &str,
) -> Result<crate::connector::ExternalTask> {
    let t = task(conn, task_id)?;
    Ok(crate::connector::ExternalTask {
        instance: String::new(),
        task_id: t.id,
        thread_id: t.thread_id,
        thread_url: format!("{}/t/{}", public_url.trim_end_matches('/'), t.thread_id),
        subject: t.subject,
        description: t.description,
        priority: t.priority,
        status: t.status,
        contact_name: t.contact.display_name,
        contact_email: t.contact.email,
        owner_email: t.owner.map(|o| o.email),
        escalation: t.escalation,
        created_at: t.created_at,
        updated_at: t.updated_at,
    })
}

/// Record a finished delivery: the link's external id and state, and the
/// item itself, together.
pub fn complete_delivery_tx(
    conn: &mut Conn,
    now: i64,
    connector: &str,
    d: &Delivery,
    external_id: Option<&str>,
) -> Result<()> {
    transaction(conn, |conn| {
        if d.kind == "sync" {
            let finished = finish_delivery(conn, d, now)?;
            // A newer change is queued behind this one: the link stays pending.
            let state = if finished { "synced" } else { "pending" };
            set_link(conn, now, d.task_id, connector, external_id, state, None)?;
        } else {
            finish_delivery(conn, d, now)?;
        }
        Ok(())
    })
}

pub fn fail_delivery_tx(
    conn: &mut Conn,
    now: i64,
    connector: &str,
    d: &Delivery,
    retry: forum::delivery::Retry,
    error: &str,
) -> Result<()> {
    transaction(conn, |conn| {
        forum::delivery::fail(forum_tx(conn), d.stamp(), retry, error)?;
        if d.kind == "sync" {
            set_link(
                conn,
                now,
                d.task_id,
                connector,
                None,
                if retry.next_at.is_none() {
                    "failed"
                } else {
                    "pending"
                },
                Some(error),
            )?;
        }
        Ok(())
    })
}

/// An idea's status changed: an entry on the timeline of each of its
/// voters (issue 17), keyed by event and voter so a replay adds none.
fn idea_status_timeline(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    e: &Event,
    p: &forum::events::IdeaStatusChanged,
) -> Result<()> {
    idea_status_timeline_part(conn, ctx, e, p, 0, usize::MAX).map(|_| ())
}

/// The timeline entries of voters `skip..skip + take` (in member order) of
/// an idea's status change; returns how many voters it has in all. A large
/// fan-out is written ahead in parts, each its own transaction (see
/// `Crm::process_events`); the dedupe keys make the batch's pass a no-op.
pub fn idea_status_timeline_part(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    e: &Event,
    p: &forum::events::IdeaStatusChanged,
    skip: usize,
    take: usize,
) -> Result<usize> {
    let Some((title, from, to, voters)) = idea_change(conn, p.change_id, p.thread_id)? else {
        return Ok(0);
    };
    for voter in voters.iter().skip(skip).take(take) {
        ensure_contact(conn, ctx.now, *voter, ctx.default_segment())?;
        add_timeline(
            conn,
            &TimelineNew {
                contact_id: *voter,
                at: e.created_at,
                kind: "idea.status",
                thread_id: Some(p.thread_id),
                task_id: None,
                actor_id: e.actor_id,
                summary: format!("an idea they voted for, “{title}”, is now {to}"),
                params: json!({ "title": title, "from": from, "to": to }),
                dedupe_key: format!("evt:{}:{voter}", e.id),
            },
        )?;
    }
    Ok(voters.len())
}
