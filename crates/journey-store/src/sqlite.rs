//! The SQLite store: one database file, one connection, WAL mode.
//!
//! SQLite allows one writer at a time anyway, so a single connection behind a mutex is both the
//! simplest and the fastest arrangement; every call runs on tokio's blocking pool so the async
//! runtime never waits on the disk. Migrations are numbered SQL scripts applied in order at open.

use crate::{
    Claim, Credentials, FlowRecord, FlowUpdate, NewMessage, NewSession, OutboxMessage, Saved,
    Store, StoreError, Write,
};
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Schema versions, applied in order; never edit a released one, add the next.
const MIGRATIONS: &[&str] = &[r#"
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
"#];

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL with synchronous=NORMAL survives a killed process; only power loss may drop the
        // last transactions.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut connection)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on the blocking pool.
    async fn with<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let mut guard = connection
                .lock()
                .map_err(|_| StoreError::Task("connection lock poisoned".into()))?;
            work(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, script) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = connection.transaction()?;
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database schema migrated");
    }
    Ok(())
}

fn apply(tx: &Transaction<'_>, writes: &[Write]) -> Result<(), StoreError> {
    for write in writes {
        match write {
            Write::CreateAccount {
                tenant,
                subject,
                email,
                attributes,
                password_hash,
            } => {
                let result = tx.execute(
                    "INSERT INTO accounts (subject, tenant, email, attributes, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![subject, tenant, email, attributes, password_hash],
                );
                match result {
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        return Err(StoreError::Duplicate("account".into()));
                    }
                    other => other?,
                };
            }
            Write::Enqueue(message) => enqueue(tx, message)?,
            Write::CreateSession(NewSession {
                id_hash,
                tenant,
                subject,
                acr,
                amr,
                auth_time,
                expires_at,
                flow_id,
            }) => {
                tx.execute(
                    "INSERT INTO sessions (id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id],
                )?;
            }
        }
    }
    Ok(())
}

fn enqueue(tx: &Transaction<'_>, message: &NewMessage) -> Result<(), StoreError> {
    let NewMessage {
        tenant,
        flow_id,
        channel,
        recipient,
        subject,
        body,
        created_at,
        hourly_cap,
    } = message;
    if let Some(cap) = hourly_cap {
        let recent: u32 = tx.query_row(
            "SELECT COUNT(*) FROM outbox WHERE tenant = ?1 AND recipient = ?2 AND created_at > ?3",
            params![tenant, recipient, created_at - 3600],
            |row| row.get(0),
        )?;
        if recent >= *cap {
            // Dropped on purpose: the person sees the same step either way.
            tracing::warn!(%tenant, %channel, "hourly message cap reached for a recipient; message dropped");
            return Ok(());
        }
    }
    tx.execute(
        "INSERT INTO outbox (tenant, flow_id, channel, recipient, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![tenant, flow_id, channel, recipient, subject, body, created_at],
    )?;
    Ok(())
}

fn message(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: row.get(0)?,
        tenant: row.get(1)?,
        channel: row.get(2)?,
        recipient: row.get(3)?,
        subject: row.get(4)?,
        body: row.get(5)?,
        created_at: row.get(6)?,
        delivered_at: row.get(7)?,
    })
}

const MESSAGE_COLUMNS: &str =
    "id, tenant, channel, recipient, subject, body, created_at, delivered_at";

