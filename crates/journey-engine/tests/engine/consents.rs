//! Attribute and document consent: the blocks ask the server where the account stands, show
//! what needs a decision, record only what changed, skip what is decided, inform about a minor
//! version and ask again after a major one; hostile answers are refused beside the field and
//! settings errors name the setting.

use super::*;
use journey_engine::{ConsentDecision, Consents, Standing};
use journey_protocol::FieldKind;

const CONSENTS: &str = include_str!("../fixtures/consents.toml");

use ConsentDecision::{Accepted, Granted, Refused, Withdrawn};

fn standing(current: &str, latest: Option<(ConsentDecision, &str)>) -> Standing {
    Standing {
        current: current.into(),
        latest: latest.map(|(d, v)| (d, v.to_owned())),
    }
}

/// The account's standing: the purposes' latest decisions and the documents'.
fn consents(
    purposes: [Option<ConsentDecision>; 2],
    documents: [(&str, Option<(ConsentDecision, &str)>); 2],
) -> Answer {
    let mut answer = Consents::default();
    for (name, latest) in ["marketing_email", "marketing_sms"]
        .into_iter()
        .zip(purposes)
    {
        let latest = latest.map(|d| (d, "1.0"));
        answer.purposes.insert(name.into(), standing("1.0", latest));
    }
    // A purpose the tenant declares that no step shows.
    answer
        .purposes
        .insert("group_sharing".into(), standing("1.2", None));
    for (name, (current, latest)) in ["terms", "privacy"].into_iter().zip(documents) {
        answer
            .documents
            .insert(name.into(), standing(current, latest));
    }
    Answer::Consents(answer)
}

/// A signed-in flow at the purposes step, asking where the account `s-1` stands.
fn signed_in(journey: &Journey) -> Runner<'_> {
    let mut r = Runner::start(journey);
    let login = [("email", "jane@example.com"), ("password", "right")];
    assert_eq!(r.submit("login", "submit", &login), Ok(()));
    r.answer(Answer::Password(PasswordCheck::Verified {
        subject: "s-1".into(),
    }));
    assert_eq!(
        r.pending,
        Some(Query::Consents {
            subject: "s-1".into()
        })
    );
    r
}

/// The recorded decisions, as (item, version, decision).
fn recorded(r: &Runner<'_>) -> Vec<(String, String, ConsentDecision)> {
    r.effects
        .iter()
        .filter_map(|e| match e {
            Effect::RecordConsent {
                subject,
                item,
                version,
                decision,
            } => {
                assert_eq!(subject, "s-1");
                Some((item.clone(), version.clone(), *decision))
            }
            _ => None,
        })
        .collect()
}

fn step_view(r: &Runner<'_>) -> journey_protocol::Step {
    match view(r.journey, &r.state, T0 + 1) {
        Ok(Some(step)) => step,
        other => panic_free_fail(&format!("no step: {other:?}")),
    }
}

fn own(s: &[(&str, &str, ConsentDecision)]) -> Vec<(String, String, ConsentDecision)> {
    s.iter()
        .map(|(i, v, d)| ((*i).to_owned(), (*v).to_owned(), *d))
        .collect()
}

#[test]
fn purposes_start_unticked_and_only_changes_are_recorded() {
    let journey = journey(CONSENTS);
    let mut r = signed_in(&journey);
    r.answer(consents(
        [Some(Granted), None],
        [
            ("2.0", Some((Accepted, "2.0"))),
            ("1.0", Some((Accepted, "1.0"))),
        ],
    ));
    assert_eq!(r.state.step(), "choices");
    let step = step_view(&r);
    let shown: Vec<_> = step
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind, f.required, f.value.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("marketing_email", FieldKind::Checkbox, false, Some("yes")),
            ("marketing_sms", FieldKind::Checkbox, false, None)
        ]
    );
    // Unticking the granted one withdraws it; ticking the other grants it.
    let values = [("marketing_email", ""), ("marketing_sms", "yes")];
    assert_eq!(r.submit("choices", "submit", &values), Ok(()));
    // Recorded against where the account stands at the submission.
    assert!(recorded(&r).is_empty());
    r.answer(consents(
        [Some(Granted), None],
        [("2.0", None), ("1.0", None)],
    ));
    assert_eq!(
        recorded(&r),
        own(&[
            ("marketing_email", "1.0", Withdrawn),
            ("marketing_sms", "1.0", Granted)
        ])
    );
    // The documents are current: skipped, and the flow completes.
    r.answer(consents(
        [Some(Withdrawn), Some(Granted)],
        [
            ("2.0", Some((Accepted, "2.0"))),
            ("1.0", Some((Accepted, "1.0"))),
        ],
    ));
    assert_eq!(r.state.status(), FlowStatus::Complete);
    assert!(recorded(&r).is_empty());
}

