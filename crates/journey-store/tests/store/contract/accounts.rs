//! Contract cases of accounts: an email identifies one account per tenant, tenants share no
//! accounts, and an account need not have a password.

use super::{account, flow, update};
use journey_store::{Credentials, Saved, Store, StoreError, Write};

fn new_account(tenant: &str, email: &str, subject: &str, hash: Option<&str>) -> Write {
    Write::CreateAccount {
        tenant: tenant.into(),
        subject: subject.into(),
        email: email.into(),
        attributes: "{}".into(),
        password_hash: hash.map(str::to_owned),
    }
}

fn set_password(tenant: &str, subject: &str, hash: &str) -> Write {
    Write::SetPassword {
        tenant: tenant.into(),
        subject: subject.into(),
        password_hash: hash.into(),
    }
}

fn credentials(subject: &str, hash: Option<&str>) -> Option<Credentials> {
    Some(Credentials {
        subject: subject.into(),
        password_hash: hash.map(str::to_owned),
    })
}

pub async fn an_account_without_a_password_is_found_and_can_be_given_one(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![new_account("t", "a@x.test", "s1", None)])
        .await
        .unwrap();
    assert!(store.account_exists("t", "a@x.test").await.unwrap());
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        credentials("s1", None),
        "found, with no password to check"
    );

    // A recovery gives it its first password, and a second one replaces it.
    let saved = store
        .save_flow(
            update("f", 0, "s1"),
            vec![set_password("t", "s1", "$argon2id$first")],
        )
        .await
        .unwrap();
    assert_eq!(saved, Saved::Saved);
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        credentials("s1", Some("$argon2id$first"))
    );
    store
        .save_flow(
            update("f", 1, "s2"),
            vec![set_password("t", "s1", "$argon2id$second")],
        )
        .await
        .unwrap();
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        credentials("s1", Some("$argon2id$second"))
    );

    // No account, no password: the save fails whole.
    let result = store
        .save_flow(
            update("f", 2, "s3"),
            vec![set_password("t", "nobody", "$argon2id$x")],
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(store.flow("f").await.unwrap().unwrap().revision, 2);
}

/// Identifiers are unique per tenant, kind and value; the kind the trait can create is email.
pub async fn identifiers_are_unique_per_tenant_and_kind(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![account("a@x.test", "s1")])
        .await
        .unwrap();
    let result = store
        .create_flow(flow("g"), vec![account("a@x.test", "s2")])
        .await;
    assert!(
        matches!(result, Err(StoreError::Duplicate(_))),
        "{result:?}"
    );
    assert!(
        store.flow("g").await.unwrap().is_none(),
        "the flow that failed is not saved either"
    );
    let result = store
        .create_flow(flow("h"), vec![account("b@x.test", "s1")])
        .await;
    assert!(
        matches!(result, Err(StoreError::Duplicate(_))),
        "a subject names one account: {result:?}"
    );
    assert!(!store.account_exists("t", "b@x.test").await.unwrap());

    store
        .create_flow(flow("i"), vec![account("b@x.test", "s2")])
        .await
        .unwrap();
    for (email, subject) in [("a@x.test", "s1"), ("b@x.test", "s2")] {
        assert_eq!(
            store
                .credentials("t", email)
                .await
                .unwrap()
                .map(|c| c.subject),
            Some(subject.to_owned())
        );
    }
}

pub async fn two_tenants_with_the_same_email_have_separate_accounts(store: &dyn Store) {
    store
        .create_flow(
            flow("f"),
            vec![
                new_account("t", "a@x.test", "s1", Some("$argon2id$t")),
                new_account("u", "a@x.test", "s2", Some("$argon2id$u")),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        credentials("s1", Some("$argon2id$t"))
    );
    assert_eq!(
        store.credentials("u", "a@x.test").await.unwrap(),
        credentials("s2", Some("$argon2id$u"))
    );
    assert!(!store.account_exists("v", "a@x.test").await.unwrap());
    assert_eq!(store.credentials("v", "a@x.test").await.unwrap(), None);

    // A new password in one tenant leaves the other's alone.
    store
        .save_flow(
            update("f", 0, "s1"),
            vec![set_password("t", "s1", "$argon2id$t2")],
        )
        .await
        .unwrap();
    assert_eq!(
        store.credentials("u", "a@x.test").await.unwrap(),
        credentials("s2", Some("$argon2id$u"))
    );
    // And no tenant reaches another's account by its subject.
    let result = store
        .save_flow(
            update("f", 1, "s2"),
            vec![set_password("u", "s1", "$argon2id$x")],
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(
        store.credentials("t", "a@x.test").await.unwrap(),
        credentials("s1", Some("$argon2id$t2"))
    );
}
