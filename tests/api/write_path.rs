//! Issue 16: no deployment-wide lock. Each center appends to its own audit chain; writes of two
//! halls run side by side, numbering stays gap-free per center and year, and `audit-verify`
//! checks every chain.

use std::collections::BTreeMap;

use futures::future::join_all;
use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_json, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const HALL: i64 = 1;
const TOWN: i64 = 2;
const HALL_ITEM: &str = "640106-XK-0001";
const TOWN_ITEM: &str = "640106-JF-0003";
const PER_CLIENT: usize = 8;

/// Valid resident ID numbers, one per (client, receipt): check digit computed.
fn resident_id(n: usize) -> String {
    let body = format!("11010519800101{:03}", n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// One receipt of `item` for applicant number `n`; the case acknowledged.
async fn receive_one(clerk: &Staff, item: &str, n: usize) -> Value {
    let body = json!({
        "item_code": item,
        "applicant": {"kind": "person", "name": "张三", "id_number": resident_id(n)},
        "phone": "13995012345", "channel": "counter"
    });
    expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await
}

/// `PER_CLIENT` receipts one after the other; the numbers acknowledged.
async fn receive_many(clerk: &Staff, item: &str, client: usize) -> Vec<String> {
    let mut numbers = Vec::new();
    for i in 0..PER_CLIENT {
        let case = receive_one(clerk, item, client * PER_CLIENT + i).await;
        numbers.push(case["summary"]["number"].as_str().unwrap().to_string());
    }
    numbers
}

/// Case numbers (`2026-01-00001`) by center, each list sorted by its sequence.
fn by_center(numbers: impl IntoIterator<Item = String>) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for number in numbers {
        let parts: Vec<&str> = number.split('-').collect();
        out.entry(parts[1].parse().unwrap())
            .or_default()
            .push(parts[2].parse().unwrap());
    }
    for seqs in out.values_mut() {
        seqs.sort();
    }
    out
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.conn.get_database_backend();
    let row = app
        .db
        .conn
        .query_one(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The API's and the command line's verdict on every chain: whole, and covering every record.
async fn assert_chains_verify(app: &TestApp) {
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["records"].as_i64().unwrap(), app.audit_count().await);
    let cli = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(cli.ok, "{cli:?}");
    // Every head names its chain's newest record (receipts written together move it once).
    let misplaced = scalar(
        app,
        "SELECT COUNT(*) FROM audit_chain h WHERE h.last_seq > 0 AND h.last_id <> \
         (SELECT r.id FROM audit_record r WHERE r.chain_id = h.chain_id \
          ORDER BY r.seq DESC LIMIT 1)",
    )
    .await;
    assert_eq!(
        misplaced, 0,
        "a chain's head names a record that is not its newest"
    );
}

async fn assert_every_receipt_in_its_centers_chain(app: &TestApp, center: i64, cases: usize) {
    let sql = format!(
        "SELECT COUNT(*) FROM audit_record WHERE action = 'case.receive' AND chain_id = {center}"
    );
    assert_eq!(scalar(app, &sql).await, cases as i64, "center {center}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_in_two_centers_and_in_one_at_once_are_numbered_without_gaps_on_their_chains() {
    let app = spawn_app().await;
    // Two clerks' sessions in the hall, two in the town, and the administrator writing to the
    // deployment's chain meanwhile.
    let clerks = [
        (app.login("clerk01").await, HALL_ITEM),
        (app.login("clerk01").await, HALL_ITEM),
        (app.login("clerk03").await, TOWN_ITEM),
        (app.login("clerk03").await, TOWN_ITEM),
    ];
    let admin = app.login("admin").await;
    let receipts = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, (clerk, item))| receive_many(clerk, item, n)),
    );
    let admin_writes = async {
        for i in 0..4 {
            let body = json!({"name": format!("新中心{i}"), "kind": "street",
                              "address": "某街道 1 号", "phone": "0951-1234567"});
            let created = admin.post("/api/v1/centers", &body).await;
            assert_eq!(created.status(), StatusCode::CREATED);
        }
    };
    let (numbers, ()) = tokio::join!(receipts, admin_writes);
    let numbers = by_center(numbers.into_iter().flatten());
    let expected: Vec<i64> = (1..=(2 * PER_CLIENT) as i64).collect();
    assert_eq!(
        numbers.get(&HALL),
        Some(&expected),
        "hall numbers: gap-free"
    );
    assert_eq!(
        numbers.get(&TOWN),
        Some(&expected),
        "town numbers: gap-free"
    );
    assert_every_receipt_in_its_centers_chain(&app, HALL, 2 * PER_CLIENT).await;
    assert_every_receipt_in_its_centers_chain(&app, TOWN, 2 * PER_CLIENT).await;
    // Each chain's places run 1..n without a gap.
    let gaps = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_chain h WHERE h.last_seq <> \
         (SELECT COUNT(*) FROM audit_record r WHERE r.chain_id = h.chain_id)",
    )
    .await;
    assert_eq!(gaps, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_chain").await, 3);
    assert_chains_verify(&app).await;
}

/// A case's steps after its receipt (the review, with its acceptance notice) are its center's
/// writes: recorded on that center's chain, never on the deployment's, so two halls' reviews
/// never wait on each other; and the chains still verify.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cases_review_is_recorded_on_its_centers_chain_not_the_deployments() {
    let app = spawn_app().await;
    for (login, item, center) in [("clerk01", HALL_ITEM, HALL), ("clerk03", TOWN_ITEM, TOWN)] {
        let clerk = app.login(login).await;
        let case = receive_one(&clerk, item, 0).await;
        let verdicts: Vec<Value> = case["item"]["materials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| json!({"key": m["key"], "verdict": {"verdict": "ok"}}))
            .collect();
        let id = case["summary"]["id"].as_i64().unwrap();
        let reviewed: Value = expect_json(
            clerk
                .post(
                    &format!("/api/v1/cases/{id}/review"),
                    &json!({"version": case["summary"]["version"], "verdicts": verdicts}),
                )
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            reviewed["case"]["summary"]["state"], "accepted",
            "{reviewed}"
        );
        let on_its_chain = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_record WHERE entity = 'case' AND entity_id = '{id}' \
                 AND action <> 'case.receive' AND chain_id = {center}"
            ),
        )
        .await;
        assert!(
            on_its_chain > 0,
            "the review of case {id} is on chain {center}"
        );
    }
    let on_deployment = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_record WHERE chain_id = 0 \
         AND (entity = 'case' OR action LIKE 'case.%' OR entity = 'notice')",
    )
    .await;
    assert_eq!(
        on_deployment, 0,
        "no case or notice record on the deployment's chain"
    );
    assert_chains_verify(&app).await;
}

