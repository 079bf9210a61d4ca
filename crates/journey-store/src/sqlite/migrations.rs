//! The SQLite schema, as numbered migration scripts (`migrations/sqlite/NNNN_*.sql` in this
//! crate) applied in order when a database opens; `user_version` is the schema version, the
//! number of scripts applied. Never edit a released script; add the next. Applying them, and
//! refusing a database newer than these, is [`super::migrate`]'s.
//!
//! Accounts (from script 4): `accounts` holds the subject, tenant and attributes;
//! `account_identifiers` what a person is known by (kind `email` now), unique per tenant, kind
//! and value; `account_credentials` what proves it is them (kind `password`, its PHC hash),
//! at most one password per account and none at all possible.
//!
//! Messages (from script 6): each outbox row has its `state` (`queued`, `sending`, `sent`,
//! `failed`, `dropped`), its `attempts`, `next_attempt_at` (when due; while sending, when the
//! lease runs out) and `last_error`, and the `brand`, `locale` and `html` body it goes out with.
//!
//! Consents (from script 7): `consents` keeps every decision on a purpose or a document, as
//! append-only history (triggers refuse an update or a delete).
//!
//! Profiles (from script 8): `accounts.verified_attributes` names the attributes (a JSON array)
//! whose owner proved they control them.

/// Schema versions, applied in order: script N takes a database from version N - 1 to N.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_quotas_devices_events.sql"),
    include_str!("../../migrations/sqlite/0003_tenant_keys.sql"),
    include_str!("../../migrations/sqlite/0004_account_identifiers.sql"),
    include_str!("../../migrations/sqlite/0005_quota_counters.sql"),
    include_str!("../../migrations/sqlite/0006_message_states.sql"),
    include_str!("../../migrations/sqlite/0007_consents.sql"),
    include_str!("../../migrations/sqlite/0008_verified_attributes.sql"),
];
