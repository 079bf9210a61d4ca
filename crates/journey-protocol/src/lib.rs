//! The journey protocol: the JSON that travels between the journey server and the widgets.
//!
//! This crate owns the wire format and nothing else. It depends on serde only, so it builds for
//! `wasm32-unknown-unknown` and the widgets share these exact types with the server. Engine types
//! are not wire types: the server converts explicitly (DESIGN.md, invariant 2).
//!
//! The endpoints, all under `/v1`:
//!
//! - `POST /v1/{tenant}/journeys/{journey}` with a [`StartFlow`] starts a flow and returns a [`Flow`].
//! - `GET /v1/flows/{id}` returns the current [`Flow`]; a page reload resumes there.
//! - `POST /v1/flows/{id}` with a [`Submit`] answers the current step and returns the next [`Flow`].
//!
//! A request that cannot be served answers with a 4xx status and an [`ErrorBody`]; when the flow
//! still exists the body carries its current state, so a client can always re-render.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod tenant;
pub use tenant::*;

/// The version segment of every API path.
pub const API_VERSION: &str = "v1";

/// The longest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A text a person reads: its Fluent message id and the text resolved for the flow's locale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The Fluent message id, stable across releases and locales.
    pub id: String,
    /// The text in the flow's locale.
    pub text: String,
}

/// Where a flow is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowStatus {
    /// Waiting for the person to answer `step`.
    Active,
    /// Finished successfully; `outcome` is set.
    Complete,
    /// Ended without success (for example too many wrong codes); `step` explains why.
    Failed,
    /// Not finished in time; start a new flow.
    Expired,
}

impl FlowStatus {
    /// The wire name, also used in CSS classes and DOM events.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Complete => "complete",
            Self::Failed => "failed",
            Self::Expired => "expired",
        }
    }
}

/// One run of a journey for one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Opaque flow id; also the capability to continue the flow.
    pub id: String,
    /// The tenant whose journey runs.
    pub tenant: String,
    /// The journey's name within the tenant.
    pub journey: String,
    /// The brand the texts and theme belong to.
    pub brand: String,
    /// The BCP 47 language tag the texts are in.
    pub locale: String,
    /// Where the flow is.
    pub status: FlowStatus,
    /// When the flow expires, in seconds since the Unix epoch.
    pub expires_at: i64,
    /// The step waiting for the person; absent once the flow is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
    /// The result of a complete flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// The step a flow waits at: a building block with its fields, actions and messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The step id from the journey file; a submission names it.
    pub id: String,
    /// The building block, such as `collect_user_data` or `email_validation`.
    pub block: String,
    /// The heading of the step.
    pub title: Text,
    /// What the block needs beyond fields: see [`BlockView`].
    pub view: BlockView,
    /// The inputs, in display order.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// The buttons, in display order; the first primary one submits the form.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Messages for the whole step; field messages sit on their fields.
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// The typed part of a step that only its block has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockView {
    /// Collect user data: nothing beyond its fields.
    CollectUserData,
    /// Email validation: a code was sent to `email_masked`.
    EmailValidation {
        /// The address with most of it hidden, such as `j***@example.com`.
        email_masked: String,
        /// How many digits the code has.
        code_length: u8,
        /// How many wrong tries the current code still allows.
        attempts_left: u8,
        /// Seconds from this answer until a new code may be asked for.
        resend_available_in: u32,
    },
    /// Set password: the limits the server enforces, so the widget can hint them.
    SetPassword {
        /// Fewest Unicode code points.
        min_length: u32,
        /// Most Unicode code points.
        max_length: u32,
    },
    /// Show information: paragraphs of text.
    ShowInformation {
        /// The paragraphs.
        body: Vec<Text>,
    },
    /// Identifier and password login.
    PasswordLogin,
}

/// What a field holds; the widget picks the input type from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An email address.
    Email,
    /// A password; `autocomplete` says whether current or new.
    Password,
    /// A one-time code of digits.
    OneTimeCode,
}

impl FieldKind {
    /// The wire name, also used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Email => "email",
            Self::Password => "password",
            Self::OneTimeCode => "one_time_code",
        }
    }
}

/// One input of a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The key under which the value is submitted.
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// The visible label.
    pub label: Text,
    /// Whether the step cannot be submitted without it.
    pub required: bool,
    /// The HTML `autocomplete` token, such as `email` or `one-time-code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// Fewest characters the server accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Most characters the server accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// A hint shown below the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    /// The value to show again, such as what the person typed before an error. Never a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For passwords: the labels of the show/hide toggle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<Reveal>,
    /// Errors and notes about this field.
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// The labels of a password field's show/hide toggle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    /// The toggle's label while the password is hidden.
    pub show: Text,
    /// The toggle's label while the password is shown.
    pub hide: Text,
}

/// How prominent an action is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// The main way forward; submits the fields.
    Primary,
    /// Another way forward that does not need the fields, such as "send a new code".
    Secondary,
}

impl ActionKind {
    /// The wire name, also used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Secondary => "secondary",
        }
    }
}

