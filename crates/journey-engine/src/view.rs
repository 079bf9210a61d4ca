//! What a block shows at its step, as engine types: message ids with arguments, not texts.
//!
//! The server resolves every [`Msg`] with Fluent in the flow's locale and converts the result
//! to the wire types of `journey-protocol`.

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

/// A Fluent message id and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    /// The message id in `locales/`.
    pub id: String,
    /// Named arguments, as strings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Msg {
    /// A message without arguments.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            args: Vec::new(),
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.push((name.to_owned(), value.into()));
        self
    }
}

/// How a note should be presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Neutral information.
    Info,
    /// Something went well.
    Success,
    /// Something must be fixed.
    Error,
}

/// A message about the step or, when `field` is set, one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The field it is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// How to present it.
    pub level: Level,
    /// The text.
    pub msg: Msg,
}

impl Note {
    /// An error about one field.
    pub fn field_error(field: &str, msg: Msg) -> Self {
        Self {
            field: Some(field.to_owned()),
            level: Level::Error,
            msg,
        }
    }

    /// An error about the whole step.
    pub fn step_error(msg: Msg) -> Self {
        Self {
            field: None,
            level: Level::Error,
            msg,
        }
    }

    /// A success note about the whole step.
    pub fn success(msg: Msg) -> Self {
        Self {
            field: None,
            level: Level::Success,
            msg,
        }
    }
}

/// The label of a password field's toggle while the password is hidden.
pub const REVEAL_SHOW: &str = "action-reveal-show";

/// The label of a password field's toggle while the password is shown.
pub const REVEAL_HIDE: &str = "action-reveal-hide";

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An email address.
    Email,
    /// A password.
    Password,
    /// A one-time code of digits.
    OneTimeCode,
}

/// One input of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldView {
    /// The key the value is submitted under.
    pub name: String,
    /// What it holds.
    pub kind: FieldKind,
    /// The label.
    pub label: Msg,
    /// Whether it must be filled.
    pub required: bool,
    /// The HTML autocomplete token.
    pub autocomplete: Option<&'static str>,
    /// Fewest characters accepted.
    pub min_length: Option<u32>,
    /// Most characters accepted.
    pub max_length: Option<u32>,
    /// A hint below the label.
    pub hint: Option<Msg>,
    /// The value to show again. Never a secret.
    pub value: Option<String>,
    /// Whether the field gets a show/hide toggle, labelled [`REVEAL_SHOW`] and [`REVEAL_HIDE`].
    pub reveal: bool,
    /// Notes about this field.
    pub notes: Vec<Note>,
}

/// A button of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionView {
    /// The id a submission names.
    pub id: &'static str,
    /// Whether it is the main way forward.
    pub primary: bool,
    /// The label.
    pub label: Msg,
    /// Whether the fields go with it.
    pub submits_fields: bool,
    /// Seconds until it is available; `None` means now.
    pub available_in: Option<u32>,
    /// Why it is not available yet.
    pub hint: Option<Msg>,
}

/// The typed part of a step that only its block has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewKind {
    /// Collect user data.
    CollectUserData,
    /// Email validation.
    EmailValidation {
        /// The masked address the code went to.
        email_masked: String,
        /// Digits in the code.
        code_length: u8,
        /// Wrong tries left for the current code.
        attempts_left: u8,
        /// Seconds until a resend is allowed.
        resend_in: u32,
    },
    /// Set password.
    SetPassword {
        /// Fewest code points.
        min_length: u32,
        /// Most code points.
        max_length: u32,
    },
    /// Show information.
    ShowInformation {
        /// Paragraphs.
        body: Vec<Msg>,
    },
    /// Identifier and password login.
    PasswordLogin,
}

/// Everything the server needs to render the current step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepView {
    /// The step id.
    pub step: String,
    /// The block name.
    pub block: &'static str,
    /// The heading.
    pub title: Msg,
    /// The block-specific part.
    pub kind: ViewKind,
    /// Inputs in display order.
    pub fields: Vec<FieldView>,
    /// Buttons in display order.
    pub actions: Vec<ActionView>,
    /// Notes about the whole step.
    pub notes: Vec<Note>,
}
