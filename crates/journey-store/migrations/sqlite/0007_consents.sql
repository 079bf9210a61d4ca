-- Consents: every decision a person makes on a purpose (an attribute consent: marketing by
-- email, by SMS, sharing with the group's other brands) or a document (terms, privacy notice),
-- as history. Append-only: a decision is never changed or removed, a new one is added.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    version TEXT NOT NULL,
    locale TEXT NOT NULL,
    decision TEXT NOT NULL,
    brand TEXT NOT NULL,
    channel TEXT NOT NULL,
    flow_id TEXT,
    at INTEGER NOT NULL,
    CHECK ((kind = 'purpose' AND decision IN ('granted', 'withdrawn'))
        OR (kind = 'document' AND decision IN ('accepted', 'refused'))),
    FOREIGN KEY (tenant, subject) REFERENCES accounts (tenant, subject)
);
CREATE INDEX consents_subject ON consents (tenant, subject, id);
CREATE TRIGGER consents_append_only_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
CREATE TRIGGER consents_append_only_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
