//! The store contract, run against a real SQLite file. A PostgreSQL store must pass the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use journey_store::{
    Claim, Create, FlowRecord, FlowUpdate, NewMessage, Quota, Saved, SqliteStore, Store,
    StoreError, Window, Write,
};

fn flow(id: &str) -> FlowRecord {
    FlowRecord {
        id: id.into(),
        tenant: "t".into(),
        journey: "j".into(),
        journey_version: "v1".into(),
        brand: "b".into(),
        locale: "en".into(),
        state: "{\"step\":\"a\"}".into(),
        outcome: None,
        revision: 0,
        created_at: 10,
        expires_at: 100,
        nonce: None,
    }
}

fn message(to: &str, body: &str) -> Write {
    Write::Enqueue(NewMessage {
        tenant: "t".into(),
        flow_id: None,
        channel: "email".into(),
        recipient: to.into(),
        subject: "s".into(),
        body: body.into(),
        created_at: 10,
        expires_at: None,
    })
}

fn account(email: &str, subject: &str) -> Write {
    Write::CreateAccount {
        tenant: "t".into(),
        subject: subject.into(),
        email: email.into(),
        attributes: "{}".into(),
        password_hash: "$argon2id$x".into(),
    }
}

fn update(id: &str, revision: i64, state: &str) -> FlowUpdate {
    FlowUpdate {
        id: id.into(),
        revision,
        state: state.into(),
        outcome: None,
        id_token: None,
        now: 20,
    }
}

#[tokio::test]
async fn a_save_at_a_stale_revision_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    store
        .create_flow(flow("f"), vec![message("a@x.test", "first")])
        .await
        .unwrap();
    assert_eq!(
        store
            .save_flow(update("f", 0, "s1"), vec![message("a@x.test", "second")])
            .await
            .unwrap(),
        Saved::Saved
    );
    // A replay of the same submission still holds revision 0: it loses, and sends nothing.
    assert_eq!(
        store
            .save_flow(update("f", 0, "s2"), vec![message("a@x.test", "third")])
            .await
            .unwrap(),
        Saved::Conflict
    );
    assert_eq!(
        store
            .save_flow(update("missing", 0, "s"), vec![])
            .await
            .unwrap(),
        Saved::Conflict
    );
    let saved = store.flow("f").await.unwrap().unwrap();
    assert_eq!((saved.state.as_str(), saved.revision), ("s1", 1));
    let bodies: Vec<_> = store
        .undelivered(10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["first", "second"]);
}

#[tokio::test]
async fn a_failing_write_rolls_back_the_whole_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    store
        .create_flow(flow("f"), vec![account("a@x.test", "s1")])
        .await
        .unwrap();
    let result = store
        .save_flow(
            update("f", 0, "new"),
            vec![message("a@x.test", "m"), account("a@x.test", "s2")],
        )
        .await;
    assert!(matches!(
        result,
        Err(journey_store::StoreError::Duplicate(_))
    ));
    let saved = store.flow("f").await.unwrap().unwrap();
    assert_eq!(saved.revision, 0, "the flow keeps its state");
    assert!(
        store.undelivered(10, 0).await.unwrap().is_empty(),
        "the message is not queued"
    );
    assert!(store.account_exists("t", "a@x.test").await.unwrap());
    assert!(!store.account_exists("other", "a@x.test").await.unwrap());
    assert_eq!(
        store
            .credentials("t", "a@x.test")
            .await
            .unwrap()
            .map(|c| c.subject),
        Some("s1".into())
    );
}

#[tokio::test]
async fn the_outbox_lists_delivered_messages_newest_first_per_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    store
        .create_flow(
            flow("f"),
            vec![
                message("a@x.test", "1"),
                message("b@x.test", "2"),
                message("a@x.test", "3"),
            ],
        )
        .await
        .unwrap();
    for m in store.undelivered(2, 0).await.unwrap() {
        store.mark_delivered(m.id, 30, true).await.unwrap();
    }
    let all: Vec<_> = store
        .delivered(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(all, ["2", "1"], "only delivered ones, newest first");
    let a: Vec<_> = store
        .delivered(Some("a@x.test"), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(a, ["1"]);
}

#[tokio::test]
async fn login_attempts_are_claimed_until_blocked_and_a_success_clears_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    let block = |n: u32| if n >= 3 { 60 } else { 0 };
    for failures in 1..=3 {
        assert_eq!(
            store
                .claim_login_attempt("t", &["a@x.test".to_owned()], 100, block)
                .await
                .unwrap(),
            Claim::Granted { failures }
        );
    }
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 120, block)
            .await
            .unwrap(),
        Claim::Blocked { until: 160 }
    );
    // Another identifier is not affected.
    assert_eq!(
        store
            .claim_login_attempt("t", &["b@x.test".to_owned()], 120, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 160, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 4 }
    );
    store
        .record_login_success("t", &["a@x.test".to_owned()])
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 161, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
}

