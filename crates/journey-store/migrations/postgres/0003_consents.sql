-- Consents: every decision a person makes on a purpose (an attribute consent: marketing by
-- email, by SMS, sharing with the group's other brands) or a document (terms, privacy notice),
-- as history. Append-only: a decision is never changed or removed, a new one is added.
CREATE TABLE consents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    at BIGINT NOT NULL,
    CHECK ((kind = 'purpose' AND decision IN ('granted', 'withdrawn'))
        OR (kind = 'document' AND decision IN ('accepted', 'refused'))),
    FOREIGN KEY (tenant, subject) REFERENCES accounts (tenant, subject)
);
CREATE INDEX consents_subject ON consents (tenant, subject, id);
CREATE FUNCTION consents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consents are append-only';
END
$$;
CREATE TRIGGER consents_append_only_rows BEFORE UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION consents_append_only();
CREATE TRIGGER consents_append_only_truncate BEFORE TRUNCATE ON consents
    FOR EACH STATEMENT EXECUTE FUNCTION consents_append_only();
