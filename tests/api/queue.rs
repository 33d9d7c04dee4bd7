//! Queue calling and extended service with an injected clock: noon and close rules, no refusal,
//! closing the day, live events across instances.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scenario_tests::{
    AppOptions, Staff, Store, TestApp, TestDatabase, expect_error, expect_json, first_event,
    spawn_app, spawn_app_with, spawn_on,
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

/// The demo hall's queue A (市场监管) and window A01 of clerk01.
const HALL: i64 = 1;
const QUEUE_A: i64 = 1;
const WINDOW_A01: i64 = 1;

async fn kiosk(app: &TestApp, item: Option<&str>) -> reqwest::Response {
    app.anonymous
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": HALL, "queue_id": QUEUE_A, "item_code": item}))
        .send()
        .await
        .unwrap()
}

async fn ticket(app: &TestApp, item: Option<&str>) -> Value {
    expect_json(kiosk(app, item).await, StatusCode::CREATED).await
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

async fn step(clerk: &Staff, t: &Value, action: &str) -> Value {
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

async fn extended(app: &TestApp) -> Value {
    let supervisor = app.login("super01").await;
    expect_json(
        supervisor
            .get(&format!(
                "/api/v1/extended-services?center={HALL}&date=2026-03-04"
            ))
            .await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_are_numbered_per_queue_and_called_in_order_with_an_estimate() {
    let app = spawn_app().await;
    let first = ticket(&app, None).await;
    let second = ticket(&app, None).await;
    assert_eq!(first["number"], "A001");
    assert_eq!(second["number"], "A002");
    assert_eq!(second["ahead"], 1);
    assert!(second["estimate_minutes"].as_u64().unwrap() > 0);
    let clerk = app.login("clerk01").await;
    let called = call(&clerk).await;
    assert_eq!(called["number"], "A001");
    assert_eq!(called["window_number"], "A01");
    let board: Value = expect_json(
        app.get(&format!("/api/v1/public/display/{HALL}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(board["calls"][0]["number"], "A001");
    assert_eq!(board["calls"][0]["window_number"], "A01");
    // The window is busy until the current ticket is done.
    let busy = clerk
        .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
        .await;
    assert_eq!(
        expect_error(busy, StatusCode::CONFLICT).await["code"],
        "window_busy"
    );
    // Only a clerk of that window may call for it.
    let other = app.login("clerk02").await;
    let foreign = other
        .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
        .await;
    assert_eq!(
        expect_error(foreign, StatusCode::FORBIDDEN).await["code"],
        "not_your_window"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_immediate_item_served_through_noon_is_finished_and_the_minutes_recorded() {
    let app = spawn_app_with(AppOptions {
        now: at("2026-03-04T03:50:00Z"),
        ..Default::default()
    })
    .await; // 11:50
    let clerk = app.login("clerk01").await;
    ticket(&app, Some("640106-XK-0003")).await;
    let called = call(&clerk).await;
    let serving = step(&clerk, &called, "start").await;
    app.clock.set(at("2026-03-04T04:07:00Z")); // 12:07
    let done = step(&clerk, &serving, "finish").await;
    assert_eq!(done["status"], "done");
    let records = extended(&app).await;
    assert_eq!(records[0]["kind"], "noon");
    assert_eq!(records[0]["minutes_past"], 7);
    assert_eq!(records[0]["ticket_number"], "A001");
    assert_eq!(records[0]["staff_name"], "王晓燕");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_close_everyone_already_in_the_hall_is_served_and_no_new_ticket_is_issued() {
    let app = spawn_app_with(AppOptions {
        now: at("2026-03-04T08:50:00Z"),
        ..Default::default()
    })
    .await; // 16:50
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    ticket(&app, None).await;
    ticket(&app, None).await;
    app.clock.set(at("2026-03-04T09:00:00Z")); // 17:00
    let refused = expect_error(kiosk(&app, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "after_cutoff");
    let queues: Value = expect_json(
        app.get(&format!("/api/v1/public/queues?center={HALL}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queues["open_for_tickets"], false);
    // The day cannot be closed while two people wait.
    let early = chief
        .post("/api/v1/queue/close-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "tickets_remain"
    );
    // Both are served after hours; each service past close is recorded with its minutes.
    for minutes in ["09:12", "09:25"] {
        let called = call(&clerk).await;
        let serving = step(&clerk, &called, "start").await;
        app.clock.set(at(&format!("2026-03-04T{minutes}:00Z")));
        step(&clerk, &serving, "finish").await;
    }
    let records = extended(&app).await;
    let mins: Vec<i64> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["minutes_past"].as_i64().unwrap())
        .collect();
    // Each service counts its own minutes outside the sessions (17:00–17:12, 17:12–17:25):
    // together the 25 minutes the window stayed open past close, none counted twice.
    assert_eq!(mins, [12, 13]);
    assert!(
        records
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == "close")
    );
    let closed = chief
        .post("/api/v1/queue/close-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(closed.status(), StatusCode::NO_CONTENT);
}

/// A second clerk of 市场监管, clerk09 (password `long-enough-9`), at window C01 (which serves
/// 市场监管 and 人社): someone the chief can assign a ticket to.
async fn second_clerk_at_c01(admin: &Staff) -> Value {
    expect_json(
        admin
            .post(
                "/api/v1/staff",
                &json!({"staff_number":"clerk09","name":"周晓","unit_id":1,
                "window_ids":[5],"roles":["clerk"],"password":"long-enough-9"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_cannot_drop_a_ticket_only_hand_it_to_the_chief_who_assigns_someone_else() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let admin = app.login("admin").await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    // There is no way to delete or drop a ticket.
    let drop = clerk
        .client
        .delete(clerk.url(&format!("/api/v1/queue-tickets/{}", called["id"])))
        .send()
        .await
        .unwrap();
    assert!(
        drop.status() == StatusCode::METHOD_NOT_ALLOWED || drop.status() == StatusCode::NOT_FOUND
    );
    let no_reason = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]),
            &json!({"version": called["version"], "reason": " "}),
        )
        .await;
    expect_error(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Nobody else at the unit's windows: the chief could assign no one, so the window keeps the
    // citizen (the report had stranded the ticket and blocked closing the day).
    let alone = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]),
            &json!({"version": called["version"], "reason": "系统故障，无法打印证照"}),
        )
        .await;
    assert_eq!(
        expect_error(alone, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "nobody_else_to_serve"
    );
    let new_clerk = second_clerk_at_c01(&admin).await;
    let report: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]),
                &json!({"version": called["version"], "reason": "系统故障，无法打印证照"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report["ticket"]["status"], "reassigning");
    // The window cannot call it back, and nobody else takes it until the chief decides.
    let pending: Value = expect_json(
        chief.get("/api/v1/queue/reassignments").await,
        StatusCode::OK,
    )
    .await;
    let id = pending[0]["id"].as_i64().unwrap();
    let same = chief
        .post(
            &format!("/api/v1/queue/reassignments/{id}"),
            &json!({"staff_id": clerk.id(), "window_id": WINDOW_A01}),
        )
        .await;
    assert_eq!(
        expect_error(same, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "must_be_someone_else"
    );
    // The chief assigns the ticket to the second clerk at C01.
    let assigned: Value = expect_json(
        chief
            .post(
                &format!("/api/v1/queue/reassignments/{id}"),
                &json!({"staff_id": new_clerk["id"], "window_id": 5}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(assigned["assigned_window"], "C01");
    let helper = app.login_with("clerk09", "long-enough-9").await;
    let board: Value =
        expect_json(helper.get("/api/v1/queue/windows/5").await, StatusCode::OK).await;
    assert_eq!(board["assigned"][0]["number"], "A001");
    let recalled: Value = expect_json(
        helper
            .post("/api/v1/queue/call-next", &json!({"window_id": 5}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(recalled["number"], "A001");
    assert_eq!(recalled["window_number"], "C01");
}

/// A ticket the chief assigns waits for that window alone: a closed window would strand it
/// (nobody calls it, and the day cannot close). A reason of invisible characters says nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_never_assigned_to_a_closed_window_where_nobody_would_call_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let admin = app.login("admin").await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    let helper = second_clerk_at_c01(&admin).await;
    let path = format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]);
    let invisible = clerk
        .post(
            &path,
            &json!({"version": called["version"], "reason": "\u{3164}\u{3164}"}),
        )
        .await;
    let err = expect_error(invisible, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["field"], "reason", "{err}");
    let report: Value = expect_json(
        clerk
            .post(
                &path,
                &json!({"version": called["version"], "reason": "系统故障，无法打印证照"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report["ticket"]["status"], "reassigning");
    // Window C01 closes before the chief decides.
    let closed = admin.post("/api/v1/windows/5/deactivate", &json!({})).await;
    assert!(closed.status().is_success(), "{}", closed.status());
    let pending: Value = expect_json(
        chief.get("/api/v1/queue/reassignments").await,
        StatusCode::OK,
    )
    .await;
    let id = pending[0]["id"].as_i64().unwrap();
    let to_closed = chief
        .post(
            &format!("/api/v1/queue/reassignments/{id}"),
            &json!({"staff_id": helper["id"], "window_id": 5}),
        )
        .await;
    let err = expect_error(to_closed, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["field"], "window_id", "{err}");
    // Nothing was decided: the report still waits for the chief.
    let still: Value = expect_json(
        chief.get("/api/v1/queue/reassignments").await,
        StatusCode::OK,
    )
    .await;
    assert!(still[0]["decided_at"].is_null(), "{still}");
}

/// 延时服务 (Seed §二(四)三): the chief assigns a ticket a window could not serve to someone else.
/// The reporting clerk, who also sits at the assigned window, called it straight back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_assigned_to_another_clerk_is_not_called_back_by_the_clerk_who_reported_it() {
    const WINDOW_A02: i64 = 2;
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let admin = app.login("admin").await;
    let colleague: Value = expect_json(
        admin
            .post(
                "/api/v1/staff",
                &json!({"staff_number":"clerk09","name":"周晓","unit_id":1,
                "window_ids":[WINDOW_A02],"roles":["clerk"],"password":"long-enough-9"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    let report = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]),
            &json!({"version": called["version"], "reason": "需要食品许可专业人员核对"}),
        )
        .await;
    let _: Value = expect_json(report, StatusCode::OK).await;
    let pending: Value = expect_json(
        chief.get("/api/v1/queue/reassignments").await,
        StatusCode::OK,
    )
    .await;
    let id = pending[0]["id"].as_i64().unwrap();
    let assign = chief
        .post(
            &format!("/api/v1/queue/reassignments/{id}"),
            &json!({"staff_id": colleague["id"], "window_id": WINDOW_A02}),
        )
        .await;
    let _: Value = expect_json(assign, StatusCode::OK).await;

    let again = clerk
        .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A02}))
        .await;
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await["code"],
        "queue_empty"
    );
    let helper = app.login_with("clerk09", "long-enough-9").await;
    let taken: Value = expect_json(
        helper
            .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A02}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(taken["id"], called["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_show_needs_a_recall_first() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    let early = clerk
        .post(
            &format!("/api/v1/queue-tickets/{}/no-show", called["id"]),
            &json!({"version": called["version"]}),
        )
        .await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await["code"],
        "recall_first"
    );
    let recalled = step(&clerk, &called, "recall").await;
    assert_eq!(recalled["recalls"], 1);
    let gone = step(&clerk, &recalled, "no-show").await;
    assert_eq!(gone["status"], "no_show");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extended_service_asked_for_by_the_citizen_is_recorded_with_its_minutes() {
    let (app, clerk, serving, path) = serving_at("2026-03-04T08:55:00Z").await; // 16:55
    let asked: Value = expect_json(
        clerk
            .post(
                &path,
                &json!({"kind": "citizen_request", "note": "材料较多，申请延时"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(asked["kind"], "citizen_request");
    app.clock.set(at("2026-03-04T09:10:00Z")); // 17:10
    step(&clerk, &serving, "finish").await;
    let records = extended(&app).await;
    let citizen = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "citizen_request")
        .unwrap();
    assert_eq!(citizen["minutes_past"], 10);
    assert!(
        !records.to_string().contains("收费"),
        "no fee appears anywhere"
    );
}

/// A hall at `now` with clerk01 serving a ticket at A01, and that ticket's extended-service path.
async fn serving_at(now: &str) -> (TestApp, Staff, Value, String) {
    let app = spawn_app_with(AppOptions {
        now: at(now),
        ..Default::default()
    })
    .await;
    let clerk = app.login("clerk01").await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    let serving = step(&clerk, &called, "start").await;
    let path = format!("/api/v1/queue-tickets/{}/extended-service", serving["id"]);
    (app, clerk, serving, path)
}

/// A tester started extended service three times on one ticket: three open records, each given
/// the same minutes at the finish, and the finishing update was not in the audit log. One
/// ticket has one extended service at a time; its end is recorded like its start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_has_one_extended_service_at_a_time_and_its_end_is_audited() {
    let (app, clerk, serving, path) = serving_at("2026-03-04T08:55:00Z").await; // 16:55
    let body = json!({"kind": "citizen_request"});
    expect_json::<Value>(clerk.post(&path, &body).await, StatusCode::OK).await;
    let audit = app.audit_count().await;
    let again = clerk.post(&path, &json!({"kind": "staff_started"})).await;
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await["code"],
        "extended_service_running"
    );
    assert_eq!(app.audit_count().await, audit);
    app.clock.set(at("2026-03-04T09:10:00Z")); // 17:10
    step(&clerk, &serving, "finish").await;
    let records = extended(&app).await;
    let asked: Vec<&Value> = records
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "citizen_request")
        .collect();
    assert_eq!(asked.len(), 1, "{records}");
    let ended = app
        .db
        .conn
        .query_one(Statement::from_string(
            app.db.backend(),
            "SELECT COUNT(*) AS n FROM audit_record WHERE action = 'extended_service.end'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ended.try_get::<i64>("", "n").unwrap(), 1);
}

/// 延时服务 extends office hours (Seed §二(四)): a tester recorded a citizen's "extended service"
/// at 10:30, two hours before the noon break, and it was listed among the day's extended
/// services. It may be recorded within an hour of a session's end (or outside the sessions);
/// earlier it is refused and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extended_service_is_not_recorded_in_the_middle_of_a_session() {
    let (app, clerk, _, path) = serving_at("2026-03-04T02:30:00Z").await; // 10:30
    let body = json!({"kind": "citizen_request"});
    let audit = app.audit_count().await;
    let refused = expect_error(clerk.post(&path, &body).await, StatusCode::CONFLICT).await;
    assert_eq!(refused["code"], "within_business_hours");
    assert!(
        refused["message"].as_str().unwrap().contains("12:00"),
        "{refused}"
    );
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(extended(&app).await, json!([]));
    // 11:05: within the hour before the noon break.
    app.clock.set(at("2026-03-04T03:05:00Z"));
    expect_json::<Value>(clerk.post(&path, &body).await, StatusCode::OK).await;
}

/// Reads the event stream until an event of `topic` arrives, or fails after `secs`.
async fn wait_for_event(app: &TestApp, topic: &str, secs: u64) -> Value {
    let path = format!("/api/v1/events?topics={topic}");
    let response = app.anonymous.get(app.url(&path)).send().await.unwrap();
    first_event(response, secs).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_event_reaches_every_instance_sharing_the_database() {
    let database = Arc::new(TestDatabase::create(Store::from_env()).await);
    let a = spawn_on(database.clone(), AppOptions::default()).await;
    // With PostgreSQL a second instance shares the database and must hear the first one's event
    // (LISTEN/NOTIFY); SQLite serves a single instance (in-process broadcast).
    let second = match Store::from_env() {
        Store::Postgres => Some(spawn_on(database.clone(), AppOptions::default()).await),
        Store::Sqlite => None,
    };
    let listener = second.as_ref().unwrap_or(&a);
    let waiting = wait_for_event(listener, "queue", 5);
    let issue = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        ticket(&a, None).await
    };
    let (event, t) = tokio::join!(waiting, issue);
    assert_eq!(event["topic"], "queue");
    assert_eq!(event["center_id"], HALL);
    assert_eq!(event["id"], t["id"]);
}

/// Issue 14 point 2: the kiosk and the display of a closed hall show a QR code to the booking page,
/// drawn by the server (nothing fetched at run time).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_booking_qr_code_is_an_svg_of_the_centers_booking_page() {
    let app = spawn_app().await;
    let qr: Value = expect_json(
        app.get("/api/v1/public/booking-qr?center=1").await,
        StatusCode::OK,
    )
    .await;
    let url = qr["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://") && url.ends_with("/booking?center=1"),
        "{url}"
    );
    let svg = qr["svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
}

/// A booking code is drawn only for a center that takes bookings: an unknown center (as a
/// deactivated one, by the same check) is a 404, not a code to a page that cannot book.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_booking_qr_code_is_drawn_for_a_center_that_does_not_exist() {
    let app = spawn_app().await;
    for center in ["999999", "0", "-1"] {
        let res = app
            .get(&format!("/api/v1/public/booking-qr?center={center}"))
            .await;
        let body: Value = expect_json(res, StatusCode::NOT_FOUND).await;
        assert_eq!(body["code"], "not_found", "{center}: {body}");
    }
}

/// A ticket holder follows their ticket through the day; ticket ids run in sequence, so an
/// older ticket read by anyone would say who came for which business when. Yesterday's ticket
/// is not found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_reads_todays_ticket_but_not_an_earlier_days() {
    let app = spawn_app().await;
    let t = ticket(&app, Some("640106-XK-0001")).await;
    let path = format!("/api/v1/public/queue-tickets/{}", t["id"]);
    let today: Value = expect_json(app.get(&path).await, StatusCode::OK).await;
    assert_eq!(today["number"], t["number"]);
    app.clock.set(at("2026-03-05T02:00:00Z")); // Thursday 10:00
    let err = expect_error(app.get(&path).await, StatusCode::NOT_FOUND).await;
    assert_eq!(err["code"], "not_found", "{err}");
}

/// A window or a person is not taken out of service while a citizen stands there: deactivated,
/// the called or served ticket could be finished by nobody and the day could not be closed (a
/// tester stranded A043 this way). Once the ticket is done, both can be deactivated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_or_clerk_with_a_citizen_in_hand_is_not_deactivated() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await;
    ticket(&app, None).await;
    let called = call(&clerk).await;
    let serving = step(&clerk, &called, "start").await;
    for path in [
        format!("/api/v1/windows/{WINDOW_A01}/deactivate"),
        format!("/api/v1/staff/{}/deactivate", clerk.id()),
    ] {
        let err = expect_error(admin.post(&path, &json!({})).await, StatusCode::CONFLICT).await;
        assert_eq!(err["code"], "ticket_in_hand", "{path}");
        assert!(err["message"].as_str().unwrap().contains("A001"), "{err}");
    }
    // Nothing changed: the clerk still finishes the ticket at the window.
    step(&clerk, &serving, "finish").await;
    let path = format!("/api/v1/windows/{WINDOW_A01}/deactivate");
    assert!(admin.post(&path, &json!({})).await.status().is_success());
}

/// A window may be shared by two clerks. A walkthrough's second clerk finished the first one's
/// citizen (and got the rating code on their tablet), then called a third citizen to the first
/// clerk's window while their own was still open. A ticket is acted on only by the clerk who
/// called it, and a clerk holding a ticket calls nobody else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_acts_only_on_the_ticket_they_called_and_calls_one_citizen_at_a_time() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let body = json!({"staff_number": "clerk09", "name": "周新来", "unit_id": 1,
        "window_ids": [1, 2], "roles": ["clerk"], "password": scenario_tests::DEMO_PASSWORD});
    let created = admin.post("/api/v1/staff", &body).await;
    expect_json::<Value>(created, StatusCode::CREATED).await;
    let (first, second) = (app.login("clerk01").await, app.login("clerk09").await);
    for _ in 0..3 {
        ticket(&app, None).await;
    }
    let a001 = call(&first).await;
    let audit_before = app.audit_count().await;
    for action in ["start", "finish", "recall"] {
        let path = format!("/api/v1/queue-tickets/{}/{action}", a001["id"]);
        let refused = second
            .post(&path, &json!({"version": a001["version"]}))
            .await;
        let err = expect_error(refused, StatusCode::CONFLICT).await;
        assert_eq!(err["code"], "ticket_of_another_clerk", "{action}");
        assert!(err["message"].as_str().unwrap().contains("王晓燕"), "{err}");
    }
    // Extended service too: the colleague had started it on A001 in their own name.
    let path = format!("/api/v1/queue-tickets/{}/extended-service", a001["id"]);
    let refused = second
        .post(
            &path,
            &json!({"kind": "staff_started", "note": "代同事记延时"}),
        )
        .await;
    let err = expect_error(refused, StatusCode::CONFLICT).await;
    assert_eq!(err["code"], "ticket_of_another_clerk", "{err}");
    assert_eq!(
        app.audit_count().await,
        audit_before,
        "a refused step writes nothing"
    );

    // The second clerk calls at A02, then tries A01 once the first clerk has finished there.
    let a002: Value = expect_json(
        second
            .post("/api/v1/queue/call-next", &json!({"window_id": 2}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a002["number"], "A002");
    // Their panel at A01 shows the colleague's citizen as the colleague's, and points back to
    // their own at A02.
    let board: Value =
        expect_json(second.get("/api/v1/queue/windows/1").await, StatusCode::OK).await;
    assert_eq!(board["current"]["number"], "A001");
    assert_eq!(board["current_held_by"], "王晓燕");
    assert_eq!(board["yours_elsewhere"], json!([2, "A02", "A002"]));
    let served = step(&first, &a001, "start").await;
    step(&first, &served, "finish").await;
    let again = second
        .post("/api/v1/queue/call-next", &json!({"window_id": WINDOW_A01}))
        .await;
    let err = expect_error(again, StatusCode::CONFLICT).await;
    assert_eq!(err["code"], "ticket_in_hand");
    assert!(err["message"].as_str().unwrap().contains("A002"), "{err}");
    // The first clerk, free again, calls the third citizen.
    let a003 = call(&first).await;
    assert_eq!(a003["number"], "A003");
    // C01 (window 5) serves the unit but nobody works there: the citizen would wait for no one
    // and the day could not close.
    let nowhere = second
        .post(
            &format!("/api/v1/queue-tickets/{}/transfer", a003["id"]),
            &json!({"version": a003["version"], "window_id": 5}),
        )
        .await;
    let err = expect_error(nowhere, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "nobody_at_window");
    assert_eq!(err["field"], "window_id");
    // Handing a colleague's citizen to another window stays open to anyone at the window (a
    // ticket whose clerk has gone would otherwise hold up the day), under their own name.
    let moved: Value = expect_json(
        second
            .post(
                &format!("/api/v1/queue-tickets/{}/transfer", a003["id"]),
                &json!({"version": a003["version"], "window_id": 2}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["status"], "waiting");
    assert_eq!(moved["window_id"], 2);
}
