//! The idea exchange's wire types (issue 17).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::UserRef;

/// What a status means: open (New, Under review), active (Planned, In
/// progress), completed (Delivered), declined, duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdeaStatusKind {
    Open,
    Active,
    Completed,
    Declined,
    Duplicate,
}

impl From<forum::ideas::StatusKind> for IdeaStatusKind {
    fn from(k: forum::ideas::StatusKind) -> Self {
        use forum::ideas::StatusKind as K;
        match k {
            K::Open => IdeaStatusKind::Open,
            K::Active => IdeaStatusKind::Active,
            K::Completed => IdeaStatusKind::Completed,
            K::Declined => IdeaStatusKind::Declined,
            K::Duplicate => IdeaStatusKind::Duplicate,
        }
    }
}

impl From<IdeaStatusKind> for forum::ideas::StatusKind {
    fn from(k: IdeaStatusKind) -> Self {
        use forum::ideas::StatusKind as K;
        match k {
            IdeaStatusKind::Open => K::Open,
            IdeaStatusKind::Active => K::Active,
            IdeaStatusKind::Completed => K::Completed,
            IdeaStatusKind::Declined => K::Declined,
            IdeaStatusKind::Duplicate => K::Duplicate,
        }
    }
}

/// One status of an ideas board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaStatus {
    pub slug: String,
    pub name: String,
    pub kind: IdeaStatusKind,
    /// `#rrggbb`.
    pub colour: String,
}

impl From<forum::ideas::IdeaStatus> for IdeaStatus {
    fn from(s: forum::ideas::IdeaStatus) -> Self {
        IdeaStatus {
            slug: s.slug,
            name: s.name,
            kind: s.kind.into(),
            colour: s.colour,
        }
    }
}

/// An ideas board: its voting rules and statuses, in list order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaBoard {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Active votes a member may hold in the board (null: no limit).
    #[schema(required)]
    pub vote_budget: Option<i32>,
    /// Whether authors may vote on their own ideas.
    pub self_vote: bool,
    pub statuses: Vec<IdeaStatus>,
}

