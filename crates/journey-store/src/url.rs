//! Which database a store opens, parsed once from what the operator wrote (`--db`): a
//! PostgreSQL URL (`postgres://…` or `postgresql://…`), `sqlite:PATH`, or a plain path to a
//! SQLite file. A PostgreSQL URL may carry a password; it is never shown: [`DatabaseUrl`]'s
//! `Display` and `Debug` (and every error that names the database) write `***` in its place.
//! Opening is [`crate::open`]'s; this module knows no SQL.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A database to open: SQLite in a file, or PostgreSQL at a URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database.
    Postgres(PostgresUrl),
}

/// A PostgreSQL URL that the driver accepts, with a user and a host. Shown without its
/// password.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl {
    url: String,
}

/// Why a `--db` value names no database this build can open.
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    /// Nothing was given.
    #[error("no database given: a file path, sqlite:PATH or postgres://user@host:port/database")]
    Empty,
    /// A URL of a kind this build does not know.
    #[error(
        "`{0}` is not a database this server can use: give a file path, sqlite:PATH or postgres://user@host:port/database"
    )]
    UnknownScheme(String),
    /// A PostgreSQL URL the driver refuses, or one without a user or a host.
    #[error(
        "`{url}` is not a usable PostgreSQL URL (postgres://user@host:port/database): {problem}"
    )]
    Postgres {
        /// The URL as given, without its password.
        url: String,
        /// What is wrong.
        problem: String,
    },
}

impl DatabaseUrl {
    /// Parses what the operator wrote: `postgres://…` or `postgresql://…` for PostgreSQL,
    /// `sqlite:PATH` (also `sqlite://PATH`) or any other text without a `scheme://` for a
    /// SQLite file.
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        if raw.is_empty() {
            return Err(UrlError::Empty);
        }
        let lower = raw.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return PostgresUrl::parse(raw).map(Self::Postgres);
        }
        if lower.starts_with("sqlite:") {
            let path = &raw["sqlite:".len()..];
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(UrlError::Empty);
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if raw.contains("://") {
            return Err(UrlError::UnknownScheme(redact(raw)));
        }
        Ok(Self::Sqlite(PathBuf::from(raw)))
    }

    /// The SQLite file, for a SQLite database.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }
}

impl FromStr for DatabaseUrl {
    type Err = UrlError;
    fn from_str(raw: &str) -> Result<Self, UrlError> {
        Self::parse(raw)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => write!(f, "{url}"),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(url).finish(),
        }
    }
}

impl PostgresUrl {
    /// A URL the driver accepts, with a user and a host.
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        // The driver knows its schemes in lower case only.
        let raw = &match raw.find("://") {
            Some(end) => format!("{}{}", raw[..end].to_ascii_lowercase(), &raw[end..]),
            None => raw.to_owned(),
        };
        let refused = |problem: String| UrlError::Postgres {
            url: redact(raw),
            problem,
        };
        // The driver's own messages name the part that is wrong, never the password.
        let config = tokio_postgres::Config::from_str(raw).map_err(|e| refused(e.to_string()))?;
        if config.get_user().is_none_or(str::is_empty) {
            return Err(refused("it names no user".into()));
        }
        if config.get_hosts().is_empty() {
            return Err(refused("it names no host".into()));
        }
        Ok(Self {
            url: raw.to_owned(),
        })
    }

    /// The driver's configuration.
    pub(crate) fn config(&self) -> Result<tokio_postgres::Config, String> {
        tokio_postgres::Config::from_str(&self.url).map_err(|e| e.to_string())
    }

    /// The database it names (the driver defaults to the user's name when none is given).
    pub fn database(&self) -> Option<String> {
        self.config()
            .ok()
            .and_then(|c| c.get_dbname().map(str::to_owned))
    }

    /// The same server and user, another database: for tests that make a database of their
    /// own on a server where they may.
    #[doc(hidden)]
    pub fn with_database(&self, name: &str) -> Self {
        let scheme_end = self.url.find("://").map_or(0, |i| i + 3);
        let rest = &self.url[scheme_end..];
        // The credentials end at the first '@' (as the driver reads them), the host list at
        // the next '/' or '?'.
        let host_start = rest.find('@').map_or(0, |i| i + 1);
        let after_hosts = rest[host_start..]
            .find(['/', '?'])
            .map_or(rest.len(), |i| host_start + i);
        let query = rest[after_hosts..]
            .find('?')
            .map_or("", |i| &rest[after_hosts + i..]);
        Self {
            url: format!(
                "{}{}/{name}{query}",
                &self.url[..scheme_end],
                &rest[..after_hosts]
            ),
        }
    }

    /// The URL with its password, to hand to another process (a test's server).
    #[doc(hidden)]
    pub fn expose(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.url))
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", redact(&self.url))
    }
}

