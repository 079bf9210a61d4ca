//! Reading and writing the protocol's JSON through the browser's own `JSON`, without serde.
//!
//! `serde_json` (with serde's derived visitors, its buffering of internally tagged enums and the
//! float formatting its error messages pull in) made up about a quarter of the widget's wasm.
//! The browser already parses JSON, so this module walks the parsed `JsValue`s into the
//! `journey-protocol` types directly, and builds request bodies and event details as plain
//! objects. The types stay the protocol's own; a test decodes values that `serde_json` encoded
//! from those types, so the two cannot drift apart silently.
//!
//! Decoding is as strict as serde's on what the widget needs (a missing id or title is an error)
//! and as lenient on what it may skip (absent lists are empty, unknown keys are ignored).

use std::collections::BTreeMap;

use journey_protocol::{
    Action, ActionKind, BlockView, ErrorBody, ErrorCode, ErrorDetail, Field, FieldKind, Flow,
    FlowStatus, Message, MessageLevel, Outcome, Reveal, Session, StartFlow, Step, Submit, Text,
};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use super::NetworkError;

type Result<T> = std::result::Result<T, NetworkError>;

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn string(object: &JsValue, key: &str) -> Result<String> {
    get(object, key).as_string().ok_or(NetworkError)
}

fn opt<T>(object: &JsValue, key: &str, read: fn(&JsValue) -> Result<T>) -> Result<Option<T>> {
    let value = get(object, key);
    if absent(&value) {
        Ok(None)
    } else {
        read(&value).map(Some)
    }
}

fn as_string(value: &JsValue) -> Result<String> {
    value.as_string().ok_or(NetworkError)
}

fn as_int(value: &JsValue) -> Result<i64> {
    let n = value.as_f64().ok_or(NetworkError)?;
    // Beyond 2^53 a JavaScript number is no longer an exact integer.
    if n.fract() != 0.0 || n.abs() > 9_007_199_254_740_991.0 {
        return Err(NetworkError);
    }
    Ok(n as i64)
}

fn as_u32(value: &JsValue) -> Result<u32> {
    u32::try_from(as_int(value)?).map_err(|_| NetworkError)
}

fn int<T: TryFrom<i64>>(object: &JsValue, key: &str) -> Result<T> {
    T::try_from(as_int(&get(object, key))?).map_err(|_| NetworkError)
}

fn boolean(object: &JsValue, key: &str) -> Result<bool> {
    get(object, key).as_bool().ok_or(NetworkError)
}

fn list<T>(object: &JsValue, key: &str, read: fn(&JsValue) -> Result<T>) -> Result<Vec<T>> {
    let value = get(object, key);
    if absent(&value) {
        return Ok(Vec::new());
    }
    if !Array::is_array(&value) {
        return Err(NetworkError);
    }
    Array::from(&value).iter().map(|item| read(&item)).collect()
}

