//! The idea exchange's pages (issue 17): the ideas boards, a board's ideas
//! with sorts and filters, submitting an idea, an idea with its votes,
//! status timeline and comments, the status change form for staff, and an
//! ideas board's settings and statuses for administrators. Every form
//! works without JavaScript.

use actix_web::web;
use askama::Template;
use forum::ideas::{
    Idea, IdeaBoard, IdeaBoardChange, IdeaQuery, IdeaSort, IdeaStatus, IdeaSummary, NewIdea,
    NewStatus, StatusKind, VoteRefusal, Voter,
};
use forum::{Post, User};
use serde::Deserialize;

use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::{render, url_encode, PageError, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ideas", web::get().to(home))
        .route("/ideas/roadmap", web::get().to(roadmap))
        .route("/ideas/b/{slug}", web::get().to(board))
        .route("/ideas/b/{slug}/new", web::get().to(new_form))
        .route("/ideas/b/{slug}/new", web::post().to(submit))
        .route("/ideas/{id:\\d+}", web::get().to(idea))
        .route("/ideas/{id:\\d+}/vote", web::post().to(vote))
        .route("/ideas/{id:\\d+}/unvote", web::post().to(unvote))
        .route(
            "/ideas/{id:\\d+}/vote-instead",
            web::post().to(vote_instead),
        )
        .route("/ideas/{id:\\d+}/status", web::post().to(change_status))
        .route("/ideas/{id:\\d+}/merge", web::post().to(merge))
        .route("/ideas/{id:\\d+}/unmerge", web::post().to(unmerge))
        .route("/admin/ideas/{slug}", web::get().to(admin_board))
        .route("/admin/ideas/{slug}", web::post().to(admin_update_board))
        .route(
            "/admin/ideas/{slug}/statuses",
            web::post().to(admin_add_status),
        )
        .route(
            "/admin/ideas/{slug}/statuses/{status}",
            web::post().to(admin_edit_status),
        )
        .route(
            "/admin/ideas/{slug}/statuses/{status}/remove",
            web::post().to(admin_remove_status),
        );
}

fn require_user(ctx: &PageCtx) -> Result<&User, PageError> {
    ctx.user.as_ref().ok_or(PageError(WebError::Forum(
        forum::ForumError::Unauthenticated,
    )))
}

/// The catalogue id of a status kind's name.
pub(crate) fn kind_key(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::Open => "ideas-kind-open",
        StatusKind::Active => "ideas-kind-active",
        StatusKind::Completed => "ideas-kind-completed",
        StatusKind::Declined => "ideas-kind-declined",
        StatusKind::Duplicate => "ideas-kind-duplicate",
    }
}

fn sort_key(sort: IdeaSort) -> &'static str {
    match sort {
        IdeaSort::Trending => "ideas-sort-trending",
        IdeaSort::Top => "ideas-sort-top",
        IdeaSort::Newest => "ideas-sort-newest",
        IdeaSort::Status => "ideas-sort-status",
        IdeaSort::Score => "ideas-sort-score",
    }
}

/// A status's colour as a small dot: a data URI image, since the site's
/// content security policy allows no inline styles. The colour was checked
/// as `#rrggbb` when the status was made.
pub(crate) fn colour_dot(colour: &str) -> String {
    let hex: String = colour
        .trim_start_matches('#')
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(6)
        .collect();
    format!(
        "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27 width=%2710%27 height=%2710%27%3E%3Ccircle cx=%275%27 cy=%275%27 r=%275%27 fill=%27%23{hex}%27/%3E%3C/svg%3E"
    )
}

/// What templates call to draw statuses and kinds.
pub(crate) trait IdeaLabels {
    fn layout(&self) -> &Layout;

    fn kind_name(&self, kind: &StatusKind) -> String {
        self.layout().t(kind_key(*kind))
    }

    fn dot(&self, status: &IdeaStatus) -> String {
        colour_dot(&status.colour)
    }
}

// ------------------------------------------------------------ home

