//! Phone numbers as a person types them, for the phone blocks of issue 8: parsed with the
//! `phonenumber` crate (Google's libphonenumber metadata, pinned with it), valid for their
//! country by that metadata, in one of the countries a tenant allows, and normalised to E.164
//! (`+31612345678`), the only form kept, compared and sent to a provider.
//!
//! A person may type the number as they would dial it at home (`06 12345678` with the
//! tenant's default country) or in the international form (`+31 6 12345678`, `0031…`); spaces,
//! dashes, dots and brackets are theirs to use. What is refused, and why, is a [`Problem`],
//! shown beside the field ([`Problem::message`]). Whether the number is theirs is proven by the
//! code sent to it, not here. A number that can take an SMS (a mobile, or where the metadata
//! cannot tell mobiles from fixed lines) says so ([`Phone::takes_sms`]); any valid number can
//! take a voice call.

use journey_protocol::Text;
use phonenumber::country::Id;
use phonenumber::{Mode, Type};

/// The most characters a typed number may have: E.164's 15 digits, a `+`, and room for the
/// spaces and punctuation people type; anything longer is refused before it is parsed.
pub const INPUT_MAX: usize = 32;

/// A valid phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// The number in E.164.
    pub e164: String,
    /// Its country (ISO 3166-1 alpha-2, upper case), by the metadata.
    pub country: String,
    /// Whether it can take an SMS.
    pub takes_sms: bool,
}

/// Why a typed number is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed.
    Required,
    /// More than [`INPUT_MAX`] characters.
    TooLong,
    /// Not a phone number, or not one that exists in its country's numbering plan.
    Invalid,
    /// A valid number of a country the tenant does not serve.
    CountryNotAllowed,
    /// A valid number that cannot take an SMS, when an SMS is to be sent.
    NoSms,
}

impl Problem {
    /// The message shown beside the field.
    pub fn message(&self) -> Text {
        match self {
            Problem::Required => Text::msg("error-required"),
            Problem::TooLong => Text::msg("error-too-long").arg("max", INPUT_MAX as u32),
            Problem::Invalid => Text::msg("error-phone-invalid"),
            Problem::CountryNotAllowed => Text::msg("error-phone-country"),
            Problem::NoSms => Text::msg("error-phone-no-sms"),
        }
    }

    /// Every message id a [`Problem`] can show, for the blocks' `message_ids`.
    pub const MESSAGE_IDS: [&'static str; 5] = [
        "error-required",
        "error-too-long",
        "error-phone-invalid",
        "error-phone-country",
        "error-phone-no-sms",
    ];
}

/// Loads the numbering plans now: the metadata loads on first use (about 85 ms in a release
/// build), so the blocks that read numbers call this when their journey loads, and the first
/// person to type a number does not wait for it.
pub fn load_metadata() {
    let _ = phonenumber::metadata::DATABASE.by_id("NL");
}

/// Whether `code` is a country the metadata knows (ISO 3166-1 alpha-2, upper case), for the
/// checks of a tenant's settings when they load.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && code.parse::<Id>().is_ok()
}

/// A number kept in E.164 (`+31612345678`) in the international form people read, grouped as
/// its country writes it (`+31 6 12345678`); `None` for what is not a valid E.164 number.
pub fn international(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    number
        .is_valid()
        .then(|| number.format().mode(Mode::International).to_string())
}

