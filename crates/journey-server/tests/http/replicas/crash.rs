//! A replica killed (SIGKILL) in the middle of a send, between the provider taking the message
//! and the replica recording it: the README's "at most one repeat per crash", shown with real
//! processes rather than store calls.
//!
//! The message is an SMS, sent by the real HTTP sender (`outbox/http.rs`) to a receiver on
//! loopback; SMS rather than email because its receiver is a few lines of axum, where holding an
//! SMTP exchange after its `DATA` would need an SMTP server of our own. No journey sends SMS
//! yet (every block that sends, sends email), so the test queues the message straight in the
//! database, as a flow's save would, and the replicas find it when they next look (every
//! [`POLL`]). Every replica has the SMS sender, each with its own path on the receiver
//! (`/sms/<i>`), so the receiver knows which one sent each request; a provider would see the
//! same request from each.
//!
//! ```text
//!   replica A: claim (lease: 2 s timeout + 10 s) ── POST ──> receiver holds it, never answers
//!   test:      SIGKILL A (within the sender's 2 s, before A gives up and records a retry)
//!   replica B: ... lease runs out ... claim (attempts 2) ── POST ──> receiver answers 200
//!   replica B: records sent; nobody sends a third time
//! ```

use super::Replicas;
use crate::delivery::queue;
use journey_server::outbox::POLL;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;

/// The sender's time limit in the test (whole seconds, at least 1): the test must kill the
/// replica within it, and the lease is this and the worker's margin.
const TIMEOUT_SECS: u64 = 2;

/// What the worker gives a sender over its time limit before it gives up on a try
/// (`ATTEMPT_GRACE` in `outbox/mod.rs`): a lease must outlast both.
const ATTEMPT_GRACE_SECS: u64 = 5;

/// An HMAC key as long as the sender wants.
const KEY: &str = "0123456789abcdef0123456789abcdef-crash-key";

/// One request the receiver took in full.
#[derive(Clone, Debug)]
struct Delivery {
    /// Which replica sent it (from its path).
    replica: usize,
    idempotency_key: String,
    body: Value,
    /// When it arrived, in seconds since the Unix epoch (the servers' clock).
    at: i64,
}

/// A provider on loopback: records every request once its body has arrived, never answers the
/// first and answers 200 to the others. The watch counts the requests.
async fn receiver() -> (String, Arc<Mutex<Vec<Delivery>>>, watch::Receiver<usize>) {
    use axum::extract::Path;
    use axum::http::{HeaderMap, StatusCode};
    let received = Arc::new(Mutex::new(Vec::new()));
    let (count, counted) = watch::channel(0);
    let log = received.clone();
    let app = axum::Router::new().route(
        "/sms/{replica}",
        axum::routing::post(
            move |Path(replica): Path<usize>, headers: HeaderMap, body: axum::body::Bytes| {
                let (log, count) = (log.clone(), count.clone());
                async move {
                    let first = {
                        let mut log = log.lock().unwrap();
                        log.push(Delivery {
                            replica,
                            idempotency_key: headers
                                .get("idempotency-key")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned(),
                            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                            at: unix_now(),
                        });
                        count.send_replace(log.len());
                        log.len() == 1
                    };
                    if first {
                        // Taken, never acknowledged: the sender is killed while it waits.
                        std::future::pending::<()>().await;
                    }
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received, counted)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Waits at most `limit` for the receiver to have taken `n` requests, and gives them.
async fn deliveries(
    received: &Mutex<Vec<Delivery>>,
    counted: &mut watch::Receiver<usize>,
    n: usize,
    limit: Duration,
) -> Vec<Delivery> {
    let arrived = tokio::time::timeout(limit, counted.wait_for(|count| *count >= n)).await;
    let deliveries = received.lock().unwrap().clone();
    assert!(
        arrived.is_ok(),
        "{n} deliveries did not arrive within {limit:?}: {deliveries:?}"
    );
    deliveries
}

/// A message's row: (state, attempts, next_attempt_at, last_error).
type Row = (String, i32, i64, Option<String>);

impl Replicas {
    async fn outbox_row(&self, id: i64) -> Row {
        let row = self
            .sql()
            .await
            .query_one(
                "SELECT state, attempts, next_attempt_at, last_error FROM outbox WHERE id = $1",
                &[&id],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1), row.get(2), row.get(3))
    }
}

#[tokio::test]
async fn a_replica_killed_in_the_middle_of_a_send_leaves_exactly_one_repeat_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("sms.key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let (url, received, mut counted) = receiver().await;
    let Some(mut replicas) = Replicas::start_with(|i| {
        vec![
            "--sms-url".to_owned(),
            format!("{url}/{i}"),
            "--sms-hmac-key-file".to_owned(),
            key_file.display().to_string(),
            "--sms-timeout-secs".to_owned(),
            TIMEOUT_SECS.to_string(),
        ]
    })
    .await
    else {
        return;
    };
    let to = "+31600000099";
    let id = queue(replicas.store(), unix_now(), "sms", to).await;

    // One replica claims it and sends it; the receiver has it all and holds the answer back.
    let first = deliveries(&received, &mut counted, 1, POLL * 5).await[0].clone();
    let killed = first.replica;
    replicas.kill(killed);
    let (state, attempts, lease_until, error) = replicas.outbox_row(id).await;
    assert_eq!(
        (state.as_str(), attempts, error.as_deref()),
        ("sending", 1, None),
        "replica {killed} died holding the message, its try unrecorded (had it timed out \
         first, the machine was too slow to kill it within {TIMEOUT_SECS} s)"
    );
    assert!(
        lease_until - first.at >= (TIMEOUT_SECS + ATTEMPT_GRACE_SECS) as i64,
        "the lease (to {lease_until}) outlasts what a live sender may still spend on a try \
         begun at {}: its {TIMEOUT_SECS} s and the worker's {ATTEMPT_GRACE_SECS} s over it",
        first.at
    );
    assert_eq!(first.idempotency_key, format!("jk-{id}"));
    assert_eq!(first.body["to"], to, "{:?}", first.body);

    // Another replica sends it again, once the lease has run out and not before.
    let wait = Duration::from_secs(u64::try_from(lease_until - unix_now()).unwrap_or(0));
    let both = deliveries(&received, &mut counted, 2, wait + POLL * 5).await;
    let second = &both[1];
    assert_ne!(second.replica, killed, "{both:?}");
    assert!(
        second.at >= lease_until,
        "sent again at {} while replica {killed}'s lease ran to {lease_until}",
        second.at
    );
    assert_eq!(
        (&second.idempotency_key, &second.body),
        (&first.idempotency_key, &first.body),
        "the same message, with the same key for the provider to drop the repeat by"
    );

    // It records the second try as sent.
    let deadline = tokio::time::Instant::now() + POLL * 5;
    let row = loop {
        let row = replicas.outbox_row(id).await;
        if row.0 != "sending" || tokio::time::Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((row.0.as_str(), row.1), ("sent", 2), "{row:?}");

    // No replica sends it a third time. An absence can only be waited for: two rounds of
    // every live replica's look for due messages.
    tokio::time::sleep(POLL * 2).await;
    let all = received.lock().unwrap().clone();
    assert_eq!(all.len(), 2, "{all:?}");
}
