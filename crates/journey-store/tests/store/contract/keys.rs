//! Contract cases of what outlives a connection (flows, journey sources and each tenant's
//! signing keys, read back through a new handle), of the signing keys' rotation, and of how the
//! connections are used.

use super::{Backend, flow};
use journey_store::{KeyRotation, Store, TenantKey};

fn key(kid: &str, created_at: i64) -> TenantKey {
    TenantKey {
        kid: kid.to_owned(),
        sealed: vec![created_at as u8; 40],
        created_at,
    }
}

/// The tenant's keys after offering `candidate` unless a key is newer than `unless_newer_than`,
/// retiring nothing.
async fn offer(
    store: &dyn Store,
    tenant: &str,
    candidate: Option<TenantKey>,
    unless_newer_than: i64,
) -> Vec<TenantKey> {
    let rotation = KeyRotation {
        candidate,
        unless_newer_than,
        retire_before: i64::MIN,
    };
    store.tenant_keys(tenant, &rotation).await.unwrap()
}

fn kids(keys: &[TenantKey]) -> Vec<&str> {
    keys.iter().map(|k| k.kid.as_str()).collect()
}

pub async fn data_and_the_tenant_keys_survive_reopening(backend: &dyn Backend) {
    let first = {
        let store = backend.connect().await;
        store.create_flow(flow("f"), vec![]).await.unwrap();
        store
            .remember_journey("v1", "t", "j", "start = 'a'")
            .await
            .unwrap();
        assert!(!store.has_tenant_keys().await.unwrap());
        offer(store.as_ref(), "t", Some(key("k1", 1)), 0).await
    };
    assert_eq!(first, vec![key("k1", 1)], "a tenant's first key is stored");
    let store = backend.connect().await;
    assert!(store.has_tenant_keys().await.unwrap());
    assert_eq!(
        offer(store.as_ref(), "t", Some(key("k2", 2)), 0).await,
        first,
        "a candidate while a key newer than the limit exists is not stored"
    );
    assert_eq!(offer(store.as_ref(), "t", None, 0).await, first);
    let other = offer(store.as_ref(), "u", Some(key("k3", 3)), 0).await;
    assert_eq!(kids(&other), ["k3"], "each tenant has its own keys");
    assert!(store.flow("f").await.unwrap().is_some());
    assert_eq!(
        store.journey_source("v1").await.unwrap().as_deref(),
        Some("start = 'a'")
    );
    assert_eq!(store.purge(101).await.unwrap(), 1);
    assert!(store.flow("f").await.unwrap().is_none());
}

pub async fn keys_rotate_and_retire_only_behind_a_newer_key(backend: &dyn Backend) {
    let store = backend.connect().await;
    let store = store.as_ref();
    offer(store, "t", Some(key("k1", 100)), 0).await;
    let both = offer(store, "t", Some(key("k2", 200)), 150).await;
    assert_eq!(
        kids(&both),
        ["k1", "k2"],
        "the next key, once the newest is old enough"
    );
    assert_eq!(
        kids(&offer(store, "t", Some(key("k2b", 210)), 150).await),
        ["k1", "k2"],
        "a second replica finding the same key due finds it made"
    );
    let retire = |retire_before| KeyRotation {
        candidate: None,
        unless_newer_than: i64::MAX,
        retire_before,
    };
    let kept = store.tenant_keys("t", &retire(199)).await.unwrap();
    assert_eq!(kids(&kept), ["k1", "k2"], "k1 stays until k2 is old enough");
    let kept = store.tenant_keys("t", &retire(200)).await.unwrap();
    assert_eq!(
        kids(&kept),
        ["k2"],
        "then only the key behind a newer one goes"
    );
    let kept = store.tenant_keys("t", &retire(i64::MAX)).await.unwrap();
    assert_eq!(kids(&kept), ["k2"], "the newest key is never removed");
    assert_eq!(kept[0], key("k2", 200), "sealed bytes as given");
    let others = offer(store, "u", Some(key("u1", 100)), 0).await;
    assert_eq!(kids(&others), ["u1"], "another tenant's keys are its own");
}

pub async fn the_pool_use_is_told_and_idle_between_calls(backend: &dyn Backend) {
    let store = backend.connect().await;
    store.create_flow(flow("p"), vec![]).await.unwrap();
    let used = store.pool_use();
    assert!(
        used.max >= 1 && used.open >= 1 && used.open <= used.max,
        "{used:?}"
    );
    assert_eq!((used.busy, used.waiting), (0, 0), "{used:?}");
}
