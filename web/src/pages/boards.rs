//! The home page and a board's thread list.

use actix_web::web;
use askama::Template;
use forum::front::{AnswerSummary, FrontLimits, FrontPage};
use forum::{Category, PageLimits, Paging, ThreadSort, ThreadSummary};
use serde::Deserialize;

use super::{render_body, PageError, PageResult};
use crate::layout::Layout;
use crate::page_cache::{PageKind, Tags};
use crate::session::PageCtx;
use crate::AppState;

/// Top contributors the home page shows.
const CONTRIBUTORS: usize = 5;

/// One thread of the home page's lists, with its accepted answer (solved
/// threads only).
struct Row {
    t: ThreadSummary,
    answer: Option<AnswerSummary>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    /// "Welcome to <site>", the name isolated from the sentence's direction.
    welcome: String,
    latest: Vec<Row>,
    unanswered: Vec<Row>,
    solved: Vec<Row>,
    front: FrontPage,
}

/// The home page: boards, latest, unanswered and recently solved threads,
/// featured articles, the month's top contributors. One call on one
/// connection (`forum::front`): eight queries, ten once a minute when the
/// contributors (the same for every viewer) are added up again.
pub(super) async fn home(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
) -> PageResult {
    let s = state.clone();
    super::shared_page(&state, &ctx, &req, "home".into(), |ctx| async move {
        let body = render_body(&home_page(&s, &ctx).await?)?;
        Ok((body, Tags::of(PageKind::Home), (None, None)))
    })
    .await
}

async fn home_page(state: &AppState, ctx: &PageCtx) -> Result<HomePage, PageError> {
    let viewer = ctx.actor();
    let cached = state.contributors.fresh();
    let limits = FrontLimits {
        contributors: if cached.is_some() { 0 } else { CONTRIBUTORS },
        ..FrontLimits::default()
    };
    let mut front = state.call(move |f| f.front_page(viewer, limits)).await?;
    front.contributors = match cached {
        Some(c) => c.as_ref().clone(),
        None => state.contributors.put(front.contributors).as_ref().clone(),
    };
    let rows = |list: Vec<ThreadSummary>| -> Vec<Row> {
        list.into_iter().map(|t| Row { t, answer: None }).collect()
    };
    let latest = rows(std::mem::take(&mut front.latest));
    let unanswered = rows(std::mem::take(&mut front.unanswered));
    let solved = std::mem::take(&mut front.solved)
        .into_iter()
        .map(|s| Row {
            t: s.thread,
            answer: s.answer,
        })
        .collect();
    let layout = ctx.layout();
    // First-strong isolation: a Latin site name in a Persian sentence (or
    // the reverse) keeps its own direction.
    let welcome = layout.t1(
        "home-welcome",
        "site",
        format!("\u{2068}{}\u{2069}", layout.site_name),
    );
    Ok(HomePage {
        layout,
        welcome,
        latest,
        unanswered,
        solved,
        front,
    })
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage {
    layout: Layout,
    category: Category,
    threads: Vec<ThreadSummary>,
    sort: String,
    sorts: Vec<String>,
    page: i64,
    page_count: i64,
    /// The pager's links up to `page=`.
    pager_base: String,
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    sort: Option<String>,
    page: Option<i64>,
}

pub(super) async fn category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> PageResult {
    let sort = ThreadSort::parse(q.sort.as_deref().unwrap_or(""))?;
    let page = Paging::pages(q.page, None, PageLimits::LISTING)?.page;
    let slug = slug.into_inner();
    let key = format!("c/{slug}?sort={}&page={page}", sort.as_str());
    let s = state.clone();
    super::shared_page(&state, &ctx, &req, key, |ctx| async move {
        let viewer = ctx.actor();
        let (category, threads) = s
            .call(move |f| f.threads(&slug, viewer, sort, page, 20))
            .await?;
        let page_count = threads.page_count();
        let pager_base = format!("/c/{}?sort={}&", category.slug, sort.as_str());
        let tags = Tags {
            board: Some(category.id),
            ..Tags::of(PageKind::Board)
        };
        let counts_as = (Some(category.id), None);
        let body = render_body(&CategoryPage {
            layout: ctx.layout(),
            category,
            page: threads.page,
            page_count,
            pager_base,
            threads: threads.items,
            sort: sort.as_str().into(),
            sorts: ["latest", "unanswered", "solved", "top"]
                .map(String::from)
                .to_vec(),
        })?;
        Ok((body, tags, counts_as))
    })
    .await
}
