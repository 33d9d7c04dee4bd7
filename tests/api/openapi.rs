//! The OpenAPI document describes the real routes.

use reqwest::StatusCode;
use scenario_tests::{expect_json, spawn_app};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_path_is_routed_and_the_stable_paths_are_documented() {
    let app = spawn_app().await;
    let doc: Value = expect_json(app.get("/api/v1/openapi.json").await, StatusCode::OK).await;
    let paths = doc["paths"].as_object().unwrap();
    for stable in [
        "/api/v1/health",
        "/api/v1/calendar/years",
        "/api/v1/calendar/{year}",
        "/api/v1/calendar/add-working-days",
        "/api/v1/calendar/working-days-between",
        "/api/v1/public/centers",
        "/api/v1/service-items",
        "/api/v1/service-items/{code}",
        "/api/v1/public/cases/{number}",
        "/api/v1/openapi.json",
        "/api/v1/public/appointment-slots",
        "/api/v1/public/appointments",
        "/api/v1/public/appointments/{code}",
        "/api/v1/public/appointments/{code}/reschedule",
    ] {
        assert!(paths.contains_key(stable), "{stable} is not documented");
    }
    for (path, methods) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{year}", "2026")
            .replace("{code}", "640106-XK-0001")
            .replace("{number}", "2026-01-00001")
            .replace("{center}", "1");
        for method in methods.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .anonymous
                .request(method.clone(), app.url(&concrete))
                .send()
                .await
                .unwrap();
            let status = response.status();
            // An event stream never ends: its status line is the answer.
            let streaming = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
            let body: Value = if streaming {
                Value::Null
            } else {
                response.json().await.unwrap_or(Value::Null)
            };
            let unrouted = status == StatusCode::NOT_FOUND && body["message"] == "没有这个接口"
                || status == StatusCode::METHOD_NOT_ALLOWED;
            assert!(!unrouted, "{method} {path} is documented but not routed");
        }
    }
}

/// Every `$ref` in `value`, recursively.
fn references<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => references(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// An outside fuzzer found 66 operations naming path parameters the document never declared,
/// a reference to a schema that did not exist, and 95 answers with an undocumented status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_a_contract_every_path_parameter_declared_every_reference_resolved() {
    let app = spawn_app().await;
    let doc: Value = expect_json(app.get("/api/v1/openapi.json").await, StatusCode::OK).await;
    let mut broken = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let names: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for name in &names {
                let declared = params
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == *name && p["required"] == true);
                if !declared {
                    broken.push(format!("{method} {path}: path parameter {name} undeclared"));
                }
            }
            for status in ["400", "403", "404", "422", "429"] {
                if op["responses"].get(status).is_none() {
                    broken.push(format!("{method} {path}: answer {status} undocumented"));
                }
            }
        }
    }
    let mut refs = Vec::new();
    references(&doc, &mut refs);
    for r in refs {
        let pointer = r.strip_prefix('#').unwrap_or(r);
        if doc.pointer(pointer).is_none() {
            broken.push(format!("reference {r} does not resolve"));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Query parameters were documented as required path parameters, so a client built from the
/// document could not call `GET /api/v1/calendar/add-working-days` at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_are_documented_in_the_query_and_required_only_when_they_are() {
    let app = spawn_app().await;
    let doc: Value = expect_json(app.get("/api/v1/openapi.json").await, StatusCode::OK).await;
    let params = |path: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone()
    };
    let find = |params: &[Value], name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_default()
    };
    let add = params("/api/v1/calendar/add-working-days");
    assert_eq!(find(&add, "start")["in"], "query");
    assert_eq!(find(&add, "start")["required"], true);
    let items = params("/api/v1/service-items");
    assert_eq!(find(&items, "q")["in"], "query");
    assert_eq!(find(&items, "q")["required"], false);
}