/// A hall's own writes beyond its cases — a citizen's booking and its cancellation, an inquiry
/// and its outcome, a notice printed, the day's queue closed — are recorded on the hall's chain,
/// not the deployment's: two halls' bookings, inquiries and prints never wait on each other, and
/// closing the day is ordered with the hall's kiosk tickets (both on the hall's chain).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halls_bookings_inquiries_prints_and_closing_are_on_its_chain_not_the_deployments() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let slots: Vec<Value> = expect_json(
        admin
            .get(&format!(
                "/api/v1/appointment-slots?center={HALL}&date=2026-03-04"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let phone = "13995012345";
    let booked: Value = expect_json(
        app.anonymous
            .post(app.url("/api/v1/public/appointments"))
            .json(
                &json!({"slot_id": slots[0]["slot"]["id"], "item_code": HALL_ITEM,
                "name": "张三", "phone": phone}),
            )
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let code = booked["code"].as_str().unwrap();
    let cancel = app
        .anonymous
        .delete(app.url(&format!("/api/v1/public/appointments/{code}?phone={phone}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::OK);
    let clerk = app.login("clerk01").await;
    let inquiry: Value = expect_json(
        clerk
            .post(
                "/api/v1/inquiries",
                &json!({"channel": "counter", "topic": "咨询营业执照办理"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let outcome = json!({"version": inquiry["version"],
        "outcome": {"kind": "handled_on_spot", "note": "已当场解答"}});
    let path = format!("/api/v1/inquiries/{}/outcome", inquiry["id"]);
    expect_json::<Value>(clerk.post(&path, &outcome).await, StatusCode::OK).await;
    let case = receive_one(&clerk, "640106-XK-0003", 0).await;
    let reviewed = clerk
        .review_all_ok(&case, &["application_form", "id_card", "business_license"])
        .await;
    let notice = reviewed["notices"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/notices/{notice}/prints");
    expect_json::<Value>(clerk.post(&path, &json!(null)).await, StatusCode::OK).await;
    let chief = app.login("chief01").await;
    let closed = chief
        .post("/api/v1/queue/close-day", &json!({"center_id": HALL}))
        .await;
    assert_eq!(closed.status(), StatusCode::NO_CONTENT);
    for action in [
        "appointment.book",
        "appointment.cancel",
        "inquiry.create",
        "inquiry.outcome",
        "notice.print",
        "queue.close_day",
    ] {
        let on = |chain: i64| {
            format!(
                "SELECT COUNT(*) FROM audit_record WHERE action = '{action}' AND chain_id = {chain}"
            )
        };
        assert_eq!(
            scalar(&app, &on(HALL)).await,
            1,
            "{action} on the hall's chain"
        );
        assert_eq!(
            scalar(&app, &on(0)).await,
            0,
            "{action} not on the deployment's"
        );
    }
    assert_chains_verify(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_moved_to_another_chain_is_found() {
    let app = spawn_app().await;
    receive_many(&app.login("clerk03").await, TOWN_ITEM, 0).await;
    assert_chains_verify(&app).await;
    let moved = scalar(
        &app,
        "SELECT MAX(id) FROM audit_record WHERE action = 'case.receive'",
    )
    .await;
    app.sql(&format!(
        "UPDATE audit_record SET chain_id = {HALL} WHERE id = {moved}"
    ))
    .await;
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], moved, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centers_chain_whose_newest_record_is_deleted_is_found() {
    let app = spawn_app().await;
    receive_many(&app.login("clerk03").await, TOWN_ITEM, 0).await;
    let newest = scalar(
        &app,
        &format!("SELECT MAX(id) FROM audit_record WHERE chain_id = {TOWN}"),
    )
    .await;
    app.sql(&format!("DELETE FROM audit_record WHERE id = {newest}"))
        .await;
    let supervisor = app.login("super01").await;
    let v: Value = expect_json(supervisor.get("/api/v1/audit/verify").await, StatusCode::OK).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_broken_id"], newest, "{v}");
}

/// Two server instances on one fresh PostgreSQL database (the first loads the demo); none on
/// SQLite, whose file has one instance.
async fn two_instances() -> Option<(TestApp, TestApp)> {
    let store = scenario_tests::Store::from_env();
    if store.name() != "postgres" {
        return None;
    }
    let database = std::sync::Arc::new(scenario_tests::TestDatabase::create(store).await);
    let a = scenario_tests::spawn_on(database.clone(), Default::default()).await;
    let b = scenario_tests::spawn_on(
        database,
        scenario_tests::AppOptions {
            demo: false,
            ..Default::default()
        },
    )
    .await;
    Some((a, b))
}

/// Two server instances on one PostgreSQL database (SQLite: one instance per file, skipped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_receive_in_two_centers_without_gaps_and_the_chains_verify() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let clerks = [
        (a.login("clerk01").await, HALL_ITEM),
        (b.login("clerk01").await, HALL_ITEM),
        (a.login("clerk03").await, TOWN_ITEM),
        (b.login("clerk03").await, TOWN_ITEM),
    ];
    let numbers = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, (clerk, item))| receive_many(clerk, item, n)),
    )
    .await;
    let numbers = by_center(numbers.into_iter().flatten());
    let expected: Vec<i64> = (1..=(2 * PER_CLIENT) as i64).collect();
    assert_eq!(numbers.get(&HALL), Some(&expected));
    assert_eq!(numbers.get(&TOWN), Some(&expected));
    assert_every_receipt_in_its_centers_chain(&a, HALL, 2 * PER_CLIENT).await;
    assert_every_receipt_in_its_centers_chain(&a, TOWN, 2 * PER_CLIENT).await;
    assert_chains_verify(&a).await;
    assert_chains_verify(&b).await;
}

/// A center's writer on PostgreSQL starts its next batch from the case number its last batch
/// left, unless the chain's head shows someone else appended since (issue 16): receipts taken
/// in turn by two instances in one center must each read the number the other left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_taken_in_turn_by_two_instances_in_one_center_are_numbered_one_after_another() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let clerks = [a.login("clerk01").await, b.login("clerk01").await];
    let mut numbers = Vec::new();
    for n in 0..3 * PER_CLIENT {
        // Twice on one instance, then on the other: its next batch follows its own last one
        // once, then one the other instance committed.
        let case = receive_one(&clerks[(n / 2) % 2], HALL_ITEM, n).await;
        numbers.push(case["summary"]["number"].as_str().unwrap().to_string());
    }
    let expected: Vec<String> = (1..=3 * PER_CLIENT)
        .map(|seq| format!("{}-{HALL:02}-{seq:05}", &numbers[0][..4]))
        .collect();
    assert_eq!(numbers, expected);
    assert_chains_verify(&a).await;
}

/// The receipt's answer is built from what its transaction holds, not read back (issue 16):
/// it must be exactly the case as read afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipts_answer_is_the_case_as_read_back() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let answer = receive_one(&clerk, HALL_ITEM, 1).await;
    let id = answer["summary"]["id"].as_i64().unwrap();
    let read: Value = expect_json(
        clerk.get(&format!("/api/v1/cases/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(answer, read);
    // Its audit record names the case and keeps its number and time of receipt as stored (on
    // PostgreSQL the record is sealed before the case is written, issue 16).
    let row = app
        .db
        .conn
        .query_one(Statement::from_string(
            app.db.conn.get_database_backend(),
            "SELECT entity_id, after FROM audit_record WHERE action = 'case.receive'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), id.to_string());
    let after: Value = serde_json::from_str(&row.try_get_by_index::<String>(1).unwrap()).unwrap();
    assert_eq!(after["number"], read["summary"]["number"]);
    let instant = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert_eq!(
        instant(&after["received_at"]),
        instant(&read["summary"]["received_at"]),
        "{after} {read}"
    );
}

/// The catalog item is read from a cache of a few seconds (issue 16); an administrator's change
/// is forgotten there at once: the next receipt keeps the new time limit with the case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipt_after_an_item_edit_uses_the_new_time_limit() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await;
    let receive = |n: usize| {
        let body = json!({
            "item_code": HALL_ITEM,
            "applicant": {"kind": "person", "name": "张三", "id_number": resident_id(n)},
            "phone": "13995012345", "channel": "counter"
        });
        let clerk = &clerk;
        async move {
            expect_json::<Value>(
                clerk.post("/api/v1/cases", &body).await,
                StatusCode::CREATED,
            )
            .await
        }
    };
    let before = receive(1).await;
    assert_eq!(before["item"]["time_limit"]["working_days"], 5);
    let mut item: Value = expect_json(
        app.get(&format!("/api/v1/service-items/{HALL_ITEM}")).await,
        StatusCode::OK,
    )
    .await;
    let obj = item.as_object_mut().unwrap();
    for k in ["unit_name", "center_id", "center_name", "active"] {
        obj.remove(k);
    }
    obj.insert(
        "time_limit".into(),
        json!({"kind": "promised", "working_days": 3, "statutory_working_days": 10}),
    );
    obj.insert("stage_limits".into(), json!([]));
    expect_json::<Value>(
        admin
            .put(&format!("/api/v1/service-items/{HALL_ITEM}"), &item)
            .await,
        StatusCode::OK,
    )
    .await;
    let after = receive(2).await;
    assert_eq!(after["item"]["time_limit"]["working_days"], 3);
}

// ---- Group commit on SQLite (issue 16): queued writes share one transaction, each in its own
// savepoint; a caller hears of its write only once the batch committed. These run on both
// stores (on PostgreSQL every write is its own transaction: the same promises hold).

/// `n` sessions of the hall's clerk, for writes sent side by side.
async fn hall_clerks(app: &TestApp, n: usize) -> Vec<Staff> {
    let mut clerks = Vec::new();
    for _ in 0..n {
        clerks.push(app.login("clerk01").await);
    }
    clerks
}

/// Many receipts at once in one center (on SQLite they share transactions): every one
/// acknowledged is there, the numbers run 1..n, and the chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_receipts_at_once_are_all_kept_numbered_without_gaps_and_chained() {
    let app = spawn_app().await;
    let clerks = hall_clerks(&app, 6).await;
    let numbers = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, clerk)| receive_many(clerk, HALL_ITEM, n)),
    )
    .await;
    let numbers = by_center(numbers.into_iter().flatten());
    let expected: Vec<i64> = (1..=(6 * PER_CLIENT) as i64).collect();
    assert_eq!(numbers.get(&HALL), Some(&expected));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM cases").await,
        6 * PER_CLIENT as i64
    );
    assert_every_receipt_in_its_centers_chain(&app, HALL, 6 * PER_CLIENT).await;
    assert_chains_verify(&app).await;
}

/// `PER_CLIENT` receipts, each reviewed (all materials in order) as soon as it is acknowledged;
/// the numbers acknowledged.
async fn receive_and_review(clerk: &Staff, client: usize) -> Vec<String> {
    const ITEM: &str = "640106-XK-0003";
    const MATERIALS: [&str; 3] = ["application_form", "id_card", "business_license"];
    let mut numbers = Vec::new();
    for i in 0..PER_CLIENT {
        let case = receive_one(clerk, ITEM, client * PER_CLIENT + i).await;
        let reviewed = clerk.review_all_ok(&case, &MATERIALS).await;
        // An immediate item: accepted and approved on the spot, with two notices.
        assert_eq!(reviewed["case"]["summary"]["state"], "approved");
        assert_eq!(reviewed["notices"].as_array().map(Vec::len), Some(2));
        numbers.push(case["summary"]["number"].as_str().unwrap().to_string());
    }
    numbers
}

/// Writes that are not deferring (reviews, with their notices) mixed with receipts in one
/// center: on PostgreSQL a batch starts before the last one's `COMMIT` came back, and a review
/// waits for that `COMMIT` first. Each client receives a case and reviews it at once, beside
/// the others: every step is kept, the numbers have no gap and the chain is whole. (The row
/// locks alone already keep this order; the wait, for the caches, is not what this test
/// proves.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_queued_behind_receipts_being_committed_see_them_and_keep_the_chain_whole() {
    let app = spawn_app().await;
    let clerks = hall_clerks(&app, 6).await;
    let numbers = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, clerk)| receive_and_review(clerk, n)),
    )
    .await;
    let cases = 6 * PER_CLIENT as i64;
    let expected: Vec<i64> = (1..=cases).collect();
    assert_eq!(
        by_center(numbers.into_iter().flatten()).get(&HALL),
        Some(&expected)
    );
    let approved = "SELECT COUNT(*) FROM cases WHERE state = 'approved'";
    assert_eq!(scalar(&app, approved).await, cases);
    assert_every_receipt_in_its_centers_chain(&app, HALL, cases as usize).await;
    assert_chains_verify(&app).await;
}

