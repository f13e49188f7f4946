//! The OpenAPI 3.1 document for /api/v1, written by hand to keep compile
//! times down. The e2e suite checks that every path here is routed.

use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn id_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } })
}

fn op(
    summary: &str,
    auth: bool,
    params: Vec<Value>,
    body: Option<&str>,
    ok: (&str, &str),
) -> Value {
    let mut o = json!({
        "summary": summary,
        "parameters": params,
        "responses": {
            ok.0: { "description": ok.1 },
            "400": error_response("Malformed request"),
            "404": error_response("Not found, or not visible to you"),
            "422": error_response("Validation failed"),
        }
    });
    if auth {
        o["security"] = json!([{ "bearer": [] }]);
        o["responses"]["401"] = error_response("Missing or invalid bearer token");
        o["responses"]["403"] = error_response("Your role may not do this");
    }
    if let Some(schema) = body {
        o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
        o["responses"]["413"] = error_response("Body too large");
    }
    o
}

pub fn document() -> Value {
    let page =
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } });
    let per_page = json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } });
    let sort = json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["latest", "unanswered", "solved", "top"] } });
    let page_q = page.clone();
    let per_page_q = per_page.clone();
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "Hearth community API", "version": "1" },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/auth/token": { "post": op("Exchange username/email and password for a bearer token", false, vec![], Some("TokenRequest"), ("200", "Token issued")) },
            "/users": { "post": op("Register a customer account", false, vec![], Some("RegisterRequest"), ("201", "Account created")) },
            "/me": { "get": op("The caller's own account", true, vec![], None, ("200", "The caller")) },
            "/users/{id}": { "get": op("A user's public profile", false, vec![id_param("id")], None, ("200", "Profile")) },
            "/categories": {
                "get": op("Boards visible to the caller", false, vec![], None, ("200", "Boards")),
                "post": op("Create a board (admin)", true, vec![], Some("Category"), ("201", "Board created")),
            },
            "/categories/{slug}/threads": { "get": op("Threads in a board", false, vec![slug, sort, page.clone(), per_page.clone()], None, ("200", "A page of threads")) },
            "/threads": { "post": op("Ask a question", true, vec![], Some("NewThread"), ("201", "Thread created")) },
            "/threads/{id}": { "get": op("A thread with its question and a page of replies", false, vec![id_param("id"), page, per_page], None, ("200", "Thread")) },
            "/threads/{id}/posts": { "post": op("Reply to a thread", true, vec![id_param("id")], Some("Reply"), ("201", "Reply created")) },
            "/threads/{id}/lock": { "post": op("Lock or unlock a thread (moderator)", true, vec![id_param("id")], Some("Lock"), ("204", "Done")) },
            "/threads/{id}/accept": { "delete": op("Withdraw the accepted solution", true, vec![id_param("id")], None, ("204", "Done")) },
            "/posts/{id}": {
                "patch": op("Edit a post (author or moderator); keeps a revision", true, vec![id_param("id")], Some("Edit"), ("200", "Edited")),
                "delete": op("Soft-delete a post (moderator)", true, vec![id_param("id")], None, ("204", "Deleted")),
            },
            "/posts/{id}/revisions": { "get": op("A post's edit history", false, vec![id_param("id")], None, ("200", "Revisions")) },
            "/posts/{id}/vote": {
                "post": op("Give a kudo (not to your own post)", true, vec![id_param("id")], None, ("200", "New kudo count")),
                "delete": op("Withdraw your kudo", true, vec![id_param("id")], None, ("200", "New kudo count")),
            },
            "/search": { "get": op("Knowledge search over threads, accepted answers and KB articles (BM25, solved and articles boosted). Inline filters: \"phrase\", tag:, category:, is:solved", false, vec![
                json!({ "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 500 } }),
                json!({ "name": "category", "in": "query", "schema": { "type": "string" } }),
                json!({ "name": "tag", "in": "query", "schema": { "type": "string" } }),
                json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": ["open", "answered", "solved", "locked", "unsolved"] } }),
                page_q.clone(), per_page_q.clone(),
                json!({ "name": "facets", "in": "query", "schema": { "type": "boolean", "default": true }, "description": "false skips facet counts" }),
            ], None, ("200", "Hits with snippet and score, total, and facet counts by category, tag and status")) },
            "/search/similar": { "get": op("Existing threads and articles similar to a question being typed, solved first", false, vec![
                json!({ "name": "title", "in": "query", "schema": { "type": "string" } }),
                json!({ "name": "body", "in": "query", "schema": { "type": "string" } }),
                json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 20 } }),
            ], None, ("200", "Suggestions")) },
            "/posts/{id}/accept": { "post": op("Accept a reply as the solution (asker or moderator)", true, vec![id_param("id")], None, ("200", "Thread is solved")) },
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                    "code": { "type": "string", "description": "Stable machine-readable code, e.g. validation_failed, not_found, unauthenticated, forbidden, conflict, payload_too_large" },
                    "message": { "type": "string" }, "field": { "type": "string" } } } } },
                "TokenRequest": { "type": "object", "required": ["login", "password"], "properties": { "login": { "type": "string" }, "password": { "type": "string" } } },
                "RegisterRequest": { "type": "object", "required": ["username", "email", "password"], "properties": { "username": { "type": "string" }, "email": { "type": "string" }, "password": { "type": "string", "minLength": 8 }, "display_name": { "type": "string" } } },
                "Category": { "type": "object", "required": ["slug", "name"], "properties": { "slug": { "type": "string" }, "name": { "type": "string" }, "description": { "type": "string" }, "is_private": { "type": "boolean" }, "position": { "type": "integer" } } },
                "NewThread": { "type": "object", "required": ["category", "title", "body"], "properties": { "category": { "type": "string" }, "title": { "type": "string", "minLength": 5, "maxLength": 200 }, "body": { "type": "string", "description": "Markdown" }, "tags": { "type": "array", "items": { "type": "string" }, "maxItems": 5 } } },
                "Reply": { "type": "object", "required": ["body"], "properties": { "body": { "type": "string", "description": "Markdown" } } },
                "Edit": { "type": "object", "required": ["body"], "properties": { "title": { "type": "string" }, "body": { "type": "string" } } },
                "Lock": { "type": "object", "required": ["locked"], "properties": { "locked": { "type": "boolean" } } },
            }
        }
    });
    merge(&mut doc["paths"], community_paths());
    merge(&mut doc["components"]["schemas"], community_schemas());
    merge(&mut doc["paths"], crm_paths());
    merge(&mut doc["paths"], notify_paths());
    merge(&mut doc["components"]["schemas"], crm_schemas());
    doc
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

