//! Development-only routes: the dev outbox, where the demo and the tests read delivered
//! messages, an account as the store holds it (`GET /dev/accounts?tenant=…&email=…`: its
//! attributes, which are verified, whether it has a password, and its consent history), where
//! the browser tests check what each journey saved, every block's examples (`GET /dev/examples`), where the designer preview, the
//! widget tests and `cargo xtask shots` get their sample steps, and the list of tenants with
//! their public descriptions (`GET /dev/tenants`), from which the preview's tenant picker and
//! the screenshot matrix learn which tenants, brands and languages there are. The router adds
//! them only in development mode; otherwise the paths do not exist. The outbox's answers carry
//! codes and an account's carry personal data, so neither is ever stored (`Cache-Control:
//! no-store`).

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
        .route(
            "/dev/accounts",
            get(account).layer(axum::middleware::map_response(no_store)),
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

/// The query string of `GET /dev/accounts`.
#[derive(Deserialize)]
struct AccountOf {
    tenant: Option<String>,
    email: Option<String>,
}

/// An account as the store holds it.
#[derive(Serialize)]
struct AccountView {
    subject: String,
    attributes: std::collections::BTreeMap<String, String>,
    verified: std::collections::BTreeSet<String>,
    has_password: bool,
    consents: Vec<ConsentView>,
}

/// One decision of an account's consent history, oldest first.
#[derive(Serialize)]
struct ConsentView {
    item: String,
    decision: &'static str,
    version: String,
    locale: String,
}

/// The account of `tenant` with `email`: `tenant_not_found` for an unknown tenant and
/// `invalid_request` without both. An address without an account answers `null`: development
/// mode is for the demo and the tests, which need to tell accounts apart.
async fn account(
    State(state): State<AppState>,
    query: Result<Query<AccountOf>, QueryRejection>,
) -> Result<Json<Option<AccountView>>, ApiError> {
    let Query(query) = query.map_err(|_| state.error(ErrorCode::InvalidRequest, None, None))?;
    let (Some(tenant), Some(email)) = (query.tenant, query.email) else {
        return Err(state.error(ErrorCode::InvalidRequest, None, None));
    };
    if state.tenants.get(&tenant).is_none() {
        return Err(state.error(ErrorCode::TenantNotFound, None, None));
    }
    // The same canonical form the journeys keep; an address that has none has no account.
    let Ok(Some(email)) = journey_engine::text::email(&email) else {
        return Ok(Json(None));
    };
    let failed = |e| Failure::internal("reading a dev account", e).into_api(&state, None);
    let Some(credentials) = state
        .store
        .credentials(&tenant, &email)
        .await
        .map_err(failed)?
    else {
        return Ok(Json(None));
    };
    let subject = credentials.subject;
    let Some(profile) = state
        .store
        .profile(&tenant, &subject)
        .await
        .map_err(failed)?
    else {
        return Ok(Json(None));
    };
    let consents = state
        .store
        .consents(&tenant, &subject)
        .await
        .map_err(failed)?;
    Ok(Json(Some(AccountView {
        subject,
        attributes: profile.attributes,
        verified: profile.verified,
        has_password: profile.has_password,
        consents: consents
            .into_iter()
            .map(|c| ConsentView {
                item: c.item,
                decision: c.decision.as_str(),
                version: c.version,
                locale: c.locale,
            })
            .collect(),
    })))
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
