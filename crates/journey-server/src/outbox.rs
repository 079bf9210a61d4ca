//! Message delivery from the transactional outbox, and periodic clean-up.
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

/// How long an ended or expired flow is kept before clean-up removes it.
const KEEP_EXPIRED: i64 = 24 * 3600;

/// Runs until the runtime stops: delivers queued messages when woken (or every second) and
/// removes long-expired flows every minute.
pub async fn run(state: AppState, sender: Box<dyn Sender>) {
    let mut rounds: u64 = 0;
    loop {
        tokio::select! {
            () = state.outbox.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => { rounds += 1; }
        }
        match state.store.undelivered(100).await {
            Ok(messages) => {
                for message in messages {
                    match sender.deliver(&message).await {
                        Ok(()) => {
                            if let Err(e) = state
                                .store
                                .mark_delivered(message.id, state.clock.now())
                                .await
                            {
                                tracing::error!(error = %e, "marking a message delivered");
                            }
                        }
                        Err(e) => {
                            tracing::warn!(id = message.id, error = %e, "delivery failed; will retry")
                        }
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "reading the outbox"),
        }
        if rounds % 60 == 59 {
            match state
                .store
                .delete_expired_flows(state.clock.now() - KEEP_EXPIRED)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(flows = n, "removed long-expired flows"),
                Err(e) => tracing::error!(error = %e, "removing expired flows"),
            }
        }
    }
}