#[derive(Template)]
#[template(path = "ideas_home.html")]
struct HomePage {
    layout: Layout,
    boards: Vec<IdeaBoard>,
}

async fn home(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let viewer = ctx.actor();
    let boards = state.call(move |f| f.idea_boards(viewer)).await?;
    render(
        &ctx,
        &HomePage {
            layout: ctx.layout(),
            boards,
        },
    )
}

// ------------------------------------------------------------ a board

#[derive(Deserialize, Default)]
struct BoardQuery {
    sort: Option<String>,
    kind: Option<String>,
    tag: Option<String>,
    area: Option<String>,
    mine: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "ideas_board.html")]
struct BoardPage {
    layout: Layout,
    board: IdeaBoard,
    ideas: Vec<IdeaSummary>,
    total: i64,
    sort: IdeaSort,
    sorts: Vec<(IdeaSort, &'static str)>,
    kinds: Vec<StatusKind>,
    kind: String,
    tag: String,
    area: String,
    mine: bool,
    page: i64,
    page_count: i64,
    pager_base: String,
    /// The address of this list with another sort, the filters kept.
    filter_qs: String,
}

impl IdeaLabels for BoardPage {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

impl BoardPage {
    fn sort_href(&self, sort: &IdeaSort) -> String {
        format!(
            "/ideas/b/{}?sort={}{}",
            url_encode(&self.board.slug),
            sort.as_str(),
            self.filter_qs
        )
    }
}

async fn board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    q: web::Query<BoardQuery>,
) -> PageResult {
    let viewer = ctx.actor();
    let slug = slug.into_inner();
    let q = q.into_inner();
    let sort = q
        .sort
        .as_deref()
        .and_then(IdeaSort::parse)
        .unwrap_or_default();
    let kind = q
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(StatusKind::parse)
        .transpose()
        .map_err(WebError::from)?;
    let tag = q.tag.unwrap_or_default().trim().to_owned();
    let area = q.area.unwrap_or_default().trim().to_owned();
    let mine = q.mine.as_deref() == Some("1");
    let query = IdeaQuery {
        board: Some(slug.clone()),
        sort,
        status_kind: kind,
        tag: Some(tag.clone()).filter(|t| !t.is_empty()),
        product_area: Some(area.clone()).filter(|t| !t.is_empty()),
        voted_by_me: mine,
        page: q.page.unwrap_or(1),
        per_page: 20,
    };
    let s = slug.clone();
    let (board, list) = state
        .call(move |f| Ok((f.idea_board(&s, viewer)?, f.ideas(viewer, &query)?)))
        .await?;
    let mut filter_qs = String::new();
    if let Some(k) = kind {
        filter_qs.push_str(&format!("&kind={}", k.as_str()));
    }
    if !tag.is_empty() {
        filter_qs.push_str(&format!("&tag={}", url_encode(&tag)));
    }
    if !area.is_empty() {
        filter_qs.push_str(&format!("&area={}", url_encode(&area)));
    }
    if mine {
        filter_qs.push_str("&mine=1");
    }
    let pager_base = format!(
        "/ideas/b/{}?sort={}{}&",
        url_encode(&slug),
        sort.as_str(),
        filter_qs
    );
    render(
        &ctx,
        &BoardPage {
            layout: ctx.layout(),
            board,
            total: list.total,
            page: list.page,
            page_count: list.page_count(),
            ideas: list.items,
            sort,
            sorts: IdeaSort::ALL
                .into_iter()
                .filter(|s| *s != IdeaSort::Score || viewer.is_some_and(|a| a.role.is_staff()))
                .map(|s| (s, sort_key(s)))
                .collect(),
            kinds: StatusKind::ALL.to_vec(),
            kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            tag,
            area,
            mine,
            pager_base,
            filter_qs,
        },
    )
}

// ------------------------------------------------------------ submitting

#[derive(Template)]
#[template(path = "ideas_new.html")]
struct NewPage {
    layout: Layout,
    board: IdeaBoard,
    title: String,
    description: String,
    tags: String,
    area: String,
    error: String,
    /// Similar existing ideas, offered before a new one is made.
    similar: Vec<IdeaSummary>,
}

impl IdeaLabels for NewPage {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

async fn new_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: String,
    form: Option<IdeaForm>,
    error: String,
) -> PageResult {
    new_page_with(state, ctx, slug, form, error, Vec::new()).await
}

async fn new_page_with(
    state: &AppState,
    ctx: &PageCtx,
    slug: String,
    form: Option<IdeaForm>,
    error: String,
    similar: Vec<IdeaSummary>,
) -> PageResult {
    let viewer = Some(require_user(ctx)?.actor());
    let board = state.call(move |f| f.idea_board(&slug, viewer)).await?;
    let form = form.unwrap_or_default();
    let status = if error.is_empty() { 200 } else { 422 };
    let mut resp = render(
        ctx,
        &NewPage {
            layout: ctx.layout(),
            board,
            title: form.title,
            description: form.description,
            tags: form.tags,
            area: form.area,
            error,
            similar,
        },
    )?;
    if status == 422 {
        *resp.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn new_form(state: web::Data<AppState>, ctx: PageCtx, slug: web::Path<String>) -> PageResult {
    new_page(&state, &ctx, slug.into_inner(), None, String::new()).await
}

#[derive(Deserialize, Default)]
struct IdeaForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    area: String,
    /// "1": the member saw the similar ideas and submits theirs anyway.
    #[serde(default)]
    confirmed: String,
}

/// Ideas like the one being submitted, from the multilingual similar
/// search, kept to the ideas boards the member sees (at most five).
pub(crate) async fn similar_ideas(
    state: &AppState,
    viewer: forum::Actor,
    title: &str,
    description: &str,
) -> Vec<IdeaSummary> {
    if title.trim().chars().count() < 3 {
        return Vec::new();
    }
    let index = state.search.clone();
    let (t, d) = (title.to_owned(), description.to_owned());
    let level = viewer.role.level();
    let hits = match web::block(move || index.similar(&t, &d, level, 20)).await {
        Ok(Ok(hits)) => hits,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "similar ideas failed");
            return Vec::new();
        }
        Err(_) => return Vec::new(),
    };
    let ids: Vec<i64> = hits
        .iter()
        .filter(|h| h.kind == search::DocKind::Idea)
        .map(|h| h.id)
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    state
        .call(move |f| {
            let boards: Vec<String> = f
                .idea_boards(Some(viewer))?
                .into_iter()
                .map(|b| b.slug)
                .collect();
            let mut out = Vec::new();
            for id in ids {
                if out.len() == 5 {
                    break;
                }
                // Threads of other boards, and ideas since removed or
                // out of the member's sight, are left out.
                if let Ok(idea) = f.idea(id, Some(viewer)) {
                    if boards.contains(&idea.board.slug) {
                        out.push(idea.summary);
                    }
                }
            }
            Ok(out)
        })
        .await
        .unwrap_or_default()
}

