//! Every protected route says who may call it: no session → 401, a wrong role → 403.

use reqwest::{Method, StatusCode};
use scenario_tests::{Staff, client, expect_error, spawn_app};
use serde_json::{Value, json};

const CLERK: &str = "clerk01";
const CHIEF: &str = "chief01";
const SUPERVISOR: &str = "super01";
const ADMIN: &str = "admin";
const EVERYONE: &[&str] = &[CLERK, CHIEF, SUPERVISOR, ADMIN];

/// (method, path, body, roles allowed)
fn protected_routes() -> Vec<(Method, &'static str, Option<Value>, &'static [&'static str])> {
    let center =
        json!({"name":"新中心","kind":"street","address":"某街道 1 号","phone":"0951-1234567"});
    vec![
        (Method::GET, "/api/v1/auth/me", None, EVERYONE),
        (Method::GET, "/api/v1/centers", None, EVERYONE),
        (Method::GET, "/api/v1/centers/1", None, EVERYONE),
        (
            Method::POST,
            "/api/v1/centers",
            Some(center.clone()),
            &[ADMIN],
        ),
        (Method::PUT, "/api/v1/centers/2", Some(center), &[ADMIN]),
        (Method::POST, "/api/v1/centers/2/deactivate", None, &[ADMIN]),
        (Method::POST, "/api/v1/centers/2/activate", None, &[ADMIN]),
        (Method::GET, "/api/v1/units", None, EVERYONE),
        (Method::GET, "/api/v1/units/1", None, EVERYONE),
        (
            Method::POST,
            "/api/v1/units",
            Some(json!({"center_id":1,"name":"新单位"})),
            &[ADMIN],
        ),
        (
            Method::PUT,
            "/api/v1/units/3",
            Some(json!({"center_id":2,"name":"良田镇社会事务办"})),
            &[ADMIN],
        ),
        (Method::POST, "/api/v1/units/3/activate", None, &[ADMIN]),
        (Method::POST, "/api/v1/units/3/deactivate", None, &[ADMIN]),
        (Method::GET, "/api/v1/windows", None, EVERYONE),
        (Method::GET, "/api/v1/windows/1", None, EVERYONE),
        (
            Method::POST,
            "/api/v1/windows",
            Some(json!({"center_id":1,"number":"D09","unit_ids":[1]})),
            &[ADMIN],
        ),
        (
            Method::PUT,
            "/api/v1/windows/5",
            Some(json!({"center_id":1,"number":"C01","unit_ids":[1,2]})),
            &[ADMIN],
        ),
        (Method::POST, "/api/v1/windows/5/activate", None, &[ADMIN]),
        (Method::POST, "/api/v1/windows/5/deactivate", None, &[ADMIN]),
        (Method::GET, "/api/v1/staff", None, EVERYONE),
        (Method::GET, "/api/v1/staff/1", None, EVERYONE),
        (
            Method::POST,
            "/api/v1/staff",
            Some(
                json!({"staff_number":"x9","name":"某","roles":["supervisor"],
                    "password":"long-enough"}),
            ),
            &[ADMIN],
        ),
        (
            Method::PUT,
            "/api/v1/staff/6",
            Some(json!({"staff_number":"super01","name":"赵督查","roles":["supervisor"]})),
            &[ADMIN],
        ),
        (Method::POST, "/api/v1/staff/3/activate", None, &[ADMIN]),
        (Method::POST, "/api/v1/staff/3/deactivate", None, &[ADMIN]),
        (
            Method::PUT,
            "/api/v1/calendar/2027",
            Some(json!({"holidays":[{"date":"2027-01-01","name":"元旦"}]})),
            &[ADMIN],
        ),
        (Method::GET, "/api/v1/audit/verify", None, &[SUPERVISOR]),
        (Method::GET, "/api/v1/admin/service-items", None, &[ADMIN]),
        (
            Method::POST,
            "/api/v1/service-items",
            Some(
                json!({"code":"X-1","name":"x","category":"other_power","unit_id":1,
                    "legal_basis":"x","conditions":[],"materials":[],"no_materials":true,"steps":[],
                    "time_limit":{"kind":"immediate","minutes":30},"place":"x",
                    "phone":"0951-1234567"}),
            ),
            &[ADMIN],
        ),
        (
            Method::GET,
            "/api/v1/cases?scope=mine",
            None,
            &[CLERK, CHIEF, SUPERVISOR],
        ),
        (
            Method::POST,
            "/api/v1/cases",
            Some(
                json!({"item_code":"640106-XK-0003","applicant":{"kind":"person","name":"张三",
                    "id_number":"11010519491231002X"},"phone":"13995012345","channel":"counter"}),
            ),
            &[CLERK],
        ),
        (Method::GET, "/api/v1/extensions", None, &[CHIEF]),
        (Method::GET, "/api/v1/one-time-exceptions", None, &[CHIEF]),
        (
            Method::POST,
            "/api/v1/inquiries",
            Some(json!({"channel":"counter","topic":"咨询"})),
            &[CLERK, CHIEF],
        ),
        (
            Method::GET,
            "/api/v1/inquiries/inbox",
            None,
            &[CLERK, CHIEF],
        ),
        (
            Method::POST,
            "/api/v1/auth/password",
            Some(json!({"current_password":"x","new_password":"y"})),
            EVERYONE,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_protected_route_is_401_without_a_session() {
    let app = spawn_app().await;
    let anonymous = client();
    for (method, path, body, _) in protected_routes() {
        let mut request = anonymous.request(method.clone(), app.url(path));
        if let Some(b) = &body {
            request = request.json(b);
        }
        let response = request.send().await.unwrap();
        let err = expect_error(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(err["code"], "unauthenticated", "{method} {path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_protected_route_is_403_for_a_role_it_does_not_name() {
    let app = spawn_app().await;
    let mut people: Vec<(&str, Staff)> = Vec::new();
    for who in EVERYONE {
        people.push((who, app.login(who).await));
    }
    let audit_before = app.audit_count().await;
    for (method, path, body, allowed) in protected_routes() {
        for (who, person) in &people {
            if allowed.contains(who) {
                continue;
            }
            let response = person.send(method.clone(), path, body.as_ref()).await;
            let err = expect_error(response, StatusCode::FORBIDDEN).await;
            assert_eq!(err["code"], "forbidden", "{who}: {method} {path}");
        }
    }
    assert_eq!(
        app.audit_count().await,
        audit_before,
        "a refused call wrote something"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_protected_route_lets_in_the_roles_it_names() {
    let app = spawn_app().await;
    let mut people = std::collections::HashMap::new();
    for who in EVERYONE {
        people.insert(*who, app.login(who).await);
    }
    for (method, path, body, allowed) in protected_routes() {
        let person = &people[allowed[0]];
        let status = person
            .send(method.clone(), path, body.as_ref())
            .await
            .status();
        assert!(
            status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
            "{} was refused {method} {path}: {status}",
            allowed[0]
        );
    }
}

// --- Cross-site form posts (issue 12, finding 10: login CSRF; and the citizens' forms) --------

/// Every plain-form endpoint, with a body it would otherwise act on.
fn form_endpoints() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "/session/login",
            vec![
                ("staff_number", "chief01"),
                ("password", scenario_tests::DEMO_PASSWORD),
                ("next", ""),
            ],
        ),
        ("/session/logout", vec![]),
        (
            "/booking/submit",
            vec![
                ("center", "1"),
                ("item", "640106-XK-0001"),
                ("slot", "1"),
                ("name", "张晓明"),
                ("phone", "13995012345"),
            ],
        ),
        (
            "/booking/cancel",
            vec![("code", "ABCD2345"), ("phone", "13995012345")],
        ),
        (
            "/booking/reschedule",
            vec![
                ("code", "ABCD2345"),
                ("phone", "13995012345"),
                ("slot", "1"),
            ],
        ),
        ("/kiosk/ticket", vec![("center", "1"), ("queue", "1")]),
    ]
}

/// What a browser says about a post that another site's page made.
/// `Sec-Fetch-Site` alone counts too: a browser sends it even where it leaves `Origin` out, and
/// the forms heeded only `Origin`/`Referer` (the JSON API heeded both).
const FOREIGN_SOURCES: &[(&str, &str)] = &[
    ("origin", "https://evil.example"),
    ("origin", "null"),
    ("referer", "https://evil.example/trap.html"),
    ("sec-fetch-site", "cross-site"),
    ("sec-fetch-site", "same-site"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_from_another_site_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let audit_before = app.audit_count().await;
    let tickets_before = app.count("queue_ticket").await;
    for (path, fields) in form_endpoints() {
        for (header, value) in FOREIGN_SOURCES {
            let (c, jar) = scenario_tests::client_with_jar();
            let response = c
                .post(app.url(path))
                .header(*header, *value)
                .form(&fields)
                .send()
                .await
                .unwrap();
            let err = expect_error(response, StatusCode::FORBIDDEN).await;
            assert_eq!(
                err["code"], "cross_site_request",
                "{path} {header}: {value}"
            );
            // Login CSRF: no session was started in the victim's browser.
            use reqwest::cookie::CookieStore;
            assert!(
                jar.cookies(&app.url("/").parse().unwrap()).is_none(),
                "{path} {header}: {value} set a cookie"
            );
        }
    }
    assert_eq!(app.audit_count().await, audit_before);
    assert_eq!(app.count("queue_ticket").await, tickets_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_form_posted_from_our_own_page_still_signs_in() {
    let app = spawn_app().await;
    for (header, value) in [
        ("origin", app.address.clone()),
        ("referer", format!("{}/login?next=%2Fchief", app.address)),
    ] {
        let response = client()
            .post(app.url("/session/login"))
            .header(header, value.as_str())
            .form(&[
                ("staff_number", "chief01"),
                ("password", scenario_tests::DEMO_PASSWORD),
                ("next", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{header}");
        assert_eq!(response.headers()["location"], "/chief", "{header}");
    }
}

/// CSRF on the JSON API: a signed-in administrator's browser, sent by another site's page (on
/// another port of the same host, or a sibling subdomain, which `SameSite` counts as the same
/// site), posts to a write that takes no body, or a form body. Every write of the API refuses
/// what a browser says came from elsewhere, not only the ones that read JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_write_a_browser_sends_from_another_site_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk02 = app.login("clerk02").await.id();
    let before = app.audit_count().await;
    let foreign: [(&str, &str); 4] = [
        ("origin", "http://127.0.0.1:4000"),
        ("origin", "null"),
        ("referer", "https://evil.example/trap.html"),
        ("sec-fetch-site", "same-site"),
    ];
    for (header, value) in foreign {
        let deactivate = admin
            .client
            .post(app.url(&format!("/api/v1/staff/{clerk02}/deactivate")))
            .header(header, value)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a=b")
            .send()
            .await
            .unwrap();
        let err = expect_error(deactivate, StatusCode::FORBIDDEN).await;
        assert_eq!(err["code"], "cross_origin", "{header}: {value}");
        let detector = admin
            .client
            .post(app.url("/api/v1/supervision/detector/run"))
            .header(header, value)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        expect_error(detector, StatusCode::FORBIDDEN).await;
    }
    assert_eq!(app.audit_count().await, before);
    let me = app.login("clerk02").await;
    assert_eq!(me.id(), clerk02, "clerk02 still signs in");
    // Our own pages' writes pass.
    let ours = admin
        .client
        .post(app.url(&format!("/api/v1/staff/{clerk02}/deactivate")))
        .header("origin", app.address.as_str())
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), StatusCode::NO_CONTENT);
}
