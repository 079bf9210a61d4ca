//! The operator's probes: `GET /healthz` answers 200 `ok` while the process serves at all (a
//! liveness probe), and `GET /readyz` says whether it can do its work (a readiness probe): 200
//! with `"status": "ready"`, or 503 with `"status": "not_ready"`, and what each check found.
//!
//! Ready means: the database answers a read within [`DATABASE_WITHIN`] and the watchdog has
//! not found its file gone ([`crate::watchdog`]), and the server is not shutting down.
//! Journeys and texts are loaded and checked before the server listens at all, so a server
//! that answers has them; `/readyz` reports how many. It reports each channel's sender
//! (`delivery`: `email`, `sms` and `voice`, each `smtp`, `http`, `dev-outbox` or
//! `not_configured`) and the journeys that cannot start for want of one
//! (`journeys_unavailable`, `tenant/journey`). Any such journey makes the server not ready: it
//! would refuse every person who comes to it (`channel_unavailable`), so a load balancer should
//! not send them there. A channel no journey needs may stay unconfigured.
//!
//! The answers say what failed, never why: the detail (paths, database errors) goes to the
//! log (DESIGN.md, invariant 7).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use journey_engine::Channel;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How long the database may take to answer the readiness check's read.
pub const DATABASE_WITHIN: Duration = Duration::from_secs(2);

/// `/healthz` and `/readyz`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Response {
    no_store("ok".into_response())
}

async fn readyz(State(state): State<AppState>) -> Response {
    let database = database(&state).await;
    let stopping = state.stopping.load(Ordering::SeqCst);
    let journeys: usize = state.tenants.iter().map(|t| t.journeys.len()).sum();
    let delivery: serde_json::Map<String, serde_json::Value> =
        [Channel::Email, Channel::Sms, Channel::Voice]
            .into_iter()
            .map(|channel| {
                let kind = state.senders.kind(channel).unwrap_or("not_configured");
                (channel.as_str().to_owned(), kind.into())
            })
            .collect();
    let unavailable: Vec<String> = state
        .tenants
        .iter()
        .flat_map(|tenant| {
            tenant
                .journeys
                .iter()
                .filter(|(_, journey)| state.senders.missing_for(journey).is_some())
                .map(|(name, _)| format!("{}/{name}", tenant.id))
        })
        .collect();
    let ready = database == "ok" && !stopping && unavailable.is_empty();
    let mut locales = state.catalog.locales();
    locales.extend(state.catalog.pseudo_locale());
    let body = json!({
        "status": if ready { "ready" } else { "not_ready" },
        "checks": {
            "database": database,
            "shutting_down": stopping,
            "tenants": state.tenants.iter().count(),
            "journeys": journeys,
            "locales": locales,
            "delivery": delivery,
            "journeys_unavailable": unavailable,
        },
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    no_store((status, Json(body)).into_response())
}

/// `ok`, `lost` (the watchdog found the file deleted or replaced), `unavailable` (the read
/// failed) or `slow` (no answer within [`DATABASE_WITHIN`]).
async fn database(state: &AppState) -> &'static str {
    if state.halt.reason().is_some() {
        return "lost";
    }
    match tokio::time::timeout(DATABASE_WITHIN, state.store.has_tenant_keys()).await {
        Ok(Ok(_)) => "ok",
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database did not answer");
            "unavailable"
        }
        Err(_) => {
            tracing::warn!(within = ?DATABASE_WITHIN, "readiness: the database was too slow");
            "slow"
        }
    }
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
