//! The embed bundle in `dist/widget/`: building it with Trunk, measuring it,
//! and holding it to the size budget.
//!
//! The budget counts what a brand's page downloads to show a widget: the
//! wasm, its JS glue and the CSS, each compressed with gzip -9 as a web server
//! would send them. Translations are resolved on the server precisely so that
//! this stays small (DESIGN.md, invariant 4).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::util::{Ctx, run, say};

/// The gzip -9 total the embed bundle aims to stay under (issue #2: 100 KB).
pub const TARGET_BYTES: u64 = 100 * 1024;

/// The gzip -9 total above which `cargo xtask test` fails (the target plus 20 % head-room).
pub const BUDGET_BYTES: u64 = 120 * 1024;

/// The loader of `<journey-preview>` in `dist/widget/`, which is not part of the embed bundle.
const PREVIEW_ENTRY: &str = "journey-preview.js";

/// One file of the bundle.
pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// Builds the widget bundle and the demo sites into `dist/` with Trunk (offline; see TOOLCHAIN.md).
pub fn trunk_build(ctx: &Ctx) -> Result<()> {
    say(
        "building the widget bundle and the demo sites into dist/ with `trunk build --release` (offline; 10 s warm, about 2 min cold)",
    );
    run(ctx.cmd("trunk").args(["build", "--release"]))
}

/// Measures the embed bundle files (`*.wasm`, `*.js`, `*.css`) in `dist/widget/`.
pub fn measure(ctx: &Ctx) -> Result<Vec<Asset>> {
    let dir = ctx.root.join("dist").join("widget");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| {
            format!(
                "cannot read {}: did trunk build the widget bundle there?",
                dir.display()
            )
        })?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.is_file()
                && matches!(
                    path.extension().and_then(|ext| ext.to_str()),
                    Some("wasm" | "js" | "css")
                )
                // The preview's entry: a designer page loads it, a brand page never does.
                && path.file_name().is_none_or(|name| name != PREVIEW_ENTRY)
        })
        .collect();
    files.sort();
    // Every page that embeds a widget also loads the theme's semantic variables.
    files.push(ctx.root.join("dist").join("themes").join("base.css"));
    if !files
        .iter()
        .any(|path| path.extension().is_some_and(|ext| ext == "wasm"))
    {
        bail!(
            "{} holds no .wasm file: the embed bundle was not built",
            dir.display()
        );
    }
    files.iter().map(|path| asset(path)).collect()
}

fn asset(path: &Path) -> Result<Asset> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&bytes)?;
    let gzip = encoder.finish()?.len() as u64;
    Ok(Asset {
        name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        raw: bytes.len() as u64,
        gzip,
    })
}

/// Prints the files with their raw and gzip -9 sizes, and the totals.
pub fn print_table(assets: &[Asset]) {
    let width = assets
        .iter()
        .map(|a| a.name.len())
        .max()
        .unwrap_or(4)
        .max(5);
    println!("    {:<width$}  {:>10}  {:>10}", "file", "raw", "gzip -9");
    for a in assets {
        println!("    {:<width$}  {:>10}  {:>10}", a.name, a.raw, a.gzip);
    }
    let (raw, gzip) = totals(assets);
    println!("    {:<width$}  {:>10}  {:>10}", "total", raw, gzip);
}

pub fn totals(assets: &[Asset]) -> (u64, u64) {
    assets
        .iter()
        .fold((0, 0), |(raw, gzip), a| (raw + a.raw, gzip + a.gzip))
}

/// Fails when the gzip total is above the budget; prints the sizes either way.
pub fn check_budget(ctx: &Ctx) -> Result<()> {
    let assets = measure(ctx)?;
    say(format!(
        "embed bundle sizes (target {TARGET_BYTES} bytes gzip -9 in total; the test fails above {BUDGET_BYTES})"
    ));
    print_table(&assets);
    let (_, gzip) = totals(&assets);
    if gzip > BUDGET_BYTES {
        let sizes: Vec<String> = assets
            .iter()
            .map(|a| format!("{} {} B", a.name, a.gzip))
            .collect();
        bail!(
            "the embed bundle is {gzip} bytes gzip -9, over the budget of {BUDGET_BYTES} bytes ({})",
            sizes.join(", ")
        );
    }
    if gzip > TARGET_BYTES {
        say(format!(
            "warning: {gzip} bytes gzip -9 is above the {TARGET_BYTES}-byte target"
        ));
    }
    println!("    within budget: {gzip} of {BUDGET_BYTES} bytes (target {TARGET_BYTES})");
    Ok(())
}
