//! ID tokens are bound to the page that asked (its `nonce`) and not served twice: the answer
//! that completes a flow carries the token, a reload within a minute gets it once more, and
//! after that the flow shows as complete without it.

use crate::support::{Server, code_of, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Registers `email` from a start request `start`; returns the answer that completed the flow.
async fn register_from(server: &Server, start: Value, email: &str) -> Value {
    let (status, flow, _) = server.post("/v1/testco/journeys/registration", start).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let (_, flow) = server.answer(&flow, "submit", details).await;
    let code = server.code(email, 1).await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    let (_, flow) = server
        .answer(
            &flow,
            "submit",
            json!({"password": "violet tractor under the bridge"}),
        )
        .await;
    let (status, flow) = server.answer(&flow, "continue", json!({})).await;
    assert_eq!(
        (status, flow["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{flow}"
    );
    flow
}

async fn reload(server: &Server, flow: &Value) -> Value {
    let (status, flow) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["status"], "complete");
    assert!(flow["outcome"]["session"]["subject"].is_string(), "{flow}");
    flow
}

#[tokio::test]
async fn the_token_echoes_the_page_s_nonce_and_is_served_once_more_at_most() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let nonce = "n-0S6_WzA2Mj";
    let done = register_from(&server, json!({ "nonce": nonce }), "nonce@example.com").await;
    let token = done["outcome"]["id_token"].as_str().unwrap().to_owned();
    let claims = server.verify_token(&token).await;
    assert_eq!(claims["nonce"], nonce);

    let again = reload(&server, &done).await;
    assert_eq!(
        again["outcome"]["id_token"].as_str(),
        Some(token.as_str()),
        "a reload right after gets it once more"
    );
    let third = reload(&server, &done).await;
    assert!(third["outcome"].get("id_token").is_none(), "{third}");

    // Replaying the completing answer gets the state, not the token.
    let (status, replay, _) = server
        .post(
            &format!("/v1/flows/{}", done["id"].as_str().unwrap()),
            json!({"step": "welcome", "action": "continue"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{replay}");
    assert!(
        replay["flow"]["outcome"].get("id_token").is_none(),
        "{replay}"
    );
}

#[tokio::test]
async fn a_minute_after_completing_a_reload_gets_no_token_and_no_nonce_means_no_claim() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let done = register_from(&server, json!({}), "late@example.com").await;
    let claims = server
        .verify_token(done["outcome"]["id_token"].as_str().unwrap())
        .await;
    assert!(claims.get("nonce").is_none(), "{claims}");
    server.clock.advance(61);
    let later = reload(&server, &done).await;
    assert!(later["outcome"].get("id_token").is_none(), "{later}");
}

#[tokio::test]
async fn a_malformed_nonce_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for nonce in [
        json!(""),
        json!("a".repeat(256)),
        json!("has space"),
        json!("line\nbreak"),
        json!("bücher"),
        json!(42),
    ] {
        let (status, body, _) = server
            .post(
                "/v1/testco/journeys/registration",
                json!({ "nonce": nonce }),
            )
            .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::BAD_REQUEST, "invalid_request"),
            "{nonce}: {body}"
        );
    }
}
