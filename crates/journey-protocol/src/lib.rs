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
//! - `POST /v1/flows/{id}/extend` with an [`Extend`] (`{}`) gives an active flow more time, up to its
//!   [`Expiry::max_expires_at`], and returns the [`Flow`].
//!
//! A request that cannot be served answers with a 4xx status and an [`ErrorBody`]; when the flow
//! still exists the body carries its current state, so a client can always re-render.
//!
//! Each type is written once, with the macros of `macros.rs`: from that one definition come its
//! serde form (the server's), its [`Decode`] (the widget's reader, `decode.rs`) and its
//! [`Resolve`] (the server filling texts, `resolve.rs`). The engine builds step views with these
//! same types, so a block's view has no second, hand-kept copy anywhere.

#[macro_use]
mod macros;
pub mod decode;
mod resolve;
#[cfg(test)]
mod samples;

pub use decode::{Decode, DecodeError, Source};
pub use resolve::{Arg, Args, Resolve, Resolver};

use serde::{Deserialize, Serialize};

mod tenant;
pub use tenant::*;
mod requests;
pub use requests::*;
mod examples;
pub use examples::*;
mod consent;
pub use consent::*;

/// The version segment of every API path.
pub const API_VERSION: &str = "v1";

/// The longest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A text a person reads: its Fluent message id and the text resolved for the flow's locale.
/// Until the server resolves it, it holds the message's arguments instead of the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The Fluent message id, stable across releases and locales.
    pub id: String,
    /// The text in the flow's locale; empty until resolved.
    #[serde(default)]
    pub text: String,
    /// The message's arguments until it is resolved; never sent.
    #[serde(default, skip_serializing_if = "Args::is_empty")]
    pub args: Args,
}

impl Text {
    /// The message `id`, to be resolved.
    pub fn msg(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: String::new(),
            args: Args::default(),
        }
    }

    /// Adds a named argument.
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.0.push((name.to_owned(), value.into()));
        self
    }
}

impl Decode for Text {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        Ok(Self {
            id: decode::field(source, "id")?,
            text: decode::field(source, "text")?,
            args: Args::default(),
        })
    }
}

impl Resolve for Text {
    fn resolve(&mut self, resolver: &mut Resolver<'_>) {
        self.text = resolver(&self.id, &self.args.0);
        self.args = Args::default();
    }
}

wire_enum! {
    /// Where a flow is in its life.
    pub enum FlowStatus {
        /// Waiting for the person to answer `step`.
        Active = "active",
        /// Finished successfully; `outcome` is set.
        Complete = "complete",
        /// Ended without success (for example too many wrong codes); `step` explains why.
        Failed = "failed",
        /// Not finished in time; start a new flow.
        Expired = "expired",
    }
}

wire_struct! {
    /// One run of a journey for one person.
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
        /// When and how to warn before an active flow expires; absent otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expiry: Option<Expiry>,
    }
}

wire_struct! {
    /// What a client needs to warn before an active flow expires and to offer more time
    /// (WCAG 2.2.1, Timing Adjustable). Times are the server's: a client measures the time left
    /// as `expires_at - now` of the answer, counted down on its own monotonic clock from when
    /// the answer arrived, so a browser clock that is wrong does not matter.
    pub struct Expiry {
        /// The server's clock when it answered, in seconds since the Unix epoch.
        pub now: i64,
        /// The latest `expires_at` an extension can reach (the flow's maximum lifetime); when it
        /// equals `expires_at` the flow cannot be extended any more.
        pub max_expires_at: i64,
        /// How many seconds before `expires_at` to warn (at least 20, WCAG 2.2.1).
        pub warn_before: u32,
        /// The warning's heading, such as "Your session is about to end".
        pub warning: Text,
        /// What extending does, such as "Continue to get more time.".
        pub extend_hint: Text,
        /// The label of the button that extends the flow.
        pub extend_label: Text,
        /// Said instead of `extend_hint` once the flow cannot be extended.
        pub final_notice: Text,
        /// The time left in words, coarsest first: show the last one whose `up_to` is at least
        /// the seconds left ("Less than 2 minutes left", …, "Less than 10 seconds left").
        #[serde(default)]
        pub left: Vec<TimeLeft>,
    }
}

wire_struct! {
    /// One wording of the time left, for up to `up_to` seconds.
    pub struct TimeLeft {
        /// The most seconds left this text is for.
        pub up_to: u32,
        /// The text, with Fluent plurals resolved on the server.
        pub text: Text,
    }
}

wire_struct! {
    /// The step a flow waits at: a building block with its fields, actions and messages.
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
}

