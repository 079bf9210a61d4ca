//! Context from the page: what a journey declares it accepts (`[context]` in its file), and the
//! check of a start request's context against that declaration.
//!
//! A journey file declares each key with its type:
//!
//! ```toml
//! [context]
//! product = "string"
//! quote = "string"
//! age = "int"
//! returning = "bool"
//! ```
//!
//! Keys follow the rule of step ids (a-z, 0-9, _; at most 64 characters), at most
//! [`MAX_CONTEXT_KEYS`] of them. A start whose context is not an object, names a key the
//! journey does not declare, or gives a value of another type, a string longer than
//! [`MAX_CONTEXT_CHARS`] characters or one with control characters, is refused
//! ([`ContextRefusal`], naming the key); every declared key is optional.
//!
//! The page is not trusted: a flow keeps its context apart from the attributes it collects
//! (`FlowState::context`), so context never sets an attribute, never counts as verified and
//! never raises a level of assurance. Conditions read it as CEL's `context` variable, and
//! `look_up_data` may send a value of it to the tenant's service.

use journey_protocol::{Context, ContextValue as WireValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most keys a journey may declare (and so a start may pass).
pub const MAX_CONTEXT_KEYS: usize = 32;

/// The longest string value a start may pass, in characters.
pub const MAX_CONTEXT_CHARS: usize = 200;

/// The type of a declared context key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextType {
    /// A string of at most [`MAX_CONTEXT_CHARS`] characters.
    String,
    /// A whole number within 64 bits.
    Int,
    /// `true` or `false`.
    Bool,
}

impl ContextType {
    /// The name journey files use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Bool => "bool",
        }
    }
}

/// One value of a flow's context, of its declared type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// A string.
    String(String),
    /// A whole number.
    Int(i64),
    /// A yes or no.
    Bool(bool),
}

impl ContextValue {
    /// The value as text, as a look-up sends it: a string as it is, a number in decimal,
    /// `true` or `false`.
    pub fn to_text(&self) -> String {
        match self {
            Self::String(text) => text.clone(),
            Self::Int(n) => n.to_string(),
            Self::Bool(b) => b.to_string(),
        }
    }
}

/// The context keys a journey accepts, with their types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextDeclarations(BTreeMap<String, ContextType>);

/// Why a start request's context was refused: the key (when one is to blame) and what is wrong
/// with it, naming types, never the value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ContextRefusal {
    /// The key, when the problem is one key's.
    pub key: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ContextRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "context key `{}`: {}", key.escape_debug(), self.problem),
            None => write!(f, "context: {}", self.problem),
        }
    }
}

impl ContextDeclarations {
    /// Reads a journey file's `[context]` table: every problem, one sentence each.
    pub(crate) fn parse(raw: BTreeMap<String, String>) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        if raw.len() > MAX_CONTEXT_KEYS {
            problems.push(format!(
                "[context] declares {} keys; at most {MAX_CONTEXT_KEYS} are allowed",
                raw.len()
            ));
        }
        let mut keys = BTreeMap::new();
        for (key, kind) in raw {
            if !is_key(&key) {
                problems.push(format!(
                    "[context] key `{}` must use only a-z, 0-9 and _, and at most 64 characters",
                    key.escape_debug()
                ));
                continue;
            }
            let kind = match kind.as_str() {
                "string" => ContextType::String,
                "int" => ContextType::Int,
                "bool" => ContextType::Bool,
                other => {
                    problems.push(format!(
                        "[context] `{key} = \"{}\"`: the type must be \"string\", \"int\" or \"bool\"",
                        other.escape_debug()
                    ));
                    continue;
                }
            };
            keys.insert(key, kind);
        }
        if problems.is_empty() {
            Ok(Self(keys))
        } else {
            Err(problems)
        }
    }

    /// The declared keys and their types.
    pub fn keys(&self) -> impl Iterator<Item = (&str, ContextType)> {
        self.0.iter().map(|(key, kind)| (key.as_str(), *kind))
    }

    /// The type of `key`, if it is declared.
    pub fn get(&self, key: &str) -> Option<ContextType> {
        self.0.get(key).copied()
    }

    /// Checks a start request's `context` and gives the flow's typed context.
    pub fn check(
        &self,
        context: &Context,
    ) -> Result<BTreeMap<String, ContextValue>, ContextRefusal> {
        let refuse = |key: Option<&str>, problem: String| ContextRefusal {
            key: key.map(str::to_owned),
            problem,
        };
        let entries = match context {
            Context::Object(entries) => entries,
            Context::NotAnObject(kind) => {
                return Err(refuse(None, format!("must be a JSON object, not {kind}")));
            }
        };
        let mut checked = BTreeMap::new();
        for (key, value) in entries {
            let Some(want) = self.get(key) else {
                return Err(refuse(
                    Some(shown_key(key).as_str()),
                    "the journey does not accept this key".to_owned(),
                ));
            };
            let value = match (want, value) {
                (ContextType::String, WireValue::String(text)) => {
                    let chars = text.chars().count();
                    if chars > MAX_CONTEXT_CHARS {
                        return Err(refuse(
                            Some(key),
                            format!("{chars} characters; at most {MAX_CONTEXT_CHARS} are allowed"),
                        ));
                    }
                    if text.chars().any(char::is_control) {
                        return Err(refuse(Some(key), "contains control characters".to_owned()));
                    }
                    ContextValue::String(text.clone())
                }
                (ContextType::Int, WireValue::Int(n)) => ContextValue::Int(*n),
                (ContextType::Bool, WireValue::Bool(b)) => ContextValue::Bool(*b),
                (want, got) => {
                    return Err(refuse(
                        Some(key),
                        format!("must be {}, not {}", want.as_str(), got.kind()),
                    ));
                }
            };
            checked.insert(key.clone(), value);
        }
        Ok(checked)
    }
}

/// An unknown key as an error names it: cut to 64 characters, so a hostile page cannot make
/// the error (or the log) long.
fn shown_key(key: &str) -> String {
    let mut shown: String = key.chars().filter(|c| !c.is_control()).take(64).collect();
    if shown.len() < key.len() {
        shown.push('…');
    }
    shown
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