/// Knowledge base, reputation and notifications.
fn community_paths() -> Value {
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    json!({
            "/threads/{id}/promote": { "post": op("Promote a solved thread to a KB draft (agent or moderator); idempotent", true, vec![id_param("id")], None, ("201", "Draft created (200: it already existed)")) },
            "/threads/{id}/move": { "post": op("Move a thread to another board (moderator or Community Leader)", true, vec![id_param("id")], Some("Move"), ("204", "Moved")) },
            "/threads/{id}/duplicate": { "post": op("Mark a thread as a duplicate of another, or clear it with null (moderator or Community Leader)", true, vec![id_param("id")], Some("Duplicate"), ("204", "Marked")) },
            "/kb": { "get": op("Published KB articles the caller may see", false, vec![json!({ "name": "category", "in": "query", "schema": { "type": "string" } })], None, ("200", "Articles")) },
            "/kb/review": { "get": op("Review queue: drafts, in review, source changed, mostly unhelpful (staff)", true, vec![], None, ("200", "Articles")) },
            "/kb/{slug}": {
                "get": op("An article (drafts: staff only); staff also get the source diff when the source changed", false, vec![slug.clone()], None, ("200", "Article")),
                "patch": op("Edit an article; each edit is a new version (staff)", true, vec![slug.clone()], Some("ArticleEdit"), ("200", "Article")),
            },
            "/kb/{slug}/revisions": { "get": op("An article's versions (staff)", true, vec![slug.clone()], None, ("200", "Revisions")) },
            "/kb/{slug}/publish": { "post": op("Publish an article (moderator); marks the source as reviewed", true, vec![slug.clone()], None, ("200", "Article")) },
            "/kb/{slug}/status": { "post": op("Move an article between draft, review, published (moderator) and archived (moderator)", true, vec![slug.clone()], Some("ArticleStatus"), ("200", "Article")) },
            "/kb/{slug}/feedback": { "post": op("Helpful or not: one vote per member, changeable", true, vec![slug.clone()], Some("Feedback"), ("200", "Counts")) },
            "/users/{id}/badges": { "get": op("A member's badges", false, vec![id_param("id")], None, ("200", "Badges")) },
            "/users/{id}/reputation": { "get": op("A member's points, rank, stats and badges", false, vec![id_param("id")], None, ("200", "Standing")) },
            "/leaderboard": { "get": op("Top members by points", false, vec![
                json!({ "name": "period", "in": "query", "schema": { "type": "string", "enum": ["week", "month", "all"], "default": "all" } }),
                json!({ "name": "category", "in": "query", "schema": { "type": "string" } }),
                json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } }),
            ], None, ("200", "Entries")) },
            "/badges": { "get": op("Every badge and how many members hold it", false, vec![], None, ("200", "Badges")) },
            "/badges/{key}": { "get": op("Who holds a badge", false, vec![json!({ "name": "key", "in": "path", "required": true, "schema": { "type": "string" } })], None, ("200", "Holders")) },
            "/notifications": { "get": op("The caller's in-app notifications and unread count", true, vec![], None, ("200", "Notifications")) },
            "/notifications/read": { "post": op("Mark all notifications read", true, vec![], None, ("200", "How many")) },
    })
}

