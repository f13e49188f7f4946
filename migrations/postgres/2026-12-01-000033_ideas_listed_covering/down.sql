DROP INDEX ideas_trending;
CREATE INDEX ideas_trending ON ideas (category_id, trending_votes, thread_id);
DROP INDEX ideas_top;
CREATE INDEX ideas_top ON ideas (category_id, vote_count, thread_id);
DROP INDEX ideas_newest;
CREATE INDEX ideas_newest ON ideas (category_id, created_at, thread_id);
DROP INDEX ideas_status_changed;
CREATE INDEX ideas_status_changed ON ideas (category_id, status_changed_at, thread_id);
