//! JSON API of the CRM bridge: the agent's tasks, contacts, canned
//! responses and reminders, the escalate button, admin rules and dead
//! letters, and the signed inbound webhook for external CRMs.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, Responder};
use crm_bridge::connector::webhook::SIGNATURE_HEADER;
use crm_bridge::rules::{Priority, TaskStatus};
use crm_bridge::{OwnerFilter, QueueFilter};
use serde::Deserialize;

use crate::api::types as t;
use crate::api::{created, no_content, ApiResult};
use crate::error::{ErrorBody, WebError};
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes(r: &mut ApiRoutes) {
    r.add(__path_list_tasks, list_tasks)
        .add(__path_get_task, get_task)
        .add(__path_patch_task, patch_task)
        .add(__path_claim, claim)
        .add(__path_reply, reply)
        .add(__path_add_reminder, add_reminder)
        .add(__path_due_reminders, due_reminders)
        .add(__path_dismiss_reminder, dismiss_reminder)
        .add(__path_get_contact, get_contact)
        .add(__path_patch_contact, patch_contact)
        .add(__path_list_canned, list_canned)
        .add(__path_create_canned, create_canned)
        .add(__path_update_canned, update_canned)
        .add(__path_delete_canned, delete_canned)
        .add(__path_render_canned, render_canned)
        .add(__path_stats, stats)
        .add(__path_get_rules, get_rules)
        .add(__path_put_rules, put_rules)
        .add(__path_dead_letters, dead_letters)
        .add(__path_replay, replay)
        .add(__path_webhook, webhook)
        .add(__path_escalate, escalate);
}

/// The agent queue pages by limit and offset, up to 500 tasks at a time.
const QUEUE_PAGES: forum::PageLimits = forum::PageLimits {
    default_per_page: 50,
    max_per_page: 500,
    max_window: forum::PageLimits::LISTING.max_window,
};

/// Query of the task queue: `status` is a comma-separated list, `owner` is
/// `me`, `unassigned` or a user id, `due_before` is epoch milliseconds.
#[derive(Deserialize, Default)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub owner: Option<String>,
    pub due_before: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl QueueQuery {
    pub fn to_filter(&self, me: i64) -> Result<QueueFilter, WebError> {
        let bad = |field: &'static str, msg: String| {
            WebError::Forum(forum::ForumError::validation(field, msg))
        };
        let mut statuses = Vec::new();
        for s in self
            .status
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            statuses.push(
                TaskStatus::parse(s)
                    .ok_or_else(|| bad("status", format!("unknown status {s:?}")))?,
            );
        }
        let priority = match self.priority.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(
                Priority::parse(p)
                    .ok_or_else(|| bad("priority", format!("unknown priority {p:?}")))?,
            ),
            None => None,
        };
        let owner = match self.owner.as_deref().unwrap_or("") {
            "" | "any" => OwnerFilter::Anyone,
            "me" => OwnerFilter::Agent(me),
            "unassigned" => OwnerFilter::Unassigned,
            id => OwnerFilter::Agent(
                id.parse()
                    .map_err(|_| bad("owner", "me, unassigned, any or a user id".into()))?,
            ),
        };
        let (limit, offset) = forum::Paging::offset(self.limit, self.offset, QUEUE_PAGES)?;
        Ok(QueueFilter {
            statuses,
            priority,
            owner,
            due_before: self.due_before,
            limit,
            offset,
        })
    }
}

#[utoipa::path(
    get,
    path = "/crm/tasks",
    summary = "The support queue (agents)",
    params(
        ("status" = Option<String>, Query, description = "Comma-separated: new, open, pending, escalated, resolved, closed (default: the active ones)"),
        ("priority" = inline(Option<t::Priority>), Query, description = "Only this priority"),
        ("owner" = Option<String>, Query, description = "me, unassigned, any (default), or a user id"),
        ("due_before" = Option<i64>, Query, description = "Only tasks whose next due time is before this (epoch ms)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "Default 50"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Skip this many"),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Tasks, most urgent first", body = t::TaskList))
)]
async fn list_tasks(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<QueueQuery>,
) -> ApiResult<web::Json<t::TaskList>> {
    let actor = caller.require()?.actor();
    let filter = q.to_filter(actor.user_id)?;
    let tasks = state.crm(move |c| c.queue(actor, &filter)).await?;
    Ok(web::Json(t::TaskList {
        tasks: tasks.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/crm/tasks/{id}",
    summary = "A task with its thread question and the customer's profile, timeline, threads and tasks (agents)",
    params(("id" = i64, Path, description = "Task id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Task view", body = t::TaskView))
)]
async fn get_task(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::TaskView>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let view = state.crm(move |c| c.task_view(actor, id)).await?;
    Ok(web::Json(view.into()))
}

#[utoipa::path(
    patch,
    path = "/crm/tasks/{id}",
    summary = "Change status, priority or owner (agents)",
    params(("id" = i64, Path, description = "Task id")),
    request_body = t::TaskPatch,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody,
        (status = 200, description = "The task", body = t::Task),
        (status = 409, description = "The task changed meanwhile (a worker or another agent); reload and try again (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn patch_task(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::TaskPatch>,
) -> ApiResult<web::Json<t::Task>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let patch: crm_bridge::TaskPatch = body.into_inner().into();
    let task = state.crm(move |c| c.update_task(actor, id, &patch)).await?;
    Ok(web::Json(task.into()))
}

#[utoipa::path(
    post,
    path = "/crm/tasks/{id}/claim",
    summary = "Take the task: owner = you, status open (agents)",
    params(("id" = i64, Path, description = "Task id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The task", body = t::Task))
)]
async fn claim(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::Task>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let task = state.crm(move |c| c.claim(actor, id)).await?;
    Ok(web::Json(task.into()))
}

