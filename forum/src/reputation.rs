//! Reputation rules: points per deed, abuse guards, ranks and badges. Pure
//! functions over facts, so the incremental worker and `reputation rebuild`
//! compute awards with the same code and must agree.

use serde::{Deserialize, Serialize};

/// Reputation's outbox cursor (points, ranks, badges).
pub const OUTBOX_CONSUMER: &str = "reputation";
pub const DAY_MS: i64 = 86_400_000;
pub const HOUR_MS: i64 = 3_600_000;

/// Points per deed and the guards, from the `[reputation]` config section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ReputationConfig {
    /// A kudo received on a post.
    pub kudo: i32,
    /// An answer accepted as the solution.
    pub accepted: i32,
    /// An answer promoted into a published KB article.
    pub kb_promoted: i32,
    /// The first reply to someone else's question within an hour.
    pub first_reply: i32,
    /// How many kudos from one voter to one receiver count per UTC day.
    pub daily_kudo_cap: usize,
    /// A vote received on an idea (not one's own).
    pub idea_vote: i32,
    /// How many idea votes from one voter to one author count per UTC day.
    pub daily_idea_vote_cap: usize,
    /// An idea of one's own reaching a completed status ("Delivered").
    pub idea_delivered: i32,
    pub ranks: Vec<RankRule>,
    pub badges: Vec<BadgeRule>,
}

impl Default for ReputationConfig {
    fn default() -> Self {
        ReputationConfig {
            kudo: 10,
            accepted: 25,
            kb_promoted: 50,
            first_reply: 5,
            daily_kudo_cap: 3,
            idea_vote: 5,
            daily_idea_vote_cap: 5,
            idea_delivered: 50,
            ranks: default_ranks(),
            badges: default_badges(),
        }
    }
}

/// Something a rank lets a member do beyond their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    EditPosts,
    MarkDuplicates,
    MoveThreads,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RankRule {
    pub name: String,
    pub min_points: i64,
    #[serde(default)]
    pub min_accepted: i64,
    #[serde(default)]
    pub privileges: Vec<Privilege>,
}

fn default_ranks() -> Vec<RankRule> {
    let rank = |name: &str, min_points, min_accepted, privileges: &[Privilege]| RankRule {
        name: name.into(),
        min_points,
        min_accepted,
        privileges: privileges.to_vec(),
    };
    vec![
        rank("Newcomer", 0, 0, &[]),
        rank("Contributor", 50, 0, &[]),
        rank("Expert", 300, 5, &[]),
        rank(
            "Community Leader",
            1000,
            20,
            &[
                Privilege::EditPosts,
                Privilege::MarkDuplicates,
                Privilege::MoveThreads,
            ],
        ),
    ]
}

/// What a badge counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The most votes any one live idea of the member's holds (its public count).
    IdeaTopVotes,
    /// The member's live ideas in a completed status ("Delivered").
    IdeasDelivered,
}

/// A badge is held at level n when the metric reaches `threshold` (level 1)
/// or, if repeatable, `threshold × n` (level n): "every 10 accepted answers".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BadgeRule {
    pub key: String,
    pub name: String,
    pub description: String,
    pub metric: Metric,
    pub threshold: i64,
    #[serde(default)]
    pub repeatable: bool,
}

