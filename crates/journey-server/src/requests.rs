//! What every request leaves behind, in one middleware around the whole router ([`observe`]):
//!
//! - a request id: made here for every request (128 random bits, hex), or, only when
//!   `server.trust_request_id` is on, the well-formed `X-Request-Id` a proxy in front set; it
//!   goes back in the answer's `X-Request-Id` and is a field of the request's tracing span, so
//!   every log line written while serving the request carries it;
//! - one access log line (`request`: method, route, status, milliseconds), at debug level for
//!   the probes and the metrics, which would otherwise fill the log;
//! - the request metrics ([`crate::metrics::Metrics::request`]), by route template
//!   (`/v1/flows/{id}`, never the raw path with a flow id in it), method and status.
//!
//! The log names a request by its route template, not its path: a flow's id is enough to read
//! the flow (and, just after it completes, its ID token). Only requests no route matched (static
//! files, unknown paths) log their path, without the query string.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;
use std::time::Instant;
use tracing::Instrument;

/// The header that carries the request id, both ways.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, as a request extension for handlers that want it.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Routes whose requests are logged at debug level only.
const QUIET_ROUTES: &[&str] = &["/healthz", "/readyz"];

/// The middleware: see the module's documentation.
pub async fn observe(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(state.config.trust_request_id, request.headers());
    let method = method_label(request.method());
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let route = match &matched {
        Some(path) => path.as_str(),
        None if state.config.static_dir.is_some() => "static",
        None => "unmatched",
    }
    .to_owned();
    // Only an unmatched request's path is worth logging (and harmless: no route, no flow id).
    let path = matched.is_none().then(|| request.uri().path().to_owned());
    let quiet = QUIET_ROUTES.contains(&route.as_str())
        || state
            .config
            .metrics
            .as_ref()
            .is_some_and(|metrics| metrics.path == route);
    let span = tracing::info_span!("request", request_id = %id, method, route = %route);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&route, method, status, elapsed);
    span.in_scope(|| {
        // Milliseconds to the microsecond.
        let ms = elapsed.as_micros() as f64 / 1000.0;
        match (quiet, path) {
            (true, _) => tracing::debug!(target: "journey_server::access", status, ms, "request"),
            (false, None) => {
                tracing::info!(target: "journey_server::access", status, ms, "request")
            }
            (false, Some(path)) => {
                tracing::info!(target: "journey_server::access", status, ms, path, "request")
            }
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// The id of a request: the proxy's when trusted and well-formed, else a new one.
fn request_id(trust: bool, headers: &HeaderMap) -> String {
    let given = headers
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| trust && is_request_id(id));
    match given {
        Some(id) => id.to_owned(),
        None => {
            let mut bytes = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        }
    }
}

/// 1 to 64 letters, digits, `-`, `_` or `.`: enough for any proxy's ids, nothing that could
/// forge a log line or a header.
pub fn is_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The method as a metrics label: the usual ones by name, anything else as `other`, so a
/// client cannot make new label values.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}
