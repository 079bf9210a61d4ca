//! Flows are saved: they survive a restart and a kill -9, a replay has no second effect, a flow
//! finishes on the journey version it started on, and bad journey files stop the server.

use crate::support::{
    Setup, code_of, copy_dir, fixture_tenants, queued_to, root, spawn, spawn_with, start_error,
};
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn a_replayed_submission_returns_the_current_state_and_sends_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let start = server.start("registration").await;
    let details = json!({"email": "replay@example.com", "given_name": "R", "family_name": "P"});
    let (status, flow) = server.answer(&start, "submit", details.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, replay) = server.answer(&start, "submit", details).await;
    assert_eq!(
        (status, code_of(&replay)),
        (StatusCode::CONFLICT, "step_mismatch")
    );
    assert_eq!(replay["flow"]["step"]["id"], "verify_email");
    assert_eq!(
        queued_to(&db, "replay@example.com"),
        1,
        "one code queued, not two"
    );
    assert_eq!(
        server.outbox("replay@example.com", 1).await.len(),
        1,
        "one code delivered, not two"
    );

    let code = server.code("replay@example.com", 1).await;
    let (_, at_password) = server.answer(&flow, "submit", json!({"code": code})).await;
    let password = json!({"password": "violet tractor under the bridge 42"});
    let (status, _) = server
        .answer(&at_password, "submit", password.clone())
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server.answer(&at_password, "submit", password).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "step_mismatch"),
        "no second account"
    );
    server.stop().await;
    let store = journey_store::SqliteStore::open(&db, journey_store::Create::Never).unwrap();
    use journey_store::Store;
    assert!(
        store
            .account_exists("testco", "replay@example.com")
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_flow_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = spawn(&db).await;
    let (flow, code) = server.at_code_step("restart@example.com").await;
    server.stop().await;

    let server = spawn(&db).await;
    let (status, resumed) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        (status, resumed["step"]["id"].as_str()),
        (StatusCode::OK, Some("verify_email"))
    );
    let (status, next) = server
        .answer(&resumed, "submit", json!({"code": code}))
        .await;
    assert_eq!(
        (status, next["step"]["id"].as_str()),
        (StatusCode::OK, Some("password"))
    );
    server.stop().await;
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn launch(db: &Path, port: u16) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_journey-server"))
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--dev",
            "--create-db",
            "--db",
        ])
        .arg(db)
        .arg("--tenants")
        .arg(fixture_tenants())
        .arg("--locales")
        .arg(root().join("locales"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Process(child)
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

#[tokio::test]
async fn a_flow_survives_kill_9_of_the_server_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut process = launch(&db, port);
    wait_ready(&http, &base).await;
    let post = |path: String, body: serde_json::Value| {
        let http = http.clone();
        let base = base.clone();
        async move {
            http.post(format!("{base}{path}"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let flow = post("/v1/testco/journeys/registration".into(), json!({})).await;
    let id = flow["id"].as_str().unwrap().to_owned();
    let flow = post(format!("/v1/flows/{id}"), json!({"step": "details", "action": "submit", "values": {"email": "crash@example.com", "given_name": "C", "family_name": "R"}})).await;
    assert_eq!(flow["step"]["id"], "verify_email");
    // SIGKILL: no shutdown, no flush.
    process.0.kill().unwrap();
    process.0.wait().unwrap();

    let _process = launch(&db, port);
    wait_ready(&http, &base).await;
    let get = |path: String| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            http.get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let resumed = get(format!("/v1/flows/{id}")).await;
    assert_eq!(resumed["step"]["id"], "verify_email");
    // The code's message was sent before the kill, or is sent now; or the killed process had
    // claimed it and not yet recorded it, and it is sent once its lease runs out (the dev
    // sender's limit of 1 s and the margin, 11 s).
    let mut code = None;
    for _ in 0..600 {
        let messages = get("/dev/outbox?to=crash@example.com".into()).await;
        code = messages[0]["body"]
            .as_str()
            .and_then(crate::support::code_in);
        if code.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let next = post(
        format!("/v1/flows/{id}"),
        json!({"step": "verify_email", "action": "submit", "values": {"code": code.unwrap()}}),
    )
    .await;
    assert_eq!(next["step"]["id"], "password");
}

#[tokio::test]
async fn a_flow_finishes_on_the_journey_version_it_started_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let tenants = dir.path().join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    let server = spawn_with(Setup {
        db: &db,
        dev: true,
        tenants: tenants.clone(),
    })
    .await;
    let old = server.start("registration").await;
    server.stop().await;

    // The new version skips the welcome page.
    let path = tenants.join("testco/journeys/registration.toml");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("on = { set = \"welcome\" }", "on = { set = \"sign_in\" }");
    let edited = edited.replace(
        "on = { continue = \"sign_in\" }",
        "on = { continue = \"sign_in\" }\n",
    );
    let without_welcome = edited.split("[steps.welcome]").next().unwrap().to_owned()
        + "[steps.sign_in]"
        + edited.split("[steps.sign_in]").nth(1).unwrap();
    std::fs::write(&path, without_welcome).unwrap();
    let server = spawn_with(Setup {
        db: &db,
        dev: true,
        tenants,
    })
    .await;
    let new = server.start("registration").await;
    for (flow, email, expected) in [
        (old, "old@example.com", Some("welcome")),
        (new, "new@example.com", None),
    ] {
        let (_, flow) = server
            .answer(
                &flow,
                "submit",
                json!({"email": email, "given_name": "V", "family_name": "V"}),
            )
            .await;
        let code = server.code(email, 1).await;
        let (_, flow) = server.answer(&flow, "submit", json!({"code": code})).await;
        let (status, flow) = server
            .answer(
                &flow,
                "submit",
                json!({"password": "violet tractor under the bridge 42"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{flow}");
        assert_eq!(flow["step"]["id"].as_str(), expected, "{email}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_gateway_condition_that_does_not_compile_stops_the_server_naming_where() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    let journey = "start = \"a\"\n\
        [steps.a]\nblock = \"decision_gateway\"\non = { yes = \"b\", no = \"b\" }\n\
        [steps.a.settings]\n\
        branches = [{ when = \"has(flow.email) &&\\n  user.admin\", outcome = \"yes\" }]\n\
        otherwise = \"no\"\n\
        [steps.b]\nblock = \"show_information\"\nsettings = { title = \"welcome-title\", end = \"failed\" }\n";
    std::fs::write(tenants.join("testco/journeys/route.toml"), journey).unwrap();
    let error = start_error(tenants, dir.path(), true).await;
    assert!(
        error.contains(
            "route.toml: step `a`: invalid settings: branch 1: the condition \
             `when = \"has(flow.email) &&\\n  user.admin\"` does not compile: \
             at 2:3: unknown variable `user`"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn invalid_journey_files_stop_the_server_naming_file_step_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&fixture_tenants().join("testco"), &tenants.join("testco"));
    let path = tenants.join("testco/journeys/registration.toml");
    let broken = std::fs::read_to_string(&path)
        .unwrap()
        .replace("block = \"set_password\"", "block = \"set_pasword\"");
    std::fs::write(&path, broken).unwrap();
    std::fs::write(tenants.join("testco/journeys/extra.toml"), "start = \"a\"\n[steps.a]\nblock = \"show_information\"\nsettings = { title = \"no-such-message\", end = \"failed\" }\n").unwrap();
    let error = start_error(tenants, dir.path(), true).await;
    assert!(
        error.contains("registration.toml: step `password`: unknown block `set_pasword`"),
        "{error}"
    );
    assert!(
        error.contains("extra.toml: message `no-such-message` is missing in locales/en/"),
        "{error}"
    );
}
