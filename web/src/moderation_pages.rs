//! The review queue page at `/mod/review` (moderators): every held or
//! reported post with its reasons, reports and author's trust, the SLA
//! figures, and forms to claim, decide one item or many at once. The
//! decisions are the domain's (`forum::review`); these handlers translate
//! forms.

use actix_web::web;
use askama::Template;
use forum::review::{
    Decision, DecisionInput, FlagReason, HoldReason, ReviewItem, ReviewState, ReviewStats,
    TrustLevel,
};
use forum::{Actor, ForumError, PageLimits, Paging};
use serde::Deserialize;

use crate::admin_pages::id_text;
use crate::error::WebError;
use crate::i18n::Arg;
use crate::layout::Layout;
use crate::pages::{render, PageError, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/mod/review", web::get().to(queue))
        .route("/mod/review/bulk", web::post().to(decide_many))
        .route("/mod/review/{id}/claim", web::post().to(claim))
        .route("/mod/review/{id}/decide", web::post().to(decide));
}

fn moderator(ctx: &PageCtx) -> Result<Actor, PageError> {
    let actor = ctx.require_actor()?;
    if !actor.role.can_moderate() {
        return Err(PageError(WebError::Forum(ForumError::Forbidden(
            "moderators only",
        ))));
    }
    Ok(actor)
}

#[derive(Template)]
#[template(path = "mod_review.html")]
struct QueuePage {
    layout: Layout,
    items: Vec<ReviewItem>,
    total: i64,
    page: i64,
    page_count: i64,
    state: String,
    sort: String,
    stats: ReviewStats,
    sla_hours: i64,
    now: i64,
    /// What the last action did, to say so at the top.
    done: Option<String>,
    decisions: [Decision; 4],
}

impl QueuePage {
    fn overdue(&self, item: &ReviewItem) -> bool {
        item.state == "open" && self.now - item.created_at > self.sla_hours * 3_600_000
    }

    /// "Last 30 days: time to review 3 h 20 min (median), …": four
    /// figures, more than the templates' `t2` carries.
    fn month_summary(&self) -> String {
        let s = &self.stats;
        crate::i18n::message(
            self.layout.lang,
            "mod-month-summary",
            &[
                ("value", Arg::from(span(&self.layout, &s.review_p50_ms))),
                ("other", Arg::from(span(&self.layout, &s.review_p90_ms))),
                ("count", Arg::from(s.decided)),
                ("n", Arg::from(s.approved)),
            ],
        )
    }
}

/// A duration in milliseconds, for people ("3 h 20 min").
fn span(layout: &Layout, ms: &Option<i64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) => {
            let mins = ms / 60_000;
            if mins < 60 {
                layout.t1("mod-span-minutes", "minutes", mins)
            } else {
                layout.t2("mod-span-hours", "hours", mins / 60, "minutes", mins % 60)
            }
        }
    }
}

// ------------------------------------------------------------ labels

/// How far Hearth trusts a member, as a bare word ("new").
pub(crate) fn trust_label(layout: &Layout, trust: &TrustLevel) -> String {
    match trust {
        TrustLevel::New => layout.t("mod-trust-new"),
        TrustLevel::Member => layout.t("mod-trust-member"),
        TrustLevel::Leader => layout.t("mod-trust-leader"),
        TrustLevel::Staff => layout.t("mod-trust-staff"),
    }
}

/// The author's trust as a badge beside their name ("new member").
fn author_trust_label(layout: &Layout, trust: &TrustLevel) -> String {
    match trust {
        TrustLevel::New => layout.t("mod-author-new"),
        TrustLevel::Member => layout.t("mod-author-member"),
        TrustLevel::Leader => layout.t("mod-author-leader"),
        TrustLevel::Staff => layout.t("mod-author-staff"),
    }
}

fn decision_label(layout: &Layout, d: &Decision) -> String {
    match d {
        Decision::Approve => layout.t("mod-decision-approve"),
        Decision::Reject => layout.t("mod-decision-reject"),
        Decision::RejectAndSilence => layout.t("mod-decision-reject_and_silence"),
        Decision::DeleteSpam => layout.t("mod-decision-delete_spam"),
    }
}

