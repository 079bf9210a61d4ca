//! Texts before and after the server resolves them.
//!
//! The engine builds a step's view with the protocol's own types, every [`crate::Text`] and
//! [`crate::Message`] holding a Fluent message id and its [`Args`] but no text yet. The server
//! walks the finished view once with [`Resolve`], filling each text in the flow's locale and
//! dropping the arguments, so what travels holds ids and texts only. The walk is generated with
//! each type (`lib.rs`), so a text nested in a new block view cannot be missed.

use serde::{Deserialize, Serialize};

/// A message argument: a number (Fluent formats it and selects plurals on it) or a text
/// (passed as it is: a code such as `081581` is text, never a number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A number.
    Number(i64),
    /// A text.
    Text(String),
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Self::Number(i64::from(value))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, i32, i64);

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

/// The named arguments of a text that is not resolved yet. Empty once resolved, and never sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Args(pub Vec<(String, Arg)>);

impl Args {
    /// Whether there are none (always so on the wire).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl crate::Decode for Args {
    /// Arguments never travel: whatever a peer sends under `args` is ignored.
    fn decode<S: crate::Source>(_: &S) -> Result<Self, crate::DecodeError> {
        Ok(Self::default())
    }

    fn absent() -> Result<Self, crate::DecodeError> {
        Ok(Self::default())
    }
}

/// How the server turns a message id and its arguments into the text in the flow's locale.
pub type Resolver<'a> = dyn FnMut(&str, &[(String, Arg)]) -> String + 'a;

/// A value whose texts can be resolved.
pub trait Resolve {
    /// Fills every text in the value from its id and arguments, and drops the arguments.
    fn resolve(&mut self, resolver: &mut Resolver<'_>);
}

impl<T: Resolve> Resolve for Option<T> {
    fn resolve(&mut self, resolver: &mut Resolver<'_>) {
        if let Some(value) = self {
            value.resolve(resolver);
        }
    }
}

impl<T: Resolve> Resolve for Vec<T> {
    fn resolve(&mut self, resolver: &mut Resolver<'_>) {
        for value in self {
            value.resolve(resolver);
        }
    }
}

macro_rules! no_texts {
    ($($t:ty),*) => {$(
        impl Resolve for $t {
            fn resolve(&mut self, _: &mut Resolver<'_>) {}
        }
    )*};
}
no_texts!(String, bool, u8, u16, u32, i64);
