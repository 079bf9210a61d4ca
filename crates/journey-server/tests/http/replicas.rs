//! Three real `journey-server` processes (the debug binary) on one PostgreSQL database, with
//! the HTTP tests' own tenant, driven over HTTP: what must hold across replicas behind a load
//! balancer without sticky sessions. Each test spreads its requests over the three and would
//! fail if the limit it checks were kept in a process instead of the database:
//!
//! - a flow's step is taken once (the revision check): of parallel answers to one step, one
//!   is saved, and only its message is queued;
//! - of 50 parallel wrong codes, at most 5 are evaluated;
//! - 20 parallel registrations of one address make exactly one account;
//! - the per-address message cap (10 an hour) counts the messages every replica sent;
//! - the login throttle counts the failures every replica saw;
//! - every replica publishes (and signs with) the same keys, kept in the database;
//! - a replica killed in the middle of a send leaves the message to another once its lease has
//!   run out, and it is sent exactly twice, never a third time (`crash`).
//!
//! They need a PostgreSQL server: `JOURNEYKIT_TEST_POSTGRES_URL` names a database on it whose
//! user may create databases (`cargo xtask test` starts a throw-away cluster and sets it).
//! Each test gets a database of its own, dropped afterwards. Without the variable each test
//! passes without running, and the binary says so once.

mod crash;

use crate::support::{code_in, code_of, fixture_tenants, root, wrong_code};
use journey_server::config::Config;
use journey_store::{Claim, Create, EventFilter, PostgresStore, PostgresUrl, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Where the tests find their PostgreSQL server.
const URL_VAR: &str = "JOURNEYKIT_TEST_POSTGRES_URL";

const PASSWORD: &str = "violet tractor under the bridge 42";

/// How many server processes share the database.
const REPLICAS: usize = 3;

/// The server to make test databases on, or `None` (said once) when none is configured.
fn admin() -> Option<PostgresUrl> {
    static NOTICE: std::sync::Once = std::sync::Once::new();
    let Ok(url) = std::env::var(URL_VAR) else {
        NOTICE.call_once(|| {
            // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: {URL_VAR} is not set: the tests of three servers on one PostgreSQL \
                 database pass without running (cargo xtask test runs them)"
            );
        });
        return None;
    };
    Some(PostgresUrl::parse(&url).unwrap_or_else(|e| panic!("{URL_VAR}: {e}")))
}

/// Three servers on a database of their own; stopped, and the database dropped, on drop.
struct Replicas {
    urls: Vec<String>,
    http: reqwest::Client,
    /// The test's own view of the database, for what only it can count (opened once the
    /// servers have made the schema).
    store: Option<PostgresStore>,
    db: PostgresUrl,
    admin: PostgresUrl,
    name: String,
    processes: Vec<Child>,
    logs: Vec<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Replicas {
    /// Three servers in development mode (the dev outbox takes every message).
    async fn start() -> Option<Self> {
        Self::start_with(|_| vec!["--dev".to_owned()]).await
    }

    /// Three servers, replica `i` with the arguments `args(i)` as well.
    async fn start_with(args: impl Fn(usize) -> Vec<String>) -> Option<Self> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin = admin()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "jk_replicas_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let db = PostgresStore::create_database(&admin, &name).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        // One key file for all three, as an operator gives every replica the same one.
        let key_file = dir.path().join("master.key");
        let mut replicas = Replicas {
            urls: Vec::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            store: None,
            db: db.clone(),
            admin,
            name,
            processes: Vec::new(),
            logs: Vec::new(),
            _dir: dir,
        };
        // All three start at once on the new database: they race on its schema, the key
        // file and each tenant's first signing key, and must agree.
        for i in 0..REPLICAS {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let log = replicas._dir.path().join(format!("replica-{i}.log"));
            let out = std::fs::File::create(&log).unwrap();
            let child = Command::new(env!("CARGO_BIN_EXE_journey-server"))
                .args(["--listen", &format!("127.0.0.1:{port}"), "--create-db"])
                .args(args(i))
                .args(["--db", db.expose()])
                .arg("--key-file")
                .arg(&key_file)
                .arg("--tenants")
                .arg(fixture_tenants())
                .arg("--locales")
                .arg(root().join("locales"))
                .stdin(Stdio::null())
                .stdout(out.try_clone().unwrap())
                .stderr(out)
                .spawn()
                .unwrap();
            replicas.processes.push(child);
            replicas.logs.push(log);
            replicas.urls.push(format!("http://127.0.0.1:{port}"));
        }
        for i in 0..REPLICAS {
            replicas.wait_ready(i).await;
        }
        replicas.store = Some(
            PostgresStore::open(&replicas.db, Create::Never)
                .await
                .unwrap(),
        );
        Some(replicas)
    }

