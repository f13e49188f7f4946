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

#[derive(Debug, Serialize, ToSchema)]
pub struct DeflectionFigures {
    pub ask_sessions: i64,
    pub opened_suggestion: i64,
    pub posted: i64,
    pub deflected: i64,
}

/// One metric's figures over a window.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsFigures {
    /// activity, answering, support or deflection.
    pub metric: String,
    /// The window, unix ms: `[from, to)`.
    pub from: i64,
    pub to: i64,
    /// The board's slug; null: every board.
    #[schema(required)]
    pub category: Option<String>,
    /// day, week or month.
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answering: Option<AnsweringFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<SupportFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflection: Option<DeflectionFigures>,
}
