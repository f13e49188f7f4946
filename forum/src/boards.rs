//! Board (category) administration: who may see a board, who may start
//! threads in it, whether its threads become CRM tasks, its pre-moderation
//! mode, its place in the list, and archiving. Administrators change
//! boards, moderators may look; every change writes a staff audit entry in
//! its own transaction (`store/boards.rs`).

use serde::{Deserialize, Serialize, Serializer};

use crate::error::ForumError;
use crate::models::{Actor, Role};

/// Who may start threads in a board.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StartThreads {
    /// Every member who may see the board.
    #[default]
    Everyone,
    /// Members who have reached this rank (or a higher one: every rank
    /// whose conditions they meet counts), and staff.
    Rank(String),
    /// Agents, moderators and administrators.
    Staff,
}

impl StartThreads {
    pub fn as_string(&self) -> String {
        match self {
            StartThreads::Everyone => "everyone".into(),
            StartThreads::Rank(r) => format!("rank:{r}"),
            StartThreads::Staff => "staff".into(),
        }
    }

    /// `everyone`, `staff` or `rank:<rank name>`; the rank must be one of
    /// `ranks` (the configured rank names).
    pub fn parse(s: &str, ranks: &[String]) -> Result<Self, ForumError> {
        match s.trim() {
            "everyone" => Ok(StartThreads::Everyone),
            "staff" => Ok(StartThreads::Staff),
            other => match other.strip_prefix("rank:") {
                Some(r) if ranks.iter().any(|k| k == r.trim()) => {
                    Ok(StartThreads::Rank(r.trim().to_owned()))
                }
                Some(r) => Err(ForumError::invalid(
                    "start_threads",
                    crate::Rule::Unknown {
                        value: r.trim().to_string(),
                    },
                    format!("there is no rank {:?}", r.trim()),
                )),
                None => Err(ForumError::invalid(
                    "start_threads",
                    crate::Rule::OneOf {
                        choices: "everyone, staff, rank:…".into(),
                    },
                    "one of everyone, staff or rank:<rank name>",
                )),
            },
        }
    }

    /// As stored; an unknown value (a rank since renamed in the config)
    /// is kept as a rank nobody reaches, so the board stays closed rather
    /// than open.
    pub fn from_stored(s: &str) -> Self {
        match s {
            "everyone" => StartThreads::Everyone,
            "staff" => StartThreads::Staff,
            other => StartThreads::Rank(other.strip_prefix("rank:").unwrap_or(other).to_owned()),
        }
    }
}

impl Serialize for StartThreads {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

/// Whether new posts in a board wait for a moderator before readers see
/// them. Stored and shown here; posting applies it (issue 13's holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Premoderation {
    #[default]
    None,
    /// The first posts of new members.
    NewMembers,
    /// Every post.
    All,
}

impl Premoderation {
    pub const ALL: [Premoderation; 3] = [
        Premoderation::None,
        Premoderation::NewMembers,
        Premoderation::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Premoderation::None => "none",
            Premoderation::NewMembers => "new_members",
            Premoderation::All => "all",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                ForumError::invalid(
                    "premoderation",
                    crate::Rule::OneOf {
                        choices: "none, new_members, all".into(),
                    },
                    "one of none, new_members, all",
                )
            })
    }
}

/// Whether a board's new threads become tasks in the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrmTasks {
    /// As the CRM rules' `task_categories` say (the config file, or the
    /// CRM rules page): what every board did before it had this setting.
    #[default]
    Rules,
    On,
    Off,
}

