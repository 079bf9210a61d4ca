//! The wire types' own tests: serde and the widget's decoder agree on every type and every
//! block view, newer names fall back, and resolving fills every text.

use super::*;
use serde_json::{Value, json};

impl Source for Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

/// Encodes with serde, as the server does, and reads back with [`Decode`], as the widget does.
fn round_trip<T: Serialize + Decode>(value: &T) -> Option<T> {
    let json = serde_json::to_value(value).ok()?;
    T::decode(&json).ok()
}

fn text(id: &str) -> Text {
    Text {
        id: id.to_owned(),
        text: format!("text of {id}"),
        args: Args::default(),
    }
}

fn step(view: BlockView) -> Step {
    Step {
        id: "code".into(),
        block: view.kind().unwrap_or("unknown").into(),
        title: text("title"),
        view,
        fields: vec![Field {
            name: "password".into(),
            kind: FieldKind::Password,
            label: text("field-password"),
            required: true,
            autocomplete: Some("new-password".into()),
            min_length: Some(15),
            max_length: Some(128),
            hint: Some(text("hint")),
            value: None,
            reveal: Some(Reveal {
                show: text("show"),
                hide: text("hide"),
            }),
            options: vec![FieldOption {
                value: "yes".into(),
                label: text("yes"),
            }],
            min: Some("1900-01-01".into()),
            max: None,
            messages: vec![Message::new(MessageLevel::Error, text("too-short"))],
        }],
        actions: vec![Action {
            id: "resend".into(),
            kind: ActionKind::Secondary,
            label: text("resend"),
            submits_fields: false,
            available_in: Some(30),
            hint: Some(text("wait")),
        }],
        messages: vec![Message::new(MessageLevel::Success, text("sent"))],
    }
}

fn flow(step: Option<Step>, outcome: Option<Outcome>) -> Flow {
    Flow {
        id: "f".into(),
        tenant: "roadhelp".into(),
        journey: "registration".into(),
        brand: "roadhelp".into(),
        locale: "ar".into(),
        status: FlowStatus::Active,
        expires_at: 1_800_000_000,
        step,
        outcome,
        expiry: Some(Expiry {
            now: 1_799_999_900,
            max_expires_at: 1_800_003_600,
            warn_before: 120,
            warning: text("warning"),
            extend_hint: text("hint"),
            extend_label: text("continue"),
            final_notice: text("final"),
            left: vec![TimeLeft {
                up_to: 120,
                text: text("two-minutes"),
            }],
        }),
    }
}

#[test]
fn every_block_view_round_trips() {
    let samples = BlockView::samples();
    assert_eq!(samples.len(), BlockView::KINDS.len());
    for view in samples {
        let kind = view.kind();
        assert!(kind.is_some_and(|k| BlockView::KINDS.contains(&k)));
        assert_eq!(round_trip(&view).as_ref(), Some(&view), "{kind:?}");
        let json = serde_json::to_string(&view).unwrap_or_default();
        let back: Option<BlockView> = serde_json::from_str(&json).ok();
        assert_eq!(back.as_ref(), Some(&view), "serde: {kind:?}");
        // The same view inside a whole flow, as the widget receives it.
        let whole = flow(Some(step(view)), None);
        assert_eq!(round_trip(&whole).as_ref(), Some(&whole), "{kind:?}");
    }
}

#[test]
fn outcomes_and_errors_round_trip() {
    let outcome = Outcome {
        message: text("signed-in"),
        session: Session {
            subject: "s1".into(),
            acr: "loa1".into(),
            amr: vec!["pwd".into(), "otp".into()],
            auth_time: 1_700_000_000,
            expires_at: 1_700_003_600,
        },
        id_token: Some("a.b.c".into()),
        redirect: None,
    };
    let complete = flow(None, Some(outcome));
    assert_eq!(round_trip(&complete).as_ref(), Some(&complete));
    for code in ErrorCode::ALL {
        let body = ErrorBody {
            error: ErrorDetail {
                code: *code,
                id: "error-x".into(),
                text: "Try again.".into(),
            },
            flow: Some(flow(Some(step(BlockView::PasswordLogin {})), None)),
        };
        assert_eq!(round_trip(&body).as_ref(), Some(&body), "{code:?}");
    }
}

