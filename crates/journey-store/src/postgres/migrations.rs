//! The PostgreSQL schema, as numbered migration scripts (`migrations/postgres/NNNN_*.sql` in
//! this crate), and applying them when a store opens.
//!
//! The schema version is recorded in `journeykit_schema`, one row per script applied (its
//! number and when). Every open runs one transaction that first takes an advisory lock, so
//! three replicas starting together on a new database migrate it once, one after the other,
//! the later ones finding the work done; PostgreSQL's DDL is transactional, so a script that
//! fails leaves nothing half applied. A database at a version newer than these scripts is
//! refused ([`crate::schema`]), and an empty one (no `journeykit_schema` yet) is set up only
//! when the caller asked for creation.
//!
//! ```text
//!   BEGIN
//!   pg_advisory_xact_lock(SCHEMA_LOCK)          -- other openers wait here
//!   CREATE TABLE IF NOT EXISTS journeykit_schema
//!   version := max(version)                     -- 0 for a new database
//!   version > known?  -> refuse: upgrade the server
//!   version = 0 and no creation asked? -> refuse: empty
//!   for each script after version: run it, record it
//!   COMMIT                                      -- releases the lock
//! ```
//!
//! Never edit a released script; add the next, and the matching one for SQLite.

use super::Pg;
use crate::{Create, StoreError};
use deadpool_postgres::Object;

/// Schema versions, applied in order: script N takes a database from version N - 1 to N.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_initial.sql"),
    include_str!("../../migrations/postgres/0002_message_states.sql"),
    include_str!("../../migrations/postgres/0003_consents.sql"),
    include_str!("../../migrations/postgres/0004_verified_attributes.sql"),
];

/// The advisory lock every opener holds while it looks at and migrates the schema (an
/// arbitrary number: "jk" and "schema" in ASCII).
const SCHEMA_LOCK: i64 = 0x6a6b_7363_6865_6d61;

/// Brings the schema of the database `client` is connected to up to date; `shown` names the
/// database in errors.
pub(crate) async fn migrate(client: &mut Object, create: Create, shown: &str) -> Pg<()> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS journeykit_schema (
             version INTEGER PRIMARY KEY,
             applied_at BIGINT NOT NULL
         )",
    )
    .await?;
    let current: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM journeykit_schema",
            &[],
        )
        .await?
        .get(0);
    crate::schema::known(i64::from(current), MIGRATIONS.len())?;
    if current == 0 && create == Create::Never {
        // Rolled back on drop: an empty database stays empty.
        return Err(StoreError::Empty(shown.to_owned()).into());
    }
    for (index, script) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
        tx.batch_execute(script).await?;
        tx.execute(
            "INSERT INTO journeykit_schema (version, applied_at)
             VALUES ($1, extract(epoch FROM now())::bigint)",
            &[&version],
        )
        .await?;
        tracing::info!(version, "database schema migrated");
    }
    tx.commit().await?;
    Ok(())
}
