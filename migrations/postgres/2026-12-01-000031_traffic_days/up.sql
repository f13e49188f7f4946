-- Page views rolled up per UTC day, so a 90-day page reads O(days) rows
-- instead of every view. Exact: a visit never crosses a UTC day (the
-- visitor is hashed with the day's salt). Board 0 is the whole site; kind
-- '' is all pages (views, visits, single-page visits), another kind is
-- that kind's views. Days before `rolled_to` are rolled up; later days
-- (today) are read from the raw views.
CREATE TABLE analytics_traffic_days (
    day BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    views BIGINT NOT NULL,
    visits BIGINT NOT NULL,
    single_visits BIGINT NOT NULL,
    PRIMARY KEY (day, category_id, kind)
);
-- KB article views per day, site-wide (board 0) and in the article's board;
-- board first, so a window of one scope is one range.
CREATE TABLE analytics_article_days (
    day BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (category_id, day, article_id)
);
-- One row: the first day not yet rolled up. Every flush locks it first,
-- so a late view of a rolled day and the roll-up itself never race.
CREATE TABLE analytics_traffic_state (
    id INTEGER PRIMARY KEY,
    rolled_to BIGINT NOT NULL
);
INSERT INTO analytics_traffic_state (id, rolled_to) VALUES (1, 0);
-- The window's question rows, read from the index alone.
DROP INDEX analytics_questions_by_time;
CREATE INDEX analytics_questions_by_time ON analytics_questions (created_at)
    INCLUDE (thread_id, category_id, asker_id, accepted_at, first_community_at, first_staff_at);
-- The consumer replaces a member's week rows by (member, week): without
-- this index each replacement scanned every week row.
CREATE INDEX analytics_member_weeks_by_member ON analytics_member_weeks (user_id, week);
