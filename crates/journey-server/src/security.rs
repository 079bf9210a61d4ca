//! Browser-facing protections: the strict Content-Security-Policy and other headers on every
//! response (DESIGN.md, invariant 6), the CSRF check on state-changing requests, and CORS for
//! the origins the tenants allow. It also refuses the requests [`crate::conn`] marks as having
//! an ambiguous length, so they are answered in the API's error format.
//!
//! `frame-ancestors` is per tenant: a response about tenant T (`/v1/T/...`, the brand pages
//! `/T/...`, or a handler's [`ForTenant`]) may be framed by T's allowed origins only; anything
//! else by the server's own origin only. `Strict-Transport-Security` is sent whenever the
//! public URL is https.
//!
//! The CSRF and tenant rule (OWASP): a request about a tenant's flows must come from the
//! server's own origin or an origin that tenant allows, judged by `Origin`, or by
//! `Sec-Fetch-Site` when a browser sends no `Origin`. Requests without either are not from a
//! browser page and pass. CORS answers preflights for every tenant's origins; the flow
//! endpoints then refuse origins the flow's own tenant does not allow.
//!
//! The caller's address ([`Caller::client`]) is the connection's peer, unless that peer is one
//! of `server.trusted_proxies`: then it is the right-most address of `X-Forwarded-For` that is
//! not itself a trusted proxy ([`client_address`]). Only the proxy in front can be believed
//! about who connected to it; anything further left was written by the client and is ignored,
//! as is the whole header from a peer that is not a trusted proxy.

use crate::conn::AmbiguousLength;
use crate::error::Failure;
use crate::state::AppState;
use crate::tenants::Tenant;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use journey_protocol::ErrorCode;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
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

/// The tenant a response is about, for the paths that do not name it (`/v1/flows/{id}`):
/// handlers attach it as a response extension and [`headers`] reads it.
#[derive(Clone, Debug)]
pub struct ForTenant(pub String);

/// The browser headers of every response, computed once at start-up: tenants, origins and
/// the public URL are fixed for the life of the process.
#[derive(Clone)]
pub struct Policy {
    state: AppState,
    own: HeaderValue,
    tenants: Arc<HashMap<String, HeaderValue>>,
    hsts: bool,
}

impl Policy {
    /// One Content-Security-Policy per tenant, and the server's own.
    pub fn new(state: &AppState) -> Self {
        let value = |tenant| {
            HeaderValue::from_str(&content_security_policy(state, tenant))
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
        };
        Self {
            own: value(None),
            tenants: Arc::new(
                state
                    .tenants
                    .iter()
                    .map(|tenant| (tenant.id.clone(), value(Some(tenant))))
                    .collect(),
            ),
            hsts: state.config.public_url.starts_with("https://"),
            state: state.clone(),
        }
    }

    /// The tenant a path is about: `/v1/{tenant}/...` and the brand pages `/{tenant}/...`.
    fn tenant_of_path(&self, path: &str) -> Option<&HeaderValue> {
        let path = path.strip_prefix('/')?;
        let path = path.strip_prefix("v1/").unwrap_or(path);
        let first = path.split('/').next()?;
        self.tenants.get(first)
    }
}

/// The Content-Security-Policy of a response about `tenant` (or about no tenant): only that
/// tenant's allowed origins may frame it, never the union of all tenants' origins.
pub fn content_security_policy(state: &AppState, tenant: Option<&Tenant>) -> String {
    let own = state.config.public_origin();
    let ancestors: Vec<&str> = tenant
        .map(|t| t.allowed_origins.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut ancestors: Vec<&str> = ancestors.into_iter().filter(|o| *o != own).collect();
    ancestors.sort_unstable();
    ancestors.dedup();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'self'{}{}",
        if ancestors.is_empty() { "" } else { " " },
        ancestors.join(" ")
    )
}

