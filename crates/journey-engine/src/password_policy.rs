//! The password rules of NIST SP 800-63B-4 3.1.1.2: length in code points after NFC
//! normalisation, a blocklist of common passwords, and nothing else (no composition rules).
//!
//! The blocklist ships in `data/common-passwords.txt` and is compiled in; it is checked
//! case-insensitively against the whole password. Few listed passwords reach the 15 characters
//! a single-factor password needs, so the ways people stretch a weak one to that length are
//! refused too: a short piece repeated (`abcabcabc…`), a walk along the alphabet, the digits or a
//! keyboard row (`123456789012345`, `qwertyuiopasdfgh`), and a listed password padded with
//! digits or symbols (`password12345678`).
//!
//! Beyond NIST's list, a password may not contain what an attacker tries first for this person
//! and this site: their email address or its local part, their given or family name, or the
//! tenant's or brand's name ([`Words`]). Control, invisible and bidirectional formatting
//! characters ([`crate::text::is_forbidden`]) are refused too: a password manager never
//! produces them, and a person cannot see or retype them.

use crate::text;
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

const LIST: &str = include_str!("../data/common-passwords.txt");

/// The list as a set, built once on first use.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// Sequences people walk along: digits, the alphabet, keyboard rows (QWERTY, AZERTY, QWERTZ)
/// and the columns of a QWERTY keyboard.
const WALKS: &[&str] = &[
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "qwertzuiopasdfghjklyxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
];

/// Words shorter than this are not looked for: too many good passwords contain them.
const MIN_WORD: usize = 3;

/// What a password must not contain, taken from the flow and the site.
#[derive(Clone, Debug, Default)]
pub struct Words<'a> {
    /// The person's email address, in its canonical form.
    pub email: Option<&'a str>,
    /// The person's given and family names.
    pub names: Vec<&'a str>,
    /// The tenant's and brand's names.
    pub protected: &'a [String],
}

/// Why a password is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A control, invisible or bidirectional formatting character.
    InvalidCharacters,
    /// Fewer code points than the minimum.
    TooShort,
    /// More code points than the maximum.
    TooLong,
    /// On the list of common passwords.
    Common,
    /// Contains the person's own email address, its local part, or their name.
    Personal,
    /// Contains the tenant's or brand's name, as configured.
    Brand(String),
}

/// The form a password is hashed and compared in.
pub fn normalize(password: &str) -> String {
    password.nfc().collect()
}

/// Whether `password` is a common one: on the shipped list, or a stretched form of a weak one.
pub fn is_common(password: &str) -> bool {
    let lowered = normalize(password).to_lowercase();
    // Also without separators, so `monkey monkey monkey` counts as a repetition and
    // `correct-horse-battery-staple` as the listed `correcthorsebatterystaple`.
    let squeezed: String = lowered
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
        .collect();
    [lowered.as_str(), squeezed.as_str()]
        .into_iter()
        .any(|form| {
            COMMON.contains(form) || is_repetition(form) || is_walk(form) || is_padded(form)
        })
}

/// How many entries the shipped list has.
pub fn common_count() -> usize {
    COMMON.len()
}

/// The same piece, repeated: `aaaa…`, `abcabcabc…`, `iloveyouiloveyou`.
fn is_repetition(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    (1..=chars.len() / 2)
        .any(|n| chars.len().is_multiple_of(n) && chars.chunks(n).all(|chunk| chunk == &chars[..n]))
}

/// A run along one of the [`WALKS`], forwards or backwards, wrapping around.
fn is_walk(password: &str) -> bool {
    WALKS.iter().any(|walk| {
        let cycle = walk.repeat(password.len() / walk.len() + 2);
        let backwards: String = cycle.chars().rev().collect();
        cycle.contains(password) || backwards.contains(password)
    })
}

/// A listed password, repetition or walk with only digits, symbols or spaces around it.
fn is_padded(password: &str) -> bool {
    let core = password.trim_matches(|c: char| {
        c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
    });
    core.chars().count() >= 4
        && core.len() < password.len()
        && (COMMON.contains(core) || is_repetition(core) || is_walk(core))
}

/// Checks a new password against the rules.
pub fn check(password: &str, min: u32, max: u32, words: &Words<'_>) -> Result<(), Refusal> {
    let normalized = normalize(password);
    if normalized.chars().any(text::is_forbidden) {
        return Err(Refusal::InvalidCharacters);
    }
    let length = normalized.chars().count();
    if length < min as usize {
        return Err(Refusal::TooShort);
    }
    if length > max as usize {
        return Err(Refusal::TooLong);
    }
    if is_common(&normalized) {
        return Err(Refusal::Common);
    }
    let password_forms = forms(&normalized);
    let contains = |word: &str| {
        forms(word)
            .iter()
            .filter(|w| w.chars().count() >= MIN_WORD)
            .any(|w| password_forms.iter().any(|form| form.contains(w.as_str())))
    };
    let local = words.email.and_then(|e| e.rsplit_once('@')).map(|(l, _)| l);
    if words
        .email
        .into_iter()
        .chain(local)
        .chain(words.names.iter().copied())
        .any(contains)
    {
        return Err(Refusal::Personal);
    }
    if let Some(name) = words.protected.iter().find(|name| contains(name)) {
        return Err(Refusal::Brand(name.clone()));
    }
    Ok(())
}

