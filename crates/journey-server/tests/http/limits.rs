//! Rate limits per client and per tenant over HTTP, with clients on different loopback
//! addresses: a flood is refused with 429 and Retry-After while a person on another address
//! registers normally; the clock gives the flood its turn back; a tenant's own limits hold for
//! everyone; and a malformed `[rate_limits]` stops the server naming the file.

use crate::support::{
    Server, Setup, code_of, copy_dir, fixture_tenants, queued_to, spawn, spawn_configured,
    spawn_with, start_error,
};
use journey_server::limits::{Action, Limits};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PASSWORD: &str = "violet tractor under the bridge";

/// The seconds of a 429's `Retry-After`, after checking the API's error format.
fn refused(status: StatusCode, body: &Value, headers: &HeaderMap) -> i64 {
    assert_eq!(
        (status, code_of(body)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{body}"
    );
    assert_eq!(body["error"]["id"], "api-rate-limited", "{body}");
    assert!(
        !body["error"]["text"].as_str().unwrap_or("").is_empty(),
        "{body}"
    );
    let seconds: i64 = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no whole-second Retry-After: {headers:?}"));
    assert!(seconds >= 1);
    seconds
}

async fn start_from(
    server: &Server,
    http: &reqwest::Client,
    journey: &str,
) -> (StatusCode, Value, HeaderMap) {
    let path = format!("/v1/testco/journeys/{journey}");
    server.post_from(http, &path, json!({})).await
}

async fn submit_from(
    server: &Server,
    http: &reqwest::Client,
    flow: &Value,
    action: &str,
    values: Value,
) -> (StatusCode, Value, HeaderMap) {
    let id = flow["id"].as_str().unwrap();
    let step = flow["step"]["id"].as_str().unwrap();
    let body = json!({ "step": step, "action": action, "values": values });
    server
        .post_from(http, &format!("/v1/flows/{id}"), body)
        .await
}

/// The registration journey from `http`, up to the password step's answer.
async fn register_from(
    server: &Server,
    http: &reqwest::Client,
    email: &str,
) -> (StatusCode, Value, HeaderMap) {
    let (status, flow, _) = start_from(server, http, "registration").await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let (status, flow, _) = submit_from(server, http, &flow, "submit", details).await;
    assert_eq!(flow["step"]["id"], "verify_email", "{status} {flow}");
    let code = server.code(email, 1).await;
    let (status, flow, _) =
        submit_from(server, http, &flow, "submit", json!({ "code": code })).await;
    assert_eq!(flow["step"]["id"], "password", "{status} {flow}");
    submit_from(
        server,
        http,
        &flow,
        "submit",
        json!({ "password": PASSWORD }),
    )
    .await
}

/// Registers `email` from `http` through the whole journey.
async fn registers_from(server: &Server, http: &reqwest::Client, email: &str) {
    let (status, flow, _) = register_from(server, http, email).await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("welcome")),
        "{flow}"
    );
    let (status, flow, _) = submit_from(server, http, &flow, "continue", json!({})).await;
    assert_eq!(
        (status, flow["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{flow}"
    );
}

async fn login_from(
    server: &Server,
    http: &reqwest::Client,
    email: &str,
    password: &str,
) -> (StatusCode, Value, HeaderMap) {
    let (status, flow, _) = start_from(server, http, "login").await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let values = json!({ "email": email, "password": password });
    submit_from(server, http, &flow, "submit", values).await
}

/// A copy of the TestCo tenant with `extra` appended to its `tenant.toml`.
fn tenant_with(dir: &Path, extra: &str) -> PathBuf {
    let tenants = dir.join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    let file = tenants.join("testco/tenant.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n{extra}\n")).unwrap();
    tenants
}

