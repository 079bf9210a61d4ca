//! Rate limits per client and per tenant, checked before any expensive work: starting a flow,
//! submitting a step, sending a message and hashing a password (SECURITY.md: "rate-limit
//! before hashing"; SMS pumping costs money). A refused request is answered `429` with code
//! `rate_limited` and a `Retry-After` in whole seconds; a refused message is not sent, and the
//! engine tells the person there were too many.
//!
//! Each limit is a token bucket: it holds at most `burst` tokens, every request of its kind
//! takes one, and tokens come back at `per_hour`. Two buckets guard each action: one keyed by
//! (tenant, client, action), where the client is [`crate::security::Caller::client`] (the peer
//! address, or the one a trusted proxy forwards), and one keyed by (tenant, action). A request takes a token from both or from
//! neither, so a flood that its own client bucket refuses does not drain the tenant's: the
//! per-client limits bite long before the per-tenant ones, and a flood from one address does
//! not lock out a person on another.
//!
//! ```text
//!                 client bucket empty?  yes -> 429, Retry-After: until it has a token
//!   request ----> tenant bucket empty?  yes -> 429, Retry-After: until it has a token
//!                 else take one token of each and go on
//! ```
//!
//! The defaults ([`Limits::default`]) are for a person on a phone, with room for a household
//! or an office behind one address; each tenant's are 100 times higher:
//!
//! | action          | per client: burst, then | per tenant: burst, then |
//! |-----------------|-------------------------|-------------------------|
//! | `start_flow`    | 30, then 20 a minute    | 3,000, then 2,000 a minute |
//! | `submit`        | 60, then 60 a minute    | 6,000, then 6,000 a minute |
//! | `send_message`  | 20, then 30 an hour     | 2,000, then 3,000 an hour  |
//! | `hash_password` | 30, then 120 an hour    | 3,000, then 12,000 an hour |
//!
//! A tenant changes any of them in its `tenant.toml` (a busy tenant raises the per-tenant
//! ones):
//!
//! ```toml
//! [rate_limits.per_client]
//! send_message = { burst = 5, per_hour = 10 }
//! [rate_limits.per_tenant]
//! hash_password = { burst = 10000, per_hour = 100000 }
//! ```
//!
//! Submissions name a flow, not a tenant: before the flow is loaded, `submit` is limited per
//! client across tenants (with the most generous per-client `submit` limit of any tenant), so
//! a flood of made-up flow ids never reaches the store; once the flow is loaded, per client
//! and per tenant with the flow's tenant's limits.
//!
//! Time comes from the server's [`crate::state::Clock`], so tests move it instead of sleeping.
//! The client buckets stay bounded under a flood of distinct addresses: full buckets (which
//! are the same as new ones) are dropped every minute, and when [`MAX_CLIENT_BUCKETS`] is
//! reached the least recently used tenth is dropped, which at worst gives those clients a
//! fresh burst, the same as a new address would get. Tenant buckets are few (only existing
//! tenants get one) and are kept.
//!
//! The client key is the peer address, for IPv6 its /64 (one host usually has a whole /64 to
//! pick from). Behind a reverse proxy every request would share the proxy's address, so the
//! proxy is named in `server.trusted_proxies` and the client is then the address it forwards
//! in `X-Forwarded-For` ([`crate::security::client_address`]); from any other peer that header
//! is ignored, so a client cannot pick its own key.

use crate::error::Failure;
use crate::state::AppState;
use journey_protocol::ErrorCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// What is limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Starting a flow.
    StartFlow,
    /// Submitting a step.
    Submit,
    /// Sending an email or SMS.
    SendMessage,
    /// Hashing or verifying a password.
    HashPassword,
}

impl Action {
    /// Every action, in the order of [`Limits`]' arrays.
    pub const ALL: [Action; 4] = [
        Action::StartFlow,
        Action::Submit,
        Action::SendMessage,
        Action::HashPassword,
    ];

    /// The name in `tenant.toml` and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::StartFlow => "start_flow",
            Action::Submit => "submit",
            Action::SendMessage => "send_message",
            Action::HashPassword => "hash_password",
        }
    }

    fn index(self) -> usize {
        match self {
            Action::StartFlow => 0,
            Action::Submit => 1,
            Action::SendMessage => 2,
            Action::HashPassword => 3,
        }
    }
}

