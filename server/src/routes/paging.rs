//! The HTTP side of paged lists: `limit` (default [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`];
//! outside 1..=200 a 422) and an opaque `cursor` in; the next page out as
//! `Link: <…>; rel="next"` and `X-Next-Cursor` (the body keeps its shape and gains
//! `next_cursor`).

use app::api::Items;
use axum::{
    Json,
    http::{HeaderMap, HeaderValue, header},
};

use crate::{
    error::{AppError, AppResult},
    services::paging::{Page, PageRequest},
};

/// `limit` and `cursor` of a list with no filters of its own (documented as
/// `app::api::org::PageQuery`). Other parameters are let through, as they always were: clients
/// send `?status=pending` to the chief's lists. A list with filters has `limit` and `cursor` in
/// its filter struct, which refuses every parameter it does not know.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageParams {
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub cursor: Option<String>,
}

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 200;

/// The page size asked for, checked.
pub fn limit(limit: Option<u32>) -> AppResult<u64> {
    match limit.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(u64::from(n)),
        _ => Err(AppError::invalid(
            "invalid_limit",
            format!("每页条数须在 1 到 {MAX_LIMIT} 之间"),
        )
        .with_field("limit")),
    }
}

/// The answer to a cursor this server did not hand out.
pub fn bad_cursor() -> AppError {
    AppError::invalid("invalid_cursor", "翻页标记无效，请从第一页重新查询").with_field("cursor")
}

/// A page of rows keyed by a positive integer id (the cursor is the id as written).
pub fn by_id(limit_param: Option<u32>, cursor: Option<&str>) -> AppResult<PageRequest<i64>> {
    let after = match cursor {
        None => None,
        Some(c) => Some(
            c.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(bad_cursor)?,
        ),
    };
    Ok(PageRequest {
        limit: limit(limit_param)?,
        after,
    })
}

/// A page of rows keyed by text (the cursor is the key, hex-encoded).
pub fn by_text(limit_param: Option<u32>, cursor: Option<&str>) -> AppResult<PageRequest<String>> {
    let after = match cursor {
        None => None,
        Some(c) => Some(
            hex::decode(c)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(bad_cursor)?,
        ),
    };
    Ok(PageRequest {
        limit: limit(limit_param)?,
        after,
    })
}

pub fn text_cursor(key: &str) -> String {
    hex::encode(key)
}

/// `Link` and `X-Next-Cursor` naming the next page: the same `path` and query, the cursor
/// replaced. Nothing on the last page.
pub fn next_page_headers(path: &str, query: Option<&str>, next: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let Some(cursor) = next else {
        return headers;
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if k != "cursor" {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("cursor", cursor);
    let link = format!("</api/v1{path}?{}>; rel=\"next\"", out.finish());
    if let (Ok(link), Ok(cursor)) = (HeaderValue::from_str(&link), HeaderValue::from_str(cursor)) {
        headers.insert(header::LINK, link);
        headers.insert("x-next-cursor", cursor);
    }
    headers
}

/// The answer of a paged list whose body is `{"items": […]}`: the next page (its cursor made
/// from the last key by `cursor`) in the headers and in the body's `next_cursor`.
pub fn items<T, K>(
    path: &str,
    query: Option<String>,
    page: Page<T, K>,
    cursor: impl FnOnce(K) -> String,
) -> (HeaderMap, Json<Items<T>>) {
    let next = page.next.map(cursor);
    let headers = next_page_headers(path, query.as_deref(), next.as_deref());
    let body = Items {
        items: page.items,
        next_cursor: next,
    };
    (headers, Json(body))
}

/// [`items`] for a list paged by id.
pub fn items_by_id<T>(
    path: &str,
    query: Option<String>,
    page: Page<T, i64>,
) -> (HeaderMap, Json<Items<T>>) {
    items(path, query, page, |id| id.to_string())
}

/// The answer of a paged list whose body is a plain list: the next page in the headers only.
pub fn answer<T, K>(
    path: &str,
    query: Option<String>,
    page: Page<T, K>,
    cursor: impl FnOnce(K) -> String,
) -> (HeaderMap, Json<Vec<T>>) {
    let (headers, Json(body)) = items(path, query, page, cursor);
    (headers, Json(body.items))
}

/// [`answer`] for a list paged by id.
pub fn answer_by_id<T>(
    path: &str,
    query: Option<String>,
    page: Page<T, i64>,
) -> (HeaderMap, Json<Vec<T>>) {
    answer(path, query, page, |id| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_keeps_the_query_and_replaces_the_cursor() {
        let h = next_page_headers("/cases", Some("scope=all&cursor=3&limit=2"), Some("9"));
        assert_eq!(
            h[header::LINK],
            "</api/v1/cases?scope=all&limit=2&cursor=9>; rel=\"next\""
        );
        assert_eq!(h["x-next-cursor"], "9");
        assert!(next_page_headers("/cases", None, None).is_empty());
    }

    #[test]
    fn page_sizes_outside_one_to_two_hundred_are_refused() {
        assert_eq!(limit(None).unwrap(), 100);
        assert_eq!(limit(Some(200)).unwrap(), 200);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(201)).is_err());
        assert!(by_id(None, Some("-5")).is_err());
        assert!(by_text(None, Some("abc")).is_err());
        assert_eq!(
            by_text(None, Some(&text_cursor("clerk01"))).unwrap().after,
            Some("clerk01".into())
        );
    }
}
