ALTER TABLE categories DROP COLUMN archived_at;
ALTER TABLE categories DROP COLUMN premoderation;
ALTER TABLE categories DROP COLUMN creates_crm_tasks;
ALTER TABLE categories DROP COLUMN start_threads;
ALTER TABLE categories DROP COLUMN see_min_role;
