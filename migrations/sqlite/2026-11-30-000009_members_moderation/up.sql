-- A member's standing: active, silenced (reads, cannot post), suspended
-- (cannot sign in) or banned, until a time (NULL: until lifted) and why.
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active','silenced','suspended','banned'));
ALTER TABLE users ADD COLUMN status_until BIGINT;
ALTER TABLE users ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX users_status ON users(status);

-- Every staff action: who, what, on what, before and after, why, when.
-- Written in the transaction of the action; never updated.
CREATE TABLE staff_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    before_value TEXT NOT NULL DEFAULT '',
    after_value TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_audit_at ON staff_audit(at, id);
CREATE INDEX staff_audit_target ON staff_audit(target_kind, target_id, at);

-- Rate limits shared by every node: one row per key holding its
-- theoretical arrival time (GCRA); a row whose time has passed is as good
-- as none and is pruned.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits(tat);
