//! Escalation rules, priorities and SLA arithmetic. Pure functions over plain
//! values, so every rule is unit-tested apart from storage and time.

use serde::{Deserialize, Serialize};

pub const HOUR_MS: i64 = 3_600_000;
pub const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    New,
    Open,
    Pending,
    Escalated,
    Resolved,
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 6] = [
        TaskStatus::New,
        TaskStatus::Open,
        TaskStatus::Pending,
        TaskStatus::Escalated,
        TaskStatus::Resolved,
        TaskStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::New => "new",
            TaskStatus::Open => "open",
            TaskStatus::Pending => "pending",
            TaskStatus::Escalated => "escalated",
            TaskStatus::Resolved => "resolved",
            TaskStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Still waiting for the brand to finish it.
    pub fn is_active(self) -> bool {
        !matches!(self, TaskStatus::Resolved | TaskStatus::Closed)
    }
}

/// Due times for one priority, in hours after the task was created.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub first_response_hours: f64,
    pub resolution_hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        let t = |first_response_hours, resolution_hours| SlaTarget {
            first_response_hours,
            resolution_hours,
        };
        SlaPolicy {
            low: t(48.0, 240.0),
            normal: t(24.0, 120.0),
            high: t(8.0, 48.0),
            urgent: t(1.0, 8.0),
            warn_before_minutes: 60,
        }
    }
}

impl SlaPolicy {
    pub fn target(&self, p: Priority) -> SlaTarget {
        match p {
            Priority::Low => self.low,
            Priority::Normal => self.normal,
            Priority::High => self.high,
            Priority::Urgent => self.urgent,
        }
    }

    /// (first response due, resolution due) for a task created at `created_at`.
    pub fn due_times(&self, p: Priority, created_at: i64) -> (i64, i64) {
        let t = self.target(p);
        let ms = |h: f64| (h * HOUR_MS as f64).round() as i64;
        (
            created_at.saturating_add(ms(t.first_response_hours)),
            created_at.saturating_add(ms(t.resolution_hours)),
        )
    }
}

pub const SLA_FIRST_WARNED: i32 = 1;
pub const SLA_FIRST_BREACHED: i32 = 2;
pub const SLA_RESOLUTION_WARNED: i32 = 4;
pub const SLA_RESOLUTION_BREACHED: i32 = 8;

/// What the SLA clock says about a task now: the flags to add, each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaState {
    pub flags: i32,
}

/// The SLA facts of one task the checker needs.
#[derive(Debug, Clone, Copy)]
pub struct SlaClock {
    pub status: TaskStatus,
    pub first_response_due: i64,
    pub resolution_due: i64,
    pub first_response_at: Option<i64>,
    pub flags: i32,
}

/// The longest warning before an SLA deadline: 30 days.
pub const MAX_WARN_MINUTES: i64 = 30 * 24 * 60;

/// Flags newly true at `now` (not already in `clock.flags`). A first
/// response made in time can never breach; a finished task breaches nothing.
pub fn sla_check(policy: &SlaPolicy, clock: SlaClock, now: i64) -> SlaState {
    if !clock.status.is_active() {
        return SlaState::default();
    }
    let warn = policy.warn_before_minutes.max(0).saturating_mul(MINUTE_MS);
    let mut flags = 0;
    if clock.first_response_at.is_none() {
        if now >= clock.first_response_due {
            flags |= SLA_FIRST_BREACHED | SLA_FIRST_WARNED;
        } else if now >= clock.first_response_due - warn {
            flags |= SLA_FIRST_WARNED;
        }
    }
    if now >= clock.resolution_due {
        flags |= SLA_RESOLUTION_BREACHED | SLA_RESOLUTION_WARNED;
    } else if now >= clock.resolution_due - warn {
        flags |= SLA_RESOLUTION_WARNED;
    }
    SlaState {
        flags: flags & !clock.flags,
    }
}

/// Why a thread was escalated; stored on the task and shown to agents.
#[derive(Debug, Clone, PartialEq)]
pub enum Escalation {
    Keyword(String),
    Vip,
    NoResponse { hours: f64 },
    Manual { by: i64 },
    External,
}

