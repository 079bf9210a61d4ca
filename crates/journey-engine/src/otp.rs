//! One-time codes sent to a person: the one implementation that the email blocks and
//! `phone_number_verification` (SMS and voice) use, and authenticator-app blocks will use later.
//!
//! A code is digits drawn from the call's entropy ([`crate::kernel::Cx::random`]), stored only
//! as a salted SHA-256 ([`CodeMemory`]: the step's whole memory, or one part of a block's own
//! memory type through [`CodeSlot`]), valid for the [`Policy`]'s time to
//! live, bound to its flow and single use (the flow moves on when one is right). Guesses count
//! twice: per flow (`max_attempts`) and per address across every flow, through the quota query
//! [`Query::CodeGuess`] asked before any comparison, so opening more flows brings fresh codes
//! but no fresh guesses. Every message first asks [`Query::MessageAllowed`] (messages per
//! recipient across all flows); a refused message leaves no live code.
//!
//! ```text
//!   enter ──ask: may a message go to the address?──▶ yes: code sent (or, when the address's
//!     │                                                   owner must not get one, a notice)
//!     │                                              no:  no live code; "too many messages"
//!     ├─ submit code ──ask: may a guess for the address be checked?
//!     │                 ├─ no (10 an hour, 100 a day across all flows) ──▶ stay, "try again later"
//!     │                 └─ yes: right code (not expired) ──▶ Verdict::Verified (guess given back)
//!     │                         wrong ── attempts < max ──▶ stay, "n tries left"
//!     │                               └─ attempts = max ──▶ Verdict::Locked
//!     └─ resend ── cool-down over and sends < max ──ask──▶ new code, old one void, attempts reset
//! ```
//!
//! The block that uses this module says, for each call, where the code goes and whether its
//! recipient may get it ([`Delivery`]); the channel is part of every message it sends. A block
//! that asks for the recipient itself (a phone number) sends the first code with
//! [`ask_to_send`] once it has one, after [`resend_refused`] (a second number is a resend).
//! NIST SP 800-63B-4 3.1.3 and ASVS 6.5/6.6 set the defaults of [`Policy`].

use crate::kernel::{
    Answer, Channel, Cx, Effect, EngineError, Next, Query, Rejection, Values, action, field,
    only_fields, settings,
};
use journey_protocol::{Action, ActionKind, Args, Field, FieldKind, MessageLevel, Text};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How the codes of one step behave, from its settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Policy {
    /// Digits per code.
    #[serde(default = "default_code_length")]
    pub code_length: u8,
    /// How long a code is valid.
    #[serde(default = "default_ttl")]
    pub code_ttl_seconds: u32,
    /// Wrong guesses per code before the step locks.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u8,
    /// How long after a message the next may be asked for.
    #[serde(default = "default_cooldown")]
    pub resend_cooldown_seconds: u32,
    /// Messages per step, the first included.
    #[serde(default = "default_max_sends")]
    pub max_sends: u8,
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

impl Policy {
    /// Parses and checks the code settings of a step.
    pub(crate) fn from_settings(table: toml::Table) -> Result<Self, String> {
        let policy: Self = settings(table)?;
        if !(6..=10).contains(&policy.code_length) {
            return Err("`code_length` must be between 6 and 10".into());
        }
        if !(60..=600).contains(&policy.code_ttl_seconds) {
            return Err(
                "`code_ttl_seconds` must be between 60 and 600 (at most 10 minutes)".into(),
            );
        }
        if !(1..=5).contains(&policy.max_attempts) {
            return Err("`max_attempts` must be between 1 and 5".into());
        }
        if policy.max_sends == 0 {
            return Err("`max_sends` must be at least 1".into());
        }
        Ok(policy)
    }

    /// The time to live in whole minutes, rounded up, as the texts say it.
    pub(crate) fn minutes(&self) -> u32 {
        self.code_ttl_seconds.div_ceil(60)
    }
}

/// The message ids this module shows instead of two of [`MESSAGE_IDS`] when the code goes to
/// a phone number.
pub(crate) const PHONE_MESSAGE_IDS: &[&str] =
    &["error-code-paused-phone", "error-message-cap-phone"];

/// Every message id this module shows on a step.
pub(crate) const MESSAGE_IDS: &[&str] = &[
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
];

/// The code currently out, as the step remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CodeMemory {
    salt: String,
    /// The digest of the live code; `None` when no code is live (nothing sent yet, or the
    /// message was refused by the per-recipient cap), so no guess can be right.
    hash: Option<String>,
    expires_at: i64,
    attempts: u8,
    sends: u8,
    resend_at: i64,
}

