DROP INDEX threads_accepted;
DROP INDEX threads_activity;
