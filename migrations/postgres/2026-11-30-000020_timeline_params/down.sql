ALTER TABLE crm_timeline DROP COLUMN params;
