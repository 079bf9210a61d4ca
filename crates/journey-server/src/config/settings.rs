//! The table of every setting the server has: its key in `journeykit.toml`, its environment
//! variable, its command-line flag, its default and what it means. The command line
//! (`--help`), the file reader and the environment reader are all built from [`SETTINGS`], so
//! a setting cannot exist in one place and be missing from another; the README's table and
//! `journeykit.example.toml` are held to it by tests.
//!
//! A setting's environment variable is its file key in capitals with `JOURNEYKIT_` before it
//! and `_` for the dot: `server.listen` is `JOURNEYKIT_SERVER_LISTEN`.

/// What kind of value a setting takes, which decides how each source spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text: a TOML string, or the flag's or variable's value as it is.
    Text,
    /// A file or folder: like [`Kind::Text`], but a relative path in the file is taken
    /// relative to the file's own folder.
    Path,
    /// On or off: a TOML boolean; the flag alone means on; the variable is `true`/`false`
    /// (also `1`/`0`, `yes`/`no`, `on`/`off`).
    Switch,
    /// A whole number of seconds above 0: a TOML integer, or digits.
    Seconds,
    /// A whole number above 0 (a count, a port): a TOML integer, or digits.
    Count,
    /// A list of text: a TOML array of strings (or one string), or the flag's or variable's
    /// value with commas between the items.
    List,
}

/// One setting.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// `section.name` in `journeykit.toml`.
    pub key: &'static str,
    /// The long flag, without `--`.
    pub flag: &'static str,
    /// How it is spelled.
    pub kind: Kind,
    /// The placeholder in `--help` (`ADDR`, `FILE`); empty for a switch.
    pub value_name: &'static str,
    /// The default, as a person reads it.
    pub default: &'static str,
    /// What it means, one or two sentences.
    pub help: &'static str,
}

impl Setting {
    /// The environment variable: `JOURNEYKIT_` and the key in capitals, `.` as `_`.
    pub fn env(&self) -> String {
        format!(
            "JOURNEYKIT_{}",
            self.key.replace('.', "_").to_ascii_uppercase()
        )
    }

    /// The section of the file (`server` of `server.listen`).
    pub fn section(&self) -> &'static str {
        self.key
            .split_once('.')
            .map_or(self.key, |(section, _)| section)
    }

    /// The name inside its section (`listen` of `server.listen`).
    pub fn name(&self) -> &'static str {
        self.key.split_once('.').map_or(self.key, |(_, name)| name)
    }
}

/// The flag that names the configuration file.
pub const CONFIG_FLAG: &str = "config";

/// The environment variable that names the configuration file.
pub const CONFIG_ENV: &str = "JOURNEYKIT_CONFIG";

/// The file read when neither `--config` nor [`CONFIG_ENV`] names one, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "journeykit.toml";

/// The log filter's traditional variable, read when `JOURNEYKIT_LOG_FILTER` is not set.
pub const RUST_LOG: &str = "RUST_LOG";

