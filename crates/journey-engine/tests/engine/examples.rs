//! The blocks' examples (`BlockCatalogue::examples`): every block a person sees has some, each
//! drawn by the block's real view, using only the message ids the block declares, and each
//! travels through serde unchanged.

use super::*;
use journey_protocol::{ActionKind, FieldKind, MessageLevel, Resolve};
use std::collections::{BTreeMap, BTreeSet};

/// Every message id a step shows, found by walking it as the server does to resolve it.
fn message_ids(step: &Step) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    step.clone().resolve(&mut |id, _| {
        ids.insert(id.to_owned());
        String::new()
    });
    ids
}

fn examples() -> BTreeMap<&'static str, BTreeMap<&'static str, Step>> {
    let catalogue = BlockCatalogue::standard();
    let examples = catalogue
        .examples(T0)
        .unwrap_or_else(|e| panic_free_fail(&e.to_string()));
    let mut by_block = BTreeMap::new();
    for (block, list) in examples {
        let count = list.len();
        let named: BTreeMap<_, _> = list.into_iter().collect();
        assert_eq!(named.len(), count, "{block}: example names must be unique");
        assert!(
            by_block.insert(block, named).is_none(),
            "{block} listed twice"
        );
    }
    by_block
}

fn example<'a>(
    all: &'a BTreeMap<&'static str, BTreeMap<&'static str, Step>>,
    block: &str,
    name: &str,
) -> &'a Step {
    all.get(block)
        .and_then(|examples| examples.get(name))
        .unwrap_or_else(|| panic_free_fail(&format!("{block} has no example `{name}`")))
}

#[test]
fn every_block_a_person_sees_has_examples_and_no_other_block_does() {
    let catalogue = BlockCatalogue::standard();
    let all = examples();
    for name in catalogue.names() {
        let waits = catalogue.waits_for_person(name);
        assert_eq!(waits.as_ref().map(|_| ()), Ok(()), "{name}");
        let has = all.get(name).is_some_and(|examples| !examples.is_empty());
        assert_eq!(
            has,
            waits == Ok(true),
            "{name}: examples exactly when a person sees it"
        );
    }
    assert_eq!(
        all.keys().copied().collect::<Vec<_>>(),
        [
            "attribute_consent",
            "collect_user_data",
            "document_consent",
            "email_validation",
            "identify_by_email_code",
            "password_login",
            "phone_number_verification",
            "profile_completion",
            "reset_password",
            "set_password",
            "show_information"
        ]
    );
}

#[test]
fn examples_use_only_the_message_ids_their_block_declares() {
    let catalogue = BlockCatalogue::standard();
    for (block, examples) in examples() {
        let declared: BTreeSet<String> = catalogue
            .example_message_ids(block)
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert!(!declared.is_empty(), "{block}");
        for (name, step) in examples {
            assert_eq!(step.block, block, "{block}/{name}");
            let unknown: Vec<_> = message_ids(&step).difference(&declared).cloned().collect();
            assert!(
                unknown.is_empty(),
                "{block}/{name} uses undeclared ids {unknown:?}"
            );
        }
    }
}

#[test]
fn examples_round_trip_through_serde_with_their_arguments() {
    for (block, examples) in examples() {
        for (name, step) in examples {
            let json = serde_json::to_string(&step).unwrap_or_default();
            let back: Option<Step> = serde_json::from_str(&json).ok();
            assert_eq!(back.as_ref(), Some(&step), "{block}/{name}: {json}");
        }
    }
    // Unresolved texts keep their arguments until the server resolves them.
    let all = examples();
    let json =
        serde_json::to_value(example(&all, "email_validation", "wrong_code")).unwrap_or_default();
    assert_eq!(
        json["fields"][0]["messages"][0]["args"],
        serde_json::json!([["left", 3]])
    );
}

