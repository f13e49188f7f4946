//! JSON API of the idea exchange (issue 17): ideas boards, the ideas list
//! with its sorts and filters, an idea, submitting, voting and withdrawing,
//! status changes and their history, voters (staff), and similar ideas.

use actix_web::{web, HttpResponse, Responder};
use forum::ideas::{IdeaQuery, IdeaSort, StatusKind};
use serde::Deserialize;

use crate::api::types as t;
use crate::api::{created, ApiResult};
use crate::error::WebError;
use crate::openapi::{ApiRoutes, Auth, Common, JsonBody, OptionalAuth};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes(r: &mut ApiRoutes) {
    r.add(__path_idea_boards, idea_boards)
        .add(__path_similar_ideas, similar_ideas)
        .add(__path_list_ideas, list_ideas)
        .add(__path_create_idea, create_idea)
        .add(__path_idea, idea)
        .add(__path_vote_idea, vote_idea)
        .add(__path_unvote_idea, unvote_idea)
        .add(__path_change_idea_status, change_idea_status)
        .add(__path_idea_history, idea_history)
        .add(__path_idea_voters, idea_voters)
        .add(__path_idea_breakdown, idea_breakdown)
        .add(__path_merge_idea, merge_idea)
        .add(__path_unmerge_idea, unmerge_idea)
        .add(__path_set_product_area, set_product_area)
        .add(__path_update_idea_board, update_idea_board)
        .add(__path_add_board_status, add_board_status)
        .add(__path_edit_board_status, edit_board_status)
        .add(__path_remove_board_status, remove_board_status);
}

