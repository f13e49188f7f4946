//! HTML pages for the knowledge base, leaderboards, badges and
//! notifications, and the thread actions ranks unlock.

use actix_web::web;
use askama::Template;
use forum::kb::{Article, ArticleEdit, ArticleRevision, ArticleStatus, DiffLine, SourceChange};
use forum::reputation::{BadgeHolder, BadgeRule, LeaderboardEntry, Metric, Notification};
use forum::{Category, User};
use serde::Deserialize;

use crate::error::WebError;
use crate::i18n::{message, Arg, Lang};
use crate::layout::Layout;
use crate::page_cache::{PageKind, Tags};
use crate::pages::{filters, render, render_body, shared_page, url_encode, PageError, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/kb", web::get().to(kb_home))
        .route("/kb/review", web::get().to(kb_review))
        .route("/kb/{slug}", web::get().to(kb_article))
        .route("/kb/{slug}/edit", web::get().to(kb_edit_form))
        .route("/kb/{slug}/edit", web::post().to(kb_edit_submit))
        .route("/kb/{slug}/status", web::post().to(kb_status))
        .route("/kb/{slug}/feedback", web::post().to(kb_feedback))
        .route("/t/{id}/promote", web::post().to(promote))
        .route("/t/{id}/move", web::post().to(move_thread))
        .route("/t/{id}/duplicate", web::post().to(mark_duplicate))
        .route("/leaderboard", web::get().to(leaderboard))
        .route("/badges", web::get().to(badges))
        .route("/badges/{key}", web::get().to(badge))
        .route("/notifications", web::get().to(notifications))
        .route("/notifications/read", web::post().to(mark_read));
}

fn require_user(ctx: &PageCtx) -> Result<&User, PageError> {
    ctx.user.as_ref().ok_or(PageError(WebError::Forum(
        forum::ForumError::Unauthenticated,
    )))
}

/// The catalogue id of an article state's name.
fn status_key(status: &ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => "kb-status-draft",
        ArticleStatus::Review => "kb-status-review",
        ArticleStatus::Published => "kb-status-published",
        ArticleStatus::Archived => "kb-status-archived",
    }
}

#[derive(Template)]
#[template(path = "kb_home.html")]
struct KbHome {
    layout: Layout,
    groups: Vec<((String, String), Vec<Article>)>,
}

#[derive(Deserialize)]
struct KbQuery {
    category: Option<String>,
}

async fn kb_home(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    q: web::Query<KbQuery>,
) -> PageResult {
    let category = q.into_inner().category.filter(|c| !c.is_empty());
    let key = format!("kb?category={}", category.as_deref().unwrap_or(""));
    let s = state.clone();
    shared_page(&state, &ctx, &req, key, |ctx| async move {
        let viewer = ctx.actor();
        let articles = s
            .call(move |f| f.articles(viewer, category.as_deref()))
            .await?;
        let mut groups: Vec<((String, String), Vec<Article>)> = Vec::new();
        for a in articles {
            match groups.iter_mut().find(|g| g.0 .0 == a.category) {
                Some(g) => g.1.push(a),
                None => groups.push(((a.category.clone(), a.category_name.clone()), vec![a])),
            }
        }
        groups.sort_by(|a, b| a.0 .1.cmp(&b.0 .1));
        let body = render_body(&KbHome {
            layout: ctx.layout(),
            groups,
        })?;
        Ok((body, Tags::of(PageKind::Kb), (None, None)))
    })
    .await
}

#[derive(Template)]
#[template(path = "kb_review.html")]
struct KbReview {
    layout: Layout,
    articles: Vec<Article>,
}

impl KbReview {
    fn status_key(&self, status: &ArticleStatus) -> &'static str {
        status_key(status)
    }
}

async fn kb_review(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = require_user(&ctx)?.actor();
    let articles = state.call(move |f| f.review_queue(actor)).await?;
    render(
        &ctx,
        &KbReview {
            layout: ctx.layout(),
            articles,
        },
    )
}

