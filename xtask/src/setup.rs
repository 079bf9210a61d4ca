//! `cargo xtask setup`: installs the tools the build and the tests need, and
//! nothing that is already there in the right version.
//!
//! Every check asks the tool for its version rather than only looking for it,
//! because a wrong version fails late and confusingly (a wasm-bindgen CLI that
//! differs from the library, a trunk that needs a newer rustc). The versions
//! and the traps are in `TOOLCHAIN.md` of the shared notes: never install
//! Debian's `binaryen` (its wasm-opt breaks the bundle), never let a tool
//! download a browser or a binary of its own.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::util::{Ctx, names_version, probe, run, say};

/// Trunk 0.22 needs a newer rustc than the project's; keep this pin.
const TRUNK_VERSION: &str = "0.21.14";
const STYLANCE_VERSION: &str = "0.8.4";
const WASM_OPT_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// A tool installed with `cargo install`.
struct CargoTool<'a> {
    /// The binary whose `--version` tells what is installed.
    bin: &'a str,
    /// Other binaries of the same crate that must report the same version.
    also: &'a [&'a str],
    krate: &'a str,
    version: &'a str,
    /// `--locked` fails for some crates here (wasm-bindgen-cli: TOOLCHAIN.md).
    locked: bool,
    how_long: &'a str,
}

pub fn setup(ctx: &Ctx) -> Result<()> {
    say("setup: checking the toolchain (installs only what is missing or in the wrong version)");
    wasm_target(ctx)?;
    let wasm_bindgen = wasm_bindgen_version(ctx)?;
    cargo_tool(
        ctx,
        &CargoTool {
            bin: "wasm-bindgen",
            also: &["wasm-bindgen-test-runner"],
            krate: "wasm-bindgen-cli",
            version: &wasm_bindgen,
            locked: false,
            how_long: "about 2 minutes",
        },
    )?;
    cargo_tool(
        ctx,
        &CargoTool {
            bin: "trunk",
            also: &[],
            krate: "trunk",
            version: TRUNK_VERSION,
            locked: true,
            how_long: "about 7 minutes",
        },
    )?;
    cargo_tool(
        ctx,
        &CargoTool {
            bin: "stylance",
            also: &[],
            krate: "stylance-cli",
            version: STYLANCE_VERSION,
            locked: true,
            how_long: "under a minute",
        },
    )?;
    chromium(ctx)?;
    postgresql(ctx)?;
    debian_package(
        ctx,
        &DebianPackage {
            package: "haproxy",
            present: || Path::new("/usr/sbin/haproxy").exists(),
            why: "the load balancer in front of `cargo xtask demo --replicas 3` and the replica tests",
        },
    )?;
    debian_package(
        ctx,
        &DebianPackage {
            package: "python3-aiosmtpd",
            present: || {
                // Debian's Python, not a pyenv or venv one first on PATH.
                std::process::Command::new("/usr/bin/python3")
                    .args(["-c", "import aiosmtpd"])
                    .output()
                    .is_ok_and(|out| out.status.success())
            },
            why: "the SMTP server on loopback that the email delivery tests send to, run by /usr/bin/python3",
        },
    )?;
    npm_packages(ctx)?;
    wasm_opt(ctx)?;
    say(
        "fetching crates with `cargo fetch --locked` (offline trunk builds pass --offline to cargo)",
    );
    run(ctx.cargo().args(["fetch", "--locked"]))?;
    say("setup: done");
    Ok(())
}

fn wasm_target(ctx: &Ctx) -> Result<()> {
    let installed = probe(ctx.cmd("rustup").args(["target", "list", "--installed"]))
        .context("cannot run `rustup target list --installed`: is rustup installed?")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("    ok: Rust target {WASM_TARGET}");
        return Ok(());
    }
    say(format!(
        "adding the Rust target {WASM_TARGET} with rustup (the widgets and the protocol build for it; under a minute)"
    ));
    run(ctx.cmd("rustup").args(["target", "add", WASM_TARGET]))
}

/// The wasm-bindgen library version in Cargo.lock: the CLI must be exactly the same.
fn wasm_bindgen_version(ctx: &Ctx) -> Result<String> {
    let lock_path = ctx.root.join("Cargo.lock");
    if !lock_path.is_file() {
        say("Cargo.lock is missing: generating it with `cargo generate-lockfile`");
        run(ctx.cargo().arg("generate-lockfile"))?;
    }
    let text = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("cannot read {}", lock_path.display()))?;
    lock_version(&text, "wasm-bindgen")?
        .with_context(|| format!("{} has no wasm-bindgen package", lock_path.display()))
}

