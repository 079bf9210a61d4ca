//! The `journey-server` binary: reads the configuration (file, environment, command line),
//! installs the log, loads everything, listens, and shuts down gracefully on SIGTERM or Ctrl-C.

use anyhow::Context;
use journey_server::config::{Config, ConfigError, LogConfig};
use journey_server::state::SystemClock;
use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc instead of glibc's malloc: under load the server's many small allocations (JSON,
/// texts, SQL rows) on both cores contended for glibc's arena locks (`cargo xtask bench`'s step
/// figures in the README, with and without).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("events") {
        // An operator's query of the security events: print them and stop.
        journey_server::logs::init(&LogConfig::default()).map_err(anyhow::Error::msg)?;
        return match journey_server::events::query(&args[1..]).await {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(problem) => anyhow::bail!("{problem}"),
        };
    }
    let config = match Config::load(args, &|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(ConfigError::Help(text)) => {
            println!("{text}");
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            eprintln!("journey-server: {e}\n(journey-server --help lists every setting)");
            return Ok(ExitCode::from(2));
        }
    };
    journey_server::logs::init(&config.log).map_err(anyhow::Error::msg)?;
    if let Some(file) = &config.file {
        tracing::info!(file = %file.display(), "configuration read");
    }
    let listen = config.listen;
    let metrics_listen = config.metrics.as_ref().and_then(|m| m.listen);
    let public_url = config.public_url.clone();
    let dev = config.dev;
    let state = journey_server::build_state(config, Arc::new(SystemClock)).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("server.listen: listening on {listen}"))?;
    let metrics_listener = match metrics_listen {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("metrics.listen: listening on {addr}"))?,
        ),
        None => None,
    };
    println!(
        "journey-server listening on {public_url}{}",
        if dev { " (development mode)" } else { "" }
    );
    // The watchdog raises the halt when the database file vanishes: stop serving, and exit
    // with an error so that a supervisor notices.
    let halt = state.clone();
    let halted = state.clone();
    let serving = journey_server::serve_with(listener, metrics_listener, state, async move {
        tokio::select! {
            () = shutdown() => {}
            () = halted.halt.raised() => {}
        }
    });
    let give_up = async {
        halt.halt.raised().await;
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    };
    tokio::select! {
        result = serving => result.context("serving")?,
        () = give_up => {}
    }
    if let Some(reason) = halt.halt.reason() {
        anyhow::bail!("{reason}");
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves at SIGTERM (what service managers and container runtimes send) or Ctrl-C.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