#[async_trait]
impl Store for SqliteStore {
    async fn remember_journey(
        &self,
        version: &str,
        tenant: &str,
        name: &str,
        source: &str,
    ) -> Result<(), StoreError> {
        let (version, tenant, name, source) = (
            version.to_owned(),
            tenant.to_owned(),
            name.to_owned(),
            source.to_owned(),
        );
        self.with(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO journeys (version, tenant, name, source) VALUES (?1, ?2, ?3, ?4)",
                params![version, tenant, name, source],
            )?;
            Ok(())
        })
        .await
    }

    async fn journey_source(&self, version: &str) -> Result<Option<String>, StoreError> {
        let version = version.to_owned();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT source FROM journeys WHERE version = ?1",
                [version],
                |row| row.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn create_flow(&self, flow: FlowRecord, writes: Vec<Write>) -> Result<(), StoreError> {
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO flows (id, tenant, journey, journey_version, brand, locale, state, outcome, revision, created_at, updated_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                params![
                    flow.id, flow.tenant, flow.journey, flow.journey_version, flow.brand, flow.locale, flow.state,
                    flow.outcome, flow.revision, flow.created_at, flow.expires_at
                ],
            )?;
            apply(&tx, &writes)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT id, tenant, journey, journey_version, brand, locale, state, outcome, revision, created_at, expires_at
                 FROM flows WHERE id = ?1",
                [id],
                |row| {
                    Ok(FlowRecord {
                        id: row.get(0)?,
                        tenant: row.get(1)?,
                        journey: row.get(2)?,
                        journey_version: row.get(3)?,
                        brand: row.get(4)?,
                        locale: row.get(5)?,
                        state: row.get(6)?,
                        outcome: row.get(7)?,
                        revision: row.get(8)?,
                        created_at: row.get(9)?,
                        expires_at: row.get(10)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn save_flow(&self, update: FlowUpdate, writes: Vec<Write>) -> Result<Saved, StoreError> {
        self.with(move |c| {
            let tx = c.transaction()?;
            let changed = tx.execute(
                "UPDATE flows SET state = ?1, outcome = ?2, revision = revision + 1, updated_at = ?3
                 WHERE id = ?4 AND revision = ?5",
                params![update.state, update.outcome, update.now, update.id, update.revision],
            )?;
            if changed == 0 {
                return Ok(Saved::Conflict);
            }
            apply(&tx, &writes)?;
            tx.commit()?;
            Ok(Saved::Saved)
        })
        .await
    }

    async fn purge(&self, before: i64) -> Result<usize, StoreError> {
        self.with(move |c| {
            let tx = c.transaction()?;
            let mut removed = tx.execute("DELETE FROM flows WHERE expires_at < ?1", [before])?;
            removed += tx.execute("DELETE FROM sessions WHERE expires_at < ?1", [before])?;
            removed += tx.execute(
                "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND created_at < ?1",
                [before],
            )?;
            removed += tx.execute(
                "DELETE FROM login_throttle WHERE blocked_until < ?1",
                [before],
            )?;
            tx.commit()?;
            Ok(removed)
        })
        .await
    }

    async fn account_exists(&self, tenant: &str, email: &str) -> Result<bool, StoreError> {
        let (tenant, email) = (tenant.to_owned(), email.to_owned());
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT 1 FROM accounts WHERE tenant = ?1 AND email = ?2",
                [tenant, email],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
        .await
    }

    async fn credentials(
        &self,
        tenant: &str,
        email: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        let (tenant, email) = (tenant.to_owned(), email.to_owned());
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT subject, password_hash FROM accounts WHERE tenant = ?1 AND email = ?2",
                [tenant, email],
                |row| {
                    Ok(Credentials {
                        subject: row.get(0)?,
                        password_hash: row.get(1)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn claim_login_attempt(
        &self,
        tenant: &str,
        identifier: &str,
        now: i64,
        block: fn(u32) -> i64,
    ) -> Result<Claim, StoreError> {
        let (tenant, identifier) = (tenant.to_owned(), identifier.to_owned());
        self.with(move |c| {
            let tx = c.transaction()?;
            let (failures, blocked_until): (u32, i64) = tx
                .query_row(
                    "SELECT failures, blocked_until FROM login_throttle WHERE tenant = ?1 AND identifier = ?2",
                    [&tenant, &identifier],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?
                .unwrap_or((0, 0));
            if blocked_until > now {
                return Ok(Claim::Blocked { until: blocked_until });
            }
            let failures = failures.saturating_add(1);
            tx.execute(
                "INSERT INTO login_throttle (tenant, identifier, failures, blocked_until) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant, identifier) DO UPDATE SET failures = ?3, blocked_until = ?4",
                params![tenant, identifier, failures, now + block(failures)],
            )?;
            tx.commit()?;
            Ok(Claim::Granted { failures })
        })
        .await
    }

    async fn record_login_success(&self, tenant: &str, identifier: &str) -> Result<(), StoreError> {
        let (tenant, identifier) = (tenant.to_owned(), identifier.to_owned());
        self.with(move |c| {
            c.execute(
                "DELETE FROM login_throttle WHERE tenant = ?1 AND identifier = ?2",
                [tenant, identifier],
            )?;
            Ok(())
        })
        .await
    }

    async fn undelivered(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError> {
        self.with(move |c| {
            let mut statement = c.prepare(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?1"
            ))?;
            let rows = statement.query_map([limit as i64], message)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn mark_delivered(&self, id: i64, at: i64, keep_body: bool) -> Result<(), StoreError> {
        self.with(move |c| {
            let sql = if keep_body {
                "UPDATE outbox SET delivered_at = ?1 WHERE id = ?2"
            } else {
                "UPDATE outbox SET delivered_at = ?1, subject = '', body = '' WHERE id = ?2"
            };
            c.execute(sql, [at, id])?;
            Ok(())
        })
        .await
    }

    async fn delivered(
        &self,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let recipient = recipient.map(str::to_owned);
        self.with(move |c| {
            let mut statement = c.prepare(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE delivered_at IS NOT NULL AND (?1 IS NULL OR recipient = ?1)
                 ORDER BY id DESC LIMIT ?2"
            ))?;
            let rows = statement.query_map(params![recipient, limit as i64], message)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn signing_key(
        &self,
        candidate: (String, Vec<u8>),
    ) -> Result<(String, Vec<u8>), StoreError> {
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute("INSERT INTO signing_keys (kid, secret) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM signing_keys)", params![candidate.0, candidate.1])?;
            let key = tx.query_row("SELECT kid, secret FROM signing_keys ORDER BY rowid LIMIT 1", [], |row| Ok((row.get(0)?, row.get(1)?)))?;
            tx.commit()?;
            Ok(key)
        })
        .await
    }
}
