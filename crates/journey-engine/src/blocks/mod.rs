//! The building blocks, one module each and named exactly like the block in journey files, and
//! the catalogue that makes them from a journey's settings.
//!
//! Every block is written against the block kernel ([`crate::kernel`]) only: it never sees the
//! runtime or the journey loader, so adding one is its own module plus one registration line in
//! [`BlockCatalogue::standard`]. Helpers that are not blocks live beside this folder: the shared
//! one-time codes (`otp.rs`), the password rules (`password_policy.rs`) and the new-password step
//! (`new_password.rs`); the conditions a decision gateway evaluates are `expr.rs`.

mod attribute_consent;
mod auto_login;
mod collect_user_data;
mod decision_gateway;
mod document_consent;
mod duplicate_check;
mod email_validation;
mod find_account;
mod identify_by_email_code;
mod look_up_data;
mod password_login;
mod phone_number_verification;
mod profile_completion;
mod reset_password;
mod set_password;
mod show_information;

use crate::kernel::{Block, EngineError, render};
use journey_protocol::Step;
use toml::toml;

pub use auto_login::OUTCOME_MESSAGE;
pub use set_password::{ACCOUNT_TAKEN, PASSWORD_EXISTS};

/// How a block is made from its settings in a journey file; the error says what is wrong.
type Build = fn(toml::Table) -> Result<Box<dyn Block>, String>;

/// The settings a block is shown with in its examples.
type ExampleSettings = fn() -> toml::Table;

/// A block's examples as [`BlockCatalogue::examples`] returns them: the block's name, and each
/// example's name with its step (texts unresolved).
pub type Examples = Vec<(&'static str, Vec<(&'static str, Step)>)>;

/// The blocks a journey file may name.
pub struct BlockCatalogue {
    blocks: Vec<(&'static str, Build, ExampleSettings)>,
}

impl BlockCatalogue {
    /// Every block this release has: one line each, with the settings its examples are shown
    /// with (kept on one line per block, hence no rustfmt here).
    #[rustfmt::skip]
    pub fn standard() -> Self {
        Self {
            blocks: vec![
                (collect_user_data::NAME, collect_user_data::build, || toml! { attributes = ["email", "given_name", "family_name"] }),
                (decision_gateway::NAME, decision_gateway::build, || toml! { branches = [{ when = "has(flow.email)", outcome = "known" }] otherwise = "unknown" }),
                (duplicate_check::NAME, duplicate_check::build, || toml! { attribute = "email" }),
                (email_validation::NAME, email_validation::build, toml::Table::new),
                (find_account::NAME, find_account::build, toml::Table::new),
                (identify_by_email_code::NAME, identify_by_email_code::build, toml::Table::new),
                (phone_number_verification::NAME, phone_number_verification::build, || toml! { countries = ["NL", "BE"] default_country = "NL" }),
                (reset_password::NAME, reset_password::build, toml::Table::new),
                (set_password::NAME, set_password::build, toml::Table::new),
                (show_information::NAME, show_information::build, || toml! { title = "welcome-title" body = ["welcome-body"] }),
                (auto_login::NAME, auto_login::build, toml::Table::new),
                (password_login::NAME, password_login::build, toml::Table::new),
                (profile_completion::NAME, profile_completion::build, || toml! { attributes = ["given_name", "birthdate", "address", "car_use", "garage"] min_age = 18 choices = { car_use = ["private", "commute", "business"] } yes_no = ["garage"] }),
                (look_up_data::NAME, look_up_data::build, || toml! { service = "quotes" params = { quote = "context.quote" } map = { car_quote = "/number" } }),
                (attribute_consent::NAME, attribute_consent::build, || toml! { purposes = ["marketing_email", "marketing_sms", "group_sharing"] }),
                (document_consent::NAME, document_consent::build, || toml! { documents = ["terms", "privacy"] }),
            ],
        }
    }

    /// The names of the blocks.
    pub fn names(&self) -> Vec<&'static str> {
        self.blocks.iter().map(|(name, ..)| *name).collect()
    }

    /// Makes the block `name` from `settings`: `None` when no block has that name.
    pub(crate) fn build(
        &self,
        name: &str,
        settings: toml::Table,
    ) -> Option<Result<Box<dyn Block>, String>> {
        self.blocks
            .iter()
            .find(|(known, ..)| *known == name)
            .map(|(_, build, _)| build(settings))
    }

    /// The block `name` as its examples show it.
    fn example_block(&self, name: &str) -> Result<Box<dyn Block>, EngineError> {
        let (_, build, settings) = self
            .blocks
            .iter()
            .find(|(known, ..)| *known == name)
            .ok_or_else(|| EngineError::Inconsistent(format!("no block `{name}`")))?;
        build(settings()).map_err(|problem| {
            EngineError::Inconsistent(format!("the example settings of `{name}`: {problem}"))
        })
    }

    /// Whether the block `name` (as its examples show it) waits for the person, so that a
    /// person sees it and it must have examples.
    pub fn waits_for_person(&self, name: &str) -> Result<bool, EngineError> {
        Ok(self.example_block(name)?.waits_for_person())
    }

    /// Every Fluent message id the block `name` can show, as its examples show it.
    pub fn example_message_ids(&self, name: &str) -> Result<Vec<String>, EngineError> {
        Ok(self.example_block(name)?.message_ids())
    }

    /// Every block's named sample states at `now`, each shown through the block's real view as
    /// a flow at that state would show it, with texts unresolved (the server resolves them for
    /// `GET /dev/examples`). Blocks without examples (those a person never sees) are left out.
    pub fn examples(&self, now: i64) -> Result<Examples, EngineError> {
        let mut all = Vec::new();
        for name in self.names() {
            let block = self.example_block(name)?;
            let examples = block
                .examples(now)?
                .into_iter()
                .map(|example| Ok((example.name, render(block.as_ref(), &example.state, now)?)))
                .collect::<Result<Vec<_>, EngineError>>()?;
            if !examples.is_empty() {
                all.push((name, examples));
            }
        }
        Ok(all)
    }
}
