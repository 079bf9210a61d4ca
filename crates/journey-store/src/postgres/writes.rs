//! The writes of a flow's transaction ([`Write`]), applied in the PostgreSQL store: every one
//! runs inside the transaction that saves the flow, so a lost race writes none of them.
//! Accounts are [`super::accounts`]'s, quota events [`super::claims`]'s.

use super::{Pg, accounts, claims};
use crate::accounts::NewAccount;
use crate::{NewMessage, NewSession, SecurityEvent, Write};
use deadpool_postgres::{GenericClient, Transaction};

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
    // Queued, due at once.
    let statement = tx
        .prepare_cached(
            "INSERT INTO outbox (tenant, brand, locale, flow_id, channel, recipient, subject, body, html,
                                 created_at, expires_at, state, attempts, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', 0, $10)",
        )
        .await?;
    tx.execute(
        &statement,
        &[
            tenant, brand, locale, flow_id, channel, recipient, subject, body, html, created_at,
            expires_at,
        ],
    )
    .await?;
    Ok(())
}

/// Appends a security event in `c` (a flow's transaction, or one of its own).
pub(crate) async fn insert_event(c: &impl GenericClient, event: &SecurityEvent) -> Pg<()> {
    let statement = c
        .prepare_cached(
            "INSERT INTO security_events (tenant, at, kind, subject, identifier, client, flow_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    c.execute(
        &statement,
        &[
            &event.tenant,
            &event.at,
            &event.kind,
            &event.subject,
            &event.identifier,
            &event.client,
            &event.flow_id,
        ],
    )
    .await?;
    Ok(())
}
