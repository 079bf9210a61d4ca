//! The claims that limit work across flows, in the SQLite store: a login attempt under its
//! throttle keys ([`login_attempt`]) and one event of each quota key ([`quota`]). Their shape
//! (one upsert per key, all or nothing, the block schedule spelled out) is [`crate::claims`]'s.
//!
//! A claim runs in the call's immediate transaction, its statement in a savepoint that is rolled back
//! when it returns fewer rows than keys; the reason is then read as it was before the
//! statement.

use super::Cached;
use super::Sql;
use crate::claims::{ATTEMPTS, FIRST_REACH, blocks, next_reach, sorted};
use crate::{Claim, Quota, StoreError, Window};
use rusqlite::{Connection, params};

/// One login attempt under every key (all or none): counted as a failure up front, and blocked
/// for `block(failures)` from `now`, unless a key is blocked at `now`. SQL cannot call `block`,
/// so the statement gets its values for the counts it may reach (`?4`, a JSON array indexed by
/// the count) and refuses a count beyond them, which is then retried with a longer schedule.
const LOGIN_CLAIM: &str = "
INSERT INTO login_throttle (tenant, identifier, failures, blocked_until)
SELECT ?1, keys.value, 1, ?3 + (?4 ->> 1) FROM json_each(?2) AS keys WHERE true
ORDER BY keys.value
ON CONFLICT (tenant, identifier) DO UPDATE
SET failures = login_throttle.failures + 1,
    blocked_until = ?3 + (?4 ->> (login_throttle.failures + 1))
WHERE login_throttle.blocked_until <= ?3
  AND login_throttle.failures + 1 < json_array_length(?4)
RETURNING failures";

/// Why a login claim was refused: the latest end of a block at `now`, and the highest count.
const LOGIN_REFUSAL: &str = "
SELECT max(CASE WHEN blocked_until > ?3 THEN blocked_until END), max(failures)
FROM login_throttle WHERE tenant = ?1 AND identifier IN (SELECT value FROM json_each(?2))";

/// One event at `now` of every key (all or none), if every window (`?4`, a JSON array of
/// `[seconds, max]`) has room for it: a new key when no window allows nothing, a known key when
/// each window holds fewer than `max` of its events. Events older than the longest window
/// (`?5`) are dropped as it goes.
const QUOTA_CLAIM: &str = "
INSERT INTO quota_counters (tenant, key, events)
SELECT ?1, keys.value, json_array(?3) FROM json_each(?2) AS keys
WHERE NOT EXISTS (SELECT 1 FROM json_each(?4) AS w WHERE w.value ->> 1 < 1)
ORDER BY keys.value
ON CONFLICT (tenant, key) DO UPDATE
SET events = (
    SELECT json_group_array(at) FROM (
        SELECT e.value AS at FROM json_each(quota_counters.events) AS e WHERE e.value > ?3 - ?5
        UNION ALL SELECT ?3))
WHERE NOT EXISTS (
    SELECT 1 FROM json_each(?4) AS w
    WHERE (SELECT count(*) FROM json_each(quota_counters.events) AS e
           WHERE e.value > ?3 - (w.value ->> 0)) >= w.value ->> 1)
RETURNING key";

/// When a refused quota claim would have room: for each key and full window, its `max`-th
/// newest event inside the window (the newest with at least `max` events at or after it)
/// leaving it, or the whole window for one allowing nothing.
const QUOTA_REFUSAL: &str = "
SELECT max(CASE
    WHEN w.value ->> 1 < 1 THEN ?3 + (w.value ->> 0)
    ELSE (SELECT max(e.value) FROM quota_counters AS q, json_each(q.events) AS e
          WHERE q.tenant = ?1 AND q.key = keys.value AND e.value > ?3 - (w.value ->> 0)
            AND (SELECT count(*) FROM json_each(q.events) AS later
                 WHERE later.value > ?3 - (w.value ->> 0) AND later.value >= e.value)
                >= w.value ->> 1)
         + (w.value ->> 0)
    END)
FROM json_each(?2) AS keys, json_each(?4) AS w";

