//! The store's one integration-test binary: the contract every [`journey_store::Store`] must
//! keep (`contract/`, one function per case over `&dyn Store`), run here against SQLite
//! (`sqlite.rs`, which also holds what only SQLite has: its file, its old schemas). A second
//! backend runs exactly the same cases by adding one file like `sqlite.rs` with its factory
//! and its own `contract::suite!` line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod contract;
mod sqlite;