fn default_badges() -> Vec<BadgeRule> {
    let badge =
        |key: &str, name: &str, description: &str, metric, threshold, repeatable| BadgeRule {
            key: key.into(),
            name: name.into(),
            description: description.into(),
            metric,
            threshold,
            repeatable,
        };
    use Metric::*;
    vec![
        badge(
            "first-post",
            "First post",
            "Posted for the first time.",
            Posts,
            1,
            false,
        ),
        badge(
            "first-solution",
            "Problem solver",
            "Gave a first accepted answer.",
            AcceptedAnswers,
            1,
            false,
        ),
        badge(
            "ten-solutions",
            "Go-to helper",
            "10 accepted answers.",
            AcceptedAnswers,
            10,
            false,
        ),
        badge(
            "hundred-solutions",
            "Guru",
            "100 accepted answers.",
            AcceptedAnswers,
            100,
            false,
        ),
        badge(
            "solutions-streak",
            "Solution stack",
            "Another 25 accepted answers (repeatable).",
            AcceptedAnswers,
            25,
            true,
        ),
        badge(
            "fifty-kudos",
            "Appreciated",
            "Received 50 kudos.",
            KudosReceived,
            50,
            false,
        ),
        badge(
            "kb-author",
            "Knowledge maker",
            "3 answers promoted to the knowledge base.",
            KbArticles,
            3,
            false,
        ),
        badge(
            "all-rounder",
            "All-rounder",
            "Answered in 5 different categories.",
            AnswerCategories,
            5,
            false,
        ),
        badge(
            "thirty-days",
            "Regular",
            "Active 30 days in a row.",
            ActiveStreakDays,
            30,
            false,
        ),
        badge(
            "idea-ten-votes",
            "Good idea",
            "An idea of yours reached 10 votes.",
            IdeaTopVotes,
            10,
            false,
        ),
        badge(
            "idea-fifty-votes",
            "Crowd favourite",
            "An idea of yours reached 50 votes.",
            IdeaTopVotes,
            50,
            false,
        ),
        badge(
            "idea-hundred-votes",
            "Voice of the community",
            "An idea of yours reached 100 votes.",
            IdeaTopVotes,
            100,
            false,
        ),
        badge(
            "idea-delivered",
            "Shipped",
            "An idea of yours was delivered.",
            IdeasDelivered,
            1,
            false,
        ),
        badge(
            "ideas-delivered",
            "Product shaper",
            "Another 5 of your ideas delivered (repeatable).",
            IdeasDelivered,
            5,
            true,
        ),
    ]
}

/// What a member has done, as the badges and ranks see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub points: i64,
    pub posts: i64,
    pub accepted: i64,
    pub kudos: i64,
    pub kb_articles: i64,
    pub answer_categories: i64,
    pub best_streak: i64,
    pub idea_top_votes: i64,
    pub ideas_delivered: i64,
}

impl Stats {
    pub fn metric(&self, m: Metric) -> i64 {
        match m {
            Metric::Posts => self.posts,
            Metric::AcceptedAnswers => self.accepted,
            Metric::KudosReceived => self.kudos,
            Metric::KbArticles => self.kb_articles,
            Metric::AnswerCategories => self.answer_categories,
            Metric::ActiveStreakDays => self.best_streak,
            Metric::Points => self.points,
            Metric::IdeaTopVotes => self.idea_top_votes,
            Metric::IdeasDelivered => self.ideas_delivered,
        }
    }
}

/// The levels of `rule` that `stats` earn: none, `[1]`, or `1..=n` when repeatable.
pub fn badge_levels(rule: &BadgeRule, stats: &Stats) -> Vec<i32> {
    let value = stats.metric(rule.metric);
    if rule.threshold <= 0 || value < rule.threshold {
        return Vec::new();
    }
    if rule.repeatable {
        // Bounded, so a misconfigured threshold of 1 on points cannot explode.
        let n = (value / rule.threshold).min(1000) as i32;
        (1..=n).collect()
    } else {
        vec![1]
    }
}

impl ReputationConfig {
    /// The highest rank whose every condition holds; the first rank otherwise.
    pub fn rank(&self, points: i64, accepted: i64) -> Option<&RankRule> {
        self.ranks
            .iter()
            .filter(|r| points >= r.min_points && accepted >= r.min_accepted)
            .max_by_key(|r| (r.min_points, r.min_accepted))
            .or_else(|| self.ranks.first())
    }

    pub fn rank_name(&self, points: i64, accepted: i64) -> String {
        self.rank(points, accepted)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }

    pub fn has_privilege(&self, points: i64, accepted: i64, p: Privilege) -> bool {
        self.rank(points, accepted)
            .is_some_and(|r| r.privileges.contains(&p))
    }

    pub fn badge(&self, key: &str) -> Option<&BadgeRule> {
        self.badges.iter().find(|b| b.key == key)
    }

