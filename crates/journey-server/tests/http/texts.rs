//! Texts over HTTP: the pseudo-locale in development mode only, and a brand's overrides of the
//! shared texts in its steps and emails (with the test tenant `tests/fixtures/brand-texts/acme`),
//! and the start-up checks that refuse broken overrides.

use crate::support::{Server, Setup, copy_dir, fixture_tenants, spawn_with, start_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brand-texts")
}

async fn start(server: &Server, tenant: &str, body: Value) -> Value {
    let (status, flow, _) = server
        .post(&format!("/v1/{tenant}/journeys/registration"), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    flow
}

/// Answers the details step of a registration for `email`; returns the code step.
async fn details(server: &Server, flow: &Value, email: &str) -> Value {
    let values = json!({"email": email, "given_name": "Jane", "family_name": "Doe"});
    let (status, flow) = server.answer(flow, "submit", values).await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("verify_email")),
        "{flow}"
    );
    flow
}

#[tokio::test]
async fn the_pseudo_locale_is_spoken_in_development_mode_only() {
    let dir = tempfile::tempdir().unwrap();
    let dev = spawn_with(Setup {
        db: &dir.path().join("dev.db"),
        dev: true,
        tenants: fixture_tenants(),
    })
    .await;
    let flow = start(&dev, "testco", json!({"locale": "en-XA"})).await;
    assert_eq!(flow["locale"], "en-XA");
    let title = flow["step"]["title"]["text"].as_str().unwrap();
    assert!(title.starts_with("[Çŕéåţé ýöûŕ åççöûñţ ~"), "{title}");
    assert!(title.ends_with("~]"), "{title}");
    assert_eq!(flow["step"]["title"]["id"], "registration-title");
    let label = flow["step"]["fields"][0]["label"]["text"].as_str().unwrap();
    assert!(
        label.starts_with('[') && !label.chars().any(|c| c.is_ascii_alphabetic()),
        "{label}"
    );
    // The same arguments still format: the masked address and the brand pass through as they
    // are, and the code in the email can still be read.
    let flow = details(&dev, &flow, "pseudo@example.com").await;
    let sent = flow["step"]["messages"][0]["text"].as_str().unwrap();
    assert!(sent.starts_with("[Ŵé šéñţ å çöðé ţö "), "{sent}");
    assert!(sent.contains("@example.com"), "{sent}");
    let messages = dev.outbox("pseudo@example.com", 1).await;
    let subject = messages[0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("[Ýöûŕ TestCo ṽéŕîƒîçåţîöñ çöðé ~"),
        "{subject}"
    );
    assert_eq!(dev.code("pseudo@example.com", 1).await.len(), 6);
    dev.stop().await;

    let live = crate::support::spawn_configured(&dir.path().join("live.db"), |config| {
        config.dev = false;
        crate::support::smtp_down(config);
    })
    .await;
    let flow = start(&live, "testco", json!({"locale": "en-XA"})).await;
    assert_eq!(
        flow["locale"], "en",
        "outside development mode en-XA is English"
    );
    assert_eq!(flow["step"]["title"]["text"], "Create your account");
    live.stop().await;
}

#[tokio::test]
async fn a_brand_s_own_wording_shows_in_its_steps_and_emails() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: true,
        tenants: fixtures(),
    })
    .await;
    let car = start(&server, "acme", json!({"brand": "car"})).await;
    assert_eq!(
        car["step"]["title"]["text"],
        "Insure your car with Acme Car"
    );
    assert_eq!(car["step"]["title"]["id"], "registration-title");
    // Texts the brand does not re-word are the shared ones.
    assert_eq!(car["step"]["fields"][0]["label"]["text"], "Email address");
    let car_nl = start(&server, "acme", json!({"brand": "car", "locale": "nl"})).await;
    assert_eq!(
        car_nl["step"]["title"]["text"],
        "Verzeker je auto bij Acme Car"
    );
    // QA sees the brand's wording in the pseudo-locale too.
    let car_xa = start(&server, "acme", json!({"brand": "car", "locale": "en-XA"})).await;
    let title = car_xa["step"]["title"]["text"].as_str().unwrap();
    assert!(
        title.starts_with("[Îñšûŕé ýöûŕ çåŕ ŵîţĥ Acme Car ~"),
        "{title}"
    );
    let life = start(&server, "acme", json!({"brand": "life", "locale": "en"})).await;
    assert_eq!(life["step"]["title"]["text"], "Create your account");

    details(&server, &car, "car@example.com").await;
    details(&server, &life, "life@example.com").await;
    let car_mail = server.outbox("car@example.com", 1).await;
    assert_eq!(car_mail[0]["subject"], "Your Acme Car code for the road");
    assert!(
        car_mail[0]["body"]
            .as_str()
            .unwrap()
            .contains("create a Acme Car account"),
        "the body is the shared one, with the brand's name"
    );
    let life_mail = server.outbox("life@example.com", 1).await;
    assert_eq!(life_mail[0]["subject"], "Your Acme Life verification code");

    let acme = server.state.tenants.get("acme").unwrap();
    assert_eq!(acme.brand_default_locale("life"), "nl");
    assert_eq!(acme.brand_default_locale("car"), "en");
    assert_eq!(acme.locales, ["en", "nl", "en-XA"]);
    server.stop().await;
}

/// Starts a server on a copy of the test tenant changed by `edit`; returns the start error.
async fn refusal(edit: impl FnOnce(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    copy_dir(&fixtures(), &tenants);
    edit(&tenants.join("acme"));
    start_error(tenants, dir.path(), false).await
}

#[tokio::test]
async fn broken_brand_texts_stop_the_start_naming_the_file_and_the_message() {
    let write = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let error = refusal(|acme| {
        write(
            acme.join("locales/car/en/typo.ftl"),
            "registration-titel = Insure your car\n",
        );
        write(
            acme.join("locales/car/nl/placeable.ftl"),
            "welcome-body = Welkom, { $given_name }!\n",
        );
        write(
            acme.join("locales/car/en/broken.ftl"),
            "welcome-title = { $brand\n",
        );
        write(
            acme.join("locales/car/de/journeys.ftl"),
            "welcome-title = Hallo\n",
        );
        write(
            acme.join("locales/boat/en/journeys.ftl"),
            "welcome-title = Ahoy\n",
        );
    })
    .await;
    for expected in [
        "locales/car/en/typo.ftl: `registration-titel` overrides no shared message in this language; check its spelling",
        "locales/car/nl/placeable.ftl: `welcome-body` uses `$given_name`, which the shared message does not know",
        "locales/car/en/broken.ftl: not valid Fluent: line ",
        "in `welcome-title`",
        "locales/car/de/journeys.ftl: `de` is not one of the tenant's languages (its `locales`)",
        "locales/boat: `boat` is not a brand of this tenant",
    ] {
        assert!(error.contains(expected), "{expected:?} not in:\n{error}");
    }
    let error = refusal(|acme| {
        let toml = acme.join("tenant.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(
            &toml,
            text.replace("default_locale = \"nl\"", "default_locale = \"fr\""),
        )
        .unwrap();
    })
    .await;
    assert!(
        error.contains("brand `life`: default_locale `fr` is not in `locales`"),
        "{error}"
    );
}
