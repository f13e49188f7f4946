//! Community and support analytics: exact figures over a time window,
//! each implementing one written definition of `docs/analytics.md`.
//!
//! Storage loads the facts of the window (questions, their replies, posts
//! and kudos, accounts, CRM tasks); the functions here turn them into
//! figures, so each definition lives in one place and is unit-tested on its
//! own. Durations are summarised by count, mean, median and 90th
//! percentile (nearest rank), never by the mean alone.

use serde::Serialize;

use crate::db::dispatch;
use crate::{Actor, Forum, ForumError, Result, Role};

pub mod deflection;
pub mod rollups;
pub mod traffic;

pub use deflection::Deflection;
pub use traffic::{PageKind, Traffic};

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// The half-open window `[from, to)` in unix ms, and an optional board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    /// Only this board's threads (and the posts and kudos in them).
    pub category_id: Option<i64>,
    /// Only members of this customer segment (`crm_contacts.segment`):
    /// their posts, kudos, questions, tasks and ask-page sessions.
    pub segment: Option<String>,
    /// How series are cut: by day, week or month.
    pub bucket: Bucket,
}

/// How a series is cut. Weeks are seven days from the window's first day;
/// months are calendar months (UTC), the first and last cut by the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Bucket {
    #[default]
    Day,
    Week,
    Month,
}

impl Bucket {
    pub fn parse(s: &str) -> Option<Bucket> {
        Some(match s {
            "" | "day" => Bucket::Day,
            "week" => Bucket::Week,
            "month" => Bucket::Month,
            _ => return None,
        })
    }

    /// The start of the bucket `at` falls in (not before the window's).
    pub fn start(self, window: &Window, at: i64) -> i64 {
        let first = day_of(window.from);
        let start = match self {
            Bucket::Day => day_of(at),
            Bucket::Week => first + (day_of(at) - first).div_euclid(7 * DAY_MS) * 7 * DAY_MS,
            Bucket::Month => {
                let (y, m) = year_month(at);
                days_from_civil(y, m, 1) * DAY_MS
            }
        };
        start.max(first)
    }

    /// The start of the bucket after the one starting at `start`.
    fn next(self, start: i64) -> i64 {
        match self {
            Bucket::Day => start + DAY_MS,
            Bucket::Week => start + 7 * DAY_MS,
            Bucket::Month => {
                let (y, m) = year_month(start);
                let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                days_from_civil(y, m, 1) * DAY_MS
            }
        }
    }

    /// Every bucket start of the window, in order.
    pub fn starts(self, window: &Window) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = self.start(window, window.from);
        while at < window.to {
            out.push(at);
            at = self.next(at);
        }
        out
    }
}

/// (year, month) of the UTC day `at` falls in (Howard Hinnant's
/// civil-from-days).
fn year_month(at: i64) -> (i64, i64) {
    let z = at.div_euclid(DAY_MS) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Window {
    /// The window of the same length just before this one.
    pub fn previous(&self) -> Window {
        let len = self.to - self.from;
        Window {
            from: self.from - len,
            to: self.from,
            ..self.clone()
        }
    }

    pub fn contains(&self, at: i64) -> bool {
        at >= self.from && at < self.to
    }

    /// The number of whole or partial days it spans.
    pub fn days(&self) -> i64 {
        ((self.to - self.from) + DAY_MS - 1) / DAY_MS
    }
}

/// Durations summarised: how many, and their mean, median and 90th
/// percentile (ms; `None` when there are none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Distribution {
    pub count: i64,
    pub mean_ms: Option<i64>,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

/// The `p`-th percentile by nearest rank: the smallest value with at least
/// `p` percent of the values at or below it (`sorted` ascending).
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).max(1);
    sorted.get(rank as usize - 1).copied()
}

impl Distribution {
    pub fn of(mut values: Vec<i64>) -> Distribution {
        values.sort_unstable();
        let count = values.len() as i64;
        let mean_ms = (count > 0).then(|| {
            let sum: i128 = values.iter().map(|v| i128::from(*v)).sum();
            // Rounded half away from zero.
            ((sum * 2 + i128::from(count)) / (2 * i128::from(count))) as i64
        });
        Distribution {
            count,
            mean_ms,
            median_ms: nearest_rank(&values, 50),
            p90_ms: nearest_rank(&values, 90),
        }
    }
}

/// A share: `part` of `whole`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
}

impl Share {
    /// Percent with one decimal, or `None` of nothing.
    pub fn percent(&self) -> Option<f64> {
        (self.whole > 0).then(|| (self.part as f64 * 1000.0 / self.whole as f64).round() / 10.0)
    }
}

/// A question in the window, with what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionFacts {
    pub thread_id: i64,
    pub asker_id: i64,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    /// Visible replies by others than the asker: (when, author's role).
    pub replies: Vec<(i64, Role)>,
}

/// How questions were answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answering {
    pub questions: i64,
    /// To the first reply by anyone but the asker.
    pub first_reply: Distribution,
    /// To the first reply by a customer other than the asker.
    pub first_community_reply: Distribution,
    /// To the first reply by an agent, moderator or admin.
    pub first_staff_reply: Distribution,
    /// To the accepted answer.
    pub time_to_solution: Distribution,
    /// Questions at least a day old at the window's end with no reply by
    /// another member within 24 hours.
    pub unanswered_after_24h: Share,
    /// Questions at least `solved_within_days` old at the window's end
    /// with an answer accepted within that many days.
    pub solved_within: Share,
    pub solved_within_days: i64,
}

/// The answering figures of `questions` (all created in `window`).
pub fn answering(window: &Window, questions: &[QuestionFacts], solved_days: i64) -> Answering {
    let mut first = Vec::new();
    let mut community = Vec::new();
    let mut staff = Vec::new();
    let mut solution = Vec::new();
    let mut unanswered = Share::default();
    let mut solved = Share::default();
    for q in questions {
        let earliest = |pick: &dyn Fn(Role) -> bool| {
            q.replies
                .iter()
                .filter(|(_, r)| pick(*r))
                .map(|(at, _)| *at)
                .min()
        };
        let any = earliest(&|_| true);
        if let Some(at) = any {
            first.push(at - q.created_at);
        }
        if let Some(at) = earliest(&|r| !r.is_staff()) {
            community.push(at - q.created_at);
        }
        if let Some(at) = earliest(&|r| r.is_staff()) {
            staff.push(at - q.created_at);
        }
        if let Some(at) = q.accepted_at {
            solution.push(at - q.created_at);
        }
        if q.created_at + DAY_MS <= window.to {
            unanswered.whole += 1;
            if any.is_none_or(|at| at - q.created_at > DAY_MS) {
                unanswered.part += 1;
            }
        }
        let span = solved_days * DAY_MS;
        if q.created_at + span <= window.to {
            solved.whole += 1;
            if q.accepted_at.is_some_and(|at| at - q.created_at <= span) {
                solved.part += 1;
            }
        }
    }
    Answering {
        questions: questions.len() as i64,
        first_reply: Distribution::of(first),
        first_community_reply: Distribution::of(community),
        first_staff_reply: Distribution::of(staff),
        time_to_solution: Distribution::of(solution),
        unanswered_after_24h: unanswered,
        solved_within: solved,
        solved_within_days: solved_days,
    }
}

