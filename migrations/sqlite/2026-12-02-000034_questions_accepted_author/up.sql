-- The question rollup keeps who wrote the accepted answer, so the people
-- figures (top contributors, superuser share) read the window's
-- acceptances from the rollup instead of joining threads to posts.
ALTER TABLE analytics_questions ADD COLUMN accepted_author_id BIGINT;
-- Filled exactly as the consumer would: a visible accepted answer.
UPDATE analytics_questions SET accepted_author_id = (
    SELECT p.author_id FROM threads t JOIN posts p ON p.id = t.accepted_post_id
    WHERE t.id = analytics_questions.thread_id
      AND p.deleted_at IS NULL AND p.review_state IS NULL
) WHERE accepted_at IS NOT NULL;
CREATE INDEX analytics_questions_by_acceptance ON analytics_questions
    (accepted_at, category_id, accepted_author_id) WHERE accepted_at IS NOT NULL;
-- The window's question rows, read from the index alone (now with the
-- accepted answer's author).
DROP INDEX analytics_questions_by_time;
CREATE INDEX analytics_questions_by_time ON analytics_questions
    (created_at, thread_id, category_id, asker_id, accepted_at, first_community_at, first_staff_at,
     accepted_author_id);
