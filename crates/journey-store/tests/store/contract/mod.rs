//! The store contract: what every implementation of [`Store`] must do, as test cases that know
//! only the trait. Most cases take one `&dyn Store` on a fresh, empty database; the few that
//! need more than one handle on the same database (reopening it, several server processes
//! claiming at once) take the [`Backend`].
//!
//! A backend runs the whole contract with one line, `contract::suite!(fresh);`, where `fresh`
//! is an `async fn() -> Option<impl Backend>` giving an empty database, or `None` when the
//! backend cannot be tested here (PostgreSQL without a server to test on: each case then
//! passes without running, and the backend says so once). [`suite!`] lists every case once, so
//! a case added here runs on every backend.

pub mod accounts;
pub mod claims;
pub mod consents;
pub mod flows;
pub mod keys;
pub mod outbox;
pub mod profiles;

use journey_store::{Attempt, FlowRecord, FlowUpdate, NewMessage, Store, Write};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// One empty database of a backend under test.
pub trait Backend {
    /// A new handle on this database with connections of its own, as another server process
    /// would open it. Dropping it closes them.
    fn connect(&self) -> Task<'_, Box<dyn Store>>;
}

/// Instantiates every contract case as a `#[tokio::test]` for the backend whose empty
/// databases `$fresh().await` gives.
macro_rules! suite {
    ($fresh:path) => {
        $crate::contract::suite!(@store $fresh;
            flows::a_save_at_a_stale_revision_writes_nothing,
            flows::a_failing_write_rolls_back_the_whole_save,
            flows::parallel_saves_that_fail_undo_only_themselves,
            flows::an_id_token_is_handed_out_once_within_its_window,
            flows::an_extension_moves_expiry_only_of_a_live_flow_at_its_revision,
            outbox::the_outbox_lists_delivered_messages_newest_first_per_recipient,
            outbox::a_message_whose_code_expired_is_never_handed_out,
            outbox::delivered_bodies_can_be_erased_and_old_rows_are_purged,
            outbox::a_claim_leases_due_messages_of_its_channels_and_records_each_outcome,
            outbox::a_message_whose_lease_ran_out_is_claimed_again,
            outbox::a_message_is_queued_with_its_brand_language_and_both_bodies,
            claims::login_attempts_are_claimed_until_blocked_and_a_success_clears_them,
            claims::parallel_claims_cannot_outrun_the_block,
            claims::quotas_count_per_key_across_windows_and_parallel_claims_cannot_outrun_them,
            accounts::an_account_without_a_password_is_found_and_can_be_given_one,
            accounts::identifiers_are_unique_per_tenant_and_kind,
            accounts::two_tenants_with_the_same_email_have_separate_accounts,
            consents::decisions_are_kept_as_history_in_order_with_every_detail,
            consents::a_decision_for_no_account_fails_the_whole_save,
            profiles::a_profile_is_read_with_its_email_and_merged_value_by_value,
            profiles::a_profile_for_no_account_fails_the_whole_save,
        );
        $crate::contract::suite!(@backend $fresh;
            keys::data_and_the_tenant_keys_survive_reopening,
            keys::keys_rotate_and_retire_only_behind_a_newer_key,
            keys::the_pool_use_is_told_and_idle_between_calls,
            claims::claims_from_several_connections_grant_exactly_the_limit,
            outbox::claimers_on_several_connections_never_get_the_same_message,
        );
    };
    (@store $fresh:path; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some(backend) = $fresh().await else { return };
                let store = $crate::contract::Backend::connect(&backend).await;
                $crate::contract::$module::$case(&*store).await;
            }
        )*
    };
    (@backend $fresh:path; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some(backend) = $fresh().await else { return };
                $crate::contract::$module::$case(&backend).await;
            }
        )*
    };
}
pub(crate) use suite;

/// A future borrowing what the test holds.
pub type Task<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Runs `tasks` concurrently (each store call works on the store's own threads, so they
/// really race) and gives their results in order.
pub async fn all<T>(tasks: Vec<Task<'_, T>>) -> Vec<T> {
    let mut tasks: Vec<Option<Task<'_, T>>> = tasks.into_iter().map(Some).collect();
    let mut results: Vec<Option<T>> = tasks.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, result) in tasks.iter_mut().zip(results.iter_mut()) {
            if let Some(task) = slot {
                match task.as_mut().poll(cx) {
                    Poll::Ready(value) => {
                        *result = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    results.into_iter().map(|r| r.unwrap()).collect()
}

/// A flow of tenant `t` at revision 0, created at 10, expiring at 100.
pub fn flow(id: &str) -> FlowRecord {
    FlowRecord {
        id: id.into(),
        tenant: "t".into(),
        journey: "j".into(),
        journey_version: "v1".into(),
        brand: "b".into(),
        locale: "en".into(),
        state: "{\"step\":\"a\"}".into(),
        outcome: None,
        revision: 0,
        created_at: 10,
        expires_at: 100,
        nonce: None,
    }
}

/// An email of tenant `t`, brand `b`, to `to`, created at 10.
pub fn message(to: &str, body: &str) -> Write {
    on_channel("email", to, body)
}

/// A message of tenant `t`, brand `b`, on `channel` to `to`, created at 10, with an HTML body
/// beside `body`.
pub fn on_channel(channel: &str, to: &str, body: &str) -> Write {
    Write::Enqueue(NewMessage {
        tenant: "t".into(),
        brand: "b".into(),
        locale: "nl".into(),
        flow_id: None,
        channel: channel.into(),
        recipient: to.into(),
        subject: "s".into(),
        body: body.into(),
        html: format!("<p>{body}</p>"),
        created_at: 10,
        expires_at: None,
    })
}

/// Claims every due message of every channel at `now` and records each sent, keeping bodies
/// (as the dev outbox does); returns how many.
pub async fn send_due(store: &dyn Store, now: i64, limit: usize) -> usize {
    let channels = ["email".to_owned(), "sms".to_owned(), "voice".to_owned()];
    let claimed = store
        .claim_messages(&channels, now, now + 30, limit)
        .await
        .unwrap();
    for m in &claimed {
        store
            .record_attempt(m.id, m.attempts, now, Attempt::Sent { keep_body: true })
            .await
            .unwrap();
    }
    claimed.len()
}

/// A new account of tenant `t` with a password.
pub fn account(email: &str, subject: &str) -> Write {
    Write::CreateAccount {
        tenant: "t".into(),
        subject: subject.into(),
        email: email.into(),
        attributes: "{}".into(),
        password_hash: Some("$argon2id$x".into()),
    }
}

/// A new state for flow `id` read at `revision`, saved at 20.
pub fn update(id: &str, revision: i64, state: &str) -> FlowUpdate {
    FlowUpdate {
        id: id.into(),
        revision,
        state: state.into(),
        outcome: None,
        id_token: None,
        now: 20,
    }
}
