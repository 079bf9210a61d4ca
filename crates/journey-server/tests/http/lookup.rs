//! Context from the page and `look_up_data` over real HTTP: starts with bad context (each a 4xx
//! `invalid_context` naming the key), and look-ups against a real loopback service the test
//! starts (found, 404, 500, too slow, garbage, too large, a redirect not followed, hostile
//! values percent-encoded), with the tenant's own fixture (`tests/fixtures/lookup`).

use crate::support::{Server, Setup, code_of, spawn_with, start_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the test service was asked: each request's method and path (with its query) and body.
type Asked = Arc<Mutex<Vec<(String, String, String)>>>;

/// A quote service on a free loopback port that answers by path, as a real one might fail.
struct QuoteService {
    port: u16,
    asked: Asked,
}

impl QuoteService {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked: Asked = Arc::default();
        let log = asked.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move { serve(stream, log).await });
            }
        });
        Self { port, asked }
    }

    fn paths(&self) -> Vec<String> {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .map(|(_, path, _)| path.clone())
            .collect()
    }
}

async fn serve(mut stream: TcpStream, asked: Asked) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[head_end..]).to_string();
    let mut first = head.lines().next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let flaky_tries = {
        let mut asked = asked.lock().unwrap();
        asked.push((method.clone(), path.clone(), body.clone()));
        asked
            .iter()
            .filter(|(_, p, _)| p == "/quotes/Q-flaky")
            .count()
    };
    let json = "application/json";
    let quote = |number: &str| {
        json!({"number": number, "product": "car", "price": 420, "car": {"make": "Volvo", "model": "V60"}})
            .to_string()
    };
    let (status, kind, text, extra) = match (method.as_str(), path.as_str()) {
        ("GET", "/quotes/Q-1") => ("200 OK", json, quote("Q-1"), ""),
        ("GET", "/quotes/Q-500") => ("500 Internal Server Error", json, "{}".into(), ""),
        ("GET", "/quotes/Q-flaky") if flaky_tries == 1 => {
            ("503 Service Unavailable", json, "{}".into(), "")
        }
        ("GET", "/quotes/Q-flaky") => ("200 OK", json, quote("Q-flaky"), ""),
        ("GET", "/quotes/Q-slow") => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            ("200 OK", json, quote("Q-slow"), "")
        }
        ("GET", "/quotes/Q-big") => {
            // A length announced over the cap: refused before the body is read.
            let padding = "x".repeat(4000);
            (
                "200 OK",
                json,
                json!({"number": "Q-big", "padding": padding}).to_string(),
                "",
            )
        }
        ("GET", "/quotes/Q-garbage") => ("200 OK", json, "{\"number\": \"Q-gar".into(), ""),
        ("GET", "/quotes/Q-html") => ("200 OK", "text/html", "<p>Q-html</p>".into(), ""),
        ("GET", "/quotes/Q-huge") => {
            // No length announced: the cap must hold while the body streams in.
            let padding = "x".repeat(4000);
            let text = json!({"number": "Q-huge", "padding": padding}).to_string();
            let head =
                format!("HTTP/1.1 200 OK\r\ncontent-type: {json}\r\nconnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(text.as_bytes()).await;
            let _ = stream.shutdown().await;
            return;
        }
        ("GET", "/quotes/Q-redirect") => {
            ("302 Found", json, "{}".into(), "location: /quotes/Q-1\r\n")
        }
        ("POST", "/policies") => {
            let quote = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|b| b["quote"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let policy = json!({"policy": format!("P-{}", quote.trim_start_matches("Q-"))});
            ("200 OK", json, policy.to_string(), "")
        }
        _ => ("404 Not Found", json, "{}".into(), ""),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The fixture tenant copied into `dir` with the service's port written in, after `edit`.
fn tenants(dir: &Path, port: u16, edit: impl Fn(&str, String) -> String) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lookup");
    let to = dir.join("tenants");
    crate::support::copy_dir(&from, &to);
    for file in ["lookco/tenant.toml", "lookco/journeys/quote.toml"] {
        let path = to.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("@PORT@", &port.to_string());
        std::fs::write(&path, edit(file, text)).unwrap();
    }
    to
}

async fn server(dir: &Path, service: &QuoteService) -> Server {
    let tenants = tenants(dir, service.port, |_, text| text);
    spawn_with(Setup {
        db: &dir.join("j.db"),
        dev: true,
        tenants,
    })
    .await
}

/// Starts the quote journey with `context`.
async fn start(server: &Server, context: Value) -> (StatusCode, Value) {
    let (status, body, _) = server
        .post("/v1/lookco/journeys/quote", json!({ "context": context }))
        .await;
    (status, body)
}

fn step_of(flow: &Value) -> &str {
    flow["step"]["id"].as_str().unwrap_or_default()
}

/// The attributes the saved flow has, read through the store.
async fn attributes(server: &Server, flow: &Value) -> Value {
    let id = flow["id"].as_str().unwrap();
    let record = server.state.store.flow(id).await.unwrap().unwrap();
    let state: Value = serde_json::from_str(&record.state).unwrap();
    json!({ "data": state["data"], "sources": state["sources"], "verified": state["verified"] })
}

#[tokio::test]
async fn a_found_quote_is_mapped_into_the_flow_as_the_services_data() {
    let dir = tempfile::tempdir().unwrap();
    let service = QuoteService::start().await;
    let server = server(dir.path(), &service).await;
    let (status, flow) = start(&server, json!({ "quote": "Q-1", "product": "car" })).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(step_of(&flow), "quoted");
    let saved = attributes(&server, &flow).await;
    assert_eq!(saved["data"]["car_quote"], "Q-1");
    assert_eq!(saved["data"]["car_make"], "Volvo");
    assert_eq!(saved["data"]["car_price"], "420");
    assert_eq!(saved["sources"]["car_quote"], "quotes");
    assert_eq!(saved["verified"], json!([]));
    // The page's context never became an attribute.
    assert_eq!(saved["data"].get("product"), None);
    assert_eq!(service.paths(), vec!["/quotes/Q-1"]);

    // A POST look-up sends its params as a JSON body and maps the answer too.
    let (status, flow) = server.answer(&flow, "continue", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(
        flow["status"], "failed",
        "the fixture's last page ends the flow: {flow}"
    );
    let asked = service.asked.lock().unwrap().clone();
    let (method, path, body) = &asked[1];
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/policies"));
    assert_eq!(
        serde_json::from_str::<Value>(body).unwrap(),
        json!({ "quote": "Q-1" })
    );
    let saved = attributes(&server, &flow).await;
    assert_eq!(saved["data"]["car_policy"], "P-1");
    server.stop().await;
}

#[tokio::test]
async fn a_missing_quote_is_not_found_and_a_failing_service_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let service = QuoteService::start().await;
    let server = server(dir.path(), &service).await;
    let (status, flow) = start(&server, json!({ "quote": "Q-404" })).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["status"], "failed");
    assert_eq!(step_of(&flow), "no_quote");
    // No quote from the page: nothing is asked.
    let before = service.paths().len();
    let (_, flow) = start(&server, json!({})).await;
    assert_eq!(step_of(&flow), "no_quote");
    assert_eq!(service.paths().len(), before);

    for quote in [
        "Q-500",
        "Q-garbage",
        "Q-html",
        "Q-huge",
        "Q-redirect",
        "Q-slow",
    ] {
        let (status, flow) = start(&server, json!({ "quote": quote })).await;
        assert_eq!(status, StatusCode::OK, "{quote}: {flow}");
        assert_eq!(step_of(&flow), "try_later", "{quote}: {flow}");
        assert_eq!(flow["status"], "active", "{quote}");
        let title = flow["step"]["title"]["id"].as_str().unwrap_or_default();
        assert_eq!(title, "lookup-unavailable-title", "{quote}");
        let saved = attributes(&server, &flow).await;
        assert_eq!(saved["data"].get("car_quote"), None, "{quote}");
    }
    // The redirect was not followed: Q-1 was never asked for.
    assert!(
        !service.paths().contains(&"/quotes/Q-1".to_owned()),
        "{:?}",
        service.paths()
    );
    server.stop().await;
}

