DROP TABLE ask_sessions;
