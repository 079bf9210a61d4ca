//! The input rules for every text a person types: names, email addresses, passwords.
//!
//! Every value is normalised to NFC and trimmed of surrounding spaces. Control characters (Cc)
//! and the invisible or bidirectional formatting characters that can hide or reorder what a
//! value shows ([`is_forbidden`]) are refused, never silently stripped: a name that displays as
//! `Jane` but holds a right-to-left override is not `Jane`. The zero-width joiners U+200C and
//! U+200D stay allowed, since Persian, Indic scripts and emoji need them. A value with no
//! visible character at all counts as empty ([`Problem::Required`] when the field is required).
//!
//! Email addresses follow the HTML standard's valid-email grammar with two additions: the
//! domain needs at least two labels, and RFC 5321's lengths hold (local part ≤ 64, total ≤
//! 254). Domains are normalised with IDNA (UTS 46), so `jane@bücher.de` and
//! `jane@xn--bcher-kva.de` are one address; the canonical form is lower-case with the ASCII
//! (punycode) domain, and [`email_for_display`] turns it back into Unicode for the person.
//! Whether an address works is proven by the code sent to it, not here.
//!
//! The blocks map a [`Problem`] to its message with [`Problem::message`]; password rules live in
//! `password_policy` and use [`is_forbidden`] from here.

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use journey_protocol::Text;
use unicode_normalization::UnicodeNormalization;

/// The longest email address (RFC 5321, with its 256-octet path less the angle brackets).
pub const EMAIL_MAX: usize = 254;
/// The longest local part of an email address (RFC 5321).
const LOCAL_MAX: usize = 64;
/// The longest label of a domain (RFC 1035).
const LABEL_MAX: usize = 63;

/// Why a value is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required value is empty or has no visible character.
    Required,
    /// More code points than the field allows.
    TooLong(u32),
    /// A control, invisible or bidirectional formatting character.
    Invalid,
    /// Not a valid email address.
    EmailInvalid,
}

impl Problem {
    /// The message shown beside the field.
    pub fn message(self) -> Text {
        match self {
            Problem::Required => Text::msg("error-required"),
            Problem::TooLong(max) => Text::msg("error-too-long").arg("max", max),
            Problem::Invalid => Text::msg("error-text-invalid"),
            Problem::EmailInvalid => Text::msg("error-email-invalid"),
        }
    }

    /// Every message id a [`Problem`] can show, for the blocks' `message_ids`.
    pub const MESSAGE_IDS: [&'static str; 4] = [
        "error-required",
        "error-too-long",
        "error-text-invalid",
        "error-email-invalid",
    ];
}

/// Whether `c` is refused in every text: a control character (Cc), or an invisible or
/// bidirectional formatting character that can hide or reorder what a value shows.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Soft hyphen, Arabic letter mark, Mongolian vowel separator.
            '\u{AD}' | '\u{61C}' | '\u{180E}'
            // Hangul fillers: they render as nothing.
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
            // Khmer inherent vowels, deprecated because they are invisible.
            | '\u{17B4}' | '\u{17B5}'
            // Zero width space, left-to-right and right-to-left marks (not the joiners
            // U+200C and U+200D).
            | '\u{200B}' | '\u{200E}' | '\u{200F}'
            // Line and paragraph separators, bidirectional embeddings and overrides.
            | '\u{2028}'..='\u{202E}'
            // Word joiner, invisible operators, bidirectional isolates, deprecated formats.
            | '\u{2060}'..='\u{206F}'
            // Braille blank, which looks like a space but is not one.
            | '\u{2800}'
            // Byte order mark, interlinear annotations.
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
            // Shorthand and musical format controls.
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            // Tags, which hide text inside what looks like one character.
            | '\u{E0000}'..='\u{E007F}'
        )
}

/// Whether `c` shows nothing: whitespace, a forbidden character, or one of the other default
/// ignorable code points (joiners, variation selectors, the combining grapheme joiner).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || is_forbidden(c)
        || matches!(
            c,
            '\u{34F}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{E0080}'..='\u{E0FFF}'
        )
}

/// Spaces around a value are dropped (autofill and paste add them); controls such as a tab or
/// a newline are not spaces here, so they are refused rather than trimmed away.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() && !is_forbidden(c)
}