#[derive(Template)]
#[template(path = "kb_article.html")]
struct KbArticlePage {
    layout: Layout,
    article: Article,
}

impl KbArticlePage {
    fn status_key(&self, status: &ArticleStatus) -> &'static str {
        status_key(status)
    }
}

async fn kb_article(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: actix_web::HttpRequest,
    slug: web::Path<String>,
) -> PageResult {
    let slug = slug.into_inner();
    let key = format!("kb/{slug}");
    let s = state.clone();
    shared_page(&state, &ctx, &req, key, |ctx| async move {
        let viewer = ctx.actor();
        let article = s.call(move |f| f.article(&slug, viewer)).await?;
        let tags = Tags {
            kind: PageKind::Kb,
            board: Some(article.category_id),
            thread: article.source_thread_id,
            authors: article.source_author.iter().map(|a| a.0).collect(),
        };
        let counts_as = (Some(article.category_id), Some(article.id));
        let body = render_body(&KbArticlePage {
            layout: ctx.layout(),
            article,
        })?;
        Ok((body, tags, counts_as))
    })
    .await
}

#[derive(Template)]
#[template(path = "kb_edit.html")]
struct KbEditPage {
    layout: Layout,
    article: Article,
    change: Option<SourceChange>,
    revisions: Vec<ArticleRevision>,
    can_publish: bool,
    error: Option<String>,
}

impl KbEditPage {
    fn status_key(&self, status: &ArticleStatus) -> &'static str {
        status_key(status)
    }

    /// A revision's note: the editor's words as written, or the one the
    /// promotion writes ("Promoted from thread #12") in the page's
    /// language.
    fn note(&self, note: &str) -> String {
        let lang = self.layout.lang;
        match note
            .strip_prefix("Promoted from thread #")
            .and_then(|id| id.parse::<i64>().ok())
        {
            Some(id) => message(
                lang,
                "kb-history-promoted",
                &[("id", Arg::from(lang.digits(&id.to_string())))],
            ),
            None => note.to_string(),
        }
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &PageCtx,
    slug: String,
    error: Option<String>,
) -> PageResult {
    let actor = require_user(ctx)?.actor();
    let (article, change, revisions) = state
        .call(move |f| {
            Ok((
                f.article(&slug, Some(actor))?,
                f.article_source_change(actor, &slug)?,
                f.article_revisions(actor, &slug)?,
            ))
        })
        .await?;
    let status = if error.is_some() { 422 } else { 200 };
    let page = KbEditPage {
        layout: ctx.layout(),
        article,
        change,
        revisions,
        can_publish: actor.role.can_moderate(),
        error,
    };
    let mut resp = render(ctx, &page)?;
    *resp.status_mut() =
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
    Ok(resp)
}

async fn kb_edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> PageResult {
    edit_page(&state, &ctx, slug.into_inner(), None).await
}

#[derive(Deserialize)]
struct KbEditForm {
    csrf: String,
    title: String,
    #[serde(default)]
    tags: String,
    body: String,
    #[serde(default)]
    note: String,
}

