DROP TABLE outbox_cursors; DROP TABLE outbox_events; DROP TABLE votes; DROP TABLE post_revisions;
DROP TABLE posts; DROP TABLE thread_tags; DROP TABLE threads; DROP TABLE categories;
DROP TABLE auth_tokens; DROP TABLE users;
