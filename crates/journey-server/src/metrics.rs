//! Prometheus metrics: one registry per server state (no global recorder, so two servers in
//! one process, as in the tests, count apart), rendered in Prometheus's text format by
//! [`render`] at `metrics.path`, only when the operator enables them (`metrics.enabled`), on
//! the main listener or on one of their own (`metrics.listen`). Counting costs a few atomic
//! additions whether or not anyone reads them.
//!
//! What is counted, and where:
//!
//! | metric | labels | counted by |
//! |---|---|---|
//! | `journeykit_http_requests_total` | route, method, status | [`crate::requests`] |
//! | `journeykit_http_request_duration_seconds` | route, method | [`crate::requests`] (until the answer's head) |
//! | `journeykit_flows_started_total` | tenant, journey, step | `flows::funnel` (the first step shown) |
//! | `journeykit_flow_steps_reached_total` | tenant, journey, step | `flows::funnel` (each arrival at a step) |
//! | `journeykit_flows_completed_total` | tenant, journey, step | `flows::funnel` (the step it completed at) |
//! | `journeykit_flows_failed_total` | tenant, journey, step | `flows::funnel` (the step it failed at) |
//! | `journeykit_flows_expired_total` | tenant, journey, step | `flows::funnel` (the step it was left at) |
//! | `journeykit_flows_expiry_untracked_total` | | `flows::funnel` (flows beyond its watch list) |
//! | `journeykit_messages_queued_total` | tenant, channel | `flows::writes` (saved with the step) |
//! | `journeykit_messages_sent_total` | tenant, channel | [`crate::outbox`] (handed to the sender) |
//! | `journeykit_messages_retried_total` | tenant, channel | [`crate::outbox`] (a failed try, to be tried again) |
//! | `journeykit_messages_failed_total` | tenant, channel | [`crate::outbox`] (given up after its last try) |
//! | `journeykit_messages_dropped_total` | | [`crate::outbox`] (expired before it was sent) |
//! | `journeykit_password_queue_depth` | | [`crate::password`] (places taken in the queue) |
//! | `journeykit_password_queue_wait_seconds` | | [`crate::password`] (admission to hashing) |
//! | `journeykit_password_busy_total` | | [`crate::password`] (refused: queue full or waited too long) |
//! | `journeykit_password_hashes_total` | | [`crate::password`] (argon2 runs) |
//! | `journeykit_db_connections` | state (`busy`, `idle`) | the store's `pool_use`, read at each scrape |
//! | `journeykit_db_connections_max` | | the same |
//! | `journeykit_db_waiting` | | the same (calls waiting for a connection) |
//! | `journeykit_build_info` | version | here |
//!
//! Labels only take values the server knows: routes are the router's templates, tenants,
//! journeys and steps come from the loaded journey files, methods outside the usual ones are
//! `other`. SQLite has one connection (`max` 1; its waiting calls are those queued for it);
//! PostgreSQL reports its pool.

use crate::password::Hasher;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use journey_store::PoolUse;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use std::time::Duration;

/// The latency buckets of HTTP requests, in seconds: 1 ms to 10 s.
const HTTP_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: &'static str,
}

/// A flow's place in the funnel.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FlowLabels {
    /// The tenant.
    pub tenant: String,
    /// The journey.
    pub journey: String,
    /// The step.
    pub step: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    tenant: String,
    channel: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn http_histogram() -> Histogram {
    Histogram::new(HTTP_BUCKETS)
}

/// What happened to a flow, for [`Metrics::flow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowEvent {
    /// Started, at its first step.
    Started,
    /// Arrived at a step.
    Reached,
    /// Completed.
    Completed,
    /// Failed.
    Failed,
    /// Expired.
    Expired,
}

/// Every metric of one server.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: HistogramFamily<RouteLabels>,
    started: Family<FlowLabels, Counter>,
    reached: Family<FlowLabels, Counter>,
    completed: Family<FlowLabels, Counter>,
    failed: Family<FlowLabels, Counter>,
    expired: Family<FlowLabels, Counter>,
    untracked: Counter,
    queued: Family<ChannelLabels, Counter>,
    sent: Family<ChannelLabels, Counter>,
    retried: Family<ChannelLabels, Counter>,
    failed_messages: Family<ChannelLabels, Counter>,
    dropped: Counter,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    pool_waiting: Gauge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

