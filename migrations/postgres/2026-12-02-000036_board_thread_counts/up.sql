-- Boards keep their thread count (threads not deleted): the thread, board
-- and home pages used to count every thread of a board on each view, a
-- cost that grew with the board (issue 20).
ALTER TABLE categories ADD COLUMN thread_count BIGINT NOT NULL DEFAULT 0;
UPDATE categories SET thread_count = (
    SELECT COUNT(*) FROM threads
    WHERE threads.category_id = categories.id AND threads.deleted_at IS NULL
);