impl CodeMemory {
    /// Nothing sent yet.
    pub(crate) fn unsent(now: i64) -> Self {
        Self {
            salt: String::new(),
            hash: None,
            expires_at: now,
            attempts: 0,
            sends: 0,
            resend_at: now,
        }
    }

    /// A fresh code drawn for message number `sends`: the memory that replaces any earlier code,
    /// and the code itself, which only the message carries.
    pub(crate) fn draw(policy: &Policy, cx: &mut Cx<'_>, sends: u8) -> (Self, String) {
        let random = cx.random();
        let modulus = 10u64.pow(u32::from(policy.code_length));
        let mut wide = [0u8; 8];
        wide.copy_from_slice(&random[..8]);
        // 64 random bits modulo at most 10^10: the bias is below 2^-30.
        let code = format!(
            "{:0width$}",
            u64::from_le_bytes(wide) % modulus,
            width = usize::from(policy.code_length)
        );
        let salt = hex::encode(&random[8..24]);
        let now = cx.now();
        let memory = Self {
            hash: Some(digest(&salt, &code)),
            salt,
            expires_at: now + i64::from(policy.code_ttl_seconds),
            attempts: 0,
            sends,
            resend_at: now + i64::from(policy.resend_cooldown_seconds),
        };
        (memory, code)
    }

    /// The code is given up (the person will give another recipient): no code is live, and
    /// the messages sent and the cool-down stay, so a new recipient gets no fresh budget.
    pub(crate) fn voided(self) -> Self {
        Self {
            hash: None,
            attempts: 0,
            ..self
        }
    }

    /// How many messages the step has sent.
    pub(crate) fn sends(&self) -> u8 {
        self.sends
    }

    /// The message was refused by the per-recipient cap: no code is live, and the next may be
    /// asked for after the cool-down. An earlier code is void all the same, as after any resend.
    pub(crate) fn refused(self, policy: &Policy, now: i64) -> Self {
        Self {
            hash: None,
            attempts: 0,
            resend_at: now + i64::from(policy.resend_cooldown_seconds),
            ..self
        }
    }

    /// One more wrong guess.
    pub(crate) fn failed(self) -> Self {
        Self {
            attempts: self.attempts.saturating_add(1),
            ..self
        }
    }

    /// Whether a code is live (it may still have expired).
    pub(crate) fn is_live(&self) -> bool {
        self.hash.is_some()
    }

    /// Whether the live code has expired.
    pub(crate) fn is_expired(&self, now: i64) -> bool {
        self.is_live() && now >= self.expires_at
    }

    /// Whether `guess` is the live code, compared without an early exit.
    pub(crate) fn matches(&self, guess: &str) -> bool {
        self.hash
            .as_deref()
            .is_some_and(|hash| same(&digest(&self.salt, guess), hash))
    }

    /// Wrong guesses the live code still allows.
    pub(crate) fn attempts_left(&self, policy: &Policy) -> u8 {
        policy.max_attempts.saturating_sub(self.attempts)
    }

    /// Seconds until another message may be asked for.
    pub(crate) fn resend_in(&self, now: i64) -> u32 {
        u32::try_from((self.resend_at - now).max(0)).unwrap_or(u32::MAX)
    }

    /// Whether the step offers another message at all.
    pub(crate) fn may_resend(&self, policy: &Policy) -> bool {
        self.sends < policy.max_sends
    }

