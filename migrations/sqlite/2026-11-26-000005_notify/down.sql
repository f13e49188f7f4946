DROP TABLE login_failures;
DROP TABLE digest_items;
DROP TABLE mail_outbox;
DROP TABLE notification_prefs;
DROP TABLE subscriptions;
