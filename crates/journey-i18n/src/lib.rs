//! Every text a person reads, resolved with Fluent (DESIGN.md, invariant 4).
//!
//! A [`Catalog`] holds one Fluent bundle per language, loaded once at start-up from
//! `locales/<lang>/*.ftl`; the loader refuses a message defined twice within one language.
//! Arguments are typed ([`Arg`]): numbers drive plural selectors, texts (such as a code with a
//! leading zero) pass unchanged.
//!
//! Three things layer on that:
//!
//! - **Brand overrides** ([`Overrides`], from [`Catalog::overrides`]): a brand's own wording of
//!   shared messages, checked against the shared texts when loaded (no unknown message, no
//!   unknown placeable, only languages the tenant ships). A [`Layered`] lookup
//!   ([`Catalog::layered`]) reads the brand's layer first, then the shared texts.
//! - **The pseudo-locale** ([`pseudo`], [`Catalog::with_pseudo`]): `en-XA`, generated from
//!   `en` for QA in development mode.
//! - **The audit** ([`Catalog::audit`]): how each language drifts from the reference language
//!   (missing or extra messages, unknown placeables, plural variants the language does not
//!   have), for the tidy test.
//!
//! Bidi isolation marks are off: the same texts go into plain-text emails and SMS, where
//! U+2068/U+2069 would show up as junk (TOOLCHAIN.md).
//!
//! ```text
//!   Layered::format(locale, id)
//!        │
//!        ├─ brand layer has `locale`? ── its bundle: the shared files of `locale`,
//!        │                               then the brand's files overriding them
//!        └─ else ─────────────────────── the shared bundle of `locale`
//! ```

mod audit;
mod overrides;
pub mod pseudo;
mod syntax;

pub use audit::Drift;
pub use overrides::Overrides;
pub use pseudo::PSEUDO_LOCALE;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::PatternElement;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unic_langid::LanguageIdentifier;

/// Why texts could not be loaded.
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
        /// What the parser said, with the line and the message.
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
    /// The pseudo-locale was asked for, but its source language is not loaded.
    #[error("the pseudo-locale {PSEUDO_LOCALE} is made from `{source_lang}`, which has no folder")]
    NoPseudoSource {
        /// The missing language.
        source_lang: &'static str,
    },
    /// An override is in a language the tenant does not ship.
    #[error("{path}: `{lang}` is not one of the tenant's languages (its `locales`)")]
    NotShipped {
        /// The language folder.
        path: PathBuf,
        /// Its name.
        lang: String,
    },
    /// An override file is not inside a language folder.
    #[error("{0}: override files go in a language folder, such as en/")]
    Misplaced(PathBuf),
    /// An override defines a message (or attribute) the shared texts do not have: a typo, or a
    /// message that no page would ever show.
    #[error("{path}: `{id}` overrides no shared message in this language; check its spelling")]
    UnknownMessage {
        /// The override file.
        path: PathBuf,
        /// The message (`id.attribute` for an attribute).
        id: String,
    },
    /// An override uses a variable its shared message does not get.
    #[error("{path}: `{id}` uses `${variable}`, which the shared message does not know")]
    UnknownPlaceable {
        /// The override file.
        path: PathBuf,
        /// The message.
        id: String,
        /// The variable, without `$`.
        variable: String,
    },
    /// An override refers to a message or term that does not exist.
    #[error("{path}: `{id}` refers to `{reference}`, which does not exist")]
    UnknownReference {
        /// The override file.
        path: PathBuf,
        /// The message.
        id: String,
        /// The message or term referred to.
        reference: String,
    },
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

type Bundle = FluentBundle<Arc<FluentResource>>;

fn new_bundle(id: LanguageIdentifier) -> Bundle {
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle
}

