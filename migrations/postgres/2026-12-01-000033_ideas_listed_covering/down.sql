DROP INDEX ideas_listed;
CREATE INDEX ideas_listed ON ideas (category_id, status_id) WHERE merged_into IS NULL;