impl CrmTasks {
    pub const ALL: [CrmTasks; 3] = [CrmTasks::Rules, CrmTasks::On, CrmTasks::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            CrmTasks::Rules => "rules",
            CrmTasks::On => "on",
            CrmTasks::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                ForumError::invalid(
                    "crm_tasks",
                    crate::Rule::OneOf {
                        choices: "rules, on, off".into(),
                    },
                    "one of rules, on, off",
                )
            })
    }

    /// The stored column: NULL follows the rules.
    pub fn to_column(self) -> Option<bool> {
        match self {
            CrmTasks::Rules => None,
            CrmTasks::On => Some(true),
            CrmTasks::Off => Some(false),
        }
    }

    pub fn from_column(v: Option<bool>) -> Self {
        match v {
            None => CrmTasks::Rules,
            Some(true) => CrmTasks::On,
            Some(false) => CrmTasks::Off,
        }
    }
}

/// What a board holds: discussions (questions and answers), or ideas that
/// members propose and vote on (`crate::ideas`). Chosen at creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    #[default]
    Discussion,
    Ideas,
}

impl BoardKind {
    pub const ALL: [BoardKind; 2] = [BoardKind::Discussion, BoardKind::Ideas];

    pub fn as_str(self) -> &'static str {
        match self {
            BoardKind::Discussion => "discussion",
            BoardKind::Ideas => "ideas",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                ForumError::invalid(
                    "kind",
                    crate::Rule::OneOf {
                        choices: "discussion, ideas".into(),
                    },
                    "one of discussion, ideas",
                )
            })
    }

    /// As stored; anything unknown reads as a discussion board.
    pub fn from_stored(s: &str) -> Self {
        Self::parse(s).unwrap_or_default()
    }
}

/// A new board.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewBoard {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The lowest role that sees the board (customer: everyone).
    #[serde(default)]
    pub see_min_role: Option<Role>,
    /// `everyone` (default), `staff` or `rank:<name>`.
    #[serde(default)]
    pub start_threads: Option<String>,
    #[serde(default)]
    pub crm_tasks: Option<CrmTasks>,
    #[serde(default)]
    pub premoderation: Option<Premoderation>,
    /// None: after the last board.
    #[serde(default)]
    pub position: Option<i32>,
    /// Default discussion.
    #[serde(default)]
    pub kind: Option<BoardKind>,
}

/// A change to a board; what is None stays.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoardChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub see_min_role: Option<Role>,
    pub start_threads: Option<String>,
    pub crm_tasks: Option<CrmTasks>,
    pub premoderation: Option<Premoderation>,
    pub position: Option<i32>,
}

