//! The JSON API under /api/v1. Handlers only parse, call `forum`, and shape
//! the answer; errors go through `WebError`.

use actix_web::{web, HttpResponse};
use forum::{ForumError, NewThread, NewUser, PageLimits, Paging, Role, ThreadSort, TokenKind};
use serde::Deserialize;
use serde_json::json;

use crate::error::WebError;
use crate::session::ApiCaller;
use crate::AppState;

pub mod types;

type ApiResult = Result<HttpResponse, WebError>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(openapi))
        .route("/auth/token", web::post().to(token))
        .route("/users", web::post().to(register))
        .route("/me", web::get().to(me))
        .route("/users/{id}", web::get().to(user))
        .route("/categories", web::get().to(categories))
        .route("/categories", web::post().to(create_category))
        .route(
            "/categories/{slug}/threads",
            web::get().to(category_threads),
        )
        .route("/threads", web::post().to(create_thread))
        .route("/threads/{id}", web::get().to(thread))
        .route("/threads/{id}/posts", web::post().to(reply))
        .route("/threads/{id}/lock", web::post().to(lock))
        .route("/threads/{id}/accept", web::delete().to(unaccept))
        .route("/posts/{id}", web::patch().to(edit_post))
        .route("/posts/{id}", web::delete().to(delete_post))
        .route("/posts/{id}/revisions", web::get().to(revisions))
        .route("/posts/{id}/vote", web::post().to(vote))
        .route("/posts/{id}/vote", web::delete().to(unvote))
        .route("/posts/{id}/accept", web::post().to(accept));
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}

#[derive(Deserialize)]
struct TokenRequest {
    /// Username or email.
    login: String,
    password: String,
}

async fn token(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<TokenRequest>,
) -> ApiResult {
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled);
    }
    let TokenRequest { login, password } = body.into_inner();
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let limits = state.config.login.clone();
    let forum = state.forum.clone();
    let (user, token) = web::block(move || {
        let user = crate::session::throttled_authenticate(&forum, &limits, &login, &password, &ip)?;
        let token = forum.issue_token(user.id, TokenKind::Api)?;
        Ok::<_, WebError>((user, token))
    })
    .await
    .map_err(|_| WebError::Blocking)??;
    Ok(HttpResponse::Ok().json(json!({
        "token": token, "token_type": "Bearer",
        "expires_in": forum::API_TOKEN_TTL_MS / 1000, "user": user,
    })))
}

#[derive(Deserialize)]
struct RegisterRequest {
    username: String,
    email: String,
    password: String,
    display_name: Option<String>,
}

async fn register(state: web::Data<AppState>, body: web::Json<RegisterRequest>) -> ApiResult {
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled);
    }
    let b = body.into_inner();
    let user = state
        .call(move |f| {
            f.register(NewUser {
                username: b.username,
                email: b.email,
                password: Some(b.password),
                role: Role::Customer,
                display_name: b.display_name,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(user))
}

async fn me(caller: ApiCaller) -> ApiResult {
    let user = caller.require()?;
    Ok(HttpResponse::Ok().json(json!({ "user": user, "email": user.email })))
}

async fn user(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let id = id.into_inner();
    let viewer = caller.actor();
    let profile = state.call(move |f| f.profile(id, viewer)).await?;
    Ok(HttpResponse::Ok().json(profile))
}

async fn categories(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult {
    let viewer = caller.actor();
    let cats = state.call(move |f| f.categories(viewer)).await?;
    Ok(HttpResponse::Ok().json(json!({ "categories": cats })))
}

async fn create_category(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<forum::import::CategoryRecord>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let cat = state
        .call(move |f| f.create_category(actor, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(cat))
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

async fn category_threads(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let sort = ThreadSort::parse(q.sort.as_deref().unwrap_or(""))?;
    let Paging { page, per_page } = Paging::pages(q.page, q.per_page, PageLimits::LISTING)?;
    let viewer = caller.actor();
    let slug = slug.into_inner();
    let (category, threads) = state
        .call(move |f| f.threads(&slug, viewer, sort, page, per_page))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "category": category, "sort": sort.as_str(), "threads": threads.items,
        "page": threads.page, "per_page": threads.per_page, "total": threads.total,
    })))
}

async fn create_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewThread>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let input = body.into_inner();
    let page = state
        .call(move |f| {
            let id = f.create_thread(actor, input)?;
            f.thread(id, Some(actor), 1, 1, false)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/threads/{}", page.thread.id)))
        .json(page))
}

async fn thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let id = id.into_inner();
    let viewer = caller.actor();
    let Paging { page, per_page } =
        Paging::pages(q.page, q.per_page, PageLimits::LISTING.with_default(50))?;
    let t = state
        .call(move |f| f.thread(id, viewer, page, per_page, true))
        .await?;
    Ok(HttpResponse::Ok().json(t))
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
    let thread_id = id.into_inner();
    let post = state
        .call(move |f| {
            let post_id = f.reply(actor, thread_id, &body.body)?;
            f.post(post_id, Some(actor))
        })
        .await?;
    Ok(HttpResponse::Created().json(post))
}

#[derive(Deserialize)]
struct LockRequest {
    locked: bool,
}

async fn lock(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<LockRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.set_locked(actor, id, body.locked))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn unaccept(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.unaccept(actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
struct EditRequest {
    title: Option<String>,
    body: String,
}

async fn edit_post(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<EditRequest>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let revs = state
        .call(move |f| {
            f.edit_post(actor, id, body.title.as_deref(), &body.body)?;
            f.revisions(id, Some(actor))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "post_id": id, "revisions": revs.len() })))
}

async fn delete_post(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.delete_post(actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn revisions(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let viewer = caller.actor();
    let id = id.into_inner();
    let revs = state.call(move |f| f.revisions(id, viewer)).await?;
    Ok(HttpResponse::Ok().json(json!({ "revisions": revs })))
}

async fn set_vote(state: web::Data<AppState>, caller: ApiCaller, id: i64, on: bool) -> ApiResult {
    let actor = caller.require()?.actor();
    let kudos = state.call(move |f| f.vote(actor, id, on)).await?;
    Ok(HttpResponse::Ok().json(json!({ "post_id": id, "kudos": kudos, "voted": on })))
}

async fn vote(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    set_vote(state, caller, id.into_inner(), true).await
}

async fn unvote(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    set_vote(state, caller, id.into_inner(), false).await
}

async fn accept(state: web::Data<AppState>, caller: ApiCaller, id: web::Path<i64>) -> ApiResult {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let page = state
        .call(move |f| {
            f.accept(actor, id)?;
            let thread_id = f.thread_of_post(id, Some(actor))?;
            f.thread(thread_id, Some(actor), 1, 1, false)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": page.thread.id, "status": page.thread.status,
        "accepted_post_id": page.thread.accepted_post_id,
    })))
}

/// Unknown routes under /api answer in JSON too.
pub async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NoRoute)
}

pub fn not_found_err() -> WebError {
    WebError::Forum(ForumError::NotFound("resource"))
}