    /// Every (badge, level) the stats earn.
    pub fn badges_for(&self, stats: &Stats) -> Vec<(String, i32)> {
        self.badges
            .iter()
            .flat_map(|b| {
                badge_levels(b, stats)
                    .into_iter()
                    .map(move |l| (b.key.clone(), l))
            })
            .collect()
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.ranks.is_empty() {
            return Err("reputation.ranks must name at least one rank".into());
        }
        let mut keys = std::collections::HashSet::new();
        for b in &self.badges {
            if b.threshold <= 0 {
                return Err(format!("badge {}: threshold must be positive", b.key));
            }
            if b.key.is_empty() || !keys.insert(b.key.as_str()) {
                return Err(format!("badge key {:?} is empty or repeated", b.key));
            }
        }
        Ok(())
    }
}

/// One award to be held: who, for what, how much, when, and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Award {
    pub source_key: String,
    pub user_id: i64,
    pub kind: &'static str,
    pub amount: i32,
    pub awarded_at: i64,
    pub category_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub voter_id: Option<i64>,
}

/// A standing kudo: a vote that exists on a live post.
#[derive(Debug, Clone, Copy)]
pub struct VoteFact {
    pub post_id: i64,
    pub thread_id: i64,
    pub category_id: i64,
    pub voted_at: i64,
}

/// Kudo awards from one voter to one receiver: none for a self-vote, and at
/// most `daily_kudo_cap` per UTC day, earliest first (ties by post id).
pub fn kudo_awards(
    cfg: &ReputationConfig,
    voter: i64,
    receiver: i64,
    votes: &[VoteFact],
) -> Vec<Award> {
    if voter == receiver || cfg.kudo == 0 {
        return Vec::new();
    }
    capped_per_day(votes, cfg.daily_kudo_cap, |v| (v.voted_at, v.post_id))
        .into_iter()
        .map(|v| Award {
            source_key: format!("kudo:{}:{voter}", v.post_id),
            user_id: receiver,
            kind: "kudo",
            amount: cfg.kudo,
            awarded_at: v.voted_at,
            category_id: Some(v.category_id),
            thread_id: Some(v.thread_id),
            post_id: Some(v.post_id),
            voter_id: Some(voter),
        })
        .collect()
}

/// The votes of one voter for one receiver that count: at most `cap` per
/// UTC day, earliest first, by `key` = (time, tie-breaker).
fn capped_per_day<T: Copy>(votes: &[T], cap: usize, key: impl Fn(&T) -> (i64, i64)) -> Vec<T> {
    let mut sorted: Vec<T> = votes.to_vec();
    sorted.sort_by_key(|v| key(v));
    let mut out = Vec::new();
    let mut day = i64::MIN;
    let mut today = 0;
    for v in sorted {
        let d = key(&v).0.div_euclid(DAY_MS);
        if d != day {
            day = d;
            today = 0;
        }
        if today < cap {
            today += 1;
            out.push(v);
        }
    }
    out
}

/// A standing vote on a live, unmerged idea: which idea, where, when.
#[derive(Debug, Clone, Copy)]
pub struct IdeaVoteFact {
    pub thread_id: i64,
    pub category_id: i64,
    pub voted_at: i64,
}

/// Idea-vote awards from one voter to one idea author: none for voting on
/// your own idea, and at most `daily_idea_vote_cap` per UTC day, earliest
/// first (ties by idea).
pub fn idea_vote_awards(
    cfg: &ReputationConfig,
    voter: i64,
    author: i64,
    votes: &[IdeaVoteFact],
) -> Vec<Award> {
    if voter == author || cfg.idea_vote == 0 {
        return Vec::new();
    }
    capped_per_day(votes, cfg.daily_idea_vote_cap, |v| {
        (v.voted_at, v.thread_id)
    })
    .into_iter()
    .map(|v| Award {
        source_key: format!("idea_vote:{}:{voter}", v.thread_id),
        user_id: author,
        kind: "idea_vote",
        amount: cfg.idea_vote,
        awarded_at: v.voted_at,
        category_id: Some(v.category_id),
        thread_id: Some(v.thread_id),
        post_id: None,
        voter_id: Some(voter),
    })
    .collect()
}

/// The award for a live idea in a completed status, to its author, from
/// when it got that status.
pub fn idea_delivered_award(
    cfg: &ReputationConfig,
    thread_id: i64,
    category_id: i64,
    author: i64,
    delivered_at: i64,
) -> Option<Award> {
    (cfg.idea_delivered != 0).then(|| Award {
        source_key: format!("idea_delivered:{thread_id}"),
        user_id: author,
        kind: "idea_delivered",
        amount: cfg.idea_delivered,
        awarded_at: delivered_at,
        category_id: Some(category_id),
        thread_id: Some(thread_id),
        post_id: None,
        voter_id: None,
    })
}