#[test]
fn an_unknown_or_unreadable_view_reads_as_unknown() {
    for view in [
        json!({"kind": "phone_number_verification", "channel": "sms"}),
        json!({"kind": "phone_number_verification", "stage": "later", "phone_masked": "",
               "channel": "sms", "code_length": 6, "attempts_left": 5,
               "resend_available_in": 0}),
        json!({"kind": "email_validation", "code_length": "six"}),
        json!({"kind": "set_password"}),
    ] {
        assert_eq!(BlockView::decode(&view), Ok(BlockView::Unknown), "{view}");
    }
    let serde: Option<BlockView> = serde_json::from_value(json!({"kind": "decision_gateway"})).ok();
    assert_eq!(serde, Some(BlockView::Unknown));
    // The rest of a step with an unknown view still reads, so the widget can show it.
    let mut json = serde_json::to_value(step(BlockView::PasswordLogin {})).unwrap_or_default();
    json["view"] = json!({"kind": "passkey", "challenge": "x"});
    let read = Step::decode(&json).ok();
    assert_eq!(read.as_ref().map(|s| &s.view), Some(&BlockView::Unknown));
    assert_eq!(read.map(|s| s.fields.len()), Some(1));
}

#[test]
fn newer_names_fall_back_and_required_members_are_required() {
    assert_eq!(
        ErrorCode::decode(&json!("quota_exceeded")),
        Ok(ErrorCode::Internal)
    );
    assert_eq!(FieldKind::decode(&json!("iban")), Ok(FieldKind::Text));
    assert_eq!(
        MessageLevel::decode(&json!("warning")),
        Ok(MessageLevel::Info)
    );
    assert_eq!(FlowStatus::decode(&json!("paused")), Err(DecodeError));
    assert_eq!(Text::decode(&json!({"id": "x"})), Err(DecodeError));
    assert_eq!(Text::decode(&json!({"text": "x"})), Err(DecodeError));
    assert_eq!(u8::decode(&json!(256)), Err(DecodeError));
    assert_eq!(u32::decode(&json!(1.5)), Err(DecodeError));
    assert_eq!(
        i64::decode(&json!(9_007_199_254_740_993_u64)),
        Err(DecodeError)
    );
}

#[test]
fn resolving_fills_every_text_and_drops_the_arguments() {
    let unresolved = |id: &str| Text::msg(id).arg("n", 3);
    let mut step = step(BlockView::ShowInformation {
        body: vec![unresolved("p1"), unresolved("p2")],
    });
    step.title = unresolved("title");
    step.fields[0].hint = Some(unresolved("hint"));
    step.fields[0].messages = vec![Message::new(MessageLevel::Error, unresolved("bad"))];
    let mut seen = Vec::new();
    step.resolve(&mut |id, args| {
        seen.push(id.to_owned());
        format!("{id}:{}", args.len())
    });
    assert!(
        [
            "title", "p1", "p2", "hint", "bad", "show", "hide", "resend", "wait", "sent"
        ]
        .iter()
        .all(|id| seen.iter().any(|s| s == id)),
        "{seen:?}"
    );
    let json = serde_json::to_string(&step).unwrap_or_default();
    assert!(!json.contains("args"), "{json}");
    assert!(json.contains(r#""text":"p2:1""#), "{json}");
    assert!(json.contains(r#""text":"bad:1""#), "{json}");
}

#[test]
fn block_view_is_tagged_by_kind() {
    let view = BlockView::EmailValidation {
        email_masked: "j***@example.com".into(),
        code_length: 6,
        attempts_left: 5,
        resend_available_in: 30,
    };
    let json = serde_json::to_value(&view).unwrap_or_default();
    assert_eq!(json["kind"], "email_validation");
    assert_eq!(json["code_length"], 6);
}

#[test]
fn submit_refuses_unknown_fields() {
    let err = serde_json::from_str::<Submit>(r#"{"step":"a","action":"submit","extra":1}"#);
    assert!(err.is_err());
    let ok = serde_json::from_str::<Submit>(r#"{"step":"a","action":"submit"}"#);
    assert_eq!(ok.ok().map(|s| s.values.len()), Some(0));
}

#[test]
fn error_codes_serialize_as_their_wire_names() {
    for code in [
        ErrorCode::MalformedJson,
        ErrorCode::StepMismatch,
        ErrorCode::Internal,
    ] {
        let json = serde_json::to_value(code).unwrap_or_default();
        assert_eq!(json, code.as_str());
    }
}
