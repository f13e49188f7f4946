//! Search over HTTP: the JSON endpoints, the search page, and the
//! suggestion click-through that records deflection.

use actix_web::{web, HttpResponse};
use askama::Template;
use forum::{PageLimits, Paging};
use search::{SearchHit, SearchQuery, SearchResults};
use serde::Deserialize;

use crate::api::types as t;
use crate::api::ApiResult;
use crate::error::WebError;
use crate::layout::Layout;
use crate::openapi::{ApiRoutes, Common, OptionalAuth};
use crate::pages::PageError;
use crate::session::{ApiCaller, PageCtx};
use crate::AppState;

pub fn api_routes(r: &mut ApiRoutes) {
    r.add(__path_api_search, api_search)
        .add(__path_api_similar, api_similar);
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search_page))
        .route("/search/instant", web::get().to(instant))
        .route("/search/go", web::get().to(open_result))
        .route("/ask/open", web::get().to(open_suggestion));
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
    /// `thread`, `idea` or `article`.
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `facets=false` skips facet counts (cheaper).
    pub facets: Option<bool>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

impl SearchParams {
    fn query(&self, viewer_level: u8) -> Result<SearchQuery, WebError> {
        if self.q.chars().count() > 500 {
            return Err(forum::ForumError::invalid(
                "q",
                forum::Rule::TooLong { max: 500 },
                "a search can have at most 500 characters",
            )
            .into());
        }
        let paging = Paging::pages(self.page, self.per_page, PageLimits::SEARCH)?;
        let kind = nonempty(&self.kind);
        if let Some(k) = kind.as_deref() {
            if !["thread", "idea", "article"].contains(&k) {
                return Err(forum::ForumError::invalid(
                    "kind",
                    forum::Rule::OneOf {
                        choices: "thread, idea, article".into(),
                    },
                    "kind must be thread, idea or article",
                )
                .into());
            }
        }
        Ok(SearchQuery {
            kind,
            text: self.q.clone(),
            category: nonempty(&self.category),
            tag: nonempty(&self.tag),
            status: nonempty(&self.status),
            // Both are positive and bounded by the search window.
            page: paging.page as usize,
            per_page: paging.per_page as usize,
            viewer_level,
            skip_facets: self.facets == Some(false),
        })
    }
}

async fn run_search(state: &AppState, q: SearchQuery) -> Result<SearchResults, WebError> {
    let index = state.search.clone();
    web::block(move || index.search(&q))
        .await
        .map_err(|_| WebError::Blocking)?
        .map_err(search_error)
}

/// (article id, thread id) for the article hits made from a community
/// thread `viewer` may read.
async fn article_origins(
    state: &AppState,
    hits: &[SearchHit],
    viewer: Option<forum::Actor>,
) -> Result<Vec<(i64, i64)>, WebError> {
    let ids: Vec<i64> = hits
        .iter()
        .filter(|h| h.kind == search::DocKind::Article)
        .map(|h| h.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    state.call(move |f| f.article_origins(&ids, viewer)).await
}

/// The statuses of the ideas boards `viewer` sees, by (board, status slug),
/// when the results hold ideas: what an idea hit shows as its status.
async fn idea_statuses(
    state: &AppState,
    results: &SearchResults,
    viewer: Option<forum::Actor>,
) -> Result<IdeaStatuses, WebError> {
    let any_idea = results.hits.iter().any(|h| h.kind == search::DocKind::Idea)
        || results.facets.kinds.iter().any(|(k, _)| k == "idea");
    if !any_idea {
        return Ok(IdeaStatuses::default());
    }
    let boards = state.call(move |f| f.idea_boards(viewer)).await?;
    Ok(IdeaStatuses(
        boards
            .into_iter()
            .flat_map(|b| {
                let slug = b.slug;
                b.statuses
                    .into_iter()
                    .map(move |s| ((slug.clone(), s.slug.clone()), s))
            })
            .collect(),
    ))
}

#[derive(Default)]
struct IdeaStatuses(std::collections::HashMap<(String, String), forum::ideas::IdeaStatus>);

impl IdeaStatuses {
    /// An idea hit's status on its board.
    fn of(&self, hit: &SearchHit) -> Option<&forum::ideas::IdeaStatus> {
        (hit.kind == search::DocKind::Idea)
            .then(|| self.0.get(&(hit.category.clone(), hit.status.clone())))
            .flatten()
    }

    /// A status facet value's name: an idea status's, if one has that slug.
    fn name(&self, slug: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|((_, s), _)| s == slug)
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(_, s)| s.name.as_str())
    }
}

