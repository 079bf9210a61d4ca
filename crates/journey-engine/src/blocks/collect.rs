//! `collect_user_data`: asks for the attributes the journey names and keeps them in the flow.
//!
//! Attributes come from a fixed catalogue (email, given and family name), each with its kind,
//! autocomplete token and length limit, so the server validates every value against an
//! allow-list. The character rules (NFC, no controls or invisible characters, email syntax)
//! are [`crate::text`]'s. Outcome: `submitted`.

use super::{Block, Fact, Values, only_fields, settings};
use crate::runtime::{Cx, EngineError, FlowState, Next, Rejection};
use crate::text::{self, Problem};
use crate::view::{ActionView, FieldKind, FieldView, Msg, Note, StepView, ViewKind};
use serde::Deserialize;

pub(super) const NAME: &str = "collect_user_data";

/// An attribute this block can collect.
struct Attribute {
    name: &'static str,
    kind: FieldKind,
    autocomplete: &'static str,
    max_length: u32,
    label: &'static str,
}

const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "email",
        kind: FieldKind::Email,
        autocomplete: "email",
        max_length: 254,
        label: "field-email",
    },
    Attribute {
        name: "given_name",
        kind: FieldKind::Text,
        autocomplete: "given-name",
        max_length: 100,
        label: "field-given-name",
    },
    Attribute {
        name: "family_name",
        kind: FieldKind::Text,
        autocomplete: "family-name",
        max_length: 100,
        label: "field-family-name",
    },
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    attributes: Vec<String>,
    #[serde(default)]
    optional: Vec<String>,
    #[serde(default = "default_title")]
    title: String,
}

fn default_title() -> String {
    "collect-user-data-title".to_owned()
}

struct CollectUserData {
    attributes: Vec<&'static Attribute>,
    optional: Vec<String>,
    title: String,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.attributes.is_empty() {
        return Err("`attributes` must name at least one attribute".to_owned());
    }
    let mut attributes = Vec::new();
    for name in &settings.attributes {
        let attribute = ATTRIBUTES.iter().find(|a| a.name == name).ok_or_else(|| {
            let known: Vec<_> = ATTRIBUTES.iter().map(|a| a.name).collect();
            format!(
                "unknown attribute `{name}`; known attributes: {}",
                known.join(", ")
            )
        })?;
        attributes.push(attribute);
    }
    if let Some(name) = settings
        .optional
        .iter()
        .find(|o| !settings.attributes.contains(o))
    {
        return Err(format!(
            "optional attribute `{name}` is not in `attributes`"
        ));
    }
    Ok(Box::new(CollectUserData {
        attributes,
        optional: settings.optional,
        title: settings.title,
    }))
}

impl CollectUserData {
    fn required(&self, name: &str) -> bool {
        !self.optional.iter().any(|o| o == name)
    }
}

impl Block for CollectUserData {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["submitted"]
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = vec![self.title.clone(), "action-continue".into()];
        ids.extend(Problem::MESSAGE_IDS.map(String::from));
        ids.extend(self.attributes.iter().map(|a| a.label.to_owned()));
        ids
    }

    fn enter(&self, _cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        if action != "submit" {
            return Err(EngineError::UnknownAction(action.to_owned()));
        }
        let names: Vec<&str> = self.attributes.iter().map(|a| a.name).collect();
        only_fields(values, &names)?;
        let mut notes = Vec::new();
        let mut accepted = Vec::new();
        for attribute in &self.attributes {
            let raw = values.get(attribute.name).map(String::as_str).unwrap_or("");
            let value = match attribute.kind {
                FieldKind::Email => text::email(raw),
                _ => text::text(raw, attribute.max_length),
            };
            match value {
                Ok(Some(value)) => accepted.push((attribute.name, value)),
                Ok(None) if self.required(attribute.name) => notes.push(Note::field_error(
                    attribute.name,
                    Problem::Required.message(),
                )),
                Ok(None) => {}
                Err(problem) => notes.push(Note::field_error(attribute.name, problem.message())),
            }
        }
        if !notes.is_empty() {
            cx.state.notes = notes;
            cx.state.echo = values
                .iter()
                .filter(|(_, v)| v.chars().count() <= 254)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        for (name, value) in accepted {
            cx.state.data.insert(name.to_owned(), value);
        }
        Ok(Next::Go("submitted"))
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        if self.attributes.iter().any(|a| a.name == "email") {
            &[Fact::Email]
        } else {
            &[]
        }
    }

    fn view(&self, step: &str, state: &FlowState, _now: i64) -> StepView {
        let fields = self
            .attributes
            .iter()
            .map(|a| FieldView {
                name: a.name.to_owned(),
                kind: a.kind,
                label: Msg::new(a.label),
                required: self.required(a.name),
                autocomplete: Some(a.autocomplete),
                min_length: None,
                max_length: Some(a.max_length),
                hint: None,
                value: state.data.get(a.name).cloned(),
                reveal: false,
                notes: Vec::new(),
            })
            .collect();
        StepView {
            step: step.to_owned(),
            block: NAME,
            title: Msg::new(&self.title),
            kind: ViewKind::CollectUserData,
            fields,
            actions: vec![ActionView {
                id: "submit",
                primary: true,
                label: Msg::new("action-continue"),
                submits_fields: true,
                available_in: None,
                hint: None,
            }],
            notes: Vec::new(),
        }
    }
}