/// Every setting, in the order `--help` and the README list them.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "server.listen",
        flag: "listen",
        kind: Kind::Text,
        value_name: "ADDR",
        default: "127.0.0.1:8080",
        help: "Where to listen: an IP address and port.",
    },
    Setting {
        key: "server.public_url",
        flag: "public-url",
        kind: Kind::Text,
        value_name: "URL",
        default: "http://<listen>",
        help: "The public base URL (scheme, host, port) that browsers use: the ID tokens' \
               issuer and the Content-Security-Policy's own origin.",
    },
    Setting {
        key: "server.dev",
        flag: "dev",
        kind: Kind::Switch,
        value_name: "",
        default: "false",
        help: "Development mode: messages are delivered to the dev outbox (/dev/outbox), and \
               /dev/examples, /dev/tenants and the en-XA pseudo-locale exist.",
    },
    Setting {
        key: "server.header_timeout_secs",
        flag: "header-timeout-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "10",
        help: "A request's headers must arrive within N seconds; an idle keep-alive connection \
               is closed after N seconds.",
    },
    Setting {
        key: "server.body_timeout_secs",
        flag: "body-timeout-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "10",
        help: "A request body must arrive within N seconds (and a client must read its answer \
               as fast).",
    },
    Setting {
        key: "server.shutdown_grace_secs",
        flag: "shutdown-grace-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "20",
        help: "On SIGTERM or Ctrl-C, stop accepting connections and give the requests in \
               flight and the message being delivered up to N seconds to finish.",
    },
    Setting {
        key: "server.trust_request_id",
        flag: "trust-request-id",
        kind: Kind::Switch,
        value_name: "",
        default: "false",
        help: "Keep a well-formed X-Request-Id (1 to 64 letters, digits, '-', '_', '.') that \
               arrives with a request instead of making a new one. Only behind a proxy that \
               sets that header itself.",
    },
    Setting {
        key: "server.trusted_proxies",
        flag: "trusted-proxies",
        kind: Kind::List,
        value_name: "ADDRS",
        default: "(none)",
        help: "The reverse proxies or load balancers in front (IP addresses or CIDR blocks, \
               comma-separated on the command line). Only for a request whose connection comes \
               from one of them is the client's address read from X-Forwarded-For (the \
               right-most address that is not itself a trusted proxy), for the rate limits and \
               the login throttle; from anyone else the header is ignored.",
    },
    Setting {
        key: "database.url",
        flag: "db",
        kind: Kind::Path,
        value_name: "FILE|URL",
        default: "journeykit.db",
        help: "The database: a SQLite file (a path, or sqlite:PATH) or PostgreSQL \
               (postgres://user@host:port/database, also postgresql://; its password is never \
               shown or logged).",
    },
    Setting {
        key: "database.create",
        flag: "create-db",
        kind: Kind::Switch,
        value_name: "",
        default: "false",
        help: "Create the database (and its key file) if it does not exist yet; without it a \
               missing database stops the start. For PostgreSQL: create the tables in an empty \
               database (the database itself must exist).",
    },
    Setting {
        key: "database.key_file",
        flag: "key-file",
        kind: Kind::Path,
        value_name: "FILE",
        default: "<database>.key",
        help: "The master key that seals the tenants' signing keys, mode 0600, created with the \
               database. The default is beside a SQLite file; a PostgreSQL database needs it \
               named, the same file on every replica.",
    },
    Setting {
        key: "tokens.key_rotation_secs",
        flag: "key-rotation-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "2592000",
        help: "Each tenant's ID tokens are signed by a new key every N seconds (at least 86400, \
               a day; the default is 30 days). Every replica does the same: the new key is in \
               the JWKS an hour before it signs, the old one until its last token expired.",
    },
    Setting {
        key: "content.tenants",
        flag: "tenants",
        kind: Kind::Path,
        value_name: "DIR",
        default: "demo-sites",
        help: "The folder of tenant folders (tenant.toml, journeys/*.toml).",
    },
    Setting {
        key: "content.locales",
        flag: "locales",
        kind: Kind::Path,
        value_name: "DIR",
        default: "locales",
        help: "The folder of locale folders (<lang>/*.ftl).",
    },
    Setting {
        key: "content.static",
        flag: "static",
        kind: Kind::Path,
        value_name: "DIR",
        default: "(none)",
        help: "Serve these static files at / (the built widgets and demo pages).",
    },
    Setting {
        key: "log.format",
        flag: "log-format",
        kind: Kind::Text,
        value_name: "FORMAT",
        default: "text",
        help: "The log's format on stderr: text, or json (one JSON object a line).",
    },
    Setting {
        key: "log.filter",
        flag: "log-filter",
        kind: Kind::Text,
        value_name: "FILTER",
        default: "info,tower_http=warn",
        help: "Which log lines to write, as tracing's EnvFilter reads it (info, \
               journey_server=debug, ...). RUST_LOG is read when JOURNEYKIT_LOG_FILTER is not \
               set.",
    },
    Setting {
        key: "metrics.enabled",
        flag: "metrics",
        kind: Kind::Switch,
        value_name: "",
        default: "false",
        help: "Serve Prometheus metrics at metrics.path; without it the path does not exist.",
    },
    Setting {
        key: "metrics.path",
        flag: "metrics-path",
        kind: Kind::Text,
        value_name: "PATH",
        default: "/metrics",
        help: "The path of the metrics.",
    },
    Setting {
        key: "metrics.listen",
        flag: "metrics-listen",
        kind: Kind::Text,
        value_name: "ADDR",
        default: "(the main listener)",
        help: "Serve the metrics (with /healthz and /readyz) on this address of their own \
               instead of the main listener, e.g. a port only the monitoring can reach.",
    },
    Setting {
        key: "delivery.max_attempts",
        flag: "delivery-max-attempts",
        kind: Kind::Count,
        value_name: "N",
        default: "6",
        help: "How many times a message is tried before it is given up as failed; between \
               tries the wait doubles from 2 s (2, 4, 8, ... s, at most 5 minutes).",
    },
    Setting {
        key: "email.smtp_host",
        flag: "smtp-host",
        kind: Kind::Text,
        value_name: "HOST",
        default: "(none: no email sender)",
        help: "Send email through this SMTP server (a host name or IP address). Outside \
               development mode, journeys that send email cannot start without it.",
    },
    Setting {
        key: "email.smtp_port",
        flag: "smtp-port",
        kind: Kind::Count,
        value_name: "PORT",
        default: "587 (starttls), 465 (tls), 25 (none)",
        help: "The SMTP server's port.",
    },
    Setting {
        key: "email.smtp_security",
        flag: "smtp-security",
        kind: Kind::Text,
        value_name: "MODE",
        default: "starttls",
        help: "How the SMTP connection is protected: starttls (upgrade to TLS, required), tls \
               (TLS from the start) or none (plain text: only on loopback or a private network).",
    },
    Setting {
        key: "email.smtp_username",
        flag: "smtp-username",
        kind: Kind::Text,
        value_name: "NAME",
        default: "(none: no authentication)",
        help: "Authenticate to the SMTP server as this user (with email.smtp_password_file).",
    },
    Setting {
        key: "email.smtp_password_file",
        flag: "smtp-password-file",
        kind: Kind::Path,
        value_name: "FILE",
        default: "(none)",
        help: "A file holding the SMTP password (its first line), read at start; the password \
               itself is never a setting, never shown and never logged.",
    },
    Setting {
        key: "email.smtp_ca_file",
        flag: "smtp-ca-file",
        kind: Kind::Path,
        value_name: "FILE",
        default: "(none: the built-in Mozilla roots only)",
        help: "A PEM file of CA certificates also trusted for the SMTP server's certificate \
               (a private CA), checked at start; the certificate must still name \
               email.smtp_host. Only with starttls or tls.",
    },
    Setting {
        key: "email.smtp_timeout_secs",
        flag: "smtp-timeout-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "10",
        help: "How long one SMTP exchange may take before the try counts as failed.",
    },
    Setting {
        key: "sms.url",
        flag: "sms-url",
        kind: Kind::Text,
        value_name: "URL",
        default: "(none: no SMS sender)",
        help: "Send text messages by POSTing them as signed JSON to this URL (the brand's \
               provider or a bridge to it: see the README's Delivery section).",
    },
    Setting {
        key: "sms.hmac_key_file",
        flag: "sms-hmac-key-file",
        kind: Kind::Path,
        value_name: "FILE",
        default: "(none; required with sms.url)",
        help: "A file holding the key (its first line, at least 32 bytes) that signs each SMS \
               request (the Journeykit-Signature header).",
    },
    Setting {
        key: "sms.timeout_secs",
        flag: "sms-timeout-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "10",
        help: "How long the SMS endpoint may take to answer before the try counts as failed.",
    },
    Setting {
        key: "voice.url",
        flag: "voice-url",
        kind: Kind::Text,
        value_name: "URL",
        default: "(none: no voice sender)",
        help: "Place voice calls (the text spoken) by POSTing them as signed JSON to this URL.",
    },
    Setting {
        key: "voice.hmac_key_file",
        flag: "voice-hmac-key-file",
        kind: Kind::Path,
        value_name: "FILE",
        default: "(none; required with voice.url)",
        help: "A file holding the key (its first line, at least 32 bytes) that signs each \
               voice request.",
    },
    Setting {
        key: "voice.timeout_secs",
        flag: "voice-timeout-secs",
        kind: Kind::Seconds,
        value_name: "N",
        default: "10",
        help: "How long the voice endpoint may take to answer before the try counts as failed.",
    },
];

/// The setting with this file key.
pub fn by_key(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|setting| setting.key == key)
}
