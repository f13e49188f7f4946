DROP TABLE outbox_retention;
DROP INDEX posts_thread_time;
DROP INDEX posts_thread_kudos;
DROP TABLE outbox_dead_letters;
