//! The attributes an account's profile can hold beyond its email, and how each is asked for and
//! checked: the catalogue that `profile_completion` draws from.
//!
//! Every attribute has a kind, and each kind has its own rules, checked on the server whatever
//! the widget did:
//!
//! - text (`given_name`, `family_name`): [`crate::text`]'s rules and a length limit;
//! - date (`birthdate`, OpenID Connect's `YYYY-MM-DD`): a real calendar day, not in the future,
//!   not before 1900, and when the journey says so at least `min_age` years before today;
//! - postal address (`address`): street and number, postal code, town and country, one field
//!   each; the country one of the journey's, the postal code in that country's format, kept as
//!   the JSON of OpenID Connect's `address` claim;
//! - single choice and yes/no: attributes a journey declares itself, whose value must be one of
//!   their options (a yes/no is a choice of `yes` and `no`).
//!
//! Values are kept in the flow (and the account) as strings in their canonical form: a date as
//! `YYYY-MM-DD`, an address as its JSON, a choice as the option's value.

use crate::kernel::field;
use crate::text::{self, Problem};
use journey_protocol::{Field, FieldKind, FieldOption, Text};
use serde::{Deserialize, Serialize};

/// The countries whose postal codes the address checks, ISO 3166-1 alpha-2.
pub const ADDRESS_COUNTRIES: [&str; 6] = ["BE", "DE", "ES", "FR", "GB", "NL"];

/// The longest street line, town and postal code.
const STREET_MAX: u32 = 200;
const LOCALITY_MAX: u32 = 100;
const POSTAL_MAX: u32 = 16;

/// The parts of an address, as its fields are named (`address.street_address`, …) and as the
/// `address` claim has them.
pub const ADDRESS_PARTS: [&str; 4] = ["street_address", "postal_code", "locality", "country"];

/// Why a value of a profile attribute is refused, beyond the text rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// A text rule (required, too long, forbidden characters).
    Text(Problem),
    /// Not a real calendar day in `YYYY-MM-DD`.
    Date,
    /// A day in the future, or before 1900.
    DateOutOfRange,
    /// Later than `min_age` years before today.
    TooYoung(u32),
    /// Not one of the options.
    Choice,
    /// Not a postal code of the chosen country.
    PostalCode,
    /// Not a phone number of one of the step's countries.
    Phone(crate::phone::Problem),
}

impl Invalid {
    /// The message shown beside the field.
    pub fn message(self) -> Text {
        match self {
            Self::Text(problem) => problem.message(),
            Self::Date => Text::msg("error-date-invalid"),
            Self::DateOutOfRange => Text::msg("error-date-range"),
            Self::TooYoung(years) => Text::msg("error-date-too-young").arg("years", years),
            Self::Choice => Text::msg("error-choice-invalid"),
            Self::PostalCode => Text::msg("error-postal-code"),
            Self::Phone(problem) => problem.message(),
        }
    }

    /// Every message id an [`Invalid`] can show besides the text rules'.
    pub const MESSAGE_IDS: [&'static str; 8] = [
        "error-date-invalid",
        "error-date-range",
        "error-date-too-young",
        "error-choice-invalid",
        "error-postal-code",
        "error-phone-invalid",
        "error-phone-country",
        "error-too-long",
    ];
}

impl From<Problem> for Invalid {
    fn from(problem: Problem) -> Self {
        Self::Text(problem)
    }
}

/// What kind of value an attribute holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text of at most `max` code points.
    Text {
        /// The most code points.
        max: u32,
        /// The `autocomplete` token.
        autocomplete: &'static str,
    },
    /// A date of birth; `min_age` years at least, when set.
    Birthdate {
        /// The youngest age accepted, in whole years.
        min_age: Option<u32>,
    },
    /// A postal address in one of `countries`.
    Address {
        /// The countries a person may choose.
        countries: Vec<String>,
    },
    /// A phone number of one of `countries` (the first is where a number typed as at home
    /// is read), kept in E.164. Not proven: `phone_number_verification` proves a number.
    Phone {
        /// The countries whose numbers are accepted.
        countries: Vec<String>,
    },
    /// One of `options` (a yes/no is `["yes", "no"]`).
    Choice {
        /// The values, in display order.
        options: Vec<String>,
    },
}

