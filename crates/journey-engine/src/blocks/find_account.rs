//! `find_account`: asks the server which account has the collected address, for recovery.
//!
//! Like `duplicate_check`, the answer is kept in the flow ([`Owner`]) and never shown: the
//! block has a single outcome, `checked`, and the next step looks the same either way (no
//! account enumeration, ASVS 6.3.8). `email_validation` with `purpose = "recovery"` then sends
//! the code only to an address that has an account, and a notice to one that does not; only a
//! right code lets `reset_password` act on the account.

use crate::kernel::{
    Answer, Block, Cx, EngineError, Fact, Next, Owner, Query, Values, ViewCx, server_only_step,
    settings,
};
use journey_protocol::Step;
use serde::Deserialize;

pub(super) const NAME: &str = "find_account";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {}

struct FindAccount;

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let Settings {} = settings(table)?;
    Ok(Box::new(FindAccount))
}

impl Block for FindAccount {
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
                let owner = match account {
                    Some(subject) => Owner::Account { subject },
                    None => Owner::Nobody,
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
        &[Fact::AccountLookedUp]
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(server_only_step(cx, NAME))
    }
}
