//! Message delivery from the transactional outbox, and the periodic clean-up of expired rows.
//!
//! Flows only insert messages into the outbox, in the transaction that saves them
//! ([`crate::flows`]); the delivery worker ([`deliver`]) claims due messages with a lease
//! ([`journey_store::Store::claim_messages`]), hands each to the [`Sender`] of its channel and
//! records the outcome: sent, tried again after a back-off that doubles from 2 s
//! ([`retry_delay`]), or failed after `delivery.max_attempts` tries. With several replicas on
//! one database each message is claimed by one of them, leased for the slowest sender's time
//! limit and `LEASE_MARGIN` (10 s); a sender that crashes between sending and recording leaves
//! its lease to run out, and the message is sent once more (the one repeat the README's
//! Delivery section describes; `tests/http/replicas/crash.rs` kills a replica in the middle of a
//! send to show it). Codes that expire first are dropped, never sent late.
//!
//! The senders, one file each: [`dev`] (development mode: every channel, kept for the dev
//! outbox), [`smtp`] (email over SMTP, a plain-text and an HTML part per email: [`html`]) and
//! [`http`] (SMS and voice as signed JSON POSTs to the brand's provider). [`Senders`] holds
//! the one for each configured channel; a journey that needs a channel without one cannot
//! start outside development mode ([`Senders::missing_for`]).
//!
//! The worker wakes when a flow queues a message (`AppState::outbox`), when the next retry or
//! lease falls due, and every [`POLL`] for work another replica left. On shutdown it stops
//! between batches: the messages in hand are finished and recorded first. An error kept or
//! logged for a message never holds its text ([`scrub`]). Sent, retried, failed and dropped
//! messages are counted for [`crate::metrics`].

pub mod dev;
pub mod html;
pub mod http;
pub mod smtp;

use crate::config::Config;
use crate::state::AppState;
use crate::tenants::Tenants;
use async_trait::async_trait;
use journey_engine::{Channel, Journey};
use journey_store::{Attempt, OutboxMessage};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Why a try failed. The text is for operators and is kept as the message's last error: it
/// must never hold the message's text (the worker [`scrub`]s it all the same).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// It may work later (the server is down, busy, slow): tried again after a back-off.
    #[error("{0}")]
    Retry(String),
    /// It will never work (the SMTP server refused the address for good): failed at once.
    #[error("{0}")]
    Permanent(String),
}

/// Sends the messages of a channel.
#[async_trait]
pub trait Sender: Send + Sync + 'static {
    /// Sends one message; `Ok` once the channel (the SMTP server, the provider) has taken it.
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendError>;

    /// Whether the texts are kept once sent (the dev outbox shows them); otherwise they are
    /// erased, so codes do not stay in the database.
    fn keeps_bodies(&self) -> bool {
        false
    }

    /// What it is, for `/readyz` and the log: `dev-outbox`, `smtp`, `http`.
    fn kind(&self) -> &'static str;

    /// The longest one try may take; the worker gives up on it after this (and a little).
    fn timeout(&self) -> Duration {
        Duration::from_secs(30)
    }
}

/// The sender of each configured channel, and the retry policy.
#[derive(Clone)]
pub struct Senders {
    by_channel: BTreeMap<&'static str, Arc<dyn Sender>>,
    max_attempts: u32,
}

/// Why the senders could not be set up: one line naming the setting.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SenderError(pub String);

impl Senders {
    /// No sender yet; a message is tried at most `max_attempts` times.
    pub fn new(max_attempts: u32) -> Self {
        Self {
            by_channel: BTreeMap::new(),
            max_attempts: max_attempts.max(1),
        }
    }

    /// The same, with `sender` for `channel`.
    pub fn with(mut self, channel: Channel, sender: Arc<dyn Sender>) -> Self {
        self.by_channel.insert(channel.as_str(), sender);
        self
    }

