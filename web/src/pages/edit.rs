//! Editing a post, and its edit history.

use actix_web::web;
use askama::Template;
use forum::{ForumError, Revision};
use serde::Deserialize;

use super::{login_redirect, render, with_status, PageError, PageResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::PageCtx;
use crate::AppState;

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    layout: Layout,
    post_id: i64,
    thread_id: i64,
    title: Option<String>,
    body: String,
    error: String,
}

/// The post as its editor sees it, with the title when it is the question.
async fn editable(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    post_id: i64,
) -> Result<(i64, Option<String>, String), PageError> {
    let viewer = ctx.actor();
    Ok(state
        .call(move |f| {
            let post = f.post(post_id, viewer)?;
            let title = if post.is_question {
                Some(f.thread(post.thread_id, viewer, 1, 1, false)?.thread.title)
            } else {
                None
            };
            Ok((post.thread_id, title, post.body_md))
        })
        .await?)
}

pub(super) async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> PageResult {
    if ctx.user.is_none() {
        return Ok(login_redirect(&ctx));
    }
    let post_id = id.into_inner();
    let (thread_id, title, body) = editable(&state, &ctx, post_id).await?;
    render(
        &ctx,
        &EditPage {
            layout: ctx.layout(),
            post_id,
            thread_id,
            title,
            body,
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct EditForm {
    csrf: String,
    title: Option<String>,
    body: String,
}

pub(super) async fn edit_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<EditForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let post_id = id.into_inner();
    let form = form.into_inner();
    let (title, body) = (form.title.clone(), form.body.clone());
    let result = state
        .call(move |f| {
            f.edit_post(actor, post_id, title.as_deref(), &body)?;
            f.thread_of_post(post_id, Some(actor))
        })
        .await;
    match result {
        Ok(thread_id) => Ok(ctx.redirect(&format!("/t/{thread_id}#p{post_id}"))),
        Err(WebError::Forum(e @ ForumError::Validation { .. })) => {
            let (thread_id, _, _) = editable(&state, &ctx, post_id).await?;
            let page = EditPage {
                layout: ctx.layout(),
                post_id,
                thread_id,
                title: form.title,
                body: form.body,
                error: WebError::Forum(e).localized_message(ctx.lang),
            };
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    post_id: i64,
    thread_id: i64,
    revisions: Vec<Revision>,
}

pub(super) async fn history(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> PageResult {
    let post_id = id.into_inner();
    let viewer = ctx.actor();
    let (thread_id, revisions) = state
        .call(move |f| {
            Ok((
                f.thread_of_post(post_id, viewer)?,
                f.revisions(post_id, viewer)?,
            ))
        })
        .await?;
    render(
        &ctx,
        &HistoryPage {
            layout: ctx.layout(),
            post_id,
            thread_id,
            revisions,
        },
    )
}
