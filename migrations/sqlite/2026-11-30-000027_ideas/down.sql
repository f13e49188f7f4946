DROP TABLE idea_merge_votes;
DROP TABLE idea_merges;
DROP TABLE idea_deflections;
DROP TABLE idea_status_changes;
DROP TABLE idea_votes;
DROP TABLE ideas;
DROP TABLE idea_statuses;
DROP TABLE idea_boards;
ALTER TABLE categories DROP COLUMN kind;
