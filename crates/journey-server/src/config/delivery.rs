//! The delivery settings, checked once at start: how many tries a message gets
//! (`delivery.max_attempts`), the SMTP server for email (`[email]`), and the HTTP endpoints for
//! SMS and voice (`[sms]`, `[voice]`). A channel without its settings has no sender; outside
//! development mode, journeys that need it cannot start ([`crate::outbox`]).
//!
//! Secrets are never settings: the SMTP password and the HMAC keys are files, named here and
//! read when the senders are built ([`crate::outbox::Senders::build`]), so they never appear
//! on a command line, in `ps`, in the environment or in a log.

use super::{Values, path, seconds};
use std::path::PathBuf;
use std::time::Duration;

/// How messages leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// Tries per message before it is failed.
    pub max_attempts: u32,
    /// Email over SMTP, when configured.
    pub email: Option<SmtpConfig>,
    /// SMS over HTTP, when configured.
    pub sms: Option<HttpSenderConfig>,
    /// Voice over HTTP, when configured.
    pub voice: Option<HttpSenderConfig>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            email: None,
            sms: None,
            voice: None,
        }
    }
}

/// `delivery.max_attempts` when not set.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 6;

/// A sender's time limit when not set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the SMTP connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain text (loopback or a private network only).
    None,
    /// Plain text upgraded with STARTTLS, which must succeed.
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl SmtpSecurity {
    /// The port that goes with it when none is set.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The SMTP server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Its host.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// The user to authenticate as, with the password in `password_file`.
    pub username: Option<String>,
    /// The file holding the password.
    pub password_file: Option<PathBuf>,
    /// A PEM file of certificates trusted as roots for the server's certificate, besides the
    /// built-in ones (a private CA's).
    pub ca_file: Option<PathBuf>,
    /// The time limit of one exchange.
    pub timeout: Duration,
}

/// An HTTP endpoint that takes messages of one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSenderConfig {
    /// Where to POST.
    pub url: String,
    /// The file holding the HMAC key.
    pub key_file: PathBuf,
    /// The time limit of one request.
    pub timeout: Duration,
}

/// Reads the delivery settings; problems go to `values`.
pub(super) fn delivery(values: &mut Values) -> DeliveryConfig {
    let max_attempts = values
        .get("delivery.max_attempts", attempts)
        .unwrap_or(DEFAULT_MAX_ATTEMPTS);
    DeliveryConfig {
        max_attempts,
        email: smtp(values),
        sms: http(values, "sms"),
        voice: http(values, "voice"),
    }
}

fn smtp(values: &mut Values) -> Option<SmtpConfig> {
    let host = values.get("email.smtp_host", host);
    let security = values
        .get("email.smtp_security", security)
        .unwrap_or(SmtpSecurity::StartTls);
    let port = values.get("email.smtp_port", port);
    let username = values.get("email.smtp_username", username);
    let password_file = values.get("email.smtp_password_file", path);
    let ca_file = values.get("email.smtp_ca_file", path);
    let timeout = values
        .get("email.smtp_timeout_secs", seconds)
        .unwrap_or(DEFAULT_TIMEOUT);
    let Some(host) = host else {
        for key in [
            "email.smtp_port",
            "email.smtp_security",
            "email.smtp_username",
            "email.smtp_password_file",
            "email.smtp_ca_file",
            "email.smtp_timeout_secs",
        ] {
            values.problem(key, "is set but email.smtp_host (--smtp-host) is not");
        }
        return None;
    };
    if username.is_some() != password_file.is_some() {
        let missing = if username.is_some() {
            "email.smtp_password_file"
        } else {
            "email.smtp_username"
        };
        for key in ["email.smtp_username", "email.smtp_password_file"] {
            values.problem(key, &format!("needs {missing} as well"));
        }
    }
    if ca_file.is_some() && security == SmtpSecurity::None {
        // A CA the plain connection never asks about: the operator meant TLS.
        values.problem(
            "email.smtp_ca_file",
            "is set but email.smtp_security is none (no TLS to check the certificate of)",
        );
    }
    Some(SmtpConfig {
        host,
        port: port.unwrap_or(security.default_port()),
        security,
        username,
        password_file,
        ca_file,
        timeout,
    })
}

fn http(values: &mut Values, channel: &'static str) -> Option<HttpSenderConfig> {
    let (url_key, key_key, timeout_key) = match channel {
        "sms" => ("sms.url", "sms.hmac_key_file", "sms.timeout_secs"),
        _ => ("voice.url", "voice.hmac_key_file", "voice.timeout_secs"),
    };
    let url = values.get(url_key, endpoint);
    let key_file = values.get(key_key, path);
    let timeout = values.get(timeout_key, seconds).unwrap_or(DEFAULT_TIMEOUT);
    match (url, key_file) {
        (Some(url), Some(key_file)) => Some(HttpSenderConfig {
            url,
            key_file,
            timeout,
        }),
        (Some(_), None) => {
            values.problem(
                url_key,
                &format!("needs {key_key}: every request is signed with its key"),
            );
            None
        }
        (None, _) => {
            for key in [key_key, timeout_key] {
                values.problem(key, &format!("is set but {url_key} is not"));
            }
            None
        }
    }
}

fn attempts(raw: &str) -> Result<u32, String> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=50).contains(&n) => Ok(n),
        _ => Err(format!("`{raw}` is not a number of tries from 1 to 50")),
    }
}

fn host(raw: &str) -> Result<String, String> {
    let host = raw.trim();
    let valid = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if valid {
        Ok(host.to_owned())
    } else {
        Err(format!("`{raw}` is not a host name or IP address"))
    }
}

fn port(raw: &str) -> Result<u16, String> {
    match raw.trim().parse::<u16>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{raw}` is not a port from 1 to 65535")),
    }
}

fn security(raw: &str) -> Result<SmtpSecurity, String> {
    match raw {
        "none" => Ok(SmtpSecurity::None),
        "starttls" => Ok(SmtpSecurity::StartTls),
        "tls" => Ok(SmtpSecurity::Tls),
        _ => Err(format!("`{raw}` is not starttls, tls or none")),
    }
}

fn username(raw: &str) -> Result<String, String> {
    if raw.is_empty() || raw.len() > 256 || raw.chars().any(char::is_control) {
        return Err("is not a user name (1 to 256 characters, no control characters)".into());
    }
    Ok(raw.to_owned())
}

/// An `http://` or `https://` URL with a host (the provider's endpoint). A user or password
/// in it would end up in logs: refused.
fn endpoint(raw: &str) -> Result<String, String> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| format!("`{raw}` is not an http:// or https:// URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || raw.contains(char::is_whitespace) {
        return Err(format!(
            "`{raw}` is not a URL like https://sms.example.com/send"
        ));
    }
    if authority.contains('@') {
        return Err("must not hold a user or password (the requests are signed instead)".into());
    }
    Ok(raw.to_owned())
}
