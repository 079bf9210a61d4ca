//! `cargo xtask test`: every check the project has, in the order that fails
//! fastest, stopping at the first failure.
//!
//! ```text
//! setup -> fmt -> clippy -> protocol on wasm32 -> native tests
//!       -> widget tests in Chromium -> trunk build + size budget -> end-to-end
//! ```
//!
//! The last line on success is `test: N passed, 0 failed`, which CI reads.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::server::{Options, Server};
use crate::site::{self, Site, SiteConfig};
use crate::util::{Ctx, free_port, human, run, say};
use crate::{bundle, setup};

/// One step of the run: a short key for `--from`, a name for the summary, and what it does.
struct Step {
    key: &'static str,
    name: &'static str,
    run: fn(&Ctx) -> Result<()>,
}

const STEPS: &[Step] = &[
    Step {
        key: "setup",
        name: "setup",
        run: setup::setup,
    },
    Step {
        key: "fmt",
        name: "fmt",
        run: fmt,
    },
    Step {
        key: "clippy",
        name: "clippy",
        run: clippy,
    },
    Step {
        key: "wasm",
        name: "protocol builds for wasm32",
        run: protocol_wasm,
    },
    Step {
        key: "native",
        name: "native tests",
        run: native_tests,
    },
    Step {
        key: "widgets",
        name: "widget tests (Chromium)",
        run: widget_tests,
    },
    Step {
        key: "bundle",
        name: "trunk build + bundle budget",
        run: bundle_budget,
    },
    Step {
        key: "e2e",
        name: "end-to-end (Playwright)",
        run: end_to_end,
    },
];

/// The step keys, for the usage text.
pub fn step_keys() -> String {
    STEPS
        .iter()
        .map(|step| step.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the steps in order; with `from`, setup and then the steps from that key on
/// (for iterating on a late step without waiting for the early ones).
pub fn test(ctx: &Ctx, from: Option<&str>) -> Result<()> {
    let steps: Vec<&Step> = match from {
        None => STEPS.iter().collect(),
        Some(key) => {
            let start = STEPS
                .iter()
                .position(|step| step.key == key)
                .with_context(|| format!("no test step `{key}`; the steps are {}", step_keys()))?;
            STEPS[..1].iter().chain(&STEPS[start.max(1)..]).collect()
        }
    };
    let mut done: Vec<(&str, Duration, bool)> = Vec::new();
    let mut failure = None;
    for step in &steps {
        println!();
        say(format!("step: {}", step.name));
        let start = Instant::now();
        let result = (step.run)(ctx);
        done.push((step.name, start.elapsed(), result.is_ok()));
        if let Err(err) = result {
            failure = Some((step.name, err));
            break;
        }
    }

    println!();
    println!("summary:");
    for (name, time, ok) in &done {
        println!(
            "    {:<30} {:>10}  {}",
            name,
            human(*time),
            if *ok { "ok" } else { "FAILED" }
        );
    }
    for step in &steps[done.len()..] {
        println!("    {:<30} {:>10}  not run", step.name, "-");
    }
    let passed = done.iter().filter(|(_, _, ok)| *ok).count();
    let failed = done.len() - passed;
    match failure {
        Some((name, err)) => {
            println!("test: {passed} passed, {failed} failed");
            Err(err.context(format!("step `{name}` failed")))
        }
        None => {
            println!("test: {passed} passed, {failed} failed");
            Ok(())
        }
    }
}

fn fmt(ctx: &Ctx) -> Result<()> {
    say("checking formatting with rustfmt (fix with `cargo fmt --all`)");
    run(ctx.cargo().args(["fmt", "--all", "--check"]))
}

fn clippy(ctx: &Ctx) -> Result<()> {
    say("linting the native crates with clippy, warnings denied");
    run(ctx.cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--exclude",
        "journey-widgets",
        "--",
        "-D",
        "warnings",
    ]))?;
    say("linting the widgets for wasm32 with clippy, warnings denied");
    run(ctx.cargo().args([
        "clippy",
        "-p",
        "journey-widgets",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    say("linting xtask's argon2 bench (a feature, so the workspace lint above skips it)");
    run(ctx.cargo().args([
        "clippy",
        "-p",
        "xtask",
        "--features",
        "argon2-bench",
        "--",
        "-D",
        "warnings",
    ]))
}

fn protocol_wasm(ctx: &Ctx) -> Result<()> {
    say("building journey-protocol for wasm32 (the widgets share its wire types)");
    run(ctx.cargo().args([
        "build",
        "-p",
        "journey-protocol",
        "--target",
        "wasm32-unknown-unknown",
    ]))
}

fn native_tests(ctx: &Ctx) -> Result<()> {
    say(
        "running the native unit and integration tests (includes xtask's tidy checks on ARCHITECTURE.md and module docs)",
    );
    run(ctx
        .cargo()
        .args(["test", "--workspace", "--exclude", "journey-widgets"]))
}

fn widget_tests(ctx: &Ctx) -> Result<()> {
    say(
        "running the widget tests in headless Chromium through chromedriver (wasm-bindgen-test-runner)",
    );
    let webdriver = ctx.target_dir().join("xtask").join("webdriver.json");
    write_webdriver_json(&webdriver)?;
    run(ctx
        .cargo()
        .args([
            "test",
            "-p",
            "journey-widgets",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver))
}

/// Chromium's capabilities for the widget tests: Debian's binary and the
/// switches for running as root on a closed network (TOOLCHAIN.md).
/// wasm-bindgen-test-runner adds `headless` and `no-sandbox` itself.
fn write_webdriver_json(path: &Path) -> Result<()> {
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync"
            ]
        }
    });
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, serde_json::to_string_pretty(&caps)?)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn bundle_budget(ctx: &Ctx) -> Result<()> {
    bundle::trunk_build(ctx)?;
    bundle::check_budget(ctx)
}

