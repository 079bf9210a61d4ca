//! Profile completion: only what the account lacks is asked for, each kind checked on the
//! server with its error beside its field, nothing asked when nothing is missing, and what the
//! flow collected kept on the account and released in the token when it completes.

use super::*;
use journey_engine::Authenticated;
use journey_protocol::FieldKind;
use std::collections::BTreeSet;

const PROFILE: &str = include_str!("../fixtures/profile.toml");

fn account(attributes: &[(&str, &str)], verified: &[&str]) -> AccountProfile {
    AccountProfile {
        attributes: attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        verified: verified.iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// A flow signed in as `s1` and waiting for the account's profile at the profile step.
fn signed_in(journey: &Journey) -> Runner<'_> {
    let mut runner = Runner::start(journey);
    // The tests answer the profile questions themselves.
    runner.profiles = None;
    let login = [
        ("email", "jane@example.com"),
        ("password", "correct horse battery"),
    ];
    runner.submit("login", "submit", &login).unwrap();
    runner.answer(Answer::Password(PasswordCheck::Verified {
        subject: "s1".into(),
    }));
    assert_eq!(
        runner.pending,
        Some(Query::AccountProfile {
            subject: "s1".into()
        })
    );
    runner
}

fn field_names(runner: &Runner<'_>) -> Vec<String> {
    let step = view(runner.journey, &runner.state, T0 + 1)
        .unwrap()
        .unwrap();
    step.fields.iter().map(|f| f.name.clone()).collect()
}

const GOOD: [(&str, &str); 7] = [
    ("birthdate", "1990-04-12"),
    ("address.street_address", "  Keizersgracht 123 "),
    ("address.postal_code", "1015cj"),
    ("address.locality", "Amsterdam"),
    ("address.country", "NL"),
    ("car_use", "commute"),
    ("garage", "no"),
];

#[test]
fn only_what_the_account_lacks_is_asked_and_kept_on_completion() {
    let journey = journey(PROFILE);
    let mut runner = signed_in(&journey);
    let known = account(
        &[
            ("email", "jane@example.com"),
            ("given_name", "Jane"),
            ("phone_number", "+31612345678"),
        ],
        &["email", "phone_number"],
    );
    runner.answer(Answer::AccountProfile(Some(known.clone())));
    assert_eq!(runner.state.step(), "profile");
    assert_eq!(
        field_names(&runner),
        [
            "birthdate",
            "address.street_address",
            "address.postal_code",
            "address.locality",
            "address.country",
            "car_use",
            "garage"
        ],
        "the given name is on the account already"
    );

    runner.submit("profile", "submit", &GOOD).unwrap();
    assert_eq!(runner.rejection, None, "{:?}", runner.notes());
    // The token releases the account's attributes: auto_login reads the profile once more.
    assert_eq!(
        runner.pending,
        Some(Query::AccountProfile {
            subject: "s1".into()
        })
    );
    runner.answer(Answer::AccountProfile(Some(known)));
    assert_eq!(runner.state.status(), FlowStatus::Complete);
    let address = r#"{"street_address":"Keizersgracht 123","postal_code":"1015 CJ","locality":"Amsterdam","country":"NL"}"#;
    let saved = runner.effects.iter().find_map(|e| match e {
        Effect::SaveProfile {
            subject,
            attributes,
            verified,
        } => Some((subject.clone(), attributes.clone(), verified.clone())),
        _ => None,
    });
    let (subject, attributes, verified) = saved.expect("the profile is kept");
    assert_eq!(subject, "s1");
    assert_eq!(attributes["birthdate"], "1990-04-12");
    assert_eq!(attributes["address"], address);
    assert_eq!(attributes["car_use"], "commute");
    assert_eq!(attributes["garage"], "no");
    assert!(
        !attributes.contains_key("email"),
        "the email is an identifier"
    );
    assert_eq!(verified, BTreeSet::from(["phone_number".to_owned()]));

    let Some(Authenticated { claims, .. }) = runner.state.authenticated() else {
        panic!("no session");
    };
    assert_eq!(claims["email"], "jane@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["given_name"], "Jane");
    assert_eq!(claims["phone_number_verified"], true);
    assert_eq!(claims["address"]["postal_code"], "1015 CJ");
    assert!(
        !claims.contains_key("garage"),
        "only what the journey releases"
    );
}

#[test]
fn nothing_is_asked_when_the_account_has_it_all() {
    let journey = journey(PROFILE);
    let mut runner = signed_in(&journey);
    let mut all = account(&[("given_name", "Jane")], &[]);
    for (name, value) in [
        ("birthdate", "1990-04-12"),
        ("address", "{}"),
        ("car_use", "private"),
        ("garage", "yes"),
    ] {
        all.attributes.insert(name.into(), value.into());
    }
    runner.answer(Answer::AccountProfile(Some(all.clone())));
    assert_eq!(
        runner.pending,
        Some(Query::AccountProfile {
            subject: "s1".into()
        })
    );
    runner.answer(Answer::AccountProfile(Some(all)));
    assert_eq!(
        runner.state.status(),
        FlowStatus::Complete,
        "the step was passed over"
    );
}

#[test]
fn each_kind_is_checked_on_the_server_with_its_error_beside_its_field() {
    let journey = journey(PROFILE);
    let mut runner = signed_in(&journey);
    runner.answer(Answer::AccountProfile(Some(account(
        &[("given_name", "Jane")],
        &[],
    ))));
    let bad: &[(&str, &str)] = &[
        ("birthdate", "2010-01-01"),
        ("address.street_address", "Keizersgracht\u{202E}321"),
        ("address.postal_code", "10155"),
        ("address.locality", &"A".repeat(101)),
        ("address.country", "NL"),
        ("car_use", "boat"),
        ("garage", ""),
    ];
    runner.submit("profile", "submit", bad).unwrap();
    assert_eq!(runner.rejection, Some(Rejection::InvalidInput));
    assert_eq!(
        runner.notes(),
        [
            "birthdate:error-date-too-young",
            "address.street_address:error-text-invalid",
            "address.postal_code:error-postal-code",
            "address.locality:error-too-long",
            "car_use:error-choice-invalid",
            "garage:error-required"
        ]
    );
    // What was typed is shown again (within bounds), and nothing was kept.
    let step = view(&journey, &runner.state, T0 + 1).unwrap().unwrap();
    let postal = step
        .fields
        .iter()
        .find(|f| f.name == "address.postal_code")
        .unwrap();
    assert_eq!(postal.value.as_deref(), Some("10155"));
    assert_eq!(runner.state.attribute("birthdate"), None);

    for (date, error) in [
        ("2019-02-30", "error-date-invalid"),
        ("1899-12-31", "error-date-range"),
        ("2099-01-01", "error-date-range"),
        ("12/04/1990", "error-date-invalid"),
    ] {
        let mut values = GOOD.to_vec();
        values[0] = ("birthdate", date);
        runner.submit("profile", "submit", &values).unwrap();
        assert_eq!(runner.notes(), [format!("birthdate:{error}")], "{date}");
    }
    // A country the journey does not serve, and one it does with the wrong code format.
    let mut values = GOOD.to_vec();
    values[4] = ("address.country", "DE");
    runner.submit("profile", "submit", &values).unwrap();
    assert_eq!(runner.notes(), ["address.country:error-choice-invalid"]);
    values[4] = ("address.country", "BE");
    runner.submit("profile", "submit", &values).unwrap();
    assert_eq!(runner.notes(), ["address.postal_code:error-postal-code"]);

    // A field the step does not have is refused outright.
    let mut values = GOOD.to_vec();
    values.push(("given_name", "Eve"));
    assert_eq!(
        runner.submit("profile", "submit", &values),
        Err(EngineError::UnexpectedField("given_name".into()))
    );
    runner.submit("profile", "submit", &GOOD).unwrap();
    assert_eq!(runner.rejection, None);
    assert_eq!(runner.state.attribute("address.postal_code"), None);
}

#[test]
fn wrong_profile_settings_are_refused_when_the_journey_loads() {
    let with = |settings: &str| {
        PROFILE.replace(
            "attributes = [\"given_name\", \"birthdate\", \"address\", \"car_use\", \"garage\"]",
            settings,
        )
    };
    for (source, words) in [
        (
            with("attributes = [\"shoe_size\"]"),
            "unknown attribute `shoe_size`",
        ),
        (with("attributes = []"), "at least one attribute"),
        (with("attributes = [\"birthdate\", \"birthdate\"]"), "twice"),
        (PROFILE.replace("min_age = 18", "min_age = 0"), "`min_age`"),
        (
            PROFILE.replace("[\"NL\", \"BE\"]", "[\"NL\", \"US\"]"),
            "`US`",
        ),
        (
            PROFILE.replace(
                "yes_no = [\"garage\"]",
                "yes_no = [\"garage\", \"Given-Name\"]",
            ),
            "`Given-Name`",
        ),
        (
            PROFILE.replace("\"private\", \"commute\", \"business\"", "\"private\""),
            "from 2 to 20",
        ),
        (
            PROFILE.replace("claims = [\"email\"", "claims = [\"sub\""),
            "`sub` cannot be released",
        ),
        (
            PROFILE.replace("claims = [\"email\"", "claims = [\"email_verified\""),
            "cannot be released",
        ),
    ] {
        let error = Journey::parse(&BlockCatalogue::standard(), "p.toml", "p", &source)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains(words), "{words}: {error}");
    }
}

#[test]
fn a_phone_number_is_read_as_typed_kept_in_e164_and_not_verified() {
    let source = PROFILE
        .replace(
            "attributes = [\"given_name\", \"birthdate\", \"address\", \"car_use\", \"garage\"]",
            "attributes = [\"phone_number\"]",
        )
        .replace(
            "choices = { car_use = [\"private\", \"commute\", \"business\"] }\n",
            "",
        )
        .replace("yes_no = [\"garage\"]\n", "");
    let journey = journey(&source);
    let mut r = signed_in(&journey);
    r.answer(Answer::AccountProfile(Some(account(
        &[("email", "jane@example.com")],
        &["email"],
    ))));
    assert_eq!(r.state.step(), "profile");
    let step = view(r.journey, &r.state, T0 + 1).unwrap().unwrap();
    let phone = &step.fields[0];
    assert_eq!(
        (
            phone.name.as_str(),
            phone.kind,
            phone.autocomplete.as_deref()
        ),
        ("phone_number", FieldKind::Phone, Some("tel"))
    );
    // Malformed, hostile, oversized and foreign numbers: each refused beside the field.
    for (typed, error) in [
        ("", "error-required"),
        ("call me", "error-phone-invalid"),
        ("<script>", "error-phone-invalid"),
        ("0612", "error-phone-invalid"),
        (&"6".repeat(200), "error-too-long"),
        ("+49 1512 3456789", "error-phone-country"),
    ] {
        assert_eq!(
            r.submit("profile", "submit", &[("phone_number", typed)]),
            Ok(()),
            "{typed}"
        );
        assert_eq!(r.state.step(), "profile", "{typed}");
        assert_eq!(r.notes(), [format!("phone_number:{error}")], "{typed}");
    }
    // Typed as at home, in the first country of the step; kept in E.164 and not proven.
    assert_eq!(
        r.submit("profile", "submit", &[("phone_number", "06-1234 5678")]),
        Ok(())
    );
    assert_eq!(r.state.attribute("phone_number"), Some("+31612345678"));
    assert!(!r.state.is_verified("phone_number"));
}

#[test]
fn a_phone_number_needs_the_countries_it_is_read_in() {
    let source = "start = \"p\"\n[steps.p]\nblock = \"profile_completion\"\nsettings = { attributes = [\"phone_number\"] }\non = { completed = \"e\" }\n[steps.e]\nblock = \"show_information\"\nsettings = { title = \"welcome-title\", end = \"failed\" }\n";
    let errors = Journey::parse(&BlockCatalogue::standard(), "p.toml", "p", source)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("`phone_number` needs `countries`"),
        "{errors}"
    );
}
