-- Outbox events a consumer gave up on after its retries (a handler that
-- kept failing or panicking on this one event). The consumer's cursor moved
-- past the event; the row keeps what failed and why, for a person to look
-- at and replay.
CREATE TABLE outbox_dead_letters (
    consumer TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    tx_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    error TEXT NOT NULL,
    failed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- A thread's search document takes its most-kudoed replies and their kudos
-- sum; this index answers both without reading every reply of a long thread.
CREATE INDEX posts_thread_kudos ON posts(thread_id, kudos, id);
