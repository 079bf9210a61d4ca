//! Journey files: parsing TOML into a validated [`Journey`] graph.
//!
//! A journey file names its `start` step and a table of steps; each step names a block, the
//! block's settings and, under `on`, where each of the block's outcomes leads:
//!
//! ```toml
//! start = "details"
//! [steps.details]
//! block = "collect_user_data"
//! settings = { attributes = ["email"] }
//! on = { submitted = "verify_email" }
//! ```
//!
//! Everything is checked here, once, so the runtime can trust the graph: unknown blocks, settings
//! that are missing or mistyped, outcomes left unmapped or mapped to a missing step, outcomes the
//! block does not have, steps no path reaches, steps some path reaches without what their block
//! needs first (a verified address before `set_password`, an account before `auto_login`), and
//! loops that never wait for the person. A step that collects the address again makes what was
//! known about the old one (verified, looked up) untrue on the paths after it. The journey's
//! `[context]` (the keys and types a page may pass, `kernel/context.rs`) is read here too, and a
//! step that reads a context key the journey does not declare is refused. Every problem names
//! the file and the step.
//!
//! Any step may have a guard: a condition (CEL, [`crate::expr`], over `flow`, `context`,
//! `verified`, `amr` and `acr` as in a decision gateway; `consents` only a gateway reads) that must hold when the flow arrives, and the step the flow goes to
//! instead when it does not (`guard = "has(flow.email)"`, `on_guard_failed = "ask_email"`). A
//! skipped step does nothing, so what holds after the skip is what held before it; the guard
//! is compiled here, and the skip counts as not waiting for the person. `context` is the page's
//! word: a condition over it may choose a way (a welcome page, a product), but a journey must
//! not let it pass over a step that proves or protects something (a code, a consent).

use crate::blocks::BlockCatalogue;
use crate::expr::{self, Condition};
use crate::kernel::{Block, Channel, ConsentItem, ContextDeclarations, Fact, ServiceCall};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The longest journey file accepted, in bytes.
pub const MAX_JOURNEY_BYTES: usize = 256 * 1024;

/// A validated journey: a graph of steps, each a configured block.
pub struct Journey {
    name: String,
    version: String,
    start: String,
    context: ContextDeclarations,
    steps: BTreeMap<String, CompiledStep>,
}

struct CompiledStep {
    block: Box<dyn Block>,
    on: BTreeMap<String, String>,
    guard: Option<Guard>,
}

/// A step's guard: the condition that must hold to enter it, and where the flow goes if not.
pub(crate) struct Guard {
    pub(crate) when: Condition,
    pub(crate) otherwise: String,
}

/// The outcome the runtime follows when a step's guard does not hold; no block's outcome can
/// be named so.
pub(crate) const GUARD_FAILED: &str = "!guard";

impl fmt::Debug for Journey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journey")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("steps", &self.steps.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJourney {
    start: String,
    /// The context keys a page may pass, with their types (`"string"`, `"int"`, `"bool"`).
    #[serde(default)]
    context: BTreeMap<String, String>,
    steps: BTreeMap<String, RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    block: String,
    #[serde(default)]
    settings: toml::Table,
    #[serde(default)]
    on: BTreeMap<String, String>,
    /// A condition that must hold for the flow to enter the step.
    guard: Option<String>,
    /// Where the flow goes when the guard does not hold.
    on_guard_failed: Option<String>,
}

