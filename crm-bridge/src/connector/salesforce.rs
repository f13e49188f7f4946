//! Salesforce Cases over the REST API.
//!
//! * Authentication: the OAuth 2.0 refresh-token flow against the configured
//!   token endpoint (the `oauth2` crate, with [`Http`] as its blocking
//!   transport). The access token is cached; when the API answers 401
//!   (`INVALID_SESSION_ID`, the session expired or was revoked) it is
//!   refreshed once and the call is repeated once. The token response's
//!   `instance_url`, when present, replaces the configured one: it is where
//!   the org actually lives.
//! * Create: a Contact is looked up by e-mail (SOQL), then the Case is
//!   upserted by the External ID field holding Hearth's task key
//!   (`PATCH /sobjects/Case/{field}/{key}`). An upsert is idempotent by
//!   construction: a retried create updates the Case the first attempt made.
//! * Update: `PATCH /sobjects/Case/{id}` with the fields Hearth owns.
//! * Comments: `CaseComment` records whose body starts with the marker
//!   `[hearth-post-{post id}]`. Before posting, the connector asks whether a
//!   comment with that marker already exists on the Case (CommentBody is a
//!   filterable textarea), so a retry after a lost response does not post a
//!   second copy. The marker also lets polling skip Hearth's own comments.
//! * Polling: SOQL over the linked Case ids in chunks, for the status and
//!   for published comments. Internal (unpublished) comments are agent
//!   notes and are not brought into the public thread.
//!
//! Tokens and secrets never reach a log line or an error message.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, Client, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    RefreshToken, RequestTokenError, StandardRevocableToken, StandardTokenResponse, TokenResponse,
    TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::http::{Http, HttpResponse};
use super::{
    status_from_words, Connector, ConnectorError, ExternalComment, ExternalTask, InboundChange,
    LinkedTask,
};
use crate::config::Secret;
use crate::rules::{Priority, TaskStatus};

/// Linked Case ids per SOQL `IN (...)` query.
const ID_CHUNK: usize = 100;
/// Pages of one query result followed at most (2,000 records a page).
const MAX_QUERY_PAGES: usize = 50;
/// Where every comment Hearth writes starts; see [`comment_marker`].
const MARKER_PREFIX: &str = "[hearth-post-";
/// Case.Subject is a 255-character string.
const SUBJECT_MAX_CHARS: usize = 255;
/// Case.Description is a 32,000-character long text area.
const DESCRIPTION_MAX_CHARS: usize = 32_000;
/// CaseComment.CommentBody holds at most 4,000 bytes.
const COMMENT_MAX_BYTES: usize = 4_000;

/// The fields of Salesforce's token response that the standard one lacks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SalesforceTokenFields {
    #[serde(default)]
    pub instance_url: Option<String>,
}

impl ExtraTokenFields for SalesforceTokenFields {}

type SalesforceTokenResponse = StandardTokenResponse<SalesforceTokenFields, BasicTokenType>;

/// `oauth2::basic::BasicClient` with a token endpoint, except that the token
/// response also keeps Salesforce's `instance_url`.
type SalesforceOAuthClient = Client<
    BasicErrorResponse,
    SalesforceTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// An access token and the org address it is valid for.
#[derive(Clone)]
struct Session {
    access_token: Secret,
    instance_url: String,
}

pub struct SalesforceConnector {
    http: Http,
    oauth: SalesforceOAuthClient,
    refresh_token: Secret,
    instance_url: String,
    api_version: String,
    external_id_field: String,
    session: Mutex<Option<Session>>,
}