/// What became of a decided item ("Rejected, author silenced"), from the
/// decision taken, else from the item's state.
fn outcome_label(layout: &Layout, state: &str, decision: &str) -> String {
    match Decision::parse(decision) {
        Ok(Decision::Approve) => layout.t("mod-outcome-approve"),
        Ok(Decision::Reject) => layout.t("mod-outcome-reject"),
        Ok(Decision::RejectAndSilence) => layout.t("mod-outcome-reject_and_silence"),
        Ok(Decision::DeleteSpam) => layout.t("mod-outcome-delete_spam"),
        Err(_) => match state {
            "approved" => layout.t("mod-outcome-approve"),
            "rejected" => layout.t("mod-outcome-reject"),
            "open" => layout.t("mod-outcome-open"),
            other => other.to_string(),
        },
    }
}

fn post_state_label(layout: &Layout, state: &ReviewState) -> String {
    match state {
        ReviewState::Held => layout.t("mod-post-held"),
        ReviewState::Hidden => layout.t("mod-post-hidden"),
        ReviewState::Rejected => layout.t("mod-post-rejected"),
    }
}

fn flag_reason_label(layout: &Layout, reason: &FlagReason) -> String {
    match reason {
        FlagReason::Spam => layout.t("mod-flag-spam"),
        FlagReason::Abusive => layout.t("mod-flag-abusive"),
        FlagReason::OffTopic => layout.t("mod-flag-off_topic"),
        FlagReason::NeedsStaff => layout.t("mod-flag-needs_staff"),
        FlagReason::Other => layout.t("mod-flag-other"),
    }
}

/// One spam signal in the page's language; a stored sentence this version
/// does not write is shown as stored.
fn spam_signal(layout: &Layout, stored: &str) -> String {
    use forum::spam::Signal;
    match Signal::parse(stored) {
        Some(Signal::ReadsLikeSpam { percent }) => {
            layout.t1("mod-signal-reads-like-spam", "percent", percent)
        }
        Some(Signal::SameText { accounts }) => layout.count("mod-signal-same-text", accounts),
        Some(Signal::SpamHosts { hosts }) => layout.count("mod-signal-spam-hosts", hosts),
        Some(Signal::UnseenHosts { hosts }) => layout.count("mod-signal-unseen-hosts", hosts),
        Some(Signal::Links { count }) => layout.count("mod-signal-links", count),
        Some(Signal::TypedTooFast { chars, seconds }) => layout.t2(
            "mod-signal-typed-too-fast",
            "count",
            chars,
            "seconds",
            layout.lang.decimal(&seconds),
        ),
        Some(Signal::RemoteSaysSpam) => layout.t("mod-signal-remote"),
        None => stored.to_string(),
    }
}

/// Why a post is held, in the page's language (the spam checker's signals
/// too: they are stored as English sentences `Signal::parse` reads back).
fn hold_reason(layout: &Layout, reason: &HoldReason) -> String {
    match reason {
        HoldReason::TooManyLinks { count, max } => {
            layout.t2("mod-hold-links", "count", count, "max", max)
        }
        HoldReason::TooManyMentions { count, max } => {
            layout.t2("mod-hold-mentions", "count", count, "max", max)
        }
        HoldReason::FirstDayTopics { max } => layout.t1("mod-hold-first-day-topics", "max", max),
        HoldReason::FirstDayReplies { max } => layout.t1("mod-hold-first-day-replies", "max", max),
        HoldReason::TooSoon { wait_secs } => layout.t1("mod-hold-too-soon", "seconds", wait_secs),
        HoldReason::Premoderation => layout.t("mod-hold-premoderation"),
        HoldReason::Flagged { score } => layout.t1("mod-hold-flagged", "score", score),
        HoldReason::LikelySpam { score, signals } => {
            let score = layout.t1("mod-hold-spam", "score", score);
            if signals.is_empty() {
                score
            } else {
                let signals: Vec<String> = signals.iter().map(|s| spam_signal(layout, s)).collect();
                format!("{score}: {}", signals.join("; "))
            }
        }
    }
}

#[derive(Deserialize)]
struct QueueQuery {
    state: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
    done: Option<String>,
}

