//! Connectors to external CRMs. One is enabled per deployment; the delivery
//! worker calls it outside any database transaction and records the result.
//!
//! Every connector must be idempotent: pushing the same task twice (a retry
//! after a timeout whose request did land) must find or update the first
//! external record, never create a second one. Each one does that with the
//! remote system's own mechanism: an idempotency key, an external-id upsert,
//! or a lookup by Hearth's reference before creating.

pub mod http;
pub mod rt;
pub mod salesforce;
pub mod webhook;
pub mod zendesk;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rules::{Priority, TaskStatus};

/// A task as sent to an external CRM.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalTask {
    /// This Hearth installation's id, so two installations (or one whose
    /// database was reset) never claim each other's records in one CRM.
    pub instance: String,
    pub task_id: i64,
    pub thread_id: i64,
    pub thread_url: String,
    pub subject: String,
    pub description: String,
    pub priority: Priority,
    pub status: TaskStatus,
    pub contact_name: String,
    pub contact_email: String,
    pub owner_email: Option<String>,
    pub escalation: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ExternalTask {
    /// The key a connector uses so that a retried create is recognised.
    pub fn idempotency_key(&self) -> String {
        if self.instance.is_empty() {
            format!("hearth-task-{}", self.task_id)
        } else {
            format!("hearth-task-{}-{}", self.instance, self.task_id)
        }
    }
}

/// A thread reply forwarded to the external record.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalComment {
    pub post_id: i64,
    pub author_name: String,
    pub author_email: String,
    pub body: String,
    /// The author is staff (an internal note in CRMs that separate them).
    pub from_staff: bool,
}

/// Something that happened in the external CRM and should show in Hearth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InboundChange {
    Status {
        external_id: String,
        status: TaskStatus,
        /// Unique per change, so a replay is recognised.
        key: String,
    },
    Comment {
        external_id: String,
        author: String,
        body: String,
        key: String,
    },
}

impl InboundChange {
    pub fn key(&self) -> &str {
        match self {
            InboundChange::Status { key, .. } | InboundChange::Comment { key, .. } => key,
        }
    }
    pub fn external_id(&self) -> &str {
        match self {
            InboundChange::Status { external_id, .. }
            | InboundChange::Comment { external_id, .. } => external_id,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ConnectorError {
    /// Worth retrying: timeouts, connection failures, 5xx, 429.
    #[error("temporary failure: {message}")]
    Retryable {
        message: String,
        /// The server's Retry-After, if it sent one.
        retry_after: Option<Duration>,
    },
    /// Retrying cannot help (400, 403, 404, a misconfiguration).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl ConnectorError {
    pub fn retryable(message: impl Into<String>) -> Self {
        ConnectorError::Retryable {
            message: message.into(),
            retry_after: None,
        }
    }
}

/// A linked task to poll: (task id, external id).
pub type LinkedTask = (i64, String);

pub trait Connector: Send + Sync {
    /// Stable name, stored with each link ("webhook", "salesforce", …).
    fn name(&self) -> &'static str;

    /// Create the external record, or update it when `external_id` is
    /// known. Returns the external id.
    fn push_task(
        &self,
        task: &ExternalTask,
        external_id: Option<&str>,
    ) -> Result<String, ConnectorError>;

    /// Add a thread reply to the external record.
    fn push_comment(
        &self,
        task: &ExternalTask,
        external_id: &str,
        comment: &ExternalComment,
    ) -> Result<(), ConnectorError>;

    /// Changes made in the external CRM to these records, for connectors
    /// that poll. Connectors that are pushed to (the webhook) return none.
    fn pull_changes(&self, _linked: &[LinkedTask]) -> Result<Vec<InboundChange>, ConnectorError> {
        Ok(Vec::new())
    }
}

/// Map a CRM's status vocabulary onto Hearth's, shared by the connectors.
pub fn status_from_words(s: &str) -> Option<TaskStatus> {
    let s = s.trim().to_ascii_lowercase();
    Some(match s.as_str() {
        "new" => TaskStatus::New,
        "open" | "working" | "in progress" | "in_progress" | "stalled" | "on-hold" | "hold" => {
            TaskStatus::Open
        }
        "pending" | "waiting" | "waiting on customer" => TaskStatus::Pending,
        "escalated" => TaskStatus::Escalated,
        "resolved" | "solved" => TaskStatus::Resolved,
        "closed" | "rejected" | "deleted" => TaskStatus::Closed,
        _ => return None,
    })
}
