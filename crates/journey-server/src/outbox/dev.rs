//! The development sender: in development mode it takes every channel, and sending is only
//! recording the message as sent, with its texts kept, so the dev outbox (`/dev/outbox`,
//! [`crate::dev`]) shows it. Nothing leaves the machine.

use super::{SendError, Sender};
use async_trait::async_trait;
use journey_store::OutboxMessage;

/// Delivers to the dev outbox.
pub struct DevSender;

#[async_trait]
impl Sender for DevSender {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendError> {
        // The body may hold a code: log who and what kind, never the text.
        tracing::info!(id = message.id, channel = %message.channel, "delivered to the dev outbox");
        Ok(())
    }

    fn keeps_bodies(&self) -> bool {
        true
    }

    fn kind(&self) -> &'static str {
        "dev-outbox"
    }

    /// Keeping a message waits on nobody, so a message a crashed process had claimed is
    /// delivered again after a lease of seconds, not of the network senders' half-minute.
    fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(1)
    }
}
