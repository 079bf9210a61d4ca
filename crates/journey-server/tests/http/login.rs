//! The RoadHelp login journey over HTTP: the same answer for a wrong password and an unknown
//! account, and a throttle per identifier.

use crate::support::{code_of, spawn};
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "violet tractor under the bridge 42";

#[tokio::test]
async fn a_registered_person_logs_in_and_failures_look_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let registered = server.register("login@example.com", PASSWORD).await;
    let subject = registered["outcome"]["session"]["subject"].clone();

    let login = |email: &'static str, password: &'static str| {
        let server = &server;
        async move {
            let flow = server.start("login").await;
            assert_eq!(flow["step"]["block"], "password_login");
            server
                .answer(
                    &flow,
                    "submit",
                    json!({"email": email, "password": password}),
                )
                .await
        }
    };
    let (wrong_status, wrong) = login("login@example.com", "not the right password").await;
    let (unknown_status, unknown) = login("nobody@example.com", "not the right password").await;
    assert_eq!(wrong_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_status, unknown_status);
    assert_eq!(wrong["error"], unknown["error"]);
    assert_eq!(
        wrong["flow"]["step"]["messages"],
        unknown["flow"]["step"]["messages"]
    );
    assert_eq!(
        wrong["flow"]["step"]["messages"][0]["id"],
        "error-login-failed"
    );

    let (status, flow) = login("Login@Example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["status"], "complete");
    assert_eq!(flow["outcome"]["session"]["subject"], subject);
    let claims = server
        .verify_token(flow["outcome"]["id_token"].as_str().unwrap())
        .await;
    assert_eq!(claims["sub"], subject);
    assert_eq!(claims["amr"], json!(["pwd"]));
    server.stop().await;
}

#[tokio::test]
async fn repeated_failures_slow_one_identifier_down_whether_or_not_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    server.register("slow@example.com", PASSWORD).await;
    for email in ["slow@example.com", "ghost@example.com"] {
        let flow = server.start("login").await;
        for _ in 0..5 {
            let (status, body) = server
                .answer(
                    &flow,
                    "submit",
                    json!({"email": email, "password": "wrong password"}),
                )
                .await;
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                "{body}"
            );
        }
        // Even the right password is not checked while blocked.
        let (status, body) = server
            .answer(
                &flow,
                "submit",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            "{email}: {body}"
        );
        assert_eq!(
            body["flow"]["step"]["messages"][0]["id"],
            "error-login-throttled"
        );
        assert_eq!(
            body["flow"]["step"]["fields"][0]["value"], email,
            "the identifier is kept"
        );
    }
    // Another identifier is not affected, and the block passes.
    server.clock.advance(3);
    let flow = server.start("login").await;
    let (status, flow) = server
        .answer(
            &flow,
            "submit",
            json!({"email": "slow@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (status, flow["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{flow}"
    );
    server.stop().await;
}
