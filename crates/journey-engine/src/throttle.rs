//! The login throttle's policy (NIST SP 800-63B-4 3.2.2; OWASP authentication cheat sheet):
//! failures are counted per identifier, whether or not an account has it, so the throttle
//! itself reveals nothing. The first few failures are free; after that each failure blocks the
//! identifier for twice as long as the one before, up to a cap.
//!
//! ```text
//!   failures:  1..=4    5     6     7    ...   14+
//!   blocked:    0 s    2 s   4 s   8 s   ...   15 min (cap)
//! ```
//!
//! The store keeps the count; this module only computes, from the count and `now`.

/// Failures that cost nothing.
pub const FREE_FAILURES: u32 = 4;

/// The longest block, in seconds.
pub const MAX_BLOCK_SECONDS: i64 = 15 * 60;

/// How long the identifier is blocked after its `failures`-th consecutive failure, in seconds.
pub fn block_after(failures: u32) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let exponent = (failures - FREE_FAILURES).min(20);
    (1i64 << exponent).min(MAX_BLOCK_SECONDS)
}

/// Seconds the caller must still wait, given when the block ends.
pub fn retry_in(blocked_until: i64, now: i64) -> Option<u32> {
    (blocked_until > now).then(|| u32::try_from(blocked_until - now).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_after_the_free_failures_up_to_the_cap() {
        let blocks: Vec<i64> = (1..=8).map(block_after).collect();
        assert_eq!(blocks, [0, 0, 0, 0, 2, 4, 8, 16]);
        assert_eq!(block_after(40), MAX_BLOCK_SECONDS);
        assert_eq!(retry_in(100, 90), Some(10));
        assert_eq!(retry_in(100, 100), None);
    }
}
