//! Several journey-server replicas on one PostgreSQL database behind Debian's HAProxy, as an
//! operator runs Journeykit when one machine is not enough: for `cargo xtask demo --replicas N`,
//! the end-to-end step's replica spec and the bench's replica rows.
//!
//! [`Replicas::start`] starts the servers (each on its own loopback port, all with the same
//! database, key file and public URL, the load balancer's) and then HAProxy in front,
//! configured by [`haproxy_config`] (generated here, written beside the logs, never edited by
//! hand): round robin without stickiness, health checks on `/readyz`, a retry on another
//! replica only when the connection could not be made, `X-Forwarded-For` for the servers'
//! per-client limits (they trust 127.0.0.1 as their proxy) and a response header naming the
//! replica that answered ([`REPLICA_HEADER`]). It returns once every replica has answered
//! through the load balancer. Dropping it stops HAProxy, then the servers (gracefully); the
//! database cluster belongs to the caller, who drops it after.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::server::{Options, Server};
use crate::util::{Ctx, display, free_port, say, tail};

/// Debian's HAProxy, installed by `cargo xtask setup`.
pub const HAPROXY: &str = "/usr/sbin/haproxy";

/// The response header naming the replica that answered (`r1`, `r2`, ...).
pub const REPLICA_HEADER: &str = "X-Journeykit-Replica";

/// What to start.
pub struct Plan<'a> {
    /// How many servers.
    pub count: usize,
    /// The journey-server binary.
    pub binary: &'a Path,
    /// The load balancer's port; its URL is every replica's public URL.
    pub lb_port: u16,
    /// The database every replica shares (`postgres://...`).
    pub db_url: &'a str,
    /// The master key file every replica shares.
    pub key_file: &'a Path,
    /// The folder of tenants.
    pub tenants: &'a Path,
    /// Where `haproxy.cfg` and the logs (`haproxy.log`, `replica-<n>.log`) go.
    pub dir: &'a Path,
    /// Whether the servers' logs go to files in `dir` (else to the terminal).
    pub log_files: bool,
}

/// One server of the set.
pub struct Replica {
    /// Its name in HAProxy and in [`REPLICA_HEADER`].
    pub name: String,
    pub server: Server,
}

/// A running set; HAProxy and the servers stop on drop.
pub struct Replicas {
    /// First, so that it stops first: no request reaches a replica that is stopping.
    pub lb: Haproxy,
    pub replicas: Vec<Replica>,
    /// The load balancer's URL, `http://127.0.0.1:<lb_port>`.
    pub base_url: String,
}

impl Replicas {
    /// Starts the servers one after another (the first creates the tables and the key file, so
    /// the others find them), then HAProxy, and waits until every replica has answered
    /// through it.
    pub fn start(ctx: &Ctx, plan: &Plan) -> Result<Replicas> {
        if !(1..=8).contains(&plan.count) {
            bail!("{} replicas: between 1 and 8, please", plan.count);
        }
        std::fs::create_dir_all(plan.dir)
            .with_context(|| format!("cannot create {}", plan.dir.display()))?;
        let base_url = format!("http://127.0.0.1:{}", plan.lb_port);
        let extra = vec![
            "--key-file".to_owned(),
            plan.key_file.display().to_string(),
            // Every request comes from HAProxy on loopback: the client is the address it
            // forwards.
            "--trusted-proxies".to_owned(),
            "127.0.0.1".to_owned(),
        ];
        let mut replicas: Vec<Replica> = Vec::new();
        for n in 1..=plan.count {
            let name = format!("r{n}");
            let port = free_port()?;
            let log = plan.dir.join(format!("replica-{n}.log"));
            say(format!(
                "starting replica {name} on port {port}{}",
                if plan.log_files {
                    format!(" (log: {})", log.display())
                } else {
                    String::new()
                }
            ));
            let mut server = Server::start_with_tenants(
                ctx,
                &Options {
                    binary: plan.binary,
                    port,
                    db: Path::new(plan.db_url),
                    log: plan.log_files.then_some(log.as_path()),
                    public_url: Some(&base_url),
                    extra: &extra,
                },
                plan.tenants,
            )?;
            server.wait_healthy(Duration::from_secs(60))?;
            replicas.push(Replica { name, server });
        }
        let backends: Vec<(String, u16)> = replicas
            .iter()
            .map(|r| (r.name.clone(), r.server.port()))
            .collect();
        let config = plan.dir.join("haproxy.cfg");
        std::fs::write(&config, haproxy_config(plan.lb_port, &backends))
            .with_context(|| format!("cannot write {}", config.display()))?;
        let lb = Haproxy::start(ctx, &config, &plan.dir.join("haproxy.log"))?;
        let mut set = Replicas {
            lb,
            replicas,
            base_url,
        };
        set.wait_all_answer(Duration::from_secs(30))?;
        Ok(set)
    }

