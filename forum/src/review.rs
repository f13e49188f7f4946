//! Keeping content safe without losing it: trust levels derived from a
//! member's own record, new-member limits that **hold** a post for review
//! (never drop it), members' flags and their weights, automatic hiding,
//! and the review queue's decisions. The rules are pure functions here;
//! storage (one transaction per action) is in `store/review.rs`.

use serde::{Deserialize, Serialize};

use crate::db::dispatch;
use crate::error::ForumError;
use crate::models::{Role, UserRef};

/// The `[moderation]` configuration section.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ModerationConfig {
    /// Open review items older than this are overdue (the queue's SLA).
    pub review_sla_hours: i64,
    pub trust: TrustConfig,
    pub new_members: NewMemberLimits,
    pub flags: FlagConfig,
    pub spam: crate::spam::SpamConfig,
}

impl Default for ModerationConfig {
    fn default() -> Self {
        ModerationConfig {
            review_sla_hours: 24,
            trust: TrustConfig::default(),
            new_members: NewMemberLimits::default(),
            flags: FlagConfig::default(),
            spam: crate::spam::SpamConfig::default(),
        }
    }
}

impl ModerationConfig {
    /// No new-member limits and no spam scoring (reports, the queue and
    /// boards' pre-moderation still work): the library's default, and what
    /// suites that post a lot from brand-new accounts run with.
    pub fn off() -> Self {
        ModerationConfig {
            new_members: NewMemberLimits::off(),
            spam: crate::spam::SpamConfig {
                enabled: false,
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// The moderation rules as the store applies them: the configuration and
/// the points and accepted answers that make a community leader (from the
/// rank named in `trust.leader_rank`).
#[derive(Clone, Copy)]
pub struct Screening<'a> {
    pub cfg: &'a ModerationConfig,
    pub leader: Option<(i64, i64)>,
    /// The spam classifier's tokenizer.
    pub tokenize: &'a crate::spam::Tokenize,
    /// The remote spam checker's verdict on the post being screened.
    pub remote_says_spam: Option<bool>,
    /// How long the post took to write, when the page measured it.
    pub typed_ms: Option<i64>,
}

impl<'a> Screening<'a> {
    pub fn new(
        cfg: &'a ModerationConfig,
        ranks: &crate::reputation::ReputationConfig,
        tokenize: &'a crate::spam::Tokenize,
    ) -> Self {
        let leader = ranks
            .ranks
            .iter()
            .find(|r| !cfg.trust.leader_rank.is_empty() && r.name == cfg.trust.leader_rank)
            .map(|r| (r.min_points, r.min_accepted));
        Screening {
            cfg,
            leader,
            tokenize,
            remote_says_spam: None,
            typed_ms: None,
        }
    }
}

/// How a member earns trust from Hearth's own data (`[moderation.trust]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct TrustConfig {
    /// An account younger than this is new…
    pub new_member_days: i64,
    /// …and so is one with fewer visible posts than this…
    pub trusted_after_posts: i64,
    /// …unless its reputation reached this many points.
    pub trusted_min_points: i64,
    /// An identity from the brand's single sign-on vouches for a member.
    pub sso_is_trusted: bool,
    /// So does a CRM contact with a known company.
    pub crm_company_is_trusted: bool,
    /// Members at this rank or above are community leaders: their flags
    /// weigh more. Empty: no rank makes a leader.
    pub leader_rank: String,
}

impl Default for TrustConfig {
    fn default() -> Self {
        TrustConfig {
            new_member_days: 2,
            trusted_after_posts: 3,
            trusted_min_points: 50,
            sso_is_trusted: true,
            crm_company_is_trusted: true,
            leader_rank: "Community Leader".into(),
        }
    }
}

/// Limits on new members' posts (`[moderation.new_members]`), in line with
/// Discourse's defaults. A post over a limit is held for review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct NewMemberLimits {
    /// Off: new members post like everyone else (the duplicate check and
    /// pre-moderation still apply).
    pub enabled: bool,
    pub max_links: usize,
    pub max_mentions: usize,
    pub max_topics_first_day: i64,
    pub max_replies_first_day: i64,
    /// Seconds a new member waits between two posts (0: no wait).
    pub min_seconds_between_posts: i64,
    /// The same body from the same member within this many seconds is
    /// refused (everyone but staff; 0: never).
    pub duplicate_window_secs: i64,
}

impl Default for NewMemberLimits {
    fn default() -> Self {
        NewMemberLimits {
            enabled: true,
            max_links: 2,
            max_mentions: 5,
            max_topics_first_day: 3,
            max_replies_first_day: 10,
            min_seconds_between_posts: 15,
            duplicate_window_secs: 300,
        }
    }
}

impl NewMemberLimits {
    /// No limits at all (test suites that post a lot from new accounts).
    pub fn off() -> Self {
        NewMemberLimits {
            enabled: false,
            duplicate_window_secs: 0,
            ..Default::default()
        }
    }
}

/// Members' flags (`[moderation.flags]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FlagConfig {
    /// The least trust a member needs to report posts.
    pub min_trust: TrustLevel,
    /// Reports one member may make per day.
    pub daily_allowance: u32,
    /// A post is hidden pending review when its flags weigh this much.
    pub hide_threshold: i32,
    /// An ordinary member's flag.
    pub member_weight: i32,
    /// A community leader's or staff member's flag on an established
    /// member's post (on a new member's post it reaches the threshold alone).
    pub leader_weight: i32,
}

