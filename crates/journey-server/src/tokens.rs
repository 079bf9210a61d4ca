//! Signed ID tokens (JWT, EdDSA over Ed25519), the JWKS that verifies them, and the rotation
//! of the keys that sign them.
//!
//! Each tenant signs with keys of its own, kept in the store sealed with the master key
//! ([`crate::keys`]), so every replica signs with the same key, tokens stay verifiable across
//! restarts, and a token of one tenant never verifies with another's keys. Each tenant is its
//! own issuer (`{public_url}/v1/{tenant}`) and publishes only its own keys at
//! `{issuer}/.well-known/jwks.json`. A key id is the key's JWK thumbprint (RFC 7638).
//!
//! Keys rotate by their age, on every replica alike, with no coordination but the store's
//! transaction ([`Store::tenant_keys`]):
//!
//! ```text
//!   made          signs from        next made        next signs        retired
//!   |── published ──|── signs ────────|── signs ─────────|── published ───|
//!   c               c + AHEAD         c + rotation       + AHEAD          + token life + skew
//! ```
//!
//! A key is published [`PUBLISH_AHEAD`] before it signs, longer than a verifier may cache the
//! JWKS ([`JWKS_MAX_AGE`]) plus how stale a replica's view of the keys may be
//! ([`REFRESH_SECONDS`]); a tenant's first key signs at once, as nobody can hold a JWKS
//! without it. A key stays published until its successor has signed for the life of a token
//! and a margin for the replicas' clocks, so every token it signed expires first. Each replica
//! reads the keys again at most [`REFRESH_SECONDS`] after it last did, and at once when the
//! newest key is due to be followed.

use crate::keys::{KeyError, MasterKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use journey_store::{KeyRotation, Store, StoreError, TenantKey};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How long before it signs a new key is in the JWKS, in seconds.
pub const PUBLISH_AHEAD: i64 = 3600;

/// How long a verifier may keep the JWKS (its `Cache-Control: max-age`), in seconds.
pub const JWKS_MAX_AGE: i64 = 300;

/// How long a replica uses the keys it read before it reads them again, in seconds.
pub const REFRESH_SECONDS: i64 = 60;

/// How far apart the replicas' clocks may be, in seconds: the old key is retired this much
/// later than the last token it signed expires.
const CLOCK_SKEW: i64 = 60;

const _: () = assert!(JWKS_MAX_AGE + REFRESH_SECONDS + CLOCK_SKEW < PUBLISH_AHEAD);

/// The shortest rotation period [`Signers::new`] takes, in seconds: a key must get to sign
/// before the next one is made.
pub const MIN_ROTATION: i64 = 24 * 3600;

/// Why the signing keys could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A key could not be sealed or opened.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A stored key is not an Ed25519 secret.
    #[error("the signing key {kid} of tenant {tenant} is not an Ed25519 key")]
    Malformed {
        /// The tenant.
        tenant: String,
        /// The key id.
        kid: String,
    },
    /// A tenant that was not loaded at start.
    #[error("tenant {0} has no signing key")]
    NoKey(String),
}

/// Signs tokens with each tenant's current key and publishes its keys; see the module docs.
pub struct Signers {
    store: Arc<dyn Store>,
    master: MasterKey,
    /// How long a key is the newest before the next one is made, in seconds.
    rotation: i64,
    /// How long an ID token lives, in seconds.
    token_life: i64,
    tenants: RwLock<HashMap<String, Arc<KeySet>>>,
    /// Held while the keys are read again, so one request does it and the rest wait for it.
    refreshing: tokio::sync::Mutex<()>,
}

/// One tenant's keys as last read, oldest first.
struct KeySet {
    keys: Vec<Key>,
    /// When to read them again.
    refresh_at: i64,
}

struct Key {
    kid: String,
    key: SigningKey,
    created_at: i64,
}

