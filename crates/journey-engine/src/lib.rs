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
//! Wire types live in `journey-protocol`; the engine's [`StepView`] is converted by the server.

mod blocks;
mod definition;
mod runtime;
pub mod text;
pub mod throttle;
mod view;

pub use blocks::{ACCOUNT_TAKEN, Block, BlockCatalogue, Fact, OUTCOME_MESSAGE, password_policy};
pub use definition::{DefinitionError, DefinitionErrors, Journey, Problem};
pub use runtime::{
    Advance, Answer, Authenticated, Effect, EngineError, Env, FlowState, FlowStatus, NewAccount,
    PasswordCheck, Query, Rejection, Secret, Submission, abandon, resume, start, submit, view,
};
pub use view::{
    ActionView, Arg, FieldKind, FieldView, Level, Msg, Note, REVEAL_HIDE, REVEAL_SHOW, StepView,
    ViewKind,
};
