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
//! With TLS the server's certificate must chain to a trusted root and name `email.smtp_host`
//! (an IP address is checked against the certificate's IP addresses). The roots are the
//! built-in Mozilla ones (webpki-roots) and, for a private CA, the certificates of
//! `email.smtp_ca_file`, read and checked here at start. A certificate that does not verify
//! fails the try, which is retried like a server that is down: nothing is ever sent in clear
//! instead, and a server that does not offer STARTTLS fails the same way.
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
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use std::collections::BTreeMap;
use std::path::Path;
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
        let tls = match config.security {
            SmtpSecurity::None => Tls::None,
            SmtpSecurity::StartTls => Tls::Required(tls_parameters(config)?),
            SmtpSecurity::Tls => Tls::Wrapper(tls_parameters(config)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .tls(tls)
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

/// How TLS checks the server: its certificate must name `email.smtp_host` and chain to the
/// built-in roots or to one of `email.smtp_ca_file`.
fn tls_parameters(config: &SmtpConfig) -> Result<TlsParameters, SenderError> {
    // An IPv6 literal is written in brackets as a host, and checked without them.
    let name = config.host.trim_start_matches('[').trim_end_matches(']');
    let mut builder = TlsParameters::builder(name.to_owned());
    if let Some(file) = &config.ca_file {
        for root in trusted_roots(file).map_err(|problem| {
            SenderError(format!("email.smtp_ca_file {}: {problem}", file.display()))
        })? {
            builder = builder.add_root_certificate(root);
        }
    }
    builder.build_rustls().map_err(|e| match &config.ca_file {
        // Each root is parsed here: a CERTIFICATE block that holds no certificate fails now.
        Some(file) => SenderError(format!(
            "email.smtp_ca_file {}: a certificate in it cannot be used as a root: {e}",
            file.display()
        )),
        None => SenderError(format!("email.smtp_host `{}`: {e}", config.host)),
    })
}

/// The certificates of a PEM file; other blocks (a key the operator left in it) are skipped.
fn trusted_roots(file: &Path) -> Result<Vec<Certificate>, String> {
    let pem = std::fs::read(file).map_err(|e| format!("cannot be read: {e}"))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not a PEM file: {e}"))?;
    if certificates.is_empty() {
        return Err("holds no certificate (no -----BEGIN CERTIFICATE----- block)".into());
    }
    certificates
        .into_iter()
        .map(|der| {
            Certificate::from_der(der.to_vec()).map_err(|e| format!("a certificate in it: {e}"))
        })
        .collect()
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
