//! `document_consent`: each document's title, version and text, above the checkboxes that
//! accept them (the step's generic fields) and the accept, refuse or continue actions.
//!
//! The text comes as plain parts (`heading`, `paragraph`, `item`) and is set as text content,
//! never as HTML.

use journey_protocol::{BlockView, ConsentDocument};
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/document_consent/document_consent.module.css"
);

/// `<div data-jk-documents>` with one `<section data-jk-document="{id}">` per document.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::DocumentConsent { documents } = view else {
        return None;
    };
    let all = el(doc, None, "div", "", &[("data-jk-documents", "")], "")?;
    for document in documents {
        section(doc, &all, document)?;
    }
    Some(all)
}

/// One document: its title, version and, when it has a text, the text in a region that scrolls
/// on its own and takes the keyboard focus, so it can be read without a mouse.
fn section(doc: &Document, parent: &Element, document: &ConsentDocument) -> Option<()> {
    let attrs = [
        ("data-jk-document", document.id.as_str()),
        ("data-jk-change", &document.change),
    ];
    let section = el(doc, Some(parent), "section", style::document, &attrs, "")?;
    el(
        doc,
        Some(&section),
        "h3",
        style::title,
        &[],
        &document.title.text,
    )?;
    let version = [("data-jk-version", document.version.as_str())];
    el(
        doc,
        Some(&section),
        "p",
        style::version,
        &version,
        &document.version_label.text,
    )?;
    if document.body.is_empty() {
        return Some(());
    }
    let attrs = [
        ("role", "region"),
        ("tabindex", "0"),
        ("aria-label", document.title.text.as_str()),
        ("data-jk-document-text", ""),
    ];
    let text = el(doc, Some(&section), "div", style::text, &attrs, "")?;
    let mut list: Option<Element> = None;
    for part in &document.body {
        if part.kind == "item" {
            let ul = match &list {
                Some(ul) => ul.clone(),
                None => el(doc, Some(&text), "ul", "", &[], "")?,
            };
            el(doc, Some(&ul), "li", "", &[], &part.text)?;
            list = Some(ul);
            continue;
        }
        list = None;
        let tag = if part.kind == "heading" { "h4" } else { "p" };
        el(doc, Some(&text), tag, "", &[], &part.text)?;
    }
    Some(())
}
