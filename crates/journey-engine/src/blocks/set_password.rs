//! `set_password`: the person chooses a password; the flow's account is created with it.
//!
//! Registration creates the account here, from the attributes collected and verified earlier,
//! so an account never exists without a password and a verified address. A flow whose address
//! belongs to an existing account can never get here (its code went nowhere), and the block
//! refuses to act for one all the same. Outcome: `set`.

use super::password_policy::{self, Refusal, Words};
use super::{Block, Fact, Values, only_fields, random_id, settings};
use crate::runtime::{Cx, Effect, EngineError, FlowState, NewAccount, Next, Rejection, Secret};
use crate::view::{
    ActionView, FieldKind, FieldView, Msg, Note, REVEAL_HIDE, REVEAL_SHOW, StepView, ViewKind,
};
use serde::Deserialize;

pub(super) const NAME: &str = "set_password";

/// Why a registration ends when its account was created meanwhile by another flow.
pub const ACCOUNT_TAKEN: &str = "error-account-taken";

/// The settings of a block that asks for a new password: its length bounds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Lengths {
    #[serde(default = "default_min")]
    min_length: u32,
    #[serde(default = "default_max")]
    max_length: u32,
}

fn default_min() -> u32 {
    15
}
fn default_max() -> u32 {
    128
}

/// Parses and checks the length bounds of a new password: `(min, max)`.
pub(super) fn lengths(table: toml::Table) -> Result<(u32, u32), String> {
    let lengths: Lengths = settings(table)?;
    // NIST SP 800-63B-4: 15 when the password is the only factor. No journey block adds a
    // second factor yet, so 15 is the floor; it drops to 8 once one exists.
    if lengths.min_length < 15 {
        return Err("`min_length` must be at least 15: the password is the only factor".into());
    }
    if lengths.max_length < 64 || lengths.max_length > 1024 {
        return Err("`max_length` must be between 64 and 1024".into());
    }
    if lengths.min_length > lengths.max_length {
        return Err("`min_length` must not exceed `max_length`".into());
    }
    Ok((lengths.min_length, lengths.max_length))
}

struct SetPassword {
    min: u32,
    max: u32,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let (min, max) = lengths(table)?;
    Ok(Box::new(SetPassword { min, max }))
}

impl Block for SetPassword {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["set"]
    }

    fn message_ids(&self) -> Vec<String> {
        new_password_message_ids("set-password-title")
            .into_iter()
            .chain([ACCOUNT_TAKEN.to_owned()])
            .collect()
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
        let email = cx.state.data.get("email").cloned();
        if let Some(msg) = refusal(cx, password, self.min, self.max) {
            cx.state.notes.push(Note::field_error("password", msg));
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        let (Some(email), false, Some("true")) = (
            email,
            cx.state.duplicate,
            cx.state.data.get("email_verified").map(String::as_str),
        ) else {
            return Err(EngineError::Inconsistent(
                "set_password needs a new, verified address".into(),
            ));
        };
        let subject = random_id(cx);
        let attributes = cx
            .state
            .data
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "email" | "email_verified"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        cx.effects.push(Effect::CreateAccount(NewAccount {
            subject: subject.clone(),
            email,
            attributes,
            password: Secret::new(password_policy::normalize(password)),
        }));
        cx.state.subject = Some(subject);
        cx.state.amr.push("pwd".into());
        Ok(Next::Go("set"))
    }

    fn requires(&self) -> &'static [Fact] {
        // It creates the account: only for a new, verified address.
        &[Fact::Email, Fact::EmailVerified, Fact::DuplicateChecked]
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, step: &str, _state: &FlowState, _now: i64) -> StepView {
        new_password_view(step, NAME, "set-password-title", self.min, self.max)
    }
}

/// Why a new password is refused, if it is: the policy of [`password_policy::check`] with the
/// words this flow's person and brand must not use.
pub(super) fn refusal(cx: &Cx<'_>, password: &str, min: u32, max: u32) -> Option<Msg> {
    if password.is_empty() {
        return Some(Msg::new("error-required"));
    }
    let words = Words {
        email: cx.state.data.get("email").map(String::as_str),
        names: ["given_name", "family_name"]
            .iter()
            .filter_map(|name| cx.state.data.get(*name).map(String::as_str))
            .collect(),
        protected: cx.protected_words(),
    };
    password_policy::check(password, min, max, &words)
        .err()
        .map(|refusal| match refusal {
            Refusal::InvalidCharacters => Msg::new("error-password-invalid-characters"),
            Refusal::TooShort => Msg::new("error-password-too-short").arg("min", min),
            Refusal::TooLong => Msg::new("error-password-too-long").arg("max", max),
            Refusal::Common => Msg::new("error-password-common"),
            Refusal::Personal => Msg::new("error-password-personal"),
            Refusal::Brand(brand) => Msg::new("error-password-brand").arg("brand", brand),
        })
}

/// The message ids of [`new_password_view`] and [`refusal`], with the step's `title`.
pub(super) fn new_password_message_ids(title: &str) -> Vec<String> {
    [
        title,
        "field-new-password",
        "field-new-password-hint",
        REVEAL_SHOW,
        REVEAL_HIDE,
        "action-set-password",
        "error-required",
        "error-password-too-short",
        "error-password-too-long",
        "error-password-common",
        "error-password-personal",
        "error-password-brand",
        "error-password-invalid-characters",
    ]
    .map(String::from)
    .to_vec()
}

/// The step that asks for a new password, shared by choosing one and resetting one.
pub(super) fn new_password_view(
    step: &str,
    block: &'static str,
    title: &str,
    min: u32,
    max: u32,
) -> StepView {
    StepView {
        step: step.to_owned(),
        block,
        title: Msg::new(title),
        kind: ViewKind::SetPassword {
            min_length: min,
            max_length: max,
        },
        fields: vec![FieldView {
            name: "password".into(),
            kind: FieldKind::Password,
            label: Msg::new("field-new-password"),
            required: true,
            autocomplete: Some("new-password"),
            min_length: Some(min),
            max_length: Some(max),
            hint: Some(Msg::new("field-new-password-hint").arg("min", min)),
            value: None,
            reveal: true,
            notes: Vec::new(),
        }],
        actions: vec![ActionView {
            id: "submit",
            primary: true,
            label: Msg::new("action-set-password"),
            submits_fields: true,
            available_in: None,
            hint: None,
        }],
        notes: Vec::new(),
    }
}
