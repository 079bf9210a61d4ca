//! The operator's probes: `GET /healthz` answers 200 `ok` while the process serves at all (a
//! liveness probe), and `GET /readyz` says whether it can do its work (a readiness probe): 200
//! with `"status": "ready"`, or 503 with `"status": "not_ready"`, and what each check found.
//!
//! Ready means: the database answers a read within [`DATABASE_WITHIN`] and the watchdog has
//! not found its file gone ([`crate::watchdog`]), and the server is not shutting down.
//! Journeys and texts are loaded and checked before the server listens at all, so a server
//! that answers has them; `/readyz` reports how many. It reports the message sender too: the
//! dev outbox in development mode, `none` otherwise (no real sender exists yet, so messages
//! stay queued in the outbox). A missing sender does not make the server unready yet: until
//! there are senders to configure, that would make every production server unready.
//!
//! The answers say what failed, never why: the detail (paths, database errors) goes to the
//! log (DESIGN.md, invariant 7).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
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
    let ready = database == "ok" && !stopping;
    let journeys: usize = state.tenants.iter().map(|t| t.journeys.len()).sum();
    let delivery = if state.config.dev {
        "dev-outbox"
    } else {
        "none"
    };
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
