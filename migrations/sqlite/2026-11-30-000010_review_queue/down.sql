DROP INDEX posts_author_created;
DROP TABLE flags;
DROP TABLE review_items;
ALTER TABLE posts DROP COLUMN review_state;
