//! The store contract run against SQLite files, and what only SQLite has: a private file
//! created only when asked, a file deleted or replaced under a running store, what the file
//! itself keeps of an erased message, and databases that an older release left.

use crate::contract::{self, Backend, Task};
use journey_store::{Create, Credentials, Quota, SqliteStore, Store, StoreError, Window};
use std::path::PathBuf;

/// An empty SQLite file in a directory of its own; every handle opens it anew.
struct Sqlite {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Backend for Sqlite {
    fn connect(&self) -> Task<'_, Box<dyn Store>> {
        Box::pin(async { Box::new(SqliteStore::open(&self.path, Create::Never).unwrap()) as _ })
    }
}

async fn fresh() -> Option<Sqlite> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    drop(SqliteStore::open(&path, Create::IfMissing).unwrap());
    Some(Sqlite { path, _dir: dir })
}

mod suite {
    crate::contract::suite!(super::fresh);
}

/// Removes a file that may be absent (a -wal or -shm file SQLite may not have made yet).
fn remove_if_present(path: &std::path::Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("removing {}: {e}", path.display()),
    }
}

#[tokio::test]
async fn a_missing_database_is_created_only_when_asked_and_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    assert!(matches!(
        SqliteStore::open(&path, Create::Never),
        Err(StoreError::Missing(_))
    ));
    assert!(!path.exists(), "a refused open creates nothing");
    let store = SqliteStore::open(&path, Create::IfMissing).unwrap();
    store
        .create_flow(contract::flow("f"), vec![])
        .await
        .unwrap();
    for file in ["j.db", "j.db-wal", "j.db-shm"] {
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
}

#[tokio::test]
async fn a_deleted_or_replaced_database_is_noticed_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let store = SqliteStore::open(&path, Create::IfMissing).unwrap();
    store.check_identity().await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        remove_if_present(&dir.path().join(format!("j.db{suffix}")));
    }
    assert!(matches!(
        store.check_identity().await,
        Err(StoreError::Lost { .. })
    ));
    assert!(
        matches!(
            store.create_flow(contract::flow("g"), vec![]).await,
            Err(StoreError::Lost { .. })
        ),
        "no write goes to the deleted file"
    );

    // Another database moved into its place.
    let path = dir.path().join("k.db");
    let store = SqliteStore::open(&path, Create::IfMissing).unwrap();
    drop(SqliteStore::open(&dir.path().join("other.db"), Create::IfMissing).unwrap());
    std::fs::rename(dir.path().join("other.db"), &path).unwrap();
    assert!(matches!(
        store.check_identity().await,
        Err(StoreError::Lost { .. })
    ));
    assert!(
        !dir.path().join("k.db-wal").exists(),
        "the old write-ahead log must not be applied to the new file"
    );

    // Another database copied over it in place (same inode).
    let path = dir.path().join("l.db");
    let store = SqliteStore::open(&path, Create::IfMissing).unwrap();
    let other = dir.path().join("m.db");
    drop(SqliteStore::open(&other, Create::IfMissing).unwrap());
    store.check_identity().await.unwrap();
    drop(store);
    let store = SqliteStore::open(&path, Create::Never).unwrap();
    std::fs::copy(&other, &path).unwrap();
    assert!(store.check_identity().await.is_err());
}

