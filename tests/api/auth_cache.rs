//! Issue 16: the caller's session and roles are checked from memory (a cache of a few seconds),
//! yet a logout, a removed role or a new password take effect at the next request — on the
//! instance that made the change at once, on the other instances as soon as the announcement
//! reaches them (PostgreSQL `NOTIFY`), well before the cache would expire on its own.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::{StatusCode, Url, cookie::CookieStore};
use scenario_tests::{
    AppOptions, DEMO_PASSWORD, Staff, Store, TestApp, TestDatabase, client, spawn_app, spawn_on,
};
use serde_json::{Value, json};

const ITEM: &str = "640106-XK-0001";
/// A valid resident ID number (check digit computed).
const ID_NUMBER: &str = "110105198001010016";

/// The session cookie as the browser would send it.
fn cookie_of(staff: &Staff) -> String {
    let url: Url = staff.address.parse().unwrap();
    let cookies = staff.jar.cookies(&url).expect("a session cookie");
    cookies.to_str().unwrap().to_string()
}

/// `GET path` on `app` with a copied cookie (a stolen cookie, or the same browser reaching
/// another instance behind the load balancer).
async fn get_with(app: &TestApp, cookie: &str, path: &str) -> StatusCode {
    client()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
}

async fn receive_with(app: &TestApp, cookie: &str) -> StatusCode {
    let body = json!({
        "item_code": ITEM,
        "applicant": {"kind": "person", "name": "张三", "id_number": ID_NUMBER},
        "phone": "13995012345", "channel": "counter"
    });
    client()
        .post(app.url("/api/v1/cases"))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

/// The status of `GET path` once it is `want`, polled for up to a second (the cache itself
/// keeps an entry five seconds); the last status seen otherwise.
async fn eventually(app: &TestApp, cookie: &str, path: &str, want: StatusCode) -> StatusCode {
    let until = Instant::now() + Duration::from_secs(1);
    loop {
        let got = get_with(app, cookie, path).await;
        if got == want || Instant::now() > until {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn logout(app: &TestApp, cookie: &str) {
    let out = client()
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
}

/// clerk01 loses the clerk role (a chief representative of the same unit from now on).
async fn remove_clerk_role(admin: &Staff, clerk: &Staff) {
    let view: Value = clerk.me["staff"].clone();
    let updated = admin
        .put(
            &format!("/api/v1/staff/{}", clerk.id()),
            &json!({
                "staff_number": view["staff_number"],
                "name": view["name"],
                "unit_id": view["unit_id"],
                "window_ids": [],
                "roles": ["chief_representative"],
            }),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logged_out_cookie_is_refused_at_its_next_request() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let cookie = cookie_of(&clerk);
    // Twice: the session and the caller are now in the cache.
    assert_eq!(
        get_with(&app, &cookie, "/api/v1/auth/me").await,
        StatusCode::OK
    );
    assert_eq!(
        get_with(&app, &cookie, "/api/v1/auth/me").await,
        StatusCode::OK
    );
    logout(&app, &cookie).await;
    assert_eq!(
        get_with(&app, &cookie, "/api/v1/auth/me").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(receive_with(&app, &cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_role_refuses_the_next_request() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk01").await;
    let cookie = cookie_of(&clerk);
    assert_eq!(receive_with(&app, &cookie).await, StatusCode::CREATED);
    remove_clerk_role(&admin, &clerk).await;
    assert_eq!(receive_with(&app, &cookie).await, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_refuses_the_other_sessions_at_their_next_request() {
    let app = spawn_app().await;
    let tablet = app.login("clerk01").await;
    let desktop = app.login("clerk01").await;
    let cookie = cookie_of(&desktop);
    assert_eq!(receive_with(&app, &cookie).await, StatusCode::CREATED);
    let changed = tablet
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": DEMO_PASSWORD, "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(receive_with(&app, &cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(tablet.get("/api/v1/auth/me").await.status(), StatusCode::OK);
}

/// Two instances on one PostgreSQL database (SQLite: one instance per file, skipped): what one
/// instance changes, the other's cache forgets through the announcement, not the expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_instance_refuses_a_logged_out_cookie_and_a_removed_role() {
    let store = Store::from_env();
    if store != Store::Postgres {
        return;
    }
    let database = Arc::new(TestDatabase::create(store).await);
    let a = spawn_on(database.clone(), AppOptions::default()).await;
    let b = spawn_on(
        database.clone(),
        AppOptions {
            demo: false,
            ..Default::default()
        },
    )
    .await;
    let me = "/api/v1/auth/me";

    // Logged out on A: B stops honouring the cookie it has in its cache.
    let clerk = a.login("clerk02").await;
    let cookie = cookie_of(&clerk);
    assert_eq!(get_with(&b, &cookie, me).await, StatusCode::OK);
    assert_eq!(get_with(&b, &cookie, me).await, StatusCode::OK);
    let started = Instant::now();
    logout(&a, &cookie).await;
    assert_eq!(
        eventually(&b, &cookie, me, StatusCode::UNAUTHORIZED).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(started.elapsed() < Duration::from_secs(2));

    // A role removed on A: B refuses the clerk's next receipt.
    let admin = a.login("admin").await;
    let clerk = a.login("clerk01").await;
    let cookie = cookie_of(&clerk);
    assert_eq!(receive_with(&b, &cookie).await, StatusCode::CREATED);
    let started = Instant::now();
    remove_clerk_role(&admin, &clerk).await;
    let mut status = receive_with(&b, &cookie).await;
    while status != StatusCode::FORBIDDEN && started.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = receive_with(&b, &cookie).await;
    }
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(started.elapsed() < Duration::from_secs(2));
}
