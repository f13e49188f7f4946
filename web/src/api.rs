//! The JSON API under /api/v1. Handlers only parse, call `forum`, and shape
//! the answer; errors go through `WebError`.

use actix_web::http::StatusCode;
use actix_web::{web, CustomizeResponder, HttpResponse, Responder};
use forum::{ForumError, NewUser, PageLimits, Paging, Role, ThreadSort, TokenKind};
use serde::Deserialize;

use crate::error::WebError;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody, OptionalAuth};
use crate::session::ApiCaller;
use crate::AppState;

pub mod types;

use types as t;

pub type ApiResult<T> = Result<T, WebError>;

/// A 201 with its body.
pub fn created<T: serde::Serialize>(body: T) -> CustomizeResponder<web::Json<T>> {
    web::Json(body).customize().with_status(StatusCode::CREATED)
}

/// A 204.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

pub fn routes(r: &mut ApiRoutes) {
    r.add(
        crate::openapi::__path_serve_document,
        crate::openapi::serve_document,
    )
    .add(__path_token, token)
    .add(__path_register, register)
    .add(__path_me, me)
    .add(__path_set_time_zone, set_time_zone)
    .add(__path_resend_confirmation, resend_confirmation)
    .add(__path_user, user)
    .add(__path_categories, categories)
    .add(__path_create_category, create_category)
    .add(__path_category_threads, category_threads)
    .add(__path_create_thread, create_thread)
    .add(__path_thread, thread)
    .add(__path_reply, reply)
    .add(__path_lock, lock)
    .add(__path_unaccept, unaccept)
    .add(__path_edit_post, edit_post)
    .add(__path_delete_post, delete_post)
    .add(__path_revisions, revisions)
    .add(__path_vote, vote)
    .add(__path_unvote, unvote)
    .add(__path_accept, accept);
}

#[utoipa::path(
    post,
    path = "/auth/token",
    summary = "Exchange username/email and password for a bearer token",
    description = "Failed sign-ins are throttled per account and address (429 with Retry-After). Refused with 403 when password sign-in is turned off (single sign-on only).",
    request_body = t::TokenRequest,
    responses(
        Common,
        JsonBody,
        (status = 200, description = "Token issued", body = t::TokenResponse),
        (status = 401, description = "Wrong login or password (code bad_credentials)", body = crate::error::ErrorBody),
        (status = 403, description = "Password sign-in is turned off here (code password_login_disabled), or the account is suspended or banned (code suspended)", body = crate::error::ErrorBody),
        (status = 429, description = "Too many failed sign-ins (code too_many_attempts)", body = crate::error::ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds to wait"))),
    )
)]
async fn token(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<t::TokenRequest>,
) -> ApiResult<web::Json<t::TokenResponse>> {
    if !state.config.sso.password_login {
        return Err(WebError::PasswordLoginDisabled);
    }
    let t::TokenRequest { login, password } = body.into_inner();
    let ip = crate::client_addr::of(&req);
    let limits = state.config.login.clone();
    let forum = state.forum.clone();
    let (user, token) = web::block(move || {
        let user = crate::session::throttled_authenticate(&forum, &limits, &login, &password, &ip)?;
        let token = forum.issue_token(user.id, TokenKind::Api)?;
        Ok::<_, WebError>((user, token))
    })
    .await
    .map_err(|_| WebError::Blocking)??;
    Ok(web::Json(t::TokenResponse {
        token,
        token_type: t::TokenType::Bearer,
        expires_in: forum::API_TOKEN_TTL_MS / 1000,
        user: user.into(),
    }))
}