/// One language's texts: its bundle and the files it was built from (in load order), so brand
/// layers can reuse them and the checks can read their syntax.
struct Language {
    id: LanguageIdentifier,
    bundle: Bundle,
    resources: Vec<Source>,
    /// Whether this is the pseudo-locale: its texts are accented and padded.
    pseudo: bool,
}

/// One file of a language.
struct Source {
    path: PathBuf,
    resource: Arc<FluentResource>,
    /// Whether its messages replace earlier ones of the same id (a brand's override file).
    overriding: bool,
}

impl Language {
    fn new(id: LanguageIdentifier) -> Self {
        Self {
            bundle: new_bundle(id.clone()),
            id,
            resources: Vec::new(),
            pseudo: false,
        }
    }

    /// The pseudo-locale made from the same files as `self`.
    fn pseudo_of(&self) -> Result<Self, I18nError> {
        let id: LanguageIdentifier = PSEUDO_LOCALE.parse().map_err(|_| I18nError::BadLanguage {
            path: PathBuf::new(),
            lang: PSEUDO_LOCALE.to_owned(),
        })?;
        let mut language = Self::new(id);
        language.pseudo = true;
        language.bundle.set_transform(Some(pseudo::accent));
        for source in &self.resources {
            if source.overriding {
                language.add_overriding(&source.path, source.resource.clone());
            } else {
                language.add(&source.path, source.resource.clone())?;
            }
        }
        Ok(language)
    }

    /// Adds a file; a message it repeats is refused.
    fn add(&mut self, path: &Path, resource: Arc<FluentResource>) -> Result<(), I18nError> {
        self.bundle
            .add_resource(resource.clone())
            .map_err(|errors| I18nError::Duplicate {
                path: path.to_owned(),
                detail: errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            })?;
        self.resources.push(Source {
            path: path.to_owned(),
            resource,
            overriding: false,
        });
        Ok(())
    }

    /// Adds a brand's file whose messages replace the shared ones of the same id.
    fn add_overriding(&mut self, path: &Path, resource: Arc<FluentResource>) {
        self.bundle.add_resource_overriding(resource.clone());
        self.resources.push(Source {
            path: path.to_owned(),
            resource,
            overriding: true,
        });
    }

    /// Every message and term, with the file that defines it (for a brand's layer, the shared
    /// definition comes before the brand's).
    fn entries(&self) -> impl Iterator<Item = (&Path, syntax::Entry<'_>)> {
        self.resources.iter().flat_map(|source| {
            syntax::entries(&source.resource).map(move |entry| (source.path.as_path(), entry))
        })
    }

    /// The first definition of a message or term by id (terms with their `-`).
    fn entry(&self, id: &str) -> Option<(&Path, syntax::Entry<'_>)> {
        self.entries().find(|(_, entry)| entry.id == id)
    }

    fn format(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        // Most texts (labels, titles, hints) are plain: no placeable, nothing to resolve, so
        // no arguments to build. Fluent would return the same text, only after the work.
        if let [PatternElement::TextElement { value }] = pattern.elements.as_slice()
            && !self.pseudo
        {
            return Some((*value).to_owned());
        }
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(number) => fluent_args.set(*name, FluentValue::from(*number)),
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(*text)),
            }
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            return None;
        }
        Some(if self.pseudo {
            pseudo::pad(&text)
        } else {
            text.into_owned()
        })
    }
}