#[utoipa::path(
    post,
    path = "/crm/tasks/{id}/replies",
    operation_id = "agent_reply",
    summary = "Reply in the task's thread as official staff (agents)",
    params(("id" = i64, Path, description = "Task id")),
    request_body = t::AgentReply,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "Posted", body = t::AgentReplyPosted))
)]
async fn reply(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::AgentReply>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let post_id = state
        .crm(move |c| c.agent_reply(actor, id, &body.body))
        .await?;
    Ok(created(t::AgentReplyPosted { post_id }))
}

#[utoipa::path(
    post,
    path = "/crm/tasks/{id}/reminders",
    summary = "Remind me about this task at a time (agents)",
    params(("id" = i64, Path, description = "Task id")),
    request_body = t::NewReminder,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "Reminder set", body = t::Created))
)]
async fn add_reminder(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::NewReminder>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let rid = state
        .crm(move |c| c.add_reminder(actor, id, body.remind_at, &body.note))
        .await?;
    Ok(created(t::Created { id: rid }))
}

#[utoipa::path(
    get,
    path = "/crm/reminders",
    summary = "Your reminders that are due (agents)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Due reminders", body = t::ReminderList))
)]
async fn due_reminders(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::ReminderList>> {
    let actor = caller.require()?.actor();
    let due = state.crm(move |c| c.due_reminders(actor)).await?;
    Ok(web::Json(t::ReminderList {
        reminders: due.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/crm/reminders/{id}/dismiss",
    summary = "Mark a reminder done (agents)",
    params(("id" = i64, Path, description = "Reminder id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 204, description = "Dismissed"))
)]
async fn dismiss_reminder(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.crm(move |c| c.dismiss_reminder(actor, id)).await?;
    Ok(no_content())
}

#[utoipa::path(
    get,
    path = "/crm/contacts/{id}",
    summary = "A contact: profile, timeline, tasks and threads (agents)",
    params(("id" = i64, Path, description = "The contact's user id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Contact view", body = t::ContactView))
)]
async fn get_contact(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::ContactView>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let view = state.crm(move |c| c.contact_view(actor, id)).await?;
    Ok(web::Json(view.into()))
}

#[utoipa::path(
    patch,
    path = "/crm/contacts/{id}",
    summary = "Edit company, segment, lifecycle, tags, notes (agents)",
    params(("id" = i64, Path, description = "The contact's user id")),
    request_body = t::ContactPatch,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The contact", body = t::Contact))
)]
async fn patch_contact(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::ContactPatch>,
) -> ApiResult<web::Json<t::Contact>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let patch: crm_bridge::ContactPatch = body.into_inner().into();
    let contact = state
        .crm(move |c| c.update_contact(actor, id, &patch))
        .await?;
    Ok(web::Json(contact.into()))
}

#[utoipa::path(
    get,
    path = "/crm/canned",
    summary = "Canned responses (agents)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "All canned responses", body = t::CannedList))
)]
async fn list_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::CannedList>> {
    let actor = caller.require()?.actor();
    let all = state.crm(move |c| c.canned_responses(actor)).await?;
    Ok(web::Json(t::CannedList {
        canned_responses: all.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/crm/canned",
    summary = "Add a canned response (agents)",
    request_body = t::Canned,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "Created", body = t::Created))
)]
async fn create_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::Canned>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = state
        .crm(move |c| c.save_canned_response(actor, None, &body.title, &body.body))
        .await?;
    Ok(created(t::Created { id }))
}

#[utoipa::path(
    put,
    path = "/crm/canned/{id}",
    summary = "Replace a canned response (agents)",
    params(("id" = i64, Path, description = "Canned response id")),
    request_body = t::Canned,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Saved"))
)]
async fn update_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::Canned>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .crm(move |c| c.save_canned_response(actor, Some(id), &body.title, &body.body))
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    delete,
    path = "/crm/canned/{id}",
    summary = "Delete a canned response (agents)",
    params(("id" = i64, Path, description = "Canned response id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 204, description = "Deleted"))
)]
async fn delete_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .crm(move |c| c.delete_canned_response(actor, id))
        .await?;
    Ok(no_content())
}

#[derive(Deserialize)]
struct RenderQuery {
    task: i64,
}

