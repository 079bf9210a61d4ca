//! The store contract, run against a real SQLite file. A PostgreSQL store must pass the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use journey_store::{Claim, FlowRecord, FlowUpdate, NewMessage, Saved, SqliteStore, Store, Write};

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
        hourly_cap: None,
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
        now: 20,
    }
}

#[tokio::test]
async fn a_save_at_a_stale_revision_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
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
        .undelivered(10)
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
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
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
        store.undelivered(10).await.unwrap().is_empty(),
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
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
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
    for m in store.undelivered(2).await.unwrap() {
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
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
    let block = |n: u32| if n >= 3 { 60 } else { 0 };
    for failures in 1..=3 {
        assert_eq!(
            store
                .claim_login_attempt("t", "a@x.test", 100, block)
                .await
                .unwrap(),
            Claim::Granted { failures }
        );
    }
    assert_eq!(
        store
            .claim_login_attempt("t", "a@x.test", 120, block)
            .await
            .unwrap(),
        Claim::Blocked { until: 160 }
    );
    // Another identifier is not affected.
    assert_eq!(
        store
            .claim_login_attempt("t", "b@x.test", 120, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
    assert_eq!(
        store
            .claim_login_attempt("t", "a@x.test", 160, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 4 }
    );
    store.record_login_success("t", "a@x.test").await.unwrap();
    assert_eq!(
        store
            .claim_login_attempt("t", "a@x.test", 161, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
}

#[tokio::test]
async fn parallel_claims_cannot_outrun_the_block() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
    let block = |n: u32| if n >= 5 { 60 } else { 0 };
    let claims = (0..50).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .claim_login_attempt("t", "a@x.test", 100, block)
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
async fn data_and_the_signing_key_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let first = {
        let store = SqliteStore::open(&path).unwrap();
        store.create_flow(flow("f"), vec![]).await.unwrap();
        store
            .remember_journey("v1", "t", "j", "start = 'a'")
            .await
            .unwrap();
        store.signing_key(("k1".into(), vec![1; 32])).await.unwrap()
    };
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.signing_key(("k2".into(), vec![2; 32])).await.unwrap(),
        first
    );
    assert_eq!(first.0, "k1");
    assert!(store.flow("f").await.unwrap().is_some());
    assert_eq!(
        store.journey_source("v1").await.unwrap().as_deref(),
        Some("start = 'a'")
    );
    assert_eq!(store.purge(101).await.unwrap(), 1);
    assert!(store.flow("f").await.unwrap().is_none());
}

#[tokio::test]
async fn the_hourly_cap_drops_messages_beyond_it_per_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
    let capped = |to: &str, at: i64| {
        Write::Enqueue(NewMessage {
            tenant: "t".into(),
            flow_id: None,
            channel: "email".into(),
            recipient: to.into(),
            subject: "s".into(),
            body: "b".into(),
            created_at: at,
            hourly_cap: Some(2),
        })
    };
    let writes = vec![
        capped("a@x.test", 100),
        capped("a@x.test", 200),
        capped("a@x.test", 300),
        capped("b@x.test", 300),
    ];
    store.create_flow(flow("f"), writes).await.unwrap();
    let to: Vec<_> = store
        .undelivered(10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert_eq!(to, ["a@x.test", "a@x.test", "b@x.test"]);
    // An hour later the recipient may get messages again.
    store
        .save_flow(update("f", 0, "s"), vec![capped("a@x.test", 3701)])
        .await
        .unwrap();
    assert_eq!(store.undelivered(10).await.unwrap().len(), 4);
}

#[tokio::test]
async fn delivered_bodies_can_be_erased_and_old_rows_are_purged() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("j.db")).unwrap();
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
    let queued = store.undelivered(10).await.unwrap();
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
        .claim_login_attempt("t", "disabled@x.test", 10, block)
        .await
        .unwrap();
    store
        .claim_login_attempt("t", "old@x.test", 10, |_| 0)
        .await
        .unwrap();
    // Before 50: the flow (expires 100) and the disabled throttle stay; the message (created 10),
    // and the old throttle (blocked until 10) go.
    assert_eq!(store.purge(50).await.unwrap(), 3);
    assert!(store.flow("f").await.unwrap().is_some());
    assert!(matches!(
        store
            .claim_login_attempt("t", "disabled@x.test", 60, block)
            .await
            .unwrap(),
        Claim::Blocked { .. }
    ));
    assert_eq!(
        store
            .claim_login_attempt("t", "old@x.test", 60, |_| 0)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
}
