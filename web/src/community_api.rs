//! JSON API for the knowledge base, reputation and notifications, and the
//! moderation actions ranks unlock (move, mark duplicate).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, Responder};
use forum::kb::ArticleStatus;
use serde::Deserialize;

use crate::api::types as t;
use crate::api::{created, no_content, ApiResult};
use crate::error::WebError;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody, OptionalAuth};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes(r: &mut ApiRoutes) {
    r.add(__path_list_articles, list_articles)
        .add(__path_review_queue, review_queue)
        .add(__path_article, article)
        .add(__path_update_article, update_article)
        .add(__path_revisions, revisions)
        .add(__path_publish, publish)
        .add(__path_set_status, set_status)
        .add(__path_feedback, feedback)
        .add(__path_promote, promote)
        .add(__path_move_thread, move_thread)
        .add(__path_mark_duplicate, mark_duplicate)
        .add(__path_user_badges, user_badges)
        .add(__path_user_reputation, user_reputation)
        .add(__path_leaderboard, leaderboard)
        .add(__path_badges, badges)
        .add(__path_badge, badge)
        .add(__path_notifications, notifications)
        .add(__path_mark_read, mark_read);
}

fn articles(list: Vec<forum::kb::Article>) -> web::Json<t::ArticleList> {
    web::Json(t::ArticleList {
        articles: list.into_iter().map(Into::into).collect(),
    })
}

#[derive(Deserialize)]
struct KbQuery {
    category: Option<String>,
}

#[utoipa::path(
    get,
    path = "/kb",
    summary = "Published KB articles the caller may see",
    params(("category" = Option<String>, Query, description = "Only this board's (slug)")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Articles", body = t::ArticleList))
)]
async fn list_articles(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<KbQuery>,
) -> ApiResult<web::Json<t::ArticleList>> {
    let viewer = caller.actor();
    let category = q.into_inner().category;
    let list = state
        .call(move |f| f.articles(viewer, category.as_deref()))
        .await?;
    Ok(articles(list))
}

#[utoipa::path(
    get,
    path = "/kb/review",
    summary = "Review queue: drafts, in review, source changed, mostly unhelpful (staff)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Articles", body = t::ArticleList))
)]
async fn review_queue(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::ArticleList>> {
    let actor = caller.require()?.actor();
    let list = state.call(move |f| f.review_queue(actor)).await?;
    Ok(articles(list))
}

#[utoipa::path(
    get,
    path = "/kb/{slug}",
    summary = "An article (drafts: staff only); staff also get the source diff when the source changed",
    params(("slug" = String, Path, description = "The article's slug")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Article", body = t::Article))
)]
async fn article(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<web::Json<t::Article>> {
    let viewer = caller.actor();
    let slug = slug.into_inner();
    let (article, change) = state
        .call(move |f| {
            let a = f.article(&slug, viewer)?;
            // Reviewers get the source diff with the article.
            let change = match viewer.filter(|v| v.role.is_staff()) {
                Some(v) => f.article_source_change(v, &slug)?,
                None => None,
            };
            Ok((a, change))
        })
        .await?;
    let mut body = t::Article::from(article);
    body.source_change = change.map(Into::into);
    Ok(web::Json(body))
}

#[utoipa::path(
    patch,
    path = "/kb/{slug}",
    summary = "Edit an article; each edit is a new version (staff)",
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = t::ArticleEdit,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Article", body = t::Article))
)]
async fn update_article(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::ArticleEdit>,
) -> ApiResult<web::Json<t::Article>> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let edit = body.into_inner().into();
    let article = state
        .call(move |f| {
            f.update_article(actor, &slug, edit)?;
            f.article(&slug, Some(actor))
        })
        .await?;
    Ok(web::Json(article.into()))
}

