//! Issue #11, the case clock and the one-time rule over HTTP: suspensions that cannot revive an
//! overdue case, extensions judged against the due if resumed now, the on-time record kept after
//! the decision, immediate items in one step and in business minutes, a replaced calendar year,
//! the deemed-acceptance notice, everything told before, and identifiers checked against today.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scenario_tests::{Staff, TestApp, expect_error, expect_json, spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// 食品经营许可（新办）: promised 5 working days, on-site verification, stages 1/2/1/1.
const FOOD: &str = "640106-XK-0001";
const FOOD_REQUIRED: [&str; 5] = [
    "application_form",
    "business_license",
    "id_card",
    "layout_docs",
    "safety_rules",
];
/// 个体工商户变更登记: immediate, 60 minutes.
const SOLE_TRADER: &str = "640106-XK-0003";
const SOLE_TRADER_REQUIRED: [&str; 3] = ["application_form", "id_card", "business_license"];
const COMPANY_ID: &str = "91350100M000100Y43";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn id(case: &Value) -> i64 {
    case["summary"]["id"].as_i64().unwrap()
}

fn version(case: &Value) -> i64 {
    case["summary"]["version"].as_i64().unwrap()
}

fn ok(keys: &[&str]) -> Vec<Value> {
    keys.iter()
        .map(|k| json!({"key": k, "verdict": {"verdict": "ok"}}))
        .collect()
}