#[test]
fn submitting_the_same_choices_records_nothing() {
    let journey = journey(CONSENTS);
    let mut r = signed_in(&journey);
    r.answer(consents(
        [Some(Granted), None],
        [("2.0", None), ("1.0", None)],
    ));
    let values = [("marketing_email", "yes")];
    assert_eq!(r.submit("choices", "submit", &values), Ok(()));
    r.answer(consents(
        [Some(Granted), None],
        [("2.0", None), ("1.0", None)],
    ));
    assert!(recorded(&r).is_empty());
    assert_eq!(
        r.pending,
        Some(Query::Consents {
            subject: "s-1".into()
        })
    );
}

#[test]
fn a_choice_made_meanwhile_in_another_flow_is_not_recorded_twice() {
    let journey = journey(CONSENTS);
    let mut r = signed_in(&journey);
    r.answer(consents([None, None], [("2.0", None), ("1.0", None)]));
    let values = [("marketing_email", "yes"), ("marketing_sms", "yes")];
    assert_eq!(r.submit("choices", "submit", &values), Ok(()));
    // Another window granted the email purpose after this step was shown.
    r.answer(consents(
        [Some(Granted), None],
        [("2.0", None), ("1.0", None)],
    ));
    assert_eq!(recorded(&r), own(&[("marketing_sms", "1.0", Granted)]));
}

#[test]
fn decided_purposes_are_not_asked_again() {
    let journey = journey(CONSENTS);
    let mut r = signed_in(&journey);
    r.answer(consents(
        [Some(Withdrawn), Some(Granted)],
        [("2.0", None), ("1.0", None)],
    ));
    // Straight on to the documents, which ask again.
    assert_eq!(
        r.pending,
        Some(Query::Consents {
            subject: "s-1".into()
        })
    );
    r.answer(consents(
        [Some(Withdrawn), Some(Granted)],
        [("2.0", None), ("1.0", None)],
    ));
    assert_eq!(r.state.step(), "documents");
}

#[test]
fn hostile_purpose_answers_are_refused_beside_the_field_and_record_nothing() {
    let journey = journey(CONSENTS);
    let mut r = signed_in(&journey);
    r.answer(consents([None, None], [("2.0", None), ("1.0", None)]));
    assert_eq!(
        r.submit("choices", "submit", &[("marketing_fax", "yes")]),
        Err(EngineError::UnexpectedField("marketing_fax".into()))
    );
    let huge = "yes".repeat(5000);
    for value in ["on", "YES", " yes", huge.as_str()] {
        let values = [("marketing_email", "yes"), ("marketing_sms", value)];
        assert_eq!(r.submit("choices", "submit", &values), Ok(()));
        assert_eq!(r.rejection, Some(Rejection::InvalidInput), "{value}");
        assert_eq!(r.notes(), ["marketing_sms:error-consent-checkbox-value"]);
        // What was understood shows as the person left it: the email box ticked.
        let step = step_view(&r);
        assert_eq!(step.fields[0].value.as_deref(), Some("yes"));
        assert_eq!(step.fields[1].value, None);
        assert!(recorded(&r).is_empty());
        assert_eq!(r.state.step(), "choices");
    }
    assert_eq!(
        r.submit("choices", "withdraw_all", &[]),
        Err(EngineError::UnknownAction("withdraw_all".into()))
    );
}

/// A flow at the documents step, with the purposes decided.
fn at_documents<'j>(
    journey: &'j Journey,
    documents: [(&str, Option<(ConsentDecision, &str)>); 2],
) -> Runner<'j> {
    let mut r = signed_in(journey);
    let decided = [Some(Granted), Some(Withdrawn)];
    r.answer(consents(decided, documents));
    r.answer(consents(decided, documents));
    r
}

/// The account's standing with the purposes decided and the documents as given.
fn stands(documents: [(&str, Option<(ConsentDecision, &str)>); 2]) -> Answer {
    consents([Some(Granted), Some(Withdrawn)], documents)
}