async fn queue(state: web::Data<AppState>, ctx: PageCtx, q: web::Query<QueueQuery>) -> PageResult {
    let actor = moderator(&ctx)?;
    let q = q.into_inner();
    let (filter, by_priority) =
        crate::moderation_api::queue_filter(q.state.as_deref(), q.sort.as_deref())?;
    let paging = Paging::pages(q.page, None, PageLimits::LISTING.with_default(30))?;
    let (items, stats, sla_hours, now) = state
        .call(move |f| {
            Ok((
                f.moderation_queue(actor, filter, by_priority, paging.page, paging.per_page)?,
                f.moderation_stats(actor, 30)?,
                f.moderation_rules().review_sla_hours,
                f.now(),
            ))
        })
        .await?;
    let done = q
        .done
        .filter(|d| ["claimed", "decided", "bulk"].contains(&d.as_str()));
    render(
        &ctx,
        &QueuePage {
            layout: ctx.layout(),
            page_count: items.page_count(),
            total: items.total,
            page: items.page,
            items: items.items,
            state: q.state.unwrap_or_else(|| "open".into()),
            sort: q.sort.unwrap_or_else(|| "oldest".into()),
            stats,
            sla_hours,
            now,
            done,
            decisions: Decision::ALL,
        },
    )
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn claim(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = moderator(&ctx)?;
    let id = id.into_inner();
    state.call(move |f| f.claim_review(actor, id)).await?;
    Ok(ctx.redirect(&format!("/mod/review?done=claimed#r{id}")))
}

#[derive(Deserialize)]
struct DecideForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
}

fn decision_input(decision: &str, reason: String, days: &str) -> Result<DecisionInput, ForumError> {
    let days = match days.trim() {
        "" => None,
        d => Some(d.parse::<i64>().map_err(|_| {
            ForumError::invalid("days", forum::Rule::WholeNumber, "a number of days")
        })?),
    };
    Ok(DecisionInput {
        decision: Decision::parse(decision)?,
        reason,
        days,
    })
}

async fn decide(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<DecideForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = moderator(&ctx)?;
    let id = id.into_inner();
    let form = form.into_inner();
    let input = decision_input(&form.decision, form.reason, &form.days)?;
    state
        .call(move |f| f.decide_review(actor, id, &input))
        .await?;
    Ok(ctx.redirect("/mod/review?done=decided"))
}

async fn decide_many(state: web::Data<AppState>, ctx: PageCtx, body: web::Bytes) -> PageResult {
    // Repeated `id` fields (one per ticked box) do not fit a struct form.
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| WebError::BadRequest(format!("malformed form: {e}")))?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    ctx.verify_csrf(&field("csrf"))?;
    let actor = moderator(&ctx)?;
    let ids: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| {
            v.parse::<i64>()
                .map_err(|_| ForumError::validation("id", "an item id"))
        })
        .collect::<Result<_, _>>()?;
    let input = decision_input(&field("decision"), field("reason"), &field("days"))?;
    state
        .call(move |f| f.decide_reviews(actor, &ids, &input))
        .await?;
    Ok(ctx.redirect("/mod/review?done=bulk"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn spam_signals_read_in_the_moderators_language() {
        let ru = Layout::visitor("Hearth", Lang::Ru);
        let fa = Layout::visitor("Hearth", Lang::Fa);
        let held = HoldReason::LikelySpam {
            score: 80,
            signals: vec![
                forum::spam::Signal::Links { count: 3 }.describe(),
                forum::spam::Signal::TypedTooFast {
                    chars: 120,
                    seconds: "1.5".into(),
                }
                .describe(),
                "an older sentence".into(),
            ],
        };
        let line = hold_reason(&ru, &held);
        assert!(line.contains("3 ссылки"), "{line}");
        assert!(
            line.contains("первое сообщение из 120 символов написано за 1,5 с"),
            "{line}"
        );
        assert!(
            line.contains("an older sentence"),
            "stored text kept: {line}"
        );
        let line = hold_reason(&fa, &held);
        assert!(line.contains("۳ پیوند"), "{line}");
        assert!(line.contains("۱٫۵ ثانیه"), "{line}");
    }
}
