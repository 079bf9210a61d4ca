//! `cargo xtask demo`: builds everything in release and runs the journey
//! server with the demo tenants on <http://127.0.0.1:8080>, InsurGroup's brand pages on
//! their own origin <http://localhost:8081> ([`crate::site`]) and InsurGroup's quote service
//! on <http://127.0.0.1:8083> ([`crate::quotes`]), until Ctrl-C.
//!
//! The database lives in `var/demo.db`, so accounts made in one demo survive
//! into the next; delete `var/` to start over.
//!
//! With `--replicas N` (2 to 8) it runs as an operator would when one machine is not enough
//! ([`crate::replicas`]): a PostgreSQL cluster kept in `var/postgres` (so its accounts too
//! survive into the next replica demo), N release servers on ports of their own sharing it and
//! the key file `var/demo-replicas.key`, and Debian's HAProxy in front on port 8080. Ctrl-C
//! stops HAProxy, the servers (gracefully) and the cluster; a start that fails half-way stops
//! what it had started, since each part stops when dropped.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::postgres::Cluster;
use crate::quotes::{self, Quotes};
use crate::replicas::{self, Plan, Replicas};
use crate::server::{Options, Server};
use crate::site::{self, Site, SiteConfig};
use crate::util::{Ctx, run, say};
use crate::{bundle, setup};

const PORT: u16 = 8080;

pub fn demo(ctx: &Ctx, replicas: Option<usize>) -> Result<()> {
    setup::setup(ctx)?;
    bundle::trunk_build(ctx)?;
    say("building the journey server in release (about a minute cold)");
    run(ctx
        .cargo()
        .args(["build", "--release", "-p", "journey-server"]))?;

    let var = ctx.root.join("var");
    std::fs::create_dir_all(&var).with_context(|| format!("cannot create {}", var.display()))?;
    for port in [PORT, site::PORT, quotes::PORT] {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            bail!(
                "port {port} is taken: stop whatever listens there (an earlier demo?) and try again"
            );
        }
    }
    let binary = ctx.target_dir().join("release").join("journey-server");
    if let Some(count) = replicas {
        return demo_replicas(ctx, &binary, &var, count);
    }
    say(format!(
        "starting the journey server on port {PORT} (database: var/demo.db)"
    ));
    let mut server = Server::start(
        ctx,
        &Options {
            binary: &binary,
            port: PORT,
            db: &var.join("demo.db"),
            log: None,
            public_url: None,
            extra: &[],
        },
    )?;
    server.wait_healthy(Duration::from_secs(60))?;
    let base = server.base_url.clone();
    let site = start_site(ctx, &base)?;
    print_urls(&base, &site.base_url);
    println!();
    println!("Press Ctrl-C to stop.");
    wait_for_ctrl_c(|| match server.try_wait()? {
        Some(status) => bail!("the server stopped on its own ({status})"),
        None => Ok(()),
    })?;
    say("stopping the server");
    server.stop();
    Ok(())
}

