//! The password rules of NIST SP 800-63B-4 3.1.1.2: length in code points after NFC
//! normalisation, a blocklist of common passwords, and nothing else (no composition rules).
//!
//! The blocklist ships in `data/common-passwords.txt` and is compiled in; it is checked
//! case-insensitively against the whole password. Few listed passwords reach the 15 characters
//! a single-factor password needs, so the ways people stretch a weak one to that length are
//! refused too: a short piece repeated (`abcabcabc…`), a walk along the alphabet, the digits or a
//! keyboard row (`123456789012345`, `qwertyuiopasdfgh`), and a listed password padded with
//! digits or symbols (`password12345678`).

use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

const LIST: &str = include_str!("../../data/common-passwords.txt");

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

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Fewer code points than the minimum.
    TooShort,
    /// More code points than the maximum.
    TooLong,
    /// On the list of common passwords.
    Common,
    /// Contains the person's own email address or its local part.
    Personal,
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

/// Checks a new password against the rules; `email` is the account's address, if known.
pub fn check(password: &str, min: u32, max: u32, email: Option<&str>) -> Result<(), Refusal> {
    let normalized = normalize(password);
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
    if let Some(email) = email {
        let lowered = normalized.to_lowercase();
        let local = email.split('@').next().unwrap_or(email);
        if lowered.contains(email) || (local.chars().count() >= 4 && lowered.contains(local)) {
            return Err(Refusal::Personal);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(check(weak, 15, 128, None), Err(Refusal::Common), "{weak}");
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
            check("de\u{301}ja\u{300} vu, encore", 15, 128, None),
            Ok(())
        );
        assert_eq!(
            check("de\u{301}ja\u{300} vu encore", 15, 128, None),
            Err(Refusal::TooShort)
        );
        assert_eq!(
            check(&"x".repeat(129), 15, 128, None),
            Err(Refusal::TooLong)
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert_eq!(
            check("passwordpassword", 15, 128, None),
            Err(Refusal::Common)
        );
        assert_eq!(
            check(
                "jane.doe@example.com!!",
                15,
                128,
                Some("jane.doe@example.com")
            ),
            Err(Refusal::Personal)
        );
        assert_eq!(
            check("correct horse battery staple 42", 15, 128, None),
            Err(Refusal::Common),
            "xkcd's, padded"
        );
        assert_eq!(
            check(
                "violet tractor under the bridge 42",
                15,
                128,
                Some("jane@example.com")
            ),
            Ok(())
        );
    }
}