/// Parses `input` as a phone number, read in `default_country` when it has no international
/// prefix, and accepts it when it is valid and its country is one of `allowed` (upper-case
/// ISO codes; every country when empty).
pub fn parse(
    input: &str,
    default_country: Option<&str>,
    allowed: &[String],
) -> Result<Phone, Problem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Problem::Required);
    }
    if input.chars().count() > INPUT_MAX {
        return Err(Problem::TooLong);
    }
    // Digits, one international `+` in front and what people put between digits; nothing else
    // reaches the parser (it would read letters as a vanity number, and an extension is not
    // ours).
    if !input
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')' | '/'))
        || input.rfind('+').is_some_and(|at| at > 0)
    {
        return Err(Problem::Invalid);
    }
    let country = default_country.and_then(|c| c.parse::<Id>().ok());
    let number = phonenumber::parse(country, input).map_err(|_| Problem::Invalid)?;
    if !number.is_valid() {
        return Err(Problem::Invalid);
    }
    let Some(id) = number.country().id() else {
        return Err(Problem::Invalid);
    };
    let country = id.as_ref().to_owned();
    if !allowed.is_empty() && !allowed.contains(&country) {
        return Err(Problem::CountryNotAllowed);
    }
    let takes_sms = matches!(
        number.number_type(&phonenumber::metadata::DATABASE),
        Type::Mobile | Type::FixedLineOrMobile
    );
    Ok(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        country,
        takes_sms,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn nl_be() -> Vec<String> {
        vec!["NL".into(), "BE".into()]
    }

    #[test]
    fn a_number_is_read_at_home_or_abroad_and_kept_in_e164() {
        for typed in [
            "06 12345678",
            "06-1234 5678",
            "+31 6 12345678",
            "0031612345678",
            "(06) 12.34.56.78",
        ] {
            let phone = parse(typed, Some("NL"), &nl_be()).unwrap();
            assert_eq!(phone.e164, "+31612345678", "{typed}");
            assert_eq!(phone.country, "NL");
            assert!(phone.takes_sms, "{typed}: a Dutch 06 number is a mobile");
        }
        let belgian = parse("+32 470 12 34 56", Some("NL"), &nl_be()).unwrap();
        assert_eq!(belgian.e164, "+32470123456");
        assert_eq!(belgian.country, "BE");
    }

    #[test]
    fn a_fixed_line_takes_a_call_not_an_sms() {
        let phone = parse("020 123 4567", Some("NL"), &nl_be()).unwrap();
        assert_eq!(phone.e164, "+31201234567");
        assert!(!phone.takes_sms);
    }

    #[test]
    fn only_the_tenant_s_countries_are_accepted() {
        assert_eq!(
            parse("+44 7400 123456", Some("NL"), &nl_be()),
            Err(Problem::CountryNotAllowed)
        );
        assert_eq!(parse("+44 7400 123456", None, &[]).unwrap().country, "GB");
    }

    #[test]
    fn malformed_and_hostile_input_is_refused_with_its_reason() {
        assert_eq!(parse("", Some("NL"), &[]), Err(Problem::Required));
        assert_eq!(parse("   ", Some("NL"), &[]), Err(Problem::Required));
        assert_eq!(
            parse(&"1".repeat(33), Some("NL"), &[]),
            Err(Problem::TooLong)
        );
        assert_eq!(
            parse(&"9".repeat(100_000), Some("NL"), &[]),
            Err(Problem::TooLong)
        );
        for typed in [
            "06 1234",              // too short
            "+31 6 123456789012",   // too long for its plan
            "+999 123456",          // no such country code
            "call me",              // letters
            "1-800-FLOWERS",        // a vanity number
            "06 12345678 ext. 5",   // an extension
            "+31\u{202e}612345678", // a bidirectional override
            "٠٦١٢٣٤٥٦٧٨",           // Arabic-Indic digits are not read as a number here
            "++31612345678",
            "06\n12345678",
        ] {
            assert_eq!(
                parse(typed, Some("NL"), &[]),
                Err(Problem::Invalid),
                "{typed:?}"
            );
        }
        // Without a default country a national number cannot be read.
        assert_eq!(parse("06 12345678", None, &[]), Err(Problem::Invalid));
    }

    #[test]
    fn a_kept_number_reads_in_its_country_s_groups() {
        assert_eq!(
            international("+31612345678").as_deref(),
            Some("+31 6 12345678")
        );
        assert_eq!(
            international("+32470123456").as_deref(),
            Some("+32 470 12 34 56")
        );
        assert_eq!(international("0612345678"), None);
        assert_eq!(international("+999123"), None);
    }

    #[test]
    fn countries_are_known_by_their_iso_code() {
        assert!(is_country("NL"));
        assert!(is_country("GB"));
        assert!(!is_country("nl"));
        assert!(!is_country("XX"));
        assert!(!is_country("NLD"));
        assert!(!is_country(""));
    }

    #[test]
    fn every_problem_has_a_listed_message() {
        for problem in [
            Problem::Required,
            Problem::TooLong,
            Problem::Invalid,
            Problem::CountryNotAllowed,
            Problem::NoSms,
        ] {
            assert!(Problem::MESSAGE_IDS.contains(&problem.message().id.as_str()));
        }
    }
}
