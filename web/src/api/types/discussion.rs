//! Accounts, boards, threads and posts. Times are milliseconds since the
//! Unix epoch, UTC.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Agent,
    Moderator,
    Admin,
}

impl From<forum::Role> for Role {
    fn from(r: forum::Role) -> Self {
        match r {
            forum::Role::Customer => Role::Customer,
            forum::Role::Agent => Role::Agent,
            forum::Role::Moderator => Role::Moderator,
            forum::Role::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ThreadStatus {
    Open,
    /// Has a reply, none accepted.
    Answered,
    /// A reply is accepted as the solution.
    Solved,
    Locked,
}

impl From<forum::ThreadStatus> for ThreadStatus {
    fn from(s: forum::ThreadStatus) -> Self {
        match s {
            forum::ThreadStatus::Open => ThreadStatus::Open,
            forum::ThreadStatus::Answered => ThreadStatus::Answered,
            forum::ThreadStatus::Solved => ThreadStatus::Solved,
            forum::ThreadStatus::Locked => ThreadStatus::Locked,
        }
    }
}

/// The order of a board's threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ThreadSort {
    Latest,
    Unanswered,
    Solved,
    Top,
}

impl From<forum::ThreadSort> for ThreadSort {
    fn from(s: forum::ThreadSort) -> Self {
        match s {
            forum::ThreadSort::Latest => ThreadSort::Latest,
            forum::ThreadSort::Unanswered => ThreadSort::Unanswered,
            forum::ThreadSort::Solved => ThreadSort::Solved,
            forum::ThreadSort::Top => ThreadSort::Top,
        }
    }
}

/// A member as others see them (no email address).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Preferred language (BCP 47 tag, e.g. `en`).
    pub language: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl From<forum::User> for User {
    fn from(u: forum::User) -> Self {
        // The address stays out on purpose (only `Me` carries it), and so
        // does the standing, which is for staff.
        let forum::User {
            id,
            username,
            display_name,
            email: _,
            role,
            language,
            created_at,
            last_seen_at,
            standing: _,
            email_confirmed_at: _,
            time_zone: _,
        } = u;
        User {
            id,
            username,
            display_name,
            role: role.into(),
            language,
            created_at,
            last_seen_at,
        }
    }
}

/// The author or editor shown beside content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

impl From<forum::UserRef> for UserRef {
    fn from(u: forum::UserRef) -> Self {
        UserRef {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role.into(),
        }
    }
}

/// The caller's own account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub email: String,
    /// True while the site waits for you to open the confirmation link
    /// mailed to `email`: until then you read but cannot post, reply, vote
    /// or accept (code `email_unconfirmed`).
    pub email_confirmation_pending: bool,
    /// Your time zone (an IANA name such as `Europe/Kyiv`) in which pages
    /// write absolute times; null when you chose none (UTC).
    pub time_zone: Option<String>,
}

/// `PUT /me/time-zone`: the zone pages write absolute times in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TimeZoneChoice {
    /// An IANA name (`Europe/Kyiv`); null or blank: none (UTC).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// What `POST /me/confirm-email/resend` did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfirmationResent {
    /// A fresh link is on its way; false when there is nothing to confirm
    /// (confirmed already, or the site does not ask).
    pub sent: bool,
}

/// `login` is a username or an email address.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Username or email.
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub token_type: TokenType,
    /// Seconds until the token expires.
    pub expires_in: i64,
    pub user: User,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// 3 to 32 letters, digits, dots, dashes or underscores.
    #[schema(min_length = 3, max_length = 32)]
    pub username: String,
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(min_length = 8)]
    pub password: String,
    /// Shown instead of the username; one line, up to 64 characters.
    #[schema(max_length = 64)]
    pub display_name: Option<String>,
}

/// A member's public profile and activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Profile {
    pub user: User,
    pub thread_count: i64,
    pub reply_count: i64,
    pub accepted_answers: i64,
    pub kudos_received: i64,
    pub recent_threads: Vec<ThreadSummary>,
}

impl From<forum::UserProfile> for Profile {
    fn from(p: forum::UserProfile) -> Self {
        Profile {
            user: p.user.into(),
            thread_count: p.thread_count,
            reply_count: p.reply_count,
            accepted_answers: p.accepted_answers,
            kudos_received: p.kudos_received,
            recent_threads: p.recent_threads.into_iter().map(Into::into).collect(),
        }
    }
}

/// A board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Only staff see private boards.
    pub is_private: bool,
    pub position: i32,
    pub thread_count: i64,
}

