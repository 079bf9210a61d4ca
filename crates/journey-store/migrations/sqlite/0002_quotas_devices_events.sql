-- Quota events, messages that expire, the page's nonce and the ID token of a flow, trusted
-- devices, flow leases and the append-only security events.
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
