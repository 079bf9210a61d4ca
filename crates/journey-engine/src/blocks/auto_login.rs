//! `auto_login`: ends the flow with a session for the flow's account, at the journey's level of
//! assurance, with the methods the flow used. The server turns it into a session cookie and a
//! signed ID token. No outcomes: the flow is complete.
//!
//! Completing keeps what the flow collected on the account ([`Effect::SaveProfile`]: every
//! attribute but the email, each verified on the account exactly when it was in the flow), in
//! the transaction that ends the flow; a flow that never gets here writes nothing. The
//! journey's `claims` name the attributes the ID token releases: `email` and `phone_number`
//! with their `_verified` flags, `address` as OpenID Connect's address object, others as text.

use crate::kernel::{
    Answer, Authenticated, Block, Cx, Effect, EngineError, Fact, FlowState, Next, Query, Values,
    ViewCx, server_only_step, settings,
};
use crate::profile::is_attribute_name;
use journey_protocol::Step;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) const NAME: &str = "auto_login";

/// What the person is told when a flow completes with a session.
pub const OUTCOME_MESSAGE: &str = "outcome-signed-in";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    acr: String,
    #[serde(default)]
    claims: Vec<String>,
}

struct AutoLogin {
    acr: String,
    claims: Vec<String>,
}

/// Claims an ID token has of its own, which no attribute may stand in for.
const REGISTERED: [&str; 12] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
];

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.acr.is_empty() || settings.acr.len() > 64 {
        return Err("`acr` must be a short name such as \"loa1\"".into());
    }
    if let Some(bad) = settings.claims.iter().find(|c| {
        !is_attribute_name(c) || REGISTERED.contains(&c.as_str()) || c.ends_with("_verified")
    }) {
        return Err(format!(
            "`claims`: `{bad}` cannot be released; name attributes (lower-case letters, digits \
             and `_`), not the token's own claims ({}) or a `_verified` flag",
            REGISTERED.join(", ")
        ));
    }
    Ok(Box::new(AutoLogin {
        acr: settings.acr,
        claims: settings.claims,
    }))
}

impl AutoLogin {
    /// The released attributes the flow has, as claims.
    fn claims(&self, state: &FlowState) -> BTreeMap<String, Value> {
        let mut claims = BTreeMap::new();
        for name in &self.claims {
            let Some(value) = state.attribute(name) else {
                continue;
            };
            let claim = match name.as_str() {
                // The address is kept as the JSON of its claim.
                "address" => serde_json::from_str(value).unwrap_or(Value::Null),
                _ => Value::String(value.to_owned()),
            };
            if matches!(name.as_str(), "email" | "phone_number") {
                let flag = format!("{name}_verified");
                claims.insert(flag, Value::Bool(state.is_verified(name)));
            }
            claims.insert(name.clone(), claim);
        }
        claims
    }
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
        let subject = self.subject(cx)?;
        if self.claims.is_empty() {
            return self.complete(cx, subject);
        }
        // The token releases what the account holds, not only what this flow collected.
        cx.ask(Query::AccountProfile { subject }, &())
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
        let subject = self.subject(cx)?;
        self.complete(cx, subject)
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

impl AutoLogin {
    fn subject(&self, cx: &Cx<'_>) -> Result<String, EngineError> {
        cx.state.subject.clone().ok_or_else(|| {
            EngineError::Inconsistent("auto_login runs before an account is known".into())
        })
    }

    /// Ends the flow, keeping its attributes on the account.
    fn complete(&self, cx: &mut Cx<'_>, subject: String) -> Result<Next, EngineError> {
        let mut amr = cx.state.amr.clone();
        amr.sort();
        amr.dedup();
        let attributes: BTreeMap<String, String> = cx
            .state
            .data
            .iter()
            .filter(|(name, _)| name.as_str() != "email")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if !attributes.is_empty() {
            let verified = attributes
                .keys()
                .filter(|name| cx.state.is_verified(name))
                .cloned()
                .collect();
            cx.effect(Effect::SaveProfile {
                subject: subject.clone(),
                attributes,
                verified,
            });
        }
        let claims = self.claims(cx.state);
        Ok(Next::Complete(Authenticated {
            subject,
            acr: self.acr.clone(),
            amr,
            auth_time: cx.now(),
            claims,
        }))
    }
}
