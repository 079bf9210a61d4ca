//! Connecting to PostgreSQL for the store: the pool every call takes a connection from, the
//! plain connection the test helpers use to create and drop databases, and [`Failure`], how
//! the driver's and the pool's errors travel inside the store until they leave as a
//! [`StoreError`] keeping the database's message (never a URL's password). The statements are
//! the other modules' of [`super`].

use crate::{PostgresUrl, StoreError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use std::time::Duration;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

/// Connections each process keeps at most: enough for the server's parallel requests on a
/// small machine, and several replicas stay far below PostgreSQL's default of 100.
const POOL_SIZE: usize = 16;

/// How long a call waits for a connection, and a new connection for the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A failure inside the PostgreSQL store, before it leaves as a [`StoreError`].
pub(crate) enum Failure {
    /// The database refused or failed.
    Pg(tokio_postgres::Error),
    /// No connection could be had.
    Pool(PoolError),
    /// Already the store's own error.
    Store(StoreError),
}

/// A result inside the PostgreSQL store.
pub(crate) type Pg<T> = Result<T, Failure>;

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Pg(e)
    }
}

impl From<PoolError> for Failure {
    fn from(e: PoolError) -> Self {
        Self::Pool(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl Failure {
    /// The error callers see: the database's detail kept as text.
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            Self::Pg(e) => StoreError::Database(describe(&e)),
            Self::Pool(PoolError::Backend(e)) => {
                StoreError::Database(format!("connecting: {}", describe(&e)))
            }
            Self::Pool(e) => StoreError::Database(format!("connecting: {e}")),
            Self::Store(e) => e,
        }
    }

    /// The database's error code, if the database answered with one.
    pub(crate) fn code(&self) -> Option<&SqlState> {
        match self {
            Self::Pg(e) | Self::Pool(PoolError::Backend(e)) => e.code(),
            _ => None,
        }
    }

    /// Whether the database (or its schema) no longer exists.
    pub(crate) fn is_gone(&self) -> bool {
        self.code().is_some_and(|code| {
            *code == SqlState::INVALID_CATALOG_NAME || *code == SqlState::UNDEFINED_TABLE
        })
    }

    /// Whether the database aborted the transaction to break a deadlock or a serialization
    /// conflict: trying again is the remedy.
    pub(crate) fn is_deadlock(&self) -> bool {
        self.code().is_some_and(|code| {
            *code == SqlState::T_R_DEADLOCK_DETECTED || *code == SqlState::T_R_SERIALIZATION_FAILURE
        })
    }
}

/// The database's message and code, or the driver's text.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// The end of a call: its failure turned into a [`StoreError`].
pub(crate) fn done<T>(result: Pg<T>) -> Result<T, StoreError> {
    result.map_err(Failure::into_store)
}

/// The pool of connections to `url`, with the store's limits and time-outs; connections are
/// made when first needed.
pub(crate) fn pool(url: &PostgresUrl) -> Result<Pool, StoreError> {
    let mut config = url.config().map_err(StoreError::Database)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("journey-server");
    }
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .recycle_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| StoreError::Database(format!("setting up the connection pool: {e}")))?;
    Ok(pool)
}

/// A database name the test helpers accept: lower-case letters, digits and `_`, so it needs no
/// quoting beyond the double quotes.
pub(crate) fn database_name(name: &str) -> Result<&str, StoreError> {
    let plain = !name.is_empty()
        && name.len() < 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        Ok(name)
    } else {
        Err(StoreError::Task(format!(
            "`{name}` is not a plain database name"
        )))
    }
}

/// Runs one statement on its own connection to `admin`'s database.
pub(crate) async fn admin_statement(admin: &PostgresUrl, sql: &str) -> Result<(), StoreError> {
    let config = admin.config().map_err(StoreError::Database)?;
    let (client, connection) = done(config.connect(NoTls).await.map_err(Failure::from))?;
    let driver = tokio::spawn(connection);
    let result = done(client.batch_execute(sql).await.map_err(Failure::from));
    drop(client);
    let _ = driver.await;
    result
}
