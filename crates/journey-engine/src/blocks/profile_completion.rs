//! `profile_completion`: asks only for the attributes a journey needs that the account (and the
//! flow) do not have yet, and is passed over when nothing is missing.
//!
//! When the flow knows its account, the block first asks the server for the account's profile
//! ([`Query::AccountProfile`]) and adds it to the flow (what the flow collected itself stays).
//! Then every attribute the journey names that the flow still lacks is asked for, each with the
//! rules of its kind (`crate::profile`): text, date of birth with a minimum age, postal address
//! per country, phone number (kept in E.164, not proven: `phone_number_verification` proves
//! one), single choice, yes/no. Values are checked on the server; a refused submission
//! shows each error beside its field and keeps what was typed. Nothing is written to the account
//! here: `auto_login` keeps the flow's attributes on it when the flow completes. Outcome:
//! `completed`, whether the person answered or nothing was missing.

use crate::kernel::{
    Answer, Block, Cx, EngineError, Example, Next, Query, Rejection, Values, ViewCx, only_fields,
    settings, step, submit_action,
};
use crate::profile::{
    ADDRESS_COUNTRIES, Attribute, BUILT_IN, Day, Invalid, Kind, is_attribute_name,
};
use crate::text::Problem;
use journey_protocol::{BlockView, Step, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(super) const NAME: &str = "profile_completion";

/// The longest value a refused submission shows again.
const ECHO_MAX: usize = 254;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    attributes: Vec<String>,
    #[serde(default)]
    min_age: Option<u32>,
    #[serde(default)]
    countries: Option<Vec<String>>,
    #[serde(default)]
    choices: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    yes_no: Vec<String>,
    #[serde(default = "default_title")]
    title: String,
}

fn default_title() -> String {
    "profile-completion-title".to_owned()
}

struct ProfileCompletion {
    attributes: Vec<Attribute>,
    title: String,
}

/// What the step remembers: the attributes it asks for.
#[derive(Serialize, Deserialize)]
struct Memory {
    missing: Vec<String>,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.attributes.is_empty() {
        return Err("`attributes` must name at least one attribute".to_owned());
    }
    if let Some(age) = settings.min_age.filter(|age| !(1..=120).contains(age)) {
        return Err(format!(
            "`min_age` is {age}; it must be from 1 to 120 years"
        ));
    }
    // A phone number typed as at home is read in the first country, so it must be chosen.
    if settings.countries.is_none() && settings.attributes.iter().any(|a| a == "phone_number") {
        return Err(
            "`phone_number` needs `countries`: the countries whose numbers are accepted, the \
             first being where a number typed as at home is read, such as [\"NL\", \"BE\"]"
                .to_owned(),
        );
    }
    let countries = settings
        .countries
        .unwrap_or_else(|| ADDRESS_COUNTRIES.map(String::from).to_vec());
    if countries.is_empty() {
        return Err("`countries` must name at least one country".to_owned());
    }
    if let Some(unknown) = countries
        .iter()
        .find(|c| !ADDRESS_COUNTRIES.contains(&c.as_str()))
    {
        return Err(format!(
            "`countries`: no postal address rules for `{unknown}`; known: {}",
            ADDRESS_COUNTRIES.join(", ")
        ));
    }
    let declared = settings.choices.keys().chain(&settings.yes_no);
    for name in declared {
        if !is_attribute_name(name) || BUILT_IN.contains(&name.as_str()) || name == "email" {
            return Err(format!(
                "`{name}` cannot name a declared attribute: it must be lower-case letters, digits \
                 and `_`, at most 40, and not a built-in attribute ({})",
                BUILT_IN.join(", ")
            ));
        }
    }
    let mut attributes = Vec::new();
    for name in &settings.attributes {
        if attributes.iter().any(|a: &Attribute| &a.name == name) {
            return Err(format!("`attributes` names `{name}` twice"));
        }
        let attribute = if let Some(options) = settings.choices.get(name) {
            check_options(name, options)?;
            Attribute {
                name: name.clone(),
                kind: Kind::Choice {
                    options: options.clone(),
                },
            }
        } else if settings.yes_no.contains(name) {
            Attribute {
                name: name.clone(),
                kind: Kind::Choice {
                    options: vec!["yes".into(), "no".into()],
                },
            }
        } else {
            Attribute::built_in(name, settings.min_age, &countries).ok_or_else(|| {
                format!(
                    "unknown attribute `{name}`; built-in attributes: {}, or declare it under \
                     `choices` or `yes_no`",
                    BUILT_IN.join(", ")
                )
            })?
        };
        if matches!(attribute.kind, Kind::Phone { .. }) {
            crate::phone::load_metadata();
        }
        attributes.push(attribute);
    }
    let named = |n: &String| settings.attributes.contains(n);
    if let Some(name) = settings
        .choices
        .keys()
        .chain(&settings.yes_no)
        .find(|n| !named(n))
    {
        return Err(format!("`{name}` is declared but not in `attributes`"));
    }
    Ok(Box::new(ProfileCompletion {
        attributes,
        title: settings.title,
    }))
}

