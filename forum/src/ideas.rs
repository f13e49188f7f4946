//! The idea exchange (issue 17): boards of kind `ideas` hold ideas —
//! threads with a description (the first post), tags and a product area,
//! whose replies are comments. Members vote (one vote per member per idea,
//! withdrawable, an optional active-vote budget per board, voting on one's
//! own idea configurable); staff answer with statuses, each mapped to a
//! kind, and every change is kept with its public note as the idea's
//! history. A change is an outbox event: the notifier tells every voter,
//! the author, commenters and watchers once (`store/notify.rs`).
//!
//! Storage is `store/ideas.rs` (`idea_store` in both backend modules).

use serde::{Deserialize, Serialize};

use crate::db::dispatch;
use crate::error::{ForumError, Result};
use crate::models::{Actor, NewThread, Paged, Role, UserRef};
use crate::{validate, Forum, Rule};

/// What a status means, whatever an administrator named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// Waiting for an answer (New, Under review).
    Open,
    /// Accepted and being worked on (Planned, In progress).
    Active,
    /// Done (Delivered).
    Completed,
    /// Will not be done (Declined, Already exists).
    Declined,
    /// The same as another idea.
    Duplicate,
}

impl StatusKind {
    pub const ALL: [StatusKind; 5] = [
        StatusKind::Open,
        StatusKind::Active,
        StatusKind::Completed,
        StatusKind::Declined,
        StatusKind::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Open => "open",
            StatusKind::Active => "active",
            StatusKind::Completed => "completed",
            StatusKind::Declined => "declined",
            StatusKind::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                ForumError::invalid(
                    "status_kind",
                    Rule::OneOf {
                        choices: "open, active, completed, declined, duplicate".into(),
                    },
                    "one of open, active, completed, declined, duplicate",
                )
            })
    }

    /// As stored; an unreadable kind counts as open.
    pub fn from_stored(s: &str) -> Self {
        Self::parse(s).unwrap_or(StatusKind::Open)
    }

    /// Closed ideas take no votes, and their votes no longer count against
    /// a budget (they are returned to the voters).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            StatusKind::Completed | StatusKind::Declined | StatusKind::Duplicate
        )
    }
}

/// The statuses every new ideas board starts with: (slug, name, kind, colour).
pub const DEFAULT_STATUSES: [(&str, &str, StatusKind, &str); 6] = [
    ("new", "New", StatusKind::Open, "#6b7280"),
    ("under-review", "Under review", StatusKind::Open, "#2563eb"),
    ("planned", "Planned", StatusKind::Active, "#7c3aed"),
    ("in-progress", "In progress", StatusKind::Active, "#c2410c"),
    ("delivered", "Delivered", StatusKind::Completed, "#15803d"),
    ("declined", "Declined", StatusKind::Declined, "#b91c1c"),
];

/// How many days of votes the trending sort counts: today (UTC) and the
/// 13 days before it.
pub const TRENDING_DAYS: i64 = 14;

/// Where the trending window starts at `now`: midnight (UTC) of the
/// earliest day counted.
pub fn trending_from(now: i64) -> i64 {
    crate::analytics::day_of(now) - (TRENDING_DAYS - 1) * crate::analytics::DAY_MS
}

/// The longest public note on a status change.
pub const NOTE_MAX: usize = 5000;

/// The longest product area.
pub const PRODUCT_AREA_MAX: usize = 60;

/// One status of an ideas board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdeaStatus {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: StatusKind,
    /// A CSS colour, `#rrggbb`.
    pub colour: String,
    pub position: i32,
}

/// An ideas board's voting settings and statuses.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaBoard {
    pub category_id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Active votes a member may hold in this board (None: no limit).
    pub vote_budget: Option<i32>,
    /// Whether authors may vote on their own ideas.
    pub self_vote: bool,
    pub statuses: Vec<IdeaStatus>,
    /// Weights of customer segments in an idea's score (staff); a segment
    /// not named weighs 1.
    pub segment_weights: std::collections::BTreeMap<String, i64>,
}