fn end_to_end(ctx: &Ctx) -> Result<()> {
    say("building the journey server for the end-to-end tests");
    run(ctx.cargo().args(["build", "-p", "journey-server"]))?;
    let dir =
        tempfile::tempdir().context("cannot create a temporary folder for the e2e database")?;
    let db = dir.path().join("e2e.db");
    let log = ctx.target_dir().join("xtask").join("e2e-server.log");
    let port = free_port()?;
    say(format!(
        "starting the journey server on port {port} with a fresh database (log: {})",
        log.display()
    ));
    let mut server = Server::start(
        ctx,
        &Options {
            binary: &ctx.target_dir().join("debug").join("journey-server"),
            port,
            db: &db,
            log: Some(&log),
        },
    )?;
    server.wait_healthy(Duration::from_secs(60))?;
    say(format!(
        "serving InsurGroup's brand pages on their own origin, port {} (the tenant allows it)",
        site::PORT
    ));
    let site = Site::start(
        SiteConfig {
            dir: ctx.root.join("demo-sites/insurgroup/site"),
            journey_server: server.base_url.clone(),
            dev: true,
        },
        site::PORT,
    )?;
    say("running the Playwright journeys against them in Debian's Chromium");
    let result = run(ctx
        .cmd("npx")
        // `--no`: never download a package that is not in node_modules.
        .args([
            "--no",
            "--",
            "playwright",
            "test",
            "--config",
            "tests/e2e/playwright.config.ts",
        ])
        .env("BASE_URL", &server.base_url)
        .env("SITE_URL", &site.base_url));
    if let Err(err) = result {
        let hint = server.log_hint();
        server.stop();
        bail!("{err:#}{hint}");
    }
    if let Some(status) = server.try_wait()? {
        bail!(
            "the server stopped during the tests ({status}){}",
            server.log_hint()
        );
    }
    Ok(())
}
