//! `reset_password`: the last step of account recovery. The person, who has just proven with a
//! code that they control the account's address, chooses a new password; the server then sets
//! it, ends every session of the account, lifts its login throttle (the way back from a
//! lock-out) and tells the owner by email. Outcome: `reset`.
//!
//! A flow whose address has no account can never get here (its code went nowhere: the address
//! got a notice instead), and the block refuses to act for one all the same.

use super::set_password::{lengths, new_password_message_ids, new_password_view, refusal};
use super::{Block, Fact, Values, only_fields, password_policy};
use crate::runtime::{Cx, Effect, EngineError, FlowState, Next, Rejection, Secret};
use crate::view::{Note, StepView};

pub(super) const NAME: &str = "reset_password";

struct ResetPassword {
    min: u32,
    max: u32,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    // The same bounds as set_password: the password is the only factor.
    let (min, max) = lengths(table)?;
    Ok(Box::new(ResetPassword { min, max }))
}

impl Block for ResetPassword {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["reset"]
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = new_password_message_ids("reset-password-title");
        ids.extend(
            [
                "email-password-changed-subject",
                "email-password-changed-body",
            ]
            .map(String::from),
        );
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
        if let Some(msg) = refusal(cx, password, self.min, self.max) {
            cx.state.notes.push(Note::field_error("password", msg));
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        let (Some(subject), Some(email), Some("true")) = (
            cx.state.account.clone(),
            cx.state.data.get("email").cloned(),
            cx.state.data.get("email_verified").map(String::as_str),
        ) else {
            return Err(EngineError::Inconsistent(
                "reset_password needs an account and its verified address".into(),
            ));
        };
        cx.effects.push(Effect::ResetPassword {
            subject: subject.clone(),
            email: email.clone(),
            password: Secret::new(password_policy::normalize(password)),
        });
        cx.effects.push(Effect::SendEmail {
            to: email,
            template: "email-password-changed",
            args: Vec::new(),
            expires_at: None,
        });
        cx.state.subject = Some(subject);
        cx.state.amr.push("pwd".into());
        Ok(Next::Go("reset"))
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

    fn view(&self, step: &str, _state: &FlowState, _now: i64) -> StepView {
        new_password_view(step, NAME, "reset-password-title", self.min, self.max)
    }
}
