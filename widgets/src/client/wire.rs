//! Reading and writing the protocol's JSON through the browser's own `JSON`, without serde.
//!
//! `serde_json` (with serde's derived visitors, its buffering of internally tagged enums and the
//! float formatting its error messages pull in) made up about a quarter of the widget's wasm.
//! The browser already parses JSON; this module hands the parsed `JsValue`s to the protocol's
//! own reader ([`journey_protocol::Decode`], generated with each wire type, so there is no
//! second copy of any shape here) and builds request bodies and event details as plain objects.

use std::collections::BTreeMap;

use journey_protocol::{
    Context, ContextValue, Decode, ErrorBody, Flow, Source, StartFlow, Step, Submit,
};
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

/// A `context` attribute's JSON text as the start request carries it. The server checks it
/// against the journey and refuses what it does not accept with a text a person can read, so
/// here nothing is refused: text that is not a JSON object is sent as it is (a string) and
/// a value of another kind as `null`, each for the server to name.
pub fn context(text: &str) -> Context {
    let Ok(value) = JSON::parse(text) else {
        return Context::NotAnObject("text that is not JSON");
    };
    if !value.is_object() || Array::is_array(&value) {
        return Context::NotAnObject("not an object");
    }
    let entries = Object::entries(&Object::from(value))
        .iter()
        .filter_map(|entry| {
            let entry = Array::from(&entry);
            let key = entry.get(0).as_string()?;
            let value = entry.get(1);
            let value = if let Some(text) = value.as_string() {
                ContextValue::String(text)
            } else if let Some(b) = value.as_bool() {
                ContextValue::Bool(b)
            } else {
                match value.as_f64() {
                    Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => ContextValue::Int(n as i64),
                    _ => ContextValue::Other("other"),
                }
            };
            Some((key, value))
        })
        .collect();
    Context::Object(entries)
}

/// The JSON body of a [`StartFlow`].
pub fn start_body(start: &StartFlow) -> Result<String> {
    let mut o = Obj::new()
        .set_opt("brand", start.brand.as_deref())
        .set_opt("locale", start.locale.as_deref())
        .set_opt("nonce", start.nonce.as_deref());
    match &start.context {
        Context::Object(entries) if entries.is_empty() => {}
        Context::Object(entries) => {
            let object = entries.iter().fold(Obj::new(), |o, (k, v)| match v {
                ContextValue::String(text) => o.set(k, text.as_str()),
                ContextValue::Int(n) => o.set(k, *n as f64),
                ContextValue::Bool(b) => o.set(k, *b),
                ContextValue::Other(_) => o.set(k, JsValue::NULL),
            });
            o = o.set("context", object.into_value());
        }
        Context::NotAnObject(_) => o = o.set("context", "not an object"),
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
