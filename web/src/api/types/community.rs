//! Knowledge base, reputation and in-app notifications.

use forum::{kb, reputation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Review,
    Published,
    Archived,
}

impl From<kb::ArticleStatus> for ArticleStatus {
    fn from(s: kb::ArticleStatus) -> Self {
        match s {
            kb::ArticleStatus::Draft => ArticleStatus::Draft,
            kb::ArticleStatus::Review => ArticleStatus::Review,
            kb::ArticleStatus::Published => ArticleStatus::Published,
            kb::ArticleStatus::Archived => ArticleStatus::Archived,
        }
    }
}

/// A knowledge-base article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    /// The board's slug.
    pub category: String,
    pub category_name: String,
    pub private: bool,
    pub tags: Vec<String>,
    pub language: String,
    pub status: ArticleStatus,
    pub version: i32,
    /// The solved thread it was promoted from.
    #[schema(required = true)]
    pub source_thread_id: Option<i64>,
    #[schema(required = true)]
    pub source_post_id: Option<i64>,
    /// The answer's author, credited on the page: `[user id, display name]`.
    #[schema(required = true)]
    pub source_author: Option<(i64, String)>,
    /// The source thread changed since the article was last reviewed.
    pub source_changed: bool,
    pub auto_promoted: bool,
    pub helpful: i32,
    pub not_helpful: i32,
    pub needs_review_for_feedback: bool,
    pub created_at: i64,
    pub updated_at: i64,
    #[schema(required = true)]
    pub published_at: Option<i64>,
    /// Staff only, on `GET /kb/{slug}`, when the source changed: what
    /// changed since the last review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_change: Option<SourceChange>,
}

impl From<kb::Article> for Article {
    fn from(a: kb::Article) -> Self {
        Article {
            id: a.id,
            slug: a.slug,
            title: a.title,
            body_md: a.body_md,
            body_html: a.body_html,
            category: a.category,
            category_name: a.category_name,
            private: a.private,
            tags: a.tags,
            language: a.language,
            status: a.status.into(),
            version: a.version,
            source_thread_id: a.source_thread_id,
            source_post_id: a.source_post_id,
            source_author: a.source_author,
            source_changed: a.source_changed,
            auto_promoted: a.auto_promoted,
            helpful: a.helpful,
            not_helpful: a.not_helpful,
            needs_review_for_feedback: a.needs_review_for_feedback,
            created_at: a.created_at,
            updated_at: a.updated_at,
            published_at: a.published_at,
            source_change: None,
        }
    }
}

/// The source thread's question and accepted answer, line by line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceChange {
    pub question: Vec<DiffLine>,
    pub answer: Vec<DiffLine>,
}