fn changes(step: &journey_protocol::Step) -> Vec<(String, String, String)> {
    let journey_protocol::BlockView::DocumentConsent { documents } = &step.view else {
        panic_free_fail("not a document consent view");
    };
    documents
        .iter()
        .map(|d| (d.id.clone(), d.version.clone(), d.change.clone()))
        .collect()
}

fn action_ids(step: &journey_protocol::Step) -> Vec<&str> {
    step.actions.iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn documents_never_accepted_must_be_accepted_each_ticked() {
    let journey = journey(CONSENTS);
    let mut r = at_documents(&journey, [("2.0", None), ("1.0", Some((Refused, "1.0")))]);
    assert_eq!(r.state.step(), "documents");
    let step = step_view(&r);
    assert_eq!(
        changes(&step),
        [
            ("terms".into(), "2.0".into(), "required".into()),
            ("privacy".into(), "1.0".into(), "required".into())
        ]
    );
    assert_eq!(action_ids(&step), ["accept", "refuse"]);
    assert!(
        step.fields
            .iter()
            .all(|f| f.kind == FieldKind::Checkbox && f.required)
    );
    // One box left unticked: refused beside it, nothing recorded.
    assert_eq!(r.submit("documents", "accept", &[("terms", "yes")]), Ok(()));
    assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    assert_eq!(
        r.notes(),
        [
            "document-consent-needed",
            "privacy:error-document-consent-unticked"
        ]
    );
    assert!(recorded(&r).is_empty());
    // The ticked box stays ticked; the other stays unticked.
    let shown: Vec<_> = step_view(&r)
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.value.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            ("terms".into(), Some("yes".into())),
            ("privacy".into(), None)
        ]
    );
    assert_eq!(
        r.submit("documents", "continue", &[]),
        Err(EngineError::UnknownAction("continue".into()))
    );
    let both = [("terms", "yes"), ("privacy", "yes")];
    assert_eq!(r.submit("documents", "accept", &both), Ok(()));
    assert!(recorded(&r).is_empty());
    r.answer(stands([("2.0", None), ("1.0", Some((Refused, "1.0")))]));
    assert_eq!(
        recorded(&r),
        own(&[("terms", "2.0", Accepted), ("privacy", "1.0", Accepted)])
    );
    assert_eq!(r.state.status(), FlowStatus::Complete);
}

#[test]
fn a_refusal_is_recorded_for_each_document_and_ends_refused() {
    let journey = journey(CONSENTS);
    let documents = [("2.0", Some((Accepted, "1.4"))), ("1.0", None)];
    let mut r = at_documents(&journey, documents);
    assert_eq!(r.submit("documents", "refuse", &[]), Ok(()));
    r.answer(stands(documents));
    assert_eq!(
        recorded(&r),
        own(&[("terms", "2.0", Refused), ("privacy", "1.0", Refused)])
    );
    assert_eq!(
        (r.state.step(), r.state.status()),
        ("refused", FlowStatus::Failed)
    );
}

#[test]
fn a_minor_version_only_informs_and_a_major_one_asks_again() {
    let journey = journey(CONSENTS);
    // Terms 2.0 accepted, now 2.1; privacy 1.0 accepted and current.
    let mut r = at_documents(
        &journey,
        [
            ("2.1", Some((Accepted, "2.0"))),
            ("1.0", Some((Accepted, "1.0"))),
        ],
    );
    let step = step_view(&r);
    assert_eq!(
        changes(&step),
        [("terms".into(), "2.1".into(), "minor_update".into())]
    );
    assert!(step.fields.is_empty());
    assert_eq!(action_ids(&step), ["continue"]);
    assert_eq!(
        r.notes(),
        ["consent-document-terms-updated", "document-consent-minor"]
    );
    assert_eq!(
        r.submit("documents", "accept", &[]),
        Err(EngineError::UnknownAction("accept".into()))
    );
    assert_eq!(r.submit("documents", "continue", &[]), Ok(()));
    assert!(recorded(&r).is_empty());
    assert_eq!(r.state.status(), FlowStatus::Complete);

    // Terms 3.0 after 2.1 accepted: accept again; privacy 1.1 after 1.0: informed beside it.
    let mut r = at_documents(
        &journey,
        [
            ("3.0", Some((Accepted, "2.1"))),
            ("1.1", Some((Accepted, "1.0"))),
        ],
    );
    let step = step_view(&r);
    assert_eq!(
        changes(&step),
        [
            ("terms".into(), "3.0".into(), "major_update".into()),
            ("privacy".into(), "1.1".into(), "minor_update".into())
        ]
    );
    let fields: Vec<_> = step.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["terms"]);
    assert_eq!(
        r.notes(),
        ["document-consent-major", "consent-document-privacy-updated"]
    );
    assert_eq!(
        r.submit("documents", "accept", &[("privacy", "yes")]),
        Err(EngineError::UnexpectedField("privacy".into()))
    );
    assert_eq!(r.submit("documents", "accept", &[("terms", "yes")]), Ok(()));
    r.answer(stands([
        ("3.0", Some((Accepted, "2.1"))),
        ("1.1", Some((Accepted, "1.0"))),
    ]));
    assert_eq!(recorded(&r), own(&[("terms", "3.0", Accepted)]));
}

