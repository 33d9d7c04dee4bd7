//! Issue 12, findings 2 and 3: staff act and read only at their own center. The demo has the
//! district hall (center 1: clerk01, clerk02, chief01, chief02) and the town center (center 2:
//! clerk03); the supervisor reads everywhere and the administrator acts everywhere.

use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_error, expect_json, first_event, spawn_app};
use serde_json::{Value, json};

const HALL: i64 = 1;
const TOWN: i64 = 2;
const CLERK03: i64 = 3;
const CLERK01: i64 = 1;
const FOOD: &str = "640106-XK-0001";
/// 《就业创业证》申领, an item of 人社 (unit 2).
const SOCIAL_ITEM: &str = "640106-GG-0001";
/// The town's 高龄津贴申领, a promised item of a unit without a chief representative.
const TOWN_ALLOWANCE: &str = "640106-JF-0003";
const DAY: &str = "2026-03-04"; // the test clock's Wednesday

/// The kiosk's ticket of `queue` at `center`, as an anonymous citizen takes it.
async fn take_ticket(app: &TestApp, center: i64, queue: i64) -> reqwest::Response {
    app.anonymous
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": center, "queue_id": queue}))
        .send()
        .await
        .unwrap()
}

async fn slots(staff: &Staff, center: i64) -> Vec<Value> {
    let path = format!("/api/v1/appointment-slots?center={center}&date={DAY}");
    expect_json(staff.get(&path).await, StatusCode::OK).await
}

async fn town_slot(app: &TestApp) -> i64 {
    let admin = app.login("admin").await;
    slots(&admin, TOWN).await[0]["slot"]["id"].as_i64().unwrap()
}

