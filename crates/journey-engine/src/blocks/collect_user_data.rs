//! `collect_user_data`: asks for the attributes the journey names and keeps them in the flow.
//!
//! Attributes come from a fixed catalogue (email, given and family name), each with its kind,
//! autocomplete token and length limit, so the server validates every value against an
//! allow-list. The character rules (NFC, no controls or invisible characters, email syntax)
//! are [`crate::text`]'s. A new address replaces what the flow knew about the old one (its
//! proof, its owner). Outcome: `submitted`.

use crate::kernel::{
    Block, Cx, EngineError, Example, Fact, Next, Rejection, Values, ViewCx, field, only_fields,
    settings, step, submit_action,
};
use crate::text::{self, Problem};
use journey_protocol::{BlockView, Field, FieldKind, Step, Text};
use serde::Deserialize;

pub(super) const NAME: &str = "collect_user_data";

/// An attribute this block can collect.
struct Attribute {
    name: &'static str,
    kind: FieldKind,
    autocomplete: &'static str,
    max_length: u32,
    label: &'static str,
    /// What an example shows as filled in.
    sample: &'static str,
}

const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "email",
        kind: FieldKind::Email,
        autocomplete: "email",
        max_length: 254,
        label: "field-email",
        sample: "jane.doe@example.com",
    },
    Attribute {
        name: "given_name",
        kind: FieldKind::Text,
        autocomplete: "given-name",
        max_length: 100,
        label: "field-given-name",
        sample: "Jane",
    },
    Attribute {
        name: "family_name",
        kind: FieldKind::Text,
        autocomplete: "family-name",
        max_length: 100,
        label: "field-family-name",
        sample: "Doe",
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

    fn collects_email(&self) -> bool {
        self.attributes.iter().any(|a| a.name == "email")
    }
}

impl Block for CollectUserData {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["submitted".into()]
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
        let mut refused = false;
        let mut accepted = Vec::new();
        for attribute in &self.attributes {
            let raw = values.get(attribute.name).map(String::as_str).unwrap_or("");
            let value = match attribute.kind {
                FieldKind::Email => text::email(raw),
                _ => text::text(raw, attribute.max_length),
            };
            let problem = match value {
                Ok(Some(value)) => {
                    accepted.push((attribute.name, value));
                    continue;
                }
                Ok(None) if self.required(attribute.name) => Problem::Required,
                Ok(None) => continue,
                Err(problem) => problem,
            };
            cx.field_error(attribute.name, problem.message());
            refused = true;
        }
        if refused {
            cx.state.echo = values
                .iter()
                .filter(|(_, v)| v.chars().count() <= 254)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        for (name, value) in accepted {
            cx.state.set_attribute(name, value);
        }
        Ok(Next::go("submitted"))
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        if self.collects_email() {
            &[Fact::Email]
        } else {
            &[]
        }
    }

    fn revokes(&self, _outcome: &str) -> &'static [Fact] {
        // The address may be another one now: what was known about the old one is not about it.
        if self.collects_email() {
            Fact::ABOUT_THE_ADDRESS
        } else {
            &[]
        }
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let title = Text::msg(&self.title);
        let mut step = step(cx.step(), NAME, title, BlockView::CollectUserData {});
        step.fields = self
            .attributes
            .iter()
            .map(|a| Field {
                required: self.required(a.name),
                autocomplete: Some(a.autocomplete.to_owned()),
                max_length: Some(a.max_length),
                value: cx.state().attribute(a.name).map(str::to_owned),
                ..field(a.name, a.kind, a.label)
            })
            .collect();
        step.actions.push(submit_action("action-continue"));
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let filled = self
            .attributes
            .iter()
            .fold(Example::new("filled", NAME), |example, a| {
                example.attribute(a.name, a.sample)
            });
        // What a hurried person sends: a broken address, and nothing else.
        let field_errors =
            self.attributes
                .iter()
                .fold(Example::new("field_errors", NAME), |example, a| {
                    match a.kind {
                        FieldKind::Email => example
                            .echo(a.name, "jane.doe@example")
                            .field_error(a.name, Problem::EmailInvalid.message()),
                        _ if self.required(a.name) => {
                            example.field_error(a.name, Problem::Required.message())
                        }
                        _ => example,
                    }
                });
        Ok(vec![Example::new("empty", NAME), filled, field_errors])
    }
}