/// One contribution: a visible post or a kudo, by whom and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    pub user_id: i64,
    pub at: i64,
    pub kind: ContributionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContributionKind {
    Question,
    Reply,
    Kudo,
}

/// Counts of a window, and how its days went.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Activity {
    pub new_members: i64,
    pub active_members: i64,
    pub new_contributors: i64,
    pub threads: i64,
    pub replies: i64,
    pub kudos: i64,
    /// Mean daily active members over the 30 days ending at the window's
    /// end, over the members active in those 30 days (percent, one decimal).
    pub dau_over_mau: Option<f64>,
    /// Bucket by bucket from the window's start (UTC days by default).
    pub days: Vec<DayActivity>,
}

impl Activity {
    /// Keep only what `Detail::Headline` reports: no buckets, no DAU/MAU.
    pub fn headline_only(&mut self) {
        self.dau_over_mau = None;
        self.days.clear();
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DayActivity {
    /// The day's start (unix ms).
    pub day: i64,
    pub new_members: i64,
    pub active_members: i64,
    pub threads: i64,
    pub replies: i64,
    pub kudos: i64,
}

/// The day (UTC midnight, ms) `at` falls in.
pub fn day_of(at: i64) -> i64 {
    at.div_euclid(DAY_MS) * DAY_MS
}

/// The activity figures. `contributions` are those in `window`;
/// `joined` the accounts' creation times in it; `first_contributions` each
/// contributing member's first post ever (in the board, when filtered);
/// `last_30_days` the contributions of the 30 days ending at `window.to`.
pub fn activity(
    window: &Window,
    contributions: &[Contribution],
    joined: &[i64],
    first_posts: &[(i64, i64)],
    last_30_days: &[Contribution],
) -> Activity {
    use std::collections::{BTreeMap, HashSet};
    let count = |k: ContributionKind| contributions.iter().filter(|c| c.kind == k).count() as i64;
    let active: HashSet<i64> = contributions.iter().map(|c| c.user_id).collect();
    let new_contributors = first_posts
        .iter()
        .filter(|(user, first)| active.contains(user) && window.contains(*first))
        .count() as i64;
    let mut days: BTreeMap<i64, (DayActivity, HashSet<i64>)> = BTreeMap::new();
    for day in window.bucket.starts(window) {
        days.insert(
            day,
            (
                DayActivity {
                    day,
                    ..Default::default()
                },
                HashSet::new(),
            ),
        );
    }
    for c in contributions {
        if let Some((d, who)) = days.get_mut(&window.bucket.start(window, c.at)) {
            who.insert(c.user_id);
            match c.kind {
                ContributionKind::Question => d.threads += 1,
                ContributionKind::Reply => d.replies += 1,
                ContributionKind::Kudo => d.kudos += 1,
            }
        }
    }
    for at in joined {
        if let Some((d, _)) = days.get_mut(&window.bucket.start(window, *at)) {
            d.new_members += 1;
        }
    }
    let days = days
        .into_values()
        .map(|(mut d, who)| {
            d.active_members = who.len() as i64;
            d
        })
        .collect();
    Activity {
        new_members: joined.len() as i64,
        active_members: active.len() as i64,
        new_contributors,
        threads: count(ContributionKind::Question),
        replies: count(ContributionKind::Reply),
        kudos: count(ContributionKind::Kudo),
        dau_over_mau: dau_over_mau(window.to, last_30_days),
        days,
    }
}

/// Mean distinct members per day over the 30 days before `end`, divided
/// by the distinct members of all 30 days.
fn dau_over_mau(end: i64, contributions: &[Contribution]) -> Option<f64> {
    use std::collections::{HashMap, HashSet};
    let start = end - 30 * DAY_MS;
    let mut month = HashSet::new();
    let mut daily: HashMap<i64, HashSet<i64>> = HashMap::new();
    for c in contributions.iter().filter(|c| c.at >= start && c.at < end) {
        month.insert(c.user_id);
        daily
            .entry((c.at - start).div_euclid(DAY_MS))
            .or_default()
            .insert(c.user_id);
    }
    if month.is_empty() {
        return None;
    }
    let sum: usize = daily.values().map(HashSet::len).sum();
    let dau = sum as f64 / 30.0;
    Some((dau * 1000.0 / month.len() as f64).round() / 10.0)
}

/// A CRM task created in the window, with what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub priority: String,
    pub created_at: i64,
    pub escalated: bool,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub resolution_due: i64,
    pub resolved_at: Option<i64>,
    /// The thread's accepted answer was written by a customer.
    pub answer_by_community: bool,
}

/// Service levels of one priority: met, breached, still running.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SlaCount {
    pub met: i64,
    pub breached: i64,
    pub open: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PrioritySla {
    pub priority: String,
    pub first_response: SlaCount,
    pub resolution: SlaCount,
}

/// Support work of the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Support {
    pub tasks_created: i64,
    pub escalated: i64,
    pub resolved: i64,
    /// Resolved, and the thread's accepted answer is a customer's.
    pub resolved_by_community: i64,
    pub resolved_by_agents: i64,
    pub first_response: Distribution,
    pub by_priority: Vec<PrioritySla>,
    /// Tasks open at the end of each bucket (day) of the window.
    pub backlog: Vec<(i64, i64)>,
}

/// A deadline's state at `now`: met, breached, or running.
fn sla_state(due: i64, done: Option<i64>, now: i64) -> (i64, i64, i64) {
    match done {
        Some(at) if at <= due => (1, 0, 0),
        Some(_) => (0, 1, 0),
        None if now > due => (0, 1, 0),
        None => (0, 0, 1),
    }
}

