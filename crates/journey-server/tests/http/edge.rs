//! The HTTP edge over real sockets: time limits for slow and idle clients, `TCP_NODELAY`, the
//! peer address, ambiguous lengths, the browser headers per tenant, and the static files
//! (precompressed copies and caching by name).

use crate::support::{
    Server, Setup, code_of, copy_dir, fixture_tenants, spawn, spawn_configured, spawn_with,
};
use journey_server::config::Timeouts;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Timeouts = Timeouts {
    header: Duration::from_secs(1),
    body: Duration::from_secs(1),
};

async fn short(db: &Path) -> Server {
    spawn_configured(db, |config| config.timeouts = SHORT).await
}

fn addr(server: &Server) -> SocketAddr {
    server.url.trim_start_matches("http://").parse().unwrap()
}

/// Reads until the server closes the connection; returns what it sent and how long it took.
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let result = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        result.is_ok(),
        "the server kept the connection open for {limit:?}; it sent: {}",
        String::from_utf8_lossy(&got)
    );
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

/// Reads one response whose body ends with `end`.
async fn read_response(stream: &mut TcpStream, end: &str) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(Duration::from_secs(5), async {
        while !String::from_utf8_lossy(&got).ends_with(end) {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .unwrap();
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn a_client_that_stops_halfway_through_its_request_line_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let server = short(&dir.path().join("j.db")).await;
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    stream.write_all(b"GET /heal").await.unwrap();
    let (_, waited) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert!(waited >= Duration::from_millis(800), "{waited:?}");
    server.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = short(&dir.path().join("j.db")).await;
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_response(&mut stream, "ok").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        !answer.to_lowercase().contains("connection: close"),
        "{answer}"
    );
    // Kept alive, then closed once it has waited the header time for a next request.
    let (rest, waited) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert_eq!(rest, "");
    assert!(waited >= Duration::from_millis(800), "{waited:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_body_that_trickles_in_is_refused_in_the_error_format() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.timeouts = Timeouts {
            header: Duration::from_secs(10),
            body: Duration::from_secs(1),
        }
    })
    .await;
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    stream
        .write_all(
            b"POST /v1/testco/journeys/registration HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"locale\"",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(code_of(&body), "invalid_request", "{body}");
    assert!(
        waited >= Duration::from_millis(800) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn slow_clients_do_not_hold_up_a_normal_request() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.timeouts = Timeouts {
            header: Duration::from_secs(5),
            body: Duration::from_secs(5),
        }
    })
    .await;
    let mut slow = Vec::new();
    for i in 0..20 {
        let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
        if i % 2 == 0 {
            stream.write_all(b"GET /healthz HT").await.unwrap();
        } else {
            stream
                .write_all(b"POST /v1/testco/journeys/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                .await
                .unwrap();
        }
        slow.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let (status, body) = server.get("/healthz").await;
    assert_eq!((status, body), (StatusCode::OK, Value::String("ok".into())));
    let flow = server.start("registration").await;
    assert_eq!(flow["step"]["id"], "details");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(slow);
    server.stop().await;
}

#[tokio::test]
async fn small_answers_do_not_wait_for_a_delayed_ack() {
    // Without TCP_NODELAY, a body written after its headers waits for the client's delayed
    // ACK: about 40 ms for many answers on a keep-alive connection (Linux). Fifty small pages
    // on one connection show it; a few slow ones are allowed for a busy test machine.
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("static");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("x.html"), "<p>a page</p>\n".repeat(60)).unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.static_dir = Some(files.clone());
    })
    .await;
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    let get = b"GET /x.html HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut slow = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        stream.write_all(get).await.unwrap();
        read_response(&mut stream, "</p>\n").await;
        let took = started.elapsed();
        if took >= Duration::from_millis(30) {
            slow.push(took);
        }
    }
    assert!(
        slow.len() <= 2,
        "{} of 50 answers took 30 ms or more: {slow:?}",
        slow.len()
    );
    server.stop().await;
}