/// Refuses requests whose length is ambiguous, then adds the security headers to every
/// response: the tenant's policy (from the path, or from a [`ForTenant`] the handler attached),
/// and `Strict-Transport-Security` when the public URL is https.
pub async fn headers(State(policy): State<Policy>, request: Request, next: Next) -> Response {
    let tenant = policy.tenant_of_path(request.uri().path()).cloned();
    let mut response = if request.extensions().get::<AmbiguousLength>().is_some() {
        tracing::info!("refused a request with both Content-Length and Transfer-Encoding");
        policy
            .state
            .error(ErrorCode::InvalidRequest, None, None)
            .into_response()
    } else {
        next.run(request).await
    };
    let csp = tenant
        .or_else(|| {
            let ForTenant(id) = response.extensions().get::<ForTenant>()?;
            policy.tenants.get(id).cloned()
        })
        .unwrap_or_else(|| policy.own.clone());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
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

/// Who is calling: the peer address of the connection, and as far as the browser says, the
/// page's origin, whether the fetch is cross-site, and the device cookie of a browser that
/// signed in here before. Requests without origin headers (curl, servers) are not from a
/// browser page.
#[derive(Clone, Default)]
pub struct Caller {
    origin: Option<String>,
    cross_site: bool,
    peer: Option<IpAddr>,
    device: Option<String>,
}

/// The name of the cookie that marks a browser where an account signed in before, so that a
/// stranger's failed logins elsewhere do not lock that browser out (OWASP's device cookies).
pub const DEVICE_COOKIE: &str = "__Host-jk_device";

impl<S: Send + Sync> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        let device = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| pair.trim().strip_prefix(DEVICE_COOKIE)?.strip_prefix('='))
            // Our tokens are 32 base64url characters; anything else is not ours.
            .filter(|token| {
                token.len() == 32
                    && token
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
            .map(str::to_owned);
        Ok(Self {
            origin: header(header::ORIGIN.as_str()).map(str::to_owned),
            cross_site: header("sec-fetch-site") == Some("cross-site"),
            peer: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| {
                    client_address(
                        info.0.ip(),
                        parts.headers.get_all(X_FORWARDED_FOR).iter(),
                        &state.config.trusted_proxies,
                    )
                }),
            device,
        })
    }
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The device token is a secret: only whether there is one.
        f.debug_struct("Caller")
            .field("origin", &self.origin)
            .field("cross_site", &self.cross_site)
            .field("peer", &self.peer)
            .field("device", &self.device.as_ref().map(|_| ".."))
            .finish()
    }
}

impl Caller {
    /// The client's key for every per-client measure (rate limits, the fair hashing queue, the
    /// login throttle, security events): its IP address, or its /64 for IPv6, so that rotating
    /// addresses within one network gains nothing.
    pub fn client(&self) -> String {
        self.peer.map_or_else(
            || "unknown".to_owned(),
            |ip| crate::limits::client_key(&ip.to_string()),
        )
    }

    /// The device cookie's token, if the browser sent one.
    pub fn device(&self) -> Option<&str> {
        self.device.as_deref()
    }

    /// Refuses a caller that is neither the server's own origin nor one `tenant` allows. This
    /// is the CSRF check (OWASP) and keeps one tenant's pages away from another's flows.
    pub fn allow(&self, state: &AppState, tenant: &Tenant) -> Result<(), Failure> {
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
            Err(Failure::refused(ErrorCode::OriginNotAllowed))
        }
    }
}

/// The header a proxy names the client in, each proxy appending the address it was reached from.
const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address of a request whose connection came from `peer`: `peer` itself unless
/// it is one of the `trusted` proxies; then, walking `X-Forwarded-For` (all its lines, in
/// order) from the right, the first address that is not a trusted proxy. An entry that is not
/// an address stops the walk at the trusted hop before it (a trusted proxy never writes one, so
/// it came from the client); a header of trusted proxies only gives its left-most.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a HeaderValue>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else {
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn client(peer: &str, forwarded: &[&str], trusted: &[&str]) -> String {
        let values: Vec<HeaderValue> = forwarded
            .iter()
            .map(|v| HeaderValue::from_str(v).unwrap())
            .collect();
        let trusted: Vec<ipnet::IpNet> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client_address(peer.parse().unwrap(), values.iter(), &trusted).to_string()
    }

    #[test]
    fn only_a_trusted_peer_s_forwarded_address_counts() {
        // No proxy trusted: the header is the client's own word, ignored.
        assert_eq!(client("127.0.0.1", &["203.0.113.5"], &[]), "127.0.0.1");
        assert_eq!(
            client("192.0.2.1", &["203.0.113.5"], &["127.0.0.1/32"]),
            "192.0.2.1"
        );
        // A trusted peer: the right-most address that is not a trusted proxy.
        let lb = ["127.0.0.1/32", "10.0.0.0/8"];
        assert_eq!(client("127.0.0.1", &["203.0.113.5"], &lb), "203.0.113.5");
        assert_eq!(
            client("127.0.0.1", &["6.6.6.6, 203.0.113.5, 10.1.1.1"], &lb),
            "203.0.113.5"
        );
        // Several header lines are one list, in order.
        assert_eq!(
            client("127.0.0.1", &["6.6.6.6", "203.0.113.5"], &lb),
            "203.0.113.5"
        );
        // No header, or only trusted hops: the left-most trusted hop (or the peer).
        assert_eq!(client("127.0.0.1", &[], &lb), "127.0.0.1");
        assert_eq!(
            client("127.0.0.1", &["10.2.2.2, 10.1.1.1"], &lb),
            "10.2.2.2"
        );
        // Garbage stops the walk at the trusted hop to its right.
        assert_eq!(
            client("127.0.0.1", &["203.0.113.5, nonsense, 10.1.1.1"], &lb),
            "10.1.1.1"
        );
        assert_eq!(client("127.0.0.1", &["unknown"], &lb), "127.0.0.1");
        // An IPv4 peer seen on an IPv6 socket is the same peer.
        assert_eq!(
            client("::ffff:127.0.0.1", &["203.0.113.5"], &lb),
            "203.0.113.5"
        );
    }
}
