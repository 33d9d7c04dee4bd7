//! Issue #11 in the hall over HTTP: the noon rule for any business finishable on the spot, slots
//! and extended service on rest days and public holidays, and a phone number found in whatever
//! form it was written.

use chrono::{DateTime, Utc};
use reqwest::{Response, StatusCode};
use scenario_tests::{AppOptions, Staff, TestApp, expect_error, expect_json, spawn_app_with};
use serde_json::{Value, json};

const HALL: i64 = 1;
const QUEUE_A: i64 = 1;
const WINDOW_A01: i64 = 1;
/// 食品经营许可（新办）: a promised item (5 working days), not an immediate one.
const FOOD: &str = "640106-XK-0001";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

async fn app_at(now: &str) -> TestApp {
    spawn_app_with(AppOptions {
        now: at(now),
        ..Default::default()
    })
    .await
}

async fn call(clerk: &Staff) -> Value {
    expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn ticket_step(clerk: &Staff, t: &Value, action: &str, extra: Value) -> Value {
    let mut body = json!({"version": t["version"]});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    expect_json(
        clerk
            .post(
                &format!("/api/v1/queue-tickets/{}/{action}", t["id"]),
                &body,
            )
            .await,
        StatusCode::OK,
    )
    .await
}

/// The extended-service records of the hall on `date`, as the supervisor sees them.
async fn extended(app: &TestApp, date: &str) -> Vec<Value> {
    let supervisor = app.login("super01").await;
    let list: Value = expect_json(
        supervisor
            .get(&format!(
                "/api/v1/extended-services?center={HALL}&date={date}"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    list.as_array().unwrap().clone()
}

/// A kiosk ticket for the food licence, called and being served at window A01.
async fn serving_food_ticket(app: &TestApp, clerk: &Staff) -> Value {
    expect_json::<Value>(
        app.anonymous
            .post(app.url("/api/v1/public/queue-tickets"))
            .json(&json!({"center_id": HALL, "queue_id": QUEUE_A, "item_code": FOOD}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let called = call(clerk).await;
    ticket_step(clerk, &called, "start", json!({})).await
}

// ── 8. The noon rule ──────────────────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_a_promised_item_through_noon_is_extended_service_counting_only_the_break() {
    let app = app_at("2026-03-04T03:55:00Z").await; // Wednesday 11:55
    let clerk = app.login("clerk01").await;
    let serving = serving_food_ticket(&app, &clerk).await;
    // Finished at 13:30, the afternoon opening at 13:00: 60 minutes outside the sessions, not 90.
    app.clock.set(at("2026-03-04T05:30:00Z"));
    let done = ticket_step(&clerk, &serving, "finish", json!({})).await;
    assert_eq!(done["status"], "done");
    let records = extended(&app, "2026-03-04").await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["kind"], "noon");
    assert_eq!(records[0]["minutes_past"], 60);
    assert_eq!(records[0]["ticket_number"], "A001");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_not_finished_on_the_spot_pauses_at_noon_and_records_no_extended_service() {
    let app = app_at("2026-03-04T03:55:00Z").await;
    let clerk = app.login("clerk01").await;
    let serving = serving_food_ticket(&app, &clerk).await;
    app.clock.set(at("2026-03-04T05:10:00Z")); // 13:10
    let done = ticket_step(
        &clerk,
        &serving,
        "finish",
        json!({"on_the_spot": "not_finishable"}),
    )
    .await;
    assert_eq!(done["status"], "done");
    assert!(extended(&app, "2026-03-04").await.is_empty());
    // Any other value is a 4xx that changes nothing.
    let other = serving_food_ticket(&app, &clerk).await;
    let bad = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/finish", other["id"]),
            &json!({"version": other["version"], "on_the_spot": "maybe"}),
        )
        .await;
    assert!(bad.status().is_client_error(), "{}", bad.status());
}

// ── 9. Rest days and public holidays ──────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_rule_that_shares_time_with_the_opening_hours_is_refused() {
    let app = app_at("2026-03-04T02:00:00Z").await;
    let admin = app.login("admin").await;
    let before = (app.count("slot_rule").await, app.audit_count().await);
    for (weekdays, from, to) in [
        (json!([1, 2, 3, 4, 5]), "16:30:00", "18:00:00"),
        (json!([3]), "11:30:00", "13:30:00"),
        (json!([6]), "09:00:00", "12:00:00"), // a make-up working Saturday has opening hours
    ] {
        let err = expect_error(
            admin
                .post(
                    "/api/v1/slot-rules",
                    &json!({"center_id": HALL, "name": "加开", "weekdays": weekdays,
                        "start_time": from, "end_time": to, "capacity": 5}),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], "inside_opening_hours", "{weekdays} {from}");
        assert_eq!(err["field"], "start_time");
    }
    assert_eq!(
        (app.count("slot_rule").await, app.audit_count().await),
        before
    );
    // The same hours on rest days and public holidays are no opening hours: accepted.
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "节假日全天", "rest_days": true,
                    "public_holidays": true, "start_time": "09:00:00", "end_time": "17:00:00",
                    "capacity": 5}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
}

async fn slot_starts(app: &TestApp, date: &str) -> Vec<String> {
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date={date}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_rule_for_public_holidays_makes_slots_on_every_day_of_the_holiday_run() {
    let app = app_at("2026-04-28T02:00:00Z").await; // Tuesday before the Labour Day run 05-01…05-05
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "劳动节值班", "public_holidays": true,
                    "start_time": "10:00:00", "end_time": "11:30:00", "capacity": 8}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    // Friday 05-01 (the holiday) and Saturday 05-02 (a weekend day inside the run): the holiday
    // rule's slot only — the demo's rest-day rule is for rest days, not holidays.
    for day in ["2026-05-01", "2026-05-02", "2026-05-05"] {
        assert_eq!(
            slot_starts(&app, day).await,
            [format!("{day}T02:00:00Z")],
            "{day}"
        );
    }
    // Sunday 05-10 is a rest day again: the rest-day morning only.
    assert_eq!(
        slot_starts(&app, "2026-05-10").await,
        ["2026-05-10T01:00:00Z"]
    );
    // Saturday 05-09 is a make-up working day: its morning is opening hours, no slot then.
    assert!(
        !slot_starts(&app, "2026-05-09")
            .await
            .iter()
            .any(|s| s == "2026-05-09T01:00:00Z")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_on_a_rest_day_is_recorded_as_extended_service_with_all_its_minutes() {
    let app = app_at("2026-03-04T02:00:00Z").await;
    let clerk = app.login("clerk01").await;
    // The demo's rest-day mornings (09:00–12:00, clerk01 on duty): Saturday 03-07.
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date=2026-03-07"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let saturday = body["slots"][0]["id"].as_i64().unwrap();
    let booked: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(
                &json!({"slot_id": saturday, "item_code": FOOD, "name": "张晓明",
                "phone": "13995012345", "id_number": null}),
            )
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    app.clock.set(at("2026-03-07T01:00:00Z")); // Saturday 09:00
    expect_json::<Value>(
        clerk
            .post(
                &format!("/api/v1/appointment-slots/{saturday}/check-in"),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json::<Value>(
        clerk
            .post(
                &format!(
                    "/api/v1/appointments/{}/arrive",
                    booked["code"].as_str().unwrap()
                ),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let called = call(&clerk).await;
    let serving = ticket_step(&clerk, &called, "start", json!({})).await;
    app.clock.set(at("2026-03-07T01:25:00Z")); // 09:25
    ticket_step(&clerk, &serving, "finish", json!({})).await;
    let records = extended(&app, "2026-03-07").await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["kind"], "day_off");
    assert_eq!(records[0]["minutes_past"], 25);
    assert_eq!(records[0]["staff_name"], "王晓燕");
}

// ── 12. Phone numbers ─────────────────────────────────────────────────────────────────────────

/// The booking of `code`, named with the phone as typed (percent-encoded into the query).
async fn lookup(app: &TestApp, code: &str, typed: &str) -> Response {
    app.get(&format!(
        "/api/v1/public/appointments/{code}?phone={}",
        encode(typed)
    ))
    .await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn first_slot(app: &TestApp, date: &str) -> i64 {
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date={date}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    body["slots"][0]["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_made_with_any_form_of_a_phone_is_found_moved_and_cancelled_with_any_other() {
    let app = app_at("2026-03-04T02:00:00Z").await;
    let tonight = first_slot(&app, "2026-03-04").await;
    let booked: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(
                &json!({"slot_id": tonight, "item_code": FOOD, "name": "张晓明",
                "phone": "139-9501-2345", "id_number": null}),
            )
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap().to_string();
    for typed in [
        "13995012345",
        "+86 139 9501 2345",
        "139 9501 2345",
        "+8613995012345",
        "139-9501-2345",
    ] {
        let seen: Value = expect_json(lookup(&app, &code, typed).await, StatusCode::OK).await;
        assert_eq!(seen["status"], "booked", "{typed}");
    }
    // The same number in another form cannot hold a second, overlapping booking.
    let twice = app
        .anonymous
        .post(app.url("/api/v1/public/appointments"))
        .json(
            &json!({"slot_id": tonight, "item_code": FOOD, "name": "张晓明",
            "phone": "+86 139 9501 2345", "id_number": null}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(twice, StatusCode::CONFLICT).await["code"],
        "duplicate_booking"
    );
    // Moved with one form, cancelled with another.
    let thursday = first_slot(&app, "2026-03-05").await;
    let moved: Value = expect_json(
        app.anonymous
            .post(app.url(&format!("/api/v1/public/appointments/{code}/reschedule")))
            .json(&json!({"phone": "+86 139 9501 2345", "slot_id": thursday}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["slot"]["id"], thursday);
    let cancelled: Value = expect_json(
        app.anonymous
            .delete(app.url(&format!(
                "/api/v1/public/appointments/{code}?phone={}",
                encode("139 9501 2345")
            )))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    // A different number is still the same 404 as a wrong code.
    expect_error(
        lookup(&app, &code, "+86 139 9501 2346").await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// The value of one query parameter of a redirect.
fn param(location: &str, key: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

fn location(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{response:?}");
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
/// Issue 11 point 10 (any written phone is the same number) with issue 14 point 3 (a phone number
/// never goes into a page address: the booking is named by its code and the browser keeps the
/// proof in an HttpOnly cookie).
async fn the_plain_booking_form_takes_any_written_phone_and_keeps_it_out_of_the_address() {
    let app = app_at("2026-03-04T02:00:00Z").await;
    let slot = first_slot(&app, "2026-03-04").await.to_string();
    let submitted = app
        .anonymous
        .post(app.url("/booking/submit"))
        .form(&[
            ("center", "1"),
            ("item", FOOD),
            ("date", "2026-03-04"),
            ("slot", &slot),
            ("name", "张晓明"),
            ("phone", "+86 139 9501 2345"),
            ("id_number", ""),
        ])
        .send()
        .await
        .unwrap();
    let to = location(&submitted);
    assert_eq!(param(&to, "phone"), None, "{to}");
    assert!(!to.contains("13995012345"), "{to}");
    let page = app.get(&to).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("预约成功"));
    let code = param(&to, "code").unwrap();
    let cancelled = app
        .anonymous
        .post(app.url("/booking/cancel"))
        .form(&[("code", code.as_str()), ("phone", "139-9501-2345")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&location(&cancelled), "done").as_deref(),
        Some("cancelled")
    );
}
