//! `phone_number_verification`: at the code stage, the masked number the code went to, above
//! the code field, like `email_validation`'s address line; at the number stage nothing of its
//! own (the phone field, the SMS-or-call choice and the `send` action are the step's generic
//! fields and actions, see [`crate::field`]). The number reads left to right in every language,
//! so an Arabic page does not turn `+31 6 ••••• 678` around.
//!
//! The words around it ("We sent a code by text message to …") are the step's info message,
//! resolved on the server; the code field, `submit`, `resend`, `switch_channel` and
//! `change_number` are generic actions, with the resend cool-down as their `available_in`.

use journey_protocol::{BlockView, PhoneStage};
use web_sys::{Document, Element};

use crate::dom::el;

stylance::import_crate_style!(
    style,
    "src/blocks/phone_number_verification/phone_number_verification.module.css"
);

/// At the code stage, `<p data-jk-phone data-jk-channel="sms" dir="ltr">` with the masked
/// number; `None` at the number stage.
pub(super) fn build(doc: &Document, view: &BlockView) -> Option<Element> {
    let BlockView::PhoneNumberVerification {
        stage: PhoneStage::Code,
        phone_masked,
        channel,
        ..
    } = view
    else {
        return None;
    };
    el(
        doc,
        None,
        "p",
        style::number,
        &[
            ("data-jk-phone", ""),
            ("data-jk-channel", channel.as_str()),
            ("dir", "ltr"),
        ],
        phone_masked,
    )
}