fn community_schemas() -> Value {
    json!({
                "Move": { "type": "object", "required": ["category"], "properties": { "category": { "type": "string" } } },
                "Duplicate": { "type": "object", "required": ["of"], "properties": { "of": { "type": ["integer", "null"] } } },
                "ArticleEdit": { "type": "object", "properties": { "title": { "type": "string" }, "body": { "type": "string", "description": "Markdown" }, "category": { "type": "string" }, "tags": { "type": "array", "items": { "type": "string" } }, "note": { "type": "string", "maxLength": 500 } } },
                "ArticleStatus": { "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ["draft", "review", "published", "archived"] } } },
                "Feedback": { "type": "object", "required": ["helpful"], "properties": { "helpful": { "type": "boolean" } } },
    })
}

fn crm_paths() -> Value {
    let q = |name: &str, t: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": t }, "description": d });
    let queue_params = vec![
        q("status", "string", "Comma-separated: new, open, pending, escalated, resolved, closed (default: active ones)"),
        q("priority", "string", "low, normal, high or urgent"),
        q("owner", "string", "me, unassigned, any, or a user id"),
        q("due_before", "integer", "Only tasks whose next due time is before this (epoch ms)"),
        q("limit", "integer", "1 to 500"),
        q("offset", "integer", "Skip this many"),
    ];
    json!({
        "/crm/tasks": { "get": op("The support queue (agents)", true, queue_params, None, ("200", "Tasks, most urgent first")) },
        "/crm/tasks/{id}": {
            "get": op("A task with its thread question and the customer's profile, timeline, threads and tasks (agents)", true, vec![id_param("id")], None, ("200", "Task view")),
            "patch": op("Change status, priority or owner (agents)", true, vec![id_param("id")], Some("TaskPatch"), ("200", "The task")),
        },
        "/crm/tasks/{id}/claim": { "post": op("Take the task: owner = you, status open (agents)", true, vec![id_param("id")], None, ("200", "The task")) },
        "/crm/tasks/{id}/replies": { "post": op("Reply in the task's thread as official staff (agents)", true, vec![id_param("id")], Some("AgentReply"), ("201", "Posted")) },
        "/crm/tasks/{id}/reminders": { "post": op("Remind me about this task at a time (agents)", true, vec![id_param("id")], Some("Reminder"), ("201", "Reminder set")) },
        "/crm/reminders": { "get": op("Your reminders that are due (agents)", true, vec![], None, ("200", "Due reminders")) },
        "/crm/reminders/{id}/dismiss": { "post": op("Mark a reminder done (agents)", true, vec![id_param("id")], None, ("204", "Dismissed")) },
        "/crm/contacts/{id}": {
            "get": op("A contact: profile, timeline, tasks and threads (agents)", true, vec![id_param("id")], None, ("200", "Contact view")),
            "patch": op("Edit company, segment, lifecycle, tags, notes (agents)", true, vec![id_param("id")], Some("ContactPatch"), ("200", "The contact")),
        },
        "/crm/canned": {
            "get": op("Canned responses (agents)", true, vec![], None, ("200", "All canned responses")),
            "post": op("Add a canned response (agents)", true, vec![], Some("Canned"), ("201", "Created")),
        },
        "/crm/canned/{id}": {
            "put": op("Replace a canned response (agents)", true, vec![id_param("id")], Some("Canned"), ("204", "Saved")),
            "delete": op("Delete a canned response (agents)", true, vec![id_param("id")], None, ("204", "Deleted")),
        },
        "/crm/canned/{id}/render": { "get": op("A canned response with its placeholders filled for a task (agents)", true, vec![id_param("id"), json!({ "name": "task", "in": "query", "required": true, "schema": { "type": "integer" } })], None, ("200", "Rendered body")) },
        "/crm/stats": { "get": op("Task counts, escalations, SLA breaches, median first response (agents)", true, vec![], None, ("200", "Figures")) },
        "/crm/rules": {
            "get": op("Escalation rules, SLA and segments in force (admins)", true, vec![], None, ("200", "Rules")),
            "put": op("Replace the rules; they override the config file's (admins)", true, vec![], Some("Rules"), ("204", "Saved")),
        },
        "/crm/dead-letters": { "get": op("Deliveries to the external CRM that exhausted their retries (admins)", true, vec![], None, ("200", "Dead letters")) },
        "/crm/dead-letters/replay": { "post": op("Retry one dead letter ({\"id\": n}) or all of them (admins)", true, vec![], None, ("200", "How many were replayed")) },
        "/crm/webhook": { "post": {
            "summary": "Inbound changes from an external CRM. Signed: X-Hearth-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>; older than the tolerance (300 s) or replayed ids are refused",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/InboundWebhook" } } } },
            "responses": {
                "202": { "description": "Applied" },
                "400": error_response("Malformed payload"),
                "401": error_response("Missing, malformed or wrong signature, or stale timestamp"),
                "404": error_response("Unknown task, or no inbound secret configured"),
                "409": error_response("This delivery id was applied before"),
            }
        } },
        "/threads/{id}/escalate": { "post": op("Escalate a thread to support, creating its task if needed (moderators and agents)", true, vec![id_param("id")], None, ("200", "The escalated task")) },
    })
}

fn crm_schemas() -> Value {
    json!({
        "TaskPatch": { "type": "object", "properties": {
            "status": { "type": "string", "enum": ["new", "open", "pending", "escalated", "resolved", "closed"] },
            "priority": { "type": "string", "enum": ["low", "normal", "high", "urgent"] },
            "owner_id": { "type": ["integer", "null"], "description": "null unassigns" } } },
        "AgentReply": { "type": "object", "required": ["body"], "properties": { "body": { "type": "string", "description": "Markdown" } } },
        "Reminder": { "type": "object", "required": ["remind_at"], "properties": { "remind_at": { "type": "integer", "description": "epoch ms, in the future" }, "note": { "type": "string" } } },
        "ContactPatch": { "type": "object", "properties": { "company": { "type": "string" }, "segment": { "type": "string" }, "lifecycle": { "type": "string" }, "tags": { "type": "array", "items": { "type": "string" } }, "notes": { "type": "string" } } },
        "Canned": { "type": "object", "required": ["title", "body"], "properties": { "title": { "type": "string" }, "body": { "type": "string", "description": "Placeholders: {{customer_name}}, {{customer_username}}, {{thread_title}}, {{thread_url}}, {{task_id}}, {{agent_name}}" } } },
        "Rules": { "type": "object", "description": "See crm_bridge::rules::Rules: task_categories, no_response_hours, keywords, vip_segments, manual_escalation, default/escalated/vip_priority, segments, lifecycle_stages, sla" },
        "InboundWebhook": { "type": "object", "required": ["id", "type"], "properties": {
            "id": { "type": "string", "description": "Unique per delivery" },
            "type": { "type": "string", "enum": ["task.status", "task.comment"] },
            "task_id": { "type": "integer" }, "external_id": { "type": "string" },
            "status": { "type": "string" }, "author": { "type": "string" }, "body": { "type": "string" } } },
    })
}

fn notify_paths() -> Value {
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    json!({
        "/me/notification-settings": {
            "get": op("Your mail mode per kind of notification: instant, digest or off", true, vec![], None, ("200", "Modes by kind")),
            "put": op("Change modes: {\"modes\": {\"reply\": \"digest\", …}}", true, vec![], None, ("204", "Saved")),
        },
        "/me/subscriptions": { "get": op("Threads and boards you watch", true, vec![], None, ("200", "Subscriptions")) },
        "/threads/{id}/watch": { "post": op("Watch or stop watching a thread: {\"watch\": true|false}", true, vec![id_param("id")], None, ("204", "Done")) },
        "/categories/{slug}/watch": { "post": op("Watch or stop watching a board: {\"watch\": true|false}", true, vec![slug], None, ("204", "Done")) },
        "/auth/password-reset": { "post": op("Mail a single-use reset link (one hour) to {\"email\"}; the answer never says whether the account exists", false, vec![], None, ("202", "Accepted")) },
    })
}
