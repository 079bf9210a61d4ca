//! `cargo xtask test`: every check the project has, in the order that fails
//! fastest, stopping at the first failure.
//!
//! ```text
//! setup -> fmt -> clippy -> protocol on wasm32 -> native tests
//!       -> PostgreSQL (store contract, three replicas) -> widget tests in Chromium
//!       -> trunk build + size budget -> end-to-end
//! ```
//!
//! The native tests run without PostgreSQL (its tests skip, saying so); the
//! PostgreSQL step then starts a throw-away cluster ([`crate::postgres`]), runs
//! the store contract suite and the cross-process tests against it with its URL
//! in `JOURNEYKIT_TEST_POSTGRES_URL`, and removes the cluster again.
//!
//! The end-to-end step runs the browser tests against one server on SQLite (with the demo's
//! and the tests' tenants) and, for `tests/e2e/replicas.spec.ts`, also against three replicas
//! on a throw-away PostgreSQL cluster behind HAProxy ([`crate::replicas`]), all on free ports.
//! That spec kills one replica with SIGKILL; the step expects exactly that and fails on any
//! other stop.
//!
//! The last line on success is `test: N passed, 0 failed`, which CI reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::postgres::{self, Cluster};
use crate::replicas::{Plan, Replicas};
use crate::server::Server;
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
        key: "postgres",
        name: "PostgreSQL (store, replicas)",
        run: postgres_tests,
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

fn postgres_tests(ctx: &Ctx) -> Result<()> {
    // Dropped at the end of this function, also when a test fails: stopped and removed.
    let cluster = Cluster::start(ctx)?;
    let url = cluster.url();
    say("running the store contract suite and PostgreSQL's own store tests against it");
    run(ctx
        .cargo()
        .args([
            "test",
            "-p",
            "journey-store",
            "--test",
            "store",
            "postgres::",
        ])
        .env(postgres::URL_VAR, &url))?;
    say(
        "running the cross-process tests: three journey-server processes on one PostgreSQL database",
    );
    run(ctx
        .cargo()
        .args([
            "test",
            "-p",
            "journey-server",
            "--test",
            "http",
            "replicas::",
        ])
        .env(postgres::URL_VAR, &url))?;
    drop(cluster);
    Ok(())
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
    let tenants = dir.path().join("tenants");
    let linked = link_tenants(
        &[
            ctx.root.join("demo-sites"),
            ctx.root.join("tests/e2e/tenants"),
        ],
        &tenants,
    )?;
    say(format!(
        "the server's tenants: {} (each linked into {})",
        linked.join(", "),
        tenants.display()
    ));
    let mut server = Server::start_dev(ctx, "e2e", dir.path(), &tenants)?;
    let quotes = crate::quotes::Quotes::start(crate::quotes::PORT)?;
    say(format!(
        "InsurGroup's quote service is on {}",
        quotes.base_url
    ));
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
    say(format!(
        "serving the browser tests' own pages (tests/e2e/site) on their own origin, port {}",
        site::E2E_PORT
    ));
    let e2e_site = Site::start(
        SiteConfig {
            dir: ctx.root.join("tests/e2e/site"),
            journey_server: server.base_url.clone(),
            dev: true,
        },
        site::E2E_PORT,
    )?;
    // Declared before the replicas, so dropped after them: the servers stop before their
    // database, also when a test fails.
    let cluster = Cluster::start(ctx)?;
    let replica_site_port = free_port()?;
    let replica_site_origin = format!("http://localhost:{replica_site_port}");
    let replica_tenants = replica_tenants(ctx, dir.path(), &replica_site_origin)?;
    say(format!(
        "three replicas on one PostgreSQL database behind HAProxy, for the replica spec (tenant \
         e2eco, its pages on {replica_site_origin})"
    ));
    let replicas = Replicas::start(
        ctx,
        &Plan {
            count: 3,
            binary: &ctx.target_dir().join("debug").join("journey-server"),
            lb_port: free_port()?,
            db_url: &cluster.url(),
            key_file: &dir.path().join("replicas.key"),
            tenants: &replica_tenants,
            dir: &ctx.target_dir().join("xtask").join("e2e-replicas"),
            log_files: true,
        },
    )?;
    let replica_site = Site::start(
        SiteConfig {
            dir: ctx.root.join("tests/e2e/site"),
            journey_server: replicas.base_url.clone(),
            dev: true,
        },
        replica_site_port,
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
        .env("SITE_URL", &site.base_url)
        .env("E2E_SITE_URL", &e2e_site.base_url)
        .env("REPLICAS_URL", &replicas.base_url)
        .env("REPLICAS_SITE_URL", &replica_site.base_url)
        .env("REPLICA_PIDS", replicas.pids()));
    if let Err(err) = result {
        let hint = server.log_hint();
        server.stop();
        bail!(
            "{err:#}{hint}\nthe replicas' and HAProxy's logs: {}",
            ctx.target_dir()
                .join("xtask")
                .join("e2e-replicas")
                .display()
        );
    }
    check_replicas(replicas)?;
    if let Some(status) = server.try_wait()? {
        bail!(
            "the server stopped during the tests ({status}){}",
            server.log_hint()
        );
    }
    Ok(())
}

