//! The administration API under `/api/v1/admin`: members (list, one
//! member with their history), role and standing changes, staff password
//! resets, the staff audit log, and boards (create, change, archive,
//! reorder). Staff only; who may do which action is
//! the domain's decision (`forum::members`).

use actix_web::{web, HttpResponse, Responder};
use forum::members::{AuditFilter, MemberQuery};
use forum::{ForumError, PageLimits, Paging};
use serde::Deserialize;

use crate::api::types as t;
use crate::api::ApiResult;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes(r: &mut ApiRoutes) {
    r.add(__path_members, members)
        .add(__path_member, member)
        .add(__path_set_role, set_role)
        .add(__path_set_standing, set_standing)
        .add(__path_reset_password, reset_password)
        .add(__path_erase, erase)
        .add(__path_audit, audit)
        .add(__path_boards, boards)
        .add(__path_create_board, create_board)
        .add(__path_board, board)
        .add(__path_update_board, update_board)
        .add(__path_archive_board, archive_board)
        .add(__path_unarchive_board, unarchive_board)
        .add(__path_move_board, move_board);
}

#[derive(Deserialize)]
struct MembersQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    role: Option<t::Role>,
    #[serde(default)]
    status: Option<t::MemberStatus>,
    #[serde(default)]
    rank: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/admin/users",
    summary = "Members, newest first or by last seen or posts (moderators and admins)",
    params(
        ("q" = Option<String>, Query, description = "Part of the username, display name or email"),
        ("role" = inline(Option<t::Role>), Query),
        ("status" = inline(Option<t::MemberStatus>), Query),
        ("rank" = Option<String>, Query, description = "A rank's name: members at that rank now"),
        ("sort" = Option<String>, Query, description = "joined (default), seen or posts"),
        ("page" = Option<i64>, Query, minimum = 1),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "A page of members", body = t::MemberList))
)]
async fn members(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<MembersQuery>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let query = query.into_inner();
    if let Some(sort) = query.sort.as_deref() {
        if !["joined", "seen", "posts"].contains(&sort) {
            return Err(ForumError::validation("sort", "joined, seen or posts").into());
        }
    }
    let paging = Paging::pages(query.page, query.per_page, PageLimits::LISTING)?;
    let q = MemberQuery {
        q: query.q,
        role: query.role.map(Into::into),
        status: query.status.map(Into::into),
        rank: query.rank.filter(|r| !r.trim().is_empty()),
        sort: query.sort,
    };
    let (members, total) = state
        .call(move |f| f.members(Some(actor), &q, paging))
        .await?;
    Ok(web::Json(t::MemberList {
        members: members.into_iter().map(Into::into).collect(),
        total,
        page: paging.page,
        per_page: paging.per_page,
    }))
}

#[utoipa::path(
    get,
    path = "/admin/users/{id}",
    summary = "A member with their standing and the staff actions on them (moderators and admins)",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The member", body = t::MemberDetail))
)]
async fn member(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let (user, history, now, (reports_received, reports_given), (trust, addresses)) = state
        .call(move |f| {
            // Staff only, like the list (the audit read checks it too).
            let history = f.audit_log(
                Some(actor),
                &AuditFilter {
                    target_kind: Some("user".into()),
                    target_id: Some(id),
                    ..Default::default()
                },
                100,
            )?;
            Ok((
                f.user(id)?,
                history,
                f.now(),
                f.flag_counts(id)?,
                (f.trust_level(id)?, f.member_addresses(Some(actor), id)?),
            ))
        })
        .await?;
    // Agents and admins read CRM contacts; moderators are not told.
    let crm_contact = if matches!(actor.role, forum::Role::Agent | forum::Role::Admin)
        && state.crm(move |c| c.has_contact(actor, id)).await?
    {
        Some(format!("/api/v1/crm/contacts/{id}"))
    } else {
        None
    };
    Ok(web::Json(t::MemberDetail {
        member: t::Member::new(user, now),
        history: history.into_iter().map(Into::into).collect(),
        moderation: t::MemberModeration {
            trust: trust.into(),
            reports_received,
            reports_given,
            addresses: addresses.into_iter().map(Into::into).collect(),
        },
        crm_contact,
    }))
}

#[utoipa::path(
    put,
    path = "/admin/users/{id}/role",
    summary = "Give a member a role (admins; not your own). The member is told; audited",
    params(("id" = i64, Path, description = "User id")),
    request_body = t::RoleChange,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The member now", body = t::Member))
)]
async fn set_role(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::RoleChange>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let body = body.into_inner();
    let (user, now) = state
        .call(move |f| {
            Ok((
                f.set_role(Some(actor), id, body.role.into(), &body.reason)?,
                f.now(),
            ))
        })
        .await?;
    Ok(web::Json(t::Member::new(user, now)))
}

#[utoipa::path(
    put,
    path = "/admin/users/{id}/standing",
    summary = "Silence, suspend, ban or reinstate a member (moderators silence and reinstate customers; admins all). The member is told why; audited",
    params(("id" = i64, Path, description = "User id")),
    request_body = t::StandingChange,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The member now", body = t::Member))
)]
async fn set_standing(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::StandingChange>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let body = body.into_inner();
    let change = forum::members::StandingChange {
        status: body.status.into(),
        for_days: body.for_days,
        reason: body.reason,
    };
    let (user, now) = state
        .call(move |f| Ok((f.set_standing(Some(actor), id, &change)?, f.now())))
        .await?;
    Ok(web::Json(t::Member::new(user, now)))
}

