DROP INDEX analytics_member_weeks_by_member;
DROP INDEX outbox_events_order;
DROP INDEX analytics_questions_by_time;
CREATE INDEX analytics_questions_by_time ON analytics_questions (created_at);
DROP TABLE analytics_traffic_state;
DROP TABLE analytics_article_days;
DROP TABLE analytics_traffic_days;
