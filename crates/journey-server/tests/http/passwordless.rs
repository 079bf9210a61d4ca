//! Passwordless sign-up and sign-in by an email code over HTTP (the `save_quote` and
//! `signin_code` journeys of QuoteCo, a tenant of these tests' own in
//! `tests/fixtures/passwordless`), a first password for such an account, and the levels of
//! assurance of QuoteCo's policy (`[assurance]` in its tenant.toml) in the session and the ID
//! token: the step-up to a journey's `min_acr`. An unknown address looks exactly like a known one; a
//! wrong policy stops the server naming the setting.

use crate::support::{
    Server, Setup, code_in, code_of, copy_dir, spawn_with, start_error, wrong_code,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The folder of QuoteCo, these tests' tenant.
fn tenants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/passwordless")
}

/// A development-mode server of QuoteCo on the database `db`.
async fn spawn(db: &Path) -> Server {
    spawn_with(Setup {
        db,
        dev: true,
        tenants: tenants(),
    })
    .await
}

/// A new flow of QuoteCo's `journey`.
async fn start(server: &Server, journey: &str) -> Value {
    let path = format!("/v1/quoteco/journeys/{journey}");
    let (status, flow, _) = server.post(&path, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow
}

/// The claims of an ID token of QuoteCo, verified.
async fn token_claims(server: &Server, done: &Value) -> Value {
    let token = done["outcome"]["id_token"].as_str().unwrap();
    server.verify_token_of("quoteco", token).await
}

const PASSWORD: &str = "violet tractor under the bridge 42";

/// Starts `journey` and submits `email`: the flow at the code step.
async fn at_code(server: &Server, journey: &str, email: &str) -> (StatusCode, Value) {
    let flow = start(server, journey).await;
    assert_eq!(flow["step"]["block"], "collect_user_data");
    server
        .answer(&flow, "submit", json!({ "email": email }))
        .await
}

/// The newest code in the newest message to `to`, which must be the `nth` message.
async fn newest_code(server: &Server, to: &str, nth: usize) -> String {
    let messages = server.outbox(to, nth).await;
    assert_eq!(messages.len(), nth, "{messages:?}");
    code_in(messages[0]["body"].as_str().unwrap()).unwrap()
}

/// Saves a quote for `email` (`save_quote`, create = true): the completed flow.
async fn save_quote(server: &Server, email: &str) -> Value {
    let before = server.outbox(email, 0).await.len();
    let (status, flow) = at_code(server, "save_quote", email).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let code = newest_code(server, email, before + 1).await;
    let (status, done) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{done}"
    );
    done
}

/// How many accounts have the address `email`.
fn accounts_with(db: &Path, email: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM account_identifiers WHERE value = ?1",
            [email],
            |row| row.get(0),
        )
        .unwrap()
}

/// The password hash of `subject`, if it has one.
fn password_of(db: &Path, subject: &str) -> Option<String> {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT secret FROM account_credentials WHERE subject = ?1",
            [subject],
            |row| row.get(0),
        )
        .ok()
}

