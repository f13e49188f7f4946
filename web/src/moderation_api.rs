//! Moderation over JSON: members report posts (`/posts/{id}/flag`);
//! moderators work the review queue under `/mod/review` (list, one item,
//! claim, decide, decide many) and read its figures. Who may do what is
//! the domain's decision (`forum::review`).

use actix_web::{web, HttpResponse, Responder};
use forum::review::QueueFilter;
use forum::{ForumError, PageLimits, Paging};
use serde::Deserialize;

use crate::api::types as t;
use crate::api::{created, no_content, ApiResult};
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes(r: &mut ApiRoutes) {
    r.add(__path_flag_post, flag_post)
        .add(__path_moderation_queue, moderation_queue)
        .add(__path_review_stats, review_stats)
        .add(__path_review_item, review_item)
        .add(__path_claim_review, claim_review)
        .add(__path_decide_review, decide_review)
        .add(__path_decide_reviews, decide_reviews);
}

#[utoipa::path(
    post,
    path = "/posts/{id}/flag",
    summary = "Report a post to the moderators",
    description = "One report per member per post, within a daily allowance (429 when spent). When the weighted reports reach the threshold the post is hidden pending review and its author told.",
    params(("id" = i64, Path, description = "Post id")),
    request_body = t::FlagRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody,
        (status = 201, description = "Reported", body = t::FlagResult),
        (status = 409, description = "Already reported by you, or already reviewed as it stands (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn flag_post(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::FlagRequest>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let post_id = id.into_inner();
    let body = body.into_inner();
    let outcome = state
        .call(move |f| f.flag_post(actor, post_id, body.reason.into(), &body.note))
        .await?;
    Ok(created(t::FlagResult {
        review_id: outcome.review_id,
        hidden: outcome.hid_post,
    }))
}

#[derive(Deserialize)]
struct QueueQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

/// `open` (default) or `decided`; `oldest` (default) or `priority`.
pub fn queue_filter(
    state: Option<&str>,
    sort: Option<&str>,
) -> Result<(QueueFilter, bool), ForumError> {
    let filter = match state.unwrap_or("open") {
        "open" => QueueFilter::Open,
        "decided" => QueueFilter::Decided,
        _ => return Err(ForumError::validation("state", "open or decided")),
    };
    let by_priority = match sort.unwrap_or("oldest") {
        "oldest" => false,
        "priority" => true,
        _ => return Err(ForumError::validation("sort", "oldest or priority")),
    };
    Ok((filter, by_priority))
}

#[utoipa::path(
    get,
    path = "/mod/review",
    summary = "The review queue (moderators)",
    description = "One item per post, gathering its reports and the reasons it was held. Open items oldest first (or by priority); decided ones newest first.",
    params(
        ("state" = Option<String>, Query, description = "open (default) or decided"),
        ("sort" = Option<String>, Query, description = "oldest (default) or priority"),
        ("page" = Option<i64>, Query, minimum = 1),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "A page of the queue", body = t::ReviewList))
)]
async fn moderation_queue(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<QueueQuery>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let (filter, by_priority) = queue_filter(query.state.as_deref(), query.sort.as_deref())?;
    let paging = Paging::pages(query.page, query.per_page, PageLimits::LISTING)?;
    let page = state
        .call(move |f| f.moderation_queue(actor, filter, by_priority, paging.page, paging.per_page))
        .await?;
    Ok(web::Json(t::ReviewList {
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page.items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize)]
struct StatsQuery {
    #[serde(default)]
    days: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/mod/review/stats",
    summary = "The queue's figures and SLA (moderators)",
    params(("days" = Option<i64>, Query, minimum = 1, maximum = 365, description = "Window for decisions and reports; default 30")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Figures", body = t::ReviewStats))
)]
async fn review_stats(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<StatsQuery>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let days = query.days.unwrap_or(30).clamp(1, 365);
    let (s, sla_hours) = state
        .call(move |f| {
            Ok((
                f.moderation_stats(actor, days)?,
                f.moderation_rules().review_sla_hours,
            ))
        })
        .await?;
    Ok(web::Json(t::ReviewStats {
        days,
        open_items: s.open_items,
        open_flags: s.open_flags,
        held_posts: s.held_posts,
        hidden_posts: s.hidden_posts,
        overdue_items: s.overdue_items,
        sla_hours,
        review_p50_ms: s.review_p50_ms,
        review_p90_ms: s.review_p90_ms,
        decided: s.decided,
        approved: s.approved,
        flags_per_thousand_posts: s.flags_per_thousand_posts(),
        false_positive_share: s.false_positive_share(),
    }))
}

#[utoipa::path(
    get,
    path = "/mod/review/{id}",
    summary = "One review item with its post and reports (moderators)",
    params(("id" = i64, Path, description = "Review item id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The item", body = t::ReviewItem))
)]
async fn review_item(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let item = state.call(move |f| f.moderation_item(actor, id)).await?;
    Ok(web::Json(t::ReviewItem::from(item)))
}

#[utoipa::path(
    post,
    path = "/mod/review/{id}/claim",
    summary = "Claim an item so no other moderator works it at once",
    description = "A claim older than 30 minutes may be taken over.",
    params(("id" = i64, Path, description = "Review item id")),
    security(("bearer" = [])),
    responses(Common, Auth,
        (status = 204, description = "Claimed"),
        (status = 409, description = "Claimed by another moderator, or already decided (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn claim_review(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.claim_review(actor, id)).await?;
    Ok(no_content())
}

#[utoipa::path(
    post,
    path = "/mod/review/{id}/decide",
    summary = "Decide an item (moderators)",
    description = "Approve shows the post (publishing it if it was held); reject keeps it out of sight; reject_and_silence also silences the author; delete_spam removes every post of the author and suspends the account. The author is told the reason. An item is decided once: a second decision gets 409.",
    params(("id" = i64, Path, description = "Review item id")),
    request_body = t::DecisionRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody,
        (status = 200, description = "Decided: the item", body = t::ReviewItem),
        (status = 409, description = "Already decided (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn decide_review(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::DecisionRequest>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let input = forum::review::DecisionInput::from(&body.into_inner());
    let item = state
        .call(move |f| {
            f.decide_review(actor, id, &input)?;
            f.moderation_item(actor, id)
        })
        .await?;
    Ok(web::Json(t::ReviewItem::from(item)))
}

#[utoipa::path(
    post,
    path = "/mod/review/bulk",
    summary = "The same decision on many items (moderators)",
    description = "Each item is decided on its own: one decided elsewhere first is reported in `failed` and the rest go on.",
    request_body = t::BulkDecisionRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "What was decided", body = t::BulkDecisionResult))
)]
async fn decide_reviews(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::BulkDecisionRequest>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let body = body.into_inner();
    let input = forum::review::DecisionInput {
        decision: body.decision.into(),
        reason: body.reason,
        days: body.days,
    };
    let ids = body.ids;
    let out = state
        .call(move |f| f.decide_reviews(actor, &ids, &input))
        .await?;
    Ok(web::Json(t::BulkDecisionResult {
        decided: out.decided,
        failed: out
            .failed
            .into_iter()
            .map(|(id, message)| t::BulkFailure { id, message })
            .collect(),
    }))
}
