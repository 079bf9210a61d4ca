//! Checkpoints of the write-ahead log, on a thread and a connection of their own.
//!
//! SQLite folds the log back into the database file (a checkpoint, with its `fsync`s) in
//! whichever commit finds the log past its threshold, so with the default every few hundred
//! steps one caller and every call queued behind it waited several milliseconds for the disk:
//! the tail of the latency. Here the store's connection never checkpoints
//! (`wal_autocheckpoint = 0`); this thread runs a passive checkpoint every [`EVERY`], which
//! copies what it can without taking any lock a writer needs, so the writer goes on meanwhile.
//! Durability is the same: a commit is in the log, and the log reaches the disk before it is
//! copied. When the store closes, this thread stops first, so that the store's connection is
//! the last one and folds in the rest of the log as it closes.

use super::Sql;
use crate::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How often the log is checkpointed.
const EVERY: Duration = Duration::from_millis(250);

/// The checkpointing thread; dropping it stops the thread and waits for it.
pub(crate) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (in WAL mode) with a connection of its own.
    pub(crate) fn start(path: &Path) -> Result<Self, StoreError> {
        let connection = open(path).map_err(super::Failure::into_store)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("journey-store-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    let done = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                        row.get::<_, i64>(0)
                    });
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "checkpointing the database's log");
                    }
                }
            })
            .map_err(|e| StoreError::Task(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

fn open(path: &Path) -> Sql<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
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
