//! The TestCo registration journey over HTTP.

use crate::support::{code_in, code_of, spawn, wrong_code};
use journey_server::state::Clock;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_new_person_registers_and_gets_a_session_and_a_verifiable_id_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let flow = server.start("registration").await;
    assert_eq!(flow["status"], "active");
    assert_eq!(flow["step"]["id"], "details");
    assert_eq!(flow["step"]["title"]["text"], "Create your account");
    let names: Vec<_> = flow["step"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["email", "given_name", "family_name"]);

    let (status, flow) = server
        .answer(
            &flow,
            "submit",
            json!({"email": "Jane@Example.com", "given_name": "Jane", "family_name": "Doe"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(flow["step"]["id"], "verify_email");
    assert_eq!(flow["step"]["view"]["email_masked"], "j***@example.com");
    let code = server.code("jane@example.com", 1).await;

    let (status, flow) = server.answer(&flow, "submit", json!({"code": code})).await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("password"))
    );
    let reveal = &flow["step"]["fields"][0]["reveal"];
    assert_eq!(reveal["show"]["text"], "Show password");
    assert_eq!(flow["step"]["fields"][0]["autocomplete"], "new-password");

    let (status, flow) = server
        .answer(
            &flow,
            "submit",
            json!({"password": "violet tractor under the bridge 42"}),
        )
        .await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("welcome"))
    );
    let (status, flow, headers) = server.submit(&flow, "continue", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(flow["status"], "complete");
    assert!(flow.get("step").is_none());

    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-jk_session="), "{cookie}");
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert_eq!(flow["outcome"]["message"]["text"], "You are signed in.");
    let session = &flow["outcome"]["session"];
    assert_eq!(session["acr"], "loa1");
    let claims = server
        .verify_token(flow["outcome"]["id_token"].as_str().unwrap())
        .await;
    assert_eq!(claims["iss"], format!("{}/v1/testco", server.url));
    assert_eq!(claims["aud"], "testco-web");
    assert_eq!(claims["sub"], session["subject"]);
    assert_eq!(claims["acr"], "loa1");
    // Choosing a password is not signing in with it: the code is the method used.
    assert_eq!(claims["amr"], json!(["otp"]));
    let now = server.clock.now();
    assert_eq!(claims["auth_time"].as_i64(), Some(now));
    assert!(claims["exp"].as_i64().unwrap() > now);

    // A reload of the completed flow shows the same outcome, without a new cookie.
    let (status, again) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["outcome"], flow["outcome"]);
    // The discovery document points at the same keys.
    let (_, discovery) = server
        .get("/v1/testco/.well-known/openid-configuration")
        .await;
    assert_eq!(discovery["issuer"], claims["iss"]);
    server.stop().await;
}

#[tokio::test]
async fn a_taken_address_gets_the_same_answer_and_its_owner_a_notice_without_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    server
        .register("owner@example.com", "violet tractor under the bridge 42")
        .await;

    let details = |email: &str| json!({"email": email, "given_name": "Eve", "family_name": "Doe"});
    let taken = server.start("registration").await;
    let (taken_status, taken) = server
        .answer(&taken, "submit", details("owner@example.com"))
        .await;
    let fresh = server.start("registration").await;
    let (fresh_status, fresh) = server
        .answer(&fresh, "submit", details("other@example.com"))
        .await;
    assert_eq!(taken_status, fresh_status);
    let mut taken_step = taken["step"].clone();
    let mut fresh_step = fresh["step"].clone();
    for step in [&mut taken_step, &mut fresh_step] {
        step["view"]["email_masked"] = json!("masked");
        step["messages"][0]["text"] = json!("masked");
    }
    assert_eq!(
        taken_step, fresh_step,
        "the person registering cannot tell the address is taken"
    );

    let messages = server.outbox("owner@example.com", 2).await;
    assert_eq!(
        messages.len(),
        2,
        "one code at registration, one notice now"
    );
    let notice = messages[0]["body"].as_str().unwrap();
    assert!(notice.contains("already have an account"), "{notice}");
    assert_eq!(code_in(notice), None);
    // The original code does not work in the new flow.
    let old_code = code_in(messages[1]["body"].as_str().unwrap()).unwrap();
    let (status, body) = server
        .answer(&taken, "submit", json!({"code": old_code}))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert_eq!(body["flow"]["step"]["id"], "verify_email");
    server.stop().await;
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_fifth_locks_the_registration() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (flow, right) = server.at_code_step("lock@example.com").await;
    let wrong = wrong_code(&right);
    for left in (1..=4).rev() {
        let (status, body) = server.answer(&flow, "submit", json!({"code": wrong})).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        );
        assert_eq!(body["error"]["id"], "api-invalid-input");
        let field = &body["flow"]["step"]["fields"][0];
        assert_eq!(field["messages"][0]["id"], "error-code-wrong");
        assert!(
            field["messages"][0]["text"]
                .as_str()
                .unwrap()
                .contains(&left.to_string())
        );
        assert_eq!(body["flow"]["step"]["view"]["attempts_left"], left);
    }
    let (status, locked) = server.answer(&flow, "submit", json!({"code": wrong})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(locked["status"], "failed");
    assert_eq!(locked["step"]["id"], "locked");
    assert_eq!(locked["step"]["actions"], json!([]));
    // The sixth, even with the right code, changes nothing.
    let (status, body) = server.answer(&flow, "submit", json!({"code": right})).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "flow_ended")
    );
    assert_eq!(body["flow"]["step"]["id"], "locked");
    server.stop().await;
}

