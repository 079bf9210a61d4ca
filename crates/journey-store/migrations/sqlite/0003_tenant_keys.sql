-- Each tenant's signing key, sealed; the installation id that tells one database from another.
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