fn receipt_body(n: usize, inquiry_id: Option<&Value>) -> Value {
    let mut body = json!({
        "item_code": HALL_ITEM,
        "applicant": {"kind": "person", "name": "张三", "id_number": resident_id(n)},
        "phone": "13995012345", "channel": "counter"
    });
    if let Some(id) = inquiry_id {
        body["inquiry_id"] = id.clone();
    }
    body
}

async fn new_inquiry(clerk: &Staff) -> Value {
    expect_json(
        clerk
            .post(
                "/api/v1/inquiries",
                &json!({"channel": "counter", "topic": "办食品经营许可",
                        "applicant_name": "李女士"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

/// A receipt that fails after it took a number, wrote its case and its audit record (it
/// concludes an inquiry that is already concluded, or not the clerk's), sent among many that
/// succeed: it leaves nothing behind — no case, no number, no record — and the others are all
/// kept, numbered 1..n.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_that_fails_after_its_writes_leaves_nothing_and_the_others_are_kept() {
    let app = spawn_app().await;
    let mine = new_inquiry(&app.login("clerk01").await).await;
    let theirs = new_inquiry(&app.login("clerk02").await).await;
    let mut clerks = Vec::new();
    for _ in 0..4 {
        clerks.push(app.login("clerk01").await);
    }
    let failing = app.login("clerk01").await;
    let plain = join_all(
        clerks
            .iter()
            .enumerate()
            .map(|(n, clerk)| receive_many(clerk, HALL_ITEM, n)),
    );
    // Sixteen receipts from one inquiry at once: one concludes it, the others must fail after
    // their writes; eight from another clerk's inquiry fail the same way.
    let from_inquiries = join_all((0..24).map(|i| {
        let inquiry = if i % 3 == 2 {
            &theirs["id"]
        } else {
            &mine["id"]
        };
        let body = receipt_body(500 + i, Some(inquiry));
        let failing = &failing;
        async move {
            let response = failing.post("/api/v1/cases", &body).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            (status, body)
        }
    }));
    let (plain, from_inquiries) = tokio::join!(plain, from_inquiries);
    let won: Vec<&Value> = from_inquiries
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(won.len(), 1, "one receipt concludes the inquiry");
    for (status, body) in &from_inquiries {
        assert!(
            *status == StatusCode::CREATED || status.is_client_error(),
            "{status} {body}"
        );
    }
    let mut numbers: Vec<String> = plain.into_iter().flatten().collect();
    numbers.push(won[0]["summary"]["number"].as_str().unwrap().to_string());
    let kept = 4 * PER_CLIENT + 1;
    let expected: Vec<i64> = (1..=kept as i64).collect();
    assert_eq!(
        by_center(numbers).get(&HALL),
        Some(&expected),
        "no number lost"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM cases").await,
        kept as i64
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT last_seq FROM case_counter WHERE center_id = {HALL}")
        )
        .await,
        kept as i64
    );
    assert_every_receipt_in_its_centers_chain(&app, HALL, kept).await;
    let linked = scalar(
        &app,
        &format!("SELECT case_id FROM inquiry WHERE id = {}", mine["id"]),
    )
    .await;
    assert_eq!(Some(linked), won[0]["summary"]["id"].as_i64());
    assert_chains_verify(&app).await;
}

/// Where a test's store-level jobs go: the deployment chain (`Db::write`; SQLite batches it) or
/// a center's writer (`Db::write_for_center`, batched on both stores). Each way counts on a
/// year of its own, one no scenario reaches.
#[derive(Clone, Copy, Debug)]
enum Via {
    Deployment,
    Center,
}

impl Via {
    const BOTH: [Via; 2] = [Via::Deployment, Via::Center];

    fn year(self) -> i32 {
        match self {
            Via::Deployment => 2099,
            Via::Center => 2098,
        }
    }

    async fn write<T, F>(self, db: &server::store::Db, f: F) -> server::error::AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c sea_orm::DatabaseTransaction) -> server::store::TxFuture<'c, T>
            + Send,
    {
        match self {
            Via::Deployment => db.write(f).await,
            Via::Center => db.write_for_center(HALL, f).await,
        }
    }

    /// Transactions committed and the jobs they held, where this way batches its jobs.
    fn stats(self, db: &server::store::Db) -> Option<(u64, u64)> {
        match self {
            Via::Deployment => db.group_commit_stats(),
            Via::Center => db.group_commit_stats().or(db.center_group_commit_stats()),
        }
    }

    async fn last_number(self, app: &TestApp) -> i64 {
        let year = self.year();
        scalar(
            app,
            &format!("SELECT COALESCE(MAX(last_seq), 0) FROM case_counter WHERE year = {year}"),
        )
        .await
    }
}

/// Inside a job: holds the turn a moment, so that the jobs sent with it queue behind it.
async fn hold_the_turn() {
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
}

async fn take_number(
    txn: &sea_orm::DatabaseTransaction,
    via: Via,
) -> server::error::AppResult<i64> {
    use sea_orm::sea_query::IntoIden;
    use server::store::entities::case_counter;
    server::store::counter::next(
        txn,
        case_counter::Entity,
        vec![
            (case_counter::Column::CenterId.into_iden(), HALL.into()),
            (case_counter::Column::Year.into_iden(), via.year().into()),
        ],
        case_counter::Column::LastSeq,
    )
    .await
}

/// Writes queued while one runs share its transaction (SQLite: every write; PostgreSQL: a
/// center's); a job that fails after taking a number is rolled back to its savepoint alone: the
/// numbers of the others still run 1..n.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_writes_share_a_commit_and_a_failed_one_gives_its_number_back() {
    let app = spawn_app().await;
    for via in Via::BOTH {
        let before = via.stats(&app.db);
        let jobs = (0..40).map(|i: usize| {
            let db = app.db.clone();
            async move {
                via.write(&db, move |txn| {
                    Box::pin(async move {
                        if i == 0 {
                            hold_the_turn().await;
                        }
                        let n = take_number(txn, via).await?;
                        if i % 4 == 1 {
                            return Err(server::error::AppError::conflict("test_refusal", "不行"));
                        }
                        Ok(n)
                    })
                })
                .await
            }
        });
        let results = join_all(jobs).await;
        let mut numbers = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(n) => {
                    assert_ne!(i % 4, 1, "{via:?}: job {i} should have failed");
                    numbers.push(n);
                }
                Err(err) => {
                    assert_eq!(i % 4, 1, "{via:?}: job {i}: {err}");
                    assert_eq!(err.code(), "test_refusal");
                }
            }
        }
        numbers.sort();
        assert_eq!(numbers, (1..=30).collect::<Vec<i64>>(), "{via:?}");
        assert_eq!(via.last_number(&app).await, 30, "{via:?}");
        match (before, via.stats(&app.db)) {
            (Some((commits0, jobs0)), Some((commits1, jobs1))) => {
                assert_eq!(jobs1 - jobs0, 30, "{via:?}: every kept job committed");
                assert!(
                    commits1 - commits0 < 30,
                    "{via:?}: jobs that queued together share a commit ({} commits)",
                    commits1 - commits0
                );
            }
            (None, None) => assert!(matches!(via, Via::Deployment), "a center's writes batch"),
            other => panic!("{via:?}: the stats changed kind: {other:?}"),
        }
    }
}

