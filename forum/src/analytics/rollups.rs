//! Daily rollups, so the analytics page reads a few aggregates instead of
//! every post of the window: per member, day and board the visible
//! questions, replies and kudos given; each member's first visible post;
//! each visible question with its first community and staff replies.
//!
//! The `analytics` outbox consumer recomputes exactly the rows an event
//! touches (a recomputation is a pure function of the facts, so a replay
//! changes nothing), and `hearth analytics rebuild` recomputes them all
//! with the same aggregation. Figures of whole-day windows come from the
//! rollups; the direct computation over the facts (`Source::Facts`)
//! remains the reference the tests compare them with.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::{day_of, Activity, Bucket, DayActivity, QuestionFacts, Window, DAY_MS};
use crate::db::dispatch;
use crate::{Forum, Result, Role};

pub const OUTBOX_CONSUMER: &str = "analytics";

/// What a batch of events asks to recompute.
#[derive(Debug, Default)]
pub struct Touched {
    /// (member, day) pairs: every board of that member's day.
    pub member_days: BTreeSet<(i64, i64)>,
    /// Members whose first posts may have changed.
    pub members: BTreeSet<i64>,
    /// Threads whose question row may have changed.
    pub questions: BTreeSet<i64>,
    /// Posts just created. A new post can only make a member's first post
    /// or a question's first reply earlier, never later, so these rows take
    /// the minimum with it instead of being recomputed from every post of
    /// the member or the thread (which grew with a busy thread or a
    /// prolific member). Still a function of the facts: the post is read
    /// as it is now, and a minimum with a fact already counted changes
    /// nothing.
    pub created_posts: BTreeSet<i64>,
}

impl Touched {
    pub fn member_day(&mut self, user: i64, day: i64) {
        self.member_days.insert((user, day));
    }
}

/// The Monday (UTC midnight, ms) of the week `day` (a day start) is in.
pub fn week_of(day: i64) -> i64 {
    let d = day.div_euclid(DAY_MS);
    // 1970-01-01 was a Thursday: day 4 is the first Monday.
    (d - (d + 3).rem_euclid(7)) * DAY_MS
}

/// One row of `analytics_member_days` (or, with `day` a week's Monday, of
/// `analytics_member_weeks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberDayRow {
    pub day: i64,
    pub category_id: i64,
    pub user_id: i64,
    pub questions: i32,
    pub replies: i32,
    pub kudos: i32,
}

/// Posts and kudos added up by (day, board, member), each also under
/// board 0 (site-wide).
#[derive(Debug, Default)]
pub struct MemberDays(HashMap<(i64, i64, i64), (i32, i32, i32)>);

impl MemberDays {
    pub fn add_post(&mut self, user: i64, category: i64, at: i64, question: bool) {
        self.add_posts(user, category, at, question, 1);
    }

    /// `n` posts of one kind on the day of `at` in one board.
    pub fn add_posts(&mut self, user: i64, category: i64, at: i64, question: bool, n: i32) {
        for board in [category, 0] {
            let e = self.0.entry((day_of(at), board, user)).or_default();
            if question {
                e.0 += n;
            } else {
                e.1 += n;
            }
        }
    }

    pub fn add_kudo(&mut self, user: i64, category: i64, at: i64) {
        for board in [category, 0] {
            self.0.entry((day_of(at), board, user)).or_default().2 += 1;
        }
    }

    /// The rows, in key order.
    pub fn rows(&self) -> Vec<MemberDayRow> {
        let mut rows: Vec<MemberDayRow> = self
            .0
            .iter()
            .map(|((day, category_id, user_id), (q, r, k))| MemberDayRow {
                day: *day,
                category_id: *category_id,
                user_id: *user_id,
                questions: *q,
                replies: *r,
                kudos: *k,
            })
            .collect();
        rows.sort_unstable();
        rows
    }
}

