//! Email over STARTTLS and over TLS from the first byte, to the real SMTP server of
//! [`super::SmtpServer`] holding a certificate made for this run by a private CA, also made for
//! it (rcgen: no key is ever committed). The operator trusts that CA with
//! `email.smtp_ca_file`; without it the certificate does not verify and the message is retried,
//! never sent in clear; a server that does not offer STARTTLS is refused the same way; and a
//! CA file that cannot be used stops the start, naming the setting.

use super::{Client, SmtpServer, wait_for};
use crate::support::{Process, Server, code_in};
use journey_server::config::{Config, SmtpConfig, SmtpSecurity};
use journey_store::{MessageState, OutboxMessage};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A private CA and a server certificate it signed for some names (127.0.0.1 and localhost
/// unless a test wants another), made for the run and written as PEM into a test's folder.
struct Pki {
    /// The CA's certificate: what the operator puts in `email.smtp_ca_file`.
    ca: PathBuf,
    /// The server's certificate.
    cert: PathBuf,
    /// The server's private key.
    key: PathBuf,
}

impl Pki {
    fn new(dir: &Path) -> Self {
        Self::for_names(dir, &["127.0.0.1", "localhost"])
    }

    fn for_names(dir: &Path, names: &[&str]) -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Journeykit test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|&name| name.to_owned()).collect();
        let mut server = CertificateParams::new(names.clone()).unwrap();
        server
            .distinguished_name
            .push(DnType::CommonName, &names[0]);
        server.use_authority_key_identifier_extension = true;
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = server.signed_by(&key, &issuer).unwrap();

        let pki = Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("smtp-cert.pem"),
            key: dir.join("smtp-key.pem"),
        };
        std::fs::write(&pki.ca, ca_cert.pem()).unwrap();
        std::fs::write(&pki.cert, cert.pem()).unwrap();
        std::fs::write(&pki.key, key.serialize_pem()).unwrap();
        pki
    }

    /// mailbox.py's MODE, CERT and KEY for a server in `mode`.
    fn serve<'a>(&'a self, mode: &'a str) -> Option<(&'a str, &'a Path, &'a Path)> {
        Some((mode, &self.cert, &self.key))
    }
}

const USER: &str = "journeykit";

/// A password file in `dir`, and the password.
fn password(dir: &Path) -> (PathBuf, &'static str) {
    let password = "smtp secret over tls: amber lantern 17";
    let file = dir.join("smtp-password");
    std::fs::write(&file, format!("{password}\n")).unwrap();
    (file, password)
}

/// Registers `to` through the real binary (outside development mode) that sends email to
/// `smtp` as `--smtp-security mode` trusting `ca`, and returns the email the server took.
async fn register_through_binary(
    dir: &Path,
    smtp: &SmtpServer,
    mode: &str,
    ca: &Path,
    to: &str,
) -> (Value, String) {
    let (password_file, password) = password(dir);
    let port = smtp.port.to_string();
    let mut server = Process::launch_live(
        dir,
        &crate::support::fixture_tenants(),
        &[
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port,
            "--smtp-security",
            mode,
            "--smtp-ca-file",
            ca.to_str().unwrap(),
            "--smtp-username",
            USER,
            "--smtp-password-file",
            password_file.to_str().unwrap(),
            "--log-filter",
            "trace",
        ],
    );
    server.wait_ready().await;
    let mut client = Client {
        http: reqwest::Client::new(),
        url: server.url(),
        cookies: Vec::new(),
    };
    let flow = client
        .post(
            "/v1/testco/journeys/registration",
            json!({ "locale": "en" }),
        )
        .await;
    let details = json!({"email": to, "given_name": "Tess", "family_name": "Ls"});
    let flow = client.answer(&flow, "submit", details).await;
    assert_eq!(flow["step"]["id"], "verify_email", "{flow}");
    let mail = smtp.email_to(to).await;
    server.signal("TERM");
    server.exit(Duration::from_secs(10)).await;
    let log = server.log();
    assert!(log.contains("message sent"), "{log}");
    assert!(
        !log.contains(password),
        "the log holds the password:\n{log}"
    );
    (mail, log)
}