#[utoipa::path(
    post,
    path = "/users",
    summary = "Register a customer account",
    request_body = t::RegisterRequest,
    responses(
        Common,
        JsonBody,
        (status = 201, description = "Account created", body = t::User),
        (status = 403, description = "Password sign-up is turned off here (code password_login_disabled), or registration is invite-only or single sign-on only (code forbidden, the message says which)", body = crate::error::ErrorBody),
        (status = 409, description = "The username or email is taken", body = crate::error::ErrorBody),
    )
)]
async fn register(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<t::RegisterRequest>,
) -> ApiResult<impl Responder> {
    // `registration.mode` (a live setting) and `[sso] password_login`.
    if let Some(refusal) = state.live.get().registration_refusal(&state.config) {
        return Err(refusal);
    }
    let b = body.into_inner();
    forum::validate::email_domain_allowed(
        &b.email,
        &state.config.registration.refused_email_domains,
    )?;
    let address = crate::client_addr::of(&req);
    let user = state
        .call(move |f| {
            let user = f.register(NewUser {
                language: None,
                username: b.username,
                email: b.email,
                password: Some(b.password),
                role: Role::Customer,
                display_name: b.display_name,
            })?;
            f.record_member_address(user.id, &address)?;
            Ok(user)
        })
        .await?;
    Ok(created(t::User::from(user)))
}

#[utoipa::path(
    get,
    path = "/me",
    summary = "The caller's own account",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The caller", body = t::Me))
)]
async fn me(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<web::Json<t::Me>> {
    let user = caller.require()?.clone();
    Ok(web::Json(own_account(&state, user)))
}

/// `GET /me`'s answer for `user`.
fn own_account(state: &AppState, user: forum::User) -> t::Me {
    t::Me {
        email: user.email.clone(),
        email_confirmation_pending: state.forum.must_confirm_email(&user),
        time_zone: user.time_zone.clone(),
        user: user.into(),
    }
}

#[utoipa::path(
    put,
    path = "/me/time-zone",
    summary = "Choose the time zone pages write absolute times in",
    description = "An IANA name the server's bundled time-zone database knows (`Europe/Kyiv`, `America/New_York`, `Asia/Tehran`; any case, stored in its canonical spelling), or null or blank for none (UTC). An unknown name is refused (422, code validation_failed, field time_zone). Times in the API stay unix milliseconds.",
    request_body = t::TimeZoneChoice,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Saved; your account as `GET /me` shows it", body = t::Me))
)]
async fn set_time_zone(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::TimeZoneChoice>,
) -> ApiResult<web::Json<t::Me>> {
    let user_id = caller.require()?.id;
    let zone = body.into_inner().time_zone.unwrap_or_default();
    let user = state.call(move |f| f.set_time_zone(user_id, &zone)).await?;
    Ok(web::Json(own_account(&state, user)))
}

