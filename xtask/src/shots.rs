//! `cargo xtask shots`: a screenshot of every tenant × brand × language × block × example ×
//! width, each checked with axe-core (WCAG 2.2 AA and `target-size`) and for reflow, and a
//! contact sheet of them.
//!
//! It builds what the end-to-end step of `cargo xtask test` builds (the Trunk bundle and the
//! server), starts the server in development mode on a free port with a fresh database, and
//! runs `tests/shots/shots.spec.ts` in Debian's Chromium, which learns the matrix from the
//! server (`GET /dev/tenants`, `GET /dev/examples`) and walks it with the code the slice in
//! `cargo xtask test` uses (`tests/e2e/matrix.ts`). The shards write the screenshots and their
//! findings (`results-N.json`) into `<target>/shots/`; this module reads the findings, writes
//! `<target>/shots/index.html` (grouped by block, every shot labelled and its violations marked)
//! and prints the summary. It fails when any drawing has an axe violation or does not fit its
//! width.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::server::Server;
use crate::util::{Ctx, human, run, say};
use crate::{bundle, setup};

/// What to narrow the matrix to; empty lists mean everything.
#[derive(Default, Debug, PartialEq)]
pub struct ShotsArgs {
    pub tenants: Vec<String>,
    pub brands: Vec<String>,
    pub locales: Vec<String>,
    pub widths: Vec<String>,
    pub blocks: Vec<String>,
    /// Skip setup and the Trunk build (when `dist/` is fresh).
    pub no_build: bool,
    /// Playwright workers, each walking its share of the matrix.
    pub workers: Option<usize>,
}

/// Reads the flags after `shots`.
pub fn args(rest: &[String]) -> Result<ShotsArgs> {
    let mut args = ShotsArgs::default();
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-build" {
            args.no_build = true;
            continue;
        }
        let value = rest
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        let values = || {
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        match flag.as_str() {
            "--tenant" => args.tenants.extend(values()),
            "--brand" => args.brands.extend(values()),
            "--locale" => args.locales.extend(values()),
            "--block" => args.blocks.extend(values()),
            "--width" => {
                for width in values() {
                    if !["320", "375", "768", "1024", "1440"].contains(&width.as_str()) {
                        bail!("--width {width}: the widths are 320, 375, 768, 1024 and 1440");
                    }
                    args.widths.push(width);
                }
            }
            "--workers" => {
                let n: usize = value
                    .parse()
                    .with_context(|| format!("--workers needs a number, not `{value}`"))?;
                if n == 0 {
                    bail!("--workers must be at least 1");
                }
                args.workers = Some(n);
            }
            other => bail!("unknown shots flag `{other}`"),
        }
    }
    Ok(args)
}

/// Builds, serves, walks the matrix and reports; fails on any violation.
pub fn shots(ctx: &Ctx, args: &ShotsArgs) -> Result<()> {
    let start = Instant::now();
    if !args.no_build {
        setup::setup(ctx)?;
        bundle::trunk_build(ctx)?;
    }
    say("building the journey server");
    run(ctx.cargo().args(["build", "-p", "journey-server"]))?;
    let out = ctx.target_dir().join("shots");
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .with_context(|| format!("cannot clear the last run's {}", out.display()))?;
    }
    std::fs::create_dir_all(&out)?;
    let dir = tempfile::tempdir().context("cannot create a temporary folder for the database")?;
    let mut server = Server::start_dev(ctx, "shots", dir.path(), Path::new("demo-sites"))?;
    say(format!(
        "drawing the matrix in Debian's Chromium, writing {}",
        out.display()
    ));
    let walked = Instant::now();
    let join = |list: &[String]| list.join(",");
    let result = run(ctx
        .cmd("npx")
        .args([
            "--no",
            "--",
            "playwright",
            "test",
            "--config",
            "tests/shots/playwright.config.ts",
        ])
        .env("BASE_URL", &server.base_url)
        .env("SHOTS_DIR", &out)
        .env("SHOTS_TENANT", join(&args.tenants))
        .env("SHOTS_BRAND", join(&args.brands))
        .env("SHOTS_LOCALE", join(&args.locales))
        .env("SHOTS_WIDTH", join(&args.widths))
        .env("SHOTS_BLOCK", join(&args.blocks))
        .env("SHOTS_WORKERS", args.workers.unwrap_or(2).to_string()));
    let walk_time = walked.elapsed();
    if let Err(err) = result {
        let hint = server.log_hint();
        server.stop();
        bail!("{err:#}{hint}");
    }
    server.stop();

    let shots = read_results(&out)?;
    let index = out.join("index.html");
    std::fs::write(&index, contact_sheet(&shots))
        .with_context(|| format!("cannot write {}", index.display()))?;
    let summary = summarize(&shots);
    println!();
    println!("shots: {} screenshots in {}", shots.len(), out.display());
    println!(
        "    drawn and checked in {}, {} in all",
        human(walk_time),
        human(start.elapsed())
    );
    println!("    contact sheet: {}", index.display());
    if summary.is_empty() {
        println!("    no axe violations, every drawing fits its width");
        return Ok(());
    }
    let violations: usize = shots.iter().map(|s| s.violations.len()).sum();
    let unfit = shots.iter().filter(|s| !s.reflow.is_empty()).count();
    println!(
        "    {violations} axe violation(s) and {unfit} drawing(s) that do not fit their width, in {} of {} shots:",
        shots.iter().filter(|s| s.failed()).count(),
        shots.len()
    );
    for line in &summary {
        println!("      {line}");
    }
    bail!(
        "the matrix has {violations} axe violation(s) and {unfit} reflow problem(s); see {}",
        index.display()
    )
}

