//! `password_login`: identifier and password. The server checks the password (argon2id, a dummy
//! hash for unknown accounts, a per-identifier throttle) and answers; the block only knows
//! "verified", "rejected" or "throttled", so a wrong password and an unknown account look the
//! same. Outcome: `authenticated`. On a flow that already knows its account (a step-up after
//! `identify_by_email_code`) only that account's password counts.

use crate::kernel::{
    Answer, Block, Cx, EngineError, Example, Fact, Next, PasswordCheck, Query, Rejection, Secret,
    Values, ViewCx, field, only_fields, settings, step, submit_action,
};
use crate::password_policy;
use crate::text::{self, Problem};
use crate::throttle;
use journey_protocol::{
    BlockView, Field, FieldKind, MessageLevel, REVEAL_HIDE, REVEAL_SHOW, Reveal, Step, Text,
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
    let Settings {} = settings(table)?;
    Ok(Box::new(PasswordLogin))
}

/// Wrong password or no such account: the same words either way.
fn failed() -> Text {
    Text::msg("error-login-failed")
}

/// Too many failures for the identifier: wait `seconds`.
fn throttled(seconds: u32) -> Text {
    Text::msg("error-login-throttled").arg("seconds", seconds)
}

/// So many failures that the identifier is disabled until a password reset.
fn disabled() -> Text {
    Text::msg("error-login-disabled")
}

impl Block for PasswordLogin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["authenticated".into()]
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
        let mut refused = false;
        let email = text::required_email(raw_email).unwrap_or_else(|problem| {
            cx.field_error("email", problem.message());
            refused = true;
            String::new()
        });
        if password.is_empty() {
            cx.field_error("password", Text::msg("error-required"));
            refused = true;
        }
        if refused {
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
            cx.step_message(MessageLevel::Error, failed());
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
            // A step-up on a flow that knows its account must prove that account, not another:
            // someone else's password is a wrong one here.
            PasswordCheck::Verified { subject }
                if cx
                    .state
                    .subject
                    .as_ref()
                    .is_some_and(|known| *known != subject) =>
            {
                cx.step_message(MessageLevel::Error, failed());
                Ok(Next::Reject(Rejection::InvalidInput))
            }
            PasswordCheck::Verified { subject } => {
                cx.state.subject = Some(subject);
                cx.state.amr.push("pwd".into());
                Ok(Next::go("authenticated"))
            }
            PasswordCheck::Rejected => {
                cx.step_message(MessageLevel::Error, failed());
                Ok(Next::Reject(Rejection::InvalidInput))
            }
            PasswordCheck::Throttled { retry_in } if throttle::is_disabled(retry_in) => {
                cx.step_message(MessageLevel::Error, disabled());
                Ok(Next::Reject(Rejection::RateLimited))
            }
            PasswordCheck::Throttled { retry_in } => {
                cx.step_message(MessageLevel::Error, throttled(retry_in));
                Ok(Next::Reject(Rejection::RateLimited))
            }
        }
    }

    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[Fact::Subject]
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let title = Text::msg("password-login-title");
        let mut step = step(cx.step(), NAME, title, BlockView::PasswordLogin {});
        step.fields = vec![
            Field {
                autocomplete: Some("username".into()),
                max_length: Some(254),
                ..field("email", FieldKind::Email, "field-email")
            },
            Field {
                autocomplete: Some("current-password".into()),
                reveal: Some(Reveal::standard()),
                ..field("password", FieldKind::Password, "field-password")
            },
        ];
        step.actions.push(submit_action("action-sign-in"));
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        let tried = |name| Example::new(name, NAME).echo("email", "jane.doe@example.com");
        Ok(vec![
            Example::new("empty", NAME),
            Example::new("field_errors", NAME)
                .echo("email", "jane.doe@example")
                .field_error("email", Problem::EmailInvalid.message())
                .field_error("password", Text::msg("error-required")),
            tried("wrong_password").step_message(MessageLevel::Error, failed()),
            tried("throttled").step_message(MessageLevel::Error, throttled(16)),
            tried("locked_out").step_message(MessageLevel::Error, disabled()),
        ])
    }
}
