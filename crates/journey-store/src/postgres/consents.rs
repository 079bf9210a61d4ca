//! Consent history in the PostgreSQL store: appending a decision (a write of a flow's save) and
//! reading an account's history. The table refuses updates, deletes and truncation (migration
//! 3's triggers), so nothing here or elsewhere can rewrite it.

use super::Pg;
use super::connect::Failure;
use crate::{Consent, Decision, StoreError};
use deadpool_postgres::GenericClient;

/// Appends `consent`.
pub(crate) async fn insert(c: &impl GenericClient, consent: &Consent) -> Pg<()> {
    let statement = c
        .prepare_cached(
            "INSERT INTO consents (tenant, subject, kind, item, version, locale, decision, brand, channel, flow_id, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .await?;
    c.execute(
        &statement,
        &[
            &consent.tenant,
            &consent.subject,
            &consent.decision.kind(),
            &consent.item,
            &consent.version,
            &consent.locale,
            &consent.decision.as_str(),
            &consent.brand,
            &consent.channel,
            &consent.flow_id,
            &consent.at,
        ],
    )
    .await?;
    Ok(())
}

/// The history of the tenant's account `subject`, oldest first.
pub(crate) async fn history(
    c: &impl GenericClient,
    tenant: &str,
    subject: &str,
) -> Pg<Vec<Consent>> {
    let rows = c
        .query(
            "SELECT item, version, locale, decision, brand, channel, flow_id, at FROM consents
             WHERE tenant = $1 AND subject = $2 ORDER BY id",
            &[&tenant, &subject],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let decision: String = row.get(3);
            let decision = Decision::parse(&decision).ok_or_else(|| {
                Failure::Store(StoreError::Database(format!(
                    "a consent with the unknown decision `{decision}`"
                )))
            })?;
            Ok(Consent {
                tenant: tenant.to_owned(),
                subject: subject.to_owned(),
                item: row.get(0),
                version: row.get(1),
                locale: row.get(2),
                decision,
                brand: row.get(4),
                channel: row.get(5),
                flow_id: row.get(6),
                at: row.get(7),
            })
        })
        .collect()
}