#[tokio::test]
async fn a_flood_from_one_address_is_refused_while_a_person_on_another_registers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Arc::new(spawn(&dir.path().join("j.db")).await);
    let burst = Limits::default().client(Action::StartFlow).burst as usize;
    let flood = server.client_from(2);
    let starts: Vec<_> = (0..burst + 40)
        .map(|_| {
            let (server, flood) = (server.clone(), flood.clone());
            tokio::spawn(async move { start_from(&server, &flood, "registration").await })
        })
        .collect();
    // At the same moment, a person on another address goes through the whole journey.
    let person = server.client_from(3);
    registers_from(&server, &person, "person@example.com").await;
    let mut served = 0;
    for start in starts {
        let (status, body, headers) = start.await.unwrap();
        if status == StatusCode::OK {
            served += 1;
        } else {
            refused(status, &body, &headers);
        }
    }
    assert_eq!(served, burst, "the flood's own burst, no more");

    // The flood's address is served again once its Retry-After has passed, and not before.
    let (status, body, headers) = start_from(&server, &flood, "registration").await;
    let wait = refused(status, &body, &headers);
    server.clock.advance(wait - 1);
    let (status, body, headers) = start_from(&server, &flood, "registration").await;
    assert_eq!(refused(status, &body, &headers), 1);
    server.clock.advance(1);
    let (status, body, _) = start_from(&server, &flood, "registration").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn made_up_flow_ids_from_one_address_are_refused_before_any_look_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let burst = Limits::default().client(Action::Submit).burst;
    let body = json!({"step": "details", "action": "submit", "values": {}});
    let path = format!("/v1/flows/{}", "A".repeat(32));
    let flood = server.client_from(2);
    for _ in 0..burst {
        let (status, answer, _) = server.post_from(&flood, &path, body.clone()).await;
        assert_eq!(code_of(&answer), "flow_not_found", "{status} {answer}");
    }
    let (status, answer, headers) = server.post_from(&flood, &path, body.clone()).await;
    refused(status, &answer, &headers);
    let other = server.client_from(3);
    let (_, answer, _) = server.post_from(&other, &path, body).await;
    assert_eq!(code_of(&answer), "flow_not_found", "{answer}");
}

#[tokio::test]
async fn a_tenant_s_own_limit_refuses_everyone_once_reached() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = tenant_with(
        dir.path(),
        "[rate_limits.per_tenant]\nstart_flow = { burst = 3, per_hour = 60 }",
    );
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants,
    })
    .await;
    let (a, b, c) = (
        server.client_from(2),
        server.client_from(3),
        server.client_from(4),
    );
    for http in [&a, &a, &b] {
        let (status, body, _) = start_from(&server, http, "login").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for http in [&c, &a, &b] {
        let (status, body, headers) = start_from(&server, http, "registration").await;
        assert_eq!(refused(status, &body, &headers), 60, "one start a minute");
    }
    server.clock.advance(60);
    let (status, body, _) = start_from(&server, &c, "login").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn messages_and_password_hashes_are_limited_per_client_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = tenant_with(
        dir.path(),
        "[rate_limits.per_client]\nsend_message = { burst = 1, per_hour = 1 }\n\
         hash_password = { burst = 1, per_hour = 1 }",
    );
    let db = dir.path().join("j.db");
    let server = spawn_with(Setup {
        db: &db,
        dev: true,
        tenants,
    })
    .await;
    let a = server.client_from(2);
    registers_from(&server, &a, "a@example.com").await;

    // Its one message an hour is used: a second registration sends no code and says why.
    let (_, flow, _) = start_from(&server, &a, "registration").await;
    let details = json!({"email": "b@example.com", "given_name": "Jane", "family_name": "Doe"});
    let (status, flow, _) = submit_from(&server, &a, &flow, "submit", details).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["id"], "verify_email");
    assert_eq!(
        flow["step"]["messages"][0]["id"], "error-message-cap",
        "{flow}"
    );
    assert_eq!(queued_to(&db, "b@example.com"), 0, "no code queued");
    assert!(server.outbox("b@example.com", 0).await.is_empty());

    // Its one password hash an hour is used: a login is refused before the password is checked.
    let (status, body, headers) = login_from(&server, &a, "a@example.com", PASSWORD).await;
    assert_eq!(refused(status, &body, &headers), 3600);
    // Another address signs in.
    let b = server.client_from(3);
    let (status, body, _) = login_from(&server, &b, "a@example.com", PASSWORD).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("complete")),
        "{body}"
    );
    // ... and has used its hash: creating an account is refused before hashing its password.
    let (status, body, headers) = register_from(&server, &b, "c@example.com").await;
    assert_eq!(refused(status, &body, &headers), 3600);
}