    /// The senders the configuration names: in development mode the dev outbox for every
    /// channel; otherwise SMTP for email and the HTTP senders for SMS and voice, each only
    /// when configured. Reads the secret files (the SMTP password, the HMAC keys) and checks
    /// every brand that may send email has a From address.
    pub fn build(config: &Config, tenants: &Tenants) -> Result<Self, SenderError> {
        let mut senders = Self::new(config.delivery.max_attempts);
        if config.dev {
            let dev: Arc<dyn Sender> = Arc::new(dev::DevSender);
            for channel in [Channel::Email, Channel::Sms, Channel::Voice] {
                senders = senders.with(channel, dev.clone());
            }
            return Ok(senders);
        }
        if let Some(smtp) = &config.delivery.email {
            let sender = smtp::SmtpSender::new(smtp, tenants, &config.public_url)?;
            senders = senders.with(Channel::Email, Arc::new(sender));
        }
        for (channel, settings) in [
            (Channel::Sms, &config.delivery.sms),
            (Channel::Voice, &config.delivery.voice),
        ] {
            if let Some(settings) = settings {
                let sender = http::HttpSender::new(channel, settings)?;
                senders = senders.with(channel, Arc::new(sender));
            }
        }
        Ok(senders)
    }

    /// The configured channels' names.
    pub fn channels(&self) -> Vec<String> {
        self.by_channel.keys().map(|&c| c.to_owned()).collect()
    }

    /// Whether there is no sender at all.
    pub fn is_empty(&self) -> bool {
        self.by_channel.is_empty()
    }

    /// The kind of sender of `channel` (`smtp`, `http`, `dev-outbox`), or `None`.
    pub fn kind(&self, channel: Channel) -> Option<&'static str> {
        self.by_channel.get(channel.as_str()).map(|s| s.kind())
    }

    /// The first channel `journey` sends by that has no sender.
    pub fn missing_for(&self, journey: &Journey) -> Option<Channel> {
        journey
            .channels()
            .into_iter()
            .find(|channel| !self.by_channel.contains_key(channel.as_str()))
    }

    /// How long a claimed message stays leased: the slowest sender's time limit and a
    /// margin, so a lease never runs out while its sender may still be working.
    fn lease(&self) -> i64 {
        let slowest = self
            .by_channel
            .values()
            .map(|s| s.timeout())
            .max()
            .unwrap_or_default();
        i64::try_from((slowest + LEASE_MARGIN).as_secs()).unwrap_or(i64::MAX)
    }
}

/// How long expired flows, ended sessions, delivered messages and stale throttles are kept.
const KEEP: i64 = 24 * 3600;

/// At most this many messages are claimed and sent at once.
const BATCH: usize = 16;

/// What [`attempt`] gives a sender over its own time limit before it stops waiting for it (a
/// sender's client may overrun its limit a little: a slow DNS answer, a TLS handshake).
const ATTEMPT_GRACE: Duration = Duration::from_secs(5);

/// What recording a try's outcome may take once the try is over (one `UPDATE`).
const RECORD_TIME: Duration = Duration::from_secs(5);

/// What a lease adds to the slowest sender's time limit: the [`ATTEMPT_GRACE`] and the
/// [`RECORD_TIME`], so that a live worker has given up on a try and recorded it before its lease
/// runs out, and only a dead one leaves a message for another to send again. A longer margin
/// would only make the repeat after a crash come later (the person waits longer for the code).
/// A lease ends at a whole second of the claiming worker's clock and is read against the other
/// replicas' clocks: what is left of [`RECORD_TIME`] also covers those clocks differing by a
/// second or two (NTP keeps them far closer).
const LEASE_MARGIN: Duration = Duration::from_secs(ATTEMPT_GRACE.as_secs() + RECORD_TIME.as_secs());

/// How often the worker looks for work nobody woke it for (another replica's messages).
pub const POLL: Duration = Duration::from_secs(2);

/// The longest wait between two tries.
pub const MAX_RETRY_DELAY: i64 = 300;

/// Seconds to wait after a message's `attempts`-th failed try: 2, 4, 8, ... up to
/// [`MAX_RETRY_DELAY`].
pub fn retry_delay(attempts: u32) -> i64 {
    2_i64
        .checked_pow(attempts.max(1))
        .unwrap_or(MAX_RETRY_DELAY)
        .min(MAX_RETRY_DELAY)
}

