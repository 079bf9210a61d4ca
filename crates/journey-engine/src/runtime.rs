//! The runtime: moves one flow through a journey, one submission at a time.
//!
//! A flow is a [`FlowState`] (plain data, saved by the server as JSON between requests) at one
//! step of one [`Journey`]. Each call runs the current block and follows its outcome through the
//! graph, entering each next step, until a step waits for the person, a block needs the server
//! to answer a [`Query`], or the flow ends:
//!
//! ```text
//!            submit (names the step)               resume (answers the query)
//!                 │                                       │
//!                 ▼                                       ▼
//!   ┌──────────▶ block ──Go(outcome)──▶ next step's enter ──▶ …
//!   │             │ Stay / Reject: wait for the person
//!   │             │ Ask(query): the server answers, then resume
//!   │             │ Complete / Fail: the flow ends
//!   └─────────────┘
//! ```
//!
//! A submission for another step than the current one is refused with
//! [`EngineError::StepMismatch`] and changes nothing (DESIGN.md, invariant 5), so a replayed or
//! stale request can never cause a second effect.

use crate::blocks::{Block, Memory};
use crate::definition::Journey;
use crate::view::{Arg, Msg, Note, StepView};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// The most steps one call may pass through; a guard against a journey that loops through
/// server-only blocks without ever waiting for the person.
const MAX_HOPS: usize = 64;

/// What the server passes into every call: the time and fresh entropy.
#[derive(Clone, Debug)]
pub struct Env {
    /// Seconds since the Unix epoch.
    pub now: i64,
    /// 32 bytes from a CSPRNG, fresh for each call.
    pub seed: [u8; 32],
    /// Names a password must not contain: the tenant's and its brands' display names.
    pub protected_words: Vec<String>,
}

/// Where a flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowStatus {
    /// Waiting at a step.
    Active,
    /// Ended with a session.
    Complete,
    /// Ended without success.
    Failed,
}

/// The person authenticated: what a session and an ID token are made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticated {
    /// The account's subject.
    pub subject: String,
    /// The level of assurance reached.
    pub acr: String,
    /// The methods used (RFC 8176).
    pub amr: Vec<String>,
    /// When, in seconds since the Unix epoch.
    pub auth_time: i64,
}

/// The saved state of one flow. The server stores it as JSON and never looks inside beyond the
/// accessors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowState {
    pub(crate) step: String,
    pub(crate) status: FlowStatus,
    /// Collected attributes, such as `email` and `given_name`.
    pub(crate) data: BTreeMap<String, String>,
    /// Set by `duplicate_check`: the address already has an account. Never shown to the person.
    pub(crate) duplicate: bool,
    /// Set by `find_account`: the account that has the collected address, if one does. Never
    /// shown to the person; only a right code sent to the address makes it the flow's subject.
    #[serde(default)]
    pub(crate) account: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) amr: Vec<String>,
    pub(crate) memory: Memory,
    /// Notes from the last submission, shown with the step.
    pub(crate) notes: Vec<Note>,
    /// Non-secret values of the last refused submission, shown again.
    pub(crate) echo: BTreeMap<String, String>,
    pub(crate) authenticated: Option<Authenticated>,
    /// How many submissions the flow has taken.
    pub(crate) seq: u64,
}

impl FlowState {
    fn new(step: &str) -> Self {
        Self {
            step: step.to_owned(),
            status: FlowStatus::Active,
            data: BTreeMap::new(),
            duplicate: false,
            account: None,
            subject: None,
            amr: Vec::new(),
            memory: Memory::None,
            notes: Vec::new(),
            echo: BTreeMap::new(),
            authenticated: None,
            seq: 0,
        }
    }

    /// The current step id.
    pub fn step(&self) -> &str {
        &self.step
    }

    /// Where the flow is.
    pub fn status(&self) -> FlowStatus {
        self.status
    }