/// A text as compared: NFC and lower-cased, and the same without spaces and separators, so
/// `Road Help` is found in `roadhelp…` and `RoadHelp` in `road-help…`.
fn forms(text: &str) -> [String; 2] {
    let lowered = normalize(text).to_lowercase();
    let squeezed = lowered
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
        .collect();
    [lowered, squeezed]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRANDS: &[String] = &[];

    fn jane() -> Words<'static> {
        Words {
            email: Some("jane.doe@example.com"),
            names: vec!["Jane", "Doe"],
            protected: BRANDS,
        }
    }

    #[test]
    fn names_of_the_person_and_the_site_are_refused() {
        let protected = ["RoadHelp".to_owned(), "Road Help Europe".to_owned()];
        let words = Words {
            protected: &protected,
            ..jane()
        };
        let fine = "violet tractor under the bridge 42";
        assert_eq!(check(fine, 15, 128, &words), Ok(()));
        for personal in [
            "JANE likes long walks",
            "violet tractor doe bridge",
            "jane.doe tractor bridge",
            "violet tractor jane-doe bridge",
        ] {
            assert_eq!(
                check(personal, 15, 128, &words),
                Err(Refusal::Personal),
                "{personal}"
            );
        }
        for brand in ["i love roadhelp so much", "Road-Help is my favourite"] {
            assert_eq!(
                check(brand, 15, 128, &words),
                Err(Refusal::Brand("RoadHelp".into())),
                "{brand}"
            );
        }
        assert_eq!(
            check(
                "roadhelpeurope violet tractor",
                15,
                128,
                &Words {
                    protected: &protected[1..],
                    ..jane()
                }
            ),
            Err(Refusal::Brand("Road Help Europe".into()))
        );
        // Names shorter than three characters are not looked for; after NFC they are.
        let short = Words {
            names: vec!["Al", "Zoe\u{301}"],
            ..Words::default()
        };
        assert_eq!(check("Always a violet tractor", 15, 128, &short), Ok(()));
        assert_eq!(
            check("zoé drives a violet tractor", 15, 128, &short),
            Err(Refusal::Personal)
        );
    }

    #[test]
    fn control_invisible_and_bidi_characters_are_refused() {
        for c in [
            '\u{0}', '\u{7}', '\u{9}', '\u{7F}', '\u{200B}', '\u{202E}', '\u{2066}', '\u{FEFF}',
        ] {
            let password = format!("violet tractor{c}under the bridge");
            assert_eq!(
                check(&password, 15, 128, &Words::default()),
                Err(Refusal::InvalidCharacters),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(
            check(
                "violet\u{200D}tractor under the bridge",
                15,
                128,
                &Words::default()
            ),
            Ok(())
        );
    }

    #[test]
    fn the_list_is_large_and_checked_whole_and_case_insensitively() {
        assert!(
            common_count() > 3_000,
            "NIST asks for at least the top 3,000"
        );
        assert!(is_common("password"));
        assert!(is_common("PassWordPassWord"));
        assert!(!is_common("password and more words"));
    }

    #[test]
    fn weak_passwords_stretched_to_length_are_common_too() {
        for weak in [
            "aaaaaaaaaaaaaaa",
            "abcabcabcabcabcabc",
            "iloveyouiloveyou",
            "123456789012345",
            "987654321098765",
            "qwertyuiopasdfgh",
            "zyxwvutsrqponmlk",
            "1qaz2wsx3edc4rfv",
            "password12345678",
            "!!!dragon2024!!!",
            "monkey monkey monkey",
            "correct-horse-battery-staple",
        ] {
            assert!(is_common(weak), "{weak} should be refused");
            assert_eq!(
                check(weak, 15, 128, &Words::default()),
                Err(Refusal::Common),
                "{weak}"
            );
        }
        for fine in [
            "violet tractor under the bridge 42",
            "my dog ate 3 purple tomatoes",
            "Tr0ub4dor&3 and a long tail",
        ] {
            assert!(!is_common(fine), "{fine} should be accepted");
        }
    }

    #[test]
    fn length_counts_code_points_after_nfc() {
        // "é" as e + combining accent is two code points before NFC and one after:
        // "déjà vu, encore" is 17 code points as typed here and 15 after NFC.
        assert_eq!(
            check("de\u{301}ja\u{300} vu, encore", 15, 128, &Words::default()),
            Ok(())
        );
        assert_eq!(
            check("de\u{301}ja\u{300} vu encore", 15, 128, &Words::default()),
            Err(Refusal::TooShort)
        );
        assert_eq!(
            check(&"x".repeat(129), 15, 128, &Words::default()),
            Err(Refusal::TooLong)
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert_eq!(
            check("passwordpassword", 15, 128, &Words::default()),
            Err(Refusal::Common)
        );
        assert_eq!(
            check("jane.doe@example.com!!", 15, 128, &jane()),
            Err(Refusal::Personal)
        );
        assert_eq!(
            check(
                "correct horse battery staple 42",
                15,
                128,
                &Words::default()
            ),
            Err(Refusal::Common),
            "xkcd's, padded"
        );
        assert_eq!(
            check("violet tractor under the bridge 42", 15, 128, &jane()),
            Ok(())
        );
    }
}
