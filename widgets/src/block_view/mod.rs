//! What a building block shows beyond its fields, actions and messages.
//!
//! This module owns the block-specific part of a step: the masked address of an email
//! validation, the paragraphs of a show-information step. Everything generic (fields, actions,
//! messages) is rendered by [`crate::step`], so a block that needs nothing extra (collect user
//! data, password login, set password) renders nothing here. A new block adds one arm.

use journey_protocol::BlockView;
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(style, "src/block_view/block_view.module.css");

/// Builds the block-specific part of a step (above its fields), or `None` when the block has
/// nothing of its own.
pub(crate) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    match view {
        BlockView::EmailValidation { email_masked, .. } => el(
            doc,
            None,
            "p",
            style::address,
            &[("data-jk-email", "")],
            email_masked,
        ),
        BlockView::ShowInformation { body } => {
            let div = el(doc, None, "div", style::body, &[("data-jk-body", "")], "")?;
            for p in body {
                el(
                    doc,
                    Some(&div),
                    "p",
                    "",
                    &[("data-jk-text-id", &p.id)],
                    &p.text,
                )?;
            }
            Some(div)
        }
        // Nothing of their own, or a view this build does not know: the generic step shows.
        BlockView::CollectUserData {}
        | BlockView::SetPassword { .. }
        | BlockView::PasswordLogin {}
        | BlockView::Unknown => None,
    }
}
