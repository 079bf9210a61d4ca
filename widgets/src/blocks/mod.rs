//! The widget side of the building blocks: one folder per block of the engine's catalogue, and
//! the registration table [`BLOCKS`] that maps a block's name to what the widget draws for it.
//!
//! This module owns the block-specific part of a step: what a block shows beyond the generic
//! heading, messages, fields and actions that [`crate::step`] draws for every step (the masked
//! address of an email validation, the paragraphs of a show-information step). Each folder
//! `blocks/<block>/` is named exactly like the block and holds its `docs.md` (what it shows,
//! which view fields it reads, its data attributes); a block with a part of its own also holds
//! its `mod.rs` (built with the plain DOM helpers of `dom`) and its scoped CSS module. A block
//! that needs nothing beyond the generic step, or that runs on the server only, has its docs
//! and its line here, nothing else.
//!
//! Adding a block: its folder, and one line in [`BLOCKS`]. A block this table does not know (a
//! newer server), or a view the protocol reads as [`BlockView::Unknown`], gets the generic step
//! only, so a widget older than the server still shows every field and action.

mod attribute_consent;
mod document_consent;
mod email_validation;
mod identify_by_email_code;
mod phone_number_verification;
mod profile_completion;
mod show_information;

// The blocks' long names would not keep their table lines on one line.
use identify_by_email_code as identify;
use journey_protocol::{BlockView, Step};
use phone_number_verification as phone;
use web_sys::{Document, Element};

/// Builds a block's own part from its view; `None` when the view is not the one it reads.
pub type Builder = fn(&Document, &BlockView) -> Option<Element>;

/// What the widget draws for a block beyond the generic step.
#[derive(Clone, Copy)]
pub enum Part {
    /// A part of its own, above the step's messages and fields.
    Own(Builder),
    /// Nothing beyond the generic heading, messages, fields and actions.
    Generic,
    /// The block acts on the server only and never reaches the widget; should a step of it
    /// arrive all the same, the generic step shows.
    ServerOnly,
}

/// Every block of the engine's catalogue, one line each, in alphabetical order.
pub const BLOCKS: &[(&str, Part)] = &[
    ("attribute_consent", Part::Own(attribute_consent::build)),
    ("auto_login", Part::ServerOnly),
    ("collect_user_data", Part::Generic),
    ("decision_gateway", Part::ServerOnly),
    ("document_consent", Part::Own(document_consent::build)),
    ("duplicate_check", Part::ServerOnly),
    ("email_validation", Part::Own(email_validation::build)),
    ("find_account", Part::ServerOnly),
    ("identify_by_email_code", Part::Own(identify::build)),
    ("look_up_data", Part::ServerOnly),
    ("password_login", Part::Generic),
    ("phone_number_verification", Part::Own(phone::build)),
    ("profile_completion", Part::Own(profile_completion::build)),
    ("reset_password", Part::Generic),
    ("set_password", Part::Generic),
    ("show_information", Part::Own(show_information::build)),
];

/// What the widget draws for the block `name`; `None` for a block this build does not know.
pub fn part(name: &str) -> Option<Part> {
    BLOCKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, part)| *part)
}

/// Builds the block-specific part of `step` (drawn above its messages and fields), or `None`
/// when the generic step is all there is: a block without a part of its own, a block this build
/// does not know, or a view it cannot read.
pub(crate) fn build(doc: &Document, step: &Step) -> Option<Element> {
    if matches!(step.view, BlockView::Unknown) {
        return None;
    }
    match part(&step.block)? {
        Part::Own(build) => build(doc, &step.view),
        Part::Generic | Part::ServerOnly => None,
    }
}
