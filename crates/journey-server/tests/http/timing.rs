//! Time and language at a flow's start and end, with the test tenant
//! `tests/fixtures/timing/clockwork` (flows live 10 minutes, at most 25): extending a flow
//! (WCAG 2.2.1) up to its maximum lifetime and never after it ended, the warning it carries,
//! and the order in which a flow's language is chosen.

use crate::support::{Server, Setup, copy_dir, spawn_with, start_error, wrong_code};
use journey_server::state::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/timing")
}

/// The clockwork tenant outside development mode (no pseudo-locale), its emails queued for
/// an SMTP server that is down.
async fn clockwork(dir: &Path) -> Server {
    live(&dir.join("t.db"), fixtures()).await
}

async fn live(db: &Path, tenants: PathBuf) -> Server {
    crate::support::spawn_configured(db, |config| {
        config.dev = false;
        config.tenants = tenants;
        crate::support::smtp_down(config);
    })
    .await
}

async fn start(server: &Server, body: Value) -> Value {
    let (status, flow, _) = server
        .post("/v1/clockwork/journeys/registration", body)
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow
}

async fn extend(server: &Server, flow: &Value) -> (StatusCode, Value) {
    let id = flow["id"].as_str().unwrap();
    let (status, body, _) = server
        .post(&format!("/v1/flows/{id}/extend"), json!({}))
        .await;
    (status, body)
}

#[tokio::test]
async fn a_flow_is_extended_up_to_its_maximum_lifetime_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = clockwork(dir.path()).await;
    let t0 = server.clock.now();
    let flow = start(&server, json!({})).await;
    assert_eq!(flow["expires_at"], t0 + 600);
    let expiry = &flow["expiry"];
    assert_eq!(expiry["now"], t0);
    assert_eq!(expiry["max_expires_at"], t0 + 25 * 60);
    assert_eq!(expiry["warn_before"], 120);
    assert_eq!(expiry["extend_label"]["text"], "Continue");
    assert_eq!(expiry["warning"]["id"], "flow-expiry-warning");
    let left: Vec<(u64, &str)> = expiry["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["up_to"].as_u64().unwrap(),
                l["text"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(left[0], (120, "Less than 2 minutes left."));
    assert_eq!(left[1], (60, "Less than 1 minute left."));
    assert_eq!(left.last(), Some(&(10, "Less than 10 seconds left.")));

    // Eight minutes in: ten more minutes from now; the step and revision stay as they were.
    server.clock.advance(480);
    let (status, extended) = extend(&server, &flow).await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert_eq!(extended["expires_at"], t0 + 1080);
    assert_eq!(extended["expiry"]["now"], t0 + 480);
    assert_eq!(extended["step"], flow["step"]);
    server.clock.advance(360);
    let (status, again) = extend(&server, &flow).await;
    assert_eq!(
        (status, &again["expires_at"]),
        (StatusCode::OK, &json!(t0 + 1440))
    );
    assert_eq!(again["expiry"]["max_expires_at"], t0 + 1500);
    // 20 minutes in: capped at 25 minutes after the start.
    server.clock.advance(360);
    let (status, capped) = extend(&server, &flow).await;
    assert_eq!(status, StatusCode::OK, "{capped}");
    assert_eq!(capped["expires_at"], t0 + 1500);
    assert_eq!(capped["expiry"]["max_expires_at"], t0 + 1500);
    // At the cap an extension changes nothing and is still answered.
    let (status, same) = extend(&server, &flow).await;
    assert_eq!(
        (status, &same["expires_at"]),
        (StatusCode::OK, &json!(t0 + 1500))
    );
    // Then it expires, and cannot be brought back.
    server.clock.advance(300);
    let (status, expired) = extend(&server, &flow).await;
    assert_eq!(status, StatusCode::GONE, "{expired}");
    assert_eq!(expired["error"]["code"], "flow_expired");
    assert_eq!(expired["flow"]["status"], "expired");
    assert!(expired["flow"].get("expiry").is_none(), "{expired}");
    server.stop().await;
}

#[tokio::test]
async fn an_extension_keeps_the_flow_answerable_past_its_first_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let server = clockwork(dir.path()).await;
    let flow = start(&server, json!({})).await;
    server.clock.advance(590);
    assert_eq!(extend(&server, &flow).await.0, StatusCode::OK);
    server.clock.advance(300);
    let values = json!({"email": "late@example.com", "given_name": "Jane", "family_name": "Doe"});
    let (status, next) = server.answer(&flow, "submit", values).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next["step"]["id"], "verify_email");
    // The replaced step's answer is stale now, but an extension only needs the flow to live.
    let (status, extended) = extend(&server, &flow).await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert_eq!(extended["step"]["id"], "verify_email");
    server.stop().await;
}

