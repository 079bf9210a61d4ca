//! `duplicate_check`: asks the server whether the collected address already has an account.
//!
//! The answer is kept in the flow and never shown: the block has a single outcome, `checked`,
//! so a journey cannot even branch on it and the person registering sees the same next step
//! either way (no account enumeration, ASVS 6.3.8). `email_validation` then sends the owner of a
//! taken address a notice instead of a code, and no second account can be created.

use super::{Block, Fact, Values, server_only_view, settings};
use crate::runtime::{Answer, Cx, EngineError, FlowState, Next, Query};
use crate::view::StepView;
use serde::Deserialize;

pub(super) const NAME: &str = "duplicate_check";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    attribute: String,
}

struct DuplicateCheck;

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.attribute != "email" {
        return Err(format!(
            "`attribute` must be \"email\" (got \"{}\")",
            settings.attribute
        ));
    }
    Ok(Box::new(DuplicateCheck))
}

impl Block for DuplicateCheck {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["checked"]
    }

    fn message_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let email = cx.state.data.get("email").cloned().ok_or_else(|| {
            EngineError::Inconsistent("duplicate_check runs before an email was collected".into())
        })?;
        Ok(Next::Ask(Query::AccountExists { email }))
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
        match answer {
            Answer::AccountExists(exists) => {
                cx.state.duplicate = exists;
                Ok(Next::Go("checked"))
            }
            _ => Err(EngineError::UnexpectedAnswer),
        }
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Email]
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::DuplicateChecked]
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, step: &str, _state: &FlowState, _now: i64) -> StepView {
        server_only_view(step, NAME)
    }
}
