//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1).
//!
//! Hashing is slow on purpose, so it runs on the blocking pool and at most one hash per core
//! runs at a time; a bounded number of further requests queue, and beyond that the server
//! answers "busy" (rate-limit before hashing, SECURITY.md). Unknown accounts are checked against
//! a dummy hash so a wrong password and an unknown account take the same time.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why hashing failed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// argon2 refused.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The hashing task failed.
    #[error("password hashing task failed: {0}")]
    Task(String),
    /// Too many password checks are waiting; try again shortly.
    #[error("too many password checks are waiting")]
    Busy,
}

fn argon2() -> Result<Argon2<'static>, PasswordError> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string. Blocking: call from the blocking pool (or a bench).
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`. Blocking.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// At most this many callers wait for a hashing slot; more are told the server is busy.
const MAX_WAITING: usize = 64;

/// The longest a caller waits for a hashing slot.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// Hashes and verifies on the blocking pool, one per core at a time, with a bounded queue, so
/// a flood of password checks makes the server say "busy" rather than stall everyone.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    runs: Arc<AtomicU64>,
    dummy: Arc<str>,
}

/// A hashing slot, held while one hash or verification runs.
pub struct Slot(#[allow(dead_code)] OwnedSemaphorePermit);

impl Hasher {
    /// A hasher allowing `parallel` hashes at once, with a fresh dummy hash.
    pub fn new(parallel: usize) -> Result<Self, PasswordError> {
        let dummy = hash_password("journeykit dummy password, never an account's")?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            runs: Arc::new(AtomicU64::new(0)),
            dummy: dummy.into(),
        })
    }

    /// Waits for a hashing slot, or fails with [`PasswordError::Busy`] when too many wait.
    pub async fn slot(&self) -> Result<Slot, PasswordError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(PasswordError::Busy);
        }
        let permit =
            tokio::time::timeout(MAX_WAIT, Arc::clone(&self.permits).acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Ok(Slot(permit)),
            Ok(Err(e)) => Err(PasswordError::Task(e.to_string())),
            Err(_) => Err(PasswordError::Busy),
        }
    }

    /// How many hashes and verifications have run: each one is a full argon2id computation.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let _slot = self.slot().await?;
        self.runs.fetch_add(1, Ordering::SeqCst);
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?
    }

    /// Verifies against `hash`, or against the dummy hash when there is no account, so both
    /// take the same time; always `false` without an account. Runs in the caller's `slot`.
    pub async fn verify(
        &self,
        _slot: Slot,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, PasswordError> {
        let has_account = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy.to_string());
        self.runs.fetch_add(1, Ordering::SeqCst);
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?;
        Ok(matches && has_account)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn an_unknown_account_costs_a_full_verification_and_never_matches() {
        let hasher = Hasher::new(1).unwrap();
        let stored = hasher
            .hash("violet tractor under the bridge".into())
            .await
            .unwrap();
        let before = hasher.runs();
        let known = hasher
            .verify(
                hasher.slot().await.unwrap(),
                "violet tractor under the bridge".into(),
                Some(stored),
            )
            .await;
        let unknown = hasher
            .verify(
                hasher.slot().await.unwrap(),
                "journeykit dummy password, never an account's".into(),
                None,
            )
            .await;
        assert!(known.unwrap());
        assert!(
            !unknown.unwrap(),
            "even the dummy's own password does not log in"
        );
        assert_eq!(
            hasher.runs() - before,
            2,
            "the unknown account was checked against the dummy hash"
        );
    }

    #[tokio::test]
    async fn a_full_queue_says_busy_instead_of_waiting_forever() {
        let hasher = Hasher::new(1).unwrap();
        let _held = hasher.slot().await.unwrap();
        let waiters: Vec<_> = (0..MAX_WAITING)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.slot().await.map(|_| ()) })
            })
            .collect();
        while hasher.waiting.load(Ordering::SeqCst) < MAX_WAITING {
            tokio::task::yield_now().await;
        }
        assert!(matches!(hasher.slot().await, Err(PasswordError::Busy)));
        drop(_held);
        for waiter in waiters {
            assert!(
                waiter.await.unwrap().is_ok(),
                "queued callers get their turn"
            );
        }
    }
}