#[tokio::test]
async fn fifty_parallel_wrong_codes_get_at_most_five_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let server = std::sync::Arc::new(spawn(&dir.path().join("j.db")).await);
    let (flow, right) = server.at_code_step("race@example.com").await;
    let wrong = wrong_code(&right);
    let attempts = (0..50).map(|_| {
        let (server, flow) = (server.clone(), flow.clone());
        tokio::spawn(async move { server.answer(&flow, "submit", json!({"code": wrong})).await })
    });
    let mut evaluated = 0;
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        match status {
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::OK => evaluated += 1,
            StatusCode::CONFLICT => assert!(
                ["conflict", "step_mismatch", "flow_ended"].contains(&code_of(&body)),
                "{body}"
            ),
            // The address's own guess quota (10 an hour) refused it before any comparison.
            StatusCode::TOO_MANY_REQUESTS => assert_eq!(code_of(&body), "rate_limited", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(evaluated <= 5, "{evaluated} wrong codes were evaluated");
    assert!(evaluated >= 1);
    let (_, after) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    let left = after["step"]["view"]["attempts_left"].as_u64().unwrap_or(0);
    assert_eq!(
        5 - left,
        evaluated as u64,
        "every evaluated try was counted"
    );
}

#[tokio::test]
async fn a_resend_waits_for_the_cool_down_and_voids_the_old_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (flow, first) = server.at_code_step("again@example.com").await;
    assert_eq!(flow["step"]["actions"][1]["available_in"], 30);
    let (status, body) = server.answer(&flow, "resend", json!({})).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert_eq!(
        body["flow"]["step"]["messages"][1]["id"],
        "error-resend-wait"
    );
    server.clock.advance(31);
    let (status, flow) = server.answer(&flow, "resend", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(flow["step"]["messages"][1]["id"], "note-code-resent");
    let second = server.code("again@example.com", 2).await;
    if first != second {
        let (status, _) = server.answer(&flow, "submit", json!({"code": first})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the old code is void"
        );
    }
    let (status, flow) = server
        .answer(&flow, "submit", json!({"code": second}))
        .await;
    assert_eq!(
        (status, flow["step"]["id"].as_str()),
        (StatusCode::OK, Some("password"))
    );
    server.stop().await;
}

#[tokio::test]
async fn codes_expire_after_ten_minutes_and_flows_after_thirty() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (flow, code) = server.at_code_step("late@example.com").await;
    server.clock.advance(601);
    let (status, body) = server.answer(&flow, "submit", json!({"code": code})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["flow"]["step"]["fields"][0]["messages"][0]["id"],
        "error-code-expired"
    );
    server.clock.advance(30 * 60);
    let (status, body) = server.answer(&flow, "submit", json!({"code": code})).await;
    assert_eq!((status, code_of(&body)), (StatusCode::GONE, "flow_expired"));
    assert_eq!(body["flow"]["status"], "expired");
    let (status, body) = server
        .get(&format!("/v1/flows/{}", flow["id"].as_str().unwrap()))
        .await;
    assert_eq!((status, code_of(&body)), (StatusCode::GONE, "flow_expired"));
    server.stop().await;
}

