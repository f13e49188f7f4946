-- Core community schema (PostgreSQL). Times are unix milliseconds (BIGINT) so the
-- same diesel schema serves SQLite and PostgreSQL without timestamp quirks.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('customer','agent','moderator','admin')),
    language TEXT NOT NULL DEFAULT 'en',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('session','api')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_private BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE threads (
    id BIGSERIAL PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open','answered','solved','locked')),
    accepted_post_id BIGINT,
    reply_count INTEGER NOT NULL DEFAULT 0,
    view_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX threads_category_activity ON threads(category_id, last_activity_at DESC);
CREATE INDEX threads_author ON threads(author_id);

CREATE TABLE thread_tags (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (thread_id, tag)
);
CREATE INDEX thread_tags_tag ON thread_tags(tag);

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    is_question BOOLEAN NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    kudos INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    deleted_by BIGINT REFERENCES users(id)
);
CREATE INDEX posts_thread ON posts(thread_id, id);
CREATE INDEX posts_author ON posts(author_id);

CREATE TABLE post_revisions (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    editor_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT,
    body_md TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions(post_id, id);

CREATE TABLE votes (
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

-- Transactional outbox. Sequence ids can commit out of order under concurrency,
-- so consumers order by (tx_id, id) and only read below the oldest open xid.
CREATE TABLE outbox_events (
    id BIGSERIAL PRIMARY KEY,
    tx_id BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    kind TEXT NOT NULL,
    aggregate_id BIGINT NOT NULL,
    actor_id BIGINT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX outbox_events_order ON outbox_events(tx_id, id);

CREATE TABLE outbox_cursors (
    consumer TEXT PRIMARY KEY NOT NULL,
    last_tx_id BIGINT NOT NULL DEFAULT -1,
    last_event_id BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);

INSERT INTO categories (slug, name, description, is_private, position, created_at) VALUES
  ('general', 'General discussion', 'Talk with other members of the community.', FALSE, 1, 0),
  ('support', 'Questions & support', 'Ask a question and get help from the community and our team.', FALSE, 0, 0),
  ('staff', 'Staff room', 'Private board for agents and moderators.', TRUE, 9, 0);
