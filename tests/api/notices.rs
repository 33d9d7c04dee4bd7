//! Notices are stored as issued; printing again is recorded as a reprint (补打).

use reqwest::StatusCode;
use scenario_tests::{expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_print_is_the_original_and_every_later_one_is_a_reprint() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case: Value = expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({"item_code": "640106-XK-0003", "applicant": {"kind": "person",
                    "name": "赵六", "id_number": "11010519491231002X"},
                        "phone": "13995012345", "channel": "counter"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let result = clerk
        .review_all_ok(&case, &["application_form", "id_card", "business_license"])
        .await;
    let notice_id = result["notices"][0]["id"].as_i64().unwrap();
    let before: Value = expect_json(
        clerk.get(&format!("/api/v1/notices/{notice_id}")).await,
        StatusCode::OK,
    )
    .await;
    let first: Value = expect_json(
        clerk
            .post(&format!("/api/v1/notices/{notice_id}/prints"), &json!(null))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["reprint"], false);
    let second: Value = expect_json(
        clerk
            .post(&format!("/api/v1/notices/{notice_id}/prints"), &json!(null))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["reprint"], true);
    assert_eq!(second["prints"], 2);
    let after: Value = expect_json(
        clerk.get(&format!("/api/v1/notices/{notice_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["html"], before["html"], "the document never changes");
    assert_eq!(after["summary"]["sha256"], before["summary"]["sha256"]);
    // Another unit's staff cannot read or print it.
    let other = app.login("clerk02").await;
    expect_error(
        other.get(&format!("/api/v1/notices/{notice_id}")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_error(
        other
            .post(&format!("/api/v1/notices/{notice_id}/prints"), &json!(null))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}
