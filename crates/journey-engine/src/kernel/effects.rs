//! What crosses between a block and the server: the [`Env`] that comes in with every call, the
//! [`Effect`]s that go out to be performed with the flow's save, and the [`Query`]s the server
//! answers (with an [`Answer`]) before the flow can go on.
//!
//! None of these are wire types; the server turns them into store writes, outbox messages and
//! events. Secrets travel as [`Secret`], which never prints.

use crate::assurance::AssurancePolicy;
use journey_protocol::Args;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// What the server passes into every call: the time and fresh entropy.
#[derive(Clone, Debug)]
pub struct Env {
    /// Seconds since the Unix epoch.
    pub now: i64,
    /// 32 bytes from a CSPRNG, fresh for each call.
    pub seed: [u8; 32],
    /// Names a password must not contain: the tenant's and its brands' display names.
    pub protected_words: Vec<String>,
    /// The tenant's levels of assurance, from which `auto_login` computes the flow's `acr`.
    pub assurance: Arc<AssurancePolicy>,
}

/// A value that must never be logged or saved, such as a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for hashing or verifying.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// How a message reaches a person: the email blocks send emails, `phone_number_verification`
/// text messages and voice calls, all through the one-time-code module (`otp.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An email, through the outbox's SMTP sender.
    Email,
    /// A text message.
    Sms,
    /// A voice call that reads the message out.
    Voice,
}

impl Channel {
    /// The stable name, used in quota keys and the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account to create, with its first password or (signed up by an email code) none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// A new random subject.
    pub subject: String,
    /// The verified address.
    pub email: String,
    /// Collected attributes other than the email.
    pub attributes: BTreeMap<String, String>,
    /// The password, NFC-normalised; the server hashes it. `None` for an account made by
    /// `identify_by_email_code`, which has no password until `set_password` gives it one.
    pub password: Option<Secret>,
}

/// What an account holds beyond its credentials: its attributes (its email among them) in
/// their canonical form, and which of them its owner proved they control.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountProfile {
    /// Attributes by name.
    pub attributes: BTreeMap<String, String>,
    /// The names of the verified ones.
    pub verified: BTreeSet<String>,
}

/// Something the server must do in the transaction that saves the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Queue a message in the outbox. `template` is a Fluent message id prefix: the server
    /// resolves `{template}-subject` and `{template}-body` with `args` in the flow's locale.
    Send {
        /// How it goes out.
        channel: Channel,
        /// The (normalised) address or number.
        to: String,
        /// The message id prefix.
        template: String,
        /// Arguments for the texts.
        args: Args,
        /// When the message stops being worth sending (the code in it expires); an undelivered
        /// message is dropped then, never sent late.
        expires_at: Option<i64>,
    },
    /// Create an account.
    CreateAccount(NewAccount),
    /// Give an existing account a new password, end every session it has, lift its login
    /// throttle (the way back from a lock-out) and tell its owner by email.
    ResetPassword {
        /// The account.
        subject: String,
        /// Its verified address, whose login throttle is lifted.
        email: String,
        /// The new password, NFC-normalised; the server hashes it.
        password: Secret,
    },
    /// A code for this address was wrong (a security event); `locked` when it was the last
    /// try the flow allows.
    CodeFailed {
        /// The address the code went to.
        address: String,
        /// Whether the flow is locked now.
        locked: bool,
    },
    /// The code for this address was right: give back the guess claimed for it through
    /// [`Query::CodeGuess`], since only wrong guesses count against the address.
    CodeAccepted {
        /// The address the code went to.
        address: String,
        /// The account, when the flow knows it.
        subject: Option<String>,
    },
    /// Keep the flow's attributes on its account: each value replaces the account's, and is
    /// verified on the account exactly when it is in `verified`. Attributes the flow does not
    /// name stay as they are; the email is an identifier and never comes this way.
    SaveProfile {
        /// The account.
        subject: String,
        /// The attributes, by name.
        attributes: BTreeMap<String, String>,
        /// Which of them the person proved they control.
        verified: BTreeSet<String>,
    },
    /// Give an account that has no password its first one (`set_password` on a flow that
    /// knows its account). Sessions stay: nothing was taken from anyone.
    SetFirstPassword {
        /// The account.
        subject: String,
        /// The password, NFC-normalised; the server hashes it.
        password: Secret,
    },
    /// Append a decision of the flow's account to its consent history: a purpose granted or
    /// withdrawn, a document accepted or refused, at the version the person was shown. The
    /// server adds the flow's language, brand, channel (`web`), flow id and time.
    RecordConsent {
        /// The account.
        subject: String,
        /// The purpose's or the document's name, as the tenant declares it.
        item: String,
        /// The version of the purpose's text or of the document.
        version: String,
        /// What was decided.
        decision: ConsentDecision,
    },
    /// A condition of the journey gave no yes or no for this flow (a missing attribute it did
    /// not guard with `has()`, a type mismatch, a result that is not a bool), so it did not
    /// hold: the flow went on as if it were false. Nothing is written; the server tells the
    /// operator, whose journey it is to fix. `problem` names keys and types, never values.
    ConditionFailed {
        /// The step whose condition it was.
        step: String,
        /// What went wrong.
        problem: String,
    },
    /// A tenant's service answered a look-up with a document the step's `map` cannot use (a
    /// pointer missing, or at an object, an array, `null` or too long a text), so the step
    /// went on as `unavailable`. Nothing is written; the server tells the operator.
    /// `problem` names pointers and types, never values.
    LookUpFailed {
        /// The step of the look-up.
        step: String,
        /// The service asked.
        service: String,
        /// What was wrong with the answer.
        problem: String,
    },
}

