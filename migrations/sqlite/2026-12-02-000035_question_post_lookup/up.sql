-- A thread's question post without walking its replies: the analytics
-- consumer (and every thread-with-its-question join) read all of a busy
-- thread's posts through (thread_id, id) to find the one question.
CREATE INDEX posts_thread_question ON posts (thread_id, is_question);
