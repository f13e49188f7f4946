//! Moderation: members' reports, posts held or hidden for review, the
//! review queue and its decisions and figures. Times are milliseconds
//! since the Unix epoch.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::UserRef;

/// Where a post stands with moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Written, waiting for review; only its author and moderators see it.
    Held,
    /// Hidden pending review after members' reports: others see a
    /// placeholder with no body.
    Hidden,
    /// Refused by a moderator.
    Rejected,
}

impl From<forum::review::ReviewState> for ReviewState {
    fn from(s: forum::review::ReviewState) -> Self {
        use forum::review::ReviewState as R;
        match s {
            R::Held => ReviewState::Held,
            R::Hidden => ReviewState::Hidden,
            R::Rejected => ReviewState::Rejected,
        }
    }
}

/// Why a post waits for review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoldReason {
    /// too_many_links, too_many_mentions, first_day_topics,
    /// first_day_replies, too_soon, premoderation, flagged.
    pub code: String,
    /// For people.
    pub message: String,
}

impl From<forum::review::HoldReason> for HoldReason {
    fn from(r: forum::review::HoldReason) -> Self {
        let code = serde_json::to_value(&r)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_owned))
            .unwrap_or_default();
        HoldReason {
            code,
            message: r.describe(),
        }
    }
}

/// Sent with a 202: the post was saved and waits for a moderator.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldForReview {
    /// Always `held_for_review`.
    pub code: &'static str,
    pub message: String,
    pub reasons: Vec<HoldReason>,
}

impl HeldForReview {
    pub fn new(reasons: Vec<forum::review::HoldReason>) -> Self {
        HeldForReview {
            code: crate::error::HELD_FOR_REVIEW,
            message: "Saved: a moderator reviews posts like this one before others see them. You will be told when it is decided.".into(),
            reasons: reasons.into_iter().map(Into::into).collect(),
        }
    }
}

/// Why a member reports a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    Spam,
    Abusive,
    OffTopic,
    NeedsStaff,
    Other,
}

impl From<FlagReason> for forum::review::FlagReason {
    fn from(r: FlagReason) -> Self {
        use forum::review::FlagReason as F;
        match r {
            FlagReason::Spam => F::Spam,
            FlagReason::Abusive => F::Abusive,
            FlagReason::OffTopic => F::OffTopic,
            FlagReason::NeedsStaff => F::NeedsStaff,
            FlagReason::Other => F::Other,
        }
    }
}

