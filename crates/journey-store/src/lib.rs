//! Storage for Journeykit: flows, accounts, the message outbox, login throttles, quotas (code
//! guesses per address, messages per recipient), signing keys, sessions and each account's
//! consent history, behind one [`Store`] trait.
//!
//! Only this crate knows SQL (DESIGN.md, invariant 2), and its public API names no type of any
//! database library ([`StoreError`] keeps a driver's detail as text). There are two
//! implementations, each with its own SQL in a module of its own: [`SqliteStore`] (the default:
//! one file, nothing to install; `sqlite/`) and [`PostgresStore`] (several server processes on
//! one database; `postgres/`). Both run the same contract suite (`tests/store/contract/`, every
//! case over `&dyn Store`); callers never branch on the backend: [`DatabaseUrl`] names the
//! database (parsed once from `--db`) and [`open`] opens it. What the backends share without
//! SQL is here: the claims' plan ([`claims`]), the account records ([`accounts`]) and the
//! schema versions ([`schema`]).
//!
//! The rules every implementation keeps:
//!
//! - [`Store::save_flow`] applies a flow's new state and all of its [`Write`]s in one
//!   transaction, and only if the flow is still at the revision the caller read. A concurrent or
//!   replayed submission therefore loses cleanly ([`Saved::Conflict`]) and causes no second
//!   effect.
//! - [`Store::claim_login_attempt`] and [`Store::claim_quota`] decide and count in one atomic
//!   statement per key, so their limits hold with any number of server processes on one
//!   database.
//! - The outbox keeps each message's [`MessageState`] (queued, sending, sent, failed or
//!   dropped), its attempts, when it is next due and its last error. [`Store::claim_messages`]
//!   leases due messages to one sender in one atomic statement (PostgreSQL: `FOR UPDATE SKIP
//!   LOCKED`), so with several processes exactly one sends each message; a lease that runs out
//!   (the sender crashed between sending and recording) makes the message claimable again,
//!   the one way a message can be sent twice. [`Store::record_attempt`] records the outcome,
//!   only while that attempt still holds the message.
//! - Consents ([`Write::Consent`], [`Store::consents`]) and security events are only ever
//!   appended: the databases refuse to change or remove them.
//!   A message whose code expired is dropped, never handed out.
//! - An account is known by identifiers (an email now) and proven by credentials (a password
//!   now), each a record of its own: an account may have no password, and a login against it
//!   is refused like a wrong password. An identifier is unique per tenant, kind and value, by a
//!   constraint of the database.
//! - The schema is brought up to date by numbered migrations when a store opens, and a
//!   database newer than this build is refused ([`StoreError::SchemaTooNew`]).

mod accounts;
mod claims;
mod consents;
mod outbox;
mod postgres;
mod schema;
mod sqlite;
mod url;

pub use consents::{Consent, Decision};
pub use outbox::{Attempt, MessageState, NewMessage, OutboxMessage};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use url::{DatabaseUrl, PostgresUrl, UrlError};

use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet};

/// Why a store operation failed. It names no type of any database library: each implementation
/// turns its driver's errors into these, keeping the driver's detail as text for the log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed; the text is the driver's, for the log only.
    #[error("database: {0}")]
    Database(String),
    /// A unique value (such as an account's email) already exists.
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The database task could not run.
    #[error("database task: {0}")]
    Task(String),
    /// The database file does not exist and the caller did not ask to create it.
    #[error("{0} does not exist")]
    Missing(String),
    /// The database exists but holds no Journeykit schema yet (a new PostgreSQL database), and
    /// the caller did not ask to create it.
    #[error("{0} holds no Journeykit tables yet")]
    Empty(String),
    /// The database's schema is newer than this build knows: a newer server migrated it.
    #[error(
        "the database is at schema version {found}, this server knows up to {known}: upgrade the server"
    )]
    SchemaTooNew {
        /// The database's schema version.
        found: i64,
        /// The newest version this build knows.
        known: usize,
    },
    /// The database file could not be created or examined.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file the store opened has been deleted or replaced: writes would go to a file
    /// nobody reads, so the store refuses every call from then on.
    #[error("database {path} is no longer the one opened: {problem}")]
    Lost {
        /// The file.
        path: String,
        /// What happened to it.
        problem: String,
    },
}

