//! Conditions: expressions in the Common Expression Language (CEL, through the pinned `cel`
//! crate), compiled once when a journey loads and evaluated to a yes or no inside the engine.
//!
//! This module owns what a condition may say and what it costs. It leaves to its callers (the
//! `decision_gateway` block now; step guards later) what a condition decides, and to the journey
//! loader how a refused one is reported (with the file and the step around this module's text).
//!
//! A condition is checked before it is trusted:
//!
//! - at most [`MAX_EXPRESSION_CHARS`] characters, and brackets nested at most [`MAX_NESTING`]
//!   deep, both counted *before* the text reaches the parser, which recurses (so 100,000 `(`
//!   cost a count, not a stack);
//! - parsed by `cel` with a recursion limit, its errors given with their line and column;
//! - every name it uses declared: the variables in [`VARIABLES`] and the functions and
//!   operators in [`FUNCTIONS`]. Anything else (an unknown variable, `matches`, whose regular
//!   expressions cost more than their length, the time functions, `optional`) is refused by
//!   name and position;
//! - no comprehensions (the `all`, `exists`, `exists_one`, `map` and `filter` macros) and no
//!   message literals, so evaluation has no loops: its cost grows with the expression's size
//!   and the values' sizes, both bounded.
//!
//! The environment, as declared now:
//!
//! - `flow`: a map of the attributes the flow has collected so far (`email`, `given_name`, …),
//!   every value a string;
//! - `verified`: the list of the flow's attributes the person proved they control (`email`,
//!   `phone_number`; with the account's own once a block read its profile), so
//!   `'phone_number' in verified`;
//! - `amr`: the list of the methods used so far in the flow (RFC 8176: `otp`, `pwd`, `sms`);
//! - `acr`: the level of assurance the tenant's policy gives the flow now, or `''` below every
//!   level, so `acr == 'loa2'`;
//! - `consents`: a map of the account's standing decision on each purpose and document of the
//!   tenant it has decided on: `granted` or `withdrawn` for a purpose, `accepted` or `refused`
//!   for a document, and `outdated` for a document accepted at an earlier major version, so
//!   `has(consents.marketing_email) && consents.marketing_email == 'granted'`. Only a decision
//!   gateway reads it (it asks the server first, [`Condition::names_consents`]); a guard that
//!   names it is refused when the journey loads;
//! - `context`: a map of what the page passed when the flow started, each value of the type the
//!   journey's `[context]` declares (`string`, `int`, `bool`), so `context.age >= 18` and
//!   `context.returning` work as written. Every key is optional: guard it with
//!   `has(context.quote)`. The keys a condition names as `context.<key>` are listed by
//!   [`Condition::context_keys`], and the journey loader refuses one the journey does not
//!   declare (an index, `context['key']`, is not checked at load; an undeclared one is never
//!   present, so it gives no answer).
//!
//! Evaluation is pure (the crate is built without its clock, time and regular expression
//! features) and gives a bool or an [`EvalError`]: a missing key, a type mismatch or a
//! non-bool result, never a panic. A journey author guards an optional attribute with
//! `has(flow.quote) && flow.quote.startsWith('Q-')`.

use crate::kernel::ContextValue;
use cel::common::ast::{EntryExpr, Expr, IdedExpr, SourceInfo};
use cel::common::value::Val;
use cel::{Context, Env, ExecutionError, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

/// The longest condition accepted, in characters.
pub const MAX_EXPRESSION_CHARS: usize = 1_000;

/// How deep brackets (`(`, `[`, `{`) may nest in a condition.
pub const MAX_NESTING: usize = 32;

/// How deep the parsed expression may be (operators nest without brackets: `a + b + c`).
const MAX_DEPTH: usize = 64;

/// The parser's own recursion limit, a second guard behind [`MAX_NESTING`].
const PARSER_RECURSION: u16 = 96;

/// The variables a condition may name.
pub const VARIABLES: &[&str] = &["flow", "context", "verified", "amr", "acr", "consents"];

/// The functions and operators a condition may use (CEL's internal names for operators). `has`
/// is not here: it is a macro, parsed into a presence test, not a call.
pub const FUNCTIONS: &[&str] = &[
    "_==_",
    "_!=_",
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "_&&_",
    "_||_",
    "!_",
    "_?_:_",
    "-_",
    "_+_",
    "_-_",
    "_*_",
    "_/_",
    "_%_",
    "_[_]",
    "@in",
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "int",
    "string",
];

/// A condition that compiled: its text, its parsed form and the environment it runs in.
pub struct Condition {
    source: String,
    expr: IdedExpr,
    env: Arc<Env>,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.source).finish()
    }
}

