ALTER TABLE mail_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead'));
ALTER TABLE mail_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN last_error TEXT;
UPDATE mail_outbox m SET status = CASE q.status WHEN 'done' THEN 'sent' ELSE q.status END,
       attempts = q.attempts, next_attempt_at = q.next_attempt_at, last_error = q.last_error
FROM delivery_queue q WHERE q.channel = 'mail' AND q.subject_id = m.id;
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);

CREATE TABLE crm_deliveries (
    id BIGSERIAL PRIMARY KEY,
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