/// After the browser tests: the replica spec kills one replica with SIGKILL, as it should;
/// any other replica (or HAProxy) that stopped is a failure.
fn check_replicas(mut replicas: Replicas) -> Result<()> {
    use std::os::unix::process::ExitStatusExt;
    if let Some(status) = replicas.lb.try_wait()? {
        bail!(
            "HAProxy stopped during the tests ({status}):\n{}",
            replicas.lb.log_tail()
        );
    }
    for replica in &mut replicas.replicas {
        match replica.server.try_wait()? {
            None => {}
            Some(status) if status.signal() == Some(9) => println!(
                "    replica {} was killed with SIGKILL by the replica spec, as planned",
                replica.name
            ),
            Some(status) => bail!(
                "replica {} stopped during the tests ({status}){}",
                replica.name,
                replica.server.log_hint()
            ),
        }
    }
    Ok(())
}

/// The replicas' tenants: a copy of the browser tests' own (`tests/e2e/tenants/e2eco`) whose
/// `allowed_origins` also hold `origin`, the replica spec's pages (a free port, so that a
/// running demo or the other specs' fixed ports never clash).
fn replica_tenants(ctx: &Ctx, dir: &Path, origin: &str) -> Result<PathBuf> {
    let tenants = dir.join("replica-tenants");
    let tenant = tenants.join("e2eco");
    crate::bench::copy_tree(&ctx.root.join("tests/e2e/tenants/e2eco"), &tenant, &[])?;
    let file = tenant.join("tenant.toml");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut table: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not TOML", file.display()))?;
    let origins = table
        .get_mut("allowed_origins")
        .and_then(toml::Value::as_array_mut)
        .with_context(|| format!("no allowed_origins array in {}", file.display()))?;
    origins.push(toml::Value::String(origin.to_owned()));
    std::fs::write(&file, toml::to_string(&table)?)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(tenants)
}

/// Links every tenant folder (a folder with a `tenant.toml`) of each of `sources` into `into`,
/// and returns their names, sorted.
///
/// The end-to-end server needs the demo's tenants (its smoke tests, the preview, the matrix
/// slice) and the browser tests' own (`tests/e2e/tenants`), and it reads one folder of tenant
/// folders. A folder of symbolic links is the smallest way there: the server keeps a single
/// `--tenants`, nothing is copied, and the folder name stays the tenant id. Two tenants of the
/// same name would be one id, so that stops the run here, naming both folders.
fn link_tenants(sources: &[PathBuf], into: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(into).with_context(|| format!("cannot create {}", into.display()))?;
    let mut linked: BTreeMap<String, PathBuf> = BTreeMap::new();
    for source in sources {
        let entries = std::fs::read_dir(source)
            .with_context(|| format!("cannot read the tenants of {}", source.display()))?;
        let mut folders: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.join("tenant.toml").is_file())
            .collect();
        folders.sort();
        for folder in folders {
            let name = folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(first) = linked.get(&name) {
                bail!(
                    "two tenants named `{name}`: {} and {}; a tenant's folder name is its id, \
                     so rename one of them",
                    first.display(),
                    folder.display()
                );
            }
            std::os::unix::fs::symlink(&folder, into.join(&name)).with_context(|| {
                format!("cannot link {} into {}", folder.display(), into.display())
            })?;
            linked.insert(name, folder);
        }
    }
    Ok(linked.into_keys().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(dir: &Path, name: &str) -> Result<()> {
        std::fs::create_dir_all(dir.join(name))?;
        std::fs::write(dir.join(name).join("tenant.toml"), "name = \"x\"\n")?;
        Ok(())
    }

    #[test]
    fn tenants_of_several_folders_are_linked_side_by_side() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let (demo, tests, into) = (
            dir.path().join("demo"),
            dir.path().join("tests"),
            dir.path().join("into"),
        );
        tenant(&demo, "roadhelp")?;
        tenant(&demo, "insurgroup")?;
        // Not a tenant: no tenant.toml (like demo-sites/preview).
        std::fs::create_dir_all(demo.join("preview"))?;
        tenant(&tests, "e2eco")?;
        let linked = link_tenants(&[demo.clone(), tests], &into)?;
        assert_eq!(linked, ["e2eco", "insurgroup", "roadhelp"]);
        assert!(into.join("e2eco/tenant.toml").is_file());
        assert!(!into.join("preview").exists());
        Ok(())
    }

    #[test]
    fn two_tenants_of_one_name_stop_the_run() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let (demo, tests) = (dir.path().join("demo"), dir.path().join("tests"));
        tenant(&demo, "roadhelp")?;
        tenant(&tests, "roadhelp")?;
        let err = link_tenants(&[demo, tests], &dir.path().join("into"))
            .err()
            .context("a duplicate tenant must be refused")?;
        let message = format!("{err:#}");
        assert!(
            message.contains("two tenants named `roadhelp`"),
            "{message}"
        );
        Ok(())
    }
}
