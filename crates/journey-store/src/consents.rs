//! A person's consent history, as the store keeps it: each decision on a purpose or a document
//! ([`Consent`], [`Decision`]), appended with a flow's save and never changed. The SQL that
//! keeps it is each backend's `consents.rs`.

/// What a person decided on a purpose or a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A purpose (an attribute consent) granted.
    Granted,
    /// A purpose withdrawn.
    Withdrawn,
    /// A document accepted.
    Accepted,
    /// A document refused.
    Refused,
}

impl Decision {
    /// Its name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Withdrawn => "withdrawn",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
        }
    }

    /// What it decides on: `purpose` or `document`.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Granted | Self::Withdrawn => "purpose",
            Self::Accepted | Self::Refused => "document",
        }
    }

    /// The decision named `name` in the database.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Granted,
            Self::Withdrawn,
            Self::Accepted,
            Self::Refused,
        ]
        .into_iter()
        .find(|d| d.as_str() == name)
    }
}

/// One entry of a person's consent history: a decision on a purpose (marketing by email,
/// sharing with the group's other brands, ...) or on a document (the terms, the privacy
/// notice), with the version of the text they were shown, its language, the brand and the
/// channel it was given through, the flow and the time. Entries are only ever appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    /// The tenant.
    pub tenant: String,
    /// The account.
    pub subject: String,
    /// The purpose's or the document's id.
    pub item: String,
    /// The version of the purpose's text or of the document.
    pub version: String,
    /// The language it was shown in.
    pub locale: String,
    /// What was decided (and so whether `item` is a purpose or a document).
    pub decision: Decision,
    /// The brand it was given under.
    pub brand: String,
    /// Where it was given (`web` for a widget).
    pub channel: String,
    /// The flow it was given in.
    pub flow_id: Option<String>,
    /// Seconds since the Unix epoch.
    pub at: i64,
}
