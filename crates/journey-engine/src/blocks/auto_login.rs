//! `auto_login`: ends the flow with a session for the flow's account, at the journey's level of
//! assurance, with the methods the flow used. The server turns it into a session cookie and a
//! signed ID token. No outcomes: the flow is complete.

use crate::kernel::{
    Authenticated, Block, Cx, EngineError, Fact, Next, Values, ViewCx, server_only_step, settings,
};
use journey_protocol::Step;
use serde::Deserialize;

pub(super) const NAME: &str = "auto_login";

/// What the person is told when a flow completes with a session.
pub const OUTCOME_MESSAGE: &str = "outcome-signed-in";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    acr: String,
}

struct AutoLogin {
    acr: String,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.acr.is_empty() || settings.acr.len() > 64 {
        return Err("`acr` must be a short name such as \"loa1\"".into());
    }
    Ok(Box::new(AutoLogin { acr: settings.acr }))
}

impl Block for AutoLogin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        Vec::new()
    }

    fn message_ids(&self) -> Vec<String> {
        // The server tells the person they are signed in with this text.
        vec![OUTCOME_MESSAGE.to_owned()]
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let subject = cx.state.subject.clone().ok_or_else(|| {
            EngineError::Inconsistent("auto_login runs before an account is known".into())
        })?;
        let mut amr = cx.state.amr.clone();
        amr.sort();
        amr.dedup();
        Ok(Next::Complete(Authenticated {
            subject,
            acr: self.acr.clone(),
            amr,
            auth_time: cx.now(),
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

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(server_only_step(cx, NAME))
    }
}
