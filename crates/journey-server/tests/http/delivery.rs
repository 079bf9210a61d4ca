//! Delivery of every message outside development mode: email to a real SMTP server on
//! loopback (Debian's aiosmtpd), SMS and voice to a signed-JSON receiver on loopback, retries
//! with back-off until a message is sent or failed with its last error, and a server without a
//! sender for a channel refusing to start the journeys that need it.

use crate::support::Server;
use journey_store::{FlowRecord, NewMessage, Write};

/// Queues a message on `channel` to `to` straight in the store (no journey sends SMS or voice
/// yet), in a flow of its own, and wakes the worker; returns the message's id.
pub async fn enqueue(server: &Server, channel: &str, to: &str) -> i64 {
    let now = journey_server::state::Clock::now(server.clock.as_ref());
    let flow = FlowRecord {
        id: format!("test-{channel}-{to}-{now}"),
        tenant: "testco".into(),
        journey: "registration".into(),
        journey_version: "test".into(),
        brand: "testco".into(),
        locale: "nl".into(),
        state: "{}".into(),
        outcome: None,
        revision: 0,
        created_at: now,
        expires_at: now + 600,
        nonce: None,
    };
    let message = NewMessage {
        tenant: "testco".into(),
        brand: "testco".into(),
        locale: "nl".into(),
        flow_id: Some(flow.id.clone()),
        channel: channel.into(),
        recipient: to.into(),
        subject: String::new(),
        body: "Je code is 314159. Hij is 10 minuten geldig.".into(),
        html: String::new(),
        created_at: now,
        expires_at: Some(now + 600),
    };
    server
        .state
        .store
        .create_flow(flow, vec![Write::Enqueue(message)])
        .await
        .unwrap();
    server.state.outbox.notify_one();
    let queued = server.state.store.messages_to(to, 1).await.unwrap();
    queued[0].id
}
