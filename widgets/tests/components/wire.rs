//! The protocol's decoder (as the widget runs it, over the browser's `JSON.parse`) against
//! serde, request bodies, and the fallback texts.

use super::*;
use crate::support::*;

#[wasm_bindgen_test]
fn the_wire_decoder_reads_what_serde_writes() {
    let mut step = password_step();
    step.messages = vec![Message {
        level: MessageLevel::Success,
        id: "sent".into(),
        text: "Sent.".into(),
        args: Default::default(),
    }];
    step.fields[0].min_length = Some(15);
    step.fields[0].max_length = Some(128);
    for flow in [
        flow_with(collect_step()),
        flow_with(code_step(Some(30))),
        flow_with(step),
    ] {
        let json = serde_json::to_string(&flow).unwrap();
        assert_eq!(client::parse(200, &json), Ok(Answer::Flow(flow)));
    }
    let complete = Flow {
        status: FlowStatus::Complete,
        step: None,
        outcome: Some(Outcome {
            message: text("outcome-signed-in", "You are signed in."),
            session: Session {
                subject: "u-123".into(),
                acr: "loa2".into(),
                amr: vec!["pwd".into(), "otp".into()],
                auth_time: 1_800_000_000,
                expires_at: 1_800_086_400,
            },
            id_token: Some("eyJ.a.b".into()),
            redirect: None,
        }),
        ..flow_with(collect_step())
    };
    let json = serde_json::to_string(&complete).unwrap();
    assert_eq!(
        client::parse(201, &json),
        Ok(Answer::Flow(complete.clone()))
    );
    let error = ErrorBody {
        error: ErrorDetail {
            code: ErrorCode::StepMismatch,
            id: "error-step".into(),
            text: "Moved on.".into(),
        },
        flow: Some(complete),
    };
    let json = serde_json::to_string(&error).unwrap();
    assert_eq!(client::parse(409, &json), Ok(Answer::Error(error, 409)));
    // Not the protocol's JSON: a network failure, so the person gets a retry.
    assert!(client::parse(502, "<html>Bad gateway</html>").is_err());
    assert!(client::parse(200, "{\"id\":\"x\"}").is_err());
}

/// The name of the sample that covers `view`. A match without a wildcard arm: a new variant of
/// `BlockView` does not compile here until the test below has a sample of it.
fn covered(view: &BlockView) -> &'static str {
    match view {
        BlockView::CollectUserData {} => "collect_user_data",
        BlockView::EmailValidation { .. } => "email_validation",
        BlockView::IdentifyByEmailCode { .. } => "identify_by_email_code",
        BlockView::PhoneNumberVerification { .. } => "phone_number_verification",
        BlockView::SetPassword { .. } => "set_password",
        BlockView::ShowInformation { .. } => "show_information",
        BlockView::PasswordLogin {} => "password_login",
        BlockView::ProfileCompletion { .. } => "profile_completion",
        BlockView::AttributeConsent { .. } => "attribute_consent",
        BlockView::DocumentConsent { .. } => "document_consent",
        BlockView::Unknown => "unknown",
    }
}

