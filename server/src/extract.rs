//! Our own extractors, so that every malformed request gets the JSON error shape of
//! [`crate::error`] instead of Axum's plain-text rejections.
//!
//! Request bodies are `#[serde(deny_unknown_fields)]` types: an unknown field is an error, never
//! silently ignored (a typo in a field name must not turn into "value not set").
//!
//! Every text that comes in through these extractors — JSON strings and keys, query parameters,
//! path segments, form fields — is checked for control characters first ([`text`]).

pub mod text;
mod unique_keys;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{StatusCode, header, request::Parts},
};
use serde::de::DeserializeOwned;

use crate::error::{AppError, ErrorKind};

/// The largest JSON body the API accepts. Notices and catalog items are far below this.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::new(
                ErrorKind::UnsupportedMediaType,
                "unsupported_media_type",
                "请求体须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn body_rejection(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::new(
            ErrorKind::PayloadTooLarge,
            "payload_too_large",
            format!("请求体过大（上限 {} KB）", MAX_BODY_BYTES / 1024),
        )
    } else {
        AppError::bad_request("unreadable_body", "无法读取请求体")
    }
}

/// Parses JSON, naming the offending field where serde can tell. Syntax is checked first, so
/// that a truncated body is "malformed" rather than whatever field the parser last saw.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value = unique_keys::parse(bytes).map_err(|unreadable| match unreadable {
        unique_keys::Unreadable::Malformed => {
            AppError::bad_request("malformed_json", "请求体不是有效的 JSON")
        }
        unique_keys::Unreadable::Repeated(key) => {
            AppError::bad_request("repeated_key", format!("请求体中字段 {key} 出现了不止一次"))
                .with_field(key)
        }
    })?;
    text::check_json(&value)?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let text = err.into_inner().to_string();
        data_error(&path, &text)
    })
}

/// A well-formed body whose content does not fit the request type (422).
fn data_error(path: &str, text: &str) -> AppError {
    let at = (path != ".").then(|| path.to_string());
    if let Some(name) = backticked_after(text, "missing field ") {
        // The path points at the object that lacks the field.
        let field = join_path(at.as_deref(), &name);
        AppError::invalid("missing_field", format!("缺少必填字段：{field}")).with_field(field)
    } else if let Some(name) = backticked_after(text, "unknown field ") {
        // The path already ends with the unknown field.
        let field = at.unwrap_or(name);
        AppError::invalid("unknown_field", format!("不认识的字段：{field}")).with_field(field)
    } else if text.starts_with("invalid type") || text.starts_with("invalid length") {
        match at {
            Some(field) => AppError::invalid("invalid_type", format!("字段类型不正确：{field}"))
                .with_field(field),
            // The body itself (`null`, `[]`) is not the object the request needs: no field.
            None => AppError::invalid("invalid_body", "请求体须为 JSON 对象"),
        }
    } else {
        // Values our own types refused and enum variants that do not exist: said in Chinese.
        let field = at.unwrap_or_default();
        let message = match value_detail(text) {
            Some(detail) => format!("字段取值无效：{field}（{detail}）"),
            None => format!("字段取值无效：{field}"),
        };
        AppError::invalid("invalid_value", message).with_field(field)
    }
}

/// What a refused value's error says to a person: our own types' messages are Chinese already;
/// serde's English is turned into the allowed values or the range, or left out.
fn value_detail(text: &str) -> Option<String> {
    if text.starts_with("unknown variant") {
        let (_, expected) = text.split_once("expected")?;
        let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return (!allowed.is_empty()).then(|| format!("可选：{}", allowed.join("、")));
    }
    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return Some(text.to_string());
    }
    let out_of_range = [
        "out of range",
        "expected u",
        "expected i",
        "expected a nonzero",
    ];
    out_of_range
        .iter()
        .any(|words| text.contains(words))
        .then(|| "数值超出允许范围".to_string())
}

fn backticked_after(text: &str, prefix: &str) -> Option<String> {
    let rest = text.strip_prefix(prefix)?;
    let rest = rest.strip_prefix('`')?;
    let end = rest.find('`')?;
    Some(rest[..end].to_string())
}

fn join_path(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(p) if !p.is_empty() => format!("{p}.{name}"),
        _ => name.to_string(),
    }
}

/// Query string parameters.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        parse_pairs(query.as_bytes(), "查询参数").map(ApiQuery)
    }
}

/// Decodes `a=1&b=2` (a query string or a form body) into `T`, after the control-character
/// check; `what` names the kind of input in messages.
fn parse_pairs<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, AppError> {
    let pairs: Vec<_> = form_urlencoded::parse(bytes).collect();
    text::check_pairs(pairs.iter().map(|(k, v)| (&**k, &**v)))?;
    parse_unchecked(bytes, what)
}