#[utoipa::path(
    get,
    path = "/ideas/boards",
    summary = "The ideas boards the caller sees, with their voting rules and statuses",
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Ideas boards", body = t::IdeaBoardList))
)]
async fn idea_boards(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<web::Json<t::IdeaBoardList>> {
    let viewer = caller.actor();
    let boards = state.call(move |f| f.idea_boards(viewer)).await?;
    Ok(web::Json(t::IdeaBoardList {
        boards: boards.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize)]
struct SimilarQuery {
    title: Option<String>,
    description: Option<String>,
}

#[utoipa::path(
    get,
    path = "/ideas/similar",
    summary = "Existing ideas like one being written (the multilingual similar search, kept to the ideas boards; at most 5), to vote for instead of submitting a duplicate",
    params(
        ("title" = Option<String>, Query, description = "The idea's title so far"),
        ("description" = Option<String>, Query, description = "Its description so far"),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Similar ideas", body = t::IdeaList))
)]
async fn similar_ideas(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<SimilarQuery>,
) -> ApiResult<web::Json<t::IdeaList>> {
    let actor = caller.require()?.actor();
    let q = q.into_inner();
    let ideas = crate::ideas_pages::similar_ideas(
        &state,
        actor,
        q.title.as_deref().unwrap_or(""),
        q.description.as_deref().unwrap_or(""),
    )
    .await;
    let total = ideas.len() as i64;
    Ok(web::Json(t::IdeaList {
        ideas: ideas.into_iter().map(Into::into).collect(),
        page: 1,
        per_page: 5,
        total,
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    board: Option<String>,
    sort: Option<String>,
    status_kind: Option<t::IdeaStatusKind>,
    tag: Option<String>,
    product_area: Option<String>,
    mine: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/ideas",
    summary = "Ideas, sorted and filtered, one page",
    params(
        ("board" = Option<String>, Query, description = "One ideas board (slug); default every ideas board the caller sees"),
        ("sort" = Option<String>, Query, description = "trending (votes cast today and in the 13 days before, UTC; default), top, newest, status (recently updated status), score (CRM-weighted; staff)"),
        ("status_kind" = Option<t::IdeaStatusKind>, Query, description = "Only ideas whose status is of this kind"),
        ("tag" = Option<String>, Query, description = "Only ideas with this tag"),
        ("product_area" = Option<String>, Query, description = "Only ideas of this product area"),
        ("mine" = Option<bool>, Query, description = "Only ideas the caller voted for (none without a token)"),
        ("page" = Option<i64>, Query, minimum = 1, description = "Default 1"),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 100, description = "Default 20"),
    ),
    security((), ("bearer" = [])),
    responses(
        Common,
        OptionalAuth,
        (status = 200, description = "Ideas", body = t::IdeaList),
        (status = 403, description = "Sorting by score is for staff (code forbidden)", body = crate::error::ErrorBody),
    )
)]
async fn list_ideas(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<ListQuery>,
) -> ApiResult<web::Json<t::IdeaList>> {
    let viewer = caller.actor();
    let q = q.into_inner();
    let sort = match q.sort.as_deref() {
        None => IdeaSort::default(),
        Some(s) => IdeaSort::parse(s).ok_or_else(|| {
            WebError::Forum(forum::ForumError::invalid(
                "sort",
                forum::Rule::OneOf {
                    choices: "trending, top, newest, status, score".into(),
                },
                "one of trending, top, newest, status, score",
            ))
        })?,
    };
    let query = IdeaQuery {
        board: q.board,
        sort,
        status_kind: q.status_kind.map(StatusKind::from),
        tag: q.tag,
        product_area: q.product_area,
        voted_by_me: q.mine.unwrap_or(false),
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(20),
    };
    let page = state.call(move |f| f.ideas(viewer, &query)).await?;
    Ok(web::Json(t::IdeaList {
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        ideas: page.items.into_iter().map(Into::into).collect(),
    }))
}

async fn detail(
    state: &AppState,
    viewer: Option<forum::Actor>,
    id: i64,
) -> ApiResult<t::IdeaDetail> {
    let (idea, page) = state
        .call(move |f| Ok((f.idea(id, viewer)?, f.thread(id, viewer, 1, 1, false)?)))
        .await?;
    Ok(t::IdeaDetail {
        idea: idea.summary.into(),
        description_html: page.question.body_html,
        board: idea.board.into(),
        can_vote: idea.can_vote,
        votes_used: idea.votes_used,
        history: idea.history.into_iter().map(Into::into).collect(),
        merged_into: idea.merged_into,
        merged_here: idea.merged_here.into_iter().map(|(id, _)| id).collect(),
    })
}

#[utoipa::path(
    post,
    path = "/ideas",
    summary = "Submit an idea to an ideas board (held for review like any thread when the board or the member's standing says so)",
    request_body = t::NewIdea,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "The idea", body = t::IdeaDetail))
)]
async fn create_idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<t::NewIdea>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let new: forum::ideas::NewIdea = body.into_inner().into();
    let submitted = state
        .call(move |f| f.submit_idea(actor, new, &Default::default()))
        .await?;
    Ok(created(
        detail(&state, Some(actor), submitted.thread_id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/ideas/{id}",
    summary = "An idea with its board's rules, its status history and what the caller may do",
    params(("id" = i64, Path, description = "The idea's id")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "The idea", body = t::IdeaDetail))
)]
async fn idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaDetail>> {
    Ok(web::Json(
        detail(&state, caller.actor(), id.into_inner()).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/ideas/{id}/vote",
    summary = "Vote for an idea (a second vote is the first)",
    params(("id" = i64, Path, description = "The idea's id")),
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        (status = 200, description = "The votes now", body = t::IdeaVote),
        (status = 409, description = "The idea is closed, or every vote of the board's budget is in use (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn vote_idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaVote>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let out = state.call(move |f| f.vote_idea(actor, id)).await?;
    Ok(web::Json(out.into()))
}

#[utoipa::path(
    delete,
    path = "/ideas/{id}/vote",
    summary = "Withdraw the caller's vote (nothing changes without one)",
    params(("id" = i64, Path, description = "The idea's id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The votes now", body = t::IdeaVote))
)]
async fn unvote_idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaVote>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let out = state.call(move |f| f.unvote_idea(actor, id)).await?;
    Ok(web::Json(out.into()))
}

