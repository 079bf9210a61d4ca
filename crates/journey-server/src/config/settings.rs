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
];

/// The setting with this file key.
pub fn by_key(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|setting| setting.key == key)
}
