//! The step that asks for a new password, shared by `set_password` (registration) and
//! `reset_password` (recovery): its length settings, its view, the reason a password is refused
//! ([`crate::password_policy`] with the words this person and site must not use), and the
//! examples both blocks show.

use crate::kernel::{
    Cx, EngineError, Example, FlowState, ViewCx, field, settings, step, submit_action,
};
use crate::password_policy::{self, Refusal, Words};
use journey_protocol::{BlockView, Field, FieldKind, REVEAL_HIDE, REVEAL_SHOW, Reveal, Step, Text};
use serde::Deserialize;

/// The settings of a block that asks for a new password: its length bounds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lengths {
    #[serde(default = "default_min")]
    min_length: u32,
    #[serde(default = "default_max")]
    max_length: u32,
}

fn default_min() -> u32 {
    15
}
fn default_max() -> u32 {
    128
}

/// How long a new password may be, in code points after NFC.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub min: u32,
    pub max: u32,
}

impl Bounds {
    /// Parses and checks the length bounds of a new password.
    pub(crate) fn from_settings(table: toml::Table) -> Result<Self, String> {
        let lengths: Lengths = settings(table)?;
        // NIST SP 800-63B-4: 15 when the password is the only factor. No journey block adds a
        // second factor yet, so 15 is the floor; it drops to 8 once one exists.
        if lengths.min_length < 15 {
            return Err("`min_length` must be at least 15: the password is the only factor".into());
        }
        if lengths.max_length < 64 || lengths.max_length > 1024 {
            return Err("`max_length` must be between 64 and 1024".into());
        }
        if lengths.min_length > lengths.max_length {
            return Err("`min_length` must not exceed `max_length`".into());
        }
        Ok(Self {
            min: lengths.min_length,
            max: lengths.max_length,
        })
    }
}

/// Why a new password is refused, if it is: the policy of [`password_policy::check`] with the
/// words this flow's person and brand must not use.
pub(crate) fn refusal(cx: &Cx<'_>, password: &str, bounds: Bounds) -> Option<Text> {
    if password.is_empty() {
        return Some(Text::msg("error-required"));
    }
    let words = words(cx.state, cx.protected_words());
    password_policy::check(password, bounds.min, bounds.max, &words)
        .err()
        .map(|refusal| message(&refusal, bounds))
}

fn words<'a>(state: &'a FlowState, protected: &'a [String]) -> Words<'a> {
    Words {
        email: state.attribute("email"),
        names: ["given_name", "family_name"]
            .iter()
            .filter_map(|name| state.attribute(name))
            .collect(),
        protected,
    }
}

/// The message that explains a refusal.
fn message(refusal: &Refusal, bounds: Bounds) -> Text {
    match refusal {
        Refusal::InvalidCharacters => Text::msg("error-password-invalid-characters"),
        Refusal::TooShort => Text::msg("error-password-too-short").arg("min", bounds.min),
        Refusal::TooLong => Text::msg("error-password-too-long").arg("max", bounds.max),
        Refusal::Common => Text::msg("error-password-common"),
        Refusal::Personal => Text::msg("error-password-personal"),
        Refusal::Brand(brand) => Text::msg("error-password-brand").arg("brand", brand.as_str()),
    }
}

/// The message ids of [`view`] and [`refusal`], with the step's `title`.
pub(crate) fn message_ids(title: &str) -> Vec<String> {
    [
        title,
        "field-new-password",
        "field-new-password-hint",
        REVEAL_SHOW,
        REVEAL_HIDE,
        "action-set-password",
        "error-required",
        "error-password-too-short",
        "error-password-too-long",
        "error-password-common",
        "error-password-personal",
        "error-password-brand",
        "error-password-invalid-characters",
    ]
    .map(String::from)
    .to_vec()
}

/// The step of `block`, titled `title`, that asks for a new password within `bounds`.
pub(crate) fn view(cx: &ViewCx<'_>, block: &str, title: &str, bounds: Bounds) -> Step {
    let view = BlockView::SetPassword {
        min_length: bounds.min,
        max_length: bounds.max,
    };
    let mut step = step(cx.step(), block, Text::msg(title), view);
    step.fields.push(Field {
        autocomplete: Some("new-password".into()),
        min_length: Some(bounds.min),
        max_length: Some(bounds.max),
        hint: Some(Text::msg("field-new-password-hint").arg("min", bounds.min)),
        reveal: Some(Reveal::standard()),
        ..field("password", FieldKind::Password, "field-new-password")
    });
    step.actions.push(submit_action("action-set-password"));
    step
}

/// The examples of a new-password step of `block`: empty, and each kind of refusal a person
/// meets (the refusals as [`refusal`] words them).
pub(crate) fn examples(block: &str, bounds: Bounds) -> Result<Vec<Example>, EngineError> {
    let person = |name| {
        Example::new(name, block)
            .attribute("email", "jane.doe@example.com")
            .attribute("given_name", "Jane")
            .attribute("family_name", "Doe")
    };
    let refused =
        |name, refusal: Refusal| person(name).field_error("password", message(&refusal, bounds));
    Ok(vec![
        person("empty"),
        refused("too_short", Refusal::TooShort),
        refused("common_password", Refusal::Common),
        refused("personal_password", Refusal::Personal),
        refused("brand_name", Refusal::Brand("Example Brand".into())),
        refused("invalid_characters", Refusal::InvalidCharacters),
    ])
}