    /// The memory of an example: `sends` messages out, `attempts` wrong guesses, the last code
    /// sent `ago` seconds before `now` (no real code: examples never verify).
    pub(crate) fn example(policy: &Policy, now: i64, sends: u8, attempts: u8, ago: i64) -> Self {
        Self {
            salt: "example".into(),
            hash: Some(digest("example", "")),
            expires_at: now - ago + i64::from(policy.code_ttl_seconds),
            attempts,
            sends,
            resend_at: now - ago + i64::from(policy.resend_cooldown_seconds),
        }
    }
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

/// Where the code of one call goes, as the block using this module decides it.
pub(crate) struct Delivery {
    /// How it goes out.
    pub channel: Channel,
    /// The normalised address or number.
    pub to: String,
    /// The message id prefix of the message with the code (`{template}-subject`, `-body`).
    pub code_template: &'static str,
    /// The message id prefix of the notice sent instead of a code.
    pub notice_template: &'static str,
    /// Whether the recipient may get the code. When not (a registration for an address that
    /// has an account, a recovery for one that has none), the recipient gets the notice, the
    /// person in the flow sees exactly what they would see otherwise, and no guess verifies.
    pub gets_code: bool,
    /// The account whose guesses count too, when the flow knows it.
    pub subject: Option<String>,
}

/// A step memory that holds the step's code: [`CodeMemory`] itself (the email blocks, whose
/// memory is nothing else) or a block's own memory with the code beside what else it keeps.
pub(crate) trait CodeSlot: Serialize + DeserializeOwned {
    /// The code.
    fn code(&self) -> &CodeMemory;
    /// Replaces the code.
    fn set_code(&mut self, code: CodeMemory);
}

impl CodeSlot for CodeMemory {
    fn code(&self) -> &CodeMemory {
        self
    }

    fn set_code(&mut self, code: CodeMemory) {
        *self = code;
    }
}

/// Why a message is asked for, which decides what the person is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reason {
    /// The flow arrived at the step: a refusal refuses nothing the person did.
    Arrival,
    /// The person asked for another code (`resend`, or another channel): a refusal refuses
    /// the submission, and a sent one says the previous code no longer works.
    Resend,
    /// The person gave the recipient (a phone number): a refusal refuses the submission.
    Submitted,
}

/// What the block waits for while the server answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Pending {
    /// May message number `sends` go out, and why was it asked for?
    Send { sends: u8, reason: Reason },
    /// May this well-formed code be compared?
    Guess { code: String },
}

/// How an answer about a code ends.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// The right code: the block records what it proves and moves on.
    Verified,
    /// The last wrong guess the step allows.
    Locked,
    /// Anything else, decided here.
    Next(Next),
}

/// The step's memory with its code, which every call after `enter` has.
fn memory<M: CodeSlot>(cx: &Cx<'_>) -> Result<M, EngineError> {
    cx.memory()?
        .ok_or_else(|| EngineError::Inconsistent("a code step has no code".into()))
}

/// Arrives at a step whose memory is only the code: asks whether the first message may go.
pub(crate) fn enter(cx: &mut Cx<'_>, delivery: &Delivery) -> Result<Next, EngineError> {
    let now = cx.now();
    cx.set_memory(&CodeMemory::unsent(now))?;
    ask_to_send(cx, delivery, 1, Reason::Arrival)
}

/// Asks whether message number `sends` may go to the delivery's recipient; the answer goes
/// to [`answer`]. The step's memory must hold its code by then.
pub(crate) fn ask_to_send(
    cx: &mut Cx<'_>,
    delivery: &Delivery,
    sends: u8,
    reason: Reason,
) -> Result<Next, EngineError> {
    let query = Query::MessageAllowed {
        channel: delivery.channel,
        to: delivery.to.clone(),
    };
    cx.ask(query, &Pending::Send { sends, reason })
}

/// Refuses another message while the cool-down runs or once the step sent its last one, with
/// the step message that says so; `None` when another may be asked for.
pub(crate) fn resend_refused(cx: &mut Cx<'_>, policy: &Policy, code: &CodeMemory) -> Option<Next> {
    let wait = code.resend_in(cx.now());
    let text = if wait > 0 {
        resend_wait(wait)
    } else if !code.may_resend(policy) {
        Text::msg("error-resend-limit")
    } else {
        return None;
    };
    cx.step_message(MessageLevel::Error, text);
    Some(Next::Reject(Rejection::RateLimited))
}

