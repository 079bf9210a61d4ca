//! Errors, inside and on the wire (DESIGN.md, invariant 7).
//!
//! Inside, the flow code returns a [`Failure`]: a refusal with its stable [`ErrorCode`] (and
//! the flow's current state, and a wait before retrying, when there are ones), or an internal
//! failure with the context and detail for the log. It holds no text: which language a person
//! reads is decided at the edge. The handlers ([`crate::api`]) turn it into the one error type
//! that reaches clients, [`ApiError`], once, with [`Failure::into_api`]: a stable code, a
//! message id and its text in the flow's locale (or the request's), and the flow when there is
//! one. Internal detail is logged there and never sent.
//!
//! [`JsonBody`] is the JSON extractor of every endpoint, so a wrong content type, an oversized
//! or too slow body and malformed or misshapen JSON all come back in this same format.

use crate::password::PasswordError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use journey_protocol::{ErrorBody, ErrorCode, ErrorDetail, Flow, MAX_BODY_BYTES};
use serde::de::DeserializeOwned;

/// Why a request could not be served, before it becomes an answer.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The request is refused with a stable code the client can act on.
    #[error("refused: {}", .code.as_str())]
    Refused {
        /// The stable code.
        code: ErrorCode,
        /// The flow's current state, so the client can re-render; when the flow exists.
        flow: Option<Box<Flow>>,
        /// Seconds the client should wait before it retries.
        retry_after: Option<u32>,
        /// Arguments of the code's text (`channel` of `channel_unavailable`).
        args: Vec<(String, journey_protocol::Arg)>,
    },
    /// Something inside failed (the store, the signer, a saved state that does not parse):
    /// answered `internal`, with `context` and `detail` in the log only.
    #[error("{context}: {detail}")]
    Internal {
        /// What the server was doing.
        context: &'static str,
        /// What went wrong; may name internals, so it is never sent.
        detail: String,
    },
}

impl Failure {
    /// A refusal with `code`, without a flow.
    pub fn refused(code: ErrorCode) -> Self {
        Self::Refused {
            code,
            flow: None,
            retry_after: None,
            args: Vec::new(),
        }
    }

    /// The same refusal, with `name` set to `value` in its text.
    pub fn with_arg(self, name: &str, value: &str) -> Self {
        match self {
            Self::Refused {
                code,
                flow,
                retry_after,
                mut args,
            } => {
                args.push((
                    name.to_owned(),
                    journey_protocol::Arg::Text(value.to_owned()),
                ));
                Self::Refused {
                    code,
                    flow,
                    retry_after,
                    args,
                }
            }
            internal => internal,
        }
    }

    /// An internal failure while doing `context`.
    pub fn internal(context: &'static str, error: impl std::fmt::Display) -> Self {
        Self::Internal {
            context,
            detail: error.to_string(),
        }
    }

    /// The same refusal, carrying the flow's current state (an internal failure stays as it is).
    pub fn with_flow(self, current: Flow) -> Self {
        match self {
            Self::Refused {
                code,
                retry_after,
                args,
                ..
            } => Self::Refused {
                code,
                flow: Some(Box::new(current)),
                retry_after,
                args,
            },
            internal => internal,
        }
    }

    /// The same refusal, telling the client to wait `seconds` before it retries.
    pub fn with_retry_after(self, seconds: u32) -> Self {
        match self {
            Self::Refused {
                code, flow, args, ..
            } => Self::Refused {
                code,
                flow,
                retry_after: Some(seconds),
                args,
            },
            internal => internal,
        }
    }

    /// The answer to send: the text in the flow's locale when the failure carries the flow,
    /// else in `locale` (the one the request asked for, matched against the tenant's), else in
    /// the default. An internal failure is logged here, with its detail, and answered without.
    pub fn into_api(self, state: &AppState, locale: Option<&str>) -> ApiError {
        match self {
            Self::Refused {
                code,
                flow,
                retry_after,
                args,
            } => {
                let flow = flow.map(|flow| *flow);
                let flow_locale = flow.as_ref().map(|f| f.locale.clone());
                let locale = flow_locale.as_deref().or(locale);
                let error = state.error_with(code, locale, flow, &args);
                match retry_after {
                    Some(seconds) => error.with_retry_after(seconds),
                    None => error,
                }
            }
            Self::Internal { context, detail } => {
                tracing::error!(error = %detail, "{context}");
                state.error(ErrorCode::Internal, locale, None)
            }
        }
    }
}

/// A busy hasher is the caller's signal to retry shortly; anything else is internal.
impl From<PasswordError> for Failure {
    fn from(error: PasswordError) -> Self {
        match error {
            PasswordError::Busy => Self::refused(ErrorCode::RateLimited),
            other => Self::internal("password hashing", other),
        }
    }
}

/// An error answer: what reaches the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Box<ErrorBody>,
    retry_after: Option<u32>,
}

impl ApiError {
    /// An error with its resolved text.
    pub fn new(code: ErrorCode, id: String, text: String, flow: Option<Flow>) -> Self {
        Self {
            status: status_of(code),
            body: Box::new(ErrorBody {
                error: ErrorDetail { code, id, text },
                flow,
            }),
            retry_after: None,
        }
    }

    /// The same error, telling the client to wait `seconds` (at least one) before it retries:
    /// sent as `Retry-After` in whole seconds (RFC 9110, section 10.2.3).
    pub fn with_retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    /// The seconds of `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<u32> {
        self.retry_after
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.body.error.code
    }
}

/// The HTTP status of each code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::MalformedJson
        | ErrorCode::InvalidRequest
        | ErrorCode::InvalidContext
        | ErrorCode::ActionUnavailable => StatusCode::BAD_REQUEST,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::TenantNotFound
        | ErrorCode::JourneyNotFound
        | ErrorCode::FlowNotFound
        | ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::FlowExpired => StatusCode::GONE,
        ErrorCode::FlowEnded | ErrorCode::StepMismatch | ErrorCode::Conflict => {
            StatusCode::CONFLICT
        }
        ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::OriginNotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::ChannelUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(*self.body)).into_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

/// A JSON request body of at most [`MAX_BODY_BYTES`] that arrives within the body time limit
/// (`Config::timeouts`), refused in the API's error format.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(state.error(ErrorCode::UnsupportedMediaType, None, None));
        }
        let limit = state.config.timeouts.body;
        let read = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES);
        let bytes = tokio::time::timeout(limit, read)
            .await
            .map_err(|_| {
                // A body that trickles in holds a connection and a task: refuse it.
                tracing::info!(?limit, "refused a request body that did not arrive in time");
                state.error(ErrorCode::InvalidRequest, None, None)
            })?
            .map_err(|_| state.error(ErrorCode::PayloadTooLarge, None, None))?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            let code = match e.classify() {
                serde_json::error::Category::Data => ErrorCode::InvalidRequest,
                _ => ErrorCode::MalformedJson,
            };
            // serde_json's message may quote the input (a password); log only where it failed.
            tracing::debug!(category = ?e.classify(), line = e.line(), column = e.column(), "refused request body");
            state.error(code, None, None)
        })
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}
