//! `show_information`: paragraphs of text, above the step's actions (usually one `continue`).
//! Other blocks that open with paragraphs draw them with [`paragraphs`].

use journey_protocol::{BlockView, Text};
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/show_information/show_information.module.css"
);

/// `<div data-jk-body>` with one `<p data-jk-text-id="{id}">` per paragraph of `view.body`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::ShowInformation { body } = view else {
        return None;
    };
    paragraphs(doc, body, style::body)
}

/// `<div data-jk-body>` of class `class` with one `<p data-jk-text-id="{id}">` per text.
pub(super) fn paragraphs(doc: &Document, body: &[Text], class: &str) -> Option<Element> {
    let div = el(doc, None, "div", class, &[("data-jk-body", "")], "")?;
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
