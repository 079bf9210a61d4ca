//! `email_validation`: proves the person controls the collected address with a one-time code.
//!
//! ```text
//!   enter ──▶ code sent (or, for a taken address, a notice to its owner and a code nobody gets)
//!     │
//!     ├─ submit right code (not expired) ─────────────▶ outcome `verified`
//!     ├─ submit wrong code ── attempts < max ──▶ stay, "n tries left"
//!     │                    └─ attempts = max ──▶ outcome `too_many_attempts`
//!     └─ resend ── cool-down over and sends < max ──▶ new code, old one void, attempts reset
//! ```
//!
//! Codes are digits drawn from the call's entropy, stored only as a salted SHA-256, valid for
//! `code_ttl_seconds`, bound to this flow and single use (the flow moves on when one is right).
//! NIST SP 800-63B-4 3.1.3 and ASVS 6.5/6.6 set the defaults below.

use super::{Block, Fact, Memory, Values, mask_email, only_fields, settings};
use crate::runtime::{Cx, Effect, EngineError, FlowState, Next, Rejection};
use crate::view::{ActionView, Arg, FieldKind, FieldView, Msg, Note, StepView, ViewKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(super) const NAME: &str = "email_validation";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_code_length")]
    code_length: u8,
    #[serde(default = "default_ttl")]
    code_ttl_seconds: u32,
    #[serde(default = "default_max_attempts")]
    max_attempts: u8,
    #[serde(default = "default_cooldown")]
    resend_cooldown_seconds: u32,
    #[serde(default = "default_max_sends")]
    max_sends: u8,
}

fn default_code_length() -> u8 {
    6
}
fn default_ttl() -> u32 {
    600
}
fn default_max_attempts() -> u8 {
    5
}
fn default_cooldown() -> u32 {
    30
}
fn default_max_sends() -> u8 {
    3
}

/// The code currently out, as the flow remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeMemory {
    salt: String,
    hash: String,
    expires_at: i64,
    attempts: u8,
    sends: u8,
    resend_at: i64,
}

struct EmailValidation {
    settings: Settings,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if !(6..=10).contains(&settings.code_length) {
        return Err("`code_length` must be between 6 and 10".into());
    }
    if !(60..=600).contains(&settings.code_ttl_seconds) {
        return Err("`code_ttl_seconds` must be between 60 and 600 (at most 10 minutes)".into());
    }
    if !(1..=5).contains(&settings.max_attempts) {
        return Err("`max_attempts` must be between 1 and 5".into());
    }
    if settings.max_sends == 0 {
        return Err("`max_sends` must be at least 1".into());
    }
    Ok(Box::new(EmailValidation { settings }))
}

fn digest(salt: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{salt}:{code}").as_bytes()))
}

/// Compares two equal-length hex digests without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl EmailValidation {
    /// Draws a new code, remembers its digest and queues the message; voids any earlier code.
    fn send(&self, cx: &mut Cx<'_>, sends: u8) -> Result<(), EngineError> {
        let email = cx.state.data.get("email").cloned().ok_or_else(|| {
            EngineError::Inconsistent("email_validation runs before an email was collected".into())
        })?;
        let random = cx.random();
        let modulus = 10u64.pow(u32::from(self.settings.code_length));
        let mut wide = [0u8; 8];
        wide.copy_from_slice(&random[..8]);
        // 64 random bits modulo at most 10^10: the bias is below 2^-30.
        let code = format!(
            "{:0width$}",
            u64::from_le_bytes(wide) % modulus,
            width = usize::from(self.settings.code_length)
        );
        let salt = hex::encode(&random[8..24]);
        let now = cx.now();
        cx.state.memory = Memory::Code(CodeMemory {
            hash: digest(&salt, &code),
            salt,
            expires_at: now + i64::from(self.settings.code_ttl_seconds),
            attempts: 0,
            sends,
            resend_at: now + i64::from(self.settings.resend_cooldown_seconds),
        });
        let minutes = Arg::from(self.settings.code_ttl_seconds.div_ceil(60));
        let effect = if cx.state.duplicate {
            // The owner learns someone tried; the person registering gets nothing to type, and
            // sees exactly what a new address sees.
            Effect::SendEmail {
                to: email,
                template: "email-account-exists",
                args: Vec::new(),
            }
        } else {
            Effect::SendEmail {
                to: email,
                template: "email-verification-code",
                args: vec![
                    ("code".into(), Arg::Text(code)),
                    ("minutes".into(), minutes),
                ],
            }
        };
        cx.effects.push(effect);
        Ok(())
    }

    fn memory<'s>(&self, state: &'s FlowState) -> Result<&'s CodeMemory, EngineError> {
        match &state.memory {
            Memory::Code(memory) => Ok(memory),
            Memory::None => Err(EngineError::Inconsistent(
                "email_validation has no code".into(),
            )),
        }
    }
}

