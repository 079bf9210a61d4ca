//! Contract cases of profiles: an account's attributes and their proofs are read with its email,
//! kept in the flow's transaction, merged (a new value replaces the old and carries its own
//! proof, others stay) and never written to an account that is not there.

use super::{account, flow, update};
use journey_store::{Profile, Store, Write};
use std::collections::{BTreeMap, BTreeSet};

fn keep(subject: &str, attributes: &[(&str, &str)], verified: &[&str]) -> Write {
    Write::UpdateProfile {
        tenant: "t".into(),
        subject: subject.into(),
        attributes: attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        verified: verified.iter().map(|v| (*v).to_owned()).collect(),
    }
}

fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

pub async fn a_profile_is_read_with_its_email_and_merged_value_by_value(store: &dyn Store) {
    store
        .create_flow(flow("f"), vec![account("a@x.test", "s1")])
        .await
        .unwrap();
    let fresh = store.profile("t", "s1").await.unwrap().unwrap();
    assert_eq!(
        fresh,
        Profile {
            attributes: BTreeMap::from([("email".into(), "a@x.test".into())]),
            verified: names(&["email"]),
            has_password: true,
        }
    );
    assert_eq!(store.profile("t", "nobody").await.unwrap(), None);
    assert_eq!(
        store.profile("other", "s1").await.unwrap(),
        None,
        "per tenant"
    );

    let first = keep(
        "s1",
        &[
            ("phone_number", "+31612345678"),
            ("car_quote", "Q-1"),
            ("email", "evil@x.test"),
        ],
        &["phone_number", "email"],
    );
    store
        .save_flow(update("f", 0, "a"), vec![first])
        .await
        .unwrap();
    let kept = store.profile("t", "s1").await.unwrap().unwrap();
    assert_eq!(kept.attributes["phone_number"], "+31612345678");
    assert_eq!(kept.attributes["car_quote"], "Q-1");
    assert_eq!(
        kept.attributes["email"], "a@x.test",
        "the email is an identifier"
    );
    assert_eq!(kept.verified, names(&["email", "phone_number"]));

    // A new number replaces the old one and is not verified; the quote stays.
    let second = keep(
        "s1",
        &[("phone_number", "+31687654321"), ("given_name", "Jane")],
        &[],
    );
    store
        .save_flow(update("f", 1, "b"), vec![second])
        .await
        .unwrap();
    let kept = store.profile("t", "s1").await.unwrap().unwrap();
    assert_eq!(kept.attributes["phone_number"], "+31687654321");
    assert_eq!(kept.attributes["given_name"], "Jane");
    assert_eq!(kept.attributes["car_quote"], "Q-1");
    assert_eq!(kept.verified, names(&["email"]));
}

pub async fn a_profile_for_no_account_fails_the_whole_save(store: &dyn Store) {
    store.create_flow(flow("f"), vec![]).await.unwrap();
    let result = store
        .save_flow(
            update("f", 0, "a"),
            vec![keep("nobody", &[("car_quote", "Q-1")], &[])],
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(store.flow("f").await.unwrap().unwrap().revision, 0);
    assert_eq!(store.profile("t", "nobody").await.unwrap(), None);
}
