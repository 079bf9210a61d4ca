//! `attribute_consent`: the intro above the purposes' checkboxes (the checkboxes themselves are
//! the step's generic fields).

use journey_protocol::BlockView;
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/attribute_consent/attribute_consent.module.css"
);

/// `<p data-jk-intro>` with `view.intro`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::AttributeConsent { intro } = view else {
        return None;
    };
    el(
        doc,
        None,
        "p",
        style::intro,
        &[("data-jk-intro", "")],
        &intro.text,
    )
}