impl Block for EmailValidation {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        &["verified", "too_many_attempts"]
    }

    fn message_ids(&self) -> Vec<String> {
        [
            "email-validation-title",
            "email-validation-sent",
            "field-code",
            "field-code-hint",
            "action-verify",
            "action-resend",
            "action-resend-wait",
            "error-required",
            "error-code-format",
            "error-code-wrong",
            "error-code-expired",
            "error-resend-wait",
            "error-resend-limit",
            "note-code-resent",
            "email-verification-code-subject",
            "email-verification-code-body",
            "email-account-exists-subject",
            "email-account-exists-body",
        ]
        .map(String::from)
        .to_vec()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        self.send(cx, 1)?;
        Ok(Next::Stay)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        let memory = self.memory(cx.state)?.clone();
        let now = cx.now();
        match action {
            "submit" => {
                only_fields(values, &["code"])?;
                let code: String = values
                    .get("code")
                    .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
                    .unwrap_or_default();
                let error = |cx: &mut Cx<'_>, msg: Msg| {
                    cx.state.notes.push(Note::field_error("code", msg));
                    Ok(Next::Reject(Rejection::InvalidInput))
                };
                if code.is_empty() {
                    return error(cx, Msg::new("error-required"));
                }
                if code.len() != usize::from(self.settings.code_length)
                    || !code.bytes().all(|b| b.is_ascii_digit())
                {
                    return error(
                        cx,
                        Msg::new("error-code-format").arg("length", self.settings.code_length),
                    );
                }
                if now >= memory.expires_at {
                    return error(cx, Msg::new("error-code-expired"));
                }
                // A taken address never verifies here: its owner got a notice, not the code.
                if same(&digest(&memory.salt, &code), &memory.hash) && !cx.state.duplicate {
                    cx.state.data.insert("email_verified".into(), "true".into());
                    cx.state.amr.push("otp".into());
                    return Ok(Next::Go("verified"));
                }
                let attempts = memory.attempts.saturating_add(1);
                cx.state.memory = Memory::Code(CodeMemory { attempts, ..memory });
                if attempts >= self.settings.max_attempts {
                    return Ok(Next::Go("too_many_attempts"));
                }
                error(
                    cx,
                    Msg::new("error-code-wrong").arg("left", self.settings.max_attempts - attempts),
                )
            }
            "resend" => {
                only_fields(values, &["code"])?;
                if now < memory.resend_at {
                    let seconds = memory.resend_at - now;
                    cx.state.notes.push(Note::step_error(
                        Msg::new("error-resend-wait").arg("seconds", seconds),
                    ));
                    return Ok(Next::Reject(Rejection::RateLimited));
                }
                if memory.sends >= self.settings.max_sends {
                    cx.state
                        .notes
                        .push(Note::step_error(Msg::new("error-resend-limit")));
                    return Ok(Next::Reject(Rejection::RateLimited));
                }
                self.send(cx, memory.sends + 1)?;
                cx.state
                    .notes
                    .push(Note::success(Msg::new("note-code-resent")));
                Ok(Next::Stay)
            }
            other => Err(EngineError::UnknownAction(other.to_owned())),
        }
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Email]
    }

    fn provides(&self, outcome: &str) -> &'static [Fact] {
        if outcome == "verified" {
            &[Fact::EmailVerified]
        } else {
            &[]
        }
    }

    fn view(&self, step: &str, state: &FlowState, now: i64) -> StepView {
        let (attempts, resend_at, sends) = match &state.memory {
            Memory::Code(m) => (m.attempts, m.resend_at, m.sends),
            Memory::None => (0, now, 0),
        };
        let resend_in = u32::try_from((resend_at - now).max(0)).unwrap_or(u32::MAX);
        let email = state.data.get("email").map(String::as_str).unwrap_or("");
        let mut actions = vec![ActionView {
            id: "submit",
            primary: true,
            label: Msg::new("action-verify"),
            submits_fields: true,
            available_in: None,
            hint: None,
        }];
        if sends < self.settings.max_sends {
            actions.push(ActionView {
                id: "resend",
                primary: false,
                label: Msg::new("action-resend"),
                submits_fields: false,
                available_in: (resend_in > 0).then_some(resend_in),
                hint: (resend_in > 0)
                    .then(|| Msg::new("action-resend-wait").arg("seconds", resend_in)),
            });
        }
        let masked = mask_email(email);
        StepView {
            step: step.to_owned(),
            block: NAME,
            title: Msg::new("email-validation-title"),
            kind: ViewKind::EmailValidation {
                email_masked: masked.clone(),
                code_length: self.settings.code_length,
                attempts_left: self.settings.max_attempts.saturating_sub(attempts),
                resend_in,
            },
            fields: vec![FieldView {
                name: "code".into(),
                kind: FieldKind::OneTimeCode,
                label: Msg::new("field-code"),
                required: true,
                autocomplete: Some("one-time-code"),
                min_length: Some(u32::from(self.settings.code_length)),
                max_length: Some(u32::from(self.settings.code_length)),
                hint: Some(Msg::new("field-code-hint").arg("length", self.settings.code_length)),
                value: None,
                reveal: false,
                notes: Vec::new(),
            }],
            actions,
            notes: vec![Note {
                field: None,
                level: crate::view::Level::Info,
                msg: Msg::new("email-validation-sent")
                    .arg("email", masked)
                    .arg("minutes", self.settings.code_ttl_seconds.div_ceil(60)),
            }],
        }
    }
}
