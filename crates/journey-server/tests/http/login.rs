//! The TestCo login journey over HTTP: the same answer for a wrong password and an unknown
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

/// The `name=value` of the `Set-Cookie` header for cookie `name`, if any.
fn set_cookie(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_stranger_s_failures_cannot_lock_the_owner_s_own_browser_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let email = "owner@example.com";
    // Registering signs the owner in here: the answer marks this browser as theirs.
    let (flow, code) = server.at_code_step(email).await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "password": PASSWORD }))
        .await;
    let (status, done, headers) = server.submit(&flow, "continue", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let device = set_cookie(&headers, "__Host-jk_device").expect("a device cookie");
    let full = headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-jk_device="))
        .unwrap()
        .to_owned();
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(full.contains(attribute), "{full}");
    }

    // A stranger on another client fails 100 times: sign-in is locked for everyone else.
    let stranger = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    for _ in 0..100 {
        let flow = server.start("login").await;
        let response = stranger
            .post(format!(
                "{}/v1/flows/{}",
                server.url,
                flow["id"].as_str().unwrap()
            ))
            .json(&json!({"step": "login", "action": "submit",
                "values": {"email": email, "password": "a stranger guessing"}}))
            .send()
            .await
            .unwrap();
        assert!(
            [
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::TOO_MANY_REQUESTS
            ]
            .contains(&response.status())
        );
        server.clock.advance(16 * 60);
    }
    let login = |cookie: Option<String>| {
        let server = &server;
        async move {
            let flow = server.start("login").await;
            let mut request = server
                .http
                .post(format!(
                    "{}/v1/flows/{}",
                    server.url,
                    flow["id"].as_str().unwrap()
                ))
                .json(&json!({"step": "login", "action": "submit",
                    "values": {"email": email, "password": PASSWORD}}));
            if let Some(cookie) = cookie {
                request = request.header(reqwest::header::COOKIE, cookie);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = login(None).await;
    assert_eq!(
        (status, body["flow"]["step"]["messages"][0]["id"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("error-login-disabled")),
        "a browser the account never signed in from is locked: {body}"
    );
    // The owner's own browser still signs in, with the right password.
    let (status, body) = login(Some(device.clone())).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{body}"
    );
    // A device cookie of another account, or a made-up one, does not help.
    let (status, _) = login(Some(
        "__Host-jk_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
    ))
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_account_without_a_password_is_refused_like_a_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    server.register("nopassword@example.com", PASSWORD).await;
    server.register("wrong@example.com", PASSWORD).await;
    // The first account keeps its email and loses its password, as an account that never had
    // one (made by a passwordless journey) would be.
    let removed = rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "DELETE FROM account_credentials WHERE subject IN (
                 SELECT subject FROM account_identifiers WHERE value = 'nopassword@example.com')",
            [],
        )
        .unwrap();
    assert_eq!(removed, 1);

    let login = |email: &'static str, password: &'static str| {
        let server = &server;
        async move {
            let flow = server.start("login").await;
            server
                .answer(
                    &flow,
                    "submit",
                    json!({"email": email, "password": password}),
                )
                .await
        }
    };
    let (none_status, none) = login("nopassword@example.com", PASSWORD).await;
    let (wrong_status, wrong) = login("wrong@example.com", "not the right password").await;
    assert_eq!(none_status, StatusCode::UNPROCESSABLE_ENTITY, "{none}");
    assert_eq!(none_status, wrong_status);
    assert_eq!(none["error"], wrong["error"]);
    assert_eq!(
        none["flow"]["step"]["messages"],
        wrong["flow"]["step"]["messages"]
    );
    server.stop().await;
}
