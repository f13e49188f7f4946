DROP TABLE rate_limits;
DROP TABLE staff_audit;
DROP INDEX users_status;
ALTER TABLE users DROP COLUMN status_reason;
ALTER TABLE users DROP COLUMN status_until;
-- status carries a CHECK, which SQLite cannot drop with its column; it stays.
