//! The server's configuration, parsed and checked once at start (ripgrep's "parse once, then
//! trust"): nothing deeper in the server reads arguments, files or environment variables.
//!
//! Every setting is one line of [`settings::SETTINGS`] and can come from `journeykit.toml`,
//! a `JOURNEYKIT_…` variable or a flag ([`sources`]); the flag wins over the variable, the
//! variable over the file, the file over the default. [`Config::load`] parses every value the
//! same way whatever its source, and a bad one stops the start with an error that names the
//! flag, the variable, or the key and the file it came from; all problems are reported at
//! once.

pub mod delivery;
pub mod settings;
pub mod sources;

pub use delivery::{DeliveryConfig, HttpSenderConfig, SmtpConfig, SmtpSecurity};

use journey_store::DatabaseUrl;
use sources::{Asked, Raw, Raws};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The public base URL (scheme, host, port), used in token issuers and the CSP.
    pub public_url: String,
    /// The database: a SQLite file, or a PostgreSQL URL (shown without its password).
    pub db: DatabaseUrl,
    /// The master key file that seals the signing keys ([`crate::keys`]).
    pub key_file: PathBuf,
    /// Whether a missing database may be created (`--create-db`).
    pub create_db: bool,
    /// How often each tenant's signing key is followed by a new one ([`crate::tokens`]).
    pub key_rotation: Duration,
    /// The folder of tenant folders.
    pub tenants: PathBuf,
    /// The folder of locale folders.
    pub locales: PathBuf,
    /// A folder of static files (the built widgets and demo pages) served at `/`.
    pub static_dir: Option<PathBuf>,
    /// Development mode: the dev outbox is served and messages are delivered to it.
    pub dev: bool,
    /// How long a client may take over its requests ([`crate::conn`]).
    pub timeouts: Timeouts,
    /// How long requests in flight and the message being delivered may take to finish once a
    /// shutdown begins.
    pub shutdown_grace: Duration,
    /// Whether a well-formed `X-Request-Id` from the client is kept ([`crate::requests`]).
    pub trust_request_id: bool,
    /// The proxies whose `X-Forwarded-For` names the client ([`crate::security::Caller`]).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The log's format and filter ([`crate::logs`]).
    pub log: LogConfig,
    /// Where the Prometheus metrics are served, if anywhere ([`crate::metrics`]).
    pub metrics: Option<MetricsConfig>,
    /// How messages leave: retries, SMTP, the HTTP senders ([`delivery`]).
    pub delivery: DeliveryConfig,
    /// The configuration file the settings were read from, if any.
    pub file: Option<PathBuf>,
}

impl Default for Config {
    /// Every setting at its default (as `journey-server` with no file, variable or flag).
    fn default() -> Self {
        let listen = SocketAddr::from(([127, 0, 0, 1], 8080));
        let file = PathBuf::from("journeykit.db");
        Self {
            listen,
            public_url: format!("http://{listen}"),
            key_file: crate::keys::beside(&file),
            db: DatabaseUrl::Sqlite(file),
            create_db: false,
            key_rotation: Duration::from_secs(30 * 24 * 3600),
            tenants: PathBuf::from("demo-sites"),
            locales: PathBuf::from("locales"),
            static_dir: None,
            dev: false,
            timeouts: Timeouts::default(),
            shutdown_grace: Duration::from_secs(20),
            trust_request_id: false,
            trusted_proxies: Vec::new(),
            log: LogConfig::default(),
            metrics: None,
            delivery: DeliveryConfig::default(),
            file: None,
        }
    }
}

/// How the log is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogConfig {
    /// Text for people, or one JSON object a line for machines.
    pub format: LogFormat,
    /// tracing's `EnvFilter` directives.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info,tower_http=warn".to_owned(),
        }
    }
}

/// The log's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// tracing-subscriber's text lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Where the metrics are served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsConfig {
    /// The path, such as `/metrics`.
    pub path: String,
    /// A listener of their own; `None` serves them on the main listener.
    pub listen: Option<SocketAddr>,
}

/// The time limits of a connection, so a slow or idle client cannot hold one for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// A request's line and headers must arrive within this; it also closes a keep-alive
    /// connection that waits this long for its next request (hyper starts the timer when it
    /// starts waiting for a request head).
    pub header: Duration,
    /// A request body must arrive within this once its headers have.
    pub body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            header: Duration::from_secs(10),
            body: Duration::from_secs(10),
        }
    }
}

