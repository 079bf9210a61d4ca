//! `attribute_consent`: the person grants or withdraws the tenant's purposes (marketing by
//! email, by SMS, sharing with the group's other brands) one by one, each a checkbox.
//!
//! Settings: `purposes = [...]` (names the tenant declares under `[purposes.<name>]`, with the
//! version of their text) and `ask`: `"undecided"` (the default) skips the step when the account
//! has decided on every purpose already, `"always"` shows it anyway so the person can change
//! their mind (an update journey). A purpose shows ticked only when the account granted it and
//! never withdrew it since; none is pre-ticked otherwise, and unticking withdraws, so withdrawing
//! is as easy as granting. No purpose is required.
//!
//! Submitting records only what changed: the block asks again where the account stands (another
//! flow may have changed it meanwhile) and records one [`Effect::RecordConsent`] per purpose
//! granted or withdrawn against that, at its text's current version. Outcome: `submitted` (also when skipped). Needs the
//! account ([`Fact::Subject`]).

use crate::consent::{self, TICKED};
use crate::kernel::{
    Answer, Block, ConsentDecision, ConsentItem, Consents, Cx, Effect, EngineError, Example, Fact,
    Next, Query, Rejection, Values, ViewCx, field, only_fields, settings, step, submit_action,
};
use journey_protocol::{BlockView, FieldKind, Step, Text};
use serde::{Deserialize, Serialize};

pub(super) const NAME: &str = "attribute_consent";

const TITLE: &str = "attribute-consent-title";
const INTRO: &str = "attribute-consent-intro";
const SUBMIT: &str = "attribute-consent-submit";

/// When the step shows.
#[derive(Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Ask {
    /// Only while some purpose has no decision yet.
    #[default]
    Undecided,
    /// Every time, to change earlier choices.
    Always,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    purposes: Vec<String>,
    #[serde(default)]
    ask: Ask,
}

struct AttributeConsent {
    settings: Settings,
}

/// Where the account stood on one purpose when the step was entered.
#[derive(Serialize, Deserialize, Clone, Debug)]
struct Purpose {
    name: String,
    /// The current version of its text.
    version: String,
    /// Granted and not withdrawn since.
    granted: bool,
}

/// What the block asked the server about.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Pending {
    /// Where the account stands, to show the step.
    Enter,
    /// Where it stands now, to record the person's choices (ticked or not, in the order of the
    /// settings) against it.
    Save(Vec<bool>),
}

/// The step's memory: the purposes as they stood.
#[derive(Serialize, Deserialize, Default)]
struct Memory {
    purposes: Vec<Purpose>,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    consent::check_names("purposes", &settings.purposes)?;
    Ok(Box::new(AttributeConsent { settings }))
}

/// The label and the hint of a purpose's checkbox.
fn texts(name: &str) -> [String; 2] {
    [
        format!("consent-purpose-{name}"),
        format!("consent-purpose-{name}-hint"),
    ]
}

impl AttributeConsent {
    /// Records each purpose whose wanted state differs from where the account stands now, at
    /// its text's current version.
    fn save(&self, cx: &mut Cx<'_>, now: &Consents, wanted: &[bool]) -> Result<Next, EngineError> {
        let subject = subject(cx)?;
        for (name, wanted) in self.settings.purposes.iter().zip(wanted) {
            let standing = now.purposes.get(name).ok_or_else(|| {
                EngineError::Inconsistent(format!("the tenant has no purpose `{name}`"))
            })?;
            let granted = matches!(standing.latest, Some((ConsentDecision::Granted, _)));
            if *wanted != granted {
                cx.effect(Effect::RecordConsent {
                    subject: subject.clone(),
                    item: name.clone(),
                    version: standing.current.clone(),
                    decision: if *wanted {
                        ConsentDecision::Granted
                    } else {
                        ConsentDecision::Withdrawn
                    },
                });
            }
        }
        cx.clear_memory();
        Ok(Next::go("submitted"))
    }
}

impl Block for AttributeConsent {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["submitted".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        [TITLE, INTRO, SUBMIT, consent::WRONG_VALUE]
            .into_iter()
            .map(str::to_owned)
            .chain(self.settings.purposes.iter().flat_map(|name| texts(name)))
            .collect()
    }

