//! Contract cases of the outbox: delivered messages newest first, expired codes never sent,
//! bodies erased, and what `purge` removes and keeps.

use super::{flow, message};
use journey_store::{Claim, NewMessage, OutboxMessage, Store, Write};

pub async fn the_outbox_lists_delivered_messages_newest_first_per_recipient(store: &dyn Store) {
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

/// Leaves one dropped message to `a@x.test` (whose body a backend's own test may look for in
/// its storage) and one waiting to `b@x.test`.
pub async fn a_message_whose_code_expired_is_never_handed_out(store: &dyn Store) {
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
    let to = |messages: Vec<OutboxMessage>| {
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
}

pub async fn delivered_bodies_can_be_erased_and_old_rows_are_purged(store: &dyn Store) {
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