#[utoipa::path(
    post,
    path = "/me/confirm-email/resend",
    summary = "Mail a fresh link that confirms your email address",
    description = "Posting waits for the confirmation of your address when the site asks for it (code `email_unconfirmed`). Each call mails a new single-use link, valid three days; earlier links keep working until one is used.",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 202, description = "Done (see `sent`)", body = t::ConfirmationResent))
)]
async fn resend_confirmation(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<HttpResponse> {
    let user_id = caller.require()?.id;
    let sent = state
        .call(move |f| f.resend_email_confirmation(user_id))
        .await?;
    Ok(HttpResponse::Accepted().json(t::ConfirmationResent { sent }))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    summary = "A user's public profile",
    params(("id" = i64, Path, description = "User id")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Profile", body = t::Profile))
)]
async fn user(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::Profile>> {
    let id = id.into_inner();
    let viewer = caller.actor();
    let profile = state.call(move |f| f.profile(id, viewer)).await?;
    Ok(web::Json(profile.into()))
}

#[utoipa::path(
    get,
    path = "/categories",
    summary = "Boards visible to the caller",
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Boards", body = t::CategoryList))
)]
async fn categories(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::CategoryList>> {
    let viewer = caller.actor();
    let cats = state.call(move |f| f.categories(viewer)).await?;
    Ok(web::Json(t::CategoryList {
        categories: cats.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/categories",
    summary = "Create a board (admin)",
    request_body = t::NewCategory,
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        JsonBody,
        (status = 201, description = "Board created", body = t::Category),
        (status = 409, description = "The slug is taken", body = crate::error::ErrorBody),
    )
)]
async fn create_category(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::NewCategory>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let record = body.into_inner().into();
    let cat = state
        .call(move |f| f.create_category(actor, record))
        .await?;
    Ok(created(t::Category::from(cat)))
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

#[utoipa::path(
    get,
    path = "/categories/{slug}/threads",
    summary = "Threads in a board",
    params(
        ("slug" = String, Path, description = "The board's slug"),
        ("sort" = inline(Option<t::ThreadSort>), Query, description = "Default latest (most recent activity first)"),
        ("page" = Option<i64>, Query, minimum = 1, description = "1-based; default 1"),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 20"),
    ),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "A page of threads", body = t::ThreadList))
)]
async fn category_threads(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult<web::Json<t::ThreadList>> {
    let sort = ThreadSort::parse(q.sort.as_deref().unwrap_or(""))?;
    let Paging { page, per_page } = Paging::pages(q.page, q.per_page, PageLimits::LISTING)?;
    let viewer = caller.actor();
    let slug = slug.into_inner();
    let (category, threads) = state
        .call(move |f| f.threads(&slug, viewer, sort, page, per_page))
        .await?;
    Ok(web::Json(t::ThreadList {
        category: category.into(),
        sort: sort.into(),
        threads: threads.items.into_iter().map(Into::into).collect(),
        page: threads.page,
        per_page: threads.per_page,
        total: threads.total,
    }))
}

#[utoipa::path(
    post,
    path = "/threads",
    summary = "Ask a question",
    request_body = t::NewThread,
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        JsonBody,
        (status = 201, description = "Thread created: the thread with its question", body = t::Thread,
            headers(("Location" = String, description = "The thread's API path"))),
        (status = 202, description = "Saved and held for review (new-member limits or the board's pre-moderation): the thread as its author sees it, with `held_for_review` (code held_for_review) and the reasons", body = t::Thread,
            headers(("Location" = String, description = "The thread's API path"))),
    )
)]
async fn create_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: actix_web::HttpRequest,
    body: web::Json<t::NewThread>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let input = body.into_inner().into();
    let origin = crate::spam_check::origin_of(&req);
    let (page, held) = state
        .call(move |f| {
            let submitted = f.submit_thread_from(actor, input, &origin)?;
            Ok((
                f.thread(submitted.thread_id, Some(actor), 1, 1, false)?,
                submitted.held,
            ))
        })
        .await?;
    let location = format!("/api/v1/threads/{}", page.thread.id);
    let mut body = t::Thread::from(page);
    let status = if held.is_empty() {
        StatusCode::CREATED
    } else {
        body.held_for_review = Some(t::HeldForReview::new(held));
        StatusCode::ACCEPTED
    };
    Ok(web::Json(body)
        .customize()
        .with_status(status)
        .insert_header(("Location", location)))
}

#[utoipa::path(
    get,
    path = "/threads/{id}",
    summary = "A thread with its question and a page of replies",
    description = "Counts a view.",
    params(
        ("id" = i64, Path, description = "Thread id"),
        ("page" = Option<i64>, Query, minimum = 1, description = "Page of replies, 1-based; default 1"),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Replies per page; default 50"),
    ),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Thread", body = t::Thread))
)]
async fn thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    q: web::Query<ListQuery>,
) -> ApiResult<web::Json<t::Thread>> {
    let id = id.into_inner();
    let viewer = caller.actor();
    let Paging { page, per_page } =
        Paging::pages(q.page, q.per_page, PageLimits::LISTING.with_default(50))?;
    let page = state
        .call(move |f| f.thread(id, viewer, page, per_page, true))
        .await?;
    Ok(web::Json(page.into()))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/posts",
    summary = "Reply to a thread",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = t::NewReply,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody,
        (status = 201, description = "Reply created", body = t::Post),
        (status = 202, description = "Saved and held for review: the reply as its author sees it, with `held_for_review` (code held_for_review) and the reasons", body = t::Post),
    )
)]
async fn reply(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: actix_web::HttpRequest,
    id: web::Path<i64>,
    body: web::Json<t::NewReply>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let thread_id = id.into_inner();
    let origin = crate::spam_check::origin_of(&req);
    let (post, held) = state
        .call(move |f| {
            let submitted = f.submit_reply_from(actor, thread_id, &body.body, &origin)?;
            Ok((f.post(submitted.post_id, Some(actor))?, submitted.held))
        })
        .await?;
    let mut body = t::Post::from(post);
    let status = if held.is_empty() {
        StatusCode::CREATED
    } else {
        body.held_for_review = Some(t::HeldForReview::new(held));
        StatusCode::ACCEPTED
    };
    Ok(web::Json(body).customize().with_status(status))
}

