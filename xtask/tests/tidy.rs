//! Tidy checks run by `cargo test` (xtask's one integration-test binary): facts about the source tree that no
//! compiler checks (rust-analyzer's `xtask/src/tidy.rs` is the model).
//!
//! - Every crate and path that `ARCHITECTURE.md` names in backticks exists,
//!   so the code map cannot rot when a crate is renamed or removed.
//! - Every Rust file starts with a `//!` module doc saying what it owns.
//! - The crates depend on each other only as ARCHITECTURE.md says, and the protocol crate
//!   depends on serde alone (so it builds for wasm32).
//! - Every shipped locale has every message `en` has and no other, uses no placeable the
//!   English message does not get, and writes its plurals with the forms its grammar has
//!   (`journey_i18n::Catalog::audit`).
//! - Every block the widget registers (`widgets/src/blocks/mod.rs`) has its folder of the same
//!   name with a `docs.md`, and a block with a part of its own its `mod.rs` and CSS module.
//! - Every shipped theme meets WCAG contrast for every pair of `themes/contrast-pairs.json`
//!   (the checker of `cargo xtask contrast`, `xtask/src/contrast.rs`), and that checker
//!   catches a theme that falls short.
//! - Every brand of every demo tenant (`demo-sites/*/tenant.toml`) has the email colours of its
//!   theme: `email_primary` and `email_on_primary` are copies of `--jk-color-primary` and
//!   `--jk-color-on-primary` (the server reads no themes, and mail clients no CSS variables),
//!   so a theme's new colour cannot leave its emails behind.

#[path = "../src/contrast.rs"]
#[allow(dead_code)]
mod contrast;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The workspace members' folders and package names, from the root Cargo.toml.
fn members(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest: toml::Value = toml::from_str(&text)?;
    let dirs = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .context("the root Cargo.toml has no [workspace] members")?;
    let mut members = Vec::new();
    for dir in dirs.iter().filter_map(toml::Value::as_str) {
        let path = root.join(dir);
        let manifest_path = path.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("workspace member {dir} has no readable Cargo.toml"))?;
        let manifest: toml::Value = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", manifest_path.display()))?;
        let name = manifest
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .with_context(|| format!("{} has no package name", manifest_path.display()))?;
        members.push((path, name.to_owned()));
    }
    Ok(members)
}

/// The inline code spans of a Markdown text; fenced code blocks are skipped
/// (a backtick there is literal text, not a name).
fn code_spans(markdown: &str) -> Vec<&str> {
    let mut in_fence = false;
    markdown
        .lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
                return false;
            }
            !in_fence
        })
        .flat_map(|line| line.split('`').skip(1).step_by(2))
        .map(str::trim)
        .filter(|span| !span.is_empty())
        .collect()
}

/// The repository's top-level folders: a span starting with one of them is a path from the root.
const TOP_DIRS: &[&str] = &[
    "crates",
    "widgets",
    "xtask",
    "themes",
    "locales",
    "demo-sites",
    "tests",
    ".ci",
];

/// File kinds that a bare file name in the document (`api.rs`, `base.css`) can name.
const FILE_KINDS: &[&str] = &[
    ".rs", ".toml", ".txt", ".css", ".ftl", ".ts", ".html", ".json",
];

/// What ARCHITECTURE.md names that must exist.
#[derive(Debug, PartialEq)]
enum Named<'a> {
    /// A path from the repository root, perhaps with placeholders or wildcards:
    /// `crates/journey-engine`, `demo-sites/<tenant>/journeys/*.toml`.
    Path(&'a str),
    /// A file or folder named relative to the crate or folder the text is about:
    /// `api.rs`, `blocks/`, `data/common-passwords.txt`. It must exist somewhere in the tree.
    Relative(&'a str),
    /// A package name, such as `journey-engine`.
    Package(&'a str),
}

fn classify(span: &str) -> Option<Named<'_>> {
    let path_like = span.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'*' | b'<' | b'>')
    });
    // Commands, code and markup (`cargo xtask test`, `journey_engine::Block`, `<journey-widget>`) are not paths.
    if !path_like || span.starts_with('<') {
        return None;
    }
    let path = span.trim_end_matches('/');
    let first = path.split('/').next().unwrap_or(path);
    if TOP_DIRS.contains(&first) {
        return Some(Named::Path(path));
    }
    let wild = span.contains(['*', '<', '>']);
    if !wild && (span.ends_with('/') || FILE_KINDS.iter().any(|kind| span.ends_with(kind))) {
        return Some(Named::Relative(path));
    }
    if !wild && path.starts_with("journey-") && !path.contains(['/', '.']) {
        return Some(Named::Package(path));
    }
    None
}