/// A button of a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// The id a submission names, such as `submit` or `resend`.
    pub id: String,
    /// How prominent it is.
    pub kind: ActionKind,
    /// The button text.
    pub label: Text,
    /// Whether the fields are sent (and checked) with this action.
    pub submits_fields: bool,
    /// Seconds from this answer until it becomes available; absent means now. Relative, so a
    /// client's clock does not matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_in: Option<u32>,
    /// Why it is not available yet, such as "You can ask for a new code after 30 seconds."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
}

/// How a message should be presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageLevel {
    /// Neutral information.
    Info,
    /// Something went well, such as "we sent a new code".
    Success,
    /// Something must be fixed before going on.
    Error,
}

impl MessageLevel {
    /// The wire name, also used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Success => "success",
            Self::Error => "error",
        }
    }
}

/// A message about a step or a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// How to present it.
    pub level: MessageLevel,
    /// The Fluent message id.
    pub id: String,
    /// The text in the flow's locale.
    pub text: String,
}

/// The result of a complete flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// What to tell the person now, such as "You are signed in."
    pub message: Text,
    /// The session the flow started.
    pub session: Session,
    /// A signed JWT for the host page, verifiable with the tenant's JWKS. It travels with the
    /// answer that completed the flow and at most once more, to a page that reloads within a
    /// minute; later reads show the outcome without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Where the host page may send the person next, if the journey says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
}

/// A session as the host page may see it; the session secret travels only in a cookie.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The account's stable subject identifier.
    pub subject: String,
    /// The level of assurance reached, such as `loa1`.
    pub acr: String,
    /// The authentication methods used (RFC 8176), such as `pwd` and `otp`.
    pub amr: Vec<String>,
    /// When the person authenticated, in seconds since the Unix epoch.
    pub auth_time: i64,
    /// When the session ends, in seconds since the Unix epoch.
    pub expires_at: i64,
}

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

/// Stable error codes; clients branch on these, never on texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON.
    MalformedJson,
    /// The body is JSON but not of the expected shape (missing or unknown fields).
    InvalidRequest,
    /// The request is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than [`MAX_BODY_BYTES`].
    PayloadTooLarge,
    /// No such tenant.
    TenantNotFound,
    /// No such journey for the tenant.
    JourneyNotFound,
    /// No such flow (or it was removed after expiry).
    FlowNotFound,
    /// The flow expired; start a new one.
    FlowExpired,
    /// The flow has ended; nothing more to answer.
    FlowEnded,
    /// The submission answers a step the flow is not at; `flow` has the current step.
    StepMismatch,
    /// The action does not exist on the current step, or is not available yet.
    ActionUnavailable,
    /// A value was refused; the messages beside the fields say why.
    InvalidInput,
    /// The same submission raced with another; `flow` has the state that won.
    Conflict,
    /// Too many attempts; wait before trying again.
    RateLimited,
    /// The request came from an origin the tenant does not allow.
    OriginNotAllowed,
    /// No such route.
    NotFound,
    /// The route exists, but not with this HTTP method.
    MethodNotAllowed,
    /// Something failed on the server; nothing was changed.
    Internal,
}

impl ErrorCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::InvalidRequest => "invalid_request",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::TenantNotFound => "tenant_not_found",
            Self::JourneyNotFound => "journey_not_found",
            Self::FlowNotFound => "flow_not_found",
            Self::FlowExpired => "flow_expired",
            Self::FlowEnded => "flow_ended",
            Self::StepMismatch => "step_mismatch",
            Self::ActionUnavailable => "action_unavailable",
            Self::InvalidInput => "invalid_input",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate_limited",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal => "internal",
        }
    }
}

/// The error part of an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// The stable code.
    pub code: ErrorCode,
    /// The Fluent message id of `text`.
    pub id: String,
    /// What happened and what to do, in the flow's (or the default) locale.
    pub text: String,
}

/// The body of every 4xx and 5xx answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
    /// The flow's current state, when there is a flow to continue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<Flow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_view_is_tagged_by_kind() {
        let view = BlockView::EmailValidation {
            email_masked: "j***@example.com".into(),
            code_length: 6,
            attempts_left: 5,
            resend_available_in: 30,
        };
        let json = serde_json::to_value(&view).unwrap_or_default();
        assert_eq!(json["kind"], "email_validation");
        assert_eq!(json["code_length"], 6);
    }

    #[test]
    fn submit_refuses_unknown_fields() {
        let err = serde_json::from_str::<Submit>(r#"{"step":"a","action":"submit","extra":1}"#);
        assert!(err.is_err());
        let ok = serde_json::from_str::<Submit>(r#"{"step":"a","action":"submit"}"#);
        assert_eq!(ok.ok().map(|s| s.values.len()), Some(0));
    }

    #[test]
    fn error_codes_serialize_as_their_wire_names() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::StepMismatch,
            ErrorCode::Internal,
        ] {
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, code.as_str());
        }
    }
}