#[test]
fn the_examples_show_the_states_they_are_named_after() {
    let all = examples();
    let code = |name| example(&all, "email_validation", name);
    let resend = |step: &Step| {
        step.actions
            .iter()
            .find(|a| a.id == "resend")
            .map(|a| a.available_in)
    };
    let field_messages = |step: &Step| -> Vec<String> {
        step.fields
            .iter()
            .flat_map(|f| {
                f.messages
                    .iter()
                    .map(move |m| format!("{}:{}", f.name, m.id))
            })
            .collect()
    };
    let step_messages =
        |step: &Step| -> Vec<String> { step.messages.iter().map(|m| m.id.clone()).collect() };

    assert_eq!(resend(code("code_sent")), Some(Some(30)));
    assert_eq!(resend(code("waiting_for_resend")), Some(Some(15)));
    assert_eq!(
        step_messages(code("waiting_for_resend")),
        ["email-validation-sent", "error-resend-wait"]
    );
    assert_eq!(resend(code("resend_available")), Some(None));
    assert_eq!(
        resend(code("last_code_sent")),
        None,
        "no resend after the last one"
    );
    assert!(matches!(
        code("wrong_code").view,
        BlockView::EmailValidation { attempts_left: 3, ref email_masked, .. } if email_masked == "j***@example.com"
    ));
    assert_eq!(
        field_messages(code("wrong_code")),
        ["code:error-code-wrong"]
    );
    assert_eq!(
        field_messages(code("code_expired")),
        ["code:error-code-expired"]
    );
    assert_eq!(
        field_messages(code("guesses_paused")),
        ["code:error-code-paused"]
    );
    assert_eq!(
        step_messages(code("message_cap_reached")),
        ["error-message-cap"],
        "nothing claims a code was sent"
    );
    assert_eq!(
        step_messages(code("code_resent")),
        ["email-validation-sent", "note-code-resent"]
    );
    assert_eq!(code("code_resent").messages[1].level, MessageLevel::Success);
    assert_eq!(code("code_sent").fields[0].kind, FieldKind::OneTimeCode);

    let collect = |name| example(&all, "collect_user_data", name);
    assert!(collect("empty").fields.iter().all(|f| f.value.is_none()));
    assert!(collect("filled").fields.iter().all(|f| f.value.is_some()));
    assert_eq!(
        field_messages(collect("field_errors")),
        [
            "email:error-email-invalid",
            "given_name:error-required",
            "family_name:error-required"
        ]
    );
    assert_eq!(
        collect("field_errors").fields[0].value.as_deref(),
        Some("jane.doe@example")
    );

    for block in ["set_password", "reset_password"] {
        let new_password = |name| example(&all, block, name);
        assert_eq!(
            field_messages(new_password("too_short")),
            ["password:error-password-too-short"]
        );
        assert_eq!(
            field_messages(new_password("common_password")),
            ["password:error-password-common"]
        );
        assert!(new_password("empty").fields[0].reveal.is_some());
        assert_eq!(
            new_password("empty").fields[0].value,
            None,
            "never a password"
        );
    }
    let taken = example(&all, "set_password", "account_taken");
    assert!(
        taken.fields.is_empty() && taken.actions.is_empty(),
        "the flow has ended"
    );
    assert_eq!(step_messages(taken), ["error-account-taken"]);

    let login = |name| example(&all, "password_login", name);
    assert_eq!(
        step_messages(login("wrong_password")),
        ["error-login-failed"]
    );
    assert_eq!(step_messages(login("throttled")), ["error-login-throttled"]);
    assert_eq!(step_messages(login("locked_out")), ["error-login-disabled"]);
    assert_eq!(
        login("wrong_password").fields[0].value.as_deref(),
        Some("jane.doe@example.com")
    );
    assert_eq!(
        login("wrong_password").fields[1].value,
        None,
        "never a password"
    );

    let page = example(&all, "show_information", "page");
    assert_eq!(
        page.actions.first().map(|a| a.kind),
        Some(ActionKind::Primary)
    );
    assert!(
        example(&all, "show_information", "flow_ended")
            .actions
            .is_empty()
    );
}

#[test]
fn the_phone_examples_show_both_stages_and_the_refusals() {
    let all = examples();
    let phone = |name| example(&all, "phone_number_verification", name);
    let shown = |step: &Step| match &step.view {
        BlockView::PhoneNumberVerification {
            stage,
            phone_masked,
            channel,
            ..
        } => (*stage, phone_masked.clone(), channel.clone()),
        other => panic_free_fail(&format!("not a phone view: {other:?}")),
    };
    let notes = |step: &Step| -> Vec<String> {
        let fields = step.fields.iter().flat_map(|f| {
            f.messages
                .iter()
                .map(move |m| format!("{}:{}", f.name, m.id))
        });
        step.messages
            .iter()
            .map(|m| m.id.clone())
            .chain(fields)
            .collect()
    };
    use journey_protocol::PhoneStage::{Code, Number};
    assert_eq!(
        shown(phone("number_empty")),
        (Number, String::new(), "sms".into())
    );
    assert_eq!(phone("number_empty").fields[0].kind, FieldKind::Phone);
    assert_eq!(phone("number_empty").fields[0].value, None);
    assert_eq!(
        phone("number_known").fields[0].value.as_deref(),
        Some("+31 6 12345678")
    );
    for (name, error) in [
        ("number_invalid", "phone_number:error-phone-invalid"),
        ("country_not_allowed", "phone_number:error-phone-country"),
        ("no_sms", "phone_number:error-phone-no-sms"),
    ] {
        assert_eq!(notes(phone(name)), [error], "{name}");
        assert!(phone(name).fields[0].value.is_some(), "{name}: echoed");
    }
    assert_eq!(
        shown(phone("code_sent_sms")),
        (Code, "+31 6 ••••• 678".into(), "sms".into())
    );
    assert_eq!(
        notes(phone("code_sent_sms")),
        ["phone-verification-sent-sms"]
    );
    assert_eq!(
        shown(phone("code_sent_voice")),
        (Code, "+31 20 •••• 567".into(), "voice".into())
    );
    assert_eq!(
        notes(phone("wrong_code")),
        ["phone-verification-sent-sms", "code:error-code-wrong"]
    );
    assert_eq!(
        notes(phone("waiting_for_resend")),
        ["phone-verification-sent-sms", "error-resend-wait"]
    );
    // A phone number is not called an address.
    assert_eq!(
        notes(phone("message_cap_reached")),
        ["error-message-cap-phone"]
    );
    assert_eq!(
        notes(phone("guesses_paused")),
        [
            "phone-verification-sent-sms",
            "code:error-code-paused-phone"
        ]
    );
    assert_eq!(shown(phone("message_cap_reached")).0, Number);
    let ids: Vec<&str> = phone("last_code_sent")
        .actions
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["submit"],
        "no more messages, by any channel or number"
    );
}