/// What is wrong with a journey file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file is larger than [`MAX_JOURNEY_BYTES`].
    TooLarge,
    /// The file is not valid TOML or not of the journey shape.
    Syntax(String),
    /// The `start` step does not exist.
    StartNotFound(String),
    /// A step id uses characters other than `a-z`, `0-9` and `_`, or is too long.
    BadStepId,
    /// No block has this name.
    UnknownBlock {
        block: String,
        known: Vec<&'static str>,
    },
    /// The block's settings are missing, mistyped or unknown.
    Settings(String),
    /// An outcome of the block is not mapped to a next step.
    OutcomeUnmapped(String),
    /// An `on` entry names an outcome the block does not have.
    UnknownOutcome { outcome: String, known: Vec<String> },
    /// An outcome leads to a step that does not exist.
    TargetNotFound { outcome: String, target: String },
    /// No path from `start` reaches the step.
    Unreachable,
    /// Some path reaches the step without what its block needs first.
    Requires(Fact),
    /// The step is on a loop of blocks that never wait for the person.
    LoopWithoutWaiting,
    /// The journey's `[context]` declaration is wrong.
    Context(String),
    /// The step reads a context key the journey's `[context]` does not declare.
    UndeclaredContext { key: String, declared: Vec<String> },
    /// The step's `guard` does not compile, or has no `on_guard_failed` (or the other way
    /// round).
    Guard(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(f, "the file is larger than {MAX_JOURNEY_BYTES} bytes"),
            Self::Syntax(detail) => write!(f, "not a valid journey file: {detail}"),
            Self::StartNotFound(start) => write!(f, "the start step `{start}` does not exist"),
            Self::BadStepId => {
                write!(
                    f,
                    "step ids use only a-z, 0-9 and _, and at most 64 characters"
                )
            }
            Self::UnknownBlock { block, known } => {
                write!(
                    f,
                    "unknown block `{block}`; known blocks: {}",
                    known.join(", ")
                )
            }
            Self::Settings(detail) => write!(f, "invalid settings: {detail}"),
            Self::OutcomeUnmapped(outcome) => {
                write!(
                    f,
                    "outcome `{outcome}` leads nowhere: add `on.{outcome} = \"<step>\"`"
                )
            }
            Self::UnknownOutcome { outcome, known } => {
                let known = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                write!(
                    f,
                    "the block has no outcome `{outcome}`; its outcomes: {known}"
                )
            }
            Self::TargetNotFound { outcome, target } => {
                write!(
                    f,
                    "outcome `{outcome}` leads to `{target}`, which is not a step"
                )
            }
            Self::Unreachable => write!(f, "no path from the start step reaches this step"),
            Self::Requires(fact) => write!(
                f,
                "a path reaches this step without {} first: put {} on every path before it",
                fact.as_str(),
                fact.provided_by()
            ),
            Self::Guard(detail) => write!(f, "{detail}"),
            Self::LoopWithoutWaiting => {
                write!(
                    f,
                    "the step is on a loop that never waits for the person, so a flow would never stop"
                )
            }
            Self::Context(detail) => write!(f, "{detail}"),
            Self::UndeclaredContext { key, declared } => {
                let declared = if declared.is_empty() {
                    "none".to_owned()
                } else {
                    declared.join(", ")
                };
                write!(
                    f,
                    "the step reads `context.{key}`, which the journey does not declare: add `{key} = \"string\"` (or \"int\", \"bool\") to its [context]; declared: {declared}"
                )
            }
        }
    }
}

