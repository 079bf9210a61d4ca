//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1).
//!
//! Hashing is slow on purpose, so it runs on the blocking pool and at most one hash per core
//! runs at a time; further requests queue. Unknown accounts are checked against a dummy hash so
//! a wrong password and an unknown account take the same time.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Why hashing failed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// argon2 refused.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The hashing task failed.
    #[error("password hashing task failed: {0}")]
    Task(String),
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

/// Hashes and verifies on the blocking pool, one per core at a time.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<str>,
}

impl Hasher {
    /// A hasher allowing `parallel` hashes at once, with a fresh dummy hash.
    pub fn new(parallel: usize) -> Result<Self, PasswordError> {
        let dummy = hash_password("journeykit dummy password, never an account's")?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            dummy: dummy.into(),
        })
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?;
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?
    }

    /// Verifies against `hash`, or against the dummy hash when there is no account, so both
    /// take the same time; always `false` without an account.
    pub async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?;
        let has_account = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy.to_string());
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| PasswordError::Task(e.to_string()))?;
        Ok(matches && has_account)
    }
}