/// What every email over TLS must show: it came whole (both parts, the same code), and
/// authenticated, over TLS.
fn assert_whole_over_tls(mail: &Value, to: &str) {
    assert_eq!(mail["rcpt_tos"], json!([to]), "{mail}");
    assert_eq!(mail["authenticated"], true, "AUTH as {USER}: {mail}");
    assert_eq!(mail["tls"], true, "the session was TLS: {mail}");
    let version = mail["tls_version"].as_str().unwrap_or("");
    assert!(version == "TLSv1.3" || version == "TLSv1.2", "{mail}");
    assert_eq!(mail["content_type"], "multipart/alternative", "{mail}");
    let text = mail["text"].as_str().unwrap();
    let html = mail["html"].as_str().unwrap();
    let code = code_in(text).unwrap_or_else(|| panic!("no code in {text}"));
    assert!(
        html.contains(&code),
        "the same code in the HTML part: {html}"
    );
}

#[tokio::test]
async fn starttls_upgrades_the_session_authenticates_over_tls_and_trusts_the_private_ca() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let (password_file, _) = password(dir.path());
    // The server refuses AUTH and mail before STARTTLS (require_starttls, auth_require_tls).
    let smtp = SmtpServer::start_as(dir.path(), USER, &password_file, pki.serve("starttls"));
    let to = "starttls@example.com";
    let (mail, _) = register_through_binary(dir.path(), &smtp, "starttls", &pki.ca, to).await;
    assert_whole_over_tls(&mail, to);
    assert_eq!(mail["starttls"], true, "upgraded with STARTTLS: {mail}");
}

#[tokio::test]
async fn implicit_tls_carries_the_email_and_auth_from_the_first_byte() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let (password_file, _) = password(dir.path());
    let smtp = SmtpServer::start_as(dir.path(), USER, &password_file, pki.serve("tls"));
    let to = "smtps@example.com";
    let (mail, _) = register_through_binary(dir.path(), &smtp, "tls", &pki.ca, to).await;
    assert_whole_over_tls(&mail, to);
    assert_eq!(
        mail["starttls"], false,
        "TLS from the start, no upgrade: {mail}"
    );
}

/// A server in this process outside development mode whose email goes to `smtp` as
/// `security`, trusting `ca_file`, with a few tries.
async fn in_process(
    dir: &Path,
    smtp: &SmtpServer,
    security: SmtpSecurity,
    ca_file: Option<PathBuf>,
) -> Server {
    let (password_file, _) = password(dir);
    crate::support::spawn_configured(&dir.join("j.db"), |config| {
        config.dev = false;
        config.delivery.max_attempts = 3;
        config.delivery.email = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: smtp.port,
            security,
            username: Some(USER.into()),
            password_file: Some(password_file),
            ca_file,
            timeout: Duration::from_secs(5),
        });
    })
    .await
}

/// Starts a registration for `to` and waits for its email's first try to be over.
async fn first_try_failed(server: &Server, to: &'static str) -> OutboxMessage {
    let flow = server.start("registration").await;
    let details = json!({"email": to, "given_name": "No", "family_name": "Tls"});
    let (status, flow) = server.answer(&flow, "submit", details).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{flow}");
    assert_eq!(flow["step"]["id"], "verify_email", "{flow}");
    let read = |server: &Server| {
        let store = server.state.store.clone();
        async move { store.messages_to(to, 1).await.unwrap().remove(0) }
    };
    wait_for(
        server,
        |m| m.attempts == 1 && m.state != MessageState::Sending,
        &read,
    )
    .await
}

