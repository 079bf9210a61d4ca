//! `GET /v1/{tenant}`: the public description of a tenant (brands and their themes, languages,
//! journeys), with nothing secret in it, under the same CORS and CSP rules as the other `/v1`
//! routes; an unknown tenant is a `404` in the API's error format.

use crate::support::{Setup, code_of, copy_dir, fixture_tenants, spawn, spawn_with, start_error};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_tenant_describes_its_brands_languages_and_journeys_and_nothing_secret() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let response = server
        .http
        .get(format!("{}/v1/testco", server.url))
        .header("origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body,
        json!({
            "id": "testco",
            "name": "TestCo",
            "brands": [{
                "id": "testco",
                "name": "TestCo",
                "theme": "testco",
                "stylesheet": format!("{}/themes/testco.css", server.url),
            }],
            // The test server runs in development mode, which adds the pseudo-locale.
            "locales": ["en", "nl", "de", "fr", "es", "ar", "en-XA"],
            "default_locale": "en",
            "locale": "en",
            "journeys": [
                {"name": "login", "title": {"id": "journey-login-title", "text": "Log in"}, "context_keys": []},
                {"name": "profile", "title": {"id": "journey-profile-title", "text": "Complete your profile"}, "context_keys": []},
                {"name": "recovery", "title": {"id": "journey-recovery-title", "text": "Reset a forgotten password"}, "context_keys": []},
                {"name": "registration", "title": {"id": "journey-registration-title", "text": "Create an account"}, "context_keys": []},
            ],
        })
    );
    // The same type the widgets and the preview decode.
    let info: journey_protocol::TenantInfo = serde_json::from_str(&text).unwrap();
    assert_eq!(info.brands[0].theme, "testco");
    for private in [
        "testco-web",
        "localhost:8080",
        "127.0.0.1:8080",
        "rate_limits",
    ] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    // A brand's page on an allowed origin may read it; only the tenant's origins may frame it.
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://localhost:8080"
    );
    let tenant = server.state.tenants.get("testco").unwrap();
    assert_eq!(
        headers["content-security-policy"],
        journey_server::security::content_security_policy(&server.state, Some(tenant)).as_str()
    );
    // An origin no tenant allows gets no CORS grant.
    let response = server
        .http
        .get(format!("{}/v1/testco", server.url))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    server.stop().await;
}

#[tokio::test]
async fn journey_titles_are_in_the_asked_language_else_the_tenants_default() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for (query, locale, title) in [
        ("?locale=nl", "nl", "Account aanmaken"),
        ("?locale=ar", "ar", "إنشاء حساب"),
        ("?locale=de-CH", "de", "Konto erstellen"),
        ("?locale=xx", "en", "Create an account"),
        ("?locale=%FF%FE", "en", "Create an account"),
        ("", "en", "Create an account"),
    ] {
        let (status, body) = server.get(&format!("/v1/testco{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(body["locale"], locale, "{query}");
        let registration = body["journeys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["name"] == "registration")
            .unwrap();
        assert_eq!(registration["title"]["text"], title, "{query}");
    }
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_tenant_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for path in ["/v1/acme", "/v1/%FF"] {
        let (status, body) = server.get(path).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::NOT_FOUND, "tenant_not_found"),
            "{path}: {body}"
        );
        assert_eq!(body["error"]["id"], "api-tenant-not-found", "{body}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_brand_may_name_its_theme_and_a_theme_must_be_a_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    let file = tenants.join("testco/tenant.toml");
    let config = std::fs::read_to_string(&file).unwrap();
    let with_brand = |theme: &str| {
        format!("{config}\n[brands.night]\nname = \"TestCo Night\"\ntheme = \"{theme}\"\n")
    };
    std::fs::write(&file, with_brand("testco-dark")).unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants: tenants.clone(),
    })
    .await;
    let (status, body) = server.get("/v1/testco").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["brands"],
        json!([
            {
                "id": "night",
                "name": "TestCo Night",
                "theme": "testco-dark",
                "stylesheet": format!("{}/themes/testco-dark.css", server.url),
            },
            {
                "id": "testco",
                "name": "TestCo",
                "theme": "testco",
                "stylesheet": format!("{}/themes/testco.css", server.url),
            },
        ])
    );
    server.stop().await;

    std::fs::write(&file, with_brand("../secrets")).unwrap();
    let error = start_error(tenants, dir.path(), true).await;
    assert!(
        error.contains("tenant.toml: brand `night`: theme `../secrets`"),
        "{error}"
    );
}
