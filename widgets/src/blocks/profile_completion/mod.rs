//! `profile_completion`: the paragraphs that say why the step asks, above the fields of what the
//! account lacks (the generic step draws those).

use journey_protocol::BlockView;
use web_sys::{Document, Element};

stylance::import_crate_style!(
    style,
    "src/blocks/profile_completion/profile_completion.module.css"
);

/// `<div data-jk-body>` with one `<p data-jk-text-id="{id}">` per paragraph of `view.body`.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::ProfileCompletion { body } = view else {
        return None;
    };
    super::show_information::paragraphs(doc, body, style::intro)
}
