//! `password_login`: identifier and password. The server checks the password (argon2id, a dummy
//! hash for unknown accounts, a per-identifier throttle) and answers; the block only knows
//! "verified", "rejected" or "throttled", so a wrong password and an unknown account look the
//! same. Outcome: `authenticated`.

use super::password_policy;
use super::{Block, Fact, Values, only_fields, settings};
use crate::runtime::{
    Answer, Cx, EngineError, FlowState, Next, PasswordCheck, Query, Rejection, Secret,
};
use crate::text::{self, Problem};
use crate::throttle;
use crate::view::{
    ActionView, FieldKind, FieldView, Msg, Note, REVEAL_HIDE, REVEAL_SHOW, StepView, ViewKind,
};
use serde::Deserialize;

pub(super) const NAME: &str = "password_login";

/// The longest password checked; longer ones are refused before hashing.
const MAX_PASSWORD: usize = 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {}

struct PasswordLogin;

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let _: Settings = settings(table)?;
    Ok(Box::new(PasswordLogin))
}

impl Block for PasswordLogin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["authenticated"]
    }

    fn message_ids(&self) -> Vec<String> {
        [
            "password-login-title",
            "field-email",
            "field-password",
            REVEAL_SHOW,
            REVEAL_HIDE,
            "action-sign-in",
            "error-login-failed",
            "error-login-throttled",
            "error-login-disabled",
        ]
        .into_iter()
        .chain(Problem::MESSAGE_IDS)
        .map(String::from)
        .collect()
    }

    fn enter(&self, _cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        if action != "submit" {
            return Err(EngineError::UnknownAction(action.to_owned()));
        }
        only_fields(values, &["email", "password"])?;
        let raw_email = values.get("email").map(String::as_str).unwrap_or("");
        let password = values.get("password").map(String::as_str).unwrap_or("");
        let mut notes = Vec::new();
        let email = text::required_email(raw_email).unwrap_or_else(|problem| {
            notes.push(Note::field_error("email", problem.message()));
            String::new()
        });
        if password.is_empty() {
            notes.push(Note::field_error("password", Msg::new("error-required")));
        }
        if !notes.is_empty() {
            cx.state.notes = notes;
            let echo = if email.is_empty() { raw_email } else { &email };
            cx.state
                .echo
                .insert("email".into(), echo.chars().take(254).collect());
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        cx.state.echo.insert("email".into(), email.clone());
        // Such a password cannot be right (set_password refuses control characters and lengths
        // beyond 1024): answer as for any wrong password, without hashing. The answer does not
        // depend on the account, so it tells nothing about it.
        if password.chars().count() > MAX_PASSWORD || password.chars().any(char::is_control) {
            cx.state
                .notes
                .push(Note::step_error(Msg::new("error-login-failed")));
            return Ok(Next::Reject(Rejection::InvalidInput));
        }
        Ok(Next::Ask(Query::VerifyPassword {
            identifier: email,
            password: Secret::new(password_policy::normalize(password)),
        }))
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let Answer::Password(check) = answer else {
            return Err(EngineError::UnexpectedAnswer);
        };
        match check {
            PasswordCheck::Verified { subject } => {
                cx.state.subject = Some(subject);
                cx.state.amr.push("pwd".into());
                Ok(Next::Go("authenticated"))
            }
            PasswordCheck::Rejected => {
                cx.state
                    .notes
                    .push(Note::step_error(Msg::new("error-login-failed")));
                Ok(Next::Reject(Rejection::InvalidInput))
            }
            PasswordCheck::Throttled { retry_in } if throttle::is_disabled(retry_in) => {
                cx.state
                    .notes
                    .push(Note::step_error(Msg::new("error-login-disabled")));
                Ok(Next::Reject(Rejection::RateLimited))
            }
            PasswordCheck::Throttled { retry_in } => {
                cx.state.notes.push(Note::step_error(
                    Msg::new("error-login-throttled").arg("seconds", retry_in),
                ));
                Ok(Next::Reject(Rejection::RateLimited))
            }
        }
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, step: &str, _state: &FlowState, _now: i64) -> StepView {
        let field = |name: &str, kind, label: &str, autocomplete, max_length, reveal| FieldView {
            name: name.into(),
            kind,
            label: Msg::new(label),
            required: true,
            autocomplete: Some(autocomplete),
            min_length: None,
            max_length,
            hint: None,
            value: None,
            reveal,
            notes: Vec::new(),
        };
        StepView {
            step: step.to_owned(),
            block: NAME,
            title: Msg::new("password-login-title"),
            kind: ViewKind::PasswordLogin,
            fields: vec![
                field(
                    "email",
                    FieldKind::Email,
                    "field-email",
                    "username",
                    Some(254),
                    false,
                ),
                field(
                    "password",
                    FieldKind::Password,
                    "field-password",
                    "current-password",
                    None,
                    true,
                ),
            ],
            actions: vec![ActionView {
                id: "submit",
                primary: true,
                label: Msg::new("action-sign-in"),
                submits_fields: true,
                available_in: None,
                hint: None,
            }],
            notes: Vec::new(),
        }
    }
}
