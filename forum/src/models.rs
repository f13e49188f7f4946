//! Domain types handed to callers. They are plain data: storage rows are
//! mapped into them in `store`, and `web` serialises them.

use serde::{Deserialize, Serialize};

use crate::error::ForumError;
use crate::members::Standing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Agent,
    Moderator,
    Admin,
}

impl Role {
    /// 0 customer, 1 agent, 2 moderator, 3 admin: who may see what (a
    /// board's `see_min_role`, in search) compares these.
    pub fn level(self) -> u8 {
        match self {
            Role::Customer => 0,
            Role::Agent => 1,
            Role::Moderator => 2,
            Role::Admin => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// Agents, moderators and admins: may see private boards.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Customer)
    }

    /// Moderators and admins: may delete, lock and accept on behalf of askers.
    pub fn can_moderate(self) -> bool {
        matches!(self, Role::Moderator | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = ForumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "customer" => Ok(Role::Customer),
            "agent" => Ok(Role::Agent),
            "moderator" => Ok(Role::Moderator),
            "admin" => Ok(Role::Admin),
            other => Err(ForumError::invalid(
                "role",
                crate::Rule::OneOf {
                    choices: "customer, agent, moderator, admin".into(),
                },
                format!("unknown role {other:?}; expected customer, agent, moderator or admin"),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadStatus {
    Open,
    Answered,
    Solved,
    Locked,
}

impl ThreadStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadStatus::Open => "open",
            ThreadStatus::Answered => "answered",
            ThreadStatus::Solved => "solved",
            ThreadStatus::Locked => "locked",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        match s {
            "open" => Ok(ThreadStatus::Open),
            "answered" => Ok(ThreadStatus::Answered),
            "solved" => Ok(ThreadStatus::Solved),
            "locked" => Ok(ThreadStatus::Locked),
            other => Err(ForumError::invalid(
                "status",
                crate::Rule::Unknown {
                    value: other.to_string(),
                },
                format!("unknown status {other:?}"),
            )),
        }
    }
}

/// The signed-in user a request acts for. `None` where a caller is anonymous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip_serializing)]
    pub email: String,
    pub role: Role,
    pub language: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// When the member confirmed their email address by the mailed link
    /// (or staff did, or a provider vouched); None: not yet.
    #[serde(skip_serializing)]
    pub email_confirmed_at: Option<i64>,
    /// The member's time zone (an IANA name such as `Europe/Kyiv`, known
    /// to the bundled database); None: not chosen, times read in UTC.
    #[serde(skip_serializing)]
    pub time_zone: Option<String>,
    /// Active, silenced, suspended or banned; staff-only information.
    #[serde(skip_serializing)]
    pub standing: Standing,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            role: self.role,
        }
    }
}

/// Author shown beside content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Not for everyone: `see_min_role` is above customer.
    pub is_private: bool,
    pub position: i32,
    pub thread_count: i64,
    /// The lowest role that sees the board.
    pub see_min_role: Role,
    pub start_threads: crate::boards::StartThreads,
    pub crm_tasks: crate::boards::CrmTasks,
    pub premoderation: crate::boards::Premoderation,
    /// Archived: read-only, left off the board list.
    pub archived_at: Option<i64>,
    /// Discussion (questions and answers) or ideas (issue 17).
    pub kind: crate::boards::BoardKind,
}

#[derive(Debug, Clone, Serialize)]
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
    pub accepted_post_id: Option<i64>,
    pub created_at: i64,
    pub last_activity_at: i64,
}

