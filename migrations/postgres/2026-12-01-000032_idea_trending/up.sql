-- Trending ideas without a scan (issue 17): each idea keeps how many of its
-- votes were cast on or after the trending window's start, kept in one row
-- that every node rolls forward a whole day at a time (the votes that left
-- the window are subtracted then), so the trending list is an indexed
-- ORDER BY … LIMIT at any number of ideas.
ALTER TABLE ideas ADD COLUMN trending_votes INTEGER NOT NULL DEFAULT 0;
CREATE TABLE idea_trending (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- Votes cast at or after this instant (unix ms, a UTC midnight) count;
    -- 0 until the first roll: every vote counts.
    window_from BIGINT NOT NULL
);
INSERT INTO idea_trending (id, window_from) VALUES (1, 0);
UPDATE ideas SET trending_votes = vote_count;
CREATE INDEX ideas_trending ON ideas (category_id, trending_votes, thread_id);
DROP INDEX ideas_by_board;
CREATE INDEX ideas_top ON ideas (category_id, vote_count, thread_id);
CREATE INDEX ideas_newest ON ideas (category_id, created_at, thread_id);
CREATE INDEX ideas_status_changed ON ideas (category_id, status_changed_at, thread_id);
-- The roll reads the votes of the day that left the window.
CREATE INDEX idea_votes_by_day ON idea_votes (created_at);

-- A merged idea takes its board's duplicate status (if it has one); the
-- status it had is kept so an unmerge puts it back.
ALTER TABLE idea_merges ADD COLUMN status_before BIGINT;

-- Listing counts ideas without walking their threads: the deleted ones
-- (few) are found by this index and subtracted.
CREATE INDEX threads_deleted ON threads (deleted_at) WHERE deleted_at IS NOT NULL;
-- What a count of a board's listed ideas reads.
CREATE INDEX ideas_listed ON ideas (category_id, status_id) WHERE merged_into IS NULL;