impl From<kb::SourceChange> for SourceChange {
    fn from(c: kb::SourceChange) -> Self {
        SourceChange {
            question: c.question.into_iter().map(Into::into).collect(),
            answer: c.answer.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

impl From<kb::DiffLine> for DiffLine {
    fn from(d: kb::DiffLine) -> Self {
        match d {
            kb::DiffLine::Same(t) => DiffLine::Same(t),
            kb::DiffLine::Added(t) => DiffLine::Added(t),
            kb::DiffLine::Removed(t) => DiffLine::Removed(t),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleList {
    pub articles: Vec<Article>,
}

/// Edits to an article; an absent field is kept.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ArticleEdit {
    pub title: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    /// A board's slug.
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    /// Why, kept with the version.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

impl From<ArticleEdit> for kb::ArticleEdit {
    fn from(e: ArticleEdit) -> Self {
        kb::ArticleEdit {
            title: e.title,
            body: e.body,
            category: e.category,
            tags: e.tags,
            note: e.note,
        }
    }
}

/// One version of an article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleRevision {
    pub version: i32,
    pub title: String,
    pub body_md: String,
    /// The editor's display name; null when made by the system.
    #[schema(required = true)]
    pub editor: Option<String>,
    pub note: String,
    pub created_at: i64,
}

impl From<kb::ArticleRevision> for ArticleRevision {
    fn from(r: kb::ArticleRevision) -> Self {
        ArticleRevision {
            version: r.version,
            title: r.title,
            body_md: r.body_md,
            editor: r.editor,
            note: r.note,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleRevisionList {
    pub revisions: Vec<ArticleRevision>,
}

/// The status to move an article to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ArticleStatusChange {
    /// draft, review, published or archived (the last two: moderators).
    #[schema(value_type = ArticleStatus)]
    pub status: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Feedback {
    pub helpful: bool,
}

/// An article's votes after yours.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackCounts {
    pub helpful: i32,
    pub not_helpful: i32,
    /// Mostly not helpful: the article is back in the review queue.
    pub needs_review: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MoveRequest {
    /// The target board's slug.
    pub category: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DuplicateRequest {
    /// The original thread; null clears the mark.
    #[schema(required = true)]
    pub of: Option<i64>,
}

/// What a badge counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Posts,
    AcceptedAnswers,
    KudosReceived,
    KbArticles,
    AnswerCategories,
    /// The longest run of consecutive UTC days with a post.
    ActiveStreakDays,
    Points,
    /// The most votes any one of the member's live ideas holds.
    IdeaTopVotes,
    /// The member's live ideas in a completed status.
    IdeasDelivered,
}

impl From<reputation::Metric> for Metric {
    fn from(m: reputation::Metric) -> Self {
        use reputation::Metric as M;
        match m {
            M::Posts => Metric::Posts,
            M::AcceptedAnswers => Metric::AcceptedAnswers,
            M::KudosReceived => Metric::KudosReceived,
            M::KbArticles => Metric::KbArticles,
            M::AnswerCategories => Metric::AnswerCategories,
            M::ActiveStreakDays => Metric::ActiveStreakDays,
            M::Points => Metric::Points,
            M::IdeaTopVotes => Metric::IdeaTopVotes,
            M::IdeasDelivered => Metric::IdeasDelivered,
        }
    }
}

/// A badge is held at level n when the metric reaches `threshold` (level 1)
/// or, if repeatable, `threshold × n` (level n).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Badge {
    pub key: String,
    pub name: String,
    pub description: String,
    pub metric: Metric,
    pub threshold: i64,
    pub repeatable: bool,
}

impl From<reputation::BadgeRule> for Badge {
    fn from(b: reputation::BadgeRule) -> Self {
        Badge {
            key: b.key,
            name: b.name,
            description: b.description,
            metric: b.metric.into(),
            threshold: b.threshold,
            repeatable: b.repeatable,
        }
    }
}

/// A badge and how many members hold it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeCount {
    pub badge: Badge,
    pub holders: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeOverview {
    pub badges: Vec<BadgeCount>,
}

/// Who holds a badge (highest level each).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeHolder {
    pub user_id: i64,
    pub username: String,
    pub level: i32,
    pub awarded_at: i64,
}

impl From<reputation::BadgeHolder> for BadgeHolder {
    fn from(h: reputation::BadgeHolder) -> Self {
        BadgeHolder {
            user_id: h.user_id,
            username: h.username,
            level: h.level,
            awarded_at: h.awarded_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeHolders {
    pub badge: Badge,
    pub holders: Vec<BadgeHolder>,
}

/// A badge a member holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldBadge {
    pub key: String,
    pub name: String,
    pub description: String,
    pub level: i32,
    pub awarded_at: i64,
}

impl From<reputation::HeldBadge> for HeldBadge {
    fn from(b: reputation::HeldBadge) -> Self {
        HeldBadge {
            key: b.key,
            name: b.name,
            description: b.description,
            level: b.level,
            awarded_at: b.awarded_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserBadges {
    pub user_id: i64,
    pub badges: Vec<HeldBadge>,
}

/// What a member has done, as badges and ranks count it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Stats {
    pub points: i64,
    pub posts: i64,
    pub accepted: i64,
    pub kudos: i64,
    pub kb_articles: i64,
    pub answer_categories: i64,
    /// The longest run of consecutive UTC days with a post.
    pub best_streak: i64,
    /// The most votes any one of the member's live ideas holds.
    pub idea_top_votes: i64,
    /// The member's live ideas in a completed status ("Delivered").
    pub ideas_delivered: i64,
}

impl From<reputation::Stats> for Stats {
    fn from(s: reputation::Stats) -> Self {
        Stats {
            points: s.points,
            posts: s.posts,
            accepted: s.accepted,
            kudos: s.kudos,
            kb_articles: s.kb_articles,
            answer_categories: s.answer_categories,
            best_streak: s.best_streak,
            idea_top_votes: s.idea_top_votes,
            ideas_delivered: s.ideas_delivered,
        }
    }
}

/// A member's points, rank, stats and badges.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    pub user_id: i64,
    pub rank: String,
    pub stats: Stats,
    pub badges: Vec<HeldBadge>,
}

impl From<reputation::Standing> for Standing {
    fn from(s: reputation::Standing) -> Self {
        Standing {
            user_id: s.user_id,
            rank: s.rank,
            stats: s.stats.into(),
            badges: s.badges.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaderboardEntry {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub points: i64,
}

impl From<reputation::LeaderboardEntry> for LeaderboardEntry {
    fn from(e: reputation::LeaderboardEntry) -> Self {
        LeaderboardEntry {
            user_id: e.user_id,
            username: e.username,
            display_name: e.display_name,
            points: e.points,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Leaderboard {
    /// The period asked for: week, month or all.
    pub period: String,
    /// The board's slug, when the board was asked for.
    #[schema(required = true)]
    pub category: Option<String>,
    pub entries: Vec<LeaderboardEntry>,
}

/// An in-app notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    /// reply, mention, accepted, badge, …
    pub kind: String,
    pub title: String,
    /// A path on the site, e.g. `/t/12#p40`.
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

impl From<reputation::Notification> for Notification {
    fn from(n: reputation::Notification) -> Self {
        Notification {
            id: n.id,
            kind: n.kind,
            title: n.title,
            link: n.link,
            created_at: n.created_at,
            read: n.read,
        }
    }
}

/// The newest 50 notifications and how many are unread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub notifications: Vec<Notification>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarkedRead {
    /// Notifications marked read.
    pub marked: usize,
}