/// A board's new settings, validated, as the store writes them.
#[derive(Debug, Clone)]
pub struct BoardSettings {
    pub name: String,
    pub description: String,
    pub see_min_role: Role,
    pub start_threads: StartThreads,
    pub crm_tasks: CrmTasks,
    pub premoderation: Premoderation,
    /// Set at creation; a change keeps it.
    pub kind: BoardKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

pub fn validate_slug(slug: &str) -> Result<String, ForumError> {
    let slug = slug.trim();
    if slug.is_empty()
        || slug.len() > 64
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || slug.starts_with('-')
    {
        return Err(ForumError::invalid(
            "slug",
            crate::Rule::Slug,
            "a slug is 1 to 64 lower-case letters, digits and dashes",
        ));
    }
    Ok(slug.to_owned())
}

pub fn validate_name(name: &str) -> Result<String, ForumError> {
    crate::validate::line("name", name, 100)
}

pub fn validate_description(d: &str) -> Result<String, ForumError> {
    crate::validate::no_controls("description", d, true)?;
    if d.chars().count() > 2000 {
        return Err(ForumError::invalid(
            "description",
            crate::Rule::TooLong { max: 2000 },
            "a description can have at most 2000 characters",
        ));
    }
    Ok(d.trim().to_owned())
}

/// Whether `viewer` sees a board that `see_min_role` and up may see.
pub fn can_see(viewer: Option<Actor>, see_min_role: Role) -> bool {
    see_min_role == Role::Customer || viewer.is_some_and(|a| a.role >= see_min_role)
}

/// Whether `actor` may start a thread in a board with this setting;
/// `reached` are the ranks whose conditions the actor meets.
pub fn ensure_may_start_thread(
    actor: Actor,
    rule: &StartThreads,
    reached: &[String],
) -> Result<(), ForumError> {
    if actor.role.is_staff() {
        return Ok(());
    }
    match rule {
        StartThreads::Everyone => Ok(()),
        StartThreads::Staff => Err(ForumError::Forbidden(
            "only staff start threads in this board; you can reply to its threads",
        )),
        StartThreads::Rank(r) if reached.iter().any(|k| k == r) => Ok(()),
        StartThreads::Rank(_) => Err(ForumError::Forbidden(
            "starting threads in this board takes a higher rank; you can reply to its threads",
        )),
    }
}

/// Admins change boards; moderators may look.
pub fn ensure_may_view(actor: Option<Actor>) -> Result<(), ForumError> {
    match actor {
        Some(a) if !a.role.can_moderate() => Err(ForumError::Forbidden(
            "only moderators and administrators see board settings",
        )),
        _ => Ok(()),
    }
}

pub fn ensure_may_change(actor: Option<Actor>) -> Result<(), ForumError> {
    match actor {
        Some(a) if a.role != Role::Admin => {
            Err(ForumError::Forbidden("only administrators change boards"))
        }
        _ => Ok(()),
    }
}

impl crate::Forum {
    #[allow(clippy::too_many_arguments)]
    fn board_settings(
        &self,
        name: &str,
        description: &str,
        see_min_role: Role,
        start_threads: StartThreads,
        crm_tasks: CrmTasks,
        premoderation: Premoderation,
        kind: BoardKind,
    ) -> crate::Result<BoardSettings> {
        Ok(BoardSettings {
            kind,
            name: validate_name(name)?,
            description: validate_description(description)?,
            see_min_role,
            start_threads,
            crm_tasks,
            premoderation,
        })
    }

    /// Every board, archived ones too, in list order (moderators and
    /// administrators; `actor` None: the command line).
    pub fn boards_for_staff(&self, actor: Option<Actor>) -> crate::Result<Vec<crate::Category>> {
        ensure_may_view(actor)?;
        crate::db::dispatch!(self.db(), all_boards())
    }

    /// One board with its settings, whoever may read it.
    pub fn board_for_staff(
        &self,
        actor: Option<Actor>,
        slug: &str,
    ) -> crate::Result<crate::Category> {
        ensure_may_view(actor)?;
        crate::db::dispatch!(self.db(), board(slug))
    }

