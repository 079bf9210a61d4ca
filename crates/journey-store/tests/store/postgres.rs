//! The store contract run against PostgreSQL, and what only PostgreSQL has: an empty database
//! set up only when asked, replicas migrating a new database together, a database newer than
//! this build refused, a database dropped or replaced under a running store, and what the
//! database itself keeps of an erased message.
//!
//! These need a PostgreSQL server: `JOURNEYKIT_TEST_POSTGRES_URL` names a database on it whose
//! user may create databases (`cargo xtask test` starts a throw-away cluster and sets it;
//! `cargo xtask postgres` starts one by hand). Every case makes a database of its own, so they
//! run in parallel, and drops it afterwards. Without the variable each case passes without
//! running, and the binary says so once.

use crate::contract::{self, Backend, Task};
use journey_store::{
    Create, DatabaseUrl, KeyRotation, PostgresStore, PostgresUrl, Store, StoreError, TenantKey,
};
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the tests find their PostgreSQL server.
const URL_VAR: &str = "JOURNEYKIT_TEST_POSTGRES_URL";

/// The server to make test databases on, or `None` (said once) when none is configured.
fn admin() -> Option<PostgresUrl> {
    static NOTICE: std::sync::Once = std::sync::Once::new();
    let Ok(url) = std::env::var(URL_VAR) else {
        NOTICE.call_once(|| {
            // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: {URL_VAR} is not set: the PostgreSQL store tests pass without running \
                 (cargo xtask test runs them on a throw-away cluster)"
            );
        });
        return None;
    };
    Some(PostgresUrl::parse(&url).unwrap_or_else(|e| panic!("{URL_VAR}: {e}")))
}

/// A database of its own on the test server; dropped with it.
struct Postgres {
    admin: PostgresUrl,
    name: String,
    url: PostgresUrl,
}

impl Backend for Postgres {
    fn connect(&self) -> Task<'_, Box<dyn Store>> {
        Box::pin(async {
            Box::new(PostgresStore::open(&self.url, Create::Never).await.unwrap()) as _
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot block on a future: a thread of its
        // own with a runtime of its own drops the database (closing any connection left).
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(PostgresStore::drop_database(&admin, &name))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            panic!("dropping test database {}: {dropped:?}", self.name);
        }
    }
}

/// A new database with no schema.
async fn empty() -> Option<Postgres> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin = admin()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "jk_store_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let url = PostgresStore::create_database(&admin, &name).await.unwrap();
    Some(Postgres { admin, name, url })
}

/// A new database with this build's schema.
async fn fresh() -> Option<Postgres> {
    let db = empty().await?;
    drop(
        PostgresStore::open(&db.url, Create::IfMissing)
            .await
            .unwrap(),
    );
    Some(db)
}

mod suite {
    crate::contract::suite!(super::fresh);
}