fn check_options(name: &str, options: &[String]) -> Result<(), String> {
    if options.len() < 2 || options.len() > 20 {
        return Err(format!("`choices.{name}` must have from 2 to 20 options"));
    }
    if let Some(bad) = options.iter().find(|o| !is_attribute_name(o)) {
        return Err(format!(
            "`choices.{name}`: option `{bad}` must be lower-case letters, digits and `_`"
        ));
    }
    Ok(())
}

impl ProfileCompletion {
    /// Goes on when the flow has every attribute, else waits for the person with what is
    /// missing.
    fn ask_missing(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let missing: Vec<String> = self
            .attributes
            .iter()
            .filter(|a| cx.state.attribute(&a.name).is_none())
            .map(|a| a.name.clone())
            .collect();
        if missing.is_empty() {
            return Ok(Next::go("completed"));
        }
        cx.set_memory(&Memory { missing })?;
        Ok(Next::Stay)
    }

    /// The attributes the step asks for.
    fn missing(&self, memory: Option<Memory>) -> Vec<&Attribute> {
        let missing = memory.map(|m| m.missing).unwrap_or_default();
        self.attributes
            .iter()
            .filter(|a| missing.contains(&a.name))
            .collect()
    }
}

impl Block for ProfileCompletion {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["completed".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = vec![
            self.title.clone(),
            "profile-completion-intro".into(),
            "action-continue".into(),
        ];
        ids.extend(Problem::MESSAGE_IDS.map(String::from));
        ids.extend(Invalid::MESSAGE_IDS.map(String::from));
        ids.extend(self.attributes.iter().flat_map(Attribute::message_ids));
        ids.sort();
        ids.dedup();
        ids
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        match cx.state.subject.clone() {
            Some(subject) => cx.ask(Query::AccountProfile { subject }, &()),
            None => self.ask_missing(cx),
        }
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        cx.take_pending::<()>()?
            .ok_or(EngineError::UnexpectedAnswer)?;
        let Answer::AccountProfile(profile) = answer else {
            return Err(EngineError::UnexpectedAnswer);
        };
        if let Some(profile) = profile {
            cx.state.add_account(profile);
        }
        self.ask_missing(cx)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        if action != "submit" {
            return Err(EngineError::UnknownAction(action.to_owned()));
        }
        let asked = self.missing(cx.memory()?);
        let names: Vec<String> = asked.iter().flat_map(|a| a.field_names()).collect();
        only_fields(
            values,
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        )?;
        let today = Day::of_unix(cx.now());
        let value = |name: &str| values.get(name).cloned().unwrap_or_default();
        let mut accepted = Vec::new();
        let mut refused = false;
        for attribute in asked {
            match attribute.check(&value, today) {
                Ok(canonical) => accepted.push((attribute.name.clone(), canonical)),
                Err(problems) => {
                    refused = true;
                    for (field, problem) in problems {
                        cx.field_error(&field, problem.message());
                    }
                }
            }
        }
        if refused {
            cx.state.echo = values
                .iter()
                .filter(|(_, v)| v.chars().count() <= ECHO_MAX)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        for (name, value) in accepted {
            cx.state.set_attribute(&name, value);
        }
        Ok(Next::go("completed"))
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let mut step = step(
            cx.step(),
            NAME,
            Text::msg(&self.title),
            BlockView::ProfileCompletion {
                body: vec![Text::msg("profile-completion-intro")],
            },
        );
        let today = Day::of_unix(cx.now());
        step.fields = self
            .missing(cx.memory()?)
            .into_iter()
            .flat_map(|a| a.fields(cx.state().attribute(&a.name), today))
            .collect();
        step.actions.push(submit_action("action-continue"));
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let all = Memory {
            missing: self.attributes.iter().map(|a| a.name.clone()).collect(),
        };
        // A returning person whose account has the first attribute already.
        let some = Memory {
            missing: self
                .attributes
                .iter()
                .skip(1)
                .map(|a| a.name.clone())
                .collect(),
        };
        let mut known = Example::new("some_known", NAME).memory(&some)?;
        if let Some(first) = self.attributes.first() {
            known = known.attribute(&first.name, &first.sample());
        }
        let mut errors = Example::new("field_errors", NAME).memory(&all)?;
        for attribute in &self.attributes {
            errors = match &attribute.kind {
                Kind::Birthdate { min_age } => {
                    let problem = min_age.map_or(Invalid::Date, Invalid::TooYoung);
                    errors
                        .echo(&attribute.name, "2019-02-30")
                        .field_error(&attribute.name, problem.message())
                }
                Kind::Address { .. } => {
                    let field = |p: &str| format!("{}.{p}", attribute.name);
                    errors
                        .echo(&field("street_address"), "Keizersgracht 123")
                        .echo(&field("locality"), "Amsterdam")
                        .echo(&field("country"), "NL")
                        .echo(&field("postal_code"), "10155")
                        .field_error(&field("postal_code"), Invalid::PostalCode.message())
                }
                _ => errors.field_error(&attribute.name, Problem::Required.message()),
            };
        }
        Ok(vec![
            Example::new("empty", NAME).memory(&all)?,
            known,
            errors,
        ])
    }
}