/// The support figures of `tasks` (created in `window`), judged at `now`;
/// `open_tasks` are the (created, resolved) times of every task open at
/// some point of the window, for the backlog.
pub fn support(window: &Window, tasks: &[TaskFacts], open_tasks: &[TaskSpan], now: i64) -> Support {
    use std::collections::BTreeMap;
    let mut by_priority: BTreeMap<String, PrioritySla> = BTreeMap::new();
    let mut s = Support {
        tasks_created: tasks.len() as i64,
        ..Default::default()
    };
    let mut first = Vec::new();
    for t in tasks {
        s.escalated += i64::from(t.escalated);
        if t.resolved_at.is_some() {
            s.resolved += 1;
            if t.answer_by_community {
                s.resolved_by_community += 1;
            } else {
                s.resolved_by_agents += 1;
            }
        }
        if let Some(at) = t.first_response_at {
            first.push(at - t.created_at);
        }
        let p = by_priority
            .entry(t.priority.clone())
            .or_insert_with(|| PrioritySla {
                priority: t.priority.clone(),
                ..Default::default()
            });
        let (m, b, o) = sla_state(t.first_response_due, t.first_response_at, now);
        p.first_response.met += m;
        p.first_response.breached += b;
        p.first_response.open += o;
        let (m, b, o) = sla_state(t.resolution_due, t.resolved_at, now);
        p.resolution.met += m;
        p.resolution.breached += b;
        p.resolution.open += o;
    }
    s.first_response = Distribution::of(first);
    s.by_priority = by_priority.into_values().collect();
    for day in window.bucket.starts(window) {
        let end = window.bucket.next(day).min(window.to);
        let open = open_tasks
            .iter()
            .filter(|(created, resolved)| *created < end && resolved.is_none_or(|r| r >= end))
            .count() as i64;
        s.backlog.push((day, open));
    }
    s
}

/// A member among the top contributors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contributor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub accepted_answers: i64,
    pub replies: i64,
}

/// A member who used to contribute and has gone quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtRisk {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// Visible posts in the 90 days before they went quiet.
    pub posts_before: i64,
    pub last_post_at: i64,
}

/// Who carries the community.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct People {
    /// By accepted answers, then replies, in the window (at most 10).
    pub top_contributors: Vec<Contributor>,
    /// Accepted answers (answered in the window) given by the top 1 % and
    /// top 5 % of the window's active members, ranked by accepted answers.
    pub top_1_percent_share: Share,
    pub top_5_percent_share: Share,
    /// Members with at least 3 visible posts in the 90 days before the
    /// last `quiet_days` and none since (at most 20, most active first).
    pub at_risk: Vec<AtRisk>,
    pub quiet_days: i64,
}

/// The share of `accepted` answers (one entry per accepted answer: its
/// author) given by the top `percent` % of `active` members (at least
/// one member), ranked by accepted answers.
pub fn superuser_share(accepted: &[i64], active: usize, percent: u32) -> Share {
    use std::collections::HashMap;
    let mut by_author: HashMap<i64, i64> = HashMap::new();
    for a in accepted {
        *by_author.entry(*a).or_default() += 1;
    }
    let mut counts: Vec<i64> = by_author.into_values().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top = ((active as u64 * u64::from(percent)).div_ceil(100)).max(1) as usize;
    Share {
        part: counts.iter().take(top).sum(),
        whole: accepted.len() as i64,
    }
}

/// A search as the log keeps it: no member, no address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedSearch {
    pub at: i64,
    pub lang: String,
    pub query: String,
    pub results: i64,
    /// A random id the result links carry, for click-through (none for
    /// API searches, whose clicks are not seen).
    pub search_id: Option<String>,
}

/// The most searches a node keeps before writing them; beyond it the
/// oldest are dropped (and counted), so a flood cannot grow memory.
const SEARCH_BUFFER: usize = 20_000;

/// A query as the log keeps it: trimmed, lower-cased, spaces collapsed,
/// at most 200 characters.
pub fn normalise_query(q: &str) -> String {
    q.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .take(200)
        .collect()
}

/// (language, query, searches, of which without results).
pub type QueryCount = (String, String, i64, i64);

/// A task's (created, resolved) times, for the backlog.
pub type TaskSpan = (i64, Option<i64>);

/// How searching went in the window (site-wide).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Searching {
    pub searches: i64,
    pub zero_results: Share,
    /// Searches on the search page after which a result was opened, of
    /// the searches on the search page.
    pub click_through: Share,
    /// (language, query, searches, of which without results), most
    /// searched first; ten at most.
    pub top_queries: Vec<QueryCount>,
    /// The same for queries that found nothing, most searched first.
    pub top_zero_result_queries: Vec<QueryCount>,
}

/// The search figures of logged searches, grouped by (language, query):
/// (language, query, searches, without results).
pub fn searching(groups: &[QueryCount], click_through: Share) -> Searching {
    let searches = groups.iter().map(|g| g.2).sum();
    let zero = groups.iter().map(|g| g.3).sum();
    let top = |key: &dyn Fn(&QueryCount) -> i64| {
        let mut all: Vec<_> = groups.iter().filter(|g| key(g) > 0).cloned().collect();
        all.sort_by(|a, b| (key(b), &a.0, &a.1).cmp(&(key(a), &b.0, &b.1)));
        all.truncate(10);
        all
    };
    Searching {
        searches,
        zero_results: Share {
            part: zero,
            whole: searches,
        },
        click_through,
        top_queries: top(&|g| g.2),
        top_zero_result_queries: top(&|g| g.3),
    }
}

impl Forum {
    /// Remember a search (page one of a query someone typed) for the
    /// search-gap figures; written by `flush_search_log`. Costs no write.
    /// `search_id` (from `new_search_id`) goes into the result links, so
    /// opening one counts as a click.
    pub fn log_search(&self, lang: &str, query: &str, results: i64, search_id: Option<&str>) {
        let query = normalise_query(query);
        if query.is_empty() {
            return;
        }
        let entry = LoggedSearch {
            at: self.now(),
            lang: lang.chars().take(8).collect(),
            query,
            results,
            search_id: search_id
                .filter(|id| valid_search_id(id))
                .map(str::to_owned),
        };
        if let Ok(mut log) = self.searches.lock() {
            if log.len() >= SEARCH_BUFFER {
                log.pop_front();
                tracing::warn!("search log buffer full; the oldest search was dropped");
            }
            log.push_back(entry);
        }
    }