/// How a look-up calls the service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookUpMethod {
    /// `GET`, the parameters in the service's address.
    #[default]
    Get,
    /// `POST`, the parameters also as a JSON object of strings in the body (for a call that
    /// does something, such as issuing a policy, which the service makes idempotent).
    Post,
}

/// A tenant's service a block calls, and the parameters it sends (for the checks at load).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceCall {
    /// The service's name in the tenant's `[services]`.
    pub service: String,
    /// How it is called.
    pub method: LookUpMethod,
    /// The names of the parameters sent.
    pub params: Vec<String>,
}

/// The server's answer to [`Query::LookUp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookUp {
    /// The service answered 2xx with this JSON document (within its size cap).
    Found(serde_json::Value),
    /// The service answered 404, or a parameter had no value to send.
    NotFound,
    /// The service did not answer usefully: a timeout, a refused connection, a 5xx or
    /// another status, a redirect (never followed), a body that is not JSON or too large.
    Unavailable,
}

/// A fact the server must find out before the flow can go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Does an account with this (normalised) address exist?
    AccountExists {
        /// The address.
        email: String,
    },
    /// Which account has this (normalised) address, if any?
    FindAccount {
        /// The address.
        email: String,
    },
    /// What does this account's profile hold?
    AccountProfile {
        /// The account.
        subject: String,
    },
    /// Is this the password of the account with this identifier?
    VerifyPassword {
        /// The normalised identifier (email).
        identifier: String,
        /// The NFC-normalised password.
        password: Secret,
    },
    /// May another message go to this recipient now? Counted per channel and recipient across
    /// all flows (against mail bombing and SMS pumping: [`crate::throttle::MESSAGE_WINDOWS`]).
    MessageAllowed {
        /// How it would go out.
        channel: Channel,
        /// The normalised address or number.
        to: String,
    },
    /// May a code sent to this address be checked now? Counted per address (and per account,
    /// once known) across all flows, before the code is compared
    /// ([`crate::throttle::CODE_GUESS_WINDOWS`]); a right code is given back through
    /// [`Effect::CodeAccepted`].
    CodeGuess {
        /// The normalised address the code went to.
        address: String,
        /// The account, when the flow knows it.
        subject: Option<String>,
    },
    /// What does the tenant's service `service` answer for these parameters? The server
    /// builds the address from the tenant's configuration (never from the flow), each value
    /// percent-encoded into it.
    LookUp {
        /// The service's name in the tenant's `[services]`.
        service: String,
        /// How to call it.
        method: LookUpMethod,
        /// The parameters, by name, as text.
        params: BTreeMap<String, String>,
    },
    /// Does the account `subject`, known by this verified address, have a password already?
    /// The server answers `true` when the address is no longer that account's: a yes refuses,
    /// so a doubt must.
    HasPassword {
        /// The normalised address.
        email: String,
        /// The account.
        subject: String,
    },
    /// Where the account stands on the tenant's purposes and documents: each one's current
    /// version (the tenant's) and the account's latest decision on it.
    Consents {
        /// The account.
        subject: String,
    },
}

/// The server's answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Answers [`Query::AccountExists`].
    AccountExists(bool),
    /// Answers [`Query::FindAccount`] with the account's subject.
    Account(Option<String>),
    /// Answers [`Query::AccountProfile`]; `None` when the account is gone.
    AccountProfile(Option<AccountProfile>),
    /// Answers [`Query::VerifyPassword`].
    Password(PasswordCheck),
    /// Answers [`Query::MessageAllowed`].
    MessageAllowed(bool),
    /// Answers [`Query::CodeGuess`]: `None` to go ahead, or the seconds until guesses for the
    /// address are accepted again.
    CodeGuess(Option<u32>),
    /// Answers [`Query::LookUp`].
    LookUp(LookUp),
    /// Answers [`Query::HasPassword`].
    HasPassword(bool),
    /// Answers [`Query::Consents`].
    Consents(Consents),
}

/// What a person decided on a purpose (granted, withdrawn) or a document (accepted, refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    /// A purpose granted.
    Granted,
    /// A purpose withdrawn.
    Withdrawn,
    /// A document accepted.
    Accepted,
    /// A document refused.
    Refused,
}

/// A purpose or a document a block asks about, for the server to check against the tenant's
/// declarations when journeys load ([`crate::Block::consent_items`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConsentItem {
    /// A purpose of `[purposes.<name>]`.
    Purpose(String),
    /// A document of `[documents.<name>]`.
    Document(String),
}

/// Where an account stands on one purpose or document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The current version of the purpose's text or of the document (`major.minor`).
    pub current: String,
    /// The account's latest decision on it, with the version it was given at.
    pub latest: Option<(ConsentDecision, String)>,
}

/// The answer to [`Query::Consents`]: every purpose and document the tenant declares, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consents {
    /// Purposes by name.
    pub purposes: BTreeMap<String, Standing>,
    /// Documents by name.
    pub documents: BTreeMap<String, Standing>,
}

/// The result of a password check, decided by the server's store and throttle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Right password for this subject.
    Verified {
        /// The account's subject.
        subject: String,
    },
    /// Wrong password, or no such account: the same answer either way.
    Rejected,
    /// Too many recent failures for this identifier; try again later.
    Throttled {
        /// Seconds until the next try is accepted.
        retry_in: u32,
    },
}
