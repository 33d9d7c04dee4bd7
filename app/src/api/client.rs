//! The transport under every typed API call.
//!
//! In the browser (`hydrate`) a call is a `fetch` to the same origin. During server-side rendering
//! (`ssr`) the same call goes through the server's own API router in-process: no socket, the same
//! handlers, the same authorisation (the incoming request's cookie is passed on). Pages therefore
//! see exactly what the REST API says, whichever side renders them.

use std::future::Future;

use serde::{Serialize, de::DeserializeOwned};

use super::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A GET of `path` (starting with `/api/v1/`).
pub fn get<T>(path: String) -> impl Future<Output = Result<T, ApiError>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    send::<(), T>(Method::Get, path, None)
}

/// A call with an optional JSON body.
pub fn send<B, T>(
    method: Method,
    path: String,
    body: Option<&B>,
) -> impl Future<Output = Result<T, ApiError>> + Send + 'static
where
    B: Serialize + ?Sized,
    T: DeserializeOwned + Send + 'static,
{
    let body = body.map(|b| serde_json::to_string(b).expect("request types always serialise"));
    let raw = transport::request(method, path, body);
    async move {
        let answer = raw.await?;
        decode(answer.status, &answer.text)
    }
}

/// A GET of one page of a list whose body is a plain array: the page, and the next page's
/// cursor from the `X-Next-Cursor` header (none on the last page).
pub fn get_page<T>(
    path: String,
) -> impl Future<Output = Result<(T, Option<String>), ApiError>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    let raw = transport::request(Method::Get, path, None);
    async move {
        let answer = raw.await?;
        let page = decode(answer.status, &answer.text)?;
        Ok((page, answer.next_cursor.filter(|c| !c.is_empty())))
    }
}

/// Every row of a paged list, page after page: `page` fetches the page after a cursor (the
/// first with none) and answers its rows and the next page's cursor. A server that named the
/// same cursor twice ends the walk instead of looping.
pub async fn every_page<T, F, Fut>(mut page: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>>,
{
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let (rows, next) = page(cursor.clone()).await?;
        all.extend(rows);
        match next {
            Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
            _ => return Ok(all),
        }
    }
}

/// The query parameter naming the page after `cursor` (`&cursor=…`), or nothing for the first.
pub fn after(cursor: Option<&str>) -> String {
    cursor
        .map(|c| format!("&cursor={}", encode(c)))
        .unwrap_or_default()
}

/// What the transport brings back: the status, the body, and the next page's cursor if the
/// answer names one.
pub struct Answer {
    pub status: u16,
    pub text: String,
    pub next_cursor: Option<String>,
}

/// The header that names the next page of a paged list.
pub const NEXT_CURSOR: &str = "x-next-cursor";

pub(crate) fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { text };
        serde_json::from_str(text).map_err(ApiError::network)
    } else {
        let mut err = serde_json::from_str::<ApiError>(text).unwrap_or_else(|_| ApiError {
            code: "http_error".into(),
            message: format!("服务器返回错误（{status}）"),
            field: None,
            status,
            problems: Vec::new(),
        });
        err.status = status;
        Err(err)
    }
}

/// Percent-encodes one query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(feature = "ssr")]
pub mod transport {
    //! Server side: the API router, called in-process.
    use std::future::Future;

    use axum::body::Body;
    use http::{Request, header};
    use leptos::prelude::use_context;
    use tower::ServiceExt;

    use super::{Answer, ApiError, Method, NEXT_CURSOR};

    /// The server's API router, provided as context to every server-side render.
    #[derive(Clone)]
    pub struct InProcessApi(pub axum::Router);