impl From<forum::review::FlagReason> for FlagReason {
    fn from(r: forum::review::FlagReason) -> Self {
        use forum::review::FlagReason as F;
        match r {
            F::Spam => FlagReason::Spam,
            F::Abusive => FlagReason::Abusive,
            F::OffTopic => FlagReason::OffTopic,
            F::NeedsStaff => FlagReason::NeedsStaff,
            F::Other => FlagReason::Other,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagRequest {
    pub reason: FlagReason,
    /// What moderators should know (up to 500 characters).
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagResult {
    /// The review item the report joined.
    pub review_id: i64,
    /// The reports reached the threshold: the post is hidden pending review.
    pub hidden: bool,
}

/// One member's report, as moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Flag {
    pub id: i64,
    pub flagger: UserRef,
    pub reason: FlagReason,
    pub note: String,
    pub weight: i32,
    pub created_at: i64,
}

/// How far Hearth trusts a member, from their record.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrustLevel {
    New,
    Member,
    Leader,
    Staff,
}

impl From<forum::review::TrustLevel> for TrustLevel {
    fn from(t: forum::review::TrustLevel) -> Self {
        use forum::review::TrustLevel as T;
        match t {
            T::New => TrustLevel::New,
            T::Member => TrustLevel::Member,
            T::Leader => TrustLevel::Leader,
            T::Staff => TrustLevel::Staff,
        }
    }
}

/// One post in the review queue, with everything said about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewItem {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub is_question: bool,
    pub author: UserRef,
    #[schema(required = true)]
    pub author_trust: Option<TrustLevel>,
    pub body_md: String,
    pub body_html: String,
    /// open, approved or rejected.
    pub state: String,
    /// The post's own state now (null: shown as usual).
    #[schema(required = true)]
    pub post_state: Option<ReviewState>,
    pub hold_reasons: Vec<HoldReason>,
    pub flags: Vec<Flag>,
    pub flag_score: i32,
    /// Held when written: approving publishes it.
    pub held_at_creation: bool,
    /// Higher is more urgent: hidden posts, staff-attention reports, weight.
    pub priority: i64,
    pub created_at: i64,
    #[schema(required = true)]
    pub claimed_by: Option<UserRef>,
    #[schema(required = true)]
    pub claimed_at: Option<i64>,
    #[schema(required = true)]
    pub decided_by: Option<UserRef>,
    #[schema(required = true)]
    pub decided_at: Option<i64>,
    /// approve, reject, reject_and_silence, delete_spam (empty while open).
    pub decision: String,
    pub decision_reason: String,
}

impl From<forum::review::ReviewItem> for ReviewItem {
    fn from(i: forum::review::ReviewItem) -> Self {
        ReviewItem {
            id: i.id,
            post_id: i.post_id,
            thread_id: i.thread_id,
            thread_title: i.thread_title,
            is_question: i.is_question,
            author: i.author.into(),
            author_trust: i.author_trust.map(Into::into),
            body_md: i.body_md,
            body_html: i.body_html,
            state: i.state,
            post_state: i.post_state.map(Into::into),
            hold_reasons: i.hold_reasons.into_iter().map(Into::into).collect(),
            flags: i
                .flags
                .into_iter()
                .map(|f| Flag {
                    id: f.id,
                    flagger: f.flagger.into(),
                    reason: f.reason.into(),
                    note: f.note,
                    weight: f.weight,
                    created_at: f.created_at,
                })
                .collect(),
            flag_score: i.flag_score,
            held_at_creation: i.held_at_creation,
            priority: i.priority,
            created_at: i.created_at,
            claimed_by: i.claimed_by.map(Into::into),
            claimed_at: i.claimed_at,
            decided_by: i.decided_by.map(Into::into),
            decided_at: i.decided_at,
            decision: i.decision,
            decision_reason: i.decision_reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A moderator's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Shown (published, if it was held); reports dismissed.
    Approve,
    /// Kept out of sight; the author is told the reason.
    Reject,
    /// Rejected, and the author silenced for `days` (default 7).
    RejectAndSilence,
    /// Every post of the author removed and the account suspended for
    /// `days` (banned when absent).
    DeleteSpam,
}

impl From<Decision> for forum::review::Decision {
    fn from(d: Decision) -> Self {
        use forum::review::Decision as D;
        match d {
            Decision::Approve => D::Approve,
            Decision::Reject => D::Reject,
            Decision::RejectAndSilence => D::RejectAndSilence,
            Decision::DeleteSpam => D::DeleteSpam,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: Decision,
    /// Told to the author; required except for approve.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub days: Option<i64>,
}

impl From<&DecisionRequest> for forum::review::DecisionInput {
    fn from(r: &DecisionRequest) -> Self {
        forum::review::DecisionInput {
            decision: r.decision.into(),
            reason: r.reason.clone(),
            days: r.days,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkDecisionRequest {
    /// Up to 100 review item ids.
    pub ids: Vec<i64>,
    pub decision: Decision,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkFailure {
    pub id: i64,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionResult {
    pub decided: Vec<i64>,
    /// Items not decided (someone else decided first), with why.
    pub failed: Vec<BulkFailure>,
}

/// The queue's figures and its SLA over a window.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewStats {
    pub days: i64,
    pub open_items: i64,
    pub open_flags: i64,
    pub held_posts: i64,
    pub hidden_posts: i64,
    /// Open items older than the review SLA.
    pub overdue_items: i64,
    pub sla_hours: i64,
    /// Time from an item's creation to its decision.
    #[schema(required = true)]
    pub review_p50_ms: Option<i64>,
    #[schema(required = true)]
    pub review_p90_ms: Option<i64>,
    pub decided: i64,
    pub approved: i64,
    /// Reports per 1,000 posts written in the window.
    #[schema(required = true)]
    pub flags_per_thousand_posts: Option<f64>,
    /// Share of decisions that approved (holds and hides that were wrong).
    #[schema(required = true)]
    pub false_positive_share: Option<f64>,
}
