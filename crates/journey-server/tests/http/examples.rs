//! `GET /dev/examples`: every block's examples, resolved by the server's own path for a
//! tenant, brand and language, in development mode only; unknown names get the stable codes.

use crate::support::{Setup, code_of, fixture_tenants, spawn, spawn_with};
use journey_protocol::{Examples, Resolve, Step};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The examples answer, read as the protocol type the preview and the widget decode.
async fn examples_of(server: &crate::support::Server, query: &str) -> (Examples, Value) {
    let (status, body) = server.get(&format!("/dev/examples?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let examples: Examples = serde_json::from_value(body.clone()).unwrap();
    (examples, body)
}

fn step<'a>(examples: &'a Examples, block: &str, name: &str) -> &'a Step {
    examples
        .blocks
        .iter()
        .find(|b| b.block == block)
        .and_then(|b| b.examples.iter().find(|e| e.name == name))
        .map(|e| &e.step)
        .unwrap_or_else(|| panic!("no example {block}/{name}"))
}

#[tokio::test]
async fn every_example_comes_resolved_for_the_tenant_brand_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (en, body) = examples_of(&server, "tenant=testco&brand=testco&locale=en").await;
    assert_eq!(
        (
            en.tenant.as_str(),
            en.brand.as_str(),
            en.locale.as_str(),
            en.dir.as_str()
        ),
        ("testco", "testco", "en", "ltr")
    );
    let blocks: Vec<&str> = en.blocks.iter().map(|b| b.block.as_str()).collect();
    let expected: Vec<&str> = journey_engine::BlockCatalogue::standard()
        .examples(0)
        .unwrap()
        .into_iter()
        .map(|(block, _)| block)
        .collect();
    assert_eq!(
        blocks, expected,
        "every block a person sees, in catalogue order"
    );
    // Every text is resolved (none is empty or just its id), and no argument travels.
    for block in &en.blocks {
        assert!(!block.examples.is_empty(), "{}", block.block);
        for example in &block.examples {
            let mut texts = Vec::new();
            example.step.clone().resolve(&mut |id, args| {
                assert!(args.is_empty(), "{id} still has arguments");
                texts.push(id.to_owned());
                String::new()
            });
            let json = serde_json::to_string(&example.step).unwrap();
            assert!(
                !json.contains(r#""text":"""#),
                "{}/{}: {json}",
                block.block,
                example.name
            );
            assert!(!texts.is_empty());
        }
    }
    assert!(!body.to_string().contains("\"args\""));
    let wrong = step(&en, "email_validation", "wrong_code");
    assert_eq!(
        wrong.fields[0].messages[0].text,
        "That code is not right. You have 3 tries left."
    );

    // The same resolution as a flow: the registration's first step labels its fields alike.
    let flow = server.start("registration").await;
    let collect = step(&en, "collect_user_data", "empty");
    for (shown, example) in flow["step"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&collect.fields)
    {
        assert_eq!(shown["label"], json!(example.label), "{}", example.name);
    }

    // Arabic is right to left, and in Arabic; empty pickers mean the defaults.
    let (ar, _) = examples_of(&server, "tenant=testco&brand=testco&locale=ar").await;
    assert_eq!((ar.locale.as_str(), ar.dir.as_str()), ("ar", "rtl"));
    assert_ne!(
        step(&ar, "email_validation", "wrong_code").fields[0].messages[0].text,
        wrong.fields[0].messages[0].text
    );
    let (defaults, _) = examples_of(&server, "tenant=testco&brand=&locale=").await;
    assert_eq!(
        (defaults.brand.as_str(), defaults.locale.as_str()),
        ("testco", "en")
    );
    server.stop().await;
}

#[tokio::test]
async fn the_tenant_list_describes_every_tenant_as_its_own_route_does() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (status, body) = server.get("/dev/tenants").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tenants: Vec<journey_protocol::TenantInfo> = serde_json::from_value(body).unwrap();
    // Every folder of the server's tenants with a tenant.toml, whatever tenants there are.
    let mut folders: Vec<String> = std::fs::read_dir(fixture_tenants())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("tenant.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let ids: Vec<&str> = tenants.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, folders);
    for tenant in &tenants {
        let (status, one) = server.get(&format!("/v1/{}", tenant.id)).await;
        assert_eq!(status, StatusCode::OK, "{one}");
        assert_eq!(serde_json::to_value(tenant).unwrap(), one, "{}", tenant.id);
        assert!(!tenant.brands.is_empty(), "{}", tenant.id);
    }
    server.stop().await;
}

#[tokio::test]
async fn unknown_tenants_brands_and_languages_get_the_stable_codes() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for (query, status, code) in [
        ("tenant=nobody", StatusCode::NOT_FOUND, "tenant_not_found"),
        (
            "tenant=testco&brand=nobody",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            "tenant=testco&locale=xx",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        ("brand=testco", StatusCode::BAD_REQUEST, "invalid_request"),
        (
            "tenant=testco&tenant=again",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
    ] {
        let (got, body) = server.get(&format!("/dev/examples?{query}")).await;
        assert_eq!((got, code_of(&body)), (status, code), "{query}: {body}");
    }
    server.stop().await;
}

#[tokio::test]
async fn there_are_no_examples_outside_development_mode() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: false,
        tenants: fixture_tenants(),
    })
    .await;
    let (status, _) = server.get("/dev/examples?tenant=testco").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server.get("/dev/tenants").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}
