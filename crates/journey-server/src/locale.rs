//! Which language a flow speaks: a pure function of what the page asked for, what the browser
//! accepts and what the tenant and brand have. No IO, no state; the flow start calls it once
//! and the flow keeps the answer.
//!
//! ```text
//!  requested (StartFlow.locale: the widget's `locale` attribute, else the page's `lang`)
//!     │ the tenant has it, or a shorter form of it (de-CH → de)?  ── yes ──> that
//!     v no
//!  Accept-Language, highest q first (ties in header order; q=0 rules a language out)
//!     │ a range the tenant has (exactly, shortened, or a regional form of it)? ── yes ──> that
//!     v no
//!  the brand's default language (its `default_locale`, else the tenant's)
//! ```
//!
//! Everything that comes in is untrusted: a tag or range that is not well formed is skipped,
//! a header longer than [`MAX_HEADER_BYTES`] is ignored whole, and at most [`MAX_RANGES`]
//! ranges are read, so the work per request is small and bounded. Tags compare without regard
//! to case (RFC 5646). The pseudo-locale (`en-XA`, development mode only) is chosen only when
//! asked for by its exact tag, never as the regional form of `en`.
//!
//! [`direction`] says which way a language is written, for a page's or a preview's `dir`.

use journey_i18n::PSEUDO_LOCALE;

/// The primary languages written right to left among those Journeykit may ship: Arabic,
/// Hebrew, Persian and Urdu.
const RIGHT_TO_LEFT: &[&str] = &["ar", "he", "fa", "ur"];

/// The writing direction of the language `tag`: `rtl` or `ltr`, as HTML's `dir` takes it.
pub fn direction(tag: &str) -> &'static str {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag);
    if RIGHT_TO_LEFT
        .iter()
        .any(|rtl| primary.eq_ignore_ascii_case(rtl))
    {
        "rtl"
    } else {
        "ltr"
    }
}

/// An `Accept-Language` header longer than this is ignored (browsers send well under 200
/// bytes).
pub const MAX_HEADER_BYTES: usize = 1024;

/// At most this many language ranges of an `Accept-Language` header are read.
pub const MAX_RANGES: usize = 32;

/// A requested tag longer than this is ignored.
const MAX_TAG_BYTES: usize = 64;

/// Picks the flow's language among `languages` (the tenant's): the `requested` one if the tenant
/// has it, else the best match of the `accept_language` header, else `default` (the brand's).
pub fn negotiate<'a>(
    requested: Option<&str>,
    accept_language: Option<&str>,
    languages: &'a [String],
    default: &'a str,
) -> &'a str {
    if let Some(found) = requested
        .map(|r| r.trim().replace('_', "-"))
        .filter(|r| r.len() <= MAX_TAG_BYTES && is_range(r) && r != "*")
        .and_then(|r| matching(&r, languages, &[]))
    {
        return found;
    }
    accept_language
        .and_then(|header| best_accepted(header, languages, default))
        .unwrap_or(default)
}

/// A language range of `Accept-Language` with its weight in thousandths.
struct Weighted<'h> {
    range: &'h str,
    weight: u16,
}

/// The best language of `header` the tenant has, if any.
fn best_accepted<'a>(header: &str, languages: &'a [String], default: &'a str) -> Option<&'a str> {
    if header.len() > MAX_HEADER_BYTES {
        return None;
    }
    let ranges: Vec<Weighted<'_>> = header
        .split(',')
        .map(str::trim)
        .filter(|element| !element.is_empty())
        .take(MAX_RANGES)
        .filter_map(weighted)
        .collect();
    let excluded: Vec<&str> = ranges
        .iter()
        .filter(|r| r.weight == 0 && r.range != "*")
        .map(|r| r.range)
        .collect();
    let mut wanted: Vec<&Weighted<'_>> = ranges.iter().filter(|r| r.weight > 0).collect();
    // A stable sort: ranges of equal weight keep the order the browser sent them in.
    wanted.sort_by_key(|w| std::cmp::Reverse(w.weight));
    wanted.into_iter().find_map(|wanted| {
        if wanted.range == "*" {
            std::iter::once(default)
                .chain(languages.iter().map(String::as_str))
                .find(|language| !is_excluded(language, &excluded))
        } else {
            matching(wanted.range, languages, &excluded)
        }
    })
}

/// Parses `range [; q=weight]`; anything else is malformed and skipped.
fn weighted(element: &str) -> Option<Weighted<'_>> {
    let mut parts = element.split(';').map(str::trim);
    let range = parts.next().filter(|range| is_range(range))?;
    let weight = match parts.next() {
        None => 1000,
        Some(param) => {
            let value = param
                .strip_prefix("q=")
                .or_else(|| param.strip_prefix("Q="))?;
            qvalue(value)?
        }
    };
    parts.next().is_none().then_some(Weighted { range, weight })
}

