//! Contract cases of what outlives a connection: flows, journey sources and each tenant's one
//! signing key, read back through a new handle.

use super::{Backend, flow};

pub async fn data_and_the_tenant_keys_survive_reopening(backend: &dyn Backend) {
    let first = {
        let store = backend.connect().await;
        store.create_flow(flow("f"), vec![]).await.unwrap();
        store
            .remember_journey("v1", "t", "j", "start = 'a'")
            .await
            .unwrap();
        assert!(!store.has_tenant_keys().await.unwrap());
        store
            .tenant_key("t", ("k1".into(), vec![1; 40]), 1)
            .await
            .unwrap()
    };
    let store = backend.connect().await;
    assert!(store.has_tenant_keys().await.unwrap());
    assert_eq!(
        store
            .tenant_key("t", ("k2".into(), vec![2; 40]), 2)
            .await
            .unwrap(),
        first
    );
    assert_eq!(first, ("k1".to_owned(), vec![1; 40]));
    let other = store
        .tenant_key("u", ("k3".into(), vec![3; 40]), 3)
        .await
        .unwrap();
    assert_eq!(other.0, "k3", "each tenant has its own key");
    assert!(store.flow("f").await.unwrap().is_some());
    assert_eq!(
        store.journey_source("v1").await.unwrap().as_deref(),
        Some("start = 'a'")
    );
    assert_eq!(store.purge(101).await.unwrap(), 1);
    assert!(store.flow("f").await.unwrap().is_none());
}
