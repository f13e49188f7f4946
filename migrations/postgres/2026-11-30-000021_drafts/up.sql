-- What a member is writing and has not posted yet, kept on the server so it
-- survives a reload, a closed browser and a change of device. One per
-- member and place (`ask`, `thread:<id>`).
CREATE TABLE drafts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    draft_key TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, draft_key)
);