#[utoipa::path(
    get,
    path = "/crm/canned/{id}/render",
    summary = "A canned response with its placeholders filled for a task (agents)",
    params(
        ("id" = i64, Path, description = "Canned response id"),
        ("task" = i64, Query, description = "The task whose customer, thread and agent fill the placeholders"),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Rendered body", body = t::RenderedCanned))
)]
async fn render_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    q: web::Query<RenderQuery>,
) -> ApiResult<web::Json<t::RenderedCanned>> {
    let actor = caller.require()?.actor();
    let (id, task) = (id.into_inner(), q.task);
    let body = state
        .crm(move |c| c.render_canned_response(actor, id, task))
        .await?;
    Ok(web::Json(t::RenderedCanned { body }))
}

#[utoipa::path(
    get,
    path = "/crm/stats",
    summary = "Task counts, escalations, SLA breaches, median first response (agents)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Figures", body = t::CrmStats))
)]
async fn stats(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<web::Json<t::CrmStats>> {
    let actor = caller.require()?.actor();
    let s = state.crm(move |c| c.stats(actor)).await?;
    Ok(web::Json(s.into()))
}

#[utoipa::path(
    get,
    path = "/crm/rules",
    summary = "Escalation rules, SLA and segments in force (admins)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Rules", body = t::Rules))
)]
async fn get_rules(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::Rules>> {
    let actor = caller.require()?.actor();
    if actor.role != forum::Role::Admin {
        return Err(forum::ForumError::Forbidden("only administrators see CRM rules").into());
    }
    let rules = state.crm(|c| Ok(c.rules())).await?;
    Ok(web::Json(rules.into()))
}

#[utoipa::path(
    put,
    path = "/crm/rules",
    summary = "Replace the rules; they override the config file's (admins)",
    request_body = t::Rules,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Saved"))
)]
async fn put_rules(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::Rules>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let rules = body.into_inner().into();
    state.crm(move |c| c.save_rules(actor, rules)).await?;
    Ok(no_content())
}

#[utoipa::path(
    get,
    path = "/crm/dead-letters",
    summary = "Deliveries to the external CRM that exhausted their retries (admins)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Dead letters, up to 500", body = t::DeadLetterList))
)]
async fn dead_letters(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::DeadLetterList>> {
    let actor = caller.require()?.actor();
    let items = state.crm(move |c| c.dead_letters(actor)).await?;
    Ok(web::Json(t::DeadLetterList {
        dead_letters: items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/crm/dead-letters/replay",
    summary = "Retry one dead letter ({\"id\": n}) or, without a body or id, all of them (admins)",
    request_body(content = Option<t::ReplayRequest>, description = "Optional"),
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "How many were replayed", body = t::Replayed))
)]
async fn replay(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: Option<web::Json<t::ReplayRequest>>,
) -> ApiResult<web::Json<t::Replayed>> {
    let actor = caller.require()?.actor();
    let id = body.map(|b| b.into_inner()).unwrap_or_default().id;
    let replayed = state.crm(move |c| c.replay_dead_letters(actor, id)).await?;
    Ok(web::Json(t::Replayed { replayed }))
}

/// Signed by the external system (see `crm_bridge::connector::webhook`);
/// no session or token: the signature is the credential.
#[utoipa::path(
    post,
    path = "/crm/webhook",
    summary = "Inbound changes from an external CRM",
    description = "Signed: `X-Hearth-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`, over the raw body. A timestamp older than the tolerance (300 s by default) or a delivery id seen before is refused. Off (404) until an inbound secret is configured.",
    params(("X-Hearth-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>")),
    request_body = t::InboundWebhook,
    responses(
        (status = 202, description = "Applied", body = t::WebhookApplied),
        (status = 400, description = "Malformed payload (code bad_payload)", body = ErrorBody),
        (status = 401, description = "Missing, malformed or wrong signature, or stale timestamp", body = ErrorBody),
        (status = 404, description = "Unknown task, or no inbound secret configured", body = ErrorBody),
        (status = 409, description = "This delivery id was applied before (code replayed)", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 500, description = "Something went wrong on our side; it is logged", body = ErrorBody),
        (status = 503, description = "Busy; try again after Retry-After seconds", body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait before trying again"))),
    )
)]
async fn webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
) -> ApiResult<impl Responder> {
    // The extractor's own answer would not be our JSON error body.
    let body = body.map_err(|e| {
        if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::PayloadTooLarge(state.config.max_body_bytes)
        } else {
            WebError::BadRequest(format!("the request body could not be read: {e}"))
        }
    })?;
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    state
        .crm(move |c| c.handle_webhook(signature.as_deref(), &body))
        .await?;
    Ok(web::Json(t::WebhookApplied {
        status: t::WebhookStatus::Applied,
    })
    .customize()
    .with_status(StatusCode::ACCEPTED))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/escalate",
    summary = "Escalate a thread to support, creating its task if needed (moderators and agents)",
    params(("id" = i64, Path, description = "Thread id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The escalated task", body = t::Task))
)]
async fn escalate(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::Task>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let task = state.crm(move |c| c.escalate_thread(actor, id)).await?;
    Ok(web::Json(task.into()))
}
