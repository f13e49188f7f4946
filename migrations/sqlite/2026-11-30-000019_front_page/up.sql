-- The home page's lists across all boards: the latest activity, and the
-- latest accepted answers, read newest first without sorting every thread.
CREATE INDEX threads_activity ON threads(last_activity_at);
CREATE INDEX threads_accepted ON threads(accepted_at);
