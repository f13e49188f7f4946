-- Built-in CRM: contacts, tasks, their timeline, agents' tools, and the
-- delivery queue to an external CRM (SQLite).

-- One row per member who has CRM data beyond their user record; name and
-- email come from `users`.
CREATE TABLE crm_contacts (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL DEFAULT 'customer',
    lifecycle TEXT NOT NULL DEFAULT 'customer',
    tags TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

CREATE TABLE crm_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- One task per thread: creating it again is a no-op, which makes the
    -- outbox worker idempotent.
    thread_id BIGINT NOT NULL UNIQUE REFERENCES threads(id),
    contact_id BIGINT NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    status TEXT NOT NULL CHECK (status IN ('new','open','pending','escalated','resolved','closed')),
    owner_id BIGINT REFERENCES users(id),
    first_response_due BIGINT NOT NULL,
    resolution_due BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    -- Bits: 1 first response warned, 2 first response breached,
    -- 4 resolution warned, 8 resolution breached.
    sla_flags INTEGER NOT NULL DEFAULT 0,
    escalation TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX crm_tasks_queue ON crm_tasks(status, priority, resolution_due);
CREATE INDEX crm_tasks_owner ON crm_tasks(owner_id, status);
CREATE INDEX crm_tasks_contact ON crm_tasks(contact_id, created_at);
CREATE INDEX crm_tasks_open_age ON crm_tasks(status, created_at);

-- The mirror of a task in the external CRM, if one is configured.
CREATE TABLE crm_task_links (
    task_id BIGINT PRIMARY KEY NOT NULL REFERENCES crm_tasks(id) ON DELETE CASCADE,
    connector TEXT NOT NULL,
    external_id TEXT,
    sync_state TEXT NOT NULL CHECK (sync_state IN ('pending','synced','failed')),
    last_error TEXT,
    synced_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX crm_task_links_external ON crm_task_links(connector, external_id);

-- Every interaction with a contact. `dedupe_key` makes replays no-ops.
CREATE TABLE crm_timeline (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    thread_id BIGINT,
    task_id BIGINT,
    actor_id BIGINT,
    summary TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX crm_timeline_contact ON crm_timeline(contact_id, at);

CREATE TABLE crm_canned_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE crm_reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id BIGINT NOT NULL REFERENCES crm_tasks(id) ON DELETE CASCADE,
    agent_id BIGINT NOT NULL REFERENCES users(id),
    remind_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    done_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX crm_reminders_due ON crm_reminders(agent_id, done_at, remind_at);

-- Work for the external connector, written in the same transaction as the
-- change that causes it. kind 'sync' (ref_id 0) pushes the task's current
-- state and coalesces; kind 'comment' pushes the post `ref_id`.
CREATE TABLE crm_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id BIGINT NOT NULL REFERENCES crm_tasks(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sync','comment')),
    ref_id BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','done','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (task_id, kind, ref_id)
);
CREATE INDEX crm_deliveries_due ON crm_deliveries(status, next_attempt_at);

-- Inbound webhook deliveries and pulled external changes already applied,
-- so a replay changes nothing.
CREATE TABLE crm_inbound (
    key TEXT PRIMARY KEY NOT NULL,
    received_at BIGINT NOT NULL
);

-- Small key/value state: rules saved from the admin page, poll cursors.
CREATE TABLE crm_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
