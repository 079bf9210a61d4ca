//! Every text a person reads, resolved with Fluent (DESIGN.md, invariant 4).
//!
//! A [`Catalog`] holds one Fluent bundle per language, loaded once at start-up from
//! `locales/<lang>/*.ftl`. Brands will add override files on top (a later issue); the loader
//! already refuses a message defined twice within one language, so an override will have to be
//! explicit. Arguments are typed ([`Arg`]): numbers drive plural selectors, texts (such as a
//! code with a leading zero) pass unchanged.
//!
//! Bidi isolation marks are off: the same texts go into plain-text emails and SMS, where
//! U+2068/U+2069 would show up as junk (TOOLCHAIN.md).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use unic_langid::LanguageIdentifier;

/// Why the locales could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A folder name is not a language tag.
    #[error("{path}: `{lang}` is not a language tag")]
    BadLanguage {
        /// The folder.
        path: PathBuf,
        /// Its name.
        lang: String,
    },
    /// A file is not valid Fluent.
    #[error("{path}: not valid Fluent: {detail}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        detail: String,
    },
    /// A message is defined twice in one language.
    #[error("{path}: {detail}")]
    Duplicate {
        /// The file that repeats it.
        path: PathBuf,
        /// Which message.
        detail: String,
    },
    /// No language was found.
    #[error("{0}: no languages found (expected folders such as en/ with .ftl files)")]
    Empty(PathBuf),
}

/// A message argument. Numbers are formatted by Fluent and drive plural selection; texts are
/// passed as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A number.
    Number(i64),
    /// A text.
    Text(&'a str),
}

/// The Fluent bundles of every language.
pub struct Catalog {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("locales", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Catalog {
    /// Loads `dir/<lang>/*.ftl` for every language folder in `dir`.
    pub fn load(dir: &Path) -> Result<Self, I18nError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| I18nError::Io { path, source }
        };
        let mut sources = Vec::new();
        let mut langs: Vec<_> = fs::read_dir(dir)
            .map_err(io(dir))?
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        langs.sort_by_key(|entry| entry.file_name());
        for lang in langs {
            let lang_path = lang.path();
            if !lang_path.is_dir() {
                continue;
            }
            let mut files: Vec<_> = fs::read_dir(&lang_path)
                .map_err(io(&lang_path))?
                .collect::<Result<_, _>>()
                .map_err(io(&lang_path))?;
            files.sort_by_key(|entry| entry.file_name());
            for file in files {
                let path = file.path();
                if path.extension().is_some_and(|ext| ext == "ftl") {
                    let text = fs::read_to_string(&path).map_err(io(&path))?;
                    sources.push((lang.file_name().to_string_lossy().into_owned(), path, text));
                }
            }
        }
        if sources.is_empty() {
            return Err(I18nError::Empty(dir.to_owned()));
        }
        Self::from_sources(sources)
    }

