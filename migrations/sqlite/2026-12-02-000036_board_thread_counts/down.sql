ALTER TABLE categories DROP COLUMN thread_count;