impl From<forum::ideas::IdeaBoard> for IdeaBoard {
    fn from(b: forum::ideas::IdeaBoard) -> Self {
        IdeaBoard {
            slug: b.slug,
            name: b.name,
            description: b.description,
            vote_budget: b.vote_budget,
            self_vote: b.self_vote,
            statuses: b.statuses.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaBoardList {
    pub boards: Vec<IdeaBoard>,
}

/// An idea as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaSummary {
    /// The idea's thread id.
    pub id: i64,
    pub board: String,
    pub title: String,
    pub author: UserRef,
    pub tags: Vec<String>,
    pub product_area: String,
    pub status: IdeaStatus,
    pub votes: i32,
    /// Votes in the last 14 days (the trending sort).
    pub recent_votes: i64,
    pub comments: i32,
    pub created_at: i64,
    pub status_changed_at: i64,
    /// Whether the caller voted for it (false without a token).
    pub voted: bool,
}

impl From<forum::ideas::IdeaSummary> for IdeaSummary {
    fn from(i: forum::ideas::IdeaSummary) -> Self {
        IdeaSummary {
            id: i.thread_id,
            board: i.board_slug,
            title: i.title,
            author: i.author.into(),
            tags: i.tags,
            product_area: i.product_area,
            status: i.status.into(),
            votes: i.vote_count,
            recent_votes: i.recent_votes,
            comments: i.reply_count,
            created_at: i.created_at,
            status_changed_at: i.status_changed_at,
            voted: i.voted,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaList {
    pub ideas: Vec<IdeaSummary>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// One entry of an idea's status history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaStatusChange {
    /// Who changed it (null: a member since erased).
    #[schema(required)]
    pub actor: Option<UserRef>,
    /// The status before (null: none recorded).
    #[schema(required)]
    pub from: Option<String>,
    pub to: String,
    pub to_kind: IdeaStatusKind,
    /// The public note.
    pub note: String,
    /// A KB article (`/kb/…`) or release note (`https://…`) the change
    /// points to; empty for none.
    pub link: String,
    pub at: i64,
}

impl From<forum::ideas::StatusChange> for IdeaStatusChange {
    fn from(c: forum::ideas::StatusChange) -> Self {
        IdeaStatusChange {
            actor: c.actor.map(Into::into),
            from: c.from_name,
            to: c.to_name,
            to_kind: c.to_kind.into(),
            note: c.note,
            link: c.link,
            at: c.at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaHistory {
    /// Oldest first.
    pub changes: Vec<IdeaStatusChange>,
}

/// One idea with its board's rules, its history, and what the caller may do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaDetail {
    pub idea: IdeaSummary,
    /// The description, rendered and sanitised.
    pub description_html: String,
    pub board: IdeaBoard,
    /// Whether the caller may vote now.
    pub can_vote: bool,
    /// The caller's active votes in the board.
    pub votes_used: i64,
    pub history: Vec<IdeaStatusChange>,
    /// The idea this one was merged into (null: not merged).
    #[schema(required)]
    pub merged_into: Option<i64>,
    /// Ideas merged into this one.
    pub merged_here: Vec<i64>,
}

/// Merge an idea into another.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IdeaMerge {
    /// The idea to merge into.
    pub into: i64,
}

/// A new idea.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewIdea {
    /// The ideas board's slug.
    pub board: String,
    pub title: String,
    /// Markdown.
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub product_area: String,
}

impl From<NewIdea> for forum::ideas::NewIdea {
    fn from(n: NewIdea) -> Self {
        forum::ideas::NewIdea {
            board: n.board,
            title: n.title,
            description: n.description,
            tags: n.tags,
            product_area: n.product_area,
        }
    }
}

/// What a vote or its withdrawal left.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaVote {
    pub votes: i32,
    pub voted: bool,
    /// The caller's active votes in the board.
    pub votes_used: i64,
    /// The board's budget (null: none).
    #[schema(required)]
    pub vote_budget: Option<i32>,
}

impl From<forum::ideas::VoteOutcome> for IdeaVote {
    fn from(v: forum::ideas::VoteOutcome) -> Self {
        IdeaVote {
            votes: v.vote_count,
            voted: v.voted,
            votes_used: v.votes_used,
            vote_budget: v.vote_budget,
        }
    }
}

/// A status change: the status's slug in the idea's board, and a public
/// note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewIdeaStatus {
    pub status: String,
    #[serde(default)]
    pub note: String,
    /// A KB article (`/kb/…`) or release note (`https://…`), e.g. for
    /// "Delivered".
    #[serde(default)]
    pub link: String,
}

/// A member who voted (staff only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaVoter {
    pub user: UserRef,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaVoterList {
    /// Newest first.
    pub voters: Vec<IdeaVoter>,
}

/// A number of voters sharing one value (a segment, a stage, a company).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaVoterCount {
    /// Empty: members the CRM has no record of.
    pub name: String,
    pub voters: i64,
}

/// Who is behind an idea's votes in the CRM, and its weighted score (staff).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdeaBreakdown {
    pub segments: Vec<IdeaVoterCount>,
    pub lifecycle: Vec<IdeaVoterCount>,
    /// Each company once.
    pub companies: Vec<IdeaVoterCount>,
    /// Σ over voters of their segment's weight (the board's weights; 1
    /// for a segment not named).
    pub score: i64,
}

impl From<forum::ideas::VoteBreakdown> for IdeaBreakdown {
    fn from(b: forum::ideas::VoteBreakdown) -> Self {
        let counts = |v: Vec<(String, i64)>| {
            v.into_iter()
                .map(|(name, voters)| IdeaVoterCount { name, voters })
                .collect()
        };
        IdeaBreakdown {
            segments: counts(b.segments),
            lifecycle: counts(b.lifecycle),
            companies: counts(b.companies),
            score: b.score,
        }
    }
}

/// An ideas board's voting rules (admins); each field when given.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IdeaBoardSettings {
    /// Active votes a member may hold (1–1000); 0 for no limit.
    #[serde(default)]
    pub vote_budget: Option<i32>,
    /// Whether authors may vote on their own ideas.
    #[serde(default)]
    pub self_vote: Option<bool>,
    /// Weights of customer segments in the score (each 0–100); a segment
    /// not named weighs 1.
    #[serde(default)]
    pub segment_weights: Option<std::collections::BTreeMap<String, i64>>,
}

impl From<IdeaBoardSettings> for forum::ideas::IdeaBoardChange {
    fn from(s: IdeaBoardSettings) -> Self {
        forum::ideas::IdeaBoardChange {
            vote_budget: s.vote_budget.map(|b| (b != 0).then_some(b)),
            self_vote: s.self_vote,
            segment_weights: s.segment_weights,
        }
    }
}

/// A new status of an ideas board.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewBoardStatus {
    pub slug: String,
    pub name: String,
    pub kind: IdeaStatusKind,
    /// `#rrggbb`.
    pub colour: String,
}

/// Changes to a status of an ideas board; each field when given.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BoardStatusEdit {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<IdeaStatusKind>,
    /// `#rrggbb`.
    #[serde(default)]
    pub colour: Option<String>,
    /// The place in the board's order, 0 first.
    #[serde(default)]
    pub position: Option<i32>,
}

impl From<BoardStatusEdit> for forum::ideas::StatusEdit {
    fn from(e: BoardStatusEdit) -> Self {
        forum::ideas::StatusEdit {
            name: e.name,
            kind: e.kind.map(Into::into),
            colour: e.colour,
            position: e.position,
        }
    }
}

/// An idea's new product area.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IdeaProductArea {
    /// Empty for none.
    pub product_area: String,
}