    /// Builds the catalog from `(language, path, text)` triples; the path only names errors.
    pub fn from_sources(sources: Vec<(String, PathBuf, String)>) -> Result<Self, I18nError> {
        let mut bundles: BTreeMap<String, FluentBundle<FluentResource>> = BTreeMap::new();
        for (lang, path, text) in sources {
            let id: LanguageIdentifier = lang.parse().map_err(|_| I18nError::BadLanguage {
                path: path.clone(),
                lang: lang.clone(),
            })?;
            let resource =
                FluentResource::try_new(text).map_err(|(_, errors)| I18nError::Syntax {
                    path: path.clone(),
                    detail: errors
                        .iter()
                        .map(|e| format!("{e:?}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                })?;
            let bundle = bundles.entry(lang).or_insert_with(|| {
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                bundle
            });
            bundle
                .add_resource(resource)
                .map_err(|errors| I18nError::Duplicate {
                    path,
                    detail: errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                })?;
        }
        Ok(Self { bundles })
    }

    /// The languages loaded.
    pub fn locales(&self) -> Vec<&str> {
        self.bundles.keys().map(String::as_str).collect()
    }

    /// Whether `locale` has a message `id` with a value.
    pub fn has(&self, locale: &str, id: &str) -> bool {
        self.bundles
            .get(locale)
            .and_then(|b| b.get_message(id))
            .and_then(|m| m.value())
            .is_some()
    }

    /// The text of `id` in `locale` with `args`, or `None` when the message is missing or
    /// cannot be formatted. Start-up checks make `None` a bug, not a user's problem.
    pub fn format(&self, locale: &str, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let bundle = self.bundles.get(locale)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(number) => fluent_args.set(*name, FluentValue::from(*number)),
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(*text)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// Picks the language for a flow: the requested one if the tenant supports it (by exact tag
    /// or by its primary language, so `nl-BE` gets `nl`), else the tenant's default.
    pub fn negotiate<'a>(
        requested: Option<&str>,
        supported: &'a [String],
        default: &'a str,
    ) -> &'a str {
        let Some(requested) = requested.map(str::trim).filter(|r| !r.is_empty()) else {
            return default;
        };
        let lowered = requested.to_ascii_lowercase();
        let primary = lowered.split(['-', '_']).next().unwrap_or("");
        supported
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&lowered))
            .or_else(|| supported.iter().find(|s| s.eq_ignore_ascii_case(primary)))
            .map(String::as_str)
            .unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn catalog(files: &[(&str, &str)]) -> Result<Catalog, I18nError> {
        Catalog::from_sources(
            files
                .iter()
                .map(|(l, t)| {
                    (
                        (*l).into(),
                        PathBuf::from(format!("{l}/x.ftl")),
                        (*t).into(),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn formats_with_plurals_and_without_isolation_marks() {
        let c = catalog(&[(
            "en",
            "left = { $n ->\n    [one] one try\n   *[other] { $n } tries\n}\nhi = Hi { $name }",
        )])
        .unwrap();
        let format = |id, args: &[(&str, Arg<'_>)]| c.format("en", id, args);
        assert_eq!(
            format("left", &[("n", Arg::Number(1))]).as_deref(),
            Some("one try")
        );
        assert_eq!(
            format("left", &[("n", Arg::Number(3))]).as_deref(),
            Some("3 tries")
        );
        assert_eq!(
            format("hi", &[("name", Arg::Text("Jane"))]).as_deref(),
            Some("Hi Jane")
        );
        // A code is text: its leading zero stays.
        assert_eq!(
            format("hi", &[("name", Arg::Text("012345"))]).as_deref(),
            Some("Hi 012345")
        );
        assert_eq!(c.format("en", "missing", &[]), None);
        assert_eq!(c.format("fr", "hi", &[]), None);
    }

    #[test]
    fn refuses_broken_and_duplicate_messages() {
        assert!(matches!(
            catalog(&[("en", "this is { not fluent")]),
            Err(I18nError::Syntax { .. })
        ));
        assert!(matches!(
            catalog(&[("en", "a = 1"), ("en", "a = 2")]),
            Err(I18nError::Duplicate { .. })
        ));
        assert!(matches!(
            catalog(&[("not a tag!", "a = 1")]),
            Err(I18nError::BadLanguage { .. })
        ));
    }

    #[test]
    fn negotiates_exact_then_primary_then_default() {
        let supported = vec!["en".to_owned(), "nl".to_owned()];
        assert_eq!(Catalog::negotiate(Some("nl"), &supported, "en"), "nl");
        assert_eq!(Catalog::negotiate(Some("nl-BE"), &supported, "en"), "nl");
        assert_eq!(Catalog::negotiate(Some("fr"), &supported, "en"), "en");
        assert_eq!(Catalog::negotiate(None, &supported, "en"), "en");
    }

    #[test]
    fn every_shown_number_selects_its_plural_in_every_language() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
        let catalog = Catalog::load(&dir).unwrap();
        // (message id, its number argument, what 1 and 2 must say in en, then in nl).
        let cases: &[(&str, &str, [&str; 2], [&str; 2])] = &[
            (
                "action-resend-wait",
                "seconds",
                ["after 1 second.", "after 2 seconds."],
                ["over 1 seconde een", "over 2 seconden een"],
            ),
            (
                "error-resend-wait",
                "seconds",
                ["Wait 1 second before", "Wait 2 seconds before"],
                ["Wacht 1 seconde voordat", "Wacht 2 seconden voordat"],
            ),
            (
                "error-login-throttled",
                "seconds",
                ["Wait 1 second and", "Wait 2 seconds and"],
                ["Wacht 1 seconde en", "Wacht 2 seconden en"],
            ),
            (
                "error-too-long",
                "max",
                ["at most 1 character.", "at most 2 characters."],
                ["hoogstens 1 teken.", "hoogstens 2 tekens."],
            ),
            (
                "error-password-too-short",
                "min",
                ["at least 1 character.", "at least 2 characters."],
                ["minstens 1 teken.", "minstens 2 tekens."],
            ),
            (
                "error-password-too-long",
                "max",
                ["at most 1 character.", "at most 2 characters."],
                ["hoogstens 1 teken.", "hoogstens 2 tekens."],
            ),
            (
                "field-new-password-hint",
                "min",
                ["At least 1 character. A", "At least 2 characters. A"],
                ["Minstens 1 teken. Een", "Minstens 2 tekens. Een"],
            ),
            (
                "error-code-format",
                "length",
                ["Enter the 1 digit of", "Enter the 2 digits of"],
                ["Vul het cijfer van", "Vul de 2 cijfers van"],
            ),
            (
                "field-code-hint",
                "length",
                ["The 1-digit code", "The 2-digit code"],
                ["De code van 1 cijfer uit", "De code van 2 cijfers uit"],
            ),
            (
                "error-code-wrong",
                "left",
                ["You have 1 try left.", "You have 2 tries left."],
                ["nog 1 keer", "nog 2 keer"],
            ),
            (
                "email-validation-sent",
                "minutes",
                ["valid for 1 minute.", "valid for 2 minutes."],
                ["is 1 minuut geldig.", "is 2 minuten geldig."],
            ),
            (
                "email-verification-code-body",
                "minutes",
                ["valid for 1 minute.", "valid for 2 minutes."],
                ["is 1 minuut geldig.", "is 2 minuten geldig."],
            ),
        ];
        let wrong = [
            "1 seconds",
            "1 characters",
            "1 digits",
            "1 minutes",
            "1 tries",
            "1 seconden",
            "1 tekens",
            "1 cijfers",
            "1 minuten",
            "1 keren",
        ];
        for (id, name, en, nl) in cases {
            for (lang, expected) in [("en", en), ("nl", nl)] {
                for (n, want) in [1, 2].into_iter().zip(expected) {
                    let args = [
                        (*name, Arg::Number(n)),
                        ("code", Arg::Text("012345")),
                        ("brand", Arg::Text("RoadHelp")),
                        ("email", Arg::Text("j***@example.com")),
                    ];
                    let text = catalog
                        .format(lang, id, &args)
                        .unwrap_or_else(|| panic!("{lang} {id} does not format"));
                    assert!(
                        text.contains(want),
                        "{lang} {id} with {n}: {text:?} lacks {want:?}"
                    );
                    for bad in wrong {
                        assert!(
                            !text.contains(bad),
                            "{lang} {id} with {n}: {text:?} has {bad:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_shipped_locales_load_and_have_the_same_messages() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
        let catalog = Catalog::load(&dir).unwrap();
        assert_eq!(catalog.locales(), ["en", "nl"]);
        let ids = |lang: &str| -> Vec<String> {
            let mut ids = Vec::new();
            for entry in fs::read_dir(dir.join(lang)).unwrap() {
                let text = fs::read_to_string(entry.unwrap().path()).unwrap();
                ids.extend(
                    text.lines()
                        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
                        .filter(|id| {
                            !id.starts_with('#') && !id.starts_with(' ') && !id.is_empty()
                        }),
                );
            }
            ids.sort();
            ids
        };
        assert_eq!(
            ids("en"),
            ids("nl"),
            "en and nl must define the same messages"
        );
    }
}