#[utoipa::path(
    post,
    path = "/ideas/{id}/status",
    summary = "Move an idea to another status of its board with a public note (staff). Kept in the history; voters, the author, commenters and watchers are told once",
    params(("id" = i64, Path, description = "The idea's id")),
    request_body = t::NewIdeaStatus,
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        JsonBody,
        (status = 200, description = "The change", body = t::IdeaStatusChange),
        (status = 409, description = "The idea already has this status (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn change_idea_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::NewIdeaStatus>,
) -> ApiResult<web::Json<t::IdeaStatusChange>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let body = body.into_inner();
    let change = state
        .call(move |f| {
            f.change_idea_status_with_link(actor, id, &body.status, &body.note, &body.link)
        })
        .await?;
    Ok(web::Json(change.into()))
}

#[utoipa::path(
    get,
    path = "/ideas/{id}/history",
    summary = "An idea's status changes, oldest first: who, when, from, to, and the note",
    params(("id" = i64, Path, description = "The idea's id")),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "The history", body = t::IdeaHistory))
)]
async fn idea_history(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaHistory>> {
    let viewer = caller.actor();
    let id = id.into_inner();
    let changes = state.call(move |f| f.idea_history(id, viewer)).await?;
    Ok(web::Json(t::IdeaHistory {
        changes: changes.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/ideas/{id}/voters",
    summary = "Who voted for an idea, newest first (staff)",
    params(("id" = i64, Path, description = "The idea's id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "Voters", body = t::IdeaVoterList))
)]
async fn idea_voters(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let list = state.call(move |f| f.idea_voters(Some(actor), id)).await?;
    Ok(HttpResponse::Ok().json(t::IdeaVoterList {
        voters: list
            .into_iter()
            .map(|v| t::IdeaVoter {
                user: v.user.into(),
                at: v.at,
            })
            .collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/ideas/{id}/merge",
    summary = "Merge this idea into another (staff): its votes move (a member who voted on both counts once), it leaves the lists and refuses votes, its comments stay readable. Logged; undone by unmerge",
    params(("id" = i64, Path, description = "The idea to merge")),
    request_body = t::IdeaMerge,
    security(("bearer" = [])),
    responses(
        Common,
        Auth,
        JsonBody,
        (status = 200, description = "The idea merged into, now", body = t::IdeaDetail),
        (status = 409, description = "One of the two is merged already (code conflict)", body = crate::error::ErrorBody),
    )
)]
async fn merge_idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::IdeaMerge>,
) -> ApiResult<web::Json<t::IdeaDetail>> {
    let actor = caller.require()?.actor();
    let (from, into) = (id.into_inner(), body.into);
    state.call(move |f| f.merge_idea(actor, from, into)).await?;
    Ok(web::Json(detail(&state, Some(actor), into).await?))
}

#[utoipa::path(
    post,
    path = "/ideas/{id}/unmerge",
    summary = "Undo this idea's last merge (staff): its own votes come back exactly. Logged",
    params(("id" = i64, Path, description = "The merged idea")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The idea, unmerged", body = t::IdeaDetail))
)]
async fn unmerge_idea(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaDetail>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    state.call(move |f| f.unmerge_idea(actor, id)).await?;
    Ok(web::Json(detail(&state, Some(actor), id).await?))
}

#[utoipa::path(
    get,
    path = "/ideas/{id}/breakdown",
    summary = "Who is behind an idea's votes in the CRM: by customer segment, lifecycle stage and company (each company once), and the weighted score (staff)",
    params(("id" = i64, Path, description = "The idea's id")),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The breakdown", body = t::IdeaBreakdown))
)]
async fn idea_breakdown(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<t::IdeaBreakdown>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let b = state
        .call(move |f| f.idea_breakdown(Some(actor), id))
        .await?;
    Ok(web::Json(b.into()))
}

#[utoipa::path(
    patch,
    path = "/ideas/{id}",
    summary = "Change an idea's product area (its author or staff)",
    params(("id" = i64, Path, description = "The idea's id")),
    request_body = t::IdeaProductArea,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The idea, changed", body = t::IdeaDetail))
)]
async fn set_product_area(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: web::Json<t::IdeaProductArea>,
) -> ApiResult<web::Json<t::IdeaDetail>> {
    let actor = caller.require()?.actor();
    let id = id.into_inner();
    let area = body.into_inner().product_area;
    state
        .call(move |f| f.set_idea_product_area(actor, id, &area))
        .await?;
    Ok(web::Json(detail(&state, Some(actor), id).await?))
}

#[utoipa::path(
    patch,
    path = "/ideas/boards/{slug}",
    summary = "Change an ideas board's voting rules: the active-vote budget, self-votes, segment weights (admins). Audited",
    params(("slug" = String, Path, description = "The board's slug")),
    request_body = t::IdeaBoardSettings,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The board", body = t::IdeaBoard))
)]
async fn update_idea_board(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::IdeaBoardSettings>,
) -> ApiResult<web::Json<t::IdeaBoard>> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let change = body.into_inner().into();
    let board = state
        .call(move |f| f.update_idea_board(Some(actor), &slug, change))
        .await?;
    Ok(web::Json(board.into()))
}