/// A live thread as the thread-level awards see it.
#[derive(Debug, Clone)]
pub struct ThreadFact {
    pub thread_id: i64,
    pub category_id: i64,
    pub asker_id: i64,
    pub created_at: i64,
    /// The accepted post, if it is live: (post, author, accepted at).
    pub accepted: Option<(i64, i64, i64)>,
    /// Live replies, any order: (post, author, created at).
    pub replies: Vec<(i64, i64, i64)>,
}

/// The accepted-answer award (not for answering yourself) and the award for
/// the first reply by someone else, if it came within the hour.
pub fn thread_awards(cfg: &ReputationConfig, t: &ThreadFact) -> Vec<Award> {
    let mut out = Vec::new();
    let award = |kind: &'static str, key: String, user_id, amount, at, post_id| Award {
        source_key: key,
        user_id,
        kind,
        amount,
        awarded_at: at,
        category_id: Some(t.category_id),
        thread_id: Some(t.thread_id),
        post_id: Some(post_id),
        voter_id: None,
    };
    if let Some((post, author, at)) = t.accepted {
        if author != t.asker_id && cfg.accepted != 0 {
            out.push(award(
                "accepted",
                format!("accepted:{}", t.thread_id),
                author,
                cfg.accepted,
                at,
                post,
            ));
        }
    }
    let first = t
        .replies
        .iter()
        .filter(|(_, author, _)| *author != t.asker_id)
        .min_by_key(|(post, _, at)| (*at, *post));
    if let Some(&(post, author, at)) = first {
        if at - t.created_at <= HOUR_MS && cfg.first_reply != 0 {
            out.push(award(
                "first_reply",
                format!("first_reply:{}", t.thread_id),
                author,
                cfg.first_reply,
                at,
                post,
            ));
        }
    }
    out
}

/// The award for an answer promoted into a published article.
pub fn article_award(
    cfg: &ReputationConfig,
    article_id: i64,
    source_author: Option<i64>,
    published_at: Option<i64>,
    category_id: i64,
    source: (Option<i64>, Option<i64>),
) -> Option<Award> {
    let (author, at) = (source_author?, published_at?);
    (cfg.kb_promoted != 0).then(|| Award {
        source_key: format!("kb:{article_id}"),
        user_id: author,
        kind: "kb",
        amount: cfg.kb_promoted,
        awarded_at: at,
        category_id: Some(category_id),
        thread_id: source.0,
        post_id: source.1,
        voter_id: None,
    })
}

/// The longest run of consecutive days in a sorted, deduplicated list.
pub fn best_streak(days: &[i64]) -> i64 {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &d in days {
        run = if prev == Some(d - 1) { run + 1 } else { 1 };
        best = best.max(run);
        prev = Some(d);
    }
    best
}

/// The start of a leaderboard period: `week` and `month` are rolling windows.
pub fn period_start(period: &str, now: i64) -> Option<i64> {
    match period {
        "week" => Some(now - 7 * DAY_MS),
        "month" => Some(now - 30 * DAY_MS),
        "all" | "" => Some(i64::MIN),
        _ => None,
    }
}

