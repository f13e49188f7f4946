ALTER TABLE ask_sessions DROP COLUMN holdout;
ALTER TABLE ask_sessions DROP COLUMN category_id;
DROP TABLE search_clicks;
DROP INDEX search_log_by_search;
ALTER TABLE search_log DROP COLUMN search_id;
DROP TABLE analytics_salts;
DROP TABLE page_views;
