//! The login throttle as the server runs it: which keys a password attempt counts against, and
//! claiming and clearing them in the store. The policy (how long which failure blocks) is
//! [`journey_engine::throttle`]'s; the count lives in the store, claimed atomically before the
//! password is checked, so parallel attempts cannot slip past it (ARCHITECTURE.md).
//!
//! An attempt from a browser where the account signed in before (its device cookie, see
//! [`super::session`]) counts against that device's own key only, so a stranger's failures
//! elsewhere cannot lock it out (OWASP's device cookies). Any other attempt counts against the
//! identifier (the account-wide back-off and the lock after 100 failures) and against the
//! identifier from that client.
//!
//! ```text
//!   attempt ──trusted device of this account?── yes ──> "{identifier}|device:{digest}"
//!                                               no  ──> "{identifier}", "{identifier}|ip:{client}"
//! ```

use super::session::digest;
use crate::error::Failure;
use crate::security::Caller;
use crate::state::AppState;
use journey_engine::throttle;
use journey_store::Claim;

/// The throttle keys of an attempt by `caller` on `identifier`, which belongs to the account
/// `subject` if one has it.
pub(crate) async fn keys(
    state: &AppState,
    tenant: &str,
    caller: &Caller,
    identifier: &str,
    subject: Option<&str>,
    now: i64,
) -> Result<Vec<String>, Failure> {
    let device = match (caller.device(), subject) {
        (Some(token), Some(subject)) => state
            .store
            .device_subject(tenant, &digest(token), now)
            .await
            .map_err(|e| Failure::internal("login", e))?
            .filter(|trusted| trusted == subject)
            .map(|_| token),
        _ => None,
    };
    Ok(keys_of(identifier, &caller.client(), device))
}

/// The keys for an attempt on `identifier` from `client`, or from the trusted `device`.
fn keys_of(identifier: &str, client: &str, device: Option<&str>) -> Vec<String> {
    match device {
        Some(token) => vec![format!("{identifier}|device:{}", &digest(token)[..16])],
        None => vec![identifier.to_owned(), format!("{identifier}|ip:{client}")],
    }
}

/// Claims one attempt under `keys`, counted as a failure until [`succeeded`] clears it: `None`
/// when the attempt may go on, else the seconds until it may.
pub(crate) async fn claim(
    state: &AppState,
    tenant: &str,
    keys: &[String],
    now: i64,
) -> Result<Option<u32>, Failure> {
    let claim = state
        .store
        .claim_login_attempt(tenant, keys, now, throttle::block_after)
        .await
        .map_err(|e| Failure::internal("login throttle", e))?;
    Ok(match claim {
        Claim::Blocked { until } => Some(throttle::retry_in(until, now).unwrap_or(1)),
        Claim::Granted { .. } => None,
    })
}

/// Clears the failures under `keys` after the password was right.
pub(crate) async fn succeeded(
    state: &AppState,
    tenant: &str,
    keys: &[String],
) -> Result<(), Failure> {
    state
        .store
        .record_login_success(tenant, keys)
        .await
        .map_err(|e| Failure::internal("login", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trusted_device_counts_on_its_own_key_and_anyone_else_on_the_account_and_client() {
        assert_eq!(
            keys_of("a@example.com", "192.0.2.1", None),
            ["a@example.com", "a@example.com|ip:192.0.2.1"]
        );
        let device = keys_of("a@example.com", "192.0.2.1", Some("token"));
        assert_eq!(
            device,
            [format!("a@example.com|device:{}", &digest("token")[..16])]
        );
    }
}
