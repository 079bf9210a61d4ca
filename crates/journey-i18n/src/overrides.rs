//! Brand overrides: a brand's own wording of shared messages, layered over `locales/`.
//!
//! A brand's folder holds `<lang>/*.ftl` like `locales/` does, but may only re-word messages
//! the shared texts already have. Loading it ([`Catalog::overrides`]) checks every file the way
//! the shared texts are checked, and refuses, naming the file and the message:
//!
//! - a file that is not valid Fluent, or a message defined twice in the brand's files;
//! - a language the tenant does not ship;
//! - a message (or attribute) the shared texts of that language do not have: a typo would
//!   otherwise be silently ignored and the shared wording shown;
//! - a variable the shared message does not get (`{ $minutes }` where the code never passes
//!   minutes), except the `ambient` ones the caller always passes (such as `$brand`);
//! - a reference to a message or term that exists in neither layer.
//!
//! Each language the brand overrides becomes one bundle: the shared files of that language,
//! then the brand's files replacing the messages they define. A message of the brand can thus
//! refer to any shared message, and a shared message that refers to an overridden one shows the
//! brand's wording. Languages the brand does not override are read from the shared bundle
//! ([`crate::Layered`]). When the catalog has the pseudo-locale, an override of its source
//! language gets a pseudo layer too, so QA sees the brand's wording accented.

use crate::pseudo::{PSEUDO_LOCALE, PSEUDO_SOURCE};
use crate::{Catalog, I18nError, Language, read_language_folders, syntax};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One brand's overrides, checked against the catalog they were loaded with; look texts up
/// through [`Catalog::layered`] on that same catalog.
pub struct Overrides {
    languages: BTreeMap<String, Language>,
    /// The ids each language overrides.
    ids: BTreeMap<String, BTreeSet<String>>,
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides").field("ids", &self.ids).finish()
    }
}

impl Overrides {
    /// The layer of `locale`, when the brand overrides anything in it.
    pub(crate) fn language(&self, locale: &str) -> Option<&Language> {
        self.languages.get(locale)
    }

