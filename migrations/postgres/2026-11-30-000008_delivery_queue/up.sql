-- One retry queue for everything sent to the outside world: mail
-- (channel 'mail', subject_id = mail_outbox.id) and changes for the external
-- CRM (channel 'crm', subject_id = task, ref_id = post of a comment; kind
-- 'sync' coalesces). It replaces crm_deliveries and the queue columns of
-- mail_outbox, which keeps only what a mail says.
CREATE TABLE delivery_queue (
    id BIGSERIAL PRIMARY KEY,
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
ALTER TABLE mail_outbox DROP COLUMN status, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error;
