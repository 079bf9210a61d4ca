//! The journey funnel in the metrics: flows started, steps reached, flows completed, failed
//! and expired, by tenant, journey and step ([`crate::metrics`]).
//!
//! Starting, reaching a step, completing and failing happen in a save, so they are counted
//! when the save succeeds ([`saved`]): a replay or a lost race saves nothing and counts
//! nothing. Expiry happens to a flow nobody touches, so it is watched instead: every active
//! flow this process saved or extended is in the [`Funnel`]'s watch list until it ends, and
//! once a second [`expiries`] takes the ones whose time is up, reads each from the store and
//! counts it if it is still active, still expired and still as this process left it (same
//! revision, same expiry). A flow moved on or extended by another replica belongs to that
//! replica's list, so each expiry is counted once across replicas.
//!
//! ```text
//!  save (start, submit) ──► active? ──yes──► watch(id, expires_at, revision, step)
//!                             │ no                       │ extend: watch again
//!                             ▼                          ▼
//!                      unwatch; completed/failed    due (expires_at <= now) ──► store: still
//!                                                   active, same revision and expiry? ──► expired
//! ```
//!
//! Without metrics enabled nothing is watched. The list lives in memory: flows active when the process stops are not counted as expired
//! by the next one, and beyond [`MAX_WATCHED`] flows new ones are counted as untracked
//! instead (`journeykit_flows_expiry_untracked_total`).

use crate::metrics::{FlowEvent, FlowLabels};
use crate::state::AppState;
use journey_engine::{FlowState, FlowStatus};
use journey_store::FlowRecord;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// At most this many flows are watched for their expiry (about 200 bytes each).
pub const MAX_WATCHED: usize = 200_000;

/// How often the watch list is looked at.
const TICK: Duration = Duration::from_secs(1);

/// A watched flow.
#[derive(Clone, Debug)]
struct Watched {
    revision: i64,
    labels: FlowLabels,
}

/// The active flows this process saved last, by the time they expire.
#[derive(Default)]
pub struct Funnel {
    watch: Mutex<Watch>,
}

#[derive(Default)]
struct Watch {
    by_time: BTreeMap<(i64, String), Watched>,
    by_flow: HashMap<String, i64>,
}

impl Watch {
    fn remove(&mut self, id: &str) {
        if let Some(expires_at) = self.by_flow.remove(id) {
            self.by_time.remove(&(expires_at, id.to_owned()));
        }
    }
}

impl Funnel {
    fn lock(&self) -> std::sync::MutexGuard<'_, Watch> {
        // Nothing panics while holding the lock, so a poisoned list is still consistent.
        self.watch.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Watches flow `id` until `expires_at`; `false` when the list is full.
    fn watch(&self, id: &str, expires_at: i64, watched: Watched) -> bool {
        let mut watch = self.lock();
        watch.remove(id);
        if watch.by_flow.len() >= MAX_WATCHED {
            return false;
        }
        watch.by_flow.insert(id.to_owned(), expires_at);
        watch.by_time.insert((expires_at, id.to_owned()), watched);
        true
    }

    fn unwatch(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Takes the flows whose time is up at `now` out of the list.
    fn due(&self, now: i64) -> Vec<(String, i64, Watched)> {
        let mut watch = self.lock();
        let later = watch.by_time.split_off(&(now + 1, String::new()));
        let due = std::mem::replace(&mut watch.by_time, later);
        for (_, id) in due.keys() {
            watch.by_flow.remove(id);
        }
        due.into_iter()
            .map(|((expires_at, id), watched)| (id, expires_at, watched))
            .collect()
    }

    /// How many flows are watched.
    pub fn watched(&self) -> usize {
        self.lock().by_flow.len()
    }
}

fn labels(record: &FlowRecord, flow: &FlowState) -> FlowLabels {
    FlowLabels {
        tenant: record.tenant.clone(),
        journey: record.journey.clone(),
        step: flow.step().to_owned(),
    }
}

/// Counts what a successful save did to its flow: `record` is the flow as saved (at
/// `revision`), `previous` the step it was at before (`None` for a new flow) and `flow` its
/// new state.
pub(super) fn saved(
    state: &AppState,
    record: &FlowRecord,
    revision: i64,
    previous: Option<&str>,
    flow: &FlowState,
) {
    let labels = labels(record, flow);
    let metrics = &state.metrics;
    if previous.is_none() {
        metrics.flow(FlowEvent::Started, &labels);
    }
    match flow.status() {
        FlowStatus::Active => {
            if previous != Some(flow.step()) {
                metrics.flow(FlowEvent::Reached, &labels);
            }
            watch(state, record, revision, labels);
        }
        FlowStatus::Complete => {
            state.funnel.unwatch(&record.id);
            metrics.flow(FlowEvent::Completed, &labels);
        }
        FlowStatus::Failed => {
            state.funnel.unwatch(&record.id);
            metrics.flow(FlowEvent::Failed, &labels);
        }
    }
}

/// Watches an active flow this process just extended (`record` with its new expiry).
pub(super) fn extended(state: &AppState, record: &FlowRecord, flow: &FlowState) {
    watch(state, record, record.revision, labels(record, flow));
}

fn watch(state: &AppState, record: &FlowRecord, revision: i64, labels: FlowLabels) {
    // Nobody reads the funnel without metrics: no list, and no store reads once a second.
    if state.config.metrics.is_none() {
        return;
    }
    let watched = Watched { revision, labels };
    if !state.funnel.watch(&record.id, record.expires_at, watched) {
        state.metrics.expiry_untracked();
    }
}

/// Once a second until the runtime stops: counts the watched flows that expired.
pub async fn expiries(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = state.clock.now();
        for (id, expires_at, watched) in state.funnel.due(now) {
            let record = match state.store.flow(&id).await {
                Ok(record) => record,
                Err(error) => {
                    // Look again next time rather than lose the count.
                    tracing::debug!(%error, "reading a flow whose time is up");
                    state.funnel.watch(&id, expires_at, watched);
                    continue;
                }
            };
            let Some(record) = record else { continue };
            let active = FlowState::from_json(&record.state)
                .is_ok_and(|flow| flow.status() == FlowStatus::Active);
            if active
                && record.revision == watched.revision
                && record.expires_at == expires_at
                && now >= record.expires_at
            {
                state.metrics.flow(FlowEvent::Expired, &watched.labels);
            }
        }
    }
}