/// Why the server cannot start with its configuration, or `--help`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `--help` was given: print this text.
    #[error("{0}")]
    Help(String),
    /// The command line is not understood (an unknown flag, a flag without its value).
    #[error("{0}")]
    Command(String),
    /// Settings are invalid: one line per problem, each naming the flag, the variable, or the
    /// key and file its value came from.
    #[error("invalid configuration:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
}

impl Config {
    /// The configuration from the file, the environment (`env` looks a variable up) and the
    /// arguments after the program name, in that order of precedence, checked.
    pub fn load(
        args: impl IntoIterator<Item = String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let (flags, config) = match sources::flags(args).map_err(ConfigError::Command)? {
            Asked::Help(text) => return Err(ConfigError::Help(text)),
            Asked::Run { flags, config } => (flags, config),
        };
        let file = sources::config_file(config, env);
        let mut raws = Raws::new();
        if let Some((path, named_by)) = &file {
            raws = sources::file(path, named_by).map_err(ConfigError::Invalid)?;
        }
        raws.extend(sources::environment(env));
        raws.extend(flags);
        let mut values = Values {
            raws,
            problems: Vec::new(),
        };
        let config = Self::from_values(&mut values, file.map(|(path, _)| path));
        if values.problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::Invalid(values.problems))
        }
    }

    /// Parses every setting; problems are noted in `values` and their defaults used meanwhile.
    fn from_values(values: &mut Values, file: Option<PathBuf>) -> Self {
        let defaults = Self::default();
        let listen = values
            .get("server.listen", address)
            .unwrap_or(defaults.listen);
        let public_url = values
            .get("server.public_url", base_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let db = values
            .get("database.url", database)
            .unwrap_or_else(|| defaults.db.clone());
        let key_file = match (values.get("database.key_file", path), db.sqlite_path()) {
            (Some(key_file), _) => key_file,
            (None, Some(file)) => crate::keys::beside(file),
            (None, None) => {
                values.problem(
                    "database.url",
                    "a PostgreSQL database needs database.key_file (--key-file): every replica \
                     needs the same key file to open the signing keys in the database",
                );
                defaults.key_file.clone()
            }
        };
        let timeouts = Timeouts {
            header: values
                .get("server.header_timeout_secs", seconds)
                .unwrap_or(defaults.timeouts.header),
            body: values
                .get("server.body_timeout_secs", seconds)
                .unwrap_or(defaults.timeouts.body),
        };
        let log = LogConfig {
            format: values
                .get("log.format", log_format)
                .unwrap_or(defaults.log.format),
            filter: values
                .get("log.filter", log_filter)
                .unwrap_or(defaults.log.filter),
        };
        let metrics = Self::metrics(values, listen);
        let delivery = delivery::delivery(values);
        Self {
            listen,
            public_url,
            db,
            key_file,
            create_db: values.get("database.create", switch).unwrap_or(false),
            key_rotation: values
                .get("tokens.key_rotation_secs", rotation)
                .unwrap_or(defaults.key_rotation),
            tenants: values
                .get("content.tenants", path)
                .unwrap_or(defaults.tenants),
            locales: values
                .get("content.locales", path)
                .unwrap_or(defaults.locales),
            static_dir: values.get("content.static", path),
            dev: values.get("server.dev", switch).unwrap_or(false),
            timeouts,
            shutdown_grace: values
                .get("server.shutdown_grace_secs", seconds)
                .unwrap_or(defaults.shutdown_grace),
            trust_request_id: values
                .get("server.trust_request_id", switch)
                .unwrap_or(false),
            trusted_proxies: values
                .get("server.trusted_proxies", networks)
                .unwrap_or_default(),
            log,
            metrics,
            delivery,
            file,
        }
    }

    /// The metrics' place: only when enabled.
    fn metrics(values: &mut Values, main: SocketAddr) -> Option<MetricsConfig> {
        let enabled = values.get("metrics.enabled", switch).unwrap_or(false);
        let path = values.get("metrics.path", metrics_path);
        let listen = values.get("metrics.listen", address);
        if listen == Some(main) {
            values.problem(
                "metrics.listen",
                "is the main listener's address: leave it out to serve the metrics there",
            );
        }
        if !enabled {
            // A path alone is harmless; a listener of their own that never opens is a surprise.
            values.problem(
                "metrics.listen",
                "is set but the metrics are not enabled (metrics.enabled, --metrics)",
            );
            return None;
        }
        Some(MetricsConfig {
            path: path.unwrap_or_else(|| "/metrics".to_owned()),
            listen,
        })
    }

    /// The origin of the public URL (scheme, host and port, no path).
    pub fn public_origin(&self) -> String {
        origin_of(&self.public_url)
    }
}