impl Default for FlagConfig {
    fn default() -> Self {
        FlagConfig {
            min_trust: TrustLevel::New,
            daily_allowance: 20,
            hide_threshold: 3,
            member_weight: 1,
            leader_weight: 2,
        }
    }
}

/// How far Hearth trusts a member, from their record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustLevel {
    /// New: new-member limits apply.
    New,
    /// Established by age and posts, reputation, SSO or a CRM company.
    Member,
    /// A community leader by rank.
    Leader,
    /// Agents, moderators and admins.
    Staff,
}

impl TrustLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            TrustLevel::New => "new",
            TrustLevel::Member => "member",
            TrustLevel::Leader => "leader",
            TrustLevel::Staff => "staff",
        }
    }
}

/// What the trust level is computed from.
#[derive(Debug, Clone, Default)]
pub struct TrustFacts {
    pub role: Option<Role>,
    pub account_age_ms: i64,
    /// Visible posts, counted up to `trusted_after_posts`.
    pub visible_posts: i64,
    pub points: i64,
    pub is_leader_rank: bool,
    pub has_sso_identity: bool,
    pub has_crm_company: bool,
}

pub const DAY_MS: i64 = 86_400_000;

impl TrustConfig {
    pub fn level(&self, f: &TrustFacts) -> TrustLevel {
        if f.role.is_some_and(Role::is_staff) {
            return TrustLevel::Staff;
        }
        if f.is_leader_rank {
            return TrustLevel::Leader;
        }
        let vouched = (self.sso_is_trusted && f.has_sso_identity)
            || (self.crm_company_is_trusted && f.has_crm_company);
        let seasoned = f.account_age_ms >= self.new_member_days.saturating_mul(DAY_MS)
            && f.visible_posts >= self.trusted_after_posts;
        if vouched || seasoned || f.points >= self.trusted_min_points {
            TrustLevel::Member
        } else {
            TrustLevel::New
        }
    }
}

/// Why a post waits for a moderator instead of being shown. Stored with the
/// review item (JSON) and shown to the author and to moderators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum HoldReason {
    /// More links than a new member may post.
    TooManyLinks {
        count: usize,
        max: usize,
    },
    TooManyMentions {
        count: usize,
        max: usize,
    },
    /// Over the first day's allowance of new topics or replies.
    FirstDayTopics {
        max: i64,
    },
    FirstDayReplies {
        max: i64,
    },
    /// Posted again sooner than a new member may.
    TooSoon {
        wait_secs: i64,
    },
    /// The board reviews new members' first posts, or every post.
    Premoderation,
    /// Flags from members reached the hiding threshold.
    Flagged {
        score: i32,
    },
    /// The spam score (0–100) reached the threshold, for these signals.
    LikelySpam {
        score: i32,
        signals: Vec<String>,
    },
}