#[test]
fn a_new_version_published_while_reading_is_shown_and_nothing_is_recorded() {
    let journey = journey(CONSENTS);
    let privacy = ("1.0", Some((Accepted, "1.0")));
    let mut r = at_documents(&journey, [("2.0", None), privacy]);
    assert_eq!(r.submit("documents", "accept", &[("terms", "yes")]), Ok(()));
    // Terms 3.0 went live meanwhile: the person sees it, warned, and accepts that instead.
    r.answer(stands([("3.0", None), privacy]));
    assert!(recorded(&r).is_empty());
    assert_eq!(r.state.step(), "documents");
    let terms = ("terms".to_owned(), "3.0".to_owned(), "required".to_owned());
    assert_eq!(changes(&step_view(&r)), [terms]);
    assert_eq!(
        r.notes(),
        ["document-consent-needed", "document-consent-changed"]
    );
    assert_eq!(r.submit("documents", "accept", &[("terms", "yes")]), Ok(()));
    r.answer(stands([("3.0", None), privacy]));
    assert_eq!(recorded(&r), own(&[("terms", "3.0", Accepted)]));
    // Accepted in another window meanwhile: nothing to record, and the flow goes on.
    let mut r = at_documents(&journey, [("2.0", None), privacy]);
    assert_eq!(r.submit("documents", "accept", &[("terms", "yes")]), Ok(()));
    r.answer(stands([("2.0", Some((Accepted, "2.0"))), privacy]));
    assert!(recorded(&r).is_empty());
    assert_eq!(r.state.status(), FlowStatus::Complete);
}

#[test]
fn current_documents_skip_the_step() {
    let journey = journey(CONSENTS);
    let r = at_documents(
        &journey,
        [
            ("2.0", Some((Accepted, "2.0"))),
            ("1.1", Some((Accepted, "1.1"))),
        ],
    );
    assert_eq!(r.state.status(), FlowStatus::Complete);
}

#[test]
fn consent_settings_and_paths_are_checked_when_the_journey_loads() {
    let cases: &[(&str, &str)] = &[
        (
            "attribute_consent",
            "settings = { purposes = [] }\non = { submitted = 'b' }",
        ),
        (
            "attribute_consent",
            "settings = { purposes = ['Marketing'] }\non = { submitted = 'b' }",
        ),
        (
            "attribute_consent",
            "settings = { purposes = ['a', 'a'] }\non = { submitted = 'b' }",
        ),
        (
            "attribute_consent",
            "settings = { purposes = ['a'], ask = 'sometimes' }\non = { submitted = 'b' }",
        ),
        (
            "attribute_consent",
            "settings = { purpose = ['a'] }\non = { submitted = 'b' }",
        ),
        (
            "document_consent",
            "settings = { documents = ['../terms'] }\non = { accepted = 'b', refused = 'b' }",
        ),
        ("document_consent", "on = { accepted = 'b', refused = 'b' }"),
    ];
    for (block, rest) in cases {
        let source = format!(
            "start = 'a'\n[steps.a]\nblock = '{block}'\n{rest}\n[steps.b]\nblock = 'auto_login'\nsettings = {{ acr = 'loa1' }}"
        );
        let errors = Journey::parse(&BlockCatalogue::standard(), "j.toml", "j", &source)
            .err()
            .unwrap_or_else(|| panic_free_fail(&format!("accepted: {source}")));
        assert!(
            errors.0.iter().any(
                |e| e.step.as_deref() == Some("a") && matches!(e.problem, Problem::Settings(_))
            ),
            "{source}: {errors}"
        );
    }
    // Without an account known on the way there: refused.
    let source = "start = 'a'\n[steps.a]\nblock = 'document_consent'\nsettings = { documents = ['terms'] }\non = { accepted = 'b', refused = 'b' }\n[steps.b]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }";
    let errors = Journey::parse(&BlockCatalogue::standard(), "j.toml", "j", source).err();
    assert!(errors.is_some_and(|e| {
        e.0.iter()
            .any(|e| matches!(e.problem, Problem::Requires(journey_engine::Fact::Subject)))
    }),);
    // The items a journey asks about, for the server to check against the tenant.
    let items = journey(CONSENTS).consent_items();
    assert_eq!(items.len(), 4);
    assert!(items.contains(&(
        "choices".into(),
        journey_engine::ConsentItem::Purpose("marketing_sms".into())
    )));
    assert!(items.contains(&(
        "documents".into(),
        journey_engine::ConsentItem::Document("privacy".into())
    )));
}