    /// Who authenticated, once the flow is complete.
    pub fn authenticated(&self) -> Option<&Authenticated> {
        self.authenticated.as_ref()
    }

    /// A collected attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.data.get(name).map(String::as_str)
    }
}

/// A value that must never be logged or saved, such as a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for hashing or verifying.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// An account to create, with its first password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// A new random subject.
    pub subject: String,
    /// The verified address.
    pub email: String,
    /// Collected attributes other than the email.
    pub attributes: BTreeMap<String, String>,
    /// The password, NFC-normalised; the server hashes it.
    pub password: Secret,
}

/// Something the server must do in the transaction that saves the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Queue an email in the outbox. `template` is a Fluent message id prefix: the server
    /// resolves `{template}-subject` and `{template}-body` with `args` in the flow's locale.
    SendEmail {
        /// The address.
        to: String,
        /// The message id prefix.
        template: &'static str,
        /// Arguments for the texts.
        args: Vec<(String, Arg)>,
        /// When the message stops being worth sending (the code in it expires); an undelivered
        /// message is dropped then, never sent late.
        expires_at: Option<i64>,
    },
    /// Create an account.
    CreateAccount(NewAccount),
    /// Give an existing account a new password, end every session it has, lift its login
    /// throttle (the way back from a lock-out) and tell its owner by email.
    ResetPassword {
        /// The account.
        subject: String,
        /// Its verified address, whose login throttle is lifted.
        email: String,
        /// The new password, NFC-normalised; the server hashes it.
        password: Secret,
    },
    /// A code for this address was wrong (a security event); `locked` when it was the last
    /// try the flow allows.
    CodeFailed {
        /// The address the code went to.
        address: String,
        /// Whether the flow is locked now.
        locked: bool,
    },
    /// The code for this address was right: give back the guess claimed for it through
    /// [`Query::CodeGuess`], since only wrong guesses count against the address.
    CodeAccepted {
        /// The address the code went to.
        address: String,
        /// The account, when the flow knows it.
        subject: Option<String>,
    },
}

/// A fact the server must find out before the flow can go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Does an account with this (normalised) address exist?
    AccountExists {
        /// The address.
        email: String,
    },
    /// Which account has this (normalised) address, if any?
    FindAccount {
        /// The address.
        email: String,
    },
    /// Is this the password of the account with this identifier?
    VerifyPassword {
        /// The normalised identifier (email).
        identifier: String,
        /// The NFC-normalised password.
        password: Secret,
    },
    /// May another message go to this recipient now? Counted per recipient across all flows
    /// (against mail bombing and SMS pumping: [`crate::throttle::MESSAGE_WINDOWS`]).
    MessageAllowed {
        /// `email` for now.
        channel: &'static str,
        /// The normalised address.
        to: String,
    },
    /// May a code sent to this address be checked now? Counted per address (and per account,
    /// once known) across all flows, before the code is compared
    /// ([`crate::throttle::CODE_GUESS_WINDOWS`]); a right code is given back through
    /// [`Effect::CodeAccepted`].
    CodeGuess {
        /// The normalised address the code went to.
        address: String,
        /// The account, when the flow knows it.
        subject: Option<String>,
    },
}

/// The server's answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Answers [`Query::AccountExists`].
    AccountExists(bool),
    /// Answers [`Query::FindAccount`] with the account's subject.
    Account(Option<String>),
    /// Answers [`Query::VerifyPassword`].
    Password(PasswordCheck),
    /// Answers [`Query::MessageAllowed`].
    MessageAllowed(bool),
    /// Answers [`Query::CodeGuess`]: `None` to go ahead, or the seconds until guesses for the
    /// address are accepted again.
    CodeGuess(Option<u32>),
}

/// The result of a password check, decided by the server's store and throttle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Right password for this subject.
    Verified {
        /// The account's subject.
        subject: String,
    },
    /// Wrong password, or no such account: the same answer either way.
    Rejected,
    /// Too many recent failures for this identifier; try again later.
    Throttled {
        /// Seconds until the next try is accepted.
        retry_in: u32,
    },
}

