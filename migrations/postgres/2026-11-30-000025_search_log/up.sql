-- What people search for, for the analytics' search gaps: the query as
-- typed (trimmed, lower-cased), the interface language, and how many
-- results it found. No member and no address: searches are not personal
-- data here. Written in batches from each node's buffer; pruned after
-- [analytics] search_log_days.
CREATE TABLE search_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    lang TEXT NOT NULL,
    query TEXT NOT NULL,
    results BIGINT NOT NULL
);
CREATE INDEX search_log_by_time ON search_log (at);