/// The Fluent bundles of every language.
pub struct Catalog {
    languages: BTreeMap<String, Language>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("locales", &self.languages.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Fluent files as `(language, path, text)`.
type Sources = Vec<(String, PathBuf, String)>;

/// The `.ftl` files of `dir/<lang>/` for every language folder of `dir`, as
/// `(language, path, text)` in name order; `.ftl` files directly in `dir` are returned as
/// misplaced.
fn read_language_folders(dir: &Path) -> Result<(Sources, Vec<PathBuf>), I18nError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| I18nError::Io { path, source }
    };
    let is_ftl = |path: &Path| path.extension().is_some_and(|ext| ext == "ftl");
    let mut sources = Vec::new();
    let mut misplaced = Vec::new();
    let mut langs: Vec<_> = fs::read_dir(dir)
        .map_err(io(dir))?
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    langs.sort_by_key(|entry| entry.file_name());
    for lang in langs {
        let lang_path = lang.path();
        if !lang_path.is_dir() {
            if is_ftl(&lang_path) {
                misplaced.push(lang_path);
            }
            continue;
        }
        let mut files: Vec<_> = fs::read_dir(&lang_path)
            .map_err(io(&lang_path))?
            .collect::<Result<_, _>>()
            .map_err(io(&lang_path))?;
        files.sort_by_key(|entry| entry.file_name());
        for file in files {
            let path = file.path();
            if is_ftl(&path) {
                let text = fs::read_to_string(&path).map_err(io(&path))?;
                sources.push((lang.file_name().to_string_lossy().into_owned(), path, text));
            }
        }
    }
    Ok((sources, misplaced))
}

fn language_id(lang: &str, path: &Path) -> Result<LanguageIdentifier, I18nError> {
    lang.parse().map_err(|_| I18nError::BadLanguage {
        path: path.to_owned(),
        lang: lang.to_owned(),
    })
}

impl Catalog {
    /// Loads `dir/<lang>/*.ftl` for every language folder in `dir`.
    pub fn load(dir: &Path) -> Result<Self, I18nError> {
        let (sources, _) = read_language_folders(dir)?;
        if sources.is_empty() {
            return Err(I18nError::Empty(dir.to_owned()));
        }
        Self::from_sources(sources)
    }

    /// Builds the catalog from `(language, path, text)` triples; the path only names errors.
    pub fn from_sources(sources: Vec<(String, PathBuf, String)>) -> Result<Self, I18nError> {
        let mut languages: BTreeMap<String, Language> = BTreeMap::new();
        for (lang, path, text) in sources {
            let id = language_id(&lang, &path)?;
            let resource = Arc::new(syntax::parse(&path, text)?);
            languages
                .entry(lang)
                .or_insert_with(|| Language::new(id))
                .add(&path, resource)?;
        }
        Ok(Self { languages })
    }

    /// Adds the pseudo-locale [`PSEUDO_LOCALE`], generated from [`pseudo::PSEUDO_SOURCE`]
    /// (development mode only: it is for QA, never for people). Brand overrides loaded
    /// afterwards get their pseudo layer too.
    pub fn with_pseudo(mut self) -> Result<Self, I18nError> {
        let source =
            self.languages
                .get(pseudo::PSEUDO_SOURCE)
                .ok_or(I18nError::NoPseudoSource {
                    source_lang: pseudo::PSEUDO_SOURCE,
                })?;
        let pseudo = source.pseudo_of()?;
        self.languages.insert(PSEUDO_LOCALE.to_owned(), pseudo);
        Ok(self)
    }

    /// The pseudo-locale's tag when [`Catalog::with_pseudo`] added it.
    pub fn pseudo_locale(&self) -> Option<&'static str> {
        self.languages
            .contains_key(PSEUDO_LOCALE)
            .then_some(PSEUDO_LOCALE)
    }

    /// The languages loaded from files (the pseudo-locale is not one of them).
    pub fn locales(&self) -> Vec<&str> {
        self.languages
            .iter()
            .filter(|(_, language)| !language.pseudo)
            .map(|(tag, _)| tag.as_str())
            .collect()
    }

    /// The texts as a brand sees them: `overrides` first (when given), then the shared texts.
    pub fn layered<'a>(&'a self, overrides: Option<&'a Overrides>) -> Layered<'a> {
        Layered {
            catalog: self,
            overrides,
        }
    }

    /// Whether `locale` has a message `id` with a value.
    pub fn has(&self, locale: &str, id: &str) -> bool {
        self.layered(None).has(locale, id)
    }

    /// The shared text of `id` in `locale` with `args`, or `None` when the message is missing
    /// or cannot be formatted. Start-up checks make `None` a bug, not a user's problem.
    pub fn format(&self, locale: &str, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        self.layered(None).format(locale, id, args)
    }
}