async fn hall_slot(app: &TestApp) -> i64 {
    let admin = app.login("admin").await;
    slots(&admin, HALL).await[0]["slot"]["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chief_cannot_close_another_centers_day() {
    let app = spawn_app().await;
    let chief = app.login("chief01").await;
    let before = app.audit_count().await;
    let refused = chief
        .post("/api/v1/queue/close-day", &json!({"center_id": TOWN}))
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::FORBIDDEN).await["code"],
        "not_your_center"
    );
    assert_eq!(app.count("queue_day").await, 0);
    assert_eq!(app.audit_count().await, before);
    // The town's kiosk still hands out tickets.
    let ticket = take_ticket(&app, TOWN, 3).await;
    assert_eq!(ticket.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_closed_by_mistake_is_reopened_by_the_centers_chief_and_audited() {
    let app = spawn_app().await;
    let chief = app.login("chief01").await;
    let closed = chief
        .post("/api/v1/queue/close-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(closed.status(), StatusCode::NO_CONTENT);
    let refused = take_ticket(&app, HALL, 1).await;
    assert!(
        refused.status().is_client_error(),
        "a closed day takes no tickets"
    );

    // Another center's chief cannot reopen it; the center's own can.
    let other = app.login("clerk03").await;
    let not_chief = other
        .post("/api/v1/queue/reopen-day", &json!({"center_id": HALL}))
        .await;
    expect_error(not_chief, StatusCode::FORBIDDEN).await;
    let before = app.audit_count().await;
    let reopened = chief
        .post("/api/v1/queue/reopen-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(reopened.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.audit_count().await, before + 1);
    assert_eq!(app.count("queue_day").await, 0);
    let taken = take_ticket(&app, HALL, 1).await;
    assert_eq!(taken.status(), StatusCode::CREATED);

    // Reopening an open day is a conflict and writes nothing.
    let again = chief
        .post("/api/v1/queue/reopen-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await["code"],
        "day_not_closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chief_cannot_set_the_duty_roster_of_another_centers_slot() {
    let app = spawn_app().await;
    let slot = town_slot(&app).await;
    let chief = app.login("chief01").await;
    let before = app.audit_count().await;
    let refused = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": [CLERK01]}),
        )
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::FORBIDDEN).await["code"],
        "not_your_center"
    );
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duty_roster_names_only_staff_of_the_slots_center() {
    let app = spawn_app().await;
    let slot = hall_slot(&app).await;
    let chief = app.login("chief01").await;
    let before = app.audit_count().await;
    let refused = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": [CLERK01, CLERK03]}),
        )
        .await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "staff_not_at_center");
    assert_eq!(err["field"], "staff_ids");
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duty_roster_naming_someone_twice_is_refused_not_a_server_error() {
    let app = spawn_app().await;
    let slot = hall_slot(&app).await;
    let chief = app.login("chief01").await;
    let refused = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": [CLERK01, CLERK01]}),
        )
        .await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "duplicate_staff");
    assert_eq!(err["field"], "staff_ids");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_only_their_own_centers_bookings_and_only_its_clerks_see_codes() {
    let app = spawn_app().await;
    // A citizen books tonight's hall slot.
    let booked = app
        .anonymous
        .post(app.url("/api/v1/public/appointments"))
        .json(&json!({
            "slot_id": hall_slot(&app).await, "item_code": FOOD,
            "name": "张三", "phone": "13995012345", "id_number": null
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        booked.status(),
        StatusCode::CREATED,
        "{}",
        booked.text().await.unwrap()
    );

    let town_clerk = app.login("clerk03").await;
    let refused = town_clerk
        .get(&format!(
            "/api/v1/appointment-slots?center={HALL}&date={DAY}"
        ))
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::FORBIDDEN).await["code"],
        "not_your_center"
    );

    let bookings = |list: Vec<Value>| -> Vec<Value> {
        list.iter()
            .flat_map(|s| s["bookings"].as_array().cloned().unwrap_or_default())
            .collect()
    };
    let hall_clerk = app.login("clerk01").await;
    let own = bookings(slots(&hall_clerk, HALL).await);
    assert_eq!(own.len(), 1);
    assert!(
        own[0]["code"].is_string(),
        "the center's clerk marks arrivals by code"
    );
    for reader in ["chief01", "super01", "admin"] {
        let person = app.login(reader).await;
        let seen = bookings(slots(&person, HALL).await);
        assert_eq!(seen.len(), 1, "{reader}");
        assert!(seen[0]["code"].is_null(), "{reader} saw a booking code");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chief_sees_only_their_own_centers_extended_service_records() {
    let app = spawn_app().await;
    let chief = app.login("chief01").await;
    let refused = chief
        .get(&format!(
            "/api/v1/extended-services?center={TOWN}&date={DAY}"
        ))
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::FORBIDDEN).await["code"],
        "not_your_center"
    );
    let own = chief
        .get(&format!(
            "/api/v1/extended-services?center={HALL}&date={DAY}"
        ))
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    let supervisor = app.login("super01").await;
    let any = supervisor
        .get(&format!(
            "/api/v1/extended-services?center={TOWN}&date={DAY}"
        ))
        .await;
    assert_eq!(any.status(), StatusCode::OK);
}

/// A duty roster is the plan for a slot, not its record: once the slot has begun it is fixed, so
/// nobody can erase a missing check-in, or write in someone who was never asked, afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duty_roster_is_fixed_once_its_slot_has_begun() {
    let app = spawn_app().await;
    let slot = hall_slot(&app).await; // tonight 17:00–19:00
    let chief = app.login("chief01").await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-03-04T17:30:00+08:00")
            .unwrap()
            .into(),
    );
    let before = app.audit_count().await;
    let duties = app.count("slot_duty").await;
    for staff_ids in [json!([]), json!([CLERK01])] {
        let refused = chief
            .put(
                &format!("/api/v1/appointment-slots/{slot}/duty"),
                &json!({ "staff_ids": staff_ids }),
            )
            .await;
        assert_eq!(
            expect_error(refused, StatusCode::CONFLICT).await["code"],
            "slot_started"
        );
    }
    assert_eq!(app.count("slot_duty").await, duties);
    assert_eq!(app.audit_count().await, before);
}