/// One answer to a step, as the person sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// The step it answers.
    pub step: String,
    /// The action taken.
    pub action: String,
    /// Field values by name.
    pub values: BTreeMap<String, String>,
}

/// Why a submission was refused; the notes in the state say what to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A value was wrong.
    InvalidInput,
    /// Too many tries or too soon.
    RateLimited,
}

/// The result of one call: the new state and what the server must do.
#[derive(Debug)]
pub struct Advance {
    /// The state to save.
    pub state: FlowState,
    /// What to do in the same transaction that saves `state`.
    pub effects: Vec<Effect>,
    /// Answer this with [`resume`] before saving.
    pub query: Option<Query>,
    /// Set when the submission was refused; `state` still must be saved (attempts count).
    pub rejection: Option<Rejection>,
}

/// A call the engine refuses; nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The submission names another step than the current one.
    #[error("the flow is at step `{current}`, not at the submitted step")]
    StepMismatch {
        /// The current step.
        current: String,
    },
    /// The flow has ended.
    #[error("the flow has ended")]
    NotActive,
    /// The step has no such action.
    #[error("the step has no action `{0}`")]
    UnknownAction(String),
    /// A value was sent for a field the step does not have.
    #[error("the step has no field `{0}`")]
    UnexpectedField(String),
    /// An answer came that no query asked for.
    #[error("an answer came that no query asked for")]
    UnexpectedAnswer,
    /// The flow and the journey do not fit together (a bug, or a changed journey).
    #[error("the flow does not fit its journey: {0}")]
    Inconsistent(String),
}

/// What a block decides.
#[derive(Debug)]
pub enum Next {
    /// Wait at this step for the person.
    Stay,
    /// Wait at this step; the submission was refused.
    Reject(Rejection),
    /// Ask the server, then call the block's `answer`.
    Ask(Query),
    /// Follow this outcome to the next step.
    Go(&'static str),
    /// End the flow with a session.
    Complete(Authenticated),
    /// End the flow without success.
    Fail,
}

/// What a block may touch while it runs.
pub struct Cx<'a> {
    /// The flow.
    pub state: &'a mut FlowState,
    /// The effects so far.
    pub effects: &'a mut Vec<Effect>,
    env: &'a Env,
    draws: u32,
}

impl Cx<'_> {
    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.env.now
    }

    /// 32 fresh random bytes, derived from the call's seed.
    pub fn random(&mut self) -> [u8; 32] {
        self.draws += 1;
        let mut hasher = Sha256::new();
        hasher.update(self.env.seed);
        hasher.update(self.draws.to_le_bytes());
        hasher.finalize().into()
    }

    /// Names a password must not contain: the tenant's and its brands'.
    pub fn protected_words(&self) -> &[String] {
        &self.env.protected_words
    }
}

/// Starts a flow at the journey's first step.
pub fn start(journey: &Journey, env: &Env) -> Result<Advance, EngineError> {
    let mut state = FlowState::new(journey.start_step());
    let mut effects = Vec::new();
    let mut cx = Cx {
        state: &mut state,
        effects: &mut effects,
        env,
        draws: 0,
    };
    let first = current_block(journey, cx.state)?.enter(&mut cx)?;
    let (query, rejection) = drive(journey, &mut cx, first)?;
    Ok(Advance {
        state,
        effects,
        query,
        rejection,
    })
}

/// Answers the current step.
pub fn submit(
    journey: &Journey,
    mut state: FlowState,
    submission: Submission,
    env: &Env,
) -> Result<Advance, EngineError> {
    if state.status != FlowStatus::Active {
        return Err(EngineError::NotActive);
    }
    if submission.step != state.step {
        return Err(EngineError::StepMismatch {
            current: state.step.clone(),
        });
    }
    state.notes.clear();
    state.echo.clear();
    state.seq += 1;
    let mut effects = Vec::new();
    let mut cx = Cx {
        state: &mut state,
        effects: &mut effects,
        env,
        draws: 0,
    };
    let first = current_block(journey, cx.state)?.submit(
        &mut cx,
        &submission.action,
        &submission.values,
    )?;
    let (query, rejection) = drive(journey, &mut cx, first)?;
    Ok(Advance {
        state,
        effects,
        query,
        rejection,
    })
}