/// One screenshot and what was found on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shot {
    pub tenant: String,
    pub brand: String,
    pub locale: String,
    pub width: u64,
    pub block: String,
    pub example: String,
    /// The image, relative to the shots folder.
    pub file: String,
    /// The ids of the axe rules violated, with how many nodes each.
    pub violations: Vec<(String, usize)>,
    pub reflow: Vec<String>,
}

impl Shot {
    fn failed(&self) -> bool {
        !self.violations.is_empty() || !self.reflow.is_empty()
    }

    fn label(&self) -> String {
        format!(
            "{}/{} {} {} {}/{}",
            self.tenant, self.brand, self.locale, self.width, self.block, self.example
        )
    }
}

/// Reads every shard's `results-N.json`; fails when a shard wrote none or the counts disagree
/// (a shard that stopped half way).
fn read_results(out: &Path) -> Result<Vec<Shot>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("results-") && name.ends_with(".json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("the shards wrote no results-N.json into {}", out.display());
    }
    let mut shots = Vec::new();
    let mut total = None;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let json: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", file.display()))?;
        total = json["total"].as_u64().or(total);
        shots.extend(parse_results(&json).with_context(|| format!("in {}", file.display()))?);
    }
    if let Some(total) = total
        && total != shots.len() as u64
    {
        bail!(
            "the matrix has {total} drawings but the shards report {}",
            shots.len()
        );
    }
    Ok(shots)
}

