//! The SQLite schema, as numbered migration scripts applied in order when a database opens
//! (`user_version` counts the applied ones). Never edit a released script; add the next.
//!
//! Accounts (from script 4): `accounts` holds the subject, tenant and attributes;
//! `account_identifiers` what a person is known by (kind `email` now), unique per tenant, kind
//! and value; `account_credentials` what proves it is them (kind `password`, its PHC hash),
//! at most one password per account and none at all possible.

/// Schema versions, applied in order; never edit a released one, add the next.
pub(crate) const MIGRATIONS: &[&str] = &[
    r#"
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
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX flows_expires_at ON flows (expires_at);
CREATE TABLE accounts (
    subject TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    email TEXT NOT NULL,
    attributes TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    UNIQUE (tenant, email)
);
CREATE TABLE login_throttle (
    tenant TEXT NOT NULL,
    identifier TEXT NOT NULL,
    failures INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    PRIMARY KEY (tenant, identifier)
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    flow_id TEXT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX outbox_undelivered ON outbox (delivered_at, id);
CREATE INDEX outbox_recipient ON outbox (recipient, id);
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    acr TEXT NOT NULL,
    amr TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    flow_id TEXT NOT NULL
);
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    secret BLOB NOT NULL
);
"#,
    r#"
CREATE TABLE quota_events (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX quota_events_key ON quota_events (tenant, key, at);
CREATE INDEX quota_events_at ON quota_events (at);
ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
ALTER TABLE outbox ADD COLUMN dropped_at INTEGER;
ALTER TABLE flows ADD COLUMN nonce TEXT;
ALTER TABLE flows ADD COLUMN id_token TEXT;
ALTER TABLE flows ADD COLUMN completed_at INTEGER;
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX trusted_devices_expires_at ON trusted_devices (expires_at);
ALTER TABLE flows ADD COLUMN leased_revision INTEGER;
ALTER TABLE flows ADD COLUMN leased_until INTEGER;
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT,
    identifier TEXT,
    client TEXT,
    flow_id TEXT
);
CREATE INDEX security_events_subject ON security_events (tenant, subject, at);
CREATE INDEX security_events_identifier ON security_events (tenant, identifier, at);
CREATE INDEX security_events_at ON security_events (at);
CREATE TRIGGER security_events_append_only_update BEFORE UPDATE ON security_events
BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
CREATE TRIGGER security_events_append_only_delete BEFORE DELETE ON security_events
BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
"#,
    r#"
CREATE TABLE tenant_keys (
    tenant TEXT NOT NULL,
    kid TEXT NOT NULL,
    sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, kid)
);
DROP TABLE signing_keys;
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('installation', lower(hex(randomblob(16))));
"#,
    // Accounts get their identifiers and credentials as records of their own: an account
    // without a password becomes possible, and phones, external identities, authenticator apps
    // and passkeys come as more kinds. Every existing account keeps its email (verified: only a
    // verified address ever made an account; when is not known) and its password.
    r#"
ALTER TABLE accounts RENAME TO accounts_before_identifiers;
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
    verified INTEGER NOT NULL,
    verified_at INTEGER,
    PRIMARY KEY (tenant, kind, value),
    FOREIGN KEY (tenant, subject) REFERENCES accounts (tenant, subject) ON DELETE CASCADE
);
CREATE INDEX account_identifiers_subject ON account_identifiers (tenant, subject);
CREATE TABLE account_credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL REFERENCES accounts (subject) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER,
    updated_at INTEGER
);
CREATE INDEX account_credentials_subject ON account_credentials (subject, kind);
CREATE UNIQUE INDEX account_credentials_one_password ON account_credentials (subject)
    WHERE kind = 'password';
INSERT INTO accounts (subject, tenant, attributes)
    SELECT subject, tenant, attributes FROM accounts_before_identifiers;
INSERT INTO account_identifiers (tenant, subject, kind, value, verified, verified_at)
    SELECT tenant, subject, 'email', email, 1, NULL FROM accounts_before_identifiers;
INSERT INTO account_credentials (subject, kind, secret, created_at, updated_at)
    SELECT subject, 'password', password_hash, NULL, NULL FROM accounts_before_identifiers;
DROP TABLE accounts_before_identifiers;
"#,
    // A quota keeps one row per key holding the times of its events, so that a claim is one
    // upsert whose condition reads the locked row itself: correct with several processes on one
    // database, and the same statement shape PostgreSQL needs under READ COMMITTED.
    r#"
CREATE TABLE quota_counters (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    events TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
);
INSERT INTO quota_counters (tenant, key, events)
    SELECT tenant, key, json_group_array(at ORDER BY at) FROM quota_events GROUP BY tenant, key;
DROP TABLE quota_events;
"#,
];
