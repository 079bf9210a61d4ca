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
//! A step with a guard is entered only when its condition holds for the flow as it arrives;
//! otherwise the flow goes on to the guard's `on_guard_failed` step as if the step had followed
//! an outcome there, and the step does nothing. A condition that gives no answer does not hold
//! (as in a decision gateway), reported as [`Effect::ConditionFailed`].
//!
//! A step's memory lives while the flow is at the step (across the queries of one request and
//! the submissions of many); following an outcome drops it, so arriving again starts afresh.
//!
//! A submission for another step than the current one is refused with
//! [`EngineError::StepMismatch`] and changes nothing (DESIGN.md, invariant 5), so a replayed or
//! stale request can never cause a second effect.

use crate::definition::{GUARD_FAILED, Journey};
use crate::kernel::{
    Answer, Block, ContextRefusal, Cx, Effect, EngineError, Env, FlowState, FlowStatus, Next, Note,
    Query, Rejection, render,
};
use journey_protocol::{MessageLevel, Step, Text};
use std::collections::BTreeMap;

/// The most steps one call may pass through; a guard against a journey that loops through
/// server-only blocks without ever waiting for the person.
const MAX_HOPS: usize = 64;

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

/// Runs `call` on the flow's current block and follows what it decides.
fn advance(
    journey: &Journey,
    mut state: FlowState,
    env: &Env,
    call: impl FnOnce(&dyn Block, &mut Cx<'_>) -> Result<Next, EngineError>,
) -> Result<Advance, EngineError> {
    let mut effects = Vec::new();
    let mut cx = Cx::new(&mut state, &mut effects, env);
    let first = call(current_block(journey, cx.state)?, &mut cx)?;
    let (query, rejection) = drive(journey, &mut cx, first)?;
    Ok(Advance {
        state,
        effects,
        query,
        rejection,
    })
}

/// Starts a flow at the journey's first step, with no context from the page.
pub fn start(journey: &Journey, env: &Env) -> Result<Advance, EngineError> {
    let state = FlowState::new(journey.start_step());
    advance(journey, state, env, |block, cx| arrive(journey, block, cx))
}

/// Starts a flow with the page's `context`, checked against the journey's `[context]`
/// ([`Journey::context`]); a refused context starts nothing.
pub fn start_with_context(
    journey: &Journey,
    context: &journey_protocol::Context,
    env: &Env,
) -> Result<Result<Advance, ContextRefusal>, EngineError> {
    let context = match journey.context().check(context) {
        Ok(context) => context,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut state = FlowState::new(journey.start_step());
    state.context = context;
    // The first step's guard holds for a flow with context as for one without.
    advance(journey, state, env, |block, cx| arrive(journey, block, cx)).map(Ok)
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
    state.pending = None;
    state.seq += 1;
    advance(journey, state, env, |block, cx| {
        block.submit(cx, &submission.action, &submission.values)
    })
}

/// Gives the current block the server's answer to its query.
pub fn resume(
    journey: &Journey,
    state: FlowState,
    answer: Answer,
    env: &Env,
) -> Result<Advance, EngineError> {
    advance(journey, state, env, |block, cx| block.answer(cx, answer))
}

/// Ends an active flow without success at its current step, saying why; used when the server
/// finds the flow cannot go on (the account it was about to create was created meanwhile by
/// another flow for the same address).
pub fn abandon(mut state: FlowState, why: Text) -> FlowState {
    state.status = FlowStatus::Failed;
    state.notes = vec![Note::step(MessageLevel::Error, why)];
    state.echo.clear();
    state
}

/// The current step as the person should see it, with texts unresolved, or `None` once the
/// flow is complete.
pub fn view(journey: &Journey, state: &FlowState, now: i64) -> Result<Option<Step>, EngineError> {
    if state.status == FlowStatus::Complete {
        return Ok(None);
    }
    render(current_block(journey, state)?, state, now).map(Some)
}

fn current_block<'j>(
    journey: &'j Journey,
    state: &FlowState,
) -> Result<&'j dyn Block, EngineError> {
    journey
        .block(&state.step)
        .ok_or_else(|| EngineError::Inconsistent(format!("no step `{}`", state.step)))
}

/// Enters the step the flow has just arrived at, unless its guard does not hold: then the
/// flow follows the guard's way round instead.
fn arrive(journey: &Journey, block: &dyn Block, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
    let Some(guard) = journey.guard(&cx.state.step) else {
        return block.enter(cx);
    };
    match guard.when.evaluate(&cx.condition_variables()) {
        Ok(true) => block.enter(cx),
        Ok(false) => Ok(Next::go(GUARD_FAILED)),
        Err(error) => {
            let step = cx.state.step.clone();
            cx.effect(Effect::ConditionFailed {
                step,
                problem: format!("guard: {error}"),
            });
            Ok(Next::go(GUARD_FAILED))
        }
    }
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
                let target = journey.next(&cx.state.step, &outcome).ok_or_else(|| {
                    EngineError::Inconsistent(format!(
                        "outcome `{outcome}` of `{}` is not mapped",
                        cx.state.step
                    ))
                })?;
                // The step's memory was about waiting there; the next step starts afresh.
                let left = std::mem::replace(&mut cx.state.step, target.to_owned());
                cx.state.memory.remove(&left);
                cx.state.memory.remove(target);
                cx.state.pending = None;
                cx.state.echo.clear();
                next = arrive(journey, current_block(journey, cx.state)?, cx)?;
            }
        }
    }
    Err(EngineError::Inconsistent(format!(
        "more than {MAX_HOPS} steps without waiting"
    )))
}
