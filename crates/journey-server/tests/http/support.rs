//! The harness: a server on a free loopback port with a manual clock, and a small client.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use journey_server::config::Config;
use journey_server::state::ManualClock;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The tests' own tenant folders (`tests/fixtures/tenants`): editing or adding a demo tenant
/// in `demo-sites/` cannot change what these tests see. The demo's own journeys have their
/// smoke tests in `demo.rs`.
pub fn fixture_tenants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tenants")
}

/// A running server.
pub struct Server {
    pub url: String,
    pub clock: Arc<ManualClock>,
    /// The server's state, for what only the inside can count (password hashes run).
    pub state: journey_server::state::AppState,
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

/// Gives `config` an SMTP sender whose server is down (a free loopback port nobody listens
/// on) and many tries, so that outside development mode journeys that send email start and
/// their messages stay queued, retried, until the test looks at them.
pub fn smtp_down(config: &mut Config) {
    config.delivery.max_attempts = 50;
    config.delivery.email = Some(journey_server::config::SmtpConfig {
        host: "127.0.0.1".into(),
        port: free_port(),
        security: journey_server::config::SmtpSecurity::None,
        username: None,
        password_file: None,
        ca_file: None,
        timeout: Duration::from_secs(2),
    });
}

/// Options for [`spawn_with`].
pub struct Setup<'a> {
    pub db: &'a Path,
    pub dev: bool,
    pub tenants: PathBuf,
}

pub async fn spawn(db: &Path) -> Server {
    spawn_with(Setup {
        db,
        dev: true,
        tenants: fixture_tenants(),
    })
    .await
}

pub async fn spawn_with(setup: Setup<'_>) -> Server {
    spawn_configured(setup.db, |config| {
        config.dev = setup.dev;
        config.tenants = setup.tenants;
    })
    .await
}

