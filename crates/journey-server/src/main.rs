//! The `journey-server` binary: parses the command line, loads everything, listens.

use anyhow::Context;
use journey_server::config::{Config, ConfigError, USAGE};
use journey_server::state::SystemClock;
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("events") {
        // An operator's query of the security events: print them and stop.
        return match journey_server::events::query(&args[1..]).await {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                Ok(())
            }
            Err(problem) => anyhow::bail!("{problem}"),
        };
    }
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(ConfigError::Help) => {
            println!("{USAGE}");
            return Ok(());
        }
        Err(e) => anyhow::bail!("{e}\n\n{USAGE}"),
    };
    let listen = config.listen;
    let public_url = config.public_url.clone();
    let dev = config.dev;
    let state = journey_server::build_state(config, Arc::new(SystemClock)).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    println!(
        "journey-server listening on {public_url}{}",
        if dev { " (development mode)" } else { "" }
    );
    // The watchdog raises the halt when the database file vanishes: stop serving, and exit
    // with an error so that a supervisor notices.
    let halt = state.clone();
    let halted = state.clone();
    let serving = journey_server::serve(listener, state, async move {
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
    Ok(())
}

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