/// Member-day rows added up by (week, board, member): the week rows of
/// every (member, week) the day rows cover, in key order.
pub fn week_rows(days: &[MemberDayRow]) -> Vec<MemberDayRow> {
    let mut weeks: HashMap<(i64, i64, i64), (i32, i32, i32)> = HashMap::new();
    for r in days {
        let e = weeks
            .entry((week_of(r.day), r.category_id, r.user_id))
            .or_default();
        e.0 += r.questions;
        e.1 += r.replies;
        e.2 += r.kudos;
    }
    let mut rows: Vec<MemberDayRow> = weeks
        .into_iter()
        .map(|((day, category_id, user_id), (q, r, k))| MemberDayRow {
            day,
            category_id,
            user_id,
            questions: q,
            replies: r,
            kudos: k,
        })
        .collect();
    rows.sort_unstable();
    rows
}

/// Each (board, day)'s totals of member-day rows: (board, totals), the
/// members counted once per board (board 0's rows make the site's).
pub fn day_total_rows(days: &[MemberDayRow]) -> Vec<(i64, DayTotals)> {
    let mut totals: HashMap<(i64, i64), DayTotals> = HashMap::new();
    for r in days {
        let t = totals.entry((r.category_id, r.day)).or_default();
        t.day = r.day;
        t.questions += i64::from(r.questions);
        t.replies += i64::from(r.replies);
        t.kudos += i64::from(r.kudos);
        t.members += 1;
    }
    let mut rows: Vec<(i64, DayTotals)> = totals.into_iter().map(|((c, _), t)| (c, t)).collect();
    rows.sort_unstable_by_key(|(c, t)| (*c, t.day));
    rows
}

/// A range `[from, to)` of day starts (ms).
pub type DayRange = (i64, i64);

/// The days of `[from, to)` (day starts) the week rows cannot answer for,
/// and the weeks they can: `(edge day ranges, whole weeks [first, end))`.
pub fn split_weeks(from: i64, to: i64) -> (Vec<DayRange>, Option<DayRange>) {
    let first = week_of(from + 6 * DAY_MS);
    let end = week_of(to);
    if first >= end {
        return (vec![(from, to)], None);
    }
    let edges = [(from, first), (end, to)]
        .into_iter()
        .filter(|(a, b)| a < b)
        .collect();
    (edges, Some((first, end)))
}

/// What each member did in a range: (questions, replies, kudos).
pub type MemberSums = HashMap<i64, (i64, i64, i64)>;

/// First posts per (member, board) plus each member's earliest of them
/// as board 0 (site-wide): (member, board, when).
pub fn first_post_rows(per_board: impl Iterator<Item = (i64, i64, i64)>) -> Vec<(i64, i64, i64)> {
    let mut rows: Vec<(i64, i64, i64)> = per_board.collect();
    let mut site: HashMap<i64, i64> = HashMap::new();
    for (u, _, at) in &rows {
        let e = site.entry(*u).or_insert(*at);
        *e = (*e).min(*at);
    }
    rows.extend(site.into_iter().map(|(u, at)| (u, 0, at)));
    rows.sort_unstable();
    rows
}

/// One row of `analytics_questions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QuestionRow {
    pub thread_id: i64,
    pub category_id: i64,
    pub asker_id: i64,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    /// The first visible reply by a customer other than the asker.
    pub first_community_at: Option<i64>,
    /// The first visible reply by staff other than the asker.
    pub first_staff_at: Option<i64>,
    /// Who wrote the accepted answer, while it is a visible reply.
    pub accepted_author_id: Option<i64>,
}

/// A visible question as the rollup reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionThread {
    pub thread_id: i64,
    pub category_id: i64,
    pub asker_id: i64,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub accepted_post_id: Option<i64>,
}

/// A visible reply as the rollup reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyFact {
    pub post_id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub at: i64,
    pub role: Role,
}

impl QuestionRow {
    /// As the answering figures take it: the two first replies stand for
    /// all (only the earliest of each kind counts there).
    pub fn facts(&self) -> QuestionFacts {
        let mut replies = Vec::new();
        if let Some(at) = self.first_community_at {
            replies.push((at, Role::Customer));
        }
        if let Some(at) = self.first_staff_at {
            replies.push((at, Role::Agent));
        }
        QuestionFacts {
            thread_id: self.thread_id,
            asker_id: self.asker_id,
            created_at: self.created_at,
            accepted_at: self.accepted_at,
            replies,
        }
    }
}

