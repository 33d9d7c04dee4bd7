//! 好差评 reaches the citizen (issue #13): the rating code of a served ticket, a delivered case or
//! a kept appointment comes with the absolute address of its rating page and that address as a QR
//! code, on the configured public origin, and names the service it rates (the ticket number, the
//! case number, the booking code and time) as the rating page does; only the serving unit's staff
//! (and supervisors) get it, and only once the service is done.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scenario_tests::{AppOptions, Staff, TestApp, expect_error, expect_json, spawn_app_with};
use serde_json::{Value, json};

const HALL: i64 = 1;
const QUEUE_A: i64 = 1;
const WINDOW_A01: i64 = 1;
/// 个体工商户变更登记: an immediate item of the demo's 区市场监督管理局, approved in the review.
const SOLE_TRADER: &str = "640106-XK-0003";
const SOLE_TRADER_MATERIALS: [&str; 3] = ["application_form", "id_card", "business_license"];
/// 食品经营许可, bookable in the hall's evening slots.
const FOOD: &str = "640106-XK-0001";

async fn ask(staff: &Staff, subject: &str, id: &Value) -> reqwest::Response {
    staff
        .post(
            "/api/v1/supervision/rating-codes",
            &json!({"subject": subject, "subject_id": id}),
        )
        .await
}

async fn ticket_step(clerk: &Staff, t: &Value, action: &str) -> Value {
    expect_json(
        clerk
            .post(
                &format!("/api/v1/queue-tickets/{}/{action}", t["id"]),
                &json!({"version": t["version"]}),
            )
            .await,
        StatusCode::OK,
    )
    .await
}

