//! The two live regions that show and announce a step's messages.
//!
//! This module owns how step-level messages are presented and announced. [`crate::step`] creates
//! two regions once, both empty: `role="alert"` (assertive) for errors and `role="status"`
//! (polite) for the rest. They stay in the DOM, and keep their roles, while the steps change
//! (only their content is replaced), because screen readers announce changes to a live region
//! that already exists, not a region that appears with its text or changes its role. Field-level
//! messages belong to [`crate::field`]; the driver adds the server's summary of field errors as
//! an error message of the step, so it is announced here.

use journey_protocol::{Message, MessageLevel};
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(style, "src/messages/messages.module.css");

/// The class of a region.
pub(crate) const REGION_CLASS: &str = style::messages;

/// The class of a message level.
fn level_class(level: MessageLevel) -> &'static str {
    match level {
        MessageLevel::Info => style::info,
        MessageLevel::Success => style::success,
        MessageLevel::Error => style::error,
    }
}

/// Replaces the content of the regions with `messages`: errors into `alert`, info and success
/// into `status`. A region without a message is left empty.
pub(crate) fn render(
    doc: &Document,
    [alert, status]: &[Element; 2],
    messages: &[Message],
) -> Option<()> {
    alert.set_text_content(None);
    status.set_text_content(None);
    for m in messages {
        let region = if m.level == MessageLevel::Error {
            alert
        } else {
            status
        };
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