/// Whether opening a store may create what is missing: a SQLite file, or the schema in an
/// empty PostgreSQL database. Migrating an existing schema to this build's needs no asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Create {
    /// Create a new, empty database (a SQLite file with mode 0600, or the tables in an empty
    /// PostgreSQL database) when there is none.
    IfMissing,
    /// Refuse a missing or empty database: one that existed and is gone must not silently
    /// become empty.
    Never,
}

/// Opens the database `url` names, bringing its schema up to date: the one place where the
/// backend is chosen.
pub async fn open(
    url: &DatabaseUrl,
    create: Create,
) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => std::sync::Arc::new(SqliteStore::open(path, create)?),
        DatabaseUrl::Postgres(url) => std::sync::Arc::new(PostgresStore::open(url, create).await?),
    })
}

/// A flow as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowRecord {
    /// The flow id.
    pub id: String,
    /// The tenant.
    pub tenant: String,
    /// The journey name.
    pub journey: String,
    /// The journey version the flow started on.
    pub journey_version: String,
    /// The brand.
    pub brand: String,
    /// The locale.
    pub locale: String,
    /// The engine's state, as JSON.
    pub state: String,
    /// The outcome shown to the client once complete, as JSON.
    pub outcome: Option<String>,
    /// Increases with every save.
    pub revision: i64,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// Seconds since the Unix epoch.
    pub expires_at: i64,
    /// The page's `nonce` from the start request, echoed in the ID token.
    pub nonce: Option<String>,
}

/// A new state for a flow read at `revision`.
#[derive(Clone, Debug)]
pub struct FlowUpdate {
    /// The flow id.
    pub id: String,
    /// The revision the caller read.
    pub revision: i64,
    /// The new engine state, as JSON.
    pub state: String,
    /// The outcome, once complete.
    pub outcome: Option<String>,
    /// The ID token of a flow that completes with this save. It is kept only so that a page
    /// reloading within a minute can read it once more ([`Store::take_id_token`]).
    pub id_token: Option<String>,
    /// Seconds since the Unix epoch.
    pub now: i64,
}

/// Whether a save went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Saved, with its writes.
    Saved,
    /// The flow changed since it was read (or is gone); nothing was written.
    Conflict,
}

/// A write that belongs to a flow's transaction. The records a write makes carry the time of
/// the save it belongs to ([`FlowUpdate::now`], or [`FlowRecord::created_at`] for a new flow).
#[derive(Clone, Debug)]
pub enum Write {
    /// A new account, with its email as a verified identifier and, when it has one, its
    /// password as a credential. An email another account of the tenant has is
    /// [`StoreError::Duplicate`].
    CreateAccount {
        /// The tenant.
        tenant: String,
        /// The subject.
        subject: String,
        /// The normalised, verified email.
        email: String,
        /// Other attributes, as JSON.
        attributes: String,
        /// The PHC string of the password hash; `None` for an account without a password.
        password_hash: Option<String>,
    },
    /// A message to deliver.
    Enqueue(NewMessage),
    /// A new session.
    CreateSession(NewSession),
    /// A new password hash for an existing account (its first, for an account that had none).
    SetPassword {
        /// The tenant.
        tenant: String,
        /// The account.
        subject: String,
        /// The PHC string of the password hash.
        password_hash: String,
    },
    /// Ends every session of an account.
    EndSessions {
        /// The tenant.
        tenant: String,
        /// The account.
        subject: String,
    },
    /// Appends a security event, in the same transaction as what it records.
    Event(SecurityEvent),
    /// Keeps attributes on an account: each replaces the account's value, verified exactly
    /// when it is in `verified`; attributes not named stay. An account that is gone is
    /// [`StoreError::Task`] (the flow's save fails, nothing is written).
    UpdateProfile {
        /// The tenant.
        tenant: String,
        /// The account.
        subject: String,
        /// The values, by name; never the email, which is an identifier.
        attributes: BTreeMap<String, String>,
        /// Which of them are verified.
        verified: BTreeSet<String>,
    },
    /// Forgets every browser trusted for an account (after a password reset).
    ForgetDevices {
        /// The tenant.
        tenant: String,
        /// The account.
        subject: String,
    },
    /// Forgets one device token (a browser that gets a new one).
    ForgetDevice {
        /// The tenant.
        tenant: String,
        /// SHA-256 of the token, hex.
        token_hash: String,
    },
    /// Remembers a browser where the account signed in (a device cookie), until `expires_at`.
    TrustDevice {
        /// The tenant.
        tenant: String,
        /// The account.
        subject: String,
        /// SHA-256 of the token, hex.
        token_hash: String,
        /// Seconds since the Unix epoch.
        expires_at: i64,
    },
    /// Forgets every failed login of an identifier (under every throttle key that starts with
    /// it: from any client or device), lifting a block or a disabled lock.
    ClearLoginThrottle {
        /// The tenant.
        tenant: String,
        /// The identifier (email).
        identifier: String,
    },
    /// Appends a person's decision on a purpose or a document to their consent history, in
    /// the transaction of the flow where they made it. The account must exist by then (an
    /// earlier write of the same save may create it).
    Consent(Consent),
    /// Gives back the newest quota event of `key` (a claimed attempt that turned out not to
    /// count, such as a right code).
    ReleaseQuota {
        /// The tenant.
        tenant: String,
        /// The quota key.
        key: String,
    },
}

