-- Email confirmation before posting: when a member proved they read mail
-- at their address (NULL: not yet). Accounts that exist when this runs
-- were trusted before the rule existed: they count as confirmed.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
UPDATE users SET email_confirmed_at = created_at;

-- Single-use confirmation links (only the SHA-256 of the token is kept),
-- for the address they were mailed to, until they expire.
CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX email_confirmations_user ON email_confirmations(user_id);
CREATE INDEX email_confirmations_expires ON email_confirmations(expires_at);