/// Picks the variant whose wire name is `key`'s value.
fn variant<T: Copy>(
    object: &JsValue,
    key: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T> {
    let wire = string(object, key)?;
    all.iter()
        .copied()
        .find(|v| name(*v) == wire)
        .ok_or(NetworkError)
}

fn text(v: &JsValue) -> Result<Text> {
    Ok(Text {
        id: string(v, "id")?,
        text: string(v, "text")?,
    })
}

fn message(v: &JsValue) -> Result<Message> {
    let levels = [
        MessageLevel::Info,
        MessageLevel::Success,
        MessageLevel::Error,
    ];
    Ok(Message {
        level: variant(v, "level", &levels, MessageLevel::as_str)?,
        id: string(v, "id")?,
        text: string(v, "text")?,
    })
}

fn reveal(v: &JsValue) -> Result<Reveal> {
    Ok(Reveal {
        show: text(&get(v, "show"))?,
        hide: text(&get(v, "hide"))?,
    })
}

fn field(v: &JsValue) -> Result<Field> {
    let kinds = [
        FieldKind::Text,
        FieldKind::Email,
        FieldKind::Password,
        FieldKind::OneTimeCode,
    ];
    Ok(Field {
        name: string(v, "name")?,
        kind: variant(v, "kind", &kinds, FieldKind::as_str)?,
        label: text(&get(v, "label"))?,
        required: boolean(v, "required")?,
        autocomplete: opt(v, "autocomplete", as_string)?,
        min_length: opt(v, "min_length", as_u32)?,
        max_length: opt(v, "max_length", as_u32)?,
        hint: opt(v, "hint", text)?,
        value: opt(v, "value", as_string)?,
        reveal: opt(v, "reveal", reveal)?,
        messages: list(v, "messages", message)?,
    })
}

fn action(v: &JsValue) -> Result<Action> {
    let kinds = [ActionKind::Primary, ActionKind::Secondary];
    Ok(Action {
        id: string(v, "id")?,
        kind: variant(v, "kind", &kinds, ActionKind::as_str)?,
        label: text(&get(v, "label"))?,
        submits_fields: boolean(v, "submits_fields")?,
        available_in: opt(v, "available_in", as_u32)?,
        hint: opt(v, "hint", text)?,
    })
}

fn block_view(v: &JsValue) -> Result<BlockView> {
    Ok(match string(v, "kind")?.as_str() {
        "collect_user_data" => BlockView::CollectUserData,
        "email_validation" => BlockView::EmailValidation {
            email_masked: string(v, "email_masked")?,
            code_length: int(v, "code_length")?,
            attempts_left: int(v, "attempts_left")?,
            resend_available_in: int(v, "resend_available_in")?,
        },
        "set_password" => BlockView::SetPassword {
            min_length: int(v, "min_length")?,
            max_length: int(v, "max_length")?,
        },
        "show_information" => BlockView::ShowInformation {
            body: list(v, "body", text)?,
        },
        "password_login" => BlockView::PasswordLogin,
        _ => return Err(NetworkError),
    })
}

fn step(v: &JsValue) -> Result<Step> {
    Ok(Step {
        id: string(v, "id")?,
        block: string(v, "block")?,
        title: text(&get(v, "title"))?,
        view: block_view(&get(v, "view"))?,
        fields: list(v, "fields", field)?,
        actions: list(v, "actions", action)?,
        messages: list(v, "messages", message)?,
    })
}

fn session(v: &JsValue) -> Result<Session> {
    Ok(Session {
        subject: string(v, "subject")?,
        acr: string(v, "acr")?,
        amr: list(v, "amr", as_string)?,
        auth_time: int(v, "auth_time")?,
        expires_at: int(v, "expires_at")?,
    })
}

fn outcome(v: &JsValue) -> Result<Outcome> {
    Ok(Outcome {
        message: text(&get(v, "message"))?,
        session: session(&get(v, "session"))?,
        id_token: opt(v, "id_token", as_string)?,
        redirect: opt(v, "redirect", as_string)?,
    })
}

/// Reads a [`Flow`] from parsed JSON.
pub fn flow(v: &JsValue) -> Result<Flow> {
    let statuses = [
        FlowStatus::Active,
        FlowStatus::Complete,
        FlowStatus::Failed,
        FlowStatus::Expired,
    ];
    Ok(Flow {
        id: string(v, "id")?,
        tenant: string(v, "tenant")?,
        journey: string(v, "journey")?,
        brand: string(v, "brand")?,
        locale: string(v, "locale")?,
        status: variant(v, "status", &statuses, FlowStatus::as_str)?,
        expires_at: int(v, "expires_at")?,
        step: opt(v, "step", step)?,
        outcome: opt(v, "outcome", outcome)?,
    })
}

/// Every error code, to match wire names against.
const ERROR_CODES: [ErrorCode; 18] = [
    ErrorCode::MalformedJson,
    ErrorCode::InvalidRequest,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::PayloadTooLarge,
    ErrorCode::TenantNotFound,
    ErrorCode::JourneyNotFound,
    ErrorCode::FlowNotFound,
    ErrorCode::FlowExpired,
    ErrorCode::FlowEnded,
    ErrorCode::StepMismatch,
    ErrorCode::ActionUnavailable,
    ErrorCode::InvalidInput,
    ErrorCode::Conflict,
    ErrorCode::RateLimited,
    ErrorCode::OriginNotAllowed,
    ErrorCode::NotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::Internal,
];

/// Reads an [`ErrorBody`] from parsed JSON.
pub fn error_body(v: &JsValue) -> Result<ErrorBody> {
    let e = get(v, "error");
    Ok(ErrorBody {
        error: ErrorDetail {
            code: variant(&e, "code", &ERROR_CODES, ErrorCode::as_str)?,
            id: string(&e, "id")?,
            text: string(&e, "text")?,
        },
        flow: opt(v, "flow", flow)?,
    })
}

/// Parses JSON text with the browser's parser.
pub fn parse_json(text: &str) -> Result<JsValue> {
    JSON::parse(text).map_err(|_| NetworkError)
}

/// A plain object built key by key.
pub struct Obj(Object);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Self(Object::new())
    }

    /// Sets `key` (setting a property on a fresh plain object cannot fail).
    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Sets `key` when `value` is present.
    pub fn set_opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// The finished object.
    pub fn into_value(self) -> JsValue {
        self.0.into()
    }
}

impl Default for Obj {
    fn default() -> Self {
        Self::new()
    }
}

fn map(values: &BTreeMap<String, String>) -> JsValue {
    values
        .iter()
        .fold(Obj::new(), |o, (k, v)| o.set(k, v.as_str()))
        .into_value()
}

fn stringify(value: &JsValue) -> Result<String> {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or(NetworkError)
}

/// The JSON body of a [`StartFlow`].
pub fn start_body(start: &StartFlow) -> Result<String> {
    let mut o = Obj::new()
        .set_opt("brand", start.brand.as_deref())
        .set_opt("locale", start.locale.as_deref())
        .set_opt("nonce", start.nonce.as_deref());
    if !start.context.is_empty() {
        o = o.set("context", map(&start.context));
    }
    stringify(&o.into_value())
}

/// The JSON body of a [`Submit`].
pub fn submit_body(submit: &Submit) -> Result<String> {
    let o = Obj::new()
        .set("step", submit.step.as_str())
        .set("action", submit.action.as_str())
        .set("values", map(&submit.values));
    stringify(&o.into_value())
}
