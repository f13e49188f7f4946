-- Idea exchange (issue 17). A board of kind 'ideas' holds ideas: threads
-- with a status, a product area and members' votes.
ALTER TABLE categories ADD COLUMN kind TEXT NOT NULL DEFAULT 'discussion';

-- An ideas board's voting settings: an active-vote budget per member
-- (NULL: none) and whether authors may vote on their own ideas.
CREATE TABLE idea_boards (
    category_id BIGINT PRIMARY KEY REFERENCES categories(id) ON DELETE CASCADE,
    vote_budget INTEGER,
    self_vote BOOLEAN NOT NULL DEFAULT 0,
    -- Weights of customer segments in an idea's score (JSON object,
    -- segment → whole number; a segment not named weighs 1).
    segment_weights TEXT NOT NULL DEFAULT '{}'
);

-- The statuses an ideas board uses, each mapped to a kind (open, active,
-- completed, declined, duplicate), in list order.
CREATE TABLE idea_statuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    colour TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (category_id, slug)
);

-- One row per idea (a thread of an ideas board).
CREATE TABLE ideas (
    thread_id BIGINT PRIMARY KEY REFERENCES threads(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    status_id BIGINT NOT NULL REFERENCES idea_statuses(id),
    product_area TEXT NOT NULL DEFAULT '',
    vote_count INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    status_changed_at BIGINT NOT NULL,
    -- Merged into another idea (its votes moved there); NULL: not merged.
    merged_into BIGINT REFERENCES threads(id)
);
CREATE INDEX ideas_by_board ON ideas (category_id, vote_count);
CREATE INDEX ideas_by_status ON ideas (status_id);

-- One vote per member per idea.
CREATE TABLE idea_votes (
    thread_id BIGINT NOT NULL REFERENCES ideas(thread_id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX idea_votes_by_member ON idea_votes (user_id);
CREATE INDEX idea_votes_by_time ON idea_votes (thread_id, created_at);

-- Every status change of an idea: who, when, from, to (names kept as they
-- were, so a renamed or removed status leaves the history readable), and
-- the public note.
CREATE TABLE idea_status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id BIGINT NOT NULL REFERENCES ideas(thread_id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    from_status_id BIGINT,
    from_name TEXT NOT NULL DEFAULT '',
    to_status_id BIGINT NOT NULL,
    to_name TEXT NOT NULL,
    to_kind TEXT NOT NULL,
    note TEXT NOT NULL,
    -- What the change points to (a KB article, a release note); '' none.
    link TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX idea_status_changes_by_idea ON idea_status_changes (thread_id, id);

-- A member about to submit an idea who voted for a similar one instead
-- (a deflected duplicate).
CREATE TABLE idea_deflections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES ideas(thread_id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX idea_deflections_by_time ON idea_deflections (created_at);

-- Every merge of an idea into another, and its undoing.
CREATE TABLE idea_merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_thread_id BIGINT NOT NULL REFERENCES ideas(thread_id) ON DELETE CASCADE,
    into_thread_id BIGINT NOT NULL REFERENCES ideas(thread_id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    undone_at BIGINT,
    undone_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idea_merges_from ON idea_merges (from_thread_id);
CREATE INDEX idea_merges_into ON idea_merges (into_thread_id);

-- The merged idea's own votes, exactly as they were, so an unmerge gives
-- them back: moved (a new vote on the target) or already there (the
-- member had voted on both and counts once).
CREATE TABLE idea_merge_votes (
    merge_id BIGINT NOT NULL REFERENCES idea_merges(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    moved BOOLEAN NOT NULL,
    PRIMARY KEY (merge_id, user_id)
);
