//! The saved state of one flow ([`FlowState`]): plain data that the server stores as JSON
//! between requests and never looks inside beyond the accessors.
//!
//! What the state holds is typed, with no bag of string flags:
//!
//! - the attributes collected (`email`, `given_name`, …) and which of them the person proved
//!   they control ([`FlowState::is_verified`]); changing a value forgets its proof and whose
//!   account it belongs to;
//! - which attributes a tenant's service gave (`look_up_data`) rather than the person
//!   ([`FlowState::looked_up_from`]); the person changing such a value makes it theirs;
//! - the context the page passed at the start, typed as the journey declares it, in a map of
//!   its own ([`FlowState::context`]): untrusted, so it never becomes an attribute or a proof;
//! - who owns a collected identifier, as the server said ([`Owner`]); never shown;
//! - the account the flow acts for, the authentication methods used, the session reached;
//! - each step's own memory, as the JSON of the block's own type, under the step's id: a block
//!   reads and writes it typed through [`crate::kernel::Cx::memory`], and it is dropped when the
//!   flow leaves the step;
//! - the messages and echoed values of the last refused submission.
//!
//! The JSON carries a format number ([`STATE_FORMAT`]). A flow saved by an earlier release, in
//! an earlier format, does not resume: reading it gives [`EngineError::UnreadableState`], as
//! does any state (or step memory) that does not parse, never a panic. Flows live minutes, so a
//! release only ends the flows that are open while it starts.

use super::EngineError;
use super::context::ContextValue;
use journey_protocol::{Message, MessageLevel, Text};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The format of the saved state this release writes and reads.
pub const STATE_FORMAT: u32 = 2;

/// The format number in a saved state; any other number does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
struct Format;

impl TryFrom<u32> for Format {
    type Error = String;

    fn try_from(value: u32) -> Result<Self, String> {
        if value == STATE_FORMAT {
            Ok(Self)
        } else {
            Err(format!(
                "the flow state has format {value}; this release reads format {STATE_FORMAT}"
            ))
        }
    }
}

impl From<Format> for u32 {
    fn from(_: Format) -> Self {
        STATE_FORMAT
    }
}

/// Where a flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowStatus {
    /// Waiting at a step.
    Active,
    /// Ended with a session.
    Complete,
    /// Ended without success.
    Failed,
}

/// The person authenticated: what a session and an ID token are made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticated {
    /// The account's subject.
    pub subject: String,
    /// The level of assurance reached.
    pub acr: String,
    /// The methods used (RFC 8176).
    pub amr: Vec<String>,
    /// When, in seconds since the Unix epoch.
    pub auth_time: i64,
    /// The account's attributes the journey releases in the ID token, as claims.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub claims: BTreeMap<String, serde_json::Value>,
}

/// Who has an account with a collected identifier, as the server answered. Never shown to the
/// person: the blocks that learn it have a single outcome, so nothing branches on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Owner {
    /// No account has it.
    Nobody,
    /// Some account has it; the flow was not told which (a duplicate check).
    Someone,
    /// This account has it (an account look-up).
    Account {
        /// The account's subject.
        subject: String,
    },
}

/// A message kept with the state until the step is shown: about one field when `field` is set,
/// else about the whole step. Unresolved; its arguments are saved with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The field it is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The message.
    pub message: Message,
}

impl Note {
    /// An error about the field `field`.
    pub fn field_error(field: &str, text: Text) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: Message::new(MessageLevel::Error, text),
        }
    }

    /// A message about the whole step.
    pub fn step(level: MessageLevel, text: Text) -> Self {
        Self {
            field: None,
            message: Message::new(level, text),
        }
    }
}

/// The saved state of one flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowState {
    format: Format,
    pub(crate) step: String,
    pub(crate) status: FlowStatus,
    /// Collected attributes, such as `email` and `given_name`, in their canonical form.
    pub(crate) data: BTreeMap<String, String>,
    /// The attributes the person proved they control (a right code sent to the address).
    pub(crate) verified: BTreeSet<String>,
    /// The attributes a tenant's service gave, with the service's name (`look_up_data`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) sources: BTreeMap<String, String>,
    /// What the page passed at the start, checked against the journey's `[context]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) context: BTreeMap<String, ContextValue>,
    /// Who owns each collected identifier, once the server was asked.
    pub(crate) owners: BTreeMap<String, Owner>,
    /// The account the flow acts for, once known.
    pub(crate) subject: Option<String>,
    /// Authentication methods used so far (RFC 8176).
    pub(crate) amr: Vec<String>,
    /// Each step's memory, by step id: the JSON of the block's own memory type.
    pub(crate) memory: BTreeMap<String, serde_json::Value>,
    /// What the current block asked the server and waits for, within one request. Never saved:
    /// the server answers every query before it saves the flow.
    #[serde(skip)]
    pub(crate) pending: Option<serde_json::Value>,
    /// Messages from the last submission, shown with the step.
    pub(crate) notes: Vec<Note>,
    /// Non-secret values of the last refused submission, shown again.
    pub(crate) echo: BTreeMap<String, String>,
    pub(crate) authenticated: Option<Authenticated>,
    /// How many submissions the flow has taken.
    pub(crate) seq: u64,
}