/// The first job of a batch runs without a savepoint (its transaction holds nothing else):
/// when it fails after taking a number and writing, its transaction is rolled back whole, and
/// the writes queued behind it start a new one — numbered from 1, nothing of the failed job
/// kept. Likewise for a first job that fails alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batchs_first_write_that_fails_leaves_nothing_and_those_behind_it_are_kept() {
    let app = spawn_app().await;
    app.sql("CREATE TABLE gc_first (id INTEGER PRIMARY KEY)")
        .await;
    for (pass, via) in Via::BOTH.into_iter().enumerate() {
        let base = 100 * pass as i64;
        let alone = via
            .write(&app.db, move |txn| {
                Box::pin(async move {
                    take_number(txn, via).await?;
                    txn.execute_unprepared(&format!("INSERT INTO gc_first (id) VALUES ({base})"))
                        .await?;
                    Err::<i64, _>(server::error::AppError::conflict("test_refusal", "不行"))
                })
            })
            .await;
        assert_eq!(alone.unwrap_err().code(), "test_refusal");
        let jobs = (0..12).map(|i: i64| {
            let db = app.db.clone();
            async move {
                via.write(&db, move |txn| {
                    Box::pin(async move {
                        if i == 0 {
                            hold_the_turn().await;
                        }
                        let n = take_number(txn, via).await?;
                        let id = base + 1 + i;
                        txn.execute_unprepared(&format!("INSERT INTO gc_first (id) VALUES ({id})"))
                            .await?;
                        if i == 0 {
                            return Err(server::error::AppError::conflict("test_refusal", "不行"));
                        }
                        Ok(n)
                    })
                })
                .await
            }
        });
        let results = join_all(jobs).await;
        assert_eq!(results[0].as_ref().unwrap_err().code(), "test_refusal");
        let mut numbers: Vec<i64> = results[1..]
            .iter()
            .map(|r| *r.as_ref().expect("the jobs behind the failed one are kept"))
            .collect();
        numbers.sort();
        assert_eq!(numbers, (1..=11).collect::<Vec<i64>>(), "{via:?}");
        assert_eq!(via.last_number(&app).await, 11, "{via:?}");
        let kept = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM gc_first WHERE id BETWEEN {base} AND {}",
                base + 12
            ),
        )
        .await;
        assert_eq!(kept, 11, "{via:?}: nothing of the failed jobs is kept");
    }
}

