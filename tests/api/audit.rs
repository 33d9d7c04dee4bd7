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
    admin.post("/api/v1/centers", &json!({"name":"新中心","kind":"street","address":"某街道 1 号","phone":"0951-1234567"})).await;
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
    put("prev", Some(prev));
    put("id", Some(&row.id.to_string()));
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

/// The intruder's edit: changes record `id`'s `after`, then recomputes the hash of that record
/// and of every later one with `hash`, relinks them and moves the head, so that the chain hangs
/// together again.
pub async fn rewrite_from(
    app: &scenario_tests::TestApp,
    id: i64,
    after: &str,
    hash: impl Fn(&[u8]) -> String,
) {
    use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
    use server::store::entities::{audit_head, audit_record};
    let conn = &app.db.conn;
    let rows = audit_record::Entity::find()
        .order_by_asc(audit_record::Column::Id)
        .all(conn)
        .await
        .unwrap();
    let mut prev = String::new();
    for mut row in rows {
        if row.id < id {
            prev = row.hash.clone();
            continue;
        }
        if row.id == id {
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
    let mut head: audit_head::ActiveModel = audit_head::Entity::find_by_id(1)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .into();
    head.last_hash = Set(prev);
    head.update(conn).await.unwrap();
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_edited_and_the_chain_recomputed_without_the_key_is_found() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    rewrite_from(&app, 3, "{\"name\":\"改过了\"}", sha256).await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], 3, "{v}");
}