/// A ticket taken at the kiosk and called to window A01 by `clerk`.
async fn called_ticket(app: &TestApp, clerk: &Staff) -> Value {
    let _: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/queue-tickets"))
            .json(&json!({"center_id": HALL, "queue_id": QUEUE_A}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
            .await,
        StatusCode::OK,
    )
    .await
}

fn public_origin() -> AppOptions {
    AppOptions {
        public_origin: Some("https://hall.example.gov.cn".into()),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_tickets_code_carries_a_qr_code_of_its_rating_page_on_the_public_origin() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let other_unit = app.login("clerk02").await;
    let supervisor = app.login("super01").await;
    let called = called_ticket(&app, &clerk).await;
    // Called but not served: no code yet.
    let early = ask(&clerk, "ticket", &called["id"]).await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "not_served_yet"
    );
    // Another unit learns nothing of it, not even that it is unfinished (a tester's town clerk
    // read the hall's tickets' progress from "not_served_yet").
    let peek = ask(&other_unit, "ticket", &called["id"]).await;
    assert_eq!(
        expect_error(peek, StatusCode::FORBIDDEN).await["code"],
        "not_your_unit"
    );
    let started = ticket_step(&clerk, &called, "start").await;
    let done = ticket_step(&clerk, &started, "finish").await;
    assert_eq!(done["status"], "done");
    // Staff of another unit may not print this unit's code.
    let before = app.count("rating_code").await;
    let foreign = ask(&other_unit, "ticket", &done["id"]).await;
    assert_eq!(
        expect_error(foreign, StatusCode::FORBIDDEN).await["code"],
        "not_your_unit"
    );
    assert_eq!(app.count("rating_code").await, before);

    let view: Value = expect_json(ask(&clerk, "ticket", &done["id"]).await, StatusCode::OK).await;
    let code = view["code"].as_str().unwrap();
    assert_eq!(view["subject"], "ticket");
    assert_eq!(view["subject_id"], done["id"]);
    assert_eq!(view["page"], format!("/rate/{code}"));
    let url = view["url"].as_str().unwrap();
    assert_eq!(url, format!("https://hall.example.gov.cn/rate/{code}"));
    // The QR code is the page's absolute address, drawn as an inline SVG.
    let svg = view["qr_svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
    assert_eq!(Some(svg.to_string()), server::qr::svg(url));
    assert_ne!(
        Some(svg.to_string()),
        server::qr::svg(&format!("/rate/{code}"))
    );
    // A supervisor gets the same code and the same picture.
    let again: Value = expect_json(
        ask(&supervisor, "ticket", &done["id"]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again, view);
    // The address the QR code holds opens the rating page of that ticket.
    let form: Value = expect_json(
        app.get(&format!("/api/v1/public/ratings/{code}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(form["subject"], "ticket");
    assert_eq!(form["already_rated"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tickets_code_names_the_ticket_number_and_day_as_its_rating_page_does() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let called = called_ticket(&app, &clerk).await;
    let started = ticket_step(&clerk, &called, "start").await;
    let done = ticket_step(&clerk, &started, "finish").await;
    let number = done["number"].as_str().unwrap();
    let view: Value = expect_json(ask(&clerk, "ticket", &done["id"]).await, StatusCode::OK).await;
    assert_eq!(view["subject_label"], "取号办理");
    assert_eq!(
        view["reference"],
        format!("{number}号 · 2026年3月4日（周三）")
    );
    // The citizen who opens the code reads the same words.
    let form: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/ratings/{}",
            view["code"].as_str().unwrap()
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(form["subject_label"], view["subject_label"]);
    assert_eq!(form["reference"], view["reference"]);
}

/// 好差评 comes from the citizen served: a request signed in as staff cannot rate (a clerk rated
/// their own service 非常满意 with the code they had just asked for, and could as well have given
/// a colleague a 差评), and the code stays unused for the citizen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_staff_member_cannot_rate_a_service_and_the_code_stays_the_citizens() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let called = called_ticket(&app, &clerk).await;
    let started = ticket_step(&clerk, &called, "start").await;
    let done = ticket_step(&clerk, &started, "finish").await;
    let view: Value = expect_json(ask(&clerk, "ticket", &done["id"]).await, StatusCode::OK).await;
    let path = format!("/api/v1/public/ratings/{}", view["code"].as_str().unwrap());
    let body = json!({"level": "very_satisfied", "comment": "非常好"});
    let before = (app.count("rating").await, app.audit_count().await);
    for staff in [&clerk, &app.login("chief01").await] {
        let refused = staff.post(&path, &body).await;
        let err = expect_error(refused, StatusCode::FORBIDDEN).await;
        assert_eq!(err["code"], "staff_cannot_rate");
    }
    assert_eq!((app.count("rating").await, app.audit_count().await), before);
    let rated = app
        .anonymous
        .post(app.url(&path))
        .json(&json!({"level": "satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rated.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_origin_the_code_points_at_the_address_the_clerk_used() {
    let app = spawn_app_with(AppOptions::default()).await;
    let clerk = app.login("clerk01").await;
    let called = called_ticket(&app, &clerk).await;
    let started = ticket_step(&clerk, &called, "start").await;
    let done = ticket_step(&clerk, &started, "finish").await;
    let view: Value = expect_json(ask(&clerk, "ticket", &done["id"]).await, StatusCode::OK).await;
    let code = view["code"].as_str().unwrap();
    assert_eq!(
        view["url"],
        format!("{}/rate/{code}", app.address.trim_end_matches('/'))
    );
}

/// A case of 李建华 (phone 13800138000) received by `clerk` and approved on the spot.
async fn approved_case(clerk: &Staff) -> Value {
    let body = json!({
        "item_code": SOLE_TRADER,
        "applicant": {"kind": "person", "name": "李建华", "id_number": "11010519491231002X"},
        "phone": "13800138000",
        "channel": "counter"
    });
    let received: Value = expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    clerk.review_all_ok(&received, &SOLE_TRADER_MATERIALS).await["case"].clone()
}

/// A case of 李建华 approved and delivered, and the rating code its clerk then asks for.
async fn delivered_case_code(clerk: &Staff) -> (Value, Value) {
    let approved = approved_case(clerk).await;
    let id = approved["summary"]["id"].clone();
    let delivery = json!({"version": approved["summary"]["version"], "method": "当场领取"});
    let delivered = clerk
        .post(&format!("/api/v1/cases/{id}/delivery"), &delivery)
        .await;
    let _: Value = expect_json(delivered, StatusCode::OK).await;
    let view: Value = expect_json(ask(clerk, "case", &id).await, StatusCode::OK).await;
    (approved, view)
}

/// Rates with `code` as a citizen does: anonymously.
async fn rate_anonymously(app: &TestApp, code: &str, body: Value) -> reqwest::Response {
    app.anonymous
        .post(app.url(&format!("/api/v1/public/ratings/{code}")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cases_code_is_given_once_it_is_delivered_and_stays_the_same() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let other_unit = app.login("clerk02").await;
    let approved = approved_case(&clerk).await;
    assert_eq!(approved["summary"]["state"], "approved");
    let id = approved["summary"]["id"].clone();
    // Decided but not yet delivered: refused, and nothing is written.
    let before = app.audit_count().await;
    let early = ask(&clerk, "case", &id).await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "not_served_yet"
    );
    assert_eq!(app.audit_count().await, before);

    let delivered: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/cases/{id}/delivery"),
                &json!({"version": approved["summary"]["version"], "method": "当场领取"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(delivered["summary"]["state"], "delivered");
    let foreign = ask(&other_unit, "case", &id).await;
    expect_error(foreign, StatusCode::FORBIDDEN).await;
    let view: Value = expect_json(ask(&clerk, "case", &id).await, StatusCode::OK).await;
    let code = view["code"].as_str().unwrap();
    assert_eq!(
        view["url"],
        format!("https://hall.example.gov.cn/rate/{code}")
    );
    let again: Value = expect_json(ask(&clerk, "case", &id).await, StatusCode::OK).await;
    assert_eq!(again["code"], code);
    assert_eq!(again["qr_svg"], view["qr_svg"]);
    // The printed code names the case by its number.
    assert_eq!(view["subject_label"], "办件");
    assert_eq!(view["reference"], approved["summary"]["number"]);
}

/// A rating code is printed on a slip the citizen may drop or a photo may show: rating with it
/// anonymously must not hand out the applicant's name and phone (the unit reads them, for its
/// call-back, in its own list).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rating_code_from_a_dropped_slip_gives_out_no_name_or_phone() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let (_, view) = delivered_case_code(&clerk).await;
    let code = view["code"].as_str().unwrap();
    let rated = rate_anonymously(&app, code, json!({"level": "satisfied"})).await;
    let rated: Value = expect_json(rated, StatusCode::CREATED).await;
    assert_eq!(rated["level"], "satisfied");
    assert!(rated["contact_name"].is_null(), "{rated}");
    assert!(rated["contact_phone"].is_null(), "{rated}");
    let text = rated.to_string();
    assert!(
        !text.contains("李建华") && !text.contains("13800138000"),
        "{text}"
    );
}

/// 差评回访: the chief calls back whoever rated a service badly. The list named the rating's level,
/// kind and time only (no case number, no name, no phone), and the rectification item "差评：办件：
/// 非常不满意" said no more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_rating_names_the_case_and_whom_the_chief_calls_back() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let (approved, view) = delivered_case_code(&clerk).await;
    let id = approved["summary"]["id"].clone();
    let code = view["code"].as_str().unwrap();
    let body = json!({"level": "very_dissatisfied", "comment": "等了很久"});
    let rated = rate_anonymously(&app, code, body).await;
    let _: Value = expect_json(rated, StatusCode::CREATED).await;
    // 一次一评: the code, asked for again, says it was used (the case page still offered it).
    assert!(view["rated_at"].is_null());
    let used: Value = expect_json(ask(&clerk, "case", &id).await, StatusCode::OK).await;
    assert!(used["rated_at"].is_string(), "{used}");

    let bad: Value = expect_json(
        chief.get("/api/v1/supervision/ratings?bad=true").await,
        StatusCode::OK,
    )
    .await;
    let number = approved["summary"]["number"].as_str().unwrap();
    let rating = bad
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject_id"] == id)
        .unwrap();
    assert_eq!(rating["reference"], number);
    assert_eq!(rating["contact_name"], "李建华");
    assert_eq!(rating["contact_phone"], "13800138000");
    let problems: Value = expect_json(
        chief.get("/api/v1/supervision/problems").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        problems
            .to_string()
            .contains(&format!("办件 {number}：非常不满意")),
        "the rectification item names the case: {problems}"
    );
}

/// A booking of the hall's first evening slot on 2026-03-04, as the citizen made it: the slot,
/// the booking code and the booking's id in the duty clerk's list (which the code is asked for).
async fn booked_tonight(app: &TestApp, clerk: &Staff) -> (Value, String, Value) {
    let list: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date=2026-03-04"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let slot = list["slots"][0].clone();
    let booked: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(
                &json!({"slot_id": slot["id"], "item_code": FOOD, "name": "张晓明",
                "phone": "13995012345", "id_number": null}),
            )
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap();
    // The duty clerk's list names the booking's id, which the code is asked for.
    let duty: Value = expect_json(
        clerk
            .get(&format!(
                "/api/v1/appointment-slots?center={HALL}&date=2026-03-04"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let row = duty
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["bookings"].as_array().unwrap())
        .find(|b| b["code"] == code)
        .unwrap()
        .clone();
    (slot, code.to_string(), row["id"].clone())
}

/// The citizen arrives five minutes into the booked slot; the duty clerk's arrival answers the
/// ticket issued for the visit.
async fn arrive_in_slot(app: &TestApp, clerk: &Staff, slot: &Value, code: &str) -> Value {
    app.clock
        .set(at(slot["start"].as_str().unwrap()) + chrono::TimeDelta::minutes(5));
    expect_json(
        clerk
            .post(&format!("/api/v1/appointments/{code}/arrive"), &json!(null))
            .await,
        StatusCode::OK,
    )
    .await
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_bookings_code_names_its_booking_code_and_time_once_the_citizen_arrived() {
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let other_unit = app.login("clerk02").await;
    let (slot, code, booking) = booked_tonight(&app, &clerk).await;
    let code = code.as_str();
    // Booked but not kept yet: no code, and nothing is written.
    let before = app.count("rating_code").await;
    let early = ask(&clerk, "appointment", &booking).await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "not_served_yet"
    );
    assert_eq!(app.count("rating_code").await, before);

    let start = at(slot["start"].as_str().unwrap());
    let end = at(slot["end"].as_str().unwrap());
    arrive_in_slot(&app, &clerk, &slot, code).await;
    let foreign = ask(&other_unit, "appointment", &booking).await;
    expect_error(foreign, StatusCode::FORBIDDEN).await;
    let view: Value = expect_json(ask(&clerk, "appointment", &booking).await, StatusCode::OK).await;
    assert_eq!(view["subject"], "appointment");
    assert_eq!(view["subject_id"], booking);
    assert_eq!(view["subject_label"], "预约");
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .format("%H:%M")
            .to_string()
    };
    assert_eq!(
        view["reference"],
        format!(
            "{}-{} · 2026年3月4日（周三） {}–{}",
            &code[..4],
            &code[4..],
            local(start),
            local(end)
        )
    );
    // Its page rates that booking, in the same words.
    let rating_code = view["code"].as_str().unwrap();
    assert_eq!(
        view["url"],
        format!("https://hall.example.gov.cn/rate/{rating_code}")
    );
    let form: Value = expect_json(
        app.get(&format!("/api/v1/public/ratings/{rating_code}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(form["subject"], "appointment");
    assert_eq!(form["reference"], view["reference"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_booking_and_the_ticket_it_was_served_on_share_one_code_rated_as_the_window_served()
{
    let app = spawn_app_with(public_origin()).await;
    let clerk = app.login("clerk01").await;
    let (slot, code, booking) = booked_tonight(&app, &clerk).await;
    let ticket = arrive_in_slot(&app, &clerk, &slot, &code).await;
    // The duty desk prints the visit's slip on arrival, before a window has served it.
    let before = app.count("rating_code").await;
    let at_desk: Value =
        expect_json(ask(&clerk, "appointment", &booking).await, StatusCode::OK).await;
    // Called and served at window A01: the window's slip is the same code, naming the booking.
    let called: Value = expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(called["id"], ticket["id"]);
    let early = ask(&clerk, "ticket", &called["id"]).await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "not_served_yet"
    );
    let started = ticket_step(&clerk, &called, "start").await;
    let done = ticket_step(&clerk, &started, "finish").await;
    let at_window: Value =
        expect_json(ask(&clerk, "ticket", &done["id"]).await, StatusCode::OK).await;
    assert_eq!(at_window["code"], at_desk["code"]);
    assert_eq!(at_window["subject"], "appointment");
    assert_eq!(at_window["reference"], at_desk["reference"]);
    assert_eq!(app.count("rating_code").await, before + 1);

    // Rated once, the visit is put down to the window and the clerk who served it.
    let rating_code = at_desk["code"].as_str().unwrap();
    let rate = || {
        app.anonymous
            .post(app.url(&format!("/api/v1/public/ratings/{rating_code}")))
            .json(&json!({"level": "satisfied"}))
            .send()
    };
    let rated: Value = expect_json(rate().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(rated["subject"], "appointment");
    assert_eq!(rated["staff_id"], clerk.me["staff"]["id"]);
    let again = rate().await.unwrap();
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await["code"],
        "already_rated"
    );
}
