//! `show_information`: paragraphs of text, above the step's actions (usually one `continue`);
//! `profile_completion` shows its paragraphs (why it asks) the same way, above its fields.

use journey_protocol::BlockView;
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/show_information/show_information.module.css"
);

/// `<div data-jk-body>` with one `<p data-jk-text-id="{id}">` per paragraph of `view.body`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let (BlockView::ShowInformation { body } | BlockView::ProfileCompletion { body }) = view else {
        return None;
    };
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
