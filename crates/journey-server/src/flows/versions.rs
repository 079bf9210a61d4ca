//! The journey version cache: a flow stays on the journey version it started with (DESIGN.md,
//! "Journeys as data"). Every loaded version's source is remembered in the store at start-up
//! ([`remember`]); a flow whose version is no longer the loaded one gets it back from the store,
//! parsed once and then kept in memory ([`journey_of`]).
//!
//! Loading and validating the current journey files is [`crate::tenants`]'.

use crate::error::Failure;
use crate::state::AppState;
use crate::tenants::Tenants;
use journey_engine::Journey;
use journey_store::{FlowRecord, Store, StoreError};
use std::sync::Arc;

/// Saves the source of every loaded journey version, so flows started on it can finish after
/// its file changes and the server restarts.
pub async fn remember(store: &dyn Store, tenants: &Tenants) -> Result<(), StoreError> {
    for tenant in tenants.iter() {
        for (name, journey) in &tenant.journeys {
            let source = tenant
                .sources
                .get(name)
                .map(String::as_str)
                .unwrap_or_default();
            store
                .remember_journey(journey.version(), &tenant.id, name, source)
                .await?;
        }
    }
    Ok(())
}

/// The journey version the flow started on: the loaded one, or an earlier one from the store.
pub(super) async fn journey_of(
    state: &AppState,
    record: &FlowRecord,
) -> Result<Arc<Journey>, Failure> {
    let current = state
        .tenants
        .get(&record.tenant)
        .and_then(|t| t.journeys.get(&record.journey));
    if let Some(journey) = current.filter(|j| j.version() == record.journey_version) {
        return Ok(Arc::clone(journey));
    }
    if let Some(journey) = state
        .old_journeys
        .lock()
        .ok()
        .and_then(|cache| cache.get(&record.journey_version).cloned())
    {
        return Ok(journey);
    }
    let context = "loading a journey version";
    let source = state
        .store
        .journey_source(&record.journey_version)
        .await
        .map_err(|e| Failure::internal(context, e))?
        .ok_or_else(|| Failure::internal(context, "the version is not in the store"))?;
    let journey = Journey::parse(&state.catalogue, "stored journey", &record.journey, &source)
        .map_err(|e| Failure::internal("parsing a stored journey version", e))?;
    let journey = Arc::new(journey);
    if let Ok(mut cache) = state.old_journeys.lock() {
        cache.insert(record.journey_version.clone(), Arc::clone(&journey));
    }
    Ok(journey)
}
