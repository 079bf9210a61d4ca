//! Contract cases of the outbox: a message's states (queued, sending, sent, failed, dropped),
//! claims with a lease for one sender and several claimers at once, a lease that runs out,
//! retries and giving up, sent messages for the dev outbox newest first, expired codes never
//! handed out, bodies erased, and what `purge` removes and keeps.

use super::{Backend, Task, all, flow, message, on_channel, send_due};
use journey_store::{Attempt, Claim, MessageState, NewMessage, OutboxMessage, Store, Write};
use std::collections::BTreeSet;

fn channels(names: &[&str]) -> Vec<String> {
    names.iter().map(|&n| n.to_owned()).collect()
}

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
    assert_eq!(send_due(store, 30, 2).await, 2, "the two oldest");
    let all: Vec<_> = store
        .delivered(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(all, ["2", "1"], "only sent ones, newest first");
    let a: Vec<_> = store
        .delivered(Some("a@x.test"), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(a, ["1"]);
    let every: Vec<_> = store
        .messages_to("a@x.test", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.body, m.state))
        .collect();
    assert_eq!(
        every,
        [
            ("3".to_owned(), MessageState::Queued),
            ("1".to_owned(), MessageState::Sent)
        ],
        "every state, newest first"
    );
}

pub async fn a_message_is_queued_with_its_brand_language_and_both_bodies(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![on_channel("sms", "+31600000000", "hi")])
        .await
        .unwrap();
    let queued = store.undelivered(10, 10).await.unwrap();
    let [m] = queued.as_slice() else {
        panic!("one message: {queued:?}")
    };
    assert_eq!(
        (m.tenant.as_str(), m.brand.as_str(), m.locale.as_str()),
        ("t", "b", "nl")
    );
    assert_eq!(
        (m.channel.as_str(), m.recipient.as_str()),
        ("sms", "+31600000000")
    );
    assert_eq!((m.body.as_str(), m.html.as_str()), ("hi", "<p>hi</p>"));
    assert_eq!(m.state, MessageState::Queued);
    assert_eq!((m.attempts, m.next_attempt_at), (0, 10), "due when queued");
    assert_eq!((m.last_error.as_deref(), m.delivered_at), (None, None));
    assert_eq!(store.outbox_message(m.id).await.unwrap().as_ref(), Some(m));
    assert_eq!(store.outbox_message(m.id + 1000).await.unwrap(), None);
}

