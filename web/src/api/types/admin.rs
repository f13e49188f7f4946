//! Administration: members with their standing, staff actions on them,
//! and the staff audit log. Times are milliseconds since the Unix epoch.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Role;

impl From<Role> for forum::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Customer => forum::Role::Customer,
            Role::Agent => forum::Role::Agent,
            Role::Moderator => forum::Role::Moderator,
            Role::Admin => forum::Role::Admin,
        }
    }
}

/// Whether a member may sign in and post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    /// No limits.
    Active,
    /// Reads; cannot post, reply, edit, vote or accept.
    Silenced,
    /// Cannot sign in.
    Suspended,
    /// Suspended with no end.
    Banned,
}

impl From<forum::members::MemberStatus> for MemberStatus {
    fn from(s: forum::members::MemberStatus) -> Self {
        use forum::members::MemberStatus as M;
        match s {
            M::Active => MemberStatus::Active,
            M::Silenced => MemberStatus::Silenced,
            M::Suspended => MemberStatus::Suspended,
            M::Banned => MemberStatus::Banned,
        }
    }
}

impl From<MemberStatus> for forum::members::MemberStatus {
    fn from(s: MemberStatus) -> Self {
        use forum::members::MemberStatus as M;
        match s {
            MemberStatus::Active => M::Active,
            MemberStatus::Silenced => M::Silenced,
            MemberStatus::Suspended => M::Suspended,
            MemberStatus::Banned => M::Banned,
        }
    }
}

/// A member as staff see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// The status in force now.
    pub status: MemberStatus,
    /// When a silence or suspension ends by itself (null: until lifted).
    #[schema(required)]
    pub status_until: Option<i64>,
    /// What the member was told.
    pub status_reason: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Member {
    pub fn new(u: forum::User, now: i64) -> Member {
        let status = u.standing.effective(now);
        let active = status == forum::members::MemberStatus::Active;
        Member {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            role: u.role.into(),
            status: status.into(),
            status_until: u.standing.until.filter(|_| !active),
            status_reason: if active {
                String::new()
            } else {
                u.standing.reason
            },
            created_at: u.created_at,
            last_seen_at: u.last_seen_at,
        }
    }
}

/// One row of the member list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub status: MemberStatus,
    #[schema(required)]
    pub status_until: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Posts not deleted, questions included.
    pub posts: i64,
    /// Their rank from reputation.
    pub rank: String,
}

impl From<forum::members::MemberSummary> for MemberRow {
    fn from(m: forum::members::MemberSummary) -> Self {
        MemberRow {
            id: m.id,
            username: m.username,
            display_name: m.display_name,
            email: m.email,
            role: m.role.into(),
            status: m.status.into(),
            status_until: m.status_until,
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
            posts: m.posts,
            rank: m.rank,
        }
    }
}

/// A page of members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberList {
    pub members: Vec<MemberRow>,
    /// How many match, over all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A member, and the staff actions on them (newest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberDetail {
    pub member: Member,
    pub history: Vec<AuditEntry>,
    pub moderation: MemberModeration,
    /// The member's CRM contact (`GET` it with an agent's or admin's
    /// token), when the CRM keeps a record for them and the caller may read
    /// it; null otherwise.
    pub crm_contact: Option<String>,
}

/// What moderation knows of a member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberModeration {
    pub trust: super::TrustLevel,
    /// Reports members made on this member's posts.
    pub reports_received: i64,
    /// Reports this member made on others' posts.
    pub reports_given: i64,
    /// Client addresses they signed in or registered from, most recent
    /// first (at most 50).
    pub addresses: Vec<SeenAddress>,
}

/// A client address a member used.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeenAddress {
    pub address: String,
    pub first_seen: i64,
    pub last_seen: i64,
    /// Sign-ins and registrations from it.
    pub times: i64,
    /// Other accounts seen at the same address.
    pub other_accounts: i64,
}