/// A batch whose `COMMIT` fails (here: a deferred foreign key one of its jobs broke) is
/// acknowledged to none of its jobs, and none of it is kept; the jobs in other batches are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_commit_fails_acknowledges_none_of_its_writes() {
    let app = spawn_app().await;
    app.sql("CREATE TABLE gc_parent (id INTEGER PRIMARY KEY)")
        .await;
    app.sql(
        "CREATE TABLE gc_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL \
         REFERENCES gc_parent (id) DEFERRABLE INITIALLY DEFERRED)",
    )
    .await;
    for (pass, via) in Via::BOTH.into_iter().enumerate() {
        // Each pass its own ids: 1..48 and 101..148 (the broken child 1000, 1100).
        let base = 100 * pass as i64;
        let jobs = (0..48).map(|i: i64| {
            let db = app.db.clone();
            async move {
                via.write(&db, move |txn| {
                    Box::pin(async move {
                        if i == 0 {
                            hold_the_turn().await;
                            // Accepted now, refused at COMMIT: no such parent.
                            let broken = 1000 + base;
                            txn.execute_unprepared(&format!(
                                "INSERT INTO gc_child (id, parent_id) VALUES ({broken}, {broken})"
                            ))
                            .await?;
                            return Ok(0);
                        }
                        let n = take_number(txn, via).await?;
                        let id = base + i;
                        txn.execute_unprepared(&format!(
                            "INSERT INTO gc_parent (id) VALUES ({id})"
                        ))
                        .await?;
                        txn.execute_unprepared(&format!(
                            "INSERT INTO gc_child (id, parent_id) VALUES ({id}, {id})"
                        ))
                        .await?;
                        Ok(n)
                    })
                })
                .await
            }
        });
        let results = join_all(jobs).await;
        assert!(
            results[0].is_err(),
            "{via:?}: the job that broke the key is refused"
        );
        let mut numbers = Vec::new();
        let mut refused = 0;
        for (i, result) in results.iter().enumerate().skip(1) {
            let id = base + i as i64;
            let kept = scalar(
                &app,
                &format!("SELECT COUNT(*) FROM gc_child WHERE id = {id} AND parent_id = {id}"),
            )
            .await;
            match result {
                Ok(n) => {
                    assert_eq!(
                        kept, 1,
                        "{via:?}: job {i} was acknowledged: it must be kept"
                    );
                    numbers.push(*n);
                }
                Err(err) => {
                    assert_eq!(
                        kept, 0,
                        "{via:?}: job {i} was refused ({err}): nothing of it is kept"
                    );
                    refused += 1;
                }
            }
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM gc_child WHERE id >= 1000").await,
            0
        );
        numbers.sort();
        let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
        assert_eq!(
            numbers, expected,
            "{via:?}: the numbers kept run without a gap"
        );
        assert_eq!(via.last_number(&app).await, numbers.len() as i64);
        if via.stats(&app.db).is_some() {
            assert!(
                refused > 0,
                "{via:?}: the jobs queued behind the broken one shared its batch"
            );
        } else {
            assert_eq!(
                refused, 0,
                "PostgreSQL: every deployment write is its own transaction"
            );
        }
    }
    // Writes after it go on as usual.
    let clerk = app.login("clerk01").await;
    let numbers = receive_many(&clerk, HALL_ITEM, 0).await;
    assert_eq!(numbers.len(), PER_CLIENT);
    assert_chains_verify(&app).await;
}

