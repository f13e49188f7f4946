DROP TABLE post_fingerprints;
DROP TABLE link_hosts;
DROP TABLE spam_training;
DROP TABLE spam_tokens;
