//! The agent console (queue, task page, canned responses, reminders), the
//! admin page for CRM rules and dead letters, and the escalate button.

use actix_web::web;
use askama::Template;
use crm_bridge::rules::{Priority, Rules, SlaTarget, TaskStatus};
use crm_bridge::{CannedResponse, CrmStats, Delivery, Reminder, Task, TaskPatch, TaskView};
use forum::Role;
use serde::Deserialize;
use serde_json::Value;

use crate::admin_pages::id_text;
use crate::crm_api::QueueQuery;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::{filters, render, PageError, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/agent", web::get().to(queue))
        .route("/agent/tasks/{id}", web::get().to(task_page))
        .route("/agent/tasks/{id}/claim", web::post().to(claim))
        .route("/agent/tasks/{id}/update", web::post().to(update))
        .route("/agent/tasks/{id}/reply", web::post().to(reply))
        .route("/agent/tasks/{id}/remind", web::post().to(remind))
        .route("/agent/reminders/{id}/dismiss", web::post().to(dismiss))
        .route("/agent/canned", web::get().to(canned_page))
        .route("/agent/canned", web::post().to(canned_save))
        .route("/agent/canned/{id}/delete", web::post().to(canned_delete))
        .route("/admin/crm", web::get().to(admin_page))
        .route("/admin/crm/rules", web::post().to(admin_rules))
        .route("/admin/crm/replay", web::post().to(admin_replay))
        .route("/t/{id}/escalate", web::post().to(escalate));
}

// ------------------------------------------------------------ labels
//
// The words the console shows for the CRM's values. Each arm names its
// message literally, so the catalogue test checks every id.

/// A task's status ("escalated").
fn status_label(layout: &Layout, status: &TaskStatus) -> String {
    match status {
        TaskStatus::New => layout.t("agent-status-new"),
        TaskStatus::Open => layout.t("agent-status-open"),
        TaskStatus::Pending => layout.t("agent-status-pending"),
        TaskStatus::Escalated => layout.t("agent-status-escalated"),
        TaskStatus::Resolved => layout.t("agent-status-resolved"),
        TaskStatus::Closed => layout.t("agent-status-closed"),
    }
}

/// A status the statistics name as text; an unknown one as it is.
fn status_name(layout: &Layout, status: &str) -> String {
    TaskStatus::parse(status).map_or_else(|| status.to_string(), |s| status_label(layout, &s))
}

fn priority_label(layout: &Layout, priority: &Priority) -> String {
    match priority {
        Priority::Low => layout.t("agent-priority-low"),
        Priority::Normal => layout.t("agent-priority-normal"),
        Priority::High => layout.t("agent-priority-high"),
        Priority::Urgent => layout.t("agent-priority-urgent"),
    }
}

/// Why a task was escalated, from the parameters `Escalation::params`
/// gives; None for a reason this console has no words for.
fn escalation_words(layout: &Layout, p: &serde_json::Map<String, Value>) -> Option<String> {
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
    let number = |k: &str| p.get(k).and_then(Value::as_i64).unwrap_or_default();
    Some(match text("reason") {
        "keyword" => layout.t1("agent-escalation-keyword", "keyword", text("keyword")),
        "vip" => layout.t("agent-escalation-vip"),
        "no_response" => layout.t1("agent-escalation-no-response", "hours", number("hours")),
        "manual" => layout.t1("agent-escalation-manual", "by", number("by")),
        "external" => layout.t("agent-escalation-external"),
        _ => return None,
    })
}

/// The stored escalation (the English `Escalation::describe` text) in the
/// reader's language; as stored when it is not one the CRM writes.
pub(crate) fn escalation_label(layout: &Layout, stored: &str) -> String {
    crm_bridge::rules::Escalation::from_description(stored)
        .and_then(|e| match e.params() {
            Value::Object(p) => escalation_words(layout, &p),
            _ => None,
        })
        .unwrap_or_else(|| stored.to_string())
}

