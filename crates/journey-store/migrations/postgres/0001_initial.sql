-- The PostgreSQL schema as SQLite's five scripts left it, in one: the same tables, columns,
-- keys and unique constraints, with PostgreSQL's types (BIGINT seconds since the Unix epoch,
-- BYTEA sealed keys, BOOLEAN flags, identity columns) and a quota's events as a BIGINT[].
CREATE TABLE journeys (
    version TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    journey TEXT NOT NULL,
    journey_version TEXT NOT NULL,
    brand TEXT NOT NULL,
    locale TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    nonce TEXT,
    id_token TEXT,
    completed_at BIGINT,
    leased_revision BIGINT,
    leased_until BIGINT
);
CREATE INDEX flows_expires_at ON flows (expires_at);
CREATE INDEX flows_completed_at ON flows (completed_at) WHERE id_token IS NOT NULL;

CREATE TABLE accounts (
    subject TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    attributes TEXT NOT NULL,
    UNIQUE (tenant, subject)
);
CREATE TABLE account_identifiers (
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    verified_at BIGINT,
    PRIMARY KEY (tenant, kind, value),
    FOREIGN KEY (tenant, subject) REFERENCES accounts (tenant, subject) ON DELETE CASCADE
);
CREATE INDEX account_identifiers_subject ON account_identifiers (tenant, subject);
CREATE TABLE account_credentials (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject TEXT NOT NULL REFERENCES accounts (subject) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT
);
CREATE INDEX account_credentials_subject ON account_credentials (subject, kind);
CREATE UNIQUE INDEX account_credentials_one_password ON account_credentials (subject)
    WHERE kind = 'password';

CREATE TABLE login_throttle (
    tenant TEXT NOT NULL,
    identifier TEXT NOT NULL,
    failures INTEGER NOT NULL,
    blocked_until BIGINT NOT NULL,
    PRIMARY KEY (tenant, identifier)
);
CREATE INDEX login_throttle_blocked_until ON login_throttle (blocked_until);

CREATE TABLE quota_counters (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    events BIGINT[] NOT NULL,
    PRIMARY KEY (tenant, key)
);

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant TEXT NOT NULL,
    flow_id TEXT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    expires_at BIGINT,
    dropped_at BIGINT
);
CREATE INDEX outbox_undelivered ON outbox (id) WHERE delivered_at IS NULL AND dropped_at IS NULL;
CREATE INDEX outbox_recipient ON outbox (recipient, id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    acr TEXT NOT NULL,
    amr TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    flow_id TEXT NOT NULL
);
CREATE INDEX sessions_subject ON sessions (tenant, subject);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_expires_at ON trusted_devices (expires_at);

CREATE TABLE security_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant TEXT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT,
    identifier TEXT,
    client TEXT,
    flow_id TEXT
);
CREATE INDEX security_events_subject ON security_events (tenant, subject, at);
CREATE INDEX security_events_identifier ON security_events (tenant, identifier, at);
CREATE INDEX security_events_at ON security_events (at);
CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'security events are append-only';
END
$$;
CREATE TRIGGER security_events_append_only_rows BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
CREATE TRIGGER security_events_append_only_truncate BEFORE TRUNCATE ON security_events
    FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only();

CREATE TABLE tenant_keys (
    tenant TEXT NOT NULL,
    kid TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant, kid)
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('installation', replace(gen_random_uuid()::text, '-', ''));
