-- Rollups the 90-day analytics page can read in a few thousand rows:
-- member days keyed board first (board 0 = site-wide, so the whole site
-- is one range scan and distinct members need no merge across boards),
-- member weeks (Monday-aligned) for the whole weeks of a window, and day
-- totals per board and site-wide. Rebuilt from the facts: the consumer's
-- cursor is dropped, so its next batch starts with a rebuild.
DROP TABLE analytics_member_days;
CREATE TABLE analytics_member_days (
    category_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    questions INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    kudos INTEGER NOT NULL,
    PRIMARY KEY (category_id, day, user_id) INCLUDE (questions, replies, kudos)
);
CREATE INDEX analytics_member_days_by_member ON analytics_member_days (user_id, day);
CREATE TABLE analytics_member_weeks (
    category_id BIGINT NOT NULL,
    week BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    questions INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    kudos INTEGER NOT NULL,
    PRIMARY KEY (category_id, week, user_id) INCLUDE (questions, replies, kudos)
);
CREATE TABLE analytics_days (
    category_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    questions BIGINT NOT NULL,
    replies BIGINT NOT NULL,
    kudos BIGINT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (category_id, day)
);
DELETE FROM outbox_cursors WHERE consumer = 'analytics';