async fn kb_edit_submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<KbEditForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let slug = slug.into_inner();
    let form = form.into_inner();
    let edit = ArticleEdit {
        title: Some(form.title),
        body: Some(form.body),
        category: None,
        tags: Some(
            // Persian keyboards type the Arabic comma.
            form.tags
                .split([',', '،'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
        ),
        note: form.note,
    };
    let s = slug.clone();
    match state.call(move |f| f.update_article(actor, &s, edit)).await {
        Ok(()) => Ok(ctx.redirect(&format!("/kb/{}/edit", url_encode(&slug)))),
        Err(e @ WebError::Forum(forum::ForumError::Validation { .. })) => {
            edit_page(&state, &ctx, slug, Some(e.localized_message(ctx.lang))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
}

async fn kb_status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<StatusForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let status = ArticleStatus::parse(&form.status).ok_or_else(|| {
        WebError::Forum(forum::ForumError::invalid(
            "status",
            forum::Rule::OneOf {
                choices: "draft, review, published, archived".into(),
            },
            "unknown status",
        ))
    })?;
    let slug = slug.into_inner();
    let s = slug.clone();
    state
        .call(move |f| f.set_article_status(actor, &s, status))
        .await?;
    let to = if status == ArticleStatus::Published {
        format!("/kb/{}", url_encode(&slug))
    } else {
        format!("/kb/{}/edit", url_encode(&slug))
    };
    Ok(ctx.redirect(&to))
}

#[derive(Deserialize)]
struct FeedbackForm {
    csrf: String,
    helpful: String,
}

async fn kb_feedback(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<FeedbackForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let helpful = form.helpful == "1";
    let slug = slug.into_inner();
    let s = slug.clone();
    state
        .call(move |f| f.article_feedback(actor, &s, helpful))
        .await?;
    Ok(ctx.redirect(&format!("/kb/{}", url_encode(&slug))))
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn promote(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let (slug, _) = state.call(move |f| f.promote_thread(actor, id)).await?;
    Ok(ctx.redirect(&format!("/kb/{}/edit", url_encode(&slug))))
}

#[derive(Deserialize)]
struct MoveForm {
    csrf: String,
    category: String,
}

async fn move_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let category = form.into_inner().category;
    state
        .call(move |f| f.move_thread(actor, id, &category))
        .await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

#[derive(Deserialize)]
struct DuplicateForm {
    csrf: String,
    /// The original thread's number or URL; empty clears the mark.
    of: String,
}

async fn mark_duplicate(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<DuplicateForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = require_user(&ctx)?.actor();
    let id = id.into_inner();
    let raw = form.of.trim();
    let of = if raw.is_empty() {
        None
    } else {
        // Accept "123", "#123" or a pasted "/t/123" link.
        let digits: String = raw
            .rsplit('/')
            .next()
            .unwrap_or(raw)
            .trim_start_matches('#')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some(digits.parse::<i64>().map_err(|_| {
            WebError::Forum(forum::ForumError::invalid(
                "of",
                forum::Rule::ThreadReference,
                "give the original thread's number or link",
            ))
        })?)
    };
    state.call(move |f| f.mark_duplicate(actor, id, of)).await?;
    Ok(ctx.redirect(&format!("/t/{id}")))
}

#[derive(Template)]
#[template(path = "leaderboard.html")]
struct LeaderboardPage {
    layout: Layout,
    /// (period, the catalogue id of its name).
    periods: Vec<(String, String)>,
    period: String,
    category: String,
    categories: Vec<Category>,
    entries: Vec<LeaderboardEntry>,
}

#[derive(Deserialize)]
struct LeaderboardQuery {
    period: Option<String>,
    category: Option<String>,
}

async fn leaderboard(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<LeaderboardQuery>,
) -> PageResult {
    let viewer = ctx.actor();
    let q = q.into_inner();
    let period = q.period.unwrap_or_else(|| "week".into());
    let category = q.category.unwrap_or_default();
    let (p, c) = (period.clone(), category.clone());
    let (entries, categories) = state
        .call(move |f| {
            let c = (!c.is_empty()).then_some(c.as_str());
            Ok((f.leaderboard(&p, c, viewer, 50)?, f.categories(viewer)?))
        })
        .await?;
    render(
        &ctx,
        &LeaderboardPage {
            layout: ctx.layout(),
            periods: [
                ("week", "community-period-week"),
                ("month", "community-period-month"),
                ("all", "community-period-all"),
            ]
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
            period,
            category,
            categories,
            entries,
        },
    )
}

/// What earns a badge, written from its rule in `lang`: "10 accepted
/// answers.", "Another 25 accepted answers (repeatable)."
pub fn badge_criterion(lang: Lang, badge: &BadgeRule) -> String {
    let (once, again) = match badge.metric {
        Metric::Posts => (
            "community-criterion-posts",
            "community-criterion-posts-again",
        ),
        Metric::AcceptedAnswers => (
            "community-criterion-accepted",
            "community-criterion-accepted-again",
        ),
        Metric::KudosReceived => (
            "community-criterion-kudos",
            "community-criterion-kudos-again",
        ),
        Metric::KbArticles => ("community-criterion-kb", "community-criterion-kb-again"),
        Metric::AnswerCategories => (
            "community-criterion-categories",
            "community-criterion-categories-again",
        ),
        Metric::ActiveStreakDays => (
            "community-criterion-streak",
            "community-criterion-streak-again",
        ),
        Metric::Points => (
            "community-criterion-points",
            "community-criterion-points-again",
        ),
        Metric::IdeaTopVotes => (
            "community-criterion-idea-votes",
            "community-criterion-idea-votes-again",
        ),
        Metric::IdeasDelivered => (
            "community-criterion-ideas-delivered",
            "community-criterion-ideas-delivered-again",
        ),
    };
    let key = if badge.repeatable { again } else { once };
    message(lang, key, &[("count", Arg::Number(badge.threshold))])
}

/// A badge's description when the site owner wrote their own (shown as
/// written, like its name), or "" when it is the built-in English one,
/// which pages replace by [`badge_criterion`] in the reader's language.
pub fn custom_badge_description(badge: &BadgeRule) -> String {
    let built_in = forum::reputation::ReputationConfig::default()
        .badges
        .iter()
        .any(|b| b.description == badge.description);
    if built_in || badge.description.trim().is_empty() {
        String::new()
    } else {
        badge.description.clone()
    }
}

#[derive(Template)]
#[template(path = "badges.html")]
struct BadgesPage {
    layout: Layout,
    badges: Vec<(BadgeRule, i64)>,
}

impl BadgesPage {
    fn criterion(&self, badge: &BadgeRule) -> String {
        badge_criterion(self.layout.lang, badge)
    }
    fn custom_description(&self, badge: &BadgeRule) -> String {
        custom_badge_description(badge)
    }
}

async fn badges(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let badges = state.call(|f| f.badges_overview()).await?;
    render(
        &ctx,
        &BadgesPage {
            layout: ctx.layout(),
            badges,
        },
    )
}

#[derive(Template)]
#[template(path = "badge.html")]
struct BadgePage {
    layout: Layout,
    badge: BadgeRule,
    holders: Vec<BadgeHolder>,
}

impl BadgePage {
    fn criterion(&self, badge: &BadgeRule) -> String {
        badge_criterion(self.layout.lang, badge)
    }
    fn custom_description(&self, badge: &BadgeRule) -> String {
        custom_badge_description(badge)
    }
}

async fn badge(state: web::Data<AppState>, ctx: PageCtx, key: web::Path<String>) -> PageResult {
    let key = key.into_inner();
    let (badge, holders) = state.call(move |f| f.badge_holders(&key)).await?;
    render(
        &ctx,
        &BadgePage {
            layout: ctx.layout(),
            badge,
            holders,
        },
    )
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    /// Each notification with its line in the page's language.
    items: Vec<(Notification, String)>,
    unread: i64,
}

async fn notifications(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let user_id = require_user(&ctx)?.id;
    let (items, unread) = state
        .call(move |f| {
            Ok((
                f.notifications(user_id, 100)?,
                f.unread_notifications(user_id)?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let items = items
        .into_iter()
        .map(|n| {
            let line = crate::notices::notice_line(lang, &n.kind, &n.title, &n.params).plain(lang);
            (n, line)
        })
        .collect();
    render(
        &ctx,
        &NotificationsPage {
            layout: ctx.layout(),
            items,
            unread,
        },
    )
}

async fn mark_read(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let user_id = require_user(&ctx)?.id;
    state
        .call(move |f| f.mark_notifications_read(user_id))
        .await?;
    Ok(ctx.redirect("/notifications"))
}
