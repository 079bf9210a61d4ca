//! The SQLite store: one database file, one connection, WAL mode.
//!
//! SQLite allows one writer at a time anyway, so a single connection is both the simplest and
//! the fastest arrangement. It lives on a thread of its own that takes the calls one after the
//! other from a queue, so the async runtime never waits on the disk and concurrent requests do
//! not each wake a thread of the blocking pool to fight over a lock (with 50 concurrent clients
//! that hand-off was a quarter of the server's time, in the kernel's scheduler).
//!
//! Every call is atomic: it runs in an immediate transaction, and whatever it wrote is rolled
//! back when it fails (or panics). The calls that queued up while one ran are taken together
//! ([`worker`]): one transaction for up to 32 of them, each in a savepoint of its own, so
//! a failing call still undoes only itself, and one commit writes the pages they share once
//! (committing was a third of the database thread's time with a transaction per call). No
//! caller hears back before the commit that holds its writes; when that commit fails, every
//! call in it is told so. Several stores (several processes) may open the same file: each
//! batch waits for SQLite's write lock, and the claims that limit work are single statements
//! ([`claims`]). Migrations are numbered SQL scripts ([`migrations`]) applied in
//! order at open; a database newer than them is refused. The file itself (created private and
//! only when asked, noticed when deleted or replaced) is [`file`]'s, and the checkpoints of its
//! write-ahead log, on a thread of their own, [`checkpoint`]'s.
//!
//! SQLite's own errors never leave this implementation: inside it they travel as [`Failure`],
//! and every call hands back a [`StoreError`] that keeps their text for the log.

mod accounts;
mod checkpoint;
mod claims;
mod consents;
mod file;
mod migrations;
mod outbox;
mod worker;
mod writes;

use crate::{
    Attempt, Claim, Consent, Create, Credentials, EventFilter, FlowRecord, FlowUpdate, KeyRotation,
    OutboxMessage, PoolUse, Profile, Quota, Saved, SecurityEvent, Store, StoreError, TenantKey,
    Window, Write,
};
use async_trait::async_trait;
use file::{Identity, Look};
use migrations::MIGRATIONS;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::Arc;
use worker::Worker;
use writes::{apply, insert_event};

/// A failure inside the SQLite store, before it leaves as a [`StoreError`].
pub(crate) enum Failure {
    /// SQLite refused or failed.
    Sql(rusqlite::Error),
    /// Already the store's own error.
    Store(StoreError),
}

/// A result inside the SQLite store.
pub(crate) type Sql<T> = Result<T, Failure>;

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl Failure {
    /// The error callers see: SQLite's detail kept as text.
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            Self::Sql(e) => StoreError::Database(e.to_string()),
            Self::Store(e) => e,
        }
    }

    /// Whether SQLite failed with this primary code.
    pub(crate) fn is(&self, code: rusqlite::ErrorCode) -> bool {
        matches!(self, Self::Sql(rusqlite::Error::SqliteFailure(e, _)) if e.code == code)
    }
}

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    worker: Arc<Worker>,
    identity: Arc<Identity>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (mode 0600) only if `create` says so, and
    /// brings its schema up to date.
    pub fn open(path: &Path, create: Create) -> Result<Self, StoreError> {
        Self::open_with_checkpoints(path, create, checkpoint::EVERY, checkpoint::LOG_LIMIT)
    }

    /// [`SqliteStore::open`] with the write-ahead log checkpointed `every` and restarted past
    /// `frames` frames (instead of 250 ms and 65,536), so that a test can see the bound without
    /// writing 256 MiB.
    #[doc(hidden)]
    pub fn open_with_checkpoints(
        path: &Path,
        create: Create,
        every: std::time::Duration,
        frames: i64,
    ) -> Result<Self, StoreError> {
        if create == Create::IfMissing {
            file::create_private(path)?;
        }
        let connection = connect(path).map_err(Failure::into_store)?;
        let installation = installation(&connection).map_err(Failure::into_store)?;
        let identity = Identity::capture(path, installation)?;
        // The log is checkpointed on a thread of its own, never in a caller's commit.
        let checkpointer = checkpoint::Checkpointer::start(path, every, frames)?;
        connection
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| Failure::from(e).into_store())?;
        Ok(Self {
            worker: Arc::new(Worker::start(connection, checkpointer)?),
            identity: Arc::new(identity),
        })
    }

    /// The schema scripts in the order they are applied, so that a test can build a database
    /// as an older release left it (its `user_version` counts the scripts applied).
    #[doc(hidden)]
    pub fn schema_scripts() -> &'static [&'static str] {
        MIGRATIONS
    }

    /// Runs `work` with the connection on its thread, after the calls queued before it, as one
    /// atomic call: everything it wrote is rolled back if it fails.
    async fn with<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Sql<T> + Send + 'static,
    {
        if self.identity.is_lost() {
            return Err(self
                .identity
                .error("it was deleted or replaced while in use".into()));
        }
        self.worker.call(work).await
    }
}

