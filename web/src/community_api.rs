//! JSON API for the knowledge base, reputation and notifications, and the
//! moderation actions ranks unlock (move, mark duplicate).

use actix_web::{web, HttpResponse};
use forum::kb::{ArticleEdit, ArticleStatus};
use serde::Deserialize;
use serde_json::json;

use crate::error::WebError;
use crate::session::ApiCaller;
use crate::AppState;

type ApiResult = Result<HttpResponse, WebError>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/kb", web::get().to(list_articles))
        .route("/kb/review", web::get().to(review_queue))
        .route("/kb/{slug}", web::get().to(article))
        .route("/kb/{slug}", web::patch().to(update_article))
        .route("/kb/{slug}/revisions", web::get().to(revisions))
        .route("/kb/{slug}/publish", web::post().to(publish))
        .route("/kb/{slug}/status", web::post().to(set_status))
        .route("/kb/{slug}/feedback", web::post().to(feedback))
        .route("/threads/{id}/promote", web::post().to(promote))
        .route("/threads/{id}/move", web::post().to(move_thread))
        .route("/threads/{id}/duplicate", web::post().to(mark_duplicate))
        .route("/users/{id}/badges", web::get().to(user_badges))
        .route("/users/{id}/reputation", web::get().to(user_reputation))
        .route("/leaderboard", web::get().to(leaderboard))
        .route("/badges", web::get().to(badges))
        .route("/badges/{key}", web::get().to(badge))
        .route("/notifications", web::get().to(notifications))
        .route("/notifications/read", web::post().to(mark_read));
}

#[derive(Deserialize)]
struct KbQuery {
    category: Option<String>,
}

async fn list_articles(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<KbQuery>,
) -> ApiResult {
    let viewer = caller.actor();
    let category = q.into_inner().category;
    let articles = state
        .call(move |f| f.articles(viewer, category.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "articles": articles })))
}

async fn review_queue(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let actor = caller.require()?.actor();
    let articles = state.call(move |f| f.review_queue(actor)).await?;
    Ok(HttpResponse::Ok().json(json!({ "articles": articles })))
}

async fn article(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult {
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
    let mut body = json!(article);
    if let Some(c) = change {
        body["source_change"] = json!(c);
    }
    Ok(HttpResponse::Ok().json(body))
}

async fn update_article(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<ArticleEdit>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let article = state
        .call(move |f| {
            f.update_article(actor, &slug, body.into_inner())?;
            f.article(&slug, Some(actor))
        })
        .await?;
    Ok(HttpResponse::Ok().json(article))
}

async fn revisions(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let revs = state
        .call(move |f| f.article_revisions(actor, &slug))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "revisions": revs })))
}

async fn change_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: String,
    status: ArticleStatus,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let article = state
        .call(move |f| {
            f.set_article_status(actor, &slug, status)?;
            f.article(&slug, Some(actor))
        })
        .await?;
    Ok(HttpResponse::Ok().json(article))
}

async fn publish(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult {
    change_status(state, caller, slug.into_inner(), ArticleStatus::Published).await
}

#[derive(Deserialize)]
struct StatusRequest {
    status: String,
}

async fn set_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<StatusRequest>,
) -> ApiResult {
    let status = ArticleStatus::parse(&body.status).ok_or_else(|| {
        WebError::Forum(forum::ForumError::validation(
            "status",
            "status must be draft, review, published or archived",
        ))
    })?;
    change_status(state, caller, slug.into_inner(), status).await
}

#[derive(Deserialize)]
struct FeedbackRequest {
    helpful: bool,
}

async fn feedback(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<FeedbackRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let helpful = body.helpful;
    let a = state
        .call(move |f| f.article_feedback(actor, &slug, helpful))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "helpful": a.helpful, "not_helpful": a.not_helpful,
        "needs_review": a.needs_review_for_feedback,
    })))
}

async fn promote(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let (article, created) = state
        .call(move |f| {
            let (slug, created) = f.promote_thread(actor, id)?;
            Ok((f.article(&slug, Some(actor))?, created))
        })
        .await?;
    let mut resp = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(resp
        .insert_header(("Location", format!("/api/v1/kb/{}", article.slug)))
        .json(article))
}

#[derive(Deserialize)]
struct MoveRequest {
    category: String,
}

async fn move_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<MoveRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.move_thread(actor, id, &body.category))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
struct DuplicateRequest {
    /// The original thread; null clears the mark.
    of: Option<i64>,
}

async fn mark_duplicate(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<DuplicateRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.mark_duplicate(actor, id, body.of))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn user_badges(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let id = id.into_inner();
    let standing = state.call(move |f| f.standing(id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "user_id": id, "badges": standing.badges })))
}

async fn user_reputation(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let id = id.into_inner();
    let standing = state.call(move |f| f.standing(id)).await?;
    Ok(HttpResponse::Ok().json(standing))
}

#[derive(Deserialize)]
struct LeaderboardQuery {
    period: Option<String>,
    category: Option<String>,
    limit: Option<usize>,
}

async fn leaderboard(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<LeaderboardQuery>,
) -> ApiResult {
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
    Ok(HttpResponse::Ok().json(json!({
        "period": period, "category": category, "entries": entries,
    })))
}

async fn badges(state: web::Data<AppState>) -> ApiResult {
    let all = state.call(|f| f.badges_overview()).await?;
    let badges: Vec<_> = all
        .into_iter()
        .map(|(rule, holders)| json!({ "badge": rule, "holders": holders }))
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "badges": badges })))
}

async fn badge(state: web::Data<AppState>, key: web::Path<String>) -> ApiResult {
    let key = key.into_inner();
    let (rule, holders) = state.call(move |f| f.badge_holders(&key)).await?;
    Ok(HttpResponse::Ok().json(json!({ "badge": rule, "holders": holders })))
}

async fn notifications(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let user_id = caller.require()?.id;
    let (items, unread) = state
        .call(move |f| {
            Ok((
                f.notifications(user_id, 50)?,
                f.unread_notifications(user_id)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "unread": unread, "notifications": items })))
}

async fn mark_read(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let user_id = caller.require()?.id;
    let n = state
        .call(move |f| f.mark_notifications_read(user_id))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "marked": n })))
}