/// One attribute a journey may ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The name in the flow, the account and the ID token.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
}

/// The built-in attributes' names, for error messages.
pub const BUILT_IN: [&str; 5] = [
    "given_name",
    "family_name",
    "birthdate",
    "address",
    "phone_number",
];

impl Attribute {
    /// The built-in attribute `name`, with the journey's `min_age` and countries; `None` for a
    /// name that is not built in.
    pub fn built_in(name: &str, min_age: Option<u32>, countries: &[String]) -> Option<Self> {
        let kind = match name {
            "given_name" => Kind::Text {
                max: 100,
                autocomplete: "given-name",
            },
            "family_name" => Kind::Text {
                max: 100,
                autocomplete: "family-name",
            },
            "birthdate" => Kind::Birthdate { min_age },
            "address" => Kind::Address {
                countries: countries.to_vec(),
            },
            "phone_number" => Kind::Phone {
                countries: countries.to_vec(),
            },
            _ => return None,
        };
        Some(Self {
            name: name.to_owned(),
            kind,
        })
    }

    /// The message id of the attribute's label: `field-given-name` for `given_name`.
    pub fn label(&self) -> String {
        label_id(&self.name)
    }

    /// The names of the fields the attribute is asked with: its own, or an address's parts.
    pub fn field_names(&self) -> Vec<String> {
        match self.kind {
            Kind::Address { .. } => ADDRESS_PARTS
                .iter()
                .map(|part| format!("{}.{part}", self.name))
                .collect(),
            _ => vec![self.name.clone()],
        }
    }

    /// Every message id the attribute's fields can show.
    pub fn message_ids(&self) -> Vec<String> {
        // An address is asked part by part, each with its own label.
        let mut ids = match self.kind {
            Kind::Address { .. } => Vec::new(),
            _ => vec![self.label()],
        };
        match &self.kind {
            Kind::Address { countries } => {
                ids.extend(
                    ADDRESS_PARTS
                        .iter()
                        .map(|p| format!("field-address-{}", dashed(p))),
                );
                ids.extend(countries.iter().map(|c| country_id(c)));
            }
            Kind::Choice { options } => {
                ids.extend(options.iter().map(|o| option_id(&self.name, o)));
            }
            Kind::Birthdate { .. } => ids.push("field-date-hint".to_owned()),
            Kind::Text { .. } | Kind::Phone { .. } => {}
        }
        ids
    }

