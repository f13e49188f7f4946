//! Analytics figures (`GET /analytics/{metric}`); each rule is written in
//! `docs/analytics.md`.

use forum::analytics as a;
use serde::Serialize;
use utoipa::ToSchema;

/// Durations (ms): how many, mean, median and 90th percentile by nearest
/// rank; null when there are none.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationSummary {
    pub count: i64,
    #[schema(required)]
    pub mean_ms: Option<i64>,
    #[schema(required)]
    pub median_ms: Option<i64>,
    #[schema(required)]
    pub p90_ms: Option<i64>,
}

impl From<&a::Distribution> for DurationSummary {
    fn from(d: &a::Distribution) -> Self {
        DurationSummary {
            count: d.count,
            mean_ms: d.mean_ms,
            median_ms: d.median_ms,
            p90_ms: d.p90_ms,
        }
    }
}

/// `part` of `whole`, and the percentage (null of nothing).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareOf {
    pub part: i64,
    pub whole: i64,
    #[schema(required)]
    pub percent: Option<f64>,
}

impl From<&a::Share> for ShareOf {
    fn from(s: &a::Share) -> Self {
        ShareOf {
            part: s.part,
            whole: s.whole,
            percent: s.percent(),
        }
    }
}

/// One bucket (day, week or month) of activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityBucket {
    /// The bucket's start, unix ms (UTC).
    pub start: i64,
    pub new_members: i64,
    pub active_members: i64,
    pub threads: i64,
    pub replies: i64,
    pub kudos: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityFigures {
    pub new_members: i64,
    pub active_members: i64,
    pub new_contributors: i64,
    pub threads: i64,
    pub replies: i64,
    pub kudos: i64,
    /// Percent, one decimal; null without activity in the last 30 days.
    #[schema(required)]
    pub dau_over_mau: Option<f64>,
    pub buckets: Vec<ActivityBucket>,
}

