//! Issue 12, finding 4: anonymous look-ups grew the database (200 GETs for dates in year 3000
//! added 172 slots and 315 duty rows). Slots are made only inside the booking window, and only
//! the first time a day is looked at.

use reqwest::StatusCode;
use scenario_tests::{TestApp, expect_error, expect_json, spawn_app};
use serde_json::Value;

const FOOD: &str = "640106-XK-0001";

async fn look(app: &TestApp, date: &str) -> reqwest::Response {
    app.anonymous
        .get(app.url(&format!(
            "/api/v1/public/appointment-slots?center=1&item={FOOD}&date={date}"
        )))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_look_up_outside_the_booking_window_is_refused_and_writes_nothing() {
    let app = spawn_app().await; // today 2026-03-04, 14 days ahead
    let (slots, duty, audit) = (
        app.count("appointment_slot").await,
        app.count("slot_duty").await,
        app.audit_count().await,
    );
    for date in ["3000-01-06", "2026-03-19", "2026-03-03", "2025-12-31"] {
        let err = expect_error(look(&app, date).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(err["code"], "outside_booking_window", "{date}");
        assert_eq!(err["field"], "date", "{date}");
    }
    assert_eq!(app.count("appointment_slot").await, slots);
    assert_eq!(app.count("slot_duty").await, duty);
    assert_eq!(app.audit_count().await, audit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_looking_at_a_day_beyond_the_window_make_no_slots() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = app.count("appointment_slot").await;
    let far: Vec<Value> = expect_json(
        admin
            .get("/api/v1/appointment-slots?center=1&date=3000-01-06")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(far.is_empty());
    assert_eq!(app.count("appointment_slot").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_inside_the_window_is_made_once_and_later_look_ups_only_read() {
    let app = spawn_app().await;
    let first: Value = expect_json(look(&app, "2026-03-05").await, StatusCode::OK).await;
    assert!(!first["slots"].as_array().unwrap().is_empty());
    let made = app.count("appointment_slot").await;
    let duty = app.count("slot_duty").await;
    for _ in 0..5 {
        let again: Value = expect_json(look(&app, "2026-03-05").await, StatusCode::OK).await;
        assert_eq!(again, first);
    }
    assert_eq!(app.count("appointment_slot").await, made);
    assert_eq!(app.count("slot_duty").await, duty);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_slot_look_ups_are_limited_per_address() {
    let app = spawn_app().await;
    let mut refused = None;
    for i in 0..400 {
        let response = look(&app, "2026-03-05").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            let err = expect_error(response, StatusCode::TOO_MANY_REQUESTS).await;
            assert_eq!(err["code"], "too_many_reads");
            refused = Some(i);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = refused.expect("400 look-ups in a row from one address were all answered");
    assert!(
        refused >= 120,
        "the default allows 120 a minute, refused after {refused}"
    );
    // Another address still looks.
    let (other, _) = scenario_tests::client_from("127.0.2.1".parse().unwrap());
    let ok = other
        .get(app.url(&format!(
            "/api/v1/public/appointment-slots?center=1&item={FOOD}&date=2026-03-05"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}
