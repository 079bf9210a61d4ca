//! What both backends keep of accounts, in the same shape: an account (`accounts`: subject,
//! tenant, attributes), what it is known by (`account_identifiers`: kind `email` now, phones and
//! external identities later, unique per tenant, kind and value) and what proves it is them
//! (`account_credentials`: kind `password` now, authenticator apps and passkeys later; at most
//! one password per account). Every look-up goes from an identifier to its account and from
//! there to a credential, so an account without a password is an ordinary account. The
//! statements are each backend's (`sqlite/accounts.rs`, `postgres/accounts.rs`).

//!
//! An account's profile is its `attributes` (a JSON object of strings) and
//! `verified_attributes` (a JSON array of names), read and merged here without SQL
//! ([`profile`], [`merged`]); the email and its proof come from its identifier.

use crate::{Profile, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// The identifier kind of an email address.
pub(crate) const EMAIL: &str = "email";

/// The credential kind of a password (its PHC hash).
pub(crate) const PASSWORD: &str = "password";

/// A new account, as [`crate::Write::CreateAccount`] describes it.
pub(crate) struct NewAccount<'a> {
    pub(crate) tenant: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) email: &'a str,
    pub(crate) attributes: &'a str,
    pub(crate) password_hash: Option<&'a str>,
}

/// An account's profile from its stored columns and its email identifier.
pub(crate) fn profile(
    attributes: &str,
    verified: &str,
    email: Option<(String, bool)>,
    has_password: bool,
) -> Result<Profile, StoreError> {
    let mut attributes: BTreeMap<String, String> = serde_json::from_str(attributes)
        .map_err(|e| StoreError::Task(format!("an account's attributes do not parse: {e}")))?;
    let mut verified: BTreeSet<String> = serde_json::from_str(verified).map_err(|e| {
        StoreError::Task(format!(
            "an account's verified attributes do not parse: {e}"
        ))
    })?;
    verified.remove(EMAIL);
    if let Some((email, proven)) = email {
        attributes.insert(EMAIL.to_owned(), email);
        if proven {
            verified.insert(EMAIL.to_owned());
        }
    }
    Ok(Profile {
        attributes,
        verified,
        has_password,
    })
}

/// The stored columns after an update: each new value replaces the old one and is verified
/// exactly when `update_verified` names it; other attributes keep their value and proof.
pub(crate) fn merged(
    attributes: &str,
    verified: &str,
    update: &BTreeMap<String, String>,
    update_verified: &BTreeSet<String>,
) -> Result<(String, String), StoreError> {
    let Profile {
        mut attributes,
        mut verified,
        ..
    } = profile(attributes, verified, None, false)?;
    for (name, value) in update.iter().filter(|(name, _)| name.as_str() != EMAIL) {
        attributes.insert(name.clone(), value.clone());
        if update_verified.contains(name) {
            verified.insert(name.clone());
        } else {
            verified.remove(name);
        }
    }
    let json = |e: serde_json::Error| StoreError::Task(format!("a profile: {e}"));
    Ok((
        serde_json::to_string(&attributes).map_err(json)?,
        serde_json::to_string(&verified).map_err(json)?,
    ))
}
