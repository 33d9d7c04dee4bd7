//! Issue 12, finding 10: case numbers are sequential, so the public case lookup's secret is the
//! whole mobile number given at receipt (not its last four digits), and guesses at one case
//! number are limited across every address (`public_lookups_per_case_per_hour`), as well as per
//! address.

use reqwest::StatusCode;
use scenario_tests::{Staff, client_from, expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

const PHONE: &str = "13995012345";

/// The case's number and its receipt's 查询码.
async fn receive_with_code(clerk: &Staff) -> (String, String) {
    let case = received(clerk).await;
    let id = case["summary"]["id"].as_i64().unwrap();
    let receipt: Value = expect_json(
        clerk.get(&format!("/api/v1/cases/{id}/receipt")).await,
        StatusCode::OK,
    )
    .await;
    let code = receipt["lookup_code"].as_str().unwrap().to_string();
    (
        case["summary"]["number"].as_str().unwrap().to_string(),
        code,
    )
}

/// A lookup of `number` with `secret` (`phone=…` or `code=…`) from the address `ip`, with no
/// cookie from an earlier lookup.
async fn lookup_from(
    app: &scenario_tests::TestApp,
    ip: &str,
    number: &str,
    secret: &str,
) -> StatusCode {
    let (client, _) = client_from(ip.parse().unwrap());
    client
        .get(app.url(&format!("/api/v1/public/cases/{number}?{secret}")))
        .send()
        .await
        .unwrap()
        .status()
}

async fn receive(clerk: &Staff) -> String {
    received(clerk).await["summary"]["number"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn received(clerk: &Staff) -> Value {
    let body = json!({
        "item_code": "640106-XK-0003",
        "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "phone": PHONE, "channel": "counter"
    });
    expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_four_digits_of_the_phone_no_longer_open_a_case() {
    let app = spawn_app().await;
    let number = receive(&app.login("clerk01").await).await;
    let short = app
        .get(&format!("/api/v1/public/cases/{number}?phone_last4=2345"))
        .await;
    let err = expect_error(short, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "lookup_secret_too_short");
    assert_eq!(err["field"], "phone_last4");
    // The whole number opens it, written any way a person writes it.
    for phone in [PHONE, "139-9501-2345", "+86 139 9501 2345"] {
        let path = format!(
            "/api/v1/public/cases/{number}?phone={}",
            phone.replace('+', "%2B")
        );
        let status: Value = expect_json(app.get(&path).await, StatusCode::OK).await;
        assert_eq!(status["number"], number.as_str(), "{phone}");
    }
    // Only the last four digits right is the same 404 as anything else wrong.
    let near = app
        .get(&format!("/api/v1/public/cases/{number}?phone=13800002345"))
        .await;
    assert_eq!(
        expect_error(near, StatusCode::NOT_FOUND).await["code"],
        "case_not_found"
    );
    // Nothing to look up with: the field is named.
    let none = app.get(&format!("/api/v1/public/cases/{number}")).await;
    let err = expect_error(none, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["field"], "phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_at_one_case_number_from_many_addresses_are_limited_per_number() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let target = receive(&clerk).await;
    let other = receive(&clerk).await;
    let mut refused_at = None;
    for i in 0..15u8 {
        let (guesser, _) = client_from(format!("127.0.1.{}", i + 1).parse().unwrap());
        let response = guesser
            .get(app.url(&format!(
                "/api/v1/public/cases/{target}?phone=1399501{:04}",
                i
            )))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            let err = expect_error(response, StatusCode::TOO_MANY_REQUESTS).await;
            assert_eq!(err["code"], "too_many_case_lookups");
            refused_at = Some(i);
            break;
        }
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        refused_at,
        Some(10),
        "the default is 10 look-ups per case and hour"
    );
    // Another case is not affected, from a fresh address or an old one.
    let (fresh, _) = client_from("127.0.1.99".parse().unwrap());
    let ok = fresh
        .get(app.url(&format!("/api/v1/public/cases/{other}?phone={PHONE}")))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_guesses_from_many_addresses_do_not_lock_the_applicant_out_with_the_receipts_code() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let (number, code) = receive_with_code(&clerk).await;
    for i in 0..10u8 {
        let wrong = format!("phone=1399501{i:04}");
        let status = lookup_from(&app, &format!("127.0.2.{}", i + 1), &number, &wrong).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // The phone is refused now (it is what the guesses were at), but the 查询码 of the receipt,
    // about 40 bits that no guessing at this rate comes near, still opens the case.
    let by_phone = format!("phone={PHONE}");
    let refused = lookup_from(&app, "127.0.2.50", &number, &by_phone).await;
    assert_eq!(refused, StatusCode::TOO_MANY_REQUESTS);
    let by_code = format!("code={code}");
    let opened = lookup_from(&app, "127.0.2.51", &number, &by_code).await;
    assert_eq!(opened, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_looking_up_their_case_again_and_again_spends_none_of_its_guesses() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let number = receive(&clerk).await;
    // Twelve right lookups from twelve phones without the cookie of an earlier one.
    for i in 0..12u8 {
        let ip = format!("127.0.3.{}", i + 1);
        let status = lookup_from(&app, &ip, &number, &format!("phone={PHONE}")).await;
        assert_eq!(status, StatusCode::OK, "lookup {i}");
    }
    // The case's budget of wrong guesses is still whole: the first wrong one is a plain 404.
    let wrong = lookup_from(&app, "127.0.3.99", &number, "phone=13995010000").await;
    assert_eq!(wrong, StatusCode::NOT_FOUND);
}
