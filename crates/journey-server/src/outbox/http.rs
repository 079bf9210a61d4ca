//! SMS and voice over HTTP: one generic sender per channel that POSTs each message as signed
//! JSON to the URL the operator configured (`sms.url`, `voice.url`), so a brand plugs in its
//! provider with a small bridge. The README's Delivery section documents the request:
//!
//! ```text
//! POST <url>
//! Content-Type: application/json
//! Idempotency-Key: <id>
//! Journeykit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the key>
//!
//! {"id": "<id>", "channel": "sms", "to": "+31…", "text": "…", "tenant": "…", "brand": "…", "locale": "nl"}
//! ```
//!
//! For voice, `text` is what to speak. A 2xx answer means sent; any other status, a timeout
//! or a failed connection is retried with back-off. Redirects are never followed (a 3xx is a
//! failure): the signed body goes only where it was configured to. `Idempotency-Key` (and
//! `id`) is the same on every try of a message, so a provider can drop the one repeat a crash
//! may cause. An error names the status or the failure, never the URL (it may hold a token)
//! nor the message.

use super::{SendError, Sender, SenderError};
use crate::config::HttpSenderConfig;
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use journey_engine::Channel;
use journey_store::OutboxMessage;
use serde_json::json;
use sha2::Sha256;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Journeykit-Signature";

/// The header carrying the message's id, the same on every try.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The shortest HMAC key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// Sends one channel's messages to one URL.
pub struct HttpSender {
    channel: Channel,
    client: reqwest::Client,
    url: String,
    key: Vec<u8>,
    timeout: Duration,
}

impl HttpSender {
    /// The sender of `channel` for `config`; reads the key file.
    pub fn new(channel: Channel, config: &HttpSenderConfig) -> Result<Self, SenderError> {
        let setting = format!("{channel}.hmac_key_file");
        let key = secret_line(&config.key_file)
            .map_err(|problem| SenderError(format!("{setting}: {problem}")))?;
        if key.len() < MIN_KEY_BYTES {
            return Err(SenderError(format!(
                "{setting}: {}: the key must be at least {MIN_KEY_BYTES} bytes (for example \
                 `openssl rand -hex 32`)",
                config.key_file.display()
            )));
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("journeykit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SenderError(format!("{channel}.url: the HTTP client: {e}")))?;
        Ok(Self {
            channel,
            client,
            url: config.url.clone(),
            key: key.into_bytes(),
            timeout: config.timeout,
        })
    }
}

/// The `Journeykit-Signature` value of `body` sent at `t`: `t=<t>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>">`.
pub fn signature(key: &[u8], t: u64, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The id a provider sees: the same on every try of one message.
pub fn message_key(message: &OutboxMessage) -> String {
    format!("jk-{}", message.id)
}

#[async_trait]
impl Sender for HttpSender {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendError> {
        let id = message_key(message);
        let body = json!({
            "id": id,
            "channel": self.channel.as_str(),
            "to": message.recipient,
            "text": message.body,
            "tenant": message.tenant,
            "brand": message.brand,
            "locale": message.locale,
        })
        .to_string();
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let answer = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_HEADER, &id)
            .header(SIGNATURE_HEADER, signature(&self.key, t, body.as_bytes()))
            .body(body)
            .send()
            .await;
        let channel = self.channel;
        match answer {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) if response.status().is_redirection() => Err(SendError::Retry(format!(
                "{channel} endpoint answered {} (redirects are not followed)",
                response.status()
            ))),
            Ok(response) => Err(SendError::Retry(format!(
                "{channel} endpoint answered {}",
                response.status()
            ))),
            Err(e) if e.is_timeout() => Err(SendError::Retry(format!(
                "{channel} endpoint: no answer within {} s",
                self.timeout.as_secs()
            ))),
            Err(e) if e.is_connect() => Err(SendError::Retry(format!(
                "{channel} endpoint: could not connect"
            ))),
            // Without the URL, which may hold a token.
            Err(e) => Err(SendError::Retry(format!(
                "{channel} endpoint: {}",
                e.without_url()
            ))),
        }
    }

    fn kind(&self) -> &'static str {
        "http"
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The first line of a secret file, without its line end: a password or a key. The problem
/// names the file, never what it holds.
pub fn secret_line(file: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(format!(
            "{}: the file's first line is empty",
            file.display()
        ));
    }
    Ok(line.to_owned())
}
