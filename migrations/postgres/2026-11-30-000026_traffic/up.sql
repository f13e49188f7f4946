-- Page views counted by the server for the analytics (docs/analytics.md):
-- who viewed is a hash of the day's salt and the member (or, for a
-- visitor, the address and browser), so views of one day group into
-- visits while nothing links a visitor across days. Staff, bots and API
-- calls are never recorded. Written in batches from each node's buffer;
-- pruned after [analytics] page_view_days.
CREATE TABLE page_views (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    visitor TEXT NOT NULL,
    kind TEXT NOT NULL,
    category_id BIGINT,
    target_id BIGINT
);
CREATE INDEX page_views_by_time ON page_views (at);

-- One random salt per UTC day, shared by every node; deleted once its day
-- is over so a hash can no longer be recomputed from an address.
CREATE TABLE analytics_salts (
    day BIGINT PRIMARY KEY,
    salt TEXT NOT NULL
);

-- A search's random id (the result links carry it) and the results
-- someone opened from it: search click-through.
ALTER TABLE search_log ADD COLUMN search_id TEXT;
CREATE INDEX search_log_by_search ON search_log (search_id);
CREATE TABLE search_clicks (
    id BIGSERIAL PRIMARY KEY,
    search_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    rank INTEGER NOT NULL
);
CREATE INDEX search_clicks_by_search ON search_clicks (search_id);

-- The ask page's board (the one it was opened for, then the one posted
-- to), and whether the session was held out of suggestions to measure
-- their true effect ([analytics] holdout_percent).
ALTER TABLE ask_sessions ADD COLUMN category_id BIGINT;
ALTER TABLE ask_sessions ADD COLUMN holdout BOOLEAN NOT NULL DEFAULT FALSE;

-- Daily rollups the analytics page reads instead of every post
-- (forum::analytics::rollups): kept by the "analytics" outbox consumer,
-- rebuilt from the facts by `hearth analytics rebuild`. Each row is a
-- pure function of the facts, so recomputing one is idempotent.
-- A member's visible questions, replies and kudos given, per UTC day
-- (its first millisecond) and board.
CREATE TABLE analytics_member_days (
    day BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    questions INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    kudos INTEGER NOT NULL,
    PRIMARY KEY (day, category_id, user_id)
);
CREATE INDEX analytics_member_days_by_member ON analytics_member_days (user_id, day);
-- A member's first visible post per board, and site-wide (board 0).
CREATE TABLE analytics_first_posts (
    user_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category_id)
);
CREATE INDEX analytics_first_posts_by_time ON analytics_first_posts (category_id, first_at);
-- Each visible question with its first replies by a customer and by
-- staff (not the asker) and its acceptance.
CREATE TABLE analytics_questions (
    thread_id BIGINT PRIMARY KEY,
    category_id BIGINT NOT NULL,
    asker_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    accepted_at BIGINT,
    first_community_at BIGINT,
    first_staff_at BIGINT
);
CREATE INDEX analytics_questions_by_time ON analytics_questions (created_at);
-- A member's kudos by day, for the rollups.
CREATE INDEX votes_by_member_time ON votes (user_id, created_at);
