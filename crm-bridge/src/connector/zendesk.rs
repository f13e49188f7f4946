//! Zendesk Support tickets over the Support (Ticketing) API.
//!
//! # Why Zendesk rather than HubSpot
//!
//! The second hosted CRM Hearth supports is Zendesk, not HubSpot, because
//! Zendesk gives a connector what retry safety and thread mirroring need
//! without extra machinery:
//!
//! * Tickets have a native `external_id`, and List Tickets filters on it
//!   (`GET /api/v2/tickets.json?external_id=...`), so a retried create first
//!   finds the ticket an earlier attempt made. Ticket creation also honours
//!   an `Idempotency-Key` header, which covers the window in which that
//!   lookup cannot see the first attempt yet. Together they make a create
//!   safe to retry. HubSpot tickets have no idempotency key; de-duplicating
//!   there needs a custom unique property plus a search, and the search
//!   index lags writes.
//! * A ticket's comments map one to one onto thread replies, and each is
//!   public or private (an internal note), which is exactly Hearth's
//!   member/staff split; they are added with the ticket update and read back
//!   with one endpoint. In HubSpot, comments are separate engagement (note)
//!   objects that must be associated with the ticket through the
//!   associations API, and have no public/private distinction.
//! * Ticket statuses (new, open, pending, hold, solved, closed) line up with
//!   Hearth's, and rate limiting is a plain 429 with `Retry-After` seconds.
//!
//! # Behaviour
//!
//! * Auth: HTTP Basic with `{email}/token:{api token}`.
//! * Create: look up by `external_id` = the task's idempotency key; reuse a
//!   found ticket, else `POST /api/v2/tickets.json` with `Idempotency-Key`.
//! * Update: `PUT /api/v2/tickets/{id}.json` with status and priority.
//! * Comments: a ticket update carrying `comment`, its body starting with
//!   `[hearth-post-{post id}]`. The ticket's comments are checked for that
//!   marker first (Zendesk takes no idempotency key on updates), so a retry
//!   after a lost response does not add a second copy.
//! * Polling: `show_many` for statuses and each linked ticket's comments,
//!   skipping the first one (the ticket description), Hearth's own (marked)
//!   ones and private notes, which must not surface in the public thread.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use super::http::{Http, HttpResponse};
use super::{
    status_from_words, Connector, ConnectorError, ExternalComment, ExternalTask, InboundChange,
    LinkedTask,
};
use crate::config::Secret;
use crate::rules::{Priority, TaskStatus};

/// Ticket ids per `show_many` call (the API's maximum).
const ID_CHUNK: usize = 100;
/// Pages of comments followed at most per ticket (100 comments a page).
const MAX_PAGES: usize = 20;
/// Where every comment Hearth writes starts; see [`comment_marker`].
const MARKER_PREFIX: &str = "[hearth-post-";
/// The tag that stands for Hearth's "escalated", which Zendesk lacks.
pub const ESCALATED_TAG: &str = "hearth_escalated";

pub struct ZendeskConnector {
    http: Http,
    base_url: String,
    /// The whole `Authorization` header value.
    auth: Secret,
}

impl ZendeskConnector {
    pub fn new(
        base_url: String,
        email: String,
        api_token: Secret,
        timeout: Duration,
    ) -> ZendeskConnector {
        let credentials = format!("{}/token:{}", email.trim(), api_token.expose());
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        );
        ZendeskConnector {
            http: Http::new(timeout),
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            auth: Secret::new(auth),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// One call to a full URL on this Zendesk. Any status comes back.
    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        extra: &[(&str, &str)],
    ) -> Result<HttpResponse, ConnectorError> {
        let mut headers = vec![("authorization", self.auth.expose())];
        headers.extend_from_slice(extra);
        match body {
            Some(b) => self.http.send_json(method, url, &headers, b),
            None => {
                headers.push(("accept", "application/json"));
                self.http.send(method, url, &headers, None)
            }
        }
    }

