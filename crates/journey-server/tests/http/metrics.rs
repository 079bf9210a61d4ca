//! The Prometheus metrics: absent unless enabled, then counting real journeys (the funnel by
//! tenant, journey and step; requests by route template; messages; password hashing), and on
//! a listener of their own when asked.

use crate::support::{Server, code_of, fixture_tenants, root, spawn, spawn_configured, wrong_code};
use journey_server::config::{Config, MetricsConfig};
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The value of the metric `name` whose labels include every one of `labels`, summed over the
/// series that match (0 when none does).
fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, number) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
            let all = labels
                .iter()
                .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
            (metric == name && all).then(|| number.parse::<f64>().ok())?
        })
        .fold(0.0, |sum, v| sum + v)
}

async fn scrape(server: &Server) -> String {
    let response = server
        .http
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    response.text().await.unwrap()
}

async fn with_metrics(db: &Path) -> Server {
    spawn_configured(db, |config| {
        config.metrics = Some(MetricsConfig {
            path: "/metrics".into(),
            listen: None,
        });
    })
    .await
}

const TESTCO_REGISTRATION: [(&str, &str); 2] = [("tenant", "testco"), ("journey", "registration")];

#[tokio::test]
async fn metrics_do_not_exist_unless_enabled() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (status, body) = server.get("/metrics").await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    // Nor does their bookkeeping: an active flow is not watched for its expiry.
    server.start("registration").await;
    assert_eq!(server.state.funnel.watched(), 0);
    server.stop().await;
}

#[tokio::test]
async fn a_registration_moves_the_funnel_the_request_counts_and_the_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = with_metrics(&dir.path().join("j.db")).await;
    let before = scrape(&server).await;
    assert_eq!(value(&before, "journeykit_flows_started_total", &[]), 0.0);
    assert_eq!(value(&before, "journeykit_build_info", &[]), 1.0);

    let flow = server
        .register("funnel@example.com", "violet tractor under the bridge 42")
        .await;
    let text = scrape(&server).await;

    let funnel = |name: &str, step: &str| {
        let mut labels = TESTCO_REGISTRATION.to_vec();
        labels.push(("step", step));
        value(&text, name, &labels)
    };
    assert_eq!(
        funnel("journeykit_flows_started_total", "details"),
        1.0,
        "{text}"
    );
    for step in ["details", "verify_email", "password", "welcome"] {
        assert_eq!(
            funnel("journeykit_flow_steps_reached_total", step),
            1.0,
            "{step}: {text}"
        );
    }
    assert_eq!(
        value(
            &text,
            "journeykit_flows_completed_total",
            &TESTCO_REGISTRATION
        ),
        1.0,
        "{text}"
    );
    assert_eq!(value(&text, "journeykit_flows_failed_total", &[]), 0.0);

    // Requests by route template: the flow's id is never a label.
    let flows_route = [
        ("route", "/v1/flows/{id}"),
        ("method", "POST"),
        ("status", "200"),
    ];
    assert_eq!(
        value(&text, "journeykit_http_requests_total", &flows_route),
        4.0
    );
    let start_route = [
        ("route", "/v1/{tenant}/journeys/{journey}"),
        ("method", "POST"),
        ("status", "200"),
    ];
    assert_eq!(
        value(&text, "journeykit_http_requests_total", &start_route),
        1.0
    );
    assert_eq!(
        value(
            &text,
            "journeykit_http_request_duration_seconds_count",
            &[("route", "/v1/flows/{id}"), ("method", "POST")]
        ),
        4.0
    );
    assert!(!text.contains(flow["id"].as_str().unwrap()));

    let email = [("tenant", "testco"), ("channel", "email")];
    assert_eq!(
        value(&text, "journeykit_messages_queued_total", &email),
        1.0
    );
    assert_eq!(value(&text, "journeykit_messages_sent_total", &email), 1.0);
    assert!(value(&text, "journeykit_password_hashes_total", &[]) >= 1.0);
    assert!(value(&text, "journeykit_password_queue_wait_seconds_count", &[]) >= 1.0);
    assert_eq!(value(&text, "journeykit_password_queue_depth", &[]), 0.0);
    // SQLite's one connection, idle between requests, nobody waiting for it.
    assert_eq!(value(&text, "journeykit_db_connections_max", &[]), 1.0);
    let idle = value(&text, "journeykit_db_connections", &[("state", "idle")]);
    let busy = value(&text, "journeykit_db_connections", &[("state", "busy")]);
    assert_eq!(idle + busy, 1.0, "{text}");
    assert_eq!(value(&text, "journeykit_db_waiting", &[]), 0.0);

    // A 404 is counted under the fallback, not under its path.
    let (status, _) = server
        .get("/v1/flows/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/x/y")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let text = scrape(&server).await;
    assert!(!text.contains("/x/y"), "{text}");
    server.stop().await;
}