#[tokio::test]
async fn after_an_unavailable_service_the_person_tries_again_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let service = QuoteService::start().await;
    let server = server(dir.path(), &service).await;
    let (_, flow) = start(&server, json!({ "quote": "Q-flaky" })).await;
    assert_eq!(step_of(&flow), "try_later", "{flow}");
    let (status, flow) = server.answer(&flow, "continue", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(step_of(&flow), "quoted", "{flow}");
    let saved = attributes(&server, &flow).await;
    assert_eq!(saved["data"]["car_quote"], "Q-flaky");
    assert_eq!(service.paths(), vec!["/quotes/Q-flaky", "/quotes/Q-flaky"]);
    server.stop().await;
}

#[tokio::test]
async fn hostile_values_are_percent_encoded_and_cannot_change_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let service = QuoteService::start().await;
    let server = server(dir.path(), &service).await;
    let cases = [
        ("Q-1/../../admin", "/quotes/Q-1%2F..%2F..%2Fadmin"),
        ("Q-1?number=Q-1", "/quotes/Q-1%3Fnumber%3DQ-1"),
        ("Q-1#x", "/quotes/Q-1%23x"),
        ("%2e%2e", "/quotes/%252e%252e"),
        ("Q 1 ü", "/quotes/Q%201%20%C3%BC"),
    ];
    for (value, path) in cases {
        let (status, flow) = start(&server, json!({ "quote": value })).await;
        assert_eq!(status, StatusCode::OK, "{value}: {flow}");
        assert_eq!(step_of(&flow), "no_quote", "{value}");
        assert_eq!(
            service.paths().last().map(String::as_str),
            Some(path),
            "{value}"
        );
    }
    // A value that is a dot segment is not sent at all.
    let before = service.paths().len();
    for value in ["..", "."] {
        let (_, flow) = start(&server, json!({ "quote": value })).await;
        assert_eq!(step_of(&flow), "no_quote", "{value}");
    }
    assert_eq!(service.paths().len(), before);
    server.stop().await;
}