impl SalesforceConnector {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        instance_url: String,
        token_url: String,
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        api_version: String,
        external_id_field: String,
        timeout: Duration,
    ) -> Result<SalesforceConnector, String> {
        let instance_url = normalise_base_url(&instance_url)
            .ok_or("crm.connector.instance_url must be an http(s) URL")?;
        let token_url = TokenUrl::new(token_url.trim().to_string())
            .map_err(|e| format!("crm.connector.token_url is not a URL: {e}"))?;
        if client_id.trim().is_empty() {
            return Err("crm.connector.client_id is required".into());
        }
        if refresh_token.is_empty() {
            return Err("crm.connector.refresh_token is required".into());
        }
        let api_version = normalise_api_version(&api_version)
            .ok_or("crm.connector.api_version must look like \"v60.0\" (or \"60.0\")")?;
        let external_id_field = external_id_field.trim().to_string();
        if !is_api_name(&external_id_field) {
            return Err(
                "crm.connector.external_id_field must be a field API name such as Hearth_Task_Key__c"
                    .into(),
            );
        }
        let mut oauth: SalesforceOAuthClient =
            Client::<
                BasicErrorResponse,
                SalesforceTokenResponse,
                BasicTokenIntrospectionResponse,
                StandardRevocableToken,
                BasicRevocationErrorResponse,
            >::new(ClientId::new(client_id.trim().to_string()))
            .set_token_uri(token_url)
            // Salesforce documents the client credentials in the form body.
            .set_auth_type(AuthType::RequestBody);
        if !client_secret.is_empty() {
            oauth = oauth.set_client_secret(ClientSecret::new(client_secret.expose().to_string()));
        }
        Ok(SalesforceConnector {
            http: Http::new(timeout),
            oauth,
            refresh_token,
            instance_url,
            api_version,
            external_id_field,
            session: Mutex::new(None),
        })
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Session>> {
        // A panic elsewhere cannot leave a half-written Option behind.
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached session, or a new one.
    fn session(&self) -> Result<Session, ConnectorError> {
        let mut guard = self.lock_session();
        if let Some(s) = guard.as_ref() {
            return Ok(s.clone());
        }
        let fresh = self.fetch_token()?;
        *guard = Some(fresh.clone());
        Ok(fresh)
    }

    /// A session to replace `rejected`, which the API answered 401 to. If
    /// another call has refreshed it meanwhile, that token is used.
    fn refresh_session(&self, rejected: &Session) -> Result<Session, ConnectorError> {
        let mut guard = self.lock_session();
        if let Some(current) = guard.as_ref() {
            if current.access_token.expose() != rejected.access_token.expose() {
                return Ok(current.clone());
            }
        }
        *guard = None;
        let fresh = self.fetch_token()?;
        *guard = Some(fresh.clone());
        Ok(fresh)
    }

    /// The refresh-token grant. Errors name what went wrong, never a token.
    fn fetch_token(&self) -> Result<Session, ConnectorError> {
        let http = &self.http;
        let transport = |req: oauth2::HttpRequest| -> Result<oauth2::HttpResponse, ConnectorError> {
            let resp = http.oauth2_request(req)?;
            let status = resp.status().as_u16();
            if matches!(status, 408 | 425 | 429 | 500..=599) {
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s.min(3600)));
                // The body of a failed token request carries no token.
                let failed = HttpResponse {
                    status,
                    retry_after,
                    body: String::from_utf8_lossy(resp.body()).into_owned(),
                };
                return Err(failed.error("salesforce token refresh"));
            }
            Ok(resp)
        };
        let refresh_token = RefreshToken::new(self.refresh_token.expose().to_string());
        let token = self
            .oauth
            .exchange_refresh_token(&refresh_token)
            .request(&transport)
            .map_err(|e| match e {
                RequestTokenError::Request(e) => e,
                RequestTokenError::ServerResponse(e) => {
                    ConnectorError::Permanent(format!("salesforce token refresh was refused: {e}"))
                }
                // The body of a 200 holds the token: it is not quoted.
                RequestTokenError::Parse(e, _) => ConnectorError::Permanent(format!(
                    "salesforce token response not understood: {e}"
                )),
                RequestTokenError::Other(e) => {
                    ConnectorError::Permanent(format!("salesforce token refresh failed: {e}"))
                }
            })?;
        let instance_url = token
            .extra_fields()
            .instance_url
            .as_deref()
            .and_then(normalise_base_url)
            .unwrap_or_else(|| self.instance_url.clone());
        tracing::info!(instance_url = %instance_url, "salesforce access token refreshed");
        Ok(Session {
            access_token: Secret::new(token.access_token().secret().clone()),
            instance_url,
        })
    }

    /// `path` is under `/services/data/{version}` unless it already starts
    /// with `/services/` (a `nextRecordsUrl`).
    fn url(&self, session: &Session, path: &str) -> String {
        if path.starts_with("/services/") {
            format!("{}{path}", session.instance_url)
        } else {
            format!(
                "{}/services/data/{}{path}",
                session.instance_url, self.api_version
            )
        }
    }

    fn send_once(
        &self,
        session: &Session,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, ConnectorError> {
        let url = self.url(session, path);
        let auth = format!("Bearer {}", session.access_token.expose());
        match body {
            Some(b) => self
                .http
                .send_json(method, &url, &[("authorization", &auth)], b),
            None => self.http.send(
                method,
                &url,
                &[("authorization", &auth), ("accept", "application/json")],
                None,
            ),
        }
    }

    /// One API call, with a single token refresh and retry on a 401. Any
    /// status comes back; callers turn failures into errors.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, ConnectorError> {
        let session = self.session()?;
        let resp = self.send_once(&session, method, path, body)?;
        if resp.status != 401 {
            return Ok(resp);
        }
        tracing::info!(
            method,
            "salesforce rejected the session; refreshing the token once"
        );
        let session = self.refresh_session(&session)?;
        self.send_once(&session, method, path, body)
    }

    /// Run a SOQL query and return all its records.
    fn query(&self, soql: &str) -> Result<Vec<Value>, ConnectorError> {
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", soql)
            .finish();
        let mut path = format!("/query?{q}");
        let mut records = Vec::new();
        for _ in 0..MAX_QUERY_PAGES {
            let resp = self.call("GET", &path, None)?;
            if !resp.is_success() {
                return Err(resp.error("salesforce query"));
            }
            let page = resp.json("salesforce query")?;
            if let Some(rs) = page.get("records").and_then(Value::as_array) {
                records.extend(rs.iter().cloned());
            }
            let done = page.get("done").and_then(Value::as_bool).unwrap_or(true);
            match page.get("nextRecordsUrl").and_then(Value::as_str) {
                Some(next) if !done && next.starts_with("/services/data/") => {
                    path = next.to_string()
                }
                _ => return Ok(records),
            }
        }
        tracing::warn!(pages = MAX_QUERY_PAGES, "salesforce query truncated");
        Ok(records)
    }

    fn find_contact(&self, email: &str) -> Result<Option<String>, ConnectorError> {
        if email.trim().is_empty() {
            return Ok(None);
        }
        let soql = format!(
            "SELECT Id FROM Contact WHERE Email = {} LIMIT 1",
            soql_quote(email.trim())
        );
        Ok(self.query(&soql)?.first().and_then(record_id))
    }

    fn find_case_by_key(&self, key: &str) -> Result<Option<String>, ConnectorError> {
        let soql = format!(
            "SELECT Id FROM Case WHERE {} = {} LIMIT 1",
            self.external_id_field,
            soql_quote(key)
        );
        Ok(self.query(&soql)?.first().and_then(record_id))
    }

    fn upsert_case(&self, task: &ExternalTask) -> Result<String, ConnectorError> {
        let key = task.idempotency_key();
        let contact_id = self.find_contact(&task.contact_email)?;
        let body = case_fields(task, contact_id.as_deref());
        let path = format!("/sobjects/Case/{}/{key}", self.external_id_field);
        let resp = self.call("PATCH", &path, Some(&body))?;
        if !resp.is_success() {
            return Err(resp.error("salesforce case upsert"));
        }
        let answer: Value = serde_json::from_str(&resp.body).unwrap_or(Value::Null);
        let created = answer.get("created").and_then(Value::as_bool);
        let id = match answer.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            // An update answered 204 with no body (older API versions).
            None => self.find_case_by_key(&key)?.ok_or_else(|| {
                ConnectorError::retryable(format!(
                    "salesforce upserted case {key} is not visible yet"
                ))
            })?,
        };
        tracing::info!(
            task_id = task.task_id,
            case_id = %id,
            created = created.unwrap_or(resp.status == 201),
            contact = contact_id.is_some(),
            "salesforce case upserted"
        );
        Ok(id)
    }

    fn update_case(&self, task: &ExternalTask, case_id: &str) -> Result<String, ConnectorError> {
        check_id(case_id)?;
        let body = json!({
            "Subject": truncate_chars(&task.subject, SUBJECT_MAX_CHARS),
            "Priority": case_priority(task.priority),
            "Status": case_status(task.status),
        });
        let resp = self.call("PATCH", &format!("/sobjects/Case/{case_id}"), Some(&body))?;
        if !resp.is_success() {
            return Err(resp.error("salesforce case update"));
        }
        tracing::info!(task_id = task.task_id, case_id, "salesforce case updated");
        Ok(case_id.to_string())
    }

    fn pull_chunk(
        &self,
        ids: &[&str],
        known: &HashMap<String, String>,
        out: &mut Vec<InboundChange>,
    ) -> Result<(), ConnectorError> {
        let list = ids
            .iter()
            .map(|id| soql_quote(id))
            .collect::<Vec<_>>()
            .join(", ");
        // Salesforce answers with 18-character ids; the link may hold 15.
        let linked_id = |id: &str| {
            known
                .get(id.get(..15).unwrap_or(id))
                .cloned()
                .unwrap_or_else(|| id.to_string())
        };

        let cases = self.query(&format!(
            "SELECT Id, Status, LastModifiedDate FROM Case WHERE Id IN ({list})"
        ))?;
        for case in &cases {
            let (Some(id), Some(status)) = (record_id(case), str_field(case, "Status")) else {
                continue;
            };
            let Some(mapped) = status_from_words(status) else {
                tracing::debug!(case_id = %id, status, "salesforce status has no Hearth equivalent");
                continue;
            };
            let modified = str_field(case, "LastModifiedDate").unwrap_or("");
            out.push(InboundChange::Status {
                external_id: linked_id(&id),
                status: mapped,
                key: format!("salesforce:status:{id}:{status}:{modified}"),
            });
        }

        let comments = self.query(&format!(
            "SELECT Id, ParentId, CommentBody, CreatedBy.Name, CreatedDate FROM CaseComment \
             WHERE ParentId IN ({list}) AND IsPublished = true ORDER BY CreatedDate ASC"
        ))?;
        for c in &comments {
            let (Some(id), Some(parent)) = (record_id(c), str_field(c, "ParentId")) else {
                continue;
            };
            let body = str_field(c, "CommentBody").unwrap_or("");
            if body.trim().is_empty() || is_from_hearth(body) {
                continue;
            }
            let author = c
                .get("CreatedBy")
                .and_then(|u| str_field(u, "Name"))
                .unwrap_or("Salesforce")
                .to_string();
            out.push(InboundChange::Comment {
                external_id: linked_id(parent),
                author,
                body: body.to_string(),
                key: format!("salesforce:comment:{id}"),
            });
        }
        Ok(())
    }
}