/// The question rows of visible questions from their visible replies.
pub fn question_rows(questions: &[QuestionThread], replies: &[ReplyFact]) -> Vec<QuestionRow> {
    let mut rows: HashMap<i64, (QuestionRow, Option<i64>)> = questions
        .iter()
        .map(|q| {
            let row = QuestionRow {
                thread_id: q.thread_id,
                category_id: q.category_id,
                asker_id: q.asker_id,
                created_at: q.created_at,
                accepted_at: q.accepted_at,
                first_community_at: None,
                first_staff_at: None,
                accepted_author_id: None,
            };
            (q.thread_id, (row, q.accepted_post_id))
        })
        .collect();
    for r in replies {
        let Some((q, accepted_post)) = rows.get_mut(&r.thread_id) else {
            continue;
        };
        // The asker may accept their own answer; it still counts as theirs.
        if *accepted_post == Some(r.post_id) && q.accepted_at.is_some() {
            q.accepted_author_id = Some(r.author_id);
        }
        if r.author_id == q.asker_id {
            continue;
        }
        let slot = if r.role.is_staff() {
            &mut q.first_staff_at
        } else {
            &mut q.first_community_at
        };
        *slot = Some(slot.map_or(r.at, |s| s.min(r.at)));
    }
    let mut out: Vec<QuestionRow> = rows.into_values().map(|(row, _)| row).collect();
    out.sort_unstable();
    out
}

/// One day's totals from the rollups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    pub day: i64,
    pub questions: i64,
    pub replies: i64,
    pub kudos: i64,
    /// Distinct members with a post or kudo that day.
    pub members: i64,
}

/// What a rebuild read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildSummary {
    pub posts: i64,
    pub kudos: i64,
    pub member_days: i64,
    pub questions: i64,
    /// Days of page views rolled up.
    pub traffic_days: i64,
}

/// Where figures are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The rollups (whole-day windows) — what the page uses.
    Rollups,
    /// Every fact of the window — the reference.
    Facts,
}

/// Whether the rollups can answer for this window: they hold whole days.
pub fn whole_days(window: &Window) -> bool {
    window.from.rem_euclid(DAY_MS) == 0 && window.to.rem_euclid(DAY_MS) == 0
}

/// The activity figures from the rollups' totals. `days` are the window's
/// day totals; `bucket_members` the distinct members of each bucket (for
/// weeks and months; days carry theirs); `last_30` the day totals and
/// distinct members of the 30 days before `to`.
pub fn activity_from_totals(
    window: &Window,
    days: &[DayTotals],
    bucket_members: &[i64],
    active_members: i64,
    new_contributors: i64,
    joined: &[i64],
    last_30: (&[DayTotals], i64),
) -> Activity {
    let starts = window.bucket.starts(window);
    let mut buckets: Vec<DayActivity> = starts
        .iter()
        .map(|day| DayActivity {
            day: *day,
            ..Default::default()
        })
        .collect();
    let slot = |at: i64| {
        starts
            .iter()
            .position(|s| *s == window.bucket.start(window, at))
    };
    for d in days.iter().filter(|d| window.contains(d.day)) {
        if let Some(i) = slot(d.day) {
            let b = &mut buckets[i];
            b.threads += d.questions;
            b.replies += d.replies;
            b.kudos += d.kudos;
            if window.bucket == Bucket::Day {
                b.active_members = d.members;
            }
        }
    }
    if window.bucket != Bucket::Day {
        for (b, n) in buckets.iter_mut().zip(bucket_members) {
            b.active_members = *n;
        }
    }
    for at in joined {
        if let Some(i) = slot(*at) {
            buckets[i].new_members += 1;
        }
    }
    let sum = |f: fn(&DayTotals) -> i64| {
        days.iter()
            .filter(|d| window.contains(d.day))
            .map(f)
            .sum::<i64>()
    };
    let (month_days, month) = last_30;
    let dau_over_mau = (month > 0).then(|| {
        let daily: i64 = month_days.iter().map(|d| d.members).sum();
        let dau = daily as f64 / 30.0;
        (dau * 1000.0 / month as f64).round() / 10.0
    });
    Activity {
        new_members: joined.len() as i64,
        active_members,
        new_contributors,
        threads: sum(|d| d.questions),
        replies: sum(|d| d.replies),
        kudos: sum(|d| d.kudos),
        dau_over_mau,
        days: buckets,
    }
}

