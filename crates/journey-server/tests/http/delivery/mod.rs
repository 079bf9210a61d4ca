//! Delivery of every message outside development mode: email to a real SMTP server on
//! loopback (Debian's aiosmtpd), SMS and voice to a signed-JSON receiver on loopback, retries
//! with back-off until a message is sent or failed with its last error, and a server without a
//! sender for a channel refusing to start the journeys that need it. STARTTLS and TLS to the
//! same SMTP server, with a certificate made for the run, are in [`tls`].

use crate::support::{Process, Server, code_in, free_port};
use journey_store::{FlowRecord, MessageState, NewMessage, OutboxMessage, Store, Write};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod tls;

/// Queues a message on `channel` to `to` straight in the store (no journey sends SMS or voice
/// yet), in a flow of its own, and wakes the worker; returns the message's id.
pub async fn enqueue(server: &Server, channel: &str, to: &str) -> i64 {
    let now = journey_server::state::Clock::now(server.clock.as_ref());
    let id = queue(server.state.store.as_ref(), now, channel, to).await;
    server.state.outbox.notify_one();
    id
}

/// Queues a message on `channel` to `to`, created at `now`, in `store` (which a worker in
/// another process finds when it next looks); returns the message's id.
pub async fn queue(store: &dyn Store, now: i64, channel: &str, to: &str) -> i64 {
    let flow = FlowRecord {
        id: format!("test-{channel}-{to}-{now}"),
        tenant: "testco".into(),
        journey: "registration".into(),
        journey_version: "test".into(),
        brand: "testco".into(),
        locale: "nl".into(),
        state: "{}".into(),
        outcome: None,
        revision: 0,
        created_at: now,
        expires_at: now + 600,
        nonce: None,
    };
    let message = NewMessage {
        tenant: "testco".into(),
        brand: "testco".into(),
        locale: "nl".into(),
        flow_id: Some(flow.id.clone()),
        channel: channel.into(),
        recipient: to.into(),
        subject: String::new(),
        body: "Je code is 314159. Hij is 10 minuten geldig.".into(),
        html: String::new(),
        created_at: now,
        expires_at: Some(now + 600),
    };
    store
        .create_flow(flow, vec![Write::Enqueue(message)])
        .await
        .unwrap();
    let queued = store.messages_to(to, 1).await.unwrap();
    queued[0].id
}

/// Debian's python3 (`python3` on PATH may be another Python without aiosmtpd).
const PYTHON: &str = "/usr/bin/python3";

/// A real SMTP server on loopback ([`tests/fixtures/smtp/mailbox.py`]: aiosmtpd) that wants
/// AUTH as `user` with `password`; stopped when dropped.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    out: PathBuf,
}

impl SmtpServer {
    /// A server without TLS.
    fn start(dir: &Path, user: &str, password_file: &Path) -> Self {
        Self::start_as(dir, user, password_file, None)
    }

