//! The block kernel: everything a building block implements against, and nothing that knows
//! journeys or runs them.
//!
//! A block ([`Block`]) is one kind of step. It declares its outcomes (owned names: they may come
//! from its settings), parses its settings once when a journey loads, and at run time decides
//! from the flow and the person's submission what happens [`Next`]. It sees the flow through a
//! [`Cx`] (the state, typed memory of its own step, the time, entropy, effects) and shows its
//! step through a [`ViewCx`]. It names what must hold before it runs and what its outcomes
//! establish as [`Fact`]s, which the journey's validation checks on every path.
//!
//! `runtime.rs` (moving a flow) and `definition.rs` (loading a journey) depend on this module,
//! and so does every block in `blocks/`; none of them depends on the other two, so adding a
//! block never touches either. The one shared one-time-code logic (`otp.rs`), the password
//! rules (`password_policy.rs`) and the new-password step (`new_password.rs`) are helpers built
//! on this kernel too.

pub(crate) mod context;
mod effects;
mod state;
mod step;

pub use context::{
    ContextDeclarations, ContextRefusal, ContextType, ContextValue, MAX_CONTEXT_CHARS,
    MAX_CONTEXT_KEYS,
};
pub use effects::{
    AccountProfile, Answer, Channel, ConsentDecision, ConsentItem, Consents, Effect, Env, LookUp,
    LookUpMethod, NewAccount, PasswordCheck, Query, Secret, ServiceCall, Standing,
};
pub use state::{Authenticated, FlowState, FlowStatus, Note, Owner, STATE_FORMAT};
pub(crate) use step::{action, field, render, server_only_step, step, submit_action};

use crate::assurance::AssurancePolicy;
use journey_protocol::{MessageLevel, Step, Text};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Field values of a submission, by field name.
pub type Values = BTreeMap<String, String>;

/// One kind of step.
pub trait Block: Send + Sync {
    /// The name journey files use.
    fn name(&self) -> &'static str;

    /// The outcomes (as configured) that a journey must map to next steps.
    fn outcomes(&self) -> Vec<String>;

    /// Every Fluent message id this block (as configured) can show or send.
    fn message_ids(&self) -> Vec<String>;

    /// The channels this block (as configured) sends messages by; a server that has no
    /// sender for one of them cannot run a journey with this block.
    fn channels(&self) -> Vec<Channel> {
        Vec::new()
    }

    /// Runs when the flow arrives at the step; the step's memory is empty then.
    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError>;

    /// Runs when the person answers the step with the action `action`.
    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError>;

    /// Runs when the server answers the block's query.
    fn answer(&self, _cx: &mut Cx<'_>, _answer: Answer) -> Result<Next, EngineError> {
        Err(EngineError::UnexpectedAnswer)
    }

    /// What the person sees at the step, with unresolved texts. The notes of the last
    /// submission are added by the caller ([`render`]), not here.
    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError>;

    /// Named sample states of the step, shown through [`Self::view`] by the designer preview
    /// and the widget tests (`GET /dev/examples`). Every block that waits for the person has
    /// some; `now` is the time they are shown at.
    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        Ok(Vec::new())
    }

    /// What must have happened on every path to this step, checked when the journey loads.
    fn requires(&self) -> &'static [Fact] {
        &[]
    }

    /// What following `outcome` establishes for the steps after it.
    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[]
    }

    /// What following `outcome` makes untrue again, before [`Self::provides`] is added (a
    /// newly collected address is neither verified nor looked up).
    fn revokes(&self, _outcome: &str) -> &'static [Fact] {
        &[]
    }

    /// The context keys the block (as configured) reads; the journey must declare each of
    /// them in its `[context]`, else it does not load.
    fn context_keys(&self) -> Vec<String> {
        Vec::new()
    }

    /// The tenant's services the block (as configured) calls, with the parameters it sends;
    /// the server checks when it loads the journey that the tenant has each service and that
    /// the parameters fill its address.
    fn service_calls(&self) -> Vec<ServiceCall> {
        Vec::new()
    }

    /// The levels of assurance its settings name (`min_acr`), which the server checks against
    /// the tenant's policy when the journey loads.
    fn assurance_levels(&self) -> Vec<String> {
        Vec::new()
    }

    /// The tenant's purposes and documents this block (as configured) asks about; the server
    /// refuses a journey naming one its tenant does not declare.
    fn consent_items(&self) -> Vec<ConsentItem> {
        Vec::new()
    }

    /// Whether the block waits for the person; a loop of blocks that never wait is refused.
    fn waits_for_person(&self) -> bool {
        true
    }
}

