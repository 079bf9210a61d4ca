//! `set_password`: the person chooses a password; the flow's account is created with it.
//!
//! Registration creates the account here, from the attributes collected and the address
//! verified earlier, so an account never exists without a password and a verified address. A
//! flow whose address belongs to an existing account can never get here (its code went
//! nowhere), and the block refuses to act for one all the same. The step itself is the shared
//! new-password step (`new_password.rs`). Outcome: `set`.
//!
//! On a flow that already knows its account (signed in by `identify_by_email_code`, whose
//! account has no password) the block gives that account its first password instead
//! ([`Effect::SetFirstPassword`]). It asks the server first whether the account has one
//! ([`Query::HasPassword`]); if it has, the flow ends with [`PASSWORD_EXISTS`] and nothing is
//! overwritten (changing a password is recovery's or a re-authenticated change's, never this
//! block's). A journey that only needs the account to have a password (buying insurance) says
//! `existing = "keep"`: an account with one keeps it and the flow goes on as `set`, without
//! asking. Setting a password is not signing in with it: neither path adds `pwd` to the
//! methods used (nor does `reset_password`), so it raises no level of assurance by itself; a
//! later `password_login` does.
//!
//! When the server finds, on saving, that another flow created the account for the same
//! address meanwhile, it ends the flow here with [`ACCOUNT_TAKEN`] (`account_taken` example).

use crate::kernel::{
    Answer, Block, Cx, Effect, EngineError, Example, Fact, NewAccount, Next, Owner, Query,
    Rejection, Secret, Values, ViewCx, only_fields,
};
use crate::new_password::{self, Bounds};
use crate::password_policy;
use journey_protocol::{MessageLevel, Step, Text};

pub(super) const NAME: &str = "set_password";

/// Why a registration ends when its account was created meanwhile by another flow.
pub const ACCOUNT_TAKEN: &str = "error-account-taken";

/// Why a flow that knows its account ends here: the account has a password already.
pub const PASSWORD_EXISTS: &str = "error-password-exists";

const TITLE: &str = "set-password-title";

struct SetPassword {
    bounds: Bounds,
    /// Whether an account that has a password keeps it and the flow goes on (`existing =
    /// "keep"`), rather than ending with [`PASSWORD_EXISTS`] (`"fail"`, the default).
    keep_existing: bool,
}

pub(super) fn build(mut table: toml::Table) -> Result<Box<dyn Block>, String> {
    // `existing` is this block's; every other setting is the new password's bounds.
    let keep_existing = match table.remove("existing") {
        None => false,
        Some(toml::Value::String(s)) if s == "fail" => false,
        Some(toml::Value::String(s)) if s == "keep" => true,
        Some(other) => {
            return Err(format!(
                "`existing = {other}`: use \"keep\" (an account's password stays and the flow \
                 goes on) or \"fail\" (the flow ends)"
            ));
        }
    };
    Ok(Box::new(SetPassword {
        bounds: Bounds::from_settings(table)?,
        keep_existing,
    }))
}

impl Block for SetPassword {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["set".into()]
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = new_password::message_ids(TITLE);
        ids.push(ACCOUNT_TAKEN.to_owned());
        ids.push(PASSWORD_EXISTS.to_owned());
        ids
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let Some(subject) = cx.state.subject.clone() else {
            return Ok(Next::Stay);
        };
        let email = cx.state.required_attribute("email", NAME)?;
        Ok(Next::Ask(Query::HasPassword { email, subject }))
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        match answer {
            Answer::HasPassword(false) => Ok(Next::Stay),
            Answer::HasPassword(true) if self.keep_existing => Ok(Next::go("set")),
            Answer::HasPassword(true) => {
                cx.step_message(MessageLevel::Error, Text::msg(PASSWORD_EXISTS));
                Ok(Next::Fail)
            }
            _ => Err(EngineError::UnexpectedAnswer),
        }
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
        let password = Secret::new(password_policy::normalize(password));
        if let Some(subject) = cx.state.subject.clone() {
            // The account is known and had no password when the step was entered.
            cx.effect(Effect::SetFirstPassword { subject, password });
            return Ok(Next::go("set"));
        }
        let state = &cx.state;
        let taken = matches!(
            state.owner("email"),
            Some(Owner::Someone | Owner::Account { .. })
        );
        let (Some(email), false, true) = (
            state.attribute("email").map(str::to_owned),
            taken,
            state.is_verified("email"),
        ) else {
            return Err(EngineError::Inconsistent(
                "set_password needs a new, verified address".into(),
            ));
        };
        let attributes = state
            .data
            .iter()
            .filter(|(name, _)| name.as_str() != "email")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let subject = cx.random_id();
        cx.effect(Effect::CreateAccount(NewAccount {
            subject: subject.clone(),
            email,
            attributes,
            password: Some(password),
        }));
        // Choosing a password is not signing in with it (no `pwd`), as for a first password.
        cx.state.subject = Some(subject);
        Ok(Next::go("set"))
    }

    fn requires(&self) -> &'static [Fact] {
        // It creates the account: only for a new, verified address.
        &[Fact::Email, Fact::EmailVerified, Fact::DuplicateChecked]
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(new_password::view(cx, NAME, TITLE, self.bounds))
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let mut examples = new_password::examples(NAME, self.bounds)?;
        examples.push(
            Example::new("account_taken", NAME)
                .attribute("email", "jane.doe@example.com")
                .step_message(MessageLevel::Error, Text::msg(ACCOUNT_TAKEN))
                .failed(),
        );
        examples.push(
            Example::new("password_exists", NAME)
                .attribute("email", "jane.doe@example.com")
                .step_message(MessageLevel::Error, Text::msg(PASSWORD_EXISTS))
                .failed(),
        );
        Ok(examples)
    }
}
