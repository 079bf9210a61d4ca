//! A throw-away PostgreSQL cluster for the tests: Debian's own binaries
//! (`/usr/lib/postgresql/<version>/bin`, installed by `cargo xtask setup`), a
//! temporary data folder owned by an unprivileged user, listening only on
//! 127.0.0.1 on a free port (its socket in the same temporary folder), trust
//! authentication (nothing else can reach it), no fsync (nothing in it is worth
//! keeping). It never touches a system cluster or database.
//!
//! PostgreSQL refuses to run as root, so when xtask runs as root the cluster
//! runs as [`OS_USER`] (a system user made with `useradd --system` when missing)
//! through `runuser`; as anyone else it runs as that user. The server process is
//! a child of xtask in its process group, so a Ctrl-C in the terminal stops it
//! too; [`Cluster`] stops it (`pg_ctl stop -m immediate`) and removes its folder
//! when dropped, also when a test fails or xtask panics.
//!
//! The bench runs with PostgreSQL's default durability instead ([`Cluster::start_durable`]:
//! fsync, full page writes, synchronous commit), so it measures a database as an operator runs
//! it. The replica demo keeps its cluster ([`Cluster::start_kept`], in `var/postgres`), so
//! accounts made in one demo survive into the next as they do in `var/demo.db`: durable too,
//! the folder stays and the cluster is stopped cleanly (`-m fast`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::util::{Ctx, display, free_port, probe, say, tail};

/// The unprivileged system user the cluster runs as when xtask runs as root.
pub const OS_USER: &str = "journeykit-test";

/// The cluster's superuser role: tests connect as it and create their own databases.
pub const ROLE: &str = "journeykit";

/// The database the cluster is created with; tests make theirs beside it.
pub const DATABASE: &str = "journeykit";

/// The environment variable that hands the cluster's URL to the tests.
pub const URL_VAR: &str = "JOURNEYKIT_TEST_POSTGRES_URL";

/// Debian's PostgreSQL programs of the newest version installed, if any.
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            ["initdb", "postgres", "pg_ctl", "pg_isready", "createdb"]
                .iter()
                .all(|tool| bin.join(tool).is_file())
                .then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// The folder holding a cluster's `data/`, socket and log.
enum Folder {
    /// Removed on drop.
    Temporary(tempfile::TempDir),
    /// Kept for the next start.
    Kept(PathBuf),
}

impl Folder {
    fn path(&self) -> &Path {
        match self {
            Folder::Temporary(dir) => dir.path(),
            Folder::Kept(dir) => dir,
        }
    }
}

/// A running cluster; stopped on drop, and removed unless it was started with
/// [`Cluster::start_kept`].
pub struct Cluster {
    bin: PathBuf,
    /// Holds `data/`, the socket and the log.
    dir: Folder,
    /// The user the cluster runs as, when not ourselves.
    user: Option<String>,
    /// PostgreSQL's own durability (fsync, full page writes, synchronous commit) instead of the
    /// tests' none.
    durable: bool,
    child: Option<Child>,
    port: u16,
}

impl Cluster {
    /// Creates a cluster in a new temporary folder, starts it on a free loopback port and
    /// creates [`DATABASE`] in it.
    pub fn start(ctx: &Ctx) -> Result<Cluster> {
        let dir = tempfile::Builder::new()
            .prefix("journeykit-postgres-")
            .tempdir()
            .context("cannot create a temporary folder for the PostgreSQL cluster")?;
        Self::start_in(ctx, Folder::Temporary(dir), false)
    }

    /// [`Cluster::start`] with PostgreSQL's default durability (every commit flushed, as an
    /// operator runs it): for the bench, which must not measure a database that would lose
    /// what it said it saved.
    pub fn start_durable(ctx: &Ctx) -> Result<Cluster> {
        let dir = tempfile::Builder::new()
            .prefix("journeykit-postgres-")
            .tempdir()
            .context("cannot create a temporary folder for the PostgreSQL cluster")?;
        Self::start_in(ctx, Folder::Temporary(dir), true)
    }