/// `url` with the password of its credentials and any `password=` parameter shown as `***`.
/// The credentials are everything before the first `@` after the scheme, as the driver reads
/// them, so a password holding `/` or `?` is hidden whole.
fn redact(url: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let (head, rest) = url.split_at(scheme_end);
    let mut out = head.to_owned();
    let rest = match rest.find('@') {
        Some(at) => {
            let credentials = &rest[..at];
            match credentials.find(':') {
                Some(colon) => {
                    out.push_str(&credentials[..colon]);
                    out.push_str(":***");
                }
                None => out.push_str(credentials),
            }
            &rest[at..]
        }
        None => rest,
    };
    match rest.find('?') {
        Some(q) => {
            out.push_str(&rest[..=q]);
            let parameters: Vec<String> = rest[q + 1..]
                .split('&')
                .map(|parameter| match parameter.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => parameter.to_owned(),
                })
                .collect();
            out.push_str(&parameters.join("&"));
        }
        None => out.push_str(rest),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> DatabaseUrl {
        match DatabaseUrl::parse(raw) {
            Ok(url) => url,
            Err(e) => unreachable!("{raw}: {e}"),
        }
    }

    #[test]
    fn paths_and_sqlite_urls_are_sqlite_files() {
        assert_eq!(parsed("j.db"), DatabaseUrl::Sqlite("j.db".into()));
        assert_eq!(parsed("/var/j.db"), DatabaseUrl::Sqlite("/var/j.db".into()));
        assert_eq!(parsed("sqlite:j.db"), DatabaseUrl::Sqlite("j.db".into()));
        assert_eq!(
            parsed("sqlite:///var/j.db"),
            DatabaseUrl::Sqlite("/var/j.db".into())
        );
        assert!(matches!(DatabaseUrl::parse(""), Err(UrlError::Empty)));
        assert!(matches!(
            DatabaseUrl::parse("sqlite:"),
            Err(UrlError::Empty)
        ));
        assert!(matches!(
            DatabaseUrl::parse("mysql://u:secret@h/db"),
            Err(UrlError::UnknownScheme(shown)) if !shown.contains("secret")
        ));
    }

    #[test]
    fn postgres_urls_of_both_schemes_are_postgres() {
        for raw in [
            "postgres://jk@127.0.0.1:5432/journeykit",
            "postgresql://jk@db.example.com/journeykit",
            "POSTGRES://jk@localhost/j?application_name=x",
        ] {
            assert!(parsed(raw).is_postgres(), "{raw}");
        }
        let url = match parsed("postgres://jk@h:5433/other") {
            DatabaseUrl::Postgres(url) => url,
            DatabaseUrl::Sqlite(_) => unreachable!(),
        };
        assert_eq!(url.database().as_deref(), Some("other"));
        assert!(matches!(
            DatabaseUrl::parse("postgres://h:5432/db"),
            Err(UrlError::Postgres { problem, .. }) if problem.contains("no user")
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:secret@h:notaport/db"),
            Err(UrlError::Postgres { url, .. }) if !url.contains("secret")
        ));
    }

    #[test]
    fn a_password_is_never_shown() {
        for (raw, shown) in [
            (
                "postgres://jk:s3cret@h:5432/db",
                "postgres://jk:***@h:5432/db",
            ),
            ("postgres://jk:a/b?c@h/db", "postgres://jk:***@h/db"),
            (
                "postgresql://jk@h/db?password=s3cret&sslmode=disable",
                "postgresql://jk@h/db?password=***&sslmode=disable",
            ),
            ("postgres://jk@h/db", "postgres://jk@h/db"),
        ] {
            let url = parsed(raw);
            assert_eq!(url.to_string(), shown, "{raw}");
            assert!(!format!("{url:?}").contains("s3cret"), "{raw}");
            assert!(!format!("{url:?}").contains("a/b"), "{raw}");
        }
    }

    #[test]
    fn another_database_on_the_same_server() {
        let url = PostgresUrl::parse("postgres://jk:pw@127.0.0.1:5432/postgres?sslmode=disable");
        let other = url.map(|u| u.with_database("jk_test_1").expose().to_owned());
        assert_eq!(
            other.ok().as_deref(),
            Some("postgres://jk:pw@127.0.0.1:5432/jk_test_1?sslmode=disable")
        );
        let bare = PostgresUrl::parse("postgres://jk@h").map(|u| u.with_database("d"));
        assert_eq!(
            bare.ok().map(|u| u.expose().to_owned()).as_deref(),
            Some("postgres://jk@h/d")
        );
    }
}
