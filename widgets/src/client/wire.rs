//! Reading and writing the protocol's JSON through the browser's own `JSON`, without serde.
//!
//! `serde_json` (with serde's derived visitors, its buffering of internally tagged enums and the
//! float formatting its error messages pull in) made up about a quarter of the widget's wasm.
//! The browser already parses JSON; this module hands the parsed `JsValue`s to the protocol's
//! own reader ([`journey_protocol::Decode`], generated with each wire type, so there is no
//! second copy of any shape here) and builds request bodies and event details as plain objects.

use std::collections::BTreeMap;

use journey_protocol::{Decode, ErrorBody, Flow, Source, StartFlow, Step, Submit};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use super::NetworkError;

type Result<T> = std::result::Result<T, NetworkError>;

/// A parsed JSON value, read by the protocol's decoder.
struct Js(JsValue);

impl Source for Js {
    fn get(&self, key: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        let value = Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(Js(value))
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(Js).collect())
    }
}

/// Reads a [`Flow`] from parsed JSON.
pub fn flow(v: &JsValue) -> Result<Flow> {
    Flow::decode(&Js(v.clone())).map_err(|_| NetworkError)
}

/// Reads an [`ErrorBody`] from parsed JSON.
pub fn error_body(v: &JsValue) -> Result<ErrorBody> {
    ErrorBody::decode(&Js(v.clone())).map_err(|_| NetworkError)
}

/// Reads a [`Step`] from parsed JSON (the preview's input: a step as `Flow.step` carries it).
pub fn step(v: &JsValue) -> Result<Step> {
    Step::decode(&Js(v.clone())).map_err(|_| NetworkError)
}

/// Parses JSON text with the browser's parser.
pub fn parse_json(text: &str) -> Result<JsValue> {
    JSON::parse(text).map_err(|_| NetworkError)
}

/// A plain object built key by key.
pub struct Obj(Object);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Self(Object::new())
    }

    /// Sets `key` (setting a property on a fresh plain object cannot fail).
    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Sets `key` when `value` is present.
    pub fn set_opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// The finished object.
    pub fn into_value(self) -> JsValue {
        self.0.into()
    }
}

impl Default for Obj {
    fn default() -> Self {
        Self::new()
    }
}

/// A plain object of string values, such as a submission's `values`.
pub fn map(values: &BTreeMap<String, String>) -> JsValue {
    values
        .iter()
        .fold(Obj::new(), |o, (k, v)| o.set(k, v.as_str()))
        .into_value()
}

fn stringify(value: &JsValue) -> Result<String> {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or(NetworkError)
}

/// The JSON body of a [`StartFlow`].
pub fn start_body(start: &StartFlow) -> Result<String> {
    let mut o = Obj::new()
        .set_opt("brand", start.brand.as_deref())
        .set_opt("locale", start.locale.as_deref())
        .set_opt("nonce", start.nonce.as_deref());
    if !start.context.is_empty() {
        o = o.set("context", map(&start.context));
    }
    stringify(&o.into_value())
}

/// The JSON body of a [`Submit`].
pub fn submit_body(submit: &Submit) -> Result<String> {
    let o = Obj::new()
        .set("step", submit.step.as_str())
        .set("action", submit.action.as_str())
        .set("values", map(&submit.values));
    stringify(&o.into_value())
}