/// Whether something matches `parts` below `dir`; `*` and `<placeholder>` match any text
/// within one path component.
fn matches_pattern(dir: &Path, parts: &[&str]) -> bool {
    let Some((part, rest)) = parts.split_first() else {
        return true;
    };
    if !part.contains(['*', '<']) {
        let next = dir.join(part);
        return next.exists() && matches_pattern(&next, rest);
    }
    let pattern = placeholders_to_stars(part);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|entry| entry.ok()).any(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        glob(&pattern, &name) && matches_pattern(&entry.path(), rest)
    })
}

/// `<tenant>` becomes `*`.
fn placeholders_to_stars(part: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in part.chars() {
        match c {
            '<' => {
                inside = true;
                out.push('*');
            }
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A `*`-only glob over one path component.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            let Some(rest) = name.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

/// Every file and folder of the repository as a `/`-separated path, build output aside.
fn tree(root: &Path) -> Result<Vec<(String, bool)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, bool)>) -> Result<()> {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if matches!(
                name.as_str(),
                "target" | "node_modules" | "dist" | "var" | ".git"
            ) {
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let is_dir = path.is_dir();
            out.push((relative, is_dir));
            if is_dir {
                walk(root, &path, out)?;
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    Ok(out)
}

#[test]
fn architecture_md_names_only_what_exists() -> Result<()> {
    let root = root();
    let doc = root.join("ARCHITECTURE.md");
    let text =
        std::fs::read_to_string(&doc).with_context(|| format!("cannot read {}", doc.display()))?;
    let packages: Vec<String> = members(&root)?.into_iter().map(|(_, name)| name).collect();
    let tree = tree(&root)?;

    let mut problems = Vec::new();
    let mut crate_dirs = 0;
    for named in code_spans(&text).into_iter().filter_map(classify) {
        match named {
            Named::Path(path) => {
                let parts: Vec<&str> = path.split('/').collect();
                if parts.len() >= 2 && parts[0] == "crates" {
                    crate_dirs += 1;
                    let crate_dir = root.join(parts[0]).join(parts[1]);
                    if !crate_dir.join("Cargo.toml").is_file() {
                        problems.push(format!(
                            "`{path}`: {} has no Cargo.toml",
                            crate_dir.display()
                        ));
                        continue;
                    }
                }
                if !matches_pattern(&root, &parts) {
                    problems.push(format!("`{path}` does not exist"));
                }
            }
            Named::Relative(name) => {
                let want_dir = text.contains(&format!("`{name}/`"));
                let suffix = format!("/{name}");
                let found = tree.iter().any(|(path, is_dir)| {
                    (path == name || path.ends_with(&suffix)) && (!want_dir || *is_dir)
                });
                if !found {
                    problems.push(format!("`{name}` is nowhere in the repository"));
                }
            }
            Named::Package(name) => {
                if !packages.iter().any(|p| p == name) {
                    problems.push(format!(
                        "`{name}` is not a workspace package ({})",
                        packages.join(", ")
                    ));
                }
            }
        }
    }
    assert!(
        crate_dirs > 0,
        "ARCHITECTURE.md names no crate as `crates/<name>`: the code map is missing"
    );
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md names things that do not exist; fix the document or the tree:\n  {}",
        problems.join("\n  ")
    );
    Ok(())
}

/// The names in a manifest's `[dependencies]` table.
fn dependencies(manifest: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let value: toml::Value = toml::from_str(&text)?;
    Ok(value
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|table| table.keys().cloned().collect())
        .unwrap_or_default())
}

#[test]
fn crates_depend_on_each_other_only_as_the_architecture_says() -> Result<()> {
    let root = root();
    // Which of our crates each may use; everything flows into the server. The engine builds
    // step views with the protocol's shared view types, so it may use the protocol alone.
    let allowed: &[(&str, &[&str])] = &[
        ("crates/journey-protocol", &[]),
        ("crates/journey-engine", &["journey-protocol"]),
        ("crates/journey-store", &[]),
        ("crates/journey-i18n", &[]),
        (
            "crates/journey-server",
            &[
                "journey-protocol",
                "journey-engine",
                "journey-store",
                "journey-i18n",
            ],
        ),
        ("widgets", &["journey-protocol"]),
    ];
    for (dir, ours) in allowed {
        for dependency in dependencies(&root.join(dir).join("Cargo.toml"))? {
            let internal = dependency.starts_with("journey-");
            assert!(
                !internal || ours.contains(&dependency.as_str()),
                "{dir} depends on {dependency}, which ARCHITECTURE.md does not allow"
            );
        }
    }
    let protocol = dependencies(&root.join("crates/journey-protocol/Cargo.toml"))?;
    assert_eq!(
        protocol,
        ["serde"],
        "journey-protocol must stay serde-only (it builds for wasm32)"
    );
    Ok(())
}

#[test]
fn every_shipped_locale_has_every_message_and_placeable_of_en() -> Result<()> {
    let dir = root().join("locales");
    let catalog = journey_i18n::Catalog::load(&dir)?;
    assert!(
        catalog.locales().len() >= 2 && catalog.locales().contains(&"en"),
        "locales/ should hold en and the other shipped languages: {:?}",
        catalog.locales()
    );
    let drifts: Vec<String> = catalog
        .audit("en")
        .iter()
        .map(|drift| drift.to_string())
        .collect();
    assert!(
        drifts.is_empty(),
        "the shipped locales drift from en; translate or fix:\n  {}",
        drifts.join("\n  ")
    );
    Ok(())
}

#[test]
fn crate_roots_have_module_docs() -> Result<()> {
    let mut problems = Vec::new();
    for (dir, name) in members(&root())? {
        let roots = [dir.join("src/lib.rs"), dir.join("src/main.rs")];
        let existing: Vec<&PathBuf> = roots.iter().filter(|p| p.is_file()).collect();
        if existing.is_empty() {
            problems.push(format!("{name}: neither src/lib.rs nor src/main.rs exists"));
        }
        for path in existing {
            if !starts_with_module_doc(path)? {
                problems.push(format!(
                    "{name}: {} does not start with a `//!` crate doc",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

#[test]
fn every_rust_file_has_a_module_doc() -> Result<()> {
    let root = root();
    let mut files = Vec::new();
    for dir in ["crates", "widgets/src", "xtask/src", "xtask/tests"] {
        rust_files(&root.join(dir), &mut files)?;
    }
    let mut missing = Vec::new();
    for file in &files {
        if !starts_with_module_doc(file)? {
            missing.push(
                file.strip_prefix(&root)
                    .unwrap_or(file)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` doc saying what the module owns:\n  {}",
        missing.join("\n  ")
    );
    Ok(())
}

fn starts_with_module_doc(path: &Path) -> Result<bool> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text.trim_start().starts_with("//!"))
}

/// All `.rs` files under `dir`, skipping build output and hidden folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                rust_files(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The lines `("name", Part::Kind` of the widget's block table, as `(name, kind)`.
fn registered_blocks(source: &str) -> Vec<(String, String)> {
    let table = source
        .split_once("pub const BLOCKS")
        .map_or("", |(_, rest)| {
            rest.split_once("];").map_or(rest, |(t, _)| t)
        });
    table
        .lines()
        .filter_map(|line| {
            let line = line.trim().strip_prefix("(\"")?;
            let (name, rest) = line.split_once('"')?;
            let kind = rest.trim_start_matches([',', ' ']).strip_prefix("Part::")?;
            let kind: String = kind.chars().take_while(char::is_ascii_alphabetic).collect();
            Some((name.to_owned(), kind))
        })
        .collect()
}

#[test]
fn every_registered_block_has_its_widget_folder() -> Result<()> {
    let dir = root().join("widgets/src/blocks");
    let source = std::fs::read_to_string(dir.join("mod.rs"))?;
    let registered = registered_blocks(&source);
    assert!(
        registered.len() >= 9,
        "only {} blocks read from widgets/src/blocks/mod.rs: is the reader broken?",
        registered.len()
    );
    let mut problems = Vec::new();
    for (name, kind) in &registered {
        let folder = dir.join(name);
        let own = kind == "Own";
        let has = |file: &str| folder.join(file).is_file();
        if !has("docs.md") {
            problems.push(format!("{name}: no widgets/src/blocks/{name}/docs.md"));
        }
        if own != has("mod.rs") {
            problems.push(format!(
                "{name}: registered as Part::{kind}, so its folder should {}have a mod.rs",
                if own { "" } else { "not " }
            ));
        }
        if own && !has(&format!("{name}.module.css")) {
            problems.push(format!("{name}: no {name}.module.css beside its mod.rs"));
        }
    }
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if path.is_dir() && !registered.iter().any(|(n, _)| Some(n) == name.as_ref()) {
            problems.push(format!(
                "{}: a block folder without a line in BLOCKS",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

#[test]
fn reads_the_block_table() {
    let source = r#"
pub const BLOCKS: &[(&str, Part)] = &[
    ("auto_login", Part::ServerOnly),
    ("email_validation", Part::Own(email_validation::build)),
];
const OTHER: &[(&str, Part)] = &[("not_a_block", Part::Generic)];
"#;
    assert_eq!(
        registered_blocks(source),
        [
            ("auto_login".to_owned(), "ServerOnly".to_owned()),
            ("email_validation".to_owned(), "Own".to_owned())
        ]
    );
}

#[test]
fn classifies_architecture_spans() {
    use Named::*;
    assert_eq!(
        classify("crates/journey-engine"),
        Some(Path("crates/journey-engine"))
    );
    assert_eq!(
        classify("crates/journey-engine/"),
        Some(Path("crates/journey-engine"))
    );
    assert_eq!(
        classify("locales/<lang>/*.ftl"),
        Some(Path("locales/<lang>/*.ftl"))
    );
    assert_eq!(classify("tests/e2e"), Some(Path("tests/e2e")));
    assert_eq!(classify("api.rs"), Some(Relative("api.rs")));
    assert_eq!(classify("blocks/"), Some(Relative("blocks")));
    assert_eq!(
        classify("data/common-passwords.txt"),
        Some(Relative("data/common-passwords.txt"))
    );
    assert_eq!(classify("journey-store"), Some(Package("journey-store")));
    assert_eq!(classify("DESIGN.md"), None);
    assert_eq!(classify("<journey-widget>"), None);
    assert_eq!(classify("cargo xtask test"), None);
    assert_eq!(classify("journey_server::password"), None);
    assert_eq!(classify("wasm32-unknown-unknown"), None);
}

#[test]
fn globs_match_one_component() {
    assert!(glob("*.toml", "registration.toml"));
    assert!(glob("*", "roadhelp"));
    assert!(glob("widget.ftl", "widget.ftl"));
    assert!(!glob("*.toml", "registration.ftl"));
    assert_eq!(placeholders_to_stars("<tenant>"), "*");
    assert_eq!(placeholders_to_stars("<lang>.ftl"), "*.ftl");
}

#[test]
fn finds_inline_code_outside_fences() {
    let md = "See `crates/a` and `b`.\n```\nlayout `not` a name\n```\nthen `c`\n";
    assert_eq!(code_spans(md), vec!["crates/a", "b", "c"]);
}

fn contrast_inputs() -> Result<(String, Vec<contrast::Pair>)> {
    let themes = root().join("themes");
    let base = std::fs::read_to_string(themes.join("base.css"))?;
    let pairs = contrast::pairs(&std::fs::read_to_string(
        themes.join("contrast-pairs.json"),
    )?)?;
    Ok((base, pairs))
}

#[test]
fn every_shipped_theme_meets_wcag_contrast() -> Result<()> {
    let (base, pairs) = contrast_inputs()?;
    assert!(
        pairs.len() >= 15,
        "the pair list lost pairs: {}",
        pairs.len()
    );
    let themes = contrast::shipped(&root())?;
    let names: Vec<&str> = themes.iter().map(|(name, _)| name.as_str()).collect();
    for theme in ["roadhelp", "wheelhouse", "evenstar"] {
        assert!(
            names.contains(&theme),
            "theme {theme} not found in {names:?}"
        );
    }
    let mut short = Vec::new();
    for (name, css) in std::iter::once(("base".to_owned(), String::new())).chain(themes) {
        let measured = contrast::measure(&base, &css, &pairs);
        assert_eq!(measured.len(), pairs.len());
        if measured.iter().any(|m| !m.passes()) {
            short.push(contrast::table(&name, &measured));
        }
    }
    assert!(short.is_empty(), "themes fall short:\n{}", short.join("\n"));
    Ok(())
}

#[test]
fn the_contrast_checker_catches_a_bad_theme() -> Result<()> {
    let (base, pairs) = contrast_inputs()?;
    // Light grey text (2.3:1 on white), a border of 1.5:1, and a focus colour that is not one.
    let bad = ":root { --jk-color-text: #999; --jk-color-border: #ddd; --jk-color-focus: var(--jk-nothing); }";
    let measured = contrast::measure(&base, bad, &pairs);
    let failing: Vec<String> = measured
        .iter()
        .filter(|m| !m.passes())
        .map(|m| format!("{} on {}", m.pair.fg, m.pair.bg))
        .collect();
    for expected in [
        "text on surface",
        "text on surface-raised",
        "border on surface",
        "focus on surface",
    ] {
        assert!(
            failing.iter().any(|f| f == expected),
            "{expected} not caught: {failing:?}"
        );
    }
    assert!(
        !failing.iter().any(|f| f == "muted on surface"),
        "{failing:?}"
    );
    // Just under the line fails, unrounded: #767676 on white is 4.54:1, #777777 4.47:1.
    let just = |grey: &str| {
        let css = format!(":root {{ --jk-color-text: {grey}; }}");
        contrast::measure(&base, &css, &pairs)[0].passes()
    };
    assert!(just("#767676"));
    assert!(!just("#777777"));
    assert_eq!(contrast::format_ratio(4.499), "4.49:1");
    assert_eq!(contrast::colour("rgb(255, 0, 0)"), Some([255, 0, 0]));
    assert_eq!(contrast::colour("#fff"), Some([255, 255, 255]));
    assert_eq!(contrast::colour("red"), None);
    Ok(())
}

/// Each tenant.toml key of a brand's email colours and the theme variable it copies.
const EMAIL_COLOURS: [(&str, &str); 2] = [
    ("email_primary", "--jk-color-primary"),
    ("email_on_primary", "--jk-color-on-primary"),
];

/// The brands of `tenant` (the text of the tenant.toml `file`) and where their email colours
/// differ from their theme's, layered over `base` (`theme(name)` reads `themes/<name>.css`).
/// Colours are compared as colours: `#FA0` is `#ffaa00`.
fn email_colour_problems(
    file: &str,
    tenant: &str,
    base: &str,
    theme: &dyn Fn(&str) -> Result<String>,
) -> Result<(Vec<String>, Vec<String>)> {
    let tenant: toml::Value =
        toml::from_str(tenant).with_context(|| format!("{file} is not valid TOML"))?;
    let brands = tenant
        .get("brands")
        .and_then(toml::Value::as_table)
        .with_context(|| format!("{file} has no [brands]"))?;
    let mut problems = Vec::new();
    for (id, brand) in brands {
        // A brand's theme is its `theme`, else its id (as the server has it).
        let name = brand
            .get("theme")
            .and_then(toml::Value::as_str)
            .unwrap_or(id);
        let mut vars = contrast::variables(base);
        vars.extend(contrast::variables(&theme(name)?));
        for (key, variable) in EMAIL_COLOURS {
            let email = brand.get(key).and_then(toml::Value::as_str);
            let themed = contrast::resolve(&vars, variable);
            let same = email
                .and_then(contrast::colour)
                .zip(themed.and_then(contrast::colour))
                .is_some_and(|(email, themed)| email == themed);
            if !same {
                problems.push(format!(
                    "brand `{id}` in {file}: {key} is {} but themes/{name}.css has {variable}: {}",
                    email.unwrap_or("not set"),
                    themed.unwrap_or("not set"),
                ));
            }
        }
    }
    Ok((brands.keys().cloned().collect(), problems))
}

#[test]
fn every_demo_brand_has_its_themes_email_colours() -> Result<()> {
    let root = root();
    let themes = root.join("themes");
    let base = std::fs::read_to_string(themes.join("base.css"))?;
    let theme = |name: &str| {
        let file = themes.join(format!("{name}.css"));
        std::fs::read_to_string(&file).with_context(|| format!("theme {}", file.display()))
    };
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    let mut tenants: Vec<PathBuf> = std::fs::read_dir(root.join("demo-sites"))?
        .map(|entry| Ok(entry?.path().join("tenant.toml")))
        .collect::<Result<_>>()?;
    tenants.retain(|file| file.is_file());
    tenants.sort();
    for file in &tenants {
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let text = std::fs::read_to_string(file)?;
        let (brands, found) = email_colour_problems(&shown, &text, &base, &theme)?;
        checked.extend(brands);
        problems.extend(found);
    }
    // Not vacuous: the demo's three brands were found and checked.
    for brand in ["roadhelp", "evenstar", "wheelhouse"] {
        assert!(
            checked.iter().any(|b| b == brand),
            "brand {brand} not found in {tenants:?}"
        );
    }
    assert!(
        problems.is_empty(),
        "email colours that are not the theme's (copy the theme's into tenant.toml):\n  {}",
        problems.join("\n  ")
    );
    Ok(())
}

#[test]
fn the_email_colour_check_catches_a_colour_that_left_its_theme() -> Result<()> {
    let theme = |name: &str| match name {
        "sunny" => Ok(":root { --jk-color-primary: #FFAA00; }".to_owned()),
        _ => anyhow::bail!("no theme {name}"),
    };
    let base = ":root { --jk-color-primary: #0b5cad; --jk-color-on-primary: #ffffff; }";
    let tenant = |primary: &str, on_primary: &str| {
        format!(
            "[brands.sun]\ntheme = \"sunny\"\nemail_primary = \"{primary}\"\n\
             email_on_primary = \"{on_primary}\"\n"
        )
    };
    // Case and #rgb do not matter; the base's on-primary shows through the theme.
    let (brands, problems) =
        email_colour_problems("t.toml", &tenant("#fa0", "#FFF"), base, &theme)?;
    assert_eq!((brands, problems), (vec!["sun".to_owned()], Vec::new()));
    let (_, problems) = email_colour_problems("t.toml", &tenant("#ffab00", "#fff"), base, &theme)?;
    assert_eq!(
        problems,
        [
            "brand `sun` in t.toml: email_primary is #ffab00 but themes/sunny.css has \
          --jk-color-primary: #FFAA00"
        ]
    );
    let (_, problems) =
        email_colour_problems("t.toml", "[brands.sunny]\nname = \"Sunny\"\n", base, &theme)?;
    assert_eq!(problems.len(), 2, "unset colours are named: {problems:?}");
    assert!(
        problems[0].contains("email_primary is not set"),
        "{problems:?}"
    );
    Ok(())
}