#[tokio::test]
async fn a_certificate_not_trusted_fails_the_try_which_is_retried_and_nothing_goes_in_clear() {
    // Without email.smtp_ca_file only the built-in roots, which never signed the test CA; and
    // a certificate from the trusted CA for another name than email.smtp_host.
    for (mode, security, names, trust_ca) in [
        ("starttls", SmtpSecurity::StartTls, &["127.0.0.1"], false),
        ("tls", SmtpSecurity::Tls, &["127.0.0.1"], false),
        (
            "starttls",
            SmtpSecurity::StartTls,
            &["mail.example.test"],
            true,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let pki = Pki::for_names(dir.path(), names);
        let (password_file, _) = password(dir.path());
        let smtp = SmtpServer::start_as(dir.path(), USER, &password_file, pki.serve(mode));
        let ca_file = trust_ca.then(|| pki.ca.clone());
        let server = in_process(dir.path(), &smtp, security, ca_file).await;
        let message = first_try_failed(&server, "untrusted@example.com").await;
        assert_eq!(
            message.state,
            MessageState::Queued,
            "{mode}: retried, {message:?}"
        );
        let error = message.last_error.clone().unwrap_or_default();
        assert!(
            error.starts_with("smtp: ") && error.contains("certificate"),
            "{mode}: the error names the certificate: {error}"
        );
        assert!(code_in(&error).is_none(), "no code in the error: {error}");
        assert_eq!(
            smtp.received(),
            Vec::<Value>::new(),
            "{mode}: nothing was delivered"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn starttls_is_required_a_server_that_does_not_offer_it_gets_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let (password_file, _) = password(dir.path());
    // A plain server that would take AUTH and mail in clear.
    let smtp = SmtpServer::start(dir.path(), USER, &password_file);
    let server = in_process(
        dir.path(),
        &smtp,
        SmtpSecurity::StartTls,
        Some(pki.ca.clone()),
    )
    .await;
    let message = first_try_failed(&server, "plain@example.com").await;
    assert_eq!(message.state, MessageState::Queued, "retried: {message:?}");
    let error = message.last_error.clone().unwrap_or_default();
    assert!(
        error.contains("STARTTLS"),
        "the error names STARTTLS: {error}"
    );
    assert_eq!(
        smtp.received(),
        Vec::<Value>::new(),
        "no fallback to plain text"
    );
    server.stop().await;
}

/// Why the server refuses to start with `email.smtp_ca_file` set to `ca_file`.
async fn refused_with_ca(dir: &Path, ca_file: PathBuf) -> String {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://127.0.0.1:1".into(),
        db: journey_store::DatabaseUrl::Sqlite(dir.join("j.db")),
        key_file: dir.join("j.db.key"),
        create_db: true,
        tenants: crate::support::fixture_tenants(),
        locales: crate::support::root().join("locales"),
        ..Config::default()
    };
    config.delivery.email = Some(SmtpConfig {
        host: "smtp.example.com".into(),
        port: 587,
        security: SmtpSecurity::StartTls,
        username: None,
        password_file: None,
        ca_file: Some(ca_file),
        timeout: Duration::from_secs(5),
    });
    let clock = std::sync::Arc::new(journey_server::state::SystemClock);
    match journey_server::build_state(config, clock).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_ca_file_that_cannot_be_used_stops_the_start_and_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let missing = dir.path().join("no-such-ca.pem");
    let no_certificate = dir.path().join("key-only.pem");
    std::fs::copy(&pki.key, &no_certificate).unwrap();
    let not_a_certificate = dir.path().join("garbage.pem");
    std::fs::write(
        &not_a_certificate,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    for (file, problem) in [
        (&missing, "cannot be read"),
        (&no_certificate, "holds no certificate"),
        (
            &not_a_certificate,
            "a certificate in it cannot be used as a root",
        ),
    ] {
        let error = refused_with_ca(dir.path(), file.clone()).await;
        let named = format!("delivery: email.smtp_ca_file {}: {problem}", file.display());
        assert!(error.starts_with(&named), "{error}");
    }
}