/// A journey of this test's own: sign in, then a gateway over the account's consents.
const BY_CONSENT: &str = r#"
start = "login"

[steps.login]
block = "password_login"
on = { authenticated = "route" }

[steps.route]
block = "decision_gateway"
on = { mail = "mail", reaccept = "reaccept", withdrawn = "withdrawn", refused = "refused", other = "other" }

[steps.route.settings]
branches = [
  { when = "has(consents.terms) && consents.terms == 'outdated'", outcome = "reaccept" },
  { when = "has(consents.marketing_email) && consents.marketing_email == 'granted' && consents.terms == 'accepted'", outcome = "mail" },
  { when = "has(consents.marketing_email) && consents.marketing_email == 'withdrawn'", outcome = "withdrawn" },
  { when = "has(consents.terms) && consents.terms == 'refused'", outcome = "refused" },
]
otherwise = "other"

[steps.mail]
block = "show_information"
settings = { title = "welcome-title", end = "failed" }

[steps.reaccept]
block = "show_information"
settings = { title = "welcome-title", end = "failed" }

[steps.withdrawn]
block = "show_information"
settings = { title = "welcome-title", end = "failed" }

[steps.refused]
block = "show_information"
settings = { title = "welcome-title", end = "failed" }

[steps.other]
block = "show_information"
settings = { title = "welcome-title", end = "failed" }
"#;

#[test]
fn a_gateway_reads_the_account_s_consents_from_the_server() {
    let journey = journey(BY_CONSENT);
    let cases = [
        // Granted, and the terms accepted at their current major version (a minor behind).
        (
            [Some(Granted), None],
            [("2.1", Some((Accepted, "2.0"))), ("1.0", None)],
            "mail",
        ),
        // The terms accepted at an older major version: a new acceptance is due.
        (
            [Some(Granted), None],
            [("2.0", Some((Accepted, "1.3"))), ("1.0", None)],
            "reaccept",
        ),
        (
            [Some(Withdrawn), None],
            [("2.0", Some((Accepted, "2.0"))), ("1.0", None)],
            "withdrawn",
        ),
        (
            [None, None],
            [("2.0", Some((Refused, "2.0"))), ("1.0", None)],
            "refused",
        ),
        // Never decided: `has()` guards what may be missing.
        ([None, None], [("2.0", None), ("1.0", None)], "other"),
    ];
    for (purposes, documents, want) in cases {
        let mut r = signed_in(&journey);
        r.answer(consents(purposes, documents));
        assert_eq!(r.state.step(), want, "{purposes:?} {documents:?}");
    }
}

#[test]
fn a_gateway_without_an_account_asks_nothing_and_reads_no_consents() {
    // The same gateway first, before anyone signed in.
    let source = BY_CONSENT
        .replace("start = \"login\"", "start = \"route\"")
        .replace(
            "[steps.login]\nblock = \"password_login\"\non = { authenticated = \"route\" }\n",
            "",
        );
    let journey = journey(&source);
    let r = Runner::start(&journey);
    assert_eq!(r.pending, None);
    assert_eq!(r.state.step(), "other");
}

#[test]
fn a_guard_cannot_read_consents() {
    let source = BY_CONSENT.replace(
        "[steps.other]\nblock = \"show_information\"",
        "[steps.other]\nblock = \"show_information\"\nguard = \"has(consents.terms)\"\non_guard_failed = \"mail\"",
    );
    let errors = Journey::parse(&BlockCatalogue::standard(), "c.toml", "c", &source)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("step `other`") && errors.contains("cannot read `consents`"),
        "{errors}"
    );
}
