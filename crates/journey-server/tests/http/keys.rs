//! Signing keys and the database file: each tenant signs with its own key and publishes only
//! that one; keys are stored sealed with a private key file; the database, its -wal and -shm
//! and the key file are private (0600); a database is created only when asked, never beside the
//! key file of one that is gone; and a running server that loses its database file stops with
//! an error.

use crate::support::{Setup, copy_dir, fixture_tenants, root, spawn_with};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use journey_server::config::Config;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo tenant twice, as `testco` and `otherhelp`.
fn two_tenants(dir: &Path) -> PathBuf {
    let tenants = dir.join("tenants");
    for name in ["testco", "otherhelp"] {
        copy_dir(&fixture_tenants().join("testco"), &tenants.join(name));
    }
    tenants
}

/// Registers `email` at `tenant`; returns the ID token.
async fn token_of(server: &crate::support::Server, tenant: &str, email: &str) -> String {
    let (status, flow, _) = server
        .post(&format!("/v1/{tenant}/journeys/registration"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let (_, flow) = server.answer(&flow, "submit", details).await;
    let code = server.code(email, 1).await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    let password = json!({"password": "violet tractor under the bridge"});
    let (_, flow) = server.answer(&flow, "submit", password).await;
    let (status, flow) = server.answer(&flow, "continue", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow["outcome"]["id_token"].as_str().unwrap().to_owned()
}

async fn jwks(server: &crate::support::Server, tenant: &str) -> Vec<Value> {
    let (status, jwks) = server
        .get(&format!("/v1/{tenant}/.well-known/jwks.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{jwks}");
    jwks["keys"].as_array().unwrap().clone()
}

/// Whether `token` verifies with one of `keys` of the same kid.
fn verifies(token: &str, keys: &[Value]) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(parts[2])
        .unwrap()
        .try_into()
        .unwrap();
    keys.iter().any(|key| {
        let x: [u8; 32] = URL_SAFE_NO_PAD
            .decode(key["x"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        key["kid"] == header["kid"]
            && VerifyingKey::from_bytes(&x)
                .unwrap()
                .verify(
                    format!("{}.{}", parts[0], parts[1]).as_bytes(),
                    &Signature::from_bytes(&signature),
                )
                .is_ok()
    })
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn each_tenant_signs_with_its_own_key_and_publishes_only_that() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let tenants = two_tenants(dir.path());
    let setup = |tenants: PathBuf| Setup {
        db: &db,
        dev: true,
        tenants,
    };
    let server = spawn_with(setup(tenants.clone())).await;
    let road = jwks(&server, "testco").await;
    let other = jwks(&server, "otherhelp").await;
    assert_eq!((road.len(), other.len()), (1, 1));
    assert_ne!(road[0]["kid"], other[0]["kid"]);
    assert_ne!(road[0]["x"], other[0]["x"]);

    let road_token = token_of(&server, "testco", "a@example.com").await;
    let other_token = token_of(&server, "otherhelp", "b@example.com").await;
    assert!(verifies(&road_token, &road));
    assert!(verifies(&other_token, &other));
    assert!(
        !verifies(&road_token, &other),
        "A's token fails with B's JWKS"
    );
    assert!(
        !verifies(&other_token, &road),
        "B's token fails with A's JWKS"
    );
    server.stop().await;

    // The keys are kept: after a restart, the same JWKS.
    let server = spawn_with(setup(tenants)).await;
    assert_eq!(jwks(&server, "testco").await, road);
    assert_eq!(jwks(&server, "otherhelp").await, other);
    server.stop().await;
}

#[tokio::test]
async fn keys_are_sealed_with_a_private_key_file_and_the_database_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let key_file = dir.path().join("j.db.key");
    let server = spawn_with(Setup {
        db: &db,
        dev: true,
        tenants: two_tenants(dir.path()),
    })
    .await;
    let road = jwks(&server, "testco").await;
    server.stop().await;
    for file in ["j.db", "j.db-wal", "j.db-shm", "j.db.key"] {
        let path = dir.path().join(file);
        if file != "j.db-wal" && file != "j.db-shm" || path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    let master = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(master.trim().len(), 64, "32 bytes in hex");

    let connection = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, String, Vec<u8>)> = connection
        .prepare("SELECT tenant, kid, sealed FROM tenant_keys ORDER BY tenant")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let tenants: Vec<&str> = rows.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(tenants, ["otherhelp", "testco"]);
    assert_eq!(rows[1].1, road[0]["kid"].as_str().unwrap());
    // Nonce, 32 sealed bytes, tag: not a bare 32-byte secret.
    assert!(
        rows.iter()
            .all(|(_, _, sealed)| sealed.len() == 24 + 32 + 16)
    );
    let old_table: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'signing_keys'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(old_table, 0, "no key in clear is left");
    drop(connection);

    // Another key file does not open the keys.
    let config = config(&db, true);
    std::fs::write(&key_file, format!("{}\n", "ab".repeat(32))).unwrap();
    let error = start_error(config.clone()).await;
    assert!(error.contains("does not open with key file"), "{error}");

    // A key file others may read is refused, with the fix.
    std::fs::write(&key_file, master).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = start_error(config.clone()).await;
    assert!(
        error.contains(&format!("key file {}", key_file.display())) && error.contains("chmod 600"),
        "{error}"
    );

    // Without the key file, the sealed keys are unusable: no new key file is made.
    std::fs::remove_file(&key_file).unwrap();
    let error = start_error(config).await;
    assert!(error.contains("restore the key file"), "{error}");
    assert!(!key_file.exists());
}

fn config(db: &Path, create_db: bool) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://127.0.0.1:1".into(),
        db: journey_store::DatabaseUrl::Sqlite(db.to_owned()),
        key_file: journey_server::keys::beside(db),
        create_db,
        tenants: fixture_tenants(),
        locales: root().join("locales"),
        static_dir: None,
        dev: true,
        ..Config::default()
    }
}

async fn start_error(config: Config) -> String {
    let clock = std::sync::Arc::new(journey_server::state::SystemClock);
    match journey_server::build_state(config, clock).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_database_is_created_only_when_asked_and_never_beside_an_orphaned_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let error = start_error(config(&db, false)).await;
    assert_eq!(
        error,
        format!(
            "database {} does not exist; pass --create-db to create a new one",
            db.display()
        )
    );
    assert!(!db.exists(), "nothing was created");

    // A key file without its database: the database that existed is gone.
    std::fs::write(dir.path().join("j.db.key"), "00".repeat(32)).unwrap();
    for create_db in [false, true] {
        let error = start_error(config(&db, create_db)).await;
        assert!(
            error.contains("but its key file")
                && error.contains("has gone")
                && error.contains(&format!("remove {}", dir.path().join("j.db.key").display())),
            "{error}"
        );
        assert!(!db.exists(), "nothing was created");
    }
}

/// The real binary, its stderr captured.
fn launch(dir: &Path, port: u16, create_db: bool) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_journey-server"));
    command
        .args(["--listen", &format!("127.0.0.1:{port}"), "--db"])
        .arg(dir.join("j.db"))
        .arg("--tenants")
        .arg(fixture_tenants())
        .arg("--locales")
        .arg(root().join("locales"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if create_db {
        command.arg("--create-db");
    }
    command.spawn().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_ready(port: u16) {
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http
            .get(format!("http://127.0.0.1:{port}/healthz"))
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

/// Waits at most `limit` for `child` to exit; its exit status and stderr.
async fn exit_of(mut child: Child, limit: Duration) -> (std::process::ExitStatus, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                pipe.read_to_string(&mut stderr).unwrap();
            }
            return (status, stderr);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not stop within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_server_whose_database_file_is_deleted_or_replaced_stops_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");

    // Without --create-db, a missing database stops the start.
    let (status, stderr) = exit_of(
        launch(dir.path(), free_port(), false),
        Duration::from_secs(10),
    )
    .await;
    assert!(!status.success());
    assert!(stderr.contains("pass --create-db"), "{stderr}");
    assert!(!db.exists());

    // Deleted while running (with its -wal and -shm).
    let port = free_port();
    let server = launch(dir.path(), port, true);
    wait_ready(port).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("j.db{suffix}")));
    }
    let (status, stderr) = exit_of(server, Duration::from_secs(10)).await;
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "database {} is no longer the one opened",
            db.display()
        )) && stderr.contains("deleted"),
        "{stderr}"
    );

    // Its key file is still there, so even --create-db does not make an empty one.
    let (status, stderr) = exit_of(
        launch(dir.path(), free_port(), true),
        Duration::from_secs(10),
    )
    .await;
    assert!(!status.success());
    assert!(stderr.contains("has gone"), "{stderr}");
    std::fs::remove_file(dir.path().join("j.db.key")).unwrap();

    // Replaced by another database while running.
    let port = free_port();
    let server = launch(dir.path(), port, true);
    wait_ready(port).await;
    let other = dir.path().join("other.db");
    drop(journey_store::SqliteStore::open(&other, journey_store::Create::IfMissing).unwrap());
    std::fs::rename(&other, &db).unwrap();
    let (status, stderr) = exit_of(server, Duration::from_secs(10)).await;
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "database {} is no longer the one opened",
            db.display()
        )) && stderr.contains("replaced"),
        "{stderr}"
    );

    // The database (now the other one) is there: a restart without --create-db works.
    std::fs::remove_file(dir.path().join("j.db.key")).unwrap();
    let port = free_port();
    let mut server = launch(dir.path(), port, false);
    wait_ready(port).await;
    let (status, body) = {
        let response = reqwest::get(format!(
            "http://127.0.0.1:{port}/v1/testco/.well-known/jwks.json"
        ))
        .await
        .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK, "{body}");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn once_the_database_file_is_gone_requests_are_refused_not_written_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = crate::support::spawn(&db).await;
    server.start("registration").await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("j.db{suffix}")));
    }
    let started = Instant::now();
    loop {
        let (status, body, _) = server
            .post("/v1/testco/journeys/registration", json!({}))
            .await;
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            assert_eq!(crate::support::code_of(&body), "internal", "{body}");
            break;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            started.elapsed() < journey_server::watchdog::INTERVAL * 3,
            "still served after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!db.exists(), "no new file was made");
    server.stop().await;
}

