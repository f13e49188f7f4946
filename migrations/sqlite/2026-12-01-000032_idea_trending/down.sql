ALTER TABLE idea_merges DROP COLUMN status_before;
DROP INDEX idea_votes_by_day;
DROP INDEX ideas_status_changed;
DROP INDEX ideas_newest;
DROP INDEX ideas_top;
CREATE INDEX ideas_by_board ON ideas (category_id, vote_count);
DROP INDEX ideas_trending;
DROP TABLE idea_trending;
ALTER TABLE ideas DROP COLUMN trending_votes;
