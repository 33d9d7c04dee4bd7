//! What every operation shares, declared once: the path parameters its path template names and
//! the error answers any handler can give (the extractors, the caller check, the rate limits and
//! the services all answer with [`ErrorBody`](crate::error::ErrorBody)). The per-handler
//! annotations say what is particular to an operation; this completes the document so that a
//! client generator or a fuzzer can use it as a contract.

use serde_json::{Map, Value, json};

/// The error statuses any operation may answer, with what they mean here.
const ERRORS: [(&str, &str); 10] = [
    ("400", "请求格式错误：查询参数、路径参数或请求体无法解析"),
    ("401", "未登录或会话已过期"),
    ("403", "无权在此操作（角色、所属中心或来源不符）"),
    ("404", "对象不存在"),
    ("408", "请求体发送超时（slow_client_seconds）"),
    ("409", "状态冲突：对象已被他人修改或当前状态不允许此操作"),
    ("413", "请求体过大"),
    ("415", "请求体类型不支持"),
    ("422", "输入未通过校验：见 code 与 field"),
    ("429", "请求过于频繁，请稍后再试"),
];

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Completes `doc` (the document utoipa derives) in place.
pub fn complete(doc: &mut Value) {
    add_error_responses(doc);
    merge_closed_all_of(doc);
    name_operations_uniquely(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let names = template_names(path);
        for method in METHODS {
            let public = is_public(method, path);
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            place_query_parameters(op, &names);
            declare_path_parameters(op, &names);
            let has_body = op.contains_key("requestBody");
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses is an object");
            for (status, _) in ERRORS {
                let applies = match status {
                    "401" => !public,
                    "408" | "413" | "415" => has_body,
                    _ => true,
                };
                if applies && !responses.contains_key(status) {
                    let reference = format!("#/components/responses/Error{status}");
                    responses.insert(status.to_string(), json!({ "$ref": reference }));
                }
            }
        }
    }
}

/// A struct that flattens a closed struct (`deny_unknown_fields`) into itself comes out as
/// `allOf: [Closed, {its own fields}]`, which no value can satisfy (each part forbids the other's
/// fields). Such a schema becomes one closed object with the fields of both.
fn merge_closed_all_of(doc: &mut Value) {
    let Some(schemas) = doc.pointer("/components/schemas").cloned() else {
        return;
    };
    let resolve = |part: &Value| -> Value {
        match part["$ref"].as_str() {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or_default();
                schemas.get(name).cloned().unwrap_or_default()
            }
            None => part.clone(),
        }
    };
    let Some(targets) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for schema in targets.values_mut() {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array).cloned() else {
            continue;
        };
        let parts: Vec<Value> = parts.iter().map(resolve).collect();
        if !parts
            .iter()
            .any(|p| p["additionalProperties"] == json!(false))
        {
            continue;
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for part in &parts {
            if let Some(props) = part["properties"].as_object() {
                properties.extend(props.clone());
            }
            if let Some(names) = part["required"].as_array() {
                required.extend(names.iter().cloned());
            }
        }
        let description = schema.get("description").cloned();
        *schema = json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        });
        if let Some(d) = description {
            schema["description"] = d;
        }
    }
}

/// utoipa names an operation after its handler, and handlers of different modules share names
/// (`list`): an operation id is the module's tag and the handler's name, made unique.
fn name_operations_uniquely(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let tag = op
                .get("tags")
                .and_then(|t| t[0].as_str())
                .unwrap_or("api")
                .to_string();
            let name = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or(method);
            let name = name.to_string();
            let mut id = format!("{tag}_{name}");
            let mut n = 2;
            while !seen.insert(id.clone()) {
                id = format!("{tag}_{name}_{n}");
                n += 1;
            }
            op.insert("operationId".into(), json!(id));
        }
    }
}

/// Operations anyone may call never answer 401 (a `PUT` beside a public `GET` does).
fn is_public(method: &str, path: &str) -> bool {
    path.starts_with("/api/v1/public/")
        || path == "/api/v1/auth/login"
        || method == "get"
            && matches!(
                path,
                "/api/v1/health"
                    | "/api/v1/time"
                    | "/api/v1/openapi.json"
                    | "/api/v1/events"
                    | "/api/v1/service-items"
                    | "/api/v1/service-items/{code}"
                    | "/api/v1/calendar/years"
                    | "/api/v1/calendar"
                    | "/api/v1/calendar/{year}"
                    | "/api/v1/calendar/add-working-days"
                    | "/api/v1/calendar/working-days-between"
            )
}

/// `{id}` and `{file_id}` in `/a/{id}/files/{file_id}`.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// The schema of a path parameter, from its name (the routes follow one convention: numeric
/// ids, four-digit years, text codes and case numbers).
fn parameter_schema(name: &str) -> Value {
    match name {
        "year" => json!({ "type": "integer", "format": "int32", "minimum": 1900, "maximum": 9999 }),
        "code" => json!({ "type": "string", "minLength": 1, "maxLength": 64 }),
        "number" => json!({ "type": "string", "minLength": 1, "maxLength": 32 }),
        _ => json!({ "type": "integer", "format": "int64", "minimum": 1 }),
    }
}

