//! The server's configuration, parsed once from the command line (ripgrep's "parse once, then
//! trust"): nothing deeper in the server reads arguments or environment variables.

use journey_store::DatabaseUrl;
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

/// A command line the server cannot run with.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An option needs a value.
    #[error("{0} needs a value")]
    MissingValue(String),
    /// An option's value is not valid.
    #[error("{option}: {problem}")]
    Invalid {
        /// The option.
        option: String,
        /// What is wrong.
        problem: String,
    },
    /// An option is not known.
    #[error("unknown option {0}; see --help")]
    Unknown(String),
    /// `--help` was given.
    #[error("{USAGE}")]
    Help,
}

/// The usage text.
pub const USAGE: &str = "\
journey-server: runs Journeykit journeys over HTTP
       journey-server events --db FILE [...]: prints security events (see `events --help`)

Options:
  --listen ADDR       where to listen (default 127.0.0.1:8080)
  --public-url URL    the public base URL (default http://<listen>)
  --db FILE|URL       the database: a SQLite file (a path or sqlite:PATH; default
                      journeykit.db) or PostgreSQL (postgres://user@host:port/database, also
                      postgresql://; the password is never logged)
  --create-db         create the database (and its key file) if it does not exist yet;
                      without it a missing database stops the start. For PostgreSQL: create
                      the tables in an empty database (the database itself must exist)
  --key-file FILE     the master key that seals the signing keys, mode 0600, created with
                      the database (default for SQLite: the database path with .key
                      appended; required for PostgreSQL, the same file on every replica)
  --tenants DIR       the folder of tenant folders (default demo-sites)
  --locales DIR       the folder of locale folders (default locales)
  --static DIR        serve these static files at / (the built widgets and demo pages)
  --dev               development mode: deliver messages to the dev outbox at /dev/outbox
  --header-timeout-secs N
                      request headers must arrive within N seconds, and an idle keep-alive
                      connection is closed after N seconds (default 10)
  --body-timeout-secs N
                      a request body must arrive within N seconds (default 10)
  --help              this text";

impl Config {
    /// Parses the arguments after the program name.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, ConfigError> {
        let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
        let mut public_url = None;
        let mut db = DatabaseUrl::Sqlite(PathBuf::from("journeykit.db"));
        let mut key_file = None;
        let mut create_db = false;
        let mut tenants = PathBuf::from("demo-sites");
        let mut locales = PathBuf::from("locales");
        let mut static_dir = None;
        let mut dev = false;
        let mut timeouts = Timeouts::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| ConfigError::MissingValue(arg.clone()))
            };
            match arg.as_str() {
                "--listen" => {
                    let raw = value()?;
                    listen = raw.parse().map_err(|_| ConfigError::Invalid {
                        option: "--listen".into(),
                        problem: format!("`{raw}` is not an address like 127.0.0.1:8080"),
                    })?;
                }
                "--public-url" => public_url = Some(value()?),
                "--db" => {
                    db = DatabaseUrl::parse(&value()?).map_err(|e| ConfigError::Invalid {
                        option: "--db".into(),
                        problem: e.to_string(),
                    })?;
                }
                "--key-file" => key_file = Some(PathBuf::from(value()?)),
                "--create-db" => create_db = true,
                "--tenants" => tenants = value()?.into(),
                "--locales" => locales = value()?.into(),
                "--static" => static_dir = Some(value()?.into()),
                "--dev" => dev = true,
                "--header-timeout-secs" => timeouts.header = seconds(&arg, &value()?)?,
                "--body-timeout-secs" => timeouts.body = seconds(&arg, &value()?)?,
                "--help" | "-h" => return Err(ConfigError::Help),
                other => return Err(ConfigError::Unknown(other.to_owned())),
            }
        }
        let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
        let public_url = public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.contains(['?', '#', ' '])
        {
            return Err(ConfigError::Invalid {
                option: "--public-url".into(),
                problem: format!("`{public_url}` is not a base URL like https://id.example.com"),
            });
        }
        let key_file = match (key_file, db.sqlite_path()) {
            (Some(key_file), _) => key_file,
            (None, Some(path)) => crate::keys::beside(path),
            (None, None) => {
                return Err(ConfigError::Invalid {
                    option: "--key-file".into(),
                    problem: "is required with a PostgreSQL --db: every replica needs the same \
                              key file to open the signing keys in the database"
                        .into(),
                });
            }
        };
        Ok(Self {
            listen,
            public_url,
            db,
            key_file,
            create_db,
            tenants,
            locales,
            static_dir,
            dev,
            timeouts,
        })
    }

    /// The origin of the public URL (scheme, host and port, no path).
    pub fn public_origin(&self) -> String {
        origin_of(&self.public_url)
    }
}

/// A whole number of seconds, at least 1.
fn seconds(option: &str, raw: &str) -> Result<Duration, ConfigError> {
    match raw.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err(ConfigError::Invalid {
            option: option.to_owned(),
            problem: format!("`{raw}` is not a whole number of seconds above 0"),
        }),
    }
}

/// The origin part of a URL.
pub fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_owned(),
        None => url.to_owned(),
    }
}
