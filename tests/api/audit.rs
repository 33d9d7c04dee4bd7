//! The audit log is hash-chained: editing any row by hand is found and named.

use reqwest::StatusCode;
use scenario_tests::{expect_json, spawn_app};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_of_a_fresh_demo_hall_verifies() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], true);
    assert_eq!(v["records"].as_i64().unwrap(), app.audit_count().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_an_audit_row_by_hand_is_named_by_the_verifier() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    admin
        .post(
            "/api/v1/centers",
            &json!({"name":"新中心","kind":"street","address":"某街道 1 号",
        "phone":"0951-1234567"}),
        )
        .await;
    let supervisor = app.login("super01").await;
    app.sql("UPDATE audit_record SET after = '{\"name\":\"改过了\"}' WHERE id = 3")
        .await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_broken_id"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_newest_audit_row_is_found() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let last = app.audit_count().await;
    app.sql(&format!("DELETE FROM audit_record WHERE id = {last}"))
        .await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_removed_from_the_middle_breaks_the_link() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    app.sql("DELETE FROM audit_record WHERE id = 2").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_broken_id"], 3);
}

// --- Someone with write access to the database (issue 12, finding 9) --------------------------

/// The bytes a record's hash covers, framed as the server frames them (each field labelled and
/// length-prefixed). The intruder knows the algorithm; what they lack is the key.
fn framed(row: &server::store::entities::audit_record::Model, prev: &str) -> Vec<u8> {
    use chrono::SecondsFormat;
    let mut out = Vec::new();
    let mut put = |label: &str, value: Option<&str>| {
        let value = value.unwrap_or("\u{0}null");
        out.extend_from_slice(label.as_bytes());
        out.extend_from_slice(&(value.len() as u64).to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    };
    if row.chain_id != 0 {
        put("chain", Some(&row.chain_id.to_string()));
    }
    put("prev", Some(prev));
    put("id", Some(&row.seq.to_string()));
    put(
        "at",
        Some(&row.at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    put("actor", row.actor_id.map(|a| a.to_string()).as_deref());
    put("action", Some(&row.action));
    put("entity", Some(&row.entity));
    put("entity_id", Some(&row.entity_id));
    put("before", row.before.as_deref());
    put("after", row.after.as_deref());
    out
}

/// The intruder's edit: changes record `id`'s `after` (when given), then recomputes the hash of
/// that record and of every later one of its chain with `hash`, relinks them and moves the
/// chain's head, so that the chain hangs together again.
pub async fn rewrite_from(
    app: &scenario_tests::TestApp,
    id: i64,
    after: Option<&str>,
    hash: impl Fn(&[u8]) -> String,
) {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    use server::store::entities::{audit_chain, audit_record};
    let conn = &app.db.conn;
    let start = audit_record::Entity::find_by_id(id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let rows = audit_record::Entity::find()
        .filter(audit_record::Column::ChainId.eq(start.chain_id))
        .order_by_asc(audit_record::Column::Seq)
        .all(conn)
        .await
        .unwrap();
    let mut prev = "0".repeat(64);
    for mut row in rows {
        if row.seq < start.seq {
            prev = row.hash.clone();
            continue;
        }
        if row.id == id
            && let Some(after) = after
        {
            row.after = Some(after.to_string());
        }
        let new_hash = hash(&framed(&row, &prev));
        let mut model: audit_record::ActiveModel = row.clone().into();
        model.after = Set(row.after.clone());
        model.prev_hash = Set(prev.clone());
        model.hash = Set(new_hash.clone());
        model.update(conn).await.unwrap();
        prev = new_hash;
    }
    let mut head: audit_chain::ActiveModel = audit_chain::Entity::find_by_id(start.chain_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .into();
    head.last_hash = Set(prev);
    head.update(conn).await.unwrap();
}

/// Every chain rewritten with `hash` from its first record (a database as a version before
/// keying left it: the demo's records span the deployment's chain and the hall's).
async fn rewrite_every_chain(app: &scenario_tests::TestApp, hash: impl Fn(&[u8]) -> String) {
    use sea_orm::{EntityTrait, QueryOrder};
    use server::store::entities::audit_record;
    let rows = audit_record::Entity::find()
        .order_by_asc(audit_record::Column::Id)
        .all(&app.db.conn)
        .await
        .unwrap();
    let mut firsts = std::collections::BTreeMap::new();
    for row in rows {
        firsts.entry(row.chain_id).or_insert(row.id);
    }
    assert!(firsts.len() > 1, "the demo writes on more than one chain");
    for first in firsts.into_values() {
        rewrite_from(app, first, None, &hash).await;
    }
}

/// The newest records of chain `chain`, newest first.
async fn newest_of_chain(
    app: &scenario_tests::TestApp,
    chain: i64,
) -> Vec<server::store::entities::audit_record::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use server::store::entities::audit_record;
    audit_record::Entity::find()
        .filter(audit_record::Column::ChainId.eq(chain))
        .order_by_desc(audit_record::Column::Seq)
        .all(&app.db.conn)
        .await
        .unwrap()
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_edited_and_the_chain_recomputed_without_the_key_is_found() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    rewrite_from(&app, 3, Some("{\"name\":\"改过了\"}"), sha256).await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], 3, "{v}");
}

fn hmac_with(key: &'static str) -> impl Fn(&[u8]) -> String {
    move |bytes| {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(bytes);
        hex::encode(mac.finalize().into_bytes())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_recomputed_with_a_guessed_key_is_found_and_only_the_real_key_would_pass() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let verify = || async {
        let v: Value =
            expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
        v
    };
    rewrite_from(
        &app,
        3,
        Some("{\"name\":\"改过了\"}"),
        hmac_with("chuangkou-demo"),
    )
    .await;
    let v = verify().await;
    assert_eq!(
        (v["ok"].clone(), v["first_broken_id"].clone()),
        (json!(false), json!(3))
    );
    // The intruder's method is faithful: with the key (which they do not have) it would pass.
    // So the key, not a quirk of the recomputation, is what gives the edit away.
    rewrite_from(
        &app,
        3,
        Some("{\"name\":\"改过了\"}"),
        hmac_with(scenario_tests::TEST_AUDIT_KEY),
    )
    .await;
    assert_eq!(verify().await["ok"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_on_the_command_line_fails_on_a_row_edited_and_recomputed_without_the_key() {
    let app = spawn_app().await;
    let fresh = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(fresh.ok, "{fresh:?}");
    assert_eq!(fresh.records as i64, app.audit_count().await);
    rewrite_from(&app, 5, Some("{\"name\":\"改过了\"}"), sha256).await;
    let v = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(!v.ok, "{v:?}");
    assert_eq!(v.first_broken_id, Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verifier_with_another_key_says_the_key_is_wrong() {
    let app = spawn_app().await;
    let mut other = app.settings.clone();
    other.audit_key = Some("another-key-another-key-another-key-0".into());
    let v = server::cli::audit_verify(&other, None).await.unwrap();
    assert!(!v.ok);
    assert!(
        v.reason.unwrap().contains("密钥"),
        "the reason names the key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_to_start_with_another_audit_key() {
    let database = std::sync::Arc::new(scenario_tests::TestDatabase::create(app_store()).await);
    let first = scenario_tests::spawn_on(database.clone(), Default::default()).await;
    let mut settings = first.settings.clone();
    settings.audit_key = Some("another-key-another-key-another-key-0".into());
    let err = server::Application::build_with_clock(
        settings,
        std::sync::Arc::new(server::time_source::SystemClock),
    )
    .await
    .err()
    .expect("the server must not start with another key");
    assert!(format!("{err:#}").contains("audit_key"), "{err:#}");
}

fn app_store() -> scenario_tests::Store {
    scenario_tests::Store::from_env()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_the_seal_of_the_chain_is_found() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    app.sql("DELETE FROM audit_seal").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
}

/// The anchor file outside the database catches what the key cannot: a rewrite by someone who
/// holds the key, and a chain cut short.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anchors_outside_the_database_catch_a_rewrite_even_by_a_key_holder() {
    let dir = tempfile::tempdir().unwrap();
    let anchors = dir.path().join("audit-anchors.txt");
    let app = scenario_tests::spawn_app_with(scenario_tests::AppOptions {
        audit_anchor_file: Some(anchors.clone()),
        ..Default::default()
    })
    .await;
    // Every chain's head is anchored at start; record 3 is on the deployment's chain (0).
    let written = server::services::audit_chain::read_anchors(&anchors).unwrap();
    let anchored = newest_of_chain(&app, 0).await[0].id;
    assert!(written.iter().any(|a| a.id == anchored), "{written:?}");
    assert_eq!(
        written.iter().map(|a| a.id).max(),
        Some(app.audit_count().await),
        "the newest head is anchored at start"
    );
    let supervisor = app.login("super01").await;
    rewrite_from(
        &app,
        3,
        Some("{\"name\":\"改过了\"}"),
        hmac_with(scenario_tests::TEST_AUDIT_KEY),
    )
    .await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], anchored, "{v}");
    let cli = server::cli::audit_verify(&app.settings, Some(anchors.clone()))
        .await
        .unwrap();
    assert!(!cli.ok, "{cli:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anchors_catch_the_newest_records_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let anchors = dir.path().join("audit-anchors.txt");
    let app = scenario_tests::spawn_app_with(scenario_tests::AppOptions {
        audit_anchor_file: Some(anchors.clone()),
        ..Default::default()
    })
    .await;
    // Cut the deployment chain's last two records and point its head at the one before (a
    // consistent, shorter chain: the key is not even needed for this).
    let newest = newest_of_chain(&app, 0).await;
    let last = newest[0].id;
    for cut in &newest[..2] {
        app.sql(&format!("DELETE FROM audit_record WHERE id = {}", cut.id))
            .await;
    }
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use server::store::entities::audit_chain;
    let kept = newest[2].clone();
    let mut head: audit_chain::ActiveModel = audit_chain::Entity::find_by_id(kept.chain_id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
        .into();
    head.last_seq = Set(kept.seq);
    head.last_id = Set(kept.id);
    head.last_hash = Set(kept.hash);
    head.update(&app.db.conn).await.unwrap();
    let without = server::cli::audit_verify(
        &server::config::Settings {
            audit_anchor_file: None,
            ..app.settings.clone()
        },
        None,
    )
    .await
    .unwrap();
    assert!(without.ok, "without anchors a shortened chain looks whole");
    let with = server::cli::audit_verify(&app.settings, Some(anchors))
        .await
        .unwrap();
    assert!(!with.ok, "{with:?}");
    assert_eq!(with.first_broken_id, Some(last));
}

/// A database whose chain was written before keying (plain SHA-256) is sealed once, by the
/// operator in production, after checking it as written; a broken one is never sealed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_written_before_keying_is_checked_and_sealed_once() {
    let database = std::sync::Arc::new(scenario_tests::TestDatabase::create(app_store()).await);
    let app = scenario_tests::spawn_on(database.clone(), Default::default()).await;
    // Make it what the previous version left: unkeyed hashes, no seal.
    rewrite_every_chain(&app, sha256).await;
    app.sql("DELETE FROM audit_seal").await;
    let mut production = app.settings.clone();
    production.mode = server::config::Mode::Production;
    let refused = server::Application::build_with_clock(
        production.clone(),
        std::sync::Arc::new(server::time_source::SystemClock),
    )
    .await
    .err()
    .expect("production does not start on an unsealed chain");
    assert!(format!("{refused:#}").contains("audit-seal"), "{refused:#}");
    server::cli::audit_seal(&production).await.unwrap();
    assert!(
        server::cli::audit_verify(&production, None)
            .await
            .unwrap()
            .ok
    );
    assert!(
        server::Application::build_with_clock(
            production,
            std::sync::Arc::new(server::time_source::SystemClock)
        )
        .await
        .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_chain_written_before_keying_is_not_sealed() {
    let app = spawn_app().await;
    rewrite_every_chain(&app, sha256).await;
    app.sql("DELETE FROM audit_seal").await;
    app.sql("UPDATE audit_record SET entity_id = 'x' WHERE id = 4")
        .await;
    let err = server::cli::audit_seal(&app.settings).await.unwrap_err();
    assert!(format!("{err:#}").contains("broken"), "{err:#}");
    assert_eq!(app.count("audit_seal").await, 0);
}