/// The shots of one shard's results file.
pub fn parse_results(json: &Value) -> Result<Vec<Shot>> {
    let text = |v: &Value, key: &str| -> Result<String> {
        v[key]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no `{key}` in {v}"))
    };
    let results = json["results"].as_array().context("no `results` array")?;
    results
        .iter()
        .map(|r| {
            let combo = &r["combo"];
            Ok(Shot {
                tenant: text(combo, "tenant")?,
                brand: text(combo, "brand")?,
                locale: text(combo, "locale")?,
                width: combo["width"].as_u64().context("no `width`")?,
                block: text(combo, "block")?,
                example: text(combo, "example")?,
                file: text(r, "file")?,
                violations: r["violations"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .map(|v| {
                                let nodes = v["nodes"].as_array().map_or(0, Vec::len);
                                (v["id"].as_str().unwrap_or("?").to_owned(), nodes)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                reflow: r["reflow"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|p| p.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// One line per failing drawing: where, and which rules (or `reflow`).
pub fn summarize(shots: &[Shot]) -> Vec<String> {
    shots
        .iter()
        .filter(|s| s.failed())
        .map(|s| {
            let mut found: Vec<String> = s
                .violations
                .iter()
                .map(|(id, nodes)| {
                    format!("{id} ({nodes} node{})", if *nodes == 1 { "" } else { "s" })
                })
                .collect();
            if let Some(first) = s.reflow.first() {
                found.push(format!("reflow: {first}"));
            }
            format!("{}: {}", s.label(), found.join(", "))
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The contact sheet: one section per block, a figure per shot (relative image link, its
/// brand, language, width and example, its violations marked), failures listed first.
pub fn contact_sheet(shots: &[Shot]) -> String {
    let mut by_block: BTreeMap<&str, Vec<&Shot>> = BTreeMap::new();
    for shot in shots {
        by_block.entry(shot.block.as_str()).or_default().push(shot);
    }
    let failed = shots.iter().filter(|s| s.failed()).count();
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Journeykit shots</title>\n<style>\n\
         body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #1a1a1a; }\n\
         nav a { margin-inline-end: 1rem; }\n\
         .shots { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }\n\
         figure { margin: 0; padding: .5rem; border: 2px solid #ccc; max-width: 360px; }\n\
         figure.bad { border-color: #b00020; background: #fdecee; }\n\
         figure img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }\n\
         figcaption { font-size: 12px; overflow-wrap: anywhere; }\n\
         .found { color: #b00020; font-weight: bold; }\n\
         </style>\n</head>\n<body>\n<h1>Journeykit shots</h1>\n",
    );
    let _ = writeln!(
        html,
        "<p>{} screenshots, {} with axe violations or reflow problems (marked in red).</p>",
        shots.len(),
        failed
    );
    html.push_str("<nav>");
    for block in by_block.keys() {
        let _ = write!(html, "<a href=\"#{0}\">{0}</a>", escape(block));
    }
    html.push_str("</nav>\n");
    for (block, mut list) in by_block {
        list.sort_by_key(|s| {
            (
                !s.failed(),
                s.example.clone(),
                s.tenant.clone(),
                s.brand.clone(),
                s.locale.clone(),
                s.width,
            )
        });
        let _ = writeln!(
            html,
            "<section id=\"{0}\">\n<h2>{0}</h2>\n<div class=\"shots\">",
            escape(block)
        );
        for shot in list {
            let caption = format!(
                "{}/{} · {} · {} px · {}",
                shot.tenant, shot.brand, shot.locale, shot.width, shot.example
            );
            let _ = write!(
                html,
                "<figure{}><a href=\"{1}\"><img src=\"{1}\" loading=\"lazy\" alt=\"{2}\"></a><figcaption>{2}",
                if shot.failed() { " class=\"bad\"" } else { "" },
                escape(&shot.file),
                escape(&caption)
            );
            if shot.failed() {
                let mut found: Vec<String> = shot
                    .violations
                    .iter()
                    .map(|(id, nodes)| format!("{id} ×{nodes}"))
                    .collect();
                found.extend(shot.reflow.iter().map(|p| format!("reflow: {p}")));
                let _ = write!(
                    html,
                    "<br><span class=\"found\">{}</span>",
                    escape(&found.join("; "))
                );
            }
            html.push_str("</figcaption></figure>\n");
        }
        html.push_str("</div>\n</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results() -> Value {
        json!({
            "total": 2,
            "results": [
                {
                    "combo": {"tenant": "t", "brand": "b", "locale": "ar", "width": 320,
                              "block": "email_validation", "example": "locked"},
                    "file": "t/b/ar/320/email_validation--locked.png",
                    "violations": [{"id": "color-contrast", "nodes": [{}, {}]}],
                    "reflow": []
                },
                {
                    "combo": {"tenant": "t", "brand": "b", "locale": "en", "width": 1440,
                              "block": "set_password", "example": "<empty>"},
                    "file": "t/b/en/1440/set_password--_empty_.png",
                    "violations": [],
                    "reflow": []
                }
            ]
        })
    }

    #[test]
    fn flags_narrow_the_matrix_and_bad_ones_are_refused() {
        let given: Vec<String> = ["--tenant", "a,b", "--width", "320", "--no-build"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let args = args(&given).unwrap_or_default();
        assert_eq!(args.tenants, ["a", "b"]);
        assert_eq!(args.widths, ["320"]);
        assert!(args.no_build);
        for bad in [&["--width", "321"][..], &["--colour", "x"], &["--tenant"]] {
            let bad: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
            assert!(self::args(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_summary_names_each_failing_drawing_and_its_rules() {
        let shots = parse_results(&results()).unwrap_or_default();
        assert_eq!(shots.len(), 2);
        assert_eq!(
            summarize(&shots),
            ["t/b ar 320 email_validation/locked: color-contrast (2 nodes)"]
        );
    }

    #[test]
    fn the_contact_sheet_groups_by_block_links_relatively_and_marks_failures() {
        let shots = parse_results(&results()).unwrap_or_default();
        let html = contact_sheet(&shots);
        let email = html.find("<h2>email_validation</h2>").unwrap_or(usize::MAX);
        let password = html.find("<h2>set_password</h2>").unwrap_or(usize::MAX);
        assert!(email < password, "{html}");
        assert!(html.contains("src=\"t/b/ar/320/email_validation--locked.png\""));
        assert!(html.contains("class=\"bad\""));
        assert!(html.contains("color-contrast ×2"));
        assert_eq!(html.matches("class=\"bad\"").count(), 1);
        // Names are escaped, never markup.
        assert!(html.contains("&lt;empty&gt;") && !html.contains("<empty>"));
    }
}