/// Who is behind an idea's votes, from the CRM (staff).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VoteBreakdown {
    /// (segment, voters), most voters first; members without a CRM
    /// record count under "".
    pub segments: Vec<(String, i64)>,
    /// (lifecycle stage, voters), most voters first.
    pub lifecycle: Vec<(String, i64)>,
    /// (company, voters), most voters first; each company once.
    pub companies: Vec<(String, i64)>,
    /// Σ over voters of their segment's weight.
    pub score: i64,
}

/// The weight of a voter of `segment` under `weights` (1 when not named).
pub fn segment_weight(weights: &std::collections::BTreeMap<String, i64>, segment: &str) -> i64 {
    weights.get(segment).copied().unwrap_or(1)
}

/// Count voters by segment, lifecycle and company, and score them.
pub fn breakdown(
    voters: &[(String, String, String)],
    weights: &std::collections::BTreeMap<String, i64>,
) -> VoteBreakdown {
    fn tally<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<(String, i64)> {
        let mut m: std::collections::BTreeMap<&str, i64> = Default::default();
        for k in keys {
            *m.entry(k).or_default() += 1;
        }
        let mut v: Vec<(String, i64)> = m.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
    VoteBreakdown {
        segments: tally(voters.iter().map(|v| v.0.as_str())),
        lifecycle: tally(voters.iter().map(|v| v.1.as_str())),
        companies: tally(voters.iter().map(|v| v.2.trim()).filter(|c| !c.is_empty())),
        score: voters.iter().map(|v| segment_weight(weights, &v.0)).sum(),
    }
}

/// A change to an ideas board's voting settings; None keeps a setting.
/// `vote_budget: Some(None)` removes the budget.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IdeaBoardChange {
    #[serde(default)]
    pub vote_budget: Option<Option<i32>>,
    #[serde(default)]
    pub self_vote: Option<bool>,
    /// Segment weights for the score (each 0 to 100).
    #[serde(default)]
    pub segment_weights: Option<std::collections::BTreeMap<String, i64>>,
}

/// An idea as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaSummary {
    pub thread_id: i64,
    pub board_slug: String,
    pub title: String,
    pub author: UserRef,
    pub tags: Vec<String>,
    pub product_area: String,
    pub status: IdeaStatus,
    pub vote_count: i32,
    /// Votes cast today (UTC) and in the 13 days before (the trending
    /// sort's measure; see `trending_from`).
    pub recent_votes: i64,
    pub reply_count: i32,
    pub created_at: i64,
    pub status_changed_at: i64,
    /// Whether the viewer has voted on it.
    pub voted: bool,
}

/// One idea with what its page needs beside the thread.
#[derive(Debug, Clone, Serialize)]
pub struct Idea {
    pub summary: IdeaSummary,
    pub board: IdeaBoard,
    /// Whether the viewer may vote now (signed in, not the author where
    /// self-votes are off, the idea not closed, the budget not spent).
    pub can_vote: bool,
    /// The viewer's active votes in this board (0 for visitors).
    pub votes_used: i64,
    pub history: Vec<StatusChange>,
    /// The idea this one was merged into, if it was.
    pub merged_into: Option<i64>,
    /// Ideas merged into this one (id, title), oldest merge first.
    pub merged_here: Vec<(i64, String)>,
}

/// One entry of an idea's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub id: i64,
    /// None: the system (or a member since erased).
    pub actor: Option<UserRef>,
    /// None: the idea's first status.
    pub from_name: Option<String>,
    pub to_name: String,
    pub to_kind: StatusKind,
    pub note: String,
    /// What the change points to: a KB article (`/kb/…`) or a release
    /// note (`https://…`); empty for none.
    pub link: String,
    pub at: i64,
}

/// A member who voted, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Voter {
    pub user: UserRef,
    pub at: i64,
}

