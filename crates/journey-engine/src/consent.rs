//! What the consent blocks share (`blocks/attribute_consent.rs`, `blocks/document_consent.rs`):
//! the value a ticked checkbox submits, reading one checkbox from a submission, the names a
//! purpose or a document may have, versions as `major.minor`, and the account's standing
//! decisions as conditions read them ([`decisions`]).
//!
//! The history itself is the server's (`Effect::RecordConsent`, `Query::Consents`); nothing
//! here stores or reads it.

use crate::kernel::{ConsentDecision, Consents, Cx, Values};
use journey_protocol::Text;
use std::collections::BTreeMap;

/// What a ticked checkbox submits; an unticked one submits nothing or an empty value.
pub(crate) const TICKED: &str = "yes";

/// The field error of a checkbox sent with any other value.
pub(crate) const WRONG_VALUE: &str = "error-consent-checkbox-value";

/// Most purposes or documents one step may show.
pub(crate) const MAX_ITEMS: usize = 16;

/// Whether the checkbox `name` was ticked: `None` (and a field error on it) when its value is
/// neither [`TICKED`] nor empty.
pub(crate) fn ticked(cx: &mut Cx<'_>, values: &Values, name: &str) -> Option<bool> {
    match values.get(name).map(String::as_str) {
        None | Some("") => Some(false),
        Some(TICKED) => Some(true),
        Some(_) => {
            cx.field_error(name, Text::msg(WRONG_VALUE));
            None
        }
    }
}

/// Checks the names a block's settings list: at least one, at most [`MAX_ITEMS`], no repeats,
/// each of lower-case letters, digits and `_` (they become Fluent ids and field names).
pub(crate) fn check_names(setting: &str, names: &[String]) -> Result<(), String> {
    if names.is_empty() {
        return Err(format!("`{setting}` names none; list at least one"));
    }
    if names.len() > MAX_ITEMS {
        return Err(format!("`{setting}` names more than {MAX_ITEMS}"));
    }
    for (i, name) in names.iter().enumerate() {
        if !is_name(name) {
            return Err(format!(
                "`{setting}`: `{name}` is not a name (lower-case letters, digits and `_`, starting with a letter, at most 40)"
            ));
        }
        if names[..i].contains(name) {
            return Err(format!("`{setting}` names `{name}` twice"));
        }
    }
    Ok(())
}

/// Whether `name` may name a purpose or a document.
pub fn is_name(name: &str) -> bool {
    name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The major and minor numbers of a version written `major.minor` (`2.0`, `1.10`).
pub fn version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    let number = |part: &str| {
        (!part.is_empty() && part.len() <= 6 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    Some((number(major)?, number(minor)?))
}

/// The account's standing decision on each purpose and document it has decided on, as the
/// `consents` of a condition reads them: `granted` or `withdrawn`; `accepted` (at the current
/// major version), `outdated` (accepted at an earlier major version: a new acceptance is due)
/// or `refused`.
pub(crate) fn decisions(consents: &Consents) -> BTreeMap<String, String> {
    let purposes = consents.purposes.iter().filter_map(|(name, standing)| {
        let word = match standing.latest.as_ref()?.0 {
            ConsentDecision::Granted => "granted",
            _ => "withdrawn",
        };
        Some((name.clone(), word.to_owned()))
    });
    let documents = consents.documents.iter().filter_map(|(name, standing)| {
        let (decision, at) = standing.latest.as_ref()?;
        let major = |v: &str| version(v).map(|(major, _)| major);
        let current = major(&standing.current).is_some_and(|m| major(at) == Some(m));
        let word = match decision {
            ConsentDecision::Accepted if current => "accepted",
            ConsentDecision::Accepted => "outdated",
            _ => "refused",
        };
        Some((name.clone(), word.to_owned()))
    });
    purposes.chain(documents).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_major_dot_minor() {
        assert_eq!(version("2.0"), Some((2, 0)));
        assert_eq!(version("1.10"), Some((1, 10)));
        for bad in ["2", "2.", ".1", "2.0.1", "v2.0", "-1.0", "1.x", "9999999.0"] {
            assert_eq!(version(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_checked() {
        assert!(check_names("purposes", &["marketing_email".into()]).is_ok());
        assert!(check_names("purposes", &[]).is_err());
        assert!(check_names("purposes", &["a".into(), "a".into()]).is_err());
        assert!(check_names("purposes", &["Marketing".into()]).is_err());
        assert!(check_names("purposes", &["x-y".into()]).is_err());
    }
}