    /// The message ids overridden in `locale` (none for a language the brand leaves alone).
    pub fn ids(&self, locale: &str) -> impl Iterator<Item = &str> {
        self.ids
            .get(locale)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// The files of one language of a brand's overrides, parsed.
type Parsed = Vec<(PathBuf, Arc<fluent_bundle::FluentResource>)>;

impl Catalog {
    /// Loads a brand's overrides from `dir/<lang>/*.ftl`. `ships` are the languages of the
    /// brand's tenant; `ambient` are variables every message gets besides its own (the server
    /// passes `brand` to all). Every problem is reported, each naming its file.
    pub fn overrides(
        &self,
        dir: &Path,
        ships: &[String],
        ambient: &[&str],
    ) -> Result<Overrides, Vec<I18nError>> {
        let (sources, misplaced) = read_language_folders(dir).map_err(|e| vec![e])?;
        let mut errors: Vec<I18nError> = misplaced.into_iter().map(I18nError::Misplaced).collect();
        match self.overrides_from_sources(sources, ships, ambient) {
            Ok(overrides) if errors.is_empty() => Ok(overrides),
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    /// [`Catalog::overrides`] from `(language, path, text)` triples; the path only names
    /// errors.
    pub fn overrides_from_sources(
        &self,
        sources: Vec<(String, PathBuf, String)>,
        ships: &[String],
        ambient: &[&str],
    ) -> Result<Overrides, Vec<I18nError>> {
        let mut errors = Vec::new();
        let mut by_language: BTreeMap<String, Parsed> = BTreeMap::new();
        for (lang, path, text) in sources {
            let shipped = ships.contains(&lang)
                && self
                    .languages
                    .get(&lang)
                    .is_some_and(|language| !language.pseudo);
            if !shipped {
                errors.push(I18nError::NotShipped { path, lang });
                continue;
            }
            match syntax::parse(&path, text) {
                Ok(resource) => by_language
                    .entry(lang)
                    .or_default()
                    .push((path, Arc::new(resource))),
                Err(error) => errors.push(error),
            }
        }
        let mut overrides = Overrides {
            languages: BTreeMap::new(),
            ids: BTreeMap::new(),
        };
        for (lang, files) in by_language {
            let Some(shared) = self.languages.get(&lang) else {
                continue;
            };
            match check(shared, &files, ambient) {
                Ok(ids) => {
                    let layer = layer(shared, &files);
                    if lang == PSEUDO_SOURCE && self.pseudo_locale().is_some() {
                        match layer.pseudo_of() {
                            Ok(pseudo) => {
                                overrides.languages.insert(PSEUDO_LOCALE.to_owned(), pseudo);
                                overrides.ids.insert(PSEUDO_LOCALE.to_owned(), ids.clone());
                            }
                            Err(error) => errors.push(error),
                        }
                    }
                    overrides.languages.insert(lang.clone(), layer);
                    overrides.ids.insert(lang, ids);
                }
                Err(mut problems) => errors.append(&mut problems),
            }
        }
        if errors.is_empty() {
            Ok(overrides)
        } else {
            Err(errors)
        }
    }
}

/// Checks a brand's files of one language against the shared texts of that language; returns
/// the ids they override.
fn check(
    shared: &Language,
    files: &Parsed,
    ambient: &[&str],
) -> Result<BTreeSet<String>, Vec<I18nError>> {
    let mut errors = Vec::new();
    let mut ids = BTreeSet::new();
    for (path, resource) in files {
        for entry in syntax::entries(resource) {
            if !ids.insert(entry.id.clone()) {
                errors.push(I18nError::Duplicate {
                    path: path.clone(),
                    detail: format!(
                        "`{}` is defined twice in the brand's overrides of this language",
                        entry.id
                    ),
                });
            }
        }
    }
    for (path, resource) in files {
        for entry in syntax::entries(resource) {
            let Some((_, original)) = shared.entry(&entry.id) else {
                errors.push(I18nError::UnknownMessage {
                    path: path.clone(),
                    id: entry.id.clone(),
                });
                continue;
            };
            if entry.value.is_some() && original.value.is_none() {
                errors.push(I18nError::UnknownMessage {
                    path: path.clone(),
                    id: entry.id.clone(),
                });
            }
            for attribute in entry
                .attribute_names()
                .difference(&original.attribute_names())
            {
                errors.push(I18nError::UnknownMessage {
                    path: path.clone(),
                    id: format!("{}.{attribute}", entry.id),
                });
            }
            let known = original.uses().variables;
            let uses = entry.uses();
            for variable in &uses.variables {
                if !known.contains(variable) && !ambient.contains(&variable.as_str()) {
                    errors.push(I18nError::UnknownPlaceable {
                        path: path.clone(),
                        id: entry.id.clone(),
                        variable: variable.clone(),
                    });
                }
            }
            for reference in &uses.references {
                if !ids.contains(reference) && shared.entry(reference).is_none() {
                    errors.push(I18nError::UnknownReference {
                        path: path.clone(),
                        id: entry.id.clone(),
                        reference: reference.clone(),
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(errors)
    }
}

/// The bundle of a brand's layer of one language: the shared files, then the brand's.
fn layer(shared: &Language, files: &Parsed) -> Language {
    let mut language = Language::new(shared.id.clone());
    for source in &shared.resources {
        language.add_overriding(&source.path, source.resource.clone());
    }
    for (path, resource) in files {
        language.add_overriding(path, resource.clone());
    }
    language
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::Arg;
    use crate::tests::catalog;

    const SHARED_EN: &str = "\
title = Create your account
sent = We sent a code to { $email }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
    .label = Code
hello = Hello from { title }
";
    const SHARED_NL: &str = "\
title = Maak je account aan
sent = We hebben een code gestuurd naar { $email }.
    .label = Code
hello = Hallo van { title }
";

    fn shared() -> Catalog {
        catalog(&[("en", SHARED_EN), ("nl", SHARED_NL)]).unwrap()
    }

    fn ships() -> Vec<String> {
        vec!["en".to_owned(), "nl".to_owned()]
    }

    fn load(catalog: &Catalog, files: &[(&str, &str)]) -> Result<Overrides, Vec<I18nError>> {
        catalog.overrides_from_sources(
            files
                .iter()
                .map(|(l, t)| {
                    (
                        (*l).into(),
                        PathBuf::from(format!("car/{l}/journeys.ftl")),
                        (*t).into(),
                    )
                })
                .collect(),
            &ships(),
            &["brand"],
        )
    }

    fn refusal(files: &[(&str, &str)]) -> String {
        let errors = load(&shared(), files).expect_err("refused");
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].to_string()
    }

    #[test]
    fn the_brand_layer_is_read_first_then_the_shared_texts() {
        let catalog = shared();
        let car = load(
            &catalog,
            &[(
                "en",
                "title = Insure your car with { $brand }\nsent = Code sent to { $email }.\n    .label = Car code\n",
            )],
        )
        .unwrap();
        let brand = catalog.layered(Some(&car));
        let args = [("brand", Arg::Text("CarCo")), ("email", Arg::Text("j@x"))];
        assert_eq!(
            brand.format("en", "title", &args).as_deref(),
            Some("Insure your car with CarCo")
        );
        assert_eq!(
            brand.format("en", "sent", &args).as_deref(),
            Some("Code sent to j@x.")
        );
        // A shared message referring to an overridden one shows the brand's wording.
        assert_eq!(
            brand.format("en", "hello", &args).as_deref(),
            Some("Hello from Insure your car with CarCo")
        );
        // A language the brand leaves alone, and every other brand, read the shared texts.
        assert_eq!(
            brand.format("nl", "title", &args).as_deref(),
            Some("Maak je account aan")
        );
        assert_eq!(
            catalog
                .layered(None)
                .format("en", "title", &args)
                .as_deref(),
            Some("Create your account")
        );
        assert_eq!(
            catalog.format("en", "title", &args).as_deref(),
            Some("Create your account")
        );
        assert!(brand.has("en", "hello") && !brand.has("en", "missing"));
        assert_eq!(car.ids("en").collect::<Vec<_>>(), ["sent", "title"]);
        assert_eq!(car.ids("nl").count(), 0);
    }

    #[test]
    fn an_override_of_the_pseudo_source_is_pseudo_too() {
        let catalog = shared().with_pseudo().unwrap();
        let car = load(&catalog, &[("en", "title = Car title\n")]).unwrap();
        let brand = catalog.layered(Some(&car));
        assert_eq!(
            brand.format("en-XA", "title", &[]).as_deref(),
            Some("[Çåŕ ţîţļé ~]")
        );
        assert!(
            brand
                .format(
                    "en-XA",
                    "sent",
                    &[("email", Arg::Text("a")), ("minutes", Arg::Number(2))]
                )
                .unwrap()
                .contains("2 ɱîñûţéš")
        );
    }

    #[test]
    fn refuses_a_syntax_error_naming_the_file_and_message() {
        let error = refusal(&[("en", "title = { $brand\n")]);
        assert!(
            error.starts_with("car/en/journeys.ftl: not valid Fluent: line "),
            "{error}"
        );
        assert!(error.contains(", in `title`: "), "{error}");
    }

    #[test]
    fn refuses_a_message_the_shared_texts_do_not_have() {
        let error = refusal(&[("en", "titel = Typo\n")]);
        assert_eq!(
            error,
            "car/en/journeys.ftl: `titel` overrides no shared message in this language; check its spelling"
        );
        let error = refusal(&[("en", "sent = x\n    .hint = y\n")]);
        assert!(
            error.contains("`sent.hint` overrides no shared message"),
            "{error}"
        );
    }

    #[test]
    fn refuses_a_placeable_the_shared_message_does_not_know() {
        let error = refusal(&[("en", "sent = Valid for { $seconds } seconds\n")]);
        assert_eq!(
            error,
            "car/en/journeys.ftl: `sent` uses `$seconds`, which the shared message does not know"
        );
        // The ambient ones (every message gets `$brand`) are known everywhere.
        assert!(load(&shared(), &[("en", "title = Join { $brand }\n")]).is_ok());
        // A variable of the same message in another language does not count: nl's `sent`
        // has no `$minutes`.
        let error = refusal(&[("nl", "sent = Geldig voor { $minutes } minuten\n")]);
        assert!(error.contains("`sent` uses `$minutes`"), "{error}");
    }

    #[test]
    fn refuses_a_language_the_tenant_does_not_ship() {
        let error = refusal(&[("de", "title = Konto erstellen\n")]);
        assert_eq!(
            error,
            "car/de/journeys.ftl: `de` is not one of the tenant's languages (its `locales`)"
        );
        // Shipped by the catalog but not by this tenant.
        let catalog = shared();
        let errors = catalog
            .overrides_from_sources(
                vec![("nl".into(), "car/nl/x.ftl".into(), "title = Hoi\n".into())],
                &["en".to_owned()],
                &[],
            )
            .err()
            .unwrap();
        assert!(matches!(&errors[..], [I18nError::NotShipped { lang, .. }] if lang == "nl"));
        // Nor the pseudo-locale, which is generated, never overridden by hand.
        let catalog = shared().with_pseudo().unwrap();
        let errors = catalog
            .overrides_from_sources(
                vec![(
                    "en-XA".into(),
                    "car/en-XA/x.ftl".into(),
                    "title = X\n".into(),
                )],
                &["en".to_owned(), "en-XA".to_owned()],
                &[],
            )
            .err()
            .unwrap();
        assert!(matches!(&errors[..], [I18nError::NotShipped { .. }]));
    }

    #[test]
    fn refuses_duplicates_and_dangling_references() {
        let errors = load(&shared(), &[("en", "title = A\n"), ("en", "title = B\n")])
            .err()
            .unwrap();
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, I18nError::Duplicate { .. })),
            "{errors:?}"
        );
        let error = refusal(&[("en", "title = { -slogan }\n")]);
        assert!(
            error.contains("`title` refers to `-slogan`, which does not exist"),
            "{error}"
        );
        // A reference to a shared message is fine.
        assert!(load(&shared(), &[("en", "title = { hello }!\n")]).is_ok());
    }

    #[test]
    fn loads_brand_folders_and_reports_every_problem() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("en/journeys.ftl", "title = Car\n");
        write("nl/journeys.ftl", "title = Auto\n");
        let catalog = shared();
        let car = catalog.overrides(dir.path(), &ships(), &[]).unwrap();
        assert_eq!(
            catalog
                .layered(Some(&car))
                .format("nl", "title", &[])
                .as_deref(),
            Some("Auto")
        );
        write("nl/more.ftl", "titel = Typo\n");
        write("stray.ftl", "title = Where?\n");
        let errors = catalog.overrides(dir.path(), &ships(), &[]).err().unwrap();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].ends_with("stray.ftl: override files go in a language folder, such as en/")
        );
        assert!(errors[1].contains("more.ftl: `titel` overrides no shared message"));
    }
}