#[tokio::test]
async fn a_saved_quote_makes_a_passwordless_account_that_a_second_flow_recognises_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let email = "jane@example.com";
    let (status, flow) = at_code(&server, "save_quote", "Jane@Example.com").await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["block"], "identify_by_email_code");
    assert_eq!(flow["step"]["view"]["kind"], "identify_by_email_code");
    assert_eq!(flow["step"]["view"]["email_masked"], "j***@example.com");
    assert_eq!(flow["step"]["fields"][0]["autocomplete"], "one-time-code");
    let messages = server.outbox(email, 1).await;
    assert_eq!(messages[0]["subject"], "Your QuoteCo sign-in code");
    let code = code_in(messages[0]["body"].as_str().unwrap()).unwrap();

    // Hostile input first: a wrong code, then a code of the wrong shape.
    let (status, body) = server
        .answer(&flow, "submit", json!({ "code": wrong_code(&code) }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert_eq!(
        body["flow"]["step"]["fields"][0]["messages"][0]["id"],
        "error-code-wrong"
    );
    let (status, body) = server
        .answer(&flow, "submit", json!({ "code": "12 34 5x" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        accounts_with(&db, email),
        0,
        "no account before a right code"
    );

    let (status, done) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("complete"))
    );
    let session = &done["outcome"]["session"];
    assert_eq!(session["acr"], "loa1");
    assert_eq!(session["amr"], json!(["otp"]));
    // QuoteCo's policy: a session at loa1 lasts 43200 minutes (30 days).
    assert_eq!(
        session["expires_at"].as_i64().unwrap() - session["auth_time"].as_i64().unwrap(),
        30 * 24 * 3600
    );
    let claims = token_claims(&server, &done).await;
    assert_eq!(
        (claims["acr"].as_str(), claims["amr"].clone()),
        (Some("loa1"), json!(["otp"]))
    );
    let subject = claims["sub"].as_str().unwrap().to_owned();
    assert_eq!(accounts_with(&db, email), 1);
    assert_eq!(
        password_of(&db, &subject),
        None,
        "an account without a password"
    );

    // The same code again: the flow has ended, and nothing more happens.
    let (status, body) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "flow_ended")
    );

    // A week later, another quote: recognised by a code, the same account, none new.
    let again = save_quote(&server, email).await;
    let claims = token_claims(&server, &again).await;
    assert_eq!(claims["sub"], subject.as_str());
    assert_eq!(accounts_with(&db, email), 1);
    server.stop().await;
}

#[tokio::test]
async fn sign_in_by_code_gives_a_first_password_and_steps_up_to_the_journeys_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let email = "jane@example.com";
    let saved = save_quote(&server, email).await;
    let subject = saved["outcome"]["session"]["subject"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, flow) = at_code(&server, "signin_code", email).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let code = newest_code(&server, email, 2).await;
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("first_password")),
        "{flow}"
    );
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "password": PASSWORD }))
        .await;
    // Setting a password is not signing in with it: the code alone is loa1, below the
    // journey's loa2, so the flow steps up with the password.
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("step_up")),
        "{flow}"
    );
    let first = password_of(&db, &subject);
    assert!(first.is_some(), "the account has its first password");
    let (status, done) = server
        .answer(
            &flow,
            "submit",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{done}"
    );
    let claims = token_claims(&server, &done).await;
    assert_eq!(claims["sub"], subject.as_str());
    assert_eq!(claims["acr"], "loa2");
    assert_eq!(claims["amr"], json!(["otp", "pwd"]));
    let session = &done["outcome"]["session"];
    // QuoteCo's policy: a session at loa2 lasts 1440 minutes.
    assert_eq!(
        session["expires_at"].as_i64().unwrap() - session["auth_time"].as_i64().unwrap(),
        24 * 3600
    );

    // The account has a password now: the journey does not give it another.
    let (_, flow) = at_code(&server, "signin_code", email).await;
    let code = newest_code(&server, email, 3).await;
    let (status, ended) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, ended["status"].as_str()),
        (StatusCode::OK, Some("failed")),
        "{ended}"
    );
    assert_eq!(ended["step"]["messages"][0]["id"], "error-password-exists");
    assert_eq!(password_of(&db, &subject), first, "nothing overwritten");
    server.stop().await;
}

