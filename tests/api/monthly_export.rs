//! Issue #13, "a long export shows progress": the monthly report's XLSX is made by a job in the
//! background; the page polls its progress (items of the month's list read of the total) and
//! downloads the file once made — the same file as the direct download.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use scenario_tests::{Staff, expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

/// The demo's 区市场监督管理局.
const MARKET: i64 = 1;

/// More items than the export reads at a time, so that it reads the list in several batches.
const ITEMS: usize = 205;

async fn file_problem(supervisor: &Staff, n: usize) {
    let _: Value = expect_json(
        supervisor
            .post(
                "/api/v1/supervision/problems",
                &json!({"source": "complaint", "kind": "conduct", "unit_id": MARKET,
                        "description": format!("群众投诉 {n}：窗口未一次性告知所需材料")}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
}

/// The rows of March's report (attachment 1), as the API gives them.
async fn month_rows(supervisor: &Staff) -> Vec<Value> {
    let report: Value = expect_json(
        supervisor
            .get("/api/v1/supervision/monthly?month=2026-03")
            .await,
        StatusCode::OK,
    )
    .await;
    report["rows"].as_array().unwrap().clone()
}

/// Polls the job until it is no longer running; every answer on the way is kept.
async fn follow(supervisor: &Staff, id: &Value) -> Vec<Value> {
    let started = Instant::now();
    let mut seen = Vec::new();
    loop {
        let job: Value = expect_json(
            supervisor
                .get(&format!("/api/v1/supervision/monthly/exports/{id}"))
                .await,
            StatusCode::OK,
        )
        .await;
        let running = job["state"] == "running";
        seen.push(job);
        if !running {
            return seen;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{seen:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monthly_export_is_a_job_whose_progress_is_polled_and_whose_file_is_the_downloads() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let chief = app.login("chief01").await;
    let before = month_rows(&supervisor).await.len();
    for n in 0..ITEMS {
        file_problem(&supervisor, n).await;
    }
    let rows = month_rows(&supervisor).await;
    let all = before + ITEMS;
    assert_eq!(rows.len(), all, "read across batches, none twice");
    let mut ids: Vec<i64> = rows
        .iter()
        .map(|r| r["rectification_id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["seq"], i + 1);
    }

    // Started: answered at once, running, nothing read yet and no file.
    let started: Value = expect_json(
        supervisor
            .post(
                "/api/v1/supervision/monthly/exports",
                &json!({"month": "2026-03"}),
            )
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["state"], "running", "{started}");
    assert_eq!(started["state_label"], "正在导出");
    assert_eq!(started["percent"], 0);
    assert!(started["download"].is_null());
    let id = started["id"].clone();

    // Polled: the progress never goes back and ends at every item, with the file's link.
    let seen = follow(&supervisor, &id).await;
    let done: Vec<u64> = seen.iter().map(|j| j["done"].as_u64().unwrap()).collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
    let last = seen.last().unwrap();
    assert_eq!(last["state"], "ready", "{last}");
    assert_eq!(last["state_label"], "导出完成");
    assert_eq!(last["percent"], 100);
    assert_eq!(last["done"], all);
    assert_eq!(last["total"], all);
    assert_eq!(last["file_name"], "整改清单月报表-2026-03.xlsx");
    let download = last["download"].as_str().unwrap().to_string();
    assert_eq!(
        download,
        format!("/api/v1/supervision/monthly/exports/{id}/file")
    );

    // The job's file is the direct download's, byte for byte.
    let file = supervisor.get(&download).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let made = file.bytes().await.unwrap().to_vec();
    assert!(made.starts_with(b"PK"));
    let direct = supervisor
        .get("/api/v1/supervision/monthly/xlsx?month=2026-03")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(made, direct);

    // Only supervisors export; a month not begun is refused before any job starts.
    expect_error(
        chief
            .get(&format!("/api/v1/supervision/monthly/exports/{id}"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_error(chief.get(&download).await, StatusCode::FORBIDDEN).await;
    expect_error(
        chief
            .post(
                "/api/v1/supervision/monthly/exports",
                &json!({"month": "2026-03"}),
            )
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let future = expect_error(
        supervisor
            .post(
                "/api/v1/supervision/monthly/exports",
                &json!({"month": "2026-05"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(future["code"], "month_in_future");
    expect_error(
        supervisor
            .get("/api/v1/supervision/monthly/exports/999999")
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// A tester asked for the report of month 0000-01: the XLSX answered 500 ("Year '0' outside Excel
/// range") and a chief stored a submission for year 0. A month is of this century or refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_outside_the_years_the_system_can_have_served_is_refused_at_its_field() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let chief = app.login("chief01").await;
    let before = (
        app.audit_count().await,
        app.count("monthly_submission").await,
    );
    for month in ["0000-01", "1-1", "1899-12", "2100-01"] {
        for response in [
            supervisor
                .get(&format!("/api/v1/supervision/monthly/xlsx?month={month}"))
                .await,
            supervisor
                .get(&format!("/api/v1/supervision/monthly?month={month}"))
                .await,
            supervisor
                .post(
                    "/api/v1/supervision/monthly/exports",
                    &json!({"month": month}),
                )
                .await,
            chief
                .post(
                    "/api/v1/supervision/monthly/submit",
                    &json!({"month": month}),
                )
                .await,
        ] {
            let err = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(err["field"], "month", "{month}: {err}");
        }
    }
    assert_eq!(
        (
            app.audit_count().await,
            app.count("monthly_submission").await
        ),
        before
    );
}

/// The report bears attachment 1's title, with the area the deployment serves (the demo's
/// 金凤区): a tester found "政务服务系统深入落实…" without either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_report_bears_attachment_ones_title_with_the_area_served() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let report: Value = expect_json(
        supervisor
            .get("/api/v1/supervision/monthly?month=2026-03")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        report["title"],
        "金凤区政务服务系统“改进作风 提升质效”深入落实“四项制度”问题整改清单月报表（2026年3月）"
    );
}
