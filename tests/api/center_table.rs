//! Issue 12: the authorisation table's center dimension. Every route that names a center, a
//! window, a slot, a ticket, a booking or a case, called by each role at its own center and at
//! the other one. Staff act and read only at their own center (403); supervisors read every
//! center; administrators act everywhere. The demo has the district hall (center 1: clerk01 at
//! windows A01/A02, chief01) and the town center (center 2: clerk03 at window 6).

use reqwest::{Method, StatusCode};
use scenario_tests::{Staff, TestApp, expect_json, spawn_app};
use serde_json::{Value, json};

const HALL: i64 = 1;
const TOWN: i64 = 2;
const HALL_QUEUE: i64 = 1;
const TOWN_QUEUE: i64 = 3;
const HALL_WINDOW: i64 = 1;
const TOWN_WINDOW: i64 = 6;
const CLERK01: i64 = 1;
const CLERK02: i64 = 2;
const CLERK03: i64 = 3;
const DAY: &str = "2026-03-04"; // the test clock's Wednesday
const HALL_ITEM: &str = "640106-XK-0003";
const HALL_BOOKING_ITEM: &str = "640106-XK-0001";
const TOWN_ITEM: &str = "640106-JF-0003";
const PERSON_ID: &str = "11010519491231002X";

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// 403, and nothing is written.
    Refused,
    /// Not refused for who the caller is or where they work (the route's own rules may still
    /// answer 409 or 422).
    Allowed,
}
use Expect::{Allowed, Refused};

/// What the table acts on, one of each at both centers.
struct Fixtures {
    hall_ticket: i64,
    town_ticket: i64,
    hall_slot: i64,
    town_slot: i64,
    hall_code: String,
    town_code: String,
    hall_case: i64,
    town_case: i64,
    /// An inquiry taken by the town's clerk.
    town_inquiry: i64,
    /// A "cannot serve" report of the town's clerk, for the town unit's chief.
    town_reassignment: i64,
}

async fn first_slot(admin: &Staff, center: i64) -> i64 {
    let path = format!("/api/v1/appointment-slots?center={center}&date={DAY}");
    let slots: Vec<Value> = expect_json(admin.get(&path).await, StatusCode::OK).await;
    slots[0]["slot"]["id"].as_i64().unwrap()
}

async fn ticket(app: &TestApp, center: i64, queue: i64) -> i64 {
    let response = app
        .anonymous
        .post(app.url("/api/v1/public/queue-tickets"))
        .json(&json!({"center_id": center, "queue_id": queue}))
        .send()
        .await
        .unwrap();
    let t: Value = expect_json(response, StatusCode::CREATED).await;
    t["id"].as_i64().unwrap()
}

async fn booking(app: &TestApp, slot: i64, item: &str, phone: &str) -> String {
    let response = app
        .anonymous
        .post(app.url("/api/v1/public/appointments"))
        .json(&json!({"slot_id": slot, "item_code": item, "name": "张三", "phone": phone}))
        .send()
        .await
        .unwrap();
    let a: Value = expect_json(response, StatusCode::CREATED).await;
    a["code"].as_str().unwrap().to_string()
}

async fn case(clerk: &Staff, item: &str) -> i64 {
    let body = json!({
        "item_code": item,
        "applicant": {"kind": "person", "name": "张三", "id_number": PERSON_ID},
        "phone": "13995012345", "channel": "counter"
    });
    let c: Value = expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    c["summary"]["id"].as_i64().unwrap()
}

