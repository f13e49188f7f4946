DROP TABLE sso_sessions;
DROP TABLE sso_pending_links;
DROP TABLE user_identities;
DROP TABLE sso_flows;
