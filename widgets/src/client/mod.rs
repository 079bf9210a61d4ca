//! The journey protocol over `fetch`, and the flow id kept in `sessionStorage`.
//!
//! This module owns HTTP for the widgets: it builds the four requests of `journey-protocol`,
//! sends them with `credentials: "include"`, and sorts every answer into a [`Flow`], an
//! [`ErrorBody`] or a [`NetworkError`]. It decides nothing about what to show; the
//! [`crate::journey`] driver does. It uses `web_sys` fetch and the browser's `JSON` (see [`wire`])
//! instead of an HTTP crate and serde_json, to keep the wasm small.

pub mod wire;

use journey_protocol::{API_VERSION, ErrorBody, Flow, StartFlow, Submit};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

/// Where the flows of one journey live, fixed when the widget starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Base URL of the journey server, such as `https://id.example.com`; no trailing slash.
    pub endpoint: String,
    /// The tenant whose journey runs.
    pub tenant: String,
    /// The journey's name within the tenant.
    pub journey: String,
    /// The brand whose texts and theme the flow has; `None`: the tenant's default brand.
    pub brand: Option<String>,
}

impl Target {
    /// The `sessionStorage` key of this journey's flow id: one per endpoint, tenant, brand and
    /// journey, so two widgets on a page (or two brands' pages on one origin) do not resume
    /// each other's flows.
    pub fn storage_key(&self) -> String {
        format!(
            "jk-flow|{}|{}|{}|{}",
            self.endpoint,
            self.tenant,
            self.brand.as_deref().unwrap_or_default(),
            self.journey
        )
    }
}

/// One request of the protocol; kept so that a retry repeats it exactly.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// `POST /v1/{tenant}/journeys/{journey}`.
    Start(StartFlow),
    /// `GET /v1/flows/{id}`.
    Resume(String),
    /// `POST /v1/flows/{id}`.
    Submit(String, Submit),
    /// `POST /v1/flows/{id}/extend` with `{}`: more time for the flow.
    Extend(String),
}

/// What the server answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// 2xx with a flow.
    Flow(Flow),
    /// 4xx or 5xx with the protocol's error body, and the HTTP status (5xx: worth a retry).
    Error(ErrorBody, u16),
}

/// The request did not reach the server, or the answer was not the protocol's JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkError;

impl From<JsValue> for NetworkError {
    fn from(_: JsValue) -> Self {
        NetworkError
    }
}

fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// Sends `request` and sorts the answer.
pub async fn send(target: &Target, request: &Request) -> Result<Answer, NetworkError> {
    let base = target.endpoint.trim_end_matches('/');
    let (method, url, body) = match request {
        Request::Start(start) => (
            "POST",
            format!(
                "{base}/{API_VERSION}/{}/journeys/{}",
                segment(&target.tenant),
                segment(&target.journey)
            ),
            Some(wire::start_body(start)?),
        ),
        Request::Resume(id) => (
            "GET",
            format!("{base}/{API_VERSION}/flows/{}", segment(id)),
            None,
        ),
        Request::Submit(id, submit) => (
            "POST",
            format!("{base}/{API_VERSION}/flows/{}", segment(id)),
            Some(wire::submit_body(submit)?),
        ),
        Request::Extend(id) => (
            "POST",
            format!("{base}/{API_VERSION}/flows/{}/extend", segment(id)),
            Some("{}".to_owned()),
        ),
    };
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Include);
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body));
    }
    let window = web_sys::window().ok_or(NetworkError)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .ok_or(NetworkError)?;
    parse(response.status(), &text)
}

/// Reads an answer body: a flow for a 2xx `status`, the error body otherwise. Anything else (a
/// proxy's HTML error page, a truncated body) counts as a network failure, so the person gets a
/// retry.
pub fn parse(status: u16, text: &str) -> Result<Answer, NetworkError> {
    let value = wire::parse_json(text)?;
    if (200..300).contains(&status) {
        wire::flow(&value).map(Answer::Flow)
    } else {
        wire::error_body(&value).map(|body| Answer::Error(body, status))
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The flow id saved for `target`, if any.
pub fn saved_flow(target: &Target) -> Option<String> {
    storage()?.get_item(&target.storage_key()).ok().flatten()
}

/// Saves the flow id, so a reload resumes the flow. Storage may be unavailable (private mode,
/// blocked by the page): then a reload simply starts a new flow.
pub fn save_flow(target: &Target, id: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&target.storage_key(), id);
    }
}

/// Forgets the flow id, once the flow cannot continue.
pub fn forget_flow(target: &Target) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&target.storage_key());
    }
}