#[tokio::test]
async fn failed_and_expired_flows_are_counted_at_their_step() {
    let dir = tempfile::tempdir().unwrap();
    let server = with_metrics(&dir.path().join("j.db")).await;

    // Wrong codes until the flow is locked out.
    let (mut flow, code) = server.at_code_step("locked@example.com").await;
    for _ in 0..10 {
        let (_, body) = server
            .answer(&flow, "submit", json!({ "code": wrong_code(&code) }))
            .await;
        flow = body.get("flow").cloned().unwrap_or(body);
        if flow["status"] == "failed" {
            break;
        }
    }
    assert_eq!(flow["status"], "failed", "{flow}");
    let text = scrape(&server).await;
    let locked = [
        TESTCO_REGISTRATION[0],
        TESTCO_REGISTRATION[1],
        ("step", "locked"),
    ];
    assert_eq!(
        value(&text, "journeykit_flows_failed_total", &locked),
        1.0,
        "{text}"
    );

    // A flow left at its first step expires there; another, extended, only later.
    server.start("registration").await;
    server.clock.advance(60);
    let extended = server.start("login").await;
    server.clock.advance(60);
    let id = extended["id"].as_str().unwrap();
    let (status, body, _) = server
        .post(&format!("/v1/flows/{id}/extend"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // At 31.5 minutes: past the first flow's expiry (at 30) and the login flow's first one
    // (at 31, from its start at 1), not past its extended one (at 32, from the extension at 2).
    server.clock.advance(30 * 60 - 30);
    let details = [
        TESTCO_REGISTRATION[0],
        TESTCO_REGISTRATION[1],
        ("step", "details"),
    ];
    let text = wait_for(&server, "journeykit_flows_expired_total", &details, 1.0).await;
    let login = [("tenant", "testco"), ("journey", "login")];
    assert_eq!(
        value(&text, "journeykit_flows_expired_total", &login),
        0.0,
        "{text}"
    );
    server.clock.advance(60);
    let text = wait_for(&server, "journeykit_flows_expired_total", &login, 1.0).await;
    assert_eq!(
        value(
            &text,
            "journeykit_flows_expired_total",
            &[("tenant", "testco")]
        ),
        2.0,
        "each expiry once: {text}"
    );
    // The locked flow failed; a failed flow never expires.
    assert_eq!(value(&text, "journeykit_flows_expired_total", &locked), 0.0);
    server.stop().await;
}

/// Scrapes until the metric reaches `expected` (the expiry watch looks once a second).
async fn wait_for(server: &Server, name: &str, labels: &[(&str, &str)], expected: f64) -> String {
    let started = Instant::now();
    loop {
        let text = scrape(server).await;
        let found = value(&text, name, labels);
        if found == expected {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name} {labels:?} is {found}, not {expected}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn metrics_on_a_listener_of_their_own_are_not_on_the_main_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let main = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let side = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (main_url, side_url) = (
        format!("http://{}", main.local_addr().unwrap()),
        format!("http://{}", side.local_addr().unwrap()),
    );
    let config = Config {
        listen: main.local_addr().unwrap(),
        public_url: main_url.clone(),
        db: journey_store::DatabaseUrl::Sqlite(db.clone()),
        key_file: journey_server::keys::beside(&db),
        create_db: true,
        tenants: fixture_tenants(),
        locales: root().join("locales"),
        dev: true,
        metrics: Some(MetricsConfig {
            path: "/internal/metrics".into(),
            listen: Some(side.local_addr().unwrap()),
        }),
        ..Config::default()
    };
    let clock = Arc::new(journey_server::state::ManualClock::new());
    let state = journey_server::build_state(config, clock).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(journey_server::serve_with(main, Some(side), state, async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap() }
    };
    let started = http
        .post(format!("{main_url}/v1/testco/journeys/registration"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::OK);
    assert_eq!(
        get(format!("{main_url}/internal/metrics")).await.status(),
        StatusCode::NOT_FOUND
    );
    let scraped = get(format!("{side_url}/internal/metrics")).await;
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.unwrap();
    assert_eq!(
        value(
            &text,
            "journeykit_flows_started_total",
            &TESTCO_REGISTRATION
        ),
        1.0,
        "{text}"
    );
    for probe in ["/healthz", "/readyz"] {
        assert_eq!(
            get(format!("{side_url}{probe}")).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        get(format!("{side_url}/v1/testco")).await.status(),
        StatusCode::NOT_FOUND
    );
    stop.send(()).unwrap();
    serving.await.unwrap().unwrap();
}
