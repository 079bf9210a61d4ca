//! Development-only routes: the dev outbox, where the demo and the tests read delivered
//! messages, every block's examples (`GET /dev/examples`), where the designer preview, the
//! widget tests and `cargo xtask shots` get their sample steps, and the list of tenants with
//! their public descriptions (`GET /dev/tenants`), from which the preview's tenant picker and
//! the screenshot matrix learn which tenants, brands and languages there are. The router adds
//! them only in development mode; otherwise the paths do not exist. The outbox's answers carry codes, so
//! they are never stored (`Cache-Control: no-store`).

use crate::error::{ApiError, Failure};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use journey_protocol::{ErrorCode, Examples, TenantInfo};
use serde::{Deserialize, Serialize};

/// The `/dev` routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/dev/outbox",
            get(outbox).layer(axum::middleware::map_response(no_store)),
        )
        .route("/dev/examples", get(examples))
        .route("/dev/tenants", get(tenants))
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

/// The query string of `GET /dev/examples`. An empty or absent brand or locale means the
/// tenant's default brand and that brand's language, as the preview's pickers start.
#[derive(Deserialize)]
struct ExamplesOf {
    tenant: Option<String>,
    brand: Option<String>,
    locale: Option<String>,
}

/// Every block's examples for one tenant, brand and locale, resolved by the same path as a
/// flow's steps (`render.rs`). An unknown tenant is `tenant_not_found`; an unknown brand or a
/// language the tenant does not have is `invalid_request`.
async fn examples(
    State(state): State<AppState>,
    query: Result<Query<ExamplesOf>, QueryRejection>,
) -> Result<Json<Examples>, ApiError> {
    let Query(query) = query.map_err(|_| state.error(ErrorCode::InvalidRequest, None, None))?;
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let tenant =
        given(query.tenant).ok_or_else(|| state.error(ErrorCode::InvalidRequest, None, None))?;
    let tenant = state
        .tenants
        .get(&tenant)
        .ok_or_else(|| state.error(ErrorCode::TenantNotFound, None, None))?;
    let refused = |locale: &str| state.error(ErrorCode::InvalidRequest, Some(locale), None);
    let brand = match given(query.brand) {
        Some(brand) if tenant.has_brand(&brand) => brand,
        Some(_) => return Err(refused(&tenant.default_locale)),
        None => tenant
            .brands
            .first()
            .map(|brand| brand.id.clone())
            .unwrap_or_default(),
    };
    let locale = match given(query.locale) {
        Some(asked) => tenant
            .locales
            .iter()
            .find(|known| known.eq_ignore_ascii_case(asked.trim()))
            .cloned()
            .ok_or_else(|| refused(tenant.brand_default_locale(&brand)))?,
        None => tenant.brand_default_locale(&brand).to_owned(),
    };
    let now = state.clock.now();
    let dir = crate::locale::direction(&locale);
    crate::render::examples(&state, &tenant.id, &brand, &locale, dir, now)
        .map(Json)
        .map_err(|e| Failure::internal("rendering the examples", e).into_api(&state, Some(&locale)))
}

/// Every tenant's public description (as `GET /v1/{tenant}` gives it), in id order: what the
/// designer preview and `cargo xtask shots` draw, without a list of tenants of their own.
async fn tenants(State(state): State<AppState>) -> Json<Vec<TenantInfo>> {
    Json(
        state
            .tenants
            .iter()
            .map(|tenant| crate::describe::tenant(&state, tenant, None))
            .collect(),
    )
}
