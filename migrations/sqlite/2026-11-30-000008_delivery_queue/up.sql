-- One retry queue for everything sent to the outside world: mail
-- (channel 'mail', subject_id = mail_outbox.id) and changes for the external
-- CRM (channel 'crm', subject_id = task, ref_id = post of a comment; kind
-- 'sync' coalesces). It replaces crm_deliveries and the queue columns of
-- mail_outbox, which keeps only what a mail says.
CREATE TABLE delivery_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    ref_id BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending','done','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (channel, kind, subject_id, ref_id)
);
CREATE INDEX delivery_queue_due ON delivery_queue(channel, status, next_attempt_at, id);

INSERT INTO delivery_queue (channel, kind, subject_id, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at)
SELECT 'crm', kind, task_id, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at
FROM crm_deliveries;
DROP TABLE crm_deliveries;

INSERT INTO delivery_queue (channel, kind, subject_id, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at)
SELECT 'mail', 'mail', id, 0, CASE status WHEN 'sent' THEN 'done' ELSE status END,
       attempts, next_attempt_at, last_error, created_at, COALESCE(sent_at, created_at)
FROM mail_outbox;
DROP INDEX mail_outbox_due;
-- Rebuilt rather than altered: SQLite cannot drop a column with a CHECK.
CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    group_key TEXT NOT NULL,
    params TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
INSERT INTO mail_outbox_new (id, user_id, kind, dedupe_key, title, link, group_key, params, created_at, sent_at)
SELECT id, user_id, kind, dedupe_key, title, link, group_key, params, created_at, sent_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
