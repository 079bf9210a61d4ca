//! The store's one integration-test binary: the contract every [`journey_store::Store`] must
//! keep (`contract/`, one function per case over `&dyn Store`), run against SQLite
//! (`sqlite.rs`, which also holds what only SQLite has: its file, its old schemas) and against
//! PostgreSQL (`postgres.rs`, on the server `JOURNEYKIT_TEST_POSTGRES_URL` names, with what
//! only PostgreSQL has). Each backend file has its factory of empty databases and its own
//! `contract::suite!` line, so both run exactly the same cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod contract;
mod postgres;
mod sqlite;
