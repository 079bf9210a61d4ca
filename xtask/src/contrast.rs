//! `cargo xtask contrast`: the WCAG contrast of every shipped theme.
//!
//! Each theme (`themes/<name>.css`, variables only) is layered over `themes/base.css`, and every
//! colour pair the widgets draw (`themes/contrast-pairs.json`, the same list the designer
//! preview's report reads) is measured: text on its background needs 4.5:1 (WCAG 1.4.3), a
//! control's border and the focus ring on the surface around them 3:1 (1.4.11). Ratios are
//! compared unrounded and shown rounded down, so 4.499 never passes as 4.50. It prints one table
//! per theme and fails when any theme falls short.
//!
//! Plain functions over text (no IO but [`shipped`] and [`contrast`]), so xtask's tests run the
//! same checker on the shipped themes and on a bad theme of their own.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The custom properties a theme file sets: `:root { --name: value; }` blocks, comments
/// skipped; any other declaration (such as base.css's `color-scheme`) is ignored.
pub fn variables(css: &str) -> BTreeMap<String, String> {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        plain.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    plain.push_str(rest);
    let mut vars = BTreeMap::new();
    let mut rest = plain.as_str();
    while let Some(at) = rest.find(":root") {
        rest = &rest[at + 5..];
        let Some(open) = rest.find('{') else { break };
        let Some(close) = rest.find('}') else { break };
        if close < open {
            continue;
        }
        for declaration in rest[open + 1..close].split(';') {
            if let Some((name, value)) = declaration.split_once(':') {
                let (name, value) = (name.trim(), value.trim());
                if name.starts_with("--") && !value.is_empty() {
                    vars.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        rest = &rest[close + 1..];
    }
    vars
}

/// The value of `name`, following `var(--other)` references (at most 8 deep).
pub fn resolve<'a>(vars: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    let mut name = name;
    for _ in 0..8 {
        let value = vars.get(name)?.as_str();
        match value
            .strip_prefix("var(")
            .and_then(|v| v.strip_suffix(')'))
            .map(|v| v.split(',').next().unwrap_or_default().trim())
        {
            Some(next) => name = next,
            None => return Some(value),
        }
    }
    None
}

/// An opaque sRGB colour from `#rgb`, `#rrggbb` or `rgb(r g b)` / `rgb(r, g, b)`.
pub fn colour(value: &str) -> Option<[u8; 3]> {
    let v = value.trim().to_ascii_lowercase();
    if let Some(hex) = v.strip_prefix('#') {
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        return match hex.len() {
            3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
            6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
            _ => None,
        };
    }
    let inner = v.strip_prefix("rgb(")?.strip_suffix(')')?;
    let channels: Vec<u8> = inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    channels.try_into().ok()
}

/// The relative luminance (WCAG 2.2), from 0 (black) to 1 (white).
pub fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let s = f64::from(c) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// The contrast ratio of two colours, from 1 to 21, in either order.
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A ratio as WCAG states them: two decimals, rounded down.
pub fn format_ratio(r: f64) -> String {
    format!("{:.2}:1", (r * 100.0).floor() / 100.0)
}

/// One pair of `themes/contrast-pairs.json`.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The foreground variable without `--jk-color-`.
    pub fg: String,
    /// The background variable without `--jk-color-`.
    pub bg: String,
    /// The least ratio that passes.
    pub minimum: f64,
    /// The WCAG success criterion, such as `1.4.3`.
    pub criterion: String,
    /// What the widgets draw with it.
    pub used_for: String,
}

/// The pairs from the text of `themes/contrast-pairs.json`.
pub fn pairs(json: &str) -> Result<Vec<Pair>> {
    let doc: serde_json::Value = serde_json::from_str(json).context("not JSON")?;
    let kinds = doc.get("kinds").context("no `kinds`")?;
    let field = |value: &serde_json::Value, name: &str| -> Result<String> {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .with_context(|| format!("a pair without `{name}`: {value}"))
    };
    doc.get("pairs")
        .and_then(serde_json::Value::as_array)
        .context("no `pairs` list")?
        .iter()
        .map(|pair| {
            let kind = field(pair, "kind")?;
            let rule = kinds
                .get(&kind)
                .with_context(|| format!("unknown kind `{kind}`"))?;
            Ok(Pair {
                fg: field(pair, "fg")?,
                bg: field(pair, "bg")?,
                minimum: rule
                    .get("minimum")
                    .and_then(serde_json::Value::as_f64)
                    .with_context(|| format!("kind `{kind}` has no minimum"))?,
                criterion: field(rule, "criterion")?,
                used_for: field(pair, "used_for")?,
            })
        })
        .collect()
}

/// One measured pair; `ratio` is `None` when a variable is unset or not a readable colour
/// (which fails).
#[derive(Clone, Debug)]
pub struct Measured {
    /// The pair.
    pub pair: Pair,
    /// The ratio, if both colours could be read.
    pub ratio: Option<f64>,
}

impl Measured {
    /// Whether the pair reaches its minimum.
    pub fn passes(&self) -> bool {
        self.ratio.is_some_and(|r| r >= self.pair.minimum)
    }
}

/// Every pair measured in `theme` layered over `base` (both CSS texts).
pub fn measure(base: &str, theme: &str, pairs: &[Pair]) -> Vec<Measured> {
    let mut vars = variables(base);
    vars.extend(variables(theme));
    let read = |short: &str| colour(resolve(&vars, &format!("--jk-color-{short}"))?);
    pairs
        .iter()
        .map(|pair| Measured {
            pair: pair.clone(),
            ratio: read(&pair.fg)
                .zip(read(&pair.bg))
                .map(|(fg, bg)| ratio(fg, bg)),
        })
        .collect()
}

/// The shipped themes: every `themes/*.css` but `base.css`, by name, sorted, with their text.
pub fn shipped(root: &Path) -> Result<Vec<(String, String)>> {
    let dir = root.join("themes");
    let mut themes = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let path = entry?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".css"))
        else {
            continue;
        };
        if name != "base" {
            let css = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            themes.push((name.to_owned(), css));
        }
    }
    themes.sort();
    Ok(themes)
}

