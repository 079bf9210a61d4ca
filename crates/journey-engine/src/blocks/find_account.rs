//! `find_account`: asks the server which account has the collected address, for recovery.
//!
//! Like `duplicate_check`, the answer is kept in the flow and never shown: the block has a
//! single outcome, `checked`, and the next step looks the same either way (no account
//! enumeration, ASVS 6.3.8). `email_validation` with `purpose = "recovery"` then sends the code
//! only to an address that has an account, and a notice to one that does not; only a right code
//! lets `reset_password` act on the account.

use super::{Block, Fact, Values, server_only_view, settings};
use crate::runtime::{Answer, Cx, EngineError, FlowState, Next, Query};
use crate::view::StepView;
use serde::Deserialize;

pub(super) const NAME: &str = "find_account";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {}

struct FindAccount;

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let _: Settings = settings(table)?;
    Ok(Box::new(FindAccount))
}

impl Block for FindAccount {
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
            EngineError::Inconsistent("find_account runs before an email was collected".into())
        })?;
        Ok(Next::Ask(Query::FindAccount { email }))
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
            Answer::Account(account) => {
                cx.state.account = account;
                Ok(Next::Go("checked"))
            }
            _ => Err(EngineError::UnexpectedAnswer),
        }
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Email]
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::AccountLookedUp]
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, step: &str, _state: &FlowState, _now: i64) -> StepView {
        server_only_view(step, NAME)
    }
}