impl From<forum::members::SeenAddress> for SeenAddress {
    fn from(a: forum::members::SeenAddress) -> Self {
        SeenAddress {
            address: a.address,
            first_seen: a.first_seen,
            last_seen: a.last_seen,
            times: a.times,
            other_accounts: a.other_accounts,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RoleChange {
    pub role: Role,
    /// Shown to the member; may be empty.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StandingChange {
    pub status: MemberStatus,
    /// For silence and suspension: how many days (1–3650); absent or null
    /// until lifted.
    #[serde(default)]
    pub for_days: Option<u32>,
    /// Shown to the member; required except when reinstating.
    #[serde(default)]
    pub reason: String,
}

/// The confirmation step of an erasure.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EraseRequest {
    /// The member's username, typed again.
    pub confirm: String,
}

/// A staff password reset: mailed, or (mail off) the link to hand over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasswordResetIssued {
    pub mailed: bool,
    /// The single-use link (valid one hour) when it was not mailed.
    #[schema(required)]
    pub link: Option<String>,
}

/// One staff action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// Null: the command line.
    #[schema(required)]
    pub actor_id: Option<i64>,
    #[schema(required)]
    pub actor_name: Option<String>,
    /// e.g. `member.role`, `member.standing`, `member.password_reset`.
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub before: String,
    pub after: String,
    pub reason: String,
}

impl From<forum::members::AuditEntry> for AuditEntry {
    fn from(e: forum::members::AuditEntry) -> Self {
        AuditEntry {
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            target_kind: e.target_kind,
            target_id: e.target_id,
            before: e.before,
            after: e.after,
            reason: e.reason,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// What a board holds: discussions, or ideas members vote on (issue 17).
/// Chosen at creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    Discussion,
    Ideas,
}

impl From<forum::boards::BoardKind> for BoardKind {
    fn from(k: forum::boards::BoardKind) -> Self {
        match k {
            forum::boards::BoardKind::Discussion => BoardKind::Discussion,
            forum::boards::BoardKind::Ideas => BoardKind::Ideas,
        }
    }
}

impl From<BoardKind> for forum::boards::BoardKind {
    fn from(k: BoardKind) -> Self {
        match k {
            BoardKind::Discussion => forum::boards::BoardKind::Discussion,
            BoardKind::Ideas => forum::boards::BoardKind::Ideas,
        }
    }
}

/// Whether a board's new posts wait for a moderator (stored; applied by
/// posting when holds exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Premoderation {
    None,
    /// The first posts of new members.
    NewMembers,
    /// Every post.
    All,
}

impl From<forum::boards::Premoderation> for Premoderation {
    fn from(p: forum::boards::Premoderation) -> Self {
        use forum::boards::Premoderation as P;
        match p {
            P::None => Premoderation::None,
            P::NewMembers => Premoderation::NewMembers,
            P::All => Premoderation::All,
        }
    }
}

impl From<Premoderation> for forum::boards::Premoderation {
    fn from(p: Premoderation) -> Self {
        use forum::boards::Premoderation as P;
        match p {
            Premoderation::None => P::None,
            Premoderation::NewMembers => P::NewMembers,
            Premoderation::All => P::All,
        }
    }
}

/// Whether a board's new threads become CRM tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrmTasks {
    /// As the CRM rules' `task_categories` say.
    Rules,
    On,
    Off,
}

impl From<forum::boards::CrmTasks> for CrmTasks {
    fn from(c: forum::boards::CrmTasks) -> Self {
        use forum::boards::CrmTasks as C;
        match c {
            C::Rules => CrmTasks::Rules,
            C::On => CrmTasks::On,
            C::Off => CrmTasks::Off,
        }
    }
}

impl From<CrmTasks> for forum::boards::CrmTasks {
    fn from(c: CrmTasks) -> Self {
        use forum::boards::CrmTasks as C;
        match c {
            CrmTasks::Rules => C::Rules,
            CrmTasks::On => C::On,
            CrmTasks::Off => C::Off,
        }
    }
}

