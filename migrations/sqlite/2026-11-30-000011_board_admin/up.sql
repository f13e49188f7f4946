-- Board administration (issue 13). `is_private` stays, kept equal to
-- `see_min_role <> 'customer'` by the storage code: the search index, the
-- events and the notifications read it as "not for everyone".
ALTER TABLE categories ADD COLUMN see_min_role TEXT NOT NULL DEFAULT 'customer';
ALTER TABLE categories ADD COLUMN start_threads TEXT NOT NULL DEFAULT 'everyone';
-- NULL: follow the CRM rules' task_categories; TRUE/FALSE: set on the board.
ALTER TABLE categories ADD COLUMN creates_crm_tasks BOOLEAN;
ALTER TABLE categories ADD COLUMN premoderation TEXT NOT NULL DEFAULT 'none';
ALTER TABLE categories ADD COLUMN archived_at BIGINT;
UPDATE categories SET see_min_role = 'agent' WHERE is_private;
