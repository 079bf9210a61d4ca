//! Contract cases of flows: a save is one transaction at a revision, with all of its writes or
//! none, and a completed flow's ID token is handed out once.

use super::{account, flow, message, update};
use journey_store::{Saved, Store, StoreError};

pub async fn a_save_at_a_stale_revision_writes_nothing(store: &dyn Store) {
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

pub async fn a_failing_write_rolls_back_the_whole_save(store: &dyn Store) {
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
    assert!(matches!(result, Err(StoreError::Duplicate(_))));
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

/// Saves that run at the same moment are each atomic on their own: the ones that fail undo
/// all of their writes and nothing of the others' (SQLite commits calls that queued up together
/// in one transaction, each in a savepoint; PostgreSQL gives each its own connection).
pub async fn parallel_saves_that_fail_undo_only_themselves(store: &dyn Store) {
    const SAVES: usize = 60;
    store
        .create_flow(flow("owner"), vec![account("taken@x.test", "s0")])
        .await
        .unwrap();
    let ids: Vec<String> = (0..SAVES).map(|i| format!("f{i}")).collect();
    for id in &ids {
        store.create_flow(flow(id), vec![]).await.unwrap();
    }
    // Every third save also claims the address that is taken: it must fail whole, its
    // message unqueued and its flow at revision 0, while the saves around it go through.
    let saves = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut writes = vec![message(&format!("{id}@x.test"), "m")];
            if i % 3 == 0 {
                writes.push(account("taken@x.test", &format!("s-{id}")));
            } else {
                writes.push(account(&format!("{id}@x.test"), &format!("s-{id}")));
            }
            Box::pin(store.save_flow(update(id, 0, "next"), writes)) as super::Task<'_, _>
        })
        .collect();
    let results = super::all(saves).await;
    for (i, (id, result)) in ids.iter().zip(&results).enumerate() {
        let revision = store.flow(id).await.unwrap().unwrap().revision;
        let own = format!("{id}@x.test");
        if i % 3 == 0 {
            assert!(
                matches!(result, Err(StoreError::Duplicate(_))),
                "{id}: {result:?}"
            );
            assert_eq!(revision, 0, "{id}: a failed save leaves its flow as it was");
        } else {
            assert_eq!(
                result.as_ref().ok(),
                Some(&Saved::Saved),
                "{id}: {result:?}"
            );
            assert_eq!(revision, 1, "{id}");
            assert!(store.account_exists("t", &own).await.unwrap(), "{id}");
        }
    }
    let queued: Vec<String> = store
        .undelivered(10 * SAVES, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    let expected = (0..SAVES).filter(|i| i % 3 != 0).count();
    assert_eq!(
        queued.len(),
        expected,
        "only the saves that went through queued: {queued:?}"
    );
    assert!(queued.iter().all(|to| !to.starts_with("f0@")));
    assert_eq!(
        store
            .credentials("t", "taken@x.test")
            .await
            .unwrap()
            .map(|c| c.subject),
        Some("s0".into())
    );
}

pub async fn an_id_token_is_handed_out_once_within_its_window(store: &dyn Store) {
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

pub async fn an_extension_moves_expiry_only_of_a_live_flow_at_its_revision(store: &dyn Store) {
    store.create_flow(flow("f"), vec![]).await.unwrap();
    // Live at 50 and at revision 0: expires_at moves, the revision and the state stay.
    assert_eq!(
        store.extend_flow("f", 0, 50, 160).await.unwrap(),
        Saved::Saved
    );
    let saved = store.flow("f").await.unwrap().unwrap();
    assert_eq!((saved.expires_at, saved.revision), (160, 0));
    assert_eq!(saved.state, flow("f").state);
    // Never earlier than it is.
    assert_eq!(
        store.extend_flow("f", 0, 60, 120).await.unwrap(),
        Saved::Saved
    );
    assert_eq!(store.flow("f").await.unwrap().unwrap().expires_at, 160);
    // A stale revision (a submission saved meanwhile), an expired flow and a missing one
    // are refused and change nothing.
    assert_eq!(
        store.save_flow(update("f", 0, "s1"), vec![]).await.unwrap(),
        Saved::Saved
    );
    assert_eq!(
        store.extend_flow("f", 0, 70, 200).await.unwrap(),
        Saved::Conflict
    );
    assert_eq!(
        store.extend_flow("f", 1, 160, 200).await.unwrap(),
        Saved::Conflict
    );
    assert_eq!(store.flow("f").await.unwrap().unwrap().expires_at, 160);
    assert_eq!(
        store.extend_flow("missing", 0, 50, 200).await.unwrap(),
        Saved::Conflict
    );
    assert_eq!(
        store.extend_flow("f", 1, 159, 200).await.unwrap(),
        Saved::Saved
    );
    assert_eq!(store.flow("f").await.unwrap().unwrap().expires_at, 200);
}