/// A customer timeline entry in the reader's language, from its kind and
/// parameters; the stored English line for entries written before the
/// parameters were kept (or of a kind this console has no words for).
pub(crate) fn timeline_line(layout: &Layout, e: &crm_bridge::TimelineEntry) -> String {
    let Ok(Value::Object(p)) = serde_json::from_str::<Value>(&e.params) else {
        return e.summary.clone();
    };
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
    let number = |k: &str| p.get(k).and_then(Value::as_i64).unwrap_or_default();
    let status = |k: &str| status_name(layout, text(k));
    let priority = |k: &str| {
        Priority::parse(text(k)).map_or_else(|| text(k).to_string(), |p| priority_label(layout, &p))
    };
    // Escalation parameters name the reason only; the entry has the task.
    let task = p
        .get("task")
        .and_then(Value::as_i64)
        .or(e.task_id)
        .unwrap_or_default();
    match e.kind.as_str() {
        "member.joined" => layout.t("timeline-member-joined"),
        "idea.status" => layout.t2(
            "timeline-idea-status",
            "title",
            text("title"),
            "to",
            text("to"),
        ),
        "post.created" => layout.t1("timeline-post-created", "thread", number("thread")),
        "thread.created" => layout.t1("timeline-thread-created", "title", text("title")),
        "task.created" => layout.t2(
            "timeline-task-created",
            "task",
            task,
            "priority",
            priority("priority"),
        ),
        "task.escalated" => match escalation_words(layout, &p) {
            Some(why) => layout.t2("timeline-task-escalated", "task", task, "reason", why),
            None => e.summary.clone(),
        },
        "task.status" => {
            let why = match text("why") {
                "customer_replied" => layout.t("timeline-why-customer-replied"),
                "solution_accepted" => layout.t("timeline-why-solution-accepted"),
                "solution_withdrawn" => layout.t("timeline-why-solution-withdrawn"),
                "external_crm" => layout.t("timeline-why-external-crm"),
                "by_agent" => layout.t("timeline-why-by-agent"),
                other => other.to_string(),
            };
            crate::i18n::message(
                layout.lang,
                "timeline-task-status",
                &[
                    ("task", task.into()),
                    ("from", status("from").into()),
                    ("to", status("to").into()),
                    ("reason", why.into()),
                ],
            )
        }
        "task.sla" => {
            let what = match text("what") {
                "first_due_soon" => layout.t("timeline-sla-first-due-soon"),
                "first_breached" => layout.t("timeline-sla-first-breached"),
                "resolution_due_soon" => layout.t("timeline-sla-resolution-due-soon"),
                "resolution_breached" => layout.t("timeline-sla-resolution-breached"),
                _ => return e.summary.clone(),
            };
            layout.t2("timeline-task-sla", "task", task, "what", what)
        }
        "task.updated" => {
            let mut changes = Vec::new();
            if p.contains_key("priority_to") {
                changes.push(layout.t2(
                    "timeline-change-priority",
                    "from",
                    priority("priority_from"),
                    "to",
                    priority("priority_to"),
                ));
            }
            if p.contains_key("owner") {
                changes.push(layout.t1("timeline-change-assigned", "user", text("owner")));
            }
            if p.contains_key("unassigned") {
                changes.push(layout.t("timeline-change-unassigned"));
            }
            layout.t2(
                "timeline-task-updated",
                "task",
                task,
                "changes",
                changes.join(", "),
            )
        }
        "contact.segment" => layout.t2(
            "timeline-contact-segment",
            "from",
            text("from"),
            "to",
            text("to"),
        ),
        _ => e.summary.clone(),
    }
}

/// A forum thread's status as the CRM reports it.
fn thread_status(layout: &Layout, status: &str) -> String {
    match status {
        "open" => layout.t("agent-thread-open"),
        "answered" => layout.t("agent-thread-answered"),
        "solved" => layout.t("agent-thread-solved"),
        "locked" => layout.t("agent-thread-locked"),
        other => other.to_string(),
    }
}

/// Where a task's mirror in the external CRM stands.
fn sync_state(layout: &Layout, state: &str) -> String {
    match state {
        "pending" => layout.t("agent-sync-pending"),
        "synced" => layout.t("agent-sync-synced"),
        "failed" => layout.t("agent-sync-failed"),
        other => other.to_string(),
    }
}

/// What a delivery to the external CRM carries.
fn delivery_kind(layout: &Layout, kind: &str) -> String {
    match kind {
        "sync" => layout.t("admin-crm-kind-sync"),
        "comment" => layout.t("admin-crm-kind-comment"),
        other => other.to_string(),
    }
}

/// A contact's language by its own name ("Українська"); a code the
/// interface does not speak as it is.
fn language_name(code: &str) -> String {
    crate::i18n::Lang::parse(code).map_or_else(|| code.to_string(), |l| l.native_name().into())
}

