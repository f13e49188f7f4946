//! Asking a question, with similar answered ones suggested first.

use actix_web::web;
use askama::Template;
use forum::{Category, ForumError, NewThread};
use serde::Deserialize;

use super::{login_redirect, render, with_status, PageResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::PageCtx;
use crate::AppState;

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    layout: Layout,
    ask_id: String,
    /// The session is in the holdout: no suggestions, live or not.
    holdout: bool,
    suggestions: Vec<search::SearchHit>,
    categories: Vec<Category>,
    category: String,
    title: String,
    body: String,
    tags: String,
    error: String,
}

#[derive(Deserialize)]
pub(super) struct AskQuery {
    category: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
    ask_id: Option<String>,
}

fn valid_ask_id(id: Option<&str>) -> Option<String> {
    id.filter(|i| i.len() == 32 && i.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(String::from)
}

/// The ask form. With a title in the query (the no-JavaScript "Find similar
/// questions" button), similar threads are listed before posting.
pub(super) async fn ask_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<AskQuery>,
) -> PageResult {
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let q = q.into_inner();
    let (categories, draft) = state
        .call(move |f| {
            Ok((
                f.categories(Some(actor))?,
                f.draft(actor.user_id, forum::drafts::DraftKey::Ask)?,
            ))
        })
        .await?;
    let (ask_id, holdout) = match valid_ask_id(q.ask_id.as_deref()) {
        Some(id) => {
            let held = state.forum.ask_session_held_out(&id);
            (id, held)
        }
        None => {
            let id = crate::session::random_hex()[..32].to_string();
            let sid = id.clone();
            // The board the page was opened for, when it names one.
            let board = q
                .category
                .as_deref()
                .and_then(|slug| categories.iter().find(|c| c.slug == slug))
                .map(|c| c.id);
            let held = state
                .call(move |f| f.start_ask_session(&sid, Some(actor.user_id), board))
                .await?;
            (id, held)
        }
    };
    // What they were writing, when nothing else was asked for.
    let mut q = q;
    if let Some(d) = draft.filter(|_| q.title.is_empty() && q.body.is_empty()) {
        q.title = d.title;
        q.body = d.body;
    }
    let suggestions = if holdout {
        Vec::new()
    } else {
        crate::search_routes::suggestions_for(&state, actor.role.level(), &q.title, &q.body).await
    };
    let category = q.category.unwrap_or_else(|| "support".into());
    render(
        &ctx,
        &AskPage {
            layout: ctx.layout(),
            ask_id,
            holdout,
            suggestions,
            categories,
            category,
            title: q.title,
            body: q.body,
            tags: q.tags,
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct AskForm {
    csrf: String,
    #[serde(default)]
    ask_id: Option<String>,
    category: String,
    title: String,
    body: String,
    #[serde(default)]
    tags: String,
    /// Milliseconds from the first keystroke to sending (set by ask.js).
    #[serde(default)]
    typed_ms: Option<String>,
}

pub(super) async fn ask_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    form: web::Form<AskForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let form = form.into_inner();
    let input = NewThread {
        category: form.category.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        tags: vec![form.tags.clone()],
    };
    let mut origin = crate::spam_check::origin_of(&req);
    origin.typed_ms = form
        .typed_ms
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|ms| *ms >= 0);
    let ask_id = valid_ask_id(form.ask_id.as_deref());
    let posted_ask = ask_id.clone();
    let created = state
        .call(move |f| {
            let submitted = f.submit_thread_from(actor, input, &origin)?;
            let id = submitted.thread_id;
            // Posted: the draft has done its job (a failure leaves it, harmless).
            if let Err(e) = f.discard_draft(actor.user_id, forum::drafts::DraftKey::Ask) {
                tracing::warn!(error = %e, "draft not discarded");
            }
            if let Some(ask) = posted_ask {
                // Analytics only: a stale ask id must not fail the post.
                if let Err(e) = f.mark_ask_posted(&ask, id) {
                    tracing::debug!(error = %e, "ask session not marked");
                }
            }
            Ok(submitted)
        })
        .await;
    match created {
        // A held question opens as its author sees it, saying why it waits.
        Ok(s) if !s.held.is_empty() => Ok(ctx.redirect(&format!(
            "/t/{}?held={}#p{}",
            s.thread_id, s.post_id, s.post_id
        ))),
        Ok(s) => Ok(ctx.redirect(&format!("/t/{}", s.thread_id))),
        Err(WebError::Forum(e @ ForumError::Validation { .. })) => {
            // Keep what they typed; nothing was written.
            let categories = state.call(move |f| f.categories(Some(actor))).await?;
            let holdout = ask_id
                .as_deref()
                .is_some_and(|id| state.forum.ask_session_held_out(id));
            let page = AskPage {
                layout: ctx.layout(),
                holdout,
                ask_id: ask_id.unwrap_or_default(),
                suggestions: Vec::new(),
                categories,
                category: form.category,
                title: form.title,
                body: form.body,
                tags: form.tags,
                error: WebError::Forum(e).localized_message(ctx.lang),
            };
            Ok(with_status(render(&ctx, &page)?, 422))
        }
        Err(e) => Err(e.into()),
    }
}
