-- The first schema: journeys, flows, accounts with their email and password, the login
-- throttle, the outbox, sessions and signing keys.
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