#[tokio::test]
async fn a_dropped_message_keeps_no_code_in_the_file() {
    let backend = fresh().await.unwrap();
    let store = backend.connect().await;
    contract::outbox::a_message_whose_code_expired_is_never_handed_out(&*store).await;
    let body: String = rusqlite::Connection::open(&backend.path)
        .unwrap()
        .query_row(
            "SELECT subject || body || html FROM outbox WHERE recipient = 'a@x.test'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(body, "", "the dropped message keeps no code");
}

/// A database as the release before account identifiers left it (its first three schema
/// scripts), with an account and quota events: after the migration the account logs in as
/// before, gets its email as an identifier, and the quotas still count.
#[tokio::test]
async fn a_database_from_before_account_identifiers_keeps_its_logins_and_quotas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    {
        let old = rusqlite::Connection::open(&path).unwrap();
        for script in &SqliteStore::schema_scripts()[..3] {
            old.execute_batch(script).unwrap();
        }
        old.pragma_update(None, "user_version", 3).unwrap();
        old.execute_batch(
            "INSERT INTO accounts (subject, tenant, email, attributes, password_hash)
             VALUES ('s1', 't', 'a@x.test', '{}', '$argon2id$old');
             INSERT INTO accounts (subject, tenant, email, attributes, password_hash)
             VALUES ('s2', 'u', 'a@x.test', '{}', '$argon2id$other');
             INSERT INTO quota_events (tenant, key, at)
             VALUES ('t', 'code:a', 100), ('t', 'code:a', 200), ('t', 'code:b', 150);",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path, Create::Never).unwrap();
    assert!(store.account_exists("t", "a@x.test").await.unwrap());
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        Some(Credentials {
            subject: "s1".into(),
            password_hash: Some("$argon2id$old".into()),
        })
    );
    assert_eq!(
        store
            .credentials("u", "a@x.test")
            .await
            .unwrap()
            .map(|c| c.subject),
        Some("s2".into())
    );
    // The email moved in as a verified identifier, and a second account cannot take it.
    let (kind, verified): (String, bool) = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT kind, verified FROM account_identifiers WHERE subject = 's1'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), verified), ("email", true));
    let result = store
        .create_flow(
            contract::flow("f"),
            vec![contract::account("a@x.test", "s3")],
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::Duplicate(_))),
        "{result:?}"
    );

    let windows = [Window {
        seconds: 3600,
        max: 2,
    }];
    assert_eq!(
        store
            .claim_quota("t", &["code:a".to_owned()], 300, &windows)
            .await
            .unwrap(),
        Quota::Exhausted { until: 3700 }
    );
    assert_eq!(
        store
            .claim_quota("t", &["code:b".to_owned()], 300, &windows)
            .await
            .unwrap(),
        Quota::Granted
    );
    drop(store);
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(
        usize::try_from(version).unwrap(),
        SqliteStore::schema_scripts().len()
    );
}

fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_new_database_gets_every_script_and_a_current_one_is_left_as_it_is() {
    let backend = fresh().await.unwrap();
    let known = i64::try_from(SqliteStore::schema_scripts().len()).unwrap();
    assert_eq!(user_version(&backend.path), known);
    let store = backend.connect().await;
    store
        .create_flow(contract::flow("f"), vec![])
        .await
        .unwrap();
    drop(store);
    let store = backend.connect().await;
    assert_eq!(user_version(&backend.path), known);
    assert!(store.flow("f").await.unwrap().is_some());
}