#[derive(Template)]
#[template(path = "agent_queue.html")]
struct QueuePage {
    layout: Layout,
    tasks: Vec<Task>,
    reminders: Vec<Reminder>,
    stats: CrmStats,
    status: String,
    priority: String,
    owner: String,
    due_within_hours: String,
    statuses: Vec<TaskStatus>,
    priorities: Vec<Priority>,
    now: i64,
}

#[derive(Deserialize, Default)]
struct QueueForm {
    status: Option<String>,
    priority: Option<String>,
    owner: Option<String>,
    /// Hours from now; converted to `due_before`.
    due_within_hours: Option<String>,
}

/// The most hours ahead a due filter or reminder may reach (ten years).
const MAX_HOURS: f64 = 24.0 * 366.0 * 10.0;

/// `now` plus a number of hours a person typed (fractions allowed), as
/// epoch milliseconds; anything but 0 to ten years is a clear error, never
/// an overflow.
fn hours_from_now(now: i64, raw: &str, field: &'static str) -> Result<i64, PageError> {
    let bad = || {
        PageError(WebError::Forum(forum::ForumError::invalid(
            field,
            forum::Rule::Range {
                min: 0,
                max: 87_840,
            },
            "a number of hours, from 0 up to ten years",
        )))
    };
    let hours: f64 = raw.trim().parse().map_err(|_| bad())?;
    if !hours.is_finite() || !(0.0..=MAX_HOURS).contains(&hours) {
        return Err(bad());
    }
    now.checked_add((hours * 3_600_000.0) as i64)
        .ok_or_else(bad)
}

async fn queue(state: web::Data<AppState>, ctx: PageCtx, q: web::Query<QueueForm>) -> PageResult {
    let actor = ctx.require_actor()?;
    let q = q.into_inner();
    let now = state.forum.now();
    let due_before = match q
        .due_within_hours
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(h) => Some(hours_from_now(now, h, "due_within_hours")?),
        None => None,
    };
    let query = QueueQuery {
        status: q.status.clone(),
        priority: q.priority.clone(),
        owner: q.owner.clone(),
        due_before,
        limit: Some(200),
        offset: None,
    };
    let filter = query.to_filter(actor.user_id)?;
    let (tasks, reminders, stats) = state
        .crm(move |c| {
            Ok((
                c.queue(actor, &filter)?,
                c.due_reminders(actor)?,
                c.stats(actor)?,
            ))
        })
        .await?;
    render(
        &ctx,
        &QueuePage {
            layout: ctx.layout(),
            tasks,
            reminders,
            stats,
            status: q.status.unwrap_or_default(),
            priority: q.priority.unwrap_or_default(),
            owner: q.owner.unwrap_or_default(),
            due_within_hours: q.due_within_hours.unwrap_or_default(),
            statuses: TaskStatus::ALL.to_vec(),
            priorities: Priority::ALL.to_vec(),
            now,
        },
    )
}

#[derive(Template)]
#[template(path = "agent_task.html")]
struct TaskPage {
    layout: Layout,
    view: TaskView,
    /// The thread as members read it: the question and its first replies.
    thread: Option<forum::ThreadPage>,
    /// Each canned response with its text rendered for this task, so the
    /// composer can insert it where the cursor is.
    canned: Vec<(CannedResponse, String)>,
    /// Agents to assign to: (username, display name).
    agents: Vec<(String, String)>,
    draft: String,
    statuses: Vec<TaskStatus>,
    priorities: Vec<Priority>,
}

/// Replies the task page shows under the question (the rest is a link).
const TASK_PAGE_REPLIES: i64 = 50;

#[derive(Deserialize)]
struct TaskQuery {
    canned: Option<i64>,
}