    /// `r1=123,r2=456`: each replica's name and process id, for the replica spec.
    pub fn pids(&self) -> String {
        self.replicas
            .iter()
            .map(|r| format!("{}={}", r.name, r.server.pid()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Polls `GET /readyz` through the load balancer until every replica has answered one.
    fn wait_all_answer(&mut self, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        let mut seen: Vec<String> = Vec::new();
        while seen.len() < self.replicas.len() {
            if let Some(status) = self.lb.child.try_wait()? {
                bail!(
                    "HAProxy exited during start-up ({status}); its log:\n{}",
                    tail(&self.lb.log, 30)
                );
            }
            if let Some((200, replica)) = readyz_through(self.lb.port)
                && !seen.contains(&replica)
            {
                seen.push(replica);
            }
            if start.elapsed() > timeout {
                bail!(
                    "within {} s only {:?} of {} replicas answered through HAProxy; its log:\n{}",
                    timeout.as_secs(),
                    seen,
                    self.replicas.len(),
                    tail(&self.lb.log, 30)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        println!(
            "    HAProxy at {} reaches all {} replicas ({:.1} s)",
            self.base_url,
            self.replicas.len(),
            start.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Stops HAProxy, then every server gracefully.
    pub fn stop(&mut self) {
        self.lb.stop();
        for replica in &mut self.replicas {
            replica.server.stop();
        }
    }
}

impl Drop for Replicas {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The HAProxy configuration of a load balancer on `127.0.0.1:port` in front of `backends`
/// (name, loopback port).
pub fn haproxy_config(port: u16, backends: &[(String, u16)]) -> String {
    let mut servers = String::new();
    for (name, backend) in backends {
        servers.push_str(&format!("    server {name} 127.0.0.1:{backend} check\n"));
    }
    format!(
        "\
# Generated by `cargo xtask` (xtask/src/replicas.rs) for this run; edits are overwritten.
global
    # Only notices (a replica going down or up), no line per request.
    log stderr format short local0 notice
    maxconn 4096

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout check 2s
    # A request whose connection to a replica could not be made (a replica that was killed
    # or is restarting refuses it) is tried again, on another replica each time (redispatch
    # 1), up to 3 times. Only then: `conn-failure` means the request never reached a server.
    # Not `empty-response` (nor `response-timeout`, `0rtt-rejected`, or status codes): there
    # the replica may have received the request and done its work (saved the step, queued
    # the code, created the account) before it died; sending it again would ask a second
    # replica to do it again. The journey's revision check makes a replayed step harmless,
    # but a replayed start makes a second flow, and a load balancer must not count on the
    # application for that.
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend journeykit
    bind 127.0.0.1:{port}
    # The client's address for the replicas' per-client limits (they trust 127.0.0.1).
    option forwardfor
    default_backend replicas

backend replicas
    # Each request to the next replica: no stickiness, any replica serves any flow.
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    # Which replica answered, for people and tests watching the round robin.
    http-response set-header {REPLICA_HEADER} %[srv_name]
{servers}"
    )
}

/// HAProxy in the foreground (`-db`) as a child process; stopped on drop.
pub struct Haproxy {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Haproxy {
    /// Checks `config` (`haproxy -c`, so a mistake is named before anything listens), then
    /// starts HAProxy with it, its output in `log`.
    fn start(ctx: &Ctx, config: &Path, log: &Path) -> Result<Haproxy> {
        if !Path::new(HAPROXY).is_file() {
            bail!("{HAPROXY} is missing: run `cargo xtask setup` (it installs Debian's haproxy)");
        }
        let check = ctx
            .cmd(HAPROXY)
            .arg("-c")
            .arg("-f")
            .arg(config)
            .output()
            .context("cannot run haproxy -c")?;
        if !check.status.success() {
            bail!(
                "HAProxy refuses {}:\n{}{}",
                config.display(),
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            );
        }
        let port = port_of(config)?;
        let file = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut cmd = ctx.cmd(HAPROXY);
        cmd.arg("-db")
            .arg("-f")
            .arg(config)
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file);
        say(format!(
            "starting HAProxy on 127.0.0.1:{port} (config: {}, log: {})",
            config.display(),
            log.display()
        ));
        println!("$ {}", display(&cmd));
        let child = cmd.spawn().context("cannot start haproxy")?;
        Ok(Haproxy {
            child,
            port,
            log: log.to_owned(),
        })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if HAProxy has stopped on its own.
    pub fn try_wait(&mut self) -> Result<Option<std::process::ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    /// Its log's last lines, for error messages.
    pub fn log_tail(&self) -> String {
        tail(&self.log, 30)
    }

    /// Asks HAProxy to stop (SIGTERM: at once; nothing it holds is worth waiting for), then
    /// kills it if it is still there after a few seconds.
    pub fn stop(&mut self) {
        crate::util::stop_child(&mut self.child, "-TERM", Duration::from_secs(5));
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The port of the `bind 127.0.0.1:PORT` line of a configuration [`haproxy_config`] wrote.
fn port_of(config: &Path) -> Result<u16> {
    let text = std::fs::read_to_string(config)?;
    text.lines()
        .find_map(|line| line.trim().strip_prefix("bind 127.0.0.1:")?.parse().ok())
        .with_context(|| format!("no `bind 127.0.0.1:PORT` in {}", config.display()))
}

/// `GET /readyz` through the load balancer: the status and the replica that answered.
fn readyz_through(port: u16) -> Option<(u16, String)> {
    let timeout = Duration::from_secs(2);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    let (head, _) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let wanted = REPLICA_HEADER.to_ascii_lowercase();
    let replica = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim().to_ascii_lowercase() == wanted).then(|| value.trim().to_owned())
    })?;
    Some((status, replica))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_config_balances_checks_retries_safely_and_names_the_replica() {
        let backends = [("r1".to_owned(), 4001), ("r2".to_owned(), 4002)];
        let config = haproxy_config(8080, &backends);
        for line in [
            "bind 127.0.0.1:8080",
            "balance roundrobin",
            "http-check send meth GET uri /readyz",
            "retry-on conn-failure",
            "option redispatch 1",
            "option forwardfor",
            "http-response set-header X-Journeykit-Replica %[srv_name]",
            "server r1 127.0.0.1:4001 check",
            "server r2 127.0.0.1:4002 check",
        ] {
            assert!(
                config.lines().any(|l| l.trim() == line),
                "no `{line}` in\n{config}"
            );
        }
        // Nothing sticky, and no retry that could replay a request a replica received.
        for word in ["cookie", "stick", "empty-response", "response-timeout"] {
            assert!(
                !config
                    .lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .any(|l| l.contains(word)),
                "`{word}` in\n{config}"
            );
        }
    }

    /// Debian's HAProxy itself accepts the generated file (skipped, saying so, where it is
    /// not installed; `cargo xtask setup` installs it).
    #[test]
    fn haproxy_accepts_the_generated_config() -> Result<()> {
        if !Path::new(HAPROXY).is_file() {
            eprintln!("skipped: {HAPROXY} is not installed (cargo xtask setup installs it)");
            return Ok(());
        }
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("haproxy.cfg");
        let backends = [("r1".to_owned(), 4001), ("r2".to_owned(), 4002)];
        std::fs::write(&file, haproxy_config(8080, &backends))?;
        let out = std::process::Command::new(HAPROXY)
            .arg("-c")
            .arg("-f")
            .arg(&file)
            .output()?;
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(port_of(&file)?, 8080);
        Ok(())
    }
}