/// One token bucket's size and refill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// How many requests may come at once.
    pub burst: u32,
    /// How many more may come each hour after that.
    pub per_hour: u32,
}

impl Rate {
    const fn new(burst: u32, per_hour: u32) -> Self {
        Self { burst, per_hour }
    }
}

/// The limits of one tenant, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    per_client: [Rate; 4],
    per_tenant: [Rate; 4],
}

impl Default for Limits {
    fn default() -> Self {
        let per_client = [
            Rate::new(30, 20 * 60),
            Rate::new(60, 60 * 60),
            Rate::new(20, 30),
            Rate::new(30, 120),
        ];
        Self {
            per_client,
            per_tenant: per_client.map(|r| Rate::new(r.burst * 100, r.per_hour * 100)),
        }
    }
}

impl Limits {
    /// The limit of one client of the tenant.
    pub fn client(&self, action: Action) -> Rate {
        self.per_client[action.index()]
    }

    /// The limit of the whole tenant.
    pub fn tenant(&self, action: Action) -> Rate {
        self.per_tenant[action.index()]
    }
}

/// `[rate_limits]` in `tenant.toml`: every part optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    #[serde(default)]
    per_client: RatesFile,
    #[serde(default)]
    per_tenant: RatesFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RatesFile {
    start_flow: Option<Rate>,
    submit: Option<Rate>,
    send_message: Option<Rate>,
    hash_password: Option<Rate>,
}

impl RatesFile {
    fn get(&self, action: Action) -> Option<Rate> {
        match action {
            Action::StartFlow => self.start_flow,
            Action::Submit => self.submit,
            Action::SendMessage => self.send_message,
            Action::HashPassword => self.hash_password,
        }
    }
}

/// The largest burst and hourly rate a tenant may set.
const MAX_BURST: u32 = 1_000_000;
const MAX_PER_HOUR: u32 = 100_000_000;

impl LimitsFile {
    /// The defaults with this file's changes; problems name `file`.
    pub fn validate(&self, file: &str) -> Result<Limits, Vec<String>> {
        let mut limits = Limits::default();
        let mut errors = Vec::new();
        for (scope, rates, into) in [
            ("per_client", &self.per_client, &mut limits.per_client),
            ("per_tenant", &self.per_tenant, &mut limits.per_tenant),
        ] {
            for action in Action::ALL {
                let Some(rate) = rates.get(action) else {
                    continue;
                };
                if !(1..=MAX_BURST).contains(&rate.burst)
                    || !(1..=MAX_PER_HOUR).contains(&rate.per_hour)
                {
                    errors.push(format!(
                        "{file}: rate_limits.{scope}.{}: burst must be between 1 and {MAX_BURST} \
                         and per_hour between 1 and {MAX_PER_HOUR}",
                        action.as_str()
                    ));
                }
                into[action.index()] = rate;
            }
        }
        if errors.is_empty() {
            Ok(limits)
        } else {
            Err(errors)
        }
    }
}

/// A refusal: the seconds until the bucket that refused has a token again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Whole seconds, at least one.
    pub retry_after: u32,
}

/// How many client buckets are kept at most.
pub const MAX_CLIENT_BUCKETS: usize = 100_000;

/// How often, in seconds, full client buckets are dropped.
const SWEEP_EVERY: i64 = 60;

/// The tenant part of the key of the per-client `submit` limit checked before a flow is loaded;
/// never a tenant id (those are not empty).
const ANY_TENANT: &str = "";

/// One token in a bucket's units: a second adds `per_hour` units, so the arithmetic is exact.
const TOKEN: u64 = 3600;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// The tokens, in units of 1/3600 of a token.
    level: u64,
    /// When `level` was last brought up to date, in seconds.
    updated: i64,
    /// Whether its last request was refused, so a flood is logged once, not per request.
    refused: bool,
}

impl Bucket {
    fn full(rate: Rate, now: i64) -> Self {
        Self {
            level: u64::from(rate.burst) * TOKEN,
            updated: now,
            refused: false,
        }
    }

    /// The tokens at `now`.
    fn refill(&mut self, rate: Rate, now: i64) {
        let elapsed = u64::try_from(now - self.updated).unwrap_or(0);
        let capacity = u64::from(rate.burst) * TOKEN;
        self.level = self
            .level
            .saturating_add(elapsed.saturating_mul(u64::from(rate.per_hour)))
            .min(capacity);
        self.updated = self.updated.max(now);
    }

