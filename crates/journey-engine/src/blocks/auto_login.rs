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
//!
//! The block first reads the account's profile ([`Query::AccountProfile`]) and adds it to the
//! flow, so the level counts what the account has verified before (a phone number proven last
//! week) and the token releases what the account holds, not only what this flow collected.
//! Completing keeps what the flow collected on the account ([`Effect::SaveProfile`]: every
//! attribute but the email, each verified on the account exactly when it is in the flow), in
//! the transaction that ends the flow; a flow that does not complete writes nothing. The
//! journey's `claims` name the attributes the ID token releases: `email` and `phone_number`
//! with their `_verified` flags, `address` as OpenID Connect's address object, others as text.

use crate::kernel::{
    Answer, Authenticated, Block, Cx, Effect, EngineError, Fact, FlowState, Next, Query, Values,
    ViewCx, server_only_step, settings,
};
use crate::profile::is_attribute_name;
use journey_protocol::{MessageLevel, Step, Text};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

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
    #[serde(default)]
    claims: Vec<String>,
}

struct AutoLogin {
    min_acr: Option<String>,
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
        min_acr: settings.min_acr,
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

    /// What the flow has, but the email, with the names of those it proved.
    fn profile(state: &FlowState) -> Effect {
        let attributes: BTreeMap<String, String> = state
            .data
            .iter()
            .filter(|(name, _)| name.as_str() != "email")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let verified = attributes
            .keys()
            .filter(|name| state.is_verified(name))
            .cloned()
            .collect();
        Effect::SaveProfile {
            subject: state.subject.clone().unwrap_or_default(),
            attributes,
            verified,
        }
    }

    fn subject(cx: &Cx<'_>) -> Result<String, EngineError> {
        cx.state.subject.clone().ok_or_else(|| {
            EngineError::Inconsistent("auto_login runs before an account is known".into())
        })
    }
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
        let subject = Self::subject(cx)?;
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
        let subject = Self::subject(cx)?;
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
            (Some(acr), true) => {
                let profile = Self::profile(cx.state);
                if matches!(&profile, Effect::SaveProfile { attributes, .. } if !attributes.is_empty())
                {
                    cx.effect(profile);
                }
                Ok(Next::Complete(Authenticated {
                    subject,
                    acr,
                    amr,
                    auth_time: cx.now(),
                    claims: self.claims(cx.state),
                }))
            }
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
