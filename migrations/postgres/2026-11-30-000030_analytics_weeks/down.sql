DROP TABLE analytics_days;
DROP TABLE analytics_member_weeks;
DROP TABLE analytics_member_days;
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
DELETE FROM outbox_cursors WHERE consumer = 'analytics';
