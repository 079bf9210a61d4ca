//! Malformed, oversized and hostile requests: each gets a 4xx with a stable code, a message id
//! and a text, never a 500, and the flow stays usable.

use crate::support::{code_of, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn raw(
    server: &crate::support::Server,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = server.http.post(format!("{}{path}", server.url)).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn bad_requests_get_stable_codes_and_the_flow_survives_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = server.start("registration").await;
    let id = flow["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/flows/{id}");
    let json_type = Some("application/json");
    let cases: Vec<(&str, Option<&str>, Vec<u8>, StatusCode, &str)> = vec![
        ("not JSON", json_type, b"{\"step\":".to_vec(), StatusCode::BAD_REQUEST, "malformed_json"),
        ("binary", json_type, vec![0xff, 0xfe, 0x00, 0x01], StatusCode::BAD_REQUEST, "malformed_json"),
        ("no content type", None, b"{}".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("form post", Some("application/x-www-form-urlencoded"), b"step=details".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("missing fields", json_type, b"{\"values\":{}}".to_vec(), StatusCode::BAD_REQUEST, "invalid_request"),
        ("unknown field", json_type, br#"{"step":"details","action":"submit","admin":true}"#.to_vec(), StatusCode::BAD_REQUEST, "invalid_request"),
        ("wrong type", json_type, br#"{"step":"details","action":"submit","values":{"email":5}}"#.to_vec(), StatusCode::BAD_REQUEST, "invalid_request"),
        ("array", json_type, b"[1,2,3]".to_vec(), StatusCode::BAD_REQUEST, "invalid_request"),
        ("oversized", json_type, format!(r#"{{"step":"details","action":"submit","values":{{"email":"{}"}}}}"#, "a".repeat(100_000)).into_bytes(), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        ("unknown value", json_type, br#"{"step":"details","action":"submit","values":{"is_admin":"1"}}"#.to_vec(), StatusCode::BAD_REQUEST, "invalid_request"),
        ("unknown action", json_type, br#"{"step":"details","action":"delete","values":{}}"#.to_vec(), StatusCode::BAD_REQUEST, "action_unavailable"),
        ("another step", json_type, br#"{"step":"password","action":"submit","values":{"password":"violet tractor under the bridge"}}"#.to_vec(), StatusCode::CONFLICT, "step_mismatch"),
        ("hostile step id", json_type, br#"{"step":"../../etc/passwd","action":"submit","values":{}}"#.to_vec(), StatusCode::CONFLICT, "step_mismatch"),
    ];
    for (name, content_type, body, status, code) in cases {
        let (got, body) = raw(&server, &path, content_type, body).await;
        assert_eq!((got, code_of(&body)), (status, code), "{name}: {body}");
        let id = body["error"]["id"].as_str().unwrap();
        assert!(id.starts_with("api-"), "{name}: {body}");
        assert!(
            !body["error"]["text"].as_str().unwrap().is_empty(),
            "{name}"
        );
        assert!(
            !body["error"]["text"].as_str().unwrap().starts_with("api-"),
            "{name}: the text is resolved"
        );
    }
    // Nothing above moved or broke the flow.
    let (status, current) = server.get(&path).await;
    assert_eq!(
        (status, current["step"]["id"].as_str()),
        (StatusCode::OK, Some("details"))
    );
    let (status, next) = server
        .answer(
            &current,
            "submit",
            json!({"email": "ok@example.com", "given_name": "O", "family_name": "K"}),
        )
        .await;
    assert_eq!(
        (status, next["step"]["id"].as_str()),
        (StatusCode::OK, Some("verify_email"))
    );
    server.stop().await;
}

#[tokio::test]
async fn invalid_values_are_named_beside_their_fields_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = server.start("registration").await;
    let (status, body) = server
        .answer(
            &flow,
            "submit",
            json!({"email": "not an address", "given_name": "", "family_name": "x".repeat(101)}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    let fields = body["flow"]["step"]["fields"].as_array().unwrap();
    let ids: Vec<_> = fields
        .iter()
        .map(|f| f["messages"][0]["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["error-email-invalid", "error-required", "error-too-long"]
    );
    assert_eq!(
        fields[0]["value"], "not an address",
        "what the person typed is shown again"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_bidi_override_in_a_name_is_refused_beside_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = server.start("registration").await;
    // U+202E reverses what follows it: `Jane\u{202E}eod` displays as `Janedoe`.
    let (status, body) = server
        .answer(
            &flow,
            "submit",
            json!({"email": "jane@example.com", "given_name": "Jane\u{202E}eod", "family_name": "Doe"}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    let fields = body["flow"]["step"]["fields"].as_array().unwrap();
    let given = fields.iter().find(|f| f["name"] == "given_name").unwrap();
    assert_eq!(given["messages"][0]["id"], "error-text-invalid", "{body}");
    assert!(
        !given["messages"][0]["text"]
            .as_str()
            .unwrap_or("")
            .is_empty()
    );
    let others: Vec<_> = fields
        .iter()
        .filter(|f| f["name"] != "given_name")
        .filter_map(|f| f["messages"].as_array().filter(|m| !m.is_empty()))
        .collect();
    assert!(others.is_empty(), "only the name is wrong: {body}");
    assert_eq!(
        body["flow"]["step"]["id"], "details",
        "the flow waits at the step"
    );
    server.stop().await;
}

#[tokio::test]
async fn unknown_things_are_404s_in_the_same_format() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let cases = [
        (
            "/v1/flows/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "flow_not_found",
        ),
        ("/v1/flows/%00%27%22%3Cscript%3E", "flow_not_found"),
        (
            &format!("/v1/flows/{}", "a".repeat(5000)) as &str,
            "flow_not_found",
        ),
        ("/v1/nothing/here", "not_found"),
        ("/v1/acme/.well-known/jwks.json", "tenant_not_found"),
    ];
    for (path, code) in cases {
        let (status, body) = server.get(path).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::NOT_FOUND, code),
            "{path}"
        );
    }
    for (path, code) in [
        ("/v1/acme/journeys/registration", "tenant_not_found"),
        ("/v1/testco/journeys/teleport", "journey_not_found"),
    ] {
        let (status, body, _) = server.post(path, json!({})).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::NOT_FOUND, code),
            "{path}"
        );
    }
    let (status, body, _) = server
        .post("/v1/testco/journeys/registration", json!({"brand": "acme"}))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::BAD_REQUEST, "invalid_request")
    );
    server.stop().await;
}

#[tokio::test]
async fn other_origins_cannot_drive_flows_and_every_answer_carries_the_strict_policy() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let post = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut request = server
            .http
            .post(format!("{}/v1/testco/journeys/registration", server.url))
            .header("content-type", "application/json")
            .body("{}");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let refused = post(Some("https://evil.example"), None).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        code_of(&refused.json::<Value>().await.unwrap()),
        "origin_not_allowed"
    );
    assert_eq!(
        post(None, Some("cross-site")).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(Some("http://localhost:8080"), None)
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "a tenant's origin"
    );
    let own = post(
        Some(Box::leak(server.url.clone().into_boxed_str())),
        Some("same-origin"),
    )
    .await
    .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    let csp = own.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(own.headers()["referrer-policy"], "no-referrer");
    server.stop().await;
}

#[tokio::test]
async fn the_dev_outbox_exists_only_in_development_mode() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::spawn_with(crate::support::Setup {
        db: &dir.path().join("j.db"),
        dev: false,
        tenants: crate::support::fixture_tenants(),
    })
    .await;
    let (status, _) = server.get("/dev/outbox").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn one_tenant_s_pages_cannot_drive_or_read_another_tenant_s_flows() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    crate::support::copy_dir(
        &crate::support::fixture_tenants().join("testco"),
        &tenants.join("testco"),
    );
    crate::support::copy_dir(
        &crate::support::fixture_tenants().join("testco"),
        &tenants.join("acme"),
    );
    let acme = tenants.join("acme/tenant.toml");
    let config = std::fs::read_to_string(&acme).unwrap();
    let config = config.replace(
        r#"allowed_origins = ["http://127.0.0.1:8080", "http://localhost:8080"]"#,
        r#"allowed_origins = ["https://acme.example"]"#,
    );
    let config = config.replace(
        "[brands.testco]\nname = \"TestCo\"",
        "[brands.acme]\nname = \"Acme Insurance\"",
    );
    assert!(config.contains("https://acme.example") && config.contains("Acme Insurance"));
    std::fs::write(&acme, config).unwrap();
    let server = crate::support::spawn_with(crate::support::Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants,
    })
    .await;
    let call = |method: reqwest::Method, path: String, origin: &'static str| {
        let body = if path.starts_with("/v1/flows/") {
            r#"{"step": "details", "action": "submit", "values": {}}"#
        } else {
            "{}"
        };
        server
            .http
            .request(method, format!("{}{path}", server.url))
            .header("origin", origin)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let start = |tenant: &str, origin| {
        call(
            reqwest::Method::POST,
            format!("/v1/{tenant}/journeys/registration"),
            origin,
        )
    };
    assert_eq!(
        start("acme", "https://acme.example")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        start("testco", "http://localhost:8080")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let refused = start("acme", "http://localhost:8080").await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "TestCo's page may not start Acme's journeys"
    );
    assert_eq!(
        code_of(&refused.json::<Value>().await.unwrap()),
        "origin_not_allowed"
    );
    assert_eq!(
        start("testco", "https://acme.example")
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    // A flow of Acme's can be neither read nor answered from TestCo's origin.
    let flow: Value = start("acme", "https://acme.example")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = format!("/v1/flows/{}", flow["id"].as_str().unwrap());
    let read = call(reqwest::Method::GET, path.clone(), "http://localhost:8080")
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::FORBIDDEN);
    let answer = call(reqwest::Method::POST, path.clone(), "http://localhost:8080")
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        call(reqwest::Method::GET, path, "https://acme.example")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    server.stop().await;
}
