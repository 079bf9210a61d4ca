//! Security events (OWASP ASVS 16.3): registrations, logins (succeeded, failed, throttled,
//! locked), wrong and paused codes, lock-outs, recoveries and refused origins. Each goes to the
//! log under the `security` target, without secrets and without the identifier itself (a short
//! digest stands in for it), and to the store's append-only `security_events` table, where an
//! operator reads them by account and time with `journey-server events` ([`query`]).
//!
//! Events that belong to a flow's step are saved in that step's transaction
//! ([`Write::Event`]); the others ([`record`]) on their own.

use crate::state::AppState;
use journey_store::{EventFilter, SecurityEvent, Write};
use sha2::{Digest, Sha256};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An account was created.
    Registered,
    /// A password login succeeded.
    LoginSucceeded,
    /// A password login failed (wrong password or unknown account).
    LoginFailed,
    /// A login was refused by the back-off, unchecked.
    LoginThrottled,
    /// A login was refused because sign-in is locked after too many failures.
    LoginLocked,
    /// A wrong one-time code.
    CodeFailed,
    /// The last wrong code a flow allows: the flow is locked.
    CodeLocked,
    /// A code was refused unchecked: the address had all its guesses for now.
    CodePaused,
    /// A message was not sent: the recipient had all its messages for the hour.
    MessageCapped,
    /// A password was reset through recovery; every session of the account ended.
    PasswordReset,
    /// A request came from an origin the tenant does not allow.
    OriginRefused,
}

impl Kind {
    /// The name in the log and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::LoginSucceeded => "login_succeeded",
            Self::LoginFailed => "login_failed",
            Self::LoginThrottled => "login_throttled",
            Self::LoginLocked => "login_locked",
            Self::CodeFailed => "code_failed",
            Self::CodeLocked => "code_locked",
            Self::CodePaused => "code_paused",
            Self::MessageCapped => "message_capped",
            Self::PasswordReset => "password_reset",
            Self::OriginRefused => "origin_refused",
        }
    }
}

/// An event being put together.
pub struct Event {
    inner: SecurityEvent,
}

impl Event {
    /// An event of `kind` for `tenant` at `at`.
    pub fn new(tenant: &str, kind: Kind, at: i64) -> Self {
        Self {
            inner: SecurityEvent {
                tenant: tenant.to_owned(),
                at,
                kind: kind.as_str().to_owned(),
                subject: None,
                identifier: None,
                client: None,
                flow_id: None,
            },
        }
    }

    /// The account.
    pub fn subject(mut self, subject: Option<&str>) -> Self {
        self.inner.subject = subject.map(str::to_owned);
        self
    }

    /// The identifier (normalised email).
    pub fn identifier(mut self, identifier: &str) -> Self {
        self.inner.identifier = Some(identifier.to_owned());
        self
    }

    /// The client's address.
    pub fn client(mut self, client: &str) -> Self {
        self.inner.client = Some(client.to_owned());
        self
    }

    /// The flow.
    pub fn flow(mut self, flow_id: &str) -> Self {
        self.inner.flow_id = Some(flow_id.to_owned());
        self
    }

    /// Logs it and returns the write that saves it in a flow's transaction.
    pub fn into_write(self) -> Write {
        log(&self.inner);
        Write::Event(self.inner)
    }
}

/// Logs and saves an event that belongs to no flow's transaction. A failure to save is logged,
/// never turned into an answer: the person's request goes on.
pub async fn record(state: &AppState, event: Event) {
    log(&event.inner);
    if let Err(error) = state.store.record_event(event.inner).await {
        tracing::error!(%error, "saving a security event");
    }
}

fn log(event: &SecurityEvent) {
    // The identifier is personal data: the log gets a digest that still groups one address's
    // events; the table, which only operators read, keeps the address.
    let identifier = event
        .identifier
        .as_deref()
        .map(|id| hex::encode(&Sha256::digest(id.as_bytes())[..6]));
    tracing::info!(
        target: "security",
        kind = %event.kind,
        tenant = %event.tenant,
        subject = event.subject.as_deref().unwrap_or("-"),
        identifier = identifier.as_deref().unwrap_or("-"),
        client = event.client.as_deref().unwrap_or("-"),
        flow = event.flow_id.as_deref().unwrap_or("-"),
        "security event"
    );
}

/// The usage of `journey-server events`.
pub const USAGE: &str = "\
journey-server events: prints security events as JSON lines, oldest first

Options:
  --db FILE|URL        the database: a SQLite file or a PostgreSQL URL (required)
  --tenant ID          only this tenant's events
  --subject ID         only this account's events
  --identifier EMAIL   only events about this address
  --since SECONDS      from this Unix time on
  --until SECONDS      before this Unix time
  --limit N            at most N events (default 1000)";

/// `journey-server events …`: reads the events an operator asks for and prints them as JSON
/// lines. Returns the lines, or what is wrong with the arguments.
pub async fn query(args: &[String]) -> Result<Vec<String>, String> {
    let mut filter = EventFilter {
        limit: 1000,
        ..EventFilter::default()
    };
    let mut db = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        let number = |raw: String| {
            raw.parse::<i64>()
                .map_err(|_| format!("{flag}: `{raw}` is not a number of seconds\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--db" => {
                let raw = value()?;
                db = Some(
                    journey_store::DatabaseUrl::parse(&raw)
                        .map_err(|e| format!("--db: {e}\n\n{USAGE}"))?,
                );
            }
            "--tenant" => filter.tenant = Some(value()?),
            "--subject" => filter.subject = Some(value()?),
            "--identifier" => filter.identifier = Some(value()?.trim().to_lowercase()),
            "--since" => filter.since = Some(number(value()?)?),
            "--until" => filter.until = Some(number(value()?)?),
            "--limit" => {
                let raw = value()?;
                filter.limit = raw
                    .parse()
                    .map_err(|_| format!("--limit: `{raw}` is not a number\n\n{USAGE}"))?;
            }
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown option {other}\n\n{USAGE}")),
        }
    }
    let db = db.ok_or_else(|| format!("--db is required\n\n{USAGE}"))?;
    let store = journey_store::open(&db, journey_store::Create::Never)
        .await
        .map_err(|e| format!("database {db}: {e}"))?;
    let events = store
        .security_events(filter)
        .await
        .map_err(|e| format!("database {db}: {e}"))?;
    Ok(events
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "at": e.at,
                "tenant": e.tenant,
                "kind": e.kind,
                "subject": e.subject,
                "identifier": e.identifier,
                "client": e.client,
                "flow": e.flow_id,
            })
            .to_string()
        })
        .collect())
}