/// Why a condition does not compile, and where (line and column in the expression, from 1)
/// when that is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Line and column in the expression.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "at {line}:{column}: {}", self.problem),
            None => write!(f, "{}", self.problem),
        }
    }
}

/// Why a condition gave no yes or no for a flow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{expression}`: {problem}")]
pub struct EvalError {
    /// The condition's text.
    pub expression: String,
    /// What went wrong.
    pub problem: String,
}

/// No consent decisions: what a condition sees of an account not known, or not asked about.
pub const NO_DECISIONS: &BTreeMap<String, String> = &BTreeMap::new();

/// What a condition is evaluated over.
pub struct Variables<'a> {
    /// The attributes the flow has collected.
    pub flow: &'a BTreeMap<String, String>,
    /// What the page passed, typed as the journey declares it.
    pub context: &'a BTreeMap<String, ContextValue>,
    /// The names of the attributes the person proved they control.
    pub verified: &'a BTreeSet<String>,
    /// The authentication methods used so far.
    pub amr: &'a [String],
    /// The level of assurance the flow reaches now; empty below every level.
    pub acr: &'a str,
    /// The account's standing decision on each purpose and document it decided on.
    pub consents: &'a BTreeMap<String, String>,
}

impl<'a> Variables<'a> {
    /// A flow's attributes and context, with nothing verified, no method used and no level.
    pub fn new(
        flow: &'a BTreeMap<String, String>,
        context: &'a BTreeMap<String, ContextValue>,
    ) -> Self {
        const NOTHING: &BTreeSet<String> = &BTreeSet::new();
        Self {
            flow,
            context,
            verified: NOTHING,
            amr: &[],
            acr: "",
            consents: NO_DECISIONS,
        }
    }
}

/// The environment every condition runs in: CEL's standard library, without the optional
/// syntax; what a condition may use of it is [`FUNCTIONS`].
pub fn environment() -> Arc<Env> {
    Arc::new(Env::stdlib().with_optional_support(false))
}

impl Condition {
    /// Compiles `source` for `env` (from [`environment`]), refusing anything this module does
    /// not allow.
    pub fn compile(env: &Arc<Env>, source: &str) -> Result<Self, CompileError> {
        let refuse = |position, problem: String| CompileError { position, problem };
        let length = source.chars().count();
        if length > MAX_EXPRESSION_CHARS {
            return Err(refuse(
                None,
                format!(
                    "the expression has {length} characters; at most {MAX_EXPRESSION_CHARS} are allowed"
                ),
            ));
        }
        if let Some(position) = too_deep(source) {
            return Err(refuse(
                Some(position),
                format!("brackets nest more than {MAX_NESTING} deep"),
            ));
        }
        let (expr, info) = env
            .parser()
            .max_recursion_depth(PARSER_RECURSION)
            .parse_with_source_info(source)
            .map_err(|errors| {
                let first = errors.errors.first();
                let position = first.and_then(|e| {
                    let line = usize::try_from(e.pos.0).ok().filter(|l| *l > 0)?;
                    let column = usize::try_from(e.pos.1).ok().filter(|c| *c > 0)?;
                    Some((line, column))
                });
                let problem = first
                    .map(|e| e.msg.trim_start_matches("Syntax error: ").to_owned())
                    .unwrap_or_else(|| "the expression does not parse".to_owned());
                refuse(position, format!("syntax error: {problem}"))
            })?;
        check(&expr, &info, 1)?;
        Ok(Self {
            source: source.to_owned(),
            expr,
            env: Arc::clone(env),
        })
    }