async fn task_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    q: web::Query<TaskQuery>,
) -> PageResult {
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    let canned_id = q.canned;
    let (view, canned, agents) = state
        .crm(move |c| {
            let view = c.task_view(actor, id)?;
            let mut canned = Vec::new();
            for r in c.canned_responses(actor)? {
                let text = c.render_canned_response(actor, r.id, id)?;
                canned.push((r, text));
            }
            let agents = c
                .agents(actor)?
                .into_iter()
                .map(|(_, username, name)| (username, name))
                .collect::<Vec<_>>();
            Ok((view, canned, agents))
        })
        .await?;
    // Without JavaScript, "Insert" asks for the page with the response in
    // the composer.
    let draft = canned_id
        .and_then(|cid| canned.iter().find(|(r, _)| r.id == cid))
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    let thread_id = view.task.thread_id;
    let thread = state
        .call(move |f| f.thread(thread_id, Some(actor), 1, TASK_PAGE_REPLIES, false))
        .await
        .ok();
    render(
        &ctx,
        &TaskPage {
            layout: ctx.layout(),
            view,
            thread,
            canned,
            agents,
            draft,
            statuses: TaskStatus::ALL.to_vec(),
            priorities: Priority::ALL.to_vec(),
        },
    )
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn claim(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    state.crm(move |c| c.claim(actor, id)).await?;
    Ok(ctx.redirect(&format!("/agent/tasks/{id}")))
}

#[derive(Deserialize)]
struct UpdateForm {
    csrf: String,
    status: Option<String>,
    priority: Option<String>,
    /// A user id, or empty to leave as is, or "none" to unassign.
    owner: Option<String>,
}

async fn update(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<UpdateForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    let bad = |f: &'static str, rule: forum::Rule, m: &str| {
        PageError(WebError::Forum(forum::ForumError::invalid(f, rule, m)))
    };
    let form = form.into_inner();
    // The owner by username (as the field completes it), or by id.
    let owner = form
        .owner
        .as_deref()
        .map(|o| o.trim().trim_start_matches('@'))
        .filter(|o| !o.is_empty())
        .map(str::to_string);
    let owner_id = match owner.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(o) => match o.parse::<i64>() {
            Ok(id) => Some(Some(id)),
            Err(_) => {
                let name = o.to_string();
                let agents = state.crm(move |c| c.agents(actor)).await?;
                let found = agents
                    .iter()
                    .find(|(_, username, _)| username.eq_ignore_ascii_case(&name))
                    .map(|(id, _, _)| *id);
                Some(Some(found.ok_or_else(|| {
                    bad(
                        "owner",
                        forum::Rule::Unknown { value: name },
                        "no agent has that username",
                    )
                })?))
            }
        },
    };
    let patch = TaskPatch {
        status: match form.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(TaskStatus::parse(s).ok_or_else(|| {
                bad(
                    "status",
                    forum::Rule::Unknown {
                        value: s.to_string(),
                    },
                    "unknown status",
                )
            })?),
            None => None,
        },
        priority: match form.priority.as_deref().filter(|s| !s.is_empty()) {
            Some(p) => Some(Priority::parse(p).ok_or_else(|| {
                bad(
                    "priority",
                    forum::Rule::Unknown {
                        value: p.to_string(),
                    },
                    "unknown priority",
                )
            })?),
            None => None,
        },
        owner_id,
    };
    state.crm(move |c| c.update_task(actor, id, &patch)).await?;
    Ok(ctx.redirect(&format!("/agent/tasks/{id}")))
}

#[derive(Deserialize)]
struct ReplyForm {
    csrf: String,
    body: String,
}

async fn reply(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<ReplyForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    let form = form.into_inner();
    state
        .crm(move |c| c.agent_reply(actor, id, &form.body))
        .await?;
    Ok(ctx.redirect(&format!("/agent/tasks/{id}")))
}

#[derive(Deserialize)]
struct RemindForm {
    csrf: String,
    /// Hours from now (fractions allowed).
    in_hours: String,
    #[serde(default)]
    note: String,
}

async fn remind(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<RemindForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    let at = hours_from_now(state.forum.now(), &form.in_hours, "in_hours")?;
    let note = form.into_inner().note;
    state
        .crm(move |c| c.add_reminder(actor, id, at, &note))
        .await?;
    Ok(ctx.redirect(&format!("/agent/tasks/{id}")))
}

async fn dismiss(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    state.crm(move |c| c.dismiss_reminder(actor, id)).await?;
    Ok(ctx.redirect("/agent"))
}

#[derive(Template)]
#[template(path = "agent_canned.html")]
struct CannedPage {
    layout: Layout,
    canned: Vec<CannedResponse>,
}

async fn canned_page(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = ctx.require_actor()?;
    let canned = state.crm(move |c| c.canned_responses(actor)).await?;
    render(
        &ctx,
        &CannedPage {
            layout: ctx.layout(),
            canned,
        },
    )
}