/// RFC 9110's `qvalue` (`0`, `0.5`, `1.000`, at most three decimals) in thousandths.
fn qvalue(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Whether `range` is `*` or a language tag shape: subtags of 1 to 8 letters or digits,
/// separated by `-`, the first of letters only.
fn is_range(range: &str) -> bool {
    if range == "*" {
        return true;
    }
    let mut subtags = range.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `language` is ruled out by a `q=0` range: the range itself or a regional form of it.
fn is_excluded(language: &str, excluded: &[&str]) -> bool {
    excluded
        .iter()
        .any(|range| is_prefix_or_equal(range, language))
}

/// Whether `range` is `tag` or a leading part of it ending at a `-` (`en` of `en-GB`).
fn is_prefix_or_equal(range: &str, tag: &str) -> bool {
    tag.len() >= range.len()
        && tag.is_char_boundary(range.len())
        && tag[..range.len()].eq_ignore_ascii_case(range)
        && (tag.len() == range.len() || tag.as_bytes()[range.len()] == b'-')
}

/// The tenant's language for `tag`, not ruled out: the tag itself, else each shorter form of it
/// (RFC 4647 lookup: `de-CH-1996` → `de-CH` → `de`), else a regional form of it the tenant has
/// (`pt` → `pt-BR`; never the pseudo-locale).
fn matching<'a>(tag: &str, languages: &'a [String], excluded: &[&str]) -> Option<&'a str> {
    let allowed = |language: &&String| !is_excluded(language, excluded);
    let mut candidate = tag;
    loop {
        if let Some(found) = languages
            .iter()
            .filter(allowed)
            .find(|language| language.eq_ignore_ascii_case(candidate))
        {
            return Some(found);
        }
        let Some((shorter, _)) = candidate.rsplit_once('-') else {
            break;
        };
        // A single-letter subtag (an extension or private-use marker) goes with what follows.
        candidate = match shorter.rsplit_once('-') {
            Some((before, single)) if single.len() == 1 => before,
            _ => shorter,
        };
    }
    languages
        .iter()
        .filter(allowed)
        .filter(|language| !language.eq_ignore_ascii_case(PSEUDO_LOCALE))
        .find(|language| is_prefix_or_equal(tag, language))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| (*t).to_owned()).collect()
    }

    /// The language picked for a tenant with `tags` and a brand default of `nl`.
    fn pick(requested: Option<&str>, header: Option<&str>, tags: &[&str]) -> String {
        negotiate(requested, header, &tenant(tags), "nl").to_owned()
    }

    const SIX: &[&str] = &["en", "nl", "de", "fr", "es", "ar"];

    #[test]
    fn the_requested_language_wins_when_the_tenant_has_it() {
        assert_eq!(pick(Some("de"), Some("fr, en"), SIX), "de");
        assert_eq!(pick(Some("de-CH"), Some("fr"), SIX), "de");
        assert_eq!(pick(Some("de_CH"), None, SIX), "de");
        assert_eq!(pick(Some("DE-ch"), None, SIX), "de");
        assert_eq!(pick(Some("  ar "), None, SIX), "ar");
        assert_eq!(pick(Some("zh-Hant-TW"), Some("es"), SIX), "es");
        assert_eq!(pick(Some("de-CH-1996"), None, &["en", "de-CH"]), "de-CH");
        assert_eq!(
            pick(Some("en-a-bbb-x"), None, SIX),
            "en",
            "extensions are dropped"
        );
        assert_eq!(pick(Some("pt"), None, &["en", "pt-BR"]), "pt-BR");
    }

    #[test]
    fn a_requested_language_the_tenant_lacks_falls_to_the_header_then_the_default() {
        assert_eq!(pick(Some("ja"), Some("fr;q=0.5, es"), SIX), "es");
        assert_eq!(pick(Some("ja"), None, SIX), "nl");
        assert_eq!(pick(None, None, SIX), "nl");
        assert_eq!(pick(Some(""), Some("ar"), SIX), "ar");
    }

    #[test]
    fn a_malformed_requested_language_is_ignored() {
        for bad in [
            "*",
            "en--GB",
            "-en",
            "en-",
            "123",
            "english-language",
            "en GB",
            "é",
        ] {
            assert_eq!(pick(Some(bad), Some("es"), SIX), "es", "{bad:?}");
        }
        let long = format!("en-{}", ["abcdefgh"; 10].join("-"));
        assert_eq!(pick(Some(&long), Some("fr"), SIX), "fr");
    }

    #[test]
    fn accept_language_follows_q_values_then_header_order() {
        assert_eq!(
            pick(
                None,
                Some("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
                SIX
            ),
            "fr"
        );
        assert_eq!(pick(None, Some("ja, es;q=0.2, de;q=0.8"), SIX), "de");
        assert_eq!(pick(None, Some("es;q=0.8, de;q=0.8"), SIX), "es");
        assert_eq!(pick(None, Some("de;q=0.8, es;q=0.8"), SIX), "de");
        assert_eq!(pick(None, Some("de;q=0.001, es;q=0.01"), SIX), "es");
        assert_eq!(pick(None, Some("de;q=1.000, es"), SIX), "de");
        assert_eq!(pick(None, Some("ja, zh"), SIX), "nl");
        assert_eq!(pick(None, Some("en-GB"), &["en", "en-XA"]), "en");
    }

    #[test]
    fn accept_language_is_case_insensitive_and_tolerates_spacing() {
        assert_eq!(pick(None, Some("ES-mx"), SIX), "es");
        assert_eq!(pick(None, Some(" de ;  q=0.5 ,fr ;Q=0.9 "), SIX), "fr");
        assert_eq!(pick(None, Some(",, ,de,"), SIX), "de");
        assert_eq!(
            negotiate(None, Some("EN"), &tenant(&["fr", "en-GB"]), "fr"),
            "en-GB"
        );
    }

    #[test]
    fn q_zero_rules_a_language_out() {
        assert_eq!(pick(None, Some("de;q=0, fr;q=0.5"), SIX), "fr");
        assert_eq!(
            pick(None, Some("de-CH, de;q=0"), SIX),
            "nl",
            "de-CH shortens to de, ruled out"
        );
        assert_eq!(pick(None, Some("*, nl;q=0"), SIX), "en");
        assert_eq!(
            pick(None, Some("*"), SIX),
            "nl",
            "any language: the brand's default"
        );
        assert_eq!(
            pick(None, Some("en;q=0"), &["en"]),
            "nl",
            "nothing left: the default anyway"
        );
        assert_eq!(pick(None, Some("*;q=0"), SIX), "nl");
        // A requested language is the page's own choice; the header does not overrule it.
        assert_eq!(pick(Some("de"), Some("de;q=0"), SIX), "de");
    }

    #[test]
    fn malformed_ranges_are_skipped_and_the_rest_read() {
        for header in [
            "de;q=2, fr",
            "de;q=1.5, fr",
            "de;q=0.5555, fr;q=0.4",
            "de;q=abc, fr",
            "de;q=, fr",
            "de;q=-1, fr",
            "de;level=1, fr",
            "de;q=0.5;q=0.6, fr;q=0.1",
            "d€, fr",
            "de_DE, fr",
            "123, fr",
            "toolongtag, fr",
            "de-, fr",
            "\"de\", fr",
        ] {
            assert_eq!(pick(None, Some(header), SIX), "fr", "{header:?}");
        }
        for header in ["", ";", ";q=1", "q=0.5", ",,,", "*;q", "en;;"] {
            assert_eq!(pick(None, Some(header), SIX), "nl", "{header:?}");
        }
    }

    #[test]
    fn oversized_headers_are_ignored_and_long_lists_cut() {
        let huge = format!("{}de", "x-aaaaaaaa, ".repeat(200));
        assert!(huge.len() > MAX_HEADER_BYTES);
        assert_eq!(pick(None, Some(&huge), SIX), "nl");
        // Within the byte limit, only the first ranges are read.
        let many = format!("{}de", "ja, ".repeat(MAX_RANGES));
        assert!(many.len() <= MAX_HEADER_BYTES);
        assert_eq!(pick(None, Some(&many), SIX), "nl");
        let fewer = format!("{}de", "ja, ".repeat(MAX_RANGES - 1));
        assert_eq!(pick(None, Some(&fewer), SIX), "de");
    }

    #[test]
    fn the_pseudo_locale_only_by_its_exact_tag() {
        let dev = &["en", "nl", "en-XA"];
        assert_eq!(pick(Some("en-XA"), None, dev), "en-XA");
        assert_eq!(pick(Some("EN-xa"), None, dev), "en-XA");
        assert_eq!(pick(None, Some("en-XA"), dev), "en-XA");
        // Outside development mode the tenant has no en-XA: it is English.
        assert_eq!(pick(Some("en-XA"), None, &["en", "nl"]), "en");
        // A browser asking for English never gets the pseudo-locale as a regional form.
        assert_eq!(pick(None, Some("en"), &["nl", "en-XA"]), "nl");
    }

    #[test]
    fn qvalues_follow_rfc_9110() {
        assert_eq!(qvalue("0"), Some(0));
        assert_eq!(qvalue("0.5"), Some(500));
        assert_eq!(qvalue("0.05"), Some(50));
        assert_eq!(qvalue("0.123"), Some(123));
        assert_eq!(qvalue("1"), Some(1000));
        assert_eq!(qvalue("1."), Some(1000));
        assert_eq!(qvalue("1.000"), Some(1000));
        for bad in ["1.001", "2", "0.1234", ".5", "", "0x1", "+0.5", "0.5 ", "١"] {
            assert_eq!(qvalue(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn arabic_hebrew_persian_and_urdu_are_written_right_to_left() {
        for rtl in ["ar", "AR", "ar-EG", "he", "fa-IR", "ur_PK"] {
            assert_eq!(direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "nl", "de", "fr", "es", "en-XA", "arn", "her", ""] {
            assert_eq!(direction(ltr), "ltr", "{ltr}");
        }
    }
}