/// The town's clerk takes an inquiry and reports a called ticket as one they cannot serve (to
/// the town unit's chief representative, whom the demo lacks: one is added first).
async fn town_desk(app: &TestApp) -> (i64, i64) {
    let admin = app.login("admin").await;
    let chief = json!({"staff_number": "chief03", "name": "赵镇", "unit_id": 3,
        "roles": ["chief_representative"], "password": "town-chief-pass-1"});
    // And a second clerk at the town's window, whom the chief could assign.
    let second = json!({"staff_number": "clerk08", "name": "马镇", "unit_id": 3,
        "window_ids": [TOWN_WINDOW], "roles": ["clerk"], "password": "town-clerk-pass-1"});
    for person in [chief, second] {
        expect_json::<Value>(
            admin.post("/api/v1/staff", &person).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let clerk = app.login("clerk03").await;
    let topic = json!({"channel": "counter", "topic": "咨询高龄津贴"});
    let inquiry: Value = expect_json(
        clerk.post("/api/v1/inquiries", &topic).await,
        StatusCode::CREATED,
    )
    .await;
    let window = json!({"window_id": TOWN_WINDOW});
    let called: Value = expect_json(
        clerk.post("/api/v1/queue/call-next", &window).await,
        StatusCode::OK,
    )
    .await;
    let report = json!({"version": called["version"], "reason": "业务不熟悉"});
    let path = format!("/api/v1/queue-tickets/{}/cannot-serve", called["id"]);
    let r: Value = expect_json(clerk.post(&path, &report).await, StatusCode::OK).await;
    (inquiry["id"].as_i64().unwrap(), r["id"].as_i64().unwrap())
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let admin = app.login("admin").await;
    let hall_slot = first_slot(&admin, HALL).await;
    let town_slot = first_slot(&admin, TOWN).await;
    let town_ticket = ticket(app, TOWN, TOWN_QUEUE).await;
    let (town_inquiry, town_reassignment) = town_desk(app).await;
    Fixtures {
        town_inquiry,
        town_reassignment,
        hall_ticket: ticket(app, HALL, HALL_QUEUE).await,
        town_ticket,
        hall_slot,
        town_slot,
        hall_code: booking(app, hall_slot, HALL_BOOKING_ITEM, "13995010001").await,
        town_code: booking(app, town_slot, TOWN_ITEM, "13995010002").await,
        hall_case: case(&app.login("clerk01").await, HALL_ITEM).await,
        town_case: case(&app.login("clerk03").await, TOWN_ITEM).await,
    }
}

type Row = (&'static str, Method, String, Option<Value>, Expect);

/// The routes a clerk may call, aimed at one center's window, queue, ticket, slot, booking and
/// case.
#[allow(clippy::too_many_arguments)]
fn clerk_rows(
    who: &'static str,
    expect: Expect,
    center: i64,
    queue: i64,
    window: i64,
    ticket: i64,
    slot: i64,
    code: &str,
    case: i64,
    item: &str,
) -> Vec<Row> {
    let step = json!({"version": 1});
    let mut rows: Vec<Row> = vec![
        (
            who,
            Method::POST,
            "/api/v1/queue-tickets".into(),
            Some(json!({"center_id": center, "queue_id": queue})),
            expect,
        ),
        (
            who,
            Method::GET,
            format!("/api/v1/queue/windows/{window}"),
            None,
            expect,
        ),
        (
            who,
            Method::GET,
            format!("/api/v1/appointment-slots?center={center}&date={DAY}"),
            None,
            expect,
        ),
        (
            who,
            Method::POST,
            "/api/v1/appointments".into(),
            Some(json!({"slot_id": slot, "item_code": item, "name": "李四",
                        "phone": "13995019999", "method": "phone"})),
            expect,
        ),
        (
            who,
            Method::POST,
            format!("/api/v1/appointments/{code}/arrive"),
            None,
            expect,
        ),
        (
            who,
            Method::POST,
            format!("/api/v1/appointments/{code}/no-show"),
            None,
            expect,
        ),
        (
            who,
            Method::GET,
            format!("/api/v1/cases/{case}"),
            None,
            expect,
        ),
        (
            who,
            Method::POST,
            format!("/api/v1/cases/{case}/start-review"),
            Some(step.clone()),
            expect,
        ),
    ];
    if expect == Refused {
        // Ticket steps, calls and check-ins need a called ticket or a duty roster at home;
        // at another center they are refused as such.
        for segment in ["recall", "start", "finish", "no-show"] {
            rows.push((
                who,
                Method::POST,
                format!("/api/v1/queue-tickets/{ticket}/{segment}"),
                Some(step.clone()),
                Refused,
            ));
        }
        rows.extend([
            (
                who,
                Method::POST,
                format!("/api/v1/appointment-slots/{slot}/check-in"),
                None,
                Refused,
            ),
            (
                who,
                Method::POST,
                "/api/v1/queue/call-next".into(),
                Some(json!({"window_id": window})),
                Refused,
            ),
            (
                who,
                Method::POST,
                format!("/api/v1/queue-tickets/{ticket}/transfer"),
                Some(json!({"version": 1, "window_id": window})),
                Refused,
            ),
            (
                who,
                Method::POST,
                format!("/api/v1/queue-tickets/{ticket}/cannot-serve"),
                Some(json!({"version": 1, "reason": "不会办"})),
                Refused,
            ),
            (
                who,
                Method::POST,
                format!("/api/v1/queue-tickets/{ticket}/extended-service"),
                Some(json!({"kind": "citizen_request"})),
                Refused,
            ),
        ]);
    }
    rows
}

/// The routes a chief representative, a supervisor or an administrator may call, aimed at one
/// center.
fn center_rows(
    who: &'static str,
    acts: Expect,
    reads: Expect,
    center: i64,
    slot: i64,
    duty: &[i64],
    case: i64,
) -> Vec<Row> {
    vec![
        (
            who,
            Method::GET,
            format!("/api/v1/appointment-slots?center={center}&date={DAY}"),
            None,
            reads,
        ),
        (
            who,
            Method::GET,
            format!("/api/v1/extended-services?center={center}&date={DAY}"),
            None,
            reads,
        ),
        (
            who,
            Method::GET,
            format!("/api/v1/cases/{case}"),
            None,
            reads,
        ),
        (
            who,
            Method::PUT,
            format!("/api/v1/appointment-slots/{slot}/duty"),
            Some(json!({ "staff_ids": duty })),
            acts,
        ),
        (
            who,
            Method::POST,
            "/api/v1/queue/reopen-day".into(),
            Some(json!({"center_id": center})),
            acts,
        ),
    ]
}

fn table(f: &Fixtures) -> Vec<Row> {
    let mut rows = Vec::new();
    // Clerks at the other center.
    rows.extend(clerk_rows(
        "clerk01",
        Refused,
        TOWN,
        TOWN_QUEUE,
        TOWN_WINDOW,
        f.town_ticket,
        f.town_slot,
        &f.town_code,
        f.town_case,
        TOWN_ITEM,
    ));
    rows.extend(clerk_rows(
        "clerk03",
        Refused,
        HALL,
        HALL_QUEUE,
        HALL_WINDOW,
        f.hall_ticket,
        f.hall_slot,
        &f.hall_code,
        f.hall_case,
        HALL_BOOKING_ITEM,
    ));
    // A chief at the other center: reads nothing there, acts on nothing there.
    rows.extend(center_rows(
        "chief01",
        Refused,
        Refused,
        TOWN,
        f.town_slot,
        &[CLERK03],
        f.town_case,
    ));
    rows.push((
        "chief01",
        Method::POST,
        "/api/v1/queue/close-day".into(),
        Some(json!({"center_id": TOWN})),
        Refused,
    ));
    rows.push((
        "chief01",
        Method::POST,
        format!("/api/v1/queue/reassignments/{}", f.town_reassignment),
        Some(json!({"staff_id": CLERK01, "window_id": HALL_WINDOW})),
        Refused,
    ));
    // Another center's clerk cannot end or report back on the town clerk's inquiry.
    let inquiry = f.town_inquiry;
    rows.extend([
        (
            "clerk01",
            Method::POST,
            format!("/api/v1/inquiries/{inquiry}/outcome"),
            Some(json!({"version": 1, "outcome": {"kind": "guide_given", "item_code": TOWN_ITEM}})),
            Refused,
        ),
        (
            "clerk01",
            Method::POST,
            format!("/api/v1/inquiries/{inquiry}/feedback"),
            Some(json!({"version": 1, "note": "已告知"})),
            Refused,
        ),
    ]);
    // Clerks at their own center.
    rows.extend(clerk_rows(
        "clerk01",
        Allowed,
        HALL,
        HALL_QUEUE,
        HALL_WINDOW,
        f.hall_ticket,
        f.hall_slot,
        &f.hall_code,
        f.hall_case,
        HALL_BOOKING_ITEM,
    ));
    rows.extend(clerk_rows(
        "clerk03",
        Allowed,
        TOWN,
        TOWN_QUEUE,
        TOWN_WINDOW,
        f.town_ticket,
        f.town_slot,
        &f.town_code,
        f.town_case,
        TOWN_ITEM,
    ));
    // A chief at their own center; supervisors read everywhere; administrators act everywhere.
    rows.extend(center_rows(
        "chief01",
        Allowed,
        Allowed,
        HALL,
        f.hall_slot,
        // The evening roster as it is: a chief changes their own unit's people only.
        &[CLERK01, CLERK02],
        f.hall_case,
    ));
    rows.extend(
        center_rows(
            "super01",
            Refused,
            Allowed,
            TOWN,
            f.town_slot,
            &[CLERK03],
            f.town_case,
        )
        .into_iter()
        // Nobody but a unit's staff reads its cases... except supervisors; administrators
        // read no cases at all (their role is not named), which the role table covers.
        .collect::<Vec<_>>(),
    );
    rows.extend(
        center_rows(
            "admin",
            Allowed,
            Allowed,
            TOWN,
            f.town_slot,
            &[CLERK03],
            f.town_case,
        )
        .into_iter()
        .filter(|(_, _, path, _, _)| !path.starts_with("/api/v1/cases/"))
        .filter(|(_, _, path, _, _)| !path.starts_with("/api/v1/extended-services")),
    );
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_naming_a_center_keeps_staff_to_their_own_center() {
    let app = spawn_app().await;
    let f = fixtures(&app).await;
    let mut people = std::collections::HashMap::new();
    for who in ["clerk01", "clerk03", "chief01", "super01", "admin"] {
        people.insert(who, app.login(who).await);
    }
    let mut wrong = Vec::new();
    for (who, method, path, body, expect) in table(&f) {
        let before = app.audit_count().await;
        let response = people[who].send(method.clone(), &path, body.as_ref()).await;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let ok = match expect {
            Refused => {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                status == StatusCode::FORBIDDEN
                    && body["code"].is_string()
                    && app.audit_count().await == before
            }
            Allowed => !matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ),
        };
        if !ok {
            wrong.push(format!(
                "{who} {method} {path}: expected {expect:?}, got {status} {text}"
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
