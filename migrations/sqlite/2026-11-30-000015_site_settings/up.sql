-- Settings an administrator changed on the site settings page, over the
-- configuration file's values: one row per overridden key, its value as
-- JSON. A key without a row takes the file's (or environment's) value.
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT NULL
);

-- One row: bumped by every change (a clear deletes a row, so the rows
-- alone cannot say that something changed), so every node notices a
-- change with one cheap read.
CREATE TABLE site_settings_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO site_settings_version (id, version) VALUES (1, 0);
