//! Bad input on every route that takes a body or an id: the JSON error shape with a 4xx, and
//! nothing written.

use reqwest::{Method, StatusCode};
use scenario_tests::{TestApp, expect_error, spawn_app};
use serde_json::{Value, json};

/// (method, path, a valid body, a required field, a field to give the wrong type)
fn json_routes() -> Vec<(Method, &'static str, Value, &'static str, &'static str)> {
    vec![
        (
            Method::POST,
            "/api/v1/auth/login",
            json!({"staff_number":"admin","password":"chuangkou-demo"}),
            "password",
            "staff_number",
        ),
        (
            Method::POST,
            "/api/v1/auth/password",
            json!({"current_password":"chuangkou-demo","new_password":"another-password"}),
            "new_password",
            "current_password",
        ),
        (
            Method::POST,
            "/api/v1/centers",
            json!({"name":"新中心","kind":"street","address":"某街道 1 号","phone":"0951-1234567"}),
            "address",
            "kind",
        ),
        (
            Method::PUT,
            "/api/v1/centers/2",
            json!({"name":"良田镇民生服务中心","kind":"town","address":"良田镇 8 号","phone":"0951-6012345"}),
            "name",
            "phone",
        ),
        (
            Method::POST,
            "/api/v1/units",
            json!({"center_id":1,"name":"区医疗保障局"}),
            "center_id",
            "name",
        ),
        (
            Method::PUT,
            "/api/v1/units/1",
            json!({"center_id":1,"name":"区市场监督管理局"}),
            "name",
            "center_id",
        ),
        (
            Method::POST,
            "/api/v1/windows",
            json!({"center_id":1,"number":"D01","unit_ids":[1]}),
            "unit_ids",
            "unit_ids",
        ),
        (
            Method::PUT,
            "/api/v1/windows/1",
            json!({"center_id":1,"number":"A01","unit_ids":[1]}),
            "number",
            "center_id",
        ),
        (
            Method::POST,
            "/api/v1/staff",
            json!({"staff_number":"c099","name":"新人","unit_id":1,"roles":["clerk"],"password":"long-enough-1"}),
            "roles",
            "roles",
        ),
        (
            Method::PUT,
            "/api/v1/staff/1",
            json!({"staff_number":"clerk01","name":"王晓燕","unit_id":1,"window_ids":[1],"roles":["clerk"]}),
            "name",
            "window_ids",
        ),
        (
            Method::PUT,
            "/api/v1/calendar/2027",
            json!({"holidays":[{"date":"2027-01-01","name":"元旦"}],"makeup_workdays":[]}),
            "holidays",
            "holidays",
        ),
    ]
}

