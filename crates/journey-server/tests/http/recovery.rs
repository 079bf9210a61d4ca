//! The recovery journey ("Forgot your password?") over HTTP: a code to the address, a new
//! password, every session ended, the owner told, a lock after failed logins lifted, and an
//! unknown address that looks exactly like a known one.

use crate::support::{Server, code_in, code_of, spawn, wrong_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

const OLD: &str = "violet tractor under the bridge 42";
const NEW: &str = "seven quiet lanterns over the harbour";

async fn login(server: &Server, email: &str, password: &str) -> (StatusCode, Value) {
    let flow = server.start("login").await;
    server
        .answer(
            &flow,
            "submit",
            json!({"email": email, "password": password}),
        )
        .await
}

/// Starts a recovery for `email` up to the code step.
async fn at_code_step(server: &Server, email: &str) -> Value {
    let flow = server.start("recovery").await;
    assert_eq!(flow["step"]["block"], "collect_user_data");
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "email": email }))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["id"], "verify_email");
    flow
}

/// The number of browsers trusted for `subject` (device cookies).
fn devices(db: &std::path::Path, subject: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM trusted_devices WHERE subject = ?1",
            [subject],
            |row| row.get(0),
        )
        .unwrap()
}

/// The number of sessions of `subject` in the database.
fn sessions(db: &std::path::Path, subject: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE subject = ?1",
            [subject],
            |row| row.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn a_locked_out_person_resets_their_password_and_every_session_ends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let email = "locked@example.com";
    let registered = server.register(email, OLD).await;
    let subject = registered["outcome"]["session"]["subject"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = login(&server, email, OLD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sessions(&db, &subject), 2, "registration and login");
    assert_eq!(
        devices(&db, &subject),
        2,
        "both browsers are trusted for the account"
    );

    // A stranger fails 100 times: sign-in for the address is disabled.
    for _ in 0..100 {
        let flow = server.start("login").await;
        let (status, body) = server
            .answer(
                &flow,
                "submit",
                json!({"email": email, "password": "a stranger guessing"}),
            )
            .await;
        assert!(
            [
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::TOO_MANY_REQUESTS
            ]
            .contains(&status),
            "{body}"
        );
        server.clock.advance(16 * 60);
    }
    let (status, body) = login(&server, email, OLD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        body["flow"]["step"]["messages"][0]["id"],
        "error-login-disabled"
    );

    // The way back: recovery.
    let before = server.outbox(email, 0).await.len();
    let flow = at_code_step(&server, email).await;
    let messages = server.outbox(email, before + 1).await;
    assert_eq!(messages[0]["subject"], "Reset your TestCo password");
    let code = code_in(messages[0]["body"].as_str().unwrap()).unwrap();
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, flow["step"]["block"].as_str()),
        (StatusCode::OK, Some("reset_password")),
        "{flow}"
    );
    assert_eq!(flow["step"]["fields"][0]["autocomplete"], "new-password");
    // The policy holds here too.
    let (status, refused) = server
        .answer(&flow, "submit", json!({"password": "passwordpassword"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, flow) = server
        .answer(&flow, "submit", json!({ "password": NEW }))
        .await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("done")),
        "{flow}"
    );
    assert_eq!(
        sessions(&db, &subject),
        0,
        "every session of the account ended"
    );
    assert_eq!(
        devices(&db, &subject),
        0,
        "browsers that signed in before the reset are strangers now"
    );
    let told = server.outbox(email, before + 2).await;
    assert_eq!(told[0]["subject"], "Your TestCo password was changed");
    assert!(code_in(told[0]["body"].as_str().unwrap()).is_none());
    let (status, done) = server.answer(&flow, "continue", json!({})).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{done}"
    );
    assert_eq!(done["outcome"]["session"]["subject"], subject.as_str());

    // The lock is lifted; the old password is gone, the new one works.
    let (status, body) = login(&server, email, OLD).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "{body}"
    );
    let (status, body) = login(&server, email, NEW).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_address_looks_exactly_like_a_known_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    server.register("known@example.com", OLD).await;
    let mut shapes = Vec::new();
    for email in ["known@example.com", "kunknown@example.com"] {
        let before = server.outbox(email, 0).await.len();
        let flow = at_code_step(&server, email).await;
        let mut shape = flow.clone();
        shape["id"] = Value::Null;
        shape["expires_at"] = Value::Null;
        let (status, wrong) = server
            .answer(&flow, "submit", json!({"code": "000000"}))
            .await;
        let mut wrong_shape = wrong.clone();
        wrong_shape["flow"]["id"] = Value::Null;
        wrong_shape["flow"]["expires_at"] = Value::Null;
        shapes.push((shape, status, wrong_shape));
        let messages = server.outbox(email, before + 1).await;
        if email.starts_with("known") {
            assert!(code_in(messages[0]["body"].as_str().unwrap()).is_some());
        } else {
            assert_eq!(
                messages[0]["subject"],
                "Someone tried to reset a TestCo password with your address"
            );
            assert!(code_in(messages[0]["body"].as_str().unwrap()).is_none());
        }
    }
    // Both mask to k***@example.com.
    assert_eq!(shapes[0], shapes[1]);
}

#[tokio::test]
async fn recovery_codes_share_the_address_s_guesses_with_registration() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let email = "target@example.com";
    server.register(email, OLD).await;
    // Ten wrong guesses through registration flows (its owner gets notices, not codes) ...
    for guesses in [4, 4, 2] {
        let flow = server.start("registration").await;
        let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
        let (_, mut flow) = server.answer(&flow, "submit", details).await;
        for _ in 0..guesses {
            let (status, body) = server
                .answer(&flow, "submit", json!({"code": "123456"}))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            flow = body["flow"].clone();
        }
    }
    // ... and the owner's own recovery code is refused for the rest of the hour.
    let before = server.outbox(email, 0).await.len();
    let flow = at_code_step(&server, email).await;
    let code = code_in(
        server.outbox(email, before + 1).await[0]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let (status, body) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{body}"
    );
    let _ = wrong_code(&code);
}
