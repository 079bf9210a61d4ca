//! `duplicate_check`: asks the server whether the collected address already has an account.
//!
//! The answer is kept in the flow ([`Owner`]) and never shown: the block has a single outcome,
//! `checked`, so a journey cannot even branch on it and the person registering sees the same
//! next step either way (no account enumeration, ASVS 6.3.8). `email_validation` then sends the
//! owner of a taken address a notice instead of a code, and no second account can be created.

use crate::kernel::{
    Answer, Block, Cx, EngineError, Fact, Next, Owner, Query, Values, ViewCx, server_only_step,
    settings,
};
use journey_protocol::Step;
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

    fn outcomes(&self) -> Vec<String> {
        vec!["checked".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let email = cx.state.required_attribute("email", NAME)?;
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
                let owner = if exists {
                    Owner::Someone
                } else {
                    Owner::Nobody
                };
                cx.state.owners.insert("email".into(), owner);
                Ok(Next::go("checked"))
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

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(server_only_step(cx, NAME))
    }
}