impl Signers {
    /// Loads the keys of each of `tenants` from the store, making (and sealing) the first one
    /// of a tenant that has none and the next one of a tenant whose newest key is older than
    /// `rotation` seconds. `rotation` is at least [`MIN_ROTATION`] (the configuration checks
    /// it); `token_life` is how long the tokens signed live.
    pub async fn new<'a>(
        store: Arc<dyn Store>,
        master: MasterKey,
        rotation: i64,
        token_life: i64,
        tenants: impl IntoIterator<Item = &'a str>,
        now: i64,
    ) -> Result<Self, SignerError> {
        let signers = Self {
            store,
            master,
            rotation: rotation.max(MIN_ROTATION),
            token_life,
            tenants: RwLock::new(HashMap::new()),
            refreshing: tokio::sync::Mutex::new(()),
        };
        for tenant in tenants {
            let keys = signers.read(tenant, now).await?;
            signers.remember(tenant, keys);
        }
        Ok(signers)
    }

    /// A compact JWS of `claims`, signed with `tenant`'s current key.
    pub async fn sign(
        &self,
        tenant: &str,
        claims: &Value,
        now: i64,
    ) -> Result<String, SignerError> {
        let keys = self.keys(tenant, now).await?;
        let signer = keys
            .signer(now)
            .ok_or_else(|| SignerError::NoKey(tenant.to_owned()))?;
        let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": signer.kid });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = signer.key.sign(input.as_bytes());
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }

    /// The public key set of `tenant`: every key that signs, will sign or signed a token that
    /// may still be alive.
    pub async fn jwks(&self, tenant: &str, now: i64) -> Result<Value, SignerError> {
        let keys = self.keys(tenant, now).await?;
        let retire_before = self.retire_before(now);
        let published: Vec<Value> = keys
            .keys
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                // Retired once a newer key was made before `retire_before`, as the store does.
                !keys.keys[i + 1..]
                    .iter()
                    .any(|newer| newer.created_at <= retire_before)
            })
            .map(|(_, key)| {
                json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(key.key.verifying_key().to_bytes()),
                    "kid": key.kid,
                    "alg": "EdDSA",
                    "use": "sig",
                })
            })
            .collect();
        Ok(json!({ "keys": published }))
    }

    /// `tenant`'s keys, read again first when they are due.
    async fn keys(&self, tenant: &str, now: i64) -> Result<Arc<KeySet>, SignerError> {
        let cached = self.cached(tenant)?;
        if now < cached.refresh_at {
            return Ok(cached);
        }
        let _one_at_a_time = self.refreshing.lock().await;
        let cached = self.cached(tenant)?;
        if now < cached.refresh_at {
            return Ok(cached);
        }
        match self.read(tenant, now).await {
            Ok(keys) => Ok(self.remember(tenant, keys)),
            Err(e) => {
                // The keys in hand stay good for longer than a store outage should last: sign
                // with them, and try again on the next request.
                tracing::error!(%tenant, error = %e, "reading the signing keys again");
                Ok(cached)
            }
        }
    }

    fn cached(&self, tenant: &str) -> Result<Arc<KeySet>, SignerError> {
        self.tenants
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(tenant)
            .cloned()
            .ok_or_else(|| SignerError::NoKey(tenant.to_owned()))
    }

    fn remember(&self, tenant: &str, keys: KeySet) -> Arc<KeySet> {
        let keys = Arc::new(keys);
        self.tenants
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(tenant.to_owned(), keys.clone());
        keys
    }

    /// Reads `tenant`'s keys from the store, offering a new key when its newest is due to be
    /// followed (or it has none) and retiring those whose tokens have all expired.
    async fn read(&self, tenant: &str, now: i64) -> Result<KeySet, SignerError> {
        let due = self
            .cached(tenant)
            .ok()
            .and_then(|keys| keys.keys.last().map(|newest| newest.created_at))
            .is_none_or(|newest| newest + self.rotation <= now);
        let candidate = if due {
            Some(self.candidate(tenant, now)?)
        } else {
            None
        };
        let rotation = KeyRotation {
            candidate,
            unless_newer_than: now - self.rotation,
            retire_before: self.retire_before(now),
        };
        let stored = self.store.tenant_keys(tenant, &rotation).await?;
        let keys = stored
            .iter()
            .map(|stored| self.open(tenant, stored))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(newest) = keys.last() else {
            return Err(SignerError::NoKey(tenant.to_owned()));
        };
        let refresh_at = (now + REFRESH_SECONDS).min(newest.created_at + self.rotation);
        Ok(KeySet {
            keys,
            refresh_at: refresh_at.max(now + 1),
        })
    }

    /// A new random key for `tenant`, sealed.
    fn candidate(&self, tenant: &str, now: i64) -> Result<TenantKey, SignerError> {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let kid = thumbprint(&SigningKey::from_bytes(&secret));
        let sealed = self.master.seal(tenant, &kid, &secret)?;
        Ok(TenantKey {
            kid,
            sealed,
            created_at: now,
        })
    }

    fn open(&self, tenant: &str, stored: &TenantKey) -> Result<Key, SignerError> {
        let malformed = || SignerError::Malformed {
            tenant: tenant.to_owned(),
            kid: stored.kid.clone(),
        };
        let secret: [u8; 32] = self
            .master
            .open(tenant, &stored.kid, &stored.sealed)?
            .as_slice()
            .try_into()
            .map_err(|_| malformed())?;
        let key = SigningKey::from_bytes(&secret);
        if thumbprint(&key) != stored.kid {
            return Err(malformed());
        }
        Ok(Key {
            kid: stored.kid.clone(),
            key,
            created_at: stored.created_at,
        })
    }

    /// A key is retired once a newer key was made before this: that one has then signed for
    /// longer than a token lives, plus the clocks' margin.
    fn retire_before(&self, now: i64) -> i64 {
        now - PUBLISH_AHEAD - self.token_life - CLOCK_SKEW
    }
}

impl KeySet {
    /// The key that signs at `now`: the newest that has been published for
    /// [`PUBLISH_AHEAD`], or, while a tenant's first key is that new, the oldest.
    fn signer(&self, now: i64) -> Option<&Key> {
        self.keys
            .iter()
            .rev()
            .find(|key| key.created_at + PUBLISH_AHEAD <= now)
            .or(self.keys.first())
    }
}

/// The RFC 7638 thumbprint of the public half of `key`: SHA-256 over its required members in
/// lexicographic order, base64url.
fn thumbprint(key: &SigningKey) -> String {
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}
