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
