use reqwest::StatusCode;
use scenario_tests::{AppOptions, client, expect_error, expect_json, spawn_app, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_clerk_logs_in_and_sees_who_they_are() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let me: Value = expect_json(clerk.get("/api/v1/auth/me").await, StatusCode::OK).await;
    assert_eq!(me["staff"]["staff_number"], "clerk01");
    assert_eq!(me["staff"]["roles"], json!(["clerk"]));
    assert_eq!(me["center_name"], "金凤区政务服务中心");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "admin", "password": scenario_tests::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("chuangkou_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
}

/// A tablet's keyboard capitalises the first letter typed: "Clerk01" was answered "工号或密码不
/// 正确" although staff numbers are unique ignoring case. The number names its one account in
/// any case; the session is that account's, as its own number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_number_typed_in_another_case_signs_in_to_its_one_account() {
    let app = spawn_app().await;
    for typed in ["Clerk01", "CLERK01", " clerk01 "] {
        let clerk = app.login(typed).await;
        let me: Value = expect_json(clerk.get("/api/v1/auth/me").await, StatusCode::OK).await;
        assert_eq!(me["staff"]["staff_number"], "clerk01", "{typed}");
    }
    let wrong = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "Clerk01", "password": "wrong-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(wrong, StatusCode::UNAUTHORIZED).await["code"],
        "invalid_credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_401_and_starts_no_session() {
    let app = spawn_app().await;
    let c = client();
    let response = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "clerk01", "password": "wrong-password" }))
        .send()
        .await
        .unwrap();
    let body = expect_error(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(body["code"], "invalid_credentials");
    let me = c.get(app.url("/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_staff_number_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "nobody", "password": "whatever-it-is" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(response, StatusCode::UNAUTHORIZED).await["code"],
        "invalid_credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_wrong_passwords_in_a_minute_from_one_address_are_refused_with_429() {
    let app = spawn_app_with(AppOptions {
        login_attempts_per_minute: 10,
        ..Default::default()
    })
    .await;
    let c = client();
    let attempt = || {
        c.post(app.url("/api/v1/auth/login"))
            .json(&json!({ "staff_number": "clerk01", "password": "guess" }))
            .send()
    };
    for _ in 0..10 {
        assert_eq!(attempt().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let refused = attempt().await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    let body = expect_error(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(body["code"], "too_many_login_attempts");
    // From this address even the right password is refused until the minute has passed (another
    // address is not: see `sessions::a_stranger_guessing_from_another_address_…`).
    let right = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "clerk01", "password": scenario_tests::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_are_stored_only_as_argon2id_hashes() {
    let app = spawn_app().await;
    use sea_orm::EntityTrait;
    let staff = server::store::entities::staff::Entity::find()
        .all(&app.db.conn)
        .await
        .unwrap();
    assert!(!staff.is_empty());
    for person in staff {
        assert!(
            person.password_hash.starts_with("$argon2id$"),
            "{}",
            person.staff_number
        );
        assert!(!person.password_hash.contains(scenario_tests::DEMO_PASSWORD));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let out = clerk
        .client
        .post(clerk.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        clerk.get("/api/v1/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_staff_member_loses_their_session_at_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk02").await;
    let out = admin
        .post(
            &format!("/api/v1/staff/{}/deactivate", clerk.id()),
            &json!(null),
        )
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        clerk.get("/api/v1/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "clerk02", "password": scenario_tests::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_changes_their_password_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let weak = clerk
        .post(
            "/api/v1/auth/password",
            &json!({ "current_password": scenario_tests::DEMO_PASSWORD, "new_password": "short" }),
        )
        .await;
    assert_eq!(
        expect_error(weak, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "new_password"
    );
    // Long enough but what a guesser tries first (a tester set 12345678 and `password`).
    // A common word with digits tacked on, or the staff number itself, too (`pwtest123`).
    for guessable in [
        "12345678",
        "password",
        "aaaaaaaaaa",
        "password1",
        "Clerk01-long",
    ] {
        let weak = clerk
            .post(
                "/api/v1/auth/password",
                &json!({ "current_password": scenario_tests::DEMO_PASSWORD,
                "new_password": guessable }),
            )
            .await;
        let err = expect_error(weak, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(err["code"], "weak_password", "{guessable}");
    }
    // The current password again changes nothing and says so.
    let same = clerk
        .post(
            "/api/v1/auth/password",
            &json!({ "current_password": scenario_tests::DEMO_PASSWORD,
            "new_password": scenario_tests::DEMO_PASSWORD }),
        )
        .await;
    let err = expect_error(same, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "same_password");
    let ok = clerk
        .post(
            "/api/v1/auth/password",
            &json!({ "current_password": scenario_tests::DEMO_PASSWORD,
            "new_password": "a-new-long-password" }),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let old = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": "clerk01", "password": scenario_tests::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.login_with("clerk01", "a-new-long-password").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_form_works_without_javascript_and_redirects_to_the_role_home() {
    let app = spawn_app().await;
    let c = client();
    let response = c
        .post(app.url("/session/login"))
        .form(&[
            ("staff_number", "chief01"),
            ("password", scenario_tests::DEMO_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/chief");
    let wrong = c
        .post(app.url("/session/login"))
        .form(&[
            ("staff_number", "chief01"),
            ("password", "nope-nope"),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.headers()["location"],
        "/login?error=invalid_credentials"
    );
}
