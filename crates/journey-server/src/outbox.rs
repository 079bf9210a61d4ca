//! Message delivery from the transactional outbox, and the periodic clean-up of expired rows.
//!
//! Flows only insert messages into the outbox, in the transaction that saves them; a background
//! task hands each undelivered message to a [`Sender`] and marks it delivered. The development
//! sender keeps messages in the database, where `/dev/outbox` shows them. SMTP, SMS and voice
//! senders will implement the same trait.

use crate::state::AppState;
use async_trait::async_trait;
use journey_store::OutboxMessage;
use std::time::Duration;

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

/// Delivers queued messages when woken (or every second) until the runtime stops. A sender
/// that keeps no copy of its own (`keep_bodies` false) gets the bodies erased once they are
/// delivered, so codes do not stay in the database.
pub async fn deliver(state: AppState, sender: Box<dyn Sender>, keep_bodies: bool) {
    loop {
        tokio::select! {
            () = state.outbox.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
        let messages = match state.store.undelivered(100).await {
            Ok(messages) => messages,
            Err(e) => {
                tracing::error!(error = %e, "reading the outbox");
                continue;
            }
        };
        for message in messages {
            match sender.deliver(&message).await {
                Ok(()) => {
                    let marked = state
                        .store
                        .mark_delivered(message.id, state.clock.now(), keep_bodies)
                        .await;
                    if let Err(e) = marked {
                        tracing::error!(error = %e, "marking a message delivered");
                    }
                }
                Err(e) => {
                    tracing::warn!(id = message.id, error = %e, "delivery failed; will retry")
                }
            }
        }
    }
}

/// Removes expired flows, ended sessions, old delivered messages and stale login throttles
/// every minute, in every mode, until the runtime stops.
pub async fn maintain(state: AppState) {
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        match state.store.purge(state.clock.now() - KEEP).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "removed expired rows"),
            Err(e) => tracing::error!(error = %e, "removing expired rows"),
        }
    }
}
