//! The engine's import rule (ARCHITECTURE.md): blocks, the kernel and the shared helpers use
//! neither the runtime nor the journey loader, and the loader does not use the runtime, so
//! there is no import circle and adding a block touches neither.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules of the crate that `source` names through `crate::` (in `use`
/// declarations, groups such as `crate::{a, b::c}`, and paths in code), comments aside.
fn crate_modules(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut modules = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // Only the group's first level: `crate::{kernel::{a, b}, otp}` names kernel and otp.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        modules.insert(ident(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            modules.insert(ident(rest));
        }
    }
    // `super::super::x` from inside `blocks/` reaches the crate root just the same.
    for (at, _) in code.match_indices("super::super::") {
        modules.insert(ident(&code[at + "super::super::".len()..]));
    }
    modules.remove("");
    modules
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_import_scanner_finds_paths_groups_and_super_chains() {
    let source = "//! Uses `crate::runtime` in a comment only.\n\
        use crate::kernel::{Block, Cx};\n\
        use crate::{otp::{self, Policy}, text};\n\
        use super::super::definition::Journey;\n\
        fn f() { crate::throttle::is_disabled(1); } // crate::runtime\n";
    let found: Vec<String> = crate_modules(source).into_iter().collect();
    assert_eq!(found, ["definition", "kernel", "otp", "text", "throttle"]);
}

#[test]
fn blocks_and_the_kernel_import_neither_the_runtime_nor_the_journey_loader() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    let mut problems = Vec::new();
    for path in rust_files(&src) {
        let relative = path
            .strip_prefix(&src)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let forbidden: &[&str] = match relative.as_str() {
            "lib.rs" | "runtime.rs" => &[],
            "definition.rs" => &["runtime"],
            _ => &["runtime", "definition"],
        };
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        for module in crate_modules(&source) {
            if forbidden.contains(&module.as_str()) {
                problems.push(format!("src/{relative} uses crate::{module}"));
            }
        }
        checked += usize::from(relative.starts_with("blocks/"));
    }
    assert!(
        checked >= 9,
        "only {checked} block modules found under {}",
        src.display()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
