-- Accounts get their identifiers and credentials as records of their own: an account
-- without a password becomes possible, and phones, external identities, authenticator apps
-- and passkeys come as more kinds. Every existing account keeps its email (verified: only a
-- verified address ever made an account; when is not known) and its password.
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
