use reqwest::StatusCode;
use scenario_tests::{Store, expect_json, spawn_app};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_names_the_store_this_suite_runs_on() {
    let app = spawn_app().await;
    let body: Value = expect_json(app.get("/api/v1/health").await, StatusCode::OK).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], Store::from_env().name());
    assert!(body["version"].as_str().is_some_and(|v| !v.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_when_the_database_is_unreachable() {
    let app = spawn_app().await;
    // Closing the pool from our handle closes it for the server too.
    app.db.conn.clone().close().await.unwrap();
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}