/// How the ideas list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdeaSort {
    /// Most votes in the last 14 days.
    #[default]
    Trending,
    /// Most votes.
    Top,
    /// Newest first.
    Newest,
    /// Most recent status change first.
    Status,
    /// Highest CRM-weighted score first (staff).
    Score,
}

impl IdeaSort {
    pub const ALL: [IdeaSort; 5] = [
        IdeaSort::Trending,
        IdeaSort::Top,
        IdeaSort::Newest,
        IdeaSort::Status,
        IdeaSort::Score,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaSort::Trending => "trending",
            IdeaSort::Top => "top",
            IdeaSort::Newest => "newest",
            IdeaSort::Status => "status",
            IdeaSort::Score => "score",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which ideas to list.
#[derive(Debug, Clone, Default)]
pub struct IdeaQuery {
    /// One board by slug; None: every ideas board the viewer sees.
    pub board: Option<String>,
    pub sort: IdeaSort,
    pub status_kind: Option<StatusKind>,
    pub tag: Option<String>,
    pub product_area: Option<String>,
    /// Only ideas the viewer voted on (a visitor gets none).
    pub voted_by_me: bool,
    pub page: i64,
    pub per_page: i64,
}

/// A new idea.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewIdea {
    pub board: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub product_area: String,
}

/// Why a vote was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteRefusal {
    /// The idea is closed (completed, declined, duplicate).
    Closed,
    /// The author's own idea, where the board does not allow it.
    OwnIdea,
    /// Every vote of the board's budget is in use.
    BudgetSpent { budget: i32 },
}

/// What a vote or its withdrawal left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoteOutcome {
    pub vote_count: i32,
    pub voted: bool,
    /// Active votes the member now holds in the board.
    pub votes_used: i64,
    pub vote_budget: Option<i32>,
}

/// The one check of a new vote, given what the store read.
pub fn vote_refusal(
    kind: StatusKind,
    own_idea: bool,
    self_vote: bool,
    budget: Option<i32>,
    votes_used: i64,
) -> Option<VoteRefusal> {
    if kind.is_closed() {
        return Some(VoteRefusal::Closed);
    }
    if own_idea && !self_vote {
        return Some(VoteRefusal::OwnIdea);
    }
    match budget {
        Some(b) if votes_used >= i64::from(b) => Some(VoteRefusal::BudgetSpent { budget: b }),
        _ => None,
    }
}

impl VoteRefusal {
    /// The domain's error for a refused vote (the API's answer).
    pub fn into_error(self) -> ForumError {
        match self {
            VoteRefusal::Closed => {
                ForumError::Conflict("this idea is closed and takes no more votes".into())
            }
            VoteRefusal::OwnIdea => {
                ForumError::Forbidden("you cannot vote on your own idea in this board")
            }
            VoteRefusal::BudgetSpent { budget } => ForumError::Conflict(format!(
                "you have used all {budget} of your votes in this board; withdraw one to vote again"
            )),
        }
    }
}

/// Staff change statuses: agents, moderators, administrators.
pub fn ensure_may_change_status(actor: Actor) -> Result<()> {
    if actor.role.is_staff() {
        Ok(())
    } else {
        Err(ForumError::Forbidden(
            "only staff change the status of an idea",
        ))
    }
}

fn ensure_admin(actor: Option<Actor>) -> Result<()> {
    match actor {
        Some(a) if a.role != Role::Admin => Err(ForumError::Forbidden(
            "only administrators change an ideas board",
        )),
        _ => Ok(()),
    }
}

fn ensure_staff(actor: Option<Actor>) -> Result<Actor> {
    match actor {
        Some(a) if a.role.is_staff() => Ok(a),
        Some(_) => Err(ForumError::Forbidden("only staff see who voted")),
        None => Err(ForumError::Unauthenticated),
    }
}

pub fn validate_note(note: &str) -> Result<String> {
    validate::no_controls("note", note, true)?;
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(ForumError::invalid(
            "note",
            Rule::TooLong {
                max: NOTE_MAX as i64,
            },
            format!("a note can have at most {NOTE_MAX} characters"),
        ));
    }
    Ok(note.to_owned())
}

