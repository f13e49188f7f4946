-- What a CRM timeline entry says, as a message kind's parameters (JSON), so
-- the agent console can say it in the reader's language; `summary` stays
-- the English line for the API and for entries written before this.
ALTER TABLE crm_timeline ADD COLUMN params TEXT NOT NULL DEFAULT '';