impl FlowState {
    /// A new flow at `step`, with nothing collected.
    pub(crate) fn new(step: &str) -> Self {
        Self {
            format: Format,
            step: step.to_owned(),
            status: FlowStatus::Active,
            data: BTreeMap::new(),
            verified: BTreeSet::new(),
            sources: BTreeMap::new(),
            context: BTreeMap::new(),
            owners: BTreeMap::new(),
            subject: None,
            amr: Vec::new(),
            memory: BTreeMap::new(),
            pending: None,
            notes: Vec::new(),
            echo: BTreeMap::new(),
            authenticated: None,
            seq: 0,
        }
    }

    /// Reads a state saved with [`Self::to_json`].
    pub fn from_json(json: &str) -> Result<Self, EngineError> {
        serde_json::from_str(json).map_err(|e| EngineError::UnreadableState(e.to_string()))
    }

    /// The state as saved.
    pub fn to_json(&self) -> Result<String, EngineError> {
        serde_json::to_string(self).map_err(|e| EngineError::UnreadableState(e.to_string()))
    }

    /// The current step id.
    pub fn step(&self) -> &str {
        &self.step
    }

    /// Where the flow is.
    pub fn status(&self) -> FlowStatus {
        self.status
    }

    /// Who authenticated, once the flow is complete.
    pub fn authenticated(&self) -> Option<&Authenticated> {
        self.authenticated.as_ref()
    }

    /// A collected attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.data.get(name).map(String::as_str)
    }

    /// Whether the person proved they control the collected attribute `name`.
    pub fn is_verified(&self, name: &str) -> bool {
        self.verified.contains(name) && self.data.contains_key(name)
    }

    /// The context the page passed at the start, typed as the journey declares it.
    pub fn context(&self) -> &BTreeMap<String, ContextValue> {
        &self.context
    }

    /// The tenant's service that gave the attribute `name` (`look_up_data`), when a service
    /// and not the person gave its current value.
    pub fn looked_up_from(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    /// Keeps a collected value. A value that changes loses its proof, its owner and the
    /// service it came from: they were about the old one.
    pub(crate) fn set_attribute(&mut self, name: &str, value: String) {
        if self.data.get(name) != Some(&value) {
            self.verified.remove(name);
            self.owners.remove(name);
            self.sources.remove(name);
        }
        self.data.insert(name.to_owned(), value);
    }

    /// Adds what the flow's account holds to what the flow collected, once the flow knows its
    /// account: a value the flow already has (collected or looked up in this flow) stays, and
    /// keeps its own proof.
    pub(crate) fn add_account(&mut self, profile: super::AccountProfile) {
        for (name, value) in profile.attributes {
            if self.data.contains_key(&name) {
                continue;
            }
            if profile.verified.contains(&name) {
                self.verified.insert(name.clone());
            }
            self.data.insert(name, value);
        }
    }

    /// Keeps a value the tenant's `service` gave: marked as the service's, not proven by the
    /// person.
    pub(crate) fn set_looked_up(&mut self, name: &str, value: String, service: &str) {
        self.set_attribute(name, value);
        self.sources.insert(name.to_owned(), service.to_owned());
    }

    /// The collected attribute `name`, which the journey's validation guarantees `block` has.
    pub(crate) fn required_attribute(
        &self,
        name: &str,
        block: &str,
    ) -> Result<String, EngineError> {
        self.data.get(name).cloned().ok_or_else(|| {
            EngineError::Inconsistent(format!("{block} runs before `{name}` was collected"))
        })
    }

    /// Who owns the collected identifier `name`, if the server was asked.
    pub(crate) fn owner(&self, name: &str) -> Option<&Owner> {
        self.owners.get(name)
    }

    /// The memory of `step`, as the block's type `M`; `None` when it has none.
    pub(crate) fn memory_at<M: DeserializeOwned>(
        &self,
        step: &str,
    ) -> Result<Option<M>, EngineError> {
        self.memory
            .get(step)
            .map(|value| {
                M::deserialize(value).map_err(|e| {
                    EngineError::UnreadableState(format!("the memory of step `{step}`: {e}"))
                })
            })
            .transpose()
    }

    /// Replaces the memory of `step`.
    pub(crate) fn set_memory_at<M: Serialize>(
        &mut self,
        step: &str,
        memory: &M,
    ) -> Result<(), EngineError> {
        let value = serde_json::to_value(memory).map_err(|e| {
            EngineError::UnreadableState(format!("the memory of step `{step}`: {e}"))
        })?;
        self.memory.insert(step.to_owned(), value);
        Ok(())
    }
}