/// How a store's connections are used at one moment, for the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolUse {
    /// The most connections it opens.
    pub max: usize,
    /// Connections open now.
    pub open: usize,
    /// Of those, the ones running a call.
    pub busy: usize,
    /// Calls waiting for a connection.
    pub waiting: usize,
}

/// A tenant's signing key as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantKey {
    /// The key id.
    pub kid: String,
    /// The secret, sealed by the caller.
    pub sealed: Vec<u8>,
    /// When it was made, in seconds since the Unix epoch.
    pub created_at: i64,
}

/// What [`Store::tenant_keys`] changes before it reads.
#[derive(Clone, Debug)]
pub struct KeyRotation {
    /// A new key, stored unless a key was created after [`KeyRotation::unless_newer_than`].
    pub candidate: Option<TenantKey>,
    /// See [`KeyRotation::candidate`].
    pub unless_newer_than: i64,
    /// Keys older than the newest key created at or before this time are removed.
    pub retire_before: i64,
}

/// A session to create. Only a digest of the session secret is stored.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// SHA-256 of the secret, hex.
    pub id_hash: String,
    /// The tenant.
    pub tenant: String,
    /// The subject.
    pub subject: String,
    /// The level of assurance.
    pub acr: String,
    /// The methods, as JSON.
    pub amr: String,
    /// Seconds since the Unix epoch.
    pub auth_time: i64,
    /// Seconds since the Unix epoch.
    pub expires_at: i64,
    /// The flow that made it.
    pub flow_id: String,
}

/// What an account holds beyond its credentials ([`Store::profile`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Its attributes by name, its email among them.
    pub attributes: BTreeMap<String, String>,
    /// The names of those its owner proved they control.
    pub verified: BTreeSet<String>,
    /// Whether it has a password.
    pub has_password: bool,
}

/// What login needs of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The subject.
    pub subject: String,
    /// The PHC string of the password hash; `None` when the account has no password, which a
    /// login must answer exactly like a wrong password (hashing all the same).
    pub password_hash: Option<String>,
}

/// The answer to a claimed login attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Go ahead and check the password; this is failure number `failures` unless it succeeds.
    Granted {
        /// Consecutive failures counting this attempt.
        failures: u32,
    },
    /// Blocked until then, in seconds since the Unix epoch; nothing was counted.
    Blocked {
        /// When the block ends.
        until: i64,
    },
}

/// One window of a quota: at most `max` events in any `seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The length of the window.
    pub seconds: i64,
    /// The most events allowed in it.
    pub max: u32,
}

/// The answer to a claimed quota event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// Counted; go ahead.
    Granted,
    /// A window is full until then (seconds since the Unix epoch); nothing was counted.
    Exhausted {
        /// When the next event would be granted.
        until: i64,
    },
}

/// Something that matters to the security of an account or a tenant: a registration, a login
/// (succeeded, failed, throttled, locked), a wrong or paused code, a recovery, a refused
/// origin. Security events are only ever appended; an operator reads them by account and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityEvent {
    /// The tenant.
    pub tenant: String,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// What happened, such as `login_failed` (a short snake_case name).
    pub kind: String,
    /// The account, when known.
    pub subject: Option<String>,
    /// The identifier used (a normalised email), when there was one.
    pub identifier: Option<String>,
    /// The client's address.
    pub client: Option<String>,
    /// The flow, when there was one.
    pub flow_id: Option<String>,
}

