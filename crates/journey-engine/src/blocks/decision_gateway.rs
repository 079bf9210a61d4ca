//! `decision_gateway`: chooses the next step from conditions over the flow, without the person.
//!
//! Its settings are an ordered list of branches, each a condition (CEL, [`crate::expr`]: over
//! the flow's attributes, the page's context, what was verified, the methods used and the level
//! of assurance the tenant's policy gives the flow now) and the outcome it leads to, and the
//! outcome taken when no condition holds:
//!
//! ```toml
//! [steps.route]
//! block = "decision_gateway"
//! settings.branches = [
//!   { when = "has(flow.product) && flow.product == 'car'", outcome = "car" },
//!   { when = "has(flow.quote)", outcome = "quoted" },
//!   { when = "acr == 'loa2' && 'phone_number' in verified", outcome = "trusted" },
//! ]
//! settings.otherwise = "other"
//! on = { car = "buy_car", quoted = "save_quote", trusted = "offer", other = "welcome" }
//! ```
//!
//! Its outcomes are the branches' and `otherwise`, each of which the journey maps. Every
//! condition is compiled when the journey loads, so a wrong one keeps the journey (and the
//! server) from starting, with the branch, the expression and the position in it. When the flow
//! arrives, the branches are tried in order and the first that holds wins; a condition that
//! gives no yes or no for this flow (a missing attribute not guarded with `has()`, a type
//! mismatch) does not hold: the flow goes on to the next branch, never into a branch by a
//! journey's mistake, and the person is not stopped by it; the block reports it
//! ([`Effect::ConditionFailed`]) for the server to tell the operator. A branch that reads
//! `consents` makes the block ask the server for the account's decisions first
//! ([`Query::Consents`]; a flow without an account has none). The block never waits for the
//! person, shows nothing and has no examples.

use crate::consent;
use crate::expr::{self, Condition, Variables};
use crate::kernel::{
    Answer, Block, Cx, Effect, EngineError, Next, Query, Values, ViewCx, server_only_step, settings,
};
use journey_protocol::Step;
use serde::Deserialize;
use std::collections::BTreeMap;

pub(super) const NAME: &str = "decision_gateway";

/// The most branches a gateway may have: with each condition bounded, so is the step.
const MAX_BRANCHES: usize = 32;

/// How much of a refused expression an error repeats.
const SHOWN_CHARS: usize = 80;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    branches: Vec<RawBranch>,
    otherwise: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranch {
    when: String,
    outcome: String,
}

struct Branch {
    when: Condition,
    outcome: String,
}

struct DecisionGateway {
    branches: Vec<Branch>,
    otherwise: String,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    let settings: Settings = settings(table)?;
    if settings.branches.is_empty() {
        return Err("`branches` must have at least one branch".into());
    }
    if settings.branches.len() > MAX_BRANCHES {
        return Err(format!(
            "`branches` has {} branches; at most {MAX_BRANCHES} are allowed",
            settings.branches.len()
        ));
    }
    check_outcome("otherwise", &settings.otherwise)?;
    let env = expr::environment();
    let mut branches = Vec::with_capacity(settings.branches.len());
    for (i, raw) in settings.branches.into_iter().enumerate() {
        let n = i + 1;
        check_outcome(&format!("branch {n}: `outcome`"), &raw.outcome)?;
        let when = Condition::compile(&env, &raw.when).map_err(|error| {
            format!(
                "branch {n}: the condition `when = {}` does not compile: {error}",
                shown(&raw.when)
            )
        })?;
        branches.push(Branch {
            when,
            outcome: raw.outcome,
        });
    }
    Ok(Box::new(DecisionGateway {
        branches,
        otherwise: settings.otherwise,
    }))
}

impl DecisionGateway {
    /// The outcome of the first branch that holds for the flow and the account's `consents`,
    /// else `otherwise`.
    fn choose(&self, cx: &mut Cx<'_>, consents: &BTreeMap<String, String>) -> Next {
        let variables = Variables {
            consents,
            ..cx.condition_variables()
        };
        let mut failed = Vec::new();
        let mut chosen = None;
        for branch in &self.branches {
            // A condition that gives no answer does not hold: the flow never takes a branch by
            // a journey's mistake, and the person is not stopped by it either.
            match branch.when.evaluate(&variables) {
                Ok(true) => {
                    chosen = Some(branch.outcome.clone());
                    break;
                }
                Ok(false) => {}
                Err(error) => failed.push(format!("branch `{}`: {error}", branch.outcome)),
            }
        }
        for problem in failed {
            let step = cx.state.step.clone();
            cx.effect(Effect::ConditionFailed { step, problem });
        }
        Next::go(chosen.unwrap_or_else(|| self.otherwise.clone()))
    }
}

/// Outcome names follow the rule of step ids: a-z, 0-9 and _, at most 64 characters.
fn check_outcome(what: &str, outcome: &str) -> Result<(), String> {
    let ok = !outcome.is_empty()
        && outcome.len() <= 64
        && outcome
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} \"{}\" must use only a-z, 0-9 and _, and at most 64 characters",
            outcome.escape_debug()
        ))
    }
}

/// The expression as an error repeats it: quoted and escaped, cut after [`SHOWN_CHARS`].
fn shown(source: &str) -> String {
    let mut text: String = source.chars().take(SHOWN_CHARS).collect();
    if text.len() < source.len() {
        text.push('…');
    }
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c if c.is_control() => c.escape_default().collect(),
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

impl Block for DecisionGateway {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        let mut outcomes: Vec<String> = Vec::new();
        let all = self.branches.iter().map(|b| &b.outcome);
        for outcome in all.chain(std::iter::once(&self.otherwise)) {
            if !outcomes.contains(outcome) {
                outcomes.push(outcome.clone());
            }
        }
        outcomes
    }

    fn message_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        // The account's consents are the server's: asked for only when a branch reads them
        // and the flow knows its account (else there are none to read).
        match cx.state.subject.clone() {
            Some(subject) if self.branches.iter().any(|b| b.when.names_consents()) => {
                cx.ask(Query::Consents { subject }, &())
            }
            _ => Ok(self.choose(cx, expr::NO_DECISIONS)),
        }
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        cx.take_pending::<()>()?
            .ok_or(EngineError::UnexpectedAnswer)?;
        let Answer::Consents(consents) = answer else {
            return Err(EngineError::UnexpectedAnswer);
        };
        Ok(self.choose(cx, &consent::decisions(&consents)))
    }

    fn submit(
        &self,
        _cx: &mut Cx<'_>,
        action: &str,
        _values: &Values,
    ) -> Result<Next, EngineError> {
        Err(EngineError::UnknownAction(action.to_owned()))
    }

    fn context_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for key in self.branches.iter().flat_map(|b| b.when.context_keys()) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    fn waits_for_person(&self) -> bool {
        false
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        Ok(server_only_step(cx, NAME))
    }
}