    /// Write buffered searches, and forget those older than
    /// `keep_days`. Returns how many were written.
    pub fn flush_search_log(&self, keep_days: i64) -> Result<usize> {
        let pending: Vec<LoggedSearch> = match self.searches.lock() {
            Ok(mut v) => std::mem::take(&mut *v).into(),
            Err(_) => return Ok(0),
        };
        let n = pending.len();
        let cutoff = self.now() - keep_days.max(1) * DAY_MS;
        if let Err(e) = dispatch!(&self.db, analytics_store::write_searches(&pending, cutoff)) {
            // Back in the buffer for the next flush rather than lost.
            if let Ok(mut v) = self.searches.lock() {
                let mut back = std::collections::VecDeque::from(pending);
                back.append(&mut v);
                back.truncate(SEARCH_BUFFER);
                *v = back;
            }
            return Err(e);
        }
        Ok(n)
    }
}

/// The most page views a node keeps before writing them (as searches).
const VIEW_BUFFER: usize = 100_000;

impl Forum {
    /// Count a page view by a member or visitor (`key`: the member, or a
    /// visitor's address and browser; hashed with the day's salt when
    /// written). Callers leave out staff, robots and API calls. Costs no
    /// write.
    pub fn record_page_view(
        &self,
        key: String,
        kind: PageKind,
        category_id: Option<i64>,
        target_id: Option<i64>,
    ) {
        let view = traffic::PendingView {
            at: self.now(),
            key,
            kind,
            category_id,
            target_id,
        };
        if let Ok(mut views) = self.page_views.lock() {
            if views.len() >= VIEW_BUFFER {
                views.pop_front();
                tracing::warn!("page view buffer full; the oldest view was dropped");
            }
            views.push_back(view);
        }
    }

    /// Write buffered page views, each visitor hashed with its day's salt;
    /// forget views older than `page_view_days` and salts of days over.
    /// Returns how many were written.
    pub fn flush_page_views(&self) -> Result<usize> {
        let pending: Vec<traffic::PendingView> = match self.page_views.lock() {
            Ok(mut v) => std::mem::take(&mut *v).into(),
            Err(_) => return Ok(0),
        };
        let n = pending.len();
        let now = self.now();
        let cutoff = now - self.analytics.page_view_days.max(1) * DAY_MS;
        let written = dispatch!(
            &self.db,
            analytics_store::write_page_views(&pending, cutoff, day_of(now) - DAY_MS)
        );
        if let Err(e) = written {
            if let Ok(mut v) = self.page_views.lock() {
                let mut back = std::collections::VecDeque::from(pending);
                back.append(&mut v);
                back.truncate(VIEW_BUFFER);
                *v = back;
            }
            return Err(e);
        }
        Ok(n)
    }

    /// Someone opened the result at `rank` (1-based) of the search
    /// `search_id` (from the result page's links).
    pub fn record_search_click(&self, search_id: &str, rank: i64) -> Result<()> {
        if !valid_search_id(search_id) {
            return Err(ForumError::validation("s", "not a valid search id"));
        }
        let rank = rank.clamp(0, 1000) as i32;
        dispatch!(
            &self.db,
            analytics_store::record_search_click(search_id, self.now(), rank)
        )
    }
}

impl Forum {
    /// The customer segments of CRM contacts (for the segment filter).
    pub fn customer_segments(&self) -> Result<Vec<String>> {
        dispatch!(&self.db, analytics_store::segments())
    }
}

/// The notice kind of the weekly digest (a preference members can set).
pub const DIGEST_KIND: &str = "analytics";

/// The headline figures the weekly digest mails, each `[this week, the
/// week before]`, with the week's first and last day (unix ms).
pub fn digest_params(
    now: &Report,
    before: &Report,
    cost_per_contact_cents: i64,
    currency: &str,
) -> serde_json::Value {
    let pair = |f: &dyn Fn(&Report) -> serde_json::Value| serde_json::json!([f(now), f(before)]);
    let (v, vb) = (
        value(now, cost_per_contact_cents),
        value(before, cost_per_contact_cents),
    );
    serde_json::json!({
        "from": now.from,
        "to": now.to - 1,
        "questions": pair(&|r| r.activity.threads.into()),
        "replies": pair(&|r| r.activity.replies.into()),
        "active_members": pair(&|r| r.activity.active_members.into()),
        "page_views": pair(&|r| r.traffic.page_views.into()),
        "visits": pair(&|r| r.traffic.visits.into()),
        "first_reply_median_ms": pair(&|r| r.answering.first_reply.median_ms.into()),
        "unanswered_24h_percent": pair(&|r| r.answering.unanswered_after_24h.percent().into()),
        "deflected": pair(&|r| r.deflection.all.deflected.into()),
        "tasks_created": pair(&|r| r.support.tasks_created.into()),
        "resolved_by_community": pair(&|r| r.support.resolved_by_community.into()),
        "contacts_saved": [v.contacts_saved, vb.contacts_saved],
        "saved_cents": [v.saved_cents, vb.saved_cents],
        "currency": currency,
    })
}

impl Forum {
    /// Send each admin last week's headline figures (Monday to Sunday,
    /// UTC), once: the notice's dedupe key names the week, so every node
    /// may call this at any time and a restart never sends twice. Goes by
    /// the admins' preference for the `analytics` kind (instant mail,
    /// daily digest or off; always in the bell). Returns how many admins
    /// were told.
    pub fn send_weekly_digest(&self) -> Result<usize> {
        if !self.analytics.weekly_digest {
            return Ok(0);
        }
        let today = day_of(self.now());
        // 1970-01-01 was a Thursday: days since a Monday.
        let weekday = (today / DAY_MS + 3).rem_euclid(7);
        let week_end = today - weekday * DAY_MS;
        let key = format!("analytics-week:{}", week_end / DAY_MS);
        let recipients = dispatch!(&self.db, analytics_store::digest_recipients(&key))?;
        let Some(first) = recipients.first() else {
            return Ok(0);
        };
        let actor = Actor {
            user_id: *first,
            role: Role::Admin,
        };
        let window = Window {
            from: week_end - 7 * DAY_MS,
            to: week_end,
            ..Default::default()
        };
        let now = self.analytics(actor, window.clone(), 7)?;
        let before = self.analytics(actor, window.previous(), 7)?;
        let params = digest_params(
            &now,
            &before,
            self.analytics.cost_per_contact_cents,
            &self.analytics.currency,
        );
        let day = |ms: i64| {
            let d = ms.div_euclid(DAY_MS);
            let (y, m) = year_month(ms);
            format!("{y:04}-{m:02}-{:02}", d - days_from_civil(y, m, 1) + 1)
        };
        let link = format!(
            "/analytics?range=custom&from={}&to={}",
            day(window.from),
            day(window.to - 1)
        );
        let mut told = 0;
        for user_id in recipients {
            let fresh = self.notify(&crate::notify::Notice {
                user_id,
                kind: DIGEST_KIND.into(),
                title: "Your community's week in figures".into(),
                link: link.clone(),
                dedupe_key: format!("{key}:{user_id}"),
                group_key: String::new(),
                params: params.clone(),
            })?;
            told += usize::from(fresh);
        }
        if told > 0 {
            tracing::info!(admins = told, week = %day(window.from), "weekly analytics digest sent");
        }
        Ok(told)
    }
}