/// Something a step establishes that later steps may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fact {
    /// An email address was collected.
    Email,
    /// The person proved they control the address.
    EmailVerified,
    /// The address was checked for an existing account.
    DuplicateChecked,
    /// The account that has the address, if any, was looked up (for recovery).
    AccountLookedUp,
    /// The person proved they control the address of the account looked up (a recovery code).
    AccountAddressVerified,
    /// The flow knows whose account it is.
    Subject,
}

impl Fact {
    /// Every fact.
    pub const ALL: [Fact; 6] = [
        Fact::Email,
        Fact::EmailVerified,
        Fact::DuplicateChecked,
        Fact::AccountLookedUp,
        Fact::AccountAddressVerified,
        Fact::Subject,
    ];

    /// The facts about the collected address that a new address makes untrue.
    pub const ABOUT_THE_ADDRESS: &'static [Fact] = &[
        Fact::EmailVerified,
        Fact::DuplicateChecked,
        Fact::AccountLookedUp,
        Fact::AccountAddressVerified,
    ];

    /// What provides it, for error messages.
    pub fn provided_by(self) -> &'static str {
        match self {
            Fact::Email => "collect_user_data with the `email` attribute",
            Fact::EmailVerified => "email_validation (its `verified` outcome)",
            Fact::DuplicateChecked => "duplicate_check",
            Fact::AccountLookedUp => "find_account",
            Fact::AccountAddressVerified => {
                "email_validation with `purpose = \"recovery\"` (its `verified` outcome)"
            }
            Fact::Subject => {
                "set_password, reset_password, password_login or identify_by_email_code"
            }
        }
    }

    /// A short name, for error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Email => "an email address",
            Fact::EmailVerified => "a verified email address",
            Fact::DuplicateChecked => "a duplicate check",
            Fact::AccountLookedUp => "an account look-up",
            Fact::AccountAddressVerified => "a recovery code to the account's address",
            Fact::Subject => "an account",
        }
    }
}

/// Why a submission was refused; the notes in the state say what to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A value was wrong.
    InvalidInput,
    /// Too many tries or too soon.
    RateLimited,
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
    /// The saved state, or a step's memory in it, does not parse (a flow saved by an earlier
    /// release, or damaged).
    #[error("the flow's state cannot be read: {0}")]
    UnreadableState(String),
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
    Go(Cow<'static, str>),
    /// End the flow with a session.
    Complete(Authenticated),
    /// End the flow without success.
    Fail,
}

impl Next {
    /// Follow `outcome`.
    pub fn go(outcome: impl Into<Cow<'static, str>>) -> Self {
        Self::Go(outcome.into())
    }
}

/// What a block may touch while it runs.
pub struct Cx<'a> {
    /// The flow.
    pub(crate) state: &'a mut FlowState,
    effects: &'a mut Vec<Effect>,
    env: &'a Env,
    draws: u32,
}

impl<'a> Cx<'a> {
    /// A context for one call of the runtime.
    pub(crate) fn new(
        state: &'a mut FlowState,
        effects: &'a mut Vec<Effect>,
        env: &'a Env,
    ) -> Self {
        Self {
            state,
            effects,
            env,
            draws: 0,
        }
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.env.now
    }

