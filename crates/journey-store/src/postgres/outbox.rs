//! The outbox's statements on PostgreSQL: listing, claiming with a lease, recording an attempt,
//! dropping expired codes.
//!
//! A claim is one statement, `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)
//! RETURNING`: replicas claiming at once each lock different rows and skip the others' (none
//! waits), and a row another claim has just committed is re-checked against the condition
//! (READ COMMITTED re-reads a locked row) and found `sending` with a lease that has not run
//! out. While a message is `sending`, `next_attempt_at` holds the end of its lease.

use super::Pg;
use crate::{Attempt, MessageState, OutboxMessage};
use deadpool_postgres::GenericClient;

/// The columns [`message`] reads, in its order.
const COLUMNS: &str = "id, tenant, brand, locale, channel, recipient, subject, body, html, \
     created_at, delivered_at, expires_at, state, attempts, next_attempt_at, last_error";

fn message(row: &tokio_postgres::Row) -> OutboxMessage {
    let state: String = row.get(12);
    let attempts: i32 = row.get(13);
    OutboxMessage {
        id: row.get(0),
        tenant: row.get(1),
        brand: row.get(2),
        locale: row.get(3),
        channel: row.get(4),
        recipient: row.get(5),
        subject: row.get(6),
        body: row.get(7),
        html: row.get(8),
        created_at: row.get(9),
        delivered_at: row.get(10),
        expires_at: row.get(11),
        state: MessageState::parse(&state),
        attempts: u32::try_from(attempts).unwrap_or(0),
        next_attempt_at: row.get(14),
        last_error: row.get(15),
    }
}

fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) async fn undelivered(
    c: &impl GenericClient,
    n: usize,
    now: i64,
) -> Pg<Vec<OutboxMessage>> {
    let statement = c
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox
             WHERE state IN ('queued', 'sending') AND (expires_at IS NULL OR expires_at > $2)
             ORDER BY id LIMIT $1"
        ))
        .await?;
    let rows = c.query(&statement, &[&limit(n), &now]).await?;
    Ok(rows.iter().map(message).collect())
}

pub(crate) async fn claim(
    c: &impl GenericClient,
    channels: &[String],
    now: i64,
    lease_until: i64,
    n: usize,
) -> Pg<Vec<OutboxMessage>> {
    if channels.is_empty() || n == 0 {
        return Ok(Vec::new());
    }
    let statement = c
        .prepare_cached(&format!(
            "UPDATE outbox SET state = 'sending', next_attempt_at = $2, attempts = attempts + 1
             WHERE id IN (
                 SELECT id FROM outbox
                 WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1
                   AND (expires_at IS NULL OR expires_at > $1)
                   AND channel = ANY($4)
                 ORDER BY id LIMIT $3
                 FOR UPDATE SKIP LOCKED)
             RETURNING {COLUMNS}"
        ))
        .await?;
    let rows = c
        .query(&statement, &[&now, &lease_until, &limit(n), &channels])
        .await?;
    let mut claimed: Vec<OutboxMessage> = rows.iter().map(message).collect();
    // RETURNING gives no order.
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

pub(crate) async fn record(
    c: &impl GenericClient,
    id: i64,
    tries: u32,
    now: i64,
    attempt: &Attempt,
) -> Pg<()> {
    let tries = i32::try_from(tries).unwrap_or(i32::MAX);
    match attempt {
        Attempt::Sent { keep_body: true } => {
            c.execute(
                "UPDATE outbox SET state = 'sent', delivered_at = $2
                 WHERE id = $1 AND state = 'sending' AND attempts = $3",
                &[&id, &now, &tries],
            )
            .await?
        }
        Attempt::Sent { keep_body: false } => {
            c.execute(
                "UPDATE outbox SET state = 'sent', delivered_at = $2, subject = '', body = '', html = ''
                 WHERE id = $1 AND state = 'sending' AND attempts = $3",
                &[&id, &now, &tries],
            )
            .await?
        }
        Attempt::Retry { at, error } => {
            c.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = $2, last_error = $3
                 WHERE id = $1 AND state = 'sending' AND attempts = $4",
                &[&id, at, error, &tries],
            )
            .await?
        }
        Attempt::Failed { error } => {
            c.execute(
                "UPDATE outbox SET state = 'failed', failed_at = $2, last_error = $3,
                     subject = '', body = '', html = ''
                 WHERE id = $1 AND state = 'sending' AND attempts = $4",
                &[&id, &now, error, &tries],
            )
            .await?
        }
    };
    Ok(())
}

pub(crate) async fn next_due(c: &impl GenericClient, channels: &[String]) -> Pg<Option<i64>> {
    if channels.is_empty() {
        return Ok(None);
    }
    let row = c
        .query_one(
            "SELECT min(next_attempt_at) FROM outbox
             WHERE state IN ('queued', 'sending') AND channel = ANY($1)",
            &[&channels],
        )
        .await?;
    Ok(row.get(0))
}

pub(crate) async fn by_id(c: &impl GenericClient, id: i64) -> Pg<Option<OutboxMessage>> {
    let row = c
        .query_opt(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"),
            &[&id],
        )
        .await?;
    Ok(row.as_ref().map(message))
}

pub(crate) async fn to(
    c: &impl GenericClient,
    recipient: &str,
    n: usize,
) -> Pg<Vec<OutboxMessage>> {
    let rows = c
        .query(
            &format!("SELECT {COLUMNS} FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT $2"),
            &[&recipient, &limit(n)],
        )
        .await?;
    Ok(rows.iter().map(message).collect())
}

pub(crate) async fn drop_expired(c: &impl GenericClient, now: i64) -> Pg<u64> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'dropped', dropped_at = $1, subject = '', body = '', html = ''
         WHERE expires_at <= $1
           AND (state = 'queued' OR (state = 'sending' AND next_attempt_at <= $1))",
        &[&now],
    )
    .await?)
}

pub(crate) async fn sent(
    c: &impl GenericClient,
    recipient: Option<&str>,
    n: usize,
) -> Pg<Vec<OutboxMessage>> {
    let rows = c
        .query(
            &format!(
                "SELECT {COLUMNS} FROM outbox
                 WHERE state = 'sent' AND ($1::text IS NULL OR recipient = $1)
                 ORDER BY id DESC LIMIT $2"
            ),
            &[&recipient, &limit(n)],
        )
        .await?;
    Ok(rows.iter().map(message).collect())
}

/// The statement `purge` removes finished messages with.
pub(crate) const PURGE: &str =
    "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'dropped') AND created_at < $1";
