DROP TABLE rate_limits;
DROP TABLE staff_audit;
DROP INDEX users_status;
ALTER TABLE users DROP COLUMN status_reason;
ALTER TABLE users DROP COLUMN status_until;
ALTER TABLE users DROP COLUMN status;