#[tokio::test]
async fn weak_passwords_are_refused_with_a_reason_beside_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    let (flow, code) = server.at_code_step("pw@example.com").await;
    let (_, flow) = server.answer(&flow, "submit", json!({"code": code})).await;
    for (password, id) in [
        ("too short", "error-password-too-short"),
        ("passwordpassword", "error-password-common"),
        (&"x".repeat(129) as &str, "error-password-too-long"),
    ] {
        let (status, body) = server
            .answer(&flow, "submit", json!({"password": password}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["flow"]["step"]["fields"][0]["messages"][0]["id"], id);
        assert!(
            body["flow"]["step"]["fields"][0].get("value").is_none(),
            "a password is never echoed"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_flow_speaks_the_asked_language_or_the_brand_default() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    for (asked, locale, title) in [
        ("nl", "nl", "Maak je account aan"),
        ("nl-BE", "nl", "Maak je account aan"),
        ("fr-CH", "fr", "Créez votre compte"),
        ("ar", "ar", "أنشئ حسابك"),
        ("pt", "en", "Create your account"),
    ] {
        let (status, flow, _) = server
            .post("/v1/testco/journeys/registration", json!({"locale": asked}))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(flow["locale"], locale);
        assert_eq!(flow["step"]["title"]["text"], title);
    }
    let (_, flow, _) = server
        .post("/v1/testco/journeys/registration", json!({"locale": "nl"}))
        .await;
    let (_, flow) = server
        .answer(
            &flow,
            "submit",
            json!({"email": "nl@example.com", "given_name": "N", "family_name": "L"}),
        )
        .await;
    assert!(
        flow["step"]["messages"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("We hebben een code gestuurd")
    );
    let messages = server.outbox("nl@example.com", 1).await;
    assert_eq!(
        messages[0]["subject"], "Je verificatiecode voor TestCo",
        "the brand's name from tenant.toml"
    );
    server.stop().await;
}

#[tokio::test]
async fn two_windows_registering_one_address_make_one_account_and_the_other_ends_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(&dir.path().join("j.db")).await;
    // Both pass the duplicate check before either account exists, and both verify their code.
    let (first, code) = server.at_code_step("twice@example.com").await;
    let (second, other_code) = server.at_code_step("twice@example.com").await;
    let (_, first) = server.answer(&first, "submit", json!({"code": code})).await;
    let (_, second) = server
        .answer(&second, "submit", json!({"code": other_code}))
        .await;
    assert_eq!(
        (first["step"]["id"].as_str(), second["step"]["id"].as_str()),
        (Some("password"), Some("password"))
    );

    let password = json!({"password": "violet tractor under the bridge 42"});
    let (status, first) = server.answer(&first, "submit", password.clone()).await;
    assert_eq!(
        (status, first["step"]["id"].as_str()),
        (StatusCode::OK, Some("welcome"))
    );
    let (status, ended) = server.answer(&second, "submit", password.clone()).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["status"], "failed");
    assert_eq!(ended["step"]["messages"][0]["id"], "error-account-taken");
    assert_eq!(
        ended["step"]["fields"],
        json!([]),
        "an ended flow asks for nothing"
    );
    assert_eq!(ended["step"]["actions"], json!([]));
    let (status, body) = server.answer(&second, "submit", password).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "flow_ended")
    );
    server.stop().await;
}

#[tokio::test]
async fn parallel_answers_to_the_password_step_cost_one_hash() {
    let dir = tempfile::tempdir().unwrap();
    let server = std::sync::Arc::new(spawn(&dir.path().join("j.db")).await);
    let (flow, code) = server.at_code_step("one-hash@example.com").await;
    let (_, flow) = server
        .answer(&flow, "submit", json!({ "code": code }))
        .await;
    assert_eq!(flow["step"]["id"], "password");
    let before = server.state.hasher.runs();
    let answers = (0..20).map(|_| {
        let (server, flow) = (server.clone(), flow.clone());
        tokio::spawn(async move {
            server
                .answer(
                    &flow,
                    "submit",
                    json!({"password": "violet tractor under the bridge"}),
                )
                .await
        })
    });
    let mut saved = 0;
    for answer in answers {
        let (status, body) = answer.await.unwrap();
        match status {
            StatusCode::OK => saved += 1,
            StatusCode::CONFLICT => assert!(
                ["conflict", "step_mismatch"].contains(&code_of(&body)),
                "{body}"
            ),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(saved, 1, "one answer makes the account");
    assert_eq!(
        server.state.hasher.runs() - before,
        1,
        "the others were refused before hashing"
    );
}
