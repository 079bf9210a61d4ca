//! The Journeykit journey server: the only crate that knows HTTP (DESIGN.md, invariant 2).
//!
//! It loads tenants and texts once at start-up ([`tenants`], `journey-i18n`; in development
//! mode with the `en-XA` pseudo-locale), picks a flow's language ([`locale`]), serves the
//! journey protocol ([`api`]) by running the engine and saving through the store ([`flows`]),
//! describes each tenant publicly ([`describe`]), turns failures into wire errors once at the
//! edge ([`error`]), signs ID tokens with each tenant's key, sealed by a master key file
//! ([`tokens`], [`keys`]), stops when the database file vanishes ([`watchdog`]), hashes
//! passwords ([`password`]), delivers messages from the outbox ([`outbox`]) and, for the demo,
//! serves the built widgets and brand pages ([`statics`]) under a strict
//! Content-Security-Policy ([`security`]).
//! Expensive requests pass the rate limits per client and per tenant first ([`limits`]).
//! For operators: one configuration from file, environment and flags ([`config`]), the log
//! ([`logs`]), a request id, an access log line and request metrics for every request
//! ([`requests`]), Prometheus metrics ([`metrics`]) and the probes `/healthz` and `/readyz`
//! ([`health`]).
//!
//! [`app`] builds the router from a state without a socket (axum's testing example);
//! [`serve`] adds the socket, with our own accept loop and its time limits ([`conn`]), and
//! shuts down gracefully.

pub mod api;
pub mod config;
pub mod conn;
pub mod consents;
pub mod describe;
pub mod dev;
pub mod error;
pub mod events;
pub mod flows;
pub mod health;
pub mod keys;
pub mod limits;
pub mod locale;
pub mod logs;
pub mod lookup;
pub mod metrics;
pub mod outbox;
pub mod password;
pub mod queries;
pub mod render;
pub mod requests;
pub mod security;
pub mod state;
pub mod statics;
pub mod tenants;
pub mod tokens;
pub mod watchdog;

use axum::Router;
use axum::routing::get;
use config::Config;
use journey_engine::BlockCatalogue;
use journey_i18n::Catalog;
use journey_store::{DatabaseUrl, Store, StoreError};
use state::{AppState, Clock, Inner};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The locales could not be loaded.
    #[error(transparent)]
    Locales(#[from] journey_i18n::I18nError),
    /// Tenant or journey files are invalid: one line per problem.
    #[error("invalid tenant configuration:\n  {}", .0.join("\n  "))]
    Tenants(Vec<String>),
    /// The database could not be opened.
    #[error("database {path}: {source}")]
    Store {
        /// The file or URL (without its password).
        path: String,
        /// The cause.
        source: journey_store::StoreError,
    },
    /// The PostgreSQL database holds no Journeykit tables and `--create-db` was not given.
    #[error(
        "database {0} holds no Journeykit tables yet; pass --create-db to create them (the database itself must exist)"
    )]
    EmptyDatabase(String),
    /// Password hashing could not be set up.
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    /// The database may not be created, or the key file is missing, loose or wrong.
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    /// The tenants' signing keys could not be loaded.
    #[error("signing keys in database {path}: {source}")]
    Signers {
        /// The database file.
        path: String,
        /// The cause.
        source: tokens::SignerError,
    },
    /// A message sender could not be set up: the text names the setting.
    #[error("delivery: {0}")]
    Delivery(#[from] outbox::SenderError),
    /// The static folder is missing.
    #[error("static files {0}: not a folder (build the widgets first: cargo xtask demo)")]
    Static(String),
}

/// Loads and checks everything the server needs; nothing is served before all of it is valid.
pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    let mut catalog = Catalog::load(&config.locales)?;
    if config.dev {
        // QA's pseudo-locale exists only in development mode; elsewhere `en-XA` is unknown.
        catalog = catalog.with_pseudo()?;
    }
    let catalogue = BlockCatalogue::standard();
    let tenants = tenants::Tenants::load(&config.tenants, &catalogue, &catalog)
        .map_err(StartError::Tenants)?;
    if let Some(dir) = config.static_dir.as_ref().filter(|dir| !dir.is_dir()) {
        return Err(StartError::Static(dir.display().to_string()));
    }
    let create = keys::creation(&config.db, &config.key_file, config.create_db)?;
    let store = journey_store::open(&config.db, create)
        .await
        .map_err(|source| store_error(&config.db, source))?;
    let master = master_key(&config, store.as_ref()).await?;
    // Every loaded journey version is kept, so flows started on it can finish after its file
    // changes and the server restarts.
    flows::remember_journeys(store.as_ref(), &tenants)
        .await
        .map_err(|source| store_error(&config.db, source))?;
    let now = clock.now();
    let signers = tokens::Signers::new(
        store.clone(),
        master,
        i64::try_from(config.key_rotation.as_secs()).unwrap_or(i64::MAX),
        flows::ID_TOKEN_TTL,
        tenants.iter().map(|tenant| tenant.id.as_str()),
        now,
    )
    .await
    .map_err(|source| StartError::Signers {
        path: config.db.to_string(),
        source,
    })?;
    let cores = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1);
    let hasher = password::Hasher::new(cores)?;
    let submit_limits = tenants
        .iter()
        .map(|t| t.rate_limits.client(limits::Action::Submit));
    let limits = limits::Limiter::new(submit_limits);
    let metrics = metrics::Metrics::new(&hasher);
    let senders = outbox::Senders::build(&config, &tenants)?;
    warn_unrunnable(&config, &tenants, &senders);
    Ok(AppState::new(Inner {
        store,
        tenants,
        catalog,
        catalogue,
        signers,
        hasher,
        limits,
        clock,
        config,
        outbox: Notify::new(),
        senders: Arc::new(senders),
        old_journeys: Mutex::new(HashMap::new()),
        halt: watchdog::Halt::default(),
        metrics,
        funnel: flows::Funnel::default(),
        stopping: AtomicBool::new(false),
    }))
}

