//! The outbox's statements on SQLite: listing, claiming with a lease, recording an attempt,
//! dropping expired codes. A claim is one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`
//! in the call's immediate transaction (as every call is, [`super`]), so two processes on one file never claim the same message:
//! the second waits for the write lock and then finds it `sending` with a lease that has not
//! run out. While a message is `sending`, `next_attempt_at` holds the end of its lease.

use super::Cached;
use super::Sql;
use crate::{Attempt, MessageState, OutboxMessage};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// The columns [`message`] reads, in its order.
const COLUMNS: &str = "id, tenant, brand, locale, channel, recipient, subject, body, html, \
     created_at, delivered_at, expires_at, state, attempts, next_attempt_at, last_error";

fn message(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxMessage> {
    let state: String = row.get(12)?;
    let attempts: i64 = row.get(13)?;
    Ok(OutboxMessage {
        id: row.get(0)?,
        tenant: row.get(1)?,
        brand: row.get(2)?,
        locale: row.get(3)?,
        channel: row.get(4)?,
        recipient: row.get(5)?,
        subject: row.get(6)?,
        body: row.get(7)?,
        html: row.get(8)?,
        created_at: row.get(9)?,
        delivered_at: row.get(10)?,
        expires_at: row.get(11)?,
        state: MessageState::parse(&state),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_at: row.get(14)?,
        last_error: row.get(15)?,
    })
}

/// `?first, ?first+1, …` for each channel.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn undelivered(c: &Connection, limit: usize, now: i64) -> Sql<Vec<OutboxMessage>> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM outbox
         WHERE state IN ('queued', 'sending') AND (expires_at IS NULL OR expires_at > ?2)
         ORDER BY id LIMIT ?1"
    ))?;
    let rows = statement.query_map(params![limit as i64, now], message)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn claim(
    c: &mut Connection,
    channels: &[String],
    now: i64,
    lease_until: i64,
    limit: usize,
) -> Sql<Vec<OutboxMessage>> {
    if channels.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut claimed = {
        let mut statement = c.prepare_cached(&format!(
            "UPDATE outbox SET state = 'sending', next_attempt_at = ?2, attempts = attempts + 1
             WHERE id IN (
                 SELECT id FROM outbox
                 WHERE state IN ('queued', 'sending') AND next_attempt_at <= ?1
                   AND (expires_at IS NULL OR expires_at > ?1)
                   AND channel IN ({})
                 ORDER BY id LIMIT ?3)
             RETURNING {COLUMNS}",
            placeholders(4, channels.len())
        ))?;
        let mut values: Vec<rusqlite::types::Value> = vec![
            now.into(),
            lease_until.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ];
        values.extend(channels.iter().map(|c| c.clone().into()));
        let rows = statement.query_map(params_from_iter(values), message)?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    // RETURNING gives no order.
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

pub(crate) fn record(c: &Connection, id: i64, tries: u32, now: i64, attempt: &Attempt) -> Sql<()> {
    match attempt {
        Attempt::Sent { keep_body: true } => c.run(
            "UPDATE outbox SET state = 'sent', delivered_at = ?2
             WHERE id = ?1 AND state = 'sending' AND attempts = ?3",
            params![id, now, tries],
        )?,
        Attempt::Sent { keep_body: false } => c.run(
            "UPDATE outbox SET state = 'sent', delivered_at = ?2, subject = '', body = '', html = ''
             WHERE id = ?1 AND state = 'sending' AND attempts = ?3",
            params![id, now, tries],
        )?,
        Attempt::Retry { at, error } => c.run(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, last_error = ?3
             WHERE id = ?1 AND state = 'sending' AND attempts = ?4",
            params![id, at, error, tries],
        )?,
        Attempt::Failed { error } => c.run(
            "UPDATE outbox SET state = 'failed', failed_at = ?2, last_error = ?3,
                 subject = '', body = '', html = ''
             WHERE id = ?1 AND state = 'sending' AND attempts = ?4",
            params![id, now, error, tries],
        )?,
    };
    Ok(())
}

pub(crate) fn next_due(c: &Connection, channels: &[String]) -> Sql<Option<i64>> {
    if channels.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT min(next_attempt_at) FROM outbox
         WHERE state IN ('queued', 'sending') AND channel IN ({})",
        placeholders(1, channels.len())
    );
    Ok(c.row(&sql, params_from_iter(channels), |row| row.get(0))?)
}

pub(crate) fn by_id(c: &Connection, id: i64) -> Sql<Option<OutboxMessage>> {
    Ok(c.row(
        &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
        [id],
        message,
    )
    .optional()?)
}

pub(crate) fn to(c: &Connection, recipient: &str, limit: usize) -> Sql<Vec<OutboxMessage>> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE recipient = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![recipient, limit as i64], message)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn drop_expired(c: &Connection, now: i64) -> Sql<usize> {
    Ok(c.run(
        "UPDATE outbox SET state = 'dropped', dropped_at = ?1, subject = '', body = '', html = ''
         WHERE expires_at <= ?1
           AND (state = 'queued' OR (state = 'sending' AND next_attempt_at <= ?1))",
        [now],
    )?)
}

pub(crate) fn sent(
    c: &Connection,
    recipient: Option<&str>,
    limit: usize,
) -> Sql<Vec<OutboxMessage>> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'sent' AND (?1 IS NULL OR recipient = ?1)
         ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![recipient, limit as i64], message)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The statement `purge` removes finished messages with.
pub(crate) const PURGE: &str =
    "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'dropped') AND created_at < ?1";