/// A new random search id for `log_search` and the result links.
pub fn new_search_id() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `[analytics]`: what an assisted contact costs, for the value figure,
/// how deflection is judged, and how long raw logs are kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// The cost of one contact handled by the support team, in cents.
    pub cost_per_contact_cents: i64,
    /// Its currency (ISO 4217), shown beside the figure.
    pub currency: String,
    /// Days the search log is kept.
    pub search_log_days: i64,
    /// Days page views are kept.
    pub page_view_days: i64,
    /// A session deflected only if its member opened no CRM task within
    /// this many days of it.
    pub deflection_window_days: i64,
    /// The share of ask-page sessions (0–50 %) shown no suggestions, to
    /// measure what they change. Off by default.
    pub holdout_percent: u8,
    /// Send admins the weekly digest of headline figures.
    pub weekly_digest: bool,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            cost_per_contact_cents: 1500,
            currency: "USD".into(),
            search_log_days: 180,
            page_view_days: 180,
            deflection_window_days: 7,
            holdout_percent: 0,
            weekly_digest: true,
        }
    }
}

/// A search id: 32 lower-case hex digits.
pub fn valid_search_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the community saved the support team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Value {
    /// Ask sessions that opened a suggestion and did not post.
    pub deflected_sessions: i64,
    /// Tasks resolved by an accepted community answer.
    pub community_resolved: i64,
    /// The two together: contacts the support team did not handle.
    pub contacts_saved: i64,
    /// `contacts_saved × cost_per_contact_cents`.
    pub saved_cents: i64,
    /// Community-resolved tasks of all resolved tasks.
    pub community_share: Share,
}

/// The value figures of a report at `cost_per_contact_cents` a contact.
pub fn value(report: &Report, cost_per_contact_cents: i64) -> Value {
    let deflected_sessions = report.deflection.all.deflected;
    let community_resolved = report.support.resolved_by_community;
    let contacts_saved = deflected_sessions + community_resolved;
    Value {
        deflected_sessions,
        community_resolved,
        contacts_saved,
        saved_cents: contacts_saved.saturating_mul(cost_per_contact_cents.max(0)),
        community_share: Share {
            part: community_resolved,
            whole: report.support.resolved,
        },
    }
}

/// Everything the analytics page shows for one window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub from: i64,
    pub to: i64,
    pub category_id: Option<i64>,
    pub segment: Option<String>,
    pub activity: Activity,
    pub traffic: Traffic,
    pub answering: Answering,
    pub support: Support,
    pub deflection: Deflection,
    pub people: People,
    pub searching: Searching,
    /// KB articles by views in the window, with their helpfulness.
    pub articles: Vec<traffic::ArticleReach>,
}

/// How much of a report to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything the page shows for the chosen period.
    Full,
    /// What the page shows of the period before, beside each figure: the
    /// totals, shares and distributions, without people (contributors,
    /// members at risk), per-bucket active members, DAU/MAU and article
    /// reach. The figures it has equal the full report's.
    Headline,
}

impl Detail {
    fn full(self) -> bool {
        self == Detail::Full
    }
}

/// Who sees which part: staff who moderate see all; agents the support
/// figures only.
pub fn may_see(role: Role) -> (bool, bool) {
    match role {
        Role::Admin | Role::Moderator => (true, true),
        Role::Agent => (false, true),
        Role::Customer => (false, false),
    }
}

impl Forum {
    /// The figures of `window` (see `docs/analytics.md`), for staff:
    /// community figures for moderators and admins, support figures for
    /// agents too (the others are left empty for them).
    pub fn analytics(&self, actor: Actor, window: Window, solved_days: i64) -> Result<Report> {
        let source = if rollups::whole_days(&window) {
            rollups::Source::Rollups
        } else {
            rollups::Source::Facts
        };
        self.analytics_from(actor, window, solved_days, source, Detail::Full)
    }

    /// The headline figures of `window` (see `Detail::Headline`), as the
    /// page shows them for the previous period.
    pub fn analytics_headline(
        &self,
        actor: Actor,
        window: Window,
        solved_days: i64,
    ) -> Result<Report> {
        let source = if rollups::whole_days(&window) {
            rollups::Source::Rollups
        } else {
            rollups::Source::Facts
        };
        self.analytics_from(actor, window, solved_days, source, Detail::Headline)
    }

