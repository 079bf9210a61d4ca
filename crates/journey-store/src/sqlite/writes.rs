//! The writes of a flow's transaction ([`Write`]), applied in the SQLite store: every one runs
//! inside the transaction that saves the flow, so a lost race writes none of them. Accounts are
//! [`super::accounts`]'s, quota events [`super::claims`]'s.

use super::Cached;
use super::{Sql, accounts, claims, consents};
use crate::accounts::NewAccount;
use crate::{NewMessage, NewSession, SecurityEvent, Write};
use rusqlite::{Connection, params};

/// Applies `writes` through `c`, in the transaction of a save at `now`.
pub(crate) fn apply(c: &Connection, writes: &[Write], now: i64) -> Sql<()> {
    for write in writes {
        match write {
            Write::CreateAccount {
                tenant,
                subject,
                email,
                attributes,
                password_hash,
            } => accounts::create(
                c,
                NewAccount {
                    tenant,
                    subject,
                    email,
                    attributes,
                    password_hash: password_hash.as_deref(),
                },
                now,
            )?,
            Write::Enqueue(message) => enqueue(c, message)?,
            Write::SetPassword {
                tenant,
                subject,
                password_hash,
            } => accounts::set_password(c, tenant, subject, password_hash, now)?,
            Write::EndSessions { tenant, subject } => {
                c.run(
                    "DELETE FROM sessions WHERE tenant = ?1 AND subject = ?2",
                    params![tenant, subject],
                )?;
            }
            Write::ClearLoginThrottle { tenant, identifier } => {
                // The identifier's own key and every `identifier|client` key.
                c.run(
                    "DELETE FROM login_throttle WHERE tenant = ?1
                     AND (identifier = ?2 OR substr(identifier, 1, length(?2) + 1) = ?2 || '|')",
                    params![tenant, identifier],
                )?;
            }
            Write::Event(event) => insert_event(c, event)?,
            Write::Consent(consent) => consents::insert(c, consent)?,
            Write::UpdateProfile {
                tenant,
                subject,
                attributes,
                verified,
            } => accounts::update_profile(c, tenant, subject, attributes, verified)?,
            Write::ForgetDevices { tenant, subject } => {
                c.run(
                    "DELETE FROM trusted_devices WHERE tenant = ?1 AND subject = ?2",
                    params![tenant, subject],
                )?;
            }
            Write::ForgetDevice { tenant, token_hash } => {
                c.run(
                    "DELETE FROM trusted_devices WHERE tenant = ?1 AND token_hash = ?2",
                    params![tenant, token_hash],
                )?;
            }
            Write::TrustDevice {
                tenant,
                subject,
                token_hash,
                expires_at,
            } => {
                c.run(
                    "INSERT INTO trusted_devices (token_hash, tenant, subject, expires_at) VALUES (?1, ?2, ?3, ?4)",
                    params![token_hash, tenant, subject, expires_at],
                )?;
            }
            Write::ReleaseQuota { tenant, key } => claims::release_quota(c, tenant, key)?,
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
                c.run(
                    "INSERT INTO sessions (id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![id_hash, tenant, subject, acr, amr, auth_time, expires_at, flow_id],
                )?;
            }
        }
    }
    Ok(())
}

fn enqueue(c: &Connection, message: &NewMessage) -> Sql<()> {
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
    c.run(
        "INSERT INTO outbox (tenant, brand, locale, flow_id, channel, recipient, subject, body, html,
                             created_at, expires_at, state, attempts, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'queued', 0, ?10)",
        params![
            tenant, brand, locale, flow_id, channel, recipient, subject, body, html, created_at,
            expires_at
        ],
    )?;
    Ok(())
}

pub(crate) fn insert_event(c: &Connection, event: &SecurityEvent) -> Sql<()> {
    c.run(
        "INSERT INTO security_events (tenant, at, kind, subject, identifier, client, flow_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            event.tenant,
            event.at,
            event.kind,
            event.subject,
            event.identifier,
            event.client,
            event.flow_id
        ],
    )?;
    Ok(())
}