/// Issue 16: reading cases no longer sweeps the case clock on every request (at most once per
/// two seconds of the requests' clock per process); a case read after its due moment still shows
/// as overdue, marked and audited once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_read_just_after_its_due_moment_shows_as_overdue() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case: Value = expect_json(
        clerk.post("/api/v1/cases", &receipt_body(7, None)).await,
        StatusCode::CREATED,
    )
    .await;
    let accepted = clerk
        .review_all_ok(
            &case,
            &[
                "application_form",
                "business_license",
                "id_card",
                "layout_docs",
                "safety_rules",
            ],
        )
        .await;
    let id = accepted["case"]["summary"]["id"].as_i64().unwrap();
    let due: chrono::DateTime<chrono::Utc> = accepted["case"]["summary"]["due_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let read = |path: String| {
        let clerk = &clerk;
        async move { expect_json::<Value>(clerk.get(&path).await, StatusCode::OK).await }
    };
    // Many reads before the due moment, then one just before it: not overdue.
    for _ in 0..3 {
        read("/api/v1/cases?scope=mine".into()).await;
    }
    app.clock.set(due - chrono::Duration::seconds(1));
    let before = read(format!("/api/v1/cases/{id}")).await;
    assert!(before["summary"]["overdue_at"].is_null(), "{before}");
    // Three seconds later, past the due moment: overdue in the detail and in the list.
    app.clock.set(due + chrono::Duration::seconds(2));
    let after = read(format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        after["summary"]["overdue_at"].as_str(),
        accepted["case"]["summary"]["due_at"].as_str(),
        "{after}"
    );
    let list = read("/api/v1/cases?scope=mine".into()).await;
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["overdue_at"], after["summary"]["overdue_at"]);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_record WHERE action = 'case.overdue'"
        )
        .await,
        1
    );
}