    /// A server protected as `tls` says: mailbox.py's MODE (`starttls` or `tls`) with the
    /// PEM files of its certificate and key; `None` for none.
    fn start_as(
        dir: &Path,
        user: &str,
        password_file: &Path,
        tls: Option<(&str, &Path, &Path)>,
    ) -> Self {
        let found = std::process::Command::new(PYTHON)
            .args(["-c", "import aiosmtpd"])
            .status();
        assert!(
            found.is_ok_and(|s| s.success()),
            "{PYTHON} cannot import aiosmtpd: the delivery tests need Debian's python3-aiosmtpd \
             (cargo xtask setup installs it)"
        );
        let port = free_port();
        let out = dir.join(format!("mail-{port}"));
        std::fs::create_dir_all(&out).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp/mailbox.py");
        let mut child = std::process::Command::new(PYTHON)
            .arg(script)
            .arg(port.to_string())
            .arg(&out)
            .arg(user)
            .arg(password_file)
            .args(tls.iter().flat_map(|(mode, cert, key)| {
                [
                    std::ffi::OsStr::new(*mode),
                    cert.as_os_str(),
                    key.as_os_str(),
                ]
            }))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = String::new();
        let stdout = child.stdout.take().unwrap();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut ready).unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP server did not start");
        Self { child, port, out }
    }

    /// The emails received so far, oldest first.
    fn received(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(&self.out)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u32>().ok())
        });
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits for the newest email to `to`.
    async fn email_to(&self, to: &str) -> Value {
        for _ in 0..200 {
            if let Some(mail) = self.received().into_iter().rev().find(|m| {
                m["rcpt_tos"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r == to))
            }) {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no email to {to}: {:?}", self.received());
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test tenants with a second brand of TestCo that has a From address of its own.
fn two_brand_tenants(dir: &Path) -> PathBuf {
    let tenants = dir.join("tenants");
    crate::support::copy_dir(&crate::support::fixture_tenants(), &tenants);
    let file = tenants.join("testco/tenant.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "\n[brands.testco-kids]\nname = \"TestCo Kids\"\n\
         email_from = \"TestCo Kids <hello@kids.testco.example>\"\n\
         email_primary = \"#d81b60\"\nemail_on_primary = \"#ffffff\"\n",
    );
    std::fs::write(&file, text).unwrap();
    tenants
}

/// A client of a server process.
struct Client {
    http: reqwest::Client,
    url: String,
    cookies: Vec<String>,
}

impl Client {
    async fn post(&mut self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        for cookie in response.headers().get_all("set-cookie") {
            let value = cookie.to_str().unwrap().split(';').next().unwrap();
            if let Some((_, secret)) = value.split_once('=').filter(|(_, v)| !v.is_empty()) {
                self.cookies.push(secret.to_owned());
            }
        }
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        body
    }

    async fn answer(&mut self, flow: &Value, action: &str, values: Value) -> Value {
        let id = flow["id"].as_str().unwrap();
        let step = flow["step"]["id"].as_str().unwrap();
        let body = json!({ "step": step, "action": action, "values": values });
        self.post(&format!("/v1/flows/{id}"), body).await
    }
}

#[tokio::test]
async fn registration_emails_go_through_a_real_smtp_server_per_brand_language_and_both_parts() {
    let dir = tempfile::tempdir().unwrap();
    let password = "smtp secret: violet harbour 42";
    let password_file = dir.path().join("smtp-password");
    std::fs::write(&password_file, format!("{password}\n")).unwrap();
    let smtp = SmtpServer::start(dir.path(), "journeykit", &password_file);
    let tenants = two_brand_tenants(dir.path());
    let port = smtp.port.to_string();
    let mut server = Process::launch_live(
        dir.path(),
        &tenants,
        &[
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port,
            "--smtp-security",
            "none",
            "--smtp-username",
            "journeykit",
            "--smtp-password-file",
            password_file.to_str().unwrap(),
            "--log-filter",
            "trace",
        ],
    );
    server.wait_ready().await;
    let mut client = Client {
        http: reqwest::Client::new(),
        url: server.url(),
        cookies: Vec::new(),
    };
    let (status, ready): (_, Value) = {
        let r = client
            .http
            .get(format!("{}/readyz", client.url))
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap())
    };
    assert_eq!(status, reqwest::StatusCode::OK, "{ready}");
    assert_eq!(ready["checks"]["delivery"]["email"], "smtp", "{ready}");
    assert_eq!(ready["checks"]["delivery"]["sms"], "not_configured");

    let mut secrets = vec![password.to_owned()];
    let cases = [
        (
            "testco",
            "ar",
            "sara@example.com",
            "TestCo",
            "no-reply@testco.example",
            "#0b5cad",
        ),
        (
            "testco-kids",
            "nl",
            "kim@example.com",
            "TestCo Kids",
            "hello@kids.testco.example",
            "#d81b60",
        ),
    ];
    let mut message_ids = Vec::new();
    for (brand, locale, to, name, from, colour) in cases {
        let flow = client
            .post(
                "/v1/testco/journeys/registration",
                json!({ "brand": brand, "locale": locale }),
            )
            .await;
        let details = json!({"email": to, "given_name": "Sam", "family_name": "Mail"});
        let flow = client.answer(&flow, "submit", details).await;
        assert_eq!(flow["step"]["id"], "verify_email", "{flow}");
        let mail = smtp.email_to(to).await;

        // The envelope and the headers.
        assert_eq!(mail["rcpt_tos"], json!([to]));
        assert_eq!(mail["mail_from"], from);
        assert_eq!(mail["authenticated"], true, "AUTH as journeykit");
        assert_eq!(
            mail["tls"], false,
            "--smtp-security none: plain text on loopback"
        );
        let headers = &mail["headers"];
        assert_eq!(headers["from"], format!("{name} <{from}>"), "{headers}");
        assert_eq!(headers["to"], to);
        let message_id = headers["message-id"].as_str().unwrap();
        let domain = from.split_once('@').unwrap().1;
        assert!(
            message_id.starts_with('<') && message_id.ends_with(&format!("@{domain}>")),
            "{message_id}"
        );
        message_ids.push(message_id.to_owned());
        assert!(!headers["date"].as_str().unwrap().is_empty(), "{headers}");
        assert_eq!(mail["content_type"], "multipart/alternative");

        // Both parts, in the flow's language, from the same texts.
        let text = mail["text"].as_str().unwrap();
        let html = mail["html"].as_str().unwrap();
        let code = code_in(text).unwrap_or_else(|| panic!("no code in {text}"));
        assert!(html.contains(&code), "{html}");
        let subject = headers["subject"].as_str().unwrap();
        assert!(subject.contains(name), "{subject}");
        assert!(
            html.contains(&format!("<title>{}</title>", escape(subject))),
            "{html}"
        );
        assert!(
            html.contains(&format!(">{name}</td>")),
            "the brand's name: {html}"
        );
        assert!(
            html.contains(&format!("background:{colour}")),
            "its colour: {html}"
        );
        let dir = if locale == "ar" { "rtl" } else { "ltr" };
        assert!(
            html.contains(&format!("<html lang=\"{locale}\" dir=\"{dir}\">")),
            "{html}"
        );
        let first_line = text.lines().next().unwrap();
        assert!(html.contains(&escape(first_line)), "{first_line} in {html}");
        match locale {
            "ar" => assert!(
                text.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)),
                "{text}"
            ),
            _ => assert!(text.contains("code"), "Dutch: {text}"),
        }
        secrets.push(code.clone());

        // The code from the email finishes the journey.
        let flow = client
            .answer(&flow, "submit", json!({ "code": code }))
            .await;
        assert_eq!(flow["step"]["id"], "password", "{flow}");
        let chosen = format!("copper kettle on shelf {locale} seven");
        secrets.push(chosen.clone());
        let flow = client
            .answer(&flow, "submit", json!({ "password": chosen }))
            .await;
        let done = client.answer(&flow, "continue", json!({})).await;
        assert_eq!(done["status"], "complete", "{done}");
        assert_eq!(done["brand"], brand);
    }
    assert_ne!(message_ids[0], message_ids[1], "every Message-ID is unique");
    assert_eq!(smtp.received().len(), 2, "one email per registration");
    secrets.extend(client.cookies.iter().cloned());

    server.signal("TERM");
    server.exit(Duration::from_secs(10)).await;
    let log = server.log();
    assert!(log.contains("message sent"), "{log}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds a secret ({secret}):\n{log}"
        );
    }
}