/// The key id in `token`'s header.
fn kid_of(token: &str) -> String {
    let header = token.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

fn kids(keys: &[Value]) -> Vec<String> {
    keys.iter()
        .map(|key| key["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn keys_rotate_on_every_replica_alike_published_before_they_sign_and_after_their_last_token()
{
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let setup = || Setup {
        db: &db,
        dev: true,
        tenants: crate::support::fixture_tenants(),
    };
    // Two servers on one database, as two replicas, each with its own clock moved alike.
    let (a, b) = (spawn_with(setup()).await, spawn_with(setup()).await);
    let advance = |seconds| {
        a.clock.advance(seconds);
        b.clock.advance(seconds);
    };
    let first = jwks(&a, "testco").await;
    assert_eq!(first.len(), 1);
    assert_eq!(
        jwks(&b, "testco").await,
        first,
        "the replicas share the key"
    );
    let k1 = kids(&first).remove(0);
    let response = a
        .http
        .get(format!("{}/v1/testco/.well-known/jwks.json", a.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=300",
        "verifiers may cache it for less than a new key waits before it signs"
    );
    assert_eq!(kid_of(&token_of(&b, "testco", "t0@example.com").await), k1);

    // Thirty days on, the next key is made and published, but does not sign yet.
    advance(30 * 24 * 3600);
    let both = jwks(&a, "testco").await;
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(kids(&both)[0], k1);
    let k2 = kids(&both).remove(1);
    assert_eq!(
        jwks(&b, "testco").await,
        both,
        "the other replica finds the same new key, not one of its own"
    );
    let old_token = token_of(&b, "testco", "t1@example.com").await;
    assert_eq!(kid_of(&old_token), k1, "a new key waits before it signs");

    // An hour later (a verifier's cached JWKS has the new key by then) the new key signs,
    // on both replicas; the old one stays published while its tokens may be alive.
    advance(3600);
    for (server, email) in [(&a, "t2@example.com"), (&b, "t3@example.com")] {
        let token = token_of(server, "testco", email).await;
        assert_eq!(kid_of(&token), k2);
        assert!(verifies(&token, &jwks(server, "testco").await));
    }
    let still = jwks(&b, "testco").await;
    assert_eq!(kids(&still), [k1.clone(), k2.clone()]);
    assert!(
        verifies(&old_token, &still),
        "the old key's last tokens verify"
    );

    // Once the last token the old key signed has expired (five minutes, and a minute for the
    // replicas' clocks), it is no longer published; the new key goes on.
    advance(5 * 60);
    assert_eq!(kids(&jwks(&a, "testco").await), [k1, k2.clone()]);
    advance(60);
    for server in [&a, &b] {
        assert_eq!(
            kids(&jwks(server, "testco").await),
            std::slice::from_ref(&k2)
        );
    }
    a.stop().await;
    b.stop().await;

    // And after a restart, too.
    let c = spawn_with(setup()).await;
    c.clock.advance(30 * 24 * 3600 + 3600 + 360);
    assert_eq!(kids(&jwks(&c, "testco").await), std::slice::from_ref(&k2));
    assert_eq!(kid_of(&token_of(&c, "testco", "t4@example.com").await), k2);
    c.stop().await;
}
