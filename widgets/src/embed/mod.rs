//! The entry for brand pages: mounts a [`Journey`] into a `<journey-widget>` element.
//!
//! This module owns the boundary with the host page. The custom element itself is defined by the
//! static loader `widgets/embed/journey-widget.js` (a file, so a strict Content-Security-Policy
//! without `unsafe-inline` works); the loader calls [`mount`] with the element when it is
//! connected and frees the returned handle when it is removed. The widget renders into the
//! element's light DOM, so the page's theme variables apply, and it reports progress as bubbling,
//! composed `CustomEvent`s on the element: `journey-step`, `journey-complete`, `journey-error`.

use journey_protocol::Flow;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::client::wire::Obj;
use crate::journey::{Journey, WidgetError};

/// Dispatches `name` on `host` with `detail`, bubbling and composed.
pub(crate) fn dispatch(host: &HtmlElement, name: &str, detail: Obj) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail.into_value());
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// `journey-step`: `{flow_id, step, block, status}`.
fn step_event(host: &HtmlElement, flow: &Flow) {
    if let Some(step) = &flow.step {
        let detail = Obj::new()
            .set("flow_id", flow.id.as_str())
            .set("step", step.id.as_str())
            .set("block", step.block.as_str())
            .set("status", flow.status.as_str());
        dispatch(host, "journey-step", detail);
    }
}

/// `journey-complete`: `{flow_id, id_token (or null), session: {subject, acr, amr, auth_time,
/// expires_at}}`.
fn complete_event(host: &HtmlElement, flow: &Flow) {
    if let Some(outcome) = &flow.outcome {
        let s = &outcome.session;
        let amr: js_sys::Array = s.amr.iter().map(|m| JsValue::from_str(m)).collect();
        let session = Obj::new()
            .set("subject", s.subject.as_str())
            .set("acr", s.acr.as_str())
            .set("amr", amr)
            .set("auth_time", s.auth_time as f64)
            .set("expires_at", s.expires_at as f64);
        // A reload a minute after completing brings the outcome without its token: `null`.
        let id_token = outcome
            .id_token
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        let detail = Obj::new()
            .set("flow_id", flow.id.as_str())
            .set("id_token", id_token)
            .set("session", session.into_value());
        dispatch(host, "journey-complete", detail);
    }
}

/// `journey-error`: `{code, id, text}`.
fn error_event(host: &HtmlElement, error: &WidgetError) {
    let detail = Obj::new()
        .set("code", error.code.as_str())
        .set("id", error.id.as_str())
        .set("text", error.text.as_str());
    dispatch(host, "journey-error", detail);
}

/// A mounted widget; dropping (or `free()` from JavaScript) unmounts it.
#[wasm_bindgen]
pub struct WidgetHandle {
    pub(crate) _mounted: Box<dyn std::any::Any>,
}

fn attribute(host: &HtmlElement, name: &str) -> Option<String> {
    host.get_attribute(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Mounts a journey into `host`, reading its attributes: `tenant` and `journey` (required),
/// `brand` (default: the tenant's default brand), `endpoint` (default: the page's origin),
/// `locale` (default: the document's `lang`, else none so the server picks from the browser's
/// `Accept-Language`, else the brand's default), `nonce` (echoed in the ID token's `nonce`
/// claim), `context` (JSON text of facts for the flow, such as `{"quote":"Q-1"}`, read when
/// the flow starts).
#[wasm_bindgen]
pub fn mount(host: HtmlElement) -> WidgetHandle {
    let window = web_sys::window();
    let endpoint = attribute(&host, "endpoint")
        .or_else(|| window.as_ref().and_then(|w| w.location().origin().ok()))
        .unwrap_or_default();
    let locale = attribute(&host, "locale").or_else(|| {
        window
            .as_ref()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .filter(|l| !l.trim().is_empty())
    });
    let tenant = attribute(&host, "tenant").unwrap_or_default();
    let journey = attribute(&host, "journey").unwrap_or_default();
    let brand = attribute(&host, "brand");
    let nonce = attribute(&host, "nonce");
    let context = attribute(&host, "context");
    // Replace whatever the page put inside the element (such as a <noscript> note).
    host.set_inner_html("");
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        let host = StoredValue::new_local(host);
        let on_step = Callback::new(move |flow: Flow| host.with_value(|h| step_event(h, &flow)));
        let on_complete =
            Callback::new(move |flow: Flow| host.with_value(|h| complete_event(h, &flow)));
        let on_error = Callback::new(move |error: WidgetError| {
            host.with_value(|h| error_event(h, &error));
        });
        view! {
            <Journey
                endpoint=endpoint
                tenant=tenant
                journey=journey
                brand=brand
                locale=locale
                nonce=nonce
                context=context
                on_step=on_step
                on_complete=on_complete
                on_error=on_error
            />
        }
    });
    WidgetHandle {
        _mounted: Box::new(mounted),
    }
}
