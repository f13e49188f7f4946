//! A thread's page, and what its forms do: reply, lock, and the actions on
//! one post (kudos, accept, delete).

use actix_web::web;
use askama::Template;
use forum::{Category, PageLimits, Paging, Post, ThreadSummary};
use serde::Deserialize;

use super::{login_redirect, render, CsrfOnly, PageError, PageResult};
use crate::error::WebError;
use crate::layout::Layout;
use crate::page_cache::{PageKind, Tags};
use crate::session::PageCtx;
use crate::AppState;
use forum::drafts::DraftKey;

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPageView {
    layout: Layout,
    thread: ThreadSummary,
    category: Category,
    question: Post,
    replies: Vec<Post>,
    accepted: Option<Post>,
    total_replies: i64,
    page: i64,
    page_count: i64,
    ranks: std::collections::HashMap<i64, String>,
    duplicate_of: Option<(i64, String)>,
    /// The KB article promoted from this thread: (slug, status).
    article: Option<(String, String)>,
    can_move: bool,
    can_mark_duplicate: bool,
    /// A rank lets the viewer edit others' posts.
    can_edit_any: bool,
    /// Boards a thread may move to (only filled for those who may move it).
    move_targets: Vec<Category>,
    /// The thread's CRM task: (id, status), for the staff mark and console link.
    support_task: Option<(i64, String)>,
    /// Who answered it, when it has been answered.
    answered_by: Option<AnsweredBy>,
    /// The viewer watches this thread.
    watching: bool,
    /// The viewer's post that waits for review, after posting it.
    held: Option<i64>,
    /// The post the viewer just reported.
    reported: Option<i64>,
    /// Reasons a member may give when reporting a post.
    flag_reasons: [&'static str; 5],
    /// The reply the member wrote, back in the composer after a refusal.
    draft: String,
    /// Why that reply was refused (empty when nothing was).
    reply_error: String,
    /// The most characters a post may have (the composer counts them).
    body_max: usize,
}

/// Credit for an answered thread: the support team only when a staff
/// member's reply is the accepted one, or (no answer accepted) when the
/// support task was resolved and a staff member did reply; the community,
/// naming the member, when a customer's answer was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AnsweredBy {
    SupportTeam,
    Community { name: String },
}

impl AnsweredBy {
    fn of(accepted: Option<&Post>, task_resolved: bool, staff_replied: bool) -> Option<Self> {
        match accepted {
            Some(p) if p.author.role.is_staff() => Some(AnsweredBy::SupportTeam),
            Some(p) => Some(AnsweredBy::Community {
                name: p.author.display_name.clone(),
            }),
            None if task_resolved && staff_replied => Some(AnsweredBy::SupportTeam),
            None => None,
        }
    }
}

impl ThreadPageView {
    /// The author's rank, shown next to their name on every post.
    fn rank_of(&self, user_id: &i64) -> &str {
        self.ranks.get(user_id).map_or("", String::as_str)
    }

    /// The accepted answer's opening, as text, under the question.
    fn accepted_summary(&self) -> String {
        self.accepted
            .as_ref()
            .map(|a| forum::markdown::excerpt(&a.body_md, 280))
            .unwrap_or_default()
    }

    /// Where the accepted answer is: on this page (`#p…`), or its
    /// permanent link, which finds its page.
    fn accepted_link(&self) -> String {
        match &self.accepted {
            Some(a) if self.replies.iter().any(|p| p.id == a.id) => format!("#p{}", a.id),
            Some(a) => format!("/p/{}", a.id),
            None => String::new(),
        }
    }
}