/// A status change's link: empty, a path on the site (`/kb/…`), or an
/// http(s) address; one line, at most 500 characters.
pub fn validate_link(link: &str) -> Result<String> {
    let l = link.trim();
    if l.is_empty() {
        return Ok(String::new());
    }
    validate::no_controls("link", l, false)?;
    let ok = l.chars().count() <= 500
        && !l.contains(char::is_whitespace)
        && !l.contains(['"', '<', '>'])
        && ((l.starts_with('/') && !l.starts_with("//"))
            || l.starts_with("https://")
            || l.starts_with("http://"));
    if ok {
        Ok(l.to_owned())
    } else {
        Err(ForumError::invalid(
            "link",
            Rule::OneOf {
                choices: "/kb/…, https://…".into(),
            },
            "a link is a path on this site (/kb/…) or an http(s) address",
        ))
    }
}

pub fn validate_product_area(area: &str) -> Result<String> {
    if area.trim().is_empty() {
        return Ok(String::new());
    }
    validate::line("product_area", area, PRODUCT_AREA_MAX)
}

/// `#rrggbb`.
pub fn validate_colour(colour: &str) -> Result<String> {
    let c = colour.trim();
    let ok =
        c.len() == 7 && c.starts_with('#') && c.chars().skip(1).all(|ch| ch.is_ascii_hexdigit());
    if ok {
        Ok(c.to_ascii_lowercase())
    } else {
        Err(ForumError::invalid(
            "colour",
            Rule::OneOf {
                choices: "#rrggbb".into(),
            },
            "a colour is written #rrggbb",
        ))
    }
}

/// A new status for a board.
#[derive(Debug, Clone, Deserialize)]
pub struct NewStatus {
    pub slug: String,
    pub name: String,
    pub kind: StatusKind,
    pub colour: String,
}

/// What an admin changes on a status of an ideas board: each field when
/// given. `position` is the place in the board's order (0 first); the
/// others move to make room.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusEdit {
    pub name: Option<String>,
    pub kind: Option<StatusKind>,
    pub colour: Option<String>,
    pub position: Option<i32>,
}

impl Forum {
    /// An ideas board with its settings and statuses, if the viewer sees it.
    pub fn idea_board(&self, slug: &str, viewer: Option<Actor>) -> Result<IdeaBoard> {
        dispatch!(&self.db, idea_store::board(slug, viewer))
    }

    /// Every ideas board the viewer sees, in list order.
    pub fn idea_boards(&self, viewer: Option<Actor>) -> Result<Vec<IdeaBoard>> {
        dispatch!(&self.db, idea_store::boards(viewer))
    }

    /// Change an ideas board's vote budget or self-vote rule
    /// (administrators; audited).
    pub fn update_idea_board(
        &self,
        actor: Option<Actor>,
        slug: &str,
        change: IdeaBoardChange,
    ) -> Result<IdeaBoard> {
        ensure_admin(actor)?;
        if let Some(w) = &change.segment_weights {
            if w.values().any(|v| !(0..=100).contains(v)) || w.len() > 50 {
                return Err(ForumError::invalid(
                    "segment_weights",
                    Rule::OneOf {
                        choices: "0–100".into(),
                    },
                    "a segment's weight is a whole number from 0 to 100 (at most 50 segments)",
                ));
            }
        }
        if let Some(Some(b)) = change.vote_budget {
            if !(1..=1000).contains(&b) {
                return Err(ForumError::invalid(
                    "vote_budget",
                    Rule::OneOf {
                        choices: "1–1000".into(),
                    },
                    "a vote budget is between 1 and 1000",
                ));
            }
        }
        dispatch!(
            &self.db,
            idea_store::update_board(self.now(), actor, slug, &change)
        )
    }

