-- One row per visit to the ask page. A session that opened a suggestion and
-- never posted is a deflection: the community answered before we had to.
CREATE TABLE ask_sessions (
    ask_id TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT REFERENCES users(id),
    started_at BIGINT NOT NULL,
    opened_kind TEXT,
    opened_id BIGINT,
    opened_at BIGINT,
    opened_count INTEGER NOT NULL DEFAULT 0,
    posted_thread_id BIGINT REFERENCES threads(id)
);
CREATE INDEX ask_sessions_started ON ask_sessions(started_at);