fn parse_unchecked<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = err.path().to_string();
        let text = err.into_inner().to_string();
        if let Some(name) = backticked_after(&text, "missing field ") {
            AppError::bad_request("missing_parameter", format!("缺少{what}：{name}"))
                .with_field(name)
        } else if let Some(name) = backticked_after(&text, "unknown field ") {
            AppError::bad_request("unknown_parameter", format!("不认识的{what}：{name}"))
                .with_field(name)
        } else if field.is_empty() || field == "." {
            // Not one parameter's value: a parameter given twice, say.
            AppError::bad_request(
                "invalid_parameter",
                format!("{what}无效（参数重复或格式不正确）"),
            )
        } else {
            AppError::bad_request("invalid_parameter", format!("{what}无效：{field}"))
                .with_field(field)
        }
    })
}

/// The body of a plain HTML form post, refused when it is not one.
async fn form_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(AppError::new(
            ErrorKind::UnsupportedMediaType,
            "unsupported_media_type",
            "请求体须为表单（application/x-www-form-urlencoded）",
        ));
    }
    Bytes::from_request(req, state)
        .await
        .map_err(body_rejection)
}

/// A plain HTML form body (`application/x-www-form-urlencoded`), for the no-JavaScript forms.
/// Every field is single-line text.
pub struct ApiForm<T>(pub T);

impl<S, T> FromRequest<S> for ApiForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = form_bytes(req, state).await?;
        parse_pairs(&bytes, "表单字段").map(ApiForm)
    }
}

/// A plain HTML form whose handler checks the characters of the text itself, field by field
/// ([`text::clean`]): a citizen's name pasted from a chat with a zero-width space in it came
/// back as an empty form and a message naming no field. Everything else as [`ApiForm`].
pub struct TypedForm<T>(pub T);

impl<S, T> FromRequest<S> for TypedForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = form_bytes(req, state).await?;
        // The names of the fields and the length of every value are still checked here: only
        // the values' characters are the handler's.
        let pairs: Vec<_> = form_urlencoded::parse(&bytes).collect();
        text::check_pairs(pairs.iter().map(|(k, _)| (&**k, "")))?;
        if let Some((k, _)) = pairs.iter().find(|(_, v)| text::over_limit(v)) {
            return Err(text::too_long(ErrorKind::BadRequest, k));
        }
        parse_unchecked(&bytes, "表单字段").map(TypedForm)
    }
}

/// Path parameters.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::bad_request("invalid_path", "路径参数无效"))?;
        text::check_pairs(raw.iter())?;
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| AppError::bad_request("invalid_path", "路径参数无效"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: u32,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        flag: bool,
    }

    fn code_and_field(bytes: &str) -> (String, Option<String>, StatusCode) {
        match parse_json::<Body>(bytes.as_bytes()) {
            Err(AppError::Client { kind, body, .. }) => {
                (body.code.to_string(), body.field.clone(), kind.status())
            }
            other => panic!("expected a client error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_a_400() {
        let (code, _, status) = code_and_field("{\"name\": ");
        assert_eq!(
            (code.as_str(), status),
            ("malformed_json", StatusCode::BAD_REQUEST)
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let (code, field, status) = code_and_field(r#"{"name":"x"}"#);
        assert_eq!(code, "missing_field");
        assert_eq!(field.as_deref(), Some("count"));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let (code, field, _) = code_and_field(r#"{"name":"x","count":"three"}"#);
        assert_eq!(code, "invalid_type");
        assert_eq!(field.as_deref(), Some("count"));
    }

    #[test]
    fn a_body_that_is_not_an_object_names_no_empty_field() {
        for body in ["null", "[]", "3"] {
            let (code, field, status) = code_and_field(body);
            assert_eq!(code, "invalid_body", "{body}");
            assert_eq!(field, None, "{body}");
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }

    #[test]
    fn an_unknown_nested_field_is_named_with_its_path() {
        let (code, field, _) =
            code_and_field(r#"{"name":"x","count":1,"inner":{"flag":true,"extra":1}}"#);
        assert_eq!(code, "unknown_field");
        assert_eq!(field.as_deref(), Some("inner.extra"));
    }

    #[test]
    fn a_key_given_twice_is_refused_and_named() {
        let (code, field, status) = code_and_field(r#"{"name":"x","count":1,"name":"y"}"#);
        assert_eq!(
            (code.as_str(), status),
            ("repeated_key", StatusCode::BAD_REQUEST)
        );
        assert_eq!(field.as_deref(), Some("name"));
    }

    #[test]
    fn a_refused_value_is_told_in_chinese() {
        assert_eq!(
            value_detail("unknown variant `alien`, expected `person` or `company`").as_deref(),
            Some("可选：person、company")
        );
        let range = value_detail("invalid value: integer `-1`, expected u32");
        assert_eq!(range.as_deref(), Some("数值超出允许范围"));
        assert_eq!(
            value_detail("input is out of range").as_deref(),
            Some("数值超出允许范围")
        );
        assert_eq!(
            value_detail("秒数须在 00–59 之间").as_deref(),
            Some("秒数须在 00–59 之间")
        );
        assert_eq!(value_detail("premature end of input"), None);
    }

    #[test]
    fn trailing_garbage_is_malformed() {
        let (code, _, _) = code_and_field(r#"{"name":"x","count":1} xyz"#);
        assert_eq!(code, "malformed_json");
    }
}
