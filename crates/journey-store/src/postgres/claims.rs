//! The claims that limit work across flows, in the PostgreSQL store: a login attempt under its
//! throttle keys ([`login_attempt`]) and one event of each quota key ([`quota`]). Their shape
//! (one upsert per key, all or nothing, the block schedule spelled out) is [`crate::claims`]'s.
//!
//! Under READ COMMITTED, `INSERT … ON CONFLICT DO UPDATE … WHERE` locks the row it conflicts
//! with and checks the condition against that row's newest committed version: a second
//! process claiming the same key waits for the first to commit and then decides on what it
//! counted. A claim of several keys runs in a transaction that is rolled back when the
//! statement returns fewer rows than keys; the keys are locked in one order (`COLLATE "C"`),
//! and a claim the database picks as a deadlock's victim anyway is simply tried again. A claim
//! of one key (a registration's code guesses and messages) needs no transaction of its own:
//! the statement either counts the key or changes nothing, so it runs alone, one round trip
//! instead of three (BEGIN, the claim, COMMIT), which the step bench measures on PostgreSQL.

use super::Pg;
use crate::claims::{ATTEMPTS, FIRST_REACH, blocks, next_reach, sorted};
use crate::{Claim, Quota, StoreError, Window};
use deadpool_postgres::{Object, Transaction};

/// One login attempt under every key (all or none): counted as a failure up front, and blocked
/// for `block(failures)` from `now`, unless a key is blocked at `now`. `$4` holds `block(n)` at
/// index `n` (PostgreSQL arrays count from 1) for the counts this try may reach.
const LOGIN_CLAIM: &str = r#"
INSERT INTO login_throttle (tenant, identifier, failures, blocked_until)
SELECT $1, k, 1, $3::bigint + ($4::bigint[])[1] FROM unnest($2::text[]) AS k
ORDER BY k COLLATE "C"
ON CONFLICT (tenant, identifier) DO UPDATE
SET failures = login_throttle.failures + 1,
    blocked_until = $3::bigint + ($4::bigint[])[login_throttle.failures + 1]
WHERE login_throttle.blocked_until <= $3::bigint
  AND login_throttle.failures + 1 <= cardinality($4::bigint[])
RETURNING failures"#;

/// Why a login claim was refused: the latest end of a block at `now`, and the highest count.
const LOGIN_REFUSAL: &str = "
SELECT max(CASE WHEN blocked_until > $3::bigint THEN blocked_until END), max(failures)
FROM login_throttle WHERE tenant = $1 AND identifier = ANY($2::text[])";

/// One event at `now` of every key (all or none), if every window (`$4` its lengths, `$5` its
/// maxima) has room for it: a new key when no window allows nothing, a known key when each
/// window holds fewer than its maximum of the key's events. Events older than the longest
/// window (`$6`) are dropped as it goes.
const QUOTA_CLAIM: &str = r#"
INSERT INTO quota_counters (tenant, key, events)
SELECT $1, k, ARRAY[$3::bigint] FROM unnest($2::text[]) AS k
WHERE NOT EXISTS (SELECT 1 FROM unnest($4::bigint[], $5::bigint[]) AS w (span, cap) WHERE w.cap < 1)
ORDER BY k COLLATE "C"
ON CONFLICT (tenant, key) DO UPDATE
SET events = ARRAY(
        SELECT e FROM unnest(quota_counters.events) AS e WHERE e > $3::bigint - $6::bigint
    ) || $3::bigint
WHERE NOT EXISTS (
    SELECT 1 FROM unnest($4::bigint[], $5::bigint[]) AS w (span, cap)
    WHERE (SELECT count(*) FROM unnest(quota_counters.events) AS e
           WHERE e > $3::bigint - w.span) >= w.cap)
RETURNING key"#;

/// When a refused quota claim would have room: for each key and full window, its `max`-th
/// newest event inside the window (the newest with at least `max` events at or after it)
/// leaving it, or the whole window for one allowing nothing.
const QUOTA_REFUSAL: &str = "
SELECT max(CASE
    WHEN w.cap < 1 THEN $3::bigint + w.span
    ELSE (SELECT max(e) FROM quota_counters AS q, unnest(q.events) AS e
          WHERE q.tenant = $1 AND q.key = k AND e > $3::bigint - w.span
            AND (SELECT count(*) FROM unnest(q.events) AS later
                 WHERE later > $3::bigint - w.span AND later >= e) >= w.cap)
         + w.span
    END)::bigint
FROM unnest($2::text[]) AS k, unnest($4::bigint[], $5::bigint[]) AS w (span, cap)";

