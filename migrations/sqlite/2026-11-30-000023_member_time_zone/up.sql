-- The member's time zone: an IANA name (Europe/Kyiv), checked against the
-- time-zone database compiled into the binary; NULL: not chosen (UTC).
ALTER TABLE users ADD COLUMN time_zone TEXT;
