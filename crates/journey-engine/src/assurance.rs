//! Levels of assurance from a tenant's policy: which `acr` a flow has reached, decided by what
//! the person proved in the flow (verified attributes: `email`, `phone_number`, `identity`, …)
//! and how they authenticated in it (the methods, `amr`, RFC 8176: `otp`, `pwd`, `sms`, …).
//!
//! A journey never declares its level: `auto_login` asks the policy ([`AssurancePolicy::acr`]),
//! which the server passes in with every call ([`crate::Env::assurance`]), and may only require
//! a minimum (`min_acr`). The policy is the tenant's (`[assurance]` in `tenant.toml`), parsed
//! here once, with errors that name the setting; it also gives each level's session lifetime.
//!
//! ```toml
//! [assurance]
//! levels = ["loa1", "loa2", "loa3"]        # lowest first
//! [assurance.loa1]
//! amr_any = [["otp"], ["pwd"]]             # one of these sets of methods, all of a set
//! session_minutes = 43200
//! [assurance.loa2]
//! verified = ["email", "phone_number"]     # every one of these verified in the flow
//! amr_any = [["pwd"], ["otp", "sms"]]
//! session_minutes = 1440
//! ```
//!
//! A level holds when every attribute of its `verified` is verified and the methods used
//! include all of at least one set of its `amr_any` (an empty `amr_any` asks for no method).
//! Levels are cumulative: the flow's level is the highest one that holds with every level below
//! it holding too, so a policy cannot be read as skipping a rung. Nothing from the page's
//! context counts: only the flow's verified set and methods, which blocks alone write.

use serde::Deserialize;
use std::collections::BTreeSet;

/// The longest session a level may give: 30 days (NIST SP 800-63B-4 for level 1).
pub const MAX_SESSION_MINUTES: u32 = 30 * 24 * 60;

/// The most levels a policy may have.
const MAX_LEVELS: usize = 8;

/// One level's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// Its name, the `acr` of sessions and ID tokens at it.
    pub name: String,
    /// Attributes that must be verified in the flow.
    pub verified: Vec<String>,
    /// Sets of methods; the flow must have used every method of at least one set. Empty: any.
    pub amr_any: Vec<Vec<String>>,
    /// How long a session at this level lasts.
    pub session_minutes: u32,
}

impl Level {
    fn holds(&self, verified: &BTreeSet<String>, amr: &[String]) -> bool {
        self.verified.iter().all(|name| verified.contains(name))
            && (self.amr_any.is_empty()
                || self
                    .amr_any
                    .iter()
                    .any(|set| set.iter().all(|method| amr.contains(method))))
    }
}

/// A tenant's levels of assurance, lowest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssurancePolicy {
    levels: Vec<Level>,
}

