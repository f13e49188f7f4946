CREATE TABLE mail_outbox_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    group_key TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','sent','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
INSERT INTO mail_outbox_old (id, user_id, kind, dedupe_key, title, link, group_key, params, status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT m.id, m.user_id, m.kind, m.dedupe_key, m.title, m.link, m.group_key, m.params,
       COALESCE(CASE q.status WHEN 'done' THEN 'sent' ELSE q.status END, 'sent'),
       COALESCE(q.attempts, 0), COALESCE(q.next_attempt_at, 0), q.last_error, m.created_at, m.sent_at
FROM mail_outbox m LEFT JOIN delivery_queue q ON q.channel = 'mail' AND q.subject_id = m.id;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_old RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);

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
INSERT INTO crm_deliveries (task_id, kind, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at)
SELECT subject_id, kind, ref_id, status, attempts, next_attempt_at, last_error, created_at, updated_at
FROM delivery_queue WHERE channel = 'crm';
DROP TABLE delivery_queue;
