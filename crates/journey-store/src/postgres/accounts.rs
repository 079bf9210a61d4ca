//! Accounts in the PostgreSQL store (the records are [`crate::accounts`]'s to describe; the
//! schema is [`super::migrations`]'s). An email is one account's per tenant by the primary key
//! of `account_identifiers`, so parallel registrations of one address from any number of
//! server processes make one account: the others fail with [`StoreError::Duplicate`].

use super::{Failure, Pg};
use crate::accounts::{self, EMAIL, NewAccount, PASSWORD};
use crate::{Credentials, Profile, StoreError};
use deadpool_postgres::{GenericClient, Transaction};
use std::collections::{BTreeMap, BTreeSet};
use tokio_postgres::error::SqlState;

/// Whether the tenant has an account with this email.
pub(crate) async fn exists(c: &impl GenericClient, tenant: &str, email: &str) -> Pg<bool> {
    let statement = c
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM account_identifiers
                            WHERE tenant = $1 AND kind = $2 AND value = $3)",
        )
        .await?;
    Ok(c.query_one(&statement, &[&tenant, &EMAIL, &email])
        .await?
        .get(0))
}

/// The account with this email and its password hash, if it has one.
pub(crate) async fn credentials(
    c: &impl GenericClient,
    tenant: &str,
    email: &str,
) -> Pg<Option<Credentials>> {
    let statement = c
        .prepare_cached(
            "SELECT i.subject, c.secret FROM account_identifiers AS i
             LEFT JOIN account_credentials AS c ON c.subject = i.subject AND c.kind = $4
             WHERE i.tenant = $1 AND i.kind = $2 AND i.value = $3",
        )
        .await?;
    let row = c
        .query_opt(&statement, &[&tenant, &EMAIL, &email, &PASSWORD])
        .await?;
    Ok(row.map(|row| Credentials {
        subject: row.get(0),
        password_hash: row.get(1),
    }))
}

/// The profile of the tenant's account `subject`, if there is one.
pub(crate) async fn profile(
    c: &impl GenericClient,
    tenant: &str,
    subject: &str,
) -> Pg<Option<Profile>> {
    let statement = c
        .prepare_cached(
            "SELECT a.attributes, a.verified_attributes, i.value, i.verified,
                    EXISTS (SELECT 1 FROM account_credentials AS c
                            WHERE c.subject = a.subject AND c.kind = $4)
             FROM accounts AS a
             LEFT JOIN account_identifiers AS i
               ON i.tenant = a.tenant AND i.subject = a.subject AND i.kind = $3
             WHERE a.tenant = $1 AND a.subject = $2",
        )
        .await?;
    let Some(row) = c
        .query_opt(&statement, &[&tenant, &subject, &EMAIL, &PASSWORD])
        .await?
    else {
        return Ok(None);
    };
    let email: Option<String> = row.get(2);
    let proven: Option<bool> = row.get(3);
    Ok(Some(accounts::profile(
        row.get(0),
        row.get(1),
        email.map(|e| (e, proven.unwrap_or(false))),
        row.get(4),
    )?))
}

/// Keeps `update` on the tenant's account `subject` (see [`crate::Write::UpdateProfile`]); the
/// row is locked while it is merged, so two flows of one account cannot lose each other's
/// attributes.
pub(crate) async fn update_profile(
    tx: &Transaction<'_>,
    tenant: &str,
    subject: &str,
    update: &BTreeMap<String, String>,
    verified: &BTreeSet<String>,
) -> Pg<()> {
    let Some(row) = tx
        .query_opt(
            "SELECT attributes, verified_attributes FROM accounts
             WHERE tenant = $1 AND subject = $2 FOR UPDATE",
            &[&tenant, &subject],
        )
        .await?
    else {
        return Err(StoreError::Task(format!("no account {subject} to keep a profile on")).into());
    };
    let (attributes, after) = accounts::merged(row.get(0), row.get(1), update, verified)?;
    tx.execute(
        "UPDATE accounts SET attributes = $3, verified_attributes = $4
         WHERE tenant = $1 AND subject = $2",
        &[&tenant, &subject, &attributes, &after],
    )
    .await?;
    Ok(())
}

/// Creates an account at `now` with its email as a verified identifier and its password, if
/// any, as a credential. A subject or email already taken is [`StoreError::Duplicate`] (and
/// the transaction can then only be rolled back).
pub(crate) async fn create(tx: &Transaction<'_>, account: NewAccount<'_>, now: i64) -> Pg<()> {
    let NewAccount {
        tenant,
        subject,
        email,
        attributes,
        password_hash,
    } = account;
    duplicate_if_taken(
        tx.execute(
            "INSERT INTO accounts (subject, tenant, attributes) VALUES ($1, $2, $3)",
            &[&subject, &tenant, &attributes],
        )
        .await,
    )?;
    duplicate_if_taken(
        tx.execute(
            "INSERT INTO account_identifiers (tenant, subject, kind, value, verified, verified_at)
             VALUES ($1, $2, $3, $4, true, $5)",
            &[&tenant, &subject, &EMAIL, &email, &now],
        )
        .await,
    )?;
    if let Some(hash) = password_hash {
        tx.execute(
            "INSERT INTO account_credentials (subject, kind, secret, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4)",
            &[&subject, &PASSWORD, &hash, &now],
        )
        .await?;
    }
    Ok(())
}

/// Sets the password of the tenant's account `subject` at `now`: replaces the one it has, or
/// gives it its first, in one upsert on the one-password index.
pub(crate) async fn set_password(
    tx: &Transaction<'_>,
    tenant: &str,
    subject: &str,
    hash: &str,
    now: i64,
) -> Pg<()> {
    let changed = tx
        .execute(
            "INSERT INTO account_credentials (subject, kind, secret, created_at, updated_at)
             SELECT subject, $5, $3, $4, $4 FROM accounts WHERE tenant = $1 AND subject = $2
             ON CONFLICT (subject) WHERE kind = 'password'
             DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at",
            &[&tenant, &subject, &hash, &now, &PASSWORD],
        )
        .await?;
    if changed != 1 {
        return Err(StoreError::Task(format!("no account {subject} to set a password for")).into());
    }
    Ok(())
}

/// A unique value already taken becomes [`StoreError::Duplicate`]; other results pass.
fn duplicate_if_taken(result: Result<u64, tokio_postgres::Error>) -> Pg<u64> {
    match result {
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            Err(StoreError::Duplicate("account".into()).into())
        }
        other => other.map_err(Failure::from),
    }
}
