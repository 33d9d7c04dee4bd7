//! The catalog over HTTP: public reading with filters, admin editing with the catalog's rules.

use reqwest::StatusCode;
use scenario_tests::{expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_catalog_covers_the_seven_categories_and_filters() {
    let app = spawn_app().await;
    let all: Value = expect_json(app.get("/api/v1/service-items").await, StatusCode::OK).await;
    let items = all["items"].as_array().unwrap();
    assert!(items.len() >= 12);
    for category in [
        "licensing",
        "confirmation",
        "benefit",
        "adjudication",
        "reward",
        "other_power",
        "public_service",
    ] {
        assert!(
            items.iter().any(|i| i["category"] == category),
            "no {category}"
        );
        let only: Value = expect_json(
            app.get(&format!("/api/v1/service-items?category={category}"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert!(
            only["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["category"] == category)
        );
    }
    let by_unit: Value = expect_json(
        app.get("/api/v1/service-items?unit=2").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        by_unit["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["unit_id"] == 2)
    );
    let text: Value = expect_json(
        app.get("/api/v1/service-items?q=%E9%A3%9F%E5%93%81").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        text["items"].as_array().unwrap().iter().all(|i| i["name"]
            .as_str()
            .unwrap()
            .contains("食品")
            || i["legal_basis"].as_str().unwrap().contains("食品"))
    );
    let item: Value = expect_json(
        app.get("/api/v1/service-items/640106-XK-0001").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item["time_limit"],
        json!({"kind": "promised", "working_days": 5, "statutory_working_days": 10})
    );
    expect_error(
        app.get("/api/v1/service-items/NOPE").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_error(
        app.get("/api/v1/service-items?category=unknown").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

fn new_item() -> Value {
    json!({
        "code": "640106-QT-0099", "name": "测试事项", "category": "other_power", "unit_id": 1,
        "legal_basis": "《某某条例》第一条", "conditions": ["条件一"],
        "materials": [{"key": "form", "name": "申请表", "copies": "original", "count": 1,
            "form": "paper",
                       "source": "窗口领取", "requirement": {"kind": "required"}}],
        "steps": ["申请", "受理", "决定"],
        "time_limit": {"kind": "promised", "working_days": 5, "statutory_working_days": 10},
        "stage_limits": [{"stage": "acceptance", "working_days": 1}, {"stage": "review",
            "working_days": 3}],
        "place": "A01 窗口", "phone": "0951-6888201"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_an_item_and_the_catalogs_rules_are_enforced() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = app.count("service_item").await;
    for (patch, code) in [
        (
            json!({"time_limit": {"kind": "promised", "working_days": 12,
                "statutory_working_days": 10}}),
            "promised_exceeds_statutory",
        ),
        (
            json!({"stage_limits": [{"stage": "acceptance", "working_days": 3}, {"stage": "review",
                "working_days": 3}]}),
            "stage_limits_exceed_total",
        ),
        // A stage of no days would be late the moment it starts.
        (
            json!({"stage_limits": [{"stage": "acceptance", "working_days": 0}]}),
            "invalid_stage_limit",
        ),
        (json!({"materials": []}), "materials_required"),
        (
            json!({"category": "licensing", "extension_bound_days": 11}),
            "extension_bound_too_large",
        ),
        (json!({"unit_id": 99}), "unknown_unit"),
    ] {
        let mut body = new_item();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let err = expect_error(
            admin.post("/api/v1/service-items", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code);
    }
    assert_eq!(app.count("service_item").await, before);
    let created: Value = expect_json(
        admin.post("/api/v1/service-items", &new_item()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["unit_name"], "区市场监督管理局");
    let dup = expect_error(
        admin.post("/api/v1/service-items", &new_item()).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(dup["code"], "code_taken");
    // Deactivated: gone from the public catalog, kept for the record.
    let out = admin
        .post(
            "/api/v1/service-items/640106-QT-0099/deactivate",
            &json!(null),
        )
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let public: Value = expect_json(app.get("/api/v1/service-items").await, StatusCode::OK).await;
    assert!(
        !public["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "640106-QT-0099")
    );
    let all: Value = expect_json(
        admin.get("/api/v1/admin/service-items").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "640106-QT-0099" && i["active"] == false)
    );
    // A clerk cannot edit the catalog.
    let clerk = app.login("clerk01").await;
    expect_error(
        clerk.post("/api/v1/service-items", &new_item()).await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_case_keeps_the_item_as_it_was_when_received() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await;
    let case: Value = expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({"item_code": "640106-XK-0001", "applicant": {"kind": "person",
                    "name": "王五", "id_number": "11010519491231002X"},
                        "phone": "13995012345", "channel": "counter"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let mut item: Value = expect_json(
        app.get("/api/v1/service-items/640106-XK-0001").await,
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
            .put("/api/v1/service-items/640106-XK-0001", &item)
            .await,
        StatusCode::OK,
    )
    .await;
    let now: Value = expect_json(
        clerk
            .get(&format!("/api/v1/cases/{}", case["summary"]["id"]))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(now["item"]["time_limit"]["working_days"], 5);
}
