//! The password rules of NIST SP 800-63B-4 3.1.1.2: length in code points after NFC
//! normalisation, a blocklist of common passwords, and nothing else (no composition rules).
//!
//! The blocklist ships in `data/common-passwords.txt` and is compiled in; it is checked
//! case-insensitively against the whole password.

use unicode_normalization::UnicodeNormalization;

const COMMON: &str = include_str!("../../data/common-passwords.txt");

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

/// Whether `password` is on the shipped list of common passwords.
pub fn is_common(password: &str) -> bool {
    let lowered = normalize(password).to_lowercase();
    COMMON
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line == lowered)
}

/// How many entries the shipped list has.
pub fn common_count() -> usize {
    COMMON
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .count()
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
    fn length_counts_code_points_after_nfc() {
        // "é" as e + combining accent is two code points before NFC and one after.
        let decomposed = "e\u{301}".repeat(15);
        assert_eq!(check(&decomposed, 15, 128, None), Ok(()));
        assert_eq!(
            check(&"e\u{301}".repeat(14), 15, 128, None),
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
            check(
                "correct horse battery staple 42",
                15,
                128,
                Some("jane@example.com")
            ),
            Ok(())
        );
    }
}
