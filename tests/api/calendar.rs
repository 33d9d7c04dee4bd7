//! The official calendar over HTTP: the public arithmetic, the years held, adding a year.

use reqwest::StatusCode;
use scenario_tests::{expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_years_are_held() {
    let app = spawn_app().await;
    let body: Value = expect_json(app.get("/api/v1/calendar/years").await, StatusCode::OK).await;
    assert_eq!(body, json!({"years":[2022,2023,2024,2025,2026]}));
    let y2026: Value = expect_json(app.get("/api/v1/calendar/2026").await, StatusCode::OK).await;
    assert_eq!(y2026["source"], "shipped");
    let makeups: Vec<&str> = y2026["makeup_workdays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["date"].as_str().unwrap())
        .collect();
    assert!(makeups.contains(&"2026-02-14") && makeups.contains(&"2026-02-28"));
}

async fn due(app: &scenario_tests::TestApp, start: &str, days: u32) -> String {
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/calendar/add-working-days?start={start}&days={days}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(body["start"], start);
    assert_eq!(body["days"], days);
    body["due_date"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_working_days_does_not_count_the_start_and_skips_holidays() {
    let app = spawn_app().await;
    // Wednesday → Thursday.
    assert_eq!(due(&app, "2026-03-04", 1).await, "2026-03-05");
    // Friday + 1 → Monday.
    assert_eq!(due(&app, "2026-03-06", 1).await, "2026-03-09");
    // 2026 Spring Festival: 02-13 (Fri) + 1 → 02-14, the make-up Saturday.
    assert_eq!(due(&app, "2026-02-13", 1).await, "2026-02-14");
    // 02-14 + 1 → 02-24: 02-15…02-23 are all off.
    assert_eq!(due(&app, "2026-02-14", 1).await, "2026-02-24");
    // 2024-02-09 (除夕, Friday) is a working day.
    assert_eq!(due(&app, "2024-02-08", 1).await, "2024-02-09");
    // Zero days: the start itself.
    assert_eq!(due(&app, "2026-03-04", 0).await, "2026-03-04");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn working_days_between_counts_after_from_up_to_and_including_to() {
    let app = spawn_app().await;
    let body: Value = expect_json(
        app.get("/api/v1/calendar/working-days-between?from=2026-09-30&to=2026-10-09")
            .await,
        StatusCode::OK,
    )
    .await;
    // 10-01…10-07 are off; 10-08 (Thu) and 10-09 (Fri) count.
    assert_eq!(body, json!({"working_days": 2}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpublished_year_is_422_calendar_year_unknown() {
    let app = spawn_app().await;
    let err = expect_error(
        app.get("/api/v1/calendar/add-working-days?start=2026-12-20&days=20")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "calendar_year_unknown");
    let err = expect_error(
        app.get("/api/v1/calendar/working-days-between?from=2026-12-01&to=2027-01-10")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "calendar_year_unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_dates_and_days_out_of_range_are_400() {
    let app = spawn_app().await;
    for query in [
        "start=2026-13-01&days=1",
        "start=yesterday&days=1",
        "start=2026-03-04&days=-1",
        "start=2026-03-04&days=3651",
        "start=2026-03-04&days=many",
        "start=2026-03-04",
        "days=3",
    ] {
        let response = app
            .get(&format!("/api/v1/calendar/add-working-days?{query}"))
            .await;
        expect_error(response, StatusCode::BAD_REQUEST).await;
    }
    expect_error(
        app.get("/api/v1/calendar/working-days-between?from=2026-03-04&to=soon")
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

fn year_2027() -> Value {
    json!({
        "holidays": [
            {"date":"2027-01-01","name":"元旦"},
            {"date":"2027-02-06","name":"春节","part_of_run":true},
            {"date":"2027-02-07","name":"春节","part_of_run":true},
            {"date":"2027-02-08","name":"春节"},
            {"date":"2027-02-09","name":"春节"},
            {"date":"2027-02-10","name":"春节"},
            {"date":"2027-02-11","name":"春节"},
            {"date":"2027-02-12","name":"春节"}
        ],
        "makeup_workdays": [
            {"date":"2027-02-20","name":"春节调休上班"}
        ]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_2027_and_the_arithmetic_uses_it_at_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let audit_before = app.audit_count().await;
    let saved: Value = expect_json(
        admin.put("/api/v1/calendar/2027", &year_2027()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["source"], "admin");
    assert_eq!(saved["holidays"].as_array().unwrap().len(), 8);
    assert_eq!(app.audit_count().await, audit_before + 1);
    let years: Value = expect_json(app.get("/api/v1/calendar/years").await, StatusCode::OK).await;
    assert_eq!(years["years"].as_array().unwrap().last().unwrap(), 2027);
    // 2027-02-05 (Fri) + 1 → 02-15 (Mon): the whole run is off.
    assert_eq!(due(&app, "2027-02-05", 1).await, "2027-02-15");
    // 2027-02-19 (Fri) + 1 → the make-up Saturday 02-20.
    assert_eq!(due(&app, "2027-02-19", 1).await, "2027-02-20");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_year_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let audit_before = app.audit_count().await;
    for (body, code) in [
        (
            json!({"holidays":[{"date":"2028-01-01","name":"元旦"}]}),
            "date_outside_year",
        ),
        (
            json!({"holidays":[{"date":"2027-01-01","name":"元旦"}],
                "makeup_workdays":[{"date":"2027-01-01","name":"调休"}]}),
            "both_holiday_and_makeup_day",
        ),
        (
            json!({"holidays":[],"makeup_workdays":[{"date":"2027-01-04","name":"调休"}]}),
            "makeup_day_not_weekend",
        ),
        (
            json!({"holidays":[{"date":"2027-01-02","name":"元旦"}]}),
            "weekend_holiday_not_in_run",
        ),
        (
            json!({"holidays":[{"date":"2027-01-01","name":" "}]}),
            "empty_name",
        ),
        // A year without holidays is no official calendar: one PUT would otherwise wipe a year
        // in use (a tester emptied 2026, and 劳动节 became a working day).
        (json!({"holidays":[]}), "no_holidays"),
    ] {
        let err = expect_error(
            admin.put("/api/v1/calendar/2027", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code, "{body}");
    }
    assert_eq!(app.audit_count().await, audit_before);
    expect_error(
        app.get("/api/v1/calendar/2027").await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replacing_a_shipped_year_is_audited_and_never_rewrites_a_day_gone_by() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    // On 2026-03-04 the year's days gone by (春节 among them) and today were counted by the
    // arrangement in force: a replacement that rewrites them is refused and changes nothing.
    let audit_before = app.audit_count().await;
    let rewrite = json!({"holidays":[{"date":"2026-01-01","name":"元旦"}],"makeup_workdays":[]});
    let refused = expect_error(
        admin.put("/api/v1/calendar/2026", &rewrite).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "calendar_day_past");
    assert_eq!(app.audit_count().await, audit_before);
    let mut year: Value =
        expect_json(admin.get("/api/v1/calendar/2026").await, StatusCode::OK).await;
    year["holidays"]
        .as_array_mut()
        .unwrap()
        .push(json!({"date": "2026-12-07", "name": "临时调整"}));
    let body = json!({"holidays": year["holidays"], "makeup_workdays": year["makeup_workdays"]});
    expect_json::<Value>(
        admin.put("/api/v1/calendar/2026", &body).await,
        StatusCode::OK,
    )
    .await;
    use sea_orm::{EntityTrait, QueryOrder};
    let last = server::store::entities::audit_record::Entity::find()
        .order_by_desc(server::store::entities::audit_record::Column::Id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.action, "calendar.replace_year");
    assert_eq!(last.actor_id, Some(admin.id()));
    assert!(last.before.unwrap().contains("春节"));
    let after = last.after.unwrap();
    assert!(after.contains("春节") && after.contains("临时调整"));
}

/// A tester replaced 2025 (and 2026) with an invented holiday, and running cases were recomputed
/// against it. A year that has passed is history: every case of it was counted by it. Only the
/// current year (a published correction) and later ones may change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_that_has_passed_cannot_be_replaced() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = app.audit_count().await;
    let body = json!({"holidays":[{"date":"2025-03-05","name":"测试假"}],"makeup_workdays":[]});
    let refused = expect_error(
        admin.put("/api/v1/calendar/2025", &body).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "calendar_year_past");
    assert_eq!(app.audit_count().await, before);
    let kept: Value = expect_json(admin.get("/api/v1/calendar/2025").await, StatusCode::OK).await;
    assert!(kept.to_string().contains("春节"), "{kept}");
}