impl HoldReason {
    /// What the author and moderators read.
    pub fn describe(&self) -> String {
        match self {
            HoldReason::TooManyLinks { count, max } => {
                format!("{count} links; new members may post {max} per post")
            }
            HoldReason::TooManyMentions { count, max } => {
                format!("{count} mentions; new members may mention {max} people per post")
            }
            HoldReason::FirstDayTopics { max } => {
                format!("more than {max} new topics on the first day")
            }
            HoldReason::FirstDayReplies { max } => {
                format!("more than {max} replies on the first day")
            }
            HoldReason::TooSoon { wait_secs } => {
                format!("new members wait {wait_secs} s between posts")
            }
            HoldReason::Premoderation => "this board reviews posts before they appear".into(),
            HoldReason::Flagged { score } => format!("reported by members (weight {score})"),
            HoldReason::LikelySpam { score, signals } => {
                format!("spam score {score} of 100: {}", signals.join("; "))
            }
        }
    }
}

/// What a new member's post says about itself: links and mentions.
pub fn count_links(body_md: &str) -> usize {
    let lower = body_md.to_lowercase();
    let schemes = lower.matches("http://").count() + lower.matches("https://").count();
    // "www." not already counted as part of a URL with a scheme.
    let bare_www = lower
        .match_indices("www.")
        .filter(|(i, _)| !lower[..*i].ends_with("//"))
        .count();
    schemes + bare_www
}

/// New-member limits on one post. `recent` is what the member already
/// did: topics and replies since their account was made (when under a day
/// old) and the seconds since their last post.
pub struct RecentActivity {
    pub account_age_ms: i64,
    pub topics_first_day: i64,
    pub replies_first_day: i64,
    pub secs_since_last_post: Option<i64>,
}

pub fn new_member_holds(
    limits: &NewMemberLimits,
    body_md: &str,
    is_topic: bool,
    recent: &RecentActivity,
) -> Vec<HoldReason> {
    let mut reasons = Vec::new();
    if !limits.enabled {
        return reasons;
    }
    let links = count_links(body_md);
    if links > limits.max_links {
        reasons.push(HoldReason::TooManyLinks {
            count: links,
            max: limits.max_links,
        });
    }
    let mentions = crate::notify::mentions(body_md).len();
    if mentions > limits.max_mentions {
        reasons.push(HoldReason::TooManyMentions {
            count: mentions,
            max: limits.max_mentions,
        });
    }
    if recent.account_age_ms < DAY_MS {
        if is_topic && recent.topics_first_day >= limits.max_topics_first_day {
            reasons.push(HoldReason::FirstDayTopics {
                max: limits.max_topics_first_day,
            });
        }
        if !is_topic && recent.replies_first_day >= limits.max_replies_first_day {
            reasons.push(HoldReason::FirstDayReplies {
                max: limits.max_replies_first_day,
            });
        }
    }
    if let Some(secs) = recent.secs_since_last_post {
        if secs < limits.min_seconds_between_posts {
            reasons.push(HoldReason::TooSoon {
                wait_secs: limits.min_seconds_between_posts,
            });
        }
    }
    reasons
}

pub use crate::boards::Premoderation;

impl Premoderation {
    /// Whether a post by a member of this trust waits for review here.
    pub fn holds(self, trust: TrustLevel) -> bool {
        match self {
            Premoderation::None => false,
            Premoderation::NewMembers => trust == TrustLevel::New,
            Premoderation::All => trust < TrustLevel::Staff,
        }
    }
}

/// Why a member reports a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    Spam,
    Abusive,
    OffTopic,
    NeedsStaff,
    Other,
}

impl FlagReason {
    pub const ALL: [FlagReason; 5] = [
        FlagReason::Spam,
        FlagReason::Abusive,
        FlagReason::OffTopic,
        FlagReason::NeedsStaff,
        FlagReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagReason::Spam => "spam",
            FlagReason::Abusive => "abusive",
            FlagReason::OffTopic => "off_topic",
            FlagReason::NeedsStaff => "needs_staff",
            FlagReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                ForumError::invalid(
                    "reason",
                    crate::Rule::OneOf {
                        choices: "spam, abusive, off_topic, needs_staff, other".into(),
                    },
                    "one of spam, abusive, off_topic, needs_staff, other",
                )
            })
    }
}

/// How much one flag weighs.
pub fn flag_weight(cfg: &FlagConfig, flagger: TrustLevel, author: TrustLevel) -> i32 {
    match flagger {
        TrustLevel::Leader | TrustLevel::Staff if author == TrustLevel::New => cfg.hide_threshold,
        TrustLevel::Leader | TrustLevel::Staff => cfg.leader_weight,
        _ => cfg.member_weight,
    }
}