    /// Add a status to an ideas board (administrators; audited).
    pub fn add_idea_status(
        &self,
        actor: Option<Actor>,
        board: &str,
        new: NewStatus,
    ) -> Result<IdeaBoard> {
        ensure_admin(actor)?;
        let slug = crate::boards::validate_slug(&new.slug)?;
        let name = validate::line("name", &new.name, 60)?;
        let colour = validate_colour(&new.colour)?;
        dispatch!(
            &self.db,
            idea_store::add_status(self.now(), actor, board, &slug, &name, new.kind, &colour)
        )
    }

    /// Submit an idea: a thread of an ideas board with its product area,
    /// in the board's first status; held for review like any thread when
    /// the board or the member's standing says so.
    pub fn submit_idea(
        &self,
        actor: Actor,
        idea: NewIdea,
        origin: &crate::spam::PostOrigin,
    ) -> Result<crate::review::Submitted> {
        let area = validate_product_area(&idea.product_area)?;
        let board = self.idea_board(idea.board.trim(), Some(actor))?;
        self.submit_thread_with(
            actor,
            NewThread {
                category: board.slug,
                title: idea.title,
                body: idea.description,
                tags: idea.tags,
            },
            origin,
            Some(&area),
        )
    }

    /// One idea with its board, history and what the viewer may do.
    pub fn idea(&self, thread_id: i64, viewer: Option<Actor>) -> Result<Idea> {
        self.roll_idea_trending()?;
        dispatch!(&self.db, idea_store::idea(thread_id, viewer))
    }

    /// Ideas, sorted and filtered as asked, one page of them.
    pub fn ideas(&self, viewer: Option<Actor>, query: &IdeaQuery) -> Result<Paged<IdeaSummary>> {
        let p = crate::paging::clamp(
            query.page,
            query.per_page,
            crate::paging::PageLimits::LISTING,
        );
        let mut q = query.clone();
        q.page = p.page;
        q.per_page = p.per_page;
        q.tag = q
            .tag
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        if q.sort == IdeaSort::Score && !viewer.is_some_and(|a| a.role.is_staff()) {
            return Err(ForumError::Forbidden(
                "only staff sort ideas by their CRM score",
            ));
        }
        q.product_area = q
            .product_area
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        self.roll_idea_trending()?;
        dispatch!(&self.db, idea_store::list(viewer, &q))
    }

    /// Bring the trending window up to today: the first read of a new day
    /// (on any node) subtracts the votes of the day that left it. Returns
    /// whether it moved.
    pub fn roll_idea_trending(&self) -> Result<bool> {
        let target = trending_from(self.now());
        if dispatch!(&self.db, idea_store::trending_window_from())? >= target {
            return Ok(false);
        }
        dispatch!(&self.db, idea_store::roll_trending(target))
    }

    /// Rename, recolour, re-kind or move a status of an ideas board
    /// (admins). Ideas keep it; their history keeps the names as they were.
    /// Audited.
    pub fn edit_idea_status(
        &self,
        actor: Option<Actor>,
        board: &str,
        status: &str,
        edit: StatusEdit,
    ) -> Result<IdeaBoard> {
        ensure_admin(actor)?;
        let edit = StatusEdit {
            name: edit
                .name
                .map(|n| validate::line("name", &n, 60))
                .transpose()?,
            colour: edit.colour.map(|c| validate_colour(&c)).transpose()?,
            ..edit
        };
        dispatch!(
            &self.db,
            idea_store::edit_status(self.now(), actor, board, status.trim(), &edit)
        )
    }

    /// Remove a status from an ideas board (admins): its ideas move to
    /// `move_to`, another status of the board, in the same transaction (a
    /// board keeps at least one status). Audited with how many moved.
    pub fn remove_idea_status(
        &self,
        actor: Option<Actor>,
        board: &str,
        status: &str,
        move_to: &str,
    ) -> Result<IdeaBoard> {
        ensure_admin(actor)?;
        dispatch!(
            &self.db,
            idea_store::remove_status(self.now(), actor, board, status.trim(), move_to.trim())
        )
    }

