//! Staff sessions under attack and under load (issue 12, findings 5 and 8): a new password ends
//! the other sessions; guessing is limited without locking the owner out; the idle timeout is a
//! real idle timeout; on SQLite, logins do not break the writes running beside them.

use std::net::IpAddr;

use chrono::Duration;
use reqwest::{Response, StatusCode};
use scenario_tests::{
    AppOptions, DEMO_PASSWORD, Staff, TestApp, client_from, expect_error, spawn_app, spawn_app_with,
};

/// The shipped idle timeout (the harness's default is longer, for scenarios that move the clock
/// by days).
const IDLE_MINUTES: i64 = 480;

async fn spawn_with_shipped_idle_timeout() -> TestApp {
    spawn_app_with(AppOptions {
        session_idle_minutes: IDLE_MINUTES,
        session_max_hours: 14,
        ..Default::default()
    })
    .await
}
use serde_json::json;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn me(staff: &Staff) -> StatusCode {
    staff.get("/api/v1/auth/me").await.status()
}

async fn login_from(app: &TestApp, from: IpAddr, staff_number: &str, password: &str) -> Response {
    let (client, _) = client_from(from);
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "staff_number": staff_number, "password": password }))
        .send()
        .await
        .unwrap()
}

fn session_cookie_set(response: &Response) -> bool {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("chuangkou_session="))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_the_accounts_other_sessions() {
    let app = spawn_app().await;
    let tablet = app.login("clerk01").await;
    let desktop = app.login("clerk01").await;
    let other_person = app.login("clerk02").await;
    let changed = tablet
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": DEMO_PASSWORD, "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&desktop).await, StatusCode::UNAUTHORIZED);
    // The session that changed it goes on, and nobody else is touched.
    assert_eq!(me(&tablet).await, StatusCode::OK);
    assert_eq!(me(&other_person).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_setting_a_new_password_ends_that_persons_sessions() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let clerk = app.login("clerk02").await;
    let view: serde_json::Value = clerk.me["staff"].clone();
    let updated = admin
        .put(
            &format!("/api/v1/staff/{}", clerk.id()),
            &json!({
                "staff_number": view["staff_number"],
                "name": view["name"],
                "unit_id": view["unit_id"],
                "window_ids": view["window_ids"],
                "roles": view["roles"],
                "password": "reset-by-the-admin"
            }),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(me(&clerk).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&admin).await, StatusCode::OK);
    // The reset is on the record under the administrator's name: the update's before and after
    // views hold no password, so a quiet reset (and a sign-in as that clerk) left no trace.
    let reset = format!(
        "action = 'staff.reset_password' AND entity_id = '{}' AND actor_id = {}",
        clerk.id(),
        admin.id()
    );
    assert_eq!(app.count_where("audit_record", &reset).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_of_the_current_password_are_limited_like_logins() {
    let app = spawn_app().await;
    let thief = app.login("clerk01").await;
    let body = json!({"current_password": "a-guess-a-guess", "new_password": "stolen-account-1"});
    let guess = || thief.post("/api/v1/auth/password", &body);
    // The budget is the login's (10 a minute for this account from this address), and the
    // login itself spent one.
    for _ in 0..9 {
        let err = expect_error(guess().await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(err["code"], "wrong_password");
    }
    let refused = guess().await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        expect_error(refused, StatusCode::TOO_MANY_REQUESTS).await["code"],
        "too_many_login_attempts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_guessing_from_another_address_cannot_lock_the_clerk_out() {
    let app = spawn_app().await;
    let stranger = ip("127.0.0.2");
    for _ in 0..10 {
        let response = login_from(&app, stranger, "clerk01", "a-guess-a-guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = login_from(&app, stranger, "clerk01", DEMO_PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    // The clerk at the counter signs in with the right password.
    let counter = login_from(&app, ip("127.0.0.3"), "clerk01", DEMO_PASSWORD).await;
    assert_eq!(counter.status(), StatusCode::OK);
}

/// Guessing from many addresses makes the account "hot": its password checks then run one at a
/// time. Queued behind the guesses, the owner's own login timed out (a tester kept chief01 out
/// for 40 s from 30 addresses). Now an attempt that finds a check running is refused at once,
/// and the owner's browser that signed in before goes straight in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_many_addresses_cannot_lock_the_owner_out_of_a_browser_they_used_before() {
    let app = spawn_app().await;
    let (owner, _) = client_from(ip("127.0.0.3"));
    let sign_in = |client: &reqwest::Client, password: &str| {
        client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({ "staff_number": "chief01", "password": password }))
            .send()
    };
    let first = sign_in(&owner, DEMO_PASSWORD).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let logout = owner.post(app.url("/api/v1/auth/logout")).send().await;
    assert!(logout.unwrap().status().is_success());
    // Four addresses, each within its own budget of ten, make the account hot.
    for n in 10..14 {
        for _ in 0..10 {
            let r = login_from(&app, ip(&format!("127.0.0.{n}")), "chief01", "a-guess").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
    }
    // One more guess holds the account's turn (a second at least) …
    let guessing = tokio::spawn({
        let url = app.url("/api/v1/auth/login");
        async move {
            let (thief, _) = client_from(ip("127.0.0.20"));
            let body = json!({ "staff_number": "chief01", "password": "a-guess" });
            thief.post(url).json(&body).send().await.unwrap().status()
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // … meanwhile another address is refused at once, not queued, and the owner signs in.
    let (stranger, _) = client_from(ip("127.0.0.21"));
    let (refused, owned) = tokio::join!(
        sign_in(&stranger, "another-guess"),
        sign_in(&owner, DEMO_PASSWORD)
    );
    let refused = expect_error(refused.unwrap(), StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(refused["code"], "too_many_login_attempts");
    assert_eq!(owned.unwrap().status(), StatusCode::OK);
    assert_eq!(guessing.await.unwrap(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_unused_for_longer_than_the_idle_time_ends() {
    let app = spawn_with_shipped_idle_timeout().await;
    let clerk = app.login("clerk01").await;
    app.clock.advance(Duration::minutes(IDLE_MINUTES + 1));
    assert_eq!(me(&clerk).await, StatusCode::UNAUTHORIZED);
    // Ended for good: going back in time does not bring it back.
    app.clock.advance(Duration::minutes(-IDLE_MINUTES - 1));
    assert_eq!(me(&clerk).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_in_use_outlives_the_idle_time() {
    let app = spawn_with_shipped_idle_timeout().await;
    let clerk = app.login("clerk01").await;
    // A whole shift and more (12 hours, past the 8-hour idle time and within the day's 14),
    // with a request every four hours.
    for _ in 0..3 {
        app.clock.advance(Duration::minutes(240));
        assert_eq!(me(&clerk).await, StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_in_use_is_renewed_every_few_minutes_not_at_every_request() {
    let app = spawn_with_shipped_idle_timeout().await;
    let clerk = app.login("clerk01").await;
    let right_after = clerk.get("/api/v1/auth/me").await;
    assert_eq!(right_after.status(), StatusCode::OK);
    assert!(!session_cookie_set(&right_after), "saved at every request");
    app.clock.advance(Duration::minutes(3));
    let later = clerk.get("/api/v1/auth/me").await;
    assert_eq!(later.status(), StatusCode::OK);
    assert!(session_cookie_set(&later), "the session was not renewed");
    let cookie = later
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("chuangkou_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

/// Finding 5: on SQLite, session rows were written beside the single writer, and a receipt whose
/// transaction had read before a session row landed failed with `SQLITE_BUSY_SNAPSHOT` (500).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_during_a_burst_of_case_receipts_cause_no_server_error() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let receipt = json!({
        "item_code": "640106-XK-0003",
        "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "phone": "13995012345",
        "channel": "counter"
    });
    let receipts = (0..120).map(|_| async { clerk.post("/api/v1/cases", &receipt).await.status() });
    let accounts = [
        "clerk01", "clerk02", "clerk03", "chief01", "chief02", "super01", "admin",
    ];
    let logins = (0..16).map(|n| {
        let account = accounts[n % accounts.len()];
        let from = ip(&format!("127.0.1.{n}"));
        let app = &app;
        async move { login_from(app, from, account, DEMO_PASSWORD).await.status() }
    });
    let (receipts, logins) = tokio::join!(
        futures::future::join_all(receipts),
        futures::future::join_all(logins)
    );
    let failed: Vec<_> = receipts
        .iter()
        .chain(logins.iter())
        .filter(|s| s.is_server_error())
        .collect();
    assert!(failed.is_empty(), "server errors: {failed:?}");
    assert!(
        receipts.iter().all(|s| *s == StatusCode::CREATED),
        "{receipts:?}"
    );
    assert!(logins.iter().all(|s| *s == StatusCode::OK), "{logins:?}");
}

/// A stolen session cookie kept alive by use (a request every few minutes) no longer lives for
/// ever: the session ends 14 hours after its sign-in, however busy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_used_all_day_still_ends_fourteen_hours_after_its_sign_in() {
    let app = spawn_with_shipped_idle_timeout().await;
    let clerk = app.login("clerk01").await;
    for hours in 1..=14 {
        app.clock.advance(Duration::hours(1));
        assert_eq!(me(&clerk).await, StatusCode::OK, "after {hours} hours");
    }
    app.clock.advance(Duration::minutes(1));
    assert_eq!(me(&clerk).await, StatusCode::UNAUTHORIZED);
    // Signing in again opens a new day's session.
    let again = app.login("clerk01").await;
    assert_eq!(me(&again).await, StatusCode::OK);
}