    /// The fields that ask for the attribute, showing `value` (its canonical form) if any;
    /// `today` bounds a date.
    pub fn fields(&self, value: Option<&str>, today: Day) -> Vec<Field> {
        match &self.kind {
            Kind::Text { max, autocomplete } => vec![Field {
                autocomplete: Some((*autocomplete).to_owned()),
                max_length: Some(*max),
                value: value.map(str::to_owned),
                ..field(&self.name, FieldKind::Text, &self.label())
            }],
            Kind::Birthdate { min_age } => {
                let latest = min_age.map_or(today, |years| today.years_before(years));
                vec![Field {
                    autocomplete: Some("bday".to_owned()),
                    hint: Some(Text::msg("field-date-hint")),
                    min: Some(Day::EARLIEST.to_string()),
                    max: Some(latest.to_string()),
                    value: value.map(str::to_owned),
                    ..field(&self.name, FieldKind::Date, &self.label())
                }]
            }
            Kind::Phone { .. } => vec![Field {
                autocomplete: Some("tel".to_owned()),
                max_length: Some(crate::phone::INPUT_MAX as u32),
                // Shown as its country writes it, not in the E.164 kept.
                value: value
                    .map(|v| crate::phone::international(v).unwrap_or_else(|| v.to_owned())),
                ..field(&self.name, FieldKind::Phone, &self.label())
            }],
            Kind::Choice { options } => vec![Field {
                options: options
                    .iter()
                    .map(|o| FieldOption {
                        value: o.clone(),
                        label: Text::msg(option_id(&self.name, o)),
                    })
                    .collect(),
                value: value.map(str::to_owned),
                ..field(&self.name, FieldKind::Choice, &self.label())
            }],
            Kind::Address { countries } => {
                let address = value.and_then(|v| serde_json::from_str::<Address>(v).ok());
                let part = |p: &Address| -> [String; 4] {
                    [
                        p.street_address.clone(),
                        p.postal_code.clone(),
                        p.locality.clone(),
                        p.country.clone(),
                    ]
                };
                let values = address.as_ref().map(part);
                let tokens = ["address-line1", "postal-code", "address-level2", "country"];
                let limits = [STREET_MAX, POSTAL_MAX, LOCALITY_MAX, 2];
                ADDRESS_PARTS
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let name = format!("{}.{p}", self.name);
                        let label = format!("field-address-{}", dashed(p));
                        let value = values.as_ref().map(|v| v[i].clone());
                        if *p == "country" {
                            Field {
                                autocomplete: Some(tokens[i].to_owned()),
                                options: countries
                                    .iter()
                                    .map(|c| FieldOption {
                                        value: c.clone(),
                                        label: Text::msg(country_id(c)),
                                    })
                                    .collect(),
                                value,
                                ..field(&name, FieldKind::Choice, &label)
                            }
                        } else {
                            Field {
                                autocomplete: Some(tokens[i].to_owned()),
                                max_length: Some(limits[i]),
                                value,
                                ..field(&name, FieldKind::Text, &label)
                            }
                        }
                    })
                    .collect()
            }
        }
    }

    /// Checks the submitted fields of the attribute (by field name, from `value`), giving its
    /// canonical value, or the problems by field name.
    pub fn check(
        &self,
        value: &dyn Fn(&str) -> String,
        today: Day,
    ) -> Result<String, Vec<(String, Invalid)>> {
        let one = |problem: Invalid| Err(vec![(self.name.clone(), problem)]);
        let raw = value(&self.name);
        match &self.kind {
            Kind::Text { max, .. } => text::required_text(&raw, *max).or_else(|p| one(p.into())),
            Kind::Birthdate { min_age } => match check_birthdate(&raw, *min_age, today) {
                Ok(day) => Ok(day.to_string()),
                Err(problem) => one(problem),
            },
            Kind::Phone { countries } => {
                crate::phone::parse(&raw, countries.first().map(String::as_str), countries)
                    .map(|phone| phone.e164)
                    .or_else(|problem| one(Invalid::Phone(problem)))
            }
            Kind::Choice { options } => match raw.as_str() {
                "" => one(Problem::Required.into()),
                v if options.iter().any(|o| o == v) => Ok(raw),
                _ => one(Invalid::Choice),
            },
            Kind::Address { countries } => {
                let field = |p: &str| format!("{}.{p}", self.name);
                check_address(&|p| value(&field(p)), countries)
                    .map(|address| serde_json::to_string(&address).unwrap_or_default())
                    .map_err(|problems| {
                        problems
                            .into_iter()
                            .map(|(part, problem)| (field(part), problem))
                            .collect()
                    })
            }
        }
    }

    /// A value an example shows as filled in.
    pub fn sample(&self) -> String {
        match &self.kind {
            Kind::Text { .. } if self.name == "family_name" => "Doe".into(),
            Kind::Text { .. } => "Jane".into(),
            Kind::Birthdate { .. } => "1990-04-12".into(),
            Kind::Phone { .. } => "+31612345678".into(),
            Kind::Choice { options } => options.first().cloned().unwrap_or_default(),
            Kind::Address { countries } => serde_json::to_string(&Address {
                street_address: "Keizersgracht 123".into(),
                postal_code: "1015 CJ".into(),
                locality: "Amsterdam".into(),
                country: countries.first().cloned().unwrap_or_else(|| "NL".into()),
            })
            .unwrap_or_default(),
        }
    }
}