fn escape(text: &str) -> String {
    journey_server::outbox::html::escape(text)
}

#[tokio::test]
async fn with_the_smtp_server_down_a_code_is_retried_then_failed_and_the_journey_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::spawn_configured(&dir.path().join("j.db"), |config| {
        config.dev = false;
        crate::support::smtp_down(config);
        config.delivery.max_attempts = 3;
    })
    .await;
    let flow = server.start("registration").await;
    let to = "nobody-home@example.com";
    let details = json!({"email": to, "given_name": "No", "family_name": "Server"});
    let (status, flow) = server.answer(&flow, "submit", details).await;
    assert_eq!(status, reqwest::StatusCode::OK, "no 500: {flow}");
    assert_eq!(flow["step"]["id"], "verify_email", "{flow}");

    // Each try fails (nothing listens); the next is due 2 s, then 4 s later.
    let message = |server: &Server| {
        let store = server.state.store.clone();
        async move { store.messages_to(to, 1).await.unwrap().remove(0) }
    };
    for (attempt, wait) in [(1, 2), (2, 4)] {
        let m = wait_for(
            &server,
            |m| m.attempts == attempt && m.state == MessageState::Queued,
            &message,
        )
        .await;
        let error = m.last_error.clone().unwrap();
        assert!(error.starts_with("smtp: "), "{error}");
        assert!(code_in(&error).is_none(), "no code in the error: {error}");
        assert!(m.next_attempt_at - m.created_at >= wait, "{m:?}");
        server.clock.advance(wait);
        server.state.outbox.notify_one();
    }
    let failed = wait_for(&server, |m| m.state == MessageState::Failed, &message).await;
    assert_eq!(failed.attempts, 3);
    assert!(
        failed.last_error.as_deref().unwrap().starts_with("smtp: "),
        "{failed:?}"
    );
    assert_eq!(
        (failed.body.as_str(), failed.html.as_str()),
        ("", ""),
        "no code kept"
    );
    let metrics = server.state.metrics.encode().unwrap();
    assert!(
        metrics
            .contains("journeykit_messages_retried_total{tenant=\"testco\",channel=\"email\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("journeykit_messages_failed_total{tenant=\"testco\",channel=\"email\"} 1"),
        "{metrics}"
    );
    // The person can still ask for a new code (after the cool-down): no error either.
    let (status, flow) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{flow}");
    server.stop().await;
}

