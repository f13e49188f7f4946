//! Request Tracker 5 tickets over its REST2 JSON API.
//!
//! - A task becomes a ticket in the configured queue, requestor = the
//!   member's email. Its subject carries `[<idempotency key>]`; before creating,
//!   the connector searches for that tag (TicketSQL), so a create retried
//!   after a lost answer finds the first ticket instead of making another.
//! - Thread replies are added as RT *comments* (internal notes), so RT does
//!   not mail the customer what they wrote themselves.
//! - Polling reads `Correspond` and `Status` transactions made by anyone but
//!   the bridge's own RT user, with two calls per poll for all tickets: one
//!   TransactionSQL search and one attachments search for their texts.
//!   Transaction ids are global and increasing; the highest one seen is a
//!   cursor kept in memory, and after a restart the CRM's inbound keys
//!   (`rt:txn:<id>`) make re-reading history harmless.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use super::http::Http;
use super::{Connector, ConnectorError, ExternalComment, ExternalTask, InboundChange, LinkedTask};
use crate::config::Secret;
use crate::rules::{Priority, TaskStatus};

pub struct RtConnector {
    http: Http,
    base: String,
    token: Secret,
    queue: String,
    user: String,
    last_txn: Mutex<i64>,
}

fn rt_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::New => "new",
        TaskStatus::Open | TaskStatus::Escalated => "open",
        TaskStatus::Pending => "stalled",
        TaskStatus::Resolved | TaskStatus::Closed => "resolved",
    }
}

fn hearth_status(s: &str) -> Option<TaskStatus> {
    Some(match s {
        "new" => TaskStatus::New,
        "open" => TaskStatus::Open,
        "stalled" => TaskStatus::Pending,
        "resolved" => TaskStatus::Resolved,
        "rejected" | "deleted" => TaskStatus::Closed,
        _ => return None,
    })
}

fn rt_priority(p: Priority) -> i64 {
    match p {
        Priority::Low => 10,
        Priority::Normal => 50,
        Priority::High => 80,
        Priority::Urgent => 100,
    }
}

