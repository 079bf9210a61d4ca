//! Plumbing shared by every xtask command: where the repository is, the
//! environment child processes get, and running tools so that their own
//! output streams to the terminal.
//!
//! xtask never changes its own environment (that is `unsafe` in edition 2024);
//! instead every child process is built through [`Ctx::cmd`], which sets the
//! `PATH` and the offline switches that the toolchain notes ask for.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The repository and the environment every child process runs with.
pub struct Ctx {
    /// The repository root (the folder holding the workspace `Cargo.toml`).
    pub root: PathBuf,
    /// `PATH` for children: `node_modules/.bin`, cargo's bin folder, then the inherited one.
    path: OsString,
    /// Where `cargo install` puts binaries.
    pub cargo_bin: PathBuf,
}

impl Ctx {
    pub fn new() -> Result<Self> {
        let root = project_root()?;
        let cargo_bin = cargo_home()?.join("bin");
        let mut dirs = vec![root.join("node_modules").join(".bin"), cargo_bin.clone()];
        if let Some(inherited) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&inherited));
        }
        let path = std::env::join_paths(dirs).context("cannot build PATH for child processes")?;
        Ok(Ctx {
            root,
            path,
            cargo_bin,
        })
    }

    /// A command run in the repository root with the project's tool environment.
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root)
            .env("PATH", &self.path)
            // Trunk must never download a tool (TOOLCHAIN.md): offline mode also skips its update check.
            .env("TRUNK_OFFLINE", "true")
            // Playwright drives Debian's Chromium; it must never fetch a browser of its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        cmd
    }

    /// `cargo` with the project's tool environment.
    pub fn cargo(&self) -> Command {
        self.cmd("cargo")
    }

    /// The cargo target folder (honours `CARGO_TARGET_DIR`).
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// The repository root: the parent of this crate's folder.
fn project_root() -> Result<PathBuf> {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too; the compile-time value
    // is the fallback for running the binary directly.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let root = manifest_dir
        .parent()
        .context("xtask's manifest folder has no parent")?
        .to_path_buf();
    if !root.join("Cargo.toml").is_file() {
        bail!("{} does not look like the repository root", root.display());
    }
    Ok(root)
}

fn cargo_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    let home = std::env::var_os("HOME").context("neither CARGO_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".cargo"))
}

/// Announces a step: what is about to happen and why.
pub fn say(message: impl AsRef<str>) {
    println!("==> {}", message.as_ref());
}

/// The command line as a person would type it, for messages.
pub fn display(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(' ') {
            let _ = write!(line, " '{arg}'");
        } else {
            let _ = write!(line, " {arg}");
        }
    }
    line
}

/// Runs a command with inherited stdout and stderr; fails if it exits unsuccessfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = display(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{line}` (is it installed and on PATH?)"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command quietly and returns its stdout and stderr together, or `None`
/// when the program cannot be started or fails. Used to ask tools for versions.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let output = cmd.output().ok()?;
    if !output.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some(text)
}

/// Whether `text` (a tool's `--version` output) names exactly `version`.
pub fn names_version(text: &str, version: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .map(|word| word.trim_start_matches('v'))
        .any(|word| word == version)
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> Result<u16> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// `1.2 s`, `3 min 04 s`: short and readable.
pub fn human(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = duration.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// The last `lines` lines of a text file, for showing a log after a failure.
pub fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(err) => format!("(cannot read {}: {err})", path.display()),
    }
}

/// Stops `child`: sends it `signal` (`-INT`, `-TERM`; std only knows SIGKILL, and these let a
/// program end cleanly), waits up to `grace` for it to exit, then kills it.
pub fn stop_child(child: &mut Child, signal: &str, grace: Duration) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_words() {
        assert!(names_version("trunk 0.21.14\n", "0.21.14"));
        assert!(names_version("wasm-bindgen 0.2.130", "0.2.130"));
        assert!(names_version("wasm-opt version 132 (version_132)", "132"));
        assert!(!names_version("trunk 0.22.1", "0.21.14"));
        assert!(!names_version("trunk 0.21.140", "0.21.14"));
    }

    #[test]
    fn display_quotes_spaces() {
        let mut cmd = Command::new("echo");
        cmd.args(["a b", "c"]);
        assert_eq!(display(&cmd), "echo 'a b' c");
    }
}
