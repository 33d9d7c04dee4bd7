//! Issue 16: no deployment-wide lock. Each center appends to its own audit chain; writes of two
//! halls run side by side, numbering stays gap-free per center and year, and `audit-verify`
//! checks every chain.

use std::collections::BTreeMap;

use futures::future::join_all;
use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_json, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const HALL: i64 = 1;
const TOWN: i64 = 2;
const HALL_ITEM: &str = "640106-XK-0001";
const TOWN_ITEM: &str = "640106-JF-0003";
const PER_CLIENT: usize = 8;

/// Valid resident ID numbers, one per (client, receipt): check digit computed.
fn resident_id(n: usize) -> String {
    let body = format!("11010519800101{:03}", n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// `PER_CLIENT` receipts one after the other; the numbers acknowledged.
async fn receive_many(clerk: &Staff, item: &str, client: usize) -> Vec<String> {
    let mut numbers = Vec::new();
    for i in 0..PER_CLIENT {
        let body = json!({
            "item_code": item,
            "applicant": {"kind": "person", "name": "张三",
                          "id_number": resident_id(client * PER_CLIENT + i)},
            "phone": "13995012345", "channel": "counter"
        });
        let case: Value = expect_json(
            clerk.post("/api/v1/cases", &body).await,
            StatusCode::CREATED,
        )
        .await;
        numbers.push(case["summary"]["number"].as_str().unwrap().to_string());
    }
    numbers
}

/// Case numbers (`2026-01-00001`) by center, each list sorted by its sequence.
fn by_center(numbers: impl IntoIterator<Item = String>) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for number in numbers {
        let parts: Vec<&str> = number.split('-').collect();
        out.entry(parts[1].parse().unwrap())
            .or_default()
            .push(parts[2].parse().unwrap());
    }
    for seqs in out.values_mut() {
        seqs.sort();
    }
    out
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.conn.get_database_backend();
    let row = app
        .db
        .conn
        .query_one(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The API's and the command line's verdict on every chain: whole, and covering every record.
async fn assert_chains_verify(app: &TestApp) {
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["records"].as_i64().unwrap(), app.audit_count().await);
    let cli = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(cli.ok, "{cli:?}");
}

async fn assert_every_receipt_in_its_centers_chain(app: &TestApp, center: i64, cases: usize) {
    let sql = format!(
        "SELECT COUNT(*) FROM audit_record WHERE action = 'case.receive' AND chain_id = {center}"
    );
    assert_eq!(scalar(app, &sql).await, cases as i64, "center {center}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_in_two_centers_and_in_one_at_once_are_numbered_without_gaps_on_their_chains() {
    let app = spawn_app().await;
    // Two clerks' sessions in the hall, two in the town, and the administrator writing to the
    // deployment's chain meanwhile.
    let clerks = [
        (app.login("clerk01").await, HALL_ITEM),
        (app.login("clerk01").await, HALL_ITEM),
        (app.login("clerk03").await, TOWN_ITEM),
        (app.login("clerk03").await, TOWN_ITEM),
    ];
    let admin = app.login("admin").await;
    let receipts = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, (clerk, item))| receive_many(clerk, item, n)),
    );
    let admin_writes = async {
        for i in 0..4 {
            let body = json!({"name": format!("新中心{i}"), "kind": "street",
                              "address": "某街道 1 号", "phone": "0951-1234567"});
            let created = admin.post("/api/v1/centers", &body).await;
            assert_eq!(created.status(), StatusCode::CREATED);
        }
    };
    let (numbers, ()) = tokio::join!(receipts, admin_writes);
    let numbers = by_center(numbers.into_iter().flatten());
    let expected: Vec<i64> = (1..=(2 * PER_CLIENT) as i64).collect();
    assert_eq!(
        numbers.get(&HALL),
        Some(&expected),
        "hall numbers: gap-free"
    );
    assert_eq!(
        numbers.get(&TOWN),
        Some(&expected),
        "town numbers: gap-free"
    );
    assert_every_receipt_in_its_centers_chain(&app, HALL, 2 * PER_CLIENT).await;
    assert_every_receipt_in_its_centers_chain(&app, TOWN, 2 * PER_CLIENT).await;
    // Each chain's places run 1..n without a gap.
    let gaps = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_chain h WHERE h.last_seq <> \
         (SELECT COUNT(*) FROM audit_record r WHERE r.chain_id = h.chain_id)",
    )
    .await;
    assert_eq!(gaps, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_chain").await, 3);
    assert_chains_verify(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_moved_to_another_chain_is_found() {
    let app = spawn_app().await;
    receive_many(&app.login("clerk03").await, TOWN_ITEM, 0).await;
    assert_chains_verify(&app).await;
    let moved = scalar(
        &app,
        "SELECT MAX(id) FROM audit_record WHERE action = 'case.receive'",
    )
    .await;
    app.sql(&format!(
        "UPDATE audit_record SET chain_id = {HALL} WHERE id = {moved}"
    ))
    .await;
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], moved, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centers_chain_whose_newest_record_is_deleted_is_found() {
    let app = spawn_app().await;
    receive_many(&app.login("clerk03").await, TOWN_ITEM, 0).await;
    let newest = scalar(
        &app,
        &format!("SELECT MAX(id) FROM audit_record WHERE chain_id = {TOWN}"),
    )
    .await;
    app.sql(&format!("DELETE FROM audit_record WHERE id = {newest}"))
        .await;
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], newest, "{v}");
}

