//! The bodies of the requests a client sends: starting a flow, answering a step, extending a
//! flow. Plain serde with unknown fields refused: the server reads them, the widget writes
//! them (`widgets/src/client`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The body of `POST /v1/{tenant}/journeys/{journey}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartFlow {
    /// The brand; the tenant's default brand when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The preferred language; the brand's default when absent or not supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Facts from the host page, such as a quote number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, String>,
    /// A value from the page that the ID token echoes as its `nonce` claim, so the page can
    /// tell its own token from a replayed one: 1 to 255 visible ASCII characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

/// The body of `POST /v1/flows/{id}/extend`: `{}`. JSON like every request that changes a
/// flow, so a browser on another origin sends it only after a CORS preflight.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extend {}

/// The body of `POST /v1/flows/{id}`: an answer to one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    /// The step this answers; a stale one gets the current state back.
    pub step: String,
    /// The action taken, such as `submit` or `resend`.
    pub action: String,
    /// The field values by field name.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}