    /// As `analytics`, computed from `source`: the rollups (whole days
    /// only) or every fact of the window.
    pub fn analytics_from(
        &self,
        actor: Actor,
        window: Window,
        solved_days: i64,
        source: rollups::Source,
        detail: Detail,
    ) -> Result<Report> {
        let (community, support_part) = may_see(actor.role);
        if !community && !support_part {
            return Err(ForumError::Forbidden("analytics are for staff"));
        }
        if window.to <= window.from || window.to - window.from > 400 * DAY_MS {
            return Err(ForumError::invalid(
                "to",
                crate::Rule::Range { min: 1, max: 400 },
                "a window runs forward and spans 1 to 400 days",
            ));
        }
        let solved_days = solved_days.clamp(1, 90);
        let now = self.now();
        let mut report = Report {
            from: window.from,
            to: window.to,
            category_id: window.category_id,
            segment: window.segment.clone(),
            ..Default::default()
        };
        if community {
            let quiet_days = 30;
            let (activity, answering, people) = match source {
                rollups::Source::Rollups => {
                    self.community_from_rollups(&window, solved_days, quiet_days, detail)?
                }
                rollups::Source::Facts => {
                    self.community_from_facts(&window, solved_days, quiet_days, detail)?
                }
            };
            report.activity = activity;
            report.answering = answering;
            report.people = people;
            // Searches belong to no board and no one: site-wide only.
            report.searching = if window.category_id.is_none() && window.segment.is_none() {
                let (groups, clicks) =
                    dispatch!(&self.db, analytics_store::search_groups(&window))?;
                searching(&groups, clicks)
            } else {
                Searching::default()
            };
            let window_days = self.analytics.deflection_window_days.clamp(1, 90);
            let mut sessions = dispatch!(
                &self.db,
                analytics_store::ask_facts(&window, window_days * DAY_MS)
            )?;
            if let Some(board) = window.category_id {
                sessions.retain(|s| s.category_id == Some(board));
            }
            report.deflection = deflection::deflection(&sessions, window_days, now);
            // Views are hashed: they cannot be traced to a segment.
            if window.segment.is_none() {
                let rolled = source == rollups::Source::Rollups;
                report.traffic = if rolled {
                    let days = dispatch!(&self.db, analytics_store::traffic_day_facts(&window))?;
                    traffic::traffic_from_days(&window, &days)
                } else {
                    let views = dispatch!(&self.db, analytics_store::view_facts(&window))?;
                    traffic::traffic(&window, &views)
                };
                if detail.full() {
                    report.articles = traffic::article_reach(dispatch!(
                        &self.db,
                        analytics_store::article_facts(&window, rolled)
                    )?);
                }
            }
        }
        if support_part {
            let (tasks, open) = dispatch!(&self.db, analytics_store::support_facts(&window))?;
            report.support = support(&window, &tasks, &open, now);
        }
        Ok(report)
    }
}

/// The top ten contributors by accepted answers, then replies, then id:
/// (member, accepted answers, replies).
pub fn rank_contributors(
    accepted: &[i64],
    replies: &std::collections::HashMap<i64, i64>,
) -> Vec<(i64, i64, i64)> {
    let mut tally: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for a in accepted {
        tally.entry(*a).or_default().0 += 1;
    }
    for (u, n) in replies {
        tally.entry(*u).or_default().1 += n;
    }
    let mut top: Vec<(i64, i64, i64)> = tally
        .into_iter()
        .filter(|(_, (a, r))| *a > 0 || *r > 0)
        .map(|(u, (a, r))| (u, a, r))
        .collect();
    top.sort_by(|x, y| (y.1, y.2, x.0).cmp(&(x.1, x.2, y.0)));
    top.truncate(10);
    top
}

/// Members with at least 3 posts before the quiet stretch and none in it,
/// most posts first, twenty at most: (member, posts before).
pub fn quiet_members(
    before: &std::collections::HashMap<i64, i64>,
    recent: &std::collections::HashSet<i64>,
) -> Vec<(i64, i64)> {
    let mut quiet: Vec<(i64, i64)> = before
        .iter()
        .filter(|(u, n)| **n >= 3 && !recent.contains(u))
        .map(|(u, n)| (*u, *n))
        .collect();
    quiet.sort_by(|a, b| (b.1, a.0).cmp(&(a.1, b.0)));
    quiet.truncate(20);
    quiet
}

impl Forum {
    fn people_of(
        &self,
        accepted: Vec<i64>,
        replies: &std::collections::HashMap<i64, i64>,
        active: i64,
        at_risk: Vec<AtRisk>,
        quiet_days: i64,
    ) -> Result<People> {
        let ranked = rank_contributors(&accepted, replies);
        let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
        let names = dispatch!(&self.db, analytics_store::contributors(&ids))?;
        let top_contributors = ranked
            .iter()
            .filter_map(|(u, a, r)| {
                names.iter().find(|c| c.user_id == *u).map(|c| Contributor {
                    accepted_answers: *a,
                    replies: *r,
                    ..c.clone()
                })
            })
            .collect();
        let active = active.max(0) as usize;
        Ok(People {
            top_contributors,
            top_1_percent_share: superuser_share(&accepted, active, 1),
            top_5_percent_share: superuser_share(&accepted, active, 5),
            at_risk,
            quiet_days,
        })
    }

    /// Activity, answering and people from every fact of the window.
    fn community_from_facts(
        &self,
        window: &Window,
        solved_days: i64,
        quiet_days: i64,
        detail: Detail,
    ) -> Result<(Activity, Answering, People)> {
        let facts = dispatch!(&self.db, analytics_store::community_facts(window))?;
        let mut activity = activity(
            window,
            &facts.contributions,
            &facts.joined,
            &facts.first_posts,
            &facts.last_30_days,
        );
        let answering = answering(window, &facts.questions, solved_days);
        if !detail.full() {
            activity.headline_only();
            return Ok((activity, answering, People::default()));
        }
        let people = dispatch!(&self.db, analytics_store::people_facts(window, quiet_days))?;
        let mut replies: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for c in facts
            .contributions
            .iter()
            .filter(|c| c.kind == ContributionKind::Reply)
        {
            *replies.entry(c.user_id).or_default() += 1;
        }
        let people = self.people_of(
            people.accepted,
            &replies,
            activity.active_members,
            people.at_risk,
            quiet_days,
        )?;
        Ok((activity, answering, people))
    }