/// One problem in one journey file, naming the file and (where there is one) the step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// The file, as the caller named it.
    pub file: String,
    /// The step the problem is in.
    pub step: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.step {
            Some(step) => write!(f, "{}: step `{step}`: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// Every problem found in a journey file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl Journey {
    /// Parses and validates the journey `name` from the text of `file`.
    pub fn parse(
        catalogue: &BlockCatalogue,
        file: &str,
        name: &str,
        source: &str,
    ) -> Result<Self, DefinitionErrors> {
        let error = |step: Option<&str>, problem| DefinitionError {
            file: file.to_owned(),
            step: step.map(str::to_owned),
            problem,
        };
        if source.len() > MAX_JOURNEY_BYTES {
            return Err(DefinitionErrors(vec![error(None, Problem::TooLarge)]));
        }
        let raw: RawJourney = toml::from_str(source)
            .map_err(|e| DefinitionErrors(vec![error(None, Problem::Syntax(e.to_string()))]))?;

        let mut errors = Vec::new();
        let context = ContextDeclarations::parse(raw.context).unwrap_or_else(|problems| {
            errors.extend(
                problems
                    .into_iter()
                    .map(|problem| error(None, Problem::Context(problem))),
            );
            ContextDeclarations::default()
        });
        let declared: Vec<String> = context.keys().map(|(key, _)| key.to_owned()).collect();
        let mut steps = BTreeMap::new();
        for (id, step) in raw.steps {
            if !is_step_id(&id) {
                errors.push(error(Some(&id), Problem::BadStepId));
            }
            let block = match catalogue.build(&step.block, step.settings) {
                Some(Ok(block)) => block,
                Some(Err(detail)) => {
                    errors.push(error(Some(&id), Problem::Settings(detail)));
                    continue;
                }
                None => {
                    let problem = Problem::UnknownBlock {
                        block: step.block.clone(),
                        known: catalogue.names(),
                    };
                    errors.push(error(Some(&id), problem));
                    continue;
                }
            };
            for key in block.context_keys() {
                if context.get(&key).is_none() {
                    let problem = Problem::UndeclaredContext {
                        key,
                        declared: declared.clone(),
                    };
                    errors.push(error(Some(&id), problem));
                }
            }
            let outcomes = block.outcomes();
            for outcome in &outcomes {
                if !step.on.contains_key(outcome) {
                    errors.push(error(Some(&id), Problem::OutcomeUnmapped(outcome.clone())));
                }
            }
            for outcome in step.on.keys() {
                if !outcomes.contains(outcome) {
                    let problem = Problem::UnknownOutcome {
                        outcome: outcome.clone(),
                        known: outcomes.clone(),
                    };
                    errors.push(error(Some(&id), problem));
                }
            }
            let guard = match (step.guard, step.on_guard_failed) {
                (None, None) => None,
                (Some(_), None) => {
                    let problem = "`guard` needs `on_guard_failed = \"<step>\"`: where the flow goes when it does not hold";
                    errors.push(error(Some(&id), Problem::Guard(problem.into())));
                    None
                }
                (None, Some(_)) => {
                    let problem =
                        "`on_guard_failed` without a `guard`: add the condition or remove it";
                    errors.push(error(Some(&id), Problem::Guard(problem.into())));
                    None
                }
                (Some(source), Some(otherwise)) => {
                    match Condition::compile(&expr::environment(), &source) {
                        Ok(when) if when.names_consents() => {
                            let problem = "a `guard` cannot read `consents`: the server is asked \
                                 for them by a decision_gateway step, so put the condition there";
                            errors.push(error(Some(&id), Problem::Guard(problem.into())));
                            None
                        }
                        Ok(when) => Some(Guard { when, otherwise }),
                        Err(e) => {
                            let shown: String = source.chars().take(80).collect();
                            let problem =
                                format!("the condition `guard = {shown:?}` does not compile: {e}");
                            errors.push(error(Some(&id), Problem::Guard(problem)));
                            None
                        }
                    }
                }
            };
            steps.insert(
                id,
                CompiledStep {
                    block,
                    on: step.on,
                    guard,
                },
            );
        }
        // Targets are checked against every step named in the file, built or not, so one bad
        // block does not cascade into "not a step" errors elsewhere.
        for (id, step) in &steps {
            let fallback = step
                .guard
                .as_ref()
                .map(|g| ("on_guard_failed".to_owned(), g.otherwise.clone()));
            for (outcome, target) in step.on.clone().into_iter().chain(fallback) {
                if !steps.contains_key(&target)
                    && !errors
                        .iter()
                        .any(|e| e.step.as_deref() == Some(target.as_str()))
                {
                    let problem = Problem::TargetNotFound { outcome, target };
                    errors.push(error(Some(id), problem));
                }
            }
        }
        if !steps.contains_key(&raw.start)
            && !errors.iter().any(|e| e.step.as_deref() == Some(&raw.start))
        {
            errors.push(error(None, Problem::StartNotFound(raw.start.clone())));
        }
        if errors.is_empty() {
            let reachable = reachable_from(&raw.start, &steps);
            for id in steps.keys() {
                if !reachable.contains(id.as_str()) {
                    errors.push(error(Some(id), Problem::Unreachable));
                }
            }
        }
        if errors.is_empty() {
            for (id, problem) in check_facts(&raw.start, &steps)
                .into_iter()
                .chain(check_loops(&steps))
            {
                errors.push(error(Some(&id), problem));
            }
        }
        if !errors.is_empty() {
            return Err(DefinitionErrors(errors));
        }
        let version = hex::encode(&Sha256::digest(source.as_bytes())[..12]);
        Ok(Self {
            name: name.to_owned(),
            version,
            start: raw.start,
            context,
            steps,
        })
    }

    /// The context keys a page may pass, with their types.
    pub fn context(&self) -> &ContextDeclarations {
        &self.context
    }

    /// Every call of a tenant's service the journey's steps make, by step id, for the server
    /// to check against the tenant's `[services]` when it loads the journey.
    pub fn service_calls(&self) -> Vec<(String, ServiceCall)> {
        self.steps
            .iter()
            .flat_map(|(id, step)| {
                step.block
                    .service_calls()
                    .into_iter()
                    .map(move |call| (id.clone(), call))
            })
            .collect()
    }

    /// The journey's name within its tenant.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A digest of the source text: flows stay on the version they started with.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The first step.
    pub fn start_step(&self) -> &str {
        &self.start
    }

    /// Every Fluent message id the journey's steps can show, for checking the locales at start-up.
    pub fn message_ids(&self) -> BTreeSet<String> {
        self.steps
            .values()
            .flat_map(|step| step.block.message_ids())
            .collect()
    }

    /// Every channel the journey's steps send messages by (from their blocks, as configured).
    pub fn channels(&self) -> BTreeSet<Channel> {
        self.steps
            .values()
            .flat_map(|step| step.block.channels())
            .collect()
    }

    /// Every level of assurance a step's settings name (`min_acr`), with the step, for the
    /// server to check against the tenant's policy.
    pub fn assurance_levels(&self) -> Vec<(String, String)> {
        self.steps
            .iter()
            .flat_map(|(id, step)| {
                step.block
                    .assurance_levels()
                    .into_iter()
                    .map(move |level| (id.clone(), level))
            })
            .collect()
    }

    /// Every purpose and document the journey's steps ask about, with the step that asks.
    pub fn consent_items(&self) -> Vec<(String, ConsentItem)> {
        self.steps
            .iter()
            .flat_map(|(id, step)| {
                step.block
                    .consent_items()
                    .into_iter()
                    .map(move |item| (id.clone(), item))
            })
            .collect()
    }

    pub(crate) fn block(&self, step: &str) -> Option<&dyn Block> {
        self.steps.get(step).map(|s| s.block.as_ref())
    }

    pub(crate) fn next(&self, step: &str, outcome: &str) -> Option<&str> {
        let step = self.steps.get(step)?;
        if outcome == GUARD_FAILED {
            return step.guard.as_ref().map(|g| g.otherwise.as_str());
        }
        step.on.get(outcome).map(String::as_str)
    }

    /// The guard of `step`, if it has one.
    pub(crate) fn guard(&self, step: &str) -> Option<&Guard> {
        self.steps.get(step).and_then(|s| s.guard.as_ref())
    }
}

/// The facts that hold on every path into each step (a forward "must" analysis), and the steps
/// whose block requires one that does not.
fn check_facts(start: &str, steps: &BTreeMap<String, CompiledStep>) -> Vec<(String, Problem)> {
    let all: BTreeSet<Fact> = Fact::ALL.into_iter().collect();
    // Start from "everything holds" everywhere but the start step, then only remove.
    let mut holds: BTreeMap<&str, BTreeSet<Fact>> = steps
        .keys()
        .map(|id| {
            (
                id.as_str(),
                if id == start {
                    BTreeSet::new()
                } else {
                    all.clone()
                },
            )
        })
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (id, step) in steps {
            let before = holds.get(id.as_str()).cloned().unwrap_or_default();
            for (outcome, target) in &step.on {
                let mut out = before.clone();
                for fact in step.block.revokes(outcome) {
                    out.remove(fact);
                }
                out.extend(step.block.provides(outcome).iter().copied());
                if let Some(into) = holds.get_mut(target.as_str()) {
                    let met: BTreeSet<Fact> = into.intersection(&out).copied().collect();
                    if met != *into {
                        *into = met;
                        changed = true;
                    }
                }
            }
            // A step skipped by its guard did nothing: what held before it holds after.
            if let Some(into) = step
                .guard
                .as_ref()
                .and_then(|g| holds.get_mut(g.otherwise.as_str()))
            {
                let met: BTreeSet<Fact> = into.intersection(&before).copied().collect();
                if met != *into {
                    *into = met;
                    changed = true;
                }
            }
        }
    }
    let mut problems = Vec::new();
    for (id, step) in steps {
        let held = holds.get(id.as_str()).cloned().unwrap_or_default();
        if let Some(fact) = step
            .block
            .requires()
            .iter()
            .find(|fact| !held.contains(fact))
        {
            problems.push((id.clone(), Problem::Requires(*fact)));
        }
    }
    problems
}

