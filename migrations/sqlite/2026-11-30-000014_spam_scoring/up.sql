-- The spam classifier's memory, shared by every node: how many posts
-- moderators judged spam or not contained each token (counted once per
-- post), and which posts taught it what (so a post is never counted twice
-- and a changed verdict moves its counts).
CREATE TABLE spam_tokens (
    token TEXT PRIMARY KEY NOT NULL,
    spam INTEGER NOT NULL DEFAULT 0,
    ham INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE spam_training (
    post_id BIGINT PRIMARY KEY NOT NULL REFERENCES posts(id),
    label TEXT NOT NULL CHECK (label IN ('spam','ham')),
    at BIGINT NOT NULL
);
CREATE INDEX spam_training_label ON spam_training(label);

-- Link hosts the community has published, and hosts seen in spam.
CREATE TABLE link_hosts (
    host TEXT PRIMARY KEY NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    spam INTEGER NOT NULL DEFAULT 0
);

-- A fingerprint of each member's post (case, digits and spacing ignored),
-- to see the same text coming from several accounts.
CREATE TABLE post_fingerprints (
    post_id BIGINT PRIMARY KEY NOT NULL REFERENCES posts(id),
    author_id BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX post_fingerprints_recent ON post_fingerprints(fingerprint, created_at);