#[derive(Deserialize)]
struct CannedForm {
    csrf: String,
    id: Option<String>,
    title: String,
    body: String,
}

async fn canned_save(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<CannedForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let form = form.into_inner();
    let id = form
        .id
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok());
    state
        .crm(move |c| c.save_canned_response(actor, id, &form.title, &form.body))
        .await?;
    Ok(ctx.redirect("/agent/canned"))
}

async fn canned_delete(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    state
        .crm(move |c| c.delete_canned_response(actor, id))
        .await?;
    Ok(ctx.redirect("/agent/canned"))
}

#[derive(Template)]
#[template(path = "admin_crm.html")]
struct AdminPage {
    layout: Layout,
    rules: Rules,
    /// The SLA targets, one row per priority.
    sla: Vec<(Priority, SlaTarget)>,
    priorities: Vec<Priority>,
    dead: Vec<Delivery>,
    stats: CrmStats,
    /// The external CRM's connector; None: built-in only.
    connector: Option<String>,
}

async fn admin_page(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = ctx.require_actor()?;
    if actor.role != Role::Admin {
        return Err(PageError(WebError::Forum(forum::ForumError::Forbidden(
            "administrators only",
        ))));
    }
    let (rules, dead, stats, connector) = state
        .crm(move |c| {
            Ok((
                c.rules(),
                c.dead_letters(actor)?,
                c.stats(actor)?,
                c.connector_name().map(str::to_string),
            ))
        })
        .await?;
    let sla = vec![
        (Priority::Low, rules.sla.low),
        (Priority::Normal, rules.sla.normal),
        (Priority::High, rules.sla.high),
        (Priority::Urgent, rules.sla.urgent),
    ];
    render(
        &ctx,
        &AdminPage {
            layout: ctx.layout(),
            sla,
            priorities: Priority::ALL.to_vec(),
            rules,
            dead,
            stats,
            connector,
        },
    )
}

/// Every rule as a form field; lists are comma-separated, SLA targets are
/// hours per priority.
#[derive(Deserialize)]
struct RulesForm {
    csrf: String,
    task_categories: String,
    no_response_hours: f64,
    keywords: String,
    vip_segments: String,
    manual_escalation: Option<String>,
    default_priority: String,
    escalated_priority: String,
    vip_priority: String,
    segments: String,
    lifecycle_stages: String,
    warn_before_minutes: i64,
    low_first: f64,
    low_resolution: f64,
    normal_first: f64,
    normal_resolution: f64,
    high_first: f64,
    high_resolution: f64,
    urgent_first: f64,
    urgent_resolution: f64,
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

async fn admin_rules(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<RulesForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let f = form.into_inner();
    let prio = |field: &'static str, v: &str| {
        Priority::parse(v).ok_or(PageError(WebError::Forum(forum::ForumError::invalid(
            field,
            forum::Rule::Unknown {
                value: v.to_string(),
            },
            "unknown priority",
        ))))
    };
    let target = |first_response_hours, resolution_hours| crm_bridge::rules::SlaTarget {
        first_response_hours,
        resolution_hours,
    };
    let rules = Rules {
        task_categories: list(&f.task_categories),
        no_response_hours: f.no_response_hours,
        keywords: list(&f.keywords),
        vip_segments: list(&f.vip_segments),
        manual_escalation: f.manual_escalation.is_some(),
        default_priority: prio("default_priority", &f.default_priority)?,
        escalated_priority: prio("escalated_priority", &f.escalated_priority)?,
        vip_priority: prio("vip_priority", &f.vip_priority)?,
        segments: list(&f.segments),
        lifecycle_stages: list(&f.lifecycle_stages),
        sla: crm_bridge::rules::SlaPolicy {
            low: target(f.low_first, f.low_resolution),
            normal: target(f.normal_first, f.normal_resolution),
            high: target(f.high_first, f.high_resolution),
            urgent: target(f.urgent_first, f.urgent_resolution),
            warn_before_minutes: f.warn_before_minutes,
        },
    };
    state.crm(move |c| c.save_rules(actor, rules)).await?;
    Ok(ctx.redirect("/admin/crm"))
}

#[derive(Deserialize)]
struct ReplayForm {
    csrf: String,
    id: Option<i64>,
}