#[tokio::test]
async fn a_password_reset_is_refused_before_hashing_once_the_client_has_hashed_its_share() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = tenant_with(
        dir.path(),
        "[rate_limits.per_client]\nhash_password = { burst = 1, per_hour = 1 }",
    );
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants,
    })
    .await;
    let a = server.client_from(2);
    let email = "reset@example.com";
    registers_from(&server, &a, email).await;
    let (_, flow, _) = start_from(&server, &a, "recovery").await;
    let (_, flow, _) = submit_from(&server, &a, &flow, "submit", json!({ "email": email })).await;
    assert_eq!(flow["step"]["id"], "verify_email", "{flow}");
    let code = server.code(email, 2).await;
    let (_, flow, _) = submit_from(&server, &a, &flow, "submit", json!({ "code": code })).await;
    assert_eq!(flow["step"]["block"], "reset_password", "{flow}");
    let new = json!({ "password": "seven quiet lanterns over the harbour" });
    let (status, body, headers) = submit_from(&server, &a, &flow, "submit", new.clone()).await;
    assert_eq!(refused(status, &body, &headers), 3600);
    // Nothing was saved: the same step, from another address, goes on.
    let b = server.client_from(3);
    let (status, body, _) = submit_from(&server, &b, &flow, "submit", new).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_malformed_rate_limits_table_stops_the_server_naming_the_file() {
    for (extra, problem) in [
        (
            "[rate_limits.per_client]\nstart_flow = { burst = 0, per_hour = 10 }",
            "rate_limits.per_client.start_flow: burst must be between 1 and",
        ),
        (
            "[rate_limits.per_tenant]\nsubmits = { burst = 5, per_hour = 10 }",
            "submits",
        ),
        ("[rate_limits]\nsend_message = 10", "send_message"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let tenants = tenant_with(dir.path(), extra);
        let file = tenants.join("testco/tenant.toml").display().to_string();
        let error = start_error(tenants, dir.path(), true).await;
        assert!(error.contains(&format!("{file}: ")), "{error}");
        assert!(error.contains(problem), "{extra}: {error}");
    }
}

/// Starts a flow from `http` with `forwarded` as its `X-Forwarded-For`.
async fn start_forwarded(
    server: &Server,
    http: &reqwest::Client,
    forwarded: &str,
) -> (StatusCode, Value, HeaderMap) {
    let response = http
        .post(format!("{}/v1/testco/journeys/login", server.url))
        .header("X-Forwarded-For", forwarded)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, response.json().await.unwrap(), headers)
}

#[tokio::test]
async fn a_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    // 127.0.0.2 is trusted; the caller below connects from 127.0.0.3.
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.trusted_proxies = vec!["127.0.0.2/32".parse().unwrap()];
    })
    .await;
    let burst = Limits::default().client(Action::StartFlow).burst as usize;
    let spoofer = server.client_from(3);
    for n in 0..burst {
        let (status, body, _) = start_forwarded(&server, &spoofer, &format!("10.9.0.{n}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // A new made-up address in the header gains nothing: the burst was the peer's.
    let (status, body, headers) = start_forwarded(&server, &spoofer, "10.9.1.1").await;
    refused(status, &body, &headers);
    let (status, body, headers) = start_from(&server, &spoofer, "login").await;
    refused(status, &body, &headers);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.trusted_proxies = vec!["127.0.0.2/32".parse().unwrap()];
    })
    .await;
    let burst = Limits::default().client(Action::StartFlow).burst as usize;
    // The proxy, as HAProxy's `option forwardfor` does, appends the address it was reached
    // from; a client that sends a header of its own gets its own address appended after it.
    let proxy = server.client_from(2);
    for n in 0..burst {
        let forwarded = if n % 2 == 0 {
            "198.51.100.7".to_owned()
        } else {
            format!("10.9.0.{n}, 198.51.100.7")
        };
        let (status, body, _) = start_forwarded(&server, &proxy, &forwarded).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // That client's burst is used, whatever it wrote to the left of what the proxy added.
    for forwarded in ["198.51.100.7", "203.0.113.99, 198.51.100.7"] {
        let (status, body, headers) = start_forwarded(&server, &proxy, forwarded).await;
        refused(status, &body, &headers);
    }
    // Another person behind the same proxy is served.
    let (status, body, _) = start_forwarded(&server, &proxy, "198.51.100.8").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A chain of two trusted proxies: the client is the first address not trusted.
    let (status, body, headers) = start_forwarded(&server, &proxy, "198.51.100.7, 127.0.0.2").await;
    refused(status, &body, &headers);
}