pub async fn a_claim_leases_due_messages_of_its_channels_and_records_each_outcome(
    store: &dyn Store,
) {
    store
        .create_flow(
            flow("f"),
            vec![
                message("a@x.test", "code 111111"),
                on_channel("sms", "+31600000001", "code 222222"),
                message("b@x.test", "code 333333"),
            ],
        )
        .await
        .unwrap();
    let email = channels(&["email"]);
    assert!(
        store
            .claim_messages(&email, 9, 40, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing is due before it was queued"
    );
    let claimed = store.claim_messages(&email, 10, 40, 10).await.unwrap();
    let to: Vec<_> = claimed.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(
        to,
        ["a@x.test", "b@x.test"],
        "this sender's channel only, oldest first"
    );
    for m in &claimed {
        assert_eq!(m.state, MessageState::Sending);
        assert_eq!((m.attempts, m.next_attempt_at), (1, 40), "leased until 40");
    }
    assert!(
        store
            .claim_messages(&email, 39, 70, 10)
            .await
            .unwrap()
            .is_empty(),
        "leased messages are not claimed again while the lease holds"
    );
    assert_eq!(
        store.next_due(&email).await.unwrap(),
        Some(40),
        "the lease's end"
    );
    let (first, second) = (claimed[0].id, claimed[1].id);

    store
        .record_attempt(first, 1, 20, Attempt::Sent { keep_body: false })
        .await
        .unwrap();
    let sent = store.outbox_message(first).await.unwrap().unwrap();
    assert_eq!(
        (sent.state, sent.delivered_at),
        (MessageState::Sent, Some(20))
    );
    assert_eq!(
        (
            sent.subject.as_str(),
            sent.body.as_str(),
            sent.html.as_str()
        ),
        ("", "", ""),
        "a sent message keeps no code"
    );

    let retry = Attempt::Retry {
        at: 22,
        error: "smtp: connection refused".into(),
    };
    store.record_attempt(second, 1, 20, retry).await.unwrap();
    let queued = store.outbox_message(second).await.unwrap().unwrap();
    assert_eq!(queued.state, MessageState::Queued);
    assert_eq!((queued.attempts, queued.next_attempt_at), (1, 22));
    assert_eq!(
        queued.last_error.as_deref(),
        Some("smtp: connection refused")
    );
    assert_eq!(queued.body, "code 333333", "kept for the next attempt");
    assert_eq!(store.next_due(&email).await.unwrap(), Some(22));
    assert!(
        store
            .claim_messages(&email, 21, 60, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store.claim_messages(&email, 22, 60, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (second, 2));

    let failed = Attempt::Failed {
        error: "smtp: 554 rejected".into(),
    };
    store.record_attempt(second, 2, 23, failed).await.unwrap();
    let gave_up = store.outbox_message(second).await.unwrap().unwrap();
    assert_eq!(gave_up.state, MessageState::Failed);
    assert_eq!(gave_up.last_error.as_deref(), Some("smtp: 554 rejected"));
    assert_eq!((gave_up.body.as_str(), gave_up.html.as_str()), ("", ""));
    assert_eq!(gave_up.delivered_at, None);
    assert!(
        store
            .claim_messages(&email, 1000, 1030, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_due(&email).await.unwrap(), None, "nothing waits");
    assert!(
        store
            .delivered(None, 10)
            .await
            .unwrap()
            .iter()
            .all(|m| m.id == first),
        "the dev outbox shows only the sent one"
    );

    // An outcome recorded for a message that is no longer sending changes nothing.
    store
        .record_attempt(second, 2, 30, Attempt::Sent { keep_body: true })
        .await
        .unwrap();
    assert_eq!(
        store.outbox_message(second).await.unwrap().unwrap().state,
        MessageState::Failed
    );

    let sms = store
        .claim_messages(&channels(&["sms", "voice"]), 10, 40, 10)
        .await
        .unwrap();
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].recipient, "+31600000001");
    assert!(
        store
            .claim_messages(&[], 10, 40, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_due(&[]).await.unwrap(), None);
}

pub async fn a_message_whose_lease_ran_out_is_claimed_again(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![message("a@x.test", "code 123456")])
        .await
        .unwrap();
    let email = channels(&["email"]);
    let first = store.claim_messages(&email, 10, 20, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        store
            .claim_messages(&email, 19, 29, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // The first sender crashed between sending and recording: at 20 its lease has run out.
    let second = store.claim_messages(&email, 20, 30, 10).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id);
    assert_eq!(second[0].attempts, 2, "the crashed attempt counts");
    assert_eq!(second[0].body, "code 123456");
    // The first sender was only slow, not gone: its late answer (a failure) must not overwrite
    // the attempt in hand, which records its own.
    let late = Attempt::Retry {
        at: 25,
        error: "smtp: timed out".into(),
    };
    store
        .record_attempt(first[0].id, first[0].attempts, 21, late)
        .await
        .unwrap();
    let held = store.outbox_message(first[0].id).await.unwrap().unwrap();
    assert_eq!(
        (held.state, held.attempts, held.last_error),
        (MessageState::Sending, 2, None),
        "a late outcome of an attempt whose lease ran out changes nothing"
    );
    store
        .record_attempt(
            second[0].id,
            second[0].attempts,
            21,
            Attempt::Sent { keep_body: true },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .outbox_message(first[0].id)
            .await
            .unwrap()
            .unwrap()
            .state,
        MessageState::Sent
    );
    assert!(
        store
            .claim_messages(&email, 100, 130, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.delivered(None, 10).await.unwrap().len(), 1);
}

pub async fn claimers_on_several_connections_never_get_the_same_message(backend: &dyn Backend) {
    let writer = backend.connect().await;
    let messages: Vec<Write> = (0..60)
        .map(|i| message(&format!("{i}@x.test"), "b"))
        .collect();
    writer.create_flow(flow("f"), messages).await.unwrap();
    let mut stores: Vec<Box<dyn Store>> = Vec::new();
    for _ in 0..4 {
        stores.push(backend.connect().await);
    }
    let email = channels(&["email"]);
    let mut seen = BTreeSet::new();
    let mut rounds = 0;
    while seen.len() < 60 {
        rounds += 1;
        assert!(rounds < 20, "every message is claimed in time: {seen:?}");
        let claims: Vec<Task<'_, Vec<OutboxMessage>>> = (0..8)
            .map(|i| {
                let (store, email) = (&stores[i % stores.len()], &email);
                Box::pin(async move { store.claim_messages(email, 10, 100, 4).await.unwrap() })
                    as Task<'_, _>
            })
            .collect();
        for claimed in all(claims).await {
            assert!(claimed.len() <= 4);
            for m in claimed {
                assert!(seen.insert(m.id), "message {} claimed twice", m.id);
                assert_eq!(m.attempts, 1);
            }
        }
    }
    assert!(
        writer
            .claim_messages(&email, 99, 130, 100)
            .await
            .unwrap()
            .is_empty(),
        "all 60 are leased, once each"
    );
}

/// Leaves one dropped message to `a@x.test` (whose body a backend's own test may look for in
/// its storage) and one waiting to `b@x.test`.
pub async fn a_message_whose_code_expired_is_never_handed_out(store: &dyn Store) {
    let expiring = |to: &str, expires_at| {
        Write::Enqueue(NewMessage {
            tenant: "t".into(),
            brand: "b".into(),
            locale: "en".into(),
            flow_id: None,
            channel: "email".into(),
            recipient: to.into(),
            subject: "Your code".into(),
            body: "code 123456".into(),
            html: "<p>code 123456</p>".into(),
            created_at: 10,
            expires_at,
        })
    };
    store
        .create_flow(
            flow("f"),
            vec![
                expiring("a@x.test", Some(600)),
                expiring("b@x.test", None),
                expiring("c@x.test", Some(600)),
            ],
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
        ["a@x.test", "b@x.test", "c@x.test"]
    );
    assert_eq!(
        to(store.undelivered(10, 600).await.unwrap()),
        ["b@x.test"],
        "not sent late even before the sweep"
    );
    let email = channels(&["email"]);
    // c's sender takes it at 590 and crashes; its lease runs out at 620, after its code.
    let c = store.claim_messages(&email, 590, 620, 10).await.unwrap();
    assert_eq!(to(c.clone()), ["a@x.test", "b@x.test", "c@x.test"]);
    for m in &c[..2] {
        let retry = Attempt::Retry {
            at: 600,
            error: "down".into(),
        };
        store
            .record_attempt(m.id, m.attempts, 590, retry)
            .await
            .unwrap();
    }
    assert_eq!(
        to(store.claim_messages(&email, 600, 630, 10).await.unwrap()),
        ["b@x.test"],
        "a claim never hands out an expired code"
    );
    assert_eq!(store.drop_expired(600).await.unwrap(), 1, "a, queued");
    assert_eq!(
        store.drop_expired(619).await.unwrap(),
        0,
        "c is in a sender's hands until its lease runs out"
    );
    assert_eq!(
        store.drop_expired(620).await.unwrap(),
        1,
        "c, its lease run out"
    );
    assert_eq!(store.drop_expired(700).await.unwrap(), 0);
    let a = &store.messages_to("a@x.test", 1).await.unwrap()[0];
    assert_eq!(a.state, MessageState::Dropped);
    assert_eq!((a.body.as_str(), a.html.as_str()), ("", ""));
    // b is sending (claimed at 600): back to the queue, as the sweep leaves it.
    let b = &store.messages_to("b@x.test", 1).await.unwrap()[0];
    let retry = Attempt::Retry {
        at: 700,
        error: "down".into(),
    };
    store
        .record_attempt(b.id, b.attempts, 600, retry)
        .await
        .unwrap();
}

pub async fn delivered_bodies_can_be_erased_and_old_rows_are_purged(store: &dyn Store) {
    store
        .create_flow(
            flow("f"),
            vec![
                message("a@x.test", "code 123456"),
                message("b@x.test", "code 654321"),
                message("c@x.test", "code 111111"),
            ],
        )
        .await
        .unwrap();
    let email = channels(&["email"]);
    let queued = store.claim_messages(&email, 10, 40, 10).await.unwrap();
    store
        .record_attempt(queued[0].id, 1, 20, Attempt::Sent { keep_body: false })
        .await
        .unwrap();
    store
        .record_attempt(queued[1].id, 1, 20, Attempt::Sent { keep_body: true })
        .await
        .unwrap();
    let failed = Attempt::Failed {
        error: "gave up".into(),
    };
    store
        .record_attempt(queued[2].id, 1, 20, failed)
        .await
        .unwrap();
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
    // Before 50: the flow (expires 100) and the disabled throttle stay; the messages (created
    // 10: two sent, one failed), and the old throttle (blocked until 10) go.
    assert_eq!(store.purge(50).await.unwrap(), 4);
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
