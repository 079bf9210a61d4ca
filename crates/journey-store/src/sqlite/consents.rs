//! Consent history in the SQLite store: appending a decision (a write of a flow's save) and
//! reading an account's history. The table refuses updates and deletes (migration 7's
//! triggers), so nothing here or elsewhere can rewrite it.

use super::{Cached, Failure, Sql};
use crate::{Consent, Decision, StoreError};
use rusqlite::{Connection, params};

/// Appends `consent`.
pub(crate) fn insert(c: &Connection, consent: &Consent) -> Sql<()> {
    c.run(
        "INSERT INTO consents (tenant, subject, kind, item, version, locale, decision, brand, channel, flow_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            consent.tenant,
            consent.subject,
            consent.decision.kind(),
            consent.item,
            consent.version,
            consent.locale,
            consent.decision.as_str(),
            consent.brand,
            consent.channel,
            consent.flow_id,
            consent.at
        ],
    )?;
    Ok(())
}

/// The history of the tenant's account `subject`, oldest first.
pub(crate) fn history(c: &Connection, tenant: &str, subject: &str) -> Sql<Vec<Consent>> {
    let mut statement = c.prepare_cached(
        "SELECT item, version, locale, decision, brand, channel, flow_id, at FROM consents
         WHERE tenant = ?1 AND subject = ?2 ORDER BY id",
    )?;
    let rows = statement.query_map(params![tenant, subject], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, Option<String>>(6)?,
            row.get::<_, i64>(7)?,
        ))
    })?;
    let mut history = Vec::new();
    for row in rows {
        let (item, version, locale, decision, brand, channel, flow_id, at) = row?;
        let decision = Decision::parse(&decision).ok_or_else(|| {
            Failure::Store(StoreError::Database(format!(
                "a consent with the unknown decision `{decision}`"
            )))
        })?;
        history.push(Consent {
            tenant: tenant.to_owned(),
            subject: subject.to_owned(),
            item,
            version,
            locale,
            decision,
            brand,
            channel,
            flow_id,
            at,
        });
    }
    Ok(history)
}