/// The page of the thread `hit` (an article) was made from.
fn origin_of(origins: &[(i64, i64)], hit: &SearchHit) -> Option<String> {
    (hit.kind == search::DocKind::Article)
        .then(|| origins.iter().find(|(a, _)| *a == hit.id))
        .flatten()
        .map(|(_, thread)| format!("/t/{thread}"))
}

fn search_error(e: search::SearchError) -> WebError {
    match e {
        search::SearchError::PastWindow => {
            WebError::Forum(forum::ForumError::validation("page", e.to_string()))
        }
        other => WebError::Forum(forum::ForumError::Internal(format!("search: {other}"))),
    }
}

/// The `kind` filter's values.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documentation only: the index reads a string
enum KindFilter {
    Thread,
    Idea,
    Article,
}

#[utoipa::path(
    get,
    path = "/search",
    summary = "Knowledge search over threads, accepted answers and KB articles",
    description = "BM25 ranking, solved threads and articles boosted. Inline filters in `q`: \"phrase\", tag:, category:, is:solved.",
    params(
        ("q" = Option<String>, Query, max_length = 500, description = "Words, \"phrases\" and inline filters"),
        ("category" = Option<String>, Query, description = "A board's slug"),
        ("tag" = Option<String>, Query),
        ("status" = Option<String>, Query, description = "A thread status (open, answered, solved, locked, or unsolved: open or answered) or an idea status's slug (e.g. planned)"),
        ("kind" = inline(Option<KindFilter>), Query, description = "Only threads, ideas or articles"),
        ("page" = Option<i64>, Query, minimum = 1, description = "1-based; at most 10,000 hits can be paged through"),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 100, description = "Default 20"),
        ("facets" = Option<bool>, Query, description = "false skips facet counts (cheaper); default true"),
    ),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Hits with snippet and score (ideas with their status), total, and facet counts by category, tag, status and kind", body = t::SearchResults))
)]
async fn api_search(
    state: web::Data<AppState>,
    caller: ApiCaller,
    params: web::Query<SearchParams>,
) -> ApiResult<web::Json<t::SearchResults>> {
    let level = caller.actor().map_or(0, |a| a.role.level());
    let q = params.query(level)?;
    let (page, per_page) = (q.page, q.per_page);
    let typed = q.text.clone();
    let results = run_search(&state, q).await?;
    if page == 1 {
        // API clients have no interface language: "api".
        state
            .forum
            .log_search("api", &typed, results.total as i64, None);
    }
    let origins = article_origins(&state, &results.hits, caller.actor()).await?;
    let statuses = idea_statuses(&state, &results, caller.actor()).await?;
    Ok(web::Json(t::SearchResults {
        total: results.total,
        page,
        per_page,
        matched: results.matched.into(),
        hits: results
            .hits
            .into_iter()
            .map(|h| {
                let origin_url = origin_of(&origins, &h);
                let idea_status = statuses.of(&h).cloned().map(Into::into);
                t::SearchHit {
                    origin_url,
                    idea_status,
                    ..h.into()
                }
            })
            .collect(),
        facets: results.facets.into(),
    }))
}

#[derive(Deserialize)]
struct SimilarParams {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    limit: Option<usize>,
}

async fn similar(
    state: &AppState,
    title: String,
    body: String,
    viewer_level: u8,
    limit: usize,
) -> Result<Vec<SearchHit>, WebError> {
    let index = state.search.clone();
    // Ideas are proposals, not answers: the ask page suggests threads and
    // articles (the ideas pages search ideas on their own).
    let mut hits = web::block(move || index.similar(&title, &body, viewer_level, limit * 2))
        .await
        .map_err(|_| WebError::Blocking)?
        .map_err(search_error)?;
    hits.retain(|h| h.kind != search::DocKind::Idea);
    hits.truncate(limit);
    Ok(hits)
}

#[utoipa::path(
    get,
    path = "/search/similar",
    summary = "Existing threads and articles similar to a question being typed, solved first",
    params(
        ("title" = Option<String>, Query, description = "The question's title so far (first 300 characters used)"),
        ("body" = Option<String>, Query, description = "Its text so far (first 2,000 characters used)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 20, description = "Default 5; larger values are capped"),
    ),
    security((), ("bearer" = [])),
    responses(Common, OptionalAuth, (status = 200, description = "Suggestions", body = t::Suggestions))
)]
async fn api_similar(
    state: web::Data<AppState>,
    caller: ApiCaller,
    params: web::Query<SimilarParams>,
) -> ApiResult<web::Json<t::Suggestions>> {
    let level = caller.actor().map_or(0, |a| a.role.level());
    let p = params.into_inner();
    let title: String = p.title.chars().take(300).collect();
    let body: String = p.body.chars().take(2000).collect();
    let hits = similar(
        &state,
        title,
        body,
        level,
        p.limit.unwrap_or(5).clamp(1, 20),
    )
    .await?;
    Ok(web::Json(t::Suggestions {
        suggestions: hits.into_iter().map(Into::into).collect(),
    }))
}

