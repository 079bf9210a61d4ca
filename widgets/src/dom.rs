//! A few non-generic helpers that build DOM with `web_sys` directly.
//!
//! The parts of a step (heading, block view, messages, fields, actions) are static once an answer
//! arrived, so they are built with these helpers instead of nested `view!` closures: every
//! `view!` shape is another monomorphised copy of Leptos's build and rebuild code in the wasm,
//! while these functions exist once. Building the nodes afresh for every answer also means no
//! element (and no live `value` the person typed) is carried from one answer to the next.

use web_sys::{Document, Element};

/// Creates `<tag>` with `class` (when not empty), the attribute pairs and `text` (when not
/// empty), and appends it to `parent` when given. `None` only for an invalid tag or attribute.
pub(crate) fn el(
    doc: &Document,
    parent: Option<&Element>,
    tag: &str,
    class: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    for (name, value) in attrs {
        e.set_attribute(name, value).ok()?;
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    if let Some(parent) = parent {
        parent.append_child(&e).ok()?;
    }
    Some(e)
}
