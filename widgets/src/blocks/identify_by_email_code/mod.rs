//! `identify_by_email_code`: the masked address the sign-in code was sent to, above the code
//! field: the same line as `email_validation`'s ([`super::email_validation::address`]), with
//! this block's scoped class; the code field and the `submit` and `resend` actions are the
//! step's generic fields and actions.

use journey_protocol::BlockView;
use web_sys::{Document, Element};

stylance::import_crate_style!(
    style,
    "src/blocks/identify_by_email_code/identify_by_email_code.module.css"
);

/// `<p data-jk-email>` with the masked address, such as `j***@example.com`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::IdentifyByEmailCode { email_masked, .. } = view else {
        return None;
    };
    super::email_validation::address(doc, style::address, email_masked)
}