/// The message id of an attribute's label.
pub fn label_id(name: &str) -> String {
    format!("field-{}", dashed(name))
}

/// The message id of an option of the choice `name`.
pub fn option_id(name: &str, option: &str) -> String {
    format!("field-{}-{}", dashed(name), dashed(option))
}

/// The message id of a country's name.
pub fn country_id(country: &str) -> String {
    format!("country-{}", country.to_ascii_lowercase())
}

fn dashed(name: &str) -> String {
    name.replace('_', "-")
}

/// Whether `name` may name an attribute a journey declares: lower-case ASCII letters, digits and
/// `_`, starting with a letter, at most 40 characters.
pub fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 40
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A postal address, as OpenID Connect's `address` claim has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street and number.
    pub street_address: String,
    /// The postal code, in its country's canonical form.
    pub postal_code: String,
    /// The town.
    pub locality: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// Checks an address's parts (read by part name from `part`) against its country's rules.
fn check_address(
    part: &dyn Fn(&str) -> String,
    countries: &[String],
) -> Result<Address, Vec<(&'static str, Invalid)>> {
    let mut problems = Vec::new();
    let mut text_part = |name: &'static str, max: u32| match text::required_text(&part(name), max) {
        Ok(value) => value,
        Err(problem) => {
            problems.push((name, problem.into()));
            String::new()
        }
    };
    let street_address = text_part("street_address", STREET_MAX);
    let locality = text_part("locality", LOCALITY_MAX);
    let raw_postal = text_part("postal_code", POSTAL_MAX);
    let country = part("country");
    let country = if country.is_empty() {
        problems.push(("country", Problem::Required.into()));
        None
    } else if countries.contains(&country) {
        Some(country)
    } else {
        problems.push(("country", Invalid::Choice));
        None
    };
    let postal_code = match (&country, raw_postal.is_empty()) {
        (Some(country), false) => postal_code(country, &raw_postal).unwrap_or_else(|| {
            problems.push(("postal_code", Invalid::PostalCode));
            String::new()
        }),
        _ => String::new(),
    };
    if !problems.is_empty() {
        problems.sort_by_key(|(name, _)| ADDRESS_PARTS.iter().position(|p| p == name));
        return Err(problems);
    }
    Ok(Address {
        street_address,
        postal_code,
        locality,
        country: country.unwrap_or_default(),
    })
}

/// A postal code of `country` in its canonical form, or `None` when it is not one: NL `1234 AB`,
/// BE four digits, DE, ES and FR five, GB the outward and inward codes with one space.
pub fn postal_code(country: &str, raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match country {
        "NL" => {
            let (number, letters) = compact.split_at_checked(4)?;
            let ok = digits(number, 4)
                && !number.starts_with('0')
                && letters.len() == 2
                && letters.bytes().all(|b| b.is_ascii_uppercase());
            ok.then(|| format!("{number} {letters}"))
        }
        "BE" => digits(&compact, 4).then_some(compact),
        "DE" | "FR" => digits(&compact, 5).then_some(compact),
        "ES" => {
            let province: u32 = compact.get(..2)?.parse().ok()?;
            (digits(&compact, 5) && (1..=52).contains(&province)).then_some(compact)
        }
        "GB" => {
            // Outward code: a letter or two, a digit, and a digit or letter; inward: a digit and
            // two letters.
            if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
                return None;
            }
            let (outward, inward) = compact.split_at(compact.len() - 3);
            let inward_ok = {
                let b = inward.as_bytes();
                b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
            };
            let o = outward.as_bytes();
            let letters = o.iter().take_while(|b| b.is_ascii_uppercase()).count();
            let rest = &o[letters..];
            let outward_ok = (1..=2).contains(&letters)
                && !rest.is_empty()
                && rest.len() <= 2
                && rest[0].is_ascii_digit()
                && rest[1..].iter().all(u8::is_ascii_alphanumeric);
            (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
        }
        _ => None,
    }
}

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    year: i32,
    month: u32,
    day: u32,
}