    /// The condition's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The context keys the condition names as `context.<key>` (also inside `has()`), each
    /// once, in order of appearance.
    pub fn context_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        context_keys(&self.expr, &mut keys);
        keys
    }

    /// Whether the condition reads `consents`, which the server must be asked for first.
    pub fn names_consents(&self) -> bool {
        names(&self.expr, "consents")
    }

    /// Evaluates the condition over `variables`: true or false, else why not.
    pub fn evaluate(&self, variables: &Variables<'_>) -> Result<bool, EvalError> {
        let fail = |problem: String| EvalError {
            expression: self.source.clone(),
            problem,
        };
        let mut context = Context::with_env(Arc::clone(&self.env));
        // The crate's own `add_variable_from_value` unwraps this conversion; a map of strings
        // always converts, but the engine does not rely on that with a panic.
        let list = |items: &mut dyn Iterator<Item = &String>| {
            Value::List(Arc::new(items.map(|i| Value::from(i.clone())).collect()))
        };
        for (name, map) in [
            ("flow", string_map(variables.flow)),
            ("context", typed_map(variables.context)),
            ("verified", list(&mut variables.verified.iter())),
            ("amr", list(&mut variables.amr.iter())),
            ("acr", Value::from(variables.acr.to_owned())),
            ("consents", string_map(variables.consents)),
        ] {
            let value = Box::<dyn Val>::try_from(map).map_err(|e| fail(describe(&e)))?;
            context.add_variable_as_val(name, value);
        }
        match Value::resolve(&self.expr, &context) {
            Ok(Value::Bool(answer)) => Ok(answer),
            Ok(other) => Err(fail(format!(
                "gives {}, not true or false",
                type_name(&other)
            ))),
            Err(error) => Err(fail(describe(&error))),
        }
    }
}

/// What went wrong in an evaluation, naming keys and types but never a value: the flow's
/// attributes (an email address) do not belong in the log this ends up in.
fn describe(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => {
            format!("no key `{key}` (guard an optional one with `has()`)")
        }
        ExecutionError::NoSuchOverload(overload) => overload.to_string(),
        ExecutionError::UnexpectedType { got, want } => {
            format!("a value of type {got} where {want} was wanted")
        }
        ExecutionError::UndeclaredReference(name) => format!("undeclared reference `{name}`"),
        ExecutionError::InvalidArgumentCount { expected, actual } => {
            format!("{actual} arguments where {expected} were wanted")
        }
        ExecutionError::DivisionByZero(_) | ExecutionError::RemainderByZero(_) => {
            "division by zero".to_owned()
        }
        ExecutionError::Overflow(operator, ..) => format!("overflow in `{operator}`"),
        ExecutionError::ValuesNotComparable(..) => "values that cannot be compared".to_owned(),
        ExecutionError::IndexOutOfBounds(_) => "an index out of bounds".to_owned(),
        ExecutionError::FunctionError { function, .. } => format!("`{function}` failed"),
        _ => "an operation on values of the wrong type".to_owned(),
    }
}

fn string_map(map: &BTreeMap<String, String>) -> Value {
    let map: HashMap<String, String> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    Value::from(map)
}

fn typed_map(map: &BTreeMap<String, ContextValue>) -> Value {
    let map: HashMap<String, Value> = map
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ContextValue::String(text) => Value::from(text.clone()),
                ContextValue::Int(n) => Value::Int(*n),
                ContextValue::Bool(b) => Value::Bool(*b),
            };
            (k.clone(), value)
        })
        .collect();
    Value::from(map)
}

/// Collects the fields selected from the `context` variable. The tree was bounded in depth by
/// [`check`] when it compiled.
fn context_keys(expr: &IdedExpr, keys: &mut Vec<String>) {
    match &expr.expr {
        Expr::Select(select) => {
            if matches!(&select.operand.expr, Expr::Ident(name) if name == "context") {
                if !keys.contains(&select.field) {
                    keys.push(select.field.clone());
                }
            } else {
                context_keys(&select.operand, keys);
            }
        }
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                context_keys(target, keys);
            }
            call.args.iter().for_each(|arg| context_keys(arg, keys));
        }
        Expr::List(list) => list.elements.iter().for_each(|e| context_keys(e, keys)),
        Expr::Map(map) => {
            for entry in &map.entries {
                if let EntryExpr::MapEntry(entry) = &entry.expr {
                    context_keys(&entry.key, keys);
                    context_keys(&entry.value, keys);
                }
            }
        }
        _ => {}
    }
}

