//! The outbox's records, as the store hands them in and out: a message to queue
//! ([`NewMessage`], written with a flow's save), one as stored with its state and attempts
//! ([`OutboxMessage`], [`MessageState`]), and how an attempt to send it ended ([`Attempt`]).
//! The SQL that keeps them is each backend's `outbox.rs`.

/// A message for the outbox.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// The tenant.
    pub tenant: String,
    /// The brand whose name it goes out under (its From address, its colours).
    pub brand: String,
    /// The language it is written in.
    pub locale: String,
    /// The flow that caused it.
    pub flow_id: Option<String>,
    /// `email`, `sms` or `voice`.
    pub channel: String,
    /// The address or number.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The body, as plain text (for voice: the text to speak).
    pub body: String,
    /// The body as an HTML document (emails), empty when the channel has none.
    pub html: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// When the message is no longer worth sending (the code in it has expired): it is then
    /// dropped and its body erased, never sent late.
    pub expires_at: Option<i64>,
}

/// Where a message is on its way out.
///
/// ```text
///   queued --claim--> sending --sent--> sent
///     ^                  |  \--gave up--> failed
///     +----retry at T----+
///   queued/sending (lease run out) --code expired--> dropped
/// ```
///
/// A message `sending` whose lease has run out (its sender stopped between sending and
/// recording) is claimed again like a queued one: the one case where a message may be sent
/// twice, at most once more per crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageState {
    /// Waiting for its next attempt ([`OutboxMessage::next_attempt_at`]).
    Queued,
    /// Claimed by a sender until its lease runs out.
    Sending,
    /// Handed to the channel (the SMTP server, the provider) and recorded.
    Sent,
    /// Given up after its last attempt ([`OutboxMessage::last_error`] says why).
    Failed,
    /// Not sent because its code expired first.
    Dropped,
}

impl MessageState {
    /// The stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Dropped => "dropped",
        }
    }

    /// The state of a stored name; an unknown one reads as failed, so it is never sent.
    pub fn parse(name: &str) -> Self {
        match name {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "dropped" => Self::Dropped,
            _ => Self::Failed,
        }
    }
}

/// A message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Increasing id.
    pub id: i64,
    /// The tenant.
    pub tenant: String,
    /// The brand.
    pub brand: String,
    /// The language.
    pub locale: String,
    /// `email`, `sms` or `voice`.
    pub channel: String,
    /// The address or number.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The HTML body, empty when none.
    pub html: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// When it was sent, in seconds since the Unix epoch.
    pub delivered_at: Option<i64>,
    /// When it stops being worth sending, in seconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// Where it is.
    pub state: MessageState,
    /// How many times a sender has claimed it (the attempt in hand included).
    pub attempts: u32,
    /// When it is due (queued), or when its lease runs out (sending).
    pub next_attempt_at: i64,
    /// Why the last attempt failed; never the message's text.
    pub last_error: Option<String>,
}

/// What became of an attempt to send a claimed message, for [`crate::Store::record_attempt`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Sent. Unless `keep_body` (a sender that keeps no copy of its own, such as the dev
    /// outbox, which shows them), the subject and bodies are erased, so codes do not stay in
    /// the database.
    Sent {
        /// Keep the texts.
        keep_body: bool,
    },
    /// Failed; queued again for `at` (seconds since the Unix epoch).
    Retry {
        /// When it is due again.
        at: i64,
        /// Why, for operators; never the message's text.
        error: String,
    },
    /// Failed for the last time: the texts are erased and it is never sent.
    Failed {
        /// Why, for operators; never the message's text.
        error: String,
    },
}
