-- Every per-board index of ideas leads with (category_id, merged_into): a
-- board's listed ideas (merged_into IS NULL) are then a range of each, so
-- - a board's ideas are counted by status from `ideas_listed` alone (the
--   partial index it replaces was not covering: SQLite read every row,
--   100k per list page, to check the condition);
-- - each sort's index matches the list's two equalities and gives its
--   order, so the planner prefers it with or without statistics.
-- (The PostgreSQL tree uses partial indexes instead: see there.)
DROP INDEX ideas_listed;
CREATE INDEX ideas_listed ON ideas (category_id, merged_into, status_id);
DROP INDEX ideas_trending;
CREATE INDEX ideas_trending ON ideas (category_id, merged_into, trending_votes, thread_id);
DROP INDEX ideas_top;
CREATE INDEX ideas_top ON ideas (category_id, merged_into, vote_count, thread_id);
DROP INDEX ideas_newest;
CREATE INDEX ideas_newest ON ideas (category_id, merged_into, created_at, thread_id);
DROP INDEX ideas_status_changed;
CREATE INDEX ideas_status_changed ON ideas (category_id, merged_into, status_changed_at, thread_id);