/// Claims one login attempt under `keys`; see [`crate::Store::claim_login_attempt`].
pub(crate) fn login_attempt(
    c: &mut Connection,
    tenant: &str,
    keys: Vec<String>,
    now: i64,
    block: fn(u32) -> i64,
) -> Sql<Claim> {
    let keys = sorted(keys);
    let keys_json = json(&keys)?;
    let mut reach = FIRST_REACH;
    for _ in 0..ATTEMPTS {
        let schedule = schedule(block, reach);
        let savepoint = c.savepoint()?;
        let granted = savepoint
            .prepare_cached(LOGIN_CLAIM)?
            .query_map(params![tenant, keys_json, now, schedule], |row| {
                row.get::<_, u32>(0)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        if granted.len() == keys.len() {
            savepoint.commit()?;
            return Ok(Claim::Granted {
                failures: granted.into_iter().max().unwrap_or(0),
            });
        }
        // Dropping the savepoint rolls the partial claim back; the reason is read as it was.
        drop(savepoint);
        let (blocked, highest): (Option<i64>, Option<u32>) =
            c.row(LOGIN_REFUSAL, params![tenant, keys_json, now], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        if let Some(until) = blocked {
            return Ok(Claim::Blocked { until });
        }
        reach = next_reach(reach, highest.unwrap_or(0));
    }
    Err(StoreError::Task("a login attempt could not be claimed".into()).into())
}

/// Claims one event of each of `keys`; see [`crate::Store::claim_quota`].
pub(crate) fn quota(
    c: &mut Connection,
    tenant: &str,
    keys: Vec<String>,
    now: i64,
    windows: &[Window],
) -> Sql<Quota> {
    let keys = sorted(keys);
    let keys_json = json(&keys)?;
    let windows_json = format!(
        "[{}]",
        windows
            .iter()
            .map(|w| format!("[{},{}]", w.seconds, w.max))
            .collect::<Vec<_>>()
            .join(",")
    );
    let longest = windows.iter().map(|w| w.seconds).max().unwrap_or(0);
    let savepoint = c.savepoint()?;
    let granted = savepoint
        .prepare_cached(QUOTA_CLAIM)?
        .query_map(
            params![tenant, keys_json, now, windows_json, longest],
            |row| row.get::<_, String>(0),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    if granted.len() == keys.len() {
        savepoint.commit()?;
        return Ok(Quota::Granted);
    }
    drop(savepoint);
    let until: Option<i64> = c.row(
        QUOTA_REFUSAL,
        params![tenant, keys_json, now, windows_json],
        |row| row.get(0),
    )?;
    match until {
        Some(until) => Ok(Quota::Exhausted { until }),
        None => {
            Err(StoreError::Task("a refused quota claim found every window open".into()).into())
        }
    }
}

/// Gives back the newest event of `key` ([`crate::Write::ReleaseQuota`]).
pub(crate) fn release_quota(c: &Connection, tenant: &str, key: &str) -> Sql<()> {
    c.run(
        "UPDATE quota_counters SET events = json_remove(events, '$[' || (
             SELECT e.key FROM json_each(quota_counters.events) AS e
             ORDER BY e.value DESC, e.key DESC LIMIT 1) || ']')
         WHERE tenant = ?1 AND key = ?2 AND json_array_length(events) > 0",
        params![tenant, key],
    )?;
    Ok(())
}

/// Forgets the quota events counted before `before`; returns how many.
pub(crate) fn purge_quotas(c: &Connection, before: i64) -> Sql<usize> {
    let removed: i64 = c.row(
        "SELECT count(*) FROM quota_counters AS q, json_each(q.events) AS e WHERE e.value < ?1",
        [before],
        |row| row.get(0),
    )?;
    c.run(
        "UPDATE quota_counters SET events = (
             SELECT json_group_array(e.value) FROM json_each(quota_counters.events) AS e
             WHERE e.value >= ?1)
         WHERE EXISTS (SELECT 1 FROM json_each(quota_counters.events) AS e WHERE e.value < ?1)",
        [before],
    )?;
    c.run(
        "DELETE FROM quota_counters WHERE json_array_length(events) = 0",
        [],
    )?;
    Ok(usize::try_from(removed).unwrap_or(0))
}

fn json(keys: &[String]) -> Sql<String> {
    serde_json::to_string(keys)
        .map_err(|e| StoreError::Task(format!("encoding claim keys: {e}")).into())
}

/// `block` for the counts 0 to `reach - 1`, as a JSON array indexed by the count.
fn schedule(block: fn(u32) -> i64, reach: u32) -> String {
    let blocks: Vec<String> = blocks(block, reach)
        .into_iter()
        .map(|b| b.to_string())
        .collect();
    format!("[{}]", blocks.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_a_json_array_indexed_by_the_count() {
        assert_eq!(schedule(|n| i64::from(n) * 10, 4), "[0,10,20,30]");
    }
}
