//! The one shared state of the server (axum's dependency-injection example): the store, the
//! tenants, the texts, the signers, the hasher, the rate limits, the clock, the metrics and
//! the funnel's watch list, and the halt, behind one cheap `Clone`.

use crate::config::Config;
use crate::error::ApiError;
use crate::flows::Funnel;
use crate::limits::Limiter;
use crate::metrics::Metrics;
use crate::password::Hasher;
use crate::tenants::{BRAND_ARG, BrandName, Tenants};
use crate::tokens::Signers;
use crate::watchdog::Halt;
use journey_engine::{BlockCatalogue, Journey};
use journey_i18n::Catalog;
use journey_protocol::{ErrorCode, Flow};
use journey_store::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;

/// Where the server gets the time; tests move it forward to expire codes and flows.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A clock that starts at the system time and moves only when told.
#[derive(Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock at the current system time.
    pub fn new() -> Self {
        Self(AtomicI64::new(SystemClock.now()))
    }

    /// Moves the clock forward.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The server's shared state.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
pub struct Inner {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The tenants.
    pub tenants: Tenants,
    /// The shared texts (with the pseudo-locale in development mode); each brand's overrides
    /// are in its tenant ([`crate::tenants::Tenant::brand_names`]).
    pub catalog: Catalog,
    /// The blocks journeys may use.
    pub catalogue: BlockCatalogue,
    /// Signs ID tokens, with each tenant's own key.
    pub signers: Signers,
    /// Hashes passwords.
    pub hasher: Hasher,
    /// The rate limits' buckets.
    pub limits: Limiter,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// The configuration.
    pub config: Config,
    /// Wakes the outbox deliverer.
    pub outbox: Notify,
    /// The message sender of each configured channel ([`crate::outbox::Senders`]).
    pub senders: Arc<crate::outbox::Senders>,
    /// Earlier journey versions that flows still run on, parsed on first use.
    pub old_journeys: Mutex<HashMap<String, Arc<Journey>>>,
    /// Raised when the server must stop (the database file vanished); `main` watches it.
    pub halt: Halt,
    /// The Prometheus metrics ([`crate::metrics`]).
    pub metrics: Metrics,
    /// The active flows watched for their expiry ([`crate::flows::Funnel`]).
    pub funnel: Funnel,
    /// Set once a shutdown has begun: `/readyz` answers 503 from then on.
    pub stopping: AtomicBool,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Wraps the parts.
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    /// The text of `id` in `locale` for `brand`: the brand's overrides first, then the shared
    /// texts, with `$brand` set to the brand's name besides `args`. Falls back to the message
    /// id itself (start-up checks make that a bug, logged here).
    pub fn text(
        &self,
        locale: &str,
        brand: &BrandName,
        id: &str,
        args: &[(String, journey_protocol::Arg)],
    ) -> String {
        let mut fluent_args: Vec<(&str, journey_i18n::Arg<'_>)> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    journey_protocol::Arg::Number(n) => journey_i18n::Arg::Number(*n),
                    journey_protocol::Arg::Text(t) => journey_i18n::Arg::Text(t),
                };
                (name.as_str(), value)
            })
            .collect();
        fluent_args.push((BRAND_ARG, journey_i18n::Arg::Text(&brand.name)));
        self.catalog
            .layered(brand.overrides.as_deref())
            .format(locale, id, &fluent_args)
            .unwrap_or_else(|| {
                tracing::error!(locale, id, "message missing or not formattable");
                id.to_owned()
            })
    }

    /// The display name of a flow's brand, with its overrides, for [`AppState::text`].
    pub fn brand_name(&self, tenant: &str, brand: &str) -> BrandName {
        self.tenants
            .get(tenant)
            .map_or_else(BrandName::none, |t| t.brand_name(brand).clone())
    }

    /// An API error with its text in `locale` (or the first tenant's default).
    pub fn error(&self, code: ErrorCode, locale: Option<&str>, flow: Option<Flow>) -> ApiError {
        self.error_with(code, locale, flow, &[])
    }

    /// [`AppState::error`] with arguments for its text.
    pub fn error_with(
        &self,
        code: ErrorCode,
        locale: Option<&str>,
        flow: Option<Flow>,
        args: &[(String, journey_protocol::Arg)],
    ) -> ApiError {
        let locale = locale
            .map(str::to_owned)
            .unwrap_or_else(|| self.default_locale());
        let id = format!("api-{}", code.as_str().replace('_', "-"));
        let text = self.text(&locale, &BrandName::none(), &id, args);
        ApiError::new(code, id, text, flow)
    }

    /// An internal error: logged in full, answered without detail.
    pub fn internal(&self, context: &str, error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "{context}");
        self.error(ErrorCode::Internal, None, None)
    }

    fn default_locale(&self) -> String {
        self.tenants
            .iter()
            .next()
            .map(|t| t.default_locale.clone())
            .unwrap_or_else(|| "en".to_owned())
    }
}
