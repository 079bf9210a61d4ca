//! `document_consent`: the person reads the tenant's current documents (the terms, the privacy
//! notice) and accepts or refuses them.
//!
//! Settings: `documents = [...]` (names the tenant declares under `[documents.<name>]` with
//! their current version, `major.minor`; the texts are the tenant's files, which the server
//! puts into the view). For each document the account's latest decision decides:
//!
//! - never accepted, or refused last: `required`;
//! - accepted an older major version: `major_update`, accept again;
//! - accepted the same major version, an older minor one: `minor_update`, only informed (a
//!   note; nothing to accept, nothing recorded);
//! - accepted this version: `current`, not shown.
//!
//! When every document is `current` the step is skipped (`accepted`). When only minor updates
//! remain it shows them with a `continue` action (`accepted`). Otherwise each document to
//! accept has a checkbox; `accept` needs every one ticked and records one `Accepted` each, at
//! its version; `refuse` records one `Refused` each and follows `refused`. Either is recorded only
//! if the documents still stand as the person read them (the block asks again): after a new
//! version or another flow's decision meanwhile the step shows what stands now, with a warning,
//! and records nothing. Needs the account
//! ([`Fact::Subject`]).

use super::attribute_consent::subject;
use crate::consent::{self, TICKED};
use crate::kernel::{
    Answer, Block, ConsentDecision, ConsentItem, Cx, Effect, EngineError, Example, Fact, Next,
    Query, Rejection, Standing, Values, ViewCx, action, field, only_fields, settings, step,
    submit_action,
};
use journey_protocol::{
    ActionKind, BlockView, ConsentDocument, FieldKind, Message, MessageLevel, Step, Text,
};
use serde::{Deserialize, Serialize};

pub(super) const NAME: &str = "document_consent";

const TITLE: &str = "document-consent-title";
const ACCEPT: &str = "document-consent-accept";
const REFUSE: &str = "document-consent-refuse";
const CONTINUE: &str = "document-consent-continue";
const VERSION: &str = "document-consent-version";
const NEEDED: &str = "document-consent-needed";
const MAJOR: &str = "document-consent-major";
const MINOR: &str = "document-consent-minor";
const UNTICKED: &str = "error-document-consent-unticked";
const CHANGED: &str = "document-consent-changed";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    documents: Vec<String>,
}

struct DocumentConsent {
    settings: Settings,
}

/// How a document's current version stands against what the account accepted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Change {
    /// Never accepted, or refused last.
    Required,
    /// An older major version was accepted.
    MajorUpdate,
    /// An older minor version of the same major was accepted: inform only.
    MinorUpdate,
    /// This version was accepted.
    Current,
}

impl Change {
    fn of(standing: &Standing) -> Self {
        match &standing.latest {
            Some((ConsentDecision::Accepted, accepted)) if *accepted == standing.current => {
                Self::Current
            }
            Some((ConsentDecision::Accepted, accepted)) => {
                match (
                    consent::version(accepted),
                    consent::version(&standing.current),
                ) {
                    (Some((old, _)), Some((new, _))) if old == new => Self::MinorUpdate,
                    _ => Self::MajorUpdate,
                }
            }
            _ => Self::Required,
        }
    }

    fn needs_acceptance(self) -> bool {
        matches!(self, Self::Required | Self::MajorUpdate)
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::MajorUpdate => "major_update",
            Self::MinorUpdate => "minor_update",
            Self::Current => "current",
        }
    }
}

/// One document as it stood when the step was entered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
struct Document {
    name: String,
    version: String,
    change: Change,
}

/// What the block asked the server about.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Pending {
    /// Where the account stands, to show the step.
    Enter,
    /// Where it stands now, to record the person's decision only if the documents are still
    /// the ones they read.
    Decide(ConsentDecision),
}

/// The step's memory: the documents that are not current.
#[derive(Serialize, Deserialize, Default)]
struct Memory {
    documents: Vec<Document>,
}

impl Memory {
    fn to_accept(&self) -> impl Iterator<Item = &Document> {
        self.documents
            .iter()
            .filter(|d| d.change.needs_acceptance())
    }
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    consent::check_names("documents", &settings.documents)?;
    Ok(Box::new(DocumentConsent { settings }))
}

/// The title, the checkbox label and the update note of a document.
fn texts(name: &str) -> [String; 3] {
    [
        format!("consent-document-{name}"),
        format!("consent-document-{name}-accept"),
        format!("consent-document-{name}-updated"),
    ]
}

impl DocumentConsent {
    /// Records `decision` on every document of `shown` that needs accepting.
    fn decide(
        &self,
        cx: &mut Cx<'_>,
        shown: &Memory,
        decision: ConsentDecision,
    ) -> Result<Next, EngineError> {
        let subject = subject(cx)?;
        for document in shown.to_accept() {
            cx.effect(Effect::RecordConsent {
                subject: subject.clone(),
                item: document.name.clone(),
                version: document.version.clone(),
                decision,
            });
        }
        Ok(Next::go(match decision {
            ConsentDecision::Refused => "refused",
            _ => "accepted",
        }))
    }
}

