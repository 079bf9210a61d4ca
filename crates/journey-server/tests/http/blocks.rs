//! The cross-side block tidy test (not HTTP, but it needs the engine's catalogue, the shipped
//! texts and the widget's folders at once, which only this crate sees together): every block of
//! `journey_engine::BlockCatalogue` has
//!
//! - its widget folder `widgets/src/blocks/<name>/` with a `docs.md`, and its line in the
//!   `BLOCKS` table of `widgets/src/blocks/mod.rs`;
//! - examples, when a person sees it (`BlockCatalogue::examples`);
//! - a text in every shipped language (`locales/<lang>/`) for every message id it declares
//!   (`Block::message_ids`, through `BlockCatalogue::example_message_ids`);
//!
//! and every message id its examples' views use is one it declares. And the other way round:
//! no widget folder or `BLOCKS` line names a block the catalogue does not have.

use crate::support::root;
use journey_engine::BlockCatalogue;
use journey_i18n::Catalog;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Every Fluent message id in a step as the protocol sends it: each object with an `id` and a
/// `text` is a text (a `Text` or a `Message`).
fn text_ids(value: &Value, ids: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(id)), Some(Value::String(_))) =
                (map.get("id"), map.get("text"))
            {
                ids.insert(id.clone());
            }
            map.values().for_each(|v| text_ids(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| text_ids(v, ids)),
        _ => {}
    }
}

/// The block names in the `BLOCKS` table of `widgets/src/blocks/mod.rs`.
fn table_names(source: &str) -> BTreeSet<String> {
    let table = source
        .split_once("pub const BLOCKS")
        .and_then(|(_, rest)| rest.split_once("];"))
        .map(|(table, _)| table)
        .unwrap_or_default();
    table
        .lines()
        .filter_map(|line| line.trim().strip_prefix("(\""))
        .filter_map(|rest| rest.split_once('"'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// What is wrong with the blocks of `catalogue` against the widget folder `widgets` and the
/// texts of `catalog`; empty when nothing is.
fn problems(catalogue: &BlockCatalogue, widgets: &Path, catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let table_source = std::fs::read_to_string(widgets.join("mod.rs")).unwrap_or_default();
    let table = table_names(&table_source);
    let examples = catalogue.examples(1_800_000_000).unwrap();
    for name in catalogue.names() {
        let folder = widgets.join(name);
        if !folder.join("docs.md").is_file() {
            problems.push(format!("{name}: no widgets/src/blocks/{name}/docs.md"));
        }
        if !table.contains(name) {
            problems.push(format!(
                "{name}: no line in BLOCKS (widgets/src/blocks/mod.rs)"
            ));
        }
        let declared: BTreeSet<String> = catalogue
            .example_message_ids(name)
            .unwrap()
            .into_iter()
            .collect();
        for id in &declared {
            for locale in catalog.locales() {
                if !catalog.has(locale, id) {
                    problems.push(format!(
                        "{name}: message `{id}` missing in locales/{locale}/"
                    ));
                }
            }
        }
        let shown = examples.iter().find(|(block, _)| *block == name);
        match shown {
            None if catalogue.waits_for_person(name).unwrap() => {
                problems.push(format!("{name}: a person sees it, but it has no examples"));
            }
            None => {}
            Some((_, shown)) => {
                for (example, step) in shown {
                    let mut used = BTreeSet::new();
                    text_ids(&serde_json::to_value(step).unwrap(), &mut used);
                    for id in used.difference(&declared) {
                        problems.push(format!(
                            "{name}: example `{example}` shows `{id}`, which the block does not declare (Block::message_ids)"
                        ));
                    }
                }
            }
        }
    }
    let known: BTreeSet<&str> = catalogue.names().into_iter().collect();
    for name in &table {
        if !known.contains(name.as_str()) {
            problems.push(format!(
                "BLOCKS names `{name}`, which the catalogue does not have"
            ));
        }
    }
    for entry in std::fs::read_dir(widgets).unwrap().flatten() {
        let folder = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !known.contains(folder.as_str()) {
            problems.push(format!(
                "widgets/src/blocks/{folder}/ is not a block of the catalogue"
            ));
        }
    }
    problems
}

#[test]
fn every_block_has_its_widget_folder_examples_and_texts_on_both_sides() {
    let catalog = Catalog::load(&root().join("locales")).unwrap();
    assert_eq!(catalog.locales(), ["ar", "de", "en", "es", "fr", "nl"]);
    let found = problems(
        &BlockCatalogue::standard(),
        &root().join("widgets/src/blocks"),
        &catalog,
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_block_tidy_test_sees_a_missing_folder_line_or_text() {
    // A copy of the widget's blocks with one folder, one table line and one text gone.
    let dir = tempfile::tempdir().unwrap();
    let widgets = dir.path().join("blocks");
    crate::support::copy_dir(&root().join("widgets/src/blocks"), &widgets);
    std::fs::remove_dir_all(widgets.join("find_account")).unwrap();
    let table = std::fs::read_to_string(widgets.join("mod.rs")).unwrap();
    let table = table.replace("    (\"set_password\", Part::Generic),\n", "");
    std::fs::write(widgets.join("mod.rs"), table).unwrap();
    let locales = dir.path().join("locales");
    crate::support::copy_dir(&root().join("locales"), &locales);
    let file = locales.join("de/journeys.ftl");
    let texts = std::fs::read_to_string(&file).unwrap();
    let kept: Vec<&str> = texts
        .lines()
        .filter(|line| !line.starts_with("password-login-title"))
        .collect();
    assert_ne!(kept.len(), texts.lines().count(), "the test removes a text");
    std::fs::write(&file, kept.join("\n")).unwrap();
    let catalog = Catalog::load(&locales).unwrap();
    let found = problems(&BlockCatalogue::standard(), &widgets, &catalog);
    let has = |needle: &str| found.iter().any(|p| p.contains(needle));
    assert!(
        has("find_account: no widgets/src/blocks/find_account/docs.md"),
        "{found:?}"
    );
    assert!(has("set_password: no line in BLOCKS"), "{found:?}");
    assert!(
        has("password_login: message `password-login-title` missing in locales/de/"),
        "{found:?}"
    );
}