/// The version of `name` in a Cargo.lock's text; an error if it appears in several versions.
fn lock_version(lock: &str, name: &str) -> Result<Option<String>> {
    let lock: toml::Value = toml::from_str(lock).context("Cargo.lock is not valid TOML")?;
    let mut versions: Vec<String> = lock
        .get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter(|package| package.get("name").and_then(toml::Value::as_str) == Some(name))
        .filter_map(|package| package.get("version").and_then(toml::Value::as_str))
        .map(str::to_owned)
        .collect();
    versions.sort();
    versions.dedup();
    match versions.len() {
        0 => Ok(None),
        1 => Ok(versions.pop()),
        _ => bail!(
            "Cargo.lock holds several {name} versions ({}); the CLI can match only one",
            versions.join(", ")
        ),
    }
}

fn cargo_tool(ctx: &Ctx, tool: &CargoTool) -> Result<()> {
    let current = |bin: &str| probe(ctx.cmd(bin).arg("--version"));
    let all_match = std::iter::once(tool.bin)
        .chain(tool.also.iter().copied())
        .all(|bin| current(bin).is_some_and(|out| names_version(&out, tool.version)));
    if all_match {
        println!("    ok: {} {}", tool.bin, tool.version);
        return Ok(());
    }
    let found = current(tool.bin)
        .map(|out| format!("found `{}`", out.trim()))
        .unwrap_or_else(|| "not found".to_owned());
    say(format!(
        "installing {} {} with cargo install ({found}; {}, once)",
        tool.krate, tool.version, tool.how_long
    ));
    let mut cmd = ctx.cargo();
    cmd.args(["install", tool.krate, "--version"])
        .arg(format!("={}", tool.version))
        // Replace whatever cargo thinks is installed: we only get here when the binary is wrong.
        .arg("--force");
    if tool.locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    let after = current(tool.bin).unwrap_or_default();
    if !names_version(&after, tool.version) {
        bail!(
            "installed {} {} but `{} --version` says `{}`: another {} earlier on PATH? ({} should come first)",
            tool.krate,
            tool.version,
            tool.bin,
            after.trim(),
            tool.bin,
            ctx.cargo_bin.display()
        );
    }
    Ok(())
}

/// Debian's Chromium and its matching chromedriver: the widget tests and the
/// Playwright tests drive this browser, never a downloaded one.
fn chromium(ctx: &Ctx) -> Result<()> {
    let chromium = Path::new("/usr/bin/chromium");
    let driver = Path::new("/usr/bin/chromedriver");
    let major =
        |path: &Path| probe(ctx.cmd(path).arg("--version")).and_then(|out| major_version(&out));
    if chromium.exists() && driver.exists() {
        match (major(chromium), major(driver)) {
            (Some(browser), Some(drv)) if browser == drv => {
                println!("    ok: chromium and chromedriver {browser}");
                return Ok(());
            }
            (browser, drv) => say(format!(
                "chromium ({}) and chromedriver ({}) do not match: reinstalling both with apt-get (about 20 s)",
                browser.as_deref().unwrap_or("unknown"),
                drv.as_deref().unwrap_or("unknown")
            )),
        }
    } else {
        say(
            "installing Debian's chromium and chromium-driver with apt-get (the browser tests use them; about 20 s)",
        );
    }
    run(&mut apt(ctx, &["update"])?)?;
    run(&mut apt(
        ctx,
        &["install", "-y", "chromium", "chromium-driver"],
    )?)
}

/// Debian's PostgreSQL server programs: the tests start a throw-away cluster of their own with
/// them (`xtask/src/postgres.rs`), never using a system cluster.
pub fn postgresql(ctx: &Ctx) -> Result<()> {
    if let Some(bin) = crate::postgres::bin_dir() {
        println!("    ok: PostgreSQL in {}", bin.display());
        return Ok(());
    }
    say(
        "installing Debian's postgresql with apt-get (the PostgreSQL store tests run a throw-away cluster of it; about 30 s)",
    );
    run(&mut apt(ctx, &["update"])?)?;
    run(&mut apt(ctx, &["install", "-y", "postgresql"])?)?;
    if crate::postgres::bin_dir().is_none() {
        bail!(
            "installed postgresql, but /usr/lib/postgresql/<version>/bin has no initdb, postgres and pg_ctl"
        );
    }
    Ok(())
}

/// A Debian package that a test or the demo runs, and how to tell it is there.
struct DebianPackage {
    package: &'static str,
    present: fn() -> bool,
    why: &'static str,
}