#[utoipa::path(
    post,
    path = "/admin/users/{id}/password-reset",
    summary = "Mail a member a single-use password reset link, or return it when mail is off (admins). Audited",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 201, description = "Issued", body = t::PasswordResetIssued))
)]
async fn reset_password(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let by_mail = state.config.mail.transport != "none";
    let link = state
        .call(move |f| f.staff_password_reset(Some(actor), id, by_mail))
        .await?;
    let base = state.config.public_url.trim_end_matches('/').to_owned();
    Ok(HttpResponse::Created().json(t::PasswordResetIssued {
        mailed: link.is_none(),
        link: link.map(|path| format!("{base}{path}")),
    }))
}

#[utoipa::path(
    post,
    path = "/admin/users/{id}/erase",
    summary = "Erase a member's personal data for good (admins; GDPR). Posts stay, as \"Deleted member\". Audited",
    params(("id" = i64, Path, description = "User id")),
    request_body = t::EraseRequest,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 204, description = "Erased"))
)]
async fn erase(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::EraseRequest>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let confirm = body.into_inner().confirm;
    state
        .call(move |f| f.erase_member(Some(actor), id, &confirm))
        .await?;
    Ok(crate::api::no_content())
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    actor_id: Option<i64>,
    #[serde(default)]
    target_kind: Option<String>,
    #[serde(default)]
    target_id: Option<i64>,
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/admin/audit",
    summary = "The staff audit log, newest first (moderators and admins)",
    params(
        ("action" = Option<String>, Query, description = "e.g. member.standing"),
        ("actor_id" = Option<i64>, Query),
        ("target_kind" = Option<String>, Query, description = "e.g. user"),
        ("target_id" = Option<i64>, Query),
        ("before" = Option<i64>, Query, description = "Entries with a smaller id (the next page)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Default 100"),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Entries", body = t::AuditLog))
)]
async fn audit(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<AuditQuery>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ForumError::validation("limit", "between 1 and 1000").into());
    }
    let filter = AuditFilter {
        actor_id: q.actor_id,
        action: q.action,
        target_kind: q.target_kind,
        target_id: q.target_id,
        before_id: q.before,
    };
    let entries = state
        .call(move |f| f.audit_log(Some(actor), &filter, limit))
        .await?;
    Ok(web::Json(t::AuditLog {
        entries: entries.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/admin/boards",
    summary = "Every board with its settings, archived ones too, in list order (moderators and admins)",
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The boards", body = t::BoardList))
)]
async fn boards(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let (boards, ranks) = state
        .call(move |f| Ok((f.boards_for_staff(Some(actor))?, f.rank_names())))
        .await?;
    Ok(web::Json(t::BoardList {
        boards: boards.into_iter().map(Into::into).collect(),
        ranks,
    }))
}

#[utoipa::path(
    post,
    path = "/admin/boards",
    summary = "Create a board (admins). Audited",
    request_body = t::NewBoard,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "Created", body = t::Board))
)]
async fn create_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::NewBoard>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let new = body.into_inner().into();
    let board = state
        .call(move |f| f.create_board(Some(actor), new))
        .await?;
    Ok(HttpResponse::Created().json(t::Board::from(board)))
}

#[utoipa::path(
    get,
    path = "/admin/boards/{slug}",
    summary = "One board with its settings (moderators and admins)",
    params(("slug" = String, Path, description = "Board slug")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The board", body = t::Board))
)]
async fn board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let board = state
        .call(move |f| f.board_for_staff(Some(actor), &slug))
        .await?;
    Ok(web::Json(t::Board::from(board)))
}

#[utoipa::path(
    patch,
    path = "/admin/boards/{slug}",
    summary = "Rename, describe or change a board's settings or position (admins). Audited",
    params(("slug" = String, Path, description = "Board slug")),
    request_body = t::BoardChange,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The board now", body = t::Board))
)]
async fn update_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::BoardChange>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let change = body.into_inner().into();
    let board = state
        .call(move |f| f.update_board(Some(actor), &slug, change))
        .await?;
    Ok(web::Json(t::Board::from(board)))
}

#[utoipa::path(
    post,
    path = "/admin/boards/{slug}/archive",
    summary = "Archive a board: read-only, off the board list, its threads still readable (admins). Audited",
    params(("slug" = String, Path, description = "Board slug")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The board now", body = t::Board))
)]
async fn archive_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let board = state
        .call(move |f| f.set_board_archived(Some(actor), &slug, true))
        .await?;
    Ok(web::Json(t::Board::from(board)))
}

#[utoipa::path(
    post,
    path = "/admin/boards/{slug}/unarchive",
    summary = "Open an archived board again (admins). Audited",
    params(("slug" = String, Path, description = "Board slug")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The board now", body = t::Board))
)]
async fn unarchive_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let board = state
        .call(move |f| f.set_board_archived(Some(actor), &slug, false))
        .await?;
    Ok(web::Json(t::Board::from(board)))
}

#[utoipa::path(
    post,
    path = "/admin/boards/{slug}/move",
    summary = "Move a board one place up or down the list (admins). Audited",
    params(("slug" = String, Path, description = "Board slug")),
    request_body = t::BoardMove,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The board now", body = t::Board))
)]
async fn move_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::BoardMove>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let direction = body.into_inner().direction.into();
    let board = state
        .call(move |f| f.move_board(Some(actor), &slug, direction))
        .await?;
    Ok(web::Json(t::Board::from(board)))
}
