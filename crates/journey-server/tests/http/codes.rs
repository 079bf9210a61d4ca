//! One-time codes across flows: guesses are counted per address, whatever flow they come
//! through, messages per recipient, and a code never waits in clear after it expired.

use crate::support::{code_of, queued_to, spawn, spawn_configured, wrong_code};
use journey_server::state::Clock;
use journey_store::{Create, SqliteStore, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The ids of the error messages shown with a step: its own and its fields'.
fn message_ids(flow: &Value) -> Vec<String> {
    let step = &flow["step"];
    let mut ids: Vec<String> = step["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            step["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|f| f["messages"].as_array().into_iter().flatten()),
        )
        .filter(|m| m["level"] == "error")
        .filter_map(|m| m["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Submits `count` wrong codes to `flow`, expecting each to be compared; returns the flow.
async fn wrong_guesses(
    server: &crate::support::Server,
    mut flow: Value,
    right: &str,
    count: usize,
) -> Value {
    for _ in 0..count {
        let (status, body) = server
            .answer(&flow, "submit", json!({"code": wrong_code(right)}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            message_ids(&body["flow"]).contains(&"error-code-wrong".to_owned()),
            "{body}"
        );
        flow = body["flow"].clone();
    }
    flow
}

#[tokio::test]
async fn new_flows_bring_new_codes_but_no_new_guesses_for_an_address() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let victim = "victim@example.com";
    // Three flows, four wrong guesses in each, stay under the flow's own limit of five but
    // reach the address's limit of ten an hour after the tenth.
    let (first, code) = server.at_code_step(victim).await;
    wrong_guesses(&server, first, &code, 4).await;
    let (second, code) = server.at_code_step(victim).await;
    wrong_guesses(&server, second, &code, 4).await;
    let (third, code) = server.at_code_step(victim).await;
    let third = wrong_guesses(&server, third, &code, 2).await;
    // The eleventh guess is not compared, and even the right code is refused now.
    for guess in [wrong_code(&code), code.as_str()] {
        let (status, body) = server
            .answer(&third, "submit", json!({ "code": guess }))
            .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            "{body}"
        );
        assert_eq!(message_ids(&body["flow"]), ["error-code-paused"], "{body}");
        assert_eq!(
            body["flow"]["step"]["view"]["attempts_left"], 3,
            "a refused guess costs the flow no attempt"
        );
    }
    // Another address is not affected.
    let (other, code) = server.at_code_step("bystander@example.com").await;
    let (status, body) = server
        .answer(&other, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, body["step"]["id"].as_str()),
        (StatusCode::OK, Some("password")),
        "{body}"
    );
    // An hour later the address may be tried again, with a fresh code.
    server.clock.advance(3601);
    let (fresh, code) = server.at_code_step(victim).await;
    let (status, body) = server
        .answer(&fresh, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, body["step"]["id"].as_str()),
        (StatusCode::OK, Some("password")),
        "{body}"
    );
}

#[tokio::test]
async fn a_hundred_wrong_guesses_close_an_address_for_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let address = "patient.attacker@example.com";
    for _hour in 0..10 {
        let (flow, code) = server.at_code_step(address).await;
        wrong_guesses(&server, flow, &code, 4).await;
        let (flow, code) = server.at_code_step(address).await;
        wrong_guesses(&server, flow, &code, 4).await;
        let (flow, code) = server.at_code_step(address).await;
        wrong_guesses(&server, flow, &code, 2).await;
        server.clock.advance(3601);
    }
    let (flow, code) = server.at_code_step(address).await;
    let (status, body) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(
        (status, message_ids(&body["flow"])),
        (
            StatusCode::TOO_MANY_REQUESTS,
            vec!["error-code-paused".to_owned()]
        ),
        "the right code is refused on the eleventh hour: {body}"
    );
}