    /// What a condition (a decision gateway's branch, a step's guard) is evaluated over: the
    /// flow's attributes, the page's context, what was verified, the methods used, and the
    /// level the tenant's policy gives all that now.
    pub(crate) fn condition_variables(&self) -> crate::expr::Variables<'_> {
        let state = &*self.state;
        crate::expr::Variables {
            flow: &state.data,
            context: &state.context,
            verified: &state.verified,
            amr: &state.amr,
            acr: self
                .env
                .assurance
                .acr(&state.verified, &state.amr)
                .unwrap_or(""),
            // A decision gateway that reads them asks the server and sets them.
            consents: crate::expr::NO_DECISIONS,
        }
    }

    /// 32 fresh random bytes, derived from the call's seed.
    pub fn random(&mut self) -> [u8; 32] {
        self.draws += 1;
        let mut hasher = Sha256::new();
        hasher.update(self.env.seed);
        hasher.update(self.draws.to_le_bytes());
        hasher.finalize().into()
    }

    /// A new random id (128 bits, hex), for subjects.
    pub fn random_id(&mut self) -> String {
        hex::encode(&self.random()[..16])
    }

    /// The tenant's levels of assurance.
    pub fn assurance(&self) -> &AssurancePolicy {
        &self.env.assurance
    }

    /// Names a password must not contain: the tenant's and its brands'.
    pub fn protected_words(&self) -> &[String] {
        &self.env.protected_words
    }

    /// Asks the server to perform `effect` in the transaction that saves the flow.
    pub fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// The current step's memory, as the block's type.
    pub fn memory<M: DeserializeOwned>(&self) -> Result<Option<M>, EngineError> {
        self.state.memory_at(&self.state.step)
    }

    /// Replaces the current step's memory.
    pub fn set_memory<M: Serialize>(&mut self, memory: &M) -> Result<(), EngineError> {
        let step = self.state.step.clone();
        self.state.set_memory_at(&step, memory)
    }

    /// Forgets the current step's memory.
    pub fn clear_memory(&mut self) {
        let step = self.state.step.clone();
        self.state.memory.remove(&step);
    }

    /// Asks the server `query`, remembering `pending` (what the answer is for) until the answer
    /// comes, within the same request; it is never saved.
    pub fn ask<P: Serialize>(&mut self, query: Query, pending: &P) -> Result<Next, EngineError> {
        let value = serde_json::to_value(pending)
            .map_err(|e| EngineError::Inconsistent(format!("a pending question: {e}")))?;
        self.state.pending = Some(value);
        Ok(Next::Ask(query))
    }

    /// What the block asked about with [`Self::ask`], taken: `None` when nothing is pending.
    pub fn take_pending<P: DeserializeOwned>(&mut self) -> Result<Option<P>, EngineError> {
        self.state
            .pending
            .take()
            .map(|value| {
                P::deserialize(value)
                    .map_err(|e| EngineError::Inconsistent(format!("a pending question: {e}")))
            })
            .transpose()
    }

    /// An error about one field, shown with the step.
    pub fn field_error(&mut self, field: &str, text: Text) {
        self.state.notes.push(Note::field_error(field, text));
    }

    /// A message about the whole step, shown with it.
    pub fn step_message(&mut self, level: MessageLevel, text: Text) {
        self.state.notes.push(Note::step(level, text));
    }
}

/// What a block's view may read: the flow and the time.
pub struct ViewCx<'a> {
    pub(crate) state: &'a FlowState,
    pub(crate) now: i64,
}

impl ViewCx<'_> {
    /// The step id.
    pub fn step(&self) -> &str {
        &self.state.step
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The flow.
    pub fn state(&self) -> &FlowState {
        self.state
    }

    /// The step's memory, as the block's type.
    pub fn memory<M: DeserializeOwned>(&self) -> Result<Option<M>, EngineError> {
        self.state.memory_at(&self.state.step)
    }
}

/// A named sample state of a block's step, for [`Block::examples`]: a flow state built with the
/// block's own memory type and messages, shown through the block's real view.
pub struct Example {
    pub(crate) name: &'static str,
    pub(crate) state: FlowState,
}

impl Example {
    /// An example called `name` of a flow waiting at the step `step`.
    pub(crate) fn new(name: &'static str, step: &str) -> Self {
        Self {
            name,
            state: FlowState::new(step),
        }
    }

    /// With a collected attribute.
    pub(crate) fn attribute(mut self, name: &str, value: &str) -> Self {
        self.state.set_attribute(name, value.to_owned());
        self
    }

    /// With the step's memory.
    pub(crate) fn memory<M: Serialize>(mut self, memory: &M) -> Result<Self, EngineError> {
        let step = self.state.step.clone();
        self.state.set_memory_at(&step, memory)?;
        Ok(self)
    }

    /// With an error about one field.
    pub(crate) fn field_error(mut self, field: &str, text: Text) -> Self {
        self.state.notes.push(Note::field_error(field, text));
        self
    }

    /// With a message about the step.
    pub(crate) fn step_message(mut self, level: MessageLevel, text: Text) -> Self {
        self.state.notes.push(Note::step(level, text));
        self
    }

    /// With a value of the last refused submission shown again.
    pub(crate) fn echo(mut self, field: &str, value: &str) -> Self {
        self.state.echo.insert(field.to_owned(), value.to_owned());
        self
    }

    /// As a flow that ended at this step without success.
    pub(crate) fn failed(mut self) -> Self {
        self.state.status = FlowStatus::Failed;
        self
    }
}

/// Parses a block's settings table into its typed settings.
pub(crate) fn settings<T: DeserializeOwned>(table: toml::Table) -> Result<T, String> {
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().to_owned())
}

/// Refuses values for fields the step does not have (an allow-list, ASVS 2.2).
pub(crate) fn only_fields(values: &Values, allowed: &[&str]) -> Result<(), EngineError> {
    match values.keys().find(|name| !allowed.contains(&name.as_str())) {
        Some(name) => Err(EngineError::UnexpectedField(name.clone())),
        None => Ok(()),
    }
}
