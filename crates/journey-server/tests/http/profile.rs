//! Profile completion over HTTP on a real SQLite file: a registered person is asked only for
//! what their account lacks, hostile and malformed values are refused beside their fields
//! (never a 500) without losing the flow, the answers are kept on the account and released in
//! the signed ID token, and the next flow asks nothing.

use crate::support::{code_of, spawn};
use journey_store::{Create, SqliteStore, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "violet tractor under the bridge 42";

fn field_names(flow: &Value) -> Vec<String> {
    flow["step"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

fn errors(body: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    for field in body["flow"]["step"]["fields"].as_array().unwrap() {
        for message in field["messages"].as_array().unwrap() {
            errors.push(format!(
                "{}:{}",
                field["name"].as_str().unwrap(),
                message["id"].as_str().unwrap()
            ));
        }
    }
    errors
}

#[tokio::test]
async fn only_what_the_account_lacks_is_asked_kept_and_released() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let registered = server.register("buyer@example.com", PASSWORD).await;
    let subject = registered["outcome"]["session"]["subject"]
        .as_str()
        .unwrap()
        .to_owned();

    let flow = server.start("profile").await;
    let login = json!({"email": "buyer@example.com", "password": PASSWORD});
    let (status, flow) = server.answer(&flow, "submit", login.clone()).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["block"], "profile_completion");
    // Registration gave the names: only the rest is asked.
    assert_eq!(
        field_names(&flow),
        [
            "birthdate",
            "address.street_address",
            "address.postal_code",
            "address.locality",
            "address.country",
            "car_use"
        ]
    );
    let fields = flow["step"]["fields"].as_array().unwrap();
    assert_eq!(fields[0]["kind"], "date");
    assert_eq!(fields[0]["min"], "1900-01-01");
    assert_eq!(fields[4]["kind"], "choice");
    assert_eq!(fields[5]["options"][1]["value"], "commute");
    assert_eq!(fields[5]["options"][1]["label"]["text"], "Commuting");

    let hostile = json!({
        "birthdate": "2026-02-30",
        "address.street_address": "x".repeat(10_000),
        "address.postal_code": "1015\u{202E}CJ",
        "address.locality": "",
        "address.country": "ZZ",
        "car_use": "'; DROP TABLE accounts; --",
    });
    let (status, body) = server.answer(&flow, "submit", hostile).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code_of(&body), "invalid_input");
    assert_eq!(
        errors(&body),
        [
            "birthdate:error-date-invalid",
            "address.street_address:error-too-long",
            "address.postal_code:error-text-invalid",
            "address.locality:error-required",
            "address.country:error-choice-invalid",
            "car_use:error-choice-invalid"
        ]
    );
    let (status, body) = server
        .answer(
            &flow,
            "submit",
            json!({"birthdate": "1990-04-12", "given_name": "Eve"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a field the step does not have: {body}"
    );

    let good = json!({
        "birthdate": "1990-04-12",
        "address.street_address": "Keizersgracht 123",
        "address.postal_code": "1015cj",
        "address.locality": "Amsterdam",
        "address.country": "NL",
        "car_use": "commute",
    });
    let (status, done) = server.answer(&flow, "submit", good).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{done}"
    );
    let claims = server
        .verify_token(done["outcome"]["id_token"].as_str().unwrap())
        .await;
    assert_eq!(claims["sub"], subject.as_str());
    assert_eq!(claims["email"], "buyer@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["given_name"], "Jane");
    assert_eq!(claims["birthdate"], "1990-04-12");
    assert_eq!(
        claims["address"],
        json!({"street_address": "Keizersgracht 123", "postal_code": "1015 CJ", "locality": "Amsterdam", "country": "NL"})
    );
    assert_eq!(claims["car_use"], "commute");
    assert!(
        claims.get("family_name").is_none(),
        "not released: {claims}"
    );

    let store = SqliteStore::open(&db, Create::Never).unwrap();
    let profile = store.profile("testco", &subject).await.unwrap().unwrap();
    assert_eq!(profile.attributes["birthdate"], "1990-04-12");
    assert_eq!(profile.attributes["family_name"], "Doe");
    assert_eq!(profile.attributes["car_use"], "commute");
    assert!(profile.has_password);
    drop(store);

    // The next flow finds it all on the account and asks nothing.
    let flow = server.start("profile").await;
    let (status, again) = server.answer(&flow, "submit", login).await;
    assert_eq!(
        (status, again["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{again}"
    );
}
