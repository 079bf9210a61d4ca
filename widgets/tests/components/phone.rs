//! Phone number verification in the widget: the phone field is a `tel` input with the server's
//! `autocomplete="tel"`, the SMS-or-call choice is a radio group, and the code stage shows the
//! masked number (left to right) above the code field, while the number stage shows none.

use super::*;
use crate::support::*;
use journey_protocol::PhoneStage;

fn phone_view(stage: PhoneStage) -> BlockView {
    BlockView::PhoneNumberVerification {
        stage,
        phone_masked: match stage {
            PhoneStage::Code => "+31 6 ••••• 678".into(),
            PhoneStage::Number => String::new(),
        },
        channel: "sms".into(),
        code_length: 6,
        attempts_left: 5,
        resend_available_in: 0,
    }
}

fn number_step() -> Step {
    let mut channel = field(
        "channel",
        FieldKind::Choice,
        "How should we send the code?",
        None,
    );
    channel.options = ["sms", "voice"]
        .iter()
        .map(|v| FieldOption {
            value: (*v).into(),
            label: text(&format!("phone-channel-{v}"), v),
        })
        .collect();
    channel.value = Some("sms".into());
    let mut number = field(
        "phone_number",
        FieldKind::Phone,
        "Phone number",
        Some("tel"),
    );
    number.max_length = Some(32);
    number.value = Some("020 123 4567".into());
    number.messages = vec![Message::new(
        MessageLevel::Error,
        text(
            "error-phone-no-sms",
            "This number cannot receive text messages.",
        ),
    )];
    Step {
        id: "phone".into(),
        block: "phone_number_verification".into(),
        title: text("phone-verification-title", "Verify your phone number"),
        view: phone_view(PhoneStage::Number),
        fields: vec![number, channel],
        actions: vec![action("send", ActionKind::Primary, "Send code", true, None)],
        messages: vec![],
    }
}

fn code_stage() -> Step {
    Step {
        view: phone_view(PhoneStage::Code),
        fields: vec![field(
            "code",
            FieldKind::OneTimeCode,
            "Code",
            Some("one-time-code"),
        )],
        actions: vec![
            action("submit", ActionKind::Primary, "Verify", true, None),
            action(
                "resend",
                ActionKind::Secondary,
                "Send a new code",
                false,
                None,
            ),
            action(
                "switch_channel",
                ActionKind::Secondary,
                "Call me instead",
                false,
                None,
            ),
            action(
                "change_number",
                ActionKind::Secondary,
                "Use another number",
                false,
                None,
            ),
        ],
        messages: vec![Message::new(
            MessageLevel::Info,
            text(
                "phone-verification-sent-sms",
                "We sent a code by text message to +31 6 ••••• 678.",
            ),
        )],
        ..number_step()
    }
}

#[wasm_bindgen_test]
async fn the_phone_field_is_a_tel_input_that_keeps_what_was_typed() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(number_step());
    settle().await;
    let number = input(&root, "phone_number");
    assert_eq!(number.type_(), "tel");
    assert_eq!(number.get_attribute("autocomplete").as_deref(), Some("tel"));
    assert_eq!(number.get_attribute("inputmode").as_deref(), Some("tel"));
    assert_eq!(number.get_attribute("spellcheck").as_deref(), Some("false"));
    assert_eq!(number.value(), "020 123 4567");
    assert_eq!(
        number.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        root.query_selector("[data-jk-phone]").unwrap().is_none(),
        "no number is shown before a code went to one"
    );
    for value in ["sms", "voice"] {
        let radio: HtmlInputElement = find(
            &root,
            &format!("input[type=\"radio\"][data-jk-field=\"channel\"][value=\"{value}\"]"),
        )
        .unchecked_into();
        assert_eq!(
            radio.checked(),
            value == "sms",
            "{value}: the server's choice"
        );
    }
    let voice: HtmlInputElement = find(&root, "input[value=\"voice\"]").unchecked_into();
    voice.click();
    // Typed as at home, with spaces: the server reads it, the widget keeps it as it is.
    type_into(&number, "06 12 34 56 78");
    assert_eq!(number.value(), "06 12 34 56 78");
    find(&root, "button[data-jk-action=\"send\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].action, "send");
    assert_eq!(
        sent[0].values.get("phone_number").map(String::as_str),
        Some("06 12 34 56 78")
    );
    assert_eq!(
        sent[0].values.get("channel").map(String::as_str),
        Some("voice")
    );
}

#[wasm_bindgen_test]
async fn the_code_stage_shows_the_masked_number_left_to_right() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(code_stage());
    settle().await;
    let number = find(&root, "p[data-jk-phone]");
    assert_eq!(number.text_content().as_deref(), Some("+31 6 ••••• 678"));
    assert_eq!(number.get_attribute("dir").as_deref(), Some("ltr"));
    assert_eq!(
        number.get_attribute("data-jk-channel").as_deref(),
        Some("sms")
    );
    assert!(!number.class_name().is_empty(), "the block's scoped class");
    let code = input(&root, "code");
    type_into(&code, "123 456");
    assert_eq!(code.value(), "123456", "a pasted code keeps its digits");
    for id in ["switch_channel", "change_number"] {
        find(&root, &format!("button[data-jk-action=\"{id}\"]"));
    }
    find(&root, "button[data-jk-action=\"switch_channel\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].action, "switch_channel");
}
