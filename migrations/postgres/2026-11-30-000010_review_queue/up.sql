-- Moderation state of a post beside deleted_at: 'held' (never shown yet:
-- waiting for review since it was written), 'hidden' (shown, then hidden
-- pending review by flags), 'rejected' (a moderator refused it). A held
-- or hidden post also has deleted_at set, so every reader query that
-- leaves deleted posts out leaves it out too; NULL is an ordinary post.
ALTER TABLE posts ADD COLUMN review_state TEXT
    CHECK (review_state IN ('held','hidden','rejected'));

-- The review queue: one open item per post, gathering its flags and the
-- reasons it was held. Decided items stay as the record.
CREATE TABLE review_items (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open','approved','rejected')),
    -- JSON list of the automatic reasons ([] when only flags brought it).
    hold_reasons TEXT NOT NULL DEFAULT '[]',
    flag_score INTEGER NOT NULL DEFAULT 0,
    -- The post is out of sight because of this item (held or auto-hidden).
    hid_post BOOLEAN NOT NULL DEFAULT FALSE,
    -- The post was held when written: approving it publishes it.
    held_at_creation BOOLEAN NOT NULL DEFAULT FALSE,
    spam_score INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    claimed_by BIGINT REFERENCES users(id),
    claimed_at BIGINT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    decision TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX review_items_one_open ON review_items(post_id) WHERE state = 'open';
CREATE INDEX review_items_state ON review_items(state, created_at, id);
CREATE INDEX review_items_author ON review_items(author_id);

-- Members' reports on posts: at most one per member per post.
CREATE TABLE flags (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id),
    flagger_id BIGINT NOT NULL REFERENCES users(id),
    review_id BIGINT NOT NULL REFERENCES review_items(id),
    reason TEXT NOT NULL
        CHECK (reason IN ('spam','abusive','off_topic','needs_staff','other')),
    note TEXT NOT NULL DEFAULT '',
    weight INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, flagger_id)
);
CREATE INDEX flags_flagger ON flags(flagger_id, created_at);
CREATE INDEX flags_review ON flags(review_id);
CREATE INDEX posts_author_created ON posts(author_id, created_at);