impl Day {
    /// The earliest date of birth accepted.
    pub const EARLIEST: Day = Day {
        year: 1900,
        month: 1,
        day: 1,
    };

    /// The day (UTC) of `unix` seconds.
    pub fn of_unix(unix: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = unix.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Reads `YYYY-MM-DD`, a real day of the Gregorian calendar.
    pub fn parse(raw: &str) -> Option<Self> {
        let b = raw.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let number = |s: &str| -> Option<u32> {
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        let year = number(&raw[..4])? as i32;
        let month = number(&raw[5..7])?;
        let day = number(&raw[8..])?;
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Self { year, month, day })
    }

    /// The same day `years` years earlier (29 February becomes 28 February in other years).
    pub fn years_before(self, years: u32) -> Self {
        let year = self.year - years as i32;
        Self {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date of birth: a real day, from 1900 to today, and `min_age` years ago at the latest.
fn check_birthdate(raw: &str, min_age: Option<u32>, today: Day) -> Result<Day, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required.into());
    }
    let day = Day::parse(raw).ok_or(Invalid::Date)?;
    if day < Day::EARLIEST || day > today {
        return Err(Invalid::DateOutOfRange);
    }
    match min_age {
        Some(years) if day > today.years_before(years) => Err(Invalid::TooYoung(years)),
        _ => Ok(day),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn days_of_unix_time_are_the_calendar_s() {
        assert_eq!(Day::of_unix(0).to_string(), "1970-01-01");
        assert_eq!(Day::of_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Day::of_unix(1_796_428_799).to_string(), "2026-12-04");
        assert_eq!(Day::of_unix(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn only_real_days_parse() {
        assert!(Day::parse("2000-02-29").is_some());
        for bad in [
            "1999-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-04-01",
            "2026-4-1",
            "２０２６-04-01",
            "2026-04-01T00",
            "+202-04-01",
            "",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_age_is_counted_in_whole_years() {
        let today = Day::parse("2026-12-04").unwrap();
        assert_eq!(
            check_birthdate("2008-12-04", Some(18), today),
            Ok(Day::parse("2008-12-04").unwrap())
        );
        assert_eq!(
            check_birthdate("2008-12-05", Some(18), today),
            Err(Invalid::TooYoung(18))
        );
        assert_eq!(
            check_birthdate("2026-12-05", None, today),
            Err(Invalid::DateOutOfRange)
        );
        assert_eq!(
            check_birthdate("1899-12-31", None, today),
            Err(Invalid::DateOutOfRange)
        );
        assert_eq!(
            check_birthdate("31-12-1990", None, today),
            Err(Invalid::Date)
        );
        let leap = Day::parse("2028-02-29").unwrap();
        assert_eq!(leap.years_before(1).to_string(), "2027-02-28");
    }

    #[test]
    fn postal_codes_follow_their_country() {
        assert_eq!(postal_code("NL", "1015cj").as_deref(), Some("1015 CJ"));
        assert_eq!(postal_code("NL", "0123 AB"), None);
        assert_eq!(postal_code("BE", "1000").as_deref(), Some("1000"));
        assert_eq!(postal_code("DE", "10115").as_deref(), Some("10115"));
        assert_eq!(postal_code("DE", "1011"), None);
        assert_eq!(postal_code("ES", "28013").as_deref(), Some("28013"));
        assert_eq!(postal_code("ES", "60013"), None);
        assert_eq!(postal_code("GB", "sw1a1aa").as_deref(), Some("SW1A 1AA"));
        assert_eq!(postal_code("GB", "M1 1AE").as_deref(), Some("M1 1AE"));
        assert_eq!(postal_code("GB", "1AA 1AA"), None);
        assert_eq!(postal_code("FR", "7500١"), None);
        assert_eq!(postal_code("XX", "12345"), None);
    }
}
