//! Issue 16, "list views read columns, never parse stored documents per row": a list of cases
//! shows each case's item name and time limit from columns of `cases` (m0016) written at
//! receipt, not from the item snapshot; a row without them (written by an instance older than
//! m0016) is read from its snapshot; m0016 fills them for the cases received before it.

use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_json, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::MigratorTrait;
use serde_json::{Value, json};
use server::store::migration::Migrator;

async fn receive(clerk: &Staff, item: &str) -> i64 {
    let body = json!({
        "item_code": item,
        "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "phone": "13995012345", "channel": "counter"
    });
    let case: Value = expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    case["summary"]["id"].as_i64().unwrap()
}

/// Each listed case's (item name, time limit) by id.
async fn listed(clerk: &Staff) -> Vec<(i64, Value, Value)> {
    let list: Value =
        expect_json(clerk.get("/api/v1/cases?scope=mine").await, StatusCode::OK).await;
    let mut rows: Vec<(i64, Value, Value)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["id"].as_i64().unwrap();
            (id, c["item_name"].clone(), c["time_limit"].clone())
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    rows
}

/// The same from each case in full (its item snapshot).
async fn in_full(clerk: &Staff, ids: &[i64]) -> Vec<(i64, Value, Value)> {
    let mut rows = Vec::new();
    for id in ids {
        let case: Value = expect_json(
            clerk.get(&format!("/api/v1/cases/{id}")).await,
            StatusCode::OK,
        )
        .await;
        rows.push((
            *id,
            case["item"]["name"].clone(),
            case["summary"]["time_limit"].clone(),
        ));
    }
    rows
}

async fn received_two(app: &TestApp) -> (Staff, Vec<i64>) {
    let clerk = app.login("clerk01").await;
    let ids = vec![
        receive(&clerk, "640106-XK-0001").await,
        receive(&clerk, "640106-XK-0003").await,
    ];
    (clerk, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_list_shows_the_item_columns_and_reads_a_row_without_them_from_its_snapshot() {
    let app = spawn_app().await;
    let (clerk, ids) = received_two(&app).await;
    let full = in_full(&clerk, &ids).await;
    assert_eq!(listed(&clerk).await, full);
    assert_ne!(full[0].1, full[1].1, "two items, two names");
    // Every field of a listed case is the case's own, as read in full.
    let list: Value =
        expect_json(clerk.get("/api/v1/cases?scope=mine").await, StatusCode::OK).await;
    for item in list["items"].as_array().unwrap() {
        let id = item["id"].as_i64().unwrap();
        let case: Value = expect_json(
            clerk.get(&format!("/api/v1/cases/{id}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(item, &case["summary"]);
    }

    // The list reads the column, not the snapshot.
    app.sql(&format!(
        "UPDATE cases SET item_name = '列中的名称' WHERE id = {}",
        ids[0]
    ))
    .await;
    assert_eq!(listed(&clerk).await[0].1, "列中的名称");

    // A row an older instance wrote, without the columns: read from its snapshot.
    app.sql("UPDATE cases SET item_name = NULL, time_limit_kind = NULL, time_limit_amount = NULL")
        .await;
    assert_eq!(listed(&clerk).await, full);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_fills_the_item_columns_of_cases_received_before_it() {
    let app = spawn_app().await;
    let (clerk, ids) = received_two(&app).await;
    let full = in_full(&clerk, &ids).await;
    // Back to the schema before m0016 (m0017, then m0016 and its columns, undone), then up
    // again: the cases received meanwhile get their columns from their snapshots.
    Migrator::down(&app.db.conn, Some(2)).await.unwrap();
    Migrator::up(&app.db.conn, None).await.unwrap();
    let backend = app.db.conn.get_database_backend();
    let empty = app
        .db
        .conn
        .query_one(Statement::from_string(
            backend,
            "SELECT COUNT(*) FROM cases WHERE item_name IS NULL OR time_limit_kind IS NULL \
             OR time_limit_amount IS NULL",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(empty, 0);
    assert_eq!(listed(&clerk).await, full);
}