    fn consent_items(&self) -> Vec<ConsentItem> {
        let purposes = self.settings.purposes.iter().cloned();
        purposes.map(ConsentItem::Purpose).collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let subject = subject(cx)?;
        cx.ask(Query::Consents { subject }, &Pending::Enter)
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let (Some(pending), Answer::Consents(consents)) = (cx.take_pending()?, answer) else {
            return Err(EngineError::UnexpectedAnswer);
        };
        if let Pending::Save(wanted) = pending {
            return self.save(cx, &consents, &wanted);
        }
        let mut memory = Memory::default();
        let mut undecided = false;
        for name in &self.settings.purposes {
            let standing = consents.purposes.get(name).ok_or_else(|| {
                EngineError::Inconsistent(format!("the tenant has no purpose `{name}`"))
            })?;
            undecided |= standing.latest.is_none();
            memory.purposes.push(Purpose {
                name: name.clone(),
                version: standing.current.clone(),
                granted: matches!(standing.latest, Some((ConsentDecision::Granted, _))),
            });
        }
        if self.settings.ask == Ask::Undecided && !undecided {
            return Ok(Next::go("submitted"));
        }
        cx.set_memory(&memory)?;
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        if action != "submit" {
            return Err(EngineError::UnknownAction(action.to_owned()));
        }
        let allowed: Vec<&str> = self.settings.purposes.iter().map(String::as_str).collect();
        only_fields(values, &allowed)?;
        let memory: Memory = cx
            .memory()?
            .ok_or_else(|| EngineError::Inconsistent(format!("{NAME} has no memory")))?;
        let mut wanted = Vec::new();
        for purpose in &memory.purposes {
            wanted.push(consent::ticked(cx, values, &purpose.name));
        }
        let Some(wanted) = wanted.iter().copied().collect::<Option<Vec<bool>>>() else {
            // The boxes that were understood show as the person left them.
            cx.state.echo = memory
                .purposes
                .iter()
                .zip(&wanted)
                .filter_map(|(p, w)| Some((p.name.clone(), ticked_value(*w.as_ref()?))))
                .collect();
            return Ok(Next::Reject(Rejection::InvalidInput));
        };
        // Recorded against where the account stands now, not when the step was shown: a
        // choice made meanwhile in another flow is not recorded twice.
        let subject = subject(cx)?;
        cx.ask(Query::Consents { subject }, &Pending::Save(wanted))
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let memory: Memory = cx.memory()?.unwrap_or_default();
        let view = BlockView::AttributeConsent {
            intro: Text::msg(INTRO),
        };
        let mut step = step(cx.step(), NAME, Text::msg(TITLE), view);
        for purpose in &memory.purposes {
            let [label, hint] = texts(&purpose.name);
            let mut checkbox = field(&purpose.name, FieldKind::Checkbox, &label);
            checkbox.required = false;
            checkbox.hint = Some(Text::msg(hint));
            checkbox.max_length = Some(TICKED.len() as u32);
            // As the person left it in a refused answer, else as the account stands.
            checkbox.value = match cx.state().echo.get(&purpose.name) {
                Some(echoed) => Some(echoed.clone()),
                None => purpose.granted.then(|| TICKED.to_owned()),
            };
            step.fields.push(checkbox);
        }
        step.actions.push(submit_action(SUBMIT));
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let at = |name, granted: &[&str]| {
            let purposes = self
                .settings
                .purposes
                .iter()
                .map(|purpose| Purpose {
                    name: purpose.clone(),
                    version: "1.0".into(),
                    granted: granted.contains(&purpose.as_str()),
                })
                .collect();
            Example::new(name, NAME).memory(&Memory { purposes })
        };
        let first = self.settings.purposes[0].as_str();
        Ok(vec![
            at("first_time", &[])?,
            at("one_granted", &[first])?,
            at("wrong_value", &[])?.field_error(first, Text::msg(consent::WRONG_VALUE)),
        ])
    }
}

/// What a checkbox shows: ticked or not.
pub(super) fn ticked_value(ticked: bool) -> String {
    if ticked { TICKED } else { "" }.to_owned()
}

/// The flow's account, which the journey's validation guarantees ([`Fact::Subject`]).
pub(super) fn subject(cx: &Cx<'_>) -> Result<String, EngineError> {
    cx.state
        .subject
        .clone()
        .ok_or_else(|| EngineError::Inconsistent("a consent step runs before an account".into()))
}