/// Claims one login attempt under `keys`; see [`crate::Store::claim_login_attempt`].
pub(crate) async fn login_attempt(
    c: &mut Object,
    tenant: &str,
    keys: Vec<String>,
    now: i64,
    block: fn(u32) -> i64,
) -> Pg<Claim> {
    let keys = sorted(keys);
    let mut reach = FIRST_REACH;
    for _ in 0..ATTEMPTS {
        let schedule = blocks(block, reach).split_off(1);
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
            [&tenant, &keys, &now, &schedule];
        let granted = match all_or_none(c, LOGIN_CLAIM, &params, keys.len()).await {
            Ok(rows) => rows,
            Err(failure) if failure.is_deadlock() => continue,
            Err(failure) => return Err(failure),
        };
        if let Some(granted) = granted {
            let failures = granted.iter().map(|row| row.get::<_, i32>(0)).max();
            return Ok(Claim::Granted {
                failures: failures.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            });
        }
        let refusal = c.prepare_cached(LOGIN_REFUSAL).await?;
        let row = c.query_one(&refusal, &[&tenant, &keys, &now]).await?;
        if let Some(until) = row.get::<_, Option<i64>>(0) {
            return Ok(Claim::Blocked { until });
        }
        let highest = row.get::<_, Option<i32>>(1).unwrap_or(0);
        reach = next_reach(reach, u32::try_from(highest).unwrap_or(0));
    }
    Err(StoreError::Task("a login attempt could not be claimed".into()).into())
}

/// Claims one event of each of `keys`; see [`crate::Store::claim_quota`].
pub(crate) async fn quota(
    c: &mut Object,
    tenant: &str,
    keys: Vec<String>,
    now: i64,
    windows: &[Window],
) -> Pg<Quota> {
    let keys = sorted(keys);
    let spans: Vec<i64> = windows.iter().map(|w| w.seconds).collect();
    let caps: Vec<i64> = windows.iter().map(|w| i64::from(w.max)).collect();
    let longest = spans.iter().copied().max().unwrap_or(0);
    for _ in 0..ATTEMPTS {
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
            [&tenant, &keys, &now, &spans, &caps, &longest];
        match all_or_none(c, QUOTA_CLAIM, &params, keys.len()).await {
            Ok(Some(_)) => return Ok(Quota::Granted),
            Ok(None) => {}
            Err(failure) if failure.is_deadlock() => continue,
            Err(failure) => return Err(failure),
        }
        let refusal = c.prepare_cached(QUOTA_REFUSAL).await?;
        let row = c
            .query_one(&refusal, &[&tenant, &keys, &now, &spans, &caps])
            .await?;
        return match row.get::<_, Option<i64>>(0) {
            Some(until) => Ok(Quota::Exhausted { until }),
            None => {
                Err(StoreError::Task("a refused quota claim found every window open".into()).into())
            }
        };
    }
    Err(StoreError::Task("a quota could not be claimed".into()).into())
}

/// Runs the claim statement `sql` for `keys` keys, all or none: its rows (one per key) when
/// every key was counted, else `None` with nothing counted. Several keys take a transaction,
/// rolled back unless every key was counted; one key is one statement on its own, which counts
/// it or changes nothing.
async fn all_or_none(
    c: &mut Object,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    keys: usize,
) -> Pg<Option<Vec<tokio_postgres::Row>>> {
    if keys == 1 {
        let statement = c.prepare_cached(sql).await?;
        let rows = c.query(&statement, params).await?;
        return Ok((rows.len() == keys).then_some(rows));
    }
    let tx = c.transaction().await?;
    let statement = tx.prepare_cached(sql).await?;
    let rows = tx.query(&statement, params).await?;
    if rows.len() == keys {
        tx.commit().await?;
        Ok(Some(rows))
    } else {
        tx.rollback().await?;
        Ok(None)
    }
}

/// Gives back the newest event of `key` ([`crate::Write::ReleaseQuota`]).
pub(crate) async fn release_quota(tx: &Transaction<'_>, tenant: &str, key: &str) -> Pg<()> {
    tx.execute(
        "UPDATE quota_counters
         SET events = events[:newest - 1] || events[newest + 1:]
         FROM (SELECT array_position(q.events, (SELECT max(e) FROM unnest(q.events) AS e)) AS newest
               FROM quota_counters AS q WHERE q.tenant = $1 AND q.key = $2) AS found
         WHERE tenant = $1 AND key = $2 AND cardinality(events) > 0",
        &[&tenant, &key],
    )
    .await?;
    Ok(())
}

/// Forgets the quota events counted before `before`; returns how many.
pub(crate) async fn purge_quotas(tx: &Transaction<'_>, before: i64) -> Pg<u64> {
    let removed: i64 = tx
        .query_one(
            "SELECT count(*) FROM quota_counters AS q, unnest(q.events) AS e WHERE e < $1",
            &[&before],
        )
        .await?
        .get(0);
    tx.execute(
        "UPDATE quota_counters SET events = ARRAY(SELECT e FROM unnest(events) AS e WHERE e >= $1)
         WHERE EXISTS (SELECT 1 FROM unnest(events) AS e WHERE e < $1)",
        &[&before],
    )
    .await?;
    tx.execute(
        "DELETE FROM quota_counters WHERE cardinality(events) = 0",
        &[],
    )
    .await?;
    Ok(u64::try_from(removed).unwrap_or(0))
}
