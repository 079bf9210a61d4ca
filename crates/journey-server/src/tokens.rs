//! Signed ID tokens (JWT, EdDSA over Ed25519) and the JWKS that verifies them.
//!
//! One signing key per installation, created on first start and kept in the store, so tokens
//! stay verifiable across restarts. Each tenant is its own issuer
//! (`{public_url}/v1/{tenant}`) and publishes the key at `{issuer}/.well-known/jwks.json`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use journey_store::{Store, StoreError};
use rand::RngCore;
use serde_json::{Value, json};

/// Signs tokens with the installation's key.
#[derive(Clone)]
pub struct Signer {
    kid: String,
    key: SigningKey,
}

impl Signer {
    /// Loads the key from the store, creating it on first start.
    pub async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let mut kid = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut kid);
        let (kid, stored) = store
            .signing_key((hex::encode(kid), secret.to_vec()))
            .await?;
        let bytes: [u8; 32] = stored
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Task("signing key is not 32 bytes".into()))?;
        Ok(Self {
            kid,
            key: SigningKey::from_bytes(&bytes),
        })
    }

    /// A compact JWS of `claims`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.kid });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    /// The public key set.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(self.key.verifying_key().to_bytes()),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }] })
    }
}
