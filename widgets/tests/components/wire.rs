//! The hand-written JSON decoder against serde, request bodies, and the fallback texts.

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
    let _ = Request::Resume("f1".into());
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