impl From<&a::Activity> for ActivityFigures {
    fn from(x: &a::Activity) -> Self {
        ActivityFigures {
            new_members: x.new_members,
            active_members: x.active_members,
            new_contributors: x.new_contributors,
            threads: x.threads,
            replies: x.replies,
            kudos: x.kudos,
            dau_over_mau: x.dau_over_mau,
            buckets: x
                .days
                .iter()
                .map(|d| ActivityBucket {
                    start: d.day,
                    new_members: d.new_members,
                    active_members: d.active_members,
                    threads: d.threads,
                    replies: d.replies,
                    kudos: d.kudos,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnsweringFigures {
    pub questions: i64,
    pub first_reply: DurationSummary,
    pub first_community_reply: DurationSummary,
    pub first_staff_reply: DurationSummary,
    pub time_to_solution: DurationSummary,
    pub unanswered_after_24h: ShareOf,
    pub solved_within: ShareOf,
    pub solved_within_days: i64,
}

impl From<&a::Answering> for AnsweringFigures {
    fn from(x: &a::Answering) -> Self {
        AnsweringFigures {
            questions: x.questions,
            first_reply: (&x.first_reply).into(),
            first_community_reply: (&x.first_community_reply).into(),
            first_staff_reply: (&x.first_staff_reply).into(),
            time_to_solution: (&x.time_to_solution).into(),
            unanswered_after_24h: (&x.unanswered_after_24h).into(),
            solved_within: (&x.solved_within).into(),
            solved_within_days: x.solved_within_days,
        }
    }
}

/// Deadlines met, missed, or still running.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaTally {
    pub met: i64,
    pub breached: i64,
    pub open: i64,
}

impl From<&a::SlaCount> for SlaTally {
    fn from(s: &a::SlaCount) -> Self {
        SlaTally {
            met: s.met,
            breached: s.breached,
            open: s.open,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrioritySlaFigures {
    /// low, normal, high or urgent.
    pub priority: String,
    pub first_response: SlaTally,
    pub resolution: SlaTally,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BacklogPoint {
    /// The bucket's start, unix ms (UTC).
    pub start: i64,
    /// Tasks open at the bucket's end.
    pub open_tasks: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportFigures {
    pub tasks_created: i64,
    pub escalated: i64,
    pub resolved: i64,
    pub resolved_by_community: i64,
    pub resolved_by_agents: i64,
    pub first_response: DurationSummary,
    pub by_priority: Vec<PrioritySlaFigures>,
    pub backlog: Vec<BacklogPoint>,
}

impl From<&a::Support> for SupportFigures {
    fn from(x: &a::Support) -> Self {
        SupportFigures {
            tasks_created: x.tasks_created,
            escalated: x.escalated,
            resolved: x.resolved,
            resolved_by_community: x.resolved_by_community,
            resolved_by_agents: x.resolved_by_agents,
            first_response: (&x.first_response).into(),
            by_priority: x
                .by_priority
                .iter()
                .map(|p| PrioritySlaFigures {
                    priority: p.priority.clone(),
                    first_response: (&p.first_response).into(),
                    resolution: (&p.resolution).into(),
                })
                .collect(),
            backlog: x
                .backlog
                .iter()
                .map(|(start, open)| BacklogPoint {
                    start: *start,
                    open_tasks: *open,
                })
                .collect(),
        }
    }
}

/// Ask-page sessions of one group (all, a board, a segment); the
/// holdout's sessions are not among them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeflectionGroupFigures {
    pub ask_sessions: i64,
    pub opened_suggestion: i64,
    pub posted: i64,
    /// Opened a suggestion and did not post.
    pub opened_not_posted: i64,
    /// Opened a suggestion, did not post, opened no CRM task within the
    /// window.
    pub deflected: i64,
    /// Opened a suggestion, did not post, the window still open.
    pub pending: i64,
    /// Deflected of the sessions judged (all but the pending).
    pub rate: ShareOf,
}

impl From<&a::deflection::DeflectionGroup> for DeflectionGroupFigures {
    fn from(g: &a::deflection::DeflectionGroup) -> Self {
        DeflectionGroupFigures {
            ask_sessions: g.ask_sessions,
            opened_suggestion: g.opened_suggestion,
            posted: g.posted,
            opened_not_posted: g.opened_not_posted,
            deflected: g.deflected,
            pending: g.pending,
            rate: (&g.rate).into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardDeflection {
    /// The board's slug; null: sessions of no board.
    #[schema(required)]
    pub category: Option<String>,
    pub figures: DeflectionGroupFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentDeflection {
    /// The customer segment; empty: members without one.
    pub segment: String,
    pub figures: DeflectionGroupFigures,
}

/// Sessions shown no suggestions against those shown them.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoldoutFigures {
    /// Judged sessions without contact (no thread, no task), suggestions
    /// shown.
    pub shown: ShareOf,
    /// The same, suggestions held back.
    pub held_out: ShareOf,
    /// `shown − held_out`, percentage points; null until both groups have
    /// judged sessions.
    #[schema(required)]
    pub lift_points: Option<f64>,
    /// Its 95 % confidence interval.
    #[schema(required)]
    pub lift_low: Option<f64>,
    #[schema(required)]
    pub lift_high: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeflectionFigures {
    /// Days after a session in which a CRM task makes it a contact.
    pub window_days: i64,
    /// Every session shown suggestions.
    pub all: DeflectionGroupFigures,
    pub by_board: Vec<BoardDeflection>,
    pub by_segment: Vec<SegmentDeflection>,
    pub holdout: HoldoutFigures,
}

impl DeflectionFigures {
    pub fn of(d: &a::Deflection, slug: &dyn Fn(Option<i64>) -> Option<String>) -> Self {
        let lift = d.holdout.lift_points;
        DeflectionFigures {
            window_days: d.window_days,
            all: (&d.all).into(),
            by_board: d
                .by_board
                .iter()
                .map(|(b, g)| BoardDeflection {
                    category: slug(*b),
                    figures: g.into(),
                })
                .collect(),
            by_segment: d
                .by_segment
                .iter()
                .map(|(s, g)| SegmentDeflection {
                    segment: s.clone(),
                    figures: g.into(),
                })
                .collect(),
            holdout: HoldoutFigures {
                shown: (&d.holdout.shown).into(),
                held_out: (&d.holdout.held_out).into(),
                lift_points: lift.map(|l| l.0),
                lift_low: lift.map(|l| l.1),
                lift_high: lift.map(|l| l.2),
            },
        }
    }
}

/// One bucket of page views and visits.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrafficBucket {
    /// The bucket's start, unix ms (UTC).
    pub start: i64,
    pub page_views: i64,
    /// Visits whose first view falls in the bucket.
    pub visits: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardTraffic {
    pub category: String,
    pub page_views: i64,
    /// Visits that viewed the board.
    pub visits: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindTraffic {
    /// home, board, thread, kb, search, ask, profile or other.
    pub kind: String,
    pub page_views: i64,
}

/// Page views and visits counted by the server (staff, robots and API
/// calls left out; a visit ends after 30 minutes without a view).
#[derive(Debug, Serialize, ToSchema)]
pub struct TrafficFigures {
    pub page_views: i64,
    pub visits: i64,
    pub single_page_visits: ShareOf,
    pub buckets: Vec<TrafficBucket>,
    pub by_board: Vec<BoardTraffic>,
    pub by_kind: Vec<KindTraffic>,
}

impl TrafficFigures {
    pub fn of(t: &a::Traffic, slug: &dyn Fn(Option<i64>) -> Option<String>) -> Self {
        TrafficFigures {
            page_views: t.page_views,
            visits: t.visits,
            single_page_visits: (&t.single_page_visits).into(),
            buckets: t
                .by_bucket
                .iter()
                .map(|(start, page_views, visits)| TrafficBucket {
                    start: *start,
                    page_views: *page_views,
                    visits: *visits,
                })
                .collect(),
            // Boards the caller may not see are left out.
            by_board: t
                .by_board
                .iter()
                .filter_map(|(b, page_views, visits)| {
                    slug(Some(*b)).map(|category| BoardTraffic {
                        category,
                        page_views: *page_views,
                        visits: *visits,
                    })
                })
                .collect(),
            by_kind: t
                .by_kind
                .iter()
                .map(|(k, page_views)| KindTraffic {
                    kind: k.as_str().into(),
                    page_views: *page_views,
                })
                .collect(),
        }
    }
}

/// One metric's figures over a window.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsFigures {
    /// activity, traffic, answering, support or deflection.
    pub metric: String,
    /// The window, unix ms: `[from, to)`.
    pub from: i64,
    pub to: i64,
    /// The board's slug; null: every board.
    #[schema(required)]
    pub category: Option<String>,
    /// The customer segment; null: every member.
    #[schema(required)]
    pub segment: Option<String>,
    /// day, week or month.
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic: Option<TrafficFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answering: Option<AnsweringFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<SupportFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflection: Option<DeflectionFigures>,
}
