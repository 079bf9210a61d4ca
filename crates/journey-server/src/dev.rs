//! Development-only routes: the dev outbox, where the demo and the tests read delivered
//! messages. The router adds them only in development mode; otherwise the paths do not exist.
//! Its answers carry codes, so they are never stored (`Cache-Control: no-store`).

use crate::error::{ApiError, Failure};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use journey_protocol::ErrorCode;
use serde::{Deserialize, Serialize};

/// The `/dev` routes.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/dev/outbox",
        get(outbox).layer(axum::middleware::map_response(no_store)),
    )
}

/// Every dev outbox answer, the errors included.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The query string; `limit` is parsed by hand so a malformed one falls back to the default
/// instead of failing the request.
#[derive(Deserialize)]
struct Filter {
    to: Option<String>,
    limit: Option<String>,
}

#[derive(Serialize)]
struct Delivered {
    id: i64,
    channel: String,
    to: String,
    subject: String,
    body: String,
    created_at: i64,
    delivered_at: Option<i64>,
}

async fn outbox(
    State(state): State<AppState>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<Vec<Delivered>>, ApiError> {
    let Query(filter) = filter.map_err(|_| state.error(ErrorCode::InvalidRequest, None, None))?;
    let limit = filter
        .limit
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .min(500);
    let to = filter.to.map(|t| t.trim().to_lowercase());
    let messages = state
        .store
        .delivered(to.as_deref(), limit)
        .await
        .map_err(|e| Failure::internal("reading the dev outbox", e).into_api(&state, None))?;
    Ok(Json(
        messages
            .into_iter()
            .map(|m| Delivered {
                id: m.id,
                channel: m.channel,
                to: m.recipient,
                subject: m.subject,
                body: m.body,
                created_at: m.created_at,
                delivered_at: m.delivered_at,
            })
            .collect(),
    ))
}
