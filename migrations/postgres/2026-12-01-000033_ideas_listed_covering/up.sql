-- A board's listed ideas (merged_into IS NULL) from partial indexes:
-- PostgreSQL does not take `merged_into IS NULL` as an equality for
-- ordering, so an index leading with (category_id, merged_into) cannot
-- give a sort's order (it sorted the whole board); a partial index can.
-- Counts read `ideas_listed` alone (an index-only scan once vacuumed).
-- The SQLite tree differs on purpose: there the partial index was not
-- covering, and the two-column prefix is what gives the order.
DROP INDEX ideas_trending;
CREATE INDEX ideas_trending ON ideas (category_id, trending_votes, thread_id) WHERE merged_into IS NULL;
DROP INDEX ideas_top;
CREATE INDEX ideas_top ON ideas (category_id, vote_count, thread_id) WHERE merged_into IS NULL;
DROP INDEX ideas_newest;
CREATE INDEX ideas_newest ON ideas (category_id, created_at, thread_id) WHERE merged_into IS NULL;
DROP INDEX ideas_status_changed;
CREATE INDEX ideas_status_changed ON ideas (category_id, status_changed_at, thread_id) WHERE merged_into IS NULL;