/// The table of one theme's pairs, one line each.
pub fn table(theme: &str, measured: &[Measured]) -> String {
    let mut out = format!("{theme}\n");
    for m in measured {
        let shown = m
            .ratio
            .map_or_else(|| "unreadable".to_owned(), format_ratio);
        out.push_str(&format!(
            "    {:<30} {:>10}  min {:>4}:1 ({:<6}) {:<4}  {}\n",
            format!("{} on {}", m.pair.fg, m.pair.bg),
            shown,
            m.pair.minimum,
            m.pair.criterion,
            if m.passes() { "ok" } else { "FAIL" },
            m.pair.used_for,
        ));
    }
    out
}

/// `cargo xtask contrast`: prints every shipped theme's table; fails naming the pairs that fall
/// short.
pub fn contrast(root: &Path) -> Result<()> {
    let read = |name: &str| {
        let path = root.join("themes").join(name);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let base = read("base.css")?;
    let pairs = pairs(&read("contrast-pairs.json")?).context("themes/contrast-pairs.json")?;
    let mut short = Vec::new();
    for (name, css) in std::iter::once(("base".to_owned(), String::new())).chain(shipped(root)?) {
        let measured = measure(&base, &css, &pairs);
        print!("{}", table(&name, &measured));
        short.extend(
            measured
                .iter()
                .filter(|m| !m.passes())
                .map(|m| format!("{name}: {} on {}", m.pair.fg, m.pair.bg)),
        );
    }
    if !short.is_empty() {
        bail!(
            "{} pair(s) fall short of WCAG contrast:\n  {}",
            short.len(),
            short.join("\n  ")
        );
    }
    println!("every theme meets WCAG 1.4.3 and 1.4.11");
    Ok(())
}
