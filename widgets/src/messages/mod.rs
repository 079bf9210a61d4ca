//! The live region that announces a step's messages.
//!
//! This module owns how step-level messages are presented and announced. The region element is
//! created once by [`crate::step`] and stays in the DOM while the step changes (only its content
//! is replaced), because screen readers announce changes to a live region that already exists,
//! not a region that appears with its text. Field-level messages belong to [`crate::field`].

use journey_protocol::{Message, MessageLevel};
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(style, "src/messages/messages.module.css");

/// The class of the region.
pub(crate) const REGION_CLASS: &str = style::messages;

/// The class of a message level.
fn level_class(level: MessageLevel) -> &'static str {
    match level {
        MessageLevel::Info => style::info,
        MessageLevel::Success => style::success,
        MessageLevel::Error => style::error,
    }
}

/// Replaces the content of `region` with `messages`: `role="alert"` (assertive) while one of them
/// is an error, `role="status"` (polite) otherwise; the roles imply `aria-live`.
pub(crate) fn render(doc: &Document, region: &Element, messages: &[Message]) -> Option<()> {
    let error = messages.iter().any(|m| m.level == MessageLevel::Error);
    region
        .set_attribute("role", if error { "alert" } else { "status" })
        .ok()?;
    region.set_text_content(None);
    for m in messages {
        let class = [style::message, level_class(m.level)].join(" ");
        el(
            doc,
            Some(region),
            "p",
            &class,
            &[
                ("data-jk-message", m.level.as_str()),
                ("data-jk-message-id", &m.id),
            ],
            &m.text,
        )?;
    }
    Some(())
}