/// The demo on `count` replicas behind HAProxy, on a PostgreSQL cluster kept in `var/postgres`.
fn demo_replicas(
    ctx: &Ctx,
    binary: &std::path::Path,
    var: &std::path::Path,
    count: usize,
) -> Result<()> {
    // Dropped last (declared first): the servers stop before their database.
    let cluster = Cluster::start_kept(ctx, &var.join("postgres"))?;
    let dir = var.join("replicas");
    let set = Replicas::start(
        ctx,
        &Plan {
            count,
            binary,
            lb_port: PORT,
            db_url: &cluster.url(),
            key_file: &var.join("demo-replicas.key"),
            tenants: std::path::Path::new("demo-sites"),
            dir: &dir,
            log_files: false,
        },
    )?;
    let mut set = set;
    let base = set.base_url.clone();
    let site = start_site(ctx, &base)?;
    print_urls(&base, &site.base_url);
    println!(
        "  Replicas (HAProxy round robin; each answer names its replica in {})",
        replicas::REPLICA_HEADER
    );
    for replica in &set.replicas {
        println!(
            "    {:<14} {}/   (pid {})",
            replica.name,
            replica.server.base_url,
            replica.server.pid()
        );
    }
    println!(
        "    load balancer  {base}/   (HAProxy, pid {}, {})",
        set.lb.pid(),
        dir.join("haproxy.cfg").display()
    );
    println!(
        "    database       {}   (kept in var/postgres)",
        cluster.url()
    );
    println!(
        "    try            curl -si {base}/readyz | grep -i {}",
        replicas::REPLICA_HEADER
    );
    println!();
    println!("Press Ctrl-C to stop.");
    wait_for_ctrl_c(|| {
        if let Some(status) = set.lb.try_wait()? {
            bail!(
                "HAProxy stopped on its own ({status}):\n{}",
                set.lb.log_tail()
            );
        }
        for replica in &mut set.replicas {
            if let Some(status) = replica.server.try_wait()? {
                bail!("replica {} stopped on its own ({status})", replica.name);
            }
        }
        Ok(())
    })?;
    say("stopping HAProxy, the replicas and the PostgreSQL cluster");
    drop(set);
    drop(cluster);
    Ok(())
}

/// InsurGroup's brand pages on their own origin, calling the journey server at `base`.
fn start_site(ctx: &Ctx, base: &str) -> Result<Site> {
    // Its threads serve until the process ends.
    let service = Quotes::start(quotes::PORT)?;
    say(format!(
        "InsurGroup's quote service is on {} (in memory)",
        service.base_url
    ));
    say(format!(
        "serving InsurGroup's brand pages on their own origin, port {}",
        site::PORT
    ));
    Site::start(
        SiteConfig {
            dir: ctx.root.join("demo-sites/insurgroup/site"),
            journey_server: base.to_owned(),
            dev: true,
        },
        site::PORT,
    )
}

/// Waits for Ctrl-C, checking every 250 ms with `check` that everything still runs.
fn wait_for_ctrl_c(mut check: impl FnMut() -> Result<()>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Listening for Ctrl-C replaces the default handler, so xtask lives on to stop the server.
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            tokio::select! {
                signal = &mut ctrl_c => {
                    signal.context("cannot listen for Ctrl-C")?;
                    println!();
                    return Ok(());
                }
                () = tokio::time::sleep(Duration::from_millis(250)) => check()?,
            }
        }
    })
}

/// What runs where.
fn print_urls(base: &str, pages: &str) {
    println!();
    println!("Journeykit demo is running:");
    println!("    all demos      {base}/");
    println!("  RoadHelp (on the journey server's origin)");
    println!("    registration   {base}/roadhelp/");
    println!("    login          {base}/roadhelp/login/");
    println!("    recovery       {base}/roadhelp/recovery/");
    println!("    JWKS           {base}/v1/roadhelp/.well-known/jwks.json");
    println!("  InsurGroup (brand pages on their own origin)");
    println!("    staff page     {pages}/");
    for (brand, name) in [("wheelhouse", "Wheelhouse"), ("evenstar", "Evenstar Life")] {
        println!(
            "    {name:<14} {pages}/{brand}/  {pages}/{brand}/login/  {pages}/{brand}/recovery/"
        );
    }
    println!("    Arabic page    {pages}/evenstar/ar/");
    println!("    JWKS           {base}/v1/insurgroup/.well-known/jwks.json");
    println!(
        "    quote service  http://127.0.0.1:{}/quotes   (POST a quote, GET /quotes/Q-…)",
        quotes::PORT
    );
    println!("  Operators");
    println!("    metrics        {base}/metrics");
    println!("    readiness      {base}/readyz");
    println!("  Tools");
    println!("    preview        {base}/preview/");
    println!("    dev outbox     {base}/dev/outbox   (the codes the demo 'sends')");
}
