//! Message delivery from the transactional outbox, and the periodic clean-up of expired rows.
//!
//! Flows only insert messages into the outbox, in the transaction that saves them; a background
//! task hands each undelivered message to a [`Sender`] and marks it delivered. The development
//! sender keeps messages in the database, where `/dev/outbox` shows them. SMTP, SMS and voice
//! senders will implement the same trait.
//!
//! On shutdown the deliverer stops between messages: the one being handed to its sender is
//! finished and marked delivered first, so a message is never sent and then sent again by the
//! next start ([`deliver`]'s `stop`). Sent, failed and dropped messages are counted for
//! [`crate::metrics`].

use crate::state::AppState;
use async_trait::async_trait;
use journey_store::OutboxMessage;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Delivers one message.
#[async_trait]
pub trait Sender: Send + Sync + 'static {
    /// Sends it; an error leaves it queued for the next round.
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), String>;
}

/// The development sender: delivery is recording it as delivered; the dev outbox shows it.
pub struct DevSender;

#[async_trait]
impl Sender for DevSender {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), String> {
        // The body may hold a code: log who and what kind, never the text.
        tracing::info!(id = message.id, channel = %message.channel, "delivered to the dev outbox");
        Ok(())
    }
}

/// How long expired flows, ended sessions, delivered messages and stale throttles are kept.
const KEEP: i64 = 24 * 3600;

/// Delivers queued messages when woken (or every second) until `stop` is set (to when the
/// shutdown began): then it finishes the message in hand and returns. A sender that keeps no
/// copy of its own (`keep_bodies` false) gets the bodies erased once they are delivered, so
/// codes do not stay in the database.
pub async fn deliver(
    state: AppState,
    sender: Box<dyn Sender>,
    keep_bodies: bool,
    mut stop: watch::Receiver<Option<Instant>>,
) {
    loop {
        tokio::select! {
            () = state.outbox.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.wait_for(Option::is_some) => return,
        }
        let now = state.clock.now();
        drop_expired(&state, now).await;
        let channels = ["email".to_owned(), "sms".to_owned(), "voice".to_owned()];
        let messages = match state
            .store
            .claim_messages(&channels, now, now + 60, 100)
            .await
        {
            Ok(messages) => messages,
            Err(e) => {
                tracing::error!(error = %e, "reading the outbox");
                continue;
            }
        };
        for message in messages {
            if stop.borrow().is_some() {
                return;
            }
            // A slow round may outlast a code: never send one late.
            if message.expires_at.is_some_and(|at| at <= state.clock.now()) {
                drop_expired(&state, state.clock.now()).await;
                continue;
            }
            match sender.deliver(&message).await {
                Ok(()) => {
                    state.metrics.sent(&message.tenant, &message.channel);
                    let marked = state
                        .store
                        .record_attempt(
                            message.id,
                            state.clock.now(),
                            journey_store::Attempt::Sent {
                                keep_body: keep_bodies,
                            },
                        )
                        .await;
                    if let Err(e) = marked {
                        tracing::error!(error = %e, "marking a message delivered");
                    }
                }
                Err(e) => {
                    state.metrics.send_failed(&message.tenant, &message.channel);
                    tracing::warn!(id = message.id, error = %e, "delivery failed; will retry");
                    let retry = journey_store::Attempt::Retry {
                        at: state.clock.now() + 1,
                        error: e,
                    };
                    if let Err(e) = state.store.record_attempt(message.id, now, retry).await {
                        tracing::error!(error = %e, "recording a failed delivery");
                    }
                }
            }
        }
    }
}

/// Drops the queued messages whose code has expired, erasing their bodies.
async fn drop_expired(state: &AppState, now: i64) {
    match state.store.drop_expired(now).await {
        Ok(0) => {}
        Ok(rows) => {
            state.metrics.dropped(rows);
            tracing::warn!(rows, "dropped undelivered messages whose code expired");
        }
        Err(e) => tracing::error!(error = %e, "dropping expired messages"),
    }
}

/// Every few seconds, in every mode, until the runtime stops: drops queued messages whose code
/// expired (with no sender they would otherwise wait in clear) and forgets ID tokens past their
/// re-read minute; every minute also removes expired flows, ended sessions, old messages, old
/// quota events and stale login throttles.
pub async fn maintain(state: AppState) {
    let mut round: u32 = 0;
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let now = state.clock.now();
        drop_expired(&state, now).await;
        if let Err(e) = state
            .store
            .forget_id_tokens(now - crate::flows::ID_TOKEN_REREAD_SECONDS)
            .await
        {
            tracing::error!(error = %e, "forgetting ID tokens");
        }
        round = round.wrapping_add(1);
        if !round.is_multiple_of(12) {
            continue;
        }
        match state.store.purge(now - KEEP).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "removed expired rows"),
            Err(e) => tracing::error!(error = %e, "removing expired rows"),
        }
    }
}
