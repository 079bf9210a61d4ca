//! Checkpoints of the write-ahead log, on a thread and a connection of their own.
//!
//! SQLite folds the log back into the database file (a checkpoint, with its `fsync`s) in
//! whichever commit finds the log past its threshold, so every few hundred steps one caller,
//! and every call queued behind it, waited for the disk: under the step bench's load that was
//! the tail of the latency (p99 15 ms against 10.5 without). Here the store's connection never
//! checkpoints (`wal_autocheckpoint = 0`); this thread runs a passive checkpoint every
//! [`EVERY`], which copies what it can and syncs without taking any lock a writer needs, so the
//! writer goes on meanwhile.
//!
//! A passive checkpoint never lets the log start over while writes keep coming (the log
//! restarts only when a write begins with every frame copied), so under sustained load it
//! would grow without end. Once it holds more than [`LOG_LIMIT`] frames, this thread asks the
//! store's own thread for a restarting checkpoint ([`Checkpointer::restart_wanted`]), which runs
//! it between two transactions (`worker.rs`): it copies the little the passive one left and
//! syncs, holding the next write off for that long (about 20 ms on this machine, every second
//! or two at the step bench's full load, when the log file grows to about 350 MB; never at
//! ordinary loads, where the log restarts in the pauses), and the next write starts the log
//! from its beginning. (Run from this thread it had to win the write lock from a writer that
//! never pauses, and sometimes did not for seconds, so the log grew on.) Durability is the same as
//! SQLite's own: a commit is in the log, and the log reaches the disk before it is copied.
//! When the store closes, this thread stops first, so that the store's connection is the last
//! one and folds in the rest of the log as it closes.

use super::Sql;
use crate::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// How often the log is checkpointed.
pub(crate) const EVERY: Duration = Duration::from_millis(250);

/// The frames (pages of 4 KiB) the log may hold before a checkpoint restarts it: 256 MiB. A
/// smaller limit restarts it more often, and each restart holds writers off: with 64 MiB the
/// step bench's p99 held to 5,000 steps/s was 15.5 ms, with 256 MiB 6 to 7 ms.
pub(crate) const LOG_LIMIT: i64 = 65_536;

/// The checkpointing thread; dropping it stops the thread and waits for it.
pub(crate) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    restart: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (in WAL mode) with a connection of its own,
    /// `every` so often, restarting the log past `limit` frames.
    pub(crate) fn start(path: &Path, every: Duration, limit: i64) -> Result<Self, StoreError> {
        let connection = open(path).map_err(super::Failure::into_store)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let restart = Arc::new(AtomicBool::new(false));
        let wanted = Arc::clone(&restart);
        let thread = std::thread::Builder::new()
            .name("journey-store-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    match checkpoint(&connection) {
                        Ok(frames) if frames > limit => wanted.store(true, Ordering::Relaxed),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "checkpointing the database's log"),
                    }
                }
            })
            .map_err(|e| StoreError::Task(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
            restart,
        })
    }

    /// Set when the log has grown past its limit: the store's thread then restarts it between
    /// two transactions ([`restart`]) and clears it.
    pub(crate) fn restart_wanted(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.restart)
    }
}

/// One passive checkpoint; the frames the log holds.
fn checkpoint(connection: &Connection) -> rusqlite::Result<i64> {
    // The answer's second column: the frames in the log.
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
}

/// A restarting checkpoint on the store's own connection, outside any transaction, when one is
/// wanted; asked for again at the next turn when it could not finish (a passive checkpoint was
/// running: the connection's busy timeout waits for it first).
pub(crate) fn restart(connection: &Connection, wanted: &AtomicBool) {
    if !wanted.swap(false, Ordering::Relaxed) {
        return;
    }
    // The answer's first column: 1 when the checkpoint could not finish.
    match connection.query_row("PRAGMA wal_checkpoint(RESTART)", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(0) => {}
        Ok(_) => wanted.store(true, Ordering::Relaxed),
        Err(e) => {
            wanted.store(true, Ordering::Relaxed);
            tracing::warn!(error = %e, "restarting the database's log");
        }
    }
}

fn open(path: &Path) -> Sql<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A restarting checkpoint waits this long for the write in progress, then tries again at
    // the next turn.
    connection.busy_timeout(Duration::from_secs(1))?;
    Ok(connection)
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}