/// A text value after the rules: NFC, trimmed, at most `max` code points, nothing forbidden.
/// `Ok(None)` when it has no visible character: the caller decides whether that is allowed.
pub fn text(raw: &str, max: u32) -> Result<Option<String>, Problem> {
    let normalized: String = raw.nfc().collect();
    let value = normalized.trim_matches(is_trimmed);
    if value.chars().all(is_invisible) {
        return Ok(None);
    }
    if value.chars().any(is_forbidden) {
        return Err(Problem::Invalid);
    }
    if value.chars().count() > max as usize {
        return Err(Problem::TooLong(max));
    }
    Ok(Some(value.to_owned()))
}

/// [`text`] for a field that must be filled in.
pub fn required_text(raw: &str, max: u32) -> Result<String, Problem> {
    text(raw, max)?.ok_or(Problem::Required)
}

/// An email address in its canonical form (see the module doc), `Ok(None)` when empty.
pub fn email(raw: &str) -> Result<Option<String>, Problem> {
    let Some(value) = text(raw, EMAIL_MAX as u32)? else {
        return Ok(None);
    };
    canonical_email(&value)
        .map(Some)
        .ok_or(Problem::EmailInvalid)
}

/// [`email`] for a field that must be filled in.
pub fn required_email(raw: &str) -> Result<String, Problem> {
    email(raw)?.ok_or(Problem::Required)
}

/// The canonical form of an address that passed [`text`], or `None` if it is not valid.
fn canonical_email(value: &str) -> Option<String> {
    let (local, domain) = value.split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= LOCAL_MAX
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b));
    if !local_ok {
        return None;
    }
    // UTS 46 with the STD3 rules: maps (lower-cases, NFC, full-width dots) and encodes each
    // label as punycode where needed; `@` and other ASCII symbols in the domain are refused.
    let ascii = Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .ok()?;
    // The HTML grammar, applied to the ASCII form: labels of letters, digits and hyphens,
    // none empty, none starting or ending with a hyphen.
    let labels: Vec<&str> = ascii.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= LABEL_MAX
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let email = format!(
        "{}@{}",
        local.to_ascii_lowercase(),
        ascii.to_ascii_lowercase()
    );
    (domain_ok && email.len() <= EMAIL_MAX).then_some(email)
}

/// A canonical address as the person should read it: the domain in Unicode
/// (`jane@xn--bcher-kva.de` shows as `jane@bücher.de`). An address whose domain cannot be
/// decoded is shown as it is.
pub fn email_for_display(email: &str) -> String {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email.to_owned();
    };
    match idna::domain_to_unicode(domain) {
        (unicode, Ok(())) => format!("{local}@{unicode}"),
        (_, Err(_)) => email.to_owned(),
    }
}