impl Escalation {
    /// The reason by name (`reason`: keyword, vip, no_response, manual,
    /// external) with its figures, for an interface's own words.
    pub fn params(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Escalation::Keyword(k) => json!({ "reason": "keyword", "keyword": k }),
            Escalation::Vip => json!({ "reason": "vip" }),
            Escalation::NoResponse { hours } => {
                json!({ "reason": "no_response", "hours": hours.round() as i64 })
            }
            Escalation::Manual { by } => json!({ "reason": "manual", "by": by }),
            Escalation::External => json!({ "reason": "external" }),
        }
    }

    /// The escalation `describe` wrote (tasks store that text).
    pub fn from_description(text: &str) -> Option<Escalation> {
        if let Some(k) = text
            .strip_prefix("keyword \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            return Some(Escalation::Keyword(k.to_string()));
        }
        if let Some(h) = text
            .strip_prefix("no accepted answer and no agent reply after ")
            .and_then(|r| r.strip_suffix(" h"))
        {
            return h.parse().ok().map(|hours| Escalation::NoResponse { hours });
        }
        if let Some(by) = text.strip_prefix("escalated by staff member #") {
            return by.parse().ok().map(|by| Escalation::Manual { by });
        }
        match text {
            "the asker is a VIP" => Some(Escalation::Vip),
            "escalated in the external CRM" => Some(Escalation::External),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Escalation::Keyword(k) => format!("keyword \"{k}\""),
            Escalation::Vip => "the asker is a VIP".into(),
            Escalation::NoResponse { hours } => {
                format!("no accepted answer and no agent reply after {hours} h")
            }
            Escalation::Manual { by } => format!("escalated by staff member #{by}"),
            Escalation::External => "escalated in the external CRM".into(),
        }
    }
}

/// Every rule an administrator can tune, from the config file's `[crm]`
/// section or the admin page (which stores an override in the database).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Category slugs whose every new thread becomes a task, for boards
    /// whose own CRM setting (`/admin/boards`) was never set: a board set
    /// on or off decides for itself. Threads elsewhere get a task only
    /// when they escalate.
    pub task_categories: Vec<String>,
    /// Escalate a thread with no accepted answer and no agent reply after
    /// this many hours; 0 turns the rule off.
    pub no_response_hours: f64,
    /// Escalate when the question contains one of these (case-insensitive,
    /// whole words or phrases, any script).
    pub keywords: Vec<String>,
    /// Escalate at once when the asker's contact segment is one of these.
    pub vip_segments: Vec<String>,
    pub manual_escalation: bool,
    pub default_priority: Priority,
    /// Priority an escalated task is raised to (never lowered).
    pub escalated_priority: Priority,
    pub vip_priority: Priority,
    /// Segments a contact may have; the first is the default.
    pub segments: Vec<String>,
    pub lifecycle_stages: Vec<String>,
    pub sla: SlaPolicy,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            task_categories: vec!["support".into()],
            no_response_hours: 24.0,
            keywords: vec![
                "refund".into(),
                "cancel".into(),
                "chargeback".into(),
                "возврат".into(),
                "отмена".into(),
                "повернення".into(),
            ],
            vip_segments: vec!["vip".into()],
            manual_escalation: true,
            default_priority: Priority::Normal,
            escalated_priority: Priority::High,
            vip_priority: Priority::Urgent,
            segments: vec![
                "customer".into(),
                "lead".into(),
                "vip".into(),
                "churn-risk".into(),
            ],
            lifecycle_stages: vec![
                "subscriber".into(),
                "lead".into(),
                "customer".into(),
                "evangelist".into(),
                "churned".into(),
            ],
            sla: SlaPolicy::default(),
        }
    }
}