#[utoipa::path(
    get,
    path = "/kb/{slug}/revisions",
    operation_id = "article_revisions",
    summary = "An article's versions (staff)",
    params(("slug" = String, Path, description = "The article's slug")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Revisions", body = t::ArticleRevisionList))
)]
async fn revisions(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<web::Json<t::ArticleRevisionList>> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let revs = state
        .call(move |f| f.article_revisions(actor, &slug))
        .await?;
    Ok(web::Json(t::ArticleRevisionList {
        revisions: revs.into_iter().map(Into::into).collect(),
    }))
}

async fn change_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: String,
    status: ArticleStatus,
) -> ApiResult<web::Json<t::Article>> {
    let actor = caller.require()?.actor();
    let article = state
        .call(move |f| {
            f.set_article_status(actor, &slug, status)?;
            f.article(&slug, Some(actor))
        })
        .await?;
    Ok(web::Json(article.into()))
}

#[utoipa::path(
    post,
    path = "/kb/{slug}/publish",
    summary = "Publish an article (moderator); marks the source as reviewed",
    params(("slug" = String, Path, description = "The article's slug")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Article", body = t::Article))
)]
async fn publish(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<web::Json<t::Article>> {
    change_status(state, caller, slug.into_inner(), ArticleStatus::Published).await
}

#[utoipa::path(
    post,
    path = "/kb/{slug}/status",
    summary = "Move an article between draft and review (staff), published and archived (moderator)",
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = t::ArticleStatusChange,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Article", body = t::Article))
)]
async fn set_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::ArticleStatusChange>,
) -> ApiResult<web::Json<t::Article>> {
    let status = ArticleStatus::parse(&body.status).ok_or_else(|| {
        WebError::Forum(forum::ForumError::invalid(
            "status",
            forum::Rule::OneOf {
                choices: "draft, review, published, archived".into(),
            },
            "status must be draft, review, published or archived",
        ))
    })?;
    change_status(state, caller, slug.into_inner(), status).await
}