/// A tester emptied the roster of a slot citizens had booked (200): they would come to a hall
/// with nobody on duty. A booked slot keeps one duty member at least; an unbooked one may be
/// emptied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booked_slot_keeps_someone_on_duty() {
    let app = spawn_app().await;
    let slot = hall_slot(&app).await; // tonight 17:00–19:00
    let chief = app.login("chief01").await;
    let booked = app
        .anonymous
        .post(app.url("/api/v1/public/appointments"))
        .json(
            &json!({"slot_id": slot, "item_code": "640106-XK-0001", "name": "张晓明",
            "phone": "13995012345", "id_number": null}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), StatusCode::CREATED);
    let (before, duties) = (app.audit_count().await, app.count("slot_duty").await);
    let emptied = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": []}),
        )
        .await;
    let refused = expect_error(emptied, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "duty_required");
    assert_eq!(refused["field"], "staff_ids");
    assert_eq!(
        (app.audit_count().await, app.count("slot_duty").await),
        (before, duties)
    );
}

/// A slot kept for one unit is that unit's to staff: another unit's chief at the same center
/// cannot set its roster, and nobody from another unit is put on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_units_own_slot_is_staffed_by_that_unit_and_its_chief() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/slot-rules",
                &json!({"center_id": HALL, "unit_id": 1, "name": "市场监管晚间", "weekdays": [3],
                    "start_time": "19:00:00", "end_time": "20:00:00", "capacity": 2}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let slot = slots(&admin, HALL)
        .await
        .iter()
        .find(|s| s["slot"]["start"] == "2026-03-04T11:00:00Z")
        .expect("the unit's evening slot")["slot"]["id"]
        .as_i64()
        .unwrap();
    let before = app.audit_count().await;
    let other_chief = app.login("chief02").await;
    let refused = other_chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": [CLERK01]}),
        )
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::FORBIDDEN).await["code"],
        "not_your_unit"
    );
    let clerk02 = app.login("clerk02").await.id();
    let chief = app.login("chief01").await;
    let refused = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({ "staff_ids": [CLERK01, clerk02] }),
        )
        .await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "staff_not_in_unit");
    assert_eq!(err["field"], "staff_ids");
    assert_eq!(app.audit_count().await, before);
    let set = chief
        .put(
            &format!("/api/v1/appointment-slots/{slot}/duty"),
            &json!({"staff_ids": [CLERK01]}),
        )
        .await;
    expect_json::<Value>(set, StatusCode::OK).await;
}

/// On a whole-center slot each chief answers for their own unit's people: 人社's chief had
/// replaced the roster with 市场监管's clerk, whose missed check-in was then charged to 市场监管.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chief_puts_on_or_takes_off_only_their_own_units_people_on_a_whole_center_slot() {
    let app = spawn_app().await;
    let slot = hall_slot(&app).await;
    let path = format!("/api/v1/appointment-slots/{slot}/duty");
    let chief02 = app.login("chief02").await;
    let clerk02 = app.login("clerk02").await.id();
    let chief01 = app.login("chief01").await.id();
    let before = app.audit_count().await;
    // Taking 市场监管's clerk off, or putting 市场监管's chief on: not 人社's to decide.
    for roster in [json!([clerk02]), json!([CLERK01, clerk02, chief01])] {
        let refused = chief02.put(&path, &json!({ "staff_ids": roster })).await;
        let err = expect_error(refused, StatusCode::FORBIDDEN).await;
        assert_eq!(err["code"], "staff_not_in_your_unit", "{roster}");
        assert_eq!(err["field"], "staff_ids");
    }
    assert_eq!(
        app.audit_count().await,
        before,
        "a refused roster writes nothing"
    );
    // Taking their own clerk off is theirs.
    let set = chief02.put(&path, &json!({ "staff_ids": [CLERK01] })).await;
    expect_json::<Value>(set, StatusCode::OK).await;
}

