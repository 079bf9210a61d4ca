//! What a building block shows beyond its fields, actions and messages.
//!
//! This module owns the block-specific part of a step: the masked address of an email
//! validation, the paragraphs of a show-information step. Everything generic (fields, actions,
//! messages) is rendered by [`crate::step`], so a block that needs nothing extra (collect user
//! data, password login, set password) renders nothing here. A new block adds one arm.

use journey_protocol::BlockView;
use leptos::prelude::*;

stylance::import_crate_style!(style, "src/block_view/block_view.module.css");

/// The block-specific part of a step, above its fields.
#[component]
pub fn BlockIntro(
    /// The typed view of the step's block.
    view: BlockView,
) -> impl IntoView {
    match view {
        BlockView::EmailValidation { email_masked, .. } => view! {
            <p class=style::address data-jk-email="">
                {email_masked}
            </p>
        }
        .into_any(),
        BlockView::ShowInformation { body } => view! {
            <div class=style::body data-jk-body="">
                {body
                    .into_iter()
                    .map(|p| view! { <p data-jk-text-id=p.id>{p.text}</p> })
                    .collect_view()}
            </div>
        }
        .into_any(),
        BlockView::CollectUserData | BlockView::SetPassword { .. } | BlockView::PasswordLogin => {
            ().into_any()
        }
    }
}