/// The raw values and the problems found so far.
struct Values {
    raws: Raws,
    problems: Vec<String>,
}

impl Values {
    /// The setting `key` parsed, or `None` when no source gave it (or its value is bad: then
    /// the problem is noted, naming where the value came from).
    fn get<T>(&mut self, key: &'static str, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        debug_assert!(settings::by_key(key).is_some(), "{key} is not in SETTINGS");
        let Raw { value, origin } = self.raws.get(key)?;
        match parse(value) {
            Ok(parsed) => Some(parsed),
            Err(problem) => {
                self.problems.push(format!("{origin}: {problem}"));
                None
            }
        }
    }

    /// Notes a problem with `key`'s value, if a source gave it.
    fn problem(&mut self, key: &'static str, problem: &str) {
        if let Some(raw) = self.raws.get(key) {
            self.problems.push(format!("{}: {problem}", raw.origin));
        }
    }
}

fn address(raw: &str) -> Result<SocketAddr, String> {
    raw.parse()
        .map_err(|_| format!("`{raw}` is not an address like 127.0.0.1:8080"))
}

fn base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url.contains(['?', '#', ' '])
        || url.len() <= "https://".len()
    {
        return Err(format!(
            "`{raw}` is not a base URL like https://id.example.com"
        ));
    }
    Ok(url.to_owned())
}

fn path(raw: &str) -> Result<PathBuf, String> {
    if raw.trim().is_empty() {
        return Err("an empty path".to_owned());
    }
    Ok(PathBuf::from(raw))
}

/// The database: a SQLite file (a path or `sqlite:PATH`) or a PostgreSQL URL.
fn database(raw: &str) -> Result<DatabaseUrl, String> {
    DatabaseUrl::parse(raw).map_err(|e| e.to_string())
}

/// IP addresses and CIDR blocks, comma-separated; an address alone is a block of one.
fn networks(raw: &str) -> Result<Vec<ipnet::IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .map(|net| net.trunc())
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!("`{item}` is not an IP address or a CIDR block like 10.0.0.0/8")
                })
        })
        .collect()
}

fn switch(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("`{raw}` is not true or false")),
    }
}

/// A whole number of seconds, at least 1.
fn seconds(raw: &str) -> Result<Duration, String> {
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err(format!("`{raw}` is not a whole number of seconds above 0")),
    }
}

/// How often a signing key rotates: whole seconds, at least [`crate::tokens::MIN_ROTATION`].
fn rotation(raw: &str) -> Result<Duration, String> {
    let period = seconds(raw)?;
    let least = crate::tokens::MIN_ROTATION;
    if i64::try_from(period.as_secs()).is_ok_and(|secs| secs >= least) {
        Ok(period)
    } else {
        Err(format!(
            "`{raw}` is too short: a key rotates at least {least} seconds (a day) after the last, \
             so that it is published an hour before it signs and signs for longer than that"
        ))
    }
}

fn log_format(raw: &str) -> Result<LogFormat, String> {
    match raw {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{raw}` is not a log format: text or json")),
    }
}

fn log_filter(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("`{raw}` is not a log filter: {e}"))
}

/// Paths the server's own routes use, which the metrics may not take.
const TAKEN_PATHS: &[&str] = &["/healthz", "/readyz"];
const TAKEN_PREFIXES: &[&str] = &["/v1", "/dev", "/preview", "/widget", "/themes"];

fn metrics_path(raw: &str) -> Result<String, String> {
    let well_formed = raw.len() > 1
        && raw.starts_with('/')
        && !raw.ends_with('/')
        && !raw.contains("//")
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    if !well_formed {
        return Err(format!(
            "`{raw}` is not a path like /metrics (letters, digits, '-', '_', '.' and '/')"
        ));
    }
    let taken = TAKEN_PATHS.contains(&raw)
        || TAKEN_PREFIXES
            .iter()
            .any(|prefix| raw == *prefix || raw.starts_with(&format!("{prefix}/")));
    if taken {
        return Err(format!("`{raw}` is one of the server's own paths"));
    }
    Ok(raw.to_owned())
}

/// The help text, as `journey-server --help` prints it.
pub fn help() -> String {
    sources::help()
}

/// The origin part of a URL.
pub fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_owned(),
        None => url.to_owned(),
    }
}