/// Statements through the connection's cache, so each SQL text is parsed once per connection
/// rather than at every call (parsing was a tenth of the database thread's time under load).
pub(super) trait Cached {
    /// `execute`, with the statement from the cache.
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    /// `query_row`, with the statement from the cache.
    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// How many parsed statements the connection keeps: more than the store has.
const STATEMENT_CACHE: usize = 128;

/// Opens the file at `path`, which must exist, and brings its schema up to date.
fn connect(path: &Path) -> Sql<Connection> {
    // Without SQLITE_OPEN_CREATE: a file deleted since the caller's check is an error, not a
    // new empty database.
    let mut connection = match Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::CannotOpen && !path.exists() =>
        {
            return Err(StoreError::Missing(path.display().to_string()).into());
        }
        other => other?,
    };
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL with synchronous=NORMAL survives a killed process; only power loss may drop the
    // last transactions.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    migrate(&mut connection)?;
    Ok(connection)
}

fn installation(connection: &Connection) -> Sql<String> {
    Ok(connection.row(
        "SELECT value FROM meta WHERE key = 'installation'",
        [],
        |row| row.get(0),
    )?)
}

fn migrate(connection: &mut Connection) -> Sql<()> {
    // One script per transaction, each immediate and reading the version inside it: two
    // processes opening an old file at once migrate it one after the other, the second finding
    // the work done.
    loop {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        crate::schema::known(current, MIGRATIONS.len())?;
        let Some(script) = MIGRATIONS.get(usize::try_from(current).unwrap_or(0)) else {
            return Ok(());
        };
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        tracing::info!(version = current + 1, "database schema migrated");
    }
}

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
            c.run(
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
            Ok(c.row(
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
            c.run(
                "INSERT INTO flows (id, tenant, journey, journey_version, brand, locale, state, outcome, revision, created_at, updated_at, expires_at, nonce)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
                params![
                    flow.id, flow.tenant, flow.journey, flow.journey_version, flow.brand, flow.locale, flow.state,
                    flow.outcome, flow.revision, flow.created_at, flow.expires_at, flow.nonce
                ],
            )?;
            apply(c, &writes, flow.created_at)?;
            Ok(())
        })
        .await
    }

    async fn flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            Ok(c.row(
                "SELECT id, tenant, journey, journey_version, brand, locale, state, outcome, revision, created_at, expires_at, nonce
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
                        nonce: row.get(11)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn save_flow(&self, update: FlowUpdate, writes: Vec<Write>) -> Result<Saved, StoreError> {
        self.with(move |c| {
            let changed = c.run(
                "UPDATE flows SET state = ?1, outcome = ?2, revision = revision + 1, updated_at = ?3,
                     id_token = COALESCE(?6, id_token),
                     completed_at = CASE WHEN ?6 IS NULL THEN completed_at ELSE ?3 END
                 WHERE id = ?4 AND revision = ?5",
                params![update.state, update.outcome, update.now, update.id, update.revision, update.id_token],
            )?;
            if changed == 0 {
                return Ok(Saved::Conflict);
            }
            apply(c, &writes, update.now)?;
            Ok(Saved::Saved)
        })
        .await
    }

    async fn lease_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        seconds: i64,
    ) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            let changed = c.run(
                "UPDATE flows SET leased_revision = ?2, leased_until = ?3 + ?4
                 WHERE id = ?1 AND revision = ?2
                   AND (leased_revision IS NULL OR leased_revision <> ?2
                        OR leased_until IS NULL OR leased_until <= ?3)",
                params![id, revision, now, seconds],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn extend_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<Saved, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            let changed = c.run(
                "UPDATE flows SET expires_at = MAX(expires_at, ?4), updated_at = ?3
                 WHERE id = ?1 AND revision = ?2 AND expires_at > ?3",
                params![id, revision, now, expires_at],
            )?;
            Ok(if changed == 1 {
                Saved::Saved
            } else {
                Saved::Conflict
            })
        })
        .await
    }

    async fn release_flow(&self, id: &str, revision: i64) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            c.run(
                "UPDATE flows SET leased_until = NULL WHERE id = ?1 AND leased_revision = ?2",
                params![id, revision],
            )?;
            Ok(())
        })
        .await
    }

    async fn purge(&self, before: i64) -> Result<usize, StoreError> {
        self.with(move |c| {
            let mut removed = c.run("DELETE FROM flows WHERE expires_at < ?1", [before])?;
            removed += c.run("DELETE FROM sessions WHERE expires_at < ?1", [before])?;
            removed += c.run(outbox::PURGE, [before])?;
            removed += claims::purge_quotas(c, before)?;
            removed += c.run(
                "DELETE FROM trusted_devices WHERE expires_at < ?1",
                [before],
            )?;
            removed += c.run(
                "DELETE FROM login_throttle WHERE blocked_until < ?1",
                [before],
            )?;
            Ok(removed)
        })
        .await
    }

    async fn account_exists(&self, tenant: &str, email: &str) -> Result<bool, StoreError> {
        let (tenant, email) = (tenant.to_owned(), email.to_owned());
        self.with(move |c| accounts::exists(c, &tenant, &email))
            .await
    }

    async fn credentials(
        &self,
        tenant: &str,
        email: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        let (tenant, email) = (tenant.to_owned(), email.to_owned());
        self.with(move |c| accounts::credentials(c, &tenant, &email))
            .await
    }

    async fn claim_login_attempt(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        block: fn(u32) -> i64,
    ) -> Result<Claim, StoreError> {
        let (tenant, keys) = (tenant.to_owned(), keys.to_vec());
        self.with(move |c| claims::login_attempt(c, &tenant, keys, now, block))
            .await
    }

    async fn record_login_success(&self, tenant: &str, keys: &[String]) -> Result<(), StoreError> {
        let (tenant, keys) = (tenant.to_owned(), keys.to_vec());
        self.with(move |c| {
            for key in &keys {
                c.run(
                    "DELETE FROM login_throttle WHERE tenant = ?1 AND identifier = ?2",
                    [&tenant, key],
                )?;
            }
            Ok(())
        })
        .await
    }

    async fn record_event(&self, event: SecurityEvent) -> Result<(), StoreError> {
        self.with(move |c| {
            insert_event(c, &event)?;
            Ok(())
        })
        .await
    }

    async fn consents(&self, tenant: &str, subject: &str) -> Result<Vec<Consent>, StoreError> {
        let (tenant, subject) = (tenant.to_owned(), subject.to_owned());
        self.with(move |c| consents::history(c, &tenant, &subject))
            .await
    }

    async fn profile(&self, tenant: &str, subject: &str) -> Result<Option<Profile>, StoreError> {
        let (tenant, subject) = (tenant.to_owned(), subject.to_owned());
        self.with(move |c| accounts::profile(c, &tenant, &subject))
            .await
    }

    async fn security_events(&self, filter: EventFilter) -> Result<Vec<SecurityEvent>, StoreError> {
        self.with(move |c| {
            let mut statement = c.prepare_cached(
                "SELECT tenant, at, kind, subject, identifier, client, flow_id FROM security_events
                 WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR subject = ?2)
                   AND (?3 IS NULL OR identifier = ?3) AND (?4 IS NULL OR at >= ?4)
                   AND (?5 IS NULL OR at < ?5)
                 ORDER BY id LIMIT ?6",
            )?;
            let rows = statement.query_map(
                params![
                    filter.tenant,
                    filter.subject,
                    filter.identifier,
                    filter.since,
                    filter.until,
                    filter.limit as i64
                ],
                |row| {
                    Ok(SecurityEvent {
                        tenant: row.get(0)?,
                        at: row.get(1)?,
                        kind: row.get(2)?,
                        subject: row.get(3)?,
                        identifier: row.get(4)?,
                        client: row.get(5)?,
                        flow_id: row.get(6)?,
                    })
                },
            )?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn device_subject(
        &self,
        tenant: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let (tenant, token_hash) = (tenant.to_owned(), token_hash.to_owned());
        self.with(move |c| {
            Ok(c.row(
                "SELECT subject FROM trusted_devices WHERE tenant = ?1 AND token_hash = ?2 AND expires_at > ?3",
                params![tenant, token_hash, now],
                |row| row.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn claim_quota(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        windows: &[Window],
    ) -> Result<Quota, StoreError> {
        let (tenant, keys, windows) = (tenant.to_owned(), keys.to_vec(), windows.to_vec());
        self.with(move |c| claims::quota(c, &tenant, keys, now, &windows))
            .await
    }

    async fn undelivered(&self, limit: usize, now: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        self.with(move |c| outbox::undelivered(c, limit, now)).await
    }

    async fn claim_messages(
        &self,
        channels: &[String],
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let channels = channels.to_vec();
        self.with(move |c| outbox::claim(c, &channels, now, lease_until, limit))
            .await
    }

    async fn record_attempt(
        &self,
        id: i64,
        tries: u32,
        now: i64,
        attempt: Attempt,
    ) -> Result<(), StoreError> {
        self.with(move |c| outbox::record(c, id, tries, now, &attempt))
            .await
    }

    async fn next_due(&self, channels: &[String]) -> Result<Option<i64>, StoreError> {
        let channels = channels.to_vec();
        self.with(move |c| outbox::next_due(c, &channels)).await
    }

    async fn outbox_message(&self, id: i64) -> Result<Option<OutboxMessage>, StoreError> {
        self.with(move |c| outbox::by_id(c, id)).await
    }

    async fn messages_to(
        &self,
        recipient: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let recipient = recipient.to_owned();
        self.with(move |c| outbox::to(c, &recipient, limit)).await
    }

    async fn drop_expired(&self, now: i64) -> Result<usize, StoreError> {
        self.with(move |c| outbox::drop_expired(c, now)).await
    }

    async fn take_id_token(
        &self,
        id: &str,
        now: i64,
        window: i64,
    ) -> Result<Option<String>, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            // It reads, then writes what it read, in one immediate transaction (as every call):
            // another process cannot slip in between and hand the token out too.
            let token: Option<String> = c
                .row(
                    "SELECT id_token FROM flows WHERE id = ?1 AND id_token IS NOT NULL AND completed_at >= ?2",
                    params![id, now - window],
                    |row| row.get(0),
                )
                .optional()?;
            c.run("UPDATE flows SET id_token = NULL WHERE id = ?1", [&id])?;
            Ok(token)
        })
        .await
    }

    async fn forget_id_tokens(&self, before: i64) -> Result<usize, StoreError> {
        self.with(move |c| {
            Ok(c.run(
                "UPDATE flows SET id_token = NULL WHERE id_token IS NOT NULL AND completed_at < ?1",
                [before],
            )?)
        })
        .await
    }

    async fn delivered(
        &self,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let recipient = recipient.map(str::to_owned);
        self.with(move |c| outbox::sent(c, recipient.as_deref(), limit))
            .await
    }

    async fn tenant_keys(
        &self,
        tenant: &str,
        rotation: &KeyRotation,
    ) -> Result<Vec<TenantKey>, StoreError> {
        let tenant = tenant.to_owned();
        let rotation = rotation.clone();
        self.with(move |c| {
            if let Some(key) = &rotation.candidate {
                c.run(
                    "INSERT INTO tenant_keys (tenant, kid, sealed, created_at)
                     SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                         (SELECT 1 FROM tenant_keys WHERE tenant = ?1 AND created_at > ?5)",
                    params![
                        tenant,
                        key.kid,
                        key.sealed,
                        key.created_at,
                        rotation.unless_newer_than
                    ],
                )?;
            }
            c.run(
                "DELETE FROM tenant_keys WHERE tenant = ?1 AND created_at <
                     (SELECT max(created_at) FROM tenant_keys WHERE tenant = ?1 AND created_at <= ?2)",
                params![tenant, rotation.retire_before],
            )?;
            let keys = c
                .prepare_cached(
                    "SELECT kid, sealed, created_at FROM tenant_keys WHERE tenant = ?1
                     ORDER BY created_at, rowid",
                )?
                .query_map(params![tenant], |row| {
                    Ok(TenantKey {
                        kid: row.get(0)?,
                        sealed: row.get(1)?,
                        created_at: row.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(keys)
        })
        .await
    }

    async fn has_tenant_keys(&self) -> Result<bool, StoreError> {
        self.with(|c| {
            Ok(
                c.row("SELECT EXISTS (SELECT 1 FROM tenant_keys)", [], |row| {
                    row.get(0)
                })?,
            )
        })
        .await
    }

    fn pool_use(&self) -> PoolUse {
        let calls = self.worker.calls();
        PoolUse {
            max: 1,
            open: 1,
            busy: calls.min(1),
            waiting: calls.saturating_sub(1),
        }
    }

    async fn check_identity(&self) -> Result<(), StoreError> {
        /// Looks in a row that could not tell before the file counts as lost.
        const UNSURE_LOOKS: u32 = 3;
        let problem = match self.identity.look() {
            Err(Look::Gone(problem)) => {
                self.identity.remove_companions();
                Some(problem)
            }
            // A passing error is given a few more looks; even then the files beside it stay.
            Err(Look::Unsure(problem)) if self.identity.unsure_looks() >= UNSURE_LOOKS => {
                Some(problem)
            }
            Err(Look::Unsure(problem)) => {
                tracing::warn!(%problem, "could not check the database file; will look again");
                None
            }
            Ok(()) => {
                // The same inode may have been overwritten in place (a restore with `cp`); a
                // fresh connection reads the file rather than the open one's page cache.
                let path = self.identity.path().to_owned();
                let fresh = self
                    .with(move |_| {
                        let read = || -> Sql<String> {
                            let fresh = Connection::open_with_flags(
                                &path,
                                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                            )?;
                            fresh.busy_timeout(std::time::Duration::from_secs(1))?;
                            installation(&fresh)
                        };
                        match read() {
                            Ok(id) => Ok(Some(id)),
                            // Another writer holds the file: it cannot tell, and it is no sign
                            // of a lost file.
                            Err(e)
                                if e.is(rusqlite::ErrorCode::DatabaseBusy)
                                    || e.is(rusqlite::ErrorCode::DatabaseLocked) =>
                            {
                                Ok(None)
                            }
                            Err(e) => Err(e),
                        }
                    })
                    .await;
                match fresh {
                    Ok(Some(id)) if id == self.identity.installation() => None,
                    Ok(Some(_)) => Some("the file now holds another database".into()),
                    Ok(None) => None,
                    Err(StoreError::Lost { problem, .. }) => Some(problem),
                    Err(e) => Some(format!("the file no longer reads as this database: {e}")),
                }
            }
        };
        match problem {
            None => Ok(()),
            Some(problem) => Err(self.identity.mark_lost(problem)),
        }
    }
}