#[tokio::test]
async fn parallel_claims_cannot_outrun_the_block() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    let block = |n: u32| if n >= 5 { 60 } else { 0 };
    let claims = (0..50).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .claim_login_attempt("t", &["a@x.test".to_owned()], 100, block)
                .await
                .unwrap()
        })
    });
    let mut granted = 0;
    for claim in claims {
        if matches!(claim.await.unwrap(), Claim::Granted { .. }) {
            granted += 1;
        }
    }
    assert_eq!(granted, 5, "50 parallel attempts, at most 5 checked");
}

#[tokio::test]
async fn data_and_the_tenant_keys_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let first = {
        let store = SqliteStore::open(&path, Create::IfMissing).unwrap();
        store.create_flow(flow("f"), vec![]).await.unwrap();
        store
            .remember_journey("v1", "t", "j", "start = 'a'")
            .await
            .unwrap();
        assert!(!store.has_tenant_keys().await.unwrap());
        store
            .tenant_key("t", ("k1".into(), vec![1; 40]), 1)
            .await
            .unwrap()
    };
    let store = SqliteStore::open(&path, Create::Never).unwrap();
    assert!(store.has_tenant_keys().await.unwrap());
    assert_eq!(
        store
            .tenant_key("t", ("k2".into(), vec![2; 40]), 2)
            .await
            .unwrap(),
        first
    );
    assert_eq!(first, ("k1".to_owned(), vec![1; 40]));
    let other = store
        .tenant_key("u", ("k3".into(), vec![3; 40]), 3)
        .await
        .unwrap();
    assert_eq!(other.0, "k3", "each tenant has its own key");
    assert!(store.flow("f").await.unwrap().is_some());
    assert_eq!(
        store.journey_source("v1").await.unwrap().as_deref(),
        Some("start = 'a'")
    );
    assert_eq!(store.purge(101).await.unwrap(), 1);
    assert!(store.flow("f").await.unwrap().is_none());
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
    store.create_flow(flow("f"), vec![]).await.unwrap();
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
        let _ = std::fs::remove_file(dir.path().join(format!("j.db{suffix}")));
    }
    assert!(matches!(
        store.check_identity().await,
        Err(StoreError::Lost { .. })
    ));
    assert!(
        matches!(
            store.create_flow(flow("g"), vec![]).await,
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
async fn quotas_count_per_key_across_windows_and_parallel_claims_cannot_outrun_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    let windows = [
        Window {
            seconds: 3600,
            max: 2,
        },
        Window {
            seconds: 86_400,
            max: 3,
        },
    ];
    let a = ["code:a".to_owned()];
    let claim = |keys: &'static [&'static str], at: i64| {
        let store = store.clone();
        async move {
            let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
            store.claim_quota("t", &keys, at, &windows).await.unwrap()
        }
    };
    assert_eq!(claim(&["code:a"], 100).await, Quota::Granted);
    assert_eq!(claim(&["code:a"], 200).await, Quota::Granted);
    // The hour is full until the first event leaves it; nothing was counted meanwhile.
    assert_eq!(
        claim(&["code:a"], 300).await,
        Quota::Exhausted { until: 3700 }
    );
    assert_eq!(claim(&["code:b"], 300).await, Quota::Granted, "per key");
    assert_eq!(
        store.claim_quota("other", &a, 300, &windows).await.unwrap(),
        Quota::Granted,
        "per tenant"
    );
    assert_eq!(claim(&["code:a"], 3700).await, Quota::Granted);
    // Now the day is full (3 events) until the first leaves it.
    assert_eq!(
        claim(&["code:a"], 7300).await,
        Quota::Exhausted { until: 86_500 }
    );
    // All or nothing: a full key refuses the claim for the other keys too.
    assert!(matches!(
        claim(&["code:c", "code:a"], 7300).await,
        Quota::Exhausted { .. }
    ));
    assert_eq!(claim(&["code:c"], 7300).await, Quota::Granted);
    // A released event gives its room back.
    store
        .create_flow(
            flow("f"),
            vec![Write::ReleaseQuota {
                tenant: "t".into(),
                key: "code:a".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(claim(&["code:a"], 7300).await, Quota::Granted);

    let parallel = (0..50).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .claim_quota("t", &["code:p".to_owned()], 500, &windows)
                .await
                .unwrap()
        })
    });
    let mut granted = 0;
    for claim in parallel {
        if claim.await.unwrap() == Quota::Granted {
            granted += 1;
        }
    }
    assert_eq!(granted, 2, "50 parallel claims, the hour allows 2");
    // Purging removes events older than a day.
    store.purge(90_000).await.unwrap();
    assert_eq!(claim(&["code:a"], 90_000).await, Quota::Granted);
}

