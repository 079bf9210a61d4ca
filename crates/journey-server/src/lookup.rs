//! The tenant's data services, which `look_up_data` reads: their configuration in
//! `tenant.toml`, checked once at load, and the HTTP call that answers the engine's
//! [`Query::LookUp`](journey_engine::Query::LookUp).
//!
//! ```toml
//! [services.quotes]
//! url = "http://127.0.0.1:8083/quotes/{quote}"   # {name}: a look-up's parameter
//! timeout_ms = 2000                               # the whole call, body included
//! max_bytes = 65536                               # the answer's size cap
//! ```
//!
//! The address is the tenant's: a flow only fills its `{name}` placeholders, which may stand in
//! the path or the query but never in the scheme, host or port. Each value is percent-encoded
//! (everything but `A-Z a-z 0-9 - . _ ~`), so `/`, `?`, `#` and `%` in a value cannot change the
//! path or add a query; a value that is empty, `.` or `..` (a path segment the URL rules
//! would remove) is not sent at all and answers `not_found`. Parameters the address does not
//! name go into its query with `GET`, and every parameter also goes as a JSON object of strings
//! in the body with `POST`. The built address must keep the service's origin and the path up to
//! the first placeholder, or nothing is sent.
//!
//! The call follows no redirect and uses no proxy from the environment; it must finish
//! (headers and body) within `timeout_ms`, and the body is read a chunk at a time and dropped
//! past `max_bytes`. The answers: 2xx with a JSON body → found; 404 → not found; anything else
//! (a timeout, a refused connection, a 3xx, a 5xx or any other status, a body that is not
//! JSON or is too large) → unavailable, logged as a warning for the operator with the tenant,
//! the service and the reason, never the address or a value.

use journey_engine::{Journey, LookUp, LookUpMethod};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// `timeout_ms` when a service sets none.
const DEFAULT_TIMEOUT_MS: u64 = 2_000;

/// The longest `timeout_ms` allowed: a person waits for it.
const MAX_TIMEOUT_MS: u64 = 10_000;

/// `max_bytes` when a service sets none.
const DEFAULT_MAX_BYTES: usize = 64 * 1024;

/// The largest `max_bytes` allowed.
const MAX_MAX_BYTES: usize = 1024 * 1024;

/// A service as `tenant.toml` writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    url: String,
    #[serde(default)]
    timeout_ms: Option<u64>,
    #[serde(default)]
    max_bytes: Option<usize>,
}

/// One piece of a service's address.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Text as written.
    Literal(String),
    /// A `{name}` placeholder.
    Param(String),
}

/// A tenant's service, checked.
#[derive(Debug)]
pub struct Service {
    /// The address with its placeholders.
    parts: Vec<Part>,
    /// The scheme, host and port every address built from it must keep.
    origin: String,
    /// The path up to the first placeholder, which every address built from it must keep.
    prefix: String,
    timeout: Duration,
    max_bytes: usize,
    client: reqwest::Client,
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Splits an address into literal text and `{name}` placeholders.
fn parts(url: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("has a `}` without its `{`".into());
        }
        let close = rest[open..].find('}').ok_or("has a `{` without its `}`")? + open;
        let name = &rest[open + 1..close];
        if !is_name(name) {
            return Err(format!(
                "placeholder `{{{}}}` must name a parameter with a-z, 0-9 and _",
                name.escape_debug()
            ));
        }
        if open > 0 {
            parts.push(Part::Literal(rest[..open].to_owned()));
        }
        parts.push(Part::Param(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest.to_owned()));
    }
    Ok(parts)
}

