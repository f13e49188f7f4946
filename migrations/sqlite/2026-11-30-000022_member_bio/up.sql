-- A few words members write about themselves, shown on their profile.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
