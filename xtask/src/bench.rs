//! `cargo xtask bench`: how big the embed bundle is, how much memory the
//! server holds through a flood of logins, how fast it runs whole
//! registration journeys, and what one password hash costs.
//!
//! The password hash is timed apart from the journeys because it dominates
//! them by design (argon2 with the production parameters). It calls the
//! server's own `journey_server::password::hash_password`, so xtask runs that
//! part as a second build of itself with the `argon2-bench` feature: plain
//! xtask must build without compiling the server (it installs the tools the
//! server's build needs).

use std::time::Duration;

use anyhow::{Context, Result};

use crate::load::{self, Load};
use crate::server::{Options, Server};
use crate::util::{Ctx, free_port, run, say};
use crate::{bundle, setup};

/// What `cargo xtask bench` was asked for.
pub struct BenchArgs {
    pub clients: usize,
    pub journeys: usize,
    pub hashes: usize,
    /// Bursts of concurrent failed logins in the login flood, and logins per burst.
    pub flood_bursts: usize,
    pub flood_size: usize,
    /// Skip the trunk build and the bundle table (for iterating on the server alone).
    pub no_bundle: bool,
}

impl Default for BenchArgs {
    fn default() -> Self {
        BenchArgs {
            clients: 8,
            journeys: 200,
            hashes: 20,
            flood_bursts: 5,
            flood_size: 60,
            no_bundle: false,
        }
    }
}

pub fn bench(ctx: &Ctx, args: &BenchArgs) -> Result<()> {
    setup::setup(ctx)?;

    if !args.no_bundle {
        bundle::trunk_build(ctx)?;
        say("embed bundle in dist/widget/ (what a brand's page downloads for the widgets)");
        let assets = bundle::measure(ctx)?;
        bundle::print_table(&assets);
    }

    say("building the journey server in release (the bench measures release code)");
    run(ctx
        .cargo()
        .args(["build", "--release", "-p", "journey-server"]))?;
    let dir =
        tempfile::tempdir().context("cannot create a temporary folder for the bench database")?;
    let log = ctx.target_dir().join("xtask").join("bench-server.log");
    let port = free_port()?;
    say(format!(
        "starting the journey server on port {port} with a fresh database (log: {})",
        log.display()
    ));
    let mut server = Server::start(
        ctx,
        &Options {
            binary: &ctx.target_dir().join("release").join("journey-server"),
            port,
            db: &dir.path().join("bench.db"),
            log: Some(&log),
        },
    )?;
    server.wait_healthy(Duration::from_secs(60))?;
    // The flood runs first, on a fresh server, so its idle figure is the server's own.
    say(format!(
        "login flood: {} bursts of {} concurrent failed logins, reading the server's memory",
        args.flood_bursts, args.flood_size
    ));
    let result = load::flood(&load::Flood {
        base_url: server.base_url.clone(),
        pid: server.pid(),
        bursts: args.flood_bursts,
        size: args.flood_size,
    });
    if let Err(err) = result {
        let hint = server.log_hint();
        server.stop();
        return Err(err.context(format!("the login flood failed{hint}")));
    }
    say(format!(
        "running {} registration journeys with {} concurrent clients over loopback",
        args.journeys, args.clients
    ));
    let result = load::run(&Load {
        base_url: server.base_url.clone(),
        clients: args.clients,
        journeys: args.journeys,
    });
    if let Err(err) = result {
        let hint = server.log_hint();
        server.stop();
        return Err(err.context(format!("the journey bench failed{hint}")));
    }
    server.stop();

    say(format!(
        "timing {} password hashes with the server's hash_password in release \
         (builds xtask with the argon2-bench feature, which compiles the server's library)",
        args.hashes
    ));
    run(ctx
        .cargo()
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "--features",
            "argon2-bench",
            "--",
        ])
        .arg("argon2-hashes")
        .arg(args.hashes.to_string()))
}

/// Hashes `count` passwords one after another on one thread and prints the cost.
#[cfg(feature = "argon2-bench")]
pub fn argon2_hashes(count: usize) -> Result<()> {
    use std::time::Instant;

    let count = count.max(1);
    let hash = |password: &str| {
        journey_server::password::hash_password(password)
            .map_err(|err| anyhow::anyhow!("hash_password failed: {err}"))
    };
    // One hash first, so that allocating argon2's memory the first time is not counted.
    std::hint::black_box(hash("warm-up password 1")?);
    let started = Instant::now();
    for i in 0..count {
        std::hint::black_box(hash(&format!("bench password number {i}"))?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let per_hash_ms = elapsed * 1000.0 / count as f64;
    println!(
        "    argon2 (production parameters, one thread): {count} hashes in {elapsed:.2} s, \
         {per_hash_ms:.1} ms per hash, {:.1} hashes/s",
        count as f64 / elapsed.max(f64::EPSILON)
    );
    Ok(())
}

#[cfg(not(feature = "argon2-bench"))]
pub fn argon2_hashes(_count: usize) -> Result<()> {
    anyhow::bail!(
        "this xtask was built without the `argon2-bench` feature; run `cargo xtask bench`"
    )
}