/// Which security events to read: all of a tenant's between two times, optionally of one
/// account or identifier.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// Only this tenant's.
    pub tenant: Option<String>,
    /// Only this account's.
    pub subject: Option<String>,
    /// Only this identifier's.
    pub identifier: Option<String>,
    /// From this time on (inclusive), seconds since the Unix epoch.
    pub since: Option<i64>,
    /// Before this time, seconds since the Unix epoch.
    pub until: Option<i64>,
    /// At most this many, oldest first.
    pub limit: usize,
}

/// The storage Journeykit needs; see the crate docs for the transaction rule.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Keeps a journey's source under its version, so flows can finish on the version they
    /// started on after the file changes.
    async fn remember_journey(
        &self,
        version: &str,
        tenant: &str,
        name: &str,
        source: &str,
    ) -> Result<(), StoreError>;

    /// The source of a journey version, if known.
    async fn journey_source(&self, version: &str) -> Result<Option<String>, StoreError>;

    /// Saves a new flow with the writes of its first step, in one transaction.
    async fn create_flow(&self, flow: FlowRecord, writes: Vec<Write>) -> Result<(), StoreError>;

    /// A flow by id.
    async fn flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError>;

    /// Saves a flow's new state and its writes in one transaction, if still at `revision`.
    async fn save_flow(&self, update: FlowUpdate, writes: Vec<Write>) -> Result<Saved, StoreError>;

    /// Leases the flow at `revision` for `seconds` from `now`, for work that must run once
    /// per step (hashing a password): `false` when the flow has moved on or another request
    /// holds a lease on this revision. A save ends the lease (the revision moves on).
    async fn lease_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        seconds: i64,
    ) -> Result<bool, StoreError>;

    /// Moves an active flow's `expires_at` to `expires_at` (never earlier than it is), if the
    /// flow is still at `revision` and has not expired by `now`: `Conflict` otherwise, with
    /// nothing written. An extension changes no state, so it leaves the revision as it is and
    /// a submission racing it is not disturbed; the caller keeps `expires_at` within the
    /// flow's maximum lifetime.
    async fn extend_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<Saved, StoreError>;

    /// Gives up a lease taken at `revision` whose work saved nothing.
    async fn release_flow(&self, id: &str, revision: i64) -> Result<(), StoreError>;

    /// Removes what is no longer needed as of `before`: flows that expired, sessions that
    /// ended, sent, failed or dropped messages created, quota events counted, and login throttles
    /// last blocked, before it.
    /// Throttles still blocking (a disabled authenticator) stay. Returns how many rows went.
    async fn purge(&self, before: i64) -> Result<usize, StoreError>;

    /// Whether the tenant has an account with this email (as an identifier of kind email).
    async fn account_exists(&self, tenant: &str, email: &str) -> Result<bool, StoreError>;

    /// The account with this email and its password, if it has one. An account without a
    /// password is found all the same (recovery looks it up), with no password hash.
    async fn credentials(
        &self,
        tenant: &str,
        email: &str,
    ) -> Result<Option<Credentials>, StoreError>;

    /// Claims one login attempt under every one of `keys` (throttle keys: the identifier, and
    /// the identifier with the client or device it comes from): refused while any is blocked;
    /// otherwise counted as a failure up front under each and blocked for `block(failures)`
    /// seconds from `now`, all or none. `failures` is the highest count. A success then clears
    /// the keys with [`Store::record_login_success`].
    ///
    /// The decision and the count are one atomic statement per key (an upsert whose condition
    /// reads the row it updates), so parallel attempts cannot all slip past the throttle, not
    /// even from several processes sharing the database.
    async fn claim_login_attempt(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        block: fn(u32) -> i64,
    ) -> Result<Claim, StoreError>;

    /// Clears the failures under these throttle keys after a success.
    async fn record_login_success(&self, tenant: &str, keys: &[String]) -> Result<(), StoreError>;

    /// Appends a security event on its own (one that belongs to no flow's transaction).
    async fn record_event(&self, event: SecurityEvent) -> Result<(), StoreError>;

    /// Security events matching `filter`, oldest first.
    async fn security_events(&self, filter: EventFilter) -> Result<Vec<SecurityEvent>, StoreError>;

    /// The consent history of the tenant's account `subject`, oldest first ([`Write::Consent`]
    /// appends to it; nothing changes or removes an entry).
    async fn consents(&self, tenant: &str, subject: &str) -> Result<Vec<Consent>, StoreError>;

    /// The profile of the tenant's account `subject`, `None` when there is no such account.
    async fn profile(&self, tenant: &str, subject: &str) -> Result<Option<Profile>, StoreError>;

    /// The account a device token (its SHA-256, hex) was issued to, while it is valid at `now`.
    async fn device_subject(
        &self,
        tenant: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError>;

    /// Claims one event of each of `keys` (a code guess for an address and its account, a
    /// message to a recipient) against every window: all counted and granted if every key has
    /// room in every window at `now`, otherwise none counted. A key named twice counts once.
    ///
    /// As with [`Store::claim_login_attempt`], room and count are one atomic statement per key,
    /// so parallel claims cannot outrun the quota, from any number of processes.
    async fn claim_quota(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        windows: &[Window],
    ) -> Result<Quota, StoreError>;

    /// Messages not yet sent, failed or dropped (queued or sending) and not expired at `now`,
    /// oldest first.
    async fn undelivered(&self, limit: usize, now: i64) -> Result<Vec<OutboxMessage>, StoreError>;

    /// Claims at most `limit` messages of `channels` that are due at `now` (queued with
    /// `next_attempt_at <= now`, or sending with a lease that ran out) and not expired, oldest
    /// first: each becomes `sending` with a lease until `lease_until`, and its attempts count
    /// one more. One atomic statement, so that with any number of processes claiming at once
    /// each message is claimed by exactly one of them.
    async fn claim_messages(
        &self,
        channels: &[String],
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// Records how attempt number `tries` (the claimed message's `attempts`) of message `id`
    /// ended, at `now`. A message no longer sending (dropped meanwhile) is left as it is, and
    /// so is one claimed again since (its lease ran out while this attempt went on: the newer
    /// attempt records its own outcome, and a late answer from the older cannot overwrite it).
    async fn record_attempt(
        &self,
        id: i64,
        tries: u32,
        now: i64,
        attempt: Attempt,
    ) -> Result<(), StoreError>;

    /// When the next message of `channels` falls due: the earliest `next_attempt_at` of a
    /// queued one or lease end of a sending one; `None` when none waits.
    async fn next_due(&self, channels: &[String]) -> Result<Option<i64>, StoreError>;

    /// A message by id, in whatever state.
    async fn outbox_message(&self, id: i64) -> Result<Option<OutboxMessage>, StoreError>;

    /// Messages to `recipient` in every state, newest first.
    async fn messages_to(
        &self,
        recipient: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// Drops the queued messages (and sending ones whose lease ran out) that expired by `now`,
    /// erasing their subject and bodies (they may hold a code); returns how many.
    async fn drop_expired(&self, now: i64) -> Result<usize, StoreError>;

    /// The ID token of a flow that completed at most `window` seconds before `now`, handed out
    /// once: it is erased as it is read, so a second read (or any after the window) gets `None`.
    async fn take_id_token(
        &self,
        id: &str,
        now: i64,
        window: i64,
    ) -> Result<Option<String>, StoreError>;

    /// Erases the ID tokens of flows that completed before `before`.
    async fn forget_id_tokens(&self, before: i64) -> Result<usize, StoreError>;

    /// Sent messages, newest first, optionally only to one recipient (the dev outbox).
    async fn delivered(
        &self,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// The signing keys of `tenant`, oldest first, after one transaction in which, so that
    /// replicas doing it together agree: `rotation.candidate` is stored when the tenant has no
    /// key created after `rotation.unless_newer_than` (its first key, or the next once the
    /// newest is old enough), and every key older than the newest one created at or before
    /// `rotation.retire_before` is removed (its successor has signed long enough for every
    /// token it signed to have expired; the newest key is never removed). The store keeps the
    /// sealed bytes as given; sealing, and the policy behind the times, are the caller's.
    async fn tenant_keys(
        &self,
        tenant: &str,
        rotation: &KeyRotation,
    ) -> Result<Vec<TenantKey>, StoreError>;

    /// Whether any tenant has a signing key stored.
    async fn has_tenant_keys(&self) -> Result<bool, StoreError>;

    /// How its connections are used now (SQLite: its one connection and the calls queued for
    /// it; PostgreSQL: the pool's).
    fn pool_use(&self) -> PoolUse;

    /// Checks that the store still works on what it opened (for SQLite: the same file, not
    /// deleted or replaced, holding the same installation; for PostgreSQL: the database still
    /// there, holding the same installation; one that cannot be reached for a moment is an
    /// error, not a loss). After a failure ([`StoreError::Lost`])
    /// every call is refused.
    async fn check_identity(&self) -> Result<(), StoreError>;
}
