//! Attribute and document consent over HTTP, with the tests' own tenant
//! `tests/fixtures/consents/shop` (brands `shop` and `outlet`, three purposes, the terms and the
//! privacy notice): purposes granted and withdrawn one by one as history, a minor version that
//! only informs, a major one that asks again, a refusal recorded, hostile answers refused with
//! clear errors, a missing document file or an undeclared document stopping the server, and no
//! route that changes or deletes a consent.

use crate::support::{Server, Setup, copy_dir, spawn_with, start_error};
use journey_store::{Consent, Decision};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PASSWORD: &str = "a quiet lighthouse keeps its lamp";

fn tenants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/consents")
}

/// A copy of the tenants in `dir` with the terms at `version`.
fn with_terms(dir: &Path, version: &str) -> PathBuf {
    let to = dir.join(format!("tenants-{version}"));
    copy_dir(&tenants(), &to);
    let file = to.join("shop/tenant.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "[documents.terms]\nversion = \"2.0\"",
        &format!("[documents.terms]\nversion = \"{version}\""),
    );
    std::fs::write(file, text).unwrap();
    to
}

async fn serve(db: &Path, tenants: PathBuf) -> Server {
    spawn_with(Setup {
        db,
        dev: true,
        tenants,
    })
    .await
}

async fn start(server: &Server, journey: &str, brand: &str, locale: &str) -> Value {
    let (status, flow, _) = server
        .post(
            &format!("/v1/shop/journeys/{journey}"),
            json!({ "brand": brand, "locale": locale }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow
}

/// Answers `flow` and expects the step `next` (or completion when `None`).
async fn step(
    server: &Server,
    flow: &Value,
    action: &str,
    values: Value,
    next: Option<&str>,
) -> Value {
    let (status, flow) = server.answer(flow, action, values).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    match next {
        Some(next) => assert_eq!(flow["step"]["id"], next, "{flow}"),
        None => assert_eq!(flow["status"], "complete", "{flow}"),
    }
    flow
}

/// Registers `email` up to the purposes step (`choices`).
async fn at_choices(server: &Server, email: &str, brand: &str, locale: &str) -> Value {
    let flow = start(server, "registration", brand, locale).await;
    let details = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let flow = step(server, &flow, "submit", details, Some("verify_email")).await;
    let code = server.code(email, 1).await;
    let flow = step(
        server,
        &flow,
        "submit",
        json!({ "code": code }),
        Some("password"),
    )
    .await;
    step(
        server,
        &flow,
        "submit",
        json!({ "password": PASSWORD }),
        Some("choices"),
    )
    .await
}

/// Signs `email` in with the update journey, up to the purposes step.
async fn update(server: &Server, email: &str, brand: &str, locale: &str) -> Value {
    let flow = start(server, "update", brand, locale).await;
    let login = json!({ "email": email, "password": PASSWORD });
    step(server, &flow, "submit", login, Some("choices")).await
}

async fn history(server: &Server, subject: &str) -> Vec<Consent> {
    server.state.store.consents("shop", subject).await.unwrap()
}

fn subject_of(flow: &Value) -> String {
    flow["outcome"]["session"]["subject"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The fields of the step: name and shown value.
fn checkboxes(flow: &Value) -> Vec<(String, Value)> {
    let fields = flow["step"]["fields"].as_array().unwrap();
    fields
        .iter()
        .map(|f| {
            assert_eq!(f["kind"], "checkbox", "{f}");
            (f["name"].as_str().unwrap().to_owned(), f["value"].clone())
        })
        .collect()
}

fn record(c: &Consent) -> (&str, &str, Decision, &str, &str) {
    (
        c.item.as_str(),
        c.version.as_str(),
        c.decision,
        c.locale.as_str(),
        c.brand.as_str(),
    )
}

#[tokio::test]
async fn purposes_are_granted_and_withdrawn_one_by_one_and_kept_as_history() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("j.db"), tenants()).await;
    let flow = at_choices(&server, "grant@example.com", "shop", "nl").await;
    // None is pre-ticked, none is required, each has its label in the flow's language.
    assert_eq!(
        checkboxes(&flow),
        vec![
            ("marketing_email".into(), Value::Null),
            ("marketing_sms".into(), Value::Null),
            ("group_sharing".into(), Value::Null)
        ]
    );
    assert_eq!(flow["step"]["fields"][0]["required"], false);
    assert_eq!(
        flow["step"]["fields"][0]["label"]["text"],
        "Aanbiedingen en nieuws per e-mail"
    );
    let registration_id = flow["id"].as_str().unwrap().to_owned();
    let values = json!({"marketing_email": "yes", "marketing_sms": "yes", "group_sharing": ""});
    let flow = step(&server, &flow, "submit", values, Some("documents")).await;
    let values = json!({"terms": "yes", "privacy": "yes"});
    let done = step(&server, &flow, "accept", values, None).await;
    let subject = subject_of(&done);

    // A later flow, with the other brand and language: both granted purposes show ticked, and
    // unticking one withdraws it; the documents are current, so that step is skipped.
    let flow = update(&server, "grant@example.com", "outlet", "en").await;
    assert_eq!(
        checkboxes(&flow),
        vec![
            ("marketing_email".into(), json!("yes")),
            ("marketing_sms".into(), json!("yes")),
            ("group_sharing".into(), Value::Null)
        ]
    );
    let update_id = flow["id"].as_str().unwrap().to_owned();
    let values = json!({"marketing_email": "yes", "marketing_sms": ""});
    step(&server, &flow, "submit", values, None).await;

    let all = history(&server, &subject).await;
    let purposes: Vec<_> = all
        .iter()
        .filter(|c| c.decision.kind() == "purpose")
        .collect();
    assert_eq!(
        purposes.iter().map(|c| record(c)).collect::<Vec<_>>(),
        vec![
            ("marketing_email", "1.0", Decision::Granted, "nl", "shop"),
            ("marketing_sms", "1.0", Decision::Granted, "nl", "shop"),
            ("marketing_sms", "1.0", Decision::Withdrawn, "en", "outlet"),
        ]
    );
    assert!(
        purposes
            .iter()
            .all(|c| c.channel == "web" && c.subject == subject)
    );
    assert_eq!(
        purposes[0].flow_id.as_deref(),
        Some(registration_id.as_str())
    );
    assert_eq!(purposes[2].flow_id.as_deref(), Some(update_id.as_str()));
    assert!(purposes.windows(2).all(|w| w[0].at <= w[1].at));
    let documents: Vec<_> = all
        .iter()
        .filter(|c| c.decision.kind() == "document")
        .collect();
    assert_eq!(
        documents.iter().map(|c| record(c)).collect::<Vec<_>>(),
        vec![
            ("terms", "2.0", Decision::Accepted, "nl", "shop"),
            ("privacy", "1.0", Decision::Accepted, "nl", "shop"),
        ]
    );

    // The login journey asks only while a purpose is undecided: both are decided, so it is
    // skipped, and nothing is recorded.
    let flow = start(&server, "login", "shop", "en").await;
    let login = json!({ "email": "grant@example.com", "password": PASSWORD });
    step(&server, &flow, "submit", login, None).await;
    assert_eq!(history(&server, &subject).await.len(), all.len());
    server.stop().await;
}

#[tokio::test]
async fn a_minor_version_only_informs_and_a_major_one_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = serve(&db, tenants()).await;
    let flow = at_choices(&server, "versions@example.com", "shop", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let documents = &flow["step"]["view"]["documents"];
    assert_eq!(documents[0]["id"], "terms");
    assert_eq!(documents[0]["change"], "required");
    assert_eq!(documents[0]["version_label"]["text"], "Version 2.0");
    let done = step(
        &server,
        &flow,
        "accept",
        json!({"terms": "yes", "privacy": "yes"}),
        None,
    )
    .await;
    let subject = subject_of(&done);
    server.stop().await;

    // Terms 2.1: the person is told, accepts nothing, and nothing is recorded.
    let server = serve(&db, with_terms(dir.path(), "2.1")).await;
    let flow = update(&server, "versions@example.com", "shop", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let view = &flow["step"]["view"]["documents"];
    assert_eq!(view.as_array().unwrap().len(), 1, "{flow}");
    assert_eq!(
        (view[0]["id"].as_str(), view[0]["change"].as_str()),
        (Some("terms"), Some("minor_update"))
    );
    assert_eq!(flow["step"]["fields"], json!([]));
    let ids: Vec<_> = flow["step"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert!(
        ids.contains(&json!("consent-document-terms-updated")),
        "{ids:?}"
    );
    let actions: Vec<_> = flow["step"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(actions, vec![json!("continue")]);
    let (status, refused) = server
        .answer(&flow, "accept", json!({"terms": "yes"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    step(&server, &flow, "continue", json!({}), None).await;
    assert_eq!(history(&server, &subject).await.len(), 2);
    server.stop().await;

    // Terms 3.0: acceptance is needed again, of the terms only, and is recorded at 3.0. The
    // text is the file's, as plain text: markup in it stays text.
    let server = serve(&db, with_terms(dir.path(), "3.0")).await;
    let flow = update(&server, "versions@example.com", "shop", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let view = &flow["step"]["view"]["documents"];
    assert_eq!(view.as_array().unwrap().len(), 1, "{flow}");
    assert_eq!(view[0]["change"], "major_update");
    assert_eq!(
        view[0]["body"][0],
        json!({"kind": "heading", "text": "Shop terms 3.0 (en)"})
    );
    assert_eq!(
        view[0]["body"][1]["text"],
        "Buy what you like <b>and</b> pay what you owe. Returns within 30 days."
    );
    assert_eq!(
        view[0]["body"][2],
        json!({"kind": "item", "text": "One account per person."})
    );
    assert_eq!(checkboxes(&flow), vec![("terms".into(), Value::Null)]);
    // Accepting without ticking is refused beside the box; nothing is lost or recorded.
    let (status, refused) = server.answer(&flow, "accept", json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let field = &refused["flow"]["step"]["fields"][0];
    assert_eq!(
        field["messages"][0]["id"],
        "error-document-consent-unticked"
    );
    assert_eq!(history(&server, &subject).await.len(), 2);
    step(
        &server,
        &refused["flow"],
        "accept",
        json!({"terms": "yes"}),
        None,
    )
    .await;
    let all = history(&server, &subject).await;
    assert_eq!(
        all.iter().map(record).collect::<Vec<_>>(),
        vec![
            ("terms", "2.0", Decision::Accepted, "en", "shop"),
            ("privacy", "1.0", Decision::Accepted, "en", "shop"),
            ("terms", "3.0", Decision::Accepted, "en", "shop"),
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_refusal_is_recorded_ends_refused_and_the_documents_are_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("j.db"), tenants()).await;
    let flow = at_choices(&server, "refuse@example.com", "outlet", "de").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let (status, ended) = server.answer(&flow, "refuse", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(
        (ended["status"].as_str(), ended["step"]["id"].as_str()),
        (Some("failed"), Some("refused"))
    );
    let subject: String = server
        .state
        .store
        .credentials("shop", "refuse@example.com")
        .await
        .unwrap()
        .unwrap()
        .subject;
    assert_eq!(
        history(&server, &subject)
            .await
            .iter()
            .map(record)
            .collect::<Vec<_>>(),
        vec![
            ("terms", "2.0", Decision::Refused, "de", "outlet"),
            ("privacy", "1.0", Decision::Refused, "de", "outlet"),
        ]
    );
    // Next time both are required again; the outlet shows its own privacy notice.
    let flow = update(&server, "refuse@example.com", "outlet", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let view = &flow["step"]["view"]["documents"];
    assert_eq!(
        (view[0]["change"].as_str(), view[1]["change"].as_str()),
        (Some("required"), Some("required"))
    );
    assert_eq!(view[1]["body"][0]["text"], "Outlet privacy 1.0 (en)");
    assert_eq!(view[0]["body"][0]["text"], "Shop terms 2.0 (en)");
    server.stop().await;
}

#[tokio::test]
async fn a_version_published_while_the_person_reads_is_shown_before_anything_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let server = serve(&db, tenants()).await;
    let flow = at_choices(&server, "reading@example.com", "shop", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    server.stop().await;
    // Terms 3.0 goes live while the person reads 2.0.
    let server = serve(&db, with_terms(dir.path(), "3.0")).await;
    let values = json!({"terms": "yes", "privacy": "yes"});
    let flow = step(&server, &flow, "accept", values.clone(), Some("documents")).await;
    let messages = flow["step"]["messages"].to_string();
    assert!(messages.contains("document-consent-changed"), "{messages}");
    assert_eq!(flow["step"]["view"]["documents"][0]["version"], "3.0");
    let subject = server
        .state
        .store
        .credentials("shop", "reading@example.com")
        .await
        .unwrap()
        .unwrap()
        .subject;
    assert!(history(&server, &subject).await.is_empty());
    step(&server, &flow, "accept", values, None).await;
    let all = history(&server, &subject).await;
    assert_eq!(
        all.iter().map(record).collect::<Vec<_>>(),
        vec![
            ("terms", "3.0", Decision::Accepted, "en", "shop"),
            ("privacy", "1.0", Decision::Accepted, "en", "shop"),
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn two_windows_record_a_choice_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("j.db"), tenants()).await;
    let flow = at_choices(&server, "windows@example.com", "shop", "en").await;
    let flow = step(&server, &flow, "submit", json!({}), Some("documents")).await;
    let values = json!({"terms": "yes", "privacy": "yes"});
    let done = step(&server, &flow, "accept", values, None).await;
    let subject = subject_of(&done);
    // Two windows show the purposes; both grant the email purpose.
    let first = update(&server, "windows@example.com", "shop", "en").await;
    let second = update(&server, "windows@example.com", "shop", "en").await;
    let values = json!({"marketing_email": "yes"});
    step(&server, &first, "submit", values.clone(), None).await;
    step(&server, &second, "submit", values, None).await;
    let all = history(&server, &subject).await;
    let granted: Vec<_> = all.iter().filter(|c| c.item == "marketing_email").collect();
    assert_eq!(granted.len(), 1, "{all:?}");
    server.stop().await;
}

#[tokio::test]
async fn hostile_consent_answers_get_clear_errors_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("j.db"), tenants()).await;
    let flow = at_choices(&server, "hostile@example.com", "shop", "en").await;
    // A purpose the step does not show.
    let (status, body) = server
        .answer(&flow, "submit", json!({"marketing_fax": "yes"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_request");
    assert_eq!(
        body["flow"]["step"]["id"], "choices",
        "the flow comes back as it was"
    );
    // A value that is not the checkbox's, and a huge one: an error beside the field.
    for value in ["on".to_owned(), "y".repeat(12_000)] {
        let (status, body) = server
            .answer(
                &flow,
                "submit",
                json!({"marketing_email": "yes", "marketing_sms": value}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields = body["flow"]["step"]["fields"].as_array().unwrap();
        assert_eq!(fields[1]["name"], "marketing_sms");
        assert_eq!(
            fields[1]["messages"][0]["id"],
            "error-consent-checkbox-value"
        );
        assert_eq!(fields[0]["messages"], json!([]));
        assert_eq!(body["flow"]["step"]["id"], "choices");
    }
    // A body beyond the limit.
    let (status, body) = server
        .answer(
            &flow,
            "submit",
            json!({"marketing_email": "y".repeat(20_000)}),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    // Nothing was recorded, and the step still takes a good answer.
    let subject = server
        .state
        .store
        .credentials("shop", "hostile@example.com")
        .await
        .unwrap()
        .unwrap()
        .subject;
    assert!(history(&server, &subject).await.is_empty());
    let flow = step(
        &server,
        &flow,
        "submit",
        json!({"group_sharing": "yes"}),
        Some("documents"),
    )
    .await;
    let (status, body) = server
        .answer(&flow, "accept", json!({"terms": "yes", "privacy": "true"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["flow"]["step"]["fields"][1]["messages"][0]["id"],
        "error-consent-checkbox-value"
    );
    assert_eq!(
        history(&server, &subject)
            .await
            .iter()
            .map(record)
            .collect::<Vec<_>>(),
        vec![("group_sharing", "1.2", Decision::Granted, "en", "shop")]
    );
    server.stop().await;
}

#[tokio::test]
async fn consents_cannot_be_changed_or_deleted_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("j.db"), tenants()).await;
    let flow = at_choices(&server, "history@example.com", "shop", "en").await;
    let flow = step(
        &server,
        &flow,
        "submit",
        json!({"marketing_email": "yes"}),
        Some("documents"),
    )
    .await;
    let done = step(
        &server,
        &flow,
        "accept",
        json!({"terms": "yes", "privacy": "yes"}),
        None,
    )
    .await;
    let subject = subject_of(&done);
    let before = history(&server, &subject).await;
    let id = done["id"].as_str().unwrap();
    let paths = [
        format!("/v1/flows/{id}"),
        "/v1/shop/consents".to_owned(),
        format!("/v1/shop/consents/{subject}"),
        format!("/v1/shop/accounts/{subject}/consents"),
        "/v1/shop/documents/terms".to_owned(),
    ];
    for path in &paths {
        for method in [
            reqwest::Method::DELETE,
            reqwest::Method::PUT,
            reqwest::Method::PATCH,
        ] {
            let response = server
                .http
                .request(method.clone(), format!("{}{path}", server.url))
                .json(&json!({"decision": "withdrawn"}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {status}"
            );
        }
    }
    // Answering the completed flow again changes nothing either.
    let (status, _) = server.answer(&flow, "refuse", json!({})).await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(history(&server, &subject).await, before);
    server.stop().await;
}

#[tokio::test]
async fn a_missing_document_file_or_an_undeclared_item_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    copy_dir(&tenants(), &missing);
    let file = missing.join("shop/documents/privacy/1.0/de.md");
    std::fs::remove_file(&file).unwrap();
    let error = start_error(missing, dir.path(), true).await;
    assert!(
        error.contains(&format!("{}: missing", file.display())),
        "{error}"
    );

    let undeclared = dir.path().join("undeclared");
    copy_dir(&tenants(), &undeclared);
    let journey = undeclared.join("shop/journeys/login.toml");
    let text = std::fs::read_to_string(&journey)
        .unwrap()
        .replace("\"marketing_sms\"]", "\"marketing_fax\"]");
    std::fs::write(&journey, text).unwrap();
    let error = start_error(undeclared, dir.path(), true).await;
    assert!(
        error.contains(&format!(
            "{}: step `choices`: setting `purposes`: `marketing_fax` is not declared",
            journey.display()
        )),
        "{error}"
    );

    let bad_version = dir.path().join("version");
    copy_dir(&tenants(), &bad_version);
    let toml = bad_version.join("shop/tenant.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("version = \"1.2\"", "version = \"v1\"");
    std::fs::write(&toml, text).unwrap();
    let error = start_error(bad_version, dir.path(), true).await;
    assert!(
        error.contains("[purposes.group_sharing]: version `v1` is not `major.minor`"),
        "{error}"
    );

    // A purpose and a document of one name: a condition's `consents.<name>` would be either.
    let clash = dir.path().join("clash");
    copy_dir(&tenants(), &clash);
    let toml = clash.join("shop/tenant.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[purposes.terms]\nversion = \"1.0\"\n");
    std::fs::write(&toml, text).unwrap();
    let error = start_error(clash, dir.path(), true).await;
    assert!(
        error.contains("[documents.terms]: a purpose has this name too"),
        "{error}"
    );
}
