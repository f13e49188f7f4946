DROP TABLE idea_deflections;
DROP TABLE idea_status_changes;
DROP TABLE idea_votes;
DROP TABLE ideas;
DROP TABLE idea_statuses;
DROP TABLE idea_boards;
ALTER TABLE categories DROP COLUMN kind;