#[tokio::test]
async fn extending_is_refused_to_a_foreign_origin_bad_bodies_and_unknown_flows() {
    let dir = tempfile::tempdir().unwrap();
    let server = clockwork(dir.path()).await;
    let flow = start(&server, json!({})).await;
    let id = flow["id"].as_str().unwrap();
    let url = format!("{}/v1/flows/{id}/extend", server.url);
    let send = |origin: Option<&'static str>, content_type: &'static str, body: &'static str| {
        let mut request = server
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            (
                status,
                body["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        }
    };
    let foreign = send(Some("https://evil.example"), "application/json", "{}").await;
    assert_eq!(
        foreign,
        (StatusCode::FORBIDDEN, "origin_not_allowed".into())
    );
    // A form post (what a page on another origin can send without a preflight) is refused.
    let form = send(None, "application/x-www-form-urlencoded", "a=1").await;
    assert_eq!(
        form,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".into()
        )
    );
    for body in ["", "[", "{\"until\": 99999999999}", "null", "\"x\""] {
        let (status, code) = send(None, "application/json", body).await;
        assert!(status.is_client_error(), "{body}: {status}");
        assert!(
            ["malformed_json", "invalid_request"].contains(&code.as_str()),
            "{body}: {code}"
        );
    }
    let allowed = send(Some("https://clockwork.example"), "application/json", "{}").await;
    assert_eq!(allowed.0, StatusCode::OK);
    for path in [
        "/v1/flows/short/extend".to_owned(),
        format!("/v1/flows/{}/extend", "A".repeat(32)),
        "/v1/flows/%FF%FE/extend".to_owned(),
        format!("/v1/flows/{}/extend", "é".repeat(16)),
    ] {
        let (status, body, _) = server.post(&path, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["error"]["code"], "flow_not_found", "{path}");
    }
    let (status, body) = server.get(&format!("/v1/flows/{id}/extend")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn a_finished_flow_cannot_be_extended() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("t.db"),
        dev: true,
        tenants: fixtures(),
    })
    .await;
    // Five wrong codes end the registration as failed (the `locked` step).
    let flow = start(&server, json!({})).await;
    let values = json!({"email": "five@example.com", "given_name": "Jane", "family_name": "Doe"});
    let (_, mut flow) = server.answer(&flow, "submit", values).await;
    let wrong = wrong_code(&server.code("five@example.com", 1).await);
    for _ in 0..5 {
        let (_, body) = server.answer(&flow, "submit", json!({"code": wrong})).await;
        flow = body.get("flow").cloned().unwrap_or(body);
    }
    assert_eq!(flow["status"], "failed", "{flow}");
    assert!(flow.get("expiry").is_none(), "{flow}");
    let (status, body) = extend(&server, &flow).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "flow_ended");
    assert_eq!(body["flow"]["status"], "failed");
    server.stop().await;
}

/// A copy of the test tenant with its `flow_max_lifetime_minutes` line replaced by `line`.
fn with_lifetime(dir: &Path, line: &str) -> PathBuf {
    let tenants = dir.join("tenants");
    copy_dir(&fixtures(), &tenants);
    let file = tenants.join("clockwork/tenant.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("flow_max_lifetime_minutes = 25", line);
    std::fs::write(&file, text).unwrap();
    tenants
}

#[tokio::test]
async fn the_maximum_lifetime_is_checked_at_start_and_defaults_to_four_ttls() {
    for value in ["5", "5761", "0", "9"] {
        let dir = tempfile::tempdir().unwrap();
        let line = format!("flow_max_lifetime_minutes = {value}");
        let error = start_error(with_lifetime(dir.path(), &line), dir.path(), false).await;
        assert!(
            error.contains(
                "tenant.toml: flow_max_lifetime_minutes must be between flow_ttl_minutes (10) and 5760"
            ),
            "{value}: {error}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let server = live(&dir.path().join("t.db"), with_lifetime(dir.path(), "")).await;
    let t0 = server.clock.now();
    let flow = start(&server, json!({})).await;
    assert_eq!(flow["expiry"]["max_expires_at"], t0 + 40 * 60);
    server.stop().await;
}

async fn start_in(server: &Server, body: Value, accept_language: Option<&str>) -> String {
    let mut request = server
        .http
        .post(format!("{}/v1/clockwork/journeys/registration", server.url))
        .json(&body);
    if let Some(header) = accept_language {
        request = request.header("accept-language", header);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let flow: Value = response.json().await.unwrap();
    flow["locale"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_flow_speaks_the_asked_language_else_the_browser_s_else_the_brand_s() {
    let dir = tempfile::tempdir().unwrap();
    let server = clockwork(dir.path()).await;
    let header = Some("fr-CA;q=0.9, ar;q=0.8");
    // The page's tag wins over the browser's.
    assert_eq!(
        start_in(&server, json!({"locale": "nl-BE"}), header).await,
        "nl"
    );
    // A tag the tenant does not have gives way to Accept-Language, best q first.
    assert_eq!(
        start_in(&server, json!({"locale": "de"}), header).await,
        "fr"
    );
    assert_eq!(start_in(&server, json!({}), header).await, "fr");
    assert_eq!(
        start_in(&server, json!({}), Some("ja, ar;q=0.8, fr;q=0.5")).await,
        "ar"
    );
    assert_eq!(
        start_in(&server, json!({}), Some("fr;q=0, *;q=0.1")).await,
        "en"
    );
    // Nothing the tenant has: the brand's default (night speaks Dutch, day the tenant's).
    for header in [Some("ja, de;q=0.5"), Some("not a header"), None] {
        assert_eq!(
            start_in(&server, json!({}), header).await,
            "en",
            "{header:?}"
        );
        assert_eq!(
            start_in(&server, json!({"brand": "night"}), header).await,
            "nl",
            "{header:?}"
        );
    }
    // The texts are in that language, and so are errors before the flow exists.
    let (status, flow, _) = server
        .post(
            "/v1/clockwork/journeys/registration",
            json!({"brand": "night"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(flow["expiry"]["extend_label"]["text"], "Doorgaan");
    let response = server
        .http
        .post(format!("{}/v1/clockwork/journeys/nothing", server.url))
        .header("accept-language", "fr")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "journey_not_found");
    let french = server
        .state
        .text("fr", &Default::default(), "api-journey-not-found", &[]);
    assert_eq!(body["error"]["text"], french.as_str());
    server.stop().await;
}
