DROP INDEX posts_thread_question;
