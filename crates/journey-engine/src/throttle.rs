//! The login throttle's policy (NIST SP 800-63B-4 3.2.2; OWASP authentication cheat sheet):
//! failures are counted per identifier, whether or not an account has it, so the throttle
//! itself reveals nothing. The first few failures are free; after that each failure blocks the
//! identifier for twice as long as the one before, up to a cap.
//!
//! ```text
//!   failures:  1..=4    5     6     7    ...   14..=99        100+
//!   blocked:    0 s    2 s   4 s   8 s   ...   15 min (cap)   disabled until a reset
//! ```
//!
//! After [`DISABLE_AFTER`] consecutive failures the identifier stays blocked (NIST SP
//! 800-63B-4 3.2.2: at most 100, then disable the authenticator until a reset).
//!
//! The store keeps the count; this module only computes, from the count and `now`.
//!
//! The quotas that hold across flows live here too: one-time-code guesses per address (a new
//! flow brings a new code, but not new guesses) and messages per recipient.

/// Failures that cost nothing.
pub const FREE_FAILURES: u32 = 4;

/// The longest block, in seconds.
pub const MAX_BLOCK_SECONDS: i64 = 15 * 60;

/// Consecutive failures after which the identifier is disabled until a reset.
pub const DISABLE_AFTER: u32 = 100;

/// The block of a disabled identifier: a century, so it never runs out by itself.
pub const DISABLED_SECONDS: i64 = 100 * 365 * 24 * 3600;

/// Wrong code guesses per address (and per account), across all flows, as (seconds, at most):
/// 10 an hour and 100 a day. Beyond that no code for the address is accepted until the window
/// has room again, whether or not an account has the address.
pub const CODE_GUESS_WINDOWS: &[(i64, u32)] = &[(3600, 10), (24 * 3600, 100)];

/// Messages per recipient across all flows, as (seconds, at most): 10 an hour.
pub const MESSAGE_WINDOWS: &[(i64, u32)] = &[(3600, 10)];

/// How long the identifier is blocked after its `failures`-th consecutive failure, in seconds.
pub fn block_after(failures: u32) -> i64 {
    if failures >= DISABLE_AFTER {
        return DISABLED_SECONDS;
    }
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

/// Whether a wait this long means the identifier is disabled rather than slowed down.
pub fn is_disabled(retry_in: u32) -> bool {
    i64::from(retry_in) > MAX_BLOCK_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_after_the_free_failures_up_to_the_cap() {
        let blocks: Vec<i64> = (1..=8).map(block_after).collect();
        assert_eq!(blocks, [0, 0, 0, 0, 2, 4, 8, 16]);
        assert_eq!(block_after(40), MAX_BLOCK_SECONDS);
        assert_eq!(block_after(99), MAX_BLOCK_SECONDS);
        assert_eq!(block_after(100), DISABLED_SECONDS);
        assert!(is_disabled(retry_in(DISABLED_SECONDS, 0).unwrap_or(0)));
        assert!(!is_disabled(retry_in(MAX_BLOCK_SECONDS, 0).unwrap_or(0)));
        assert_eq!(retry_in(100, 90), Some(10));
        assert_eq!(retry_in(100, 100), None);
    }
}