/// Suggestions shown on the ask page (server-rendered when JavaScript is off).
pub async fn suggestions_for(
    state: &AppState,
    viewer_level: u8,
    title: &str,
    body: &str,
) -> Vec<SearchHit> {
    if title.trim().chars().count() < 3 {
        return Vec::new();
    }
    similar(state, title.to_string(), body.to_string(), viewer_level, 5)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "suggestions failed");
            Vec::new()
        })
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    results: Option<SearchResults>,
    /// (article id, thread id): articles made from a thread show its link.
    origins: Vec<(i64, i64)>,
    idea_statuses: IdeaStatuses,
    page: usize,
    page_count: usize,
    /// Query string without `page`, for pager and facet links.
    base_query: String,
    category: String,
    tag: String,
    status: String,
    kind: String,
    /// The logged search the result links report clicks for (page one).
    search_id: Option<String>,
}

impl SearchPage {
    /// A result's link: through `/search/go` on a logged search, so
    /// opening it counts for click-through; `rank` is 1-based.
    fn result_link(&self, hit: &SearchHit, rank: &usize) -> String {
        match &self.search_id {
            Some(id) => format!(
                "/search/go?{}",
                encode(&[("s", id), ("r", &rank.to_string()), ("to", &hit.url)])
            ),
            None => hit.url.clone(),
        }
    }

    fn origin(&self, hit: &SearchHit) -> Option<String> {
        origin_of(&self.origins, hit)
    }

    fn idea_status(&self, hit: &SearchHit) -> Option<&forum::ideas::IdeaStatus> {
        self.idea_statuses.of(hit)
    }

    fn dot(&self, status: &forum::ideas::IdeaStatus) -> String {
        crate::ideas_pages::colour_dot(&status.colour)
    }

    /// A status facet value as people read it.
    fn status_label(&self, value: &str) -> String {
        match self.idea_statuses.name(value) {
            Some(name) => name.to_owned(),
            None => crate::pages::labels::thread_status(&self.layout, value),
        }
    }

    fn kind_label(&self, kind: &str) -> String {
        match kind {
            "thread" => self.layout.t("search-kind-threads"),
            "idea" => self.layout.t("search-kind-ideas"),
            "article" => self.layout.t("search-kind-articles"),
            other => other.to_owned(),
        }
    }

    fn widened(&self) -> Option<&'static str> {
        match self.results.as_ref()?.matched {
            search::Matched::AllWords => None,
            search::Matched::AnyWord => Some("search-widened-any"),
            search::Matched::NearWords => Some("search-widened-near"),
        }
    }
}

fn encode(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default()
}

async fn search_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, PageError> {
    let level = ctx.actor().map_or(0, |a| a.role.level());
    let p = params.into_inner();
    let q = p.query(level)?;
    let page = q.page;
    let per_page = q.per_page;
    let filtered =
        q.category.is_some() || q.tag.is_some() || q.status.is_some() || q.kind.is_some();
    let results = if p.q.trim().is_empty() && !filtered {
        None
    } else {
        Some(run_search(&state, q).await?)
    };
    let mut search_id = None;
    if let Some(r) = results.as_ref().filter(|_| page == 1) {
        let id = forum::analytics::new_search_id();
        state
            .forum
            .log_search(ctx.lang.code(), &p.q, r.total as i64, Some(&id));
        search_id = Some(id);
    }
    let (origins, idea_statuses) = match &results {
        Some(r) => (
            article_origins(&state, &r.hits, ctx.actor()).await?,
            idea_statuses(&state, r, ctx.actor()).await?,
        ),
        None => (Vec::new(), IdeaStatuses::default()),
    };
    let page_count = results
        .as_ref()
        .map_or(1, |r| r.total.div_ceil(per_page).max(1));
    let category = p.category.clone().unwrap_or_default();
    let tag = p.tag.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let kind = p.kind.clone().unwrap_or_default();
    let base_query = encode(&[
        ("q", &p.q),
        ("category", &category),
        ("tag", &tag),
        ("status", &status),
        ("kind", &kind),
    ]);
    let view = SearchPage {
        layout: ctx.layout(),
        q: p.q,
        results,
        origins,
        idea_statuses,
        page,
        page_count,
        base_query,
        category,
        tag,
        status,
        kind,
        search_id,
    };
    crate::pages::render(&ctx, &view)
}

