//! Starting the journey server for the end-to-end tests, the demo and the
//! bench, waiting until it answers, and stopping it again.
//!
//! [`Server`] owns the child process and stops it when dropped, so a failed
//! test run or a bench that errors out never leaves a server behind holding
//! its port. Stopping sends SIGINT first (the server's graceful shutdown),
//! then kills it if it has not gone after a few seconds.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::util::{Ctx, display, free_port, say, tail};

/// The grace the servers xtask starts have to finish their requests once asked to stop.
const SHUTDOWN_GRACE_SECS: u64 = 5;

/// How to start the server.
pub struct Options<'a> {
    pub binary: &'a Path,
    pub port: u16,
    /// A SQLite file, or a `postgres://` URL.
    pub db: &'a Path,
    /// Where the server's stdout and stderr go; `None` leaves them on the terminal.
    pub log: Option<&'a Path>,
    /// The public URL, when not its own `http://127.0.0.1:<port>` (a replica's is the load
    /// balancer's).
    pub public_url: Option<&'a str>,
    /// More flags (a replica's `--key-file` and `--trusted-proxies`).
    pub extra: &'a [String],
}

/// A running journey server; stopped on drop.
pub struct Server {
    child: Child,
    pub base_url: String,
    port: u16,
    log: Option<PathBuf>,
}

impl Server {
    /// Starts the server with the demo tenants, the locales and the built `dist/`, in dev mode,
    /// with the Prometheus metrics at `/metrics`.
    pub fn start(ctx: &Ctx, options: &Options) -> Result<Server> {
        Self::start_with_tenants(ctx, options, Path::new("demo-sites"))
    }

    /// [`Server::start`] with another folder of tenants: the bench's, with raised rate limits, or
    /// the end-to-end step's, the demo's and the browser tests' own side by side.
    pub fn start_with_tenants(ctx: &Ctx, options: &Options, tenants: &Path) -> Result<Server> {
        if !options.binary.is_file() {
            bail!(
                "{} does not exist: was the server built?",
                options.binary.display()
            );
        }
        let base_url = format!("http://127.0.0.1:{}", options.port);
        let public_url = options.public_url.unwrap_or(&base_url);
        let mut cmd = ctx.cmd(options.binary);
        cmd.arg("--listen")
            .arg(format!("127.0.0.1:{}", options.port))
            .arg("--create-db")
            .arg("--db")
            .arg(options.db)
            .arg("--tenants")
            .arg(tenants)
            .args(["--locales", "locales", "--static", "dist"])
            .args(["--public-url", public_url, "--dev", "--metrics"])
            .args(options.extra)
            // Shorter than [`Server::stop`]'s wait, so a stop is always the server's own
            // graceful one, never the kill after it.
            .args(["--shutdown-grace-secs", &SHUTDOWN_GRACE_SECS.to_string()])
            .stdin(Stdio::null());
        if let Some(log) = options.log {
            if let Some(dir) = log.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let file =
                File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
            cmd.stdout(file.try_clone()?).stderr(file);
        }
        println!("$ {}", display(&cmd));
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", options.binary.display()))?;
        Ok(Server {
            child,
            base_url,
            port: options.port,
            log: options.log.map(Path::to_path_buf),
        })
    }

    /// The debug build in development mode on a free port, with a fresh database
    /// `<dir>/<name>.db` and its log in `target/xtask/<name>-server.log`, once it answers.
    pub fn start_dev(ctx: &Ctx, name: &str, dir: &Path, tenants: &Path) -> Result<Server> {
        let log = ctx
            .target_dir()
            .join("xtask")
            .join(format!("{name}-server.log"));
        let port = free_port()?;
        say(format!(
            "starting the journey server in development mode on port {port} with a fresh database (log: {})",
            log.display()
        ));
        let options = Options {
            binary: &ctx.target_dir().join("debug").join("journey-server"),
            port,
            db: &dir.join(format!("{name}.db")),
            log: Some(&log),
            public_url: None,
            extra: &[],
        };
        let mut server = Self::start_with_tenants(ctx, &options, tenants)?;
        server.wait_healthy(Duration::from_secs(60))?;
        Ok(server)
    }

    /// Waits until `GET /healthz` answers 200; fails if the server exits or the time runs out.
    pub fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited during start-up ({status}){}",
                    self.log_hint()
                );
            }
            if healthz(self.port) == Some(200) {
                println!(
                    "    server is up at {} ({:.1} s)",
                    self.base_url,
                    start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            if start.elapsed() > timeout {
                bail!(
                    "the server did not answer GET /healthz with 200 within {} s{}",
                    timeout.as_secs(),
                    self.log_hint()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id, to read its memory from `/proc/<pid>/status`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if the server has stopped on its own.
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    /// The log file's path and its last lines, for error messages.
    pub fn log_hint(&self) -> String {
        match &self.log {
            Some(log) => format!(
                "\nserver log: {}\n--- last lines ---\n{}\n------------------",
                log.display(),
                tail(log, 40)
            ),
            None => String::new(),
        }
    }

    /// Asks the server to shut down (SIGINT), waits a little, then kills it.
    pub fn stop(&mut self) {
        crate::util::stop_child(
            &mut self.child,
            "-INT",
            Duration::from_secs(SHUTDOWN_GRACE_SECS + 5),
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The status code of `GET /healthz`, or `None` if nothing answers yet.
///
/// A plain HTTP/1.1 request over a socket: no async runtime needed to wait for start-up.
fn healthz(port: u16) -> Option<u16> {
    let timeout = Duration::from_secs(2);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 32];
    let mut len = 0;
    while len < head.len() {
        match stream.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(_) => break,
        }
    }
    // "HTTP/1.1 200 OK"
    let line = std::str::from_utf8(&head[..len]).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}
