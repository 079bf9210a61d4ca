//! Smoke tests of the demo tenants in `demo-sites/` (the other tests run their own tenants,
//! `tests/fixtures/tenants`): the server starts on the demo's folders, every demo tenant
//! describes itself in the six shipped languages, and for every brand of every tenant its
//! journeys run to the end. A walker answers each step by its fields' kinds (an address, a
//! name, the code from the dev outbox, a password), so a demo journey may change its steps
//! without this file, but a journey that cannot be finished, or a brand that cannot run one,
//! fails here.

use crate::support::{Server, Setup, code_in, root, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The languages every demo tenant ships (README).
const SHIPPED: [&str; 6] = ["en", "nl", "de", "fr", "es", "ar"];

const PASSWORD: &str = "violet tractor under the bridge 42";
const NEW_PASSWORD: &str = "amber lantern over the harbour 7";

async fn demo_server(dir: &std::path::Path) -> Server {
    spawn_with(Setup {
        db: &dir.join("j.db"),
        dev: true,
        tenants: root().join("demo-sites"),
    })
    .await
}

/// The demo's tenants: every folder of `demo-sites/` with a `tenant.toml`.
fn demo_tenants() -> Vec<String> {
    let mut tenants: Vec<String> = std::fs::read_dir(root().join("demo-sites"))
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            path.join("tenant.toml")
                .is_file()
                .then(|| path.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    tenants.sort();
    tenants
}

/// A person the walker answers for: an address and the password the account has now.
struct Person {
    email: String,
    password: Option<&'static str>,
}

impl Person {
    /// A password the account does not have yet (a new one differs from the old).
    fn new_password(&self) -> &'static str {
        if self.password == Some(PASSWORD) {
            NEW_PASSWORD
        } else {
            PASSWORD
        }
    }
}

/// InsurGroup's story journeys: they need the page's context (a quote) and the demo's quote
/// service, which this walker has neither of, so here they must end cleanly (a failed flow on a
/// titled page: no quote to save or buy), never stick or break. The browser test
/// (tests/e2e/story.spec.ts) runs them whole.
const NEED_A_QUOTE: [&str; 4] = ["add-quote", "buy-car", "buy-life", "save-quote"];

/// Runs `journey` of `tenant` for `brand` to its end as `person` and returns the last flow
/// (complete, or failed on a page without actions); a password chosen on the way is the
/// person's from then on.
async fn walk(
    server: &Server,
    tenant: &str,
    brand: &str,
    journey: &str,
    person: &mut Person,
) -> Value {
    let email = person.email.as_str();
    let (status, mut flow, _) = server
        .post(
            &format!("/v1/{tenant}/journeys/{journey}"),
            json!({ "brand": brand }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tenant}/{brand}/{journey}: {flow}");
    let mut seen = server.outbox(email, 0).await.len();
    let mut chosen = None;
    for _ in 0..16 {
        if flow["status"] == "complete" {
            if chosen.is_some() {
                person.password = chosen;
            }
            return flow;
        }
        let step = &flow["step"];
        let at = format!("{tenant}/{brand}/{journey} at {}", step["id"]);
        assert!(
            !step["title"]["text"].as_str().unwrap_or("").is_empty(),
            "{at}: a step without a title: {step}"
        );
        if flow["status"] == "failed" {
            return flow;
        }
        let mut values = serde_json::Map::new();
        for field in step["fields"].as_array().unwrap() {
            let name = field["name"].as_str().unwrap().to_owned();
            let value = match (field["kind"].as_str(), field["autocomplete"].as_str()) {
                (Some("email"), _) => email.to_owned(),
                // Consents: every purpose granted and every document accepted.
                (Some("checkbox"), _) => "yes".to_owned(),
                (Some("date"), _) => "1990-04-12".to_owned(),
                // The first country offered is the Netherlands.
                (_, Some("postal-code")) => "1015 CJ".to_owned(),
                (Some("choice"), _) => field["options"][0]["value"].as_str().unwrap().to_owned(),
                (Some("password"), Some("current-password")) => person
                    .password
                    .unwrap_or_else(|| panic!("{at}: asks for a password the account lacks"))
                    .to_owned(),
                (Some("password"), _) => {
                    let password = person.new_password();
                    chosen = Some(password);
                    password.to_owned()
                }
                (Some("one_time_code"), _) => {
                    let messages = server.outbox(email, seen + 1).await;
                    seen = messages.len();
                    let body = messages[0]["body"].as_str().unwrap();
                    code_in(body).unwrap_or_else(|| panic!("{at}: no code in {body}"))
                }
                _ => "Demo".to_owned(),
            };
            values.insert(name, Value::String(value));
        }
        let action = step["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|action| action["kind"] == "primary")
            .unwrap_or_else(|| panic!("{at}: no way forward: {step}"))["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, next) = server.answer(&flow, &action, Value::Object(values)).await;
        assert_eq!(status, StatusCode::OK, "{at}: {next}");
        assert!(
            next["status"] == "complete" || next["step"]["id"] != flow["step"]["id"],
            "{at}: stuck: {next}"
        );
        flow = next;
    }
    panic!("{tenant}/{brand}/{journey} did not end within 16 steps: {flow}");
}

#[tokio::test]
async fn every_demo_tenant_describes_itself_in_the_six_shipped_languages() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(dir.path()).await;
    let tenants = demo_tenants();
    assert!(tenants.contains(&"roadhelp".to_owned()), "{tenants:?}");
    for tenant in &tenants {
        let (status, info) = server.get(&format!("/v1/{tenant}")).await;
        assert_eq!(status, StatusCode::OK, "{tenant}: {info}");
        let locales: Vec<&str> = info["locales"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .filter(|locale| *locale != "en-XA")
            .collect();
        assert_eq!(locales, SHIPPED, "{tenant}");
        assert!(!info["brands"].as_array().unwrap().is_empty(), "{tenant}");
    }
    server.stop().await;
}

#[tokio::test]
async fn every_demo_journey_runs_to_the_end_for_every_brand() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(dir.path()).await;
    for tenant in demo_tenants() {
        let (_, info) = server.get(&format!("/v1/{tenant}")).await;
        let journeys: Vec<String> = info["journeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|journey| journey["name"].as_str().unwrap().to_owned())
            .collect();
        for want in ["registration", "login", "recovery"] {
            assert!(journeys.iter().any(|j| j == want), "{tenant} lacks {want}");
        }
        for brand in info["brands"].as_array().unwrap() {
            let brand = brand["id"].as_str().unwrap();
            let mut person = Person {
                email: format!("smoke.{brand}@{tenant}.example"),
                password: None,
            };
            let done = walk(&server, &tenant, brand, "registration", &mut person).await;
            assert!(done["outcome"]["id_token"].is_string(), "{done}");
            // Then the others in name order with that account (login, recovery, and any
            // journey a demo adds), and a login with the password recovery chose.
            for journey in journeys.iter().filter(|j| *j != "registration") {
                let end = walk(&server, &tenant, brand, journey, &mut person).await;
                let ends = if NEED_A_QUOTE.contains(&journey.as_str()) {
                    "failed"
                } else {
                    "complete"
                };
                assert_eq!(end["status"], ends, "{tenant}/{brand}/{journey}: {end}");
            }
            assert_eq!(person.password, Some(NEW_PASSWORD), "{tenant}/{brand}");
            let done = walk(&server, &tenant, brand, "login", &mut person).await;
            assert!(done["outcome"]["id_token"].is_string(), "{done}");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn insurgroup_s_documents_are_shown_in_every_language_and_evenstar_s_own_privacy_notice() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(dir.path()).await;
    let body_of = |examples: &Value, document: &str| -> String {
        let block = examples["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["block"] == "document_consent")
            .unwrap();
        let documents = block["examples"][0]["step"]["view"]["documents"]
            .as_array()
            .unwrap();
        let found = documents.iter().find(|d| d["id"] == document).unwrap();
        found["body"].to_string()
    };
    for locale in SHIPPED {
        for brand in ["wheelhouse", "evenstar"] {
            let query = format!("tenant=insurgroup&brand={brand}&locale={locale}");
            let (status, examples) = server.get(&format!("/dev/examples?{query}")).await;
            assert_eq!(status, StatusCode::OK, "{examples}");
            for document in ["terms", "privacy"] {
                let body = body_of(&examples, document);
                assert!(
                    body.contains("heading") && body.contains("paragraph"),
                    "{query}: {body}"
                );
            }
            // Evenstar Life's privacy notice says how it keeps health details; the group's does not.
            let privacy = body_of(&examples, "privacy");
            assert_eq!(
                privacy.contains("Evenstar Life"),
                brand == "evenstar",
                "{query}: {privacy}"
            );
        }
    }
    server.stop().await;
}