impl Block for DocumentConsent {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["accepted".into(), "refused".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        [
            TITLE,
            ACCEPT,
            REFUSE,
            CONTINUE,
            VERSION,
            NEEDED,
            MAJOR,
            MINOR,
            UNTICKED,
            CHANGED,
            consent::WRONG_VALUE,
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(self.settings.documents.iter().flat_map(|name| texts(name)))
        .collect()
    }

    fn consent_items(&self) -> Vec<ConsentItem> {
        let documents = self.settings.documents.iter().cloned();
        documents.map(ConsentItem::Document).collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let subject = subject(cx)?;
        cx.ask(Query::Consents { subject }, &Pending::Enter)
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let (Some(pending), Answer::Consents(consents)) = (cx.take_pending()?, answer) else {
            return Err(EngineError::UnexpectedAnswer);
        };
        let mut memory = Memory::default();
        for name in &self.settings.documents {
            let standing = consents.documents.get(name).ok_or_else(|| {
                EngineError::Inconsistent(format!("the tenant has no document `{name}`"))
            })?;
            let change = Change::of(standing);
            if change != Change::Current {
                memory.documents.push(Document {
                    name: name.clone(),
                    version: standing.current.clone(),
                    change,
                });
            }
        }
        if let Pending::Decide(decision) = pending {
            let shown: Memory = cx.memory()?.unwrap_or_default();
            if shown.to_accept().eq(memory.to_accept()) {
                return self.decide(cx, &shown, decision);
            }
            // A new version came (or another flow decided) after the person read them: show
            // what stands now and record nothing.
            cx.step_message(MessageLevel::Error, Text::msg(CHANGED));
        }
        if memory.documents.is_empty() {
            return Ok(Next::go("accepted"));
        }
        cx.set_memory(&memory)?;
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        let memory: Memory = cx
            .memory()?
            .ok_or_else(|| EngineError::Inconsistent(format!("{NAME} has no memory")))?;
        let to_accept: Vec<&Document> = memory.to_accept().collect();
        let allowed: Vec<&str> = to_accept.iter().map(|d| d.name.as_str()).collect();
        only_fields(values, &allowed)?;
        let decision = match action {
            "continue" if to_accept.is_empty() => return Ok(Next::go("accepted")),
            "accept" if !to_accept.is_empty() => ConsentDecision::Accepted,
            "refuse" if !to_accept.is_empty() => ConsentDecision::Refused,
            _ => return Err(EngineError::UnknownAction(action.to_owned())),
        };
        if decision == ConsentDecision::Accepted {
            let mut refused = false;
            for document in &to_accept {
                match consent::ticked(cx, values, &document.name) {
                    Some(true) => {
                        // A ticked box stays ticked when the answer is refused for another.
                        cx.state
                            .echo
                            .insert(document.name.clone(), TICKED.to_owned());
                    }
                    Some(false) => {
                        cx.field_error(&document.name, Text::msg(UNTICKED));
                        refused = true;
                    }
                    None => refused = true,
                }
            }
            if refused {
                return Ok(Next::Reject(Rejection::InvalidInput));
            }
            cx.state.echo.clear();
        }
        // Recorded only if the documents are still the ones the person read (`answer`).
        let subject = subject(cx)?;
        cx.ask(Query::Consents { subject }, &Pending::Decide(decision))
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let memory: Memory = cx.memory()?.unwrap_or_default();
        let documents = memory
            .documents
            .iter()
            .map(|document| ConsentDocument {
                id: document.name.clone(),
                version: document.version.clone(),
                title: Text::msg(texts(&document.name)[0].clone()),
                version_label: Text::msg(VERSION).arg("version", document.version.clone()),
                change: document.change.as_str().to_owned(),
                body: Vec::new(),
            })
            .collect();
        let view = BlockView::DocumentConsent { documents };
        let mut step = step(cx.step(), NAME, Text::msg(TITLE), view);
        let mut to_accept = memory.to_accept().peekable();
        let any = to_accept.peek().is_some();
        if memory.to_accept().any(|d| d.change == Change::MajorUpdate) {
            step.messages
                .push(Message::new(MessageLevel::Info, Text::msg(MAJOR)));
        } else if any {
            step.messages
                .push(Message::new(MessageLevel::Info, Text::msg(NEEDED)));
        }
        for document in memory
            .documents
            .iter()
            .filter(|d| d.change == Change::MinorUpdate)
        {
            let note = Text::msg(texts(&document.name)[2].clone())
                .arg("version", document.version.clone());
            step.messages.push(Message::new(MessageLevel::Info, note));
        }
        if !any {
            step.messages
                .push(Message::new(MessageLevel::Info, Text::msg(MINOR)));
        }
        for document in to_accept {
            let mut checkbox = field(
                &document.name,
                FieldKind::Checkbox,
                &texts(&document.name)[1],
            );
            checkbox.max_length = Some(TICKED.len() as u32);
            step.fields.push(checkbox);
        }
        if any {
            step.actions.push(accept_action());
            step.actions
                .push(action("refuse", ActionKind::Secondary, REFUSE));
        } else {
            step.actions
                .push(action("continue", ActionKind::Primary, CONTINUE));
        }
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let at = |name, changes: &[Change]| {
            let documents = self
                .settings
                .documents
                .iter()
                .zip(changes)
                .map(|(document, change)| Document {
                    name: document.clone(),
                    version: match change {
                        Change::MinorUpdate => "1.1".into(),
                        _ => "2.0".into(),
                    },
                    change: *change,
                })
                .collect();
            Example::new(name, NAME).memory(&Memory { documents })
        };
        let first = self.settings.documents[0].as_str();
        let all = |change| vec![change; self.settings.documents.len()];
        Ok(vec![
            at("first_time", &all(Change::Required))?,
            at("major_update", &all(Change::MajorUpdate))?,
            at("minor_update", &all(Change::MinorUpdate))?,
            at(
                "major_and_minor",
                &[Change::MajorUpdate, Change::MinorUpdate],
            )?,
            at("not_ticked", &all(Change::Required))?.field_error(first, Text::msg(UNTICKED)),
        ])
    }
}

/// The accept action, which sends the checkboxes.
fn accept_action() -> journey_protocol::Action {
    journey_protocol::Action {
        id: "accept".into(),
        ..submit_action(ACCEPT)
    }
}
