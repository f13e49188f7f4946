//! JSON API of the CRM bridge: the agent's tasks, contacts, canned
//! responses and reminders, the escalate button, admin rules and dead
//! letters, and the signed inbound webhook for external CRMs.

use actix_web::{web, HttpRequest, HttpResponse};
use crm_bridge::connector::webhook::SIGNATURE_HEADER;
use crm_bridge::rules::{Priority, Rules, TaskStatus};
use crm_bridge::{ContactPatch, OwnerFilter, QueueFilter, TaskPatch};
use serde::Deserialize;
use serde_json::json;

use crate::error::WebError;
use crate::session::ApiCaller;
use crate::AppState;

type ApiResult = Result<HttpResponse, WebError>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/crm/tasks", web::get().to(list_tasks))
        .route("/crm/tasks/{id}", web::get().to(get_task))
        .route("/crm/tasks/{id}", web::patch().to(patch_task))
        .route("/crm/tasks/{id}/claim", web::post().to(claim))
        .route("/crm/tasks/{id}/replies", web::post().to(reply))
        .route("/crm/tasks/{id}/reminders", web::post().to(add_reminder))
        .route("/crm/reminders", web::get().to(due_reminders))
        .route(
            "/crm/reminders/{id}/dismiss",
            web::post().to(dismiss_reminder),
        )
        .route("/crm/contacts/{id}", web::get().to(get_contact))
        .route("/crm/contacts/{id}", web::patch().to(patch_contact))
        .route("/crm/canned", web::get().to(list_canned))
        .route("/crm/canned", web::post().to(create_canned))
        .route("/crm/canned/{id}", web::put().to(update_canned))
        .route("/crm/canned/{id}", web::delete().to(delete_canned))
        .route("/crm/canned/{id}/render", web::get().to(render_canned))
        .route("/crm/stats", web::get().to(stats))
        .route("/crm/rules", web::get().to(get_rules))
        .route("/crm/rules", web::put().to(put_rules))
        .route("/crm/dead-letters", web::get().to(dead_letters))
        .route("/crm/dead-letters/replay", web::post().to(replay))
        .route("/crm/webhook", web::post().to(webhook))
        .route("/threads/{id}/escalate", web::post().to(escalate));
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

async fn list_tasks(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<QueueQuery>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let filter = q.to_filter(actor.user_id)?;
    let tasks = state.crm(move |c| c.queue(actor, &filter)).await?;
    Ok(HttpResponse::Ok().json(json!({ "tasks": tasks })))
}

async fn get_task(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let view = state.crm(move |c| c.task_view(actor, id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn patch_task(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<TaskPatch>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let task = state.crm(move |c| c.update_task(actor, id, &body)).await?;
    Ok(HttpResponse::Ok().json(task))
}

async fn claim(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let task = state.crm(move |c| c.claim(actor, id)).await?;
    Ok(HttpResponse::Ok().json(task))
}

#[derive(Deserialize)]
struct ReplyRequest {
    body: String,
}

async fn reply(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<ReplyRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let post_id = state
        .crm(move |c| c.agent_reply(actor, id, &body.body))
        .await?;
    Ok(HttpResponse::Created().json(json!({ "post_id": post_id })))
}

#[derive(Deserialize)]
struct ReminderRequest {
    remind_at: i64,
    #[serde(default)]
    note: String,
}

async fn add_reminder(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<ReminderRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let rid = state
        .crm(move |c| c.add_reminder(actor, id, body.remind_at, &body.note))
        .await?;
    Ok(HttpResponse::Created().json(json!({ "id": rid })))
}

async fn due_reminders(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    let due = state.crm(move |c| c.due_reminders(actor)).await?;
    Ok(HttpResponse::Ok().json(json!({ "reminders": due })))
}

async fn dismiss_reminder(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.crm(move |c| c.dismiss_reminder(actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn get_contact(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let view = state.crm(move |c| c.contact_view(actor, id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn patch_contact(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<ContactPatch>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let contact = state
        .crm(move |c| c.update_contact(actor, id, &body))
        .await?;
    Ok(HttpResponse::Ok().json(contact))
}

async fn list_canned(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    let all = state.crm(move |c| c.canned_responses(actor)).await?;
    Ok(HttpResponse::Ok().json(json!({ "canned_responses": all })))
}

#[derive(Deserialize)]
struct CannedRequest {
    title: String,
    body: String,
}

async fn create_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<CannedRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = state
        .crm(move |c| c.save_canned_response(actor, None, &body.title, &body.body))
        .await?;
    Ok(HttpResponse::Created().json(json!({ "id": id })))
}

async fn update_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<CannedRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .crm(move |c| c.save_canned_response(actor, Some(id), &body.title, &body.body))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn delete_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .crm(move |c| c.delete_canned_response(actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
struct RenderQuery {
    task: i64,
}

async fn render_canned(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    q: web::Query<RenderQuery>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let (id, task) = (id.into_inner(), q.task);
    let text = state
        .crm(move |c| c.render_canned_response(actor, id, task))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "body": text })))
}

async fn stats(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    let s = state.crm(move |c| c.stats(actor)).await?;
    Ok(HttpResponse::Ok().json(s))
}

async fn get_rules(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    if actor.role != forum::Role::Admin {
        return Err(forum::ForumError::Forbidden("only administrators see CRM rules").into());
    }
    let rules = state.crm(|c| Ok(c.rules())).await?;
    Ok(HttpResponse::Ok().json(rules))
}

async fn put_rules(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<Rules>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let rules = body.into_inner();
    state.crm(move |c| c.save_rules(actor, rules)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn dead_letters(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    let items = state.crm(move |c| c.dead_letters(actor)).await?;
    Ok(HttpResponse::Ok().json(json!({ "dead_letters": items })))
}

#[derive(Deserialize, Default)]
struct ReplayRequest {
    id: Option<i64>,
}

async fn replay(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: Option<web::Json<ReplayRequest>>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = body.map(|b| b.into_inner()).unwrap_or_default().id;
    let n = state.crm(move |c| c.replay_dead_letters(actor, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "replayed": n })))
}

/// Signed by the external system (see `crm_bridge::connector::webhook`);
/// no session or token: the signature is the credential.
async fn webhook(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> ApiResult {
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    state
        .crm(move |c| c.handle_webhook(signature.as_deref(), &body))
        .await?;
    Ok(HttpResponse::Accepted().json(json!({ "status": "applied" })))
}

async fn escalate(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let task = state.crm(move |c| c.escalate_thread(actor, id)).await?;
    Ok(HttpResponse::Ok().json(task))
}