#[utoipa::path(
    post,
    path = "/kb/{slug}/feedback",
    summary = "Helpful or not: one vote per member, changeable",
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = t::Feedback,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Counts", body = t::FeedbackCounts))
)]
async fn feedback(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::Feedback>,
) -> ApiResult<web::Json<t::FeedbackCounts>> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let helpful = body.helpful;
    let a = state
        .call(move |f| f.article_feedback(actor, &slug, helpful))
        .await?;
    Ok(web::Json(t::FeedbackCounts {
        helpful: a.helpful,
        not_helpful: a.not_helpful,
        needs_review: a.needs_review_for_feedback,
    }))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/promote",
    summary = "Promote a solved thread to a KB draft (agent or moderator); idempotent",
    params(("id" = i64, Path, description = "Thread id")),
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        (status = 201, description = "Draft created", body = t::Article,
            headers(("Location" = String, description = "The article's API path"))),
        (status = 200, description = "The draft existed already", body = t::Article,
            headers(("Location" = String, description = "The article's API path"))),
    )
)]
async fn promote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let (article, was_created) = state
        .call(move |f| {
            let (slug, created) = f.promote_thread(actor, id)?;
            Ok((f.article(&slug, Some(actor))?, created))
        })
        .await?;
    let location = format!("/api/v1/kb/{}", article.slug);
    let body = t::Article::from(article);
    let resp = if was_created {
        created(body)
    } else {
        web::Json(body).customize().with_status(StatusCode::OK)
    };
    Ok(resp.insert_header(("Location", location)))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/move",
    summary = "Move a thread to another board (moderator or Community Leader)",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = t::MoveRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Moved"))
)]
async fn move_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::MoveRequest>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.move_thread(actor, id, &body.category))
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    post,
    path = "/threads/{id}/duplicate",
    summary = "Mark a thread as a duplicate of another, or clear it with null (moderator or Community Leader)",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = t::DuplicateRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Marked"))
)]
async fn mark_duplicate(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::DuplicateRequest>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.mark_duplicate(actor, id, body.of))
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    get,
    path = "/users/{id}/badges",
    summary = "A member's badges",
    params(("id" = i64, Path, description = "User id")),
    responses(Common, (status = 200, description = "Badges", body = t::UserBadges))
)]
async fn user_badges(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::UserBadges>> {
    let id = id.into_inner();
    let standing = state.call(move |f| f.standing(id)).await?;
    Ok(web::Json(t::UserBadges {
        user_id: id,
        badges: standing.badges.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/users/{id}/reputation",
    summary = "A member's points, rank, stats and badges",
    params(("id" = i64, Path, description = "User id")),
    responses(Common, (status = 200, description = "Standing", body = t::Standing))
)]
async fn user_reputation(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::Standing>> {
    let id = id.into_inner();
    let standing = state.call(move |f| f.standing(id)).await?;
    Ok(web::Json(standing.into()))
}

#[derive(Deserialize)]
struct LeaderboardQuery {
    period: Option<String>,
    category: Option<String>,
    limit: Option<usize>,
}

/// The leaderboard's `period` values.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documentation only: the handler reads a string
enum Period {
    Week,
    Month,
    All,
}

#[utoipa::path(
    get,
    path = "/leaderboard",
    summary = "Top members by points",
    params(
        ("period" = inline(Option<Period>), Query, description = "Points earned in the last week, month, or all time (default)"),
        ("category" = Option<String>, Query, description = "Only points earned in this board (slug)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "Default 20; larger values are capped"),
    ),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Entries", body = t::Leaderboard))
)]
async fn leaderboard(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<LeaderboardQuery>,
) -> ApiResult<web::Json<t::Leaderboard>> {
    let viewer = caller.actor();
    let LeaderboardQuery {
        period,
        category,
        limit,
    } = q.into_inner();
    let period = period.unwrap_or_else(|| "all".into());
    let p = period.clone();
    let c = category.clone();
    let entries = state
        .call(move |f| f.leaderboard(&p, c.as_deref(), viewer, limit.unwrap_or(20)))
        .await?;
    Ok(web::Json(t::Leaderboard {
        period,
        category,
        entries: entries.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/badges",
    summary = "Every badge and how many members hold it",
    responses(Common, (status = 200, description = "Badges", body = t::BadgeOverview))
)]
async fn badges(state: web::Data<AppState>) -> ApiResult<web::Json<t::BadgeOverview>> {
    let all = state.call(|f| f.badges_overview()).await?;
    Ok(web::Json(t::BadgeOverview {
        badges: all
            .into_iter()
            .map(|(rule, holders)| t::BadgeCount {
                badge: rule.into(),
                holders,
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/badges/{key}",
    summary = "Who holds a badge",
    params(("key" = String, Path, description = "The badge's key")),
    responses(Common, (status = 200, description = "Holders", body = t::BadgeHolders))
)]
async fn badge(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> ApiResult<web::Json<t::BadgeHolders>> {
    let key = key.into_inner();
    let (rule, holders) = state.call(move |f| f.badge_holders(&key)).await?;
    Ok(web::Json(t::BadgeHolders {
        badge: rule.into(),
        holders: holders.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/notifications",
    summary = "The caller's in-app notifications and unread count",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Notifications", body = t::NotificationList))
)]
async fn notifications(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::NotificationList>> {
    let user_id = caller.require()?.id;
    let (items, unread) = state
        .call(move |f| {
            Ok((
                f.notifications(user_id, 50)?,
                f.unread_notifications(user_id)?,
            ))
        })
        .await?;
    Ok(web::Json(t::NotificationList {
        unread,
        notifications: items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/notifications/read",
    summary = "Mark all notifications read",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "How many", body = t::MarkedRead))
)]
async fn mark_read(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::MarkedRead>> {
    let user_id = caller.require()?.id;
    let marked = state
        .call(move |f| f.mark_notifications_read(user_id))
        .await?;
    Ok(web::Json(t::MarkedRead { marked }))
}