/// Live events: a clerk's tablet hears its own center's changes only. Another hall's cases and
/// queue are none of its business, and in a deployment of many halls every event heard is a
/// re-read by every open workbench.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_hears_nothing_of_another_centers_cases_or_queue() {
    let app = spawn_app().await;
    let town_clerk = app.login("clerk03").await;
    let hall_clerk = app.login("clerk01").await;
    let stream = town_clerk
        .get("/api/v1/events?topics=cases,queue,inquiries")
        .await;
    let body = json!({
        "item_code": FOOD,
        "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "phone": "13995012345", "channel": "counter"
    });
    expect_json::<Value>(
        hall_clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    // Nor of its inquiries (a town clerk heard the hall's inquiry activity).
    let inquiry =
        json!({"channel": "counter", "topic": "问食品经营许可", "applicant_name": "李女士"});
    expect_json::<Value>(
        hall_clerk.post("/api/v1/inquiries", &inquiry).await,
        StatusCode::CREATED,
    )
    .await;
    let take = |center: i64, queue: i64| take_ticket(&app, center, queue);
    assert_eq!(take(HALL, 1).await.status(), StatusCode::CREATED);
    assert_eq!(take(TOWN, 3).await.status(), StatusCode::CREATED);
    // The first event the town's clerk hears is the town's ticket.
    let first = first_event(stream, 5).await;
    assert_eq!(first["center_id"], TOWN, "{first}");
    assert_eq!(first["topic"], "queue", "{first}");
}

/// A case is its unit's business: the chief of 人社 heard the case numbers of 市场监管's cases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_units_staff_hear_only_their_own_units_cases() {
    let app = spawn_app().await;
    let social_chief = app.login("chief02").await;
    let market_clerk = app.login("clerk01").await;
    let social_clerk = app.login("clerk02").await;
    let stream = social_chief.get("/api/v1/events?topics=cases").await;
    let receive = |item: &str| {
        json!({
            "item_code": item,
            "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            "phone": "13995012345", "channel": "counter"
        })
    };
    expect_json::<Value>(
        market_clerk.post("/api/v1/cases", &receive(FOOD)).await,
        StatusCode::CREATED,
    )
    .await;
    let social: Value = expect_json(
        social_clerk
            .post("/api/v1/cases", &receive(SOCIAL_ITEM))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let first = first_event(stream, 5).await;
    assert_eq!(first["unit_id"], 2, "{first}");
    assert_eq!(first["id"], social["summary"]["id"], "{first}");
}

/// An inquiry is its unit's business too: a 人社 clerk's workbench heard every 市场监管
/// inquiry's event (and re-read its inbox for each). It hears one referred to its unit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_units_clerks_hear_only_their_own_units_inquiries_and_referrals_to_it() {
    let app = spawn_app().await;
    let market_clerk = app.login("clerk01").await;
    let social_clerk = app.login("clerk02").await;
    let stream = social_clerk.get("/api/v1/events?topics=inquiries").await;
    let ask = |topic: &str| json!({"channel": "counter", "topic": topic});
    let own: Value = expect_json(
        market_clerk
            .post("/api/v1/inquiries", &ask("问食品经营许可"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let referred: Value = expect_json(
        market_clerk
            .post("/api/v1/inquiries", &ask("问社保转移"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let outcome = json!({"version": referred["version"], "outcome":
        {"kind": "internal_referral", "unit_id": 2, "window_id": 3, "note": "社保业务"}});
    let path = format!("/api/v1/inquiries/{}/outcome", referred["id"]);
    expect_json::<Value>(market_clerk.post(&path, &outcome).await, StatusCode::OK).await;
    let first = first_event(stream, 5).await;
    assert_eq!(
        first["unit_id"], 2,
        "{first}; the unit's own inquiry was {own}"
    );
    assert_eq!(first["topic"], "inquiries", "{first}");
}

/// "Cannot serve" waits for the unit's chief representative (Seed §二(四)三); the town's unit has
/// none, so the report would strand the citizen — nobody could assign the ticket, and the town's
/// day could never be closed. The window is told to keep serving and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_of_a_unit_without_a_chief_representative_cannot_hand_a_citizen_over() {
    let app = spawn_app().await;
    let clerk = app.login("clerk03").await;
    let issued = take_ticket(&app, TOWN, 3).await;
    assert_eq!(issued.status(), StatusCode::CREATED);
    let called: Value = expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": 6}))
            .await,
        StatusCode::OK,
    )
    .await;
    let refused = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]),
            &json!({"version": called["version"], "reason": "身体不适"}),
        )
        .await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "no_chief_representative");
    assert_eq!(app.count("reassignment").await, 0);
    let started = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/start", called["id"]),
            &json!({"version": called["version"]}),
        )
        .await;
    assert_eq!(
        started.status(),
        StatusCode::OK,
        "the ticket is still the window's"
    );
}

