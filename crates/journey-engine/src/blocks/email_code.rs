//! `email_validation`: proves the person controls the collected address with a one-time code.
//!
//! ```text
//!   enter ──ask: may a message go to the address?──▶ yes: code sent (for a taken address, a
//!     │                                                   notice to its owner and a code nobody gets)
//!     │                                              no:  no live code; "too many messages"
//!     ├─ submit code ──ask: may a guess for the address be checked?
//!     │                 ├─ no (10 an hour, 100 a day across all flows) ──▶ stay, "try again later"
//!     │                 └─ yes: right code (not expired) ──▶ outcome `verified` (guess given back)
//!     │                         wrong ── attempts < max ──▶ stay, "n tries left"
//!     │                               └─ attempts = max ──▶ outcome `too_many_attempts`
//!     └─ resend ── cool-down over and sends < max ──ask──▶ new code, old one void, attempts reset
//! ```
//!
//! Codes are digits drawn from the call's entropy, stored only as a salted SHA-256, valid for
//! `code_ttl_seconds`, bound to this flow and single use (the flow moves on when one is right).
//! Guesses count twice: per flow (`max_attempts`) and per address across every flow, so opening
//! more flows brings fresh codes but no fresh guesses. With `purpose = "recovery"` (after
//! `find_account`) the roles of the two emails swap: the code goes only to an address that has
//! an account, and an address without one gets a notice that looks the same to the flow. NIST SP 800-63B-4 3.1.3 and ASVS 6.5/6.6
//! set the defaults below.

use super::{Block, Fact, Memory, Values, mask_email, only_fields, settings};
use crate::runtime::{Answer, Cx, Effect, EngineError, FlowState, Next, Query, Rejection};
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
    #[serde(default)]
    purpose: Purpose,
}

/// Whose code this is: a new account's, or an existing account's (recovery).
#[derive(Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Purpose {
    /// Registration: the code goes to an address without an account; the owner of a taken
    /// address gets a notice instead.
    #[default]
    Registration,
    /// Recovery: the code goes to an address with an account (after `find_account`); an
    /// address without one gets a notice instead.
    Recovery,
}

impl Purpose {
    /// The message id prefixes of the code email and of the notice sent instead.
    fn templates(self) -> (&'static str, &'static str) {
        match self {
            Self::Registration => ("email-verification-code", "email-account-exists"),
            Self::Recovery => ("email-recovery-code", "email-recovery-unknown"),
        }
    }
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
    /// The digest of the live code; `None` when no code is live (the message was refused by
    /// the per-recipient cap), so no guess can be right.
    hash: Option<String>,
    expires_at: i64,
    attempts: u8,
    sends: u8,
    resend_at: i64,
    /// What the block asked the server and waits for, within one request; never saved.
    #[serde(skip)]
    pending: Option<Pending>,
}

