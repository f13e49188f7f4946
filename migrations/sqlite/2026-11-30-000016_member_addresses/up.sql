-- The client addresses a member signed in or registered from, for staff
-- looking at abuse (several accounts from one address). Removed when the
-- member is erased.
CREATE TABLE member_addresses (
    user_id BIGINT NOT NULL REFERENCES users(id),
    address TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    times INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, address)
);
CREATE INDEX member_addresses_address ON member_addresses(address);