impl Connector for SalesforceConnector {
    fn name(&self) -> &'static str {
        "salesforce"
    }

    fn push_task(
        &self,
        task: &ExternalTask,
        external_id: Option<&str>,
    ) -> Result<String, ConnectorError> {
        match external_id {
            Some(id) => self.update_case(task, id),
            None => self.upsert_case(task),
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
        let existing = self.query(&format!(
            "SELECT Id FROM CaseComment WHERE ParentId = {} AND CommentBody LIKE {} LIMIT 1",
            soql_quote(external_id),
            soql_like_prefix(&marker)
        ))?;
        if let Some(id) = existing.first().and_then(record_id) {
            tracing::info!(
                task_id = task.task_id,
                post_id = comment.post_id,
                comment_id = %id,
                "salesforce case comment already present"
            );
            return Ok(());
        }
        let body = json!({
            "ParentId": external_id,
            "CommentBody": comment_body(&marker, comment),
            "IsPublished": !comment.from_staff,
        });
        let resp = self.call("POST", "/sobjects/CaseComment", Some(&body))?;
        if !resp.is_success() {
            return Err(resp.error("salesforce case comment"));
        }
        tracing::info!(
            task_id = task.task_id,
            post_id = comment.post_id,
            case_id = external_id,
            "salesforce case comment added"
        );
        Ok(())
    }

    fn pull_changes(&self, linked: &[LinkedTask]) -> Result<Vec<InboundChange>, ConnectorError> {
        let mut known: HashMap<String, String> = HashMap::new();
        let mut ids: Vec<&str> = Vec::new();
        for (task_id, id) in linked {
            if !is_record_id(id) {
                tracing::warn!(task_id, external_id = %id, "not a Salesforce id; skipped");
                continue;
            }
            if known.insert(id[..15].to_string(), id.clone()).is_none() {
                ids.push(id);
            }
        }
        let mut out = Vec::new();
        for chunk in ids.chunks(ID_CHUNK) {
            self.pull_chunk(chunk, &known, &mut out)?;
        }
        Ok(out)
    }
}

