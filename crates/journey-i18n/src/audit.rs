//! The audit: how each language drifts from the reference language (`en`), for the tidy test
//! that keeps the shipped locales complete.
//!
//! A language drifts when it lacks a message (or attribute) the reference has, has one the
//! reference does not, uses a variable the reference's message does not get (the code would
//! never pass it, so the text would show an error), or writes a plural selector with variants
//! its grammar does not have (`[few]` in German, a typo such as `[on]`) or without one it needs
//! (Arabic's `[two]`). Plural categories come from CLDR through `intl_pluralrules`, the rules
//! Fluent itself selects with.

use crate::{Catalog, Language, syntax};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One way a language differs from the reference language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The file to fix (the reference's file when a message is missing).
    pub path: PathBuf,
    /// The language that drifts.
    pub locale: String,
    /// The message.
    pub id: String,
    /// What is wrong, as a sentence fragment after the message id.
    pub problem: String,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}` {}", self.path.display(), self.id, self.problem)
    }
}

const CATEGORY_NAMES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// A language's cardinal plural categories: those any number may take, and those the whole
/// numbers up to 1000 take (the ones a count shown in our texts can need).
struct Categories {
    possible: BTreeSet<&'static str>,
    needed: BTreeSet<&'static str>,
}

impl Categories {
    fn of(language: &Language) -> Option<Self> {
        let rules = PluralRules::create(language.id.clone(), PluralRuleType::CARDINAL).ok()?;
        let needed: BTreeSet<_> = (0..=1000u32)
            .filter_map(|n| rules.select(n).ok())
            .map(category_name)
            .collect();
        let mut possible = needed.clone();
        for sample in [
            "0.5", "1.5", "2.5", "3.5", "10.5", "100.5", "1000000", "1000001", "2000000", "1.0",
            "1.25",
        ] {
            if let Ok(category) = rules.select(sample) {
                possible.insert(category_name(category));
            }
        }
        Some(Self { possible, needed })
    }
}

impl Catalog {
    /// Every way each loaded language (the pseudo-locale aside) drifts from `reference`.
    pub fn audit(&self, reference: &str) -> Vec<Drift> {
        let Some(base) = self.languages.get(reference) else {
            return vec![Drift {
                path: PathBuf::from(reference),
                locale: reference.to_owned(),
                id: reference.to_owned(),
                problem: "is the reference language, but it is not loaded".to_owned(),
            }];
        };
        let mut drifts = Vec::new();
        for (tag, language) in &self.languages {
            if language.pseudo {
                continue;
            }
            drifts.extend(plural_drifts(tag, language));
            if tag != reference {
                drifts.extend(message_drifts(reference, base, tag, language));
            }
        }
        drifts
    }
}

fn by_id(language: &Language) -> BTreeMap<String, (&Path, syntax::Entry<'_>)> {
    language
        .entries()
        .map(|(path, entry)| (entry.id.clone(), (path, entry)))
        .collect()
}

fn message_drifts(reference: &str, base: &Language, tag: &str, language: &Language) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let theirs = by_id(language);
    let ours = by_id(base);
    let drift = |path: &Path, id: &str, problem: String| Drift {
        path: path.to_owned(),
        locale: tag.to_owned(),
        id: id.to_owned(),
        problem,
    };
    for (id, (path, _)) in &ours {
        if !theirs.contains_key(id) {
            drifts.push(drift(path, id, format!("is missing in {tag}")));
        }
    }
    for (id, (path, entry)) in &theirs {
        let Some((_, original)) = ours.get(id) else {
            drifts.push(drift(path, id, format!("is not in {reference}")));
            continue;
        };
        if original.value.is_some() != entry.value.is_some() {
            drifts.push(drift(
                path,
                id,
                format!("has a value in only one of {reference} and {tag}"),
            ));
        }
        let (our_attributes, their_attributes) =
            (original.attribute_names(), entry.attribute_names());
        for missing in our_attributes.difference(&their_attributes) {
            drifts.push(drift(path, id, format!("lacks the attribute `.{missing}`")));
        }
        for extra in their_attributes.difference(&our_attributes) {
            drifts.push(drift(
                path,
                id,
                format!("has the attribute `.{extra}`, which {reference} does not"),
            ));
        }
        let known = original.uses().variables;
        for variable in entry.uses().variables.difference(&known) {
            drifts.push(drift(
                path,
                id,
                format!("uses `${variable}`, which the {reference} message does not get"),
            ));
        }
    }
    drifts
}

fn plural_drifts(tag: &str, language: &Language) -> Vec<Drift> {
    let Some(categories) = Categories::of(language) else {
        return Vec::new();
    };
    let mut drifts = Vec::new();
    for (path, entry) in language.entries() {
        for selection in entry.uses().selections {
            let named: BTreeSet<&str> = selection
                .keys
                .iter()
                .map(String::as_str)
                .filter(|key| !key.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
                .collect();
            // A selector whose keys are not all plural categories selects on something else
            // (a kind, a gender) and is not a plural.
            if !named.iter().all(|key| CATEGORY_NAMES.contains(key)) {
                continue;
            }
            let variable = &selection.variable;
            for key in named.difference(&categories.possible) {
                drifts.push(Drift {
                    path: path.to_owned(),
                    locale: tag.to_owned(),
                    id: entry.id.clone(),
                    problem: format!(
                        "has a `[{key}]` variant for `${variable}`, a plural form {tag} does not have"
                    ),
                });
            }
            for needed in categories.needed.difference(&named) {
                drifts.push(Drift {
                    path: path.to_owned(),
                    locale: tag.to_owned(),
                    id: entry.id.clone(),
                    problem: format!(
                        "lacks the `[{needed}]` variant for `${variable}` that {tag} needs"
                    ),
                });
            }
        }
    }
    drifts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use crate::tests::catalog;

    fn problems(files: &[(&str, &str)]) -> Vec<String> {
        catalog(files)
            .unwrap()
            .audit("en")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const EN: &str = "\
a = A { $n ->
    [one] one
   *[other] { $n } many
}
b = B
    .label = Label
";

    #[test]
    fn a_complete_language_does_not_drift() {
        let de =
            "a = A { $n ->\n    [one] eins\n   *[other] { $n } viele\n}\nb = B\n    .label = L\n";
        assert_eq!(problems(&[("en", EN), ("de", de)]), Vec::<String>::new());
    }

    #[test]
    fn finds_missing_and_extra_messages_and_attributes() {
        let de = "a = A { $n }\nc = C\n";
        assert_eq!(
            problems(&[("en", EN), ("de", de)]),
            [
                "en/x.ftl: `b` is missing in de",
                "de/x.ftl: `c` is not in en",
            ]
        );
        let de = "a = A { $n }\nb = B\n    .title = T\n";
        assert_eq!(
            problems(&[("en", EN), ("de", de)]),
            [
                "de/x.ftl: `b` lacks the attribute `.label`",
                "de/x.ftl: `b` has the attribute `.title`, which en does not",
            ]
        );
    }

    #[test]
    fn finds_a_placeable_the_reference_does_not_have() {
        let de = "a = A { $count }\nb = B\n    .label = { $brand }\n";
        assert_eq!(
            problems(&[("en", EN), ("de", de)]),
            [
                "de/x.ftl: `a` uses `$count`, which the en message does not get",
                "de/x.ftl: `b` uses `$brand`, which the en message does not get",
            ]
        );
    }

    #[test]
    fn finds_plural_variants_a_language_lacks_or_does_not_have() {
        // German has no `few`; Arabic needs all six forms for whole numbers.
        let de = "a = { $n ->\n    [one] x\n    [few] y\n   *[other] z\n}\nb = B\n    .label = L\n";
        let ar = "a = { $n ->\n    [one] x\n   *[other] z\n}\nb = B\n    .label = L\n";
        assert_eq!(
            problems(&[("en", EN), ("de", de), ("ar", ar)]),
            [
                "ar/x.ftl: `a` lacks the `[few]` variant for `$n` that ar needs",
                "ar/x.ftl: `a` lacks the `[many]` variant for `$n` that ar needs",
                "ar/x.ftl: `a` lacks the `[two]` variant for `$n` that ar needs",
                "ar/x.ftl: `a` lacks the `[zero]` variant for `$n` that ar needs",
                "de/x.ftl: `a` has a `[few]` variant for `$n`, a plural form de does not have",
            ]
        );
        // Exact numbers and selectors on other things are not plural forms.
        let de = "a = { $n ->\n    [0] nichts\n    [one] x\n   *[other] z\n} { $n ->\n    [email] E\n   *[other] O\n}\nb = B\n    .label = L\n";
        assert_eq!(problems(&[("en", EN), ("de", de)]), Vec::<String>::new());
    }
}
