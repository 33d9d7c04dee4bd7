//! The organisation's admin API: create, list, update, deactivate — never delete.

use reqwest::StatusCode;
use scenario_tests::{expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_organisation_has_two_centers_three_units_six_windows_and_every_role() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let centers: Value = expect_json(admin.get("/api/v1/centers").await, StatusCode::OK).await;
    let units: Value = expect_json(admin.get("/api/v1/units").await, StatusCode::OK).await;
    let windows: Value = expect_json(admin.get("/api/v1/windows").await, StatusCode::OK).await;
    let staff: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    assert_eq!(centers["items"].as_array().unwrap().len(), 2);
    assert_eq!(units["items"].as_array().unwrap().len(), 3);
    assert_eq!(windows["items"].as_array().unwrap().len(), 6);
    let roles: Vec<&str> = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
        })
        .collect();
    for role in ["clerk", "chief_representative", "supervisor", "admin"] {
        assert!(roles.contains(&role), "no demo {role}");
    }
    let hall = &centers["items"][0];
    assert_eq!(hall["name"], "金凤区政务服务中心");
    let sessions = &hall["business_hours"]["regular"]["working_day"]["sessions"];
    assert_eq!(
        sessions,
        &json!([{"start":"09:00:00","end":"12:00:00"},{"start":"13:00:00","end":"17:00:00"}])
    );
    let town = &centers["items"][1];
    assert_ne!(
        town["business_hours"], hall["business_hours"],
        "the town keeps its own hours"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_builds_a_street_center_with_a_unit_window_and_clerk() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let audit_before = app.audit_count().await;
    let center: Value = expect_json(
        admin
            .post(
                "/api/v1/centers",
                &json!({"name":"北京中路街道民生服务中心","kind":"street",
            "address":"北京中路 100 号","phone":"0951-7000001"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let center_id = center["id"].as_i64().unwrap();
    let unit: Value = expect_json(
        admin
            .post(
                "/api/v1/units",
                &json!({"center_id":center_id,"name":"街道社会事务办","phone":"0951-7000002"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let unit_id = unit["id"].as_i64().unwrap();
    let window: Value = expect_json(
        admin
            .post(
                "/api/v1/windows",
                &json!({"center_id":center_id,"number":"01","name":"综合窗口",
            "unit_ids":[unit_id]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let person: Value = expect_json(
        admin
            .post(
                "/api/v1/staff",
                &json!({"staff_number":"jd01","name":"周文","unit_id":unit_id,
                    "window_ids":[window["id"]],"roles":["clerk","chief_representative"],
                    "password":"first-password"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(person["roles"], json!(["clerk", "chief_representative"]));
    assert!(person.get("password").is_none() && person.get("password_hash").is_none());
    // The new chief representative can now be named for the unit.
    let updated: Value = expect_json(
        admin
            .put(
                &format!("/api/v1/units/{unit_id}"),
                &json!({"center_id":center_id,
                "name":"街道社会事务办","chief_representative_id":person["id"]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["chief_representative_name"], "周文");
    assert_eq!(
        app.audit_count().await,
        audit_before + 5,
        "each change is audited"
    );
    // And they can sign in with their two roles.
    let jd = app.login_with("jd01", "first-password").await;
    assert_eq!(
        jd.me["staff"]["roles"],
        json!(["clerk", "chief_representative"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chief_representative_must_hold_the_role_and_belong_to_the_unit() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await; // unit 1, but a clerk only
    let chief_other_unit = app.login("chief02").await; // unit 2
    for (who, code) in [
        (clerk.id(), "not_a_chief_representative"),
        (chief_other_unit.id(), "chief_of_other_unit"),
    ] {
        let err = expect_error(
            admin
                .put(
                    "/api/v1/units/1",
                    &json!({"center_id":1,"name":"区市场监督管理局","chief_representative_id":who}),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_keeps_the_record_and_there_is_no_delete() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let out = admin
        .post("/api/v1/windows/2/deactivate", &json!(null))
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let window: Value = expect_json(admin.get("/api/v1/windows/2").await, StatusCode::OK).await;
    assert_eq!(window["active"], false);
    let delete = admin
        .client
        .delete(admin.url("/api/v1/windows/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(delete, StatusCode::METHOD_NOT_ALLOWED).await["code"],
        "method_not_allowed"
    );
    let back = admin.post("/api/v1/windows/2/activate", &json!(null)).await;
    assert_eq!(back.status(), StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_center_with_active_units_cannot_be_deactivated() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let err = expect_error(
        admin
            .post("/api/v1/centers/1/deactivate", &json!(null))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(err["code"], "has_active_children");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_numbers_and_window_numbers_are_unique() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let dup_staff = admin
        .post(
            "/api/v1/staff",
            &json!({"staff_number":"clerk01","name":"重名","unit_id":1,
            "roles":["clerk"],"password":"long-enough"}),
        )
        .await;
    assert_eq!(
        expect_error(dup_staff, StatusCode::CONFLICT).await["code"],
        "staff_number_taken"
    );
    // Case tells no two people apart (a tester had "CLERK01" beside "clerk01").
    let upper = admin
        .post(
            "/api/v1/staff",
            &json!({"staff_number":"CLERK01","name":"重名","unit_id":1,
            "roles":["clerk"],"password":"long-enough"}),
        )
        .await;
    assert_eq!(
        expect_error(upper, StatusCode::CONFLICT).await["code"],
        "staff_number_taken"
    );
    let dup_window = admin
        .post(
            "/api/v1/windows",
            &json!({"center_id":1,"number":"A01","unit_ids":[1]}),
        )
        .await;
    assert_eq!(
        expect_error(dup_window, StatusCode::CONFLICT).await["code"],
        "number_taken"
    );
    // Nor in another case: "a01" beside "A01" put both in the clerks' transfer list.
    let lower_window = admin
        .post(
            "/api/v1/windows",
            &json!({"center_id":1,"number":"a01","unit_ids":[1]}),
        )
        .await;
    assert_eq!(
        expect_error(lower_window, StatusCode::CONFLICT).await["code"],
        "number_taken"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let err = expect_error(
        admin
            .post(
                &format!("/api/v1/staff/{}/deactivate", admin.id()),
                &json!(null),
            )
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(err["code"], "cannot_deactivate_self");
    let err = expect_error(
        admin
            .put(
                &format!("/api/v1/staff/{}", admin.id()),
                &json!({"staff_number":"admin","name":"系统管理员","roles":["supervisor"]}),
            )
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(err["code"], "cannot_drop_own_admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_see_active_centers_with_todays_hours() {
    let app = spawn_app().await; // the test clock says Wednesday 2026-03-04
    let body: Value = expect_json(app.get("/api/v1/public/centers").await, StatusCode::OK).await;
    let centers = body["centers"].as_array().unwrap();
    assert_eq!(centers.len(), 2);
    assert_eq!(centers[0]["today"], "2026-03-04");
    assert_eq!(
        centers[0]["today_hours"],
        json!([{"start":"09:00","end":"12:00"},{"start":"13:00","end":"17:00"}])
    );
    assert_eq!(
        centers[1]["today_hours"],
        json!([{"start":"08:30","end":"12:00"},{"start":"14:00","end":"17:30"}])
    );
    // In summer the town keeps its summer afternoon; on a holiday nobody is open.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-07-01T02:00:00Z")
            .unwrap()
            .into(),
    );
    let summer: Value = expect_json(app.get("/api/v1/public/centers").await, StatusCode::OK).await;
    assert_eq!(
        summer["centers"][1]["today_hours"][1],
        json!({"start":"14:30","end":"18:00"})
    );
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-10-01T02:00:00Z")
            .unwrap()
            .into(),
    );
    let holiday: Value = expect_json(app.get("/api/v1/public/centers").await, StatusCode::OK).await;
    assert_eq!(holiday["centers"][0]["today_hours"], json!([]));
}

/// Separation of duties: a supervisor closes out (销号) rectifications and decides rating
/// appeals, so nobody may also be a clerk or chief representative of a unit — a tester made a
/// chief representative who was also a supervisor and closed out his own unit's rectification.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_is_both_a_supervisor_and_a_units_clerk_or_chief() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let staff_before = app.count("staff").await;
    for roles in [
        json!(["chief_representative", "supervisor"]),
        json!(["clerk", "supervisor"]),
    ] {
        let refused = admin
            .post(
                "/api/v1/staff",
                &json!({"staff_number":"chief09","name":"周督","unit_id":1,"roles":roles,
                    "password":"first-password"}),
            )
            .await;
        let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            (&err["code"], &err["field"]),
            (&json!("roles_conflict"), &json!("roles"))
        );
    }
    assert_eq!(app.count("staff").await, staff_before);
    // Nor can an existing chief representative be given the supervisor's role.
    let staff: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    let chief = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["staff_number"] == "chief01")
        .unwrap()
        .clone();
    let refused = admin
        .put(
            &format!("/api/v1/staff/{}", chief["id"]),
            &json!({"staff_number":"chief01","name":chief["name"],"unit_id":chief["unit_id"],
                "roles":["chief_representative","supervisor"]}),
        )
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "roles_conflict"
    );
}

/// The administrator's forms are told every problem at once: a staff account with a bad number,
/// no name and a clerk's role without a unit lists all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_account_with_several_fields_wrong_is_told_every_one_at_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = (app.count("staff").await, app.audit_count().await);
    let body =
        json!({"staff_number": "x", "name": "", "roles": ["clerk"], "password": "pw-123456789"});
    let err = expect_error(
        admin.post("/api/v1/staff", &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "unit_required", "{err}");
    let mut fields: Vec<&str> = err["problems"]
        .as_array()
        .expect("every problem listed")
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["name", "staff_number", "unit_id"], "{err}");
    // One problem alone is answered as before, without a list.
    let one = json!({"name": "", "kind": "street", "address": "北京中路 1 号",
        "phone": "0951-7000001"});
    let err = expect_error(
        admin.post("/api/v1/centers", &one).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["field"], "name", "{err}");
    assert!(err.get("problems").is_none(), "{err}");
    assert_eq!((app.count("staff").await, app.audit_count().await), before);
}