/// The question the block is waiting on.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pending {
    /// May message number `sends` go out? `resend` when the person asked for it.
    Send { sends: u8, resend: bool },
    /// May this well-formed code be compared?
    Guess { code: String },
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
    /// Whether the code may verify: a registration's address must be new, a recovery's must
    /// have an account. Otherwise the address got a notice and the code goes nowhere.
    fn owner_gets_code(&self, state: &FlowState) -> bool {
        match self.settings.purpose {
            Purpose::Registration => !state.duplicate,
            Purpose::Recovery => state.account.is_some(),
        }
    }

    /// The account whose guesses count too, when the flow knows it.
    fn subject(&self, state: &FlowState) -> Option<String> {
        match self.settings.purpose {
            Purpose::Registration => None,
            Purpose::Recovery => state.account.clone(),
        }
    }

    fn email(state: &FlowState) -> Result<String, EngineError> {
        state.data.get("email").cloned().ok_or_else(|| {
            EngineError::Inconsistent("email_validation runs before an email was collected".into())
        })
    }

    /// Asks whether message number `sends` may go to the address; [`Self::answer`] sends it.
    fn ask_to_send(&self, cx: &mut Cx<'_>, sends: u8, resend: bool) -> Result<Next, EngineError> {
        let to = Self::email(cx.state)?;
        let now = cx.now();
        let memory = match &cx.state.memory {
            Memory::Code(memory) => CodeMemory {
                pending: Some(Pending::Send { sends, resend }),
                ..memory.clone()
            },
            Memory::None => CodeMemory {
                salt: String::new(),
                hash: None,
                expires_at: now,
                attempts: 0,
                sends: 0,
                resend_at: now,
                pending: Some(Pending::Send { sends, resend }),
            },
        };
        cx.state.memory = Memory::Code(memory);
        Ok(Next::Ask(Query::MessageAllowed {
            channel: "email",
            to,
        }))
    }

    /// Draws a new code, remembers its digest and queues the message; voids any earlier code.
    fn send(&self, cx: &mut Cx<'_>, sends: u8) -> Result<(), EngineError> {
        let email = Self::email(cx.state)?;
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
        let expires_at = now + i64::from(self.settings.code_ttl_seconds);
        cx.state.memory = Memory::Code(CodeMemory {
            hash: Some(digest(&salt, &code)),
            salt,
            expires_at,
            attempts: 0,
            sends,
            resend_at: now + i64::from(self.settings.resend_cooldown_seconds),
            pending: None,
        });
        let minutes = Arg::from(self.settings.code_ttl_seconds.div_ceil(60));
        let (code_template, notice_template) = self.settings.purpose.templates();
        let effect = if !self.owner_gets_code(cx.state) {
            // The address's owner learns someone tried; the person in the flow gets nothing to
            // type, and sees exactly what they would see otherwise.
            Effect::SendEmail {
                to: email,
                template: notice_template,
                args: Vec::new(),
                expires_at: None,
            }
        } else {
            Effect::SendEmail {
                to: email,
                template: code_template,
                args: vec![
                    ("code".into(), Arg::Text(code)),
                    ("minutes".into(), minutes),
                ],
                expires_at: Some(expires_at),
            }
        };
        cx.effects.push(effect);
        Ok(())
    }

    /// The message was refused by the per-recipient cap: no code is live, and the person is
    /// told to wait. An earlier code is void all the same, as after any resend.
    fn refused(&self, cx: &mut Cx<'_>, memory: CodeMemory) {
        let now = cx.now();
        cx.state.memory = Memory::Code(CodeMemory {
            hash: None,
            attempts: 0,
            resend_at: now + i64::from(self.settings.resend_cooldown_seconds),
            pending: None,
            ..memory
        });
        cx.state
            .notes
            .push(Note::step_error(Msg::new("error-message-cap")));
    }

    /// Compares a code the server allowed to be checked.
    fn check(&self, cx: &mut Cx<'_>, memory: CodeMemory, code: &str) -> Result<Next, EngineError> {
        let right = memory
            .hash
            .as_deref()
            .is_some_and(|hash| same(&digest(&memory.salt, code), hash));
        // An address that got a notice never verifies here: nobody got its code.
        if right && self.owner_gets_code(cx.state) {
            cx.state.memory = Memory::Code(CodeMemory {
                pending: None,
                ..memory
            });
            cx.effects.push(Effect::CodeAccepted {
                address: Self::email(cx.state)?,
                subject: self.subject(cx.state),
            });
            cx.state.data.insert("email_verified".into(), "true".into());
            cx.state.amr.push("otp".into());
            return Ok(Next::Go("verified"));
        }
        let attempts = memory.attempts.saturating_add(1);
        cx.state.memory = Memory::Code(CodeMemory {
            attempts,
            pending: None,
            ..memory
        });
        cx.effects.push(Effect::CodeFailed {
            address: Self::email(cx.state)?,
            locked: attempts >= self.settings.max_attempts,
        });
        if attempts >= self.settings.max_attempts {
            return Ok(Next::Go("too_many_attempts"));
        }
        cx.state.notes.push(Note::field_error(
            "code",
            Msg::new("error-code-wrong").arg("left", self.settings.max_attempts - attempts),
        ));
        Ok(Next::Reject(Rejection::InvalidInput))
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
            "error-code-paused",
            "error-message-cap",
            "error-resend-wait",
            "error-resend-limit",
            "note-code-resent",
        ]
        .map(String::from)
        .into_iter()
        .chain({
            let (code, notice) = self.settings.purpose.templates();
            [code, notice]
                .into_iter()
                .flat_map(|t| [format!("{t}-subject"), format!("{t}-body")])
        })
        .collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        self.ask_to_send(cx, 1, false)
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
                if now >= memory.expires_at && memory.hash.is_some() {
                    return error(cx, Msg::new("error-code-expired"));
                }
                // Only the server knows how many guesses the address had in other flows.
                let address = Self::email(cx.state)?;
                cx.state.memory = Memory::Code(CodeMemory {
                    pending: Some(Pending::Guess { code }),
                    ..memory
                });
                Ok(Next::Ask(Query::CodeGuess {
                    address,
                    subject: self.subject(cx.state),
                }))
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
                self.ask_to_send(cx, memory.sends + 1, true)
            }
            other => Err(EngineError::UnknownAction(other.to_owned())),
        }
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let memory = self.memory(cx.state)?.clone();
        match (memory.pending.clone(), answer) {
            (Some(Pending::Send { sends, resend }), Answer::MessageAllowed(allowed)) => {
                if allowed {
                    self.send(cx, sends)?;
                    if resend {
                        cx.state
                            .notes
                            .push(Note::success(Msg::new("note-code-resent")));
                    }
                    return Ok(Next::Stay);
                }
                self.refused(cx, memory);
                // Arriving at the step is not refused (the flow moved on); a resend is.
                Ok(if resend {
                    Next::Reject(Rejection::RateLimited)
                } else {
                    Next::Stay
                })
            }
            (Some(Pending::Guess { code }), Answer::CodeGuess(None)) => {
                self.check(cx, memory, &code)
            }
            (Some(Pending::Guess { .. }), Answer::CodeGuess(Some(retry_in))) => {
                // Not compared, so it costs the flow no attempt; the same answer whether or not
                // an account has the address.
                cx.state.memory = Memory::Code(CodeMemory {
                    pending: None,
                    ..memory
                });
                cx.state.notes.push(Note::field_error(
                    "code",
                    Msg::new("error-code-paused").arg("minutes", retry_in.div_ceil(60).max(1)),
                ));
                Ok(Next::Reject(Rejection::RateLimited))
            }
            _ => Err(EngineError::UnexpectedAnswer),
        }
    }

    fn requires(&self) -> &'static [Fact] {
        match self.settings.purpose {
            Purpose::Registration => &[Fact::Email],
            Purpose::Recovery => &[Fact::Email, Fact::AccountLookedUp],
        }
    }

    fn provides(&self, outcome: &str) -> &'static [Fact] {
        match (outcome, self.settings.purpose) {
            ("verified", Purpose::Registration) => &[Fact::EmailVerified],
            ("verified", Purpose::Recovery) => &[Fact::EmailVerified, Fact::AccountAddressVerified],
            _ => &[],
        }
    }

    fn view(&self, step: &str, state: &FlowState, now: i64) -> StepView {
        let (attempts, resend_at, sends, live) = match &state.memory {
            Memory::Code(m) => (m.attempts, m.resend_at, m.sends, m.hash.is_some()),
            Memory::None => (0, now, 0, false),
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
            // Nothing was sent when the per-recipient cap refused the message; the step's error
            // note says so instead.
            notes: live
                .then(|| Note {
                    field: None,
                    level: crate::view::Level::Info,
                    msg: Msg::new("email-validation-sent")
                        .arg("email", masked)
                        .arg("minutes", self.settings.code_ttl_seconds.div_ceil(60)),
                })
                .into_iter()
                .collect(),
        }
    }
}
