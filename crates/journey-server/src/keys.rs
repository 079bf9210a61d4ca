//! The master key file and the sealing of the tenants' signing keys with it.
//!
//! Each tenant's Ed25519 signing key is kept in the store only sealed (XChaCha20-Poly1305) with
//! a master key that lives in its own file (`--key-file`, by default the database path with
//! `.key` appended): a copy of the database alone signs nothing. The key file holds 32 random
//! bytes in hex, is created with mode 0600 and refused when anyone but its owner may read it.
//! The sealed bytes are bound to their tenant and key id, so a row moved to another tenant does
//! not open.
//!
//! This module also decides, at start, whether the database may be created: a new one only with
//! `--create-db`, and for SQLite never beside an existing key file (that means a database that
//! existed is gone). A PostgreSQL database has no default key file: every replica is given the
//! same one with `--key-file` ([`crate::config`]), and may set up an empty database's tables
//! with `--create-db`. Which keys a tenant signs with is [`crate::tokens`]'s; storing bytes is
//! the store's.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use journey_store::{Create, DatabaseUrl};
use rand::RngCore;
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why the keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The database is missing and no creation was asked for.
    #[error("database {0} does not exist; pass --create-db to create a new one")]
    NoDatabase(String),
    /// The database is missing but its key file is there: the database that existed is gone.
    #[error(
        "database {db} does not exist, but its key file {key} does: the database that used it has gone. Restore the database, or, to start afresh with a new empty database, remove {key} and pass --create-db"
    )]
    DatabaseGone {
        /// The database file.
        db: String,
        /// The key file.
        key: String,
    },
    /// The key file is missing but the database holds keys sealed with it.
    #[error(
        "key file {key} does not exist, but database {db} holds signing keys sealed with it; restore the key file (or point --key-file at it)"
    )]
    KeyFileGone {
        /// The database file.
        db: String,
        /// The key file.
        key: String,
    },
    /// Others than the owner may read or write the key file.
    #[error(
        "key file {path} has mode {mode:o}, readable by others than its owner; run: chmod 600 {path}"
    )]
    Loose {
        /// The key file.
        path: String,
        /// Its permission bits.
        mode: u32,
    },
    /// The key file is not 64 hex digits.
    #[error("key file {0} does not hold a key (64 hex digits)")]
    Malformed(String),
    /// The key file could not be read or written.
    #[error("key file {path}: {source}")]
    File {
        /// The key file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A sealed key does not open with this master key.
    #[error(
        "the signing key {kid} of tenant {tenant} does not open with key file {path}: is it the key file of this database?"
    )]
    WrongKey {
        /// The tenant.
        tenant: String,
        /// The key id.
        kid: String,
        /// The key file.
        path: String,
    },
    /// Sealing failed.
    #[error("sealing a signing key failed")]
    Seal,
}

/// The database file's default key file: its path with `.key` appended.
pub fn beside(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push(".key");
    PathBuf::from(path)
}

/// Whether the store may create the database `db`, given its key file and `--create-db`.
pub fn creation(db: &DatabaseUrl, key_file: &Path, create_db: bool) -> Result<Create, KeyError> {
    let Some(db) = db.sqlite_path() else {
        // The server cannot tell a missing PostgreSQL schema from here: the store refuses an
        // empty database unless creation is allowed. A key file made ahead and copied to every
        // replica is the normal case there, so it says nothing about the database.
        return Ok(if create_db {
            Create::IfMissing
        } else {
            Create::Never
        });
    };
    if db.exists() {
        return Ok(Create::Never);
    }
    if key_file.exists() {
        return Err(KeyError::DatabaseGone {
            db: db.display().to_string(),
            key: key_file.display().to_string(),
        });
    }
    if !create_db {
        return Err(KeyError::NoDatabase(db.display().to_string()));
    }
    Ok(Create::IfMissing)
}

/// The master key that seals the signing keys.
pub struct MasterKey {
    cipher: XChaCha20Poly1305,
    path: String,
}

impl MasterKey {
    /// Reads the key file at `path`, or `None` if there is none; refuses a file others may read.
    pub fn load(path: &Path) -> Result<Option<Self>, KeyError> {
        let file_error = |source| KeyError::File {
            path: path.display().to_string(),
            source,
        };
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(file_error(e)),
        };
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Loose {
                path: path.display().to_string(),
                mode,
            });
        }
        let text = std::fs::read_to_string(path).map_err(file_error)?;
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or_else(|| KeyError::Malformed(path.display().to_string()))?;
        Ok(Some(Self::from_bytes(&bytes, path)))
    }

    /// Creates a new key file at `path` (mode 0600, never over an existing file); if another
    /// process starting at the same time created it first, that one is read. The key is
    /// written to a private temporary file first and then linked into place, so the file at
    /// `path` is never seen half written, even after a crash.
    pub fn create(path: &Path) -> Result<Self, KeyError> {
        let file_error = |source| KeyError::File {
            path: path.display().to_string(),
            source,
        };
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let mut suffix = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut suffix);
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", hex::encode(suffix)));
        let temporary = std::path::PathBuf::from(temporary);
        let written = (|| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temporary)?;
            writeln!(file, "{}", hex::encode(bytes))?;
            file.sync_all()?;
            // Linking fails if the name exists: the first process to get there wins.
            std::fs::hard_link(&temporary, path)
        })();
        let _ = std::fs::remove_file(&temporary);
        match written {
            Ok(()) => {
                tracing::info!(path = %path.display(), "created the key file");
                Ok(Self::from_bytes(&bytes, path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::load(path)?.ok_or_else(|| file_error(e))
            }
            Err(e) => Err(file_error(e)),
        }
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(bytes)),
            path: path.display().to_string(),
        }
    }

    /// `secret` sealed for `tenant`'s key `kid`: a 24-byte nonce, then the ciphertext and tag.
    pub fn seal(&self, tenant: &str, kid: &str, secret: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = associated(tenant, kid);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: &aad,
                },
            )
            .map_err(|_| KeyError::Seal)?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// The secret that [`MasterKey::seal`] sealed for `tenant`'s key `kid`.
    pub fn open(&self, tenant: &str, kid: &str, sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
        let wrong = || KeyError::WrongKey {
            tenant: tenant.to_owned(),
            kid: kid.to_owned(),
            path: self.path.clone(),
        };
        if sealed.len() < 24 {
            return Err(wrong());
        }
        let (nonce, ciphertext) = sealed.split_at(24);
        let aad = associated(tenant, kid);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| wrong())
    }
}

/// What a sealed key is bound to.
fn associated(tenant: &str, kid: &str) -> Vec<u8> {
    format!("journeykit tenant signing key\0{tenant}\0{kid}").into_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn processes_starting_together_agree_on_one_whole_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db.key");
        let keys: Vec<MasterKey> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| MasterKey::create(&path)))
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap().unwrap())
                .collect()
        });
        let sealed = keys[0].seal("t", "k", b"secret").unwrap();
        for key in &keys {
            assert_eq!(key.open("t", "k", &sealed).unwrap(), b"secret");
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    }
}