    /// A successful call's JSON, or the error its status stands for.
    fn call_json(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Value, ConnectorError> {
        let resp = self.send(method, &self.url(path), body, &[])?;
        if !resp.is_success() {
            return Err(resp.error(what));
        }
        resp.json(what)
    }

    /// The ticket an earlier attempt created for this key, if any (the
    /// oldest, should there somehow be several).
    fn find_by_external_id(&self, key: &str) -> Result<Option<String>, ConnectorError> {
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("external_id", key)
            .finish();
        let answer = self.call_json(
            "GET",
            &format!("/api/v2/tickets.json?{q}"),
            None,
            "zendesk ticket lookup",
        )?;
        Ok(answer
            .get("tickets")
            .and_then(Value::as_array)
            .and_then(|ts| ts.iter().filter_map(|t| t.get("id")?.as_u64()).min())
            .map(|id| id.to_string()))
    }

    fn create_ticket(&self, task: &ExternalTask) -> Result<String, ConnectorError> {
        let key = task.idempotency_key();
        if let Some(id) = self.find_by_external_id(&key)? {
            tracing::info!(task_id = task.task_id, ticket_id = %id, "zendesk ticket already exists; reused");
            return Ok(id);
        }
        let body = ticket_create_body(task);
        let resp = self.send(
            "POST",
            &self.url("/api/v2/tickets.json"),
            Some(&body),
            &[("idempotency-key", &key)],
        )?;
        if !resp.is_success() {
            // The key was used before with another payload (the task changed
            // between attempts): the first attempt's ticket exists.
            if resp.status == 400 && resp.body.contains("IdempotentRequestError") {
                return self.find_by_external_id(&key)?.ok_or_else(|| {
                    ConnectorError::retryable(format!(
                        "zendesk ticket for {key} was created but is not visible yet"
                    ))
                });
            }
            // A request with the same key is still being processed.
            if resp.status == 409 {
                return Err(ConnectorError::Retryable {
                    message: format!("zendesk ticket create for {key}: HTTP 409 (in progress)"),
                    retry_after: resp.retry_after,
                });
            }
            return Err(resp.error("zendesk ticket create"));
        }
        let answer = resp.json("zendesk ticket create")?;
        let id = answer
            .get("ticket")
            .and_then(|t| t.get("id"))
            .and_then(id_string)
            .ok_or_else(|| {
                ConnectorError::Permanent(
                    "zendesk ticket create: no ticket id in the answer".into(),
                )
            })?;
        tracing::info!(task_id = task.task_id, ticket_id = %id, "zendesk ticket created");
        Ok(id)
    }

    fn update_ticket(&self, task: &ExternalTask, id: &str) -> Result<String, ConnectorError> {
        check_id(id)?;
        self.call_json(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            Some(&ticket_update_body(task)),
            "zendesk ticket update",
        )?;
        tracing::info!(
            task_id = task.task_id,
            ticket_id = id,
            "zendesk ticket updated"
        );
        Ok(id.to_string())
    }

    /// All comments of a ticket, oldest first, with author names from the
    /// sideloaded users.
    fn comments(&self, id: &str) -> Result<Vec<(Value, String)>, ConnectorError> {
        let mut url = self.url(&format!("/api/v2/tickets/{id}/comments.json?include=users"));
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let resp = self.send("GET", &url, None, &[])?;
            if !resp.is_success() {
                return Err(resp.error("zendesk ticket comments"));
            }
            let page = resp.json("zendesk ticket comments")?;
            let names: HashMap<u64, String> = page
                .get("users")
                .and_then(Value::as_array)
                .map(|us| {
                    us.iter()
                        .filter_map(|u| {
                            Some((u.get("id")?.as_u64()?, u.get("name")?.as_str()?.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            for c in page
                .get("comments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let author = c
                    .get("author_id")
                    .and_then(Value::as_u64)
                    .and_then(|a| names.get(&a).cloned())
                    .unwrap_or_else(|| "Zendesk".to_string());
                out.push((c.clone(), author));
            }
            // Only follow links back to this Zendesk: the header carries
            // the credentials.
            match page.get("next_page").and_then(Value::as_str) {
                Some(next) if next.starts_with(&format!("{}/", self.base_url)) => {
                    url = next.to_string()
                }
                _ => return Ok(out),
            }
        }
        tracing::warn!(
            ticket_id = id,
            pages = MAX_PAGES,
            "zendesk comments truncated"
        );
        Ok(out)
    }

    fn pull_chunk(&self, ids: &[&str], out: &mut Vec<InboundChange>) -> Result<(), ConnectorError> {
        let answer = self.call_json(
            "GET",
            &format!("/api/v2/tickets/show_many.json?ids={}", ids.join(",")),
            None,
            "zendesk show_many",
        )?;
        for t in answer
            .get("tickets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(id), Some(status)) = (
                t.get("id").and_then(id_string),
                t.get("status").and_then(Value::as_str),
            ) else {
                continue;
            };
            let Some(mapped) = status_from_words(status) else {
                tracing::debug!(ticket_id = %id, status, "zendesk status has no Hearth equivalent");
                continue;
            };
            let updated = t.get("updated_at").and_then(Value::as_str).unwrap_or("");
            out.push(InboundChange::Status {
                external_id: id.clone(),
                status: mapped,
                key: format!("zendesk:status:{id}:{status}:{updated}"),
            });
        }
        for id in ids {
            let comments = match self.comments(id) {
                Ok(c) => c,
                // A deleted ticket must not stop the others from syncing.
                Err(ConnectorError::Permanent(e)) => {
                    tracing::warn!(ticket_id = id, error = %e, "zendesk comments unavailable");
                    continue;
                }
                Err(e) => return Err(e),
            };
            // The first comment is the ticket's description.
            for (c, author) in comments.into_iter().skip(1) {
                let Some(comment_id) = c.get("id").and_then(id_string) else {
                    continue;
                };
                let body = c.get("body").and_then(Value::as_str).unwrap_or("");
                let public = c.get("public").and_then(Value::as_bool).unwrap_or(false);
                if !public || body.trim().is_empty() || is_from_hearth(body) {
                    continue;
                }
                out.push(InboundChange::Comment {
                    external_id: id.to_string(),
                    author,
                    body: body.to_string(),
                    key: format!("zendesk:comment:{comment_id}"),
                });
            }
        }
        Ok(())
    }
}

impl Connector for ZendeskConnector {
    fn name(&self) -> &'static str {
        "zendesk"
    }

    fn push_task(
        &self,
        task: &ExternalTask,
        external_id: Option<&str>,
    ) -> Result<String, ConnectorError> {
        match external_id {
            Some(id) => self.update_ticket(task, id),
            None => self.create_ticket(task),
        }
    }

    fn push_comment(
        &self,
        task: &ExternalTask,
        external_id: &str,
        comment: &ExternalComment,
    ) -> Result<(), ConnectorError> {
        check_id(external_id)?;
        let marker = comment_marker(comment.post_id);
        let already = self.comments(external_id)?.iter().any(|(c, _)| {
            c.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.trim_start().starts_with(&marker))
        });
        if already {
            tracing::info!(
                task_id = task.task_id,
                post_id = comment.post_id,
                ticket_id = external_id,
                "zendesk comment already present"
            );
            return Ok(());
        }
        let body = json!({
            "ticket": {
                "comment": {
                    "body": comment_body(&marker, comment),
                    "public": !comment.from_staff,
                }
            }
        });
        self.call_json(
            "PUT",
            &format!("/api/v2/tickets/{external_id}.json"),
            Some(&body),
            "zendesk comment",
        )?;
        tracing::info!(
            task_id = task.task_id,
            post_id = comment.post_id,
            ticket_id = external_id,
            public = !comment.from_staff,
            "zendesk comment added"
        );
        Ok(())
    }

    fn pull_changes(&self, linked: &[LinkedTask]) -> Result<Vec<InboundChange>, ConnectorError> {
        let mut ids: Vec<&str> = Vec::new();
        for (task_id, id) in linked {
            if !is_ticket_id(id) {
                tracing::warn!(task_id, external_id = %id, "not a Zendesk ticket id; skipped");
                continue;
            }
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        let mut out = Vec::new();
        for chunk in ids.chunks(ID_CHUNK) {
            self.pull_chunk(chunk, &mut out)?;
        }
        Ok(out)
    }
}

/// Hearth priority → Zendesk priority (the same four words).
pub fn ticket_priority(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Normal => "normal",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

/// Hearth status → Zendesk status. Zendesk has no "escalated": that is
/// "open" plus [`ESCALATED_TAG`].
pub fn ticket_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::New => "new",
        TaskStatus::Open | TaskStatus::Escalated => "open",
        TaskStatus::Pending => "pending",
        TaskStatus::Resolved => "solved",
        TaskStatus::Closed => "closed",
    }
}

/// The body of `POST /api/v2/tickets.json` for a task.
pub fn ticket_create_body(task: &ExternalTask) -> Value {
    let mut description = task.description.clone();
    if let Some(reason) = task.escalation.as_deref().filter(|r| !r.trim().is_empty()) {
        description.push_str(&format!("\n\nEscalated: {reason}"));
    }
    description.push_str(&format!("\n\nCommunity thread: {}", task.thread_url));
    let mut tags = vec!["hearth"];
    if task.status == TaskStatus::Escalated {
        tags.push(ESCALATED_TAG);
    }
    let mut ticket = json!({
        "subject": task.subject,
        "comment": { "body": description },
        "priority": ticket_priority(task.priority),
        "status": ticket_status(task.status),
        "external_id": task.idempotency_key(),
        "tags": tags,
    });
    let email = task.contact_email.trim();
    if !email.is_empty() {
        let name = match task.contact_name.trim() {
            "" => email,
            n => n,
        };
        ticket["requester"] = json!({ "name": name, "email": email });
    }
    json!({ "ticket": ticket })
}

/// The body of `PUT /api/v2/tickets/{id}.json` for a changed task. Tags are
/// added or removed one by one so that agents' own tags survive.
pub fn ticket_update_body(task: &ExternalTask) -> Value {
    let tag_change = if task.status == TaskStatus::Escalated {
        "additional_tags"
    } else {
        "remove_tags"
    };
    let mut ticket = json!({
        "status": ticket_status(task.status),
        "priority": ticket_priority(task.priority),
    });
    ticket[tag_change] = json!([ESCALATED_TAG]);
    json!({ "ticket": ticket })
}

/// The prefix that identifies (and de-duplicates) a comment from Hearth.
pub fn comment_marker(post_id: i64) -> String {
    format!("{MARKER_PREFIX}{post_id}]")
}

fn is_from_hearth(body: &str) -> bool {
    body.trim_start().starts_with(MARKER_PREFIX)
}

fn comment_body(marker: &str, c: &ExternalComment) -> String {
    let author = match c.author_name.trim() {
        "" => "Community member",
        a => a,
    };
    format!("{marker} {author}:\n{}", c.body)
}

/// Zendesk ticket ids are positive integers.
pub fn is_ticket_id(s: &str) -> bool {
    s.parse::<u64>().is_ok_and(|n| n > 0) && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_id(id: &str) -> Result<(), ConnectorError> {
    if is_ticket_id(id) {
        Ok(())
    } else {
        Err(ConnectorError::Permanent(format!(
            "{id:?} is not a Zendesk ticket id"
        )))
    }
}

fn id_string(v: &Value) -> Option<String> {
    v.as_u64()
        .map(|n| n.to_string())
        .or_else(|| v.as_str().filter(|s| is_ticket_id(s)).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(status: TaskStatus) -> ExternalTask {
        ExternalTask {
            instance: String::new(),
            task_id: 9,
            thread_id: 4,
            thread_url: "https://community.example/t/4".into(),
            subject: "Login loop".into(),
            description: "I keep getting logged out.".into(),
            priority: Priority::High,
            status,
            contact_name: "Grace".into(),
            contact_email: "grace@example.com".into(),
            owner_email: None,
            escalation: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn statuses_and_priorities_map() {
        let expected = [
            (TaskStatus::New, "new"),
            (TaskStatus::Open, "open"),
            (TaskStatus::Pending, "pending"),
            (TaskStatus::Escalated, "open"),
            (TaskStatus::Resolved, "solved"),
            (TaskStatus::Closed, "closed"),
        ];
        for (s, z) in expected {
            assert_eq!(ticket_status(s), z);
        }
        for p in Priority::ALL {
            assert_eq!(ticket_priority(p), p.as_str());
        }
        // Zendesk's words come back as Hearth's.
        assert_eq!(status_from_words("solved"), Some(TaskStatus::Resolved));
        assert_eq!(status_from_words("hold"), Some(TaskStatus::Open));
        assert_eq!(status_from_words("pending"), Some(TaskStatus::Pending));
    }

    #[test]
    fn create_body_has_the_documented_shape() {
        let b = ticket_create_body(&task(TaskStatus::Escalated));
        let t = &b["ticket"];
        assert_eq!(t["subject"], "Login loop");
        assert_eq!(t["priority"], "high");
        assert_eq!(t["status"], "open");
        assert_eq!(t["external_id"], "hearth-task-9");
        assert_eq!(t["requester"]["email"], "grace@example.com");
        assert_eq!(t["requester"]["name"], "Grace");
        assert_eq!(t["tags"], json!(["hearth", ESCALATED_TAG]));
        let body = t["comment"]["body"].as_str().unwrap_or_default();
        assert!(body.starts_with("I keep getting logged out."));
        assert!(body.contains("https://community.example/t/4"));

        let u = ticket_update_body(&task(TaskStatus::Resolved));
        assert_eq!(
            u,
            json!({"ticket": {"status": "solved", "priority": "high", "remove_tags": [ESCALATED_TAG]}})
        );
    }

    #[test]
    fn ids_and_markers() {
        assert!(is_ticket_id("35436"));
        assert!(!is_ticket_id("0"));
        assert!(!is_ticket_id("+5"));
        assert!(!is_ticket_id("12/../x"));
        assert_eq!(comment_marker(3), "[hearth-post-3]");
        assert!(is_from_hearth("[hearth-post-3] Grace:\nhi"));
        assert!(!is_from_hearth("see [hearth-post-3]"));
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        let c = ZendeskConnector::new(
            "https://acme.zendesk.com/".into(),
            "agent@acme.test".into(),
            Secret::new("tok-123"),
            Duration::from_secs(1),
        );
        assert_eq!(c.base_url, "https://acme.zendesk.com");
        assert_eq!(format!("{:?}", c.auth), "[redacted]");
        assert!(c.auth.expose().starts_with("Basic "));
    }
}
