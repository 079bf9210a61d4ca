//! Contract cases of consents: a person's decisions on purposes and documents are appended to
//! their history in the flow's transaction, read back whole and in order, and a decision for
//! no account fails the save it is part of. (That nothing can change or remove an entry is
//! each backend's own case: it needs the backend's SQL.)

use super::{account, flow, update};
use journey_store::{Consent, Decision, Store, Write};

/// A decision of account `s1` of tenant `t` in flow `f` at `at`.
pub fn consent(item: &str, version: &str, decision: Decision, at: i64) -> Consent {
    Consent {
        tenant: "t".into(),
        subject: "s1".into(),
        item: item.into(),
        version: version.into(),
        locale: "nl".into(),
        decision,
        brand: "b".into(),
        channel: "web".into(),
        flow_id: Some("f".into()),
        at,
    }
}

pub async fn decisions_are_kept_as_history_in_order_with_every_detail(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![account("a@x.test", "s1")])
        .await
        .unwrap();
    assert!(store.consents("t", "s1").await.unwrap().is_empty());
    let first = vec![
        consent("marketing_email", "3", Decision::Granted, 20),
        consent("terms", "2.1", Decision::Accepted, 20),
        consent("privacy", "5.0", Decision::Refused, 20),
    ];
    store
        .save_flow(
            update("f", 0, "s1"),
            first.iter().cloned().map(Write::Consent).collect(),
        )
        .await
        .unwrap();
    assert_eq!(store.consents("t", "s1").await.unwrap(), first);

    // Withdrawing adds to the history; the grant stays in it.
    let mut withdrawn = consent("marketing_email", "3", Decision::Withdrawn, 30);
    withdrawn.flow_id = None;
    withdrawn.locale = "ar".into();
    withdrawn.channel = "api".into();
    store
        .save_flow(
            update("f", 1, "s2"),
            vec![Write::Consent(withdrawn.clone())],
        )
        .await
        .unwrap();
    let history = store.consents("t", "s1").await.unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[..3], first[..]);
    assert_eq!(history[3], withdrawn);
    assert!(
        store.consents("other", "s1").await.unwrap().is_empty(),
        "a history belongs to its tenant"
    );
}

pub async fn a_decision_for_no_account_fails_the_whole_save(store: &dyn Store) {
    store.create_flow(flow("f"), vec![]).await.unwrap();
    let mut nobody = consent("terms", "1", Decision::Accepted, 20);
    nobody.subject = "nobody".into();
    let result = store
        .save_flow(update("f", 0, "s1"), vec![Write::Consent(nobody)])
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(store.flow("f").await.unwrap().unwrap().revision, 0);
    assert!(store.consents("t", "nobody").await.unwrap().is_empty());

    // Created in the same save, the account can take its first decisions there.
    let result = store
        .save_flow(
            update("f", 0, "s1"),
            vec![
                account("a@x.test", "s1"),
                Write::Consent(consent("terms", "1", Decision::Accepted, 20)),
            ],
        )
        .await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(store.consents("t", "s1").await.unwrap().len(), 1);
}
