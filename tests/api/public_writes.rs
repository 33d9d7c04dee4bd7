//! Issue 12, finding 7: anonymous writes are limited per address (300 kiosk tickets in 5 s from
//! one machine, 45 bookings from one address filled every seat), per phone, and the hall's own
//! registered kiosk is not limited.

use reqwest::StatusCode;
use scenario_tests::{AppOptions, TestApp, client_from, expect_error, expect_json, spawn_app_with};
use serde_json::{Value, json};

const HALL: i64 = 1;
const FOOD: &str = "640106-XK-0001";

async fn limited(per_hour: u32) -> TestApp {
    spawn_app_with(AppOptions {
        public_writes_per_hour: per_hour,
        ..AppOptions::default()
    })
    .await
}

/// The hall's kiosk, registered by the administrator: the answer, with its token.
async fn register_hall_kiosk(app: &TestApp) -> Value {
    let admin = app.login("admin").await;
    expect_json(
        admin
            .post(
                "/api/v1/kiosks",
                &json!({"center_id": HALL, "name": "一楼大厅取号机"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

async fn take(client: &reqwest::Client, app: &TestApp, token: Option<&str>) -> StatusCode {
    let mut request = client
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": HALL, "queue_id": 1}));
    if let Some(t) = token {
        request = request.header("X-Kiosk-Token", t);
    }
    request.send().await.unwrap().status()
}

/// A person needs a ticket or two: a phone takes a tenth of the address's public writes (at
/// least three an hour). A tester took 29 from one address in a minute, and every one left
/// unserved at close was charged to the unit as a problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_phone_cannot_take_more_tickets_than_its_hourly_limit() {
    let app = limited(50).await;
    let (phone, _) = client_from("127.0.0.2".parse().unwrap());
    for _ in 0..5 {
        assert_eq!(take(&phone, &app, None).await, StatusCode::CREATED);
    }
    let tickets = app.count("queue_ticket").await;
    let refused = phone
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": HALL, "queue_id": 1}))
        .send()
        .await
        .unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        expect_error(refused, StatusCode::TOO_MANY_REQUESTS).await["code"],
        "too_many_tickets"
    );
    assert_eq!(
        app.count("queue_ticket").await,
        tickets,
        "a refused ticket was issued"
    );
    // Another machine is not affected.
    let (other, _) = client_from("127.0.0.3".parse().unwrap());
    assert_eq!(take(&other, &app, None).await, StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_book_every_seat_of_a_slot() {
    let app = limited(3).await;
    let admin = app.login("admin").await;
    let slots: Vec<Value> = expect_json(
        admin
            .get("/api/v1/appointment-slots?center=1&date=2026-03-04")
            .await,
        StatusCode::OK,
    )
    .await;
    let slot = slots[0]["slot"]["id"].as_i64().unwrap();
    let (stranger, _) = client_from("127.0.0.4".parse().unwrap());
    let mut statuses = Vec::new();
    for n in 0..5 {
        let response = stranger
            .post(app.url("/api/v1/public/appointments"))
            .json(&json!({
                "slot_id": slot, "item_code": FOOD, "name": "张三",
                "phone": format!("1399501234{n}"), "id_number": null
            }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    assert_eq!(app.count("appointment").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_phone_holds_at_most_three_open_bookings() {
    let app = spawn_app_with(AppOptions::default()).await;
    let book = |date: &'static str| {
        let app = &app;
        async move {
            let list: Value = expect_json(
                app.anonymous
                    .get(app.url(&format!(
                        "/api/v1/public/appointment-slots?center={HALL}&item={FOOD}&date={date}"
                    )))
                    .send()
                    .await
                    .unwrap(),
                StatusCode::OK,
            )
            .await;
            let slot = list["slots"][0]["id"].as_i64().unwrap();
            app.anonymous
                .post(app.url("/api/v1/public/appointments"))
                .json(&json!({
                    "slot_id": slot, "item_code": FOOD, "name": "张三",
                    "phone": "13995012345", "id_number": null
                }))
                .send()
                .await
                .unwrap()
        }
    };
    for date in ["2026-03-04", "2026-03-05", "2026-03-06"] {
        let r = book(date).await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{date}: {}",
            r.text().await.unwrap()
        );
    }
    let fourth = expect_error(book("2026-03-09").await, StatusCode::CONFLICT).await;
    assert_eq!(fourth["code"], "too_many_bookings");
    assert_eq!(fourth["field"], "phone");
    assert_eq!(app.count("appointment").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_kiosk_is_not_limited_until_its_token_is_revoked() {
    let app = limited(2).await;
    let admin = app.login("admin").await;
    let registered = register_hall_kiosk(&app).await;
    let token = registered["token"].as_str().unwrap().to_string();
    assert!(token.len() >= 32);
    let (kiosk, _) = client_from("127.0.0.5".parse().unwrap());
    for _ in 0..6 {
        assert_eq!(take(&kiosk, &app, Some(&token)).await, StatusCode::CREATED);
    }
    // A wrong token is refused: a device that claims to be a kiosk and is not one is told so
    // (and issues nothing), whatever the address's own budget.
    let before = app.count("queue_ticket").await;
    assert_eq!(
        take(&kiosk, &app, Some("forged")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("queue_ticket").await, before);
    // The kiosk takes only its own center's tickets.
    let other = kiosk
        .post(app.url("/api/v1/public/queue-tickets"))
        .header("X-Kiosk-Token", &token)
        .json(&json!({"center_id": 2, "queue_id": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(other, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "kiosk_other_center"
    );
    // Nor does it book, unlimited, at another center (a tester's town kiosk token made 35
    // bookings at the hall from one address).
    let town: Value = expect_json(
        app.get("/api/v1/public/appointment-slots?center=2&item=640106-JF-0003&date=2026-03-04")
            .await,
        StatusCode::OK,
    )
    .await;
    let town_slot = town["slots"][0]["id"]
        .as_i64()
        .expect("a town evening slot");
    let booked = kiosk
        .post(app.url("/api/v1/public/appointments"))
        .header("X-Kiosk-Token", &token)
        .json(
            &json!({"slot_id": town_slot, "item_code": "640106-JF-0003", "name": "张晓明",
            "phone": "13995012345", "id_number": null}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(booked, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "kiosk_other_center"
    );
    // Revoked: the kiosk is told so and issues nothing more (it had gone on issuing tickets,
    // charged to its address as a passer-by's phone).
    let id = registered["kiosk"]["id"].as_i64().unwrap();
    let revoked = admin
        .post(&format!("/api/v1/kiosks/{id}/revoke"), &json!({}))
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let before = app.count("queue_ticket").await;
    assert_eq!(
        take(&kiosk, &app, Some(&token)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("queue_ticket").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_is_set_up_by_posting_its_token_from_its_own_browser() {
    let app = limited(1).await;
    let admin = app.login("admin").await;
    let registered: Value = expect_json(
        admin
            .post(
                "/api/v1/kiosks",
                &json!({"center_id": HALL, "name": "取号机"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = registered["token"].as_str().unwrap();
    let (kiosk, _) = client_from("127.0.0.6".parse().unwrap());
    let set_up = kiosk
        .post(app.url("/kiosk/register"))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(set_up.status(), StatusCode::SEE_OTHER);
    assert_eq!(set_up.headers()["location"], "/kiosk?center=1");
    let cookie = set_up.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    for _ in 0..3 {
        let issued = kiosk
            .post(app.url("/kiosk/ticket"))
            .form(&[("center", "1"), ("queue", "1")])
            .send()
            .await
            .unwrap();
        let to = issued.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/kiosk/ticket/"), "{to}");
    }
    let wrong = kiosk
        .post(app.url("/kiosk/register"))
        .form(&[("token", "not-a-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.headers()["location"], "/kiosk?error=unknown_kiosk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limited_kiosk_form_goes_back_to_the_kiosk_with_the_reason() {
    let app = limited(1).await;
    let (machine, _) = client_from("127.0.0.7".parse().unwrap());
    let post = || {
        machine
            .post(app.url("/kiosk/ticket"))
            .form(&[("center", "1"), ("queue", "1")])
            .send()
    };
    let first = post().await.unwrap();
    assert!(
        first.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/kiosk/ticket/")
    );
    let second = post().await.unwrap();
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        second.headers()["location"],
        "/kiosk?center=1&error=too_many_requests"
    );
}

/// A ticket taken with an `X-Forwarded-For` header (the "proxy" connects from `from`).
async fn take_forwarded(
    client: &reqwest::Client,
    app: &TestApp,
    forwarded_for: &str,
) -> StatusCode {
    client
        .post(app.url("/api/v1/public/queue-tickets"))
        .header("X-Forwarded-For", forwarded_for)
        .json(&json!({"center_id": HALL, "queue_id": 1}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    let app = limited(2).await;
    let (phone, _) = client_from("127.0.0.2".parse().unwrap());
    for n in 0..2 {
        let forged = format!("203.0.113.{n}");
        assert_eq!(
            take_forwarded(&phone, &app, &forged).await,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        take_forwarded(&phone, &app, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new X-Forwarded-For from an untrusted peer bought a new budget"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = spawn_app_with(AppOptions {
        public_writes_per_hour: 2,
        trusted_proxies: vec!["127.0.0.2".into()],
        ..AppOptions::default()
    })
    .await;
    let (proxy, _) = client_from("127.0.0.2".parse().unwrap());
    for _ in 0..2 {
        assert_eq!(
            take_forwarded(&proxy, &app, "203.0.113.7").await,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        take_forwarded(&proxy, &app, "203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // What the client wrote itself, left of what the proxy appended, is not believed.
    assert_eq!(
        take_forwarded(&proxy, &app, "198.51.100.1, 203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another citizen behind the same proxy still gets a ticket.
    assert_eq!(
        take_forwarded(&proxy, &app, "203.0.113.8").await,
        StatusCode::CREATED
    );
}

/// Pages rendered on the server call the API in-process. Behind a trusted proxy those calls
/// counted against the proxy's address, which every visitor shares: one visitor reloading a
/// tracking page twenty times a minute made everyone's tracking and booking pages say 查询过于频繁.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_rendered_lookups_behind_a_proxy_count_against_each_visitor() {
    let app = spawn_app_with(AppOptions {
        public_lookups_per_minute: Some(2),
        trusted_proxies: vec!["127.0.0.2".into()],
        ..AppOptions::default()
    })
    .await;
    let (proxy, _) = client_from("127.0.0.2".parse().unwrap());
    let page = |visitor: &'static str| {
        let request = proxy
            .get(app.url("/track?number=2026-01-00001"))
            .header("x-forwarded-for", visitor);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    for _ in 0..2 {
        assert!(!page("203.0.113.7").await.contains("查询过于频繁"));
    }
    assert!(
        page("203.0.113.7").await.contains("查询过于频繁"),
        "the visitor's third lookup in a minute is over its limit"
    );
    assert!(
        !page("203.0.113.8").await.contains("查询过于频繁"),
        "another visitor behind the same proxy spent nothing"
    );
}

/// Holding connections open: one client opening live event streams by the thousand used up the
/// server's file handles, and every user lost the service. An address holds a bounded number of
/// streams; past it, 429 with `Retry-After`, and other addresses still get theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_more_live_event_streams_than_its_seats() {
    let app = spawn_app_with(AppOptions {
        event_streams_per_address: Some(3),
        ..AppOptions::default()
    })
    .await;
    let (attacker, _) = client_from("127.0.0.2".parse().unwrap());
    let open = || attacker.get(app.url("/api/v1/events?topics=queue")).send();
    let mut held = Vec::new();
    for _ in 0..3 {
        let stream = open().await.unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        held.push(stream);
    }
    let refused = open().await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        expect_error(refused, StatusCode::TOO_MANY_REQUESTS).await["code"],
        "too_many_streams"
    );
    let (display, _) = client_from("127.0.0.3".parse().unwrap());
    let theirs = display
        .get(app.url("/api/v1/events?topics=queue"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        theirs.status(),
        StatusCode::OK,
        "another address still gets a stream"
    );
    drop(held);
}

/// A tester's hall kiosk, its address out of writes, went on cancelling and moving a town
/// center's bookings unlimited: the kiosk is spared the limit for its own center's bookings only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_cancels_and_moves_another_centers_bookings_only_within_its_addresss_limit() {
    let app = limited(2).await;
    let token = register_hall_kiosk(&app).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let book_at = |center: i64, item: &'static str, phone: &'static str| {
        let app = &app;
        async move {
            let list: Value = expect_json(
                app.get(&format!(
                    "/api/v1/public/appointment-slots?center={center}&item={item}&date=2026-03-04"
                ))
                .await,
                StatusCode::OK,
            )
            .await;
            let slot = list["slots"][0]["id"].as_i64().expect("an evening slot");
            let (citizen, _) = client_from("127.0.0.20".parse().unwrap());
            let booked: Value = expect_json(
                citizen
                    .post(app.url("/api/v1/public/appointments"))
                    .json(
                        &json!({"slot_id": slot, "item_code": item, "name": "张晓明",
                        "phone": phone, "id_number": null}),
                    )
                    .send()
                    .await
                    .unwrap(),
                StatusCode::CREATED,
            )
            .await;
            booked["code"].as_str().unwrap().to_string()
        }
    };
    let town = book_at(2, "640106-JF-0003", "13995012345").await;
    let hall = book_at(HALL, FOOD, "13995012346").await;
    let (kiosk, _) = client_from("127.0.0.21".parse().unwrap());
    for _ in 0..2 {
        assert_eq!(take(&kiosk, &app, None).await, StatusCode::CREATED);
    }
    assert_eq!(
        take(&kiosk, &app, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let cancel = |code: String, phone: &'static str| {
        let (app, kiosk, token) = (&app, &kiosk, &token);
        async move {
            kiosk
                .delete(app.url(&format!("/api/v1/public/appointments/{code}?phone={phone}")))
                .header("X-Kiosk-Token", token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let moved = kiosk
        .post(app.url(&format!("/api/v1/public/appointments/{town}/reschedule")))
        .header("X-Kiosk-Token", &token)
        .json(&json!({"slot_id": 1, "phone": "13995012345"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        cancel(town.clone(), "13995012345").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(cancel(hall, "13995012346").await, StatusCode::OK);
    let kept: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/appointments/{town}?phone=13995012345"
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kept["status"], "booked", "the town booking is untouched");
}
