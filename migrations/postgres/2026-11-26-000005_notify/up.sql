-- Subscriptions, per-kind mail preferences, the mail outbox, digests and
-- login throttling (PostgreSQL).

CREATE TABLE subscriptions (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('thread','category')),
    target_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX subscriptions_target ON subscriptions(target_kind, target_id);

-- Missing rows mean the kind's default (instant).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('instant','digest','off')),
    PRIMARY KEY (user_id, kind)
);

-- One row per mail, written in the transaction of its cause and rendered
-- when sent; `dedupe_key` makes a replayed cause a no-op.
CREATE TABLE mail_outbox (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    group_key TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','sent','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);

-- Notifications waiting for a member's daily digest.
CREATE TABLE digest_items (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    group_key TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    mailed_at BIGINT
);
CREATE INDEX digest_items_pending ON digest_items(mailed_at, user_id, created_at);

-- Failed sign-ins per account and per address, for throttling.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT
);

-- Password-reset links are auth tokens of their own kind.
ALTER TABLE auth_tokens DROP CONSTRAINT IF EXISTS auth_tokens_kind_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_kind_check CHECK (kind IN ('session','api','password_reset'));
