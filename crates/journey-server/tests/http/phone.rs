//! Phone number verification over HTTP, with the tests' own tenant CallCo
//! (`tests/fixtures/phone/callco`): sign up by an email code, give a phone number, read the
//! code the dev outbox got by SMS or voice (`/dev/outbox?to=%2B31…`) and reach loa2 with the
//! number verified in the session and the ID token; a landline refused an SMS, the resend
//! cool-down and another number; malformed and hostile answers get stable 4xx codes, never a
//! 500, and leave the flow usable; a bad phone setting stops the server naming it.

use crate::support::{Server, Setup, code_of, copy_dir, spawn_with, start_error, wrong_code};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The folder of CallCo, these tests' tenant.
fn tenants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/phone")
}

async fn spawn(db: &Path) -> Server {
    spawn_with(Setup {
        db,
        dev: true,
        tenants: tenants(),
    })
    .await
}

/// Signs `email` up by its email code: the flow at the phone step.
async fn at_phone(server: &Server, email: &str) -> Value {
    let (status, flow, _) = server
        .post("/v1/callco/journeys/signup_phone", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "email": email }))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let code = server.code(email, 1).await;
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["id"], "phone", "{flow}");
    assert_eq!(flow["step"]["view"]["stage"], "number", "{flow}");
    flow
}

/// The dev outbox's address for messages to `e164`.
fn to(e164: &str) -> String {
    e164.replace('+', "%2B")
}

/// The field `name` of the flow's step.
fn field<'a>(flow: &'a Value, name: &str) -> &'a Value {
    flow["step"]["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| panic!("no field {name}: {flow}"))
}

/// The message ids beside the field `name`.
fn errors_of(flow: &Value, name: &str) -> Vec<String> {
    field(flow, name)["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["id"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_code_by_sms_verifies_the_number_and_the_session_reaches_loa2() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = at_phone(&server, "jane@example.com").await;
    assert_eq!(field(&flow, "phone_number")["kind"], "phone");
    assert_eq!(field(&flow, "phone_number")["autocomplete"], "tel");
    assert_eq!(field(&flow, "channel")["kind"], "choice");

    let number = json!({ "phone_number": "06 12345678", "channel": "sms" });
    let (status, flow) = server.answer(&flow, "send", number).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let view = &flow["step"]["view"];
    assert_eq!(
        (
            &view["kind"],
            &view["stage"],
            &view["phone_masked"],
            &view["channel"]
        ),
        (
            &json!("phone_number_verification"),
            &json!("code"),
            &json!("+31 6 ••••• 678"),
            &json!("sms")
        )
    );
    assert_eq!(
        flow["step"]["messages"][0]["text"],
        "We sent a code by text message to +31 6 ••••• 678. It is valid for 10 minutes."
    );
    let messages = server.outbox(&to("+31612345678"), 1).await;
    assert_eq!(messages[0]["channel"], "sms");
    assert_eq!(messages[0]["to"], "+31612345678");
    let code = server.code(&to("+31612345678"), 1).await;

    let (status, done) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "complete", "{done}");
    let session = &done["outcome"]["session"];
    assert_eq!(session["acr"], "loa2");
    assert_eq!(session["amr"], json!(["otp", "sms"]));
    let token = done["outcome"]["id_token"].as_str().unwrap();
    let claims = server.verify_token_of("callco", token).await;
    assert_eq!(claims["phone_number"], "+31612345678");
    assert_eq!(claims["phone_number_verified"], true);
    assert_eq!(claims["acr"], "loa2");
    server.stop().await;
}

#[tokio::test]
async fn a_landline_is_refused_an_sms_and_gets_a_call_instead() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = at_phone(&server, "joe@example.com").await;
    let landline = json!({ "phone_number": "020 123 4567", "channel": "sms" });
    let (status, body) = server.answer(&flow, "send", landline).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "{body}"
    );
    let refused = &body["flow"];
    assert_eq!(errors_of(refused, "phone_number"), ["error-phone-no-sms"]);
    assert_eq!(field(refused, "phone_number")["value"], "020 123 4567");

    let by_call = json!({ "phone_number": "020 123 4567", "channel": "voice" });
    let (status, flow) = server.answer(refused, "send", by_call).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["view"]["channel"], "voice");
    let messages = server.outbox(&to("+31201234567"), 1).await;
    assert_eq!(messages[0]["channel"], "voice");
    let code = server.code(&to("+31201234567"), 1).await;
    let (status, done) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["outcome"]["session"]["amr"], json!(["otp", "tel"]));
    assert_eq!(done["outcome"]["session"]["acr"], "loa2");
    server.stop().await;
}

