-- Files members attach to posts, and their avatars. The bytes live in the
-- file store (the data directory or an S3-compatible bucket) under
-- storage_key; this row says who uploaded what, so daily limits hold on
-- every node, and the same bytes uploaded again by the same member are
-- not stored twice.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_key TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX uploads_by_member ON uploads (user_id, created_at);
CREATE INDEX uploads_by_bytes ON uploads (user_id, sha256);
-- Members' uploaded avatars (an upload's storage_key); members without a
-- row show their initials. Apart from users, which is at diesel's column
-- limit.
CREATE TABLE member_avatars (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