/// The tables a rebuild rewrites.
const ROLLUP_TABLES: &[&str] = &[
    "analytics_member_days",
    "analytics_member_weeks",
    "analytics_days",
    "analytics_traffic_days",
    "analytics_article_days",
    "analytics_first_posts",
    "analytics_questions",
];

impl Forum {
    /// The analytics consumer: recompute the rollups the next events touch.
    pub fn process_analytics_events(&self, limit: i64) -> Result<usize> {
        dispatch!(
            &self.db,
            analytics_rollups::process(self.now(), limit.clamp(1, 10_000))
        )
    }

    /// Recompute every rollup from the facts (`hearth analytics rebuild`).
    /// Page-view days are rolled again from the views still stored (older
    /// days keep their rollups: their views are gone by retention).
    pub fn rebuild_analytics(&self) -> Result<RebuildSummary> {
        let mut summary = dispatch!(&self.db, analytics_rollups::rebuild(self.now()))?;
        summary.traffic_days = dispatch!(
            &self.db,
            analytics_store::rebuild_traffic(day_of(self.now()))
        )?;
        // Every rollup was rewritten: the page reads them by index only
        // once the planner knows them (measured on PostgreSQL at 1M posts:
        // the questions' window 27 → 7 ms, member weeks 20 → 5 ms).
        self.db.refresh_statistics(ROLLUP_TABLES)?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_days_add_up_by_day_board_and_member() {
        let mut d = MemberDays::default();
        d.add_post(7, 1, 10, true);
        d.add_post(7, 1, 20, false);
        d.add_post(7, 2, 30, false);
        d.add_kudo(7, 1, DAY_MS + 5);
        d.add_kudo(8, 1, 40);
        let rows: Vec<MemberDayRow> = d
            .rows()
            .into_iter()
            .filter(|r| r.category_id != 0)
            .collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0],
            MemberDayRow {
                day: 0,
                category_id: 1,
                user_id: 7,
                questions: 1,
                replies: 1,
                kudos: 0
            }
        );
        assert_eq!((rows[3].day, rows[3].kudos), (DAY_MS, 1));
    }

    #[test]
    fn days_count_for_their_board_and_the_site() {
        let mut d = MemberDays::default();
        d.add_post(7, 1, 10, true);
        d.add_post(7, 2, 20, false);
        d.add_kudo(8, 2, 30);
        let rows = d.rows();
        let site: Vec<_> = rows.iter().filter(|r| r.category_id == 0).collect();
        assert_eq!(site.len(), 2);
        assert_eq!((site[0].questions, site[0].replies), (1, 1));
        let totals = day_total_rows(&rows);
        assert_eq!(
            totals[0],
            (
                0,
                DayTotals {
                    day: 0,
                    questions: 1,
                    replies: 1,
                    kudos: 1,
                    members: 2
                }
            )
        );
        assert_eq!(totals.len(), 3);
        assert_eq!(totals[2].1.members, 2); // board 2: members 7 and 8
    }

    #[test]
    fn weeks_start_on_monday_and_add_up_their_days() {
        // 2026-11-30 is a Monday (day 20,787).
        let monday = 20_787 * DAY_MS;
        assert_eq!(week_of(monday), monday);
        assert_eq!(week_of(monday + 6 * DAY_MS), monday);
        assert_eq!(week_of(monday + 7 * DAY_MS), monday + 7 * DAY_MS);
        assert_eq!(week_of(monday - DAY_MS), monday - 7 * DAY_MS);
        assert_eq!(week_of(0), -3 * DAY_MS);
        let mut d = MemberDays::default();
        d.add_post(7, 1, monday + 5, true);
        d.add_post(7, 1, monday + 6 * DAY_MS, false);
        d.add_post(7, 1, monday + 7 * DAY_MS, false);
        let weeks = week_rows(&d.rows());
        assert_eq!(weeks.len(), 4); // two weeks × (board 1, site)
        assert_eq!(
            (weeks[0].day, weeks[0].questions, weeks[0].replies),
            (monday, 1, 1)
        );
    }

    #[test]
    fn ranges_split_into_whole_weeks_and_edge_days() {
        let monday = 20_787 * DAY_MS;
        let day = |n: i64| monday + n * DAY_MS;
        // Whole weeks only.
        assert_eq!(
            split_weeks(day(0), day(14)),
            (vec![], Some((day(0), day(14))))
        );
        // Edges on both sides.
        assert_eq!(
            split_weeks(day(-2), day(16)),
            (
                vec![(day(-2), day(0)), (day(14), day(16))],
                Some((day(0), day(14)))
            )
        );
        // Shorter than a whole week: days only.
        assert_eq!(split_weeks(day(1), day(8)), (vec![(day(1), day(8))], None));
        assert_eq!(split_weeks(day(2), day(3)), (vec![(day(2), day(3))], None));
        // Exactly one whole week with a day after it.
        assert_eq!(
            split_weeks(day(0), day(8)),
            (vec![(day(7), day(8))], Some((day(0), day(7))))
        );
    }

    #[test]
    fn first_posts_gain_a_site_wide_row() {
        let rows = first_post_rows([(7, 1, 50), (7, 2, 20), (8, 1, 30)].into_iter());
        assert_eq!(
            rows,
            vec![(7, 0, 20), (7, 1, 50), (7, 2, 20), (8, 0, 30), (8, 1, 30)]
        );
    }

    #[test]
    fn questions_keep_the_first_reply_of_each_kind_not_the_askers() {
        let question =
            |thread_id, asker_id, created_at, accepted_at, accepted_post_id| QuestionThread {
                thread_id,
                category_id: 3,
                asker_id,
                created_at,
                accepted_at,
                accepted_post_id,
            };
        let reply = |post_id, thread_id, author_id, at, role| ReplyFact {
            post_id,
            thread_id,
            author_id,
            at,
            role,
        };
        let rows = question_rows(
            &[
                question(1, 100, 1_000, Some(9_000), Some(13)),
                question(2, 101, 2_000, None, None),
                // Accepted, but the answer is no longer a visible reply.
                question(3, 101, 2_000, Some(5_000), Some(99)),
            ],
            &[
                reply(11, 1, 100, 1_100, Role::Customer), // the asker
                reply(12, 1, 102, 3_000, Role::Customer),
                reply(13, 1, 103, 2_500, Role::Customer),
                reply(14, 1, 104, 1_500, Role::Moderator),
                reply(15, 1, 105, 1_200, Role::Agent),
                reply(16, 9, 105, 1_200, Role::Agent), // not a question
                reply(17, 3, 101, 2_100, Role::Customer),
            ],
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].first_community_at, Some(2_500));
        assert_eq!(rows[0].first_staff_at, Some(1_200));
        assert_eq!(rows[0].accepted_author_id, Some(103));
        assert_eq!(rows[1].first_community_at, None);
        assert_eq!(rows[1].accepted_author_id, None);
        assert_eq!(rows[2].accepted_author_id, None);
        let f = rows[0].facts();
        assert_eq!(f.replies.len(), 2);
        assert_eq!(f.accepted_at, Some(9_000));
    }

    #[test]
    fn an_answer_the_asker_accepted_of_their_own_is_theirs() {
        let rows = question_rows(
            &[QuestionThread {
                thread_id: 1,
                category_id: 3,
                asker_id: 100,
                created_at: 1_000,
                accepted_at: Some(4_000),
                accepted_post_id: Some(11),
            }],
            &[ReplyFact {
                post_id: 11,
                thread_id: 1,
                author_id: 100,
                at: 1_100,
                role: Role::Customer,
            }],
        );
        assert_eq!(rows[0].accepted_author_id, Some(100));
        assert_eq!(rows[0].first_community_at, None);
    }

    #[test]
    fn only_whole_days_come_from_rollups() {
        let w = |from, to| Window {
            from,
            to,
            ..Default::default()
        };
        assert!(whole_days(&w(0, 3 * DAY_MS)));
        assert!(!whole_days(&w(5, 3 * DAY_MS)));
        assert!(!whole_days(&w(0, 3 * DAY_MS - 1)));
    }
}
