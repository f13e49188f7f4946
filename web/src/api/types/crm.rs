//! The CRM bridge: support tasks, contacts, canned responses, reminders,
//! rules, dead letters and the inbound webhook.

use crm_bridge::rules;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl From<rules::Priority> for Priority {
    fn from(p: rules::Priority) -> Self {
        match p {
            rules::Priority::Low => Priority::Low,
            rules::Priority::Normal => Priority::Normal,
            rules::Priority::High => Priority::High,
            rules::Priority::Urgent => Priority::Urgent,
        }
    }
}

impl From<Priority> for rules::Priority {
    fn from(p: Priority) -> Self {
        match p {
            Priority::Low => rules::Priority::Low,
            Priority::Normal => rules::Priority::Normal,
            Priority::High => rules::Priority::High,
            Priority::Urgent => rules::Priority::Urgent,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    New,
    Open,
    Pending,
    Escalated,
    Resolved,
    Closed,
}

impl From<rules::TaskStatus> for TaskStatus {
    fn from(s: rules::TaskStatus) -> Self {
        use rules::TaskStatus as S;
        match s {
            S::New => TaskStatus::New,
            S::Open => TaskStatus::Open,
            S::Pending => TaskStatus::Pending,
            S::Escalated => TaskStatus::Escalated,
            S::Resolved => TaskStatus::Resolved,
            S::Closed => TaskStatus::Closed,
        }
    }
}

impl From<TaskStatus> for rules::TaskStatus {
    fn from(s: TaskStatus) -> Self {
        use rules::TaskStatus as S;
        match s {
            TaskStatus::New => S::New,
            TaskStatus::Open => S::Open,
            TaskStatus::Pending => S::Pending,
            TaskStatus::Escalated => S::Escalated,
            TaskStatus::Resolved => S::Resolved,
            TaskStatus::Closed => S::Closed,
        }
    }
}

/// A customer or agent, with the address agents need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
}

impl From<crm_bridge::PersonRef> for PersonRef {
    fn from(p: crm_bridge::PersonRef) -> Self {
        PersonRef {
            id: p.id,
            username: p.username,
            display_name: p.display_name,
            email: p.email,
        }
    }
}

/// A task's mirror in the external CRM.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskLink {
    pub connector: String,
    #[schema(required = true)]
    pub external_id: Option<String>,
    /// pending, synced or failed.
    pub sync_state: String,
    #[schema(required = true)]
    pub last_error: Option<String>,
    #[schema(required = true)]
    pub synced_at: Option<i64>,
}

impl From<crm_bridge::TaskLink> for TaskLink {
    fn from(l: crm_bridge::TaskLink) -> Self {
        TaskLink {
            connector: l.connector,
            external_id: l.external_id,
            sync_state: l.sync_state,
            last_error: l.last_error,
            synced_at: l.synced_at,
        }
    }
}

/// A support task: one per thread that needs the brand's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub contact: PersonRef,
    pub subject: String,
    pub description: String,
    pub priority: Priority,
    pub status: TaskStatus,
    #[schema(required = true)]
    pub owner: Option<PersonRef>,
    pub first_response_due: i64,
    pub resolution_due: i64,
    #[schema(required = true)]
    pub first_response_at: Option<i64>,
    #[schema(required = true)]
    pub resolved_at: Option<i64>,
    /// Bits: 1 first response warned, 2 first response breached,
    /// 4 resolution warned, 8 resolution breached.
    pub sla_flags: i32,
    /// Why it was escalated, when it was.
    #[schema(required = true)]
    pub escalation: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Present when an external CRM is connected.
    #[schema(required = true)]
    pub external: Option<TaskLink>,
}