/// A member's standing, for profiles and the API.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub user_id: i64,
    pub rank: String,
    pub stats: Stats,
    pub badges: Vec<HeldBadge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldBadge {
    pub key: String,
    pub name: String,
    pub description: String,
    pub level: i32,
    pub awarded_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeaderboardEntry {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub points: i64,
}

/// Who holds a badge (highest level each).
#[derive(Debug, Clone, Serialize)]
pub struct BadgeHolder {
    pub user_id: i64,
    pub username: String,
    pub level: i32,
    pub awarded_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    /// In English, as written when it happened: the fallback for kinds
    /// (and older rows) the interface cannot write from `params`.
    pub title: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
    /// What the text is made of (`actor`, `thread`, `badge`, …; see
    /// `notify::Notice::params`); `{}` for older rows.
    pub params: serde_json::Value,
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RebuildSummary {
    pub awards: u64,
    pub users: u64,
    pub points: i64,
    pub badges_added: u64,
    pub badges_removed: u64,
    /// Milliseconds per phase, for operators and the benchmark.
    pub phases: Vec<(&'static str, u64)>,
}

// ---------------------------------------------------------------- service

use crate::db::dispatch;
use crate::{Actor, Forum, ForumError};
use std::collections::HashMap;

impl Forum {
    pub fn reputation_rules(&self) -> &ReputationConfig {
        &self.reputation
    }

    /// Apply the next batch of outbox events to points, ranks and badges.
    pub fn process_reputation_events(&self, limit: i64) -> crate::Result<usize> {
        let cfg = self.reputation.clone();
        dispatch!(
            &self.db,
            reputation::process(&cfg, self.now(), limit.clamp(1, 10_000))
        )
    }

    /// Recompute every award, total and badge from scratch.
    pub fn rebuild_reputation(&self) -> crate::Result<RebuildSummary> {
        let cfg = self.reputation.clone();
        dispatch!(&self.db, reputation::rebuild(&cfg, self.now()))
    }

    pub fn standing(&self, user_id: i64) -> crate::Result<Standing> {
        self.user(user_id)?;
        let cfg = self.reputation.clone();
        dispatch!(&self.db, reputation::standing(&cfg, user_id))
    }

    /// Rank names for the authors on a page.
    pub fn ranks_for(&self, user_ids: &[i64]) -> crate::Result<HashMap<i64, String>> {
        let stats = dispatch!(&self.db, reputation::stats_of(user_ids))?;
        Ok(user_ids
            .iter()
            .map(|id| {
                let (points, accepted) = stats.get(id).copied().unwrap_or((0, 0));
                (*id, self.reputation.rank_name(points, accepted))
            })
            .collect())
    }

    /// What the member's rank lets them do beyond their role.
    pub fn privileges(&self, actor: Actor) -> crate::Result<Vec<Privilege>> {
        let stats = dispatch!(&self.db, reputation::stats_of(&[actor.user_id]))?;
        let (points, accepted) = stats.get(&actor.user_id).copied().unwrap_or((0, 0));
        Ok(self
            .reputation
            .rank(points, accepted)
            .map(|r| r.privileges.clone())
            .unwrap_or_default())
    }

    /// What `viewer` may do to threads (`policy::thread_privileges`); the
    /// rank is only looked up for members who are not moderators.
    pub fn thread_privileges(
        &self,
        viewer: Option<Actor>,
    ) -> crate::Result<crate::policy::ThreadPrivileges> {
        let granted = match viewer {
            Some(a) if !a.role.can_moderate() => self.privileges(a)?,
            _ => Vec::new(),
        };
        Ok(crate::policy::thread_privileges(viewer, &granted))
    }

    /// The ranks whose conditions the member meets (their own and every
    /// one below it): what a board's `rank:<name>` rule asks for.
    pub fn reached_ranks(&self, actor: Actor) -> crate::Result<Vec<String>> {
        let stats = dispatch!(&self.db, reputation::stats_of(&[actor.user_id]))?;
        let (points, accepted) = stats.get(&actor.user_id).copied().unwrap_or((0, 0));
        Ok(self
            .reputation
            .ranks
            .iter()
            .filter(|r| points >= r.min_points && accepted >= r.min_accepted)
            .map(|r| r.name.clone())
            .collect())
    }

    /// The configured rank names, lowest first.
    pub fn rank_names(&self) -> Vec<String> {
        let mut ranks: Vec<&RankRule> = self.reputation.ranks.iter().collect();
        ranks.sort_by_key(|r| (r.min_points, r.min_accepted));
        ranks.into_iter().map(|r| r.name.clone()).collect()
    }

    pub fn has_privilege(&self, actor: Actor, p: Privilege) -> crate::Result<bool> {
        Ok(self.privileges(actor)?.contains(&p))
    }

    /// Top members for `period` (`week`, `month` or `all`), overall or in one board.
    pub fn leaderboard(
        &self,
        period: &str,
        category: Option<&str>,
        viewer: Option<Actor>,
        limit: usize,
    ) -> crate::Result<Vec<LeaderboardEntry>> {
        let since = period_start(period, self.now()).ok_or_else(|| {
            ForumError::invalid(
                "period",
                crate::Rule::OneOf {
                    choices: "week, month, all".into(),
                },
                "period must be week, month or all",
            )
        })?;
        let category_id = match category {
            Some(slug) => Some(self.category(slug, viewer)?.id),
            None => None,
        };
        dispatch!(
            &self.db,
            reputation::leaderboard(since, category_id, limit.clamp(1, 100))
        )
    }

    /// Every configured badge with how many members hold it.
    pub fn badges_overview(&self) -> crate::Result<Vec<(BadgeRule, i64)>> {
        let counts = dispatch!(&self.db, reputation::badge_counts())?;
        Ok(self
            .reputation
            .badges
            .iter()
            .map(|b| (b.clone(), counts.get(&b.key).copied().unwrap_or(0)))
            .collect())
    }

    pub fn badge_holders(&self, key: &str) -> crate::Result<(BadgeRule, Vec<BadgeHolder>)> {
        let rule = self
            .reputation
            .badge(key)
            .cloned()
            .ok_or(ForumError::NotFound("badge"))?;
        let holders = dispatch!(&self.db, reputation::badge_holders(key, 500))?;
        Ok((rule, holders))
    }

    pub fn notifications(&self, user_id: i64, limit: i64) -> crate::Result<Vec<Notification>> {
        dispatch!(
            &self.db,
            reputation::notifications_for(user_id, limit.clamp(1, 200))
        )
    }

    pub fn unread_notifications(&self, user_id: i64) -> crate::Result<i64> {
        dispatch!(&self.db, reputation::unread_count(user_id))
    }

    pub fn mark_notifications_read(&self, user_id: i64) -> crate::Result<usize> {
        dispatch!(
            &self.db,
            reputation::mark_notifications_read(self.now(), user_id)
        )
    }

    /// Every award and badge held, in a stable order: what a rebuild must reproduce.
    pub fn reputation_snapshot(&self) -> crate::Result<ReputationSnapshot> {
        Ok(ReputationSnapshot {
            awards: dispatch!(&self.db, reputation::all_awards())?,
            badges: dispatch!(&self.db, reputation::all_badges())?,
        })
    }

    pub fn move_thread(&self, actor: Actor, thread_id: i64, category: &str) -> crate::Result<()> {
        let by_rank = self.has_privilege(actor, Privilege::MoveThreads)?;
        dispatch!(
            &self.db,
            move_thread(self.now(), actor, by_rank, thread_id, category)
        )
    }

    pub fn mark_duplicate(
        &self,
        actor: Actor,
        thread_id: i64,
        of: Option<i64>,
    ) -> crate::Result<()> {
        let by_rank = self.has_privilege(actor, Privilege::MarkDuplicates)?;
        dispatch!(
            &self.db,
            mark_duplicate(self.now(), actor, by_rank, thread_id, of)
        )
    }

    /// Threads the member's answer solved that `viewer` may read, newest
    /// first, one page: (id, title).
    pub fn accepted_answers(
        &self,
        user_id: i64,
        viewer: Option<Actor>,
        paging: crate::Paging,
    ) -> crate::Result<crate::Paged<(i64, String)>> {
        dispatch!(&self.db, accepted_answers(user_id, viewer, paging))
    }

    /// A member's replies `viewer` may read, newest first, one page.
    pub fn recent_replies(
        &self,
        user_id: i64,
        viewer: Option<Actor>,
        paging: crate::Paging,
    ) -> crate::Result<crate::Paged<crate::RecentReply>> {
        dispatch!(&self.db, recent_replies(user_id, viewer, paging))
    }

    /// The threads a member asked that `viewer` may read, newest first,
    /// one page.
    pub fn member_threads(
        &self,
        user_id: i64,
        viewer: Option<Actor>,
        paging: crate::Paging,
    ) -> crate::Result<crate::Paged<crate::ThreadSummary>> {
        dispatch!(&self.db, threads_by_author(user_id, viewer, paging))
    }

    /// The thread this one duplicates, if marked: (id, title).
    pub fn duplicate_of(&self, thread_id: i64) -> crate::Result<Option<(i64, String)>> {
        dispatch!(&self.db, duplicate_of(thread_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReputationSnapshot {
    /// (source key, user, amount, awarded at)
    pub awards: Vec<(String, i64, i32, i64)>,
    /// (user, badge, level)
    pub badges: Vec<(i64, String, i32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(post_id: i64, voted_at: i64) -> VoteFact {
        VoteFact {
            post_id,
            thread_id: 1,
            category_id: 1,
            voted_at,
        }
    }

    #[test]
    fn self_votes_earn_nothing() {
        let cfg = ReputationConfig::default();
        assert!(kudo_awards(&cfg, 7, 7, &[vote(1, 0)]).is_empty());
        assert_eq!(kudo_awards(&cfg, 8, 7, &[vote(1, 0)]).len(), 1);
    }

    #[test]
    fn daily_cap_per_pair_counts_earliest_and_resets_each_day() {
        let cfg = ReputationConfig::default();
        let votes: Vec<VoteFact> = (0..5)
            .map(|i| vote(10 + i, 1000 - i))
            .chain((0..2).map(|i| vote(20 + i, DAY_MS + i)))
            .collect();
        let awards = kudo_awards(&cfg, 1, 2, &votes);
        assert_eq!(awards.len(), 3 + 2);
        // The three earliest of day one (posts 14, 13, 12 voted first).
        let day_one: Vec<i64> = awards.iter().take(3).filter_map(|a| a.post_id).collect();
        assert_eq!(day_one, vec![14, 13, 12]);
        assert!(awards.iter().all(|a| a.amount == 10 && a.user_id == 2));
    }

    #[test]
    fn idea_votes_earn_points_except_on_your_own_idea_and_are_capped_per_day() {
        let cfg = ReputationConfig::default();
        let vote = |thread_id, voted_at| IdeaVoteFact {
            thread_id,
            category_id: 9,
            voted_at,
        };
        assert!(idea_vote_awards(&cfg, 4, 4, &[vote(1, 0)]).is_empty());
        // Seven ideas voted on one day, two the next: five, then two.
        let votes: Vec<IdeaVoteFact> = (0..7)
            .map(|i| vote(100 + i, 1_000 + i))
            .chain((0..2).map(|i| vote(200 + i, DAY_MS + i)))
            .collect();
        let awards = idea_vote_awards(&cfg, 4, 5, &votes);
        assert_eq!(awards.len(), 5 + 2);
        assert!(awards
            .iter()
            .all(|a| a.user_id == 5 && a.amount == 5 && a.kind == "idea_vote"));
        assert_eq!(awards[0].source_key, "idea_vote:100:4");
        assert!(!awards.iter().any(|a| a.thread_id == Some(105)));
        let off = ReputationConfig {
            idea_vote: 0,
            ..ReputationConfig::default()
        };
        assert!(idea_vote_awards(&off, 4, 5, &votes).is_empty());
        let shipped = idea_delivered_award(&cfg, 7, 9, 5, 123).unwrap();
        assert_eq!(
            (shipped.user_id, shipped.amount, shipped.awarded_at),
            (5, 50, 123)
        );
    }

    #[test]
    fn idea_badges_count_the_top_idea_and_delivered_ideas() {
        let cfg = ReputationConfig::default();
        let stats = Stats {
            idea_top_votes: 57,
            ideas_delivered: 11,
            ..Stats::default()
        };
        let held: Vec<(String, i32)> = cfg.badges_for(&stats);
        let has = |k: &str, l: i32| held.iter().any(|(key, level)| key == k && *level == l);
        assert!(has("idea-ten-votes", 1) && has("idea-fifty-votes", 1));
        assert!(!held.iter().any(|(k, _)| k == "idea-hundred-votes"));
        assert!(has("idea-delivered", 1));
        assert!(has("ideas-delivered", 2) && !has("ideas-delivered", 3));
    }

    #[test]
    fn accepted_answer_and_fast_first_reply() {
        let cfg = ReputationConfig::default();
        let mut t = ThreadFact {
            thread_id: 5,
            category_id: 2,
            asker_id: 1,
            created_at: 0,
            accepted: Some((11, 3, 500)),
            replies: vec![(10, 1, 10), (11, 3, HOUR_MS - 1), (12, 4, 2 * HOUR_MS)],
        };
        let awards = thread_awards(&cfg, &t);
        let kinds: Vec<(&str, i64)> = awards.iter().map(|a| (a.kind, a.user_id)).collect();
        // The asker's own reply does not count as the first reply.
        assert_eq!(kinds, vec![("accepted", 3), ("first_reply", 3)]);
        t.replies.retain(|r| r.0 != 11);
        t.accepted = Some((10, 1, 500));
        let awards = thread_awards(&cfg, &t);
        // Answering yourself earns nothing; the next reply is too late.
        assert!(awards.is_empty(), "{awards:?}");
    }

    #[test]
    fn badge_levels_one_time_and_repeatable() {
        let cfg = ReputationConfig::default();
        let stats = |accepted| Stats {
            accepted,
            ..Stats::default()
        };
        let levels = |key: &str, s: &Stats| badge_levels(cfg.badge(key).unwrap(), s);
        assert!(levels("first-solution", &stats(0)).is_empty());
        assert_eq!(levels("first-solution", &stats(1)), vec![1]);
        assert_eq!(levels("first-solution", &stats(70)), vec![1]);
        assert!(levels("ten-solutions", &stats(9)).is_empty());
        assert_eq!(levels("ten-solutions", &stats(10)), vec![1]);
        assert!(levels("hundred-solutions", &stats(99)).is_empty());
        assert_eq!(levels("hundred-solutions", &stats(100)), vec![1]);
        assert_eq!(levels("solutions-streak", &stats(24)), Vec::<i32>::new());
        assert_eq!(levels("solutions-streak", &stats(60)), vec![1, 2]);
    }

    #[test]
    fn every_default_badge_rule_fires_at_its_threshold_and_not_below() {
        let cfg = ReputationConfig::default();
        for rule in &cfg.badges {
            let mut s = Stats::default();
            let set = |s: &mut Stats, v| match rule.metric {
                Metric::Posts => s.posts = v,
                Metric::AcceptedAnswers => s.accepted = v,
                Metric::KudosReceived => s.kudos = v,
                Metric::KbArticles => s.kb_articles = v,
                Metric::AnswerCategories => s.answer_categories = v,
                Metric::ActiveStreakDays => s.best_streak = v,
                Metric::Points => s.points = v,
                Metric::IdeaTopVotes => s.idea_top_votes = v,
                Metric::IdeasDelivered => s.ideas_delivered = v,
            };
            set(&mut s, rule.threshold - 1);
            assert!(badge_levels(rule, &s).is_empty(), "{}", rule.key);
            set(&mut s, rule.threshold);
            assert_eq!(badge_levels(rule, &s), vec![1], "{}", rule.key);
        }
        let keys: Vec<&str> = cfg.badges.iter().map(|b| b.key.as_str()).collect();
        for k in [
            "first-post",
            "fifty-kudos",
            "kb-author",
            "all-rounder",
            "thirty-days",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
    }

    #[test]
    fn rank_thresholds_need_every_condition() {
        let cfg = ReputationConfig::default();
        assert_eq!(cfg.rank_name(0, 0), "Newcomer");
        assert_eq!(cfg.rank_name(49, 0), "Newcomer");
        assert_eq!(cfg.rank_name(50, 0), "Contributor");
        assert_eq!(cfg.rank_name(300, 4), "Contributor");
        assert_eq!(cfg.rank_name(300, 5), "Expert");
        assert_eq!(cfg.rank_name(5000, 19), "Expert");
        assert_eq!(cfg.rank_name(1000, 20), "Community Leader");
        assert!(cfg.has_privilege(1000, 20, Privilege::MoveThreads));
        assert!(!cfg.has_privilege(999, 20, Privilege::EditPosts));
        assert_eq!(cfg.rank_name(-30, 0), "Newcomer");
    }

    #[test]
    fn streaks() {
        assert_eq!(best_streak(&[]), 0);
        assert_eq!(best_streak(&[5]), 1);
        assert_eq!(best_streak(&[1, 2, 3, 5, 6]), 3);
        let month: Vec<i64> = (100..130).collect();
        assert_eq!(best_streak(&month), 30);
    }

    #[test]
    fn config_validation() {
        let mut cfg = ReputationConfig::default();
        assert!(cfg.validate().is_ok());
        cfg.badges.push(cfg.badges[0].clone());
        assert!(cfg.validate().is_err());
    }
}
