//! Issue 12, finding 10: long lists come in pages. `GET /api/v1/cases` and `GET /api/v1/staff`
//! take `limit` (default 100, at most 200; anything else is a 422) and `cursor`; the body keeps
//! its shape (`{"items":[…]}`) and the next page is named by `Link: <…>; rel="next"`,
//! `X-Next-Cursor` and `next_cursor`. Pages are keyset pages: a case received while someone
//! walks the list neither repeats nor hides another.

use std::collections::BTreeSet;

use reqwest::{Response, StatusCode};
use scenario_tests::{Staff, expect_error, expect_json, spawn_app};
use serde_json::{Value, json};

async fn receive(clerk: &Staff, phone: &str) -> i64 {
    let body = json!({
        "item_code": "640106-XK-0003",
        "applicant": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "phone": phone, "channel": "counter"
    });
    let case: Value = expect_json(
        clerk.post("/api/v1/cases", &body).await,
        StatusCode::CREATED,
    )
    .await;
    case["summary"]["id"].as_i64().unwrap()
}

/// The next page's path, from the `Link` header (checked against `X-Next-Cursor`).
fn next_page(response: &Response) -> Option<String> {
    let link = response
        .headers()
        .get("link")?
        .to_str()
        .unwrap()
        .to_string();
    let (target, rel) = link.split_once(';').unwrap();
    assert_eq!(rel.trim(), r#"rel="next""#);
    let target = target.trim().trim_start_matches('<').trim_end_matches('>');
    let cursor = response.headers()["x-next-cursor"].to_str().unwrap();
    assert!(target.contains(&format!("cursor={cursor}")), "{target}");
    assert!(target.starts_with("/api/v1/"), "{target}");
    Some(target.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walking_every_page_of_all_cases_finds_each_once_while_cases_arrive() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let mut received = BTreeSet::new();
    for i in 0..7 {
        received.insert(receive(&clerk, &format!("1399501{i:04}")).await);
    }
    let supervisor = app.login("super01").await;
    let mut path = Some("/api/v1/cases?scope=all&limit=3".to_string());
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(p) = path {
        let response = supervisor.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let body: Value = response.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= 3, "{p}: {} items", items.len());
        assert_eq!(
            body["next_cursor"].is_string(),
            path.is_some(),
            "next_cursor and Link agree"
        );
        seen.extend(items.iter().map(|c| c["id"].as_i64().unwrap()));
        pages += 1;
        if pages == 1 {
            // A case arrives while the list is walked: it shows up once, on a later page.
            received.insert(receive(&clerk, "13995019999").await);
        }
        assert!(pages < 10, "the walk does not end");
    }
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "a case came twice: {seen:?}");
    assert_eq!(unique, received, "a case was missed");
    assert_eq!(pages, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_limit_a_list_is_one_page_of_at_most_a_hundred() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    for i in 0..3 {
        receive(&clerk, &format!("1399502{i:04}")).await;
    }
    let response = clerk.get("/api/v1/cases?scope=mine").await;
    assert!(response.headers().get("link").is_none());
    let body: Value = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    assert!(body.get("next_cursor").is_none_or(Value::is_null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_size_out_of_range_or_a_forged_cursor_is_refused() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    for (query, field) in [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=x", "limit"),
        ("cursor=abc", "cursor"),
        ("cursor=-5", "cursor"),
    ] {
        for list in ["/api/v1/cases?scope=all&", "/api/v1/staff?"] {
            let response = supervisor.get(&format!("{list}{query}")).await;
            let status = response.status();
            assert!(status.is_client_error(), "{list}{query}: {status}");
            let err = expect_error(response, status).await;
            assert_eq!(err["field"], field, "{list}{query}");
        }
    }
    let max = supervisor.get("/api/v1/cases?scope=all&limit=200").await;
    assert_eq!(max.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staff_list_comes_in_pages_in_staff_number_order() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let all: Value = expect_json(admin.get("/api/v1/staff").await, StatusCode::OK).await;
    let everyone: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["staff_number"].as_str().unwrap().to_string())
        .collect();
    assert!(everyone.len() >= 7);
    let mut path = Some("/api/v1/staff?limit=2".to_string());
    let mut walked = Vec::new();
    while let Some(p) = path {
        let response = admin.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let body: Value = response.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        walked.extend(
            items
                .iter()
                .map(|s| s["staff_number"].as_str().unwrap().to_string()),
        );
        assert!(walked.len() <= everyone.len(), "the walk repeats");
    }
    assert_eq!(walked, everyone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_declares_the_page_parameters() {
    let app = spawn_app().await;
    let doc: Value = expect_json(app.get("/api/v1/openapi.json").await, StatusCode::OK).await;
    for path in [
        "/api/v1/cases",
        "/api/v1/staff",
        "/api/v1/supervision/problems",
        "/api/v1/supervision/rectifications",
        "/api/v1/supervision/ratings",
        "/api/v1/supervision/patrols",
        "/api/v1/supervision/interviews",
        "/api/v1/extensions",
        "/api/v1/one-time-exceptions",
        "/api/v1/queue/reassignments",
        "/api/v1/centers",
        "/api/v1/units",
        "/api/v1/windows",
        "/api/v1/kiosks",
        "/api/v1/slot-rules",
    ] {
        let params = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has no parameters"));
        for name in ["limit", "cursor"] {
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == name && p["in"] == "query"),
                "{path} does not declare {name}"
            );
        }
    }
}

/// The ids of every page of a list walked from `first` by its `Link` headers, whichever body
/// it has: `{"items": […], "next_cursor": …}` (which must name the headers' cursor) or a list.
async fn walk_ids(staff: &Staff, first: &str) -> Vec<i64> {
    let mut path = Some(first.to_string());
    let mut ids = Vec::new();
    while let Some(p) = path {
        let response = staff.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let header = response
            .headers()
            .get("x-next-cursor")
            .map(|c| c.to_str().unwrap().to_string());
        let body: Value = response.json().await.unwrap();
        let items = match &body {
            Value::Array(items) => items.clone(),
            _ => {
                assert_eq!(body["next_cursor"].as_str(), header.as_deref(), "{p}");
                body["items"].as_array().unwrap().clone()
            }
        };
        assert!(items.len() <= 1, "{p}");
        ids.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        assert!(ids.len() <= 1000, "the walk of {first} does not end");
    }
    ids
}

/// Issue 16: "keyset pagination with a maximum page size on every list endpoint" — the
/// organisation's lists grow with the deployment (a province's halls share one), so centers,
/// units, windows, kiosks and slot rules come in pages too; a parameter they do not know is
/// refused instead of ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisations_lists_come_in_pages_each_record_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    admin
        .post(
            "/api/v1/kiosks",
            &json!({"center_id": 1, "name": "大厅一号自助机"}),
        )
        .await;
    for list in ["centers", "units", "windows", "kiosks", "slot-rules"] {
        let all = admin.get(&format!("/api/v1/{list}")).await;
        assert_eq!(all.status(), StatusCode::OK, "{list}");
        assert!(all.headers().get("link").is_none(), "{list}");
        let body: Value = all.json().await.unwrap();
        let items = body
            .as_array()
            .or(body["items"].as_array())
            .unwrap()
            .clone();
        let mut everyone: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert!(!everyone.is_empty(), "{list}");
        let walked = walk_ids(&admin, &format!("/api/v1/{list}?limit=1")).await;
        assert_eq!(walked.len(), everyone.len(), "{list}: {walked:?}");
        let mut sorted = walked.clone();
        sorted.sort();
        everyone.sort();
        assert_eq!(sorted, everyone, "{list}");
        for (query, field) in [
            ("limit=201", "limit"),
            ("limit=0", "limit"),
            ("cursor=zz", "cursor"),
        ] {
            let response = admin.get(&format!("/api/v1/{list}?{query}")).await;
            let err = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(err["field"], field, "{list}?{query}");
        }
        let unknown = admin.get(&format!("/api/v1/{list}?center=1")).await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST, "{list}?center=1");
    }
}

/// Issue 16: the supervision problems come in keyset pages too (newest first); the body stays
/// the list it was, the next page in `Link` / `X-Next-Cursor`; a page size over 200 is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_problems_list_comes_in_pages_newest_first_each_problem_once() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let mut filed = Vec::new();
    for i in 0..5 {
        let problem: Value = expect_json(
            supervisor
                .post(
                    "/api/v1/supervision/problems",
                    &json!({"source": "complaint", "kind": "conduct", "unit_id": 1,
                            "description": format!("群众投诉：第 {i} 件")}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
        filed.push(problem["id"].as_i64().unwrap());
    }
    let mut path = Some("/api/v1/supervision/problems?kind=conduct&limit=2".to_string());
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(p) = path {
        let response = supervisor.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let body: Vec<Value> = response.json().await.unwrap();
        assert!(body.len() <= 2);
        seen.extend(body.iter().map(|p| p["id"].as_i64().unwrap()));
        pages += 1;
        if pages == 1 {
            // Filed while the list is walked: it is newer than the cursor, so not on a later page.
            let late: Value = expect_json(
                supervisor
                    .post(
                        "/api/v1/supervision/problems",
                        &json!({"source": "complaint", "kind": "conduct", "unit_id": 1,
                                "description": "群众投诉：翻页时新增"}),
                    )
                    .await,
                StatusCode::CREATED,
            )
            .await;
            assert!(late["id"].as_i64().unwrap() > filed[4]);
        }
    }
    filed.reverse();
    assert_eq!(seen, filed);
    assert_eq!(pages, 3);
    let too_many = supervisor
        .get("/api/v1/supervision/problems?limit=201")
        .await;
    assert_eq!(
        expect_error(too_many, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "invalid_limit"
    );
}

/// Issue 16: the rectification items come in keyset pages in their order (soonest deadline,
/// then id); items with the same deadline are neither repeated nor skipped across pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rectification_list_comes_in_pages_in_deadline_order_each_item_once() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    for i in 0..5 {
        expect_json::<Value>(
            supervisor
                .post(
                    "/api/v1/supervision/problems",
                    &json!({"source": "complaint", "kind": "conduct", "unit_id": 1,
                            "description": format!("群众投诉：第 {i} 件")}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let all: Vec<Value> = expect_json(
        supervisor
            .get("/api/v1/supervision/rectifications?unit_id=1&limit=200")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(all.len() >= 5);
    let mut path = Some("/api/v1/supervision/rectifications?unit_id=1&limit=2".to_string());
    let mut seen = Vec::new();
    while let Some(p) = path {
        let response = supervisor.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let body: Vec<Value> = response.json().await.unwrap();
        assert!(body.len() <= 2);
        seen.extend(body);
    }
    let ids =
        |items: &[Value]| -> Vec<i64> { items.iter().map(|i| i["id"].as_i64().unwrap()).collect() };
    assert_eq!(ids(&seen), ids(&all));
    let forged = supervisor
        .get("/api/v1/supervision/rectifications?cursor=zz")
        .await;
    assert_eq!(
        expect_error(forged, StatusCode::UNPROCESSABLE_ENTITY).await["code"],
        "invalid_cursor"
    );
}

/// Walks a paged list from `first` by its `Link` headers; every page holds at most `limit`.
async fn walk(staff: &Staff, first: &str, limit: usize) -> (Vec<Value>, usize) {
    let mut path = Some(first.to_string());
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(p) = path {
        let response = staff.get(&p).await;
        assert_eq!(response.status(), StatusCode::OK, "{p}");
        path = next_page(&response);
        let body: Vec<Value> = response.json().await.unwrap();
        assert!(body.len() <= limit, "{p}: {} items", body.len());
        seen.extend(body);
        pages += 1;
        assert!(pages < 50, "the walk does not end");
    }
    (seen, pages)
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Issue 16: every list that grows with use comes in pages of at most 200 (default 100), the
/// next page in `Link` / `X-Next-Cursor`, the body the plain list it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_growing_list_refuses_a_page_over_200_and_a_forged_cursor() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let chief = app.login("chief01").await;
    let lists: [(&Staff, &str); 7] = [
        (&supervisor, "/api/v1/supervision/ratings?"),
        (&supervisor, "/api/v1/supervision/ratings?bad=true&"),
        (&supervisor, "/api/v1/supervision/patrols?"),
        (&supervisor, "/api/v1/supervision/interviews?"),
        (&chief, "/api/v1/extensions?"),
        (&chief, "/api/v1/one-time-exceptions?"),
        (&chief, "/api/v1/queue/reassignments?"),
    ];
    for (staff, list) in lists {
        let plain = staff.get(list.trim_end_matches(['?', '&'])).await;
        assert_eq!(plain.status(), StatusCode::OK, "{list}");
        assert!(plain.headers().get("link").is_none(), "{list}");
        let _: Vec<Value> = plain.json().await.unwrap();
        for (query, field) in [
            ("limit=201", "limit"),
            ("limit=0", "limit"),
            ("cursor=zz", "cursor"),
        ] {
            let response = staff.get(&format!("{list}{query}")).await;
            let err = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(err["field"], field, "{list}{query}");
        }
        let max = staff.get(&format!("{list}limit=200")).await;
        assert_eq!(max.status(), StatusCode::OK, "{list}");
    }
    // The chief's page still asks for the pending extensions as it always did.
    let legacy = chief.get("/api/v1/extensions?status=pending").await;
    assert_eq!(legacy.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interviews_come_in_pages_newest_first_each_once() {
    let app = spawn_app().await;
    let supervisor = app.login("super01").await;
    let clerk = app.login("clerk01").await;
    let mut held = Vec::new();
    for i in 0..5 {
        let talk: Value = expect_json(
            supervisor
                .post(
                    "/api/v1/supervision/interviews",
                    &json!({"subject_kind": "staff", "subject_id": clerk.id(),
                            "held_on": format!("2026-02-2{i}"),
                            "outcome": format!("第 {i} 次约谈")}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
        held.push(talk["id"].as_i64().unwrap());
    }
    let (seen, pages) = walk(&supervisor, "/api/v1/supervision/interviews?limit=2", 2).await;
    held.reverse();
    assert_eq!(ids(&seen), held);
    assert_eq!(pages, 3);
    let all: Vec<Value> = expect_json(
        supervisor.get("/api/v1/supervision/interviews").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&all), held);
}

/// The pending extensions come most urgent first — a case whose clock is stopped, then by due
/// moment — and walking them one per page finds the same order, each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pending_extensions_come_in_pages_most_urgent_first() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let chief = app.login("chief01").await;
    let required = [
        "application_form",
        "business_license",
        "id_card",
        "layout_docs",
        "safety_rules",
    ];
    let mut accepted = Vec::new();
    for day in 0..4 {
        // Wednesday, Thursday, Friday, Friday.
        app.clock
            .advance(chrono::Duration::days(i64::from(day > 0 && day < 3)));
        let case: Value = expect_json(
            clerk
                .post(
                    "/api/v1/cases",
                    &json!({"item_code": "640106-XK-0001",
                            "applicant": {"kind": "person", "name": "张三",
                                          "id_number": "11010519491231002X"},
                            "phone": "13995012345", "channel": "counter"}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
        let result = clerk.review_all_ok(&case, &required).await;
        accepted.push(result["case"]["summary"]["id"].as_i64().unwrap());
    }
    let current = |id: i64| {
        let clerk = &clerk;
        async move {
            expect_json::<Value>(
                clerk.get(&format!("/api/v1/cases/{id}")).await,
                StatusCode::OK,
            )
            .await
        }
    };
    // Asked in another order than their due moments: the third, the first, the second, the
    // fourth (whose clock then stops).
    let mut asked = BTreeSet::new();
    for index in [2, 0, 1, 3] {
        let case = current(accepted[index]).await;
        let response = clerk
            .post(
                &format!("/api/v1/cases/{}/extensions", accepted[index]),
                &json!({"version": case["summary"]["version"], "days": 3,
                        "reason": "需征求卫生部门意见"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        asked.insert(accepted[index]);
    }
    let fourth = current(accepted[3]).await;
    let started: Value = expect_json(
        clerk
            .post(
                &format!("/api/v1/cases/{}/start-review", accepted[3]),
                &json!({"version": fourth["summary"]["version"]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let stopped = clerk
        .post(
            &format!("/api/v1/cases/{}/suspensions", accepted[3]),
            &json!({"version": started["summary"]["version"],
                    "procedure": "on_site_verification", "reason": "对经营场所进行现场核查"}),
        )
        .await;
    assert_eq!(stopped.status(), StatusCode::OK);
    let all: Vec<Value> = expect_json(chief.get("/api/v1/extensions").await, StatusCode::OK).await;
    let order: Vec<i64> = all.iter().map(|e| e["case_id"].as_i64().unwrap()).collect();
    assert_eq!(
        order,
        vec![accepted[3], accepted[0], accepted[1], accepted[2]]
    );
    assert!(all[0]["due_at"].is_null());
    let (seen, pages) = walk(&chief, "/api/v1/extensions?limit=1", 1).await;
    assert_eq!(ids(&seen), ids(&all));
    assert_eq!(pages, 4);
}
