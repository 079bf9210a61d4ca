//! The Journeykit engine: journeys as validated graphs of building blocks, and the pure runtime
//! that moves one flow through them.
//!
//! The engine owns the rules: which step comes next, what a block accepts, when a code is wrong
//! too often, which password is refused. It does no IO and reads no clock or random source
//! (DESIGN.md, invariant 1): every call gets an [`Env`] with `now` and fresh entropy, and returns
//! an [`Advance`] with the new [`FlowState`], the [`Effect`]s the server must perform in the same
//! transaction that saves the flow, and possibly a [`Query`] the server must answer first (does
//! this account exist, is this password right) through [`resume`].
//!
//! ```text
//!   server                      engine
//!   ------                      ------
//!   start / submit  ───────────▶ Advance { state, effects, query? }
//!   query? answer it ──resume──▶ Advance { ... }            (repeat while a query is open)
//!   commit state + effects in one transaction
//! ```
//!
//! The modules, and who depends on whom:
//!
//! ```text
//!   runtime ──▶ definition ──▶ blocks/ ──▶ kernel ◀── otp, new_password, password_policy
//!      └─────────────────────────────────────▲
//! ```
//!
//! The kernel (`kernel/`) holds what a block implements against; `blocks/` has one module per
//! block; `definition.rs` loads and checks journeys; `runtime.rs` moves flows. A step's view is
//! the protocol's own [`journey_protocol::Step`], built with unresolved texts (message ids and
//! arguments) that the server resolves in the flow's locale; no view shape is written twice.

pub mod assurance;
mod blocks;
pub mod consent;
mod definition;
pub mod expr;
mod kernel;
mod new_password;
mod otp;
pub mod password_policy;
pub mod phone;
pub mod profile;
mod runtime;
pub mod text;
pub mod throttle;

pub use assurance::AssurancePolicy;
pub use blocks::{ACCOUNT_TAKEN, BlockCatalogue, Examples, OUTCOME_MESSAGE, PASSWORD_EXISTS};
pub use definition::{DefinitionError, DefinitionErrors, Journey, MAX_JOURNEY_BYTES, Problem};
pub use kernel::{
    AccountProfile, Answer, Authenticated, Block, Channel, ConsentDecision, ConsentItem, Consents,
    ContextDeclarations, ContextRefusal, ContextType, ContextValue, Cx, Effect, EngineError, Env,
    Example, Fact, FlowState, FlowStatus, LookUp, LookUpMethod, MAX_CONTEXT_CHARS,
    MAX_CONTEXT_KEYS, NewAccount, Next, Note, Owner, PasswordCheck, Query, Rejection, STATE_FORMAT,
    Secret, ServiceCall, Standing, Values, ViewCx,
};
pub use runtime::{Advance, Submission, abandon, resume, start, start_with_context, submit, view};
