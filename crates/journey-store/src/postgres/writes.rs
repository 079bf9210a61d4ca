//! The writes of a flow's transaction ([`Write`]), applied in the PostgreSQL store: every one
//! runs inside the transaction that saves the flow, so a lost race writes none of them. The
//! plain inserts among them (a message, a security event) can also be made by the saving
//! statement itself ([`insert_of`], [`insert_from`]), so such a save is one statement.
//! Accounts are [`super::accounts`]'s, quota events [`super::claims`]'s.

use super::{Pg, accounts, claims, consents};
use crate::accounts::NewAccount;
use crate::{NewMessage, NewSession, SecurityEvent, Write};
use deadpool_postgres::{GenericClient, Transaction};
use tokio_postgres::types::ToSql;

/// A value of a statement.
pub(crate) type Param<'a> = &'a (dyn ToSql + Sync);

/// A row a write inserts: its table, its columns with their types, and its values.
pub(crate) struct Insert<'a> {
    pub table: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
    pub values: Vec<Param<'a>>,
}

/// The outbox row of a message ([`enqueue`], and a save's one statement): queued (the
/// columns' default state, no attempts yet), due at once.
const OUTBOX_COLUMNS: &[(&str, &str)] = &[
    ("tenant", "text"),
    ("brand", "text"),
    ("locale", "text"),
    ("flow_id", "text"),
    ("channel", "text"),
    ("recipient", "text"),
    ("subject", "text"),
    ("body", "text"),
    ("html", "text"),
    ("created_at", "bigint"),
    ("expires_at", "bigint"),
    ("next_attempt_at", "bigint"),
];

/// The row of a security event ([`insert_event`], and a save's one statement).
const EVENT_COLUMNS: &[(&str, &str)] = &[
    ("tenant", "text"),
    ("at", "bigint"),
    ("kind", "text"),
    ("subject", "text"),
    ("identifier", "text"),
    ("client", "text"),
    ("flow_id", "text"),
];

fn message_row(message: &NewMessage) -> Insert<'_> {
    let NewMessage {
        tenant,
        brand,
        locale,
        flow_id,
        channel,
        recipient,
        subject,
        body,
        html,
        created_at,
        expires_at,
    } = message;
    Insert {
        table: "outbox",
        columns: OUTBOX_COLUMNS,
        values: vec![
            tenant, brand, locale, flow_id, channel, recipient, subject, body, html, created_at,
            expires_at, created_at,
        ],
    }
}

fn event_row(event: &SecurityEvent) -> Insert<'_> {
    Insert {
        table: "security_events",
        columns: EVENT_COLUMNS,
        values: vec![
            &event.tenant,
            &event.at,
            &event.kind,
            &event.subject,
            &event.identifier,
            &event.client,
            &event.flow_id,
        ],
    }
}

/// The row `write` inserts, when it is a plain insert a save can make in the statement that
/// updates the flow (a message, a security event); `None` for every other write.
pub(crate) fn insert_of(write: &Write) -> Option<Insert<'_>> {
    match write {
        Write::Enqueue(message) => Some(message_row(message)),
        Write::Event(event) => Some(event_row(event)),
        _ => None,
    }
}

/// `INSERT INTO table (columns) VALUES ($first, ...)`.
fn insert_sql(insert: &Insert<'_>) -> String {
    let columns: Vec<&str> = insert.columns.iter().map(|(name, _)| *name).collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        insert.table,
        columns.join(", "),
        values.join(", ")
    )
}

/// `INSERT INTO table (columns) SELECT $first::type, ... FROM source`: the row only if `source`
/// has one (a save's updated flow).
pub(crate) fn insert_from(insert: &Insert<'_>, first: usize, source: &str) -> String {
    let columns: Vec<&str> = insert.columns.iter().map(|(name, _)| *name).collect();
    let values: Vec<String> = insert
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| format!("${}::{kind}", first + i))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM {source}",
        insert.table,
        columns.join(", "),
        values.join(", ")
    )
}

/// Inserts `row` in `c`.
async fn insert(c: &impl GenericClient, row: Insert<'_>) -> Pg<()> {
    let statement = c.prepare_cached(&insert_sql(&row)).await?;
    c.execute(&statement, &row.values).await?;
    Ok(())
}

/// Applies `writes` in `tx`, the transaction of a save at `now`.
pub(crate) async fn apply(tx: &Transaction<'_>, writes: &[Write], now: i64) -> Pg<()> {
    for write in writes {
        match write {
            Write::CreateAccount {
                tenant,
                subject,
                email,
                attributes,
                password_hash,
            } => {
                let account = NewAccount {
                    tenant,
                    subject,
                    email,
                    attributes,
                    password_hash: password_hash.as_deref(),
                };
                accounts::create(tx, account, now).await?;
            }
            Write::Enqueue(message) => enqueue(tx, message).await?,
            Write::SetPassword {
                tenant,
                subject,
                password_hash,
            } => accounts::set_password(tx, tenant, subject, password_hash, now).await?,
            Write::EndSessions { tenant, subject } => {
                tx.execute(
                    "DELETE FROM sessions WHERE tenant = $1 AND subject = $2",
                    &[tenant, subject],
                )
                .await?;
            }
            Write::ClearLoginThrottle { tenant, identifier } => {
                // The identifier's own key and every `identifier|client` key.
                tx.execute(
                    "DELETE FROM login_throttle WHERE tenant = $1
                     AND (identifier = $2 OR starts_with(identifier, $2 || '|'))",
                    &[tenant, identifier],
                )
                .await?;
            }
            Write::Event(event) => insert_event(tx, event).await?,
            Write::Consent(consent) => consents::insert(tx, consent).await?,
            Write::UpdateProfile {
                tenant,
                subject,
                attributes,
                verified,
            } => accounts::update_profile(tx, tenant, subject, attributes, verified).await?,
            Write::ForgetDevices { tenant, subject } => {
                tx.execute(
                    "DELETE FROM trusted_devices WHERE tenant = $1 AND subject = $2",
                    &[tenant, subject],
                )
                .await?;
            }
            Write::ForgetDevice { tenant, token_hash } => {
                tx.execute(
                    "DELETE FROM trusted_devices WHERE tenant = $1 AND token_hash = $2",
                    &[tenant, token_hash],
                )
                .await?;
            }
            Write::TrustDevice {
                tenant,
                subject,
                token_hash,
                expires_at,
            } => {
                tx.execute(
                    "INSERT INTO trusted_devices (token_hash, tenant, subject, expires_at)
                     VALUES ($1, $2, $3, $4)",
                    &[token_hash, tenant, subject, expires_at],
                )
                .await?;
            }
            Write::ReleaseQuota { tenant, key } => claims::release_quota(tx, tenant, key).await?,
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
                    "INSERT INTO sessions (id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id],
                )
                .await?;
            }
        }
    }
    Ok(())
}

async fn enqueue(tx: &Transaction<'_>, message: &NewMessage) -> Pg<()> {
    insert(tx, message_row(message)).await
}

/// Appends a security event in `c` (a flow's transaction, or one of its own).
pub(crate) async fn insert_event(c: &impl GenericClient, event: &SecurityEvent) -> Pg<()> {
    insert(c, event_row(event)).await
}
