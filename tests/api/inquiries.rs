//! First-inquiry responsibility over HTTP: every outcome, referral confirmation, escalation.

use reqwest::StatusCode;
use scenario_tests::{Staff, expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

async fn inquiry(clerk: &Staff, topic: &str) -> Value {
    expect_json(
        clerk
            .post(
                "/api/v1/inquiries",
                &json!({"channel": "counter", "topic": topic, "applicant_name": "李女士"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

async fn outcome(clerk: &Staff, inq: &Value, outcome: Value) -> reqwest::Response {
    clerk
        .post(
            &format!("/api/v1/inquiries/{}/outcome", inq["id"]),
            &json!({"version": inq["version"], "outcome": outcome}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inquiry_is_owned_by_its_first_taker_and_ends_in_exactly_one_outcome() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let inq = inquiry(&clerk, "开饭馆需要办什么证").await;
    assert_eq!(inq["owner_id"], clerk.id());
    assert_eq!(inq["status"], "open");
    let done: Value = expect_json(
        outcome(
            &clerk,
            &inq,
            json!({"kind": "guide_given", "item_code": "640106-XK-0001"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "closed");
    assert_eq!(done["outcome"]["kind"], "guide_given");
    let again = outcome(
        &clerk,
        &done,
        json!({"kind": "handled_on_spot", "note": "又说了一遍"}),
    )
    .await;
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await["code"],
        "outcome_already_set"
    );
    // Nobody else may end it.
    let other = app.login("clerk02").await;
    let inq2 = inquiry(&clerk, "营业执照遗失怎么办").await;
    let foreign = outcome(
        &other,
        &inq2,
        json!({"kind": "handled_on_spot", "note": "x"}),
    )
    .await;
    assert_eq!(
        expect_error(foreign, StatusCode::FORBIDDEN).await["code"],
        "not_the_owner"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_referral_needs_agency_address_and_phone() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let inq = inquiry(&clerk, "办理护照").await;
    let missing = outcome(
        &clerk,
        &inq,
        json!({"kind": "external_referral",
        "agency": "银川市公安局出入境管理支队", "address": " ", "phone": "0951-1234567"}),
    )
    .await;
    assert_eq!(
        expect_error(missing, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "address"
    );
    // Every wrong field is told at once (the address first, then the phone once it was fixed).
    let both = outcome(
        &clerk,
        &inq,
        json!({"kind": "external_referral", "agency": "银川市公安局出入境管理支队",
            "address": " ", "phone": "abc"}),
    )
    .await;
    let both = expect_error(both, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = both["problems"]
        .as_array()
        .map(|p| p.iter().filter_map(|p| p["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["address", "phone"], "{both}");
    let no_phone = outcome(
        &clerk,
        &inq,
        json!({"kind": "external_referral",
        "agency": "银川市公安局出入境管理支队", "address": "金凤区人民广场东街"}),
    )
    .await;
    assert_eq!(
        expect_error(no_phone, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "outcome.phone"
    );
    let ok: Value = expect_json(
        outcome(
            &clerk,
            &inq,
            json!({"kind": "external_referral",
            "agency": "银川市公安局出入境管理支队", "address": "金凤区人民广场东街",
            "phone": "0951-1234567"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ok["status"], "closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_referral_keeps_the_owner_responsible_until_the_receiving_unit_confirms() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await; // 市场监管
    let receiver = app.login("clerk02").await; // 人社
    let inq = inquiry(&clerk, "失业金怎么领").await;
    let referred: Value = expect_json(
        outcome(
            &clerk,
            &inq,
            json!({"kind": "internal_referral", "unit_id": 2, "window_id": 3,
            "note": "请 B01 接待"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(referred["status"], "waiting");
    let inbox: Value = expect_json(
        receiver.get("/api/v1/inquiries/inbox").await,
        StatusCode::OK,
    )
    .await;
    let referral = &inbox["referrals_to_confirm"][0];
    assert_eq!(referral["topic"], "失业金怎么领");
    // With whom to call back.
    assert_eq!(referral["applicant_name"], "李女士");
    // The owner's own unit cannot confirm it for the receiver.
    let wrong = clerk
        .post(
            &format!("/api/v1/referrals/{}/confirm", referral["id"]),
            &json!(null),
        )
        .await;
    expect_error(wrong, StatusCode::FORBIDDEN).await;
    let confirmed: Value = expect_json(
        receiver
            .post(
                &format!("/api/v1/referrals/{}/confirm", referral["id"]),
                &json!(null),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(confirmed["confirmed_at"].is_string());
    let mine: Value = expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    assert_eq!(mine["mine"][0]["status"], "closed");
    // The receiving clerk now holds it: open in their name, to be answered (confirming had
    // closed it, and nobody held it any more).
    let theirs: Value = expect_json(
        receiver.get("/api/v1/inquiries/inbox").await,
        StatusCode::OK,
    )
    .await;
    let taken = &theirs["mine"][0];
    assert_eq!(taken["topic"], "失业金怎么领", "{theirs}");
    assert_eq!(taken["status"], "open");
    assert_eq!(taken["owner_name"], "李建军");
    // A referral to another center's unit is not internal.
    let inq = inquiry(&clerk, "低保申请").await;
    let other_center = outcome(
        &clerk,
        &inq,
        json!({"kind": "internal_referral", "unit_id": 3}),
    )
    .await;
    assert_eq!(
        expect_error(other_center, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "unit_of_other_center"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_goes_to_the_chief_and_the_owner_reports_back() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let inq = inquiry(&clerk, "跨区经营的食品许可如何变更").await;
    let waiting: Value = expect_json(
        outcome(
            &clerk,
            &inq,
            json!({"kind": "escalation", "question": "申请人在两个区都有门店，主体登记在兴庆区"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(waiting["status"], "waiting");
    let inbox: Value =
        expect_json(chief.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let esc = &inbox["escalations_to_resolve"][0];
    let other_chief = app.login("chief02").await;
    expect_error(
        other_chief
            .post(
                &format!("/api/v1/escalations/{}/resolve", esc["id"]),
                &json!({"resolution": "x"}),
            )
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json::<Value>(
        chief
            .post(
                &format!("/api/v1/escalations/{}/resolve", esc["id"]),
                &json!({"resolution": "按经营场所所在地分别申请，本区门店在本局办理"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let mine: Value = expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let due = &mine["mine"][0];
    assert_eq!(due["status"], "feedback_due");
    assert_eq!(due["escalation"]["resolved_by"], "张卫东");
    let closed: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/inquiries/{}/feedback", due["id"]),
                &json!({"version": due["version"], "note": "已电话告知申请人"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["status"], "closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inquiry_becomes_a_case_when_the_case_is_received_from_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let inq = inquiry(&clerk, "办食品经营许可").await;
    let case: Value = expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({"item_code": "640106-XK-0001", "applicant": {"kind": "person",
                    "name": "李女士", "id_number": "11010519491231002X"},
                        "phone": "13995012345", "channel": "counter", "inquiry_id": inq["id"]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let inbox: Value =
        expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let linked = inbox["mine"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == inq["id"])
        .unwrap()
        .clone();
    assert_eq!(linked["status"], "closed");
    assert_eq!(linked["case_id"], case["summary"]["id"]);
}

async fn receive(clerk: &Staff, inquiry_id: Option<&Value>) -> Value {
    let mut body = json!({"item_code": "640106-XK-0001", "applicant": {"kind": "person",
        "name": "李女士", "id_number": "11010519491231002X"},
            "phone": "13995012345", "channel": "counter"});
    if let Some(id) = inquiry_id {
        body["inquiry_id"] = id.clone();
    }
    expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await
}

/// 首问负责: "became a case" ends an inquiry only for the case it became. One old case named as
/// the outcome of any number of inquiries closed them all, so that none showed as unanswered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_case_ends_only_the_inquiry_it_came_from_and_none_asked_after_it_was_received() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let earlier = receive(&clerk, None).await;
    app.clock.advance(chrono::Duration::minutes(5));
    let first = inquiry(&clerk, "办食品经营许可").await;
    let case = receive(&clerk, None).await;
    let case_id = case["summary"]["id"].clone();
    let ok = outcome(
        &clerk,
        &first,
        json!({"kind": "became_case", "case_id": case_id}),
    )
    .await;
    let _: Value = expect_json(ok, StatusCode::OK).await;

    // The same case for a second inquiry: it already answers the first.
    let second = inquiry(&clerk, "再问食品经营许可").await;
    let again = outcome(
        &clerk,
        &second,
        json!({"kind": "became_case", "case_id": case_id}),
    )
    .await;
    let refused = expect_error(again, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "case_of_another_inquiry");
    assert_eq!(refused["field"], "case_id");
    // A case received before the inquiry was asked did not come from it.
    let old = json!({"kind": "became_case", "case_id": earlier["summary"]["id"]});
    let before = outcome(&clerk, &second, old).await;
    let refused = expect_error(before, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "case_before_inquiry");
    // A case received from an inquiry is that inquiry's.
    let third = inquiry(&clerk, "第三次咨询").await;
    let linked = receive(&clerk, Some(&third["id"])).await;
    let named = json!({"kind": "became_case", "case_id": linked["summary"]["id"]});
    let taken = outcome(&clerk, &second, named).await;
    let refused = expect_error(taken, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["code"], "case_of_another_inquiry");

    let inbox: Value =
        expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let still_open = inbox["mine"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == second["id"]);
    assert_eq!(still_open.unwrap()["status"], "open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_inquiry_older_than_the_halls_limit_shows_as_overdue() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    inquiry(&clerk, "咨询后未处理").await;
    app.clock.advance(chrono::Duration::hours(5));
    let inbox: Value =
        expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    assert_eq!(inbox["mine"][0]["overdue"], true);
}

/// 首问负责: the owner stays responsible until *the receiving window* confirms. A referral to
/// the owner's own unit cannot be confirmed by the owner (a tester closed her own inquiry so,
/// with nobody else involved).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_of_an_inquiry_cannot_confirm_her_own_referral() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await; // 市场监管
    let inq = inquiry(&clerk, "问食品经营许可").await;
    let referred: Value = expect_json(
        outcome(
            &clerk,
            &inq,
            json!({"kind": "internal_referral", "unit_id": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(referred["status"], "waiting");
    let inbox: Value =
        expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let referral = inbox["referrals_to_confirm"]
        .as_array()
        .and_then(|list| list.first())
        .cloned()
        .expect("the unit's inbox lists the referral to confirm");
    let before = app.audit_count().await;
    let own = clerk
        .post(
            &format!("/api/v1/referrals/{}/confirm", referral["id"]),
            &json!(null),
        )
        .await;
    assert_eq!(
        expect_error(own, StatusCode::FORBIDDEN).await["code"],
        "own_referral"
    );
    assert_eq!(app.audit_count().await, before);
    let mine: Value = expect_json(clerk.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    assert_eq!(mine["mine"][0]["status"], "waiting");
}

/// Separation of duties, as for extensions and exceptions: a clerk who is also the unit's chief
/// representative escalated an inquiry and resolved it themselves (提请首席代表协调 asks someone
/// else). Another chief resolves it; with no other chief the escalation is refused at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_who_is_also_chief_cannot_resolve_their_own_escalation() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let body = json!({"staff_number": "clerk09", "name": "周兼任", "unit_id": 1,
        "window_ids": [1], "roles": ["clerk", "chief_representative"],
        "password": scenario_tests::DEMO_PASSWORD});
    expect_json::<Value>(
        admin.post("/api/v1/staff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let both = app.login("clerk09").await;
    let inq = inquiry(&both, "跨区经营的食品许可如何变更").await;
    let question = json!({"kind": "escalation", "question": "主体登记在兴庆区"});
    expect_json::<Value>(outcome(&both, &inq, question).await, StatusCode::OK).await;
    let inbox: Value = expect_json(both.get("/api/v1/inquiries/inbox").await, StatusCode::OK).await;
    let esc = inbox["escalations_to_resolve"][0]["id"].clone();
    let path = format!("/api/v1/escalations/{esc}/resolve");
    let before = app.audit_count().await;
    let own = both.post(&path, &json!({"resolution": "我自己解决"})).await;
    assert_eq!(
        expect_error(own, StatusCode::FORBIDDEN).await["code"],
        "own_request"
    );
    assert_eq!(
        app.audit_count().await,
        before,
        "a refused resolution writes nothing"
    );
    let chief = app.login("chief01").await;
    let resolved = chief
        .post(&path, &json!({"resolution": "按经营场所所在地分别申请"}))
        .await;
    expect_json::<Value>(resolved, StatusCode::OK).await;

    // chief01 alone at unit 1 asks: nobody else could coordinate, so it is refused at once.
    let clerk_chief = json!({"staff_number": "chief01", "name": "张卫东", "unit_id": 1,
        "window_ids": [1], "roles": ["clerk", "chief_representative"]});
    let chief_id = chief.id();
    let put = admin
        .put(&format!("/api/v1/staff/{chief_id}"), &clerk_chief)
        .await;
    expect_json::<Value>(put, StatusCode::OK).await;
    let deactivate = format!("/api/v1/staff/{}/deactivate", both.id());
    assert!(
        admin
            .post(&deactivate, &json!({}))
            .await
            .status()
            .is_success()
    );
    let alone = app.login("chief01").await;
    let inq = inquiry(&alone, "另一个问题").await;
    let question = json!({"kind": "escalation", "question": "无人可协调"});
    let refused = outcome(&alone, &inq, question).await;
    let err = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(err["code"], "no_chief_representative");
}
