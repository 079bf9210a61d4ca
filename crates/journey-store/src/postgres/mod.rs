//! The PostgreSQL store: a pool of connections to one database that any number of server
//! processes share.
//!
//! Every rule of the [`Store`] trait holds across processes because it is the database's to
//! keep, not the process's: a flow's save is one transaction whose `UPDATE … WHERE revision =`
//! waits for a racing save's row lock and then finds the revision moved on; the claims are one
//! upsert per key ([`claims`]); an email is unique per tenant by a primary key ([`accounts`]);
//! a tenant's first signing key is chosen under a table lock; the schema is migrated under an
//! advisory lock ([`migrations`]). Statements run under READ COMMITTED, the default.
//!
//! The driver is `tokio-postgres` behind a `deadpool-postgres` pool, without TLS (connect over
//! loopback, a private network or a local proxy); the pool and the errors are [`connect`]'s.
//! The driver's errors never leave this implementation: inside it they travel as [`Failure`],
//! and every call hands back a [`StoreError`] that keeps the database's message for the log. A
//! URL's password is never part of a message.
//!
//! [`Store::check_identity`] asks the database for the installation id the schema recorded: a
//! database dropped, or replaced by another one under the same name, is noticed as lost (and
//! every call refused from then on), while a database that cannot be reached for a moment is
//! only an error.

mod accounts;
mod claims;
mod connect;
mod consents;
mod migrations;
mod outbox;
mod writes;

pub(crate) use connect::{Failure, Pg};

use crate::{
    Attempt, Claim, Consent, Create, Credentials, EventFilter, FlowRecord, FlowUpdate, KeyRotation,
    OutboxMessage, PoolUse, PostgresUrl, Profile, Quota, Saved, SecurityEvent, Store, StoreError,
    TenantKey, Window, Write,
};
use async_trait::async_trait;
use connect::{admin_statement, database_name, done};
use deadpool_postgres::{Object, Pool};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use writes::{apply, insert_event};

/// A store in one PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// The database as shown in messages (without a password).
    shown: String,
    /// The random id the schema wrote when it was created.
    installation: String,
    /// Set once the database is found gone or replaced; from then on every call is refused.
    lost: AtomicBool,
}

impl PostgresStore {
    /// Connects to the database at `url` and brings its schema up to date; an empty database
    /// gets the schema only if `create` allows it, one newer than this build is refused.
    pub async fn open(url: &PostgresUrl, create: Create) -> Result<Self, StoreError> {
        let shown = url.to_string();
        let pool = connect::pool(url)?;
        let installation = done(
            async {
                let mut client = pool.get().await?;
                migrations::migrate(&mut client, create, &shown).await?;
                installation(&client).await
            }
            .await,
        )?;
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                shown,
                installation,
                lost: AtomicBool::new(false),
            }),
        })
    }

    /// The schema scripts in the order they are applied.
    #[doc(hidden)]
    pub fn schema_scripts() -> &'static [&'static str] {
        migrations::MIGRATIONS
    }

    /// Creates the empty database `name` on the server of `admin` (a URL whose user may
    /// create databases) and returns the URL of it: for tests, each with a database of its own.
    #[doc(hidden)]
    pub async fn create_database(
        admin: &PostgresUrl,
        name: &str,
    ) -> Result<PostgresUrl, StoreError> {
        let name = database_name(name)?;
        admin_statement(admin, &format!("CREATE DATABASE \"{name}\"")).await?;
        Ok(admin.with_database(name))
    }

    /// Drops the database `name` on the server of `admin`, closing its connections.
    #[doc(hidden)]
    pub async fn drop_database(admin: &PostgresUrl, name: &str) -> Result<(), StoreError> {
        let name = database_name(name)?;
        admin_statement(
            admin,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )
        .await
    }

    async fn client(&self) -> Pg<Object> {
        if self.inner.lost.load(Ordering::SeqCst) {
            return Err(self
                .lost("it was dropped or replaced while in use".into())
                .into());
        }
        Ok(self.inner.pool.get().await?)
    }

    fn lost(&self, problem: String) -> StoreError {
        StoreError::Lost {
            path: self.inner.shown.clone(),
            problem,
        }
    }
}

async fn installation(c: &Object) -> Pg<String> {
    Ok(
        c.query_one("SELECT value FROM meta WHERE key = 'installation'", &[])
            .await?
            .get(0),
    )
}