#[derive(Deserialize)]
struct GoParams {
    /// The search id (`SearchPage::search_id`).
    s: String,
    /// The result's 1-based rank.
    #[serde(default)]
    r: i64,
    /// Where the result is: a path on this site.
    to: String,
}

/// A path on this site, never another host (`//evil`, `/\evil`).
fn local_path(to: &str) -> Option<&str> {
    let ok = to.starts_with('/')
        && !to.starts_with("//")
        && !to.contains('\\')
        && !to.chars().any(char::is_control);
    ok.then_some(to)
}

/// `GET /search/go`: a result opened from the search page: count the click
/// (analytics' click-through; a bad or stale id is no reason to fail the
/// reader), then go to the result.
async fn open_result(
    state: web::Data<AppState>,
    ctx: PageCtx,
    p: web::Query<GoParams>,
) -> Result<HttpResponse, PageError> {
    let p = p.into_inner();
    let Some(to) = local_path(&p.to).map(str::to_owned) else {
        return Err(WebError::Forum(forum::ForumError::validation(
            "to",
            "a result is a page of this site",
        ))
        .into());
    };
    let (id, rank) = (p.s, p.r);
    if let Err(e) = state.call(move |f| f.record_search_click(&id, rank)).await {
        tracing::debug!(error = %e, "search click not recorded");
    }
    Ok(ctx.redirect(&to))
}

#[derive(Deserialize)]
struct OpenParams {
    ask_id: String,
    kind: String,
    id: i64,
}

/// A suggestion was clicked on the ask page: remember it (the deflection
/// signal), then go to the thread or article.
async fn open_suggestion(
    state: web::Data<AppState>,
    ctx: PageCtx,
    p: web::Query<OpenParams>,
) -> Result<HttpResponse, PageError> {
    let p = p.into_inner();
    let user_id = ctx.user.as_ref().map(|u| u.id);
    let target = match p.kind.as_str() {
        "thread" => format!("/t/{}", p.id),
        "article" => format!("/kb/{}", p.id),
        _ => {
            return Err(WebError::Forum(forum::ForumError::invalid(
                "kind",
                forum::Rule::OneOf {
                    choices: "thread, article".into(),
                },
                "kind is thread or article",
            ))
            .into())
        }
    };
    let (ask_id, kind, id) = (p.ask_id, p.kind, p.id);
    state
        .call(move |f| f.record_suggestion_open(&ask_id, user_id, &kind, id))
        .await?;
    Ok(ctx.redirect(&target))
}

/// Askama filter helpers for facet links.
pub fn facet_link(base: &str, key: &str, value: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(base)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != key)
            .collect();
    pairs.push((key.to_string(), value.to_string()));
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[derive(serde::Serialize)]
struct InstantHit {
    title: String,
    url: String,
    kind: &'static str,
    solved: bool,
}

#[derive(serde::Serialize)]
struct Instant {
    /// "3 results", in the reader's language, for a live region.
    said: String,
    total: usize,
    results: Vec<InstantHit>,
}

/// `GET /search/instant?q=`: the first few results while someone types in
/// a search box, as the reader may see them (session-aware), for
/// `hearth.js`. Fewer than two characters answer nothing.
async fn instant(
    state: web::Data<AppState>,
    ctx: PageCtx,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, PageError> {
    let level = ctx.actor().map_or(0, |a| a.role.level());
    let p = params.into_inner();
    let (total, hits) = if p.q.trim().chars().count() < 2 {
        (0, Vec::new())
    } else {
        let mut q = SearchParams {
            per_page: Some(6),
            facets: Some(false),
            page: None,
            ..p
        }
        .query(level)?;
        q.skip_facets = true;
        let r = run_search(&state, q).await?;
        (r.total, r.hits)
    };
    let body = Instant {
        said: crate::i18n::message(
            ctx.lang,
            "count-results",
            &[("count", (total as i64).into())],
        ),
        total,
        results: hits
            .into_iter()
            .map(|h| InstantHit {
                title: h.title,
                url: h.url,
                kind: h.kind.as_str(),
                solved: h.solved,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(body))
}
