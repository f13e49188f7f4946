-- What a notification's text is made of (kind-specific: who, which
-- thread, which badge…), so the bell and the digest show it in the
-- reader's language; `title` stays as the English fallback (and the API's
-- text). Older rows have none and show their title.
ALTER TABLE notifications ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE digest_items ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
