//! `cargo xtask`: the project's own commands, in Rust so they run the same
//! on every machine (the rust-analyzer xtask pattern).
//!
//! - `setup`: installs the tools (wasm target, wasm-bindgen CLI, trunk,
//!   stylance, Chromium, PostgreSQL, npm packages); skips what is present in the right version.
//! - `test`: every check, stopping at the first failure (what CI runs).
//! - `demo`: the demo sites on <http://127.0.0.1:8080>, and InsurGroup's brand pages on their
//!   own origin <http://localhost:8081> ([`site`]), until Ctrl-C; `--replicas N` runs N servers
//!   on PostgreSQL behind HAProxy there instead of one on SQLite ([`replicas`]).
//! - `contrast`: the WCAG contrast of every shipped theme; fails when one falls short.
//! - `shots`: a screenshot and an axe-core check of every tenant × brand ×
//!   language × block × example × width, with a contact sheet.
//! - `postgres`: a throw-away PostgreSQL cluster for running the PostgreSQL tests by hand
//!   ([`postgres`]), until Ctrl-C.
//! - `bench`: bundle sizes, journey throughput and latency, Lighthouse on the
//!   RoadHelp pages, password hashing.
//!
//! Each command prints what it is about to do and why before doing it, and
//! lets the tools' own output through, so a cold install shows progress.

mod bench;
mod bundle;
mod contrast;
mod demo;
mod load;
mod postgres;
mod quotes;
mod replicas;
mod server;
mod setup;
mod shots;
mod site;
mod test;
mod util;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup    install the tools the build and the tests need (idempotent)
  test     run every check: fmt, clippy, wasm build, tests, widget tests, bundle budget, end-to-end
           [--from STEP] setup, then the steps from STEP on (fmt, clippy, wasm, native, postgres,
           widgets, bundle, e2e)
  demo     build in release and run the demo sites on http://127.0.0.1:8080, and InsurGroup's
           brand pages on http://localhost:8081 (Ctrl-C stops)
           [--replicas N] N servers (2 to 8) on a PostgreSQL cluster kept in var/postgres,
           behind Debian's HAProxy on :8080 (round robin); without it one server on SQLite
  postgres a throw-away PostgreSQL cluster on a free loopback port for running the PostgreSQL
           tests by hand; prints its URL (Ctrl-C stops and removes it)
  contrast the WCAG contrast of every colour pair in every shipped theme (fails below 4.5:1 / 3:1)
  bench    bundle sizes, step and journey latency and throughput, Lighthouse on the RoadHelp pages,
           password hashing
           [--clients N] (default 8) [--journeys N] (default 200) [--hashes N] (default 20)
           [--purchases N] (default 20): InsurGroup's car purchase (buy-car), one at a time
           [--step-clients N] (default 50) [--step-seconds N] (default 10): the steps that
           hash no password (start, details, a wrong code)
           (side by side: SQLite, PostgreSQL with one replica, three replicas behind HAProxy)
           [--no-bundle] skip the trunk build and the bundle sizes
           [--steps-only] only those steps (no bundle, flood, journeys, Lighthouse, hashes)
  shots    a screenshot and an axe-core check of every tenant × brand × language × block ×
           example × width (320, 375, 768, 1024, 1440), with a contact sheet in <target>/shots/
           [--tenant ID,…] [--brand ID,…] [--locale TAG,…] [--width PX,…] [--block NAME,…]
           (comma-separated) [--workers N] (default 2) [--no-build] skip setup and the trunk build
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The chain of causes, without the backtrace that anyhow's Debug adds
            // when RUST_BACKTRACE is set: the failing tool's own output says more.
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        bail!("no command given");
    };
    match command.as_str() {
        "setup" => no_more(rest).and_then(|()| setup::setup(&util::Ctx::new()?)),
        "test" => {
            let from = match rest {
                [] => None,
                [flag, key] if flag == "--from" => Some(key.as_str()),
                _ => bail!(
                    "usage: cargo xtask test [--from STEP]; the steps are {}",
                    test::step_keys()
                ),
            };
            test::test(&util::Ctx::new()?, from)
        }
        "postgres" => no_more(rest).and_then(|()| postgres::serve(&util::Ctx::new()?)),
        "contrast" => no_more(rest).and_then(|()| contrast::contrast(&util::Ctx::new()?.root)),
        "demo" => {
            let replicas = match rest {
                [] => None,
                [flag, n] if flag == "--replicas" => match number("--replicas", n)? {
                    n @ 2..=8 => Some(n),
                    _ => bail!(
                        "--replicas takes 2 to 8 (without it the demo is one process on SQLite)"
                    ),
                },
                _ => bail!("usage: cargo xtask demo [--replicas N]\n\n{USAGE}"),
            };
            demo::demo(&util::Ctx::new()?, replicas)
        }
        "shots" => shots::shots(&util::Ctx::new()?, &shots::args(rest)?),
        "bench" => bench::bench(&util::Ctx::new()?, &bench_args(rest)?),
        // Internal: the step bench's clients, run by `bench` in a release build of xtask.
        "bench-steps" => match rest {
            [url, clients, seconds, more @ ..] if more.len() <= 2 => load::steps(&load::Steps {
                base_url: url.clone(),
                clients: number("clients", clients)?,
                duration: std::time::Duration::from_secs(number("seconds", seconds)? as u64),
                result: more.first().map(std::path::PathBuf::from),
                rate: more
                    .get(1)
                    .map(|rate| number("steps per second", rate).map(|r| r as f64))
                    .transpose()?,
            }),
            _ => bail!(
                "usage: cargo xtask bench-steps URL CLIENTS SECONDS [RESULT.json [STEPS_PER_SECOND]] (run by `bench`)"
            ),
        },
        // Internal: the second half of `bench`, run by it with the argon2-bench feature.
        "argon2-hashes" => {
            let count = rest
                .first()
                .map_or(Ok(20), |n| number("argon2-hashes", n))?;
            bench::argon2_hashes(count)
        }
        // Internal: run by `bench` with the argon2-bench feature, like argon2-hashes.
        "gateway-evaluations" => {
            let count = rest
                .first()
                .map_or(Ok(100_000), |n| number("gateway-evaluations", n))?;
            bench::gateway_evaluations(count)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            print!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

fn no_more(rest: &[String]) -> Result<()> {
    match rest.first() {
        Some(arg) => bail!("unexpected argument `{arg}`\n\n{USAGE}"),
        None => Ok(()),
    }
}

fn bench_args(rest: &[String]) -> Result<bench::BenchArgs> {
    let mut args = bench::BenchArgs::default();
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-bundle" {
            args.no_bundle = true;
            continue;
        }
        if flag == "--steps-only" {
            args.steps_only = true;
            continue;
        }
        let slot = match flag.as_str() {
            "--clients" => &mut args.clients,
            "--journeys" => &mut args.journeys,
            "--hashes" => &mut args.hashes,
            "--purchases" => &mut args.purchases,
            "--step-clients" => &mut args.step_clients,
            "--step-seconds" => &mut args.step_seconds,
            other => bail!("unknown bench flag `{other}`\n\n{USAGE}"),
        };
        let value = rest
            .next()
            .with_context(|| format!("{flag} needs a number"))?;
        *slot = number(flag, value)?;
        if *slot == 0 {
            bail!("{flag} must be at least 1");
        }
    }
    Ok(args)
}

fn number(flag: &str, value: &str) -> Result<usize> {
    value
        .parse()
        .with_context(|| format!("{flag} needs a number, not `{value}`"))
}