#[tokio::test]
async fn a_start_with_bad_context_is_refused_with_invalid_context_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let service = QuoteService::start().await;
    let server = server(dir.path(), &service).await;
    let cases = [
        (json!({ "brand": "x" }), "brand"),
        (json!({ "quote": 7 }), "quote"),
        (json!({ "quote": true }), "quote"),
        (json!({ "quote": null }), "quote"),
        (json!({ "quote": { "n": "Q-1" } }), "quote"),
        (json!({ "quote": "Q".repeat(201) }), "quote"),
        (json!(["quote", "Q-1"]), "context"),
        (json!("quote=Q-1"), "context"),
    ];
    for (context, key) in cases {
        let (status, body) = start(&server, context.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{context}: {body}");
        assert_eq!(code_of(&body), "invalid_context", "{context}");
        assert_eq!(body["error"]["id"], "api-invalid-context");
        let text = body["error"]["text"].as_str().unwrap();
        assert!(text.contains(key), "{context}: {text}");
        assert!(body.get("flow").is_none());
    }
    // In the language the page asked for.
    let (status, body, _) = server
        .post(
            "/v1/lookco/journeys/quote",
            json!({ "locale": "nl", "context": { "brand": "x" } }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Deze pagina"),
        "{body}"
    );
    // Nothing was asked of the service for any of them.
    assert!(service.paths().is_empty(), "{:?}", service.paths());
    // Malformed JSON stays the body's own error.
    let response = server
        .http
        .post(format!("{}/v1/lookco/journeys/quote", server.url))
        .header("content-type", "application/json")
        .body("{\"context\": {\"quote\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(code_of(&body), "malformed_json");
    // The journey's accepted keys are public.
    let (_, info) = server.get("/v1/lookco").await;
    assert_eq!(
        info["journeys"][0]["context_keys"],
        json!(["product", "quote"])
    );
    server.stop().await;
}

#[tokio::test]
async fn wrong_services_stop_the_server_naming_the_file_step_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (
            "lookco/tenant.toml",
            "http://127.0.0.1:1/quotes/{quote}",
            "http://{quote}/quotes",
            &["tenant.toml: [services.quotes]", "after the host"],
        ),
        (
            "lookco/tenant.toml",
            "timeout_ms = 500\nmax_bytes = 1024\n\n[services.policies]",
            "timeout_ms = 0\nmax_bytes = 1024\n\n[services.policies]",
            &["[services.quotes]", "`timeout_ms = 0`"],
        ),
        (
            "lookco/tenant.toml",
            "http://127.0.0.1:1/policies",
            "file:///etc/passwd",
            &["[services.policies]", "http or https"],
        ),
        (
            "lookco/journeys/quote.toml",
            "service = \"quotes\"",
            "service = \"prices\"",
            &[
                "quote.toml: step `quote`: setting `service = \"prices\"`",
                "policies, quotes",
            ],
        ),
        (
            "lookco/journeys/quote.toml",
            "params = { quote = \"context.quote\" }",
            "params = { number = \"context.quote\" }",
            &["quote.toml: step `quote`: setting `params` has no `quote`"],
        ),
        (
            "lookco/journeys/quote.toml",
            "params = { quote = \"context.quote\" }",
            "params = { quote = \"context.number\" }",
            &["quote.toml: step `quote`", "`context.number`", "[context]"],
        ),
    ];
    for (i, (file, from, to, expected)) in cases.into_iter().enumerate() {
        let case = dir.path().join(format!("case{i}"));
        let tenants = tenants(&case, 1, |name, text| {
            if name == file {
                assert!(text.contains(from), "{from} in {name}");
                text.replace(from, to)
            } else {
                text
            }
        });
        let error = start_error(tenants, &case, true).await;
        for part in expected {
            assert!(error.contains(part), "{to}: `{part}` not in {error}");
        }
    }
}
