DROP TABLE analytics_traffic_state;
DROP TABLE analytics_article_days;
DROP TABLE analytics_traffic_days;
