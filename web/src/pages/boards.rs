//! The front page (the boards) and a board's thread list.

use actix_web::web;
use askama::Template;
use forum::{Category, PageLimits, Paging, ThreadSort, ThreadSummary};
use serde::Deserialize;

use super::{render, PageResult};
use crate::layout::Layout;
use crate::session::PageCtx;
use crate::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    categories: Vec<Category>,
}

pub(super) async fn home(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let viewer = ctx.actor();
    let categories = state.call(move |f| f.categories(viewer)).await?;
    render(
        &ctx,
        &HomePage {
            layout: ctx.layout(),
            categories,
        },
    )
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
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    sort: Option<String>,
    page: Option<i64>,
}

pub(super) async fn category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> PageResult {
    let sort = ThreadSort::parse(q.sort.as_deref().unwrap_or(""))?;
    let page = Paging::pages(q.page, None, PageLimits::LISTING)?.page;
    let viewer = ctx.actor();
    let slug = slug.into_inner();
    let (category, threads) = state
        .call(move |f| f.threads(&slug, viewer, sort, page, 20))
        .await?;
    let page_count = threads.page_count();
    render(
        &ctx,
        &CategoryPage {
            layout: ctx.layout(),
            category,
            page: threads.page,
            page_count,
            threads: threads.items,
            sort: sort.as_str().into(),
            sorts: ["latest", "unanswered", "solved", "top"]
                .map(String::from)
                .to_vec(),
        },
    )
}