/// `GET /p/{id}`: a post's permanent link, to its page of its thread.
pub(super) async fn permalink(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> PageResult {
    let id = id.into_inner();
    let viewer = ctx.actor();
    let (thread, page) = state
        .call(move |f| f.post_location(id, viewer, REPLIES_PER_PAGE))
        .await?;
    let to = if page > 1 {
        format!("/t/{thread}?page={page}#p{id}")
    } else {
        format!("/t/{thread}#p{id}")
    };
    Ok(ctx.redirect(&to))
}

#[derive(Deserialize, Default)]
pub(super) struct PageQuery {
    page: Option<i64>,
    /// The viewer's post just written and held for review.
    held: Option<i64>,
    /// The post the viewer just reported.
    reported: Option<i64>,
}

pub const REPLIES_PER_PAGE: i64 = 100;

pub(super) async fn thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> PageResult {
    let q = q.into_inner();
    let id = id.into_inner();
    if q.held.is_some() || q.reported.is_some() {
        // A notice for the one who just posted or reported: their own page.
        let view = thread_view(&state, &ctx, id, &q, Composer::default()).await?;
        ctx.viewing(Some(view.category.id), Some(view.thread.id));
        return render(&ctx, &view);
    }
    let page = format!("t/{id}?page={}", q.page.unwrap_or(1));
    let s = state.clone();
    super::shared_page(&state, &ctx, &req, page, |ctx| async move {
        let view = thread_view(&s, &ctx, id, &q, Composer::default()).await?;
        let mut authors: Vec<i64> = view.ranks.keys().copied().collect();
        authors.extend(view.accepted.as_ref().map(|p| p.author.id));
        let tags = Tags {
            kind: PageKind::Thread,
            board: Some(view.category.id),
            thread: Some(view.thread.id),
            authors,
        };
        let counts_as = (Some(view.category.id), Some(view.thread.id));
        Ok((super::render_body(&view)?, tags, counts_as))
    })
    .await
}

/// What the reply form holds when the page is drawn again after a refusal.
#[derive(Default)]
struct Composer {
    text: String,
    error: String,
}

async fn thread_view(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    id: i64,
    q: &PageQuery,
    composer: Composer,
) -> Result<ThreadPageView, PageError> {
    let viewer = ctx.actor();
    let page = Paging::pages(
        q.page,
        None,
        PageLimits::LISTING.with_default(REPLIES_PER_PAGE),
    )?
    .page;
    let (t, extras) = state
        .call(move |f| {
            let t = f.thread(id, viewer, page, REPLIES_PER_PAGE, true)?;
            let mut authors: Vec<i64> = t.replies.iter().map(|p| p.author.id).collect();
            authors.push(t.question.author.id);
            authors.sort_unstable();
            authors.dedup();
            let ranks = f.ranks_for(&authors)?;
            let duplicate_of = f.duplicate_of(id)?;
            let article = f.article_for_thread(id)?;
            let privileges = f.thread_privileges(viewer)?;
            // The accepted answer may sit on another page of replies.
            let accepted = match t.thread.accepted_post_id {
                Some(pid) => match t.replies.iter().find(|p| p.id == pid) {
                    Some(p) => Some(p.clone()),
                    None => f.post(pid, viewer).ok(),
                },
                None => None,
            };
            let move_targets = if privileges.can_move {
                f.categories(viewer)?
            } else {
                Vec::new()
            };
            Ok((
                t,
                (
                    ranks,
                    duplicate_of,
                    article,
                    privileges,
                    move_targets,
                    accepted,
                ),
            ))
        })
        .await?;
    let (ranks, duplicate_of, article, privileges, move_targets, accepted) = extras;
    let support_task = state
        .crm(move |c| c.task_for_thread(id))
        .await?
        .map(|t| (t.id, t.status.as_str().to_string()));
    let task_resolved = support_task
        .as_ref()
        .is_some_and(|(_, s)| s == "resolved" || s == "closed");
    // Asked only when it decides something: a resolved task, nothing accepted.
    let staff_replied = if task_resolved && accepted.is_none() {
        state.call(move |f| f.staff_replied(id)).await?
    } else {
        false
    };
    let answered_by = AnsweredBy::of(accepted.as_ref(), task_resolved, staff_replied);
    // The member's unposted reply to this thread, back in the composer.
    let composer = match viewer {
        Some(a) if composer.text.is_empty() => Composer {
            text: state
                .call(move |f| f.draft(a.user_id, DraftKey::Reply { thread_id: id }))
                .await?
                .map(|d| d.body)
                .unwrap_or_default(),
            error: composer.error,
        },
        _ => composer,
    };
    let watching = match viewer {
        Some(a) => {
            state
                .call(move |f| f.is_subscribed(a.user_id, "thread", id))
                .await?
        }
        None => false,
    };
    let page_count = ((t.total_replies + t.per_page - 1) / t.per_page).max(1);
    Ok(ThreadPageView {
        layout: ctx.layout(),
        thread: t.thread,
        category: t.category,
        question: t.question,
        replies: t.replies,
        accepted,
        total_replies: t.total_replies,
        page: t.page,
        page_count,
        ranks,
        duplicate_of,
        article,
        can_move: privileges.can_move,
        can_mark_duplicate: privileges.can_mark_duplicate,
        can_edit_any: privileges.can_edit_any,
        move_targets,
        support_task,
        answered_by,
        watching,
        held: q.held,
        reported: q.reported,
        flag_reasons: forum::review::FlagReason::ALL.map(forum::review::FlagReason::as_str),
        draft: composer.text,
        reply_error: composer.error,
        body_max: forum::validate::BODY_MAX,
    })
}

#[derive(Deserialize)]
pub(super) struct BodyForm {
    csrf: String,
    body: String,
}

pub(super) async fn reply(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    id: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let thread_id = id.into_inner();
    let form = form.into_inner();
    let origin = crate::spam_check::origin_of(&req);
    let body = form.body.clone();
    let result = state
        .call(move |f| {
            let submitted = f.submit_reply_from(actor, thread_id, &body, &origin)?;
            // Posted: the draft has done its job (a failure leaves it, harmless).
            if let Err(e) = f.discard_draft(actor.user_id, DraftKey::Reply { thread_id }) {
                tracing::warn!(error = %e, "draft not discarded");
            }
            Ok((
                submitted,
                f.thread(thread_id, Some(actor), 1, 1, false)?.total_replies,
            ))
        })
        .await;
    let (submitted, total) = match result {
        Ok(done) => done,
        // Refused for what it says (too long, empty, repeated): the page
        // again, the text in the composer and the reason beside it.
        Err(WebError::Forum(e @ forum::ForumError::Validation { .. })) => {
            let composer = Composer {
                text: form.body,
                error: WebError::Forum(e).localized_message(ctx.lang),
            };
            let view =
                thread_view(&state, &ctx, thread_id, &PageQuery::default(), composer).await?;
            return Ok(super::with_status(render(&ctx, &view)?, 422));
        }
        Err(e) => return Err(e.into()),
    };
    let last_page = ((total + REPLIES_PER_PAGE - 1) / REPLIES_PER_PAGE).max(1);
    let post_id = submitted.post_id;
    let held = if submitted.held.is_empty() {
        String::new()
    } else {
        format!("&held={post_id}")
    };
    Ok(ctx.redirect(&format!("/t/{thread_id}?page={last_page}{held}#p{post_id}")))
}

#[derive(Deserialize)]
pub(super) struct ReportForm {
    csrf: String,
    reason: String,
    #[serde(default)]
    note: String,
}

/// A member reports a post; the thread says so (and whether it is hidden).
pub(super) async fn report(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<ReportForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let post_id = id.into_inner();
    let form = form.into_inner();
    let reason = forum::review::FlagReason::parse(&form.reason)?;
    let thread_id = state
        .call(move |f| {
            let thread_id = f.thread_of_post(post_id, Some(actor))?;
            f.flag_post(actor, post_id, reason, &form.note)?;
            Ok(thread_id)
        })
        .await?;
    Ok(ctx.redirect(&format!("/t/{thread_id}?reported={post_id}#p{post_id}")))
}

#[derive(Deserialize)]
pub(super) struct FlagForm {
    csrf: String,
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    locked: Option<String>,
}

pub(super) async fn lock(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<FlagForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let id = id.into_inner();
    let locked = form.locked.as_deref() == Some("1");
    state.call(move |f| f.set_locked(actor, id, locked)).await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

async fn post_action(
    state: web::Data<AppState>,
    ctx: PageCtx,
    post_id: i64,
    csrf: &str,
    action: impl FnOnce(&forum::Forum, forum::Actor) -> forum::Result<()> + Send + 'static,
) -> PageResult {
    ctx.verify_csrf(csrf)?;
    let Some(actor) = ctx.actor() else {
        return Ok(login_redirect(&ctx));
    };
    let thread_id = state
        .call(move |f| {
            let thread_id = f.thread_of_post(post_id, Some(actor))?;
            action(f, actor)?;
            Ok(thread_id)
        })
        .await?;
    Ok(ctx.redirect(&format!("/t/{thread_id}#p{post_id}")))
}

pub(super) async fn vote(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<FlagForm>,
) -> PageResult {
    let id = id.into_inner();
    let on = form.on.as_deref() != Some("0");
    post_action(state, ctx, id, &form.csrf, move |f, a| {
        f.vote(a, id, on).map(|_| ())
    })
    .await
}

pub(super) async fn accept(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let id = id.into_inner();
    post_action(state, ctx, id, &form.csrf, move |f, a| f.accept(a, id)).await
}

pub(super) async fn delete(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let id = id.into_inner();
    post_action(state, ctx, id, &form.csrf, move |f, a| f.delete_post(a, id)).await
}

/// `POST /preview`: Markdown rendered exactly as a post would be (the same
/// renderer and sanitiser), as an HTML fragment for the composer's live
/// preview. Members only; the form limit bounds the work.
pub(super) async fn preview(ctx: PageCtx, form: web::Form<BodyForm>) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    if ctx.actor().is_none() {
        return Err(WebError::Forum(forum::ForumError::Unauthenticated).into());
    }
    let html = forum::markdown::render(&form.body);
    Ok(actix_web::HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(html))
}

#[derive(Deserialize)]
pub(super) struct DraftForm {
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// `POST /drafts/{key}`: keep what the member is writing (`ask` or
/// `thread:<id>`); the composer sends it a moment after typing stops.
pub(super) async fn save_draft(
    state: web::Data<AppState>,
    ctx: PageCtx,
    key: web::Path<String>,
    form: web::Form<DraftForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let Some(actor) = ctx.actor() else {
        return Err(WebError::Forum(forum::ForumError::Unauthenticated).into());
    };
    let key = DraftKey::parse(&key)?;
    let form = form.into_inner();
    state
        .call(move |f| f.save_draft(actor, key, &form.title, &form.body))
        .await?;
    Ok(actix_web::HttpResponse::NoContent()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .finish())
}

#[derive(Deserialize)]
pub(super) struct MentionQuery {
    #[serde(default)]
    q: String,
}

/// `GET /members/mention?q=`: members an `@prefix` may mean, for the
/// composer's completion (members only; usernames are public on pages).
pub(super) async fn mention(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<MentionQuery>,
) -> PageResult {
    if ctx.actor().is_none() {
        return Err(WebError::Forum(forum::ForumError::Unauthenticated).into());
    }
    let prefix = q.into_inner().q;
    let found = state
        .call(move |f| f.mention_candidates(&prefix, 6))
        .await?;
    let body = serde_json::json!({
        "said": crate::i18n::message(ctx.lang, "compose-mentions", &[("count", (found.len() as i64).into())]),
        "results": found
            .into_iter()
            .map(|(username, name)| serde_json::json!({ "username": username, "name": name }))
            .collect::<Vec<_>>(),
    });
    Ok(actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(body))
}