async fn receive(clerk: &Staff, item: &str) -> Value {
    expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({
                    "item_code": item,
                    "applicant": {"kind": "company", "name": "银川金味餐饮有限公司",
                        "id_number": COMPANY_ID},
                    "phone": "13995012345",
                    "channel": "counter"
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

async fn review(clerk: &Staff, case: &Value, verdicts: Vec<Value>) -> reqwest::Response {
    clerk
        .post(
            &format!("/api/v1/cases/{}/review", id(case)),
            &json!({"version": version(case), "verdicts": verdicts}),
        )
        .await
}

async fn get_case(staff: &Staff, id: i64) -> Value {
    expect_json(
        staff.get(&format!("/api/v1/cases/{id}")).await,
        StatusCode::OK,
    )
    .await
}

async fn post_case(clerk: &Staff, case: &Value, action: &str, body: Value) -> reqwest::Response {
    let mut body = body;
    body["version"] = json!(version(case));
    clerk
        .post(&format!("/api/v1/cases/{}/{action}", id(case)), &body)
        .await
}

async fn step(clerk: &Staff, case: &Value, action: &str, body: Value) -> Value {
    expect_json(post_case(clerk, case, action, body).await, StatusCode::OK).await
}

/// A food licence accepted on Wednesday 2026-03-04 10:00 (due Wednesday 03-11 17:00) and under
/// review.
async fn food_in_review(clerk: &Staff) -> Value {
    let case = receive(clerk, FOOD).await;
    let accepted: Value = expect_json(
        review(clerk, &case, ok(&FOOD_REQUIRED)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        accepted["case"]["summary"]["due_at"],
        "2026-03-11T09:00:00Z"
    );
    step(clerk, &accepted["case"], "start-review", json!({})).await
}

fn verification(reason: &str) -> Value {
    json!({"procedure": "on_site_verification", "reason": reason})
}

/// The `after` documents of the audit records of `action`, oldest first.
async fn audit_after(app: &TestApp, action: &str) -> Vec<Value> {
    let rows = app
        .db
        .conn
        .query_all(Statement::from_string(
            app.db.backend(),
            format!(
                "SELECT \"after\" AS doc FROM audit_record WHERE action = '{action}' ORDER BY id"
            ),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let text: Option<String> = r.try_get("", "doc").unwrap();
            serde_json::from_str(&text.unwrap_or_default()).unwrap_or(Value::Null)
        })
        .collect()
}

async fn count_where(app: &TestApp, table: &str, condition: &str) -> i64 {
    let row = app
        .db
        .conn
        .query_one(Statement::from_string(
            app.db.backend(),
            format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {condition}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

// ── 1. Suspensions ────────────────────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspension_cannot_start_at_or_after_the_due_moment_and_the_refusal_names_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    let before = (app.count("case_suspension").await, app.audit_count().await);

    // 17:30 on the due day: the clock ran out at 17:00.
    app.clock.set(at("2026-03-11T09:30:00Z"));
    let err = expect_error(
        post_case(&clerk, &case, "suspensions", verification("专家评审")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "case_overdue");
    assert_eq!(err["field"], "start_at");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("2026年3月11日 17:00"),
        "the refusal names the due moment: {err}"
    );

    // Friday 03-13: a start back-dated to the evening of the due day, to the due moment itself,
    // or even to the afternoon before it, is refused just the same, reason or not: the clock had
    // run out when it was recorded (an examiner made an overdue case on time again this way).
    app.clock.set(at("2026-03-13T02:00:00Z"));
    for start in [
        "2026-03-11T10:00:00Z",
        "2026-03-11T09:00:00Z",
        "2026-03-11T08:00:00Z",
    ] {
        let mut body = verification("专家评审");
        body["start_at"] = json!(start);
        body["backdate_reason"] = json!("当日未及时登记");
        let err = expect_error(
            post_case(&clerk, &case, "suspensions", body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], "case_overdue", "{start}");
    }
    assert_eq!(
        (app.count("case_suspension").await, app.audit_count().await),
        before,
        "a refused suspension writes nothing"
    );

    // Recorded at 16:40 on the due day, begun at 16:00: that day and the next are not counted.
    app.clock.set(at("2026-03-11T08:40:00Z"));
    let mut body = verification("专家评审");
    body["start_at"] = json!("2026-03-11T08:00:00Z");
    body["backdate_reason"] = json!("评审当日下午开始，次日补录");
    let suspended = step(&clerk, &case, "suspensions", body).await;
    assert_eq!(suspended["summary"]["state"], "suspended");
    app.clock.set(at("2026-03-13T02:00:00Z"));
    let resumed = step(&clerk, &suspended, "resume", json!({})).await;
    assert_eq!(resumed["summary"]["due_at"], "2026-03-13T09:00:00Z");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_back_dated_suspension_needs_a_reason_and_the_reason_is_kept_in_the_audit_record() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    let other = food_in_review(&clerk).await;
    // Friday 10:00, recording an on-site check that began on Thursday at 10:00.
    app.clock.set(at("2026-03-06T02:00:00Z"));
    let mut body = verification("对经营场所进行现场核查");
    body["start_at"] = json!("2026-03-05T02:00:00Z");
    let audit_before = app.audit_count().await;
    let err = expect_error(
        post_case(&clerk, &case, "suspensions", body.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "back_dated_reason_required");
    assert_eq!(err["field"], "backdate_reason");
    assert_eq!(app.audit_count().await, audit_before);

    body["backdate_reason"] = json!("核查人员昨日在外，今日返回后补录");
    let suspended = step(&clerk, &case, "suspensions", body).await;
    let s = &suspended["suspensions"][0];
    assert_eq!(s["start_at"], "2026-03-05T02:00:00Z");
    assert_eq!(s["start_date"], "2026-03-05");
    assert_eq!(s["backdate_reason"], "核查人员昨日在外，今日返回后补录");
    let recorded = audit_after(&app, "case.suspension_recorded").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0]["backdate_reason"],
        "核查人员昨日在外，今日返回后补录"
    );
    assert_eq!(recorded[0]["back_dated_by_minutes"], 1440);

    // A start a few minutes back is no late record: no reason needed.
    let mut body = verification("现场核查");
    body["start_at"] = json!("2026-03-06T01:50:00Z");
    let suspended = step(&clerk, &other, "suspensions", body).await;
    assert!(suspended["suspensions"][0]["backdate_reason"].is_null());
}

/// An examiner saved a case ten minutes before it went overdue: on the due day they back-dated
/// an on-site check to the day of acceptance, resumed at once, and the due moved a week on with
/// a notice dated after the fact. A start more than one working day back is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspension_cannot_be_back_dated_further_than_the_previous_working_day() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    // Wednesday 03-11 16:50, due at 17:00.
    app.clock.set(at("2026-03-11T08:50:00Z"));
    let before = (app.count("case_suspension").await, app.audit_count().await);
    let mut body = verification("现场核查");
    body["start_at"] = json!("2026-03-04T02:30:00Z");
    body["backdate_reason"] = json!("补录");
    let err = expect_error(
        post_case(&clerk, &case, "suspensions", body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "back_dated_too_far");
    assert_eq!(err["field"], "start_at");
    let now = (app.count("case_suspension").await, app.audit_count().await);
    assert_eq!(now, before, "a refused suspension writes nothing");
    // Begun on Tuesday, the working day before, it can still be recorded.
    let mut body = verification("现场核查");
    body["start_at"] = json!("2026-03-10T02:30:00Z");
    body["backdate_reason"] = json!("核查人员昨日在外，今日补录");
    let suspended = step(&clerk, &case, "suspensions", body).await;
    assert_eq!(suspended["summary"]["state"], "suspended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspensions_may_not_overlap_and_resuming_follows_the_rules_codes() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    app.clock.set(at("2026-03-05T02:00:00Z")); // Thursday 10:00
    let suspended = step(&clerk, &case, "suspensions", verification("现场核查")).await;
    app.clock.set(at("2026-03-09T02:00:00Z")); // Monday 10:00
    for (end_at, code) in [
        ("2026-03-10T02:00:00Z", "end_in_future"),
        ("2026-03-05T01:00:00Z", "suspension_ends_before_start"),
    ] {
        let err = expect_error(
            post_case(&clerk, &suspended, "resume", json!({"end_at": end_at})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code, "{end_at}");
        assert_eq!(err["field"], "end_at");
    }
    // The check ended on Friday at 10:00 (recorded on Monday).
    let resumed = step(
        &clerk,
        &suspended,
        "resume",
        json!({"end_at": "2026-03-06T02:00:00Z"}),
    )
    .await;
    assert_eq!(resumed["suspensions"][0]["end_at"], "2026-03-06T02:00:00Z");
    // Thursday (begun before close) is out, Friday (ended before close) counts: due Thursday
    // 03-12 17:00.
    assert_eq!(resumed["summary"]["due_at"], "2026-03-12T09:00:00Z");

    let mut inside = verification("第二次核查");
    inside["start_at"] = json!("2026-03-05T08:00:00Z");
    inside["backdate_reason"] = json!("补录");
    let err = expect_error(
        post_case(&clerk, &resumed, "suspensions", inside).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "suspensions_overlap");
    let mut after = verification("第二次核查");
    after["start_at"] = json!("2026-03-06T03:00:00Z");
    after["backdate_reason"] = json!("补录");
    let again = step(&clerk, &resumed, "suspensions", after).await;
    assert_eq!(again["suspensions"].as_array().unwrap().len(), 2);
}

/// 行政许可法 第四十五条: the time a special procedure needs is told to the applicant in writing.
/// The suspension may say how many working days it is expected to take; the notice then says
/// so. A number out of range is refused at its field and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspension_notice_tells_the_expected_time_when_the_clerk_knows_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    let audit = app.audit_count().await;
    for days in [0, 121] {
        let mut body = verification("现场核查");
        body["expected_working_days"] = json!(days);
        let err = expect_error(
            post_case(&clerk, &case, "suspensions", body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["field"], "expected_working_days", "{days}");
    }
    assert_eq!(app.audit_count().await, audit);
    let mut body = verification("现场核查");
    body["expected_working_days"] = json!(3);
    let suspended = step(&clerk, &case, "suspensions", body).await;
    let notice = suspended["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "suspension_notice")
        .unwrap()
        .clone();
    let html = notice_html(&clerk, &notice).await;
    assert!(html.contains("所需时间预计为3个工作日。"), "{html}");
}

/// A tester left the reason empty and gave 0 days: the answer named the reason only, and the
/// days were refused on the next attempt. Every field the clerk must fix is told at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspension_with_several_fields_wrong_is_told_all_of_them_at_once() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    let audit = app.audit_count().await;
    let mut body = verification("现场核查");
    body["reason"] = json!("  ");
    body["expected_working_days"] = json!(0);
    let err = expect_error(
        post_case(&clerk, &case, "suspensions", body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["field"], "reason");
    let fields: Vec<&str> = err["problems"]
        .as_array()
        .expect("every problem listed")
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["reason", "expected_working_days"]);
    assert_eq!(app.audit_count().await, audit);
}

// ── 2. Extensions while suspended ─────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_that_was_overdue_when_it_was_suspended_can_never_be_extended() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    app.clock.set(at("2026-03-13T02:00:00Z"));
    // A suspension from Thursday 03-12 — after the due moment — recorded before the rule was
    // enforced (by date only), and the case shown as suspended since.
    let (backend, clerk_id) = (app.db.backend(), clerk.id());
    app.db
        .conn
        .execute(Statement::from_sql_and_values(
            backend,
            "INSERT INTO case_suspension (case_id, procedure, start_date, reason, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                id(&case).into(),
                "on_site_verification".into(),
                chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap().into(),
                "逾期后补办现场核查".into(),
                clerk_id.into(),
                at("2026-03-13T02:00:00Z").into(),
            ],
        ))
        .await
        .unwrap();
    app.sql(&format!(
        "UPDATE cases SET state = 'suspended', due_at = NULL WHERE id = {}",
        id(&case)
    ))
    .await;
    let now = get_case(&clerk, id(&case)).await;
    let err = expect_error(
        post_case(
            &clerk,
            &now,
            "extensions",
            json!({"days": 5, "reason": "需补充核查"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "overdue_when_suspended");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("2026年3月11日 17:00")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extension_asked_while_suspended_is_judged_against_the_due_if_resumed_now() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let case = food_in_review(&clerk).await;
    app.clock.set(at("2026-03-10T02:00:00Z")); // Tuesday 10:00, before the due (03-11 17:00)
    let suspended = step(&clerk, &case, "suspensions", verification("现场核查")).await;
    // Monday 03-16: past the original due, but resumed now the due would be Tuesday 03-17.
    app.clock.set(at("2026-03-16T02:00:00Z"));
    let requested = step(
        &clerk,
        &suspended,
        "extensions",
        json!({"days": 3, "reason": "核查发现需补充检测"}),
    )
    .await;
    let ext = &requested["extensions"][0];
    assert_eq!(ext["status"], "pending");
    // The chief approves on Wednesday 03-18, still suspended: resumed then, the due would be
    // Thursday 03-19 17:00, so the approval is in time.
    app.clock.set(at("2026-03-18T02:00:00Z"));
    let approved: Value = expect_json(
        chief
            .post(
                &format!("/api/v1/extensions/{}/decision", ext["id"]),
                &json!({"approve": true}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    let now = get_case(&clerk, id(&case)).await;
    let resumed = step(&clerk, &now, "resume", json!({})).await;
    // 5 + 3 working days after 03-04 → 03-16, and 03-10 … 03-17 (6 working days) not counted.
    assert_eq!(resumed["summary"]["due_at"], "2026-03-24T09:00:00Z");
}

/// The stage-overdue problems the detector raised for `case`.
async fn stage_problems_of(supervisor: &Staff, case: &Value) -> usize {
    let run = supervisor
        .post("/api/v1/supervision/detector/run", &json!({}))
        .await;
    assert_eq!(run.status(), StatusCode::OK);
    let list: Value = expect_json(
        supervisor
            .get("/api/v1/supervision/problems?kind=stage_overdue")
            .await,
        StatusCode::OK,
    )
    .await;
    let number = case["summary"]["number"].as_str().unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|p| p["description"].as_str().unwrap_or("").contains(number))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_is_not_overdue_while_its_case_is_suspended_and_its_due_moves_by_the_suspension() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let supervisor = app.login("super01").await;
    // Review started Wednesday 03-04: its 2 working days end Friday 03-06 at 17:00.
    let case = food_in_review(&clerk).await;
    app.clock.set(at("2026-03-05T02:00:00Z")); // Thursday 10:00
    let suspended = step(&clerk, &case, "suspensions", verification("现场核查")).await;
    // Monday 03-09, past the unsuspended stage due, the clock still stopped: nothing to raise.
    app.clock.set(at("2026-03-09T02:00:00Z"));
    assert_eq!(stage_problems_of(&supervisor, &case).await, 0);
    // Resumed on Monday: the stage gets back the time the suspension took.
    let resumed = step(&clerk, &suspended, "resume", json!({})).await;
    app.clock.set(at("2026-03-09T08:00:00Z")); // Monday 16:00
    assert_eq!(stage_problems_of(&supervisor, &case).await, 0);
    // A week later it is over its stage: raised once.
    app.clock.set(at("2026-03-16T02:00:00Z"));
    assert_eq!(resumed["summary"]["state"], "in_review");
    assert_eq!(stage_problems_of(&supervisor, &case).await, 1);
    assert_eq!(stage_problems_of(&supervisor, &case).await, 1);
}

/// 需要补正的，办理时限从全部补齐材料之时计算 (Seed §二(三)二): the acceptance stage inside it
/// waits with the case while the applicant corrects, and runs again from the day the last
/// correction came in. (A clerk who issued the correction notice at once was reported for a late
/// 受理 stage while the case waited for the applicant, and the stage was judged late.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_acceptance_stage_waits_while_the_applicant_corrects_and_is_judged_from_the_last_one() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let supervisor = app.login("super01").await;
    // Received Wednesday 03-04 09:30; the correction notice at once.
    let case = receive(&clerk, FOOD).await;
    let mut verdicts = ok(&["application_form", "id_card", "layout_docs", "safety_rules"]);
    verdicts.push(json!({"key": "business_license", "verdict": {"verdict": "missing"}}));
    let noticed: Value = expect_json(review(&clerk, &case, verdicts).await, StatusCode::OK).await;
    let noticed = &noticed["case"];
    // A week later the applicant has not come back: the applicant's time, nobody's lateness.
    app.clock.set(at("2026-03-11T02:00:00Z"));
    assert_eq!(stage_problems_of(&supervisor, noticed).await, 0);
    // Thursday 03-12 10:00 the licence comes in; accepted at 11:00 the same day: on time.
    app.clock.set(at("2026-03-12T02:00:00Z"));
    let corrected = step(
        &clerk,
        noticed,
        "corrections",
        json!({"material_keys": ["business_license"]}),
    )
    .await;
    app.clock.set(at("2026-03-12T03:00:00Z"));
    assert_eq!(stage_problems_of(&supervisor, &corrected).await, 0);
    let accepted: Value = expect_json(
        review(&clerk, &corrected, ok(&FOOD_REQUIRED)).await,
        StatusCode::OK,
    )
    .await;
    let steps = accepted["case"]["timeliness"]["steps"].as_array().unwrap();
    let acceptance = steps
        .iter()
        .find(|s| s["step"] == "stage_acceptance")
        .unwrap();
    assert_eq!(acceptance["timeliness"], "on_time", "{acceptance}");
}

// ── 3. The on-time record ─────────────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whether_the_decision_and_each_stage_were_on_time_is_recorded_and_kept_after_the_decision()
{
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let late = food_in_review(&clerk).await;
    let prompt = food_in_review(&clerk).await;
    // The prompt one is decided the next morning.
    app.clock.set(at("2026-03-05T02:00:00Z"));
    let decided = step(&clerk, &prompt, "decision", json!({"decision": "approved"})).await;
    assert_eq!(decided["timeliness"]["decided_on_time"], true);
    assert_eq!(decided["summary"]["decided_on_time"], true);

    // The other reaches the decision stage on Monday 03-09 (review stage due Friday 03-06 17:00).
    app.clock.set(at("2026-03-09T02:00:00Z"));
    let late = step(&clerk, &late, "to-decision", json!({})).await;
    // Thursday 03-12: overdue since Wednesday 17:00, marked as soon as anyone reads it.
    app.clock.set(at("2026-03-12T02:00:00Z"));
    let read = get_case(&clerk, id(&late)).await;
    assert_eq!(read["timeliness"]["overdue_at"], "2026-03-11T09:00:00Z");
    assert_eq!(
        audit_after(&app, "case.overdue").await.len(),
        1,
        "marked once, audited"
    );
    let decided = step(&clerk, &read, "decision", json!({"decision": "approved"})).await;
    app.clock.set(at("2026-03-12T03:00:00Z"));
    let delivered = step(&clerk, &decided, "delivery", json!({"method": "当场领取"})).await;
    let closed = step(
        &clerk,
        &delivered,
        "close",
        json!({"feedback": "已告知申请人结果"}),
    )
    .await;
    assert_eq!(closed["summary"]["state"], "closed");
    assert!(
        closed["summary"]["due_at"].is_null(),
        "the due is no longer shown"
    );
    let t = &closed["timeliness"];
    assert_eq!(t["decided_on_time"], false);
    assert_eq!(t["decision_due_at"], "2026-03-11T09:00:00Z");
    assert_eq!(t["overdue_at"], "2026-03-11T09:00:00Z");
    let steps: Vec<(String, String)> = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap().to_string(),
                s["timeliness"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let of = |name: &str| {
        steps
            .iter()
            .find(|(s, _)| s == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or("missing")
            .to_string()
    };
    assert_eq!(of("stage_acceptance"), "on_time");
    assert_eq!(of("stage_review"), "late");
    assert_eq!(of("stage_decision"), "late");
    assert_eq!(of("decision"), "late");
    assert_eq!(of("stage_delivery"), "on_time");
    assert_eq!(t["dues"][0]["cause"], "accepted");
    assert_eq!(t["dues"][0]["due_at"], "2026-03-11T09:00:00Z");
    // Queryable for supervision.
    assert_eq!(
        count_where(&app, "cases", "decided_on_time = false").await,
        1
    );
    assert_eq!(
        count_where(&app, "cases", "overdue_at IS NOT NULL").await,
        1
    );
}

// ── 4. Immediate items ────────────────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_immediate_item_is_accepted_and_handled_on_the_spot_in_one_step_that_issues_the_result()
{
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = receive(&clerk, SOLE_TRADER).await;
    let result: Value = expect_json(
        review(&clerk, &case, ok(&SOLE_TRADER_REQUIRED)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["outcome"]["outcome"], "accept_and_handle_on_spot");
    assert_eq!(result["case"]["summary"]["state"], "approved");
    assert!(result["case"]["decided_at"].is_string());
    let titles: Vec<&str> = result["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["受理通知书", "准予行政许可决定书"]);
    assert_eq!(result["case"]["timeliness"]["decided_on_time"], true);
    let accept: Value = expect_json(
        clerk
            .get(&format!("/api/v1/notices/{}", result["notices"][0]["id"]))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(accept["html"].as_str().unwrap().contains("当场办结"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_immediate_items_minutes_are_business_minutes_that_stop_over_the_noon_break() {
    let app = spawn_app_with(scenario_tests::AppOptions {
        now: at("2026-03-04T03:30:00Z"), // 11:30
        ..Default::default()
    })
    .await;
    let clerk = app.login("clerk01").await;
    let case = receive(&clerk, SOLE_TRADER).await;
    let mut verdicts = ok(&["application_form", "business_license"]);
    verdicts.push(json!({"key": "id_card", "verdict": {"verdict": "missing"}}));
    let asked: Value = expect_json(review(&clerk, &case, verdicts).await, StatusCode::OK).await;
    // The ID card is brought at 11:40: 20 minutes before noon, 40 after 13:00 → due 13:40.
    app.clock.set(at("2026-03-04T03:40:00Z"));
    let corrected = step(
        &clerk,
        &asked["case"],
        "corrections",
        json!({"material_keys": ["id_card"]}),
    )
    .await;
    // Handled at 13:30 — 110 wall-clock minutes later, 60 business minutes: on time.
    app.clock.set(at("2026-03-04T05:30:00Z"));
    let handled: Value = expect_json(
        review(&clerk, &corrected, ok(&SOLE_TRADER_REQUIRED)).await,
        StatusCode::OK,
    )
    .await;
    let case = &handled["case"];
    assert_eq!(case["summary"]["state"], "approved");
    assert_eq!(
        case["timeliness"]["decision_due_at"],
        "2026-03-04T05:40:00Z"
    );
    assert_eq!(case["timeliness"]["decided_on_time"], true);
}

// ── 5. Replacing a calendar year ──────────────────────────────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replacing_a_calendar_year_recomputes_every_open_case_whose_due_touches_it() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let running = food_in_review(&clerk).await; // due Wednesday 03-11 17:00
    let decided = food_in_review(&clerk).await;
    let decided = step(
        &clerk,
        &decided,
        "decision",
        json!({"decision": "approved"}),
    )
    .await;
    let waiting = receive(&clerk, FOOD).await; // review due 03-11 17:00
    let admin = app.login("admin").await;
    let mut year: Value =
        expect_json(admin.get("/api/v1/calendar/2026").await, StatusCode::OK).await;
    // The corrected year makes Tuesday 03-10 a holiday.
    year["holidays"]
        .as_array_mut()
        .unwrap()
        .push(json!({"date": "2026-03-10", "name": "更正：补充假日"}));
    let body = json!({"holidays": year["holidays"], "makeup_workdays": year["makeup_workdays"]});
    expect_json::<Value>(
        admin.put("/api/v1/calendar/2026", &body).await,
        StatusCode::OK,
    )
    .await;
    let now = get_case(&clerk, id(&running)).await;
    assert_eq!(now["summary"]["due_at"], "2026-03-12T09:00:00Z");
    let last_due = now["timeliness"]["dues"]
        .as_array()
        .unwrap()
        .last()
        .cloned();
    assert_eq!(last_due.unwrap()["cause"], "calendar");
    let waiting = get_case(&clerk, id(&waiting)).await;
    assert_eq!(waiting["summary"]["review_due_at"], "2026-03-12T09:00:00Z");
    let decided = get_case(&clerk, id(&decided)).await;
    assert_eq!(
        decided["timeliness"]["decision_due_at"], "2026-03-11T09:00:00Z",
        "a decided case keeps the due it was judged against"
    );
    // One audit record per changed due.
    let changes = audit_after(&app, "case.recompute_due").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["due_at"], "2026-03-12T09:00:00Z");
    assert_eq!(
        audit_after(&app, "case.recompute_review_due").await.len(),
        1
    );
}

// ── 6. Acceptance notices ─────────────────────────────────────────────────────────────────────

async fn notice_html(staff: &Staff, notice: &Value) -> String {
    let full: Value = expect_json(
        staff
            .get(&format!("/api/v1/notices/{}", notice["id"]))
            .await,
        StatusCode::OK,
    )
    .await;
    full["html"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deemed_acceptance_issues_a_numbered_acceptance_notice_with_the_deemed_wording() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = receive(&clerk, FOOD).await;
    app.clock.set(at("2026-03-11T09:01:00Z"));
    let now = get_case(&clerk, id(&case)).await;
    assert_eq!(now["summary"]["state"], "deemed_accepted");
    let notice = now["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "受理通知书")
        .expect("a 受理通知书 is issued")
        .clone();
    assert_eq!(notice["number"], "区市场监督管理局受字〔2026〕第00001号");
    let html = notice_html(&clerk, &notice).await;
    assert!(html.contains("本机关未在收到申请材料之日起五个工作日内告知需要补正的内容"));
    assert!(html.contains("自收到申请材料之日（2026年3月4日）起即为受理"));
    assert!(html.contains("2026年3月11日17:00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_acceptance_notice_of_a_case_whose_clock_started_at_the_last_correction_says_so() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = receive(&clerk, FOOD).await;
    let mut verdicts = ok(&["application_form", "id_card", "safety_rules", "layout_docs"]);
    verdicts.push(json!({"key": "business_license", "verdict": {"verdict": "missing"}}));
    let asked: Value = expect_json(review(&clerk, &case, verdicts).await, StatusCode::OK).await;
    app.clock.set(at("2026-03-09T01:30:00Z")); // Monday 09:30
    let corrected = step(
        &clerk,
        &asked["case"],
        "corrections",
        json!({"material_keys": ["business_license"]}),
    )
    .await;
    // Accepted half an hour later, the same day (必须即时受理: by the next day it would have
    // been deemed accepted).
    app.clock.set(at("2026-03-09T02:00:00Z"));
    let accepted: Value = expect_json(
        review(&clerk, &corrected, ok(&FOOD_REQUIRED)).await,
        StatusCode::OK,
    )
    .await;
    // 5 working days after Monday 03-09 → Monday 03-16.
    assert_eq!(
        accepted["case"]["summary"]["due_at"],
        "2026-03-16T09:00:00Z"
    );
    let html = notice_html(&clerk, &accepted["notices"][0]).await;
    assert!(html.contains("办理期限自收到全部补正材料之日（2026年3月9日）的次日起计算"));
    assert!(!html.contains("自受理之日的次日起计算"));
}

// ── 7. The one-time rule against everything told before ──────────────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_added_with_approval_counts_as_told_on_every_later_notice() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let case = receive(&clerk, FOOD).await;
    // Notice 1: the layout drawings are missing.
    let mut first = ok(&[
        "application_form",
        "business_license",
        "id_card",
        "safety_rules",
    ]);
    first.push(json!({"key": "layout_docs", "verdict": {"verdict": "missing"}}));
    let r1: Value = expect_json(review(&clerk, &case, first).await, StatusCode::OK).await;
    // Notice 2 adds the application form, with the chief representative's approval.
    let ex: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/cases/{}/one-time-exceptions", id(&r1["case"])),
                &json!({"material_keys": ["application_form"], "reason": "首次审查漏看签字栏"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    // The chief reads what is asked by name, not by key (`application_form`).
    assert_eq!(ex["material_names"], json!(["食品经营许可申请书"]));
    expect_json::<Value>(
        chief
            .post(
                &format!("/api/v1/one-time-exceptions/{}/decision", ex["id"]),
                &json!({"approve": true}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let mut second = ok(&["business_license", "id_card", "safety_rules"]);
    second.push(json!({"key": "layout_docs", "verdict": {"verdict": "missing"}}));
    second.push(
        json!({"key": "application_form", "verdict": {"verdict": "nonconforming",
        "reason": "未签字"}}),
    );
    let r2: Value = expect_json(review(&clerk, &r1["case"], second).await, StatusCode::OK).await;
    assert_eq!(r2["outcome"]["outcome"], "correction_required");
    let violations = app.count("violation").await;

    // The form was told on notice 2: asking approval for it again is refused…
    let err = expect_error(
        clerk
            .post(
                &format!("/api/v1/cases/{}/one-time-exceptions", id(&r2["case"])),
                &json!({"material_keys": ["application_form"], "reason": "再次补充"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "already_told");
    // …and notice 3 may repeat it (still unsigned) without approval and without a new breach.
    let mut third = ok(&["business_license", "id_card", "safety_rules", "layout_docs"]);
    third.push(
        json!({"key": "application_form", "verdict": {"verdict": "nonconforming",
        "reason": "仍未签字"}}),
    );
    let r3: Value = expect_json(review(&clerk, &r2["case"], third).await, StatusCode::OK).await;
    assert_eq!(r3["outcome"]["outcome"], "correction_required");
    assert_eq!(app.count("violation").await, violations, "no second breach");
}

/// A clerk asked for two forgotten materials in two requests and the chief approved both: the
/// next notice, naming both, was refused (one approval had to cover every new material), and a
/// refusal named the approved material beside the one that needed approval. Approvals add up;
/// a refusal names only what no approval covers; the notice uses every approval it needs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_exceptions_add_up_and_a_refusal_names_only_what_none_covers() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let r1 = food_waiting_for_layout_docs(&clerk).await;
    let case_id = id(&r1["case"]);
    for (key, reason) in [
        ("application_form", "首次审查漏看签字栏"),
        ("id_card", "身份证复印件首次漏看"),
    ] {
        let ex: Value = expect_json(
            clerk
                .post(
                    &format!("/api/v1/cases/{case_id}/one-time-exceptions"),
                    &json!({"material_keys": [key], "reason": reason}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
        expect_json::<Value>(
            chief
                .post(
                    &format!("/api/v1/one-time-exceptions/{}/decision", ex["id"]),
                    &json!({"approve": true}),
                )
                .await,
            StatusCode::OK,
        )
        .await;
    }
    let bad = |key: &str| {
        json!({"key": key, "verdict": {"verdict": "nonconforming",
        "reason": "不符合要求"}})
    };
    // A third new material, never approved: named alone.
    let mut too_many = ok(&["business_license"]);
    too_many.push(json!({"key": "layout_docs", "verdict": {"verdict": "missing"}}));
    too_many.extend([bad("application_form"), bad("id_card"), bad("safety_rules")]);
    let refused = expect_error(
        review(&clerk, &r1["case"], too_many).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["code"], "one_time_rule_refused");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("规章制度目录"), "{message}");
    assert!(
        !message.contains("申请书") && !message.contains("居民身份证"),
        "{message}"
    );
    // Both approved materials on one notice: sent, each approval used, one breach recorded.
    let violations = app.count("violation").await;
    let mut both = ok(&["business_license", "safety_rules"]);
    both.push(json!({"key": "layout_docs", "verdict": {"verdict": "missing"}}));
    both.extend([bad("application_form"), bad("id_card")]);
    let r2: Value = expect_json(review(&clerk, &r1["case"], both).await, StatusCode::OK).await;
    assert_eq!(r2["outcome"]["outcome"], "correction_required");
    assert_eq!(app.count("violation").await, violations + 1);
    let seen = get_case(&clerk, case_id).await;
    let statuses: Vec<&str> = seen["one_time_exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["used", "used"]);
}

// ── 10–11. Identifiers checked against today ──────────────────────────────────────────────────

/// A resident ID with a correct GB 11643 check character for the first 17 digits.
pub fn resident_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_future_birth_date_or_letters_in_a_credit_codes_division_code_are_refused() {
    let app = spawn_app().await; // Wednesday 2026-03-04
    let clerk = app.login("clerk01").await;
    let before = (app.count("cases").await, app.audit_count().await);
    let born_tomorrow = resident_id("64010420260305001");
    for (kind, number, code) in [
        (
            "person",
            "64010420990101001X".to_string(),
            "invalid_resident_id",
        ),
        ("person", born_tomorrow, "invalid_resident_id"),
        (
            "company",
            "91A50100M000100Y42".to_string(),
            "invalid_credit_code",
        ),
    ] {
        let err = expect_error(
            clerk
                .post(
                    "/api/v1/cases",
                    &json!({
                        "item_code": FOOD,
                        "applicant": {"kind": kind, "name": "张三", "id_number": number},
                        "phone": "13995012345",
                        "channel": "counter"
                    }),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(err["code"], code, "{number}");
        assert_eq!(err["field"], "applicant.id_number");
    }
    assert_eq!((app.count("cases").await, app.audit_count().await), before);
    // Born today is fine.
    let born_today = resident_id("64010420260304001");
    expect_json::<Value>(
        clerk
            .post(
                "/api/v1/cases",
                &json!({
                    "item_code": FOOD,
                    "applicant": {"kind": "person", "name": "张小宝", "id_number": born_today},
                    "phone": "+86 139 9501 2345",
                    "channel": "counter"
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
}

/// Separation of duties: nobody decides a request of their own. A clerk who is also the unit's
/// chief representative asked for an extension and approved it himself (a tester moved a due
/// date by five days so); the one-time exception is the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_approves_an_extension_they_asked_for_themselves() {
    let app = spawn_app().await;
    let dual = clerk_and_chief(&app, "dual03").await;
    let case = food_in_review(&dual).await;
    let requested = step(
        &dual,
        &case,
        "extensions",
        json!({"days": 5, "reason": "需补充检测"}),
    )
    .await;
    let ext = &requested["extensions"][0];
    let before = app.audit_count().await;
    let own = dual
        .post(
            &format!("/api/v1/extensions/{}/decision", ext["id"]),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(
        expect_error(own, StatusCode::FORBIDDEN).await["code"],
        "own_request"
    );
    assert_eq!(app.audit_count().await, before);
    // The unit's chief representative decides it.
    let chief = app.login("chief01").await;
    let approved: Value = expect_json(
        chief
            .post(
                &format!("/api/v1/extensions/{}/decision", ext["id"]),
                &json!({"approve": true}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
}

/// A tester's clerk-and-chief owned a case, a colleague asked for its extension, and the owner
/// approved it: the extension protects the owner's own on-time record. Nobody decides a request
/// on a case they are responsible for, whoever asked; another chief does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_approves_a_request_on_a_case_they_are_responsible_for_even_asked_by_another() {
    let app = spawn_app().await;
    let dual = clerk_and_chief(&app, "dual04").await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&dual).await;
    let requested = step(
        &clerk,
        &case,
        "extensions",
        json!({"days": 5, "reason": "同事代为申请"}),
    )
    .await;
    let ext = &requested["extensions"][0];
    let before = app.audit_count().await;
    let own = dual
        .post(
            &format!("/api/v1/extensions/{}/decision", ext["id"]),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(
        expect_error(own, StatusCode::FORBIDDEN).await["code"],
        "own_case"
    );
    assert_eq!(app.audit_count().await, before);
    let chief = app.login("chief01").await;
    let approved: Value = expect_json(
        chief
            .post(
                &format!("/api/v1/extensions/{}/decision", ext["id"]),
                &json!({"approve": true}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
}

/// A new account of unit 1 that is both a clerk and its chief representative, signed in.
async fn clerk_and_chief(app: &TestApp, number: &str) -> Staff {
    let admin = app.login("admin").await;
    let created = admin
        .post(
            "/api/v1/staff",
            &json!({"staff_number": number, "name": "韩双", "unit_id": 1, "window_ids": [1],
                "roles": ["clerk", "chief_representative"], "password": "dual-pass-1234567"}),
        )
        .await;
    expect_json::<Value>(created, StatusCode::CREATED).await;
    app.login_with(number, "dual-pass-1234567").await
}

/// A pending request lapses with its case: after a withdrawal the chief representative could still
/// approve an extension (a numbered 延期通知书 and a new due on a withdrawn case) and a one-time
/// exception, and the case page still said 待审批. The withdrawal lapses both (已失效, audited);
/// deciding them afterwards is refused and changes nothing; they leave the pending lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_lapses_when_its_case_is_withdrawn_and_can_no_longer_be_decided() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let case = food_in_review(&clerk).await;
    let requested = step(
        &clerk,
        &case,
        "extensions",
        json!({"days": 5, "reason": "需补充检测"}),
    )
    .await;
    let ext = requested["extensions"][0]["id"].clone();
    let withdrawn = step(
        &clerk,
        &requested,
        "withdraw",
        json!({"reason": "申请人撤回"}),
    )
    .await;

    // A case waiting for corrections, with a pending one-time exception, withdrawn too.
    let r1 = food_waiting_for_layout_docs(&clerk).await;
    let exception: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/cases/{}/one-time-exceptions", id(&r1["case"])),
                &json!({"material_keys": ["application_form"], "reason": "首次审查漏看签字栏"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    step(
        &clerk,
        &r1["case"],
        "withdraw",
        json!({"reason": "申请人撤回"}),
    )
    .await;

    let (notices, audit) = (app.count("notice").await, app.audit_count().await);
    for path in [
        format!("/api/v1/extensions/{ext}/decision"),
        format!("/api/v1/one-time-exceptions/{}/decision", exception["id"]),
    ] {
        let approved = chief.post(&path, &json!({"approve": true})).await;
        assert_eq!(
            expect_error(approved, StatusCode::CONFLICT).await["code"],
            "case_moved_on",
            "{path}"
        );
    }
    assert_eq!(app.count("notice").await, notices);
    assert_eq!(app.audit_count().await, audit);
    let after = get_case(&clerk, id(&case)).await;
    assert_eq!(after["summary"]["state"], "withdrawn");
    assert_eq!(after["summary"]["version"], withdrawn["summary"]["version"]);
    assert_eq!(after["summary"]["due_at"], withdrawn["summary"]["due_at"]);
    let pending: Value = expect_json(chief.get("/api/v1/extensions").await, StatusCode::OK).await;
    assert_eq!(
        pending,
        json!([]),
        "the lapsed request is no longer pending"
    );
    // The case page says so too: the requests lapsed with their cases, and stay lapsed.
    assert_eq!(after["extensions"][0]["status"], "lapsed");
    let other_after = get_case(&clerk, id(&r1["case"])).await;
    assert_eq!(other_after["one_time_exceptions"][0]["status"], "lapsed");
    let pending: Value = expect_json(
        chief.get("/api/v1/one-time-exceptions").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        pending,
        json!([]),
        "the lapsed exception is no longer pending"
    );
    let refused = chief
        .post(
            &format!("/api/v1/extensions/{ext}/decision"),
            &json!({"approve": false}),
        )
        .await;
    assert_eq!(
        expect_error(refused, StatusCode::CONFLICT).await["code"],
        "case_moved_on"
    );
}

/// A denial states its reasons (行政许可法 第三十八条): reasons that draw nothing — a Braille blank
/// and a Hangul filler printed "理由如下：⠀ㅤ。" on a tester's 不予行政许可决定书 — are none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denial_whose_reasons_show_nothing_is_refused_and_issues_no_notice() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = food_in_review(&clerk).await;
    let before = app.count("notice").await;
    for blank in [
        "\u{2800}\u{3164}",
        "\u{200c}\u{200d}",
        "\u{0301}",
        "\u{3000} \u{ffa0}",
    ] {
        let err = expect_error(
            post_case(
                &clerk,
                &case,
                "decision",
                json!({"decision": "denied", "reasons": blank}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            (&err["code"], &err["field"]),
            (&json!("required"), &json!("reasons"))
        );
    }
    assert_eq!(app.count("notice").await, before);
}

/// Stage limits lie inside the promised total (各环节时限…在承诺时限之内，不另行累加): a case
/// decided an hour before its total due has until that due to be delivered, not a day more, and
/// a delivery still not made after it is a stage overdue for supervision. (A tester's delivery
/// ran three days past the promise with `decided_on_time` true and nothing flagged.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_is_due_within_the_promised_total_and_a_late_one_is_flagged() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let supervisor = app.login("super01").await;
    let case = food_in_review(&clerk).await; // due Wednesday 03-11 17:00
    app.clock.set(at("2026-03-11T08:00:00Z")); // 16:00
    let decided = step(&clerk, &case, "decision", json!({"decision": "approved"})).await;
    let delivery = decided["timeliness"]["dues"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|d| d["stage"] == "delivery")
        .cloned()
        .expect("a delivery due");
    assert_eq!(delivery["due_at"], "2026-03-11T09:00:00Z");
    assert_eq!(stage_problems_of(&supervisor, &decided).await, 0);
    app.clock.set(at("2026-03-12T02:00:00Z")); // Thursday 10:00, not delivered
    assert_eq!(stage_problems_of(&supervisor, &decided).await, 1);
}

/// An extension approved while a stage is held to the old total gives the stage its room back:
/// the decision stage, begun on the total's last day, asked for the extension, so it gets the
/// extension's days too (within the new total) and is reported overdue neither at the old total
/// nor at its own limit (a lawfully extended case was flagged 环节超时 the day after approval).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_extension_frees_a_stage_held_to_the_old_total() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let supervisor = app.login("super01").await;
    let case = food_in_review(&clerk).await; // due Wednesday 03-11 17:00
    app.clock.set(at("2026-03-11T02:00:00Z")); // 10:00
    let deciding = step(&clerk, &case, "to-decision", json!({})).await;
    let stage_due = |case: &Value| {
        case["timeliness"]["dues"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|d| d["stage"] == "decision")
            .map(|d| d["due_at"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        stage_due(&deciding),
        "2026-03-11T09:00:00Z",
        "held to the total"
    );
    let asked = step(
        &clerk,
        &deciding,
        "extensions",
        json!({"days": 5, "reason": "需补充检测"}),
    )
    .await;
    let ext = &asked["extensions"][0];
    let approved = chief
        .post(
            &format!("/api/v1/extensions/{}/decision", ext["id"]),
            &json!({"approve": true}),
        )
        .await;
    expect_json::<Value>(approved, StatusCode::OK).await;
    let now = get_case(&clerk, id(&deciding)).await;
    assert_eq!(now["summary"]["due_at"], "2026-03-18T09:00:00Z");
    assert_eq!(
        stage_due(&now),
        "2026-03-18T09:00:00Z",
        "its own one working day and the extension's five, within the new total"
    );
    app.clock.set(at("2026-03-12T02:00:00Z")); // Thursday 10:00
    assert_eq!(stage_problems_of(&supervisor, &now).await, 0);
    app.clock.set(at("2026-03-13T02:00:00Z")); // Friday 10:00, past its own one day
    assert_eq!(stage_problems_of(&supervisor, &now).await, 0);
}

/// Nothing is corrected on the spot before the application came in: a tester's review dated a
/// correction 2020-01-01 on a case received in 2026, and it was kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_on_the_spot_dated_before_receipt_is_refused() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let case = receive(&clerk, FOOD).await;
    let mut verdicts = ok(&[
        "application_form",
        "business_license",
        "layout_docs",
        "safety_rules",
    ]);
    verdicts.push(
        json!({"key": "id_card", "verdict": {"verdict": "corrected_on_spot",
        "applicant_confirmed": true, "corrected_on": "2020-01-01"}}),
    );
    let before = app.audit_count().await;
    let err = expect_error(
        review(&clerk, &case, verdicts).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["code"], "correction_date_before_receipt");
    assert_eq!(app.audit_count().await, before);
}

/// A tester asked three times for the same one-time exception (and once naming one material
/// twice): three pending requests, and the chief approved one, refused one and approved another,
/// leaving a contradictory record. A material is asked for once while a request for it is live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_time_exception_is_asked_for_once_per_material_while_a_request_for_it_is_live() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let r1 = food_waiting_for_layout_docs(&clerk).await;
    let path = format!("/api/v1/cases/{}/one-time-exceptions", id(&r1["case"]));
    let ask = |keys: Value| {
        let (clerk, path) = (&clerk, &path);
        async move {
            clerk
                .post(
                    path,
                    &json!({"material_keys": keys, "reason": "首次审查漏看签字栏"}),
                )
                .await
        }
    };
    let twice = expect_error(
        ask(json!(["application_form", "application_form"])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(twice["code"], "duplicate_materials");
    assert_eq!(twice["field"], "material_keys");
    let first = ask(json!(["application_form"])).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let before = (
        app.count("one_time_exception").await,
        app.audit_count().await,
    );
    let again = expect_error(
        ask(json!(["id_card", "application_form"])).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["code"], "exception_already_requested");
    assert_eq!(again["field"], "material_keys");
    assert_eq!(
        (
            app.count("one_time_exception").await,
            app.audit_count().await
        ),
        before
    );
    // Another material is a request of its own.
    assert_eq!(ask(json!(["id_card"])).await.status(), StatusCode::CREATED);
}

/// A food licence whose review asked for the layout documents: the review's answer.
async fn food_waiting_for_layout_docs(clerk: &Staff) -> Value {
    let case = receive(clerk, FOOD).await;
    let mut verdicts = ok(&[
        "application_form",
        "business_license",
        "id_card",
        "safety_rules",
    ]);
    verdicts.push(json!({"key": "layout_docs", "verdict": {"verdict": "missing"}}));
    expect_json(review(clerk, &case, verdicts).await, StatusCode::OK).await
}

/// A chief refused a one-time exception with one tap and nothing was said why: the clerk read
/// only "未批准" and could not tell the applicant whether the material was needed at all. A
/// refusal, like an extension's, gives its reason; the case shows it to the clerk, and an empty
/// reason is refused and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_one_time_exception_says_why_to_the_clerk_who_asked() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let r1 = food_waiting_for_layout_docs(&clerk).await;
    let case_id = id(&r1["case"]);
    let ex: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/cases/{case_id}/one-time-exceptions"),
                &json!({"material_keys": ["application_form"], "reason": "首次审查漏看签字栏"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/one-time-exceptions/{}/decision", ex["id"]);
    let audit = app.audit_count().await;
    for body in [
        json!({"approve": false}),
        json!({"approve": false, "note": "   "}),
    ] {
        let refused = expect_error(
            chief.post(&path, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["code"], "required", "{body}");
        assert_eq!(refused["field"], "note", "{body}");
    }
    assert_eq!(app.audit_count().await, audit);
    let pending = get_case(&clerk, case_id).await;
    assert_eq!(pending["one_time_exceptions"][0]["status"], "pending");

    let decided: Value = expect_json(
        chief
            .post(
                &path,
                &json!({"approve": false, "note": "申请书签字栏首次已审查合格，无需补充"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(decided["status"], "refused");
    assert_eq!(
        decided["decision_note"],
        "申请书签字栏首次已审查合格，无需补充"
    );
    let seen = get_case(&clerk, case_id).await;
    let record = &seen["one_time_exceptions"][0];
    assert_eq!(record["status"], "refused");
    assert_eq!(
        record["decision_note"],
        "申请书签字栏首次已审查合格，无需补充"
    );
    assert!(record["decided_at"].is_string());
    assert_eq!(app.audit_count().await, audit + 1);
}
