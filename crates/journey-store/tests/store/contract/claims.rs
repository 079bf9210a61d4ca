//! Contract cases of the claims that limit work across flows: the login throttle and the
//! quotas, alone, in parallel on one handle, and in parallel from several handles on one
//! database (several server processes).

use super::{Backend, Task, all, flow};
use journey_store::{Claim, Quota, Store, Window, Write};

pub async fn login_attempts_are_claimed_until_blocked_and_a_success_clears_them(store: &dyn Store) {
    let block = |n: u32| if n >= 3 { 60 } else { 0 };
    for failures in 1..=3 {
        assert_eq!(
            store
                .claim_login_attempt("t", &["a@x.test".to_owned()], 100, block)
                .await
                .unwrap(),
            Claim::Granted { failures }
        );
    }
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 120, block)
            .await
            .unwrap(),
        Claim::Blocked { until: 160 }
    );
    // Another identifier is not affected.
    assert_eq!(
        store
            .claim_login_attempt("t", &["b@x.test".to_owned()], 120, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 160, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 4 }
    );
    store
        .record_login_success("t", &["a@x.test".to_owned()])
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_login_attempt("t", &["a@x.test".to_owned()], 161, block)
            .await
            .unwrap(),
        Claim::Granted { failures: 1 }
    );
}

pub async fn parallel_claims_cannot_outrun_the_block(store: &dyn Store) {
    let block = |n: u32| if n >= 5 { 60 } else { 0 };
    let claims: Vec<Task<'_, Claim>> = (0..50)
        .map(|_| {
            Box::pin(async move {
                store
                    .claim_login_attempt("t", &["a@x.test".to_owned()], 100, block)
                    .await
                    .unwrap()
            }) as Task<'_, _>
        })
        .collect();
    let granted = all(claims)
        .await
        .into_iter()
        .filter(|claim| matches!(claim, Claim::Granted { .. }))
        .count();
    assert_eq!(granted, 5, "50 parallel attempts, at most 5 checked");
}

pub async fn quotas_count_per_key_across_windows_and_parallel_claims_cannot_outrun_them(
    store: &dyn Store,
) {
    let windows = [
        Window {
            seconds: 3600,
            max: 2,
        },
        Window {
            seconds: 86_400,
            max: 3,
        },
    ];
    let a = ["code:a".to_owned()];
    let claim = |keys: &'static [&'static str], at: i64| async move {
        let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
        store.claim_quota("t", &keys, at, &windows).await.unwrap()
    };
    assert_eq!(claim(&["code:a"], 100).await, Quota::Granted);
    assert_eq!(claim(&["code:a"], 200).await, Quota::Granted);
    // The hour is full until the first event leaves it; nothing was counted meanwhile.
    assert_eq!(
        claim(&["code:a"], 300).await,
        Quota::Exhausted { until: 3700 }
    );
    assert_eq!(claim(&["code:b"], 300).await, Quota::Granted, "per key");
    assert_eq!(
        store.claim_quota("other", &a, 300, &windows).await.unwrap(),
        Quota::Granted,
        "per tenant"
    );
    assert_eq!(claim(&["code:a"], 3700).await, Quota::Granted);
    // Now the day is full (3 events) until the first leaves it.
    assert_eq!(
        claim(&["code:a"], 7300).await,
        Quota::Exhausted { until: 86_500 }
    );
    // All or nothing: a full key refuses the claim for the other keys too.
    assert!(matches!(
        claim(&["code:c", "code:a"], 7300).await,
        Quota::Exhausted { .. }
    ));
    assert_eq!(claim(&["code:c"], 7300).await, Quota::Granted);
    // A released event gives its room back.
    store
        .create_flow(
            flow("f"),
            vec![Write::ReleaseQuota {
                tenant: "t".into(),
                key: "code:a".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(claim(&["code:a"], 7300).await, Quota::Granted);

    let parallel: Vec<Task<'_, Quota>> = (0..50)
        .map(|_| {
            Box::pin(async move {
                store
                    .claim_quota("t", &["code:p".to_owned()], 500, &windows)
                    .await
                    .unwrap()
            }) as Task<'_, _>
        })
        .collect();
    let granted = all(parallel)
        .await
        .into_iter()
        .filter(|quota| *quota == Quota::Granted)
        .count();
    assert_eq!(granted, 2, "50 parallel claims, the hour allows 2");
    // Purging removes events older than a day.
    store.purge(90_000).await.unwrap();
    assert_eq!(claim(&["code:a"], 90_000).await, Quota::Granted);
}

/// Several server processes on one database: each handle has its own connection, and all of
/// them claim at once. Exactly the limit is granted, all or nothing across the keys of a claim.
pub async fn claims_from_several_connections_grant_exactly_the_limit(backend: &dyn Backend) {
    let mut stores: Vec<Box<dyn Store>> = Vec::new();
    for _ in 0..4 {
        stores.push(backend.connect().await);
    }
    let keys = ["a@x.test".to_owned(), "a@x.test|ip:192.0.2.1".to_owned()];
    let block = |n: u32| if n >= 5 { 60 } else { 0 };
    let claims: Vec<Task<'_, Claim>> = (0..48)
        .map(|i| {
            let (store, keys) = (&stores[i % stores.len()], &keys);
            Box::pin(async move {
                store
                    .claim_login_attempt("t", keys, 100, block)
                    .await
                    .unwrap()
            }) as Task<'_, _>
        })
        .collect();
    let mut failures: Vec<u32> = all(claims)
        .await
        .into_iter()
        .filter_map(|claim| match claim {
            Claim::Granted { failures } => Some(failures),
            Claim::Blocked { until } => {
                assert_eq!(until, 160);
                None
            }
        })
        .collect();
    failures.sort_unstable();
    assert_eq!(failures, [1, 2, 3, 4, 5], "48 attempts from 4 processes");
    let late = backend.connect().await;
    assert_eq!(
        late.claim_login_attempt("t", &keys[1..], 100, block)
            .await
            .unwrap(),
        Claim::Blocked { until: 160 },
        "every key counted every granted attempt"
    );

    let windows = [Window {
        seconds: 3600,
        max: 7,
    }];
    let keys = [
        "message:email:a@x.test".to_owned(),
        "code:email:a@x.test".to_owned(),
    ];
    let claims: Vec<Task<'_, Quota>> = (0..48)
        .map(|i| {
            let (store, keys) = (&stores[i % stores.len()], &keys);
            Box::pin(async move { store.claim_quota("t", keys, 500, &windows).await.unwrap() })
                as Task<'_, _>
        })
        .collect();
    let quotas = all(claims).await;
    let granted = quotas.iter().filter(|q| **q == Quota::Granted).count();
    assert_eq!(granted, 7, "48 claims from 4 processes, the hour allows 7");
    assert!(
        quotas
            .iter()
            .all(|q| matches!(q, Quota::Granted | Quota::Exhausted { until: 4100 }))
    );
    for key in &keys {
        assert_eq!(
            late.claim_quota("t", std::slice::from_ref(key), 500, &windows)
                .await
                .unwrap(),
            Quota::Exhausted { until: 4100 },
            "{key} counted every granted claim, and no refused one"
        );
    }
}