#[tokio::test]
async fn resends_wait_for_the_cool_down_and_another_number_voids_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = at_phone(&server, "ann@example.com").await;
    let number = json!({ "phone_number": "+31 6 12345678", "channel": "sms" });
    let (_, flow) = server.answer(&flow, "send", number).await;
    let first = server.code(&to("+31612345678"), 1).await;
    for action in ["resend", "switch_channel"] {
        let (status, body) = server.answer(&flow, action, json!({})).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            "{action}: {body}"
        );
    }
    server.clock.advance(31);
    let (status, flow) = server.answer(&flow, "change_number", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["view"]["stage"], "number");
    let other = json!({ "phone_number": "+32 470 12 34 56", "channel": "sms" });
    let (status, flow) = server.answer(&flow, "send", other).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["view"]["phone_masked"], "+32 470 ••• 456");
    let second = server.code(&to("+32470123456"), 1).await;
    if first != second {
        let (status, body) = server
            .answer(&flow, "submit", json!({ "code": first }))
            .await;
        assert_eq!(code_of(&body), "invalid_input", "{status}: {body}");
    }
    let (status, done) = server
        .answer(&flow, "submit", json!({ "code": second }))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let token = done["outcome"]["id_token"].as_str().unwrap();
    let claims = server.verify_token_of("callco", token).await;
    assert_eq!(claims["phone_number"], "+32470123456");
    server.stop().await;
}

#[tokio::test]
async fn malformed_and_hostile_answers_get_stable_codes_and_never_a_500() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = at_phone(&server, "eve@example.com").await;
    let huge = "9".repeat(100_000);
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "send",
            json!({ "phone_number": "call me", "channel": "sms" }),
            &["invalid_input"],
        ),
        (
            "send",
            json!({ "phone_number": "", "channel": "sms" }),
            &["invalid_input"],
        ),
        (
            "send",
            json!({ "phone_number": "+31\u{202e}612345678", "channel": "sms" }),
            &["invalid_input"],
        ),
        (
            "send",
            json!({ "phone_number": "+44 7400 123456", "channel": "sms" }),
            &["invalid_input"],
        ),
        (
            "send",
            json!({ "phone_number": "06 12345678", "channel": "fax" }),
            &["invalid_input"],
        ),
        (
            "send",
            json!({ "phone_number": huge, "channel": "sms" }),
            &["invalid_input", "payload_too_large", "invalid_request"],
        ),
        (
            "send",
            json!({ "phone_number": "06 12345678", "admin": "yes" }),
            &["invalid_request"],
        ),
        (
            "send",
            json!({ "phone_number": 612345678, "channel": "sms" }),
            &["malformed_json", "invalid_request"],
        ),
        (
            "submit",
            json!({ "code": "123456" }),
            &["action_unavailable"],
        ),
        ("change_number", json!({}), &["action_unavailable"]),
    ];
    for (action, values, codes) in &cases {
        let (status, body) = server.answer(&flow, action, values.clone()).await;
        assert!(
            status.is_client_error(),
            "{action} {values:.60}: {status} {body:.200}"
        );
        assert!(
            codes.contains(&code_of(&body)),
            "{action} {values:.60}: {body:.300}"
        );
    }
    // The flow still works: nothing above was sent or counted.
    assert_eq!(server.outbox(&to("+31612345678"), 0).await.len(), 0);
    let number = json!({ "phone_number": "06 12345678", "channel": "sms" });
    let (status, flow) = server.answer(&flow, "send", number).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let right = server.code(&to("+31612345678"), 1).await;
    for bad in ["12345", "abcdef", wrong_code(&right)] {
        let (status, body) = server.answer(&flow, "submit", json!({ "code": bad })).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{bad}: {body}"
        );
    }
    let (status, body) = server
        .answer(&flow, "send", json!({ "phone_number": "06 12345678" }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::BAD_REQUEST, "action_unavailable")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_bad_phone_setting_stops_the_server_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("tenants");
    copy_dir(&tenants(), &copy);
    let file = copy.join("callco/journeys/signup_phone.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "countries = [\"NL\", \"BE\"]",
            "countries = [\"NL\", \"XX\"]",
        ),
    )
    .unwrap();
    let error = start_error(copy, dir.path(), true).await;
    assert!(
        error.contains("signup_phone.toml: step `phone`") && error.contains("`countries`: `XX`"),
        "{error}"
    );
}