impl Metrics {
    /// The metrics, with the password hasher's own (its queue counts them where it works).
    pub fn new(hasher: &Hasher) -> Self {
        let mut registry = Registry::with_prefix("journeykit");
        let this = Self {
            requests: Family::default(),
            durations: Family::new_with_constructor(http_histogram),
            started: Family::default(),
            reached: Family::default(),
            completed: Family::default(),
            failed: Family::default(),
            expired: Family::default(),
            untracked: Counter::default(),
            queued: Family::default(),
            sent: Family::default(),
            retried: Family::default(),
            failed_messages: Family::default(),
            dropped: Counter::default(),
            pool: Family::default(),
            pool_max: Gauge::default(),
            pool_waiting: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register(
            "build",
            "The server's version",
            Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]),
        );
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            this.requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its answer's head",
            Unit::Seconds,
            this.durations.clone(),
        );
        let funnel = [
            (
                "flows_started",
                "Flows started, by the first step shown",
                &this.started,
            ),
            (
                "flow_steps_reached",
                "Arrivals of flows at a step",
                &this.reached,
            ),
            (
                "flows_completed",
                "Flows completed, by the step they completed at",
                &this.completed,
            ),
            (
                "flows_failed",
                "Flows failed, by the step they failed at",
                &this.failed,
            ),
            (
                "flows_expired",
                "Flows expired, by the step they were left at",
                &this.expired,
            ),
        ];
        for (name, help, family) in funnel {
            registry.register(name, help, family.clone());
        }
        registry.register(
            "flows_expiry_untracked",
            "Flows whose expiry was not watched (the watch list was full): not in flows_expired",
            this.untracked.clone(),
        );
        let messages = [
            (
                "messages_queued",
                "Messages queued in the outbox",
                &this.queued,
            ),
            (
                "messages_sent",
                "Messages handed to their sender",
                &this.sent,
            ),
            (
                "messages_retried",
                "Failed tries to send a message that is tried again",
                &this.retried,
            ),
            (
                "messages_failed",
                "Messages given up after their last try",
                &this.failed_messages,
            ),
        ];
        for (name, help, family) in messages {
            registry.register(name, help, family.clone());
        }
        registry.register(
            "messages_dropped",
            "Queued messages dropped unsent because their code expired",
            this.dropped.clone(),
        );
        registry.register(
            "db_connections",
            "The database's connections now, by state: busy (running a call) or idle",
            this.pool.clone(),
        );
        registry.register(
            "db_connections_max",
            "The most connections the server opens to the database",
            this.pool_max.clone(),
        );
        registry.register(
            "db_waiting",
            "Database calls waiting for a connection now",
            this.pool_waiting.clone(),
        );
        let password = hasher.metrics();
        registry.register(
            "password_queue_depth",
            "Password checks admitted to the hashing queue and not yet started",
            password.depth.clone(),
        );
        registry.register_with_unit(
            "password_queue_wait",
            "Time from a password check's admission to the start of its hashing",
            Unit::Seconds,
            password.waits.clone(),
        );
        registry.register(
            "password_busy",
            "Password checks refused as busy (queue full, or waited too long)",
            password.busy.clone(),
        );
        registry.register(
            "password_hashes",
            "argon2id computations run (hashes and verifications)",
            password.runs.clone(),
        );
        Self { registry, ..this }
    }

    /// Counts an answered request.
    pub fn request(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        let route = route.to_owned();
        self.durations
            .get_or_create(&RouteLabels {
                route: route.clone(),
                method,
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
    }

    /// Counts a flow's move in the funnel.
    pub fn flow(&self, event: FlowEvent, labels: &FlowLabels) {
        let family = match event {
            FlowEvent::Started => &self.started,
            FlowEvent::Reached => &self.reached,
            FlowEvent::Completed => &self.completed,
            FlowEvent::Failed => &self.failed,
            FlowEvent::Expired => &self.expired,
        };
        family.get_or_create(labels).inc();
    }

    /// Counts a flow whose expiry nobody watches.
    pub fn expiry_untracked(&self) {
        self.untracked.inc();
    }

    /// Counts a message queued on `channel` for `tenant`.
    pub fn queued(&self, tenant: &str, channel: &str) {
        self.queued
            .get_or_create(&channel_labels(tenant, channel))
            .inc();
    }

    /// Counts a message handed to its sender.
    pub fn sent(&self, tenant: &str, channel: &str) {
        self.sent
            .get_or_create(&channel_labels(tenant, channel))
            .inc();
    }

    /// Counts a failed try to send a message that will be tried again.
    pub fn retried(&self, tenant: &str, channel: &str) {
        self.retried
            .get_or_create(&channel_labels(tenant, channel))
            .inc();
    }

    /// Counts a message given up after its last try.
    pub fn message_failed(&self, tenant: &str, channel: &str) {
        self.failed_messages
            .get_or_create(&channel_labels(tenant, channel))
            .inc();
    }

    /// Counts messages dropped unsent.
    pub fn dropped(&self, count: usize) {
        self.dropped.inc_by(count as u64);
    }

    /// Everything, in Prometheus's text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    /// Records how the database's connections are used, as the gauges read at a scrape.
    pub fn pool(&self, used: PoolUse) {
        let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let idle = used.open.saturating_sub(used.busy);
        self.pool
            .get_or_create(&PoolLabels { state: "busy" })
            .set(gauge(used.busy));
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(gauge(idle));
        self.pool_max.set(gauge(used.max));
        self.pool_waiting.set(gauge(used.waiting));
    }
}

fn channel_labels(tenant: &str, channel: &str) -> ChannelLabels {
    ChannelLabels {
        tenant: tenant.to_owned(),
        channel: channel.to_owned(),
    }
}

/// The metrics route's answer.
pub async fn render(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> Response {
    state.metrics.pool(state.store.pool_use());
    match state.metrics.encode() {
        Ok(text) => {
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
                ),
            );
            response
        }
        Err(e) => state.internal("rendering the metrics", e).into_response(),
    }
}