/// RT returns ids as strings in some places and numbers in others.
fn id_of(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn tag(task: &ExternalTask) -> String {
    format!("[{}]", task.idempotency_key())
}

fn query_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl RtConnector {
    /// `user` is the RT account the token belongs to: its own changes are
    /// not pulled back.
    pub fn new(
        url: String,
        token: Secret,
        queue: String,
        user: String,
        timeout: Duration,
    ) -> RtConnector {
        RtConnector {
            http: Http::new(timeout),
            base: format!("{}/REST/2.0", url.trim_end_matches('/')),
            token,
            queue,
            user,
            last_txn: Mutex::new(0),
        }
    }

    fn auth(&self) -> String {
        format!("token {}", self.token.expose())
    }

    fn get(&self, path: &str, what: &str) -> Result<Value, ConnectorError> {
        let auth = self.auth();
        let r = self.http.send(
            "GET",
            &format!("{}{path}", self.base),
            &[("authorization", &auth), ("accept", "application/json")],
            None,
        )?;
        if !r.is_success() {
            return Err(r.error(what));
        }
        r.json(what)
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        what: &str,
    ) -> Result<(Value, u16), ConnectorError> {
        let auth = self.auth();
        let r = self.http.send_json(
            method,
            &format!("{}{path}", self.base),
            &[("authorization", &auth)],
            body,
        )?;
        if !r.is_success() {
            return Err(r.error(what));
        }
        Ok((
            serde_json::from_str(&r.body).unwrap_or(Value::Null),
            r.status,
        ))
    }

    fn find_ticket(&self, task: &ExternalTask) -> Result<Option<String>, ConnectorError> {
        let q = format!(
            "Queue = '{}' AND Subject LIKE '{}'",
            query_escape(&self.queue),
            query_escape(&tag(task))
        );
        let found = self.get(
            &format!("/tickets?query={}&fields=Subject", urlencode(&q)),
            "RT ticket search",
        )?;
        Ok(found["items"].as_array().and_then(|items| {
            items
                .iter()
                .find(|t| {
                    t["Subject"]
                        .as_str()
                        .is_some_and(|s| s.contains(&tag(task)))
                })
                .and_then(|t| id_of(&t["id"]))
                .map(|id| id.to_string())
        }))
    }

    fn update(&self, id: &str, task: &ExternalTask) -> Result<(), ConnectorError> {
        if id.parse::<i64>().is_err() {
            return Err(ConnectorError::Permanent(format!(
                "RT ticket id {id:?} is not a number"
            )));
        }
        let (answer, _) = self.send(
            "PUT",
            &format!("/ticket/{id}"),
            &json!({ "Status": rt_status(task.status), "Priority": rt_priority(task.priority) }),
            "RT ticket update",
        )?;
        // RT answers 200 with a list of messages, errors included.
        if let Some(msgs) = answer.as_array() {
            if let Some(bad) = msgs
                .iter()
                .filter_map(Value::as_str)
                .find(|m| m.contains("isn't a valid") || m.contains("Permission Denied"))
            {
                return Err(ConnectorError::Permanent(format!(
                    "RT refused the update: {bad}"
                )));
            }
        }
        Ok(())
    }
}

impl Connector for RtConnector {
    fn name(&self) -> &'static str {
        "rt"
    }

    fn push_task(
        &self,
        task: &ExternalTask,
        external_id: Option<&str>,
    ) -> Result<String, ConnectorError> {
        let existing = match external_id {
            Some(id) => Some(id.to_string()),
            None => self.find_ticket(task)?,
        };
        if let Some(id) = existing {
            self.update(&id, task)?;
            return Ok(id);
        }
        let subject: String = task.subject.chars().take(180).collect();
        let (created, _) = self.send(
            "POST",
            "/ticket",
            &json!({
                "Queue": self.queue,
                "Subject": format!("{subject} {}", tag(task)),
                "Requestor": task.contact_email,
                "Content": format!("{}\n\nFrom {} in the community: {}", task.description, task.contact_name, task.thread_url),
                "ContentType": "text/plain",
                "Priority": rt_priority(task.priority),
                "CustomFields": { "HearthRef": task.idempotency_key() },
            }),
            "RT ticket create",
        )?;
        let id = id_of(&created["id"])
            .ok_or_else(|| ConnectorError::Permanent("RT create answered without an id".into()))?;
        let id = id.to_string();
        if task.status != TaskStatus::New {
            self.update(&id, task)?;
        }
        Ok(id)
    }

    fn push_comment(
        &self,
        _task: &ExternalTask,
        external_id: &str,
        comment: &ExternalComment,
    ) -> Result<(), ConnectorError> {
        if external_id.parse::<i64>().is_err() {
            return Err(ConnectorError::Permanent(format!(
                "RT ticket id {external_id:?} is not a number"
            )));
        }
        self.send(
            "POST",
            &format!("/ticket/{external_id}/comment"),
            &json!({
                "Content": format!("[hearth-post-{}] {} wrote in the community:\n\n{}", comment.post_id, comment.author_name, comment.body),
                "ContentType": "text/plain",
            }),
            "RT comment",
        )
        .map(|_| ())
    }

    fn pull_changes(&self, linked: &[LinkedTask]) -> Result<Vec<InboundChange>, ConnectorError> {
        let ids: Vec<i64> = linked
            .iter()
            .filter_map(|(_, ext)| ext.parse().ok())
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let since = self.last_txn.lock().map(|g| *g).unwrap_or(0);
        let mut changes = Vec::new();
        let mut max_seen = since;
        for chunk in ids.chunks(50) {
            let objects = chunk
                .iter()
                .map(|i| format!("ObjectId={i}"))
                .collect::<Vec<_>>()
                .join(" OR ");
            let q = format!(
                "ObjectType='RT::Ticket' AND ({objects}) AND id > {since} AND (Type='Correspond' OR Type='Status') AND Creator != '{}'",
                query_escape(&self.user)
            );
            let mut txns: Vec<Value> = Vec::new();
            let mut page = 1;
            loop {
                let r = self.get(
                    &format!("/transactions?query={}&fields=Type,Creator,ObjectId,Field,NewValue&orderby=id&per_page=100&page={page}", urlencode(&q)),
                    "RT transaction search",
                )?;
                let items = r["items"].as_array().cloned().unwrap_or_default();
                let done = items.is_empty() || r["next_page"].is_null();
                txns.extend(items);
                if done || page >= 50 {
                    break;
                }
                page += 1;
            }
            let corresponds: Vec<i64> = txns
                .iter()
                .filter(|t| t["Type"] == "Correspond")
                .filter_map(|t| id_of(&t["id"]))
                .collect();
            let mut texts: std::collections::HashMap<i64, (String, String)> = Default::default();
            for ids in corresponds.chunks(50) {
                let mut filter: Vec<Value> = ids
                    .iter()
                    .map(|i| json!({ "field": "TransactionId", "operator": "=", "value": i }))
                    .collect();
                filter
                    .push(json!({ "field": "ContentType", "operator": "LIKE", "value": "text/" }));
                let (r, _) = self.send(
                    "POST",
                    "/attachments?fields=TransactionId,ContentType,Content&orderby=id&per_page=100",
                    &Value::Array(filter),
                    "RT attachment search",
                )?;
                for a in r["items"].as_array().cloned().unwrap_or_default() {
                    let (Some(txn), Some(ct), Some(content)) = (
                        id_of(&a["TransactionId"]),
                        a["ContentType"].as_str(),
                        a["Content"].as_str(),
                    ) else {
                        continue;
                    };
                    // Prefer the plain-text part of a message.
                    let e = texts
                        .entry(txn)
                        .or_insert_with(|| (ct.to_string(), content.to_string()));
                    if e.0 != "text/plain" && ct == "text/plain" {
                        *e = (ct.to_string(), content.to_string());
                    }
                }
            }
            for t in &txns {
                let (Some(txn), Some(ticket)) = (id_of(&t["id"]), id_of(&t["ObjectId"])) else {
                    continue;
                };
                max_seen = max_seen.max(txn);
                let external_id = ticket.to_string();
                let key = format!("rt:txn:{txn}");
                match t["Type"].as_str() {
                    Some("Status") => {
                        if let Some(status) = t["NewValue"].as_str().and_then(hearth_status) {
                            changes.push(InboundChange::Status {
                                external_id,
                                status,
                                key,
                            });
                        }
                    }
                    Some("Correspond") => {
                        let Some((_, body)) = texts.get(&txn) else {
                            continue;
                        };
                        if body.trim().is_empty() || body.starts_with("[hearth-post-") {
                            continue;
                        }
                        let author = t["Creator"]["id"].as_str().unwrap_or("support").to_string();
                        changes.push(InboundChange::Comment {
                            external_id,
                            author,
                            body: body.trim().to_string(),
                            key,
                        });
                    }
                    _ => {}
                }
            }
        }
        changes.sort_by_key(|c| {
            c.key()
                .trim_start_matches("rt:txn:")
                .parse::<i64>()
                .unwrap_or(0)
        });
        if let Ok(mut g) = self.last_txn.lock() {
            *g = (*g).max(max_seen);
        }
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_where_rt_has_them() {
        for s in [
            TaskStatus::New,
            TaskStatus::Open,
            TaskStatus::Pending,
            TaskStatus::Resolved,
        ] {
            assert_eq!(hearth_status(rt_status(s)), Some(s));
        }
        assert_eq!(rt_status(TaskStatus::Escalated), "open");
        assert_eq!(hearth_status("rejected"), Some(TaskStatus::Closed));
        assert_eq!(hearth_status("weird"), None);
    }

    #[test]
    fn ids_and_queries() {
        assert_eq!(id_of(&json!("12")), Some(12));
        assert_eq!(id_of(&json!(12)), Some(12));
        assert_eq!(id_of(&json!("x")), None);
        assert_eq!(query_escape("O'Brien \\ q"), "O\\'Brien \\\\ q");
        let mut t = ExternalTask {
            instance: "ab12".into(),
            task_id: 7,
            thread_id: 1,
            thread_url: String::new(),
            subject: String::new(),
            description: String::new(),
            priority: Priority::Normal,
            status: TaskStatus::New,
            contact_name: String::new(),
            contact_email: String::new(),
            owner_email: None,
            escalation: None,
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(tag(&t), "[hearth-task-ab12-7]");
        t.instance.clear();
        assert_eq!(tag(&t), "[hearth-task-7]");
    }
}