/// A caller that goes away in the middle of its write (its request dropped) leaves nothing of
/// it behind, and the writes queued behind it go on (where writes are batched, they find its
/// half-done job in the open transaction and roll it back to its savepoint first).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_caller_goes_away_midway_leaves_nothing_and_the_others_go_on() {
    let app = spawn_app().await;
    for via in Via::BOTH {
        let (started, has_started) = tokio::sync::oneshot::channel::<()>();
        let db = app.db.clone();
        let abandoned = tokio::spawn(async move {
            via.write(&db, move |txn| {
                Box::pin(async move {
                    take_number(txn, via).await?;
                    let _ = started.send(());
                    std::future::pending::<()>().await;
                    Ok(())
                })
            })
            .await
        });
        has_started.await.unwrap();
        let queued: Vec<_> = (0..8)
            .map(|_| {
                let db = app.db.clone();
                tokio::spawn(async move {
                    via.write(&db, move |txn| {
                        Box::pin(async move { take_number(txn, via).await })
                    })
                    .await
                })
            })
            .collect();
        // Let them queue behind the job that never ends, then drop its caller.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        abandoned.abort();
        let done = tokio::time::timeout(std::time::Duration::from_secs(20), join_all(queued))
            .await
            .expect("the writes behind a dropped one go on");
        let mut numbers: Vec<i64> = done
            .into_iter()
            .map(|joined| joined.unwrap().unwrap())
            .collect();
        numbers.sort();
        assert_eq!(numbers, (1..=8).collect::<Vec<i64>>(), "{via:?}");
        assert_eq!(via.last_number(&app).await, 8, "{via:?}");
    }
    // And a receipt after it all is kept and chained.
    receive_many(&app.login("clerk01").await, HALL_ITEM, 0).await;
    assert_chains_verify(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_tickets_and_window_steps_go_on_their_own_centers_chain_numbered_without_gaps() {
    let app = spawn_app().await;
    // Tickets taken at once at the hall's kiosk (queue A) and at the town's (its queue A).
    let taken = join_all((0..8).map(|i| {
        let (center, queue) = if i % 2 == 0 { (HALL, 1) } else { (TOWN, 3) };
        app.anonymous
            .post(app.url("/api/v1/public/queue-tickets"))
            .json(&json!({"center_id": center, "queue_id": queue}))
            .send()
    }))
    .await;
    let mut numbers: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for response in taken {
        let t: Value = expect_json(response.unwrap(), StatusCode::CREATED).await;
        numbers
            .entry(t["center_id"].as_i64().unwrap())
            .or_default()
            .push(t["number"].as_str().unwrap().to_string());
    }
    for seqs in numbers.values_mut() {
        seqs.sort();
        assert_eq!(seqs, &["A001", "A002", "A003", "A004"]);
    }
    // The hall's window calls, starts and finishes one.
    let clerk = app.login("clerk01").await;
    let mut ticket: Value = expect_json(
        clerk
            .post("/api/v1/queue/call-next", &json!({"window_id": 1}))
            .await,
        StatusCode::OK,
    )
    .await;
    for step in ["start", "finish"] {
        let path = format!("/api/v1/queue-tickets/{}/{step}", ticket["id"]);
        let body = json!({"version": ticket["version"]});
        ticket = expect_json(clerk.post(&path, &body).await, StatusCode::OK).await;
    }
    assert_eq!(ticket["status"], "done");
    let on_chain = |chain: i64, action: &str| {
        format!(
            "SELECT COUNT(*) FROM audit_record WHERE chain_id = {chain} AND action = '{action}'"
        )
    };
    for center in [HALL, TOWN] {
        assert_eq!(scalar(&app, &on_chain(center, "ticket.issue")).await, 4);
    }
    for action in ["ticket.call", "ticket.start", "ticket.finish"] {
        assert_eq!(scalar(&app, &on_chain(HALL, action)).await, 1, "{action}");
    }
    let deployment =
        "SELECT COUNT(*) FROM audit_record WHERE chain_id = 0 AND action LIKE 'ticket.%'";
    assert_eq!(scalar(&app, deployment).await, 0);
    assert_chains_verify(&app).await;
}

/// POSTs `body` as `who` and returns the answer, which must have `status`.
async fn posted(who: &Staff, path: &str, body: Value, status: StatusCode) -> Value {
    expect_json(who.post(path, &body).await, status).await
}

/// A hall's supervision — its weekly patrol, a problem filed by hand with its photo, the
/// rectification fixed and closed out, a rating's code, follow-up, appeal and decision, a unit's
/// monthly list — and its slot rules, kiosks and queues are recorded on the hall's chain, not
/// the deployment's: two halls' supervision never waits on each other, and a slot rule's change
/// is ordered with the hall's bookings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halls_supervision_slot_rules_kiosks_and_queues_are_on_its_chain_not_the_deployments() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let chief = app.login("chief01").await;
    let clerk = app.login("clerk01").await;
    let admin = app.login("admin").await;
    let checklist: Value = expect_json(
        supervisor.get("/api/v1/supervision/patrol-checklist").await,
        StatusCode::OK,
    )
    .await;
    let mut answers: Vec<Value> = (0..checklist["items"].as_array().unwrap().len())
        .map(|i| json!({"item": i, "ok": true}))
        .collect();
    answers[0] = json!({"item": 0, "ok": false, "note": "A02 窗口无人在岗", "unit_id": 1});
    let patrol = json!({"center_id": HALL, "answers": answers});
    posted(
        &supervisor,
        "/api/v1/supervision/patrols",
        patrol,
        StatusCode::CREATED,
    )
    .await;
    let problem = json!({"source": "mystery_visit", "kind": "conduct", "unit_id": 1,
        "window_id": 1, "description": "暗访发现窗口人员工作时间玩手机"});
    let problem = posted(
        &supervisor,
        "/api/v1/supervision/problems",
        problem,
        StatusCode::CREATED,
    )
    .await;
    let path = format!(
        "/api/v1/supervision/problems/{}/files?name=photo.png",
        problem["id"]
    );
    let upload = supervisor
        .client
        .post(supervisor.url(&path))
        .header("content-type", "image/png")
        .body(b"\x89PNG\r\n\x1a\n0000fakeimagebytes".to_vec())
        .send()
        .await
        .unwrap();
    expect_json::<Value>(upload, StatusCode::CREATED).await;
    let item: Value = expect_json(
        chief
            .get(&format!(
                "/api/v1/supervision/rectifications/{}",
                problem["rectification_id"]
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let path = format!("/api/v1/supervision/rectifications/{}", item["id"]);
    let fix = json!({"version": item["version"], "measure": "专人跟进", "note": "已整改"});
    let reported = posted(&chief, &format!("{path}/report"), fix, StatusCode::OK).await;
    let close = json!({"version": reported["version"], "note": "复查属实，予以销号"});
    posted(&supervisor, &format!("{path}/close"), close, StatusCode::OK).await;

    // A served ticket's rating: a 差评, followed up and appealed, the appeal upheld.
    expect_json::<Value>(
        app.anonymous
            .post(app.url("/api/v1/public/queue-tickets"))
            .json(&json!({"center_id": HALL, "queue_id": 1}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let mut ticket = posted(
        &clerk,
        "/api/v1/queue/call-next",
        json!({"window_id": 1}),
        StatusCode::OK,
    )
    .await;
    assert!(ticket["id"].is_i64(), "{ticket}");
    for action in ["start", "finish"] {
        let path = format!("/api/v1/queue-tickets/{}/{action}", ticket["id"]);
        ticket = posted(
            &clerk,
            &path,
            json!({"version": ticket["version"]}),
            StatusCode::OK,
        )
        .await;
    }
    let code = json!({"subject": "ticket", "subject_id": ticket["id"]});
    let code = posted(
        &clerk,
        "/api/v1/supervision/rating-codes",
        code,
        StatusCode::OK,
    )
    .await;
    let rated: Value = expect_json(
        app.anonymous
            .post(app.url(&format!(
                "/api/v1/public/ratings/{}",
                code["code"].as_str().unwrap()
            )))
            .json(&json!({"level": "very_dissatisfied", "comment": "乱评"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/supervision/ratings/{}", rated["id"]);
    let note = json!({"note": "电话回访，已说明情况"});
    posted(&chief, &format!("{path}/follow-up"), note, StatusCode::OK).await;
    let reason = json!({"reason": "监控显示服务规范，评价与事实不符"});
    let appealed = posted(
        &chief,
        &format!("{path}/appeal"),
        reason,
        StatusCode::CREATED,
    )
    .await;
    let appeal = &appealed["appeal"];
    let decision = json!({"version": appeal["version"], "uphold": true, "note": "属恶意评价"});
    let path = format!("/api/v1/supervision/appeals/{}/decide", appeal["id"]);
    posted(&supervisor, &path, decision, StatusCode::OK).await;
    let month = json!({"month": "2026-03"});
    posted(
        &chief,
        "/api/v1/supervision/monthly/submit",
        month,
        StatusCode::CREATED,
    )
    .await;

    // The hall's evening slots, a kiosk and a queue, set up by the administrator.
    let rule = json!({"center_id": HALL, "name": "晚间加开", "weekdays": [3],
        "start_time": "19:00:00", "end_time": "20:00:00", "capacity": 1});
    let rule = posted(&admin, "/api/v1/slot-rules", rule, StatusCode::CREATED).await;
    let path = format!("/api/v1/slot-rules/{}/deactivate", rule["id"]);
    posted(&admin, &path, json!(null), StatusCode::OK).await;
    let kiosk = json!({"center_id": HALL, "name": "二楼取号机"});
    let kiosk = posted(&admin, "/api/v1/kiosks", kiosk, StatusCode::CREATED).await;
    let path = format!("/api/v1/kiosks/{}/revoke", kiosk["kiosk"]["id"]);
    posted(&admin, &path, json!({}), StatusCode::OK).await;
    let queue = json!({"center_id": HALL, "unit_id": 1, "letter": "Z", "name": "综合"});
    posted(&admin, "/api/v1/queues", queue, StatusCode::CREATED).await;

    for action in [
        "patrol.record",
        "problem.raise",
        "problem.attach",
        "rectification.open",
        "rectification.report",
        "rectification.close",
        "rating_code.issue",
        "rating.follow_up",
        "rating_appeal.file",
        "rating_appeal.uphold",
        "rating.strike",
        "problem.strike",
        "monthly.submit",
        "slot_rule.create",
        "slot_rule.deactivate",
        "kiosk.register",
        "kiosk.revoke",
        "queue.create",
    ] {
        let on = |chain: i64| {
            format!(
                "SELECT COUNT(*) FROM audit_record WHERE action = '{action}' AND chain_id = {chain}"
            )
        };
        assert!(
            scalar(&app, &on(HALL)).await >= 1,
            "{action} on the hall's chain"
        );
        assert_eq!(
            scalar(&app, &on(0)).await,
            0,
            "{action} not on the deployment's"
        );
    }
    assert_chains_verify(&app).await;
}

/// How a test's deferring job ends (see `store::Db::write_deferred_for_center`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ending {
    Kept,
    RefusedBeforeItsNumber,
    RefusedAfterItsNumber,
}

/// Sends `endings.len()` deferring writes of the hall at once, behind a plain write that holds
/// the turn (so that they queue into one batch) and takes a number first when `holder_counts`;
/// the plain write's result (its number, or 0) and then each job's.
async fn deferring_wave(
    app: &TestApp,
    holder_counts: bool,
    endings: &[Ending],
) -> Vec<server::error::AppResult<i64>> {
    let via = Via::Center;
    let holder = {
        let db = app.db.clone();
        async move {
            via.write(&db, move |txn| {
                Box::pin(async move {
                    // Long enough for every job to queue, even on a busy machine.
                    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                    if !holder_counts {
                        return Ok(0);
                    }
                    take_number(txn, via).await
                })
            })
            .await
        }
    };
    let jobs = endings.iter().enumerate().map(|(i, &ending)| {
        let db = app.db.clone();
        async move {
            // Queued after the holder, in their order.
            let after = std::time::Duration::from_millis(20 + 10 * i as u64);
            tokio::time::sleep(after).await;
            db.write_deferred_for_center(HALL, move |txn| {
                Box::pin(async move {
                    let refused = server::error::AppError::conflict("test_refusal", "不行");
                    if ending == Ending::RefusedBeforeItsNumber {
                        return Err(refused);
                    }
                    let n = take_number(txn, via).await?;
                    match ending {
                        Ending::RefusedAfterItsNumber => Err(refused),
                        _ => Ok(n),
                    }
                })
            })
            .await
        }
    });
    let (held, mut results) = tokio::join!(holder, join_all(jobs));
    results.insert(0, held);
    results
}

/// PostgreSQL: a receipt's write defers its case to the end of its batch and runs without a
/// savepoint. One refused before it took a number, or after it took one the batch counted in
/// memory, leaves the batch as it was (the number goes to the next). One refused after it took
/// its number from the counter's row gives up its whole batch so far: none of those writes is
/// acknowledged, and the numbers of the writes kept, before and after, still run 1..n. (SQLite
/// never defers: its cases get their ids as they are inserted; the store refuses a deferring
/// write there.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deferring_write_refused_after_its_number_gives_it_back_and_no_number_is_lost() {
    use Ending::*;
    let app = spawn_app().await;
    if app.db.backend() != sea_orm::DatabaseBackend::Postgres {
        let refused = app
            .db
            .write_deferred_for_center(HALL, |_| Box::pin(async { Ok(()) }))
            .await;
        assert!(refused.is_err(), "SQLite has no deferring writes");
        return;
    }
    let first = deferring_wave(
        &app,
        true,
        &[
            Kept,
            RefusedBeforeItsNumber,
            Kept,
            RefusedAfterItsNumber,
            Kept,
        ],
    )
    .await;
    assert_eq!(
        outcomes(&first),
        [
            "kept",
            "kept",
            "test_refusal",
            "kept",
            "test_refusal",
            "kept"
        ],
        "refusals before the number, or after one counted in memory, leave the batch be"
    );
    // The first to count in its batch reads the counter's row: refused after that, its batch so
    // far (the holder and itself) is given up; the writes queued behind it make a new batch.
    let second = deferring_wave(&app, false, &[RefusedAfterItsNumber, Kept, Kept]).await;
    let second = outcomes(&second);
    assert!(second[..2].iter().all(|o| o != "kept"), "{second:?}");
    assert_eq!(second[2..], ["kept", "kept"], "{second:?}");
    let third = deferring_wave(&app, true, &[Kept, Kept]).await;
    let mut numbers: Vec<i64> = [first, third]
        .iter()
        .flatten()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 7, 8, 9],
        "5 and 6 went to the second wave"
    );
    assert_eq!(Via::Center.last_number(&app).await, 9);
}

/// What each write of a wave came to: `kept` or its error's code.
fn outcomes(results: &[server::error::AppResult<i64>]) -> Vec<String> {
    results
        .iter()
        .map(|r| match r {
            Ok(_) => "kept".to_string(),
            Err(err) => err.code().to_string(),
        })
        .collect()
}
