//! The SQLite database file on disk: created private (mode 0600) and only when asked, and
//! remembered by (device, inode) so that a file deleted or replaced under a running store is
//! noticed. SQLite keeps using the inode it opened after the name points elsewhere, so without
//! this every write from then on would go to a file nobody reads again. The SQL, and the
//! installation id the schema writes, are [`super`]'s (the SQLite store).

use crate::StoreError;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Creates an empty file at `path` with mode 0600 unless one exists. Created here rather than by
/// SQLite so that it is private from the first byte; SQLite gives the -wal and -shm files the
/// database's mode.
pub(crate) fn create_private(path: &Path) -> Result<(), StoreError> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::File {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// What a store opened.
pub(crate) struct Identity {
    path: PathBuf,
    /// The (device, inode) of the file at open.
    file: (u64, u64),
    /// The (device, inode) of its -wal and -shm files at open.
    companions: Vec<(PathBuf, (u64, u64))>,
    /// The random id written into the database when its schema was created.
    installation: String,
    /// Set once the file is found gone; from then on every call is refused.
    lost: AtomicBool,
    /// Consecutive looks at the file that failed with an error other than "not found".
    unsure: AtomicU32,
}

/// What a look at the database file found, when it is not the one opened.
pub(crate) enum Look {
    /// Deleted or replaced.
    Gone(String),
    /// It could not be looked at.
    Unsure(String),
}

impl Identity {
    /// Remembers the file at `path` (just opened) and its `installation` id.
    pub(crate) fn capture(path: &Path, installation: String) -> Result<Self, StoreError> {
        let metadata = std::fs::metadata(path).map_err(|source| StoreError::File {
            path: path.display().to_string(),
            source,
        })?;
        let companions = ["-wal", "-shm"]
            .into_iter()
            .filter_map(|suffix| {
                let mut companion = path.as_os_str().to_owned();
                companion.push(suffix);
                let companion = PathBuf::from(companion);
                let metadata = std::fs::metadata(&companion).ok()?;
                Some((companion, (metadata.dev(), metadata.ino())))
            })
            .collect();
        Ok(Self {
            path: path.to_owned(),
            file: (metadata.dev(), metadata.ino()),
            companions,
            installation,
            lost: AtomicBool::new(false),
            unsure: AtomicU32::new(0),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn installation(&self) -> &str {
        &self.installation
    }

    pub(crate) fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// Records that the file is gone and returns the error saying why.
    pub(crate) fn mark_lost(&self, problem: String) -> StoreError {
        self.lost.store(true, Ordering::SeqCst);
        self.error(problem)
    }

    pub(crate) fn error(&self, problem: String) -> StoreError {
        StoreError::Lost {
            path: self.path.display().to_string(),
            problem,
        }
    }

    /// Whether the file at the path is still the one opened: `Ok(())`, `Err(Gone(problem))`
    /// when it is certainly not (deleted or replaced), or `Err(Unsure(problem))` when it cannot
    /// be looked at (a passing permission or network-filesystem error). Only a certain loss may
    /// touch the files beside it; an unsure one is given a few more looks.
    pub(crate) fn look(&self) -> Result<(), Look> {
        match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(Look::Gone("the file has been deleted".into()))
            }
            Err(e) => {
                let unsure = self.unsure.fetch_add(1, Ordering::SeqCst) + 1;
                Err(Look::Unsure(format!(
                    "the file cannot be looked at ({unsure} times in a row): {e}"
                )))
            }
            Ok(m) if (m.dev(), m.ino()) != self.file => Err(Look::Gone(
                "the file has been replaced by another one".into(),
            )),
            Ok(_) => {
                self.unsure.store(0, Ordering::SeqCst);
                Ok(())
            }
        }
    }

    /// How many looks in a row could not tell.
    pub(crate) fn unsure_looks(&self) -> u32 {
        self.unsure.load(Ordering::SeqCst)
    }

    /// Removes our -wal and -shm files from beside a database file that is no longer ours:
    /// left there, the next open would apply our write-ahead log to the other database.
    pub(crate) fn remove_companions(&self) {
        for (companion, identity) in &self.companions {
            let ours = std::fs::metadata(companion).is_ok_and(|m| (m.dev(), m.ino()) == *identity);
            if ours && let Err(e) = std::fs::remove_file(companion) {
                tracing::warn!(file = %companion.display(), error = %e, "removing a stale file");
            }
        }
    }
}