/// Answers the person: `submit` with a `code`, or `resend`. `M` is the step's memory type.
pub(crate) fn submit<M: CodeSlot>(
    cx: &mut Cx<'_>,
    policy: &Policy,
    delivery: &Delivery,
    action: &str,
    values: &Values,
) -> Result<Next, EngineError> {
    let whole = memory::<M>(cx)?;
    let memory = whole.code();
    let now = cx.now();
    match action {
        "submit" => {
            only_fields(values, &["code"])?;
            let code: String = values
                .get("code")
                .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
                .unwrap_or_default();
            let refuse = |cx: &mut Cx<'_>, text: Text| {
                cx.field_error("code", text);
                Ok(Next::Reject(Rejection::InvalidInput))
            };
            if code.is_empty() {
                return refuse(cx, Text::msg("error-required"));
            }
            if code.len() != usize::from(policy.code_length)
                || !code.bytes().all(|b| b.is_ascii_digit())
            {
                return refuse(cx, format_error(policy));
            }
            if memory.is_expired(now) {
                return refuse(cx, Text::msg("error-code-expired"));
            }
            // Only the server knows how many guesses the address had in other flows.
            let query = Query::CodeGuess {
                address: delivery.to.clone(),
                subject: delivery.subject.clone(),
            };
            cx.ask(query, &Pending::Guess { code })
        }
        "resend" => {
            only_fields(values, &["code"])?;
            if let Some(refused) = resend_refused(cx, policy, memory) {
                return Ok(refused);
            }
            ask_to_send(cx, delivery, memory.sends + 1, Reason::Resend)
        }
        other => Err(EngineError::UnknownAction(other.to_owned())),
    }
}

/// Takes the server's answer to the question asked in [`enter`], [`ask_to_send`] or
/// [`submit`]. `M` is the step's memory type.
pub(crate) fn answer<M: CodeSlot>(
    cx: &mut Cx<'_>,
    policy: &Policy,
    delivery: &Delivery,
    answer: Answer,
) -> Result<Verdict, EngineError> {
    let mut whole = memory::<M>(cx)?;
    let memory = whole.code().clone();
    let now = cx.now();
    match (cx.take_pending::<Pending>()?, answer) {
        (Some(Pending::Send { sends, reason }), Answer::MessageAllowed(true)) => {
            let (memory, code) = CodeMemory::draw(policy, cx, sends);
            let expires_at = memory.expires_at;
            whole.set_code(memory);
            cx.set_memory(&whole)?;
            cx.effect(if delivery.gets_code {
                Effect::Send {
                    channel: delivery.channel,
                    to: delivery.to.clone(),
                    template: delivery.code_template.to_owned(),
                    args: code_args(delivery.channel, code, policy.minutes()),
                    expires_at: Some(expires_at),
                }
            } else {
                // The recipient learns someone tried; the person in the flow gets nothing to
                // type, and sees exactly what they would see otherwise.
                Effect::Send {
                    channel: delivery.channel,
                    to: delivery.to.clone(),
                    template: delivery.notice_template.to_owned(),
                    args: Args::default(),
                    expires_at: None,
                }
            });
            if reason == Reason::Resend {
                cx.step_message(MessageLevel::Success, Text::msg("note-code-resent"));
            }
            Ok(Verdict::Next(Next::Stay))
        }
        (Some(Pending::Send { reason, .. }), Answer::MessageAllowed(false)) => {
            whole.set_code(memory.refused(policy, now));
            cx.set_memory(&whole)?;
            cx.step_message(MessageLevel::Error, message_cap(delivery.channel));
            // Arriving at the step is not refused (the flow moved on); what the person asked
            // for is.
            Ok(Verdict::Next(if reason == Reason::Arrival {
                Next::Stay
            } else {
                Next::Reject(Rejection::RateLimited)
            }))
        }
        (Some(Pending::Guess { code }), Answer::CodeGuess(None)) => {
            // A recipient that got a notice never verifies here: nobody got its code.
            if memory.matches(&code) && delivery.gets_code {
                cx.effect(Effect::CodeAccepted {
                    address: delivery.to.clone(),
                    subject: delivery.subject.clone(),
                });
                return Ok(Verdict::Verified);
            }
            let memory = memory.failed();
            let left = memory.attempts_left(policy);
            whole.set_code(memory);
            cx.set_memory(&whole)?;
            cx.effect(Effect::CodeFailed {
                address: delivery.to.clone(),
                locked: left == 0,
            });
            if left == 0 {
                return Ok(Verdict::Locked);
            }
            cx.field_error("code", wrong_code(left));
            Ok(Verdict::Next(Next::Reject(Rejection::InvalidInput)))
        }
        (Some(Pending::Guess { .. }), Answer::CodeGuess(Some(retry_in))) => {
            // Not compared, so it costs the flow no attempt; the same answer whether or not
            // an account has the address.
            cx.field_error("code", paused(delivery.channel, retry_in));
            Ok(Verdict::Next(Next::Reject(Rejection::RateLimited)))
        }
        _ => Err(EngineError::UnexpectedAnswer),
    }
}