    /// `None` if a token is there, else the whole seconds until one is.
    fn wait(&self, rate: Rate) -> Option<u32> {
        let missing = TOKEN.checked_sub(self.level).filter(|&m| m > 0)?;
        let seconds = missing.div_ceil(u64::from(rate.per_hour).max(1));
        Some(u32::try_from(seconds).unwrap_or(u32::MAX).max(1))
    }

    fn take(&mut self) {
        self.level = self.level.saturating_sub(TOKEN);
        self.refused = false;
    }

    /// Marks a refusal; `true` for the first of a run.
    fn refuse(&mut self) -> bool {
        !std::mem::replace(&mut self.refused, true)
    }

    fn is_full(&self, rate: Rate) -> bool {
        self.level >= u64::from(rate.burst) * TOKEN
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ClientKey {
    tenant: String,
    client: String,
    action: Action,
}

#[derive(Default)]
struct Buckets {
    /// Each client bucket with the rate it was last checked against.
    clients: HashMap<ClientKey, (Bucket, Rate)>,
    tenants: HashMap<(String, Action), Bucket>,
    swept: i64,
}

/// Every bucket of the server, behind one short-held lock.
pub struct Limiter {
    buckets: Mutex<Buckets>,
    capacity: usize,
    /// The most generous per-client `submit` limit of any tenant, for the check before a flow
    /// (and so its tenant) is known.
    any_tenant_submit: Rate,
}

impl Limiter {
    /// A limiter for tenants whose per-client `submit` limits are `submit_limits`.
    pub fn new(submit_limits: impl IntoIterator<Item = Rate>) -> Self {
        Self::with_capacity(MAX_CLIENT_BUCKETS, submit_limits)
    }

    /// A limiter that keeps at most `capacity` client buckets.
    pub fn with_capacity(capacity: usize, submit_limits: impl IntoIterator<Item = Rate>) -> Self {
        let any_tenant_submit = submit_limits
            .into_iter()
            .fold(Limits::default().client(Action::Submit), |a, b| {
                Rate::new(a.burst.max(b.burst), a.per_hour.max(b.per_hour))
            });
        Self {
            buckets: Mutex::new(Buckets::default()),
            capacity: capacity.max(10),
            any_tenant_submit,
        }
    }

    /// Takes a token of `action` from `client`'s bucket in `tenant` and from the tenant's,
    /// or from neither.
    pub fn take(
        &self,
        now: i64,
        tenant: &str,
        limits: &Limits,
        client: &str,
        action: Action,
    ) -> Result<(), Refused> {
        self.take_from(
            now,
            tenant,
            client,
            action,
            limits.client(action),
            Some(limits.tenant(action)),
        )
    }

    /// Takes a `submit` token from `client`'s bucket across tenants (before a flow is loaded).
    pub fn take_submit_any_tenant(&self, now: i64, client: &str) -> Result<(), Refused> {
        let rate = self.any_tenant_submit;
        self.take_from(now, ANY_TENANT, client, Action::Submit, rate, None)
    }

    /// How many client buckets are kept.
    pub fn client_buckets(&self) -> usize {
        self.buckets.lock().map_or(0, |b| b.clients.len())
    }

    fn take_from(
        &self,
        now: i64,
        tenant: &str,
        client: &str,
        action: Action,
        client_rate: Rate,
        tenant_rate: Option<Rate>,
    ) -> Result<(), Refused> {
        // A poisoned lock only means another request panicked mid-update of plain numbers.
        let mut guard = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let buckets = &mut *guard;
        if now - buckets.swept >= SWEEP_EVERY {
            sweep(&mut buckets.clients, now);
            buckets.swept = now;
        }
        let key = ClientKey {
            tenant: tenant.to_owned(),
            client: client_key(client),
            action,
        };
        if !buckets.clients.contains_key(&key) && buckets.clients.len() >= self.capacity {
            sweep(&mut buckets.clients, now);
            if buckets.clients.len() >= self.capacity {
                evict_oldest(&mut buckets.clients, self.capacity / 10);
            }
        }
        let (mine, rate) = buckets
            .clients
            .entry(key)
            .or_insert_with(|| (Bucket::full(client_rate, now), client_rate));
        *rate = client_rate;
        mine.refill(client_rate, now);
        if let Some(retry_after) = mine.wait(client_rate) {
            if mine.refuse() {
                let action = action.as_str();
                tracing::info!(
                    tenant,
                    client,
                    action,
                    retry_after,
                    "client rate limit reached"
                );
            }
            return Err(Refused { retry_after });
        }
        if let Some(tenant_rate) = tenant_rate {
            let theirs = buckets
                .tenants
                .entry((tenant.to_owned(), action))
                .or_insert_with(|| Bucket::full(tenant_rate, now));
            theirs.refill(tenant_rate, now);
            if let Some(retry_after) = theirs.wait(tenant_rate) {
                if theirs.refuse() {
                    let action = action.as_str();
                    tracing::warn!(tenant, action, retry_after, "tenant rate limit reached");
                }
                return Err(Refused { retry_after });
            }
            theirs.take();
        }
        mine.take();
        Ok(())
    }
}

/// The key of a client for every per-client measure: its address, but for IPv6 its /64, since
/// one host usually has a whole /64 to pick addresses from.
pub fn client_key(client: &str) -> String {
    match client.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(ip)) if ip.to_ipv4_mapped().is_none() => {
            let [a, b, c, d, ..] = ip.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
        _ => client.to_owned(),
    }
}

/// Drops the client buckets that have refilled: they are the same as new ones.
fn sweep(clients: &mut HashMap<ClientKey, (Bucket, Rate)>, now: i64) {
    clients.retain(|_, (bucket, rate)| {
        bucket.refill(*rate, now);
        !bucket.is_full(*rate)
    });
}

/// Drops about `count` of the least recently used client buckets.
fn evict_oldest(clients: &mut HashMap<ClientKey, (Bucket, Rate)>, count: usize) {
    let mut times: Vec<i64> = clients.values().map(|(b, _)| b.updated).collect();
    let Some(nth) = count.checked_sub(1).filter(|&n| n < times.len()) else {
        clients.clear();
        return;
    };
    let (_, &mut threshold, _) = times.select_nth_unstable(nth);
    let mut dropped = 0;
    clients.retain(|_, (bucket, _)| {
        let old = bucket.updated < threshold || (bucket.updated == threshold && dropped < count);
        if old {
            dropped += 1;
        }
        !old
    });
    tracing::warn!(
        dropped,
        "rate limiter full: dropped the least recently used client buckets"
    );
}

/// Takes a token of `action` for `client` in `tenant` (with the tenant's limits), or answers
/// `429` with `Retry-After`.
pub fn check(state: &AppState, tenant: &str, client: &str, action: Action) -> Result<(), Failure> {
    take(state, tenant, client, action).map_err(refusal)
}

/// Whether `client` may make a tenant send one more message: `false` means it is not sent.
pub fn allows(state: &AppState, tenant: &str, client: &str, action: Action) -> bool {
    take(state, tenant, client, action).is_ok()
}

/// Unknown tenants are not limited: they get a cheap 404 anyway and must not grow the tenant
/// buckets.
fn take(state: &AppState, tenant: &str, client: &str, action: Action) -> Result<(), Refused> {
    match state.tenants.get(tenant) {
        Some(t) => state
            .limits
            .take(state.clock.now(), tenant, &t.rate_limits, client, action),
        None => Ok(()),
    }
}

/// The per-client `submit` check before the flow, and so its tenant, is known.
pub fn check_submit(state: &AppState, client: &str) -> Result<(), Failure> {
    state
        .limits
        .take_submit_any_tenant(state.clock.now(), client)
        .map_err(refusal)
}

fn refusal(refused: Refused) -> Failure {
    Failure::refused(ErrorCode::RateLimited).with_retry_after(refused.retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, per_hour: u32) -> Limits {
        let rate = Rate::new(burst, per_hour);
        Limits {
            per_client: [rate; 4],
            per_tenant: [Rate::new(burst * 3, per_hour * 3); 4],
        }
    }

    #[test]
    fn a_bucket_refuses_after_its_burst_and_refills_at_its_rate() {
        let limiter = Limiter::new([]);
        let limits = limits(3, 60);
        for _ in 0..3 {
            assert_eq!(limiter.take(0, "t", &limits, "a", Action::Submit), Ok(()));
        }
        assert_eq!(
            limiter.take(0, "t", &limits, "a", Action::Submit),
            Err(Refused { retry_after: 60 })
        );
        assert_eq!(
            limiter.take(59, "t", &limits, "a", Action::Submit),
            Err(Refused { retry_after: 1 })
        );
        assert_eq!(limiter.take(60, "t", &limits, "a", Action::Submit), Ok(()));
        // Other actions and other clients have their own buckets.
        assert_eq!(
            limiter.take(60, "t", &limits, "a", Action::StartFlow),
            Ok(())
        );
        assert_eq!(limiter.take(60, "t", &limits, "b", Action::Submit), Ok(()));
    }

    #[test]
    fn a_refused_client_does_not_drain_its_tenant() {
        let limiter = Limiter::new([]);
        let limits = limits(2, 1);
        for _ in 0..100 {
            let _ = limiter.take(0, "t", &limits, "flood", Action::HashPassword);
        }
        // The tenant's burst is 6: the flood took 2 of them.
        for client in ["p1", "p1", "p2", "p2"] {
            assert_eq!(
                limiter.take(0, "t", &limits, client, Action::HashPassword),
                Ok(())
            );
        }
        assert!(
            limiter
                .take(0, "t", &limits, "p3", Action::HashPassword)
                .is_err()
        );
        // The tenant gets a token every 20 minutes; the flood's client none before an hour.
        assert!(
            limiter
                .take(1200, "t", &limits, "flood", Action::HashPassword)
                .is_err()
        );
        assert!(
            limiter
                .take(1200, "t", &limits, "p3", Action::HashPassword)
                .is_ok()
        );
    }

    #[test]
    fn a_flood_of_distinct_addresses_stays_bounded() {
        let limiter = Limiter::with_capacity(1000, []);
        let limits = limits(5, 60);
        for n in 0..20_000u32 {
            let _ = limiter.take(0, "t", &limits, &n.to_string(), Action::StartFlow);
            assert!(limiter.client_buckets() <= 1000);
        }
        // Full buckets go at the next sweep.
        let _ = limiter.take(3600, "t", &limits, "late", Action::StartFlow);
        assert_eq!(limiter.client_buckets(), 1);
    }

    #[test]
    fn ipv6_clients_are_one_client_per_64() {
        let limiter = Limiter::new([]);
        let limits = Limits {
            per_client: [Rate::new(1, 1); 4],
            ..Limits::default()
        };
        assert!(
            limiter
                .take(0, "t", &limits, "2001:db8:1:2::1", Action::Submit)
                .is_ok()
        );
        assert!(
            limiter
                .take(0, "t", &limits, "2001:db8:1:2:ffff::9", Action::Submit)
                .is_err()
        );
        assert!(
            limiter
                .take(0, "t", &limits, "2001:db8:1:3::1", Action::Submit)
                .is_ok()
        );
        assert!(
            limiter
                .take(0, "t", &limits, "::ffff:10.0.0.1", Action::Submit)
                .is_ok()
        );
        assert!(
            limiter
                .take(0, "t", &limits, "::ffff:10.0.0.2", Action::Submit)
                .is_ok()
        );
    }

    #[test]
    fn the_check_before_the_flow_uses_the_most_generous_tenant() {
        let limiter = Limiter::new([Rate::new(1000, 1)]);
        for _ in 0..1000 {
            assert!(limiter.take_submit_any_tenant(0, "a").is_ok());
        }
        assert!(limiter.take_submit_any_tenant(0, "a").is_err());
    }

    #[test]
    fn tenant_files_override_and_are_checked() {
        let checked = |text: &str| toml::from_str::<LimitsFile>(text).map(|f| f.validate("t.toml"));
        let bad = checked(
            "[per_client]\nsubmit = { burst = 5, per_hour = 7 }\n[per_tenant]\nstart_flow = { burst = 0, per_hour = 1 }",
        );
        assert!(
            matches!(&bad, Ok(Err(errors)) if errors.len() == 1
                && errors[0].starts_with("t.toml: rate_limits.per_tenant.start_flow: burst")),
            "{bad:?}"
        );
        let good = checked("[per_client]\nsubmit = { burst = 5, per_hour = 7 }");
        let limits = good.ok().and_then(Result::ok).unwrap_or_default();
        assert_eq!(limits.client(Action::Submit), Rate::new(5, 7));
        assert_eq!(
            limits.tenant(Action::Submit),
            Limits::default().tenant(Action::Submit)
        );
        assert!(
            toml::from_str::<LimitsFile>("[per_client]\nsubmits = { burst = 5, per_hour = 7 }")
                .is_err()
        );
    }
}
