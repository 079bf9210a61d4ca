//! Storage for Journeykit: flows, accounts, the message outbox, login throttles, signing keys
//! and sessions, behind one [`Store`] trait.
//!
//! Only this crate knows SQL (DESIGN.md, invariant 2). [`SqliteStore`] is the default: one file,
//! nothing to install. PostgreSQL will be a second implementation of the same trait, passing the
//! same tests; callers never branch on the backend.
//!
//! The one rule every implementation keeps: [`Store::save_flow`] applies a flow's new state and
//! all of its [`Write`]s in one transaction, and only if the flow is still at the revision the
//! caller read. A concurrent or replayed submission therefore loses cleanly
//! ([`Saved::Conflict`]) and causes no second effect.

mod sqlite;

pub use sqlite::SqliteStore;

use async_trait::async_trait;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A unique value (such as an account's email) already exists.
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The database task could not run.
    #[error("database task: {0}")]
    Task(String),
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

/// A write that belongs to a flow's transaction.
#[derive(Clone, Debug)]
pub enum Write {
    /// A new account.
    CreateAccount {
        /// The tenant.
        tenant: String,
        /// The subject.
        subject: String,
        /// The normalised, verified email.
        email: String,
        /// Other attributes, as JSON.
        attributes: String,
        /// The PHC string of the password hash.
        password_hash: String,
    },
    /// A message to deliver.
    Enqueue(NewMessage),
    /// A new session.
    CreateSession(NewSession),
}

/// A message for the outbox.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// The tenant.
    pub tenant: String,
    /// The flow that caused it.
    pub flow_id: Option<String>,
    /// `email` for now; `sms` and `voice` later.
    pub channel: String,
    /// The address.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// Queue it only if fewer than this many messages went to the same recipient in the hour
    /// before `created_at` (against mail bombing and SMS pumping); otherwise drop it.
    pub hourly_cap: Option<u32>,
}

/// A message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Increasing id.
    pub id: i64,
    /// The tenant.
    pub tenant: String,
    /// `email`.
    pub channel: String,
    /// The address.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// When a sender took it, in seconds since the Unix epoch.
    pub delivered_at: Option<i64>,
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

/// What login needs of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The subject.
    pub subject: String,
    /// The PHC string of the password hash.
    pub password_hash: String,
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

    /// Removes what is no longer needed as of `before`: flows that expired, sessions that
    /// ended, delivered messages created, and login throttles last blocked, before it.
    /// Throttles still blocking (a disabled authenticator) stay. Returns how many rows went.
    async fn purge(&self, before: i64) -> Result<usize, StoreError>;

    /// Whether the tenant has an account with this email.
    async fn account_exists(&self, tenant: &str, email: &str) -> Result<bool, StoreError>;

    /// The credentials of the account with this email.
    async fn credentials(
        &self,
        tenant: &str,
        email: &str,
    ) -> Result<Option<Credentials>, StoreError>;

    /// Claims one login attempt for an identifier: refused while it is blocked; otherwise
    /// counted as a failure up front and blocked for `block(failures)` seconds from `now`, all in
    /// one transaction, so parallel attempts cannot all slip past the throttle. A success then
    /// clears the count with [`Store::record_login_success`].
    async fn claim_login_attempt(
        &self,
        tenant: &str,
        identifier: &str,
        now: i64,
        block: fn(u32) -> i64,
    ) -> Result<Claim, StoreError>;

    /// Clears the failures of an identifier after a success.
    async fn record_login_success(&self, tenant: &str, identifier: &str) -> Result<(), StoreError>;

    /// Messages not yet delivered, oldest first.
    async fn undelivered(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError>;

    /// Marks a message delivered; unless `keep_body`, its subject and body (which may hold a
    /// code) are erased.
    async fn mark_delivered(&self, id: i64, at: i64, keep_body: bool) -> Result<(), StoreError>;

    /// Delivered messages, newest first, optionally only to one recipient.
    async fn delivered(
        &self,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError>;

    /// The signing key: the stored one, or `candidate` stored now if there is none yet.
    async fn signing_key(
        &self,
        candidate: (String, Vec<u8>),
    ) -> Result<(String, Vec<u8>), StoreError>;
}
