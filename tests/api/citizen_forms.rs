//! The citizen's plain forms (no JavaScript): booking, cancelling and moving an appointment, and
//! taking a ticket at the kiosk. Each answers 303 to the page that shows the outcome; a refusal
//! goes back to the form with its code and changes nothing.

use chrono::{DateTime, Utc};
use reqwest::{Response, StatusCode};
use scenario_tests::{TestApp, expect_json, spawn_app};
use serde_json::Value;

const FOOD: &str = "640106-XK-0001";
const PHONE: &str = "13995012345";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

async fn form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    app.anonymous
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn location(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{response:?}");
    response.headers()["location"].to_str().unwrap().to_string()
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

/// Tonight's first slot at the hall (Wednesday 2026-03-04, 17:00–19:00).
async fn tonight(app: &TestApp) -> String {
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center=1&item={FOOD}&date=2026-03-04"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    body["slots"][0]["id"].as_i64().unwrap().to_string()
}

async fn submit(app: &TestApp, slot: &str, phone: &str) -> Response {
    form(
        app,
        "/booking/submit",
        &[
            ("center", "1"),
            ("item", FOOD),
            ("date", "2026-03-04"),
            ("slot", slot),
            ("name", "张晓明"),
            ("phone", phone),
            ("id_number", ""),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_books_sees_the_materials_and_cancels_with_plain_forms() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let to = location(&submit(&app, &slot, PHONE).await);
    assert!(to.starts_with("/booking/view?code="), "{to}");
    assert_eq!(
        param(&to, "phone"),
        None,
        "a phone number never goes into an address"
    );
    assert_eq!(param(&to, "done").as_deref(), Some("booked"));
    let code = param(&to, "code").unwrap();

    let page = app.get(&to).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("{}-{}", &code[..4], &code[4..])),
        "the code, readable"
    );
    assert!(html.contains("预约成功"));
    assert!(
        html.contains("法定代表人（负责人）居民身份证"),
        "the materials to bring"
    );

    // The browser that booked holds the booking: the cancel form carries the code alone.
    let to = location(&form(&app, "/booking/cancel", &[("code", &code.to_lowercase())]).await);
    assert_eq!(param(&to, "done").as_deref(), Some("cancelled"));
    assert_eq!(param(&to, "phone"), None);
    let after: Value = expect_json(
        app.get(&format!("/api/v1/public/appointments/{code}?phone={PHONE}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["status"], "cancelled");
}

/// On a slow phone network a double tap sent the booking form twice: the first post booked the
/// seat, its answer was dropped by the browser, and the second answered "already booked" — the
/// citizen never saw the code of a seat held in their name. The same form sent again within two
/// minutes shows the booking it made; another person's form for the same phone is still refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_booking_form_sent_twice_shows_the_booking_the_first_post_made() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let first = location(&submit(&app, &slot, PHONE).await);
    let again = location(&submit(&app, &slot, PHONE).await);
    assert!(again.starts_with("/booking/view?code="), "{again}");
    assert_eq!(param(&again, "code"), param(&first, "code"));
    assert_eq!(param(&again, "done").as_deref(), Some("booked"));
    assert_eq!(app.count("appointment").await, 1);
    let other_name = location(
        &form(
            &app,
            "/booking/submit",
            &[
                ("center", "1"),
                ("item", FOOD),
                ("date", "2026-03-04"),
                ("slot", &slot),
                ("name", "李四"),
                ("phone", PHONE),
                ("id_number", ""),
            ],
        )
        .await,
    );
    assert_eq!(
        param(&other_name, "error").as_deref(),
        Some("duplicate_booking")
    );
    // Later than two minutes it is a new attempt, and refused as one.
    app.clock.advance(chrono::Duration::minutes(3));
    let later = location(&submit(&app, &slot, PHONE).await);
    assert_eq!(param(&later, "error").as_deref(), Some("duplicate_booking"));
    assert_eq!(app.count("appointment").await, 1);
}

/// A second seat for the same ID number under another phone was refused at the phone field
/// ("这个手机号码…已有预约") though the phone was new: the page said the wrong field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_already_held_by_the_id_number_is_said_at_the_id_number() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let with_id = |phone: &'static str| {
        let slot = slot.clone();
        let app = &app;
        async move {
            form(
                app,
                "/booking/submit",
                &[
                    ("center", "1"),
                    ("item", FOOD),
                    ("date", "2026-03-04"),
                    ("slot", &slot),
                    ("name", "张晓明"),
                    ("phone", phone),
                    ("id_number", "11010519491231002X"),
                ],
            )
            .await
        }
    };
    location(&with_id("13566667778").await);
    let to = location(&with_id("13566667779").await);
    assert_eq!(param(&to, "error").as_deref(), Some("duplicate_id_booking"));
    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains("这个身份证号码在同一时间已有预约"), "{page}");
    assert!(
        page.contains(r#"id="booking-id-error""#),
        "said at the ID number"
    );
    assert!(
        !page.contains(r#"id="booking-phone-error""#),
        "not at the phone"
    );
}

/// A booking whose time had begun still said 已预约 with 改约 and 取消预约, and both always failed
/// with 「没有办成，请稍后再试」. Once the slot begins the page says so and offers neither; a
/// refusal for that reason is worded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_whose_time_has_begun_offers_no_move_or_cancel_and_says_why() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let to = location(&submit(&app, &slot, PHONE).await);
    let code = param(&to, "code").unwrap();
    let page = app.get(&to).await.text().await.unwrap();
    assert!(
        page.contains("/booking/reschedule?code="),
        "moves offered before"
    );
    app.clock.set(at("2026-03-04T09:30:00Z")); // 17:30: the 17:00 slot has begun
    let page = app.get(&to).await.text().await.unwrap();
    assert!(
        page.contains("预约时段已经开始，不能再改约或取消"),
        "{page}"
    );
    assert!(
        !page.contains("/booking/reschedule?code="),
        "no move offered"
    );
    assert!(!page.contains("confirm=cancel"), "no cancel offered");
    let refused = location(&form(&app, "/booking/cancel", &[("code", &code)]).await);
    assert_eq!(param(&refused, "error").as_deref(), Some("slot_started"));
    let page = app.get(&refused).await.text().await.unwrap();
    assert!(page.contains("请直接到场"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_booking_returns_to_the_form_with_its_code_and_books_nothing() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let to = location(&submit(&app, &slot, "12345").await);
    assert!(to.starts_with("/booking?"), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_phone"));
    assert_eq!(
        param(&to, "slot").as_deref(),
        Some(slot.as_str()),
        "same time, fix the phone"
    );
    assert_eq!(
        param(&to, "id_number"),
        None,
        "an ID number never goes into a URL"
    );
    assert_eq!(param(&to, "phone"), None, "nor a phone number");
    assert_eq!(param(&to, "name"), None, "nor a name");
    assert_eq!(app.count("appointment").await, 0);
    // The form comes back with what was typed, to correct it.
    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains(r#"value="12345""#), "the typed phone is kept");
    assert!(page.contains(r#"value="张晓明""#), "the typed name is kept");

    // A time that can no longer be booked sends the citizen back to choose another.
    app.clock.set(at("2026-03-04T08:00:00Z")); // 16:00, an hour before the slot
    let to = location(&submit(&app, &slot, PHONE).await);
    assert_eq!(param(&to, "error").as_deref(), Some("booking_closed"));
    assert_eq!(param(&to, "slot"), None);
    assert_eq!(app.count("appointment").await, 0);

    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains("已停止预约"), "the page words the refusal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_is_moved_with_the_time_buttons_and_a_wrong_phone_moves_nothing() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let code = param(&location(&submit(&app, &slot, PHONE).await), "code").unwrap();
    let body: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointment-slots?center=1&item={FOOD}&date=2026-03-05"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    let tomorrow = body["slots"][0]["id"].as_i64().unwrap().to_string();

    let wrong = location(
        &form(
            &app,
            "/booking/reschedule",
            &[
                ("code", &code),
                ("phone", "13900000000"),
                ("slot", &tomorrow),
            ],
        )
        .await,
    );
    assert!(wrong.starts_with("/booking/reschedule?"), "{wrong}");
    assert!(param(&wrong, "error").is_some());

    // The browser that booked moves it by the code alone.
    let moved = location(
        &form(
            &app,
            "/booking/reschedule",
            &[("code", &code), ("slot", &tomorrow)],
        )
        .await,
    );
    assert_eq!(param(&moved, "done").as_deref(), Some("rescheduled"));
    assert_eq!(param(&moved, "phone"), None);
    let after: Value = expect_json(
        app.get(&format!("/api/v1/public/appointments/{code}?phone={PHONE}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["slot"]["id"].as_i64().unwrap().to_string(), tomorrow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_is_looked_up_with_a_post_and_no_address_ever_carries_the_phone() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    // Booked through the JSON API: this browser holds nothing yet.
    let booked: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(&serde_json::json!({
                "slot_id": slot.parse::<i64>().unwrap(), "item_code": FOOD,
                "name": "张晓明", "phone": PHONE,
            }))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap().to_string();
    let page = app.get(&format!("/booking/view?code={code}")).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("预约时填写的手机号码"),
        "the page asks for the phone"
    );
    assert!(!html.contains("没有找到"), "asking is not an error");

    let wrong = location(
        &form(
            &app,
            "/booking/lookup",
            &[("code", &code), ("phone", "13900000000")],
        )
        .await,
    );
    assert_eq!(
        param(&wrong, "error").as_deref(),
        Some("appointment_not_found")
    );
    assert_eq!(param(&wrong, "phone"), None);

    let written = "+86 139-9501-2345";
    let to = location(
        &form(
            &app,
            "/booking/lookup",
            &[("code", &code), ("phone", written)],
        )
        .await,
    );
    assert_eq!(to, format!("/booking/view?code={code}"));
    let html = app.get(&to).await.text().await.unwrap();
    assert!(html.contains("预约凭证"), "the booking, by its code alone");
    let to = location(
        &form(
            &app,
            "/booking/lookup",
            &[("code", &code), ("phone", PHONE), ("to", "reschedule")],
        )
        .await,
    );
    assert_eq!(to, format!("/booking/reschedule?code={code}"));
}

/// A shared phone or a hall's PC: a booking looked up there is held for half an hour. Someone
/// else typing its code with a wrong phone was told "没有找到" above the whole booking, with its
/// 改约 and 取消 buttons, and the form gone. A wrong phone ends what this browser held for the
/// code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_phone_for_a_booking_this_browser_held_shows_the_refusal_not_the_booking() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let booked = location(&submit(&app, &slot, PHONE).await);
    let code = param(&booked, "code").unwrap();
    let held = app.get(&format!("/booking/view?code={code}")).await;
    assert!(
        held.text().await.unwrap().contains("预约凭证"),
        "held after booking"
    );

    let fields = [("code", code.as_str()), ("phone", "13900000000")];
    let wrong = location(&form(&app, "/booking/lookup", &fields).await);
    let html = app.get(&wrong).await.text().await.unwrap();
    assert!(html.contains("没有找到这个预约"), "the refusal");
    assert!(!html.contains("预约凭证"), "not the booking held before");
    assert!(!html.contains("取消预约"), "nothing to cancel");
    assert!(
        html.contains("预约时填写的手机号码"),
        "the form, to try again"
    );
    let again = app.get(&format!("/booking/view?code={code}")).await;
    let html = again.text().await.unwrap();
    assert!(
        !html.contains("预约凭证"),
        "the browser holds the booking no more"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_form_issues_a_ticket_and_refuses_after_the_cutoff() {
    let app = spawn_app().await; // 10:00, open
    let to = location(&form(&app, "/kiosk/ticket", &[("center", "1"), ("queue", "1")]).await);
    assert!(to.starts_with("/kiosk/ticket/"), "{to}");
    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains("A001"));

    app.clock.set(at("2026-03-04T09:30:00Z")); // 17:30, after close
    let to = location(&form(&app, "/kiosk/ticket", &[("center", "1"), ("queue", "1")]).await);
    assert_eq!(to, "/kiosk?center=1&error=after_cutoff");
    assert_eq!(app.count("queue_ticket").await, 1);
}

/// Issue 14 point 12: a kiosk opened with its own idle timeout keeps it on the ticket page and
/// after a refusal (only as a number).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_form_keeps_the_kiosks_idle_timeout_through_the_ticket() {
    let app = spawn_app().await; // 10:00, open
    let fields = [("center", "1"), ("queue", "1"), ("idle", "15")];
    let to = location(&form(&app, "/kiosk/ticket", &fields).await);
    assert!(
        to.starts_with("/kiosk/ticket/") && to.ends_with("?idle=15"),
        "{to}"
    );

    let odd = [("center", "1"), ("queue", "1"), ("idle", "<b>")];
    let to = location(&form(&app, "/kiosk/ticket", &odd).await);
    assert!(!to.contains("idle"), "{to}");

    app.clock.set(at("2026-03-04T09:30:00Z")); // 17:30, after close
    let to = location(&form(&app, "/kiosk/ticket", &fields).await);
    assert_eq!(to, "/kiosk?center=1&error=after_cutoff&idle=15");
}

/// A form whose fields cannot be read — an invisible character copied from a chat message into
/// the case number — answered a browser without JavaScript with a bare JSON page. It goes back to
/// the page it came from (the booking's progress kept), which says what is wrong in Chinese.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_with_an_unreadable_field_goes_back_to_its_page_with_the_reason() {
    let app = spawn_app().await;
    let sent = form(
        &app,
        "/track/lookup",
        &[("number", "2026-01-00001\u{200b}"), ("phone", PHONE)],
    )
    .await;
    assert_eq!(location(&sent), "/track?error=control_character");
    // From a page: back to that page, its own query kept and an older error replaced.
    let from_page = app
        .anonymous
        .post(app.url("/booking/lookup"))
        .header(
            "referer",
            app.url("/booking?center=1&item=X&error=slot_full"),
        )
        .form(&[("code", "JB98\u{202e}MUW2"), ("phone", PHONE)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&from_page),
        "/booking?center=1&item=X&error=control_character"
    );
    // A page address that would leave the site is not followed.
    let away = app
        .anonymous
        .post(app.url("/track/lookup"))
        .header("referer", app.url("//evil.example/track"))
        .form(&[("number", "x\u{200b}")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&away), "/track?error=control_character");
    let page = app.get("/track?error=control_character").await;
    let html = page.text().await.unwrap();
    assert!(html.contains("输入中含有无法识别的字符"), "{html}");
    // Another site's post is still refused outright, not sent anywhere.
    let cross = app
        .anonymous
        .post(app.url("/track/lookup"))
        .header("origin", "https://evil.example")
        .form(&[("number", "x\u{200b}")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
}

/// The booking form tells every refused field at once: a tester fixed the phone, sent again
/// and only then learned that the ID number was wrong too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_with_several_fields_wrong_comes_back_with_each_at_its_field() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let before = app.count("appointment").await;
    let sent = form(
        &app,
        "/booking/submit",
        &[
            ("center", "1"),
            ("item", FOOD),
            ("date", "2026-03-04"),
            ("slot", &slot),
            ("name", " "),
            ("phone", "1399501"),
            ("id_number", "640106199001011234"),
        ],
    )
    .await;
    let to = location(&sent);
    let codes = param(&to, "error").unwrap().replace("%2C", ",");
    assert_eq!(codes, "required,invalid_phone,invalid_resident_id", "{to}");
    assert_eq!(app.count("appointment").await, before);
    let page = app.get(&to).await.text().await.unwrap();
    for said in [
        "请填写姓名",
        "手机号码不正确",
        "身份证号码不正确",
        "提交未成功",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
}

/// A phone left empty is asked for, not called "incorrect" (手机号码不正确 on an empty field).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_without_a_phone_is_asked_for_one_not_told_it_is_wrong() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let sent = form(
        &app,
        "/booking/submit",
        &[
            ("center", "1"),
            ("item", FOOD),
            ("date", "2026-03-04"),
            ("slot", &slot),
            ("name", "张晓明"),
            ("phone", "  "),
        ],
    )
    .await;
    let to = location(&sent);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("phone_required"),
        "{to}"
    );
    let page = app.get(&to).await.text().await.unwrap();
    assert!(page.contains("请填写手机号码"), "{page}");
    assert!(!page.contains("手机号码不正确"), "{page}");
}

/// A name pasted from a chat with a zero-width space in it: the form came back empty (or with
/// an earlier attempt's values) and a message that named no field. It comes back with what was
/// typed, less the characters that do not show, and says so at the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_with_an_invisible_character_keeps_what_was_typed_and_says_so_at_the_field() {
    let app = spawn_app().await;
    let slot = tonight(&app).await;
    let before = app.count("appointment").await;
    let sent = form(
        &app,
        "/booking/submit",
        &[
            ("center", "1"),
            ("item", FOOD),
            ("date", "2026-03-04"),
            ("slot", &slot),
            ("name", "李\u{200b}四"),
            ("phone", "+86 139 9501 2345"),
            ("id_number", "11010519491231002X"),
        ],
    )
    .await;
    let cookie = sent
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .find(|c| c.starts_with("chuangkou_booking_typed="))
        .expect("the typed values come back");
    let to = location(&sent);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("name_unreadable"),
        "{to}"
    );
    assert_eq!(param(&to, "slot"), Some(slot.clone()), "{to}");
    assert_eq!(app.count("appointment").await, before, "nothing is booked");
    let page = app
        .anonymous
        .get(app.url(&to))
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("姓名中含有看不见的字符"), "{page}");
    assert!(
        page.contains("value=\"李四\""),
        "the name without the character: {page}"
    );
    assert!(
        page.contains("+86 139 9501 2345"),
        "the phone as typed: {page}"
    );
}