#[utoipa::path(
    post,
    path = "/ideas/boards/{slug}/statuses",
    summary = "Add a status to an ideas board, last in its order (admins). Audited",
    params(("slug" = String, Path, description = "The board's slug")),
    request_body = t::NewBoardStatus,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 201, description = "The board", body = t::IdeaBoard))
)]
async fn add_board_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: web::Json<t::NewBoardStatus>,
) -> ApiResult<impl Responder> {
    let actor = caller.require()?.actor();
    let slug = slug.into_inner();
    let b = body.into_inner();
    let new = forum::ideas::NewStatus {
        slug: b.slug,
        name: b.name,
        kind: b.kind.into(),
        colour: b.colour,
    };
    let board = state
        .call(move |f| f.add_idea_status(Some(actor), &slug, new))
        .await?;
    Ok(created(t::IdeaBoard::from(board)))
}

#[utoipa::path(
    patch,
    path = "/ideas/boards/{slug}/statuses/{status}",
    summary = "Rename, recolour, re-kind or move a status of an ideas board (admins); ideas keep it and their history keeps the old names. Audited",
    params(
        ("slug" = String, Path, description = "The board's slug"),
        ("status" = String, Path, description = "The status's slug"),
    ),
    request_body = t::BoardStatusEdit,
    security(("bearer" = [])),
    responses(Common, Auth, JsonBody, (status = 200, description = "The board", body = t::IdeaBoard))
)]
async fn edit_board_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
    body: web::Json<t::BoardStatusEdit>,
) -> ApiResult<web::Json<t::IdeaBoard>> {
    let actor = caller.require()?.actor();
    let (slug, status) = path.into_inner();
    let edit = body.into_inner().into();
    let board = state
        .call(move |f| f.edit_idea_status(Some(actor), &slug, &status, edit))
        .await?;
    Ok(web::Json(board.into()))
}

#[derive(Deserialize)]
struct RemoveStatusQuery {
    move_to: String,
}

#[utoipa::path(
    delete,
    path = "/ideas/boards/{slug}/statuses/{status}",
    summary = "Remove a status from an ideas board (admins): its ideas move to another status of the board. Audited",
    params(
        ("slug" = String, Path, description = "The board's slug"),
        ("status" = String, Path, description = "The status to remove"),
        ("move_to" = String, Query, description = "The status its ideas move to"),
    ),
    security(("bearer" = [])),
    responses(Common, Auth, (status = 200, description = "The board", body = t::IdeaBoard))
)]
async fn remove_board_status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
    q: web::Query<RemoveStatusQuery>,
) -> ApiResult<web::Json<t::IdeaBoard>> {
    let actor = caller.require()?.actor();
    let (slug, status) = path.into_inner();
    let move_to = q.into_inner().move_to;
    let board = state
        .call(move |f| f.remove_idea_status(Some(actor), &slug, &status, &move_to))
        .await?;
    Ok(web::Json(board.into()))
}