#[tokio::test]
async fn a_message_whose_code_expired_is_never_handed_out_and_its_body_is_erased() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    let expiring = |to: &str, expires_at| {
        Write::Enqueue(NewMessage {
            tenant: "t".into(),
            flow_id: None,
            channel: "email".into(),
            recipient: to.into(),
            subject: "Your code".into(),
            body: "code 123456".into(),
            created_at: 10,
            expires_at,
        })
    };
    store
        .create_flow(
            flow("f"),
            vec![expiring("a@x.test", Some(600)), expiring("b@x.test", None)],
        )
        .await
        .unwrap();
    let to = |messages: Vec<journey_store::OutboxMessage>| {
        messages
            .into_iter()
            .map(|m| m.recipient)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        to(store.undelivered(10, 599).await.unwrap()),
        ["a@x.test", "b@x.test"]
    );
    assert_eq!(
        to(store.undelivered(10, 600).await.unwrap()),
        ["b@x.test"],
        "not sent late even before the sweep"
    );
    assert_eq!(store.drop_expired(600).await.unwrap(), 1);
    assert_eq!(store.drop_expired(700).await.unwrap(), 0);
    let body: String = rusqlite::Connection::open(dir.path().join("j.db"))
        .unwrap()
        .query_row(
            "SELECT subject || body FROM outbox WHERE recipient = 'a@x.test'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(body, "", "the dropped message keeps no code");
}

#[tokio::test]
async fn an_id_token_is_handed_out_once_within_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    for id in ["f", "g"] {
        store.create_flow(flow(id), vec![]).await.unwrap();
        let mut done = update(id, 0, "done");
        done.id_token = Some(format!("token-{id}"));
        store.save_flow(done, vec![]).await.unwrap();
    }
    // Completed at 20 (the update's `now`).
    assert_eq!(
        store.take_id_token("f", 80, 60).await.unwrap().as_deref(),
        Some("token-f")
    );
    assert_eq!(store.take_id_token("f", 80, 60).await.unwrap(), None);
    assert_eq!(
        store.take_id_token("g", 81, 60).await.unwrap(),
        None,
        "past the window"
    );
    assert_eq!(store.forget_id_tokens(100).await.unwrap(), 0, "g's went");
}

#[tokio::test]
async fn delivered_bodies_can_be_erased_and_old_rows_are_purged() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db"), Create::IfMissing).unwrap();
    store
        .create_flow(
            flow("f"),
            vec![
                message("a@x.test", "code 123456"),
                message("b@x.test", "code 654321"),
            ],
        )
        .await
        .unwrap();
    let queued = store.undelivered(10, 0).await.unwrap();
    store.mark_delivered(queued[0].id, 20, false).await.unwrap();
    store.mark_delivered(queued[1].id, 20, true).await.unwrap();
    let bodies: Vec<_> = store
        .delivered(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["code 654321", ""], "the erased one keeps no code");

    let block = |_: u32| 1_000_000;
    store
        .claim_login_attempt("t", &["disabled@x.test".to_owned()], 10, block)
        .await
        .unwrap();
    store
        .claim_login_attempt("t", &["old@x.test".to_owned()], 10, |_| 0)
        .await
        .unwrap();
    // Before 50: the flow (expires 100) and the disabled throttle stay; the message (created 10),
    // and the old throttle (blocked until 10) go.
    assert_eq!(store.purge(50).await.unwrap(), 3);
    assert!(store.flow("f").await.unwrap().is_some());
    assert!(matches!(
        store
            .claim_login_attempt("t", &["disabled@x.test".to_owned()], 60, block)
            .await
            .unwrap(),
        Claim::Blocked { .. }
    ));
    assert_eq!(
        store
            .claim_login_attempt("t", &["old@x.test".to_owned()], 60, |_| 0)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
}