    /// Activity, answering and people from the rollups (whole days).
    fn community_from_rollups(
        &self,
        window: &Window,
        solved_days: i64,
        quiet_days: i64,
        detail: Detail,
    ) -> Result<(Activity, Answering, People)> {
        let w = window;
        let quiet_from = w.to - quiet_days * DAY_MS;
        // The people figures' own loads (the quiet members' earlier 90 days
        // and the accepted answers) need nothing else: they run on another
        // connection and core while the rest is computed.
        let people_loads = detail.full().then(|| {
            let (forum, w) = (self.clone(), w.clone());
            std::thread::spawn(move || -> Result<(rollups::MemberSums, Vec<i64>)> {
                let before = dispatch!(
                    &forum.db,
                    analytics_rollups::member_sums(&w, quiet_from - 90 * DAY_MS, quiet_from)
                )?;
                Ok((
                    before,
                    dispatch!(&forum.db, analytics_rollups::accepted_authors(&w))?,
                ))
            })
        });
        // Member sums per range, each range read once (the month and the
        // quiet stretch are the same 30 days by default).
        let mut loaded: std::collections::HashMap<(i64, i64), rollups::MemberSums> =
            std::collections::HashMap::new();
        let mut sums = |from: i64, to: i64| -> Result<rollups::MemberSums> {
            if let Some(s) = loaded.get(&(from, to)) {
                return Ok(s.clone());
            }
            let s = dispatch!(&self.db, analytics_rollups::member_sums(w, from, to))?;
            loaded.insert((from, to), s.clone());
            Ok(s)
        };
        let days = dispatch!(&self.db, analytics_rollups::day_totals(w, w.from, w.to))?;
        // The headline needs only how many were active.
        let in_window = if detail.full() {
            sums(w.from, w.to)?
        } else {
            Default::default()
        };
        let active = if detail.full() {
            in_window.len() as i64
        } else {
            dispatch!(&self.db, analytics_rollups::member_count(w, w.from, w.to))?
        };
        let bucket_members = if w.bucket == Bucket::Day || !detail.full() {
            Vec::new()
        } else {
            let starts = w.bucket.starts(w);
            let mut out = Vec::with_capacity(starts.len());
            for (i, s) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(w.to);
                out.push(sums(*s, end)?.len() as i64);
            }
            out
        };
        let new_contributors = dispatch!(&self.db, analytics_rollups::new_contributors(w))?;
        let joined = dispatch!(&self.db, analytics_store::joined(w))?;
        let month_from = w.to - 30 * DAY_MS;
        let (month_days, month) = if detail.full() {
            (
                dispatch!(&self.db, analytics_rollups::day_totals(w, month_from, w.to))?,
                sums(month_from, w.to)?.len() as i64,
            )
        } else {
            (Vec::new(), 0)
        };
        let mut activity = rollups::activity_from_totals(
            w,
            &days,
            &bucket_members,
            active,
            new_contributors,
            &joined,
            (&month_days, month),
        );
        let questions: Vec<QuestionFacts> =
            dispatch!(&self.db, analytics_rollups::window_questions(w))?
                .iter()
                .map(rollups::QuestionRow::facts)
                .collect();
        let answering = answering(w, &questions, solved_days);
        let Some(people_loads) = people_loads else {
            activity.headline_only();
            return Ok((activity, answering, People::default()));
        };
        let (before, accepted) = people_loads
            .join()
            .map_err(|_| ForumError::Internal("the people figures' loader panicked".into()))??;
        let replies: std::collections::HashMap<i64, i64> = in_window
            .iter()
            .filter(|(_, (_, r, _))| *r > 0)
            .map(|(u, (_, r, _))| (*u, *r))
            .collect();
        let before: std::collections::HashMap<i64, i64> = before
            .into_iter()
            .filter(|(_, (q, r, _))| q + r > 0)
            .map(|(u, (q, r, _))| (u, q + r))
            .collect();
        let recent: std::collections::HashSet<i64> = sums(quiet_from, w.to)?
            .into_iter()
            .filter(|(_, (q, r, _))| q + r > 0)
            .map(|(u, _)| u)
            .collect();
        let quiet = quiet_members(&before, &recent);
        let at_risk = dispatch!(&self.db, analytics_store::at_risk(w, &quiet, quiet_from))?;
        let people = self.people_of(accepted, &replies, active, at_risk, quiet_days)?;
        Ok((activity, answering, people))
    }
}

/// What storage loads for the people figures of a window.
#[derive(Debug, Default)]
pub struct PeopleFacts {
    /// The author of each answer accepted in the window.
    pub accepted: Vec<i64>,
    /// Names of the window's contributors (figures left at zero).
    pub names: Vec<Contributor>,
    pub at_risk: Vec<AtRisk>,
}

/// What storage loads for the community figures of a window.
#[derive(Debug, Default)]
pub struct CommunityFacts {
    pub contributions: Vec<Contribution>,
    pub joined: Vec<i64>,
    pub first_posts: Vec<(i64, i64)>,
    pub last_30_days: Vec<Contribution>,
    pub questions: Vec<QuestionFacts>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600 * 1000;