    /// Change an idea's product area (its author or staff).
    pub fn set_idea_product_area(&self, actor: Actor, thread_id: i64, area: &str) -> Result<()> {
        let area = validate_product_area(area)?;
        dispatch!(
            &self.db,
            idea_store::set_product_area(self.now(), actor, thread_id, &area)
        )
    }

    /// Vote for an idea. Voting twice is one vote.
    pub fn vote_idea(&self, actor: Actor, thread_id: i64) -> Result<VoteOutcome> {
        self.try_vote_idea(actor, thread_id)?
            .map_err(VoteRefusal::into_error)
    }

    /// As `vote_idea`, with a refusal as a value (pages say why in the
    /// reader's language).
    pub fn try_vote_idea(
        &self,
        actor: Actor,
        thread_id: i64,
    ) -> Result<std::result::Result<VoteOutcome, VoteRefusal>> {
        self.ensure_may_post(actor)?;
        dispatch!(
            &self.db,
            idea_store::vote(self.now(), actor, thread_id, false)
        )
    }

    /// Vote for a suggested similar idea instead of submitting one: the
    /// vote, and a deflected duplicate counted, in one transaction. A
    /// refused vote counts nothing.
    pub fn vote_instead(
        &self,
        actor: Actor,
        thread_id: i64,
    ) -> Result<std::result::Result<VoteOutcome, VoteRefusal>> {
        self.ensure_may_post(actor)?;
        dispatch!(
            &self.db,
            idea_store::vote(self.now(), actor, thread_id, true)
        )
    }

    /// Submissions deflected to an existing idea since `since` (unix ms).
    pub fn idea_deflections(&self, since: i64) -> Result<i64> {
        dispatch!(&self.db, idea_store::deflections_since(since))
    }

    /// Withdraw a vote (nothing happens without one).
    pub fn unvote_idea(&self, actor: Actor, thread_id: i64) -> Result<VoteOutcome> {
        dispatch!(&self.db, idea_store::unvote(self.now(), actor, thread_id))
    }

    /// Move an idea to another status of its board with a public note
    /// (staff). Kept in the history; voters, the author, commenters and
    /// watchers hear of it through the outbox.
    pub fn change_idea_status(
        &self,
        actor: Actor,
        thread_id: i64,
        status_slug: &str,
        note: &str,
    ) -> Result<StatusChange> {
        self.change_idea_status_with_link(actor, thread_id, status_slug, note, "")
    }

    /// As `change_idea_status`, pointing to a KB article or a release note
    /// (what "Delivered" links to).
    pub fn change_idea_status_with_link(
        &self,
        actor: Actor,
        thread_id: i64,
        status_slug: &str,
        note: &str,
        link: &str,
    ) -> Result<StatusChange> {
        ensure_may_change_status(actor)?;
        let note = validate_note(note)?;
        let link = validate_link(link)?;
        dispatch!(
            &self.db,
            idea_store::change_status(
                self.now(),
                actor,
                thread_id,
                status_slug.trim(),
                &note,
                &link
            )
        )
    }

    /// Merge idea `from` into `into` (staff): votes move losslessly (a
    /// member who voted on both counts once), `from` leaves the lists and
    /// points to `into`; its comments stay readable. Audited.
    pub fn merge_idea(&self, actor: Actor, from: i64, into: i64) -> Result<()> {
        ensure_may_change_status(actor)?;
        dispatch!(&self.db, idea_store::merge(self.now(), actor, from, into)).map(|_| ())
    }

    /// Undo the last merge of `from` (staff): its own votes come back
    /// exactly. Returns the idea it had been merged into. Audited.
    pub fn unmerge_idea(&self, actor: Actor, from: i64) -> Result<i64> {
        ensure_may_change_status(actor)?;
        dispatch!(&self.db, idea_store::unmerge(self.now(), actor, from))
    }

    /// (member, when) of every vote on an idea, by member.
    pub fn idea_vote_set(&self, thread_id: i64) -> Result<Vec<(i64, i64)>> {
        dispatch!(&self.db, idea_store::vote_set(thread_id))
    }

