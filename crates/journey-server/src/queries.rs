//! Answers to the engine's queries (DESIGN.md: the engine asks, the server finds out): does an
//! account exist, which one has this address, what does an account's profile hold, is this password right (behind the hashing
//! queue and the login throttle per account, client and trusted device, whose keys and claims
//! are `flows::login_throttle`'s), may a message go to this recipient, may a code for
//! this address be checked, what does the tenant's service answer (`look_up_data`, through
//! [`crate::lookup`]). Every limit that must hold across flows is claimed here, in the
//! this address be checked, where an account stands on the tenant's purposes and documents
//! (`crate::consents`). Every limit that must hold across flows is claimed here, in the
//! store, before the work it limits.
//! this address be checked, has this account a password yet. Every limit that must hold
//! across flows is claimed here, in the store, before the work it limits.

use crate::error::Failure;
use crate::events::{self, Event};
use crate::flows::login_throttle;
use crate::limits::{self, Action};
use crate::security::Caller;
use crate::state::AppState;
use journey_engine::{AccountProfile, Answer, LookUp, PasswordCheck, Query, throttle};
use journey_store::{Quota, Window};

/// Answers one query of the engine for a flow of `tenant`, asked by `caller`.
pub(crate) async fn answer(
    state: &AppState,
    tenant: &str,
    caller: &Caller,
    query: Query,
    now: i64,
) -> Result<Answer, Failure> {
    let client = caller.client();
    let client = client.as_str();
    match query {
        Query::LookUp {
            service,
            method,
            params,
        } => {
            // The journey was checked against the tenant's services when it loaded; a flow on
            // an older version may name one the tenant no longer has.
            let found = match state
                .tenants
                .get(tenant)
                .and_then(|t| t.services.get(&service))
            {
                Some(configured) => configured.look_up(tenant, &service, method, &params).await,
                None => {
                    tracing::warn!(%tenant, %service, "a look-up names a service the tenant does not have");
                    LookUp::Unavailable
                }
            };
            Ok(Answer::LookUp(found))
        }
        Query::MessageAllowed { channel, to } => {
            if !limits::allows(state, tenant, client, Action::SendMessage) {
                return Ok(Answer::MessageAllowed(false));
            }
            let key = format!("message:{channel}:{to}");
            let quota = claim(state, tenant, &[key], throttle::MESSAGE_WINDOWS, now).await?;
            if quota.is_some() {
                let event = Event::new(tenant, events::Kind::MessageCapped, now)
                    .identifier(&to)
                    .client(client);
                events::record(state, event).await;
            }
            Ok(Answer::MessageAllowed(quota.is_none()))
        }
        Query::CodeGuess { address, subject } => {
            let keys = code_guess_keys(&address, subject.as_deref());
            let quota = claim(state, tenant, &keys, throttle::CODE_GUESS_WINDOWS, now).await?;
            if quota.is_some() {
                let event = Event::new(tenant, events::Kind::CodePaused, now)
                    .subject(subject.as_deref())
                    .identifier(&address)
                    .client(client);
                events::record(state, event).await;
            }
            Ok(Answer::CodeGuess(quota))
        }
        Query::AccountProfile { subject } => {
            let profile = state
                .store
                .profile(tenant, &subject)
                .await
                .map_err(|e| Failure::internal("reading a profile", e))?;
            Ok(Answer::AccountProfile(profile.map(|p| AccountProfile {
                attributes: p.attributes,
                verified: p.verified,
            })))
        }
        Query::FindAccount { email } => {
            let account = state
                .store
                .credentials(tenant, &email)
                .await
                .map_err(|e| Failure::internal("account look-up", e))?;
            Ok(Answer::Account(account.map(|c| c.subject)))
        }
        Query::HasPassword { email, subject } => {
            let account = state
                .store
                .credentials(tenant, &email)
                .await
                .map_err(|e| Failure::internal("password look-up", e))?;
            // An address that is no longer this account's answers yes: a yes only refuses.
            Ok(Answer::HasPassword(account.is_none_or(|c| {
                c.subject != subject || c.password_hash.is_some()
            })))
        }
        Query::Consents { subject } => Ok(Answer::Consents(
            crate::consents::standing(state, tenant, &subject).await?,
        )),
        Query::AccountExists { email } => {
            let exists = state
                .store
                .account_exists(tenant, &email)
                .await
                .map_err(|e| Failure::internal("duplicate check", e))?;
            Ok(Answer::AccountExists(exists))
        }
        Query::VerifyPassword {
            identifier,
            password,
        } => {
            limits::check(state, tenant, client, Action::HashPassword)?;
            // The queue place comes first: a busy server must not count as a failed login.
            let ticket = state.hasher.admit(client)?;
            // Looked up before the throttle: a browser where this account signed in before is
            // throttled on its own (`login_throttle`).
            let credentials = state
                .store
                .credentials(tenant, &identifier)
                .await
                .map_err(|e| Failure::internal("login", e))?;
            let subject = credentials.as_ref().map(|c| c.subject.as_str());
            let keys =
                login_throttle::keys(state, tenant, caller, &identifier, subject, now).await?;
            let blocked = login_throttle::claim(state, tenant, &keys, now).await?;
            let event = |kind| {
                Event::new(tenant, kind, now)
                    .subject(credentials.as_ref().map(|c| c.subject.as_str()))
                    .identifier(&identifier)
                    .client(client)
            };
            if let Some(retry_in) = blocked {
                let kind = if throttle::is_disabled(retry_in) {
                    events::Kind::LoginLocked
                } else {
                    events::Kind::LoginThrottled
                };
                events::record(state, event(kind)).await;
                return Ok(Answer::Password(PasswordCheck::Throttled { retry_in }));
            }
            let failed = event(events::Kind::LoginFailed);
            let succeeded = event(events::Kind::LoginSucceeded);
            // An account without a password is checked like a wrong one: the dummy hash burns
            // the same time and the answer is the same.
            let (subject, hash) = match credentials {
                Some(c) => (Some(c.subject), c.password_hash),
                None => (None, None),
            };
            let verified = state
                .hasher
                .verify(ticket, password.expose().to_owned(), hash)
                .await?;
            match subject.filter(|_| verified) {
                Some(subject) => {
                    login_throttle::succeeded(state, tenant, &keys).await?;
                    events::record(state, succeeded).await;
                    Ok(Answer::Password(PasswordCheck::Verified { subject }))
                }
                None => {
                    events::record(state, failed).await;
                    Ok(Answer::Password(PasswordCheck::Rejected))
                }
            }
        }
    }
}

/// The quota keys of code guesses: the address, and the account once the flow knows it.
pub(crate) fn code_guess_keys(address: &str, subject: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("code:email:{address}")];
    keys.extend(subject.map(|subject| format!("code:subject:{subject}")));
    keys
}

/// Claims one event of every key against the engine's windows (seconds, at most): `None` when
/// granted, else the seconds until the quota has room again.
async fn claim(
    state: &AppState,
    tenant: &str,
    keys: &[String],
    windows: &[(i64, u32)],
    now: i64,
) -> Result<Option<u32>, Failure> {
    let windows: Vec<Window> = windows
        .iter()
        .map(|&(seconds, max)| Window { seconds, max })
        .collect();
    let quota = state
        .store
        .claim_quota(tenant, keys, now, &windows)
        .await
        .map_err(|e| Failure::internal("claiming a quota", e))?;
    Ok(match quota {
        Quota::Granted => None,
        Quota::Exhausted { until } => Some(throttle::retry_in(until, now).unwrap_or(1)),
    })
}
