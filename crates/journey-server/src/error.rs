//! The one error type that reaches clients: a stable code, a message id and its text, and the
//! flow's current state when there is one (DESIGN.md, invariant 7). Internal detail is logged
//! where the error is made, never sent.
//!
//! [`JsonBody`] is the JSON extractor of every endpoint, so a wrong content type, an oversized
//! or too slow body and malformed or misshapen JSON all come back in this same format.

use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use journey_protocol::{ErrorBody, ErrorCode, ErrorDetail, Flow, MAX_BODY_BYTES};
use serde::de::DeserializeOwned;

/// An error answer.
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
        ErrorCode::MalformedJson | ErrorCode::InvalidRequest | ErrorCode::ActionUnavailable => {
            StatusCode::BAD_REQUEST
        }
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
