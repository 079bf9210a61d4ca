//! `cargo xtask demo`: builds everything in release and runs the journey
//! server with the demo tenants on <http://127.0.0.1:8080>, and InsurGroup's brand pages on
//! their own origin <http://localhost:8081> ([`crate::site`]), until Ctrl-C.
//!
//! The database lives in `var/demo.db`, so accounts made in one demo survive
//! into the next; delete `var/` to start over.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::server::{Options, Server};
use crate::site::{self, Site, SiteConfig};
use crate::util::{Ctx, run, say};
use crate::{bundle, setup};

const PORT: u16 = 8080;

pub fn demo(ctx: &Ctx) -> Result<()> {
    setup::setup(ctx)?;
    bundle::trunk_build(ctx)?;
    say("building the journey server in release (about a minute cold)");
    run(ctx
        .cargo()
        .args(["build", "--release", "-p", "journey-server"]))?;

    let var = ctx.root.join("var");
    std::fs::create_dir_all(&var).with_context(|| format!("cannot create {}", var.display()))?;
    for port in [PORT, site::PORT] {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            bail!(
                "port {port} is taken: stop whatever listens there (an earlier demo?) and try again"
            );
        }
    }
    say(format!(
        "starting the journey server on port {PORT} (database: var/demo.db)"
    ));
    let mut server = Server::start(
        ctx,
        &Options {
            binary: &ctx.target_dir().join("release").join("journey-server"),
            port: PORT,
            db: &var.join("demo.db"),
            log: None,
        },
    )?;
    server.wait_healthy(Duration::from_secs(60))?;

    let base = &server.base_url;
    say(format!(
        "serving InsurGroup's brand pages on their own origin, port {}",
        site::PORT
    ));
    let site = Site::start(
        SiteConfig {
            dir: ctx.root.join("demo-sites/insurgroup/site"),
            journey_server: base.clone(),
            dev: true,
        },
        site::PORT,
    )?;
    let pages = &site.base_url;
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
    println!("  Operators");
    println!("    metrics        {base}/metrics");
    println!("    readiness      {base}/readyz");
    println!("  Tools");
    println!("    preview        {base}/preview/");
    println!("    dev outbox     {base}/dev/outbox   (the codes the demo 'sends')");
    println!();
    println!("Press Ctrl-C to stop.");

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
                    say("stopping the server");
                    server.stop();
                    return Ok(());
                }
                () = tokio::time::sleep(Duration::from_millis(250)) => {
                    if let Some(status) = server.try_wait()? {
                        bail!("the server stopped on its own ({status})");
                    }
                }
            }
        }
    })
}