/// Delivers due messages of the channels `senders` has until `stop` is set (to when the
/// shutdown began): then it finishes the messages in hand, records them and returns.
pub async fn deliver(
    state: AppState,
    senders: Arc<Senders>,
    mut stop: watch::Receiver<Option<Instant>>,
) {
    let channels = senders.channels();
    let lease = senders.lease();
    loop {
        if stop.borrow().is_some() {
            return;
        }
        // Expired codes are never claimed; [`maintain`] marks them dropped.
        let now = state.clock.now();
        match state
            .store
            .claim_messages(&channels, now, now.saturating_add(lease), BATCH)
            .await
        {
            Ok(claimed) if !claimed.is_empty() => {
                send_all(&state, &senders, claimed).await;
                // More may be due.
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "claiming messages from the outbox"),
        }
        let wait = match state.store.next_due(&channels).await {
            Ok(Some(at)) if at > now => {
                Duration::from_secs(u64::try_from(at - now).unwrap_or(0)).min(POLL)
            }
            _ => POLL,
        };
        tokio::select! {
            () = state.outbox.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.wait_for(Option::is_some) => return,
        }
    }
}

/// Sends the claimed messages at once, each with the sender of its channel, and records each
/// outcome.
async fn send_all(state: &AppState, senders: &Senders, claimed: Vec<OutboxMessage>) {
    let mut sending = tokio::task::JoinSet::new();
    for message in claimed {
        let Some(sender) = senders.by_channel.get(message.channel.as_str()).cloned() else {
            continue;
        };
        let (state, max_attempts) = (state.clone(), senders.max_attempts);
        sending.spawn(async move { attempt(&state, sender.as_ref(), message, max_attempts).await });
    }
    while sending.join_next().await.is_some() {}
}

/// One try of one message, recorded.
async fn attempt(state: &AppState, sender: &dyn Sender, message: OutboxMessage, max_attempts: u32) {
    let limit = sender.timeout() + ATTEMPT_GRACE;
    let result = match tokio::time::timeout(limit, sender.deliver(&message)).await {
        Ok(result) => result,
        Err(_) => Err(SendError::Retry(format!(
            "{}: no answer within {} s",
            sender.kind(),
            limit.as_secs()
        ))),
    };
    let now = state.clock.now();
    let (id, tenant, channel, tries) = (
        message.id,
        message.tenant.as_str(),
        message.channel.as_str(),
        message.attempts,
    );
    let outcome = match result {
        Ok(()) => {
            state.metrics.sent(tenant, channel);
            tracing::info!(id, %tenant, %channel, attempt = tries, "message sent");
            Attempt::Sent {
                keep_body: sender.keeps_bodies(),
            }
        }
        Err(error) => {
            let permanent = matches!(error, SendError::Permanent(_));
            let error = scrub(&error.to_string(), &message);
            if permanent || tries >= max_attempts {
                state.metrics.message_failed(tenant, channel);
                tracing::warn!(id, %tenant, %channel, attempt = tries, %error, "message failed: given up");
                Attempt::Failed { error }
            } else {
                state.metrics.retried(tenant, channel);
                let at = now.saturating_add(retry_delay(tries));
                tracing::warn!(id, %tenant, %channel, attempt = tries, retry_at = at, %error, "message not sent: will try again");
                Attempt::Retry { at, error }
            }
        }
    };
    if let Err(e) = state.store.record_attempt(id, tries, now, outcome).await {
        // The lease runs out and the message is tried again: the repeat the README describes.
        tracing::error!(id, error = %e, "recording a message's try");
    }
}

/// The most of an error text that is kept.
const ERROR_CHARS: usize = 300;

/// An error text safe to keep and log: every run of four or more digits that the message's
/// texts hold (a code) and the texts themselves replaced, at most [`ERROR_CHARS`] characters.
/// Senders build their errors without the message's text; this holds if one slips through
/// (a server that echoes what it got).
pub fn scrub(error: &str, message: &OutboxMessage) -> String {
    let mut error = error.to_owned();
    for text in [&message.body, &message.subject, &message.html] {
        if text.len() >= 4 && error.contains(text.as_str()) {
            error = error.replace(text.as_str(), "[text]");
        }
    }
    let texts = format!("{} {}", message.subject, message.body);
    let mut runs: Vec<&str> = texts
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() >= 4)
        .collect();
    // Longest first, so a shorter run inside a longer one does not break it up.
    runs.sort_by_key(|run| std::cmp::Reverse(run.len()));
    for run in runs {
        error = error.replace(run, "[digits]");
    }
    match error.char_indices().nth(ERROR_CHARS) {
        Some((cut, _)) => error[..cut].to_owned(),
        None => error,
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
