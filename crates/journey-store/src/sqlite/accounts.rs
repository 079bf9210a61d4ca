//! Accounts in the SQLite store (the records are [`crate::accounts`]'s to describe; the schema
//! is [`super::migrations`]'s).

use super::Cached;
use super::{Failure, Sql};
use crate::accounts::{self, EMAIL, NewAccount, PASSWORD};
use crate::{Credentials, Profile, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};

/// Whether the tenant has an account with this email.
pub(crate) fn exists(c: &Connection, tenant: &str, email: &str) -> Sql<bool> {
    Ok(c.row(
        "SELECT EXISTS (SELECT 1 FROM account_identifiers
                        WHERE tenant = ?1 AND kind = ?2 AND value = ?3)",
        params![tenant, EMAIL, email],
        |row| row.get(0),
    )?)
}

/// The account with this email and its password hash, if it has one.
pub(crate) fn credentials(c: &Connection, tenant: &str, email: &str) -> Sql<Option<Credentials>> {
    Ok(c.row(
        "SELECT i.subject, c.secret FROM account_identifiers AS i
         LEFT JOIN account_credentials AS c ON c.subject = i.subject AND c.kind = ?4
         WHERE i.tenant = ?1 AND i.kind = ?2 AND i.value = ?3",
        params![tenant, EMAIL, email, PASSWORD],
        |row| {
            Ok(Credentials {
                subject: row.get(0)?,
                password_hash: row.get(1)?,
            })
        },
    )
    .optional()?)
}

/// Creates an account at `now` with its email as a verified identifier and its password, if
/// any, as a credential. A subject or email already taken is [`StoreError::Duplicate`].
pub(crate) fn create(c: &Connection, account: NewAccount<'_>, now: i64) -> Sql<()> {
    let NewAccount {
        tenant,
        subject,
        email,
        attributes,
        password_hash,
    } = account;
    duplicate_if_taken(c.run(
        "INSERT INTO accounts (subject, tenant, attributes) VALUES (?1, ?2, ?3)",
        params![subject, tenant, attributes],
    ))?;
    duplicate_if_taken(c.run(
        "INSERT INTO account_identifiers (tenant, subject, kind, value, verified, verified_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5)",
        params![tenant, subject, EMAIL, email, now],
    ))?;
    if let Some(hash) = password_hash {
        c.run(
            "INSERT INTO account_credentials (subject, kind, secret, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![subject, PASSWORD, hash, now],
        )?;
    }
    Ok(())
}

/// Sets the password of the tenant's account `subject` at `now`: replaces the one it has, or
/// gives it its first.
pub(crate) fn set_password(
    c: &Connection,
    tenant: &str,
    subject: &str,
    hash: &str,
    now: i64,
) -> Sql<()> {
    let replaced = c.run(
        "UPDATE account_credentials SET secret = ?3, updated_at = ?4
         WHERE kind = ?5 AND subject = (SELECT subject FROM accounts WHERE tenant = ?1 AND subject = ?2)",
        params![tenant, subject, hash, now, PASSWORD],
    )?;
    let added = match replaced {
        0 => c.run(
            "INSERT INTO account_credentials (subject, kind, secret, created_at, updated_at)
             SELECT subject, ?5, ?3, ?4, ?4 FROM accounts WHERE tenant = ?1 AND subject = ?2",
            params![tenant, subject, hash, now, PASSWORD],
        )?,
        _ => 0,
    };
    if replaced + added != 1 {
        return Err(StoreError::Task(format!("no account {subject} to set a password for")).into());
    }
    Ok(())
}

/// The profile of the tenant's account `subject`, if there is one.
pub(crate) fn profile(c: &Connection, tenant: &str, subject: &str) -> Sql<Option<Profile>> {
    let row = c
        .row(
            "SELECT a.attributes, a.verified_attributes, i.value, i.verified,
                    EXISTS (SELECT 1 FROM account_credentials AS c
                            WHERE c.subject = a.subject AND c.kind = ?4)
             FROM accounts AS a
             LEFT JOIN account_identifiers AS i
               ON i.tenant = a.tenant AND i.subject = a.subject AND i.kind = ?3
             WHERE a.tenant = ?1 AND a.subject = ?2",
            params![tenant, subject, EMAIL, PASSWORD],
            |row| {
                let email: Option<String> = row.get(2)?;
                let proven: Option<bool> = row.get(3)?;
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    email.map(|e| (e, proven.unwrap_or(false))),
                    row.get::<_, bool>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((attributes, verified, email, has_password)) = row else {
        return Ok(None);
    };
    Ok(Some(accounts::profile(
        &attributes,
        &verified,
        email,
        has_password,
    )?))
}

/// Keeps `update` on the tenant's account `subject` (see [`crate::Write::UpdateProfile`]).
pub(crate) fn update_profile(
    c: &Connection,
    tenant: &str,
    subject: &str,
    update: &BTreeMap<String, String>,
    verified: &BTreeSet<String>,
) -> Sql<()> {
    let stored: Option<(String, String)> = c
        .row(
            "SELECT attributes, verified_attributes FROM accounts
             WHERE tenant = ?1 AND subject = ?2",
            params![tenant, subject],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((attributes, before)) = stored else {
        return Err(StoreError::Task(format!("no account {subject} to keep a profile on")).into());
    };
    let (attributes, after) = accounts::merged(&attributes, &before, update, verified)?;
    c.run(
        "UPDATE accounts SET attributes = ?3, verified_attributes = ?4
         WHERE tenant = ?1 AND subject = ?2",
        params![tenant, subject, attributes, after],
    )?;
    Ok(())
}

/// A unique value already taken becomes [`StoreError::Duplicate`]; other results pass.
fn duplicate_if_taken(result: rusqlite::Result<usize>) -> Sql<usize> {
    let failure = match result {
        Ok(changed) => return Ok(changed),
        Err(e) => Failure::from(e),
    };
    if failure.is(rusqlite::ErrorCode::ConstraintViolation) {
        return Err(StoreError::Duplicate("account".into()).into());
    }
    Err(failure)
}