async fn submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<IdeaForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let slug = slug.into_inner();
    let form = form.into_inner();
    if form.confirmed != "1" {
        let similar = similar_ideas(&state, actor, &form.title, &form.description).await;
        if !similar.is_empty() {
            return new_page_with(&state, &ctx, slug, Some(form), String::new(), similar).await;
        }
    }
    let new = NewIdea {
        board: slug.clone(),
        title: form.title.clone(),
        description: form.description.clone(),
        tags: form
            .tags
            .split([',', '،'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        product_area: form.area.clone(),
    };
    match state
        .call(move |f| f.submit_idea(actor, new, &Default::default()))
        .await
    {
        Ok(s) => Ok(ctx.redirect(&format!("/ideas/{}", s.thread_id))),
        Err(e @ WebError::Forum(forum::ForumError::Validation { .. })) => {
            let msg = e.localized_message(ctx.lang);
            new_page(&state, &ctx, slug, Some(form), msg).await
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ an idea

#[derive(Template)]
#[template(path = "ideas_idea.html")]
struct IdeaPage {
    layout: Layout,
    idea: Idea,
    question: Post,
    comments: Vec<Post>,
    total_comments: i64,
    voters: Vec<Voter>,
    /// Who is behind the votes in the CRM (staff).
    breakdown: Option<forum::ideas::VoteBreakdown>,
    is_staff: bool,
    notice: String,
    /// The idea merged into this one that the reader came from.
    merged_from: Option<i64>,
}

impl IdeaLabels for IdeaPage {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

#[derive(Deserialize)]
struct IdeaQueryString {
    notice: Option<String>,
    /// Arrived from an idea merged into this one.
    merged: Option<i64>,
}

fn notice_key(notice: &str) -> Option<&'static str> {
    match notice {
        "closed" => Some("ideas-refused-closed"),
        "own" => Some("ideas-refused-own"),
        "budget" => Some("ideas-refused-budget"),
        "voted" => Some("ideas-voted"),
        "unvoted" => Some("ideas-unvoted"),
        "status" => Some("ideas-status-changed"),
        "merged" => Some("ideas-merge-done"),
        "unmerged" => Some("ideas-unmerge-done"),
        _ => None,
    }
}

async fn idea(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    q: web::Query<IdeaQueryString>,
) -> PageResult {
    let viewer = ctx.actor();
    let id = id.into_inner();
    let is_staff = viewer.is_some_and(|a| a.role.is_staff());
    let merged_from = q.merged;
    let (idea, page, voters, breakdown) = state
        .call(move |f| {
            let idea = f.idea(id, viewer)?;
            if idea.merged_into.is_some() {
                // Answered below with a redirect; nothing else is read.
                let page = f.thread(id, viewer, 1, 1, false)?;
                return Ok((idea, page, Vec::new(), None));
            }
            let page = f.thread(id, viewer, 1, 100, true)?;
            let (voters, breakdown) = if is_staff {
                (
                    f.idea_voters(viewer, id)?,
                    Some(f.idea_breakdown(viewer, id)?),
                )
            } else {
                (Vec::new(), None)
            };
            Ok((idea, page, voters, breakdown))
        })
        .await?;
    if let Some(into) = idea.merged_into {
        return Ok(ctx.redirect(&format!("/ideas/{into}?merged={id}")));
    }
    let layout = ctx.layout();
    let notice = q
        .notice
        .as_deref()
        .and_then(notice_key)
        .map(|k| match idea.board.vote_budget {
            Some(b) if k == "ideas-refused-budget" => layout.count(k, i64::from(b)),
            _ => layout.t(k),
        })
        .unwrap_or_default();
    render(
        &ctx,
        &IdeaPage {
            layout,
            idea,
            question: page.question,
            comments: page.replies,
            total_comments: page.total_replies,
            voters,
            breakdown,
            is_staff,
            notice,
            merged_from,
        },
    )
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn vote(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let outcome = state.call(move |f| f.try_vote_idea(actor, id)).await?;
    let notice = match outcome {
        Ok(_) => "voted",
        Err(VoteRefusal::Closed) => "closed",
        Err(VoteRefusal::OwnIdea) => "own",
        Err(VoteRefusal::BudgetSpent { .. }) => "budget",
    };
    Ok(ctx.redirect(&format!("/ideas/{id}?notice={notice}#votes")))
}

/// "Vote for this instead": the vote, counted as a deflected duplicate.
async fn vote_instead(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let outcome = state.call(move |f| f.vote_instead(actor, id)).await?;
    let notice = match outcome {
        Ok(_) => "voted",
        Err(VoteRefusal::Closed) => "closed",
        Err(VoteRefusal::OwnIdea) => "own",
        Err(VoteRefusal::BudgetSpent { .. }) => "budget",
    };
    Ok(ctx.redirect(&format!("/ideas/{id}?notice={notice}#votes")))
}

async fn unvote(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    state.call(move |f| f.unvote_idea(actor, id)).await?;
    Ok(ctx.redirect(&format!("/ideas/{id}?notice=unvoted#votes")))
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
    #[serde(default)]
    note: String,
    /// A KB article or release note the change points to.
    #[serde(default)]
    link: String,
}

async fn change_status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<StatusForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let form = form.into_inner();
    state
        .call(move |f| {
            f.change_idea_status_with_link(actor, id, &form.status, &form.note, &form.link)
        })
        .await?;
    Ok(ctx.redirect(&format!("/ideas/{id}?notice=status#timeline")))
}

#[derive(Deserialize)]
struct MergeForm {
    csrf: String,
    /// The idea to merge this one into (its number).
    into: String,
}

async fn merge(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<MergeForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let into: i64 = form
        .into
        .trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| {
            WebError::Forum(forum::ForumError::invalid(
                "into",
                forum::Rule::Required,
                "the number of the idea to merge into",
            ))
        })?;
    state.call(move |f| f.merge_idea(actor, id, into)).await?;
    Ok(ctx.redirect(&format!("/ideas/{into}?notice=merged")))
}

async fn unmerge(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    state.call(move |f| f.unmerge_idea(actor, id)).await?;
    Ok(ctx.redirect(&format!("/ideas/{id}?notice=unmerged")))
}

// ------------------------------------------------------------ roadmap

/// How long a delivered idea stays on the roadmap.
const DELIVERED_RECENTLY_MS: i64 = 90 * 24 * 60 * 60 * 1000;

struct RoadmapColumn {
    /// A status's name (user content), or the "delivered recently" title.
    title: String,
    kind: StatusKind,
    ideas: Vec<IdeaSummary>,
}

#[derive(Template)]
#[template(path = "ideas_roadmap.html")]
struct RoadmapPage {
    layout: Layout,
    columns: Vec<RoadmapColumn>,
}

impl IdeaLabels for RoadmapPage {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

/// The roadmap's columns: one per active status (Planned, In progress, in
/// the boards' order), then what was delivered in the last 90 days.
fn roadmap_columns(
    boards: &[IdeaBoard],
    active: Vec<IdeaSummary>,
    completed: Vec<IdeaSummary>,
    now: i64,
    delivered_title: String,
) -> Vec<RoadmapColumn> {
    let mut columns: Vec<RoadmapColumn> = Vec::new();
    for b in boards {
        for s in b.statuses.iter().filter(|s| s.kind == StatusKind::Active) {
            if !columns.iter().any(|c| c.title == s.name) {
                columns.push(RoadmapColumn {
                    title: s.name.clone(),
                    kind: StatusKind::Active,
                    ideas: Vec::new(),
                });
            }
        }
    }
    for idea in active {
        if let Some(c) = columns.iter_mut().find(|c| c.title == idea.status.name) {
            c.ideas.push(idea);
        }
    }
    columns.push(RoadmapColumn {
        title: delivered_title,
        kind: StatusKind::Completed,
        ideas: completed
            .into_iter()
            .filter(|i| i.status_changed_at >= now - DELIVERED_RECENTLY_MS)
            .collect(),
    });
    columns
}

async fn roadmap(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let viewer = ctx.actor();
    let (boards, active, completed, now) = state
        .call(move |f| {
            let q = |kind| IdeaQuery {
                status_kind: Some(kind),
                sort: IdeaSort::Status,
                page: 1,
                per_page: 100,
                ..Default::default()
            };
            Ok((
                f.idea_boards(viewer)?,
                f.ideas(viewer, &q(StatusKind::Active))?.items,
                f.ideas(viewer, &q(StatusKind::Completed))?.items,
                f.now(),
            ))
        })
        .await?;
    let layout = ctx.layout();
    let columns = roadmap_columns(
        &boards,
        active,
        completed,
        now,
        layout.t("ideas-roadmap-delivered"),
    );
    render(&ctx, &RoadmapPage { layout, columns })
}

// ------------------------------------------------------------ administration

#[derive(Template)]
#[template(path = "ideas_admin.html")]
struct AdminPage {
    layout: Layout,
    board: IdeaBoard,
    kinds: Vec<StatusKind>,
    /// The segment weights as the form shows them.
    weights: String,
}

impl IdeaLabels for AdminPage {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

fn require_admin(ctx: &PageCtx) -> Result<forum::Actor, PageError> {
    let actor = require_user(ctx)?.actor();
    if actor.role != forum::Role::Admin {
        return Err(PageError(WebError::Forum(forum::ForumError::Forbidden(
            "only administrators change an ideas board",
        ))));
    }
    Ok(actor)
}

async fn admin_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> PageResult {
    let actor = require_admin(&ctx)?;
    let slug = slug.into_inner();
    let board = state
        .call(move |f| f.idea_board(&slug, Some(actor)))
        .await?;
    render(
        &ctx,
        &AdminPage {
            layout: ctx.layout(),
            weights: board
                .segment_weights
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            board,
            kinds: StatusKind::ALL.to_vec(),
        },
    )
}

#[derive(Deserialize)]
struct BoardSettingsForm {
    csrf: String,
    #[serde(default)]
    vote_budget: String,
    #[serde(default)]
    self_vote: Option<String>,
    /// `segment=weight` lines.
    #[serde(default)]
    segment_weights: String,
}

/// `enterprise=3` lines (or `enterprise: 3`), blank lines ignored.
fn parse_weights(text: &str) -> Result<std::collections::BTreeMap<String, i64>, WebError> {
    let mut out = std::collections::BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parsed = line
            .split_once(['=', ':'])
            .and_then(|(k, v)| Some((k.trim(), v.trim().parse::<i64>().ok()?)))
            .filter(|(k, _)| !k.is_empty());
        let Some((k, v)) = parsed else {
            return Err(WebError::Forum(forum::ForumError::invalid(
                "segment_weights",
                forum::Rule::OneOf {
                    choices: "segment=weight".into(),
                },
                "one segment=weight per line",
            )));
        };
        out.insert(k.to_owned(), v);
    }
    Ok(out)
}

async fn admin_update_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<BoardSettingsForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_admin(&ctx)?;
    let slug = slug.into_inner();
    let budget = match form.vote_budget.trim() {
        "" => None,
        n => Some(n.parse::<i32>().map_err(|_| {
            WebError::Forum(forum::ForumError::invalid(
                "vote_budget",
                forum::Rule::OneOf {
                    choices: "1–1000".into(),
                },
                "a vote budget is a whole number between 1 and 1000",
            ))
        })?),
    };
    let change = IdeaBoardChange {
        vote_budget: Some(budget),
        self_vote: Some(form.self_vote.as_deref() == Some("1")),
        segment_weights: Some(parse_weights(&form.segment_weights)?),
    };
    let s = slug.clone();
    state
        .call(move |f| f.update_idea_board(Some(actor), &s, change))
        .await?;
    Ok(ctx.redirect(&format!("/admin/ideas/{}", url_encode(&slug))))
}

#[derive(Deserialize)]
struct StatusAddForm {
    csrf: String,
    slug: String,
    name: String,
    kind: String,
    colour: String,
}

async fn admin_add_status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<StatusAddForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_admin(&ctx)?;
    let board = slug.into_inner();
    let form = form.into_inner();
    let new = NewStatus {
        slug: form.slug,
        name: form.name,
        kind: StatusKind::parse(&form.kind).map_err(WebError::from)?,
        colour: form.colour,
    };
    let b = board.clone();
    state
        .call(move |f| f.add_idea_status(Some(actor), &b, new))
        .await?;
    Ok(ctx.redirect(&format!("/admin/ideas/{}", url_encode(&board))))
}

#[derive(Deserialize)]
struct StatusEditForm {
    csrf: String,
    name: String,
    kind: String,
    colour: String,
    /// 1 first, as people count.
    #[serde(default)]
    position: String,
}

async fn admin_edit_status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<StatusEditForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_admin(&ctx)?;
    let (board, status) = path.into_inner();
    let form = form.into_inner();
    let position = match form.position.trim() {
        "" => None,
        p => Some(
            p.parse::<i32>()
                .map_err(|_| {
                    WebError::Forum(forum::ForumError::validation(
                        "position",
                        "a place is a whole number",
                    ))
                })?
                .saturating_sub(1),
        ),
    };
    let edit = forum::ideas::StatusEdit {
        name: Some(form.name),
        kind: Some(StatusKind::parse(&form.kind).map_err(WebError::from)?),
        colour: Some(form.colour),
        position,
    };
    let b = board.clone();
    state
        .call(move |f| f.edit_idea_status(Some(actor), &b, &status, edit))
        .await?;
    Ok(ctx.redirect(&format!("/admin/ideas/{}", url_encode(&board))))
}

#[derive(Deserialize)]
struct StatusRemoveForm {
    csrf: String,
    move_to: String,
}

async fn admin_remove_status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<StatusRemoveForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_admin(&ctx)?;
    let (board, status) = path.into_inner();
    let move_to = form.into_inner().move_to;
    let b = board.clone();
    state
        .call(move |f| f.remove_idea_status(Some(actor), &b, &status, &move_to))
        .await?;
    Ok(ctx.redirect(&format!("/admin/ideas/{}", url_encode(&board))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: i64, status: &str, kind: StatusKind, changed: i64) -> IdeaSummary {
        IdeaSummary {
            thread_id: id,
            board_slug: "ideas".into(),
            title: format!("idea {id}"),
            author: forum::UserRef {
                id: 1,
                username: "ann".into(),
                display_name: "Ann".into(),
                role: forum::Role::Customer,
            },
            tags: Vec::new(),
            product_area: String::new(),
            status: IdeaStatus {
                id: 1,
                slug: status.to_lowercase(),
                name: status.into(),
                kind,
                colour: "#000000".into(),
                position: 0,
            },
            vote_count: 0,
            recent_votes: 0,
            reply_count: 0,
            created_at: 0,
            status_changed_at: changed,
            voted: false,
        }
    }

    #[test]
    fn the_roadmap_has_a_column_per_active_status_then_recent_deliveries() {
        let status = |name: &str, kind| IdeaStatus {
            id: 0,
            slug: name.to_lowercase(),
            name: name.into(),
            kind,
            colour: "#000000".into(),
            position: 0,
        };
        let board = IdeaBoard {
            category_id: 1,
            slug: "ideas".into(),
            name: "Ideas".into(),
            description: String::new(),
            vote_budget: None,
            self_vote: false,
            statuses: vec![
                status("New", StatusKind::Open),
                status("Planned", StatusKind::Active),
                status("In progress", StatusKind::Active),
                status("Delivered", StatusKind::Completed),
            ],
            segment_weights: Default::default(),
        };
        const DAY: i64 = 86_400_000;
        let now = 200 * DAY;
        let columns = roadmap_columns(
            &[board],
            vec![
                summary(1, "In progress", StatusKind::Active, now),
                summary(2, "Planned", StatusKind::Active, now),
            ],
            vec![
                summary(3, "Delivered", StatusKind::Completed, now - 10 * DAY),
                summary(4, "Delivered", StatusKind::Completed, now - 120 * DAY),
            ],
            now,
            "Delivered recently".into(),
        );
        let seen: Vec<(&str, Vec<i64>)> = columns
            .iter()
            .map(|c| {
                (
                    c.title.as_str(),
                    c.ideas.iter().map(|i| i.thread_id).collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("Planned", vec![2]),
                ("In progress", vec![1]),
                ("Delivered recently", vec![3]),
            ]
        );
    }

    #[test]
    fn segment_weights_are_read_one_per_line() {
        let w = parse_weights("enterprise=3\n\n smb : 1 ").unwrap();
        assert_eq!(w.get("enterprise"), Some(&3));
        assert_eq!(w.get("smb"), Some(&1));
        assert!(parse_weights("enterprise").is_err());
        assert!(parse_weights("=3").is_err());
        assert!(parse_weights("vip=lots").is_err());
    }

    #[test]
    fn the_colour_dot_carries_only_hex_digits() {
        let dot = colour_dot("#15803d");
        assert!(dot.contains("fill=%27%2315803d%27"), "{dot}");
        let evil = colour_dot("#'/><script>");
        assert!(!evil.contains("script") && !evil.contains('\''), "{evil}");
    }

    fn status_mail(lang: &str, returned: bool) -> forum::notify::OutgoingMail {
        forum::notify::OutgoingMail {
            id: 1,
            user_id: 2,
            kind: "idea_status".into(),
            title: "t".into(),
            link: "/ideas/5#timeline".into(),
            group_key: "thread:5".into(),
            params: serde_json::json!({ "thread": "Dark mode", "from": "New",
                "to": "Planned", "excerpt": "On the <roadmap>", "returned": returned }),
            attempts: 0,
            to_email: "ann@example.com".into(),
            to_name: "Ann".into(),
            language: lang.into(),
            delivery: forum::delivery::QueuedDelivery {
                id: 1,
                channel: forum::delivery::MAIL.into(),
                kind: "mail".into(),
                subject_id: 1,
                ref_id: 0,
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: 0,
                last_error: None,
                created_at: 0,
                updated_at: 0,
            },
        }
    }

    #[test]
    fn a_status_change_mail_says_what_changed_in_the_readers_language() {
        use crate::i18n::Lang;
        let render = |lang: &str, returned: bool| {
            crate::notices::render_mail(
                &status_mail(lang, returned),
                "Acme",
                "https://c.example/",
                Some("https://c.example/u?x=1"),
                Lang::En,
            )
        };
        assert_eq!(
            render("en", false).subject,
            "[Acme] “Dark mode” is now Planned"
        );
        assert_eq!(
            render("en", true).subject,
            "[Acme] “Dark mode” is now Planned; your vote is returned to you"
        );
        assert_eq!(
            render("ru", false).subject,
            "[Acme] «Dark mode»: теперь Planned"
        );
        assert_eq!(
            render("uk", false).subject,
            "[Acme] «Dark mode»: тепер Planned"
        );
        let fa = render("fa", false);
        assert!(fa.subject.contains("اکنون"), "{}", fa.subject);
        assert!(fa.html.contains("dir=\"rtl\""), "{}", fa.html);
        let en = render("en", false);
        // The public note is quoted, escaped; the link opens the timeline.
        assert!(en.text.contains("> On the <roadmap>"), "{}", en.text);
        assert!(en.html.contains("On the &lt;roadmap&gt;"), "{}", en.html);
        assert!(
            en.text.contains("https://c.example/ideas/5#timeline"),
            "{}",
            en.text
        );
        assert!(en.text.contains("Idea status changes"), "{}", en.text);
        let line = crate::notices::notice_line(
            Lang::Ru,
            "idea_status",
            "t",
            &status_mail("ru", true).params,
        );
        assert_eq!(
            line.plain(Lang::Ru),
            "«Dark mode»: теперь Planned; ваш голос возвращён вам"
        );
    }

    #[test]
    fn every_notice_and_kind_has_a_message() {
        for lang in crate::i18n::Lang::ALL {
            for n in [
                "closed", "own", "budget", "voted", "unvoted", "status", "merged", "unmerged",
            ] {
                let key = notice_key(n).unwrap();
                assert!(!crate::i18n::t(lang, key).contains(key), "{lang:?} {key}");
            }
            for k in StatusKind::ALL {
                let key = kind_key(k);
                assert!(!crate::i18n::t(lang, key).contains(key), "{lang:?} {key}");
            }
            for s in IdeaSort::ALL {
                let key = sort_key(s);
                assert!(!crate::i18n::t(lang, key).contains(key), "{lang:?} {key}");
            }
        }
    }
}
