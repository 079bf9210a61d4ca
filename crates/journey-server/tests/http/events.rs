//! Security events are recorded for registrations, logins, codes, recoveries and refused
//! origins, kept append-only, and read by an operator by account and time.

use crate::support::{spawn, wrong_code};
use journey_server::state::Clock;
use journey_store::{Create, EventFilter, SqliteStore, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "violet tractor under the bridge 42";

#[tokio::test]
async fn what_happens_to_an_account_is_recorded_in_order_and_cannot_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let started = server.clock.now();
    let email = "audited@example.com";

    // A wrong code, then the registration.
    let (flow, code) = server.at_code_step(email).await;
    let (status, body) = server
        .answer(&flow, "submit", json!({"code": wrong_code(&code)}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let flow = body["flow"].clone();
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "password": PASSWORD }))
        .await;
    let (_, done) = server.answer(&flow, "continue", json!({})).await;
    let subject = done["outcome"]["session"]["subject"]
        .as_str()
        .unwrap()
        .to_owned();

    // A failed and a good login.
    for password in ["not the password at all", PASSWORD] {
        let flow = server.start("login").await;
        server
            .answer(
                &flow,
                "submit",
                json!({"email": email, "password": password}),
            )
            .await;
    }
    // A page on an origin the tenant does not allow.
    let refused = server
        .http
        .post(format!("{}/v1/testco/journeys/login", server.url))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let store = SqliteStore::open(&db, Create::Never).unwrap();
    let of_account = store
        .security_events(EventFilter {
            identifier: Some(email.into()),
            since: Some(started),
            limit: 100,
            ..EventFilter::default()
        })
        .await
        .unwrap();
    let kinds: Vec<&str> = of_account.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "code_failed",
            "registered",
            "login_failed",
            "login_succeeded"
        ]
    );
    assert!(
        of_account[1..]
            .iter()
            .all(|e| e.subject.as_deref() == Some(subject.as_str()))
    );
    assert!(
        of_account
            .iter()
            .all(|e| e.client.as_deref() == Some("127.0.0.1"))
    );
    let by_subject = store
        .security_events(EventFilter {
            subject: Some(subject.clone()),
            limit: 100,
            ..EventFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_subject.len(), 3);
    let origins = store
        .security_events(EventFilter {
            tenant: Some("testco".into()),
            limit: 100,
            ..EventFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        origins.last().map(|e| e.kind.as_str()),
        Some("origin_refused")
    );
    // Time bounds.
    let none = store
        .security_events(EventFilter {
            subject: Some(subject.clone()),
            until: Some(started),
            limit: 100,
            ..EventFilter::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());

    // Append-only: the database itself refuses to change or remove an event.
    let connection = rusqlite::Connection::open(&db).unwrap();
    assert!(
        connection
            .execute("UPDATE security_events SET kind = 'nothing'", [])
            .is_err()
    );
    assert!(
        connection
            .execute("DELETE FROM security_events", [])
            .is_err()
    );

    // The operator's command prints the same, as JSON lines.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_journey-server"))
        .args(["events", "--db"])
        .arg(&db)
        .args(["--subject", &subject])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(kinds, ["registered", "login_failed", "login_succeeded"]);
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_journey-server"))
        .args(["events", "--since", "yesterday"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since"));
}