    /// An idea's status changes, oldest first.
    pub fn idea_history(&self, thread_id: i64, viewer: Option<Actor>) -> Result<Vec<StatusChange>> {
        dispatch!(&self.db, idea_store::history(thread_id, viewer))
    }

    /// Who is behind an idea's votes in the CRM, and its weighted score
    /// (staff).
    pub fn idea_breakdown(&self, actor: Option<Actor>, thread_id: i64) -> Result<VoteBreakdown> {
        let actor = ensure_staff(actor)?;
        let idea = self.idea(thread_id, Some(actor))?;
        let voters = dispatch!(&self.db, idea_store::voter_profiles(thread_id))?;
        Ok(breakdown(&voters, &idea.board.segment_weights))
    }

    /// Who voted on an idea, newest first (staff).
    pub fn idea_voters(&self, actor: Option<Actor>, thread_id: i64) -> Result<Vec<Voter>> {
        let actor = ensure_staff(actor)?;
        dispatch!(&self.db, idea_store::voters(thread_id, actor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_sorts_parse_what_they_print() {
        for k in StatusKind::ALL {
            assert_eq!(StatusKind::parse(k.as_str()).unwrap(), k);
        }
        assert!(StatusKind::parse("done").is_err());
        assert_eq!(StatusKind::from_stored("??"), StatusKind::Open);
        for s in IdeaSort::ALL {
            assert_eq!(IdeaSort::parse(s.as_str()), Some(s));
        }
        assert_eq!(IdeaSort::parse("hot"), None);
        let closed: Vec<_> = StatusKind::ALL
            .into_iter()
            .filter(|k| k.is_closed())
            .collect();
        assert_eq!(
            closed,
            [
                StatusKind::Completed,
                StatusKind::Declined,
                StatusKind::Duplicate
            ]
        );
    }

    #[test]
    fn the_six_defaults_cover_open_active_completed_declined() {
        let names: Vec<_> = DEFAULT_STATUSES.iter().map(|s| s.1).collect();
        assert_eq!(
            names,
            [
                "New",
                "Under review",
                "Planned",
                "In progress",
                "Delivered",
                "Declined"
            ]
        );
        for (_, _, _, colour) in DEFAULT_STATUSES {
            assert_eq!(validate_colour(colour).unwrap(), colour);
        }
    }

    #[test]
    fn a_vote_is_refused_for_the_first_reason_that_holds() {
        use StatusKind::*;
        assert_eq!(vote_refusal(Open, false, false, None, 99), None);
        assert_eq!(
            vote_refusal(Completed, false, true, None, 0),
            Some(VoteRefusal::Closed)
        );
        assert_eq!(
            vote_refusal(Active, true, false, None, 0),
            Some(VoteRefusal::OwnIdea)
        );
        assert_eq!(vote_refusal(Active, true, true, None, 0), None);
        assert_eq!(
            vote_refusal(Open, false, false, Some(3), 3),
            Some(VoteRefusal::BudgetSpent { budget: 3 })
        );
        assert_eq!(vote_refusal(Open, false, false, Some(3), 2), None);
    }

    #[test]
    fn links_are_site_paths_or_web_addresses() {
        assert_eq!(validate_link("  ").unwrap(), "");
        assert_eq!(validate_link("/kb/dark-mode").unwrap(), "/kb/dark-mode");
        assert!(validate_link("https://example.com/releases/2.4").is_ok());
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "ftp://x",
            "/kb/a b",
            "/kb/\"x",
        ] {
            assert!(validate_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn colours_and_notes_are_checked() {
        assert_eq!(validate_colour(" #A1B2C3 ").unwrap(), "#a1b2c3");
        for bad in ["red", "#abc", "#12345g", ""] {
            assert!(validate_colour(bad).is_err(), "{bad}");
        }
        assert!(validate_note(&"x".repeat(NOTE_MAX + 1)).is_err());
        assert_eq!(validate_note("  fine  ").unwrap(), "fine");
        assert_eq!(validate_product_area("  ").unwrap(), "");
    }
}