/// A board with every setting, as administrators see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The lowest role that sees the board (customer: everyone).
    pub see_min_role: Role,
    /// Not for everyone (`see_min_role` above customer).
    pub is_private: bool,
    /// `everyone`, `staff` or `rank:<rank name>` (that rank or a higher one).
    pub start_threads: String,
    pub crm_tasks: CrmTasks,
    pub premoderation: Premoderation,
    /// Boards are listed by position, then name.
    pub position: i32,
    /// When it was archived (null: open). Archived boards are read-only
    /// and left off the board list.
    #[schema(required)]
    pub archived_at: Option<i64>,
    pub thread_count: i64,
    /// Discussion or ideas.
    pub kind: BoardKind,
}

impl From<forum::Category> for Board {
    fn from(c: forum::Category) -> Self {
        Board {
            id: c.id,
            slug: c.slug,
            name: c.name,
            description: c.description,
            see_min_role: c.see_min_role.into(),
            is_private: c.is_private,
            start_threads: c.start_threads.as_string(),
            crm_tasks: c.crm_tasks.into(),
            premoderation: c.premoderation.into(),
            position: c.position,
            archived_at: c.archived_at,
            thread_count: c.thread_count,
            kind: c.kind.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardList {
    pub boards: Vec<Board>,
    /// What `start_threads` may name after `rank:`, lowest first.
    pub ranks: Vec<String>,
}

/// A new board; what is left out takes its default.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewBoard {
    /// 1 to 64 lower-case letters, digits and dashes; it cannot change.
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Default customer (everyone).
    #[serde(default)]
    pub see_min_role: Option<Role>,
    /// Default `everyone`.
    #[serde(default)]
    pub start_threads: Option<String>,
    /// Default `rules`.
    #[serde(default)]
    pub crm_tasks: Option<CrmTasks>,
    /// Default `none`.
    #[serde(default)]
    pub premoderation: Option<Premoderation>,
    /// Default: after the last board.
    #[serde(default)]
    pub position: Option<i32>,
    /// Default `discussion`; `ideas` makes an ideas board with the six
    /// default statuses.
    #[serde(default)]
    pub kind: Option<BoardKind>,
}

impl From<NewBoard> for forum::boards::NewBoard {
    fn from(b: NewBoard) -> Self {
        forum::boards::NewBoard {
            slug: b.slug,
            name: b.name,
            description: b.description,
            see_min_role: b.see_min_role.map(Into::into),
            start_threads: b.start_threads,
            crm_tasks: b.crm_tasks.map(Into::into),
            premoderation: b.premoderation.map(Into::into),
            position: b.position,
            kind: b.kind.map(Into::into),
        }
    }
}

/// A change to a board; what is left out stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BoardChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub see_min_role: Option<Role>,
    #[serde(default)]
    pub start_threads: Option<String>,
    #[serde(default)]
    pub crm_tasks: Option<CrmTasks>,
    #[serde(default)]
    pub premoderation: Option<Premoderation>,
    #[serde(default)]
    pub position: Option<i32>,
}

impl From<BoardChange> for forum::boards::BoardChange {
    fn from(b: BoardChange) -> Self {
        forum::boards::BoardChange {
            name: b.name,
            description: b.description,
            see_min_role: b.see_min_role.map(Into::into),
            start_threads: b.start_threads,
            crm_tasks: b.crm_tasks.map(Into::into),
            premoderation: b.premoderation.map(Into::into),
            position: b.position,
        }
    }
}

/// Which way to move a board in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MoveDirection {
    Up,
    Down,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BoardMove {
    pub direction: MoveDirection,
}

impl From<MoveDirection> for forum::boards::Direction {
    fn from(d: MoveDirection) -> Self {
        match d {
            MoveDirection::Up => forum::boards::Direction::Up,
            MoveDirection::Down => forum::boards::Direction::Down,
        }
    }
}