/// Where a post stands with moderation (None in `Post::review`: ordinary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Written, waiting for review; never shown to others yet.
    Held,
    /// Hidden pending review after members' flags.
    Hidden,
    /// Refused by a moderator.
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Held => "held",
            ReviewState::Hidden => "hidden",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "held" => Some(ReviewState::Held),
            "hidden" => Some(ReviewState::Hidden),
            "rejected" => Some(ReviewState::Rejected),
            _ => None,
        }
    }
}

/// A moderator's decision on a review item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The post is fine: shown (published if it was held), flags dismissed.
    Approve,
    /// Hidden for good; the author is told why.
    Reject,
    /// Rejected, and the author silenced for `silence_days`.
    RejectAndSilence,
    /// Spam: every post of the author hidden and the account suspended.
    DeleteSpam,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Approve,
        Decision::Reject,
        Decision::RejectAndSilence,
        Decision::DeleteSpam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
            Decision::RejectAndSilence => "reject_and_silence",
            Decision::DeleteSpam => "delete_spam",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                ForumError::invalid(
                    "decision",
                    crate::Rule::OneOf {
                        choices: "approve, reject, reject_and_silence, delete_spam".into(),
                    },
                    "one of approve, reject, reject_and_silence, delete_spam",
                )
            })
    }
}

/// A decision with what the author is told.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub decision: Decision,
    pub reason: String,
    /// For `RejectAndSilence` (default 7) and `DeleteSpam` (None: ban).
    pub days: Option<i64>,
}

/// One flag as moderators see it.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: i64,
    pub flagger: UserRef,
    pub reason: FlagReason,
    pub note: String,
    pub weight: i32,
    pub created_at: i64,
}

/// One item of the review queue.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub is_question: bool,
    pub author: UserRef,
    pub author_trust: Option<TrustLevel>,
    pub body_md: String,
    pub body_html: String,
    pub state: String,
    pub post_state: Option<ReviewState>,
    pub hold_reasons: Vec<HoldReason>,
    pub flags: Vec<FlagView>,
    pub flag_score: i32,
    pub held_at_creation: bool,
    pub priority: i64,
    pub created_at: i64,
    pub claimed_by: Option<UserRef>,
    pub claimed_at: Option<i64>,
    pub decided_by: Option<UserRef>,
    pub decided_at: Option<i64>,
    pub decision: String,
    pub decision_reason: String,
}

/// Higher comes first among items of the same age: hidden posts (readers
/// already see a gap), staff-attention flags, and weight of flags.
pub fn priority(flag_score: i32, hid_post: bool, needs_staff: bool) -> i64 {
    i64::from(flag_score) * 10 + if hid_post { 50 } else { 0 } + if needs_staff { 30 } else { 0 }
}

/// Which items the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueFilter {
    #[default]
    Open,
    Decided,
}

/// Figures for the dashboard and the moderation SLA.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewStats {
    pub open_items: i64,
    pub open_flags: i64,
    pub held_posts: i64,
    pub hidden_posts: i64,
    /// Open items older than the SLA.
    pub overdue_items: i64,
    /// Time from an item's creation to its decision, over the window.
    pub review_p50_ms: Option<i64>,
    pub review_p90_ms: Option<i64>,
    pub decided: i64,
    /// Decided items approved (holds and hides that were false alarms).
    pub approved: i64,
    pub flags_in_window: i64,
    pub posts_in_window: i64,
}

impl ReviewStats {
    /// Flags per 1,000 posts written in the window.
    pub fn flags_per_thousand_posts(&self) -> Option<f64> {
        (self.posts_in_window > 0)
            .then(|| self.flags_in_window as f64 * 1000.0 / self.posts_in_window as f64)
    }

    /// Share of decided items that were approved.
    pub fn false_positive_share(&self) -> Option<f64> {
        (self.decided > 0).then(|| self.approved as f64 / self.decided as f64)
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// What happened to a post that was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submitted {
    pub thread_id: i64,
    pub post_id: i64,
    /// Empty: published. Otherwise held for review, for these reasons.
    pub held: Vec<HoldReason>,
}

/// What a flag did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FlagOutcome {
    pub review_id: i64,
    /// The flags reached the threshold and the post is now hidden.
    pub hid_post: bool,
}