    #[test]
    fn buckets_cut_days_weeks_and_months() {
        let nov1 = days_from_civil(2026, 11, 1) * DAY_MS;
        let w = |bucket| Window {
            from: nov1 + 3 * DAY_MS,
            to: days_from_civil(2027, 1, 10) * DAY_MS,
            category_id: None,
            segment: None,
            bucket,
        };
        assert_eq!(Bucket::Day.starts(&w(Bucket::Day)).len(), 67);
        let weeks = Bucket::Week.starts(&w(Bucket::Week));
        assert_eq!(weeks.len(), 10);
        assert_eq!(weeks[1] - weeks[0], 7 * DAY_MS);
        let months = Bucket::Month.starts(&w(Bucket::Month));
        assert_eq!(
            months,
            vec![
                nov1 + 3 * DAY_MS,
                days_from_civil(2026, 12, 1) * DAY_MS,
                days_from_civil(2027, 1, 1) * DAY_MS
            ]
        );
        assert_eq!(year_month(days_from_civil(2024, 2, 29) * DAY_MS), (2024, 2));
        assert_eq!(Bucket::parse("fortnight"), None);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 50), Some(5));
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        let five = [10, 20, 30, 40, 1000];
        assert_eq!(nearest_rank(&five, 50), Some(30));
        assert_eq!(nearest_rank(&five, 90), Some(1000));
        let d = Distribution::of(vec![1000, 10, 30, 20, 40]);
        assert_eq!(
            d,
            Distribution {
                count: 5,
                mean_ms: Some(220),
                median_ms: Some(30),
                p90_ms: Some(1000),
            }
        );
    }

    fn q(created: i64, accepted: Option<i64>, replies: &[(i64, Role)]) -> QuestionFacts {
        QuestionFacts {
            thread_id: created,
            asker_id: 1,
            created_at: created,
            accepted_at: accepted,
            replies: replies.to_vec(),
        }
    }

    #[test]
    fn answering_splits_community_and_staff_and_waits_for_the_edges() {
        let w = Window {
            from: 0,
            to: 10 * DAY_MS,
            category_id: None,
            bucket: Bucket::Day,
            segment: None,
        };
        let qs = [
            q(0, Some(5 * H), &[(2 * H, Role::Customer), (H, Role::Agent)]),
            q(DAY_MS, None, &[(DAY_MS + 30 * H, Role::Customer)]),
            q(2 * DAY_MS, None, &[]),
            // Less than a day old at the end: not judged for 24 h.
            q(10 * DAY_MS - H, None, &[]),
        ];
        let a = answering(&w, &qs, 7);
        assert_eq!(a.questions, 4);
        assert_eq!(a.first_reply.count, 2);
        assert_eq!(a.first_reply.median_ms, Some(H));
        assert_eq!(a.first_reply.p90_ms, Some(30 * H));
        assert_eq!(a.first_community_reply.count, 2);
        assert_eq!(a.first_community_reply.mean_ms, Some(16 * H));
        assert_eq!(a.first_staff_reply.count, 1);
        assert_eq!(a.time_to_solution.median_ms, Some(5 * H));
        assert_eq!(a.unanswered_after_24h, Share { part: 2, whole: 3 });
        // Solved within 7 days: only questions 7 days old by the end count.
        assert_eq!(a.solved_within, Share { part: 1, whole: 3 });
    }

    #[test]
    fn activity_counts_distinct_members_by_day() {
        let w = Window {
            from: 0,
            to: 2 * DAY_MS,
            category_id: None,
            bucket: Bucket::Day,
            segment: None,
        };
        let c = |user_id, at, kind| Contribution { user_id, at, kind };
        let contributions = [
            c(1, H, ContributionKind::Question),
            c(2, 2 * H, ContributionKind::Reply),
            c(1, 3 * H, ContributionKind::Kudo),
            c(3, DAY_MS + H, ContributionKind::Reply),
        ];
        let a = activity(
            &w,
            &contributions,
            &[H, DAY_MS],
            &[(1, H), (2, -DAY_MS), (3, DAY_MS + H)],
            &contributions,
        );
        assert_eq!((a.threads, a.replies, a.kudos), (1, 2, 1));
        assert_eq!(a.active_members, 3);
        assert_eq!(a.new_members, 2);
        assert_eq!(a.new_contributors, 2, "member 2 posted before the window");
        assert_eq!(a.days.len(), 2);
        assert_eq!((a.days[0].active_members, a.days[1].active_members), (2, 1));
        // Day 0: 2 members, day 1: 1; 30-day mean 3/30 = 0.1 over 3 members.
        assert_eq!(a.dau_over_mau, Some(3.3));
    }

    #[test]
    fn superusers_are_the_top_percent_of_active_members() {
        // 3 accepted answers by member 1, 1 by member 2, 1 by member 3.
        let accepted = [1, 1, 1, 2, 3];
        // 10 active members: the top 1 % and 5 % are one member.
        assert_eq!(
            superuser_share(&accepted, 10, 1),
            Share { part: 3, whole: 5 }
        );
        assert_eq!(
            superuser_share(&accepted, 10, 5),
            Share { part: 3, whole: 5 }
        );
        // 40 active: top 5 % is two members.
        assert_eq!(
            superuser_share(&accepted, 40, 5),
            Share { part: 4, whole: 5 }
        );
        assert_eq!(superuser_share(&[], 0, 1), Share { part: 0, whole: 0 });
    }

    #[test]
    fn value_counts_deflections_and_community_resolutions() {
        let mut r = Report::default();
        r.deflection.all.deflected = 7;
        r.support.resolved = 10;
        r.support.resolved_by_community = 4;
        let v = value(&r, 1500);
        assert_eq!((v.contacts_saved, v.saved_cents), (11, 16_500));
        assert_eq!(v.community_share, Share { part: 4, whole: 10 });
    }

    #[test]
    fn search_gaps_rank_queries() {
        assert_eq!(normalise_query("  Reset   PASSWORD \n"), "reset password");
        let g = |l: &str, q: &str, n, z| (l.to_string(), q.to_string(), n, z);
        let s = searching(
            &[
                g("en", "reset password", 5, 0),
                g("en", "fax", 3, 3),
                g("fa", "رمز", 3, 1),
            ],
            Share { part: 1, whole: 4 },
        );
        assert_eq!(s.searches, 11);
        assert_eq!(s.zero_results, Share { part: 4, whole: 11 });
        assert_eq!(s.top_queries[0].1, "reset password");
        assert_eq!(s.top_queries[1].1, "fax", "ties by language, then query");
        assert_eq!(s.top_zero_result_queries.len(), 2);
        assert_eq!(s.top_zero_result_queries[0].1, "fax");
    }

    #[test]
    fn sla_and_backlog() {
        let w = Window {
            from: 0,
            to: 2 * DAY_MS,
            category_id: None,
            bucket: Bucket::Day,
            segment: None,
        };
        let t = |prio: &str, first: Option<i64>, resolved: Option<i64>, community| TaskFacts {
            priority: prio.into(),
            created_at: 0,
            escalated: prio == "urgent",
            first_response_due: 4 * H,
            first_response_at: first,
            resolution_due: DAY_MS,
            resolved_at: resolved,
            answer_by_community: community,
        };
        let tasks = [
            t("normal", Some(H), Some(2 * H), true),
            t("normal", Some(5 * H), Some(2 * DAY_MS), false),
            t("urgent", None, None, false),
        ];
        let open = [
            (0, Some(2 * H)),
            (0, Some(2 * DAY_MS)),
            (0, None),
            (-DAY_MS, Some(DAY_MS + H)),
        ];
        let s = support(&w, &tasks, &open, 3 * H);
        assert_eq!((s.tasks_created, s.escalated, s.resolved), (3, 1, 2));
        assert_eq!((s.resolved_by_community, s.resolved_by_agents), (1, 1));
        assert_eq!(s.first_response.count, 2);
        let normal = &s.by_priority[0];
        assert_eq!(normal.priority, "normal");
        assert_eq!(
            normal.first_response,
            SlaCount {
                met: 1,
                breached: 1,
                open: 0
            }
        );
        assert_eq!(
            normal.resolution,
            SlaCount {
                met: 1,
                breached: 1,
                open: 0
            }
        );
        let urgent = &s.by_priority[1];
        assert_eq!(
            urgent.first_response,
            SlaCount {
                met: 0,
                breached: 0,
                open: 1
            }
        );
        // End of day 0: three open (the early one resolved at 2 h); end of
        // day 1: the one resolved at the next day's first instant and the
        // unresolved one.
        assert_eq!(s.backlog, vec![(0, 3), (DAY_MS, 2)]);
    }
}
