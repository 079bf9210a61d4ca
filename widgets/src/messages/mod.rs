//! The live region that announces a step's messages.
//!
//! This component owns how step-level messages are presented and announced. It stays in the DOM
//! while the step changes (only its content is replaced), because screen readers announce
//! changes to a live region that already exists, not a region that appears with its text.
//! Field-level messages belong to [`crate::field`].

use journey_protocol::{Message, MessageLevel};
use leptos::prelude::*;

stylance::import_crate_style!(style, "src/messages/messages.module.css");

/// The class of a message level.
fn level_class(level: MessageLevel) -> &'static str {
    match level {
        MessageLevel::Info => style::info,
        MessageLevel::Success => style::success,
        MessageLevel::Error => style::error,
    }
}

/// The step's messages in a live region: `role="alert"` (assertive) while one of them is an
/// error, `role="status"` (polite) otherwise; the roles imply `aria-live`.
#[component]
pub fn Messages(
    /// The messages to show, in order.
    #[prop(into)]
    messages: Signal<Vec<Message>>,
    /// Extra classes for the region.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let has_error = move || messages.with(|m| m.iter().any(|m| m.level == MessageLevel::Error));
    view! {
        <div
            class=crate::classes(style::messages, class)
            data-jk-messages=""
            role=move || if has_error() { "alert" } else { "status" }
        >
            {move || {
                messages
                    .get()
                    .into_iter()
                    .map(|m| {
                        view! {
                            <p
                                class=format!("{} {}", style::message, level_class(m.level))
                                data-jk-message=m.level.as_str()
                                data-jk-message-id=m.id
                            >
                                {m.text}
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