block_views! {
    /// The typed part of a step that only its block has.
    pub enum BlockView {
        /// Collect user data: nothing beyond its fields.
        CollectUserData = "collect_user_data" {},
        /// Email validation: a code was sent to `email_masked`.
        EmailValidation = "email_validation" {
            /// The address with most of it hidden, such as `j***@example.com`.
            email_masked: String,
            /// How many digits the code has.
            code_length: u8,
            /// How many wrong tries the current code still allows.
            attempts_left: u8,
            /// Seconds from this answer until a new code may be asked for.
            resend_available_in: u32,
        },
        /// Identify by email code: a sign-in code was sent to `email_masked` (or, for an
        /// address without an account, a notice; the view is the same either way).
        IdentifyByEmailCode = "identify_by_email_code" {
            /// The address with most of it hidden, such as `j***@example.com`.
            email_masked: String,
            /// How many digits the code has.
            code_length: u8,
            /// How many wrong tries the current code still allows.
            attempts_left: u8,
            /// Seconds from this answer until a new code may be asked for.
            resend_available_in: u32,
        },
        /// Phone number verification: the number is asked for (`stage` `number`), then a code
        /// goes to it by SMS or a voice call (`stage` `code`).
        PhoneNumberVerification = "phone_number_verification" {
            /// Which of the two the step shows.
            stage: PhoneStage,
            /// At the code stage, the number with all but its last digits hidden, such as
            /// `+31 6 ••••• 678`; empty at the number stage.
            phone_masked: String,
            /// How the code goes (or will go): `sms` or `voice`.
            channel: String,
            /// How many digits the code has.
            code_length: u8,
            /// How many wrong tries the current code still allows.
            attempts_left: u8,
            /// Seconds from this answer until a new code may be asked for.
            resend_available_in: u32,
        },
        /// Set password: the limits the server enforces, so the widget can hint them.
        SetPassword = "set_password" {
            /// Fewest Unicode code points.
            min_length: u32,
            /// Most Unicode code points.
            max_length: u32,
        },
        /// Show information: paragraphs of text.
        ShowInformation = "show_information" {
            /// The paragraphs.
            body: Vec<Text>,
        },
        /// Identifier and password login.
        PasswordLogin = "password_login" {},
        /// Profile completion: paragraphs that say why the missing attributes are asked for.
        ProfileCompletion = "profile_completion" {
            /// The paragraphs.
            body: Vec<Text>,
        },
        /// Attribute consent: one checkbox field per purpose, ticked where it is granted.
        AttributeConsent = "attribute_consent" {
            /// What the choices are about and that they can be changed at any time.
            intro: Text,
        },
        /// Document consent: the documents to read, each with its checkbox field when it needs
        /// accepting.
        DocumentConsent = "document_consent" {
            /// The documents, in the order the journey lists them.
            documents: Vec<ConsentDocument>,
        },
    }
}

wire_enum! {
    /// Which part of a phone number verification a step shows.
    pub enum PhoneStage {
        /// The number (and, when the step offers both, SMS or voice) is asked for.
        Number = "number",
        /// A code went to the number; it is asked for.
        Code = "code",
    }
}

wire_enum! {
    /// What a field holds; the widget picks the input type from it. A kind this build does not
    /// know reads as free text.
    pub enum FieldKind {
        /// Free text.
        Text = "text",
        /// An email address.
        Email = "email",
        /// A phone number, as the person types it (the server reads and normalises it).
        Phone = "phone",
        /// A password; `autocomplete` says whether current or new.
        Password = "password",
        /// A one-time code of digits.
        OneTimeCode = "one_time_code",
        /// A calendar date, `YYYY-MM-DD`, within `min` and `max` when they are set.
        Date = "date",
        /// One of `options`, by its value.
        Choice = "choice",
        /// A checkbox: ticked submits `yes`, unticked submits nothing; `value` is `yes` when
        /// it shows ticked.
        Checkbox = "checkbox",
    }
    else Text
}

wire_struct! {
    /// One input of a step.
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
        /// For a choice: what may be chosen, in display order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub options: Vec<FieldOption>,
        /// For a date: the earliest the server accepts, `YYYY-MM-DD`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub min: Option<String>,
        /// For a date: the latest the server accepts, `YYYY-MM-DD`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max: Option<String>,
        /// Errors and notes about this field.
        #[serde(default)]
        pub messages: Vec<Message>,
    }
}

wire_struct! {
    /// One option of a choice field.
    pub struct FieldOption {
        /// What is submitted when it is chosen.
        pub value: String,
        /// What the person reads.
        pub label: Text,
    }
}

wire_struct! {
    /// The labels of a password field's show/hide toggle.
    pub struct Reveal {
        /// The toggle's label while the password is hidden.
        pub show: Text,
        /// The toggle's label while the password is shown.
        pub hide: Text,
    }
}

/// The message id of a password toggle's label while the password is hidden.
pub const REVEAL_SHOW: &str = "action-reveal-show";

/// The message id of a password toggle's label while the password is shown.
pub const REVEAL_HIDE: &str = "action-reveal-hide";

