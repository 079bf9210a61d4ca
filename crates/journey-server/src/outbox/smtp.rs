//! Email over SMTP (lettre, on tokio with rustls; no OpenSSL).
//!
//! Each email is `multipart/alternative`: the plain text and the HTML part queued with it
//! ([`super::html`]), both from the same Fluent texts. It comes from its brand's `email_from`
//! (or the tenant's, [`crate::tenants::BrandEmail`]), and carries `Message-ID` (unique: the
//! message's id and 128 random bits, at the From address's domain), `Date`, `From`, `To` and
//! `Subject`. The connection is plain, upgraded with STARTTLS (required, never optional), or
//! TLS from the start (`email.smtp_security`), with optional authentication; the password
//! comes from `email.smtp_password_file`, read once here and never logged.
//!
//! An error names what failed (connecting, the server's refusal and its code) and never the
//! message: lettre's errors carry the server's replies, not what was sent. A refusal the
//! server marks permanent (5xx) fails the message at once; anything else is tried again.

use super::{SendError, Sender, SenderError};
use crate::config::{SmtpConfig, SmtpSecurity};
use crate::tenants::Tenants;
use async_trait::async_trait;
use journey_engine::Channel;
use journey_store::OutboxMessage;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;
use std::collections::BTreeMap;
use std::time::Duration;

/// Sends email through one SMTP server.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// Each brand's From address, by (tenant, brand).
    from: BTreeMap<(String, String), Mailbox>,
    timeout: Duration,
}

impl SmtpSender {
    /// The sender for `config`, with the From address of every brand of `tenants`. A brand
    /// with journeys that send email but no From address (its own or its tenant's) is an error,
    /// and so is a password file that cannot be read.
    pub fn new(
        config: &SmtpConfig,
        tenants: &Tenants,
        public_url: &str,
    ) -> Result<Self, SenderError> {
        let mut from = BTreeMap::new();
        let mut problems = Vec::new();
        for tenant in tenants.iter() {
            let sends_email = tenant
                .journeys
                .values()
                .any(|journey| journey.channels().contains(&Channel::Email));
            for brand in &tenant.brands {
                match &brand.email.from {
                    Some(mailbox) => {
                        from.insert((tenant.id.clone(), brand.id.clone()), mailbox.clone());
                    }
                    None if sends_email => problems.push(format!(
                        "email.smtp_host is set, but brand `{}` of tenant `{}` has no email_from \
                         (set it under [brands.{}] or for the whole tenant in its tenant.toml)",
                        brand.id, tenant.id, brand.id
                    )),
                    None => {}
                }
            }
        }
        if !problems.is_empty() {
            return Err(SenderError(problems.join("\n  ")));
        }
        let host = config.host.as_str();
        let builder = match config.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| SenderError(format!("email.smtp_host `{host}`: {e}")))?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| SenderError(format!("email.smtp_host `{host}`: {e}")))?,
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(config.timeout))
            .hello_name(hello_name(public_url));
        if let (Some(user), Some(file)) = (&config.username, &config.password_file) {
            let password = super::http::secret_line(file)
                .map_err(|problem| SenderError(format!("email.smtp_password_file: {problem}")))?;
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            timeout: config.timeout,
        })
    }

    /// The email of `message`, ready to send.
    fn email(&self, message: &OutboxMessage) -> Result<Message, SendError> {
        let from = self
            .from
            .get(&(message.tenant.clone(), message.brand.clone()))
            .ok_or_else(|| {
                SendError::Permanent(format!(
                    "smtp: brand `{}` of tenant `{}` has no email_from",
                    message.brand, message.tenant
                ))
            })?;
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| SendError::Permanent("smtp: the recipient is not an address".into()))?;
        let mut random = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut random);
        let message_id = format!(
            "<{}.{}@{}>",
            message.id,
            hex::encode(random),
            from.email.domain()
        );
        let body = if message.html.is_empty() {
            // Queued before HTML parts existed, or erased: plain text only.
            MultiPart::alternative()
                .singlepart(lettre::message::SinglePart::plain(message.body.clone()))
        } else {
            MultiPart::alternative_plain_html(message.body.clone(), message.html.clone())
        };
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(message_id))
            .date_now()
            .multipart(body)
            .map_err(|e| SendError::Permanent(format!("smtp: the email could not be built: {e}")))
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendError> {
        let email = self.email(message)?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(format!("smtp: {e}"))),
            Err(e) => Err(SendError::Retry(format!("smtp: {e}"))),
        }
    }

    fn kind(&self) -> &'static str {
        "smtp"
    }

    fn timeout(&self) -> Duration {
        // Connecting, greeting, the envelope and the data: a few exchanges, each within it.
        self.timeout * 4
    }
}

/// What the server says in `EHLO`: the public URL's host (an address literal for an IP).
fn hello_name(public_url: &str) -> ClientId {
    let authority = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ClientId::Ipv4(ip),
        Ok(std::net::IpAddr::V6(ip)) => ClientId::Ipv6(ip),
        Err(_) if !host.is_empty() => ClientId::Domain(host.to_owned()),
        Err(_) => ClientId::default(),
    }
}
