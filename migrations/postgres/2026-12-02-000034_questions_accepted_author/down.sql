DROP INDEX analytics_questions_by_acceptance;
DROP INDEX analytics_questions_by_time;
ALTER TABLE analytics_questions DROP COLUMN accepted_author_id;
CREATE INDEX analytics_questions_by_time ON analytics_questions (created_at)
    INCLUDE (thread_id, category_id, asker_id, accepted_at, first_community_at, first_staff_at);
