//! Browser-facing protections: the strict Content-Security-Policy and other headers on every
//! response (DESIGN.md, invariant 6), the CSRF check on state-changing requests, and CORS for
//! the origins the tenants allow.
//!
//! The CSRF rule (OWASP): a request that changes state must come from the server's own origin
//! or an origin some tenant allows, judged by `Origin`, or by `Sec-Fetch-Site` when a browser
//! sends no `Origin`. Requests without either are not from a browser page and pass.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use journey_protocol::ErrorCode;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Every origin that may call the API from a browser: the server's own and the tenants'.
pub fn allowed_origins(state: &AppState) -> Vec<String> {
    let mut origins = vec![state.config.public_origin()];
    for tenant in state.tenants.iter() {
        origins.extend(tenant.allowed_origins.iter().cloned());
    }
    origins.sort();
    origins.dedup();
    origins
}

/// The Content-Security-Policy of every response.
pub fn content_security_policy(state: &AppState) -> String {
    let ancestors: Vec<String> = allowed_origins(state)
        .into_iter()
        .filter(|o| *o != state.config.public_origin())
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'self'{}{}",
        if ancestors.is_empty() { "" } else { " " },
        ancestors.join(" ")
    )
}

/// Adds the security headers to every response.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&state)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Refuses state-changing requests from origins nobody allowed.
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let fetch_site = request
            .headers()
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok());
        let allowed = match (origin, fetch_site) {
            (Some(origin), _) => allowed_origins(&state).iter().any(|o| o == origin),
            (None, Some(site)) => site != "cross-site",
            (None, None) => true,
        };
        if !allowed {
            tracing::info!(
                ?origin,
                ?fetch_site,
                "refused a request from an origin nobody allowed"
            );
            return state
                .error(ErrorCode::OriginNotAllowed, None, None)
                .into_response();
        }
    }
    next.run(request).await
}

/// CORS for the allowed origins, with credentials (the session cookie).
pub fn cors(state: &AppState) -> CorsLayer {
    let origins: Vec<HeaderValue> = allowed_origins(state)
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .allow_credentials(true)
}