/// Whether the variable `variable` appears anywhere in the expression.
fn names(expr: &IdedExpr, variable: &str) -> bool {
    match &expr.expr {
        Expr::Ident(name) => name == variable,
        Expr::Select(select) => names(&select.operand, variable),
        Expr::Call(call) => {
            call.target.as_deref().is_some_and(|t| names(t, variable))
                || call.args.iter().any(|arg| names(arg, variable))
        }
        Expr::List(list) => list.elements.iter().any(|e| names(e, variable)),
        Expr::Map(map) => map.entries.iter().any(|entry| match &entry.expr {
            EntryExpr::MapEntry(entry) => {
                names(&entry.key, variable) || names(&entry.value, variable)
            }
            _ => false,
        }),
        _ => false,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Int(_) => "an int",
        Value::UInt(_) => "a uint",
        Value::Float(_) => "a double",
        Value::String(_) => "a string",
        Value::Bytes(_) => "bytes",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
        Value::Null => "null",
        _ => "a value",
    }
}

/// Where brackets first nest deeper than [`MAX_NESTING`] (line and column), outside string
/// literals; `None` when they never do. A rough lexer: an unclosed quote only makes the count
/// stop early, and the parser refuses the text anyway.
fn too_deep(source: &str) -> Option<(usize, usize)> {
    let (mut line, mut column, mut depth) = (1, 0, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        column += 1;
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some((line, column));
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
    }
    None
}

/// The line and column (from 1) of the node `id` in the source, when the parser recorded it.
fn position(info: &SourceInfo, id: u64) -> Option<(usize, usize)> {
    let (start, _) = info.offset_for(id)?;
    // The parser records byte offsets; people count characters.
    let before = info.source.get(..usize::try_from(start).ok()?)?;
    let (mut line, mut column) = (1, 1);
    for c in before.chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Some((line, column))
}

/// Refuses undeclared names, comprehensions, message literals and too deep a tree; `depth` is
/// that of `expr`. The recursion is bounded: [`too_deep`] and the parser's limit ran first, and
/// this walk stops at [`MAX_DEPTH`].
fn check(expr: &IdedExpr, info: &SourceInfo, depth: usize) -> Result<(), CompileError> {
    let at = |problem: String| CompileError {
        position: position(info, expr.id),
        problem,
    };
    if depth > MAX_DEPTH {
        return Err(at(format!(
            "the expression nests more than {MAX_DEPTH} operations deep"
        )));
    }
    let deeper = |child: &IdedExpr| check(child, info, depth + 1);
    match &expr.expr {
        Expr::Unspecified | Expr::Literal(_) => Ok(()),
        Expr::Ident(name) => {
            if VARIABLES.contains(&name.as_str()) {
                Ok(())
            } else {
                Err(at(format!(
                    "unknown variable `{name}`; known variables: {}",
                    VARIABLES.join(", ")
                )))
            }
        }
        Expr::Select(select) => deeper(&select.operand),
        Expr::Call(call) => {
            if !FUNCTIONS.contains(&call.func_name.as_str()) {
                return Err(at(format!(
                    "unknown or forbidden function `{}`; allowed: {}",
                    call.func_name,
                    FUNCTIONS
                        .iter()
                        .filter(|f| f.chars().all(char::is_alphanumeric))
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if let Some(target) = &call.target {
                deeper(target)?;
            }
            call.args.iter().try_for_each(deeper)
        }
        Expr::List(list) => list.elements.iter().try_for_each(deeper),
        Expr::Map(map) => map.entries.iter().try_for_each(|entry| match &entry.expr {
            EntryExpr::MapEntry(entry) => {
                deeper(&entry.key)?;
                deeper(&entry.value)
            }
            EntryExpr::StructField(_) => Err(at("a message field in a map".to_owned())),
        }),
        Expr::Comprehension(_) => Err(at(
            "comprehensions (all, exists, exists_one, map, filter) are not allowed".to_owned(),
        )),
        Expr::Struct(message) => Err(at(format!(
            "message literals (`{}{{…}}`) are not allowed",
            message.type_name
        ))),
    }
}