#[wasm_bindgen_test]
fn every_block_view_decodes_from_what_serde_writes() {
    let samples = [
        BlockView::CollectUserData {},
        BlockView::EmailValidation {
            email_masked: "j***@bücher.de".into(),
            code_length: 8,
            attempts_left: 2,
            resend_available_in: 45,
        },
        BlockView::IdentifyByEmailCode {
            email_masked: "j***@example.com".into(),
            code_length: 6,
            attempts_left: 5,
            resend_available_in: 0,
        },
        BlockView::PhoneNumberVerification {
            stage: journey_protocol::PhoneStage::Code,
            phone_masked: "+31 6 ••••• 678".into(),
            channel: "voice".into(),
            code_length: 6,
            attempts_left: 4,
            resend_available_in: 12,
        },
        BlockView::SetPassword {
            min_length: 15,
            max_length: 128,
        },
        BlockView::ShowInformation {
            body: vec![
                text("p1", "First paragraph."),
                text("p2", "Zweiter \"Absatz\"\n<b>kein HTML</b>."),
            ],
        },
        BlockView::PasswordLogin {},
        BlockView::ProfileCompletion {
            body: vec![text("intro", "Só o que falta.")],
        },
        BlockView::AttributeConsent {
            intro: text("attribute-consent-intro", "Tick what we may do."),
        },
        BlockView::DocumentConsent {
            documents: vec![journey_protocol::ConsentDocument {
                id: "terms".into(),
                version: "2.0".into(),
                title: text("consent-document-terms", "Terms of use"),
                version_label: text("document-consent-version", "Version 2.0"),
                change: "required".into(),
                body: vec![journey_protocol::DocumentPart {
                    kind: "paragraph".into(),
                    text: "<b>kein HTML</b>".into(),
                }],
            }],
        },
        BlockView::Unknown,
    ];
    let mut seen: Vec<&str> = samples.iter().map(covered).collect();
    seen.sort_unstable();
    let mut expected: Vec<&str> = BlockView::KINDS
        .iter()
        .copied()
        .chain(["unknown"])
        .collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "one sample per variant, each kind once");
    for view in samples {
        // The view inside a whole flow, as the widget receives it.
        let mut step = collect_step();
        step.block = view.kind().unwrap_or("newer_block").into();
        step.view = view.clone();
        let flow = flow_with(step);
        let json = serde_json::to_string(&flow).unwrap();
        assert_eq!(
            client::parse(200, &json),
            Ok(Answer::Flow(flow)),
            "{}",
            covered(&view)
        );
    }
}

#[wasm_bindgen_test]
fn what_a_newer_server_sends_reads_with_fallbacks_not_as_a_network_error() {
    let mut json = serde_json::to_value(flow_with(code_step(Some(30)))).unwrap();
    json["step"]["block"] = "phone_verification".into();
    json["step"]["view"] = serde_json::json!({"kind": "phone_verification", "channel": "sms"});
    json["step"]["fields"][0]["kind"] = "tel".into();
    json["step"]["actions"][1]["kind"] = "tertiary".into();
    json["step"]["messages"] = serde_json::json!([{"level": "warning", "id": "w", "text": "Hm."}]);
    json["step"]["extra"] = serde_json::json!({"anything": [1, 2]});
    let Ok(Answer::Flow(flow)) = client::parse(200, &json.to_string()) else {
        panic!("a newer server's flow must read");
    };
    let step = flow.step.unwrap();
    assert_eq!(step.block, "phone_verification");
    assert_eq!(step.view, BlockView::Unknown);
    assert_eq!(step.fields[0].kind, FieldKind::Text);
    assert_eq!(step.actions[1].kind, ActionKind::Secondary);
    assert_eq!(step.messages[0].level, MessageLevel::Info);
    // A known kind whose fields do not read (a changed shape) is unknown too.
    json["step"]["view"] = serde_json::json!({"kind": "email_validation", "code_length": "six"});
    let Ok(Answer::Flow(flow)) = client::parse(200, &json.to_string()) else {
        panic!("a flow with an unreadable view must read");
    };
    assert_eq!(flow.step.unwrap().view, BlockView::Unknown);
}

#[wasm_bindgen_test]
fn request_bodies_are_what_serde_reads() {
    let start = StartFlow {
        locale: Some("nl".into()),
        ..StartFlow::default()
    };
    let body = client::wire::start_body(&start).unwrap();
    assert_eq!(serde_json::from_str::<StartFlow>(&body).unwrap(), start);
    let submit = Submit {
        step: "verify".into(),
        action: "submit".into(),
        values: BTreeMap::from([("code".to_owned(), "123456".to_owned())]),
    };
    let body = client::wire::submit_body(&submit).unwrap();
    assert_eq!(serde_json::from_str::<Submit>(&body).unwrap(), submit);
}

#[wasm_bindgen_test]
fn fallback_texts_are_complete_and_chosen_by_locale() {
    for (lang, source) in fallback::SOURCES {
        for key in fallback::KEYS {
            assert!(
                fallback::lookup(source, key).is_some_and(|t| !t.is_empty()),
                "{lang} lacks {key}"
            );
        }
    }
    assert_eq!(
        Fallback::for_locale(Some("nl-BE")).text("widget-retry"),
        "Opnieuw proberen"
    );
    assert_eq!(
        Fallback::for_locale(Some("en-GB")).text("widget-retry"),
        "Try again"
    );
    assert_eq!(
        Fallback::for_locale(None).text("widget-loading"),
        "Loading…"
    );
}
