//! The journey server over real HTTP on loopback, against a temporary SQLite file: the
//! protocol, the journeys of the tests' own tenants (`tests/fixtures`), smoke tests of the
//! demo tenants (`demo`), hostile input, replays, races, restarts and crashes,
//! context from the page and look-ups against a real loopback service (`lookup`),
//! demo tenants (`demo`), passwordless sign-in and levels of assurance (`passwordless`), phone
//! number verification by SMS and voice through the dev outbox (`phone`), hostile input,
//! replays, races, restarts and crashes,
//! the public description of a tenant, the blocks' examples (`GET /dev/examples`) and the
//! cross-side block tidy test (`blocks`), time and language (`timing`), the
//! texts: languages, the pseudo-locale and brand overrides; one account across a tenant's
//! brands, none across tenants, and CORS for a brand's own origin (`brands`); for operators,
//! the configuration (`config`), the probes (`health`), the metrics (`metrics`), the log
//! (`logs`) and graceful shutdown (`shutdown`); and three server processes on one PostgreSQL
//! database, when one is configured (`replicas`).
//! One test binary for the crate (kanidm's rule: each extra file is another slow link).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

mod blocks;
mod brands;
mod codes;
mod config;
mod consents;
mod delivery;
mod demo;
mod durability;
mod edge;
mod events;
mod examples;
mod health;
mod hostile;
mod keys;
mod limits;
mod login;
mod logs;
mod lookup;
mod metrics;
mod passwordless;
mod phone;
mod profile;
mod recovery;
mod registration;
mod replicas;
mod shutdown;
mod support;
mod tenant;
mod texts;
mod timing;
mod tokens;
