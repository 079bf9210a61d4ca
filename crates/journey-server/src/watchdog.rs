//! Notices when the database file is deleted or replaced while the server runs (on PostgreSQL:
//! the database dropped, or another installation in its place), and stops it.
//!
//! SQLite keeps writing to the file it opened even after that file is unlinked or another file
//! is moved into its place: every account and flow from then on would be lost at the next
//! restart. [`database`] asks the store every couple of seconds whether it still works on what
//! it opened ([`journey_store::Store::check_identity`]); on the first failure the store refuses
//! every call (so requests get `internal` errors, never a write to the lost file), the problem
//! is logged naming the file, and [`Halt`] is raised, which `main` turns into a shutdown and a
//! non-zero exit. Deciding what "the same database" means is the store's.

use crate::state::AppState;
use journey_store::StoreError;
use std::time::Duration;
use tokio::sync::watch;

/// How often the database is checked.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// Raised once when the server must stop because something it depends on is gone.
pub struct Halt {
    reason: watch::Sender<Option<String>>,
}

impl Default for Halt {
    fn default() -> Self {
        Self {
            reason: watch::Sender::new(None),
        }
    }
}

impl Halt {
    /// Raises the halt with `reason`; only the first reason is kept.
    pub fn raise(&self, reason: String) {
        self.reason.send_if_modified(|current| {
            if current.is_some() {
                return false;
            }
            *current = Some(reason);
            true
        });
    }

    /// Why the server halted, if it did.
    pub fn reason(&self) -> Option<String> {
        self.reason.borrow().clone()
    }

    /// Resolves once the halt is raised.
    pub async fn raised(&self) {
        let mut receiver = self.reason.subscribe();
        // The sender lives as long as `self`, so this only returns once a reason is set.
        let _ = receiver.wait_for(Option::is_some).await;
    }
}

/// Checks the database every [`INTERVAL`] until it is found deleted or replaced, then raises
/// the state's [`Halt`].
pub async fn database(state: AppState) {
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match state.store.check_identity().await {
            Ok(()) => {}
            Err(e @ StoreError::Lost { .. }) => {
                let reason = format!("{e}; stopping the server");
                tracing::error!("{reason}");
                state.halt.raise(reason);
                return;
            }
            Err(e) => tracing::warn!(error = %e, "checking the database file"),
        }
    }
}
