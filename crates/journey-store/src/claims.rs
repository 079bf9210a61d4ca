//! What the claims that limit work across flows (a login attempt under its throttle keys, one
//! event of each quota key) share between the backends; each backend's statements are its own
//! (`sqlite/claims.rs`, `postgres/claims.rs`).
//!
//! Both backends claim with one upsert per key whose `DO UPDATE … WHERE` condition reads the
//! row it updates, so the decision and the count cannot be separated by another writer, be it
//! a second task of this process or a second server process on the same database:
//!
//! ```text
//!   INSERT INTO <claims> SELECT <each key, sorted> WHERE <a new key may be claimed>
//!   ON CONFLICT (tenant, key) DO UPDATE SET <count it> WHERE <this key still has room>
//!   RETURNING key            -- one row per key granted
//! ```
//!
//! A claim is all or nothing across its keys: the statement runs in a transaction that is
//! rolled back when it returns fewer rows than keys, and only then is the reason read (when
//! the block ends, when the quota has room). SQL cannot call the caller's block schedule, so
//! the statement gets its values for the counts it may reach ([`blocks`]) and refuses a count
//! beyond them, which is then claimed again with a longer schedule ([`next_reach`]).

/// How often a claim is tried before it gives up: it is retried only when its block schedule
/// was too short for the failures counted (or, on PostgreSQL, when the database chose it as a
/// deadlock's victim), so this is never reached with a sane schedule.
pub(crate) const ATTEMPTS: usize = 8;

/// The failure counts whose block the first try spells out (1 to 127): enough for any throttle
/// that disables an identifier after at most 127 failures.
pub(crate) const FIRST_REACH: u32 = 128;

/// The keys in the order every claim locks them (so two claims never wait on each other in a
/// circle), each once.
pub(crate) fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys.dedup();
    keys
}

/// `block` for the counts 0 to `reach - 1`, indexed by the count (a count of 0 blocks nothing).
pub(crate) fn blocks(block: fn(u32) -> i64, reach: u32) -> Vec<i64> {
    (0..reach)
        .map(|failures| match failures {
            0 => 0,
            n => block(n),
        })
        .collect()
}

/// The reach of the next try after one whose schedule ended too soon for `highest` failures.
pub(crate) fn next_reach(reach: u32, highest: u32) -> u32 {
    reach.saturating_mul(2).max(highest.saturating_add(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_spells_out_the_block_of_each_count() {
        assert_eq!(blocks(|n| i64::from(n) * 10, 4), [0, 10, 20, 30]);
    }

    #[test]
    fn keys_are_claimed_once_each_in_one_order() {
        let keys = sorted(vec!["b".into(), "a".into(), "b".into()]);
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(next_reach(128, 300), 302);
        assert_eq!(next_reach(128, 3), 256);
    }
}