#[tokio::test]
async fn a_database_newer_than_this_build_is_refused_and_left_alone() {
    let backend = fresh().await.unwrap();
    let known = SqliteStore::schema_scripts().len();
    let newer = i64::try_from(known + 1).unwrap();
    rusqlite::Connection::open(&backend.path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let refused = SqliteStore::open(&backend.path, Create::Never);
    let message = refused.as_ref().err().map(ToString::to_string);
    assert!(
        matches!(refused, Err(StoreError::SchemaTooNew { found, known: k }) if found == newer && k == known),
        "{message:?}"
    );
    assert_eq!(
        message.unwrap(),
        format!(
            "the database is at schema version {newer}, this server knows up to {known}: upgrade the server"
        )
    );
    assert_eq!(user_version(&backend.path), newer, "nothing was changed");
}

/// The write-ahead log is checkpointed in the background, so it is reused rather than growing
/// with every write (the store's own connection never checkpoints), and folded into the file
/// when the store closes.
#[tokio::test]
async fn the_write_ahead_log_is_checkpointed_in_the_background_and_folded_in_at_close() {
    let backend = fresh().await.unwrap();
    let store = backend.connect().await;
    let wal = backend.path.with_extension("db-wal");
    let burst = |round: usize| {
        let store = &store;
        async move {
            let writes = (0..400)
                .map(|i| {
                    let id = format!("r{round}-{i}");
                    let mut flow = contract::flow(&id);
                    // About a page per flow, so that a burst is hundreds of pages.
                    flow.state = format!("{{\"pad\":\"{}\"}}", "x".repeat(3000));
                    Box::pin(async move { store.create_flow(flow, vec![]).await.unwrap() })
                        as Task<'_, ()>
                })
                .collect();
            contract::all(writes).await;
        }
    };
    let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    burst(0).await;
    let first = size();
    assert!(
        first > 400 * 3000,
        "the burst went into the log: {first} bytes"
    );
    for round in 1..4 {
        // Several checkpoint periods: the log is copied into the file, and the next writes
        // start it again from the beginning.
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        burst(round).await;
    }
    let last = size();
    assert!(
        last < first * 2,
        "four bursts grew the log from {first} to {last} bytes: nothing checkpointed it"
    );
    drop(store);
    assert!(!wal.exists(), "the log is folded into the file at close");
    let store = backend.connect().await;
    assert!(store.flow("r3-399").await.unwrap().is_some());
}

/// Under writes that never pause, a passive checkpoint alone never lets the log start over;
/// past its limit the log is restarted, so it stays about that size instead of growing with
/// everything written. (Checkpoints every 20 ms and a limit of 1 MiB here, so that a few seconds
/// of writes show it.)
#[tokio::test]
async fn under_sustained_writes_the_write_ahead_log_stays_bounded() {
    const LIMIT: i64 = 256;
    let backend = fresh().await.unwrap();
    let every = std::time::Duration::from_millis(20);
    let store =
        SqliteStore::open_with_checkpoints(&backend.path, Create::Never, every, LIMIT).unwrap();
    let wal = backend.path.with_extension("db-wal");
    let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let until = std::time::Instant::now() + std::time::Duration::from_millis(2500);
    let (mut largest, mut round) = (0_u64, 0_usize);
    while std::time::Instant::now() < until {
        // Sixteen at a time, so that the writes queue up as under load and never pause.
        let writes = (0..16)
            .map(|i| {
                let mut flow = contract::flow(&format!("w{round}-{i}"));
                flow.state = format!("{{\"pad\":\"{}\"}}", "x".repeat(500));
                let store = &store;
                Box::pin(async move { store.create_flow(flow, vec![]).await.unwrap() })
                    as Task<'_, ()>
            })
            .collect();
        contract::all(writes).await;
        largest = largest.max(size());
        round += 1;
    }
    drop(store);
    let written = std::fs::metadata(&backend.path).unwrap().len();
    // Without the restart the log holds every page ever written, several times the database
    // (four times in 2.5 s here); with it, the log is about the limit and what came in while a
    // checkpoint ran.
    assert!(
        written > 16 << 20,
        "the test wrote too little to tell: a {written}-byte database"
    );
    assert!(
        largest < written * 3 / 2,
        "the log grew to {largest} bytes with a {written}-byte database: it was never restarted"
    );
}

/// The consent history cannot be changed or shortened, not even with SQL on the file.
#[tokio::test]
async fn consents_are_append_only_in_the_file() {
    let backend = fresh().await.unwrap();
    let store = backend.connect().await;
    store
        .create_flow(
            contract::flow("f"),
            vec![contract::account("a@x.test", "s1")],
        )
        .await
        .unwrap();
    let accepted = contract::consents::consent("terms", "1", journey_store::Decision::Accepted, 20);
    store
        .save_flow(
            contract::update("f", 0, "s1"),
            vec![journey_store::Write::Consent(accepted.clone())],
        )
        .await
        .unwrap();
    let sql = rusqlite::Connection::open(&backend.path).unwrap();
    for statement in [
        "UPDATE consents SET decision = 'refused'",
        "UPDATE consents SET version = '0'",
        "DELETE FROM consents",
    ] {
        let result = sql.execute(statement, []);
        let error = result.as_ref().err().map(ToString::to_string);
        assert!(
            error.as_deref().is_some_and(|e| e.contains("append-only")),
            "{statement}: {result:?}"
        );
    }
    let refused = sql.execute(
        "INSERT INTO consents (tenant, subject, kind, item, version, locale, decision, brand, channel, at)
         VALUES ('t', 's1', 'purpose', 'marketing', '1', 'en', 'accepted', 'b', 'web', 1)",
        [],
    );
    assert!(
        refused.is_err(),
        "a purpose is granted or withdrawn, never accepted"
    );
    assert_eq!(store.consents("t", "s1").await.unwrap(), vec![accepted]);
}