/// A count of rows as the trait gives it.
fn count(rows: u64) -> usize {
    usize::try_from(rows).unwrap_or(usize::MAX)
}

#[async_trait]
impl Store for PostgresStore {
    async fn remember_journey(
        &self,
        version: &str,
        tenant: &str,
        name: &str,
        source: &str,
    ) -> Result<(), StoreError> {
        done(
            async {
                let c = self.client().await?;
                c.execute(
                    "INSERT INTO journeys (version, tenant, name, source) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (version) DO NOTHING",
                    &[&version, &tenant, &name, &source],
                )
                .await?;
                Ok(())
            }
            .await,
        )
    }

    async fn journey_source(&self, version: &str) -> Result<Option<String>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let row = c
                    .query_opt(
                        "SELECT source FROM journeys WHERE version = $1",
                        &[&version],
                    )
                    .await?;
                Ok(row.map(|row| row.get(0)))
            }
            .await,
        )
    }

    async fn create_flow(&self, flow: FlowRecord, writes: Vec<Write>) -> Result<(), StoreError> {
        done(
            async {
                const INSERT: &str = "INSERT INTO flows (id, tenant, journey, journey_version, brand, locale, state, outcome,
                                            revision, created_at, updated_at, expires_at, nonce)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)";
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 12] = [
                    &flow.id,
                    &flow.tenant,
                    &flow.journey,
                    &flow.journey_version,
                    &flow.brand,
                    &flow.locale,
                    &flow.state,
                    &flow.outcome,
                    &flow.revision,
                    &flow.created_at,
                    &flow.expires_at,
                    &flow.nonce,
                ];
                let mut c = self.client().await?;
                if writes.is_empty() {
                    // One statement is its own transaction: one round trip, not three.
                    let statement = c.prepare_cached(INSERT).await?;
                    c.execute(&statement, &params).await?;
                    return Ok(());
                }
                let tx = c.transaction().await?;
                let statement = tx.prepare_cached(INSERT).await?;
                tx.execute(&statement, &params).await?;
                apply(&tx, &writes, flow.created_at).await?;
                tx.commit().await?;
                Ok(())
            }
            .await,
        )
    }

    async fn flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let statement = c
                    .prepare_cached(
                        "SELECT id, tenant, journey, journey_version, brand, locale, state, outcome, revision,
                                created_at, expires_at, nonce
                         FROM flows WHERE id = $1",
                    )
                    .await?;
                let row = c.query_opt(&statement, &[&id]).await?;
                Ok(row.map(|row| FlowRecord {
                    id: row.get(0),
                    tenant: row.get(1),
                    journey: row.get(2),
                    journey_version: row.get(3),
                    brand: row.get(4),
                    locale: row.get(5),
                    state: row.get(6),
                    outcome: row.get(7),
                    revision: row.get(8),
                    created_at: row.get(9),
                    expires_at: row.get(10),
                    nonce: row.get(11),
                }))
            }
            .await,
        )
    }

    async fn save_flow(&self, update: FlowUpdate, writes: Vec<Write>) -> Result<Saved, StoreError> {
        done(
            async {
                const UPDATE: &str = "UPDATE flows SET state = $1, outcome = $2, revision = revision + 1, updated_at = $3,
                             id_token = COALESCE($6::text, id_token),
                             completed_at = CASE WHEN $6::text IS NULL THEN completed_at ELSE $3 END
                         WHERE id = $4 AND revision = $5";
                let mut c = self.client().await?;
                // A save whose writes are all plain inserts (a message, a security event: the
                // steps of a journey that hash no password) is one statement: the update, and
                // each insert made from the updated row, so none is made unless the flow was
                // still at its revision. One statement is its own transaction, one answer from
                // the database instead of four (BEGIN, the update, the insert, COMMIT), which
                // is most of what a step costs PostgreSQL here (`cargo xtask bench`).
                if let Some(inserts) = writes.iter().map(writes::insert_of).collect::<Option<Vec<_>>>() {
                    let mut sql = format!("WITH saved AS ({UPDATE} RETURNING 1)");
                    let mut params: Vec<writes::Param<'_>> = vec![
                        &update.state,
                        &update.outcome,
                        &update.now,
                        &update.id,
                        &update.revision,
                        &update.id_token,
                    ];
                    for (n, insert) in inserts.iter().enumerate() {
                        let statement = writes::insert_from(insert, params.len() + 1, "saved");
                        sql.push_str(&format!(", write_{n} AS ({statement})"));
                        params.extend(insert.values.iter().copied());
                    }
                    sql.push_str(" SELECT count(*) FROM saved");
                    let statement = c.prepare_cached(&sql).await?;
                    let saved: i64 = c.query_one(&statement, &params).await?.get(0);
                    return Ok(if saved == 0 {
                        Saved::Conflict
                    } else {
                        Saved::Saved
                    });
                }
                let tx = c.transaction().await?;
                // A racing save holds the row until it commits; this one then re-reads the row
                // and finds the revision moved on.
                let statement = tx.prepare_cached(UPDATE).await?;
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
                    &update.state,
                    &update.outcome,
                    &update.now,
                    &update.id,
                    &update.revision,
                    &update.id_token,
                ];
                if tx.execute(&statement, &params).await? == 0 {
                    return Ok(Saved::Conflict);
                }
                apply(&tx, &writes, update.now).await?;
                tx.commit().await?;
                Ok(Saved::Saved)
            }
            .await,
        )
    }

    async fn lease_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        seconds: i64,
    ) -> Result<bool, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let changed = c
                    .execute(
                        "UPDATE flows SET leased_revision = $2, leased_until = $3::bigint + $4::bigint
                         WHERE id = $1 AND revision = $2
                           AND (leased_revision IS NULL OR leased_revision <> $2
                                OR leased_until IS NULL OR leased_until <= $3)",
                        &[&id, &revision, &now, &seconds],
                    )
                    .await?;
                Ok(changed == 1)
            }
            .await,
        )
    }

    async fn extend_flow(
        &self,
        id: &str,
        revision: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<Saved, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let changed = c
                    .execute(
                        "UPDATE flows SET expires_at = GREATEST(expires_at, $4), updated_at = $3
                         WHERE id = $1 AND revision = $2 AND expires_at > $3",
                        &[&id, &revision, &now, &expires_at],
                    )
                    .await?;
                Ok(if changed == 1 {
                    Saved::Saved
                } else {
                    Saved::Conflict
                })
            }
            .await,
        )
    }

    async fn release_flow(&self, id: &str, revision: i64) -> Result<(), StoreError> {
        done(
            async {
                let c = self.client().await?;
                c.execute(
                    "UPDATE flows SET leased_until = NULL WHERE id = $1 AND leased_revision = $2",
                    &[&id, &revision],
                )
                .await?;
                Ok(())
            }
            .await,
        )
    }

    async fn purge(&self, before: i64) -> Result<usize, StoreError> {
        done(
            async {
                let mut c = self.client().await?;
                let tx = c.transaction().await?;
                let mut removed = tx
                    .execute("DELETE FROM flows WHERE expires_at < $1", &[&before])
                    .await?;
                removed += tx
                    .execute("DELETE FROM sessions WHERE expires_at < $1", &[&before])
                    .await?;
                removed += tx.execute(outbox::PURGE, &[&before]).await?;
                removed += claims::purge_quotas(&tx, before).await?;
                removed += tx
                    .execute(
                        "DELETE FROM trusted_devices WHERE expires_at < $1",
                        &[&before],
                    )
                    .await?;
                removed += tx
                    .execute(
                        "DELETE FROM login_throttle WHERE blocked_until < $1",
                        &[&before],
                    )
                    .await?;
                tx.commit().await?;
                Ok(count(removed))
            }
            .await,
        )
    }

    async fn account_exists(&self, tenant: &str, email: &str) -> Result<bool, StoreError> {
        done(
            async {
                let c = self.client().await?;
                accounts::exists(&c, tenant, email).await
            }
            .await,
        )
    }

    async fn credentials(
        &self,
        tenant: &str,
        email: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                accounts::credentials(&c, tenant, email).await
            }
            .await,
        )
    }

    async fn claim_login_attempt(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        block: fn(u32) -> i64,
    ) -> Result<Claim, StoreError> {
        done(
            async {
                let mut c = self.client().await?;
                claims::login_attempt(&mut c, tenant, keys.to_vec(), now, block).await
            }
            .await,
        )
    }

    async fn record_login_success(&self, tenant: &str, keys: &[String]) -> Result<(), StoreError> {
        let keys = crate::claims::sorted(keys.to_vec());
        done(
            async {
                let c = self.client().await?;
                c.execute(
                    "DELETE FROM login_throttle WHERE tenant = $1 AND identifier = ANY($2::text[])",
                    &[&tenant, &keys],
                )
                .await?;
                Ok(())
            }
            .await,
        )
    }

    async fn record_event(&self, event: SecurityEvent) -> Result<(), StoreError> {
        done(
            async {
                let c = self.client().await?;
                insert_event(&c, &event).await
            }
            .await,
        )
    }

    async fn consents(&self, tenant: &str, subject: &str) -> Result<Vec<Consent>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                consents::history(&c, tenant, subject).await
            }
            .await,
        )
    }

    async fn profile(&self, tenant: &str, subject: &str) -> Result<Option<Profile>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                accounts::profile(&c, tenant, subject).await
            }
            .await,
        )
    }

    async fn security_events(&self, filter: EventFilter) -> Result<Vec<SecurityEvent>, StoreError> {
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        done(
            async {
                let c = self.client().await?;
                let rows = c
                    .query(
                        "SELECT tenant, at, kind, subject, identifier, client, flow_id FROM security_events
                         WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR subject = $2)
                           AND ($3::text IS NULL OR identifier = $3) AND ($4::bigint IS NULL OR at >= $4)
                           AND ($5::bigint IS NULL OR at < $5)
                         ORDER BY id LIMIT $6",
                        &[
                            &filter.tenant,
                            &filter.subject,
                            &filter.identifier,
                            &filter.since,
                            &filter.until,
                            &limit,
                        ],
                    )
                    .await?;
                Ok(rows
                    .iter()
                    .map(|row| SecurityEvent {
                        tenant: row.get(0),
                        at: row.get(1),
                        kind: row.get(2),
                        subject: row.get(3),
                        identifier: row.get(4),
                        client: row.get(5),
                        flow_id: row.get(6),
                    })
                    .collect())
            }
            .await,
        )
    }

    async fn device_subject(
        &self,
        tenant: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let row = c
                    .query_opt(
                        "SELECT subject FROM trusted_devices
                         WHERE tenant = $1 AND token_hash = $2 AND expires_at > $3",
                        &[&tenant, &token_hash, &now],
                    )
                    .await?;
                Ok(row.map(|row| row.get(0)))
            }
            .await,
        )
    }

    async fn claim_quota(
        &self,
        tenant: &str,
        keys: &[String],
        now: i64,
        windows: &[Window],
    ) -> Result<Quota, StoreError> {
        done(
            async {
                let mut c = self.client().await?;
                claims::quota(&mut c, tenant, keys.to_vec(), now, windows).await
            }
            .await,
        )
    }

    async fn undelivered(&self, limit: usize, now: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        done(async { outbox::undelivered(&self.client().await?, limit, now).await }.await)
    }

    async fn claim_messages(
        &self,
        channels: &[String],
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                outbox::claim(&c, channels, now, lease_until, limit).await
            }
            .await,
        )
    }

    async fn record_attempt(
        &self,
        id: i64,
        tries: u32,
        now: i64,
        attempt: Attempt,
    ) -> Result<(), StoreError> {
        done(async { outbox::record(&self.client().await?, id, tries, now, &attempt).await }.await)
    }

    async fn next_due(&self, channels: &[String]) -> Result<Option<i64>, StoreError> {
        done(async { outbox::next_due(&self.client().await?, channels).await }.await)
    }

    async fn outbox_message(&self, id: i64) -> Result<Option<OutboxMessage>, StoreError> {
        done(async { outbox::by_id(&self.client().await?, id).await }.await)
    }

    async fn messages_to(
        &self,
        recipient: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        done(async { outbox::to(&self.client().await?, recipient, limit).await }.await)
    }

    async fn drop_expired(&self, now: i64) -> Result<usize, StoreError> {
        done(
            async {
                Ok(count(
                    outbox::drop_expired(&self.client().await?, now).await?,
                ))
            }
            .await,
        )
    }

    async fn take_id_token(
        &self,
        id: &str,
        now: i64,
        window: i64,
    ) -> Result<Option<String>, StoreError> {
        done(
            async {
                let c = self.client().await?;
                // One statement: the row is locked as it is read, so a second reader (in any
                // process) waits and then finds the token erased.
                let row = c
                    .query_opt(
                        "WITH old AS (SELECT id, id_token, completed_at FROM flows WHERE id = $1 FOR UPDATE)
                         UPDATE flows SET id_token = NULL FROM old WHERE flows.id = old.id
                         RETURNING CASE WHEN old.completed_at >= $2::bigint THEN old.id_token END",
                        &[&id, &(now - window)],
                    )
                    .await?;
                Ok(row.and_then(|row| row.get(0)))
            }
            .await,
        )
    }

    async fn forget_id_tokens(&self, before: i64) -> Result<usize, StoreError> {
        done(
            async {
                let c = self.client().await?;
                let forgotten = c
                    .execute(
                        "UPDATE flows SET id_token = NULL WHERE id_token IS NOT NULL AND completed_at < $1",
                        &[&before],
                    )
                    .await?;
                Ok(count(forgotten))
            }
            .await,
        )
    }

    async fn delivered(
        &self,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        done(async { outbox::sent(&self.client().await?, recipient, limit).await }.await)
    }

    async fn tenant_keys(
        &self,
        tenant: &str,
        rotation: &KeyRotation,
    ) -> Result<Vec<TenantKey>, StoreError> {
        done(
            async {
                let mut c = self.client().await?;
                let tx = c.transaction().await?;
                if let Some(key) = &rotation.candidate {
                    // Replicas that find a key due together each bring a candidate; the lock
                    // lets the first one's stand and the others find it made.
                    tx.batch_execute("LOCK TABLE tenant_keys IN SHARE ROW EXCLUSIVE MODE")
                        .await?;
                    tx.execute(
                        "INSERT INTO tenant_keys (tenant, kid, sealed, created_at)
                         SELECT $1, $2, $3, $4 WHERE NOT EXISTS
                             (SELECT 1 FROM tenant_keys WHERE tenant = $1 AND created_at > $5)",
                        &[
                            &tenant,
                            &key.kid,
                            &key.sealed,
                            &key.created_at,
                            &rotation.unless_newer_than,
                        ],
                    )
                    .await?;
                }
                tx.execute(
                    "DELETE FROM tenant_keys WHERE tenant = $1 AND created_at <
                         (SELECT max(created_at) FROM tenant_keys
                          WHERE tenant = $1 AND created_at <= $2)",
                    &[&tenant, &rotation.retire_before],
                )
                .await?;
                let keys = tx
                    .query(
                        "SELECT kid, sealed, created_at FROM tenant_keys WHERE tenant = $1
                         ORDER BY created_at, kid",
                        &[&tenant],
                    )
                    .await?
                    .iter()
                    .map(|row| TenantKey {
                        kid: row.get(0),
                        sealed: row.get(1),
                        created_at: row.get(2),
                    })
                    .collect();
                tx.commit().await?;
                Ok(keys)
            }
            .await,
        )
    }

    async fn has_tenant_keys(&self) -> Result<bool, StoreError> {
        done(
            async {
                let c = self.client().await?;
                Ok(
                    c.query_one("SELECT EXISTS (SELECT 1 FROM tenant_keys)", &[])
                        .await?
                        .get(0),
                )
            }
            .await,
        )
    }

    fn pool_use(&self) -> PoolUse {
        let status = self.inner.pool.status();
        PoolUse {
            max: status.max_size,
            open: status.size,
            busy: status.size.saturating_sub(status.available),
            waiting: status.waiting,
        }
    }

    async fn check_identity(&self) -> Result<(), StoreError> {
        let looked = async {
            let c = self.client().await?;
            installation(&c).await
        }
        .await;
        let problem = match looked {
            Ok(id) if id == self.inner.installation => return Ok(()),
            Ok(_) => "the database now holds another installation".to_owned(),
            Err(Failure::Store(e)) => return Err(e),
            Err(e) if e.is_gone() => format!("the database is gone: {}", e.into_store()),
            // Unreachable for a moment, or too busy: no sign that it is another database.
            Err(e) => return Err(e.into_store()),
        };
        self.inner.lost.store(true, Ordering::SeqCst);
        Err(self.lost(problem))
    }
}
