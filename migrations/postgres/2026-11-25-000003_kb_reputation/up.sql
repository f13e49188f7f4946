-- Knowledge base and reputation (PostgreSQL).
ALTER TABLE threads ADD COLUMN accepted_at BIGINT;
ALTER TABLE threads ADD COLUMN duplicate_of BIGINT REFERENCES threads(id);
UPDATE threads SET accepted_at = last_activity_at WHERE accepted_post_id IS NOT NULL;

CREATE TABLE kb_articles (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    tags TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL CHECK (status IN ('draft','review','published','archived')),
    version INTEGER NOT NULL DEFAULT 1,
    helpful INTEGER NOT NULL DEFAULT 0,
    not_helpful INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX kb_articles_status ON kb_articles(status, updated_at);

-- Provenance: the thread and accepted answer an article came from.
CREATE TABLE kb_article_sources (
    article_id BIGINT PRIMARY KEY NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    -- One article per thread, so promotion (manual or by rule) is idempotent.
    thread_id BIGINT NOT NULL UNIQUE REFERENCES threads(id),
    post_id BIGINT NOT NULL REFERENCES posts(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    -- The source as it was when last reviewed, to diff against when it changes.
    question_md TEXT NOT NULL,
    answer_md TEXT NOT NULL,
    changed BOOLEAN NOT NULL DEFAULT FALSE,
    auto_promoted BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE kb_revisions (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    editor_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (article_id, version)
);

CREATE TABLE kb_feedback (
    article_id BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    helpful BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

-- Every point ever given, keyed by what earned it; totals are sums of this.
CREATE TABLE reputation_awards (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    source_key TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL,
    category_id BIGINT,
    thread_id BIGINT,
    post_id BIGINT,
    voter_id BIGINT,
    awarded_at BIGINT NOT NULL
);
-- Covers the per-member sums, so they never touch the table.
CREATE INDEX reputation_awards_user ON reputation_awards(user_id, kind, amount);
CREATE INDEX reputation_awards_time ON reputation_awards(awarded_at);
CREATE INDEX reputation_awards_thread ON reputation_awards(thread_id);
CREATE INDEX reputation_awards_pair ON reputation_awards(voter_id, user_id);

CREATE TABLE user_reputation (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id),
    points BIGINT NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    kudos INTEGER NOT NULL DEFAULT 0,
    kb_articles INTEGER NOT NULL DEFAULT 0,
    posts INTEGER NOT NULL DEFAULT 0,
    answer_categories INTEGER NOT NULL DEFAULT 0,
    best_streak INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX user_reputation_points ON user_reputation(points DESC);

CREATE TABLE user_active_days (
    user_id BIGINT NOT NULL REFERENCES users(id),
    day BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE TABLE user_badges (
    user_id BIGINT NOT NULL REFERENCES users(id),
    badge TEXT NOT NULL,
    level INTEGER NOT NULL,
    awarded_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, badge, level)
);
CREATE INDEX user_badges_badge ON user_badges(badge, awarded_at);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    -- What the notification is about, so replays never notify twice.
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
