//! The log: a request id in every answer and in the log lines of its request, JSON lines that
//! parse, and no secret in the log of whole journeys at the most verbose level.

use crate::support::{Process, code_in, spawn_configured};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::time::Duration;

/// A client of a server process that keeps what a secret search needs.
struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value, HeaderMap) {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, response.json().await.unwrap(), headers)
    }

    /// Answers the flow's step; the next flow and the answer's headers.
    async fn answer(&self, flow: &Value, action: &str, values: Value) -> (Value, HeaderMap) {
        let id = flow["id"].as_str().unwrap();
        let step = flow["step"]["id"].as_str().unwrap();
        let body = json!({ "step": step, "action": action, "values": values });
        let (status, flow, headers) = self.post(&format!("/v1/flows/{id}"), body).await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        (flow, headers)
    }

    async fn code(&self, to: &str) -> String {
        for _ in 0..100 {
            let messages: Value = self
                .http
                .get(format!("{}/dev/outbox?to={to}", self.url))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(body) = messages[0]["body"].as_str() {
                return code_in(body).unwrap();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no code for {to}");
    }
}

/// The secret parts of `Set-Cookie` headers: the values.
fn cookie_values(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| {
            c.split(';')
                .next()?
                .split_once('=')
                .map(|(_, v)| v.to_owned())
        })
        .filter(|v| !v.is_empty())
        .collect()
}

#[tokio::test]
async fn whole_journeys_log_no_secret_and_every_line_is_json_with_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::launch(
        dir.path(),
        &["--log-format", "json", "--log-filter", "trace"],
    );
    server.wait_ready().await;
    let client = Client {
        http: reqwest::Client::new(),
        url: server.url(),
    };
    let email = "secrets@example.com";
    let password = "ochre lantern beneath seven hills";
    let mut secrets = vec![password.to_owned()];

    let (status, flow, headers) = client
        .post("/v1/testco/journeys/registration", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let start_id = headers["x-request-id"].to_str().unwrap().to_owned();
    let details = json!({"email": email, "given_name": "Sam", "family_name": "Secret"});
    let (flow, _) = client.answer(&flow, "submit", details).await;
    let code = client.code(email).await;
    secrets.push(code.clone());
    let (flow, _) = client
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    let (flow, _) = client
        .answer(&flow, "submit", json!({ "password": password }))
        .await;
    let (done, headers) = client.answer(&flow, "continue", json!({})).await;
    assert_eq!(done["status"], "complete", "{done}");
    secrets.extend(cookie_values(&headers));

    // The same person logs in: the password is checked, not only hashed.
    let (_, login, _) = client.post("/v1/testco/journeys/login", json!({})).await;
    let credentials = json!({ "email": email, "password": password });
    let (signed_in, headers) = client.answer(&login, "submit", credentials).await;
    assert_eq!(signed_in["status"], "complete", "{signed_in}");
    secrets.extend(cookie_values(&headers));
    for outcome in [&done, &signed_in] {
        let token = outcome["outcome"]["id_token"].as_str().unwrap();
        secrets.push(token.to_owned());
        // The signature alone is as much a secret as the token.
        secrets.push(token.rsplit('.').next().unwrap().to_owned());
    }
    assert!(
        secrets.len() >= 8,
        "password, code, 2 × session and device, tokens: {secrets:?}"
    );

    server.signal("TERM");
    assert!(server.exit(Duration::from_secs(10)).await.success());
    let log = server.log();
    // The filter took effect: lines below info are there (the probes' access lines).
    assert!(log.contains(r#""level":"DEBUG""#), "a verbose log: {log}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds a secret `{secret}`:\n{log}"
        );
    }

    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let access: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    // At least the probe, seven journey requests and one outbox read.
    assert!(access.len() >= 9, "{log}");
    for line in &access {
        let id = line["span"]["request_id"].as_str().unwrap_or("");
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
    }
    let start = access
        .iter()
        .find(|l| l["span"]["request_id"] == start_id.as_str())
        .unwrap_or_else(|| panic!("no line with the request id {start_id}:\n{log}"));
    assert_eq!(start["span"]["route"], "/v1/{tenant}/journeys/{journey}");
    assert_eq!(
        (start["status"].as_u64(), start["level"].as_str()),
        (Some(200), Some("INFO"))
    );
    // Lines written inside a request carry its id as well, not only the access line.
    let security = lines
        .iter()
        .find(|l| l["target"] == "security" && l["kind"] == "registered")
        .unwrap_or_else(|| panic!("no registration event:\n{log}"));
    assert!(security["span"]["request_id"].is_string(), "{security}");
}

#[tokio::test]
async fn a_request_id_from_the_client_is_kept_only_when_trusted_and_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let get_id = |http: reqwest::Client, url: String, sent: Option<String>| async move {
        let mut request = http.get(format!("{url}/v1/testco"));
        if let Some(sent) = sent {
            request = request.header("x-request-id", sent);
        }
        let response = request.send().await.unwrap();
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let untrusting = crate::support::spawn(&dir.path().join("a.db")).await;
    let made = get_id(untrusting.http.clone(), untrusting.url.clone(), None).await;
    assert_eq!(made.len(), 32);
    let other = get_id(untrusting.http.clone(), untrusting.url.clone(), None).await;
    assert_ne!(made, other, "one id per request");
    let ignored = get_id(
        untrusting.http.clone(),
        untrusting.url.clone(),
        Some("from-the-client".into()),
    )
    .await;
    assert_ne!(ignored, "from-the-client");
    untrusting.stop().await;

    let trusting = spawn_configured(&dir.path().join("b.db"), |config| {
        config.trust_request_id = true;
    })
    .await;
    let kept = get_id(
        trusting.http.clone(),
        trusting.url.clone(),
        Some("proxy.id-1_2".into()),
    )
    .await;
    assert_eq!(kept, "proxy.id-1_2");
    for malformed in ["a/b", "with space", &"x".repeat(65)] {
        let replaced = get_id(
            trusting.http.clone(),
            trusting.url.clone(),
            Some(malformed.to_owned()),
        )
        .await;
        assert_eq!(replaced.len(), 32, "{malformed} was kept");
    }
    // Errors carry one as well.
    let response = trusting
        .http
        .get(format!("{}/v1/nobody", trusting.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().contains_key("x-request-id"));
    trusting.stop().await;
}
