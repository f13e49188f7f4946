-- OpenID Connect single sign-on (PostgreSQL).

-- A sign-in started at a provider and not yet come back: single use (the
-- callback deletes it) and valid for 10 minutes. `browser_key` ties it to
-- the browser that started it.
CREATE TABLE sso_flows (
    state TEXT PRIMARY KEY NOT NULL,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    browser_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sso_flows_created_at ON sso_flows(created_at);

-- A provider's account (its `sub`) signs in as one Hearth user.
CREATE TABLE user_identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user_id ON user_identities(user_id);

-- An offer to link a provider account to the local account with the same
-- verified email, waiting for the person to confirm. Single use, 10 minutes.
CREATE TABLE sso_pending_links (
    token TEXT PRIMARY KEY NOT NULL,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    next TEXT NOT NULL,
    id_token TEXT NOT NULL,
    browser_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sso_pending_links_created_at ON sso_pending_links(created_at);

-- The ID token behind a browser session signed in through a provider, for
-- RP-initiated logout. Goes with the session.
CREATE TABLE sso_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL REFERENCES auth_tokens(token_hash) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    id_token TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