fn parameter_description(name: &str) -> &'static str {
    match name {
        "year" => "年份",
        "code" => "编码（事项编码、预约码或评价码）",
        "number" => "办件编号",
        "center" => "中心编号",
        _ => "编号",
    }
}

/// utoipa's `IntoParams` puts every field in the path unless told otherwise; a name the path
/// template does not hold is a query parameter, required only when its type is not optional
/// (a query string cannot carry `null`, so the optional ones lose it from their schema).
fn place_query_parameters(op: &mut Map<String, Value>, names: &[String]) {
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
        return;
    };
    for param in params.iter_mut() {
        let name = param["name"].as_str().unwrap_or_default();
        if param["in"] != "path" || names.iter().any(|n| n == name) {
            continue;
        }
        let (schema, optional) = without_null(param["schema"].take());
        param["in"] = json!("query");
        param["required"] = json!(!optional);
        param["schema"] = schema;
    }
}

/// `["integer", "null"]` → `integer`, `oneOf: [null, X]` → `X`; and whether null was allowed.
fn without_null(mut schema: Value) -> (Value, bool) {
    if let Some(types) = schema.get("type").and_then(Value::as_array).cloned() {
        let rest: Vec<_> = types.into_iter().filter(|t| t != "null").collect();
        if rest.len() == 1 {
            schema["type"] = rest[0].clone();
            return (schema, true);
        }
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array).cloned() {
        let rest: Vec<_> = options
            .into_iter()
            .filter(|o| o.get("type") != Some(&json!("null")))
            .collect();
        if rest.len() == 1 {
            return (rest[0].clone(), true);
        }
    }
    (schema, false)
}

fn declare_path_parameters(op: &mut Map<String, Value>, names: &[String]) {
    let params = op
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("parameters is an array");
    for name in names {
        let declared = params
            .iter()
            .any(|p| p["in"] == "path" && p["name"].as_str() == Some(name.as_str()));
        if !declared {
            params.push(json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": parameter_description(name),
                "schema": parameter_schema(name),
            }));
        }
    }
}

fn add_error_responses(doc: &mut Value) {
    let root = doc.as_object_mut().expect("the document is an object");
    let components = root.entry("components").or_insert_with(|| json!({}));
    let components = components.as_object_mut().expect("components is an object");
    let responses = components
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses is an object");
    for (status, description) in ERRORS {
        responses.insert(
            format!("Error{status}"),
            json!({
                "description": description,
                "content": {
                    "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } }
                }
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_template_declares_each_of_its_names_once() {
        let mut doc = json!({
            "paths": { "/a/{id}/files/{file_id}": { "get": {
                "parameters": [{ "name": "id", "in": "path", "required": true }],
                "responses": { "200": { "description": "ok" } }
            } } }
        });
        complete(&mut doc);
        let params = doc["paths"]["/a/{id}/files/{file_id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(params.len(), 2);
        assert_eq!(params[1]["name"], "file_id");
        assert_eq!(params[1]["required"], true);
    }

    #[test]
    fn a_parameter_the_path_does_not_hold_is_a_query_parameter_optional_when_nullable() {
        let mut doc = json!({ "paths": { "/a/{id}": { "get": {
            "parameters": [
                { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
                { "name": "date", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "q", "in": "path", "required": true,
                  "schema": { "type": ["string", "null"] } },
                { "name": "scope", "in": "path", "required": true,
                  "schema": { "oneOf": [{ "type": "null" }, { "$ref": "#/x" }] } }
            ],
            "responses": {}
        } } } });
        complete(&mut doc);
        let params = &doc["paths"]["/a/{id}"]["get"]["parameters"];
        assert_eq!(params[0]["in"], "path");
        assert_eq!(params[1]["in"], "query");
        assert_eq!(params[1]["required"], true);
        assert_eq!(params[2]["in"], "query");
        assert_eq!(params[2]["required"], false);
        assert_eq!(params[2]["schema"]["type"], "string");
        assert_eq!(params[3]["schema"]["$ref"], "#/x");
        assert_eq!(params[3]["required"], false);
    }

    #[test]
    fn every_operation_documents_the_shared_errors_and_public_ones_never_401() {
        let mut doc = json!({ "paths": {
            "/api/v1/public/x": { "get": { "responses": {} } },
            "/api/v1/cases": { "post": { "requestBody": {}, "responses": {} } }
        } });
        complete(&mut doc);
        let public = &doc["paths"]["/api/v1/public/x"]["get"]["responses"];
        assert!(public.get("401").is_none());
        assert!(public.get("413").is_none(), "no body, no 413");
        assert!(public.get("408").is_none(), "no body, no 408");
        assert!(public.get("422").is_some());
        let cases = &doc["paths"]["/api/v1/cases"]["post"]["responses"];
        for status in [
            "400", "401", "403", "404", "408", "409", "413", "415", "422", "429",
        ] {
            assert!(cases.get(status).is_some(), "{status}");
        }
        assert!(doc["components"]["responses"]["Error422"].is_object());
    }
}