/// Logs one warning for each journey that needs a channel without a sender: outside
/// development mode it cannot start ([`flows::start`] refuses it with `channel_unavailable`).
fn warn_unrunnable(config: &Config, tenants: &tenants::Tenants, senders: &outbox::Senders) {
    if config.dev {
        return;
    }
    for tenant in tenants.iter() {
        for (name, journey) in &tenant.journeys {
            if let Some(channel) = senders.missing_for(journey) {
                let setting = match channel {
                    journey_engine::Channel::Email => "email.smtp_host",
                    journey_engine::Channel::Sms => "sms.url",
                    journey_engine::Channel::Voice => "voice.url",
                };
                tracing::warn!(
                    tenant = %tenant.id,
                    journey = %name,
                    %channel,
                    "journey {}/{name} cannot start: it sends {channel} messages and no {channel} sender is configured ({setting})",
                    tenant.id
                );
            }
        }
    }
}

/// The master key: read from the key file, or created with it when the database holds no
/// sealed keys yet (a new database, or one from before keys were sealed).
async fn master_key(config: &Config, store: &dyn Store) -> Result<keys::MasterKey, StartError> {
    if let Some(master) = keys::MasterKey::load(&config.key_file)? {
        return Ok(master);
    }
    let sealed = store
        .has_tenant_keys()
        .await
        .map_err(|source| store_error(&config.db, source))?;
    if sealed {
        return Err(keys::KeyError::KeyFileGone {
            db: config.db.to_string(),
            key: config.key_file.display().to_string(),
        }
        .into());
    }
    Ok(keys::MasterKey::create(&config.key_file)?)
}

/// The start error for a store failure on `db`.
fn store_error(db: &DatabaseUrl, source: StoreError) -> StartError {
    match source {
        StoreError::Empty(shown) => StartError::EmptyDatabase(shown),
        source => StartError::Store {
            path: db.to_string(),
            source,
        },
    }
}

/// The whole router.
pub fn app(state: AppState) -> Router {
    // Tenants and origins are fixed for the life of the process: build the policies once.
    let policy = security::Policy::new(&state);
    let mut router = Router::new().merge(api::routes()).merge(health::routes());
    if let Some(metrics) = state.config.metrics.as_ref().filter(|m| m.listen.is_none()) {
        router = router.route(&metrics.path, get(metrics::render));
    }
    if state.config.dev {
        router = router.merge(dev::routes());
    }
    if let Some(dir) = &state.config.static_dir {
        router = router.fallback_service(statics::service(dir));
    } else {
        router = router.fallback(api::not_found);
    }
    router
        .layer(security::cors(&state))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            requests::observe,
        ))
        .with_state(state)
}

/// The router of the metrics' own listener (`metrics.listen`): the metrics and the probes.
pub fn metrics_app(state: AppState) -> Router {
    let path = state
        .config
        .metrics
        .as_ref()
        .map_or("/metrics", |m| m.path.as_str())
        .to_owned();
    Router::new()
        .route(&path, get(metrics::render))
        .merge(health::routes())
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            requests::observe,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves, with the clean-up task; in development mode also the dev
/// outbox sender. Handlers see the peer as `axum::extract::ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, None, state, shutdown).await
}

/// [`serve`], and the metrics on `metrics_listener` when they have a listener of their own.
///
/// When `shutdown` resolves: `/readyz` turns 503, both listeners close (new connections are
/// refused), the requests in flight finish and the dev outbox sender finishes the message in
/// hand, all within `server.shutdown_grace_secs` of the signal; then the background tasks stop.
pub async fn serve_with(
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // When the shutdown began, for everything that must finish within the grace.
    let (stop, stopped) = watch::channel(None::<Instant>);
    let background = vec![
        tokio::spawn(outbox::maintain(state.clone())),
        tokio::spawn(watchdog::database(state.clone())),
        tokio::spawn(flows::watch_expiries(state.clone())),
    ];
    let deliverer = (!state.senders.is_empty()).then(|| {
        tokio::spawn(outbox::deliver(
            state.clone(),
            state.senders.clone(),
            stopped.clone(),
        ))
    });
    let (timeouts, grace) = (state.config.timeouts, state.config.shutdown_grace);
    let side = metrics_listener.map(|listener| {
        let mut stopped = stopped.clone();
        let app = metrics_app(state.clone());
        tokio::spawn(conn::serve(listener, app, timeouts, grace, async move {
            let _ = stopped.wait_for(Option::is_some).await;
        }))
    });
    let stopping = state.clone();
    let signalled = async move {
        shutdown.await;
        stopping.stopping.store(true, Ordering::SeqCst);
        tracing::info!(
            ?grace,
            "shutting down: no new connections; finishing the requests in flight"
        );
        stop.send_replace(Some(Instant::now()));
    };
    let result = conn::serve(listener, app(state), timeouts, grace, signalled).await;
    let began = (*stopped.borrow()).unwrap_or_else(Instant::now);
    let left = grace.saturating_sub(began.elapsed());
    if let Some(mut deliverer) = deliverer
        && tokio::time::timeout(left, &mut deliverer).await.is_err()
    {
        tracing::warn!("the message in hand was not delivered within the shutdown grace");
        deliverer.abort();
    }
    if let Some(side) = side {
        let _ = side.await;
    }
    for task in background {
        task.abort();
    }
    result
}
