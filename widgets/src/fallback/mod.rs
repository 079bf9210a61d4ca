//! The few texts the widget carries itself, for when the journey server cannot be reached.
//!
//! Every other text comes from the server (DESIGN.md, invariant 4). The fallback lives in
//! `locales/{en,nl}/widget.ftl` beside the server's texts so translators see it, and is embedded
//! here at compile time. Only plain `key = value` lines are read: a Fluent runtime inside the wasm
//! would cost about 55 KB gzip for four strings.

const EN: &str = include_str!("../../../locales/en/widget.ftl");
const NL: &str = include_str!("../../../locales/nl/widget.ftl");

/// The fallback texts of one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fallback {
    source: &'static str,
}

impl Fallback {
    /// Picks Dutch when `locale` starts with `nl`, English otherwise.
    pub fn for_locale(locale: Option<&str>) -> Self {
        let dutch =
            locale.is_some_and(|l| l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("nl")));
        Self {
            source: if dutch { NL } else { EN },
        }
    }

    /// The text of `key`, or the key itself when the file lacks it (a test keeps them complete).
    pub fn text(self, key: &'static str) -> &'static str {
        lookup(self.source, key).unwrap_or(key)
    }
}

/// Finds `key = value` in a Fluent file holding only simple messages.
pub fn lookup(source: &'static str, key: &str) -> Option<&'static str> {
    source
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
}

/// The keys the widget uses; both languages must have every one.
pub const KEYS: [&str; 4] = [
    "widget-loading",
    "widget-network-error",
    "widget-retry",
    "widget-start-again",
];

/// Both embedded sources, for the completeness test.
pub const SOURCES: [(&str, &str); 2] = [("en", EN), ("nl", NL)];