/// Gives the current block the server's answer to its query.
pub fn resume(
    journey: &Journey,
    mut state: FlowState,
    answer: Answer,
    env: &Env,
) -> Result<Advance, EngineError> {
    let mut effects = Vec::new();
    let mut cx = Cx {
        state: &mut state,
        effects: &mut effects,
        env,
        draws: 0,
    };
    let first = current_block(journey, cx.state)?.answer(&mut cx, answer)?;
    let (query, rejection) = drive(journey, &mut cx, first)?;
    Ok(Advance {
        state,
        effects,
        query,
        rejection,
    })
}

/// Ends an active flow without success at its current step, saying why; used when the server
/// finds the flow cannot go on (the account it was about to create was created meanwhile by
/// another flow for the same address).
pub fn abandon(mut state: FlowState, why: Msg) -> FlowState {
    state.status = FlowStatus::Failed;
    state.notes = vec![Note::step_error(why)];
    state.echo.clear();
    state
}

/// The current step as the person should see it, or `None` once the flow is complete.
pub fn view(
    journey: &Journey,
    state: &FlowState,
    now: i64,
) -> Result<Option<StepView>, EngineError> {
    if state.status == FlowStatus::Complete {
        return Ok(None);
    }
    let mut view = current_block(journey, state)?.view(&state.step, state, now);
    if state.status != FlowStatus::Active {
        // An ended flow accepts nothing: what remains is why it ended.
        view.fields.clear();
        view.actions.clear();
    }
    for field in &mut view.fields {
        if field.value.is_none() && field.kind != crate::view::FieldKind::Password {
            field.value = state.echo.get(&field.name).cloned();
        }
    }
    for note in &state.notes {
        match note
            .field
            .as_deref()
            .and_then(|name| view.fields.iter_mut().find(|f| f.name == name))
        {
            Some(field) => field.notes.push(note.clone()),
            None => view.notes.push(note.clone()),
        }
    }
    Ok(Some(view))
}

fn current_block<'j>(
    journey: &'j Journey,
    state: &FlowState,
) -> Result<&'j dyn Block, EngineError> {
    journey
        .block(&state.step)
        .ok_or_else(|| EngineError::Inconsistent(format!("no step `{}`", state.step)))
}

fn drive(
    journey: &Journey,
    cx: &mut Cx<'_>,
    mut next: Next,
) -> Result<(Option<Query>, Option<Rejection>), EngineError> {
    for _ in 0..MAX_HOPS {
        match next {
            Next::Stay => return Ok((None, None)),
            Next::Reject(rejection) => return Ok((None, Some(rejection))),
            Next::Ask(query) => return Ok((Some(query), None)),
            Next::Complete(authenticated) => {
                cx.state.status = FlowStatus::Complete;
                cx.state.authenticated = Some(authenticated);
                return Ok((None, None));
            }
            Next::Fail => {
                cx.state.status = FlowStatus::Failed;
                return Ok((None, None));
            }
            Next::Go(outcome) => {
                let target = journey.next(&cx.state.step, outcome).ok_or_else(|| {
                    EngineError::Inconsistent(format!(
                        "outcome `{outcome}` of `{}` is not mapped",
                        cx.state.step
                    ))
                })?;
                cx.state.step = target.to_owned();
                cx.state.memory = Memory::None;
                cx.state.echo.clear();
                next = current_block(journey, cx.state)?.enter(cx)?;
            }
        }
    }
    Err(EngineError::Inconsistent(format!(
        "more than {MAX_HOPS} steps without waiting"
    )))
}