/// A server with the defaults of [`spawn`] changed by `edit` (`listen` is the real address).
pub async fn spawn_configured(db: &Path, edit: impl FnOnce(&mut Config)) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("http://{addr}");
    let mut config = Config {
        listen: addr,
        public_url: url.clone(),
        db: journey_store::DatabaseUrl::Sqlite(db.to_owned()),
        key_file: journey_server::keys::beside(db),
        create_db: true,
        tenants: fixture_tenants(),
        locales: root().join("locales"),
        static_dir: None,
        dev: true,
        ..Config::default()
    };
    edit(&mut config);
    let clock = Arc::new(ManualClock::new());
    let state = journey_server::build_state(config, clock.clone())
        .await
        .unwrap();
    let (tx, rx) = oneshot::channel();
    let inside = state.clone();
    let handle = tokio::spawn(async move {
        journey_server::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    Server {
        url,
        clock,
        state: inside,
        http,
        shutdown: Some(tx),
        handle: Some(handle),
    }
}

impl Server {
    /// Stops the server and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value, HeaderMap) {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
            headers,
        )
    }

    /// A client whose requests come from 127.0.0.`last_octet` (every 127.0.0.0/8 address is
    /// loopback on Linux), to be another client for the per-client rate limits.
    pub fn client_from(&self, last_octet: u8) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, last_octet]))
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    }

    /// [`Server::post`] from another client.
    pub async fn post_from(
        &self,
        http: &reqwest::Client,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value, HeaderMap) {
        let response = http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
            headers,
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn start(&self, journey: &str) -> Value {
        let (status, flow, _) = self
            .post(&format!("/v1/testco/journeys/{journey}"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        flow
    }

    /// Answers the flow's current step.
    pub async fn answer(&self, flow: &Value, action: &str, values: Value) -> (StatusCode, Value) {
        let (status, body, _) = self.submit(flow, action, values).await;
        (status, body)
    }

    pub async fn submit(
        &self,
        flow: &Value,
        action: &str,
        values: Value,
    ) -> (StatusCode, Value, HeaderMap) {
        let id = flow["id"].as_str().unwrap();
        let step = flow["step"]["id"].as_str().unwrap();
        self.post(
            &format!("/v1/flows/{id}"),
            json!({ "step": step, "action": action, "values": values }),
        )
        .await
    }

    /// Every delivered message to `to`, newest first (waits for delivery).
    pub async fn outbox(&self, to: &str, at_least: usize) -> Vec<Value> {
        for _ in 0..100 {
            let (_, messages) = self.get(&format!("/dev/outbox?to={to}")).await;
            let messages = messages.as_array().cloned().unwrap_or_default();
            if messages.len() >= at_least {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no {at_least} messages to {to}");
    }

    /// The newest code sent to `to`.
    pub async fn code(&self, to: &str, nth: usize) -> String {
        let messages = self.outbox(to, nth).await;
        let body = messages[0]["body"].as_str().unwrap();
        code_in(body).unwrap_or_else(|| panic!("no code in the newest message: {body}"))
    }

    /// Starts a registration for `email` up to the code step; returns the flow and the code.
    pub async fn at_code_step(&self, email: &str) -> (Value, String) {
        let before = self.outbox(email, 0).await.len();
        let flow = self.start("registration").await;
        let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
        let (status, flow) = self.answer(&flow, "submit", details).await;
        assert_eq!(
            (status, flow["step"]["id"].as_str()),
            (StatusCode::OK, Some("verify_email")),
            "{flow}"
        );
        (flow, self.code(email, before + 1).await)
    }

    /// Registers `email` through the whole journey; returns the completed flow.
    pub async fn register(&self, email: &str, password: &str) -> Value {
        let (flow, code) = self.at_code_step(email).await;
        let (status, flow) = self.answer(&flow, "submit", json!({ "code": code })).await;
        assert_eq!(
            (status, flow["step"]["id"].as_str()),
            (StatusCode::OK, Some("password")),
            "{flow}"
        );
        let (status, flow) = self
            .answer(&flow, "submit", json!({ "password": password }))
            .await;
        assert_eq!(
            (status, flow["step"]["id"].as_str()),
            (StatusCode::OK, Some("welcome")),
            "{flow}"
        );
        let (status, flow) = self.answer(&flow, "continue", json!({})).await;
        assert_eq!(
            (status, flow["status"].as_str()),
            (StatusCode::OK, Some("complete")),
            "{flow}"
        );
        flow
    }

    /// Verifies an ID token against TestCo's JWKS and returns its claims.
    pub async fn verify_token(&self, token: &str) -> Value {
        self.verify_token_of("testco", token).await
    }

    /// Verifies an ID token against the JWKS of `tenant` and returns its claims.
    pub async fn verify_token_of(&self, tenant: &str, token: &str) -> Value {
        let (status, jwks) = self
            .get(&format!("/v1/{tenant}/.well-known/jwks.json"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "EdDSA");
        let key = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == header["kid"])
            .expect("kid in JWKS");
        assert!(
            key.get("d").is_none(),
            "the JWKS must not publish the private key"
        );
        let x: [u8; 32] = URL_SAFE_NO_PAD
            .decode(key["x"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap()
            .try_into()
            .unwrap();
        VerifyingKey::from_bytes(&x)
            .unwrap()
            .verify(
                format!("{}.{}", parts[0], parts[1]).as_bytes(),
                &Signature::from_bytes(&signature),
            )
            .expect("the signature verifies");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
    }
}

/// How many messages the server queued for `to` in the database at `db`, delivered or not.
/// A step's messages are queued in the transaction that saves the step, so once its answer
/// has arrived this count is final: checking it needs no waiting for the deliverer, and a
/// message queued twice counts twice even before either is delivered.
pub fn queued_to(db: &Path, to: &str) -> usize {
    let connection = rusqlite::Connection::open(db).unwrap();
    let count: i64 = connection
        .query_row(
            "SELECT count(*) FROM outbox WHERE recipient = ?1",
            [to],
            |row| row.get(0),
        )
        .unwrap();
    usize::try_from(count).unwrap()
}

/// The first run of exactly six digits, or a voice call's six digits said one by one
/// (`4, 8, 1, 5, 9, 2`).
pub fn code_in(body: &str) -> Option<String> {
    // A voice call says the digits one by one: `4, 8, 1, 5, 9, 2`.
    let body = &match six_digits(body) {
        Some(code) => return Some(code),
        None => body.replace(", ", ""),
    };
    six_digits(body)
}

/// The first run of exactly six digits (the body may be in any script: it is read by bytes,
/// and a run of ASCII digits always starts and ends on a character boundary).
fn six_digits(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit());
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        (starts && run == 6).then(|| body[i..i + 6].to_owned())
    })
}

/// A six-digit code that is not `right`.
pub fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// The error code of an error body.
pub fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

/// Copies a folder tree (a tenant, to edit it in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds the server's state on the tenant folders in `tenants`, with its database in `dir`,
/// and returns why it refuses to start. `dev` turns on development mode.
pub async fn start_error(tenants: PathBuf, dir: &Path, dev: bool) -> String {
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://127.0.0.1:1".into(),
        db: journey_store::DatabaseUrl::Sqlite(dir.join("j.db")),
        key_file: dir.join("j.db.key"),
        create_db: true,
        tenants,
        locales: root().join("locales"),
        static_dir: None,
        dev,
        ..Config::default()
    };
    let clock = Arc::new(journey_server::state::SystemClock);
    journey_server::build_state(config, clock)
        .await
        .err()
        .expect("the server refuses to start")
        .to_string()
}

/// The real `journey-server` binary on a free loopback port, its stderr (the log) in a file so
/// that a verbose log never blocks it on a full pipe; killed when dropped.
pub struct Process {
    child: std::process::Child,
    pub port: u16,
    log: PathBuf,
}

/// A free loopback port (free when asked; the OS may hand it out again later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Process {
    /// Starts the binary in development mode on the test tenants, with a database in `dir`
    /// and `extra` arguments.
    pub fn launch(dir: &Path, extra: &[&str]) -> Self {
        Self::launch_with(dir, extra, &[])
    }

    /// [`Process::launch`] with environment variables set.
    pub fn launch_with(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start(dir, true, &fixture_tenants(), extra, env)
    }

    /// The binary outside development mode, on the tenants in `tenants`.
    pub fn launch_live(dir: &Path, tenants: &Path, extra: &[&str]) -> Self {
        Self::start(dir, false, tenants, extra, &[])
    }

    fn start(dir: &Path, dev: bool, tenants: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let log = dir.join(format!("server-{port}.log"));
        let stderr = std::fs::File::create(&log).unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_journey-server"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--create-db"])
            .args(dev.then_some("--dev"))
            .arg("--db")
            .arg(dir.join("j.db"))
            .arg("--tenants")
            .arg(tenants)
            .arg("--locales")
            .arg(root().join("locales"))
            .args(extra)
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Self { child, port, log }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `GET /healthz` answers.
    pub async fn wait_ready(&mut self) {
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}):\n{}", self.log());
            }
            let up = http
                .get(format!("{}/healthz", self.url()))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not start:\n{}", self.log());
    }

    /// Sends the signal `name` (`TERM`, `INT`) with kill(1).
    pub fn signal(&self, name: &str) {
        let sent = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits at most `limit` for the process to exit.
    pub async fn exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "the server did not exit within {limit:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