/// Row counts of every table a refused request could have touched.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "audit_record",
        "service_center",
        "unit",
        "window",
        "window_unit",
        "staff",
        "staff_role",
        "staff_window",
        "calendar_year",
        "calendar_day",
    ] {
        counts.push(app.count(table).await);
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_400_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, _, _, _) in json_routes() {
        let response = admin
            .client
            .request(method.clone(), admin.url(path))
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap();
        let err = expect_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(err["code"], "malformed_json", "{method} {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_is_415_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, body, _, _) in json_routes() {
        let response = admin
            .client
            .request(method.clone(), admin.url(path))
            .header("content-type", "text/plain")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let err = expect_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
        assert_eq!(err["code"], "unsupported_media_type", "{method} {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_field_is_named_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, body, required, _) in json_routes() {
        let mut body = body.clone();
        body.as_object_mut().unwrap().remove(required);
        let err = expect_error(
            admin.send(method.clone(), path, Some(&body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], "missing_field", "{method} {path}");
        assert_eq!(err["field"], required, "{method} {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_of_the_wrong_type_is_named_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, body, _, retyped) in json_routes() {
        let mut body = body.clone();
        let wrong = if body[retyped].is_string() {
            json!(12345)
        } else {
            json!("not-what-you-want")
        };
        body[retyped] = wrong;
        let err = expect_error(
            admin.send(method.clone(), path, Some(&body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(
            ["invalid_type", "invalid_value"].contains(&err["code"].as_str().unwrap()),
            "{method} {path}: {err}"
        );
        assert_eq!(err["field"], retyped, "{method} {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_field_is_refused_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, body, _, _) in json_routes() {
        let mut body = body.clone();
        body["colour"] = json!("red");
        let err = expect_error(
            admin.send(method.clone(), path, Some(&body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], "unknown_field", "{method} {path}");
        assert_eq!(err["field"], "colour", "{method} {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_body_is_413_on_every_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(10 * 1024 * 1024)).into_bytes();
    for (method, path, _, _, _) in json_routes() {
        let (status, err) = admin
            .raw(method.as_str(), path, "application/json", huge.clone())
            .await;
        assert_eq!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {path}: {err}"
        );
        assert_eq!(err["code"], "payload_too_large", "{method} {path}");
        assert!(err["message"].is_string());
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_id_is_404_and_a_malformed_id_is_400() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (method, path, body) in [
        (Method::GET, "/api/v1/centers/9999", None),
        (Method::GET, "/api/v1/units/9999", None),
        (Method::GET, "/api/v1/windows/9999", None),
        (Method::GET, "/api/v1/staff/9999", None),
        (
            Method::PUT,
            "/api/v1/centers/9999",
            Some(json!({"name":"x","kind":"town","address":"y","phone":"0951-1234567"})),
        ),
        (
            Method::PUT,
            "/api/v1/units/9999",
            Some(json!({"center_id":1,"name":"x"})),
        ),
        (
            Method::PUT,
            "/api/v1/windows/9999",
            Some(json!({"center_id":1,"number":"Z1","unit_ids":[1]})),
        ),
        (
            Method::PUT,
            "/api/v1/staff/9999",
            Some(json!({"staff_number":"zz","name":"x","roles":["admin"]})),
        ),
        (Method::POST, "/api/v1/centers/9999/deactivate", None),
        (Method::POST, "/api/v1/units/9999/deactivate", None),
        (Method::POST, "/api/v1/windows/9999/deactivate", None),
        (Method::POST, "/api/v1/staff/9999/deactivate", None),
        (Method::GET, "/api/v1/calendar/2031", None),
    ] {
        let err = expect_error(
            admin.send(method.clone(), path, body.as_ref()).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert!(err["message"].is_string(), "{method} {path}");
    }
    for path in [
        "/api/v1/centers/abc",
        "/api/v1/staff/1.5",
        "/api/v1/calendar/twenty",
    ] {
        let err = expect_error(admin.get(path).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(err["code"], "invalid_path", "{path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_to_things_that_do_not_exist_are_422_and_write_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = snapshot(&app).await;
    for (path, body, code) in [
        (
            "/api/v1/units",
            json!({"center_id":999,"name":"某单位"}),
            "unknown_center",
        ),
        (
            "/api/v1/windows",
            json!({"center_id":1,"number":"Z9","unit_ids":[999]}),
            "unknown_unit",
        ),
        (
            "/api/v1/windows",
            json!({"center_id":1,"number":"Z9","unit_ids":[3]}),
            "unit_of_other_center",
        ),
        (
            "/api/v1/staff",
            json!({"staff_number":"n1","name":"某","unit_id":999,"roles":["clerk"],"password":"long-enough"}),
            "unknown_unit",
        ),
        (
            "/api/v1/staff",
            json!({"staff_number":"n1","name":"某","unit_id":1,"window_ids":[3],"roles":["clerk"],"password":"long-enough"}),
            "window_not_of_unit",
        ),
        (
            "/api/v1/staff",
            json!({"staff_number":"n1","name":"某","roles":["clerk"],"password":"long-enough"}),
            "unit_required",
        ),
        (
            "/api/v1/staff",
            json!({"staff_number":"n1","name":"某","roles":["admin"],"password":"short"}),
            "weak_password",
        ),
        (
            "/api/v1/centers",
            json!({"name":"x","kind":"town","address":"y","phone":"12"}),
            "invalid_phone",
        ),
        (
            "/api/v1/centers",
            json!({"name":"  ","kind":"town","address":"y","phone":"0951-1234567"}),
            "required",
        ),
    ] {
        let err = expect_error(
            admin.post(path, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code, "{path} {body}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_api_path_and_a_wrong_method_get_the_json_error_shape() {
    let app = spawn_app().await;
    assert_eq!(
        expect_error(app.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND).await["code"],
        "not_found"
    );
    let response = app
        .anonymous
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(response, StatusCode::METHOD_NOT_ALLOWED).await["code"],
        "method_not_allowed"
    );
}