/// Many decisions at once: each item is its own transaction, so one that
/// fails (already decided by someone else) does not undo the others.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BulkOutcome {
    pub decided: Vec<i64>,
    /// (item id, why it was not decided)
    pub failed: Vec<(i64, String)>,
}

impl crate::Forum {
    /// Use these moderation rules (trust, new-member limits, flags).
    /// The file's rules: site settings changed live go on top of these.
    pub fn with_moderation(mut self, cfg: ModerationConfig) -> Self {
        let cfg = std::sync::Arc::new(cfg);
        self.moderation_base = cfg.clone();
        self.moderation = std::sync::Arc::new(std::sync::RwLock::new(cfg));
        self
    }

    /// The rules in force now (the file's, with live site settings).
    pub fn moderation_rules(&self) -> std::sync::Arc<ModerationConfig> {
        self.moderation
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn screening<'a>(&'a self, cfg: &'a ModerationConfig) -> Screening<'a> {
        Screening::new(cfg, self.reputation_rules(), &self.tokenize)
    }

    /// Count words for the spam classifier with this tokenizer (the search
    /// analyzer, so every language of the community counts as in search).
    pub fn with_tokenizer(mut self, tokenize: crate::spam::Tokenize) -> Self {
        self.tokenize = tokenize;
        self
    }

    /// Ask this service too about new members' posts (off unless set).
    pub fn with_remote_spam_checker(
        mut self,
        checker: std::sync::Arc<dyn crate::spam::RemoteSpamChecker>,
    ) -> Self {
        self.remote_checker = Some(checker);
        self
    }

    /// The remote checker's verdict on a post by `actor`, asked only for
    /// new members and only when a checker is configured. Its failure is
    /// logged and ignored: the local score still applies.
    pub(crate) fn remote_verdict(
        &self,
        actor: crate::Actor,
        content: &str,
        origin: &crate::spam::PostOrigin,
    ) -> Option<bool> {
        let checker = self.remote_checker.as_ref()?;
        if actor.role.is_staff() || !self.moderation_rules().spam.enabled {
            return None;
        }
        match self.trust_level(actor.user_id) {
            Ok(TrustLevel::New) => {}
            Ok(_) => return None,
            Err(e) => {
                tracing::warn!(error = %e, "trust level for the spam checker");
                return None;
            }
        }
        let user = self.user(actor.user_id).ok()?;
        let check = crate::spam::RemoteCheck {
            author_name: user.username,
            author_email: user.email,
            client_addr: origin.client_addr.clone(),
            user_agent: origin.user_agent.clone(),
            content: content.to_owned(),
            kind: "forum-post",
        };
        match checker.check(&check) {
            Ok(spam) => Some(spam),
            Err(e) => {
                tracing::warn!(error = %e, "the remote spam checker failed; the local score applies");
                None
            }
        }
    }

    /// How much the spam classifier has learnt: (spam posts, not spam).
    pub fn spam_training_counts(&self) -> crate::Result<(i64, i64)> {
        dispatch!(&self.db, spam_training_counts())
    }

    /// How far Hearth trusts a member, from their record.
    pub fn trust_level(&self, user_id: i64) -> crate::Result<TrustLevel> {
        let rules = self.moderation_rules();
        let s = self.screening(&rules);
        dispatch!(&self.db, trust_of(self.now(), user_id, &s))
    }

    /// Report a post (see `store::review::flag_post`).
    pub fn flag_post(
        &self,
        actor: crate::Actor,
        post_id: i64,
        reason: FlagReason,
        note: &str,
    ) -> crate::Result<FlagOutcome> {
        self.ensure_may_post(actor)?;
        let note = if note.trim().is_empty() {
            String::new()
        } else {
            crate::validate::line("note", note, 500)?
        };
        let rules = self.moderation_rules();
        let s = self.screening(&rules);
        let outcome = dispatch!(
            &self.db,
            flag_post(self.now(), actor, post_id, reason, &note, &s)
        )?;
        tracing::info!(
            post_id,
            user_id = actor.user_id,
            reason = reason.as_str(),
            hidden = outcome.hid_post,
            "post reported"
        );
        Ok(outcome)
    }

    /// A page of the review queue (moderators).
    pub fn moderation_queue(
        &self,
        actor: crate::Actor,
        filter: QueueFilter,
        by_priority: bool,
        page: i64,
        per_page: i64,
    ) -> crate::Result<crate::Paged<ReviewItem>> {
        crate::policy::ensure_can_moderate(actor)?;
        let (page, per_page) = crate::clamp_page(page, per_page);
        let rules = self.moderation_rules();
        let s = self.screening(&rules);
        dispatch!(
            &self.db,
            moderation_queue(self.now(), filter, by_priority, page, per_page, &s)
        )
    }

    pub fn moderation_item(&self, actor: crate::Actor, id: i64) -> crate::Result<ReviewItem> {
        crate::policy::ensure_can_moderate(actor)?;
        let rules = self.moderation_rules();
        let s = self.screening(&rules);
        dispatch!(&self.db, moderation_item(self.now(), id, &s))
    }

    pub fn claim_review(&self, actor: crate::Actor, id: i64) -> crate::Result<()> {
        dispatch!(&self.db, claim_review(self.now(), actor, id))
    }

    pub fn decide_review(
        &self,
        actor: crate::Actor,
        id: i64,
        input: &DecisionInput,
    ) -> crate::Result<()> {
        let rules = self.moderation_rules();
        let s = self.screening(&rules);
        dispatch!(&self.db, decide_review(self.now(), actor, id, input, &s))?;
        tracing::info!(
            review_id = id,
            moderator = actor.user_id,
            decision = input.decision.as_str(),
            "review decided"
        );
        Ok(())
    }

    /// The same decision on many items (at most 100).
    pub fn decide_reviews(
        &self,
        actor: crate::Actor,
        ids: &[i64],
        input: &DecisionInput,
    ) -> crate::Result<BulkOutcome> {
        crate::policy::ensure_can_moderate(actor)?;
        if ids.is_empty() || ids.len() > 100 {
            return Err(ForumError::invalid(
                "ids",
                crate::Rule::Range { min: 1, max: 100 },
                "choose between 1 and 100 items",
            ));
        }
        let mut out = BulkOutcome::default();
        for &id in ids {
            match self.decide_review(actor, id, input) {
                Ok(()) => out.decided.push(id),
                Err(e @ (ForumError::Database(_) | ForumError::Internal(_))) => return Err(e),
                Err(e) => out.failed.push((id, e.to_string())),
            }
        }
        Ok(out)
    }

    /// Queue and SLA figures over the last `days` days (moderators).
    pub fn moderation_stats(&self, actor: crate::Actor, days: i64) -> crate::Result<ReviewStats> {
        crate::policy::ensure_can_moderate(actor)?;
        let now = self.now();
        let since = now - days.clamp(1, 365) * DAY_MS;
        let sla = self.moderation_rules().review_sla_hours;
        dispatch!(&self.db, moderation_stats(now, since, sla))
    }

    /// Flags on a member's posts, and flags they gave.
    pub fn flag_counts(&self, user_id: i64) -> crate::Result<(i64, i64)> {
        dispatch!(&self.db, flag_counts(user_id))
    }

    /// The open review item of a post, if any.
    pub fn open_review_of(&self, post_id: i64) -> crate::Result<Option<i64>> {
        dispatch!(&self.db, open_review_of(post_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_counted_with_or_without_a_scheme() {
        assert_eq!(count_links("no links here"), 0);
        assert_eq!(
            count_links("see [a](https://a.example) and <http://b.example> or www.c.example"),
            3
        );
        assert_eq!(count_links("https://www.example.com once"), 1);
        assert_eq!(count_links("HTTPS://SHOUTING.example"), 1);
    }

    #[test]
    fn trust_comes_from_the_record() {
        let cfg = TrustConfig::default();
        let new = TrustFacts::default();
        assert_eq!(cfg.level(&new), TrustLevel::New);
        let old_but_silent = TrustFacts {
            account_age_ms: 30 * DAY_MS,
            ..Default::default()
        };
        assert_eq!(
            cfg.level(&old_but_silent),
            TrustLevel::New,
            "sleeper accounts"
        );
        let seasoned = TrustFacts {
            visible_posts: 3,
            ..old_but_silent.clone()
        };
        assert_eq!(cfg.level(&seasoned), TrustLevel::Member);
        let sso = TrustFacts {
            has_sso_identity: true,
            ..Default::default()
        };
        assert_eq!(cfg.level(&sso), TrustLevel::Member);
        let no_sso = TrustConfig {
            sso_is_trusted: false,
            ..TrustConfig::default()
        };
        assert_eq!(no_sso.level(&sso), TrustLevel::New);
        let company = TrustFacts {
            has_crm_company: true,
            ..Default::default()
        };
        assert_eq!(cfg.level(&company), TrustLevel::Member);
        let points = TrustFacts {
            points: 50,
            ..Default::default()
        };
        assert_eq!(cfg.level(&points), TrustLevel::Member);
        let leader = TrustFacts {
            is_leader_rank: true,
            ..Default::default()
        };
        assert_eq!(cfg.level(&leader), TrustLevel::Leader);
        let agent = TrustFacts {
            role: Some(Role::Agent),
            ..Default::default()
        };
        assert_eq!(cfg.level(&agent), TrustLevel::Staff);
    }

    fn fresh() -> RecentActivity {
        RecentActivity {
            account_age_ms: 1000,
            topics_first_day: 0,
            replies_first_day: 0,
            secs_since_last_post: None,
        }
    }

    #[test]
    fn new_member_limits_hold_and_say_why() {
        let limits = NewMemberLimits::default();
        assert!(new_member_holds(&limits, "hello", true, &fresh()).is_empty());
        let spam = "https://a.example https://b.example https://c.example";
        assert_eq!(
            new_member_holds(&limits, spam, false, &fresh()),
            vec![HoldReason::TooManyLinks { count: 3, max: 2 }]
        );
        let busy = RecentActivity {
            topics_first_day: 3,
            replies_first_day: 10,
            secs_since_last_post: Some(2),
            ..fresh()
        };
        assert_eq!(
            new_member_holds(&limits, "hi", true, &busy),
            vec![
                HoldReason::FirstDayTopics { max: 3 },
                HoldReason::TooSoon { wait_secs: 15 }
            ]
        );
        assert_eq!(
            new_member_holds(&limits, "hi", false, &busy),
            vec![
                HoldReason::FirstDayReplies { max: 10 },
                HoldReason::TooSoon { wait_secs: 15 }
            ]
        );
        let day_two = RecentActivity {
            account_age_ms: DAY_MS + 1,
            secs_since_last_post: Some(60),
            ..busy
        };
        assert!(new_member_holds(&limits, "hi", true, &day_two).is_empty());
        assert!(new_member_holds(&NewMemberLimits::off(), spam, true, &fresh()).is_empty());
        let mentions = "@ann @bob @cat @dan @eve @fay";
        assert_eq!(
            new_member_holds(&limits, mentions, false, &fresh()),
            vec![HoldReason::TooManyMentions { count: 6, max: 5 }]
        );
    }

    #[test]
    fn leaders_and_staff_hide_a_newcomers_post_alone() {
        let cfg = FlagConfig::default();
        assert_eq!(flag_weight(&cfg, TrustLevel::New, TrustLevel::New), 1);
        assert_eq!(flag_weight(&cfg, TrustLevel::Member, TrustLevel::New), 1);
        assert_eq!(
            flag_weight(&cfg, TrustLevel::Leader, TrustLevel::New),
            cfg.hide_threshold
        );
        assert_eq!(
            flag_weight(&cfg, TrustLevel::Staff, TrustLevel::New),
            cfg.hide_threshold
        );
        assert_eq!(flag_weight(&cfg, TrustLevel::Leader, TrustLevel::Member), 2);
    }

    #[test]
    fn premoderation_modes() {
        assert!(!Premoderation::None.holds(TrustLevel::New));
        assert!(Premoderation::NewMembers.holds(TrustLevel::New));
        assert!(!Premoderation::NewMembers.holds(TrustLevel::Member));
        assert!(Premoderation::All.holds(TrustLevel::Leader));
        assert!(!Premoderation::All.holds(TrustLevel::Staff));
    }

    #[test]
    fn reasons_round_trip_as_json() {
        let r = vec![
            HoldReason::TooManyLinks { count: 3, max: 2 },
            HoldReason::Flagged { score: 3 },
        ];
        let s = serde_json::to_string(&r).unwrap();
        assert!(s.contains("\"code\":\"too_many_links\""), "{s}");
        assert_eq!(serde_json::from_str::<Vec<HoldReason>>(&s).unwrap(), r);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[5], 90.0), Some(5));
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50.0), Some(5));
        assert_eq!(percentile(&v, 90.0), Some(9));
    }
}