impl Default for AssurancePolicy {
    /// The policy of a tenant without `[assurance]`: one level, `loa1`, reached by any
    /// authentication, with the 30-day session of level 1.
    fn default() -> Self {
        Self {
            levels: vec![Level {
                name: "loa1".into(),
                verified: Vec::new(),
                amr_any: Vec::new(),
                session_minutes: MAX_SESSION_MINUTES,
            }],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    #[serde(default)]
    verified: Vec<String>,
    #[serde(default)]
    amr_any: Vec<Vec<String>>,
    session_minutes: Option<u32>,
}

/// Whether `name` is a short lowercase name (a level, an attribute, a method).
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl AssurancePolicy {
    /// Parses the `[assurance]` table of a tenant file. Every problem names its setting, as
    /// `assurance.<level>.<key>`.
    pub fn from_table(table: &toml::Table) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let names: Vec<String> = match table.get("levels") {
            Some(value) => match value.clone().try_into::<Vec<String>>() {
                Ok(names) => names,
                Err(_) => {
                    return Err(vec![
                        "assurance.levels: a list of level names, lowest first, such as [\"loa1\", \"loa2\"]".into(),
                    ]);
                }
            },
            None => {
                return Err(vec![
                    "assurance.levels is missing: name the levels, lowest first, such as levels = [\"loa1\", \"loa2\"]".into(),
                ]);
            }
        };
        if names.is_empty() || names.len() > MAX_LEVELS {
            problems.push(format!(
                "assurance.levels: between 1 and {MAX_LEVELS} levels"
            ));
        }
        let mut seen = BTreeSet::new();
        for name in &names {
            if !is_name(name) {
                problems.push(format!(
                    "assurance.levels: `{name}` is not a level name: use a-z, 0-9 and _"
                ));
            }
            if !seen.insert(name.as_str()) {
                problems.push(format!("assurance.levels: `{name}` is named twice"));
            }
        }
        for key in table.keys().filter(|key| key.as_str() != "levels") {
            if !names.contains(key) {
                problems.push(format!(
                    "assurance.{key}: not a level in assurance.levels ({})",
                    names.join(", ")
                ));
            }
        }
        let mut levels = Vec::new();
        for name in &names {
            let raw = match table.get(name) {
                None => {
                    problems.push(format!(
                        "assurance.{name} is missing: give the level its rules and session_minutes"
                    ));
                    continue;
                }
                Some(value) => match value.clone().try_into::<RawLevel>() {
                    Ok(raw) => raw,
                    Err(e) => {
                        problems.push(format!("assurance.{name}: {}", e.message()));
                        continue;
                    }
                },
            };
            for attribute in raw.verified.iter().filter(|a| !is_name(a)) {
                problems.push(format!(
                    "assurance.{name}.verified: `{attribute}` is not an attribute name such as \"phone_number\""
                ));
            }
            for method in raw.amr_any.iter().flatten().filter(|m| !is_name(m)) {
                problems.push(format!(
                    "assurance.{name}.amr_any: `{method}` is not a method name (RFC 8176) such as \"pwd\" or \"otp\""
                ));
            }
            if raw.amr_any.iter().any(Vec::is_empty) {
                problems.push(format!(
                    "assurance.{name}.amr_any: an empty set would ask for nothing; leave amr_any out instead"
                ));
            }
            let session_minutes = match raw.session_minutes {
                Some(minutes) if (1..=MAX_SESSION_MINUTES).contains(&minutes) => minutes,
                Some(_) => {
                    problems.push(format!(
                        "assurance.{name}.session_minutes: between 1 and {MAX_SESSION_MINUTES} (30 days)"
                    ));
                    continue;
                }
                None => {
                    problems.push(format!(
                        "assurance.{name}.session_minutes is missing: how long a session at this level lasts"
                    ));
                    continue;
                }
            };
            levels.push(Level {
                name: name.clone(),
                verified: raw.verified,
                amr_any: raw.amr_any,
                session_minutes,
            });
        }
        if problems.is_empty() {
            Ok(Self { levels })
        } else {
            Err(problems)
        }
    }

    /// The levels, lowest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Whether the policy has the level `name`.
    pub fn has(&self, name: &str) -> bool {
        self.rank(name).is_some()
    }

    /// The position of `name` among the levels, lowest 0.
    pub fn rank(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|level| level.name == name)
    }

    /// The level a flow has reached with these verified attributes and methods: the highest
    /// whose rules hold with those of every level below it; `None` when not even the lowest
    /// holds.
    pub fn acr(&self, verified: &BTreeSet<String>, amr: &[String]) -> Option<&str> {
        self.levels
            .iter()
            .take_while(|level| level.holds(verified, amr))
            .last()
            .map(|level| level.name.as_str())
    }

    /// How long a session at `acr` lasts, in seconds; the shortest of the policy for a name it
    /// does not have (a session saved before the policy changed).
    pub fn session_seconds(&self, acr: &str) -> i64 {
        let minutes = self
            .levels
            .iter()
            .find(|level| level.name == acr)
            .map(|level| level.session_minutes)
            .or_else(|| self.levels.iter().map(|level| level.session_minutes).min())
            .unwrap_or(MAX_SESSION_MINUTES);
        i64::from(minutes) * 60
    }
}