    /// Create a board (administrators; `actor` None: the command line).
    pub fn create_board(
        &self,
        actor: Option<Actor>,
        new: NewBoard,
    ) -> crate::Result<crate::Category> {
        ensure_may_change(actor)?;
        let slug = validate_slug(&new.slug)?;
        let settings = self.board_settings(
            &new.name,
            &new.description,
            new.see_min_role.unwrap_or(Role::Customer),
            match new.start_threads.as_deref() {
                Some(s) => StartThreads::parse(s, &self.rank_names())?,
                None => StartThreads::Everyone,
            },
            new.crm_tasks.unwrap_or_default(),
            new.premoderation.unwrap_or_default(),
            new.kind.unwrap_or_default(),
        )?;
        let board = crate::db::dispatch!(
            self.db(),
            create_board(self.now(), actor, &slug, &settings, new.position)
        )?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), board = %board.slug, "board created");
        Ok(board)
    }

    /// Change a board's name, description, settings or position.
    pub fn update_board(
        &self,
        actor: Option<Actor>,
        slug: &str,
        change: BoardChange,
    ) -> crate::Result<crate::Category> {
        ensure_may_change(actor)?;
        let current = crate::db::dispatch!(self.db(), board(slug))?;
        let start_threads = match change.start_threads.as_deref() {
            Some(s) => StartThreads::parse(s, &self.rank_names())?,
            // Kept as it is, even a rank since renamed in the config.
            None => current.start_threads.clone(),
        };
        let settings = self.board_settings(
            change.name.as_deref().unwrap_or(&current.name),
            change
                .description
                .as_deref()
                .unwrap_or(&current.description),
            change.see_min_role.unwrap_or(current.see_min_role),
            start_threads,
            change.crm_tasks.unwrap_or(current.crm_tasks),
            change.premoderation.unwrap_or(current.premoderation),
            current.kind,
        )?;
        let board = crate::db::dispatch!(
            self.db(),
            update_board(self.now(), actor, slug, &settings, change.position)
        )?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), board = %board.slug, "board changed");
        Ok(board)
    }

    /// Archive a board (read-only, off the board list) or bring it back.
    pub fn set_board_archived(
        &self,
        actor: Option<Actor>,
        slug: &str,
        archived: bool,
    ) -> crate::Result<crate::Category> {
        ensure_may_change(actor)?;
        crate::db::dispatch!(
            self.db(),
            set_board_archived(self.now(), actor, slug, archived)
        )
    }

    /// Move a board one place up or down the list.
    pub fn move_board(
        &self,
        actor: Option<Actor>,
        slug: &str,
        direction: Direction,
    ) -> crate::Result<crate::Category> {
        ensure_may_change(actor)?;
        crate::db::dispatch!(self.db(), move_board(self.now(), actor, slug, direction))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { user_id: 1, role }
    }

    #[test]
    fn start_threads_round_trips_and_checks_ranks() {
        let ranks = vec!["Newcomer".to_owned(), "Expert".to_owned()];
        for s in ["everyone", "staff", "rank:Expert"] {
            assert_eq!(StartThreads::parse(s, &ranks).unwrap().as_string(), s);
        }
        assert!(StartThreads::parse("rank:Wizard", &ranks).is_err());
        assert!(StartThreads::parse("nobody", &ranks).is_err());
        assert_eq!(
            StartThreads::from_stored("rank:Gone"),
            StartThreads::Rank("Gone".into())
        );
    }

    #[test]
    fn who_starts_threads() {
        let expert = StartThreads::Rank("Expert".into());
        let c = actor(Role::Customer);
        assert!(ensure_may_start_thread(c, &StartThreads::Everyone, &[]).is_ok());
        assert!(ensure_may_start_thread(c, &StartThreads::Staff, &[]).is_err());
        assert!(ensure_may_start_thread(actor(Role::Agent), &StartThreads::Staff, &[]).is_ok());
        assert!(ensure_may_start_thread(c, &expert, &["Newcomer".into()]).is_err());
        assert!(ensure_may_start_thread(c, &expert, &["Newcomer".into(), "Expert".into()]).is_ok());
    }

    #[test]
    fn visibility_is_a_minimum_role() {
        assert!(can_see(None, Role::Customer));
        assert!(!can_see(None, Role::Agent));
        assert!(!can_see(Some(actor(Role::Customer)), Role::Agent));
        assert!(can_see(Some(actor(Role::Agent)), Role::Agent));
        assert!(!can_see(Some(actor(Role::Agent)), Role::Moderator));
        assert!(can_see(Some(actor(Role::Admin)), Role::Moderator));
        assert!(!can_see(Some(actor(Role::Moderator)), Role::Admin));
    }

    #[test]
    fn enums_parse_what_they_print() {
        for p in Premoderation::ALL {
            assert_eq!(Premoderation::parse(p.as_str()).unwrap(), p);
        }
        for c in CrmTasks::ALL {
            assert_eq!(CrmTasks::parse(c.as_str()).unwrap(), c);
            assert_eq!(CrmTasks::from_column(c.to_column()), c);
        }
        assert!(Premoderation::parse("some").is_err());
        assert!(validate_slug("how-to-2").is_ok());
        assert!(validate_slug("Bad Slug").is_err());
        assert!(validate_slug("").is_err());
    }
}