/// The JSON of a Case as Hearth creates it (the External ID field is in the
/// upsert URL, not the body).
pub fn case_fields(task: &ExternalTask, contact_id: Option<&str>) -> Value {
    let mut description = task.description.clone();
    if let Some(reason) = task.escalation.as_deref().filter(|r| !r.trim().is_empty()) {
        description.push_str(&format!("\n\nEscalated: {reason}"));
    }
    description.push_str(&format!("\n\nCommunity thread: {}", task.thread_url));
    let mut fields = Map::new();
    fields.insert(
        "Subject".into(),
        truncate_chars(&task.subject, SUBJECT_MAX_CHARS).into(),
    );
    fields.insert(
        "Description".into(),
        truncate_chars(&description, DESCRIPTION_MAX_CHARS).into(),
    );
    fields.insert("Origin".into(), "Community".into());
    fields.insert("Priority".into(), case_priority(task.priority).into());
    fields.insert("Status".into(), case_status(task.status).into());
    if !task.contact_email.trim().is_empty() {
        fields.insert("SuppliedEmail".into(), task.contact_email.trim().into());
    }
    if !task.contact_name.trim().is_empty() {
        fields.insert("SuppliedName".into(), task.contact_name.trim().into());
    }
    if let Some(id) = contact_id {
        fields.insert("ContactId".into(), id.into());
    }
    Value::Object(fields)
}

