//! `look_up_data`: reads data for the flow from one of the tenant's HTTP JSON services, without
//! the person.
//!
//! ```toml
//! [steps.quote]
//! block = "look_up_data"
//! settings.service = "quotes"                          # the tenant's [services.quotes]
//! settings.params = { quote = "context.quote" }        # or "flow.<attribute>"
//! settings.map = { car_quote = "/number", car_make = "/car/make" }
//! # settings.method = "post"                           # send the params as a JSON body too
//! on = { found = "save", not_found = "no_quote", unavailable = "try_later" }
//! ```
//!
//! The block names the service; the service's address, time limit and size cap are the
//! tenant's (`tenant.toml`, checked by the server when it loads), never anything from the
//! person or the page. Each parameter's value comes from the flow's context or one of its
//! attributes and is percent-encoded into the address by the server. A parameter without a
//! value (the page passed no `quote`) asks nothing and follows `not_found`.
//!
//! The answer is a JSON document; `map` copies the value at each JSON pointer into an
//! attribute of the flow. A string is taken as it is, a number or a bool as its JSON text;
//! a pointer that is missing, `null`, an object or an array, or a text longer than
//! [`MAX_VALUE_CHARS`] characters or with control characters, makes the whole answer
//! unusable: nothing is set, the step follows `unavailable`, and the server tells the
//! operator ([`Effect::LookUpFailed`]). Every value set is marked as the service's
//! (`FlowState::looked_up_from`): the tenant's data, not the person's, and never verified.
//!
//! Outcomes: `found`, `not_found` (404, or no value to ask with) and `unavailable` (the service
//! slow, down, failing or answering garbage). Nothing the flow collected is lost on any of
//! them; a journey leads `unavailable` to a page that explains and comes back here to try
//! again. The block never waits for the person, shows nothing and has no examples.

use crate::kernel::{
    Answer, Block, Cx, Effect, EngineError, LookUp, LookUpMethod, Next, Query, ServiceCall, Values,
    ViewCx, server_only_step, settings,
};
use journey_protocol::Step;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) const NAME: &str = "look_up_data";

/// The most parameters a look-up may send.
const MAX_PARAMS: usize = 16;

/// The most attributes a look-up may set.
const MAX_MAPPED: usize = 32;

/// The longest value a look-up may set, in characters.
pub const MAX_VALUE_CHARS: usize = 1_000;

/// Attributes a look-up may not set: identifiers the person proves they control.
const NOT_LOOKED_UP: &[&str] = &["email"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    service: String,
    #[serde(default)]
    method: LookUpMethod,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default)]
    map: BTreeMap<String, String>,
}

/// Where a parameter's value comes from.
enum Source {
    /// A key of the page's context.
    Context(String),
    /// An attribute of the flow.
    Attribute(String),
}