/// Steps on a cycle made only of blocks that never wait for the person.
/// A step skipped by its guard does not wait either, so its `on_guard_failed` edge is silent.
fn check_loops(steps: &BTreeMap<String, CompiledStep>) -> Vec<(String, Problem)> {
    // Where the flow may go from `id` without the person: every outcome of a block that never
    // waits, and the guard's way round.
    let silent_next = |id: &str| -> Vec<&str> {
        let Some(step) = steps.get(id) else {
            return Vec::new();
        };
        let mut next: Vec<&str> = if step.block.waits_for_person() {
            Vec::new()
        } else {
            step.on.values().map(String::as_str).collect()
        };
        next.extend(step.guard.as_ref().map(|g| g.otherwise.as_str()));
        next
    };
    let mut problems = Vec::new();
    for id in steps.keys() {
        // Can `id` reach itself without the person?
        let mut seen = BTreeSet::new();
        let mut todo = silent_next(id);
        while let Some(next) = todo.pop() {
            if next == id {
                problems.push((id.clone(), Problem::LoopWithoutWaiting));
                break;
            }
            if seen.insert(next) {
                todo.extend(silent_next(next));
            }
        }
    }
    problems
}

fn is_step_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn reachable_from<'a>(
    start: &'a str,
    steps: &'a BTreeMap<String, CompiledStep>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(id) = todo.pop() {
        if seen.insert(id)
            && let Some(step) = steps.get(id)
        {
            todo.extend(step.on.values().map(String::as_str));
            todo.extend(step.guard.as_ref().map(|g| g.otherwise.as_str()));
        }
    }
    seen
}