/// Hearth priority → the standard Case.Priority picklist.
pub fn case_priority(p: Priority) -> &'static str {
    match p {
        Priority::Low => "Low",
        Priority::Normal => "Medium",
        Priority::High | Priority::Urgent => "High",
    }
}

/// Hearth status → the standard Case.Status picklist (New, Working,
/// Escalated, Closed). It has no "pending": that is Working.
pub fn case_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::New => "New",
        TaskStatus::Open | TaskStatus::Pending => "Working",
        TaskStatus::Escalated => "Escalated",
        TaskStatus::Resolved | TaskStatus::Closed => "Closed",
    }
}

/// A SOQL string literal, quotes included. Backslash, both quotes and the
/// control characters SOQL names are escaped, so input cannot end the
/// literal.
pub fn soql_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    push_soql_escaped(&mut out, s, false);
    out.push('\'');
    out
}

/// A SOQL `LIKE` literal matching values that start with `prefix`: on top
/// of [`soql_quote`]'s escaping, the wildcards `%` and `_` are literal.
pub fn soql_like_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 3);
    out.push('\'');
    push_soql_escaped(&mut out, prefix, true);
    out.push_str("%'");
    out
}

fn push_soql_escaped(out: &mut String, s: &str, like: bool) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '%' if like => out.push_str("\\%"),
            '_' if like => out.push_str("\\_"),
            c => out.push(c),
        }
    }
}