/// What a person sees of an answer: everything but the flow's id (a flow's own, or the one an
/// error carries).
fn seen(status: StatusCode, body: &Value) -> (StatusCode, Value) {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("id");
        if let Some(flow) = map.get_mut("flow").and_then(Value::as_object_mut) {
            flow.remove("id");
        }
    }
    (status, body)
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answers_as_a_known_one_a_notice_and_no_account() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let known = "jane@example.com";
    let unknown = "june@example.com";
    save_quote(&server, known).await;

    let (known_status, known_flow) = at_code(&server, "signin_code", known).await;
    let (unknown_status, unknown_flow) = at_code(&server, "signin_code", unknown).await;
    // Both addresses mask to j***@example.com: what comes back is the same, byte for byte.
    assert_eq!(
        seen(known_status, &known_flow),
        seen(unknown_status, &unknown_flow)
    );
    let told = server.outbox(unknown, 1).await;
    assert_eq!(
        told[0]["subject"],
        "Someone tried to sign in to QuoteCo with your address"
    );
    assert!(
        code_in(told[0]["body"].as_str().unwrap()).is_none(),
        "a notice, no code"
    );

    // A wrong code, and the known address's right code, get the same answers too.
    let code = newest_code(&server, known, 2).await;
    let wrong = wrong_code(&code);
    let (a, known_wrong) = server
        .answer(&known_flow, "submit", json!({ "code": wrong }))
        .await;
    let (b, unknown_wrong) = server
        .answer(&unknown_flow, "submit", json!({ "code": wrong }))
        .await;
    assert_eq!(seen(a, &known_wrong), seen(b, &unknown_wrong));
    // A resend asked too soon is refused the same way for both.
    let (a, known_resend) = server.answer(&known_flow, "resend", json!({})).await;
    let (b, unknown_resend) = server.answer(&unknown_flow, "resend", json!({})).await;
    assert_eq!(seen(a, &known_resend), seen(b, &unknown_resend));
    // No code verifies the unknown address, not even the known one's right code.
    let (status, body) = server
        .answer(&unknown_flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert_eq!(
        accounts_with(&db, unknown),
        0,
        "no account for the unknown address"
    );

    // A malformed address is refused beside its field, and the flow stays where it was.
    let flow = start(&server, "signin_code").await;
    let (status, body) = server
        .answer(&flow, "submit", json!({ "email": "jane@@example" }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert_eq!(body["flow"]["step"]["id"], "email");
    assert!(
        body["flow"]["step"]["fields"][0]["messages"][0]["id"].is_string(),
        "{body}"
    );
    let (status, body) = server
        .answer(&flow, "submit", json!({ "email": "x".repeat(100_000) }))
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    server.stop().await;
}

/// The start-up error of QuoteCo with its tenant.toml or a journey edited by `edit`.
async fn refused(edit: impl FnOnce(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&self::tenants().join("quoteco"), &tenants.join("quoteco"));
    edit(&tenants.join("quoteco"));
    start_error(tenants, dir.path(), true).await
}

#[tokio::test]
async fn a_wrong_assurance_policy_or_level_stops_the_server_naming_the_setting() {
    let error = refused(|quoteco| {
        let path = quoteco.join("tenant.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("session_minutes = 1440", "session_minutes = 999999");
        std::fs::write(&path, text).unwrap();
    })
    .await;
    assert!(
        error.contains("quoteco/tenant.toml: assurance.loa2.session_minutes: between 1 and 43200"),
        "{error}"
    );
    let error = refused(|quoteco| {
        let path = quoteco.join("journeys/signin_code.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("min_acr = \"loa2\"", "min_acr = \"loa9\""),
        )
        .unwrap();
    })
    .await;
    assert!(
        error.contains(
            "signin_code.toml: step `sign_in`: min_acr `loa9` is not a level of the tenant's policy"
        ),
        "{error}"
    );
    let error = refused(|quoteco| {
        let path = quoteco.join("journeys/save_quote.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "block = \"auto_login\"",
            "block = \"auto_login\"\nsettings = { acr = \"loa2\" }",
        );
        std::fs::write(&path, text).unwrap();
    })
    .await;
    assert!(
        error.contains("save_quote.toml: step `sign_in`: invalid settings: `acr` is no longer a journey's to declare"),
        "{error}"
    );
}