/// Installs `wanted.package` with apt-get unless it is present already.
fn debian_package(ctx: &Ctx, wanted: &DebianPackage) -> Result<()> {
    let DebianPackage {
        package,
        present,
        why,
    } = wanted;
    if present() {
        println!("    ok: {package}");
        return Ok(());
    }
    say(format!(
        "installing Debian's {package} with apt-get ({why}; about 20 s)"
    ));
    run(&mut apt(ctx, &["update"])?)?;
    run(&mut apt(ctx, &["install", "-y", package])?)?;
    if !present() {
        bail!("installed {package}, but it is still not usable");
    }
    Ok(())
}

/// The major version in a `--version` output such as `Chromium 156.0.7000.1 built on Debian`.
fn major_version(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|word| {
            word.contains('.')
                && word
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .and_then(|word| word.split('.').next())
        .map(str::to_owned)
}

/// `apt-get ARGS`, through sudo unless we are root.
fn apt(ctx: &Ctx, args: &[&str]) -> Result<std::process::Command> {
    let uid = probe(ctx.cmd("id").arg("-u")).context("cannot run `id -u`")?;
    let mut cmd = if uid.trim() == "0" {
        ctx.cmd("apt-get")
    } else {
        let mut sudo = ctx.cmd("sudo");
        sudo.arg("apt-get");
        sudo
    };
    cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    Ok(cmd)
}

/// The npm packages of the root package.json: binaryen (wasm-opt), Playwright, axe, Lighthouse.
fn npm_packages(ctx: &Ctx) -> Result<()> {
    let lock = ctx.root.join("package-lock.json");
    if !lock.is_file() {
        bail!(
            "{} is missing: it pins the npm packages (binaryen, Playwright); create it with `npm install` and commit it",
            lock.display()
        );
    }
    if probe(ctx.cmd("npm").arg("--version")).is_none() {
        say(
            "installing Debian's nodejs and npm with apt-get (Playwright and wasm-opt come from npm; about a minute)",
        );
        run(&mut apt(ctx, &["update"])?)?;
        run(&mut apt(ctx, &["install", "-y", "nodejs", "npm"])?)?;
    }
    // npm writes node_modules/.package-lock.json on every install: it is newer
    // than package-lock.json exactly when node_modules is up to date.
    let installed = ctx.root.join("node_modules").join(".package-lock.json");
    let stale = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(wanted)) => installed < wanted,
        _ => true,
    };
    if !stale {
        println!("    ok: node_modules matches package-lock.json");
        return Ok(());
    }
    say(
        "installing the npm packages with `npm ci` (binaryen's wasm-opt, Playwright, axe-core, Lighthouse; about 30 s, no browser download)",
    );
    run(ctx.cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
}

/// Trunk takes whatever wasm-opt is first on PATH; it must be binaryen 132 from npm.
fn wasm_opt(ctx: &Ctx) -> Result<()> {
    let out = probe(ctx.cmd("wasm-opt").arg("--version")).unwrap_or_default();
    if names_version(&out, WASM_OPT_VERSION) {
        println!("    ok: wasm-opt {WASM_OPT_VERSION} (from node_modules/.bin)");
        return Ok(());
    }
    bail!(
        "wasm-opt on PATH is `{}`, not version {WASM_OPT_VERSION}: add binaryen@{WASM_OPT_VERSION}.0.0 to package.json \
         (npm i -E binaryen@{WASM_OPT_VERSION}.0.0). Never install Debian's binaryen: its wasm-opt breaks the bundle",
        if out.trim().is_empty() {
            "missing"
        } else {
            out.trim()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_version_from_a_lock() -> Result<()> {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"

[[package]]
name = "wasm-bindgen-shared"
version = "0.2.130"
"#;
        assert_eq!(
            lock_version(lock, "wasm-bindgen")?.as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "trunk")?, None);
        Ok(())
    }

    #[test]
    fn refuses_two_versions() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.100"
"#;
        assert!(lock_version(lock, "wasm-bindgen").is_err());
    }

    #[test]
    fn finds_major_versions() {
        let chromium =
            "[: 1: unexpected operator\nChromium 156.0.7000.1 built on Debian GNU/Linux 13\n";
        assert_eq!(major_version(chromium).as_deref(), Some("156"));
        let driver = "ChromeDriver 156.0.7000.1 (abc-refs/branch-heads/1@{#1})";
        assert_eq!(major_version(driver).as_deref(), Some("156"));
    }
}
