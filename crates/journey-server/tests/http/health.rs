//! The probes: `/healthz` while the process serves, `/readyz` ready with what was loaded, and
//! not ready once the database file is gone.

use crate::support::{Setup, fixture_tenants, spawn, spawn_with};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test]
async fn healthz_answers_and_readyz_reports_what_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("ok")));

    let response = server
        .http
        .get(format!("{}/readyz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let ready: serde_json::Value = response.json().await.unwrap();
    assert_eq!(ready["status"], "ready", "{ready}");
    let checks = &ready["checks"];
    assert_eq!(checks["database"], "ok");
    assert_eq!(checks["shutting_down"], false);
    assert_eq!(checks["tenants"], 1, "the test tenants: testco");
    let journeys = std::fs::read_dir(fixture_tenants().join("testco/journeys"))
        .unwrap()
        .count();
    assert_eq!(checks["journeys"], journeys);
    let locales = checks["locales"].as_array().unwrap();
    assert!(locales.iter().any(|l| l == "en") && locales.iter().any(|l| l == "en-XA"));
    for channel in ["email", "sms", "voice"] {
        assert_eq!(checks["delivery"][channel], "dev-outbox", "{checks}");
    }
    assert_eq!(checks["journeys_unavailable"], serde_json::json!([]));
    server.stop().await;
}

#[tokio::test]
async fn outside_development_mode_without_an_email_sender_readyz_is_not_ready_naming_the_journeys()
{
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: false,
        tenants: fixture_tenants(),
    })
    .await;
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{ready}");
    assert_eq!(ready["status"], "not_ready");
    assert_eq!(ready["checks"]["database"], "ok");
    for channel in ["email", "sms", "voice"] {
        assert_eq!(
            ready["checks"]["delivery"][channel], "not_configured",
            "{ready}"
        );
    }
    // Every test journey sends email (a code, or the password-changed notice) but login.
    assert_eq!(
        ready["checks"]["journeys_unavailable"],
        serde_json::json!(["testco/recovery", "testco/registration"]),
        "{ready}"
    );
    assert!(
        !ready["checks"]["locales"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "en-XA"),
        "no pseudo-locale outside development mode"
    );
    server.stop().await;
}

#[tokio::test]
async fn readyz_turns_503_once_the_database_file_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (status, _) = server.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("j.db{suffix}")));
    }
    let started = Instant::now();
    let not_ready = loop {
        let (status, body) = server.get("/readyz").await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            break body;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            started.elapsed() < journey_server::watchdog::INTERVAL * 3,
            "still ready after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(not_ready["status"], "not_ready");
    assert_eq!(not_ready["checks"]["database"], "lost");
    assert!(
        !not_ready.to_string().contains(dir.path().to_str().unwrap()),
        "no path in the answer: {not_ready}"
    );
    // Liveness is only whether it serves (the binary stops itself on this halt: `keys`).
    let (status, _) = server.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}