    /// Kills replica `i` with SIGKILL, as a crash or the OOM killer would: it records nothing
    /// more and finishes nothing it had in hand.
    fn kill(&mut self, i: usize) {
        self.processes[i].kill().unwrap();
        self.processes[i].wait().unwrap();
    }

    fn store(&self) -> &PostgresStore {
        self.store.as_ref().unwrap()
    }

    async fn wait_ready(&mut self, i: usize) {
        for _ in 0..300 {
            if let Some(status) = self.processes[i].try_wait().unwrap() {
                let log = std::fs::read_to_string(&self.logs[i]).unwrap_or_default();
                panic!("replica {i} exited during start-up ({status}); its log:\n{log}");
            }
            let healthy = self
                .http
                .get(format!("{}/healthz", self.urls[i]))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if healthy {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("replica {i} did not answer /healthz");
    }

    async fn post(&self, i: usize, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.urls[i % REPLICAS]))
            .json(&body)
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

    async fn get(&self, i: usize, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.urls[i % REPLICAS]))
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// Starts a flow of `journey` on replica `i`.
    async fn start_flow(&self, i: usize, journey: &str) -> Value {
        let (status, flow) = self
            .post(i, &format!("/v1/testco/journeys/{journey}"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        flow
    }

    /// Answers the flow's current step on replica `i`.
    async fn answer(
        &self,
        i: usize,
        flow: &Value,
        action: &str,
        values: Value,
    ) -> (StatusCode, Value) {
        let id = flow["id"].as_str().unwrap();
        let step = flow["step"]["id"].as_str().unwrap();
        self.post(
            i,
            &format!("/v1/flows/{id}"),
            json!({ "step": step, "action": action, "values": values }),
        )
        .await
    }

    /// A plain connection to the database, to read what no store call gives (which flow a
    /// queued message belongs to), as the SQLite tests read their file (`queued_to`).
    async fn sql(&self) -> tokio_postgres::Client {
        let config: tokio_postgres::Config = self.db.expose().parse().unwrap();
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client
    }

    /// The messages queued to `to` (delivered or not), oldest first, as (flow id, body).
    async fn queued(&self, to: &str) -> Vec<(String, String)> {
        self.sql()
            .await
            .query(
                "SELECT flow_id, body FROM outbox WHERE recipient = $1 ORDER BY id",
                &[&to],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect()
    }

    /// The code queued for flow `id`.
    async fn code_of_flow(&self, to: &str, id: &str) -> String {
        let queued = self.queued(to).await;
        let (_, body) = queued
            .iter()
            .find(|(flow, _)| flow == id)
            .unwrap_or_else(|| panic!("no message for flow {id}"));
        code_in(body).unwrap()
    }

    /// How many security events of `kind` the database holds for `identifier`.
    async fn events(&self, kind: &str, identifier: &str) -> usize {
        self.store()
            .security_events(EventFilter {
                tenant: Some("testco".into()),
                identifier: Some(identifier.into()),
                limit: 10_000,
                ..EventFilter::default()
            })
            .await
            .unwrap()
            .iter()
            .filter(|e| e.kind == kind)
            .count()
    }

    /// Takes a new registration for `email` to the code step on replica `i`.
    async fn at_code_step(&self, i: usize, email: &str) -> Value {
        let flow = self.start_flow(i, "registration").await;
        let (status, flow) = self.answer(i + 1, &flow, "submit", details(email)).await;
        assert_eq!(
            (status, flow["step"]["id"].as_str()),
            (StatusCode::OK, Some("verify_email")),
            "{flow}"
        );
        flow
    }
}

impl Drop for Replicas {
    fn drop(&mut self) {
        for process in &mut self.processes {
            let _ = process.kill();
            let _ = process.wait();
        }
        if std::thread::panicking() {
            for log in &self.logs {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                eprintln!(
                    "--- {} (last lines) ---\n{}",
                    log.display(),
                    lines[lines.len().saturating_sub(30)..].join("\n")
                );
            }
        }
        // Drop runs inside the test's runtime: a thread of its own drops the database.
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(PostgresStore::drop_database(&admin, &name))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            panic!("dropping test database {}: {dropped:?}", self.name);
        }
    }
}

fn details(email: &str) -> Value {
    json!({"email": email, "given_name": "Jane", "family_name": "Doe"})
}

/// The message ids of a flow's step messages.
fn message_ids(flow: &Value) -> Vec<String> {
    flow["step"]["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| m["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The status and error code (or step) of each answer, for a failure's message.
fn statuses(answers: &[(StatusCode, Value)]) -> Vec<String> {
    answers
        .iter()
        .map(|(status, body)| {
            let what = body["error"]["code"]
                .as_str()
                .or(body["step"]["id"].as_str())
                .unwrap_or("");
            format!("{} {what}", status.as_u16())
        })
        .collect()
}

/// Runs `count` requests at once, the `n`-th on replica `n % 3`, and gives their answers.
async fn parallel<F, Fut>(
    replicas: &Arc<Replicas>,
    count: usize,
    request: F,
) -> Vec<(StatusCode, Value)>
where
    F: Fn(Arc<Replicas>, usize) -> Fut,
    Fut: std::future::Future<Output = (StatusCode, Value)> + Send + 'static,
{
    let tasks: Vec<_> = (0..count)
        .map(|n| tokio::spawn(request(replicas.clone(), n)))
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn a_step_answered_on_every_replica_at_once_is_taken_once() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let replicas = Arc::new(replicas);
    let address = "once@example.com";
    let flow = replicas.start_flow(0, "registration").await;
    // The details step sends a code: nine answers at once, three on each replica (fewer than
    // the address's ten messages an hour, so the cap cannot be what stops the others).
    let answers = parallel(&replicas, 9, |replicas, n| {
        let flow = flow.clone();
        async move { replicas.answer(n, &flow, "submit", details(address)).await }
    })
    .await;
    let saved = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    for (status, body) in &answers {
        assert!(
            *status == StatusCode::OK
                || (*status == StatusCode::CONFLICT
                    && ["conflict", "step_mismatch"].contains(&code_of(body))),
            "{status}: {body}"
        );
    }
    assert_eq!(saved, 1, "one answer is saved: {:?}", statuses(&answers));
    assert_eq!(
        replicas.queued(address).await.len(),
        1,
        "only the saved answer's code is queued"
    );

    // The right code, thirty times at once: one moves the flow on.
    let id = flow["id"].as_str().unwrap();
    let code = replicas.code_of_flow(address, id).await;
    let at_code = replicas.get(1, &format!("/v1/flows/{id}")).await;
    assert_eq!(at_code["step"]["id"], "verify_email");
    let answers = parallel(&replicas, 30, |replicas, n| {
        let (flow, code) = (at_code.clone(), code.clone());
        async move {
            replicas
                .answer(n, &flow, "submit", json!({ "code": code }))
                .await
        }
    })
    .await;
    let moved: Vec<_> = answers
        .iter()
        .filter(|(s, body)| *s == StatusCode::OK && body["step"]["id"] == "password")
        .collect();
    assert_eq!(moved.len(), 1, "{:?}", statuses(&answers));
    for (status, body) in &answers {
        assert!(
            [
                StatusCode::OK,
                StatusCode::CONFLICT,
                StatusCode::TOO_MANY_REQUESTS
            ]
            .contains(status),
            "{status}: {body}"
        );
    }
    let now = replicas.get(2, &format!("/v1/flows/{id}")).await;
    assert_eq!(now["step"]["id"], "password");
}

#[tokio::test]
async fn fifty_parallel_wrong_codes_spread_over_three_replicas_get_at_most_five_evaluated() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let replicas = Arc::new(replicas);
    let address = "race@example.com";
    let flow = replicas.at_code_step(0, address).await;
    let right = replicas
        .code_of_flow(address, flow["id"].as_str().unwrap())
        .await;
    let wrong = wrong_code(&right);
    let answers = parallel(&replicas, 50, |replicas, n| {
        let flow = flow.clone();
        async move {
            replicas
                .answer(n, &flow, "submit", json!({ "code": wrong }))
                .await
        }
    })
    .await;
    let mut evaluated = 0;
    for (status, body) in &answers {
        match *status {
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::OK => evaluated += 1,
            StatusCode::CONFLICT => assert!(
                ["conflict", "step_mismatch", "flow_ended"].contains(&code_of(body)),
                "{body}"
            ),
            // The address's guess quota (10 an hour, across replicas) refused it unchecked.
            StatusCode::TOO_MANY_REQUESTS => assert_eq!(code_of(body), "rate_limited", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(evaluated <= 5, "{evaluated} wrong codes were evaluated");
    assert!(evaluated >= 1);
    let after = replicas
        .get(2, &format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    let left = after["step"]["view"]["attempts_left"].as_u64().unwrap_or(0);
    assert_eq!(
        5 - left,
        evaluated as u64,
        "every evaluated try was counted"
    );
    assert_eq!(
        replicas.events("code_failed", address).await
            + replicas.events("code_locked", address).await,
        evaluated,
        "one security event per evaluated try"
    );
}

#[tokio::test]
async fn twenty_parallel_registrations_of_one_address_make_exactly_one_account() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let replicas = Arc::new(replicas);
    let address = "twenty@example.com";
    let flows: Vec<Value> = parallel(&replicas, 20, |replicas, n| async move {
        (StatusCode::OK, replicas.start_flow(n, "registration").await)
    })
    .await
    .into_iter()
    .map(|(_, flow)| flow)
    .collect();
    let flows = Arc::new(flows);
    // Every one passes the duplicate check before any account exists; the address's cap lets
    // ten of them have a code.
    let at_code = {
        let flows = flows.clone();
        parallel(&replicas, 20, move |replicas, n| {
            let flow = flows[n].clone();
            async move {
                replicas
                    .answer(n + 1, &flow, "submit", details(address))
                    .await
            }
        })
        .await
    };
    let mut with_code = Vec::new();
    for (status, flow) in at_code {
        assert_eq!(
            (status, flow["step"]["id"].as_str()),
            (StatusCode::OK, Some("verify_email")),
            "{flow}"
        );
        if !message_ids(&flow).contains(&"error-message-cap".to_owned()) {
            with_code.push(flow);
        }
    }
    assert_eq!(with_code.len(), 10, "the cap let ten codes go");
    let mut codes = Vec::new();
    for flow in &with_code {
        codes.push(
            replicas
                .code_of_flow(address, flow["id"].as_str().unwrap())
                .await,
        );
    }
    let verified = {
        let (flows, codes) = (Arc::new(with_code), Arc::new(codes));
        parallel(&replicas, flows.len(), move |replicas, n| {
            let (flow, code) = (flows[n].clone(), codes[n].clone());
            async move {
                replicas
                    .answer(n + 2, &flow, "submit", json!({ "code": code }))
                    .await
            }
        })
        .await
    };
    let at_password: Vec<Value> = verified
        .into_iter()
        .map(|(status, flow)| {
            assert_eq!(
                (status, flow["step"]["id"].as_str()),
                (StatusCode::OK, Some("password")),
                "{flow}"
            );
            flow
        })
        .collect();
    // And all of them choose a password at once, each on another replica than before.
    let at_password = Arc::new(at_password);
    let finished = parallel(&replicas, at_password.len(), move |replicas, n| {
        let flow = at_password[n].clone();
        async move {
            replicas
                .answer(n, &flow, "submit", json!({ "password": PASSWORD }))
                .await
        }
    })
    .await;
    let mut welcomed = 0;
    for (status, flow) in &finished {
        assert_eq!(*status, StatusCode::OK, "{flow}");
        match flow["step"]["id"].as_str() {
            Some("welcome") => welcomed += 1,
            _ => {
                assert_eq!(flow["status"], "failed", "{flow}");
                assert_eq!(flow["step"]["messages"][0]["id"], "error-account-taken");
            }
        }
    }
    assert_eq!(welcomed, 1, "{:?}", statuses(&finished));
    assert_eq!(replicas.events("registered", address).await, 1);
    assert!(
        replicas
            .store()
            .account_exists("testco", address)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_message_cap_of_an_address_counts_what_every_replica_sent() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let address = "capped@example.com";
    // Fifteen registrations, five through each replica: a cap counted per process would let
    // all fifteen codes go.
    let mut capped = 0;
    for n in 0..15 {
        let flow = replicas.start_flow(n, "registration").await;
        let (status, flow) = replicas.answer(n, &flow, "submit", details(address)).await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        if message_ids(&flow) == ["error-message-cap"] {
            capped += 1;
        }
    }
    assert_eq!(
        replicas.queued(address).await.len(),
        10,
        "ten messages an hour"
    );
    assert_eq!(capped, 5);
    assert_eq!(replicas.events("message_capped", address).await, 5);
}

#[tokio::test]
async fn the_login_throttle_counts_the_failures_every_replica_saw() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let address = "slow@example.com";
    let flow = replicas.at_code_step(0, address).await;
    let code = replicas
        .code_of_flow(address, flow["id"].as_str().unwrap())
        .await;
    let (_, flow) = replicas
        .answer(1, &flow, "submit", json!({ "code": code }))
        .await;
    let (_, flow) = replicas
        .answer(2, &flow, "submit", json!({ "password": PASSWORD }))
        .await;
    assert_eq!(flow["step"]["id"], "welcome", "{flow}");

    // Five wrong passwords, each on the next replica: the first four cost nothing, the fifth
    // blocks the address for two seconds. Per process, no replica would have seen more than
    // two.
    let login = |n: usize, password: &'static str| {
        let replicas = &replicas;
        async move {
            let flow = replicas.start_flow(n, "login").await;
            replicas
                .answer(
                    n,
                    &flow,
                    "submit",
                    json!({"email": address, "password": password}),
                )
                .await
        }
    };
    for n in 0..5 {
        let (status, body) = login(n, "not the right password").await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{body}"
        );
    }
    // Even the right password is not checked while blocked, on the replica that saw two.
    let (status, body) = login(5, PASSWORD).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{body}"
    );
    assert_eq!(
        body["flow"]["step"]["messages"][0]["id"],
        "error-login-throttled"
    );
    // The database holds all five failures under the address's own key: the next attempt,
    // once every block is over, is the sixth.
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    assert_eq!(
        replicas
            .store()
            .claim_login_attempt("testco", &[address.to_owned()], later, |_| 0)
            .await
            .unwrap(),
        Claim::Granted { failures: 6 }
    );
    assert_eq!(replicas.events("login_failed", address).await, 5);
}

/// Not a replica test, so it runs without PostgreSQL: a PostgreSQL `--db` needs the key file
/// named (every replica must have the same one), and its password shows nowhere.
#[test]
fn a_postgres_database_needs_a_key_file_and_never_shows_its_password() {
    let args = |extra: &[&str]| {
        [
            "--db",
            "postgres://jk:s3cret@db.example.com:5432/journeykit",
        ]
        .iter()
        .chain(extra)
        .map(|s| (*s).to_owned())
        .collect::<Vec<_>>()
    };
    let load = |args: Vec<String>| Config::load(args, &|_| None);
    let refused = load(args(&[])).err().unwrap().to_string();
    assert!(
        refused.contains("--db: a PostgreSQL database needs database.key_file (--key-file)"),
        "{refused}"
    );
    assert!(!refused.contains("s3cret"), "{refused}");
    let config = load(args(&["--key-file", "/etc/journeykit/master.key"])).unwrap();
    assert!(config.db.is_postgres());
    let shown = format!("{config:?} {}", config.db);
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("postgres://jk:***@db.example.com:5432/journeykit"));

    let sqlite = load(vec!["--db".to_owned(), "sqlite:var/j.db".to_owned()]).unwrap();
    assert_eq!(
        sqlite.db.sqlite_path(),
        Some(std::path::Path::new("var/j.db"))
    );
    assert_eq!(sqlite.key_file, std::path::Path::new("var/j.db.key"));
    let unknown = load(vec!["--db".to_owned(), "mysql://u@h/db".to_owned()]);
    assert!(unknown.err().unwrap().to_string().contains("--db: "));
}

#[tokio::test]
async fn every_replica_publishes_the_one_key_set_they_share() {
    let Some(replicas) = Replicas::start().await else {
        return;
    };
    let path = "/v1/testco/.well-known/jwks.json";
    let first = replicas.get(0, path).await;
    assert_eq!(first["keys"].as_array().map(Vec::len), Some(1), "{first}");
    for i in 1..REPLICAS {
        assert_eq!(
            replicas.get(i, path).await,
            first,
            "replica {i} signs with the same key"
        );
    }
}