    pub fn request(
        method: Method,
        path: String,
        body: Option<String>,
    ) -> impl Future<Output = Result<Answer, ApiError>> + Send + 'static {
        // Context is read now, while the render's owner is current, not after an await.
        let api = use_context::<InProcessApi>();
        let parts = use_context::<http::request::Parts>();
        let cookie = parts
            .as_ref()
            .and_then(|p| p.headers.get(header::COOKIE).cloned());
        // The address the visitor used (an answer may hold a link to this site).
        let host = parts
            .as_ref()
            .and_then(|p| p.headers.get(header::HOST).cloned());
        // Behind a trusted proxy, the client it names: without it every visitor's render would
        // count against the proxy's address, and one visitor could spend everyone's lookups.
        // (Believed only from a trusted proxy's socket, exactly as on the visitor's request.)
        let forwarded = parts
            .as_ref()
            .and_then(|p| p.headers.get("x-forwarded-for").cloned());
        // The visitor's address, so that per-address limits apply to server-side renders too
        // (as an extension: it cannot be forged by a header).
        let peer = parts.as_ref().and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .cloned()
        });
        async move {
            let api = api.ok_or_else(|| ApiError::network("API 未就绪"))?;
            let mut builder = Request::builder().method(method.as_str()).uri(&path);
            if let Some(cookie) = cookie {
                builder = builder.header(header::COOKIE, cookie);
            }
            if let Some(host) = host {
                builder = builder.header(header::HOST, host);
            }
            if let Some(forwarded) = forwarded {
                builder = builder.header("x-forwarded-for", forwarded);
            }
            let body = match body {
                Some(json) => {
                    builder = builder.header(header::CONTENT_TYPE, "application/json");
                    Body::from(json)
                }
                None => Body::empty(),
            };
            let mut request = builder.body(body).map_err(ApiError::network)?;
            if let Some(peer) = peer {
                request.extensions_mut().insert(peer);
            }
            let response = api.0.oneshot(request).await.map_err(ApiError::network)?;
            let status = response.status().as_u16();
            let next_cursor = response
                .headers()
                .get(NEXT_CURSOR)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
                .await
                .map_err(ApiError::network)?;
            Ok(Answer {
                status,
                text: String::from_utf8_lossy(&bytes).into_owned(),
                next_cursor,
            })
        }
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub mod transport {
    //! Browser side: `fetch` to the same origin.
    use std::future::Future;

    use gloo_net::http::RequestBuilder;
    use send_wrapper::SendWrapper;

    use super::{Answer, ApiError, Method, NEXT_CURSOR};

    pub fn request(
        method: Method,
        path: String,
        body: Option<String>,
    ) -> impl Future<Output = Result<Answer, ApiError>> + Send + 'static {
        // The browser is single-threaded; the wrapper only satisfies the `Send` bound that the
        // server side needs.
        let write = method != Method::Get;
        SendWrapper::new(async move {
            // Offline: refused at once, never queued (nothing is sent later without the person).
            if !crate::components::connection::browser_online() {
                return Err(ApiError::offline(write));
            }
            let builder = RequestBuilder::new(&path)
                .method(match method {
                    Method::Get => gloo_net::http::Method::GET,
                    Method::Post => gloo_net::http::Method::POST,
                    Method::Put => gloo_net::http::Method::PUT,
                    Method::Patch => gloo_net::http::Method::PATCH,
                    Method::Delete => gloo_net::http::Method::DELETE,
                })
                .header("Accept", "application/json");
            let request = match body {
                Some(json) => builder
                    .header("Content-Type", "application/json")
                    .body(json)
                    .map_err(ApiError::network)?,
                None => builder.build().map_err(ApiError::network)?,
            };
            let response = request.send().await.map_err(|e| {
                leptos::logging::warn!("{} {path}: {e}", method.as_str());
                ApiError::connection_lost(write)
            })?;
            let status = response.status();
            let next_cursor = response.headers().get(NEXT_CURSOR);
            let text = response.text().await.map_err(ApiError::network)?;
            Ok(Answer {
                status,
                text,
                next_cursor,
            })
        })
    }
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub mod transport {
    //! Neither side compiled in (plain `cargo check` of the crate): calls fail.
    use std::future::Future;

    use super::{Answer, ApiError, Method};

    pub fn request(
        _method: Method,
        _path: String,
        _body: Option<String>,
    ) -> impl Future<Output = Result<Answer, ApiError>> + Send + 'static {
        async { Err(ApiError::network("no transport")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("a b&c"), "a%20b%26c");
        assert_eq!(encode("营业执照"), "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7");
    }

    #[test]
    fn an_error_body_becomes_an_api_error_with_its_status() {
        let err = decode::<()>(
            422,
            r#"{"code":"missing_field","message":"缺少必填字段：name","field":"name"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code, "missing_field");
        assert_eq!(err.status, 422);
        assert_eq!(err.field.as_deref(), Some("name"));
    }

    #[test]
    fn an_empty_success_body_decodes_as_unit() {
        decode::<()>(204, "").unwrap();
    }
}
