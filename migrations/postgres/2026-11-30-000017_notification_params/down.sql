ALTER TABLE digest_items DROP COLUMN params;
ALTER TABLE notifications DROP COLUMN params;
