//! After-hours appointments over HTTP: the stable public paths, seats and duplicates under
//! concurrency, every refusal, duty check-in, arrival and no-show.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scenario_tests::{
    Staff, TestApp, detected_on, expect_error, expect_json, publish_2027_with_holidays, spawn_app,
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const HALL: i64 = 1;
const TOWN: i64 = 2;
const FOOD: &str = "640106-XK-0001";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

async fn slots(app: &TestApp, center: i64, item: &str, date: &str) -> Vec<Value> {
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={center}&item={item}&date={date}"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    body["slots"].as_array().unwrap().clone()
}

async fn book(app: &TestApp, slot: i64, item: &str, phone: &str) -> reqwest::Response {
    app.anonymous
        .post(app.url("/api/v1/public/appointments"))
        .json(
            &json!({"slot_id": slot, "item_code": item, "name": "张晓明", "phone": phone,
            "id_number": null}),
        )
        .send()
        .await
        .unwrap()
}

async fn days(app: &TestApp, center: i64, item: &str) -> reqwest::Response {
    app.get(&format!(
        "/api/v1/public/appointment-days?center={center}&item={item}"
    ))
    .await
}

/// A slot with exactly one seat, tonight 19:00–20:00 at the hall.
async fn one_seat_slot(app: &TestApp) -> i64 {
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "晚间加开", "weekdays": [3],
                    "start_time": "19:00:00", "end_time": "20:00:00", "capacity": 1}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let list = slots(app, HALL, FOOD, "2026-03-04").await;
    list.iter()
        .find(|s| s["start"] == "2026-03-04T11:00:00Z")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_sees_slots_books_with_the_materials_views_reschedules_and_cancels() {
    let app = spawn_app().await; // Wednesday 2026-03-04 10:00
    let list = slots(&app, HALL, FOOD, "2026-03-04").await;
    let tonight = &list[0];
    assert_eq!(tonight["start"], "2026-03-04T09:00:00Z"); // 17:00 local
    assert_eq!(tonight["end"], "2026-03-04T11:00:00Z");
    assert_eq!(
        (tonight["capacity"].as_i64(), tonight["remaining"].as_i64()),
        (Some(10), Some(10))
    );
    let booked: Value = expect_json(
        book(&app, tonight["id"].as_i64().unwrap(), FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    assert_eq!(booked["slot"]["remaining"], 9);
    assert!(
        booked["materials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "食品经营许可申请书")
    );
    let seen: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointments/{code}?phone=13995012345"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["status"], "booked");
    assert_eq!(seen["item_name"], "食品经营许可（新办）");
    // Thursday's slot instead.
    let thursday = slots(&app, HALL, FOOD, "2026-03-05").await;
    let moved: Value = expect_json(
        app.anonymous
            .post(app.url(&format!("/api/v1/public/appointments/{code}/reschedule")))
            .json(&json!({"phone": "13995012345", "slot_id": thursday[0]["id"]}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["slot"]["id"], thursday[0]["id"]);
    assert_eq!(
        slots(&app, HALL, FOOD, "2026-03-04").await[0]["remaining"],
        10,
        "the old seat is free again"
    );
    let cancelled: Value = expect_json(
        app.anonymous
            .delete(app.url(&format!(
                "/api/v1/public/appointments/{code}?phone=13995012345"
            )))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        slots(&app, HALL, FOOD, "2026-03-05").await[0]["remaining"],
        10
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_requests_for_the_last_seat_book_it_exactly_once() {
    let app = spawn_app().await;
    let slot = one_seat_slot(&app).await;
    let before = app.count("appointment").await;
    let phones: Vec<String> = (0..200)
        .map(|i| format!("139{:08}", 10_000_000 + i))
        .collect();
    let responses =
        futures::future::join_all(phones.iter().map(|p| book(&app, slot, FOOD, p))).await;
    let mut created = 0;
    let mut full = 0;
    for r in responses {
        match r.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                let body: Value = r.json().await.unwrap();
                assert_eq!(body["code"], "slot_full");
                full += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((created, full), (1, 199));
    assert_eq!(app.count("appointment").await, before + 1);
    let remaining = slots(&app, HALL, FOOD, "2026-03-04").await;
    assert!(
        !remaining
            .iter()
            .any(|s| s["id"] == slot && s["remaining"] != 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_phone_cannot_hold_two_bookings_for_overlapping_slots_even_at_once() {
    let app = spawn_app().await;
    let list = slots(&app, HALL, FOOD, "2026-03-04").await;
    let slot = list[0]["id"].as_i64().unwrap();
    let responses =
        futures::future::join_all((0..20).map(|_| book(&app, slot, FOOD, "13995012345"))).await;
    let statuses: Vec<StatusCode> = responses.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1
    );
    for r in responses
        .into_iter()
        .filter(|r| r.status() != StatusCode::CREATED)
    {
        assert_eq!(
            expect_error(r, StatusCode::CONFLICT).await["code"],
            "duplicate_booking"
        );
    }
    // An overlapping slot of another rule is refused too.
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "重叠时段",
                "weekdays": [3], "start_time": "18:00:00", "end_time": "19:30:00", "capacity": 5}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let overlapping = slots(&app, HALL, FOOD, "2026-03-04")
        .await
        .into_iter()
        .find(|s| s["start"] == "2026-03-04T10:00:00Z")
        .unwrap();
    let second = book(
        &app,
        overlapping["id"].as_i64().unwrap(),
        FOOD,
        "13995012345",
    )
    .await;
    assert_eq!(
        expect_error(second, StatusCode::CONFLICT).await["code"],
        "duplicate_booking"
    );
}

/// One person holds one seat at a time: the same ID number under another phone took a second
/// seat of the same slot (seats hoarded under one identity).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_id_number_cannot_hold_two_seats_at_once_under_two_phones() {
    let app = spawn_app().await;
    let slot = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let with_id = |phone: &'static str| {
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(
                &json!({"slot_id": slot, "item_code": FOOD, "name": "张晓明", "phone": phone,
                "id_number": "11010519491231002X"}),
            )
            .send()
    };
    assert_eq!(
        with_id("13566667778").await.unwrap().status(),
        StatusCode::CREATED
    );
    let before = app.count("appointment").await;
    let err = expect_error(with_id("13566667779").await.unwrap(), StatusCode::CONFLICT).await;
    assert_eq!(err["code"], "duplicate_booking");
    assert_eq!(err["field"], "id_number");
    assert_eq!(app.count("appointment").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_booking_gets_a_clear_4xx_and_books_nothing() {
    let app = spawn_app().await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let town_slot = slots(&app, TOWN, "640106-JF-0002", "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let full = one_seat_slot(&app).await;
    expect_json::<Value>(
        book(&app, full, FOOD, "13800000000").await,
        StatusCode::CREATED,
    )
    .await;
    expect_json::<Value>(
        book(&app, tonight, FOOD, "13800000009").await,
        StatusCode::CREATED,
    )
    .await;
    let before = (app.count("appointment").await, app.audit_count().await);
    let cases: Vec<(i64, &str, &str, StatusCode, &str)> = vec![
        (full, FOOD, "13800000001", StatusCode::CONFLICT, "slot_full"),
        (
            tonight,
            FOOD,
            "12345",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_phone",
        ),
        (
            tonight,
            "NO-SUCH-ITEM",
            "13800000002",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_item",
        ),
        (
            town_slot,
            FOOD,
            "13800000003",
            StatusCode::UNPROCESSABLE_ENTITY,
            "slot_not_for_item",
        ),
        (
            99_999,
            FOOD,
            "13800000004",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_slot",
        ),
        (
            tonight,
            FOOD,
            "13800000009",
            StatusCode::CONFLICT,
            "duplicate_booking",
        ),
    ];
    for (slot, item, phone, status, code) in cases {
        let err = expect_error(book(&app, slot, item, phone).await, status).await;
        assert_eq!(err["code"], code, "{slot} {item} {phone}");
    }
    // A slot that has begun, and one that starts within two hours.
    app.clock.set(at("2026-03-04T09:30:00Z")); // 17:30: tonight's 17:00 slot has begun
    let err = expect_error(
        book(&app, tonight, FOOD, "13800000005").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "slot_past");
    app.clock.set(at("2026-03-04T10:00:00Z")); // 18:00: 19:00 is less than two hours away
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "晚八点",
            "weekdays": [3], "start_time": "19:30:00", "end_time": "20:30:00",
            "capacity": 5}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let staff_slots: Value = expect_json(
        admin
            .get(&format!(
                "/api/v1/appointment-slots?center={HALL}&date=2026-03-04"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let soon = staff_slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slot"]["start"] == "2026-03-04T11:30:00Z")
        .unwrap()["slot"]["id"]
        .as_i64()
        .unwrap();
    let err = expect_error(
        book(&app, soon, FOOD, "13800000007").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "booking_closed");
    // Fifteen days ahead is too far.
    let err = expect_error(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date=not-a-date"
        ))
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(err["code"], "invalid_parameter");
    assert_eq!(
        (app.count("appointment").await, app.audit_count().await - 1),
        (before.0, before.1),
        "only the new slot rule was written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_and_phone_pair_is_404_and_guessing_is_rate_limited() {
    let app = spawn_app().await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let booked: Value = expect_json(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap();
    let wrong_phone = expect_error(
        app.get(&format!(
            "/api/v1/public/appointments/{code}?phone=13900000000"
        ))
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let wrong_code = expect_error(
        app.get("/api/v1/public/appointments/ZZZZ2222?phone=13995012345")
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(wrong_phone, wrong_code);
    // The code is read back whatever the case and separators.
    let pretty = format!("{}-{}", &code[..4].to_lowercase(), &code[4..]);
    expect_json::<Value>(
        app.get(&format!(
            "/api/v1/public/appointments/{pretty}?phone=13995012345"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let mut limited = false;
    for _ in 0..30 {
        if app
            .get("/api/v1/public/appointments/ZZZZ3333?phone=13995012345")
            .await
            .status()
            == StatusCode::TOO_MANY_REQUESTS
        {
            limited = true;
            break;
        }
    }
    assert!(limited);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duty_staff_check_in_with_lateness_recorded_and_arrivals_get_a_priority_ticket() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let booked: Value = expect_json(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let other: Value = expect_json(
        book(&app, tonight, FOOD, "13995012346").await,
        StatusCode::CREATED,
    )
    .await;
    // Someone not on the roster cannot check in.
    let chief = app.login("chief01").await;
    let not_on_duty = chief
        .post(
            &format!("/api/v1/appointment-slots/{tonight}/check-in"),
            &json!(null),
        )
        .await;
    assert_eq!(
        expect_error(not_on_duty, StatusCode::FORBIDDEN).await["code"],
        "not_on_duty"
    );
    app.clock.set(at("2026-03-04T09:12:00Z")); // 17:12
    let duty: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/appointment-slots/{tonight}/check-in"),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(duty["late_minutes"], 12);
    // Earlier tickets of the day wait; the arrival is called first.
    app.anonymous
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": HALL, "queue_id": 1}))
        .send()
        .await
        .unwrap();
    let ticket: Value = expect_json(
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
    assert_eq!(ticket["priority"], true);
    let called: Value = expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": 1}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(called["id"], ticket["id"]);
    // Nobody came for the other booking: a no-show once 15 minutes have passed.
    let code = other["code"].as_str().unwrap();
    // A clerk of another center cannot touch this center's bookings.
    let town_clerk = app.login("clerk03").await;
    for action in ["arrive", "no-show"] {
        let foreign = town_clerk
            .post(
                &format!("/api/v1/appointments/{code}/{action}"),
                &json!(null),
            )
            .await;
        expect_error(foreign, StatusCode::FORBIDDEN).await;
    }
    let early = clerk
        .post(
            &format!("/api/v1/appointments/{code}/no-show"),
            &json!(null),
        )
        .await;
    assert_eq!(
        expect_error(early, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "too_early"
    );
    app.clock.set(at("2026-03-04T09:20:00Z"));
    let gone: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/appointments/{code}/no-show"),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gone["status"], "no_show");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_record_a_phone_booking_with_its_method() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let online = clerk
        .post(
            "/api/v1/appointments",
            &json!({"slot_id": tonight, "item_code": FOOD,
            "name": "王阿姨", "phone": "13995012347", "method": "online"}),
        )
        .await;
    assert_eq!(
        expect_error(online, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "invalid_method"
    );
    let booked: Value = expect_json(
        clerk
            .post(
                "/api/v1/appointments",
                &json!({"slot_id": tonight, "item_code": FOOD,
                "name": "王阿姨", "phone": "13995012347", "method": "phone"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(booked["method"], "phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_days_to_choose_from_are_those_of_the_booking_window_with_slots_for_the_item() {
    let app = spawn_app().await;
    let list: Value = expect_json(days(&app, HALL, FOOD).await, StatusCode::OK).await;
    let dates: Vec<&str> = list["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    // Wednesday 4 March to Wednesday 18 March: weekday evenings and the mornings of the rest days
    // (公休日, Saturday and Sunday alike: Seed §二(四)).
    assert_eq!(dates.first(), Some(&"2026-03-04"));
    assert_eq!(dates.last(), Some(&"2026-03-18"));
    assert!(dates.contains(&"2026-03-07"), "Saturday morning slots");
    assert!(dates.contains(&"2026-03-08"), "Sunday morning slots");
    assert_eq!(dates.len(), 15, "every day of the window has something");
    let first_remaining = list["days"][0]["remaining"].as_i64().unwrap();
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    expect_json::<Value>(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let after: Value = expect_json(days(&app, HALL, FOOD).await, StatusCode::OK).await;
    assert_eq!(
        after["days"][0]["remaining"].as_i64().unwrap(),
        first_remaining - 1
    );
    // The item must be one of the center's.
    let err = expect_error(
        days(&app, TOWN, FOOD).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "item_not_at_center");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_slot_rule_takes_no_new_bookings_and_keeps_those_made() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let seat = one_seat_slot(&app).await;
    let kept: Value = expect_json(
        book(&app, seat, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let rule: Value = expect_json(admin.get("/api/v1/slot-rules").await, StatusCode::OK).await;
    let rule_id = rule
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "晚间加开")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let stopped: Value = expect_json(
        admin
            .post(
                &format!("/api/v1/slot-rules/{rule_id}/deactivate"),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stopped["active"], false);
    let offered = slots(&app, HALL, FOOD, "2026-03-04").await;
    assert!(offered.iter().all(|s| s["id"] != seat), "no longer offered");
    let refused = book(&app, seat, FOOD, "13995012346").await;
    assert_eq!(
        expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "unknown_slot"
    );
    // The booking already made stands.
    let still: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointments/{}?phone=13995012345",
            kept["code"].as_str().unwrap()
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["status"], "booked");
    expect_json::<Value>(
        admin
            .post(
                &format!("/api/v1/slot-rules/{rule_id}/activate"),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let offered = slots(&app, HALL, FOOD, "2026-03-04").await;
    assert!(offered.iter().any(|s| s["id"] == seat));
    // Only an admin starts or stops rules.
    let clerk = app.login("clerk01").await;
    let forbidden = clerk
        .post(
            &format!("/api/v1/slot-rules/{rule_id}/deactivate"),
            &json!(null),
        )
        .await;
    expect_error(forbidden, StatusCode::FORBIDDEN).await;
}

/// The duty roster of a hall's slot as staff read it.
async fn duty_at(admin: &Staff, day: &str, start: &str) -> (i64, Vec<i64>) {
    let slots: Value = expect_json(
        admin
            .get(&format!(
                "/api/v1/appointment-slots?center={HALL}&date={day}"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let slot = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slot"]["start"] == start)
        .unwrap_or_else(|| panic!("no slot at {start}: {slots}"))
        .clone();
    let duty = slot["duty"].as_array().unwrap();
    let ids = duty
        .iter()
        .map(|d| d["staff_id"].as_i64().unwrap())
        .collect();
    (slot["slot"]["id"].as_i64().unwrap(), ids)
}

/// A slot's roster names only staff of its center (README). A member the administrator moves to
/// another center after the rule was written is not put on the old center's new slots, and
/// cannot check in at a slot made before the move (it once raised "值守人员未到岗" against the
/// town's unit, and the slot kept taking bookings nobody there could serve).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duty_member_moved_to_another_center_is_off_the_old_centers_slots() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let staff: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    let member = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["staff_number"] == "clerk02")
        .unwrap()
        .clone();
    let id = member["id"].as_i64().unwrap();
    let _: Value = expect_json(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "name": "晚间值守", "weekdays": [3, 4],
                    "start_time": "19:00:00", "end_time": "20:00:00", "capacity": 2,
                    "duty_staff_ids": [id]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let (tonight, roster) = duty_at(&admin, "2026-03-04", "2026-03-04T11:00:00Z").await;
    assert_eq!(roster, vec![id]);
    // clerk02 moves to the town center's unit and window.
    let windows: Value = expect_json(admin.get("/api/v1/windows").await, StatusCode::OK).await;
    let town_window = windows["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["center_id"] == TOWN)
        .unwrap()
        .clone();
    let moved = admin
        .put(
            &format!("/api/v1/staff/{id}"),
            &json!({"staff_number": "clerk02", "name": member["name"],
                "unit_id": town_window["unit_ids"][0], "window_ids": [town_window["id"]],
                "roles": member["roles"]}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    // Thursday's slot, made after the move, has nobody of the town on it.
    let (_, thursday) = duty_at(&admin, "2026-03-05", "2026-03-05T11:00:00Z").await;
    assert!(thursday.is_empty(), "{thursday:?}");
    // Tonight's slot was made before the move: the town's clerk does not check in at the hall.
    let clerk = app.login("clerk02").await;
    let check_in = clerk
        .post(
            &format!("/api/v1/appointment-slots/{tonight}/check-in"),
            &json!({}),
        )
        .await;
    assert_eq!(
        expect_error(check_in, StatusCode::FORBIDDEN).await["code"],
        "not_your_center"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_rule_names_only_items_and_duty_staff_of_its_own_center_and_unit() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = app.count("slot_rule").await;
    // clerk03 works at the town center; the food licence is a hall item.
    let staff: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    let town_clerk = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["staff_number"] == "clerk03")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let foreign_staff = admin
        .post(
            "/api/v1/slot-rules",
            &json!({"center_id": HALL, "name": "周日", "rest_days": true, "start_time": "09:00:00",
                "end_time": "12:00:00", "capacity": 5, "duty_staff_ids": [town_clerk]}),
        )
        .await;
    assert_eq!(
        expect_error(foreign_staff, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "staff_of_other_center"
    );
    let foreign_item = admin
        .post(
            "/api/v1/slot-rules",
            &json!({"center_id": TOWN, "name": "周日", "rest_days": true, "start_time": "09:00:00",
                "end_time": "12:00:00", "capacity": 5, "item_codes": [FOOD]}),
        )
        .await;
    assert_eq!(
        expect_error(foreign_item, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "item_not_at_center"
    );
    // A unit's own slot (人社, unit 2) is staffed by that unit: not by clerk01 of 市场监管.
    let clerk01 = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["staff_number"] == "clerk01")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let other_unit = admin
        .post(
            "/api/v1/slot-rules",
            &json!({"center_id": HALL, "unit_id": 2, "name": "人社专场", "rest_days": true,
                "start_time": "09:00:00", "end_time": "12:00:00", "capacity": 5,
                "duty_staff_ids": [clerk01]}),
        )
        .await;
    let e = expect_error(other_unit, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (&e["code"], &e["field"]),
        (&json!("staff_not_in_unit"), &json!("duty_staff_ids"))
    );
    assert_eq!(app.count("slot_rule").await, before);
}

/// A tester put one clerk twice on a rule's roster (201) and, later, moved a rule to another
/// center: every booking page of the hall then answered 500 (the slots' roster rows collided),
/// and the town's slot got a hall clerk on duty. A roster names each member once, and a rule
/// stays at its center; the update's audit record keeps what it replaced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_rule_names_each_duty_member_once_and_never_moves_to_another_center() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let staff: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    let clerk = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["staff_number"] == "clerk01")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let before = app.count("slot_rule").await;
    let rule = |center: i64, duty: Value| {
        json!({"center_id": center, "name": "晚间加开", "weekdays": [1, 2, 3, 4, 5],
            "start_time": "18:00:00", "end_time": "19:30:00", "capacity": 5,
            "duty_staff_ids": duty})
    };
    let twice = admin
        .post("/api/v1/slot-rules", &rule(HALL, json!([clerk, clerk])))
        .await;
    let err = expect_error(twice, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "duplicate_staff");
    assert_eq!(err["field"], "duty_staff_ids");
    assert_eq!(app.count("slot_rule").await, before);

    let made: Value = expect_json(
        admin
            .post("/api/v1/slot-rules", &rule(TOWN, json!([])))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        days(&app, TOWN, "640106-JF-0002").await.status(),
        StatusCode::OK
    );
    let audit = app.audit_count().await;
    let moved = admin
        .put(
            &format!("/api/v1/slot-rules/{}", made["id"]),
            &rule(HALL, json!([clerk])),
        )
        .await;
    assert_eq!(
        expect_error(moved, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "center_fixed"
    );
    assert_eq!(app.audit_count().await, audit);
    for _ in 0..2 {
        let hall = app
            .get("/api/v1/public/appointment-slots?center=1&item=640106-XK-0003&date=2026-03-04")
            .await;
        assert_eq!(hall.status(), StatusCode::OK);
    }
    // A change at its own center is recorded with what it replaced.
    let mut renamed = rule(TOWN, json!([]));
    renamed["name"] = json!("晚间延时");
    expect_json::<Value>(
        admin
            .put(&format!("/api/v1/slot-rules/{}", made["id"]), &renamed)
            .await,
        StatusCode::OK,
    )
    .await;
    let row = app
        .db
        .conn
        .query_one(Statement::from_string(
            app.db.backend(),
            "SELECT \"before\" AS b, \"after\" AS a FROM audit_record \
                WHERE action = 'slot_rule.update'",
        ))
        .await
        .unwrap()
        .unwrap();
    let doc = |column: &str| -> Value {
        let text: Option<String> = row.try_get("", column).unwrap();
        serde_json::from_str(&text.unwrap_or_default()).unwrap_or(Value::Null)
    };
    assert_eq!(doc("b")["name"], "晚间加开");
    assert_eq!(doc("a")["name"], "晚间延时");
}

/// A tester moved a booked item to a town unit, then moved the hall booking into a town slot: the
/// booking sat at the town with the hall's name and address, the town's clerks could not serve
/// it and the hall's no longer saw it. A booking moves only within its own center.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_is_moved_only_to_another_time_at_its_own_center() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let booked: Value = expect_json(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap();
    let mut item: Value = expect_json(
        app.get(&format!("/api/v1/service-items/{FOOD}")).await,
        StatusCode::OK,
    )
    .await;
    let obj = item.as_object_mut().unwrap();
    for k in ["unit_name", "center_id", "center_name", "active"] {
        obj.remove(k);
    }
    obj.insert("unit_id".into(), json!(3));
    expect_json::<Value>(
        admin
            .put(&format!("/api/v1/service-items/{FOOD}"), &item)
            .await,
        StatusCode::OK,
    )
    .await;
    let town = slots(&app, TOWN, FOOD, "2026-03-05").await;
    let town_slot = town[0]["id"].as_i64().unwrap();
    let audit = app.audit_count().await;
    let moved = app
        .anonymous
        .post(app.url(&format!("/api/v1/public/appointments/{code}/reschedule")))
        .json(&json!({"phone": "13995012345", "slot_id": town_slot}))
        .send()
        .await
        .unwrap();
    let err = expect_error(moved, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "slot_of_other_center");
    assert_eq!(err["field"], "slot_id");
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        slots(&app, TOWN, FOOD, "2026-03-05").await[0]["remaining"],
        town[0]["remaining"]
    );
}

/// A slot made on a day that was a working day only provisionally (its year not published yet)
/// takes no booking once the published year makes that day a holiday, is no longer offered,
/// and nobody is reported for not being on duty there. (A tester booked 元旦 17:00 after 2027 was
/// published, and the detector reported the duty roster missing on 01-01.) Here the published
/// year makes Monday 01-04 a holiday, which the provisional guess could not know.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_on_a_day_that_became_a_holiday_takes_no_booking_and_needs_no_duty() {
    let app = spawn_app().await;
    // Friday 2026-12-25, 10:00 local: the booking window reaches into 2027.
    app.clock.set(at("2026-12-25T02:00:00Z"));
    assert!(
        slots(&app, HALL, FOOD, "2027-01-01").await.is_empty(),
        "元旦 is off by law even before 2027 is published"
    );
    let monday = slots(&app, HALL, FOOD, "2027-01-04").await;
    assert!(!monday.is_empty(), "a provisional working day has slots");
    let slot = monday[0]["id"].as_i64().unwrap();
    publish_2027_with_holidays(&app, &["2027-01-01", "2027-01-04"]).await;
    assert!(slots(&app, HALL, FOOD, "2027-01-04").await.is_empty());
    let listed: Value = expect_json(days(&app, HALL, FOOD).await, StatusCode::OK).await;
    let offered: Vec<&Value> = listed["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["date"])
        .collect();
    assert!(!offered.contains(&&json!("2027-01-04")), "{offered:?}");
    let refused = book(&app, slot, FOOD, "13995012345").await;
    assert_eq!(
        expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "slot_day_closed"
    );
    // 2027-01-04 20:00 local: the slot's time is over.
    app.clock.set(at("2027-01-04T12:00:00Z"));
    let supervisor = app.login("super01").await;
    let on_slot = detected_on(&supervisor, "duty_check_in_missing", &json!(slot)).await;
    assert!(on_slot.is_empty(), "{on_slot:?}");
}

/// Once its slot has begun, a booking can no longer be cancelled or moved by the citizen: the
/// hall records an arrival or a no-show for it (15 minutes in), which a cancellation at 17:30
/// used to wipe out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_whose_slot_has_begun_can_no_longer_be_cancelled_or_moved() {
    let app = spawn_app().await; // Wednesday 2026-03-04 10:00
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"].clone();
    let thursday = slots(&app, HALL, FOOD, "2026-03-05").await[0]["id"].clone();
    let booked: Value = expect_json(
        book(&app, tonight.as_i64().unwrap(), FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap().to_string();
    // 17:30 local: the slot (17:00–19:00) has begun.
    app.clock.set(at("2026-03-04T09:30:00Z"));
    let audit_before = app.audit_count().await;
    let moved = app
        .anonymous
        .post(app.url(&format!("/api/v1/public/appointments/{code}/reschedule")))
        .json(&json!({"phone": "13995012345", "slot_id": thursday}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(moved, StatusCode::CONFLICT).await["code"],
        "slot_started"
    );
    let cancelled = app
        .anonymous
        .delete(app.url(&format!(
            "/api/v1/public/appointments/{code}?phone=13995012345"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(cancelled, StatusCode::CONFLICT).await["code"],
        "slot_started"
    );
    assert_eq!(app.audit_count().await, audit_before);
    let seen: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointments/{code}?phone=13995012345"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["status"], "booked");
}

/// An edited rule shows at once on every slot nobody booked: every slot of the two-week window
/// is made as soon as anyone browses it, and a capacity or time changed by the admin showed
/// nowhere for two weeks. A slot with a booking keeps what was booked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_slot_rule_remakes_the_unbooked_slots_and_keeps_the_booked_ones() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let tonight = one_seat_slot(&app).await;
    let at_seven = |list: Vec<Value>, start: &str| {
        list.into_iter()
            .find(|s| s["start"] == start)
            .unwrap_or_else(|| panic!("no slot at {start}"))
    };
    let next_week = at_seven(
        slots(&app, HALL, FOOD, "2026-03-11").await,
        "2026-03-11T11:00:00Z",
    );
    assert_eq!(next_week["capacity"], 1);
    expect_json::<Value>(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let rules: Value = expect_json(admin.get("/api/v1/slot-rules").await, StatusCode::OK).await;
    let rule = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "晚间加开")
        .unwrap()
        .clone();
    let mut edited = rule.clone();
    for key in ["id", "active"] {
        edited.as_object_mut().unwrap().remove(key);
    }
    edited["capacity"] = json!(3);
    expect_json::<Value>(
        admin
            .put(&format!("/api/v1/slot-rules/{}", rule["id"]), &edited)
            .await,
        StatusCode::OK,
    )
    .await;
    let next_week = at_seven(
        slots(&app, HALL, FOOD, "2026-03-11").await,
        "2026-03-11T11:00:00Z",
    );
    assert_eq!(next_week["capacity"], 3);
    assert_eq!(next_week["remaining"], 3);
    let tonight_now = at_seven(
        slots(&app, HALL, FOOD, "2026-03-04").await,
        "2026-03-04T11:00:00Z",
    );
    assert_eq!(tonight_now["id"], tonight);
    assert_eq!(
        tonight_now["capacity"], 1,
        "the booked slot keeps its seats"
    );
}

/// The hall's Sunday morning has only 市场监管's clerk on duty: a citizen booked a 人社 item
/// there and would have found nobody to serve them. Such a slot is not offered for the item,
/// and a booking on it is refused; the items of the unit on duty book as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_is_offered_only_for_items_of_a_unit_someone_on_duty_handles() {
    let app = spawn_app().await;
    const SOCIAL_ITEM: &str = "640106-GG-0001";
    let sunday = "2026-03-08";
    assert!(slots(&app, HALL, SOCIAL_ITEM, sunday).await.is_empty());
    let food = slots(&app, HALL, FOOD, sunday).await;
    let slot = food[0]["id"].as_i64().unwrap();
    let before = app.count("appointment").await;
    let refused = expect_error(
        book(&app, slot, SOCIAL_ITEM, "13995012345").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["code"], "slot_not_staffed_for_item");
    assert_eq!(app.count("appointment").await, before);
    expect_json::<Value>(
        book(&app, slot, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    // The weekday evening has both units on duty: the 人社 item is offered there.
    assert!(
        !slots(&app, HALL, SOCIAL_ITEM, "2026-03-04")
            .await
            .is_empty()
    );
}

/// 延时服务: a citizen booked a 市场监管 item on a roster with both units, then the roster became
/// a 人社 clerk alone: the booking stood with nobody on duty able to serve it (a new booking of
/// the same item was refused for that very reason).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_change_never_leaves_a_booked_citizen_without_someone_who_handles_the_item() {
    let app = spawn_app().await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    expect_json::<Value>(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let admin = app.login("admin").await;
    let social = app.login("clerk02").await.id();
    let path = format!("/api/v1/appointment-slots/{tonight}/duty");
    let before = app.audit_count().await;
    let refused = admin.put(&path, &json!({ "staff_ids": [social] })).await;
    let refused = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "booking_unstaffed");
    assert_eq!(refused["field"], "staff_ids");
    assert_eq!(app.audit_count().await, before);
    let market = app.login("clerk01").await.id();
    let kept = admin
        .put(&path, &json!({ "staff_ids": [market, social] }))
        .await;
    expect_json::<Value>(kept, StatusCode::OK).await;
}

/// A tester's chief of another unit sent the slot's roster back unchanged and got every booking
/// code of the slot in the answer (the list hid them): with the masked phone, half of what
/// cancels a booking. Codes go only to the center's clerks, whatever answer shows the slot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_change_hands_no_booking_code_to_anyone_but_the_centers_clerks() {
    let app = spawn_app().await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    expect_json::<Value>(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    for who in ["chief02", "admin"] {
        let staff = app.login(who).await;
        let listed: Vec<Value> = expect_json(
            staff
                .get("/api/v1/appointment-slots?center=1&date=2026-03-04")
                .await,
            StatusCode::OK,
        )
        .await;
        let slot = listed.iter().find(|s| s["slot"]["id"] == tonight).unwrap();
        assert!(slot["bookings"][0]["code"].is_null(), "{who}: {slot}");
        let roster: Vec<i64> = slot["duty"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["staff_id"].as_i64().unwrap())
            .collect();
        let answer: Value = expect_json(
            staff
                .put(
                    &format!("/api/v1/appointment-slots/{tonight}/duty"),
                    &json!({ "staff_ids": roster }),
                )
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(answer["bookings"].as_array().unwrap().len(), 1, "{who}");
        assert!(answer["bookings"][0]["code"].is_null(), "{who}: {answer}");
    }
    let clerk = app.login("clerk01").await;
    let listed: Vec<Value> = expect_json(
        clerk
            .get("/api/v1/appointment-slots?center=1&date=2026-03-04")
            .await,
        StatusCode::OK,
    )
    .await;
    let slot = listed.iter().find(|s| s["slot"]["id"] == tonight).unwrap();
    assert!(slot["bookings"][0]["code"].is_string());
}

/// A booking's phone is shown to staff masked (7 of 11 digits): a tester spread 10,000 guesses
/// of the other four over a few addresses and found the number — and with it the power to
/// cancel — in seconds. Wrong phones count per booking code over every address; past the day's
/// budget every lookup of that code waits, the right phone too, and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_a_bookings_phone_stops_at_the_codes_daily_budget_of_wrong_phones() {
    let app = spawn_app().await;
    let tonight = slots(&app, HALL, FOOD, "2026-03-04").await[0]["id"]
        .as_i64()
        .unwrap();
    let booked: Value = expect_json(
        book(&app, tonight, FOOD, "13995012345").await,
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap();
    let path = |phone: &str| format!("/api/v1/public/appointments/{code}?phone={phone}");
    // Spread over minutes, as from many addresses: no address runs out of its own budget.
    for guess in 0..10 {
        let wrong = app.get(&path(&format!("1399501{guess:04}"))).await;
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND, "guess {guess}");
    }
    let refused = expect_error(
        app.get(&path("13995012345")).await,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    assert_eq!(refused["code"], "too_many_booking_lookups");
    let cancel = app
        .anonymous
        .delete(app.url(&path("13995012345")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another booking is looked up as before.
    let other: Value = expect_json(
        book(&app, tonight, FOOD, "13995012399").await,
        StatusCode::CREATED,
    )
    .await;
    let other_code = other["code"].as_str().unwrap();
    expect_json::<Value>(
        app.get(&format!(
            "/api/v1/public/appointments/{other_code}?phone=13995012399"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_make_up_working_saturday_offers_the_working_days_after_hours_slot() {
    let app = spawn_app().await;
    // Wednesday 2026-09-30; Saturday 2026-10-10 is worked (国庆调休), with working-day hours.
    app.clock.set(at("2026-09-30T02:00:00Z"));
    let offered: Value = expect_json(days(&app, HALL, FOOD).await, StatusCode::OK).await;
    assert!(
        offered.to_string().contains("2026-10-10"),
        "the make-up Saturday is bookable: {offered}"
    );
    let list = slots(&app, HALL, FOOD, "2026-10-10").await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["start"], "2026-10-10T09:00:00Z"); // 17:00 local, after closing
    // The holiday itself has none of the working days' evenings.
    assert!(slots(&app, HALL, FOOD, "2026-10-02").await.is_empty());
}
