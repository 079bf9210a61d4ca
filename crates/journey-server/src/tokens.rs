//! Signed ID tokens (JWT, EdDSA over Ed25519) and the JWKS that verifies them.
//!
//! Each tenant signs with its own key, created on its first start and kept in the store sealed
//! with the master key ([`crate::keys`]), so tokens stay verifiable across restarts and a token
//! of one tenant never verifies with another's keys. Each tenant is its own issuer
//! (`{public_url}/v1/{tenant}`) and publishes only its own key at
//! `{issuer}/.well-known/jwks.json`. The key id is the key's JWK thumbprint (RFC 7638).

use crate::keys::{KeyError, MasterKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use journey_store::{Store, StoreError};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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

/// Signs tokens with each tenant's own key.
#[derive(Clone)]
pub struct Signers {
    keys: HashMap<String, Signer>,
}

#[derive(Clone)]
struct Signer {
    kid: String,
    key: SigningKey,
}

impl Signers {
    /// Loads the key of each of `tenants` from the store, creating (and sealing) one for a
    /// tenant that has none yet.
    pub async fn load<'a>(
        store: &dyn Store,
        master: &MasterKey,
        tenants: impl IntoIterator<Item = &'a str>,
        now: i64,
    ) -> Result<Self, SignerError> {
        let mut keys = HashMap::new();
        for tenant in tenants {
            let mut secret = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            let candidate = SigningKey::from_bytes(&secret);
            let kid = thumbprint(&candidate);
            let sealed = master.seal(tenant, &kid, &secret)?;
            let (kid, sealed) = store.tenant_key(tenant, (kid, sealed), now).await?;
            let malformed = || SignerError::Malformed {
                tenant: tenant.to_owned(),
                kid: kid.clone(),
            };
            let secret: [u8; 32] = master
                .open(tenant, &kid, &sealed)?
                .as_slice()
                .try_into()
                .map_err(|_| malformed())?;
            let key = SigningKey::from_bytes(&secret);
            if thumbprint(&key) != kid {
                return Err(malformed());
            }
            keys.insert(tenant.to_owned(), Signer { kid, key });
        }
        Ok(Self { keys })
    }

    /// A compact JWS of `claims`, signed with `tenant`'s key.
    pub fn sign(&self, tenant: &str, claims: &Value) -> Result<String, SignerError> {
        let signer = self
            .keys
            .get(tenant)
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

    /// The public key set of `tenant`, or `None` for a tenant without keys.
    pub fn jwks(&self, tenant: &str) -> Option<Value> {
        let signer = self.keys.get(tenant)?;
        Some(json!({ "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(signer.key.verifying_key().to_bytes()),
            "kid": signer.kid,
            "alg": "EdDSA",
            "use": "sig",
        }] }))
    }
}

/// The RFC 7638 thumbprint of the public half of `key`: SHA-256 over its required members in
/// lexicographic order, base64url.
fn thumbprint(key: &SigningKey) -> String {
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}
