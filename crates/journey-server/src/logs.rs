//! The log: tracing's lines on stderr, as text for people or as one JSON object a line
//! (`log.format = "json"`), filtered by `log.filter` ([`crate::config::LogConfig`]).
//!
//! What goes into it is decided where each line is written, under one rule (ARCHITECTURE.md):
//! no secret is ever logged. Passwords, one-time codes, session and device tokens and ID
//! tokens never reach a log macro; message bodies are not logged; security events log a digest
//! instead of the address ([`crate::events`]). A test runs whole journeys at the most verbose
//! level and searches the log for each secret. Each request's lines carry its request id
//! ([`crate::requests`]).

use crate::config::{LogConfig, LogFormat};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the process's log writer. Call once, before anything logs.
pub fn init(config: &LogConfig) -> Result<(), String> {
    let filter = EnvFilter::try_new(&config.filter)
        .map_err(|e| format!("log filter `{}`: {e}", config.filter))?;
    // Colours only for a person at a terminal, never in a file or a collector's pipe.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let installed = match config.format {
        LogFormat::Text => builder.try_init(),
        // One object a line: the event's fields at the top level, and the request's span
        // (its request id, method and route) under "span".
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| format!("installing the log: {e}"))
}