/// Only the unit's chief representative decides an extension or a one-time exception. The
/// town's unit has none: an examiner's requests were accepted and waited, undecidable, while the
/// case ran out of time. They are refused at once, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_only_a_chief_can_decide_is_refused_in_a_unit_without_one() {
    let app = spawn_app().await;
    let clerk = app.login("clerk03").await;
    let receive = || async {
        let body = json!({
            "item_code": TOWN_ALLOWANCE,
            "applicant": {"kind": "person", "name": "马丽", "id_number": "11010519491231002X"},
            "phone": "13995012345", "channel": "counter"
        });
        expect_json::<Value>(
            clerk.post("/api/v1/cases", &body).await,
            StatusCode::CREATED,
        )
        .await
    };
    let all = [
        "application_form",
        "id_card",
        "household_register",
        "bank_account",
    ];
    let accepted = clerk.review_all_ok(&receive().await, &all).await["case"].clone();
    let case = accepted["summary"]["id"].as_i64().unwrap();
    let before = (app.count("case_extension").await, app.audit_count().await);
    let body =
        json!({"version": accepted["summary"]["version"], "days": 5, "reason": "需实地核实"});
    let refused = clerk
        .post(&format!("/api/v1/cases/{case}/extensions"), &body)
        .await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "no_chief_representative");
    let after = (app.count("case_extension").await, app.audit_count().await);
    assert_eq!(after, before, "a refused request writes nothing");

    // A case waiting for corrections: adding a material to the notice needs the chief too.
    let case = receive().await;
    let mut verdicts: Vec<Value> = all[..3]
        .iter()
        .map(|k| json!({"key": k, "verdict": {"verdict": "ok"}}))
        .collect();
    verdicts.push(json!({"key": "bank_account", "verdict": {"verdict": "missing"}}));
    let path = format!("/api/v1/cases/{}/review", case["summary"]["id"]);
    let body = json!({"version": case["summary"]["version"], "verdicts": verdicts});
    expect_json::<Value>(clerk.post(&path, &body).await, StatusCode::OK).await;
    let path = format!(
        "/api/v1/cases/{}/one-time-exceptions",
        case["summary"]["id"]
    );
    let body = json!({"material_keys": ["application_form"], "reason": "漏看签字栏"});
    let err = expect_error(
        clerk.post(&path, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "no_chief_representative");
    assert_eq!(app.count("one_time_exception").await, 0);
}

/// A staff stream lasts as long as its session: after logout it delivered the hall's events
/// for as long as it stayed open (a keep-alive every 15 s kept it so). Now the next event ends
/// it, unheard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_stream_ends_when_its_session_is_logged_out() {
    use futures::StreamExt;
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let stream = clerk.get("/api/v1/events?topics=queue").await;
    assert_eq!(stream.status(), StatusCode::OK);
    let out = clerk.post("/api/v1/auth/logout", &json!({})).await;
    assert!(out.status().is_success());
    let ticket = take_ticket(&app, HALL, 1).await;
    assert_eq!(ticket.status(), StatusCode::CREATED);
    let mut body = stream.bytes_stream();
    let mut heard = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while let Some(chunk) = tokio::time::timeout_at(deadline, body.next())
        .await
        .expect("the stream of a logged-out session stayed open")
    {
        heard.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    assert!(!heard.contains("data:"), "heard after logout: {heard}");
}
