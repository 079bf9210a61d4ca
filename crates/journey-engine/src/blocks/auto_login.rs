//! `auto_login`: ends the flow with a session for the flow's account, at the level of
//! assurance the tenant's policy gives the flow (`assurance.rs`: what was verified and which
//! methods were used), with those methods. The server turns it into a session cookie and a
//! signed ID token.
//!
//! A journey does not declare the level (an `acr` setting is refused, naming the policy); it
//! may require one, `min_acr = "loa2"`. Then the block has one outcome, `insufficient`, that a
//! flow below that level follows (to a step-up: a phone code, a password), and the flow comes
//! back here to complete. Without `min_acr` the lowest level of the policy is the minimum, and a
//! flow that does not reach even that ends without a session, saying so ([`INSUFFICIENT`]).

use crate::kernel::{
    Authenticated, Block, Cx, EngineError, Fact, Next, Values, ViewCx, server_only_step, settings,
};
use journey_protocol::{MessageLevel, Step, Text};
use serde::Deserialize;

pub(super) const NAME: &str = "auto_login";

/// What the person is told when a flow completes with a session.
pub const OUTCOME_MESSAGE: &str = "outcome-signed-in";

/// Why a flow ends without a session: it reached no level of the tenant's policy.
const INSUFFICIENT: &str = "error-assurance-insufficient";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Refused with a pointer to the tenant's policy; kept here to say so by name.
    acr: Option<toml::Value>,
    min_acr: Option<String>,
}

struct AutoLogin {
    min_acr: Option<String>,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.acr.is_some() {
        return Err("`acr` is no longer a journey's to declare: the tenant's policy (`[assurance]` in tenant.toml) computes the level; remove `acr`, and use `min_acr = \"<level>\"` to require one".into());
    }
    if let Some(min) = &settings.min_acr
        && (min.is_empty()
            || min.len() > 64
            || !min
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
    {
        return Err(
            "`min_acr` must name a level of the tenant's `[assurance]`, such as \"loa2\"".into(),
        );
    }
    Ok(Box::new(AutoLogin {
        min_acr: settings.min_acr,
    }))
}

impl Block for AutoLogin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        match self.min_acr {
            Some(_) => vec!["insufficient".into()],
            None => Vec::new(),
        }
    }

    fn message_ids(&self) -> Vec<String> {
        // The server tells the person they are signed in with this text.
        vec![OUTCOME_MESSAGE.to_owned(), INSUFFICIENT.to_owned()]
    }

    fn assurance_levels(&self) -> Vec<String> {
        self.min_acr.iter().cloned().collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let subject = cx.state.subject.clone().ok_or_else(|| {
            EngineError::Inconsistent("auto_login runs before an account is known".into())
        })?;
        let mut amr = cx.state.amr.clone();
        amr.sort();
        amr.dedup();
        // Only what blocks verified counts, and only for a value still collected.
        let verified = cx
            .state
            .verified
            .iter()
            .filter(|name| cx.state.data.contains_key(name.as_str()))
            .cloned()
            .collect();
        let policy = cx.assurance();
        let acr = policy.acr(&verified, &amr).map(str::to_owned);
        let enough = match (&acr, &self.min_acr) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(acr), Some(min)) => matches!(
                (policy.rank(acr), policy.rank(min)),
                (Some(reached), Some(needed)) if reached >= needed
            ),
        };
        match (acr, enough) {
            (Some(acr), true) => Ok(Next::Complete(Authenticated {
                subject,
                acr,
                amr,
                auth_time: cx.now(),
            })),
            _ if self.min_acr.is_some() => Ok(Next::go("insufficient")),
            _ => {
                cx.step_message(MessageLevel::Error, Text::msg(INSUFFICIENT));
                Ok(Next::Fail)
            }
        }
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