#[tokio::test]
async fn a_paused_address_answers_the_same_whether_or_not_it_has_an_account() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    server
        .register("taken@example.com", "violet tractor under the bridge")
        .await;
    let mut answers = Vec::new();
    // Both mask to t***@example.com, so the answers must be equal byte for byte.
    for address in ["taken@example.com", "tfree@example.com"] {
        let mut last = None;
        for guesses in [4, 4, 2] {
            let (flow, code) = match address {
                // The owner of a taken address gets a notice, not a code: any guess is wrong.
                "taken@example.com" => {
                    let flow = server.start("registration").await;
                    let details =
                        json!({"email": address, "given_name": "Jane", "family_name": "Doe"});
                    let (_, flow) = server.answer(&flow, "submit", details).await;
                    (flow, "123456".to_owned())
                }
                _ => server.at_code_step(address).await,
            };
            last = Some(wrong_guesses(&server, flow, &code, guesses).await);
        }
        let flow = last.unwrap();
        let (status, body) = server
            .answer(&flow, "submit", json!({"code": "123456"}))
            .await;
        let mut shape = body.clone();
        shape["flow"]["id"] = Value::Null;
        shape["flow"]["expires_at"] = Value::Null;
        answers.push((status, shape));
    }
    assert_eq!(answers[0].0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn a_message_the_cap_refuses_leaves_no_live_code_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let address = "flooded@example.com";
    for n in 1..=10 {
        server.at_code_step(address).await;
        assert_eq!(server.outbox(address, n).await.len(), n);
    }
    let flow = server.start("registration").await;
    let details = json!({"email": address, "given_name": "Jane", "family_name": "Doe"});
    let (status, flow) = server.answer(&flow, "submit", details).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["id"], "verify_email");
    assert_eq!(
        message_ids(&flow),
        ["error-message-cap"],
        "told why, and not told a code was sent: {flow}"
    );
    assert_eq!(queued_to(&db, address), 10, "no 11th message queued");
    assert_eq!(
        server.outbox(address, 10).await.len(),
        10,
        "no 11th message delivered"
    );
    let store = SqliteStore::open(&db, Create::Never).unwrap();
    let saved = store
        .flow(flow["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    let state: Value = serde_json::from_str(&saved.state).unwrap();
    // The code step's own memory (under its step id) is there, and holds no live code.
    let memory = &state["memory"]["verify_email"];
    assert!(memory["salt"].is_string(), "{state}");
    assert_eq!(memory["hash"], Value::Null, "no live code: {state}");
    // A resend meets the same cap and is refused as too many.
    server.clock.advance(31);
    let (status, body) = server.answer(&flow, "resend", json!({})).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{body}"
    );
    assert_eq!(message_ids(&body["flow"]), ["error-message-cap"]);
}

#[tokio::test]
async fn an_undelivered_code_is_dropped_when_it_expires_never_sent_late() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    // Outside development mode, with the SMTP server down, the code stays queued.
    let server = spawn_configured(&db, |config| {
        config.dev = false;
        crate::support::smtp_down(config);
    })
    .await;
    let flow = server.start("registration").await;
    let details =
        json!({"email": "queued@example.com", "given_name": "Jane", "family_name": "Doe"});
    let (status, flow) = server.answer(&flow, "submit", details).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let (queued, dropped) = outbox_row(&db);
    assert!(queued.chars().any(|c| c.is_ascii_digit()), "{queued}");
    assert_eq!(dropped, None);
    server.clock.advance(601);
    // The maintenance task sweeps every few seconds.
    let mut swept = None;
    for _ in 0..100 {
        let (text, dropped) = outbox_row(&db);
        if dropped.is_some() {
            swept = Some(text);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(swept.as_deref(), Some(""), "dropped, with its body erased");
    let store = SqliteStore::open(&db, Create::Never).unwrap();
    assert!(
        store
            .undelivered(10, server.clock.now())
            .await
            .unwrap()
            .is_empty()
    );
}

/// The subject and body of the only outbox row, and when it was dropped.
fn outbox_row(db: &std::path::Path) -> (String, Option<i64>) {
    let connection = rusqlite::Connection::open(db).unwrap();
    connection
        .query_row(
            "SELECT subject || body || html, dropped_at FROM outbox",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap()
}
