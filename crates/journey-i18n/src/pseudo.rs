//! The pseudo-locale for QA: `en-XA`, generated from `en` (never written by hand, never
//! shipped outside development mode).
//!
//! Every letter of the English text is accented (`a` → `å`, `e` → `é`, …) so a text that is
//! not accented was not resolved through Fluent (a hard-coded string), and each formatted
//! message is padded about 40% longer inside brackets (`[Šîĝñ îñ ~~]`) so a layout that
//! truncates or overflows translations shows it.
//!
//! The accents are applied by Fluent itself as a transform of text elements only (its
//! pseudo-localisation hook), so placeables, selectors, plural variants and attributes are the
//! English ones: a pseudo message formats with exactly the arguments its English one takes,
//! and argument values (an email address, a code) stay as they are.

use std::borrow::Cow;

/// The tag of the pseudo-locale.
pub const PSEUDO_LOCALE: &str = "en-XA";

/// The language it is generated from.
pub const PSEUDO_SOURCE: &str = "en";

/// How much longer a pseudo text is than its source, in percent.
const EXPANSION_PERCENT: usize = 40;

/// Accents every ASCII letter of `text`; other characters stay.
pub fn accent(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(accented).collect())
}

fn accented(c: char) -> char {
    const LOWER: [char; 26] = [
        'å', 'ƀ', 'ç', 'ð', 'é', 'ƒ', 'ĝ', 'ĥ', 'î', 'ĵ', 'ķ', 'ļ', 'ɱ', 'ñ', 'ö', 'þ', 'ǫ', 'ŕ',
        'š', 'ţ', 'û', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž',
    ];
    const UPPER: [char; 26] = [
        'Å', 'Ɓ', 'Ç', 'Ð', 'É', 'Ƒ', 'Ĝ', 'Ĥ', 'Î', 'Ĵ', 'Ķ', 'Ļ', 'Ṁ', 'Ñ', 'Ö', 'Þ', 'Ǫ', 'Ŕ',
        'Š', 'Ţ', 'Û', 'Ṽ', 'Ŵ', 'Ẋ', 'Ý', 'Ž',
    ];
    let index = |base: u8| (c as u8 - base) as usize;
    match c {
        'a'..='z' => LOWER[index(b'a')],
        'A'..='Z' => UPPER[index(b'A')],
        _ => c,
    }
}

/// Wraps a formatted pseudo text in brackets with tildes, so that it is about 40% longer than
/// `text` (and always visibly bracketed, however short).
pub fn pad(text: &str) -> String {
    let length = text.chars().count();
    let target = (length * (100 + EXPANSION_PERCENT)).div_ceil(100);
    // "[" + text + " " + tildes + "]": at least one tilde.
    let tildes = target.saturating_sub(length + 3).max(1);
    let mut padded = String::with_capacity(text.len() + tildes + 3);
    padded.push('[');
    padded.push_str(text);
    padded.push(' ');
    padded.extend(std::iter::repeat_n('~', tildes));
    padded.push(']');
    padded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_every_letter_and_nothing_else() {
        let text = "The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX: 1-2_3!";
        let accented = accent(text);
        assert!(
            !accented.chars().any(|c| c.is_ascii_alphabetic()),
            "{accented}"
        );
        assert_eq!(accented.chars().count(), text.chars().count());
        assert!(accented.ends_with(": 1-2_3!"));
        assert_eq!(accent("a e"), "å é");
        assert!(matches!(accent("{ } 12"), Cow::Borrowed(_)));
    }

    #[test]
    fn pads_about_forty_percent_in_brackets() {
        let long = "A few unrelated words make a strong password that is easy to remember.";
        let padded = pad(long);
        let ratio = padded.chars().count() as f64 / long.chars().count() as f64;
        assert!((1.39..1.45).contains(&ratio), "{ratio} {padded}");
        assert!(padded.starts_with('[') && padded.ends_with("~]"));
        assert!(padded.contains(long));
        assert_eq!(pad("Go"), "[Go ~]");
        assert_eq!(pad(""), "[ ~]");
    }
}