/// A lookup through a brand's overrides (if any) into the shared texts.
#[derive(Clone, Copy)]
pub struct Layered<'a> {
    catalog: &'a Catalog,
    overrides: Option<&'a Overrides>,
}

impl Layered<'_> {
    /// The bundle that answers for `locale`: the brand's layer of it, else the shared one.
    fn language(&self, locale: &str) -> Option<&Language> {
        self.overrides
            .and_then(|overrides| overrides.language(locale))
            .or_else(|| self.catalog.languages.get(locale))
    }

    /// Whether `locale` has a message `id` with a value.
    pub fn has(&self, locale: &str, id: &str) -> bool {
        self.language(locale)
            .and_then(|l| l.bundle.get_message(id))
            .and_then(|m| m.value())
            .is_some()
    }

    /// The text of `id` in `locale` with `args`, or `None` when the message is missing or
    /// cannot be formatted.
    pub fn format(&self, locale: &str, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        self.language(locale)?.format(id, args)
    }
}

#[cfg(test)]
mod shipped_tests;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    pub(crate) fn catalog(files: &[(&str, &str)]) -> Result<Catalog, I18nError> {
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

    const PSEUDO_SOURCE_FTL: &str = "\
title = Create your account
wait = Wait { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
} before asking for a new code.
sent = We sent a code to { $email }.
    .label = Code
";

    #[test]
    fn the_pseudo_locale_accents_and_pads_and_keeps_placeables_and_plurals() {
        let c = catalog(&[("en", PSEUDO_SOURCE_FTL)])
            .unwrap()
            .with_pseudo()
            .unwrap();
        assert_eq!(c.pseudo_locale(), Some("en-XA"));
        assert_eq!(
            c.locales(),
            ["en"],
            "the pseudo-locale is not a shipped one"
        );
        let title = c.format("en-XA", "title", &[]).unwrap();
        assert!(title.starts_with("[Çŕéåţé ýöûŕ åççöûñţ ~"), "{title}");
        assert!(title.ends_with("~]"), "{title}");
        assert!(!title.chars().any(|c| c.is_ascii_alphabetic()), "{title}");
        let english = c.format("en", "title", &[]).unwrap();
        let ratio = title.chars().count() as f64 / english.chars().count() as f64;
        assert!((1.35..1.6).contains(&ratio), "{ratio}: {title}");
        // Placeables pass through untouched, arguments and all.
        let sent = c
            .format("en-XA", "sent", &[("email", Arg::Text("j***@example.com"))])
            .unwrap();
        assert!(sent.contains(" j***@example.com."), "{sent}");
        // Plurals still select by the same argument.
        let wait = |n| {
            c.format("en-XA", "wait", &[("seconds", Arg::Number(n))])
                .unwrap()
        };
        assert!(wait(1).starts_with("[Ŵåîţ 1 šéçöñð ƀéƒöŕé"), "{}", wait(1));
        assert!(wait(5).starts_with("[Ŵåîţ 5 šéçöñðš ƀéƒöŕé"), "{}", wait(5));
        // The same structure: every message and attribute of en is there.
        assert!(c.has("en-XA", "sent"));
        assert_eq!(c.audit("en"), []);
    }

    #[test]
    fn the_pseudo_locale_needs_english() {
        assert!(matches!(
            catalog(&[("nl", "a = b")]).unwrap().with_pseudo(),
            Err(I18nError::NoPseudoSource { .. })
        ));
        assert_eq!(
            catalog(&[("en", "a = b")]).unwrap().pseudo_locale(),
            None,
            "no pseudo-locale unless asked for"
        );
    }
}
