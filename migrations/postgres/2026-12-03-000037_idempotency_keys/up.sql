-- API writes retried with the same Idempotency-Key (per member) get the
-- first response again instead of writing twice (issue 20). A row without
-- a status is a request in progress. Kept 24 hours.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    location TEXT,
    body BYTEA,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