struct LookUpData {
    service: String,
    method: LookUpMethod,
    params: BTreeMap<String, Source>,
    map: BTreeMap<String, String>,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if !is_name(&settings.service) {
        return Err(format!(
            "`service = \"{}\"` must name one of the tenant's [services] (a-z, 0-9 and _)",
            settings.service.escape_debug()
        ));
    }
    if settings.params.len() > MAX_PARAMS {
        return Err(format!(
            "`params` has {} entries; at most {MAX_PARAMS} are allowed",
            settings.params.len()
        ));
    }
    let mut params = BTreeMap::new();
    for (name, from) in settings.params {
        if !is_name(&name) {
            return Err(format!(
                "`params`: the name `{}` must use only a-z, 0-9 and _",
                name.escape_debug()
            ));
        }
        let source = match from.split_once('.') {
            Some(("context", key)) if is_name(key) => Source::Context(key.to_owned()),
            Some(("flow", attribute)) if is_name(attribute) => {
                Source::Attribute(attribute.to_owned())
            }
            _ => {
                return Err(format!(
                    "`params.{name} = \"{}\"` must be \"context.<key>\" or \"flow.<attribute>\"",
                    from.escape_debug()
                ));
            }
        };
        params.insert(name, source);
    }
    if settings.map.len() > MAX_MAPPED {
        return Err(format!(
            "`map` has {} entries; at most {MAX_MAPPED} are allowed",
            settings.map.len()
        ));
    }
    for (attribute, pointer) in &settings.map {
        if !is_name(attribute) {
            return Err(format!(
                "`map`: the attribute `{}` must use only a-z, 0-9 and _",
                attribute.escape_debug()
            ));
        }
        if NOT_LOOKED_UP.contains(&attribute.as_str()) {
            return Err(format!(
                "`map.{attribute}`: a look-up cannot set `{attribute}`, which the person proves"
            ));
        }
        if !pointer.starts_with('/') {
            return Err(format!(
                "`map.{attribute} = \"{}\"` must be a JSON pointer into the answer, such as \"/number\"",
                pointer.escape_debug()
            ));
        }
    }
    Ok(Box::new(LookUpData {
        service: settings.service,
        method: settings.method,
        params,
        map: settings.map,
    }))
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl LookUpData {
    /// The attributes the answer `document` gives through `map`, or what makes it unusable.
    fn mapped(&self, document: &Value) -> Result<Vec<(String, String)>, String> {
        let mut values = Vec::with_capacity(self.map.len());
        for (attribute, pointer) in &self.map {
            let text = match document.pointer(pointer) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Null) => return Err(format!("`{pointer}` is null")),
                Some(Value::Array(_)) => return Err(format!("`{pointer}` is an array")),
                Some(Value::Object(_)) => return Err(format!("`{pointer}` is an object")),
                None => return Err(format!("`{pointer}` is missing")),
            };
            let chars = text.chars().count();
            if chars > MAX_VALUE_CHARS {
                return Err(format!(
                    "`{pointer}` has {chars} characters; at most {MAX_VALUE_CHARS} are taken"
                ));
            }
            if text.chars().any(char::is_control) {
                return Err(format!("`{pointer}` has control characters"));
            }
            values.push((attribute.clone(), text));
        }
        Ok(values)
    }
}

impl Block for LookUpData {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["found".into(), "not_found".into(), "unavailable".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let mut params = BTreeMap::new();
        for (name, source) in &self.params {
            let value = match source {
                Source::Context(key) => cx.state.context.get(key).map(|v| v.to_text()),
                Source::Attribute(attribute) => cx.state.data.get(attribute).cloned(),
            };
            // Nothing to ask with: no such thing can be found.
            let Some(value) = value else {
                return Ok(Next::go("not_found"));
            };
            params.insert(name.clone(), value);
        }
        Ok(Next::Ask(Query::LookUp {
            service: self.service.clone(),
            method: self.method,
            params,
        }))
    }

    fn submit(
        &self,
        _cx: &mut Cx<'_>,
        action: &str,
        _values: &Values,
    ) -> Result<Next, EngineError> {
        Err(EngineError::UnknownAction(action.to_owned()))
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let Answer::LookUp(found) = answer else {
            return Err(EngineError::UnexpectedAnswer);
        };
        match found {
            LookUp::Found(document) => match self.mapped(&document) {
                Ok(values) => {
                    for (attribute, value) in values {
                        cx.state.set_looked_up(&attribute, value, &self.service);
                    }
                    Ok(Next::go("found"))
                }
                Err(problem) => {
                    let step = cx.state.step.clone();
                    cx.effect(Effect::LookUpFailed {
                        step,
                        service: self.service.clone(),
                        problem,
                    });
                    Ok(Next::go("unavailable"))
                }
            },
            LookUp::NotFound => Ok(Next::go("not_found")),
            LookUp::Unavailable => Ok(Next::go("unavailable")),
        }
    }

    fn context_keys(&self) -> Vec<String> {
        self.params
            .values()
            .filter_map(|source| match source {
                Source::Context(key) => Some(key.clone()),
                Source::Attribute(_) => None,
            })
            .collect()
    }

    fn service_calls(&self) -> Vec<ServiceCall> {
        vec![ServiceCall {
            service: self.service.clone(),
            method: self.method,
            params: self.params.keys().cloned().collect(),
        }]
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(server_only_step(cx, NAME))
    }
}
