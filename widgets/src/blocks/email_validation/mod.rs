//! `email_validation`: the masked address the code was sent to, above the code field. The
//! address line ([`address`]) is shared with `identify_by_email_code`, whose step shows the
//! same, each with its own scoped class.
//!
//! The code field and the `submit` and `resend` actions are the step's generic fields and
//! actions; the resend cool-down is the action's `available_in` (see [`crate::step`]). Only the
//! address is this block's own.

use journey_protocol::BlockView;
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/email_validation/email_validation.module.css"
);

/// `<p data-jk-email>` with the masked address, such as `j***@example.com`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::EmailValidation { email_masked, .. } = view else {
        return None;
    };
    address(doc, style::address, email_masked)
}

/// `<p data-jk-email>` with a masked address, for every block that sent a code to one, with
/// that block's scoped class `class`.
pub(super) fn address(doc: &Document, class: &str, email_masked: &str) -> Option<Element> {
    el(
        doc,
        None,
        "p",
        class,
        &[("data-jk-email", "")],
        email_masked,
    )
}
