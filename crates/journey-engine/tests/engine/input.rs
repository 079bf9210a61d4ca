//! The input rules as journeys see them: email addresses, invisible and control characters,
//! NFC, and passwords naming the person or the site (`journey_engine::text`,
//! `password_policy`).

use super::*;

/// Submits the details step of a new registration with `values`.
fn details<'j>(journey: &'j Journey, values: &[(&str, &str)]) -> Runner<'j> {
    let mut r = Runner::start(journey);
    assert_eq!(r.submit("details", "submit", values), Ok(()));
    r
}

fn with_name(given_name: &str) -> [(&str, &str); 3] {
    [
        ("email", "jane@example.com"),
        ("given_name", given_name),
        ("family_name", "Doe"),
    ]
}

#[test]
fn a_unicode_domain_and_its_punycode_are_one_account() {
    let journey = journey(REGISTRATION);
    for typed in [
        "Jane@Bücher.de",
        "jane@xn--bcher-kva.de",
        "jane@bu\u{308}cher.de",
    ] {
        let mut r = details(
            &journey,
            &[
                ("email", typed),
                ("given_name", "Jane"),
                ("family_name", "Doe"),
            ],
        );
        // The duplicate check asks for one address whichever form was typed, so the second
        // registration finds the first one's account.
        assert_eq!(
            r.pending,
            Some(Query::AccountExists {
                email: "jane@xn--bcher-kva.de".into()
            }),
            "{typed}"
        );
        r.answer(Answer::AccountExists(true));
        assert_eq!(r.templates(), ["email-account-exists"], "{typed}");
        // The person reads the domain as they know it.
        assert_eq!(email_view(r.journey, &r.state).0, "j***@bücher.de");
    }
}

#[test]
fn addresses_outside_the_html_grammar_are_refused() {
    let journey = journey(REGISTRATION);
    for bad in [
        "a@b..c",
        "a@-b.c",
        "a@b-.c",
        "a@@b.c",
        "a b@c.d",
        "\"quoted\"@x.y",
        "a@localhost",
        "jane@exa_mple.com",
    ] {
        let r = details(
            &journey,
            &[
                ("email", bad),
                ("given_name", "Jane"),
                ("family_name", "Doe"),
            ],
        );
        assert_eq!(r.rejection, Some(Rejection::InvalidInput), "{bad}");
        assert_eq!(r.notes(), ["email:error-email-invalid"], "{bad}");
    }
}

#[test]
fn invisible_bidi_and_control_characters_in_a_name_are_refused() {
    let journey = journey(REGISTRATION);
    let mut listed: Vec<char> = vec![
        '\u{200B}', '\u{FEFF}', '\u{200E}', '\u{200F}', '\u{61C}', '\u{AD}', '\u{180E}',
        '\u{2028}', '\u{2029}', '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{2800}',
        '\u{1}', '\u{9}', '\u{A}', '\u{1B}', '\u{7F}', '\u{85}', '\u{9F}',
    ];
    listed.extend('\u{202A}'..='\u{202E}');
    listed.extend('\u{2066}'..='\u{2069}');
    listed.extend('\u{2060}'..='\u{2064}');
    listed.extend('\u{E0000}'..='\u{E007F}');
    for c in listed {
        let name = format!("Ja{c}ne");
        let r = details(&journey, &with_name(&name));
        assert_eq!(
            r.notes(),
            ["given_name:error-text-invalid"],
            "U+{:04X}",
            c as u32
        );
        assert_eq!(r.state.attribute("given_name"), None);
    }
    // Joiners belong to Persian and Indic words and to emoji; they stay.
    for fine in ["می\u{200C}خواهم", "क्\u{200D}ष", "👩\u{200D}🔧"] {
        let r = details(&journey, &with_name(fine));
        assert_eq!(r.rejection, None, "{fine}");
        assert_eq!(r.state.attribute("given_name"), Some(fine));
    }
}

#[test]
fn a_required_name_needs_a_visible_character() {
    let journey = journey(REGISTRATION);
    for blank in [
        "   ",
        "\u{200B}",
        "\u{200B}\u{FEFF}",
        "\u{3000}\u{A0}",
        "\u{200D}",
        "\u{3164}",
    ] {
        let r = details(&journey, &with_name(blank));
        assert_eq!(r.notes(), ["given_name:error-required"], "{blank:?}");
    }
}

#[test]
fn text_is_stored_in_nfc() {
    let journey = journey(REGISTRATION);
    let r = details(&journey, &with_name(" Rene\u{301}e "));
    assert_eq!(r.rejection, None);
    assert_eq!(r.state.attribute("given_name"), Some("Ren\u{E9}e"));
}

#[test]
fn passwords_naming_the_brand_or_the_person_or_with_controls_are_refused() {
    let journey = journey(REGISTRATION);
    let cases = [
        ("RoadHelp saved my holiday", "password:error-password-brand"),
        (
            "road-help saved my holiday",
            "password:error-password-brand",
        ),
        (
            "jane drives a violet tractor",
            "password:error-password-personal",
        ),
        (
            "a violet tractor named DOE",
            "password:error-password-personal",
        ),
        (
            "violet tractor\u{7}under the bridge",
            "password:error-password-invalid-characters",
        ),
        (
            "violet tractor\u{202E}under the bridge",
            "password:error-password-invalid-characters",
        ),
    ];
    for (password, expected) in cases {
        let mut r = at_password_step(&journey);
        assert_eq!(
            r.submit("password", "submit", &[("password", password)]),
            Ok(())
        );
        assert_eq!(r.notes(), [expected], "{password:?}");
        assert!(r.effects.is_empty());
        if expected.ends_with("brand") {
            let Ok(Some(v)) = view(&journey, &r.state, T0) else {
                panic_free_fail("no view")
            };
            let args = &v.fields[0].messages[0].args;
            assert_eq!(args.0, [("brand".to_owned(), Arg::Text("RoadHelp".into()))]);
        }
    }
}

#[test]
fn a_login_with_a_control_character_in_the_password_just_fails() {
    let journey = journey(LOGIN);
    let mut r = Runner::start(&journey);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[("email", "jane@example.com"), ("password", "secret\u{0}")]
        ),
        Ok(())
    );
    assert_eq!(
        r.pending, None,
        "nothing to check: no account has such a password"
    );
    assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    assert_eq!(r.notes(), ["error-login-failed"]);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[
                ("email", "jane\u{202E}@example.com"),
                ("password", "secret")
            ]
        ),
        Ok(())
    );
    assert_eq!(r.notes(), ["email:error-text-invalid"]);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[("email", "Jane@Bücher.de"), ("password", "secret")]
        ),
        Ok(())
    );
    assert!(
        matches!(&r.pending, Some(Query::VerifyPassword { identifier, .. }) if identifier == "jane@xn--bcher-kva.de")
    );
}