#[tokio::test]
async fn handlers_see_the_peer_address() {
    use axum::extract::ConnectInfo;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new().route(
        "/peer",
        axum::routing::get(
            |ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() },
        ),
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(journey_server::conn::serve(
        listener,
        router,
        SHORT,
        Duration::from_secs(5),
        async move {
            let _ = rx.await;
        },
    ));
    let mut stream = TcpStream::connect(url.trim_start_matches("http://"))
        .await
        .unwrap();
    let local = stream.local_addr().unwrap();
    stream
        .write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.ends_with(&local.to_string()), "{answer}");
    let _ = tx.send(());
    handle.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_request_with_both_content_length_and_transfer_encoding_is_refused() {
    // hyper alone would take Transfer-Encoding, drop Content-Length and answer 200.
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for head in [
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n0\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(code_of(&body), "invalid_request", "{body}");
        assert!(
            answer.to_lowercase().contains("content-security-policy"),
            "{answer}"
        );
    }
    // The same connection's next, ordinary requests are not affected by the check.
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    stream
        .write_all(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answers = read_response(&mut stream, "ok").await;
    assert!(answers.starts_with("HTTP/1.1 405"), "{answers}");
    assert!(answers.contains("HTTP/1.1 200"), "{answers}");
    // After a chunked request the head check cannot follow the stream, so that answer ends the
    // connection: an ambiguous request behind it on the same connection is never served.
    let mut stream = TcpStream::connect(addr(&server)).await.unwrap();
    stream
        .write_all(b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        .await
        .unwrap();
    let (answers, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert!(answers.starts_with("HTTP/1.1 405"), "{answers}");
    assert!(
        answers.to_lowercase().contains("connection: close"),
        "{answers}"
    );
    assert_eq!(answers.matches("HTTP/1.1 ").count(), 1, "{answers}");
    server.stop().await;
}

#[tokio::test]
async fn strict_transport_security_is_sent_only_for_an_https_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let plain = spawn(&dir.path().join("a.db")).await;
    let response = plain
        .http
        .get(format!("{}/healthz", plain.url))
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    plain.stop().await;
    let https = spawn_configured(&dir.path().join("b.db"), |config| {
        config.public_url = "https://id.example.com".into();
    })
    .await;
    for path in [
        "/healthz",
        "/v1/nowhere",
        "/v1/testco/.well-known/jwks.json",
    ] {
        let response = https
            .http
            .get(format!("{}{path}", https.url))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=63072000; includeSubDomains",
            "{path}"
        );
    }
    https.stop().await;
}

#[tokio::test]
async fn dev_outbox_answers_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for path in ["/dev/outbox", "/dev/outbox?to=a@example.com&limit=x"] {
        let response = server
            .http
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn dev_accounts_show_what_the_store_holds_in_development_mode_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let done = server
        .register("Jane@Example.com", "violet tractor under the bridge 42")
        .await;
    // The address as a person types it finds the account kept in canonical form.
    let (status, account) = server
        .get("/dev/accounts?tenant=testco&email=%20JANE@example.COM")
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["subject"], done["outcome"]["session"]["subject"]);
    assert_eq!(account["attributes"]["email"], "jane@example.com");
    assert_eq!(account["attributes"]["given_name"], "Jane");
    assert_eq!(account["verified"], json!(["email"]));
    assert_eq!(account["has_password"], true);
    assert_eq!(account["consents"], json!([]));
    // No account, or no address at all: `null`, never an error or a guess.
    for email in ["nobody@example.com", "not-an-address"] {
        let (status, none) = server
            .get(&format!("/dev/accounts?tenant=testco&email={email}"))
            .await;
        assert_eq!((status, none), (StatusCode::OK, Value::Null), "{email}");
    }
    let (status, body) = server.get("/dev/accounts?tenant=testco").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_request", "{body}");
    let (status, body) = server.get("/dev/accounts?tenant=nope&email=a@b.c").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "tenant_not_found", "{body}");
    let response = server
        .http
        .get(format!(
            "{}/dev/accounts?tenant=testco&email=jane@example.com",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    server.stop().await;

    // Outside development mode the route does not exist.
    let server = spawn_with(Setup {
        db: &dir.path().join("prod.db"),
        dev: false,
        tenants: fixture_tenants(),
    })
    .await;
    let (status, _) = server
        .get("/dev/accounts?tenant=testco&email=jane@example.com")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

fn frame_ancestors(headers: &reqwest::header::HeaderMap) -> String {
    let csp = headers["content-security-policy"].to_str().unwrap();
    csp.split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn only_a_tenant_s_own_origins_may_frame_its_pages_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("acme"));
    let acme = tenants.join("acme/tenant.toml");
    let config = std::fs::read_to_string(&acme).unwrap().replace(
        r#"allowed_origins = ["http://127.0.0.1:8080", "http://localhost:8080"]"#,
        r#"allowed_origins = ["https://acme.example"]"#,
    );
    let config = config.replace(
        "[brands.testco]\nname = \"TestCo\"",
        "[brands.acme]\nname = \"Acme Insurance\"",
    );
    assert!(config.contains("https://acme.example"));
    std::fs::write(&acme, config).unwrap();
    let files = dir.path().join("static");
    std::fs::create_dir_all(files.join("testco")).unwrap();
    std::fs::create_dir_all(files.join("acme")).unwrap();
    std::fs::write(files.join("testco/index.html"), "<p>TestCo</p>").unwrap();
    std::fs::write(files.join("acme/index.html"), "<p>Acme</p>").unwrap();
    std::fs::write(files.join("index.html"), "<p>demos</p>").unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.tenants = tenants.clone();
        config.static_dir = Some(files.clone());
    })
    .await;
    let testco = "frame-ancestors 'self' http://127.0.0.1:8080 http://localhost:8080";
    let acme = "frame-ancestors 'self' https://acme.example";
    let own = "frame-ancestors 'self'";
    let get = |path: &str| server.http.get(format!("{}{path}", server.url)).send();
    for (path, expected) in [
        ("/testco/", testco),
        ("/testco/index.html", testco),
        ("/acme/", acme),
        ("/v1/testco/.well-known/jwks.json", testco),
        ("/v1/acme/.well-known/openid-configuration", acme),
        ("/", own),
        ("/healthz", own),
        ("/v1/flows/no-such-flow", own),
        ("/v1/nobody/.well-known/jwks.json", own),
    ] {
        let response = get(path).await.unwrap();
        assert_eq!(frame_ancestors(response.headers()), expected, "{path}");
    }
    // `/v1/flows/{id}` names no tenant: the handler says whose flow it is.
    for (tenant, expected) in [("testco", testco), ("acme", acme)] {
        let (status, flow, headers) = server
            .post(&format!("/v1/{tenant}/journeys/registration"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        assert_eq!(frame_ancestors(&headers), expected, "{tenant} start");
        let id = flow["id"].as_str().unwrap();
        let response = get(&format!("/v1/flows/{id}")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            frame_ancestors(response.headers()),
            expected,
            "{tenant} get"
        );
        let (status, _, headers) = server
            .submit(
                &flow,
                "submit",
                json!({"email": format!("x@{tenant}.example"), "given_name": "X", "family_name": "Y"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(frame_ancestors(&headers), expected, "{tenant} submit");
    }
    server.stop().await;
}

#[tokio::test]
async fn static_files_are_sent_precompressed_and_cached_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("static");
    for folder in ["widget", "themes", "testco"] {
        std::fs::create_dir_all(files.join(folder)).unwrap();
    }
    let write = |name: &str, body: &[u8]| std::fs::write(files.join(name), body).unwrap();
    write("x.js", b"console.log('plain');");
    write("x.js.br", b"brotli bytes");
    write("x.js.gz", b"gzip bytes");
    write("widget/journey-widget.js", b"loader");
    write("widget/journey-widgets-0123456789abcdef.js", b"glue");
    write("widget/journey-widgets_bg-0123456789abcdef.wasm", b"\0asm");
    write("widget/bundle.css", b"css");
    write("themes/base.css", b"theme");
    write("testco/index.html", b"<p>page</p>");
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.static_dir = Some(files.clone());
    })
    .await;
    let get = |path: &str, accept: Option<&str>| {
        let mut request = server.http.get(format!("{}{path}", server.url));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        request.send()
    };
    for (accept, encoding, body) in [
        (Some("br"), Some("br"), "brotli bytes"),
        (Some("gzip, deflate, br"), Some("br"), "brotli bytes"),
        (Some("gzip"), Some("gzip"), "gzip bytes"),
        (None, None, "console.log('plain');"),
    ] {
        let response = get("/x.js", accept).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains("javascript"),
            "{headers:?}"
        );
        assert_eq!(headers["vary"], "accept-encoding");
        assert_eq!(response.text().await.unwrap(), body, "{accept:?}");
    }
    let long = "public, max-age=31536000, immutable";
    let short = "public, max-age=300";
    for (path, cache) in [
        ("/widget/journey-widget.js", short),
        ("/widget/bundle.css", short),
        ("/themes/base.css", short),
        ("/widget/journey-widgets-0123456789abcdef.js", long),
        ("/widget/journey-widgets_bg-0123456789abcdef.wasm", long),
        ("/testco/", "no-cache"),
        ("/testco/index.html", "no-cache"),
    ] {
        let response = get(path, Some("br, gzip")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], cache, "{path}");
    }
    // A stable name revalidates instead of downloading again.
    let first = get("/widget/journey-widget.js", None).await.unwrap();
    let modified = first.headers()["last-modified"].clone();
    let again = server
        .http
        .get(format!("{}/widget/journey-widget.js", server.url))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let missing = get("/widget/nothing.js", None).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get("cache-control").is_none());
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answer_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("static");
    std::fs::create_dir_all(&files).unwrap();
    // Far more than the socket buffers on both sides can hold.
    let size = 64 * 1024 * 1024;
    std::fs::write(files.join("big.bin"), vec![7u8; size]).unwrap();
    let server = spawn_configured(&dir.path().join("j.db"), |config| {
        config.static_dir = Some(files.clone());
        config.timeouts = SHORT;
    })
    .await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(addr(&server)).await.unwrap();
    stream
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    // Read nothing for a while: the server's writes stall, and past the limit it gives up.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut received = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received += n,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the connection stayed open");
    assert!(
        received < size / 2,
        "the server kept sending to a client that stopped reading: {received} bytes"
    );
    server.stop().await;
}