impl Reveal {
    /// The standard toggle labels, to be resolved.
    pub fn standard() -> Self {
        Self {
            show: Text::msg(REVEAL_SHOW),
            hide: Text::msg(REVEAL_HIDE),
        }
    }
}

wire_enum! {
    /// How prominent an action is. A kind this build does not know reads as secondary.
    pub enum ActionKind {
        /// The main way forward; submits the fields.
        Primary = "primary",
        /// Another way forward that does not need the fields, such as "send a new code".
        Secondary = "secondary",
    }
    else Secondary
}

wire_struct! {
    /// A button of a step.
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
}

wire_enum! {
    /// How a message should be presented. A level this build does not know reads as info.
    pub enum MessageLevel {
        /// Neutral information.
        Info = "info",
        /// Something went well, such as "we sent a new code".
        Success = "success",
        /// Something must be fixed before going on.
        Error = "error",
    }
    else Info
}

/// A message about a step or a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// How to present it.
    pub level: MessageLevel,
    /// The Fluent message id.
    pub id: String,
    /// The text in the flow's locale; empty until resolved.
    #[serde(default)]
    pub text: String,
    /// The message's arguments until it is resolved; never sent.
    #[serde(default, skip_serializing_if = "Args::is_empty")]
    pub args: Args,
}

impl Message {
    /// A message at `level` with the text of `text` (resolved or not).
    pub fn new(level: MessageLevel, text: Text) -> Self {
        Self {
            level,
            id: text.id,
            text: text.text,
            args: text.args,
        }
    }
}

impl Decode for Message {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        Ok(Self {
            level: decode::field(source, "level")?,
            id: decode::field(source, "id")?,
            text: decode::field(source, "text")?,
            args: Args::default(),
        })
    }
}

impl Resolve for Message {
    fn resolve(&mut self, resolver: &mut Resolver<'_>) {
        self.text = resolver(&self.id, &self.args.0);
        self.args = Args::default();
    }
}

wire_struct! {
    /// The result of a complete flow.
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
}

wire_struct! {
    /// A session as the host page may see it; the session secret travels only in a cookie.
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
}

wire_enum! {
    /// Stable error codes; clients branch on these, never on texts. A code this build does not
    /// know reads as `internal`.
    pub enum ErrorCode {
        /// The body is not valid JSON.
        MalformedJson = "malformed_json",
        /// The body is JSON but not of the expected shape (missing or unknown fields).
        InvalidRequest = "invalid_request",
        /// The request is not `application/json`.
        UnsupportedMediaType = "unsupported_media_type",
        /// The body is larger than [`MAX_BODY_BYTES`].
        PayloadTooLarge = "payload_too_large",
        /// No such tenant.
        TenantNotFound = "tenant_not_found",
        /// No such journey for the tenant.
        JourneyNotFound = "journey_not_found",
        /// No such flow (or it was removed after expiry).
        FlowNotFound = "flow_not_found",
        /// The flow expired; start a new one.
        FlowExpired = "flow_expired",
        /// The flow has ended; nothing more to answer.
        FlowEnded = "flow_ended",
        /// The submission answers a step the flow is not at; `flow` has the current step.
        StepMismatch = "step_mismatch",
        /// The action does not exist on the current step, or is not available yet.
        ActionUnavailable = "action_unavailable",
        /// A value was refused; the messages beside the fields say why.
        InvalidInput = "invalid_input",
        /// The same submission raced with another; `flow` has the state that won.
        Conflict = "conflict",
        /// Too many attempts; wait before trying again.
        RateLimited = "rate_limited",
        /// The request came from an origin the tenant does not allow.
        OriginNotAllowed = "origin_not_allowed",
        /// The journey sends messages by a channel (email, SMS, voice) this server has no
        /// sender for; the text says which. Nothing was started.
        ChannelUnavailable = "channel_unavailable",
        /// The start request's `context` was refused: not an object, or a key the journey does
        /// not declare, a value of the wrong type or too long; the text names the key
        /// (`$key`). Nothing was started.
        InvalidContext = "invalid_context",
        /// No such route.
        NotFound = "not_found",
        /// The route exists, but not with this HTTP method.
        MethodNotAllowed = "method_not_allowed",
        /// Something failed on the server; nothing was changed.
        Internal = "internal",
    }
    else Internal
}

wire_struct! {
    /// The error part of an [`ErrorBody`].
    pub struct ErrorDetail {
        /// The stable code.
        pub code: ErrorCode,
        /// The Fluent message id of `text`.
        pub id: String,
        /// What happened and what to do, in the flow's (or the default) locale.
        pub text: String,
    }
}

wire_struct! {
    /// The body of every 4xx and 5xx answer.
    pub struct ErrorBody {
        /// What went wrong.
        pub error: ErrorDetail,
        /// The flow's current state, when there is a flow to continue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub flow: Option<Flow>,
    }
}

#[cfg(test)]
mod tests;