impl Rules {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=24.0 * 365.0).contains(&self.no_response_hours) {
            return Err("no_response_hours must be between 0 and 8760".into());
        }
        if !(0..=MAX_WARN_MINUTES).contains(&self.sla.warn_before_minutes) {
            return Err(format!(
                "warn_before_minutes must be between 0 and {MAX_WARN_MINUTES}"
            ));
        }
        for p in Priority::ALL {
            let t = self.sla.target(p);
            if !(t.first_response_hours > 0.0 && t.resolution_hours >= t.first_response_hours) {
                return Err(format!(
                    "SLA for {}: first response must be > 0 h and resolution at least as long",
                    p.as_str()
                ));
            }
        }
        if self.segments.is_empty() {
            return Err("at least one contact segment is needed".into());
        }
        if self.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err("keywords must not be blank".into());
        }
        Ok(())
    }

    pub fn creates_task_for(&self, category_slug: &str) -> bool {
        self.task_categories.iter().any(|c| c == category_slug)
    }

    /// The first configured keyword found in `text` as a whole word or
    /// phrase. Lower-casing is Unicode-aware, so Cyrillic keywords match
    /// whatever their case; word boundaries are any non-alphanumeric char.
    pub fn keyword_in(&self, text: &str) -> Option<String> {
        let hay = text.to_lowercase();
        self.keywords.iter().find_map(|k| {
            let needle = k.trim().to_lowercase();
            contains_word(&hay, &needle).then(|| k.trim().to_string())
        })
    }

    /// The escalation a brand-new thread triggers, if any.
    pub fn escalation_on_create(&self, text: &str, asker_segment: &str) -> Option<Escalation> {
        if self.vip_segments.iter().any(|s| s == asker_segment) {
            return Some(Escalation::Vip);
        }
        self.keyword_in(text).map(Escalation::Keyword)
    }

    /// Whether a task still waiting for its first agent reply has waited too long.
    pub fn overdue_without_response(
        &self,
        status: TaskStatus,
        created_at: i64,
        first_response_at: Option<i64>,
        now: i64,
    ) -> Option<Escalation> {
        if self.no_response_hours <= 0.0
            || first_response_at.is_some()
            || !matches!(status, TaskStatus::New | TaskStatus::Open)
        {
            return None;
        }
        let limit = (self.no_response_hours * HOUR_MS as f64).round() as i64;
        (now - created_at >= limit).then_some(Escalation::NoResponse {
            hours: self.no_response_hours,
        })
    }

    /// Priority of a task created for this asker.
    pub fn initial_priority(&self, asker_segment: &str) -> Priority {
        if self.vip_segments.iter().any(|s| s == asker_segment) {
            self.vip_priority.max(self.default_priority)
        } else {
            self.default_priority
        }
    }

    /// Priority after an escalation: raised, never lowered.
    pub fn escalated(&self, current: Priority, why: &Escalation) -> Priority {
        let target = if *why == Escalation::Vip {
            self.vip_priority
        } else {
            self.escalated_priority
        };
        current.max(target)
    }

    /// The created-before bound for tasks the no-response rule may catch.
    pub fn no_response_cutoff(&self, now: i64) -> Option<i64> {
        (self.no_response_hours > 0.0)
            .then(|| now - (self.no_response_hours * HOUR_MS as f64).round() as i64)
    }
}