/// The arguments of a message with `code`: the code as it is typed, and for a voice call also
/// `code_spoken`, its digits one by one (`4, 8, 1, 5, 9, 2`), so a speech engine reads them
/// as digits rather than as one large number.
fn code_args(channel: Channel, code: String, minutes: u32) -> Args {
    let spoken = (channel == Channel::Voice).then(|| {
        let digits: Vec<String> = code.chars().map(String::from).collect();
        ("code_spoken".into(), digits.join(", ").into())
    });
    let args = [
        ("code".into(), code.into()),
        ("minutes".into(), minutes.into()),
    ];
    Args(args.into_iter().chain(spoken).collect())
}

/// The code's field.
pub(crate) fn code_field(policy: &Policy) -> Field {
    let length = u32::from(policy.code_length);
    Field {
        autocomplete: Some("one-time-code".into()),
        min_length: Some(length),
        max_length: Some(length),
        hint: Some(Text::msg("field-code-hint").arg("length", policy.code_length)),
        ..field("code", FieldKind::OneTimeCode, "field-code")
    }
}

/// Verify, and (while more messages are allowed) ask for a new code, with the seconds until
/// that is possible.
pub(crate) fn actions(policy: &Policy, memory: &CodeMemory, now: i64) -> Vec<Action> {
    let mut actions = vec![Action {
        submits_fields: true,
        ..action("submit", ActionKind::Primary, "action-verify")
    }];
    if memory.may_resend(policy) {
        let wait = memory.resend_in(now);
        actions.push(Action {
            available_in: (wait > 0).then_some(wait),
            hint: (wait > 0).then(|| Text::msg("action-resend-wait").arg("seconds", wait)),
            ..action("resend", ActionKind::Secondary, "action-resend")
        });
    }
    actions
}

/// A code of the wrong shape.
pub(crate) fn format_error(policy: &Policy) -> Text {
    Text::msg("error-code-format").arg("length", policy.code_length)
}

/// A wrong code, with the tries it leaves.
pub(crate) fn wrong_code(left: u8) -> Text {
    Text::msg("error-code-wrong").arg("left", left)
}

/// The recipient's guesses are used up for now; a phone number is not called an address.
pub(crate) fn paused(channel: Channel, retry_in: u32) -> Text {
    let id = match channel {
        Channel::Email => "error-code-paused",
        Channel::Sms | Channel::Voice => "error-code-paused-phone",
    };
    Text::msg(id).arg("minutes", retry_in.div_ceil(60).max(1))
}

/// The recipient got too many messages lately, so none was sent.
pub(crate) fn message_cap(channel: Channel) -> Text {
    Text::msg(match channel {
        Channel::Email => "error-message-cap",
        Channel::Sms | Channel::Voice => "error-message-cap-phone",
    })
}

/// A new code was asked for too soon.
pub(crate) fn resend_wait(seconds: u32) -> Text {
    Text::msg("error-resend-wait").arg("seconds", seconds)
}