    /// A cluster in `dir` that outlives this run: created there (with [`DATABASE`]) the first
    /// time, started again as it was after that, never removed. For the replica demo.
    pub fn start_kept(ctx: &Ctx, dir: &Path) -> Result<Cluster> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Self::start_in(ctx, Folder::Kept(dir.to_owned()), true)
    }

    fn start_in(ctx: &Ctx, dir: Folder, durable: bool) -> Result<Cluster> {
        let bin = bin_dir().context(
            "no PostgreSQL under /usr/lib/postgresql/<version>/bin: run `cargo xtask setup` (it installs Debian's postgresql)",
        )?;
        let user = if is_root(ctx)? {
            ensure_os_user(ctx)?;
            Some(OS_USER.to_owned())
        } else {
            None
        };
        if let Some(user) = &user {
            let (uid, gid) = ids(ctx, user)?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .with_context(|| format!("cannot give {} to {user}", dir.path().display()))?;
        }
        let port = free_port()?;
        let mut cluster = Cluster {
            bin,
            dir,
            user,
            durable,
            child: None,
            port,
        };
        if cluster.data().join("PG_VERSION").is_file() {
            say(format!(
                "starting the PostgreSQL cluster kept in {} as {}, on 127.0.0.1:{port} (delete the folder to start over)",
                cluster.dir.path().display(),
                cluster.user.as_deref().unwrap_or("this user")
            ));
            cluster.spawn(ctx)?;
            cluster.wait_ready(ctx, Duration::from_secs(30))?;
            return Ok(cluster);
        }
        say(format!(
            "creating a {} PostgreSQL cluster ({}) in {} as {}, on 127.0.0.1:{port}",
            if matches!(cluster.dir, Folder::Kept(_)) {
                "kept"
            } else {
                "throw-away"
            },
            cluster.bin.display(),
            cluster.dir.path().display(),
            cluster.user.as_deref().unwrap_or("this user")
        ));
        let data = cluster.data();
        let initdb = cluster
            .as_owner(ctx, "initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", ROLE, "-A", "trust", "-E", "UTF8", "--locale=C"])
            .args((!cluster.durable).then_some("--no-sync"))
            .output()
            .context("cannot run initdb")?;
        if !initdb.status.success() {
            bail!(
                "initdb failed ({}):\n{}{}",
                initdb.status,
                String::from_utf8_lossy(&initdb.stdout),
                String::from_utf8_lossy(&initdb.stderr)
            );
        }
        cluster.spawn(ctx)?;
        cluster.wait_ready(ctx, Duration::from_secs(30))?;
        cluster.create_database(ctx, DATABASE)?;
        Ok(cluster)
    }

    /// Creates the database `name` and returns its URL (the bench gives each measure one).
    pub fn create_database(&self, ctx: &Ctx, name: &str) -> Result<String> {
        let created = ctx
            .cmd(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                ROLE,
                name,
            ])
            .output()
            .context("cannot run createdb")?;
        if !created.status.success() {
            bail!(
                "createdb {name} failed: {}",
                String::from_utf8_lossy(&created.stderr)
            );
        }
        Ok(format!("postgres://{ROLE}@127.0.0.1:{}/{name}", self.port))
    }

    /// The URL of [`DATABASE`], as the tests get it in [`URL_VAR`].
    pub fn url(&self) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("postgres.log")
    }

    /// `tool` from the PostgreSQL folder, run as the cluster's owner in its folder.
    fn as_owner(&self, ctx: &Ctx, tool: &str) -> Command {
        let program = self.bin.join(tool);
        let mut cmd = match &self.user {
            Some(user) => {
                let mut cmd = ctx.cmd("runuser");
                cmd.args(["-u", user, "--"]).arg(program);
                cmd
            }
            None => ctx.cmd(program),
        };
        // The owner may not be allowed into the repository; it is always allowed here.
        cmd.current_dir(self.dir.path()).stdin(Stdio::null());
        cmd
    }

    /// Starts the server in the foreground as a child, its log in the cluster's folder.
    fn spawn(&mut self, ctx: &Ctx) -> Result<()> {
        let log = File::create(self.log())
            .with_context(|| format!("cannot create {}", self.log().display()))?;
        let socket_dir = self.dir.path().to_owned();
        let mut cmd = self.as_owner(ctx, "postgres");
        cmd.arg("-D").arg(self.data());
        let mut settings = vec![
            ("listen_addresses", "127.0.0.1".to_owned()),
            ("port", self.port.to_string()),
            ("unix_socket_directories", socket_dir.display().to_string()),
            // Tests run in parallel, each with pools of its own.
            ("max_connections", "400".to_owned()),
        ];
        if !self.durable {
            // A throw-away cluster: nothing in it must survive a crash.
            settings.extend([
                ("fsync", "off".to_owned()),
                ("synchronous_commit", "off".to_owned()),
                ("full_page_writes", "off".to_owned()),
            ]);
        }
        for (name, value) in settings {
            cmd.arg("-c").arg(format!("{name}={value}"));
        }
        cmd.stdout(log.try_clone()?).stderr(log);
        println!("$ {}", display(&cmd));
        self.child = Some(cmd.spawn().context("cannot start postgres")?);
        Ok(())
    }

    fn wait_ready(&mut self, ctx: &Ctx, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                self.child = None;
                bail!(
                    "postgres exited during start-up ({status}); its log:\n{}",
                    tail(&self.log(), 30)
                );
            }
            let ready = ctx
                .cmd(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", ROLE, "-d", "postgres"])
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                println!(
                    "    PostgreSQL is up on 127.0.0.1:{} ({:.1} s)",
                    self.port,
                    start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            if start.elapsed() > timeout {
                bail!(
                    "PostgreSQL did not accept connections within {} s; its log:\n{}",
                    timeout.as_secs(),
                    tail(&self.log(), 30)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`; nothing is worth a clean
    /// shutdown), or cleanly (`-m fast`) when the cluster is kept, and kills it if it is still
    /// there after a few seconds.
    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        let Ok(ctx) = Ctx::new() else {
            let _ = child.kill();
            let _ = child.wait();
            return;
        };
        let _ = self
            .as_owner(&ctx, "pg_ctl")
            .arg("stop")
            .arg("-D")
            .arg(self.data())
            .args(["-m", self.stop_mode(), "-s"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Cluster {
    fn stop_mode(&self) -> &'static str {
        match self.dir {
            Folder::Temporary(_) => "immediate",
            Folder::Kept(_) => "fast",
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        match &self.dir {
            Folder::Temporary(dir) => println!(
                "    stopped the throw-away PostgreSQL cluster and removed {}",
                dir.path().display()
            ),
            Folder::Kept(dir) => println!(
                "    stopped the PostgreSQL cluster; it is kept in {}",
                dir.display()
            ),
        }
    }
}

fn is_root(ctx: &Ctx) -> Result<bool> {
    let uid = probe(ctx.cmd("id").arg("-u")).context("cannot run `id -u`")?;
    Ok(uid.trim() == "0")
}

/// Makes [`OS_USER`] a system user (no home, no login) unless it exists.
fn ensure_os_user(ctx: &Ctx) -> Result<()> {
    if probe(ctx.cmd("id").args(["-u", OS_USER])).is_some() {
        return Ok(());
    }
    say(format!(
        "adding the system user {OS_USER} with useradd (PostgreSQL refuses to run as root)"
    ));
    crate::util::run(ctx.cmd("useradd").args([
        "--system",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        OS_USER,
    ]))
}

/// The uid and gid of `user`.
fn ids(ctx: &Ctx, user: &str) -> Result<(u32, u32)> {
    let number = |flag: &str| -> Result<u32> {
        let out = probe(ctx.cmd("id").args([flag, user]))
            .with_context(|| format!("cannot run `id {flag} {user}`"))?;
        out.trim()
            .parse()
            .with_context(|| format!("`id {flag} {user}` said `{}`", out.trim()))
    };
    Ok((number("-u")?, number("-g")?))
}

/// `cargo xtask postgres`: a throw-away cluster for running the PostgreSQL tests by hand,
/// until Ctrl-C.
pub fn serve(ctx: &Ctx) -> Result<()> {
    crate::setup::postgresql(ctx)?;
    let cluster = Cluster::start(ctx)?;
    let url = cluster.url();
    println!();
    println!("A throw-away PostgreSQL cluster is running (its databases vanish with it):");
    println!("    {URL_VAR}={url}");
    println!("Run the store contract and the replica tests against it in another terminal:");
    println!("    {URL_VAR}={url} cargo test -p journey-store --test store postgres::");
    println!("    {URL_VAR}={url} cargo test -p journey-server --test http replicas::");
    println!("Press Ctrl-C to stop it.");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start an async runtime to wait for Ctrl-C")?;
    // Listening for Ctrl-C replaces the default handler, so xtask lives on to remove the
    // cluster's folder (the terminal's Ctrl-C also reaches postgres, which shuts down).
    runtime
        .block_on(tokio::signal::ctrl_c())
        .context("cannot listen for Ctrl-C")?;
    drop(cluster);
    Ok(())
}