async fn admin_replay(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ReplayForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = form.id;
    state.crm(move |c| c.replay_dead_letters(actor, id)).await?;
    Ok(ctx.redirect("/admin/crm"))
}

async fn escalate(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = ctx.require_actor()?;
    let id = id.into_inner();
    state.crm(move |c| c.escalate_thread(actor, id)).await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, params: serde_json::Value, summary: &str) -> crm_bridge::TimelineEntry {
        crm_bridge::TimelineEntry {
            at: 0,
            kind: kind.into(),
            thread_id: None,
            task_id: Some(7),
            actor_id: None,
            summary: summary.into(),
            params: if params.is_null() {
                String::new()
            } else {
                params.to_string()
            },
        }
    }

    #[test]
    fn the_timeline_speaks_the_readers_language() {
        use crate::i18n::Lang;
        use serde_json::json;
        let ru = Layout::visitor("Hearth", Lang::Ru);
        let fa = Layout::visitor("Hearth", Lang::Fa);
        let en = Layout::visitor("Hearth", Lang::En);
        let status = entry(
            "task.status",
            json!({ "task": 7, "from": "open", "to": "resolved", "why": "solution_accepted" }),
            "task #7 open → resolved (a solution was accepted)",
        );
        assert_eq!(
            timeline_line(&en, &status),
            "task #7: open → resolved (a solution was accepted)"
        );
        assert_eq!(
            timeline_line(&ru, &status),
            "задача №7: открыта → решена (принято решение)"
        );
        assert!(timeline_line(&fa, &status).contains("کار شمارهٔ ۷"));
        let escalated = entry(
            "task.escalated",
            crm_bridge::rules::Escalation::NoResponse { hours: 2.0 }.params(),
            "",
        );
        assert_eq!(
            timeline_line(&ru, &escalated),
            "задача №7 эскалирована: нет принятого ответа и ответа агента за 2 часа"
        );
        let updated = entry(
            "task.updated",
            json!({ "task": 7, "priority_from": "normal", "priority_to": "urgent", "owner": "olga" }),
            "",
        );
        assert_eq!(
            timeline_line(&en, &updated),
            "task #7: priority normal → urgent, assigned to olga"
        );
        // Written before parameters were kept: the stored line.
        let old = entry(
            "task.created",
            serde_json::Value::Null,
            "task #7 opened (high)",
        );
        assert_eq!(timeline_line(&ru, &old), "task #7 opened (high)");
        // Every kind the CRM writes has words: none falls back to English.
        for (kind, params) in [
            ("member.joined", json!({})),
            (
                "idea.status",
                json!({ "title": "Dark mode", "to": "Planned" }),
            ),
            ("post.created", json!({ "thread": 3 })),
            ("thread.created", json!({ "title": "Wi-Fi" })),
            ("task.created", json!({ "task": 7, "priority": "high" })),
            ("task.sla", json!({ "task": 7, "what": "first_breached" })),
            ("task.updated", json!({ "task": 7, "unassigned": true })),
            ("contact.segment", json!({ "from": "smb", "to": "vip" })),
        ] {
            let line = timeline_line(&ru, &entry(kind, params, "ENGLISH"));
            assert!(
                !line.contains("ENGLISH") && !line.contains("timeline-"),
                "{kind}: {line}"
            );
        }
    }

    #[test]
    fn a_stored_escalation_reads_in_the_readers_language() {
        use crate::i18n::Lang;
        let uk = Layout::visitor("Hearth", Lang::Uk);
        let stored = crm_bridge::rules::Escalation::Keyword("refund".into()).describe();
        assert_eq!(escalation_label(&uk, &stored), "ключове слово «refund»");
        assert_eq!(escalation_label(&uk, "set by hand"), "set by hand");
    }

    #[test]
    fn hours_are_bounded_and_never_overflow() {
        let now = 1_800_000_000_000;
        assert_eq!(
            hours_from_now(now, " 1.5 ", "h").ok(),
            Some(now + 5_400_000)
        );
        assert_eq!(hours_from_now(now, "0", "h").ok(), Some(now));
        for bad in [
            "9223372036854775807",
            "1e309",
            "18446744073709551616",
            "-1",
            "NaN",
            "inf",
            "x",
            "",
        ] {
            assert!(hours_from_now(now, bad, "h").is_err(), "{bad}");
        }
        assert!(hours_from_now(i64::MAX - 1, "1", "h").is_err());
    }
}