/// Polls the message `read` gives until `done` holds for it.
async fn wait_for<F, Fut>(
    server: &Server,
    done: impl Fn(&OutboxMessage) -> bool,
    read: &F,
) -> OutboxMessage
where
    F: Fn(&Server) -> Fut,
    Fut: std::future::Future<Output = OutboxMessage>,
{
    let mut last = None;
    for _ in 0..300 {
        let message = read(server).await;
        if done(&message) {
            return message;
        }
        last = Some(message);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the message did not get there: {last:?}");
}

/// What the provider's receiver does with a request.
#[derive(Clone, Copy)]
enum Provider {
    /// 200 at once.
    Ok,
    /// 500.
    Fails,
    /// 200 after 1.5 s (within the sender's 3 s).
    Slow,
    /// Never answers.
    Silent,
}

/// One request the receiver got, with its signature checked.
#[derive(Clone, Debug)]
struct Received {
    body: Value,
    idempotency_key: String,
    signature_ok: bool,
}

/// The key both sides share.
const KEY: &str = "0123456789abcdef0123456789abcdef-test-key";

/// A provider on loopback: records every request and answers as `mode` says.
async fn provider(mode: Provider) -> (String, Arc<Mutex<Vec<Received>>>) {
    use axum::http::HeaderMap;
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let app = axum::Router::new().route(
        "/send",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let signature = header("journeykit-signature");
                let signature_ok = verify(&signature, &body);
                log.lock().unwrap().push(Received {
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                    idempotency_key: header("idempotency-key"),
                    signature_ok,
                });
                match mode {
                    Provider::Ok => axum::http::StatusCode::OK,
                    Provider::Fails => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    Provider::Slow => {
                        tokio::time::sleep(Duration::from_millis(1500)).await;
                        axum::http::StatusCode::ACCEPTED
                    }
                    Provider::Silent => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        axum::http::StatusCode::OK
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// Checks `t=<t>,v1=<hex>` as the README tells a provider to: HMAC-SHA256 over `<t>.<body>`.
fn verify(header: &str, body: &[u8]) -> bool {
    use hmac::{Hmac, Mac};
    let Some((t, v1)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let Ok(expected) = hex::decode(v1) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// A server outside development mode whose SMS and voice go to `url`.
async fn with_provider(dir: &Path, url: &str, timeout_secs: u64, max_attempts: u32) -> Server {
    let key_file = dir.join("hmac.key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    crate::support::spawn_configured(&dir.join("j.db"), |config| {
        config.dev = false;
        crate::support::smtp_down(config);
        config.delivery.max_attempts = max_attempts;
        let sender = journey_server::config::HttpSenderConfig {
            url: url.to_owned(),
            key_file,
            timeout: Duration::from_secs(timeout_secs),
        };
        config.delivery.sms = Some(sender.clone());
        config.delivery.voice = Some(sender);
    })
    .await
}

fn by_id(
    id: i64,
) -> impl Fn(&Server) -> std::pin::Pin<Box<dyn std::future::Future<Output = OutboxMessage> + Send>>
{
    move |server: &Server| {
        let store = server.state.store.clone();
        Box::pin(async move { store.outbox_message(id).await.unwrap().unwrap() })
    }
}

#[tokio::test]
async fn sms_and_voice_are_posted_as_signed_json_and_a_slow_provider_within_the_timeout_is_fine() {
    for (mode, answer) in [(Provider::Ok, "at once"), (Provider::Slow, "after 1.5 s")] {
        let dir = tempfile::tempdir().unwrap();
        let (url, received) = provider(mode).await;
        let server = with_provider(dir.path(), &url, 3, 3).await;
        let (status, ready) = server.get("/readyz").await;
        assert_eq!(ready["checks"]["delivery"]["sms"], "http", "{ready}");
        assert_eq!(
            ready["checks"]["delivery"]["voice"], "http",
            "{status} {ready}"
        );
        let sms = enqueue(&server, "sms", "+31600000001").await;
        let voice = enqueue(&server, "voice", "+31600000002").await;
        for id in [sms, voice] {
            let sent = wait_for(&server, |m| m.state == MessageState::Sent, &by_id(id)).await;
            assert_eq!(sent.attempts, 1, "{answer}: {sent:?}");
            assert_eq!(sent.body, "", "no copy kept once sent");
        }
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 2, "{received:?}");
        for (r, (id, channel, to)) in received.iter().zip([
            (sms, "sms", "+31600000001"),
            (voice, "voice", "+31600000002"),
        ]) {
            assert!(r.signature_ok, "the signature verifies: {r:?}");
            assert_eq!(r.idempotency_key, format!("jk-{id}"));
            assert_eq!(
                r.body,
                json!({
                    "id": format!("jk-{id}"), "channel": channel, "to": to,
                    "text": "Je code is 314159. Hij is 10 minuten geldig.",
                    "tenant": "testco", "brand": "testco", "locale": "nl",
                })
            );
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_failing_or_silent_provider_is_retried_with_the_same_id_then_failed() {
    for (mode, expected) in [
        (
            Provider::Fails,
            "sms endpoint answered 500 Internal Server Error",
        ),
        (Provider::Silent, "sms endpoint: no answer within 1 s"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (url, received) = provider(mode).await;
        let server = with_provider(dir.path(), &url, 1, 2).await;
        let id = enqueue(&server, "sms", "+31600000003").await;
        let first = wait_for(
            &server,
            |m| m.attempts == 1 && m.state == MessageState::Queued,
            &by_id(id),
        )
        .await;
        assert_eq!(first.last_error.as_deref(), Some(expected));
        let now = journey_server::state::Clock::now(server.clock.as_ref());
        assert_eq!(first.next_attempt_at, now + 2, "retried 2 s later");
        server.clock.advance(2);
        server.state.outbox.notify_one();
        let failed = wait_for(&server, |m| m.state == MessageState::Failed, &by_id(id)).await;
        assert_eq!(
            (failed.attempts, failed.last_error.as_deref()),
            (2, Some(expected))
        );
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 2, "{received:?}");
        assert!(
            received
                .iter()
                .all(|r| r.signature_ok && r.idempotency_key == format!("jk-{id}"))
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn without_a_sender_for_its_channel_a_journey_does_not_start_outside_development_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::launch_live(dir.path(), &crate::support::fixture_tenants(), &[]);
    server.wait_ready().await;
    let http = reqwest::Client::new();
    for (locale, word) in [
        ("en", "email"),
        ("nl", "e-mail"),
        ("ar", "البريد الإلكتروني"),
    ] {
        let response = http
            .post(format!("{}/v1/testco/journeys/registration", server.url()))
            .json(&json!({ "locale": locale }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "channel_unavailable", "{body}");
        assert_eq!(body["error"]["id"], "api-channel-unavailable");
        let text = body["error"]["text"].as_str().unwrap();
        assert!(text.contains(word), "{locale} names the channel: {text}");
    }
    // Login sends no message: it starts.
    let response = http
        .post(format!("{}/v1/testco/journeys/login", server.url()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    server.signal("TERM");
    server.exit(Duration::from_secs(10)).await;
    let log = server.log();
    for journey in ["recovery", "registration"] {
        let warning = format!(
            "journey testco/{journey} cannot start: it sends email messages and no email sender is configured (email.smtp_host)"
        );
        assert_eq!(
            log.matches(&warning).count(),
            1,
            "one warning at start:\n{log}"
        );
    }
    assert!(!log.contains("journey testco/login cannot start"), "{log}");
}

#[tokio::test]
async fn in_development_mode_the_dev_outbox_sends_every_channel() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::spawn(&dir.path().join("j.db")).await;
    let id = enqueue(&server, "voice", "+31600000004").await;
    let sent = wait_for(&server, |m| m.state == MessageState::Sent, &by_id(id)).await;
    assert_eq!(
        sent.body, "Je code is 314159. Hij is 10 minuten geldig.",
        "kept for /dev/outbox"
    );
    let (_, outbox) = server.get("/dev/outbox?to=%2B31600000004").await;
    assert_eq!(outbox[0]["body"], sent.body, "{outbox}");
    server.stop().await;
}
