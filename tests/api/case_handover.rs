//! 首问负责 outlives an account: a case whose owner left is handed by the unit's chief
//! representative to another clerk of the unit, who then follows it to the end.

use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

const FOOD: &str = "640106-XK-0001";
const FOOD_REQUIRED: [&str; 5] = [
    "application_form",
    "business_license",
    "id_card",
    "layout_docs",
    "safety_rules",
];

/// A second clerk of the market unit (unit 1), signed in.
async fn second_market_clerk(app: &TestApp) -> Staff {
    let admin = app.login("admin").await;
    expect_json::<Value>(
        admin
            .post(
                "/api/v1/staff",
                &json!({"staff_number": "clerk09", "name": "周新来", "unit_id": 1,
                    "window_ids": [1], "roles": ["clerk"],
                    "password": scenario_tests::DEMO_PASSWORD}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    app.login("clerk09").await
}

async fn accepted_case(clerk: &Staff) -> Value {
    let case: Value = expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({
                    "item_code": FOOD,
                    "applicant": {"kind": "person", "name": "马丽", "id_number":
                        "11010519491231002X"},
                    "phone": "13995012345",
                    "channel": "counter"
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    clerk.review_all_ok(&case, &FOOD_REQUIRED).await["case"].clone()
}

fn id(case: &Value) -> i64 {
    case["summary"]["id"].as_i64().unwrap()
}

fn version(case: &Value) -> i64 {
    case["summary"]["version"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_whose_owner_left_is_handed_over_by_the_chief_and_the_new_owner_closes_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let successor = second_market_clerk(&app).await;
    let chief = app.login("chief01").await;
    let admin = app.login("admin").await;
    let case = accepted_case(&clerk).await;
    let out = admin
        .post(
            &format!("/api/v1/staff/{}/deactivate", clerk.id()),
            &json!(null),
        )
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);

    // The chief sees that nobody can follow the case any more.
    let seen: Value = expect_json(
        chief.get(&format!("/api/v1/cases/{}", id(&case))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["owner_active"], false);

    let handed: Value = expect_json(
        chief
            .post(
                &format!("/api/v1/cases/{}/handover", id(&case)),
                &json!({"version": version(&seen), "to_staff_id": successor.id(),
                    "reason": "原首问负责人已调离"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(handed["summary"]["owner_id"], successor.id());
    assert_eq!(handed["summary"]["owner_name"], "周新来");
    assert_eq!(handed["owner_active"], true);
    let record = &handed["handovers"][0];
    assert_eq!(record["from_name"], "王晓燕");
    assert_eq!(record["to_name"], "周新来");
    assert_eq!(record["handed_over_by"], "张卫东");
    assert_eq!(record["reason"], "原首问负责人已调离");

    // The new owner follows the case to the end, feedback included.
    let mut case = handed;
    for (step, body) in [
        ("start-review", json!({})),
        ("decision", json!({"decision": "approved"})),
        ("delivery", json!({"method": "当场领取"})),
        ("close", json!({"feedback": "已电话告知申请人领取结果"})),
    ] {
        let mut body = body;
        body["version"] = json!(version(&case));
        case = expect_json(
            successor
                .post(&format!("/api/v1/cases/{}/{step}", id(&case)), &body)
                .await,
            StatusCode::OK,
        )
        .await;
    }
    assert_eq!(case["summary"]["state"], "closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_units_chief_hands_a_case_over_and_only_to_an_active_clerk_of_the_unit() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let successor = second_market_clerk(&app).await;
    let case = accepted_case(&clerk).await;
    let url = format!("/api/v1/cases/{}/handover", id(&case));
    let v = version(&case);
    let to = |staff_id: i64| json!({"version": v, "to_staff_id": staff_id, "reason": "休假"});

    // Not the owner themselves, not another unit's chief, not a supervisor.
    for who in ["clerk01", "chief02", "super01"] {
        let s = app.login(who).await;
        let r = s.post(&url, &to(successor.id())).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let chief = app.login("chief01").await;
    let clerk02 = app.login("clerk02").await;
    let chief02 = app.login("chief02").await;
    for (staff_id, code) in [
        (clerk02.id(), "not_a_clerk_of_unit"),
        (chief.id(), "not_a_clerk_of_unit"),
        (chief02.id(), "not_a_clerk_of_unit"),
        (999_999, "not_a_clerk_of_unit"),
        (clerk.id(), "must_be_someone_else"),
    ] {
        let e = expect_error(
            chief.post(&url, &to(staff_id)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            (e["code"].as_str(), e["field"].as_str()),
            (Some(code), Some("to_staff_id"))
        );
    }
    let no_reason = json!({"version": version(&case), "to_staff_id": successor.id(),
        "reason": "  "});
    let e = expect_error(
        chief.post(&url, &no_reason).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e["field"], "reason");
    let stale = json!({"version": version(&case) - 1, "to_staff_id": successor.id(),
        "reason": "休假"});
    assert_eq!(
        chief.post(&url, &stale).await.status(),
        StatusCode::CONFLICT
    );

    // A deactivated clerk cannot take a case over.
    let admin = app.login("admin").await;
    admin
        .post(
            &format!("/api/v1/staff/{}/deactivate", successor.id()),
            &json!(null),
        )
        .await;
    let e = expect_error(
        chief.post(&url, &to(successor.id())).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e["code"], "not_a_clerk_of_unit");

    // Nothing changed.
    let now: Value = expect_json(
        clerk.get(&format!("/api/v1/cases/{}", id(&case))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(now["summary"]["owner_id"], clerk.id());
    assert_eq!(version(&now), version(&case));
    assert_eq!(now["handovers"], json!([]));
}

/// A handover moved the old owner's record onto the new one: a staff score counts a case for
/// whoever owned it when the counted thing happened (its receipt here), not for today's owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_over_case_counts_for_the_clerk_who_received_it_in_staff_scores() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let successor = second_market_clerk(&app).await;
    let chief = app.login("chief01").await;
    let supervisor = app.login("super01").await;
    let case = accepted_case(&clerk).await;
    // The handover comes an hour after the receipt.
    app.clock.advance(chrono::Duration::hours(1));
    expect_json::<Value>(
        chief
            .post(
                &format!("/api/v1/cases/{}/handover", id(&case)),
                &json!({"version": version(&case), "to_staff_id": successor.id(),
                    "reason": "休假"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let scores: Value = expect_json(
        supervisor
            .get("/api/v1/supervision/scores?level=staff&period=2026Q1")
            .await,
        StatusCode::OK,
    )
    .await;
    let one_time_total = |who: i64| {
        let row = scores
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == who)
            .unwrap_or_else(|| panic!("no row for {who}: {scores}"))
            .clone();
        let line = scenario_tests::score_line(&row["breakdown"], "one_time");
        line["ratio"]["total"].as_u64().unwrap()
    };
    assert_eq!(one_time_total(clerk.id()), 1);
    assert_eq!(one_time_total(successor.id()), 0);
}
