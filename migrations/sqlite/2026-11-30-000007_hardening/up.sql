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

-- A thread's search document takes its most-kudoed replies (kudos
-- descending, then oldest) and their kudos sum, and its reputation awards
-- the earliest reply: these answer each without sorting every reply of a
-- long thread.
CREATE INDEX posts_thread_kudos ON posts(thread_id, kudos DESC, id);
CREATE INDEX posts_thread_time ON posts(thread_id, created_at, id);

-- How far the outbox has been pruned: events at or below this position are
-- gone. A consumer that keeps its own position (a node's search index)
-- and finds itself below it rebuilds from the tables instead of replaying.
CREATE TABLE outbox_retention (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    pruned_tx_id BIGINT NOT NULL,
    pruned_event_id BIGINT NOT NULL,
    pruned_at BIGINT NOT NULL
);