impl From<crm_bridge::Task> for Task {
    fn from(t: crm_bridge::Task) -> Self {
        Task {
            id: t.id,
            thread_id: t.thread_id,
            thread_title: t.thread_title,
            contact: t.contact.into(),
            subject: t.subject,
            description: t.description,
            priority: t.priority.into(),
            status: t.status.into(),
            owner: t.owner.map(Into::into),
            first_response_due: t.first_response_due,
            resolution_due: t.resolution_due,
            first_response_at: t.first_response_at,
            resolved_at: t.resolved_at,
            sla_flags: t.sla_flags,
            escalation: t.escalation,
            created_at: t.created_at,
            updated_at: t.updated_at,
            external: t.external.map(Into::into),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskList {
    pub tasks: Vec<Task>,
}

/// Changes to a task; an absent field is kept.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TaskPatch {
    pub status: Option<TaskStatus>,
    pub priority: Option<Priority>,
    /// An agent's user id; null unassigns.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
}

/// `owner_id: null` (unassign) differs from no `owner_id` (keep).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

impl From<TaskPatch> for crm_bridge::TaskPatch {
    fn from(p: TaskPatch) -> Self {
        crm_bridge::TaskPatch {
            status: p.status.map(Into::into),
            priority: p.priority.map(Into::into),
            owner_id: p.owner_id,
        }
    }
}

/// A task page: the task, its question, and the customer beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub task: Task,
    pub question_md: String,
    /// The thread's status (open, answered, solved, locked).
    pub thread_status: String,
    pub customer: ContactView,
    pub reminders: Vec<Reminder>,
}

impl From<crm_bridge::TaskView> for TaskView {
    fn from(v: crm_bridge::TaskView) -> Self {
        TaskView {
            task: v.task.into(),
            question_md: v.question_md,
            thread_status: v.thread_status,
            customer: v.customer.into(),
            reminders: v.reminders.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
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

impl From<crm_bridge::Contact> for Contact {
    fn from(c: crm_bridge::Contact) -> Self {
        Contact {
            user_id: c.user_id,
            username: c.username,
            display_name: c.display_name,
            email: c.email,
            language: c.language,
            member_since: c.member_since,
            company: c.company,
            segment: c.segment,
            lifecycle: c.lifecycle,
            tags: c.tags,
            notes: c.notes,
        }
    }
}

/// Changes to a contact; an absent field is kept.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ContactPatch {
    pub company: Option<String>,
    /// One of the segments in the rules.
    pub segment: Option<String>,
    /// One of the lifecycle stages in the rules.
    pub lifecycle: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
}

impl From<ContactPatch> for crm_bridge::ContactPatch {
    fn from(p: ContactPatch) -> Self {
        crm_bridge::ContactPatch {
            company: p.company,
            segment: p.segment,
            lifecycle: p.lifecycle,
            tags: p.tags,
            notes: p.notes,
        }
    }
}

/// Something that happened to a contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub at: i64,
    pub kind: String,
    #[schema(required = true)]
    pub thread_id: Option<i64>,
    #[schema(required = true)]
    pub task_id: Option<i64>,
    #[schema(required = true)]
    pub actor_id: Option<i64>,
    pub summary: String,
}

impl From<crm_bridge::TimelineEntry> for TimelineEntry {
    fn from(e: crm_bridge::TimelineEntry) -> Self {
        TimelineEntry {
            at: e.at,
            kind: e.kind,
            thread_id: e.thread_id,
            task_id: e.task_id,
            actor_id: e.actor_id,
            summary: e.summary,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadRef {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub created_at: i64,
}

impl From<crm_bridge::ThreadRef> for ThreadRef {
    fn from(t: crm_bridge::ThreadRef) -> Self {
        ThreadRef {
            id: t.id,
            title: t.title,
            status: t.status,
            created_at: t.created_at,
        }
    }
}

/// A contact with their timeline, tasks and threads.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub contact: Contact,
    pub timeline: Vec<TimelineEntry>,
    pub tasks: Vec<Task>,
    pub threads: Vec<ThreadRef>,
}

impl From<crm_bridge::ContactView> for ContactView {
    fn from(v: crm_bridge::ContactView) -> Self {
        ContactView {
            contact: v.contact.into(),
            timeline: v.timeline.into_iter().map(Into::into).collect(),
            tasks: v.tasks.into_iter().map(Into::into).collect(),
            threads: v.threads.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgentReply {
    /// Markdown.
    pub body: String,
}

/// The reply posted in the task's thread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentReplyPosted {
    pub post_id: i64,
}

/// The id of what was created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewReminder {
    /// Epoch milliseconds, in the future.
    pub remind_at: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reminder {
    pub id: i64,
    pub task_id: i64,
    pub agent_id: i64,
    pub remind_at: i64,
    pub note: String,
    #[schema(required = true)]
    pub done_at: Option<i64>,
    pub created_at: i64,
}

impl From<crm_bridge::Reminder> for Reminder {
    fn from(r: crm_bridge::Reminder) -> Self {
        Reminder {
            id: r.id,
            task_id: r.task_id,
            agent_id: r.agent_id,
            remind_at: r.remind_at,
            note: r.note,
            done_at: r.done_at,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReminderList {
    pub reminders: Vec<Reminder>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[schema(required = true)]
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

impl From<crm_bridge::CannedResponse> for CannedResponse {
    fn from(c: crm_bridge::CannedResponse) -> Self {
        CannedResponse {
            id: c.id,
            title: c.title,
            body: c.body,
            updated_by: c.updated_by,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CannedList {
    pub canned_responses: Vec<CannedResponse>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Canned {
    pub title: String,
    /// Placeholders: {{customer_name}}, {{customer_username}},
    /// {{thread_title}}, {{thread_url}}, {{task_id}}, {{agent_name}}.
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenderedCanned {
    pub body: String,
}

/// Task counts, escalations, SLA breaches and deliveries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CrmStats {
    /// `[status, count]` pairs.
    pub by_status: Vec<(String, i64)>,
    pub escalated_total: i64,
    pub first_response_breaches: i64,
    pub resolution_breaches: i64,
    /// Median minutes from task creation to the first agent reply.
    #[schema(required = true)]
    pub median_first_response_minutes: Option<f64>,
    pub pending_deliveries: i64,
    pub dead_letters: i64,
}

impl From<crm_bridge::CrmStats> for CrmStats {
    fn from(s: crm_bridge::CrmStats) -> Self {
        CrmStats {
            by_status: s.by_status,
            escalated_total: s.escalated_total,
            first_response_breaches: s.first_response_breaches,
            resolution_breaches: s.resolution_breaches,
            median_first_response_minutes: s.median_first_response_minutes,
            pending_deliveries: s.pending_deliveries,
            dead_letters: s.dead_letters,
        }
    }
}

/// Due times for one priority, in hours after the task was created.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct SlaTarget {
    pub first_response_hours: f64,
    pub resolution_hours: f64,
}

impl From<rules::SlaTarget> for SlaTarget {
    fn from(t: rules::SlaTarget) -> Self {
        SlaTarget {
            first_response_hours: t.first_response_hours,
            resolution_hours: t.resolution_hours,
        }
    }
}

impl From<SlaTarget> for rules::SlaTarget {
    fn from(t: SlaTarget) -> Self {
        rules::SlaTarget {
            first_response_hours: t.first_response_hours,
            resolution_hours: t.resolution_hours,
        }
    }
}

/// SLA targets per priority; an absent field keeps its default.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct SlaPolicy {
    pub low: SlaTarget,
    pub normal: SlaTarget,
    pub high: SlaTarget,
    pub urgent: SlaTarget,
    /// Warn the owner this long before a due time passes.
    pub warn_before_minutes: i64,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        rules::SlaPolicy::default().into()
    }
}

impl From<rules::SlaPolicy> for SlaPolicy {
    fn from(p: rules::SlaPolicy) -> Self {
        SlaPolicy {
            low: p.low.into(),
            normal: p.normal.into(),
            high: p.high.into(),
            urgent: p.urgent.into(),
            warn_before_minutes: p.warn_before_minutes,
        }
    }
}

impl From<SlaPolicy> for rules::SlaPolicy {
    fn from(p: SlaPolicy) -> Self {
        rules::SlaPolicy {
            low: p.low.into(),
            normal: p.normal.into(),
            high: p.high.into(),
            urgent: p.urgent.into(),
            warn_before_minutes: p.warn_before_minutes,
        }
    }
}

/// The escalation rules, SLA and segments in force. In a `PUT`, an absent
/// field takes its default (not its current value).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Rules {
    /// Category slugs whose every new thread becomes a task. Threads
    /// elsewhere get a task only when they escalate.
    pub task_categories: Vec<String>,
    /// Escalate a thread with no accepted answer and no agent reply after
    /// this many hours; 0 turns the rule off.
    #[schema(minimum = 0, maximum = 8760)]
    pub no_response_hours: f64,
    /// Escalate when the question contains one of these (case-insensitive,
    /// whole words or phrases, any script).
    pub keywords: Vec<String>,
    /// Escalate at once when the asker's contact segment is one of these.
    pub vip_segments: Vec<String>,
    /// Whether moderators and agents may escalate a thread by hand.
    pub manual_escalation: bool,
    pub default_priority: Priority,
    /// Priority an escalated task is raised to (never lowered).
    pub escalated_priority: Priority,
    pub vip_priority: Priority,
    /// Segments a contact may have; the first is the default.
    #[schema(min_items = 1)]
    pub segments: Vec<String>,
    pub lifecycle_stages: Vec<String>,
    pub sla: SlaPolicy,
}

impl Default for Rules {
    fn default() -> Self {
        rules::Rules::default().into()
    }
}

impl From<rules::Rules> for Rules {
    fn from(r: rules::Rules) -> Self {
        Rules {
            task_categories: r.task_categories,
            no_response_hours: r.no_response_hours,
            keywords: r.keywords,
            vip_segments: r.vip_segments,
            manual_escalation: r.manual_escalation,
            default_priority: r.default_priority.into(),
            escalated_priority: r.escalated_priority.into(),
            vip_priority: r.vip_priority.into(),
            segments: r.segments,
            lifecycle_stages: r.lifecycle_stages,
            sla: r.sla.into(),
        }
    }
}

impl From<Rules> for rules::Rules {
    fn from(r: Rules) -> Self {
        rules::Rules {
            task_categories: r.task_categories,
            no_response_hours: r.no_response_hours,
            keywords: r.keywords,
            vip_segments: r.vip_segments,
            manual_escalation: r.manual_escalation,
            default_priority: r.default_priority.into(),
            escalated_priority: r.escalated_priority.into(),
            vip_priority: r.vip_priority.into(),
            segments: r.segments,
            lifecycle_stages: r.lifecycle_stages,
            sla: r.sla.into(),
        }
    }
}

/// A change queued for the external CRM.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub task_id: i64,
    pub kind: String,
    pub ref_id: i64,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    #[schema(required = true)]
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<crm_bridge::Delivery> for Delivery {
    fn from(d: crm_bridge::Delivery) -> Self {
        Delivery {
            id: d.id,
            task_id: d.task_id,
            kind: d.kind,
            ref_id: d.ref_id,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_error: d.last_error,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadLetterList {
    pub dead_letters: Vec<Delivery>,
}

/// Which dead letter to retry; without `id`, all of them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReplayRequest {
    pub id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Replayed {
    pub replayed: usize,
}

/// What an external system may send to the webhook. Documentation only:
/// the body is verified against its signature before it is parsed, by
/// `crm_bridge::connector::webhook::InboundPayload`, which refuses unknown
/// fields.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundWebhook {
    /// Unique per delivery (1 to 200 characters); a second delivery with
    /// the same id is a replay.
    #[schema(min_length = 1, max_length = 200)]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: InboundKind,
    /// The task; this or `external_id` is required.
    pub task_id: Option<i64>,
    /// The task's id in the external CRM.
    pub external_id: Option<String>,
    /// task.status: the new status, in the external CRM's words.
    pub status: Option<String>,
    /// task.comment: who wrote it.
    pub author: Option<String>,
    /// task.comment: the text.
    pub body: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum InboundKind {
    #[serde(rename = "task.status")]
    TaskStatus,
    #[serde(rename = "task.comment")]
    TaskComment,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookApplied {
    pub status: WebhookStatus,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookStatus {
    Applied,
}
