//! The journey protocol's HTTP endpoints. Handlers are thin: extract, call [`crate::flows`],
//! map the answer (STYLE.md: "the engine decides, the edges act").
//!
//! This is the edge where a [`crate::error::Failure`] becomes the wire error, once, with its
//! text in the flow's locale (or, before a flow exists, the one its start request asked for),
//! and where internal detail is logged ([`crate::error::Failure::into_api`]). It also serves
//! the tenant's public description (`GET /v1/{tenant}`, [`crate::describe`]) and its token
//! keys and discovery.

use crate::describe;
use crate::error::{ApiError, Failure, JsonBody};
use crate::flows::{self, Answered};
use crate::limits::{self, Action};
use crate::security::{Caller, ForTenant};
use crate::state::AppState;
use crate::tokens;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use journey_protocol::{ErrorCode, Extend, StartFlow, Submit};
use serde_json::json;

/// The `/v1` routes.
pub fn routes() -> Router<AppState> {
    let v1 = Router::new()
        .route("/{tenant}", get(tenant_info))
        .route("/{tenant}/journeys/{journey}", post(start_flow))
        .route("/flows/{id}", get(get_flow).post(submit_flow))
        .route("/flows/{id}/extend", post(extend_flow))
        .route("/{tenant}/.well-known/jwks.json", get(jwks))
        .route("/{tenant}/.well-known/openid-configuration", get(discovery))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new().nest("/v1", v1)
}

/// Path segments that are not valid UTF-8 name nothing that exists.
type Segments<T> = Result<Path<T>, PathRejection>;

fn segments<T>(state: &AppState, path: Segments<T>, missing: ErrorCode) -> Result<T, ApiError> {
    path.map(|Path(value)| value)
        .map_err(|_| state.error(missing, None, None))
}

async fn start_flow(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    path: Segments<(String, String)>,
    JsonBody(request): JsonBody<StartFlow>,
) -> Result<Response, ApiError> {
    let (tenant, journey) = segments(&state, path, ErrorCode::JourneyNotFound)?;
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    let locale = flows::request_locale(&state, &tenant, &request, accept_language);
    let started = match limits::check(&state, &tenant, &caller.client(), Action::StartFlow) {
        Ok(()) => flows::start(&state, &caller, &tenant, &journey, request, accept_language).await,
        Err(refused) => Err(refused),
    };
    started
        .map(respond)
        .map_err(|failure| failure.into_api(&state, locale.as_deref()))
}

async fn get_flow(
    State(state): State<AppState>,
    caller: Caller,
    path: Segments<String>,
) -> Result<Response, ApiError> {
    let id = segments(&state, path, ErrorCode::FlowNotFound)?;
    flows::get(&state, &caller, &id)
        .await
        .map(respond)
        .map_err(|failure| failure.into_api(&state, None))
}

async fn submit_flow(
    State(state): State<AppState>,
    caller: Caller,
    path: Segments<String>,
    JsonBody(request): JsonBody<Submit>,
) -> Result<Response, ApiError> {
    let id = segments(&state, path, ErrorCode::FlowNotFound)?;
    // The tenant is the flow's, known once it is loaded (`flows::submit` checks it then).
    let submitted = match limits::check_submit(&state, &caller.client()) {
        Ok(()) => flows::submit(&state, &caller, &id, request).await,
        Err(refused) => Err(refused),
    };
    submitted
        .map(respond)
        .map_err(|failure| failure.into_api(&state, None))
}

/// `POST /v1/flows/{id}/extend` with `{}`: more time for an active flow (WCAG 2.2.1).
async fn extend_flow(
    State(state): State<AppState>,
    caller: Caller,
    path: Segments<String>,
    JsonBody(Extend {}): JsonBody<Extend>,
) -> Result<Response, ApiError> {
    let id = segments(&state, path, ErrorCode::FlowNotFound)?;
    let extended = match limits::check_submit(&state, &caller.client()) {
        Ok(()) => flows::extend(&state, &caller, &id).await,
        Err(refused) => Err(refused),
    };
    extended
        .map(respond)
        .map_err(|failure| failure.into_api(&state, None))
}

fn respond(answered: Answered) -> Response {
    // `/v1/flows/{id}` does not name the tenant: tell the security headers whose page it is.
    let tenant = ForTenant(answered.flow.tenant.clone());
    let mut response = (StatusCode::OK, Json(answered.flow)).into_response();
    response.extensions_mut().insert(tenant);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in answered
        .cookies
        .iter()
        .filter_map(|c| HeaderValue::from_str(c).ok())
    {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /v1/{tenant}`: what the tenant offers, for brand pages and the designer preview.
/// `?locale=` of `GET /v1/{tenant}`: the language of the journeys' titles.
#[derive(serde::Deserialize)]
struct DescribeQuery {
    locale: Option<String>,
}

async fn tenant_info(
    State(state): State<AppState>,
    path: Segments<String>,
    query: Result<Query<DescribeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    // A malformed query asks for no language.
    let asked = query.ok().and_then(|Query(q)| q.locale);
    let tenant = segments(&state, path, ErrorCode::TenantNotFound)?;
    let tenant = state
        .tenants
        .get(&tenant)
        .ok_or_else(|| Failure::refused(ErrorCode::TenantNotFound).into_api(&state, None))?;
    Ok(Json(describe::tenant(&state, tenant, asked.as_deref())).into_response())
}

async fn jwks(State(state): State<AppState>, path: Segments<String>) -> Result<Response, ApiError> {
    let tenant = segments(&state, path, ErrorCode::TenantNotFound)?;
    if state.tenants.get(&tenant).is_none() {
        return Err(state.error(ErrorCode::TenantNotFound, None, None));
    }
    let jwks = state
        .signers
        .jwks(&tenant, state.clock.now())
        .await
        .map_err(|e| Failure::internal("publishing the signing keys", e).into_api(&state, None))?;
    // Verifiers may keep it this long: a new key is published well before it signs.
    let cache = format!("public, max-age={}", tokens::JWKS_MAX_AGE);
    Ok(([(header::CACHE_CONTROL, cache)], Json(jwks)).into_response())
}

async fn discovery(
    State(state): State<AppState>,
    path: Segments<String>,
) -> Result<Response, ApiError> {
    let tenant = segments(&state, path, ErrorCode::TenantNotFound)?;
    if state.tenants.get(&tenant).is_none() {
        return Err(state.error(ErrorCode::TenantNotFound, None, None));
    }
    let issuer = format!("{}/v1/{tenant}", state.config.public_url);
    Ok(Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "subject_types_supported": ["public"],
    }))
    .into_response())
}

async fn method_not_allowed(State(state): State<AppState>) -> ApiError {
    state.error(ErrorCode::MethodNotAllowed, None, None)
}

/// The JSON 404 of the API.
pub async fn not_found(State(state): State<AppState>) -> ApiError {
    state.error(ErrorCode::NotFound, None, None)
}