/// Two server instances on one PostgreSQL database (SQLite: one instance per file, skipped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_receive_in_two_centers_without_gaps_and_the_chains_verify() {
    let store = scenario_tests::Store::from_env();
    if store.name() != "postgres" {
        return;
    }
    let database = std::sync::Arc::new(scenario_tests::TestDatabase::create(store).await);
    let a = scenario_tests::spawn_on(database.clone(), Default::default()).await;
    let b = scenario_tests::spawn_on(
        database.clone(),
        scenario_tests::AppOptions {
            demo: false,
            ..Default::default()
        },
    )
    .await;
    let clerks = [
        (a.login("clerk01").await, HALL_ITEM),
        (b.login("clerk01").await, HALL_ITEM),
        (a.login("clerk03").await, TOWN_ITEM),
        (b.login("clerk03").await, TOWN_ITEM),
    ];
    let numbers = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, (clerk, item))| receive_many(clerk, item, n)),
    )
    .await;
    let numbers = by_center(numbers.into_iter().flatten());
    let expected: Vec<i64> = (1..=(2 * PER_CLIENT) as i64).collect();
    assert_eq!(numbers.get(&HALL), Some(&expected));
    assert_eq!(numbers.get(&TOWN), Some(&expected));
    assert_every_receipt_in_its_centers_chain(&a, HALL, 2 * PER_CLIENT).await;
    assert_every_receipt_in_its_centers_chain(&a, TOWN, 2 * PER_CLIENT).await;
    assert_chains_verify(&a).await;
    assert_chains_verify(&b).await;
}

/// The receipt's answer is built from what its transaction holds, not read back (issue 16):
/// it must be exactly the case as read afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipts_answer_is_the_case_as_read_back() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let body = json!({
        "item_code": HALL_ITEM,
        "applicant": {"kind": "person", "name": "张三", "id_number": resident_id(1)},
        "phone": "13995012345", "channel": "counter"
    });
    let answer: Value = expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = answer["summary"]["id"].as_i64().unwrap();
    let read: Value = expect_json(
        clerk.get(&format!("/api/v1/cases/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(answer, read);
}

/// The catalog item is read from a cache of a few seconds (issue 16); an administrator's change
/// is forgotten there at once: the next receipt keeps the new time limit with the case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipt_after_an_item_edit_uses_the_new_time_limit() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await;
    let receive = |n: usize| {
        let body = json!({
            "item_code": HALL_ITEM,
            "applicant": {"kind": "person", "name": "张三", "id_number": resident_id(n)},
            "phone": "13995012345", "channel": "counter"
        });
        let clerk = &clerk;
        async move {
            expect_json::<Value>(
                clerk.post("/api/v1/cases", &body).await,
                StatusCode::CREATED,
            )
            .await
        }
    };
    let before = receive(1).await;
    assert_eq!(before["item"]["time_limit"]["working_days"], 5);
    let mut item: Value = expect_json(
        app.get(&format!("/api/v1/service-items/{HALL_ITEM}")).await,
        StatusCode::OK,
    )
    .await;
    let obj = item.as_object_mut().unwrap();
    for k in ["unit_name", "center_id", "center_name", "active"] {
        obj.remove(k);
    }
    obj.insert(
        "time_limit".into(),
        json!({"kind": "promised", "working_days": 3, "statutory_working_days": 10}),
    );
    obj.insert("stage_limits".into(), json!([]));
    expect_json::<Value>(
        admin
            .put(&format!("/api/v1/service-items/{HALL_ITEM}"), &item)
            .await,
        StatusCode::OK,
    )
    .await;
    let after = receive(2).await;
    assert_eq!(after["item"]["time_limit"]["working_days"], 3);
}
