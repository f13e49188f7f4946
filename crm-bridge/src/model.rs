//! The CRM's data as the rest of Hearth sees it.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rules::{Priority, TaskStatus};
use crate::schema::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crm_tasks)]
pub(crate) struct TaskRow {
    pub id: i64,
    pub thread_id: i64,
    pub contact_id: i64,
    pub subject: String,
    pub description: String,
    pub priority: String,
    pub status: String,
    pub owner_id: Option<i64>,
    pub first_response_due: i64,
    pub resolution_due: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub sla_flags: i32,
    pub escalation: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TaskRow {
    pub fn status(&self) -> TaskStatus {
        TaskStatus::parse(&self.status).unwrap_or(TaskStatus::Open)
    }
    pub fn priority(&self) -> Priority {
        Priority::parse(&self.priority).unwrap_or(Priority::Normal)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crm_task_links)]
pub(crate) struct LinkRow {
    pub connector: String,
    pub external_id: Option<String>,
    pub sync_state: String,
    pub last_error: Option<String>,
    pub synced_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crm_contacts)]
pub(crate) struct ContactRow {
    pub company: String,
    pub segment: String,
    pub lifecycle: String,
    pub tags: String,
    pub notes: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
}

/// A task's mirror in the external CRM.
#[derive(Debug, Clone, Serialize)]
pub struct TaskLink {
    pub connector: String,
    pub external_id: Option<String>,
    /// pending, synced or failed.
    pub sync_state: String,
    pub last_error: Option<String>,
    pub synced_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub contact: PersonRef,
    pub subject: String,
    pub description: String,
    pub priority: Priority,
    pub status: TaskStatus,
    pub owner: Option<PersonRef>,
    pub first_response_due: i64,
    pub resolution_due: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub sla_flags: i32,
    pub escalation: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub external: Option<TaskLink>,
}

impl Task {
    pub fn first_response_breached(&self) -> bool {
        self.sla_flags & crate::rules::SLA_FIRST_BREACHED != 0
    }
    pub fn resolution_breached(&self) -> bool {
        self.sla_flags & crate::rules::SLA_RESOLUTION_BREACHED != 0
    }
    /// The due time that matters now: first response until it happens.
    pub fn next_due(&self) -> i64 {
        if self.first_response_at.is_none() {
            self.first_response_due
        } else {
            self.resolution_due
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub member_since: i64,
    pub company: String,
    pub segment: String,
    pub lifecycle: String,
    pub tags: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ContactPatch {
    pub company: Option<String>,
    pub segment: Option<String>,
    pub lifecycle: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct TimelineEntry {
    pub at: i64,
    pub kind: String,
    pub thread_id: Option<i64>,
    pub task_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub summary: String,
    /// The entry's parameters as JSON (empty for entries written before
    /// they were kept); see `TimelineNew::params`.
    pub params: String,
}

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct ThreadRef {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub created_at: i64,
}

/// Everything an agent sees beside a task.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub contact: Contact,
    pub timeline: Vec<TimelineEntry>,
    pub tasks: Vec<Task>,
    pub threads: Vec<ThreadRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OwnerFilter {
    #[default]
    Anyone,
    Unassigned,
    Agent(i64),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueueFilter {
    /// Empty means every active status (not resolved or closed).
    pub statuses: Vec<TaskStatus>,
    pub priority: Option<Priority>,
    pub owner: OwnerFilter,
    /// Only tasks whose next due time is before this (ms).
    pub due_before: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskPatch {
    pub status: Option<TaskStatus>,
    pub priority: Option<Priority>,
    /// Some(None) unassigns.
    #[serde(default, deserialize_with = "double_option")]
    pub owner_id: Option<Option<i64>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = crm_canned_responses)]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = crm_reminders)]
pub struct Reminder {
    pub id: i64,
    pub task_id: i64,
    pub agent_id: i64,
    pub remind_at: i64,
    pub note: String,
    pub done_at: Option<i64>,
    pub created_at: i64,
}

/// A queued change for the external connector: the CRM's view of an item
/// of the shared delivery queue (`forum::delivery`, channel `crm`).
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub task_id: i64,
    /// `sync` (the task's state; coalesces) or `comment` (post `ref_id`).
    pub kind: String,
    pub ref_id: i64,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<forum::delivery::QueuedDelivery> for Delivery {
    fn from(q: forum::delivery::QueuedDelivery) -> Self {
        Delivery {
            id: q.id,
            task_id: q.subject_id,
            kind: q.kind,
            ref_id: q.ref_id,
            status: q.status,
            attempts: q.attempts,
            next_attempt_at: q.next_attempt_at,
            last_error: q.last_error,
            created_at: q.created_at,
            updated_at: q.updated_at,
        }
    }
}

impl Delivery {
    pub fn stamp(&self) -> forum::delivery::Stamp {
        forum::delivery::Stamp {
            id: self.id,
            updated_at: self.updated_at,
        }
    }
}

/// A task page: the task, its question, and the customer beside it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub task: Task,
    pub question_md: String,
    pub thread_status: String,
    pub customer: ContactView,
    pub reminders: Vec<Reminder>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CrmStats {
    pub by_status: Vec<(String, i64)>,
    pub escalated_total: i64,
    pub first_response_breaches: i64,
    pub resolution_breaches: i64,
    /// Median minutes from task creation to the first agent reply.
    pub median_first_response_minutes: Option<f64>,
    pub pending_deliveries: i64,
    pub dead_letters: i64,
}

/// What `hearth crm reconcile` found (and fixed with `--fix`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReconcileReport {
    /// Threads in task categories with no task.
    pub missing_tasks: Vec<i64>,
    /// Tasks not (or no longer) mirrored in the external CRM.
    pub out_of_sync: Vec<i64>,
    pub fixed: bool,
}

/// Thread facts the rules need.
pub(crate) struct ThreadFacts {
    pub author: i64,
    pub title: String,
    pub body: String,
    pub accepted: Option<i64>,
    pub deleted: bool,
}

/// What the rules need besides a connection: one type for both backends.
pub(crate) struct Ctx<'a> {
    pub rules: &'a crate::rules::Rules,
    /// The enabled connector's name, if tasks are mirrored externally.
    pub connector: Option<&'a str>,
    pub now: i64,
    pub public_url: &'a str,
    /// The account that posts comments made in the external CRM.
    pub sync_user: Option<i64>,
}

impl Ctx<'_> {
    pub fn default_segment(&self) -> &str {
        self.rules
            .segments
            .first()
            .map_or("customer", String::as_str)
    }
}
