//! Building blocks: the [`Block`] trait, the catalogue that builds blocks from journey files, and
//! the blocks themselves, one module each.
//!
//! A block is one kind of step. It declares its outcomes (the journey maps each to a next step),
//! parses its settings once when the journey is loaded, and at run time decides from the flow's
//! state and the person's submission what happens next. Server-only blocks (duplicate check,
//! auto login) act in [`Block::enter`] and never wait for the person.

mod auto_login;
mod collect;
mod duplicate;
mod email_code;
mod find_account;
mod info;
mod login;
pub mod password_policy;
mod reset_password;
mod set_password;

use crate::definition::Problem;
use crate::runtime::{Answer, Cx, EngineError, FlowState, Next};
use crate::view::{Msg, StepView, ViewKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use auto_login::OUTCOME_MESSAGE;
pub(crate) use email_code::CodeMemory;
pub use set_password::ACCOUNT_TAKEN;

/// Field values of a submission, by field name.
pub type Values = BTreeMap<String, String>;

/// One kind of step.
pub trait Block: Send + Sync {
    /// The name journey files use.
    fn name(&self) -> &'static str;

    /// The outcomes a journey must map to next steps.
    fn outcomes(&self) -> &'static [&'static str];

    /// Every Fluent message id this block (as configured) can show or send.
    fn message_ids(&self) -> Vec<String>;

    /// Runs when the flow arrives at the step.
    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError>;

    /// Runs when the person answers the step.
    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError>;

    /// Runs when the server answers the block's query.
    fn answer(&self, _cx: &mut Cx<'_>, _answer: Answer) -> Result<Next, EngineError> {
        Err(EngineError::UnexpectedAnswer)
    }

    /// What the person sees at the step.
    fn view(&self, step: &str, state: &FlowState, now: i64) -> StepView;

    /// What must have happened on every path to this step, checked when the journey loads.
    fn requires(&self) -> &'static [Fact] {
        &[]
    }

    /// What following `outcome` establishes for the steps after it.
    fn provides(&self, _outcome: &str) -> &'static [Fact] {
        &[]
    }

    /// Whether the block waits for the person; a loop of blocks that never wait is refused.
    fn waits_for_person(&self) -> bool {
        true
    }
}

/// Something a step establishes that later steps may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fact {
    /// An email address was collected.
    Email,
    /// The person proved they control the address.
    EmailVerified,
    /// The address was checked for an existing account.
    DuplicateChecked,
    /// The account that has the address, if any, was looked up (for recovery).
    AccountLookedUp,
    /// The person proved they control the address of the account looked up (a recovery code).
    AccountAddressVerified,
    /// The flow knows whose account it is.
    Subject,
}

impl Fact {
    /// Every fact.
    pub const ALL: [Fact; 6] = [
        Fact::Email,
        Fact::EmailVerified,
        Fact::DuplicateChecked,
        Fact::AccountLookedUp,
        Fact::AccountAddressVerified,
        Fact::Subject,
    ];

    /// What provides it, for error messages.
    pub fn provided_by(self) -> &'static str {
        match self {
            Fact::Email => "collect_user_data with the `email` attribute",
            Fact::EmailVerified => "email_validation (its `verified` outcome)",
            Fact::DuplicateChecked => "duplicate_check",
            Fact::AccountLookedUp => "find_account",
            Fact::AccountAddressVerified => {
                "email_validation with `purpose = \"recovery\"` (its `verified` outcome)"
            }
            Fact::Subject => "set_password, reset_password or password_login",
        }
    }

    /// A short name, for error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Email => "an email address",
            Fact::EmailVerified => "a verified email address",
            Fact::DuplicateChecked => "a duplicate check",
            Fact::AccountLookedUp => "an account look-up",
            Fact::AccountAddressVerified => "a recovery code to the account's address",
            Fact::Subject => "an account",
        }
    }
}

/// What a block remembers while the flow waits at its step; cleared when the flow moves on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Memory {
    /// Nothing.
    #[default]
    None,
    /// An email code.
    Code(CodeMemory),
}

type Builder = fn(toml::Table) -> Result<Box<dyn Block>, String>;

/// The blocks a journey file may name.
pub struct BlockCatalogue {
    builders: Vec<(&'static str, Builder)>,
}

impl BlockCatalogue {
    /// Every block this release has.
    pub fn standard() -> Self {
        Self {
            builders: vec![
                (collect::NAME, collect::build),
                (duplicate::NAME, duplicate::build),
                (email_code::NAME, email_code::build),
                (find_account::NAME, find_account::build),
                (reset_password::NAME, reset_password::build),
                (set_password::NAME, set_password::build),
                (info::NAME, info::build),
                (auto_login::NAME, auto_login::build),
                (login::NAME, login::build),
            ],
        }
    }

    /// The names of the blocks.
    pub fn names(&self) -> Vec<&'static str> {
        self.builders.iter().map(|(name, _)| *name).collect()
    }

    pub(crate) fn build(
        &self,
        name: &str,
        settings: toml::Table,
    ) -> Result<Box<dyn Block>, Problem> {
        let (_, builder) = self
            .builders
            .iter()
            .find(|(known, _)| *known == name)
            .ok_or_else(|| Problem::UnknownBlock {
                block: name.to_owned(),
                known: self.names(),
            })?;
        builder(settings).map_err(Problem::Settings)
    }
}

/// Parses a block's settings table into its typed settings.
fn settings<T: DeserializeOwned>(table: toml::Table) -> Result<T, String> {
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().to_owned())
}

/// Refuses values for fields the step does not have (an allow-list, ASVS 2.2).
fn only_fields(values: &Values, allowed: &[&str]) -> Result<(), EngineError> {
    match values.keys().find(|name| !allowed.contains(&name.as_str())) {
        Some(name) => Err(EngineError::UnexpectedField(name.clone())),
        None => Ok(()),
    }
}

/// Hides most of an address: `jane@example.com` becomes `j***@example.com`. The domain shows
/// in Unicode (`j***@bücher.de`), as the person typed it, not in its stored punycode form.
pub(crate) fn mask_email(email: &str) -> String {
    match crate::text::email_for_display(email).split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// The view of a block that never waits for the person (it acts in `enter`). A flow cannot rest
/// at such a step, since the server answers its query in the same request; the view exists so
/// that rendering never fails.
pub(crate) fn server_only_view(step: &str, block: &'static str) -> StepView {
    StepView {
        step: step.to_owned(),
        block,
        title: Msg::new("collect-user-data-title"),
        kind: ViewKind::CollectUserData,
        fields: Vec::new(),
        actions: Vec::new(),
        notes: Vec::new(),
    }
}

/// A hex id from random bytes, for subjects.
pub(crate) fn random_id(cx: &mut Cx<'_>) -> String {
    hex::encode(&cx.random()[..16])
}