/// Hides most of an address: `jane@example.com` becomes `j***@example.com`. The domain shows
/// in Unicode (`j***@bücher.de`), as the person typed it, not in its stored punycode form.
pub fn mask_email(email: &str) -> String {
    match email_for_display(email).split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// Hides all but the last three digits of a phone number in its international form, keeping
/// the country code and, when the number has more groups, its first group: `+31 6 12345678`
/// becomes `+31 6 ••••• 678` (one dot per hidden digit), `+32 470 12 34 56` becomes
/// `+32 470 ••• 456`. A number without groups shows only its last three digits.
pub fn mask_phone(international: &str) -> String {
    let groups: Vec<&str> = international.split_whitespace().collect();
    let country = groups.first().filter(|g| {
        g.strip_prefix('+')
            .is_some_and(|cc| (1..=3).contains(&cc.len()) && cc.bytes().all(|b| b.is_ascii_digit()))
    });
    let kept = match (country, groups.len()) {
        (Some(_), n) if n >= 3 => 2,
        (Some(_), _) => 1,
        (None, _) => 0,
    };
    let digits: Vec<char> = groups[kept..]
        .iter()
        .flat_map(|g| g.chars())
        .filter(char::is_ascii_digit)
        .collect();
    let hidden = digits.len().saturating_sub(3);
    let mut parts: Vec<String> = groups[..kept].iter().map(|g| (*g).to_owned()).collect();
    if hidden > 0 {
        parts.push("•".repeat(hidden));
    }
    parts.push(digits[hidden..].iter().collect());
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_show_only_their_country_first_group_and_last_digits() {
        assert_eq!(mask_phone("+31 6 12345678"), "+31 6 ••••• 678");
        assert_eq!(mask_phone("+32 470 12 34 56"), "+32 470 ••• 456");
        assert_eq!(mask_phone("+1 201-555-0123"), "+1 ••••••• 123");
        assert_eq!(mask_phone("+31612345678"), "•••••••• 678");
        assert_eq!(mask_phone("12"), "12");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn unicode_and_punycode_domains_are_one_address() {
        let unicode = email("Jane@Bücher.de");
        let ascii = email("jane@xn--bcher-kva.de");
        assert_eq!(unicode, Ok(Some("jane@xn--bcher-kva.de".to_owned())));
        assert_eq!(unicode, ascii);
        // Decomposed ü (u + combining diaeresis) is the same address after NFC.
        assert_eq!(email("jane@bu\u{308}cher.de"), ascii);
        assert_eq!(email_for_display("jane@xn--bcher-kva.de"), "jane@bücher.de");
        assert_eq!(email_for_display("jane@example.com"), "jane@example.com");
    }

    #[test]
    fn addresses_follow_the_html_grammar_with_a_dotted_domain() {
        for good in [
            "a@b.co",
            " Jane.Doe+tag@Example.COM ",
            "o'brien@example.ie",
            "x!#$%&'*+/=?^_`{|}~-@a-b.c0",
            "jane@sub.bücher.de",
        ] {
            assert!(
                matches!(email(good), Ok(Some(_))),
                "{good} should be accepted"
            );
        }
        let long_label = format!("a@{}.com", "b".repeat(64));
        let long_local = format!("{}@b.com", "a".repeat(65));
        // 221 code points as typed, more than 254 characters once the domain is punycode.
        let long_total = format!("a@{}.de", vec!["ü".repeat(30); 7].join("."));
        for bad in [
            "a@b..c",
            "a@-b.c",
            "a@b-.c",
            "a@@b.c",
            "a@b@c.d",
            "a b@c.d",
            "\"quoted\"@x.y",
            "a@localhost",
            "@b.c",
            "a@",
            "a@.b.c",
            "a@b.c.",
            "a@b_c.d",
            "jäne@example.com",
            "a@[127.0.0.1]",
            long_label.as_str(),
            long_local.as_str(),
            long_total.as_str(),
        ] {
            assert_eq!(email(bad), Err(Problem::EmailInvalid), "{bad}");
        }
        let too_long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        assert_eq!(email(&too_long), Err(Problem::TooLong(254)));
        assert_eq!(email(""), Ok(None));
        assert_eq!(required_email("  "), Err(Problem::Required));
        assert_eq!(email("a\u{202E}@b.c"), Err(Problem::Invalid));
    }

    #[test]
    fn invisible_bidi_and_control_characters_are_refused_not_stripped() {
        let mut listed: Vec<char> = "\u{200B}\u{FEFF}\u{200E}\u{200F}\u{61C}\u{AD}\u{180E}\u{2028}\u{2029}\u{115F}\u{1160}\u{3164}\u{FFA0}\u{2800}\u{0}\u{7}\u{1B}\u{7F}\u{85}\u{9}\u{A}".chars().collect();
        listed.extend('\u{202A}'..='\u{202E}');
        listed.extend('\u{2066}'..='\u{2069}');
        listed.extend('\u{2060}'..='\u{2064}');
        listed.extend(['\u{E0000}', '\u{E0001}', '\u{E0041}', '\u{E007F}']);
        for c in listed {
            let value = format!("Ja{c}ne");
            assert_eq!(
                text(&value, 100),
                Err(Problem::Invalid),
                "U+{:04X}",
                c as u32
            );
        }
        // Joiners are part of Persian words, Indic scripts and emoji.
        for fine in ["می\u{200C}خواهم", "क्\u{200D}ष", "👩\u{200D}💻", "❤\u{FE0F}"]
        {
            assert_eq!(text(fine, 100), Ok(Some(fine.to_owned())));
        }
    }

    #[test]
    fn a_value_without_visible_characters_is_empty() {
        for blank in [
            "",
            "   ",
            "\u{A0}\u{3000}",
            "\u{200B}",
            "\u{200B}\u{200D}",
            " \u{FEFF} ",
            "\u{3164}",
            "\t",
        ] {
            assert_eq!(text(blank, 100), Ok(None), "{blank:?}");
            assert_eq!(
                required_text(blank, 100),
                Err(Problem::Required),
                "{blank:?}"
            );
        }
    }

    #[test]
    fn values_are_nfc_trimmed_and_bounded_in_code_points() {
        assert_eq!(text(" e\u{301}mile ", 100), Ok(Some("émile".to_owned())));
        // Five code points after NFC, six before.
        assert_eq!(text("Rene\u{301}e", 5), Ok(Some("Renée".to_owned())));
        assert_eq!(text("Renéee", 5), Err(Problem::TooLong(5)));
    }
}