/// The prefix that identifies (and de-duplicates) a comment from Hearth.
pub fn comment_marker(post_id: i64) -> String {
    format!("{MARKER_PREFIX}{post_id}]")
}

fn is_from_hearth(body: &str) -> bool {
    body.trim_start().starts_with(MARKER_PREFIX)
}

fn comment_body(marker: &str, c: &ExternalComment) -> String {
    let author = if c.author_name.trim().is_empty() {
        "Community member"
    } else {
        c.author_name.trim()
    };
    truncate_bytes(
        &format!("{marker} {author}:\n{}", c.body),
        COMMENT_MAX_BYTES,
    )
}

/// A Salesforce record id: 15 or 18 letters and digits.
pub fn is_record_id(s: &str) -> bool {
    matches!(s.len(), 15 | 18) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn check_id(id: &str) -> Result<(), ConnectorError> {
    if is_record_id(id) {
        Ok(())
    } else {
        Err(ConnectorError::Permanent(format!(
            "{id:?} is not a Salesforce record id"
        )))
    }
}

/// A field API name such as `Hearth_Task_Key__c` (it goes into a URL path
/// and into SOQL unquoted).
fn is_api_name(s: &str) -> bool {
    s.len() <= 80
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// "v60.0", "60.0" and "60" all become "v60.0".
fn normalise_api_version(v: &str) -> Option<String> {
    let v = v.trim();
    let n = v.strip_prefix('v').unwrap_or(v);
    let (major, minor) = n.split_once('.').unwrap_or((n, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && digits(minor)).then(|| format!("v{major}.{minor}"))
}

/// An http(s) URL without a trailing slash, or None.
fn normalise_base_url(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    Some(u.trim().trim_end_matches('/').to_string())
}

fn record_id(v: &Value) -> Option<String> {
    str_field(v, "Id").map(str::to_string)
}

fn str_field<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> ExternalTask {
        ExternalTask {
            instance: String::new(),
            task_id: 7,
            thread_id: 3,
            thread_url: "https://community.example/t/3".into(),
            subject: "Printer on fire".into(),
            description: "It is really on fire.".into(),
            priority: Priority::Urgent,
            status: TaskStatus::Pending,
            contact_name: "Ada".into(),
            contact_email: "ada@example.com".into(),
            owner_email: None,
            escalation: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn soql_literals_cannot_be_broken_out_of() {
        assert_eq!(soql_quote("ada@example.com"), "'ada@example.com'");
        assert_eq!(soql_quote("o'brien@example.com"), r"'o\'brien@example.com'");
        assert_eq!(soql_quote(r"a\' OR Id != '"), r"'a\\\' OR Id != \''");
        assert_eq!(soql_quote("a\"b\nc\td\r"), r#"'a\"b\nc\td\r'"#);
        // % and _ are only wildcards in LIKE, where they are escaped.
        assert_eq!(soql_quote("100%_x"), "'100%_x'");
        assert_eq!(soql_like_prefix("[hearth-post-5]"), "'[hearth-post-5]%'");
        assert_eq!(soql_like_prefix("50%_off'"), r"'50\%\_off\'%'");
    }

    #[test]
    fn priorities_and_statuses_map_to_the_standard_picklists() {
        assert_eq!(case_priority(Priority::Low), "Low");
        assert_eq!(case_priority(Priority::Normal), "Medium");
        assert_eq!(case_priority(Priority::High), "High");
        assert_eq!(case_priority(Priority::Urgent), "High");
        let expected = [
            (TaskStatus::New, "New"),
            (TaskStatus::Open, "Working"),
            (TaskStatus::Pending, "Working"),
            (TaskStatus::Escalated, "Escalated"),
            (TaskStatus::Resolved, "Closed"),
            (TaskStatus::Closed, "Closed"),
        ];
        for (s, sf) in expected {
            assert_eq!(case_status(s), sf);
        }
        // And back: what Salesforce reports maps onto Hearth's statuses.
        assert_eq!(status_from_words("Working"), Some(TaskStatus::Open));
        assert_eq!(status_from_words("Escalated"), Some(TaskStatus::Escalated));
        assert_eq!(status_from_words("Closed"), Some(TaskStatus::Closed));
    }

    #[test]
    fn case_fields_carry_the_thread_and_contact() {
        let f = case_fields(&task(), Some("003000000000001AAA"));
        assert_eq!(f["Subject"], "Printer on fire");
        assert_eq!(f["Origin"], "Community");
        assert_eq!(f["Priority"], "High");
        assert_eq!(f["Status"], "Working");
        assert_eq!(f["SuppliedEmail"], "ada@example.com");
        assert_eq!(f["SuppliedName"], "Ada");
        assert_eq!(f["ContactId"], "003000000000001AAA");
        let d = f["Description"].as_str().unwrap_or_default();
        assert!(d.starts_with("It is really on fire."));
        assert!(d.contains("https://community.example/t/3"));

        let mut t = task();
        t.contact_email = String::new();
        let f = case_fields(&t, None);
        assert!(f.get("SuppliedEmail").is_none());
        assert!(f.get("ContactId").is_none());
    }

    #[test]
    fn ids_versions_and_names_are_checked() {
        assert!(is_record_id("500000000000001"));
        assert!(is_record_id("500000000000001AAA"));
        assert!(!is_record_id("500000000000001AA"));
        assert!(!is_record_id("500000000000001'AA"));
        assert_eq!(normalise_api_version("v60.0").as_deref(), Some("v60.0"));
        assert_eq!(normalise_api_version("61.0").as_deref(), Some("v61.0"));
        assert_eq!(normalise_api_version("62").as_deref(), Some("v62.0"));
        assert_eq!(normalise_api_version("v6x"), None);
        assert!(is_api_name("Hearth_Task_Key__c"));
        assert!(!is_api_name("Key__c/../x"));
        assert!(!is_api_name("_x"));
    }

    #[test]
    fn comments_are_marked_and_fit_the_field() {
        let c = ExternalComment {
            post_id: 42,
            author_name: "Ada".into(),
            author_email: "ada@example.com".into(),
            body: "é".repeat(3_000),
            from_staff: false,
        };
        let body = comment_body(&comment_marker(42), &c);
        assert!(body.starts_with("[hearth-post-42] Ada:\n"));
        assert!(body.len() <= COMMENT_MAX_BYTES);
        assert!(is_from_hearth(&body));
        assert!(!is_from_hearth("Thanks, [hearth-post-42] was helpful"));
    }

    #[test]
    fn constructor_rejects_bad_settings_without_echoing_secrets() {
        let make = |instance: &str, field: &str| {
            SalesforceConnector::new(
                instance.into(),
                "https://login.salesforce.com/services/oauth2/token".into(),
                "client".into(),
                Secret::new("client-secret-value"),
                Secret::new("refresh-token-value"),
                "v60.0".into(),
                field.into(),
                Duration::from_secs(1),
            )
        };
        assert!(make("https://acme.my.salesforce.com/", "Hearth_Task_Key__c").is_ok());
        let e = make("not a url", "Hearth_Task_Key__c")
            .err()
            .unwrap_or_default();
        assert!(e.contains("instance_url"));
        let e = make("https://acme.my.salesforce.com", "bad/field")
            .err()
            .unwrap_or_default();
        assert!(e.contains("external_id_field"));
        assert!(!e.contains("secret-value") && !e.contains("token-value"));
    }
}
