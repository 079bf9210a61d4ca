//! Browser-facing protections: the strict Content-Security-Policy and other headers on every
//! response (DESIGN.md, invariant 6), the CSRF check on state-changing requests, and CORS for
//! the origins the tenants allow.
//!
//! The CSRF and tenant rule (OWASP): a request about a tenant's flows must come from the
//! server's own origin or an origin that tenant allows, judged by `Origin`, or by
//! `Sec-Fetch-Site` when a browser sends no `Origin`. Requests without either are not from a
//! browser page and pass. CORS answers preflights for every tenant's origins; the flow
//! endpoints then refuse origins the flow's own tenant does not allow.

use crate::error::ApiError;
use crate::state::AppState;
use crate::tenants::Tenant;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
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

/// Adds the security headers, with the policy computed once at start-up, to every response.
pub async fn headers(State(csp): State<HeaderValue>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
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

/// Who is calling, as far as the browser says: the page's origin and whether the fetch is
/// cross-site. Requests without either (curl, servers) are not from a browser page.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    origin: Option<String>,
    cross_site: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        Ok(Self {
            origin: header(header::ORIGIN.as_str()).map(str::to_owned),
            cross_site: header("sec-fetch-site") == Some("cross-site"),
        })
    }
}

impl Caller {
    /// Refuses a caller that is neither the server's own origin nor one `tenant` allows. This
    /// is the CSRF check (OWASP) and keeps one tenant's pages away from another's flows.
    pub fn allow(&self, state: &AppState, tenant: &Tenant) -> Result<(), ApiError> {
        let allowed = match &self.origin {
            Some(origin) => {
                *origin == state.config.public_origin() || tenant.allowed_origins.contains(origin)
            }
            None => !self.cross_site,
        };
        if allowed {
            Ok(())
        } else {
            tracing::info!(origin = ?self.origin, tenant = %tenant.id, "refused a caller the tenant does not allow");
            Err(state.error(ErrorCode::OriginNotAllowed, None, None))
        }
    }
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