/// A plain connection to `url`, to look at what the store wrote.
async fn sql(url: &PostgresUrl) -> tokio_postgres::Client {
    let config: tokio_postgres::Config = url.expose().parse().unwrap();
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// The schema versions recorded, in order.
async fn versions(url: &PostgresUrl) -> Vec<i32> {
    sql(url)
        .await
        .query(
            "SELECT version FROM journeykit_schema ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn every_version() -> Vec<i32> {
    (1..=PostgresStore::schema_scripts().len())
        .map(|v| i32::try_from(v).unwrap())
        .collect()
}

#[tokio::test]
async fn an_empty_database_is_set_up_only_when_asked_and_a_current_one_is_left_as_it_is() {
    let Some(db) = empty().await else { return };
    let refused = PostgresStore::open(&db.url, Create::Never).await;
    assert!(
        matches!(&refused, Err(StoreError::Empty(shown)) if shown == &db.url.to_string()),
        "{:?}",
        refused.err()
    );
    let untouched = sql(&db.url)
        .await
        .query_one("SELECT to_regclass('journeykit_schema') IS NULL", &[])
        .await
        .unwrap()
        .get::<_, bool>(0);
    assert!(untouched, "a refused open leaves the database empty");

    let store = PostgresStore::open(&db.url, Create::IfMissing)
        .await
        .unwrap();
    store
        .create_flow(contract::flow("f"), vec![])
        .await
        .unwrap();
    drop(store);
    assert_eq!(versions(&db.url).await, every_version());

    // Already current: nothing is applied again, and the data stays.
    let store = PostgresStore::open(&db.url, Create::Never).await.unwrap();
    assert_eq!(versions(&db.url).await, every_version());
    assert!(store.flow("f").await.unwrap().is_some());
}

#[tokio::test]
async fn replicas_opening_a_new_database_together_migrate_it_once() {
    let Some(db) = empty().await else { return };
    let (a, b, c) = tokio::join!(
        PostgresStore::open(&db.url, Create::IfMissing),
        PostgresStore::open(&db.url, Create::IfMissing),
        PostgresStore::open(&db.url, Create::IfMissing),
    );
    let stores = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(versions(&db.url).await, every_version());
    for store in &stores {
        store.check_identity().await.unwrap();
    }
    // Their first keys agree too, and so do their next ones: the first candidate stands.
    for (created_at, unless_newer_than) in [(1, 0), (100, 50)] {
        let offer = |kid: &str| KeyRotation {
            candidate: Some(TenantKey {
                kid: format!("{kid}{created_at}"),
                sealed: vec![1],
                created_at,
            }),
            unless_newer_than,
            retire_before: i64::MIN,
        };
        let offers = [offer("a"), offer("b"), offer("c")];
        let (ka, kb, kc) = tokio::join!(
            stores[0].tenant_keys("t", &offers[0]),
            stores[1].tenant_keys("t", &offers[1]),
            stores[2].tenant_keys("t", &offers[2]),
        );
        let (ka, kb, kc) = (ka.unwrap(), kb.unwrap(), kc.unwrap());
        assert!(ka == kb && kb == kc, "{ka:?} {kb:?} {kc:?}");
        assert_eq!(ka.last().map(|k| k.created_at), Some(created_at), "{ka:?}");
    }
}

#[tokio::test]
async fn a_database_newer_than_this_build_is_refused_and_left_alone() {
    let Some(db) = fresh().await else { return };
    let known = PostgresStore::schema_scripts().len();
    let newer = i32::try_from(known + 1).unwrap();
    sql(&db.url)
        .await
        .execute(
            "INSERT INTO journeykit_schema (version, applied_at) VALUES ($1, 0)",
            &[&newer],
        )
        .await
        .unwrap();
    let refused = PostgresStore::open(&db.url, Create::IfMissing).await;
    let message = refused.as_ref().err().map(ToString::to_string);
    assert!(
        matches!(refused, Err(StoreError::SchemaTooNew { found, known: k }) if found == i64::from(newer) && k == known),
        "{message:?}"
    );
    assert_eq!(
        message.unwrap(),
        format!(
            "the database is at schema version {newer}, this server knows up to {known}: upgrade the server"
        )
    );
    let mut expected = every_version();
    expected.push(newer);
    assert_eq!(versions(&db.url).await, expected, "nothing was changed");
}

#[tokio::test]
async fn a_dropped_or_replaced_database_is_noticed_and_refused() {
    let Some(db) = fresh().await else { return };
    let store = PostgresStore::open(&db.url, Create::Never).await.unwrap();
    let other = PostgresStore::open(&db.url, Create::Never).await.unwrap();
    store.check_identity().await.unwrap();

    // Another installation restored under the same name.
    sql(&db.url)
        .await
        .execute(
            "UPDATE meta SET value = 'another' WHERE key = 'installation'",
            &[],
        )
        .await
        .unwrap();
    assert!(matches!(
        store.check_identity().await,
        Err(StoreError::Lost { .. })
    ));
    assert!(
        matches!(
            store.create_flow(contract::flow("g"), vec![]).await,
            Err(StoreError::Lost { .. })
        ),
        "no write goes to the other database"
    );

    // The database dropped under a running store.
    PostgresStore::drop_database(&db.admin, &db.name)
        .await
        .unwrap();
    let lost = other.check_identity().await;
    assert!(matches!(lost, Err(StoreError::Lost { .. })), "{lost:?}");
}

#[tokio::test]
async fn a_dropped_message_keeps_no_code_in_the_database() {
    let Some(db) = fresh().await else { return };
    let store = db.connect().await;
    contract::outbox::a_message_whose_code_expired_is_never_handed_out(&*store).await;
    let body: String = sql(&db.url)
        .await
        .query_one(
            "SELECT subject || body || html FROM outbox WHERE recipient = 'a@x.test'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(body, "", "the dropped message keeps no code");
}

#[tokio::test]
async fn a_url_s_password_is_never_in_an_error() {
    // Nothing listens on port 1: the open fails, and says so without the password.
    let url = DatabaseUrl::parse("postgres://jk:s3cret-pw@127.0.0.1:1/journeykit").unwrap();
    let error = journey_store::open(&url, Create::Never)
        .await
        .err()
        .unwrap();
    let text = format!("{error} {error:?} {url} {url:?}");
    assert!(!text.contains("s3cret-pw"), "{text}");
    assert!(url.to_string().contains("jk:***@127.0.0.1:1"), "{url}");
}

/// The consent history cannot be changed, shortened or emptied, not even with SQL.
#[tokio::test]
async fn consents_are_append_only_in_the_database() {
    let Some(backend) = fresh().await else { return };
    let store = backend.connect().await;
    store
        .create_flow(
            contract::flow("f"),
            vec![contract::account("a@x.test", "s1")],
        )
        .await
        .unwrap();
    let accepted = contract::consents::consent("terms", "1", journey_store::Decision::Accepted, 20);
    store
        .save_flow(
            contract::update("f", 0, "s1"),
            vec![journey_store::Write::Consent(accepted.clone())],
        )
        .await
        .unwrap();
    let sql = sql(&backend.url).await;
    for statement in [
        "UPDATE consents SET decision = 'refused'",
        "DELETE FROM consents",
        "TRUNCATE consents",
    ] {
        let result = sql.batch_execute(statement).await;
        let error = result.as_ref().err().map(|e| format!("{e:?}"));
        assert!(
            error.as_deref().is_some_and(|e| e.contains("append-only")),
            "{statement}: {error:?}"
        );
    }
    assert_eq!(store.consents("t", "s1").await.unwrap(), vec![accepted]);
}
