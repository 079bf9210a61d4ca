//! One tenant, several brands, one account per person; two tenants, nothing shared. With the
//! test tenants `tests/fixtures/two-tenants/group` (brands `car` and `life`) and `other`: an
//! account registered with one brand signs in with the other, the other tenant knows nothing of
//! it, and the brand pages' own origin gets CORS for the API and the static files while an
//! origin no tenant allows gets none.

use crate::support::{Server, Setup, spawn_configured, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PASSWORD: &str = "seven lanterns over a quiet harbour";

fn tenants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-tenants")
}

async fn start(server: &Server, tenant: &str, journey: &str, brand: &str) -> Value {
    let (status, flow, _) = server
        .post(
            &format!("/v1/{tenant}/journeys/{journey}"),
            json!({ "brand": brand }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow
}

/// Answers `flow`'s step and expects the step `next` (or completion when `None`).
async fn step(
    server: &Server,
    flow: &Value,
    action: &str,
    values: Value,
    next: Option<&str>,
) -> Value {
    let (status, flow) = server.answer(flow, action, values).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    match next {
        Some(next) => assert_eq!(flow["step"]["id"], next, "{flow}"),
        None => assert_eq!(flow["status"], "complete", "{flow}"),
    }
    flow
}

/// Registers `email` with `tenant`'s `brand`; returns the completed flow.
async fn register(server: &Server, tenant: &str, brand: &str, email: &str) -> Value {
    let flow = start(server, tenant, "registration", brand).await;
    let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let flow = step(server, &flow, "submit", details, Some("verify_email")).await;
    let code = server.code(email, 1).await;
    let flow = step(
        server,
        &flow,
        "submit",
        json!({ "code": code }),
        Some("password"),
    )
    .await;
    let flow = step(
        server,
        &flow,
        "submit",
        json!({ "password": PASSWORD }),
        Some("welcome"),
    )
    .await;
    step(server, &flow, "continue", json!({}), None).await
}

async fn login(server: &Server, tenant: &str, brand: &str, email: &str) -> (StatusCode, Value) {
    let flow = start(server, tenant, "login", brand).await;
    server
        .answer(
            &flow,
            "submit",
            json!({"email": email, "password": PASSWORD}),
        )
        .await
}

#[tokio::test]
async fn an_account_is_shared_by_a_tenants_brands_and_unknown_to_other_tenants() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants: tenants(),
    })
    .await;

    // Registered with the car brand, in its own words.
    let flow = start(&server, "group", "registration", "car").await;
    assert_eq!(
        flow["step"]["title"]["text"],
        "Insure your car with Group Car"
    );
    let life = start(&server, "group", "registration", "life").await;
    assert_eq!(life["step"]["title"]["text"], "Create your account");
    let registered = register(&server, "group", "car", "jane@example.com").await;
    let subject = registered["outcome"]["session"]["subject"].clone();
    assert!(subject.is_string(), "{registered}");

    // The same person signs in with the life brand: the same account.
    let (status, flow) = login(&server, "group", "life", "jane@example.com").await;
    assert_eq!(
        (status, flow["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{flow}"
    );
    assert_eq!(flow["outcome"]["session"]["subject"], subject);

    // Registering again with the life brand is a taken address: a notice, not a code.
    let flow = start(&server, "group", "registration", "life").await;
    let details = json!({"email": "jane@example.com", "given_name": "Jane", "family_name": "Doe"});
    step(
        &server,
        &flow,
        "submit",
        details.clone(),
        Some("verify_email"),
    )
    .await;
    let messages = server.outbox("jane@example.com", 2).await;
    assert_eq!(
        messages[0]["subject"], "Someone tried to register with your address",
        "{messages:?}"
    );

    // The other tenant knows no such account: its login fails as for anyone unknown, and its
    // registration sends a code to the same address.
    let (status, body) = login(&server, "other", "other", "jane@example.com").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["flow"]["step"]["messages"][0]["id"], "error-login-failed",
        "{body}"
    );
    let flow = start(&server, "other", "registration", "other").await;
    step(&server, &flow, "submit", details, Some("verify_email")).await;
    let messages = server.outbox("jane@example.com", 3).await;
    assert_eq!(
        messages[0]["subject"], "Your Other verification code",
        "{messages:?}"
    );
    let other = register(&server, "other", "other", "jane.other@example.com").await;
    assert_ne!(other["outcome"]["session"]["subject"], subject);
    server.stop().await;
}

#[tokio::test]
async fn the_brand_pages_origin_gets_cors_for_the_api_and_the_widget_files_and_others_get_none() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("static");
    std::fs::create_dir_all(files.join("widget")).unwrap();
    std::fs::create_dir_all(files.join("themes")).unwrap();
    std::fs::write(files.join("widget/journey-widget.js"), "export {};").unwrap();
    std::fs::write(files.join("widget/journey-widgets_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(files.join("themes/base.css"), ":root {}").unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.tenants = tenants();
        config.static_dir = Some(files.clone());
    })
    .await;
    let page = "http://brands.group.example";
    let get = |path: &str, origin: &str| {
        server
            .http
            .get(format!("{}{path}", server.url))
            .header("origin", origin)
            .send()
    };
    let grant = |response: &reqwest::Response| {
        response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    for path in [
        "/widget/journey-widget.js",
        "/widget/journey-widgets_bg.wasm",
        "/themes/base.css",
        "/v1/group",
    ] {
        let response = get(path, page).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(grant(&response).as_deref(), Some(page), "{path}");
        assert_eq!(
            response.headers()["access-control-allow-credentials"],
            "true",
            "{path}"
        );
        let response = get(path, "http://elsewhere.example").await.unwrap();
        assert_eq!(grant(&response), None, "{path}");
    }

    // A preflight from the page for starting a flow is granted; from elsewhere it is not.
    let preflight = |origin: &str| {
        server
            .http
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/v1/group/journeys/registration", server.url),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let response = preflight(page).await.unwrap();
    assert_eq!(grant(&response).as_deref(), Some(page));
    let response = preflight("http://elsewhere.example").await.unwrap();
    assert_eq!(grant(&response), None);

    // The flow itself: the page's origin may start one, another tenant's origin may not.
    let start_from = |origin: &str| {
        server
            .http
            .post(format!("{}/v1/group/journeys/registration", server.url))
            .header("origin", origin)
            .json(&json!({"brand": "life"}))
            .send()
    };
    let response = start_from(page).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(grant(&response).as_deref(), Some(page));
    let response = start_from("http://other.example").await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "origin_not_allowed", "{body}");
    server.stop().await;
}