fn contains_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = hay[start..].find(needle) {
        let at = start + pos;
        let end = at + needle.len();
        let before = hay[..at].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        start = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_escalation_is_read_back_from_its_description() {
        for e in [
            Escalation::Keyword("refund \"now\"".into()),
            Escalation::Vip,
            Escalation::NoResponse { hours: 24.0 },
            Escalation::NoResponse { hours: 1.5 },
            Escalation::Manual { by: 42 },
            Escalation::External,
        ] {
            assert_eq!(Escalation::from_description(&e.describe()), Some(e.clone()));
            assert!(e.params()["reason"].is_string(), "{:?}", e.params());
        }
        assert_eq!(Escalation::from_description("something else"), None);
    }

    use super::*;

    const T0: i64 = 1_700_000_000_000;

    fn clock(status: TaskStatus, first_at: Option<i64>, flags: i32) -> SlaClock {
        let (first, res) = SlaPolicy::default().due_times(Priority::Normal, T0);
        SlaClock {
            status,
            first_response_due: first,
            resolution_due: res,
            first_response_at: first_at,
            flags,
        }
    }

    #[test]
    fn due_times_follow_the_priority() {
        let p = SlaPolicy::default();
        assert_eq!(
            p.due_times(Priority::Normal, T0),
            (T0 + 24 * HOUR_MS, T0 + 120 * HOUR_MS)
        );
        assert_eq!(
            p.due_times(Priority::Urgent, T0),
            (T0 + HOUR_MS, T0 + 8 * HOUR_MS)
        );
        let mut half = p.clone();
        half.urgent.first_response_hours = 0.5;
        assert_eq!(half.due_times(Priority::Urgent, T0).0, T0 + 30 * MINUTE_MS);
    }

    #[test]
    fn sla_warns_then_breaches_once_each() {
        let p = SlaPolicy::default();
        let first_due = T0 + 24 * HOUR_MS;
        let c = clock(TaskStatus::Open, None, 0);
        assert_eq!(sla_check(&p, c, first_due - 61 * MINUTE_MS).flags, 0);
        assert_eq!(
            sla_check(&p, c, first_due - 60 * MINUTE_MS).flags,
            SLA_FIRST_WARNED
        );
        let warned = clock(TaskStatus::Open, None, SLA_FIRST_WARNED);
        assert_eq!(sla_check(&p, warned, first_due - 1).flags, 0);
        assert_eq!(sla_check(&p, warned, first_due).flags, SLA_FIRST_BREACHED);
        let breached = clock(
            TaskStatus::Open,
            None,
            SLA_FIRST_WARNED | SLA_FIRST_BREACHED,
        );
        assert_eq!(sla_check(&p, breached, first_due + HOUR_MS).flags, 0);
    }

    #[test]
    fn answered_or_finished_tasks_do_not_breach_first_response() {
        let p = SlaPolicy::default();
        let late = T0 + 30 * HOUR_MS;
        let answered = clock(TaskStatus::Pending, Some(T0 + HOUR_MS), 0);
        assert_eq!(sla_check(&p, answered, late).flags, 0);
        let resolved = clock(TaskStatus::Resolved, None, 0);
        assert_eq!(sla_check(&p, resolved, T0 + 500 * HOUR_MS).flags, 0);
        // Resolution still runs for an answered, open task.
        let res_late = T0 + 121 * HOUR_MS;
        assert_eq!(
            sla_check(&p, answered, res_late).flags,
            SLA_RESOLUTION_BREACHED | SLA_RESOLUTION_WARNED
        );
    }

    #[test]
    fn keywords_match_whole_words_in_any_script_and_case() {
        let r = Rules::default();
        assert_eq!(r.keyword_in("I want a REFUND now"), Some("refund".into()));
        assert_eq!(r.keyword_in("Please cancel."), Some("cancel".into()));
        assert_eq!(r.keyword_in("cancellation policy?"), None);
        assert_eq!(r.keyword_in("Хочу ВОЗВРАТ денег"), Some("возврат".into()));
        assert_eq!(
            r.keyword_in("Як оформити повернення?"),
            Some("повернення".into())
        );
        assert_eq!(r.keyword_in("nothing to see"), None);
        let fa = Rules {
            keywords: vec!["بازپرداخت".into(), "money back".into()],
            ..Rules::default()
        };
        assert_eq!(
            fa.keyword_in("درخواست بازپرداخت دارم"),
            Some("بازپرداخت".into())
        );
        assert_eq!(fa.keyword_in("I want my Money  back"), None);
        assert_eq!(
            fa.keyword_in("I want my money back!"),
            Some("money back".into())
        );
    }

    #[test]
    fn vip_escalates_before_keywords_and_gets_its_priority() {
        let r = Rules::default();
        assert_eq!(
            r.escalation_on_create("refund", "vip"),
            Some(Escalation::Vip)
        );
        assert_eq!(
            r.escalation_on_create("refund", "customer"),
            Some(Escalation::Keyword("refund".into()))
        );
        assert_eq!(r.escalation_on_create("hello", "customer"), None);
        assert_eq!(r.initial_priority("vip"), Priority::Urgent);
        assert_eq!(r.initial_priority("lead"), Priority::Normal);
        assert_eq!(
            r.escalated(Priority::Low, &Escalation::Keyword("x".into())),
            Priority::High
        );
        assert_eq!(
            r.escalated(Priority::Urgent, &Escalation::Manual { by: 1 }),
            Priority::Urgent
        );
    }

    #[test]
    fn no_response_rule_waits_exactly_n_hours() {
        let r = Rules::default();
        let at = |h: i64| T0 + h * HOUR_MS;
        assert_eq!(
            r.overdue_without_response(TaskStatus::New, T0, None, at(23)),
            None
        );
        assert!(r
            .overdue_without_response(TaskStatus::New, T0, None, at(24))
            .is_some());
        assert_eq!(
            r.overdue_without_response(TaskStatus::Open, T0, Some(at(2)), at(48)),
            None
        );
        assert_eq!(
            r.overdue_without_response(TaskStatus::Escalated, T0, None, at(48)),
            None
        );
        assert_eq!(
            r.overdue_without_response(TaskStatus::Resolved, T0, None, at(48)),
            None
        );
        let off = Rules {
            no_response_hours: 0.0,
            ..Rules::default()
        };
        assert_eq!(
            off.overdue_without_response(TaskStatus::New, T0, None, at(1000)),
            None
        );
        assert_eq!(off.no_response_cutoff(at(1)), None);
    }

    #[test]
    fn task_categories_default_to_support() {
        let r = Rules::default();
        assert!(r.creates_task_for("support"));
        assert!(!r.creates_task_for("general"));
    }

    #[test]
    fn validation_rejects_nonsense() {
        assert!(Rules::default().validate().is_ok());
        let mut r = Rules::default();
        r.sla.high.resolution_hours = 1.0;
        assert!(r.validate().is_err());
        let r = Rules {
            no_response_hours: -1.0,
            ..Rules::default()
        };
        assert!(r.validate().is_err());
        // A warning years before the deadline (the fuzz found one that
        // overflowed the arithmetic) is refused, and never overflows.
        let mut r = Rules::default();
        r.sla.warn_before_minutes = i64::MAX / 2;
        assert!(r.validate().is_err());
        let clock = SlaClock {
            status: TaskStatus::Open,
            first_response_due: 10,
            resolution_due: 20,
            first_response_at: None,
            flags: 0,
        };
        let state = sla_check(&r.sla, clock, 0);
        assert_ne!(state.flags, 0, "warned at once");
    }
}