#[utoipa::path(
    post,
    path = "/threads/{id}/lock",
    summary = "Lock or unlock a thread (moderator)",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = t::LockRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Done"))
)]
async fn lock(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::LockRequest>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state
        .call(move |f| f.set_locked(actor, id, body.locked))
        .await?;
    Ok(no_content())
}

#[utoipa::path(
    delete,
    path = "/threads/{id}/accept",
    summary = "Withdraw the accepted solution (asker or moderator)",
    params(("id" = i64, Path, description = "Thread id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 204, description = "Done"))
)]
async fn unaccept(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.unaccept(actor, id)).await?;
    Ok(no_content())
}

#[utoipa::path(
    patch,
    path = "/posts/{id}",
    summary = "Edit a post (author, moderator, or a rank that may edit); keeps a revision",
    params(("id" = i64, Path, description = "Post id")),
    request_body = t::PostEdit,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "Edited", body = t::EditResult))
)]
async fn edit_post(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::PostEdit>,
) -> ApiResult<web::Json<t::EditResult>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let revs = state
        .call(move |f| {
            f.edit_post(actor, id, body.title.as_deref(), &body.body)?;
            f.revisions(id, Some(actor))
        })
        .await?;
    Ok(web::Json(t::EditResult {
        post_id: id,
        revisions: revs.len(),
    }))
}

#[utoipa::path(
    delete,
    path = "/posts/{id}",
    summary = "Soft-delete a post (moderator)",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 204, description = "Deleted"))
)]
async fn delete_post(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.delete_post(actor, id)).await?;
    Ok(no_content())
}

#[utoipa::path(
    get,
    path = "/posts/{id}/revisions",
    operation_id = "post_revisions",
    summary = "A post's edit history",
    params(("id" = i64, Path, description = "Post id")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Revisions, oldest first", body = t::RevisionList))
)]
async fn revisions(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::RevisionList>> {
    let viewer = caller.actor();
    let id = id.into_inner();
    let revs = state.call(move |f| f.revisions(id, viewer)).await?;
    Ok(web::Json(t::RevisionList {
        revisions: revs.into_iter().map(Into::into).collect(),
    }))
}

async fn set_vote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: i64,
    on: bool,
) -> ApiResult<web::Json<t::VoteResult>> {
    let actor = caller.require()?.actor();
    let kudos = state.call(move |f| f.vote(actor, id, on)).await?;
    Ok(web::Json(t::VoteResult {
        post_id: id,
        kudos,
        voted: on,
    }))
}

#[utoipa::path(
    post,
    path = "/posts/{id}/vote",
    summary = "Give a kudo (not to your own post)",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "New kudo count", body = t::VoteResult))
)]
async fn vote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::VoteResult>> {
    set_vote(state, caller, id.into_inner(), true).await
}

#[utoipa::path(
    delete,
    path = "/posts/{id}/vote",
    summary = "Withdraw your kudo",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "New kudo count", body = t::VoteResult))
)]
async fn unvote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::VoteResult>> {
    set_vote(state, caller, id.into_inner(), false).await
}

#[utoipa::path(
    post,
    path = "/posts/{id}/accept",
    summary = "Accept a reply as the solution (asker or moderator)",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Thread is solved", body = t::AcceptResult))
)]
async fn accept(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::AcceptResult>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let page = state
        .call(move |f| {
            f.accept(actor, id)?;
            let thread_id = f.thread_of_post(id, Some(actor))?;
            f.thread(thread_id, Some(actor), 1, 1, false)
        })
        .await?;
    Ok(web::Json(t::AcceptResult {
        thread_id: page.thread.id,
        status: page.thread.status.into(),
        accepted_post_id: page.thread.accepted_post_id,
    }))
}

/// Unknown routes under /api answer in JSON too.
pub async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NoRoute)
}

pub fn not_found_err() -> WebError {
    WebError::Forum(ForumError::NotFound("resource"))
}
