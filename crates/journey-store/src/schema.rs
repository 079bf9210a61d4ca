//! What both backends' migrations share: a schema version is the number of numbered scripts
//! applied (SQLite counts them in `user_version`, PostgreSQL in its `journeykit_schema`
//! table), the scripts are applied in order when a store opens, and a database at a version
//! newer than the scripts this build knows is refused rather than used: a server must never
//! write to a schema it does not understand. The scripts are each backend's
//! (`migrations/sqlite/`, `migrations/postgres/`).

use crate::StoreError;

/// `Ok` when this build knows schema version `found`, having `known` scripts; otherwise the
/// error that tells the operator to upgrade the server.
pub(crate) fn known(found: i64, known: usize) -> Result<(), StoreError> {
    match usize::try_from(found) {
        Ok(found) if found <= known => Ok(()),
        _ => Err(StoreError::SchemaTooNew { found, known }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_schema_is_refused_with_both_versions() {
        assert!(known(0, 5).is_ok());
        assert!(known(5, 5).is_ok());
        let refused = known(6, 5).err().map(|e| e.to_string());
        assert_eq!(
            refused.as_deref(),
            Some(
                "the database is at schema version 6, this server knows up to 5: upgrade the server"
            )
        );
    }
}