#[derive(Debug, Clone, Serialize)]
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
    /// Held or hidden for review, or rejected (None: an ordinary post).
    /// Readers other than the author and moderators see a hidden post as
    /// a placeholder with no body.
    pub review: Option<crate::review::ReviewState>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Whether the viewer has given this post a kudo.
    pub viewer_voted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadPage {
    pub thread: ThreadSummary,
    pub category: Category,
    pub question: Post,
    pub replies: Vec<Post>,
    pub total_replies: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub id: i64,
    pub post_id: i64,
    pub editor: UserRef,
    pub title: Option<String>,
    pub body_md: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ThreadSort {
    #[default]
    Latest,
    Unanswered,
    Solved,
    Top,
}

impl ThreadSort {
    pub fn parse(s: &str) -> Result<Self, ForumError> {
        match s {
            "" | "latest" => Ok(ThreadSort::Latest),
            "unanswered" => Ok(ThreadSort::Unanswered),
            "solved" => Ok(ThreadSort::Solved),
            "top" => Ok(ThreadSort::Top),
            other => Err(ForumError::invalid(
                "sort",
                crate::Rule::OneOf {
                    choices: "latest, unanswered, solved, top".into(),
                },
                format!("unknown sort {other:?}; expected latest, unanswered, solved or top"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadSort::Latest => "latest",
            ThreadSort::Unanswered => "unanswered",
            ThreadSort::Solved => "solved",
            ThreadSort::Top => "top",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl<T> Paged<T> {
    pub fn page_count(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UserProfile {
    pub user: User,
    pub thread_count: i64,
    pub reply_count: i64,
    pub accepted_answers: i64,
    pub kudos_received: i64,
    pub recent_threads: Vec<ThreadSummary>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewThread {
    pub category: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub display_name: Option<String>,
    /// The member's interface and mail language (`en`, `ru`, `uk`, `fa`);
    /// None: English.
    #[serde(default)]
    pub language: Option<String>,
}

/// One outbox event as consumers see it: its typed body and envelope.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    pub id: i64,
    pub aggregate_id: i64,
    pub actor_id: Option<i64>,
    pub created_at: i64,
    pub body: crate::events::EventBody,
}

impl Event {
    /// The stored kind, e.g. `"thread.created"`.
    pub fn kind(&self) -> &'static str {
        self.body.kind()
    }
}

/// A consumer's place in the outbox: events are ordered by (tx_id, event_id)
/// (the derived order compares the fields in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OutboxPosition {
    pub tx_id: i64,
    pub event_id: i64,
}

impl OutboxPosition {
    pub const START: OutboxPosition = OutboxPosition {
        tx_id: -1,
        event_id: 0,
    };

    /// Compact text form, e.g. for a search index's commit payload.
    pub fn encode(self) -> String {
        format!("{}:{}", self.tx_id, self.event_id)
    }

    pub fn decode(s: &str) -> Option<OutboxPosition> {
        let (a, b) = s.split_once(':')?;
        Some(OutboxPosition {
            tx_id: a.parse().ok()?,
            event_id: b.parse().ok()?,
        })
    }
}

/// What search needs to know about a thread. `deleted` threads are to be
/// removed from any index.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadDocument {
    pub id: i64,
    pub title: String,
    pub question_md: String,
    pub accepted_answer_md: Option<String>,
    /// The most-kudoed other replies (a few), for recall.
    pub replies_md: Vec<String>,
    pub tags: Vec<String>,
    pub category_slug: String,
    pub private: bool,
    /// The least role that sees the thread's board.
    pub visible_to: Role,
    pub status: ThreadStatus,
    pub votes: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted: bool,
    /// A published KB article was made from this thread, on a board at
    /// least as visible: search shows the article in the thread's place.
    pub answered_by_article: bool,
    /// Set when the thread is an idea (a thread of an ideas board).
    pub idea: Option<IdeaDocument>,
}

/// What search shows of an idea: its status and votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdeaDocument {
    pub status_slug: String,
    pub status_kind: String,
    pub vote_count: i64,
    /// Merged into another idea: found there, not on its own.
    pub merged: bool,
}

/// Ask-page sessions and how many ended in a deflection.
#[derive(Debug, Clone, Copy, Serialize, Default, PartialEq, Eq)]
pub struct DeflectionStats {
    pub ask_sessions: i64,
    pub opened_suggestion: i64,
    pub posted: i64,
    /// Opened a suggestion and did not post.
    pub deflected: i64,
}

/// One of a member's replies, for their profile.
#[derive(Debug, Clone, Serialize)]
pub struct RecentReply {
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub created_at: i64,
    pub body_md: String,
}