impl Service {
    /// Checks one `[services.<name>]` table; the error says what is wrong with which setting.
    pub fn parse(raw: ServiceFile) -> Result<Self, String> {
        let url = raw.url.trim();
        let parts = parts(url).map_err(|e| format!("`url` {e}"))?;
        let sample: String = parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.as_str(),
                Part::Param(_) => "x",
            })
            .collect();
        let parsed = reqwest::Url::parse(&sample)
            .map_err(|e| format!("`url = \"{}\"` is not an address: {e}", url.escape_debug()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!(
                "`url = \"{}\"` must be an http or https address with a host",
                url.escape_debug()
            ));
        }
        if parsed.fragment().is_some()
            || !parsed.username().is_empty()
            || parsed.password().is_some()
        {
            return Err("`url` may not have a #fragment or a user name or password".into());
        }
        let origin = parsed.origin().ascii_serialization();
        // The placeholders stand after the origin: a value can never choose the host.
        let literal_head = match parts.first() {
            Some(Part::Literal(text)) => text.as_str(),
            _ => "",
        };
        let after_origin = literal_head
            .split_once("://")
            .map(|(_, rest)| rest)
            .and_then(|rest| rest.find(['/', '?']).map(|i| i < rest.len()))
            .unwrap_or(false);
        if !after_origin {
            return Err(
                "`url`: placeholders may stand in the path or the query only, after the host"
                    .into(),
            );
        }
        let prefix = reqwest::Url::parse(literal_head)
            .map(|head| head.path().to_owned())
            .unwrap_or_else(|_| "/".to_owned());
        let timeout_ms = raw.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if !(1..=MAX_TIMEOUT_MS).contains(&timeout_ms) {
            return Err(format!(
                "`timeout_ms = {timeout_ms}` must be between 1 and {MAX_TIMEOUT_MS}"
            ));
        }
        let max_bytes = raw.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        if !(1..=MAX_MAX_BYTES).contains(&max_bytes) {
            return Err(format!(
                "`max_bytes = {max_bytes}` must be between 1 and {MAX_MAX_BYTES}"
            ));
        }
        let timeout = Duration::from_millis(timeout_ms);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| format!("the HTTP client cannot be made: {e}"))?;
        Ok(Self {
            parts,
            origin,
            prefix,
            timeout,
            max_bytes,
            client,
        })
    }

    /// The names of the address's placeholders.
    fn placeholders(&self) -> BTreeSet<&str> {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Param(name) => Some(name.as_str()),
                Part::Literal(_) => None,
            })
            .collect()
    }

    /// The address for `params`, each value percent-encoded; `None` when a value cannot be
    /// sent (empty, `.` or `..`) or a placeholder has no value.
    fn address(
        &self,
        method: LookUpMethod,
        params: &BTreeMap<String, String>,
    ) -> Option<reqwest::Url> {
        if params
            .values()
            .any(|v| v.is_empty() || v == "." || v == "..")
        {
            return None;
        }
        let mut url = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => url.push_str(text),
                Part::Param(name) => url.push_str(&encode(params.get(name)?)),
            }
        }
        if method == LookUpMethod::Get {
            let named = self.placeholders();
            for (name, value) in params
                .iter()
                .filter(|(name, _)| !named.contains(name.as_str()))
            {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&encode(name));
                url.push('=');
                url.push_str(&encode(value));
            }
        }
        let url = reqwest::Url::parse(&url).ok()?;
        // Encoding already keeps every value inside its place; this is the second lock.
        let kept = url.origin().ascii_serialization() == self.origin
            && url.path().starts_with(&self.prefix);
        kept.then_some(url)
    }

    /// Calls the service for a flow of `tenant` and says what it answered.
    pub async fn look_up(
        &self,
        tenant: &str,
        service: &str,
        method: LookUpMethod,
        params: &BTreeMap<String, String>,
    ) -> LookUp {
        let Some(url) = self.address(method, params) else {
            tracing::debug!(%tenant, %service, "a look-up had a value that cannot be sent; answered not found");
            return LookUp::NotFound;
        };
        match tokio::time::timeout(self.timeout, self.call(method, url, params)).await {
            Ok(Ok(found)) => found,
            Ok(Err(reason)) => {
                tracing::warn!(%tenant, %service, %reason, "a look-up service did not answer usefully");
                LookUp::Unavailable
            }
            Err(_) => {
                let reason = format!("no answer within {} ms", self.timeout.as_millis());
                tracing::warn!(%tenant, %service, %reason, "a look-up service did not answer usefully");
                LookUp::Unavailable
            }
        }
    }

    /// The call itself; `Err` says why the answer is of no use (never a value).
    async fn call(
        &self,
        method: LookUpMethod,
        url: reqwest::Url,
        params: &BTreeMap<String, String>,
    ) -> Result<LookUp, String> {
        let request = match method {
            LookUpMethod::Get => self.client.get(url),
            LookUpMethod::Post => self.client.post(url).json(params),
        };
        let mut response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "timed out".to_owned()
                } else if e.is_connect() {
                    "could not connect".to_owned()
                } else {
                    "the request failed".to_owned()
                }
            })?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(LookUp::NotFound);
        }
        if !status.is_success() {
            return Err(format!("answered HTTP {}", status.as_u16()));
        }
        let json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| mime.trim().to_ascii_lowercase())
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        if !json {
            return Err("answered without a JSON content type".into());
        }
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes as u64)
        {
            return Err(format!("announced a body over {} bytes", self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| "the body broke off".to_owned())?
        {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(format!("sent a body over {} bytes", self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        let document: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| format!("sent a body that is not JSON ({:?})", e.classify()))?;
        Ok(LookUp::Found(document))
    }
}

/// Percent-encodes every byte but the unreserved characters of RFC 3986.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Checks a tenant's `[services]`: every problem, naming the file and the service.
pub fn parse_services(
    file: &str,
    raw: BTreeMap<String, ServiceFile>,
    errors: &mut Vec<String>,
) -> BTreeMap<String, Service> {
    let mut services = BTreeMap::new();
    for (name, raw) in raw {
        if !is_name(&name) {
            errors.push(format!(
                "{file}: [services.{name}]: service names use only a-z, 0-9 and _"
            ));
            continue;
        }
        match Service::parse(raw) {
            Ok(service) => {
                services.insert(name, service);
            }
            Err(problem) => errors.push(format!("{file}: [services.{name}]: {problem}")),
        }
    }
    services
}

/// Checks that every service `journey` calls is one of the tenant's, and that each call sends
/// every parameter the service's address names.
pub fn check_calls(
    file: &str,
    journey: &Journey,
    services: &BTreeMap<String, Service>,
    errors: &mut Vec<String>,
) {
    for (step, call) in journey.service_calls() {
        let Some(service) = services.get(&call.service) else {
            let known: Vec<&str> = services.keys().map(String::as_str).collect();
            errors.push(format!(
                "{file}: step `{step}`: setting `service = \"{}\"`: the tenant has no [services.{}] (its services: {})",
                call.service,
                call.service,
                if known.is_empty() { "none".to_owned() } else { known.join(", ") }
            ));
            continue;
        };
        for name in service.placeholders() {
            if !call.params.iter().any(|p| p == name) {
                errors.push(format!(
                    "{file}: step `{step}`: setting `params` has no `{name}`, which the address of [services.{}] needs",
                    call.service
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn service(url: &str) -> Result<Service, String> {
        Service::parse(ServiceFile {
            url: url.to_owned(),
            timeout_ms: None,
            max_bytes: None,
        })
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn placeholders_stay_after_the_host() {
        assert!(service("http://{host}/quotes").is_err());
        assert!(service("http://127.0.0.1:{port}/quotes").is_err());
        assert!(service("http://127.0.0.1:8083{quote}").is_err());
        assert!(service("ftp://127.0.0.1/{quote}").is_err());
        assert!(service("http://127.0.0.1/{quote").is_err());
        assert!(service("http://127.0.0.1/quotes/{Quote}").is_err());
        assert!(service("http://127.0.0.1:8083/quotes/{quote}").is_ok());
        assert!(service("http://127.0.0.1:8083/quotes?number={quote}").is_ok());
    }

    #[test]
    fn hostile_values_cannot_leave_their_place() {
        let s = service("http://127.0.0.1:8083/quotes/{quote}").unwrap();
        let url = s
            .address(
                LookUpMethod::Get,
                &params(&[("quote", "Q-1/../../admin?x=1#y")]),
            )
            .unwrap();
        assert_eq!(url.path(), "/quotes/Q-1%2F..%2F..%2Fadmin%3Fx%3D1%23y");
        assert_eq!(url.query(), None);
        for bad in ["", ".", ".."] {
            assert!(
                s.address(LookUpMethod::Get, &params(&[("quote", bad)]))
                    .is_none()
            );
        }
        let url = s
            .address(
                LookUpMethod::Get,
                &params(&[("quote", "Q-1"), ("extra", "a&b=c")]),
            )
            .unwrap();
        assert_eq!(url.query(), Some("extra=a%26b%3Dc"));
    }
}