impl From<forum::Category> for Category {
    fn from(c: forum::Category) -> Self {
        Category {
            id: c.id,
            slug: c.slug,
            name: c.name,
            description: c.description,
            is_private: c.is_private,
            position: c.position,
            thread_count: c.thread_count,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryList {
    pub categories: Vec<Category>,
}

/// A new board.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewCategory {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub is_private: bool,
    /// Boards are listed by position, then name.
    #[serde(default)]
    pub position: i32,
}

impl From<NewCategory> for forum::import::CategoryRecord {
    fn from(c: NewCategory) -> Self {
        forum::import::CategoryRecord {
            slug: c.slug,
            name: c.name,
            description: c.description,
            is_private: c.is_private,
            position: c.position,
            kind: Default::default(),
        }
    }
}

/// A thread in a listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadSummary {
    pub id: i64,
    pub category_id: i64,
    pub category_slug: String,
    pub title: String,
    pub status: ThreadStatus,
    pub author: UserRef,
    pub tags: Vec<String>,
    pub reply_count: i32,
    pub view_count: i64,
    #[schema(required = true)]
    pub accepted_post_id: Option<i64>,
    pub created_at: i64,
    pub last_activity_at: i64,
}

impl From<forum::ThreadSummary> for ThreadSummary {
    fn from(t: forum::ThreadSummary) -> Self {
        ThreadSummary {
            id: t.id,
            category_id: t.category_id,
            category_slug: t.category_slug,
            title: t.title,
            status: t.status.into(),
            author: t.author.into(),
            tags: t.tags,
            reply_count: t.reply_count,
            view_count: t.view_count,
            accepted_post_id: t.accepted_post_id,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

/// A page of a board's threads.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadList {
    pub category: Category,
    pub sort: ThreadSort,
    pub threads: Vec<ThreadSummary>,
    pub page: i64,
    pub per_page: i64,
    /// Threads in the board (all pages).
    pub total: i64,
}

/// A question.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewThread {
    /// The board's slug.
    pub category: String,
    #[schema(min_length = 5, max_length = 200)]
    pub title: String,
    /// Markdown.
    #[schema(max_length = 50000)]
    pub body: String,
    /// Letters, digits and dashes, up to 30 characters each.
    #[serde(default)]
    #[schema(max_items = 5)]
    pub tags: Vec<String>,
}

impl From<NewThread> for forum::NewThread {
    fn from(t: NewThread) -> Self {
        forum::NewThread {
            category: t.category,
            title: t.title,
            body: t.body,
            tags: t.tags,
        }
    }
}

/// The question or a reply.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Post {
    pub id: i64,
    pub thread_id: i64,
    pub author: UserRef,
    pub is_question: bool,
    /// Markdown source; empty for deleted posts shown to non-moderators.
    pub body_md: String,
    /// Sanitised HTML rendered from `body_md`.
    pub body_html: String,
    pub kudos: i32,
    pub is_accepted: bool,
    pub deleted: bool,
    /// Held or hidden for review, or rejected (null: shown as usual). Only
    /// the author and moderators see a held post's body.
    #[schema(required = true)]
    pub review: Option<super::ReviewState>,
    pub created_at: i64,
    #[schema(required = true)]
    pub edited_at: Option<i64>,
    /// Whether the caller has given this post a kudo.
    pub viewer_voted: bool,
    /// Only in the answer to posting it, when it waits for review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_for_review: Option<super::HeldForReview>,
}

impl From<forum::Post> for Post {
    fn from(p: forum::Post) -> Self {
        Post {
            id: p.id,
            thread_id: p.thread_id,
            author: p.author.into(),
            is_question: p.is_question,
            body_md: p.body_md,
            body_html: p.body_html,
            kudos: p.kudos,
            is_accepted: p.is_accepted,
            deleted: p.deleted,
            review: p.review.map(Into::into),
            held_for_review: None,
            created_at: p.created_at,
            edited_at: p.edited_at,
            viewer_voted: p.viewer_voted,
        }
    }
}

/// A thread with its question and a page of replies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Thread {
    pub thread: ThreadSummary,
    pub category: Category,
    pub question: Post,
    pub replies: Vec<Post>,
    pub total_replies: i64,
    pub page: i64,
    pub per_page: i64,
    /// Only in the answer to asking, when the question waits for review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_for_review: Option<super::HeldForReview>,
}

impl From<forum::ThreadPage> for Thread {
    fn from(p: forum::ThreadPage) -> Self {
        Thread {
            thread: p.thread.into(),
            category: p.category.into(),
            question: p.question.into(),
            replies: p.replies.into_iter().map(Into::into).collect(),
            total_replies: p.total_replies,
            page: p.page,
            per_page: p.per_page,
            held_for_review: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewReply {
    /// Markdown.
    #[schema(max_length = 50000)]
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LockRequest {
    /// `true` locks, `false` unlocks.
    pub locked: bool,
}

/// A new text for a post; `title` renames the thread (question only).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostEdit {
    pub title: Option<String>,
    /// Markdown.
    #[schema(max_length = 50000)]
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EditResult {
    pub post_id: i64,
    /// Revisions the post now has.
    pub revisions: usize,
}

/// One version of a post.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Revision {
    pub id: i64,
    pub post_id: i64,
    pub editor: UserRef,
    /// The thread's title at that version (questions only).
    #[schema(required = true)]
    pub title: Option<String>,
    pub body_md: String,
    pub created_at: i64,
}

impl From<forum::Revision> for Revision {
    fn from(r: forum::Revision) -> Self {
        Revision {
            id: r.id,
            post_id: r.post_id,
            editor: r.editor.into(),
            title: r.title,
            body_md: r.body_md,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionList {
    pub revisions: Vec<Revision>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteResult {
    pub post_id: i64,
    /// The post's kudos now.
    pub kudos: i32,
    /// Whether the caller's kudo is now on the post.
    pub voted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptResult {
    pub thread_id: i64,
    pub status: ThreadStatus,
    #[schema(required = true)]
    pub accepted_post_id: Option<i64>,
}
