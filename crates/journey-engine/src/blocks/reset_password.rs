//! `reset_password`: the last step of account recovery. The person, who has just proven with a
//! code that they control the account's address, chooses a new password; the server then sets
//! it, ends every session of the account, lifts its login throttle (the way back from a
//! lock-out) and tells the owner by email. The step itself is the shared new-password step
//! (`new_password.rs`). Outcome: `reset`.
//!
//! A flow whose address has no account can never get here (its code went nowhere: the address
//! got a notice instead), and the block refuses to act for one all the same.

use crate::kernel::{
    Block, Channel, Cx, Effect, EngineError, Example, Fact, Next, Owner, Rejection, Secret, Values,
    ViewCx, only_fields,
};
use crate::new_password::{self, Bounds};
use crate::password_policy;
use journey_protocol::{Args, Step};

pub(super) const NAME: &str = "reset_password";

const TITLE: &str = "reset-password-title";

/// The message the owner gets once the password is changed.
const CHANGED: &str = "email-password-changed";

struct ResetPassword {
    bounds: Bounds,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    // The same bounds as set_password: the password is the only factor.
    Ok(Box::new(ResetPassword {
        bounds: Bounds::from_settings(table)?,
    }))
}

impl Block for ResetPassword {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["reset".into()]
    }

    fn channels(&self) -> Vec<Channel> {
        vec![Channel::Email]
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = new_password::message_ids(TITLE);
        ids.extend([format!("{CHANGED}-subject"), format!("{CHANGED}-body")]);
        ids
    }

    fn enter(&self, _cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        if action != "submit" {
            return Err(EngineError::UnknownAction(action.to_owned()));
        }
        only_fields(values, &["password"])?;
        let password = values.get("password").map(String::as_str).unwrap_or("");
        if let Some(text) = new_password::refusal(cx, password, self.bounds) {
            cx.field_error("password", text);
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        let state = &cx.state;
        let (Some(Owner::Account { subject }), Some(email), true) = (
            state.owner("email").cloned(),
            state.attribute("email").map(str::to_owned),
            state.is_verified("email"),
        ) else {
            return Err(EngineError::Inconsistent(
                "reset_password needs an account and its verified address".into(),
            ));
        };
        cx.effect(Effect::ResetPassword {
            subject: subject.clone(),
            email: email.clone(),
            password: Secret::new(password_policy::normalize(password)),
        });
        cx.effect(Effect::Send {
            channel: Channel::Email,
            to: email,
            template: CHANGED.to_owned(),
            args: Args::default(),
            expires_at: None,
        });
        // Choosing a password is not signing in with it: the recovery code (`otp`) is the
        // method this flow used, and the level of assurance is the policy's from that.
        cx.state.subject = Some(subject);
        Ok(Next::go("reset"))
    }

    fn requires(&self) -> &'static [Fact] {
        // A code of recovery's own: a registration's verified address proves nothing about
        // an existing account.
        &[
            Fact::Email,
            Fact::AccountLookedUp,
            Fact::AccountAddressVerified,
        ]
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(new_password::view(cx, NAME, TITLE, self.bounds))
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        new_password::examples(NAME, self.bounds)
    }
}
