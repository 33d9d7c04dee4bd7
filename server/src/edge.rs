//! What every response and every form post goes through at the edge, before any handler:
//!
//! - [`same_origin`]: the plain HTML form endpoints (login, logout, booking, kiosk ticket) take
//!   only posts from our own pages. A browser names the page a post comes from in `Origin` (and
//!   `Referer`); a post from another site — login CSRF, a cross-site kiosk ticket — is refused
//!   with 403. A request naming neither is not a browser's cross-site form post (browsers send
//!   `Origin` with every cross-origin POST) and goes on to the handler's own checks.
//! - [`security_headers`]: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
//!   `Referrer-Policy: same-origin` and a `Content-Security-Policy` on every response. Pages get
//!   [`page_csp`] with the nonce Leptos puts on its inline hydration scripts (set while the page
//!   renders, see `web.rs`); everything else gets [`DEFAULT_CSP`], which allows nothing to run.
//!
//! - [`api_same_origin`]: every write of the JSON API is refused when a browser says it came
//!   from another origin, as the forms are. A cross-site form cannot send `application/json`
//!   without a CORS preflight (never granted) and the session cookie is `SameSite=Strict`, but
//!   writes without a body need no JSON, and a page of the same site (another port, a sibling
//!   subdomain) gets the cookie.

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use tower_http::set_header::SetResponseHeaderLayer;
use url::Url;

use crate::{
    config::Settings,
    error::{AppError, ErrorKind},
    extract::MAX_BODY_BYTES,
    state::AppState,
};

/// The policy of every response that is not a page: nothing may run, nothing may frame it.
pub const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy of a rendered page: our own scripts, styles and images; inline scripts only with
/// this response's `nonce` (the hydration scripts); WebAssembly compilation for the bundle;
/// fetches and live events to our own origin; never framed. In dev mode the live-reload socket of
/// `cargo leptos watch` may connect too.
pub fn page_csp(nonce: &str, dev: bool) -> String {
    let connect = if dev { "'self' ws: wss:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src {connect}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers a handler did not set itself.
pub fn security_headers(router: Router) -> Router {
    let set = |name, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(axum::middleware::map_response(default_csp))
        .layer(axum::middleware::from_fn(api_not_stored))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
}

/// `Cache-Control: no-store` on an API answer or any JSON that does not say otherwise: API
/// answers carry applicants' names, ID numbers and phones, the monthly workbook staff names and
/// problem files photos, and a counter PC is shared (the downloads had no header at all).
async fn api_not_stored(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if (api || json) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// [`DEFAULT_CSP`] on a response without a policy — but not on a 304: a 304's headers replace
/// the stored response's, and a cached page must keep the policy naming its own nonce.
async fn default_csp(mut response: Response) -> Response {
    if response.status() != http::StatusCode::NOT_MODIFIED
        && !response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        );
    }
    response
}

/// Middleware for the API and the forms: reads a request's whole body before anything answers
/// it. A refusal made before the handler reads the body (a role check, a same-origin check)
/// would leave it unread; hyper then closes the connection after answering without saying so,
/// and a client that reuses it fails (a tester's API client lost 13 of 40 requests). Bodies
/// here are small (at most [`MAX_BODY_BYTES`]), so this reads nothing a handler would not. A
/// body over the limit is refused in the JSON error shape, and the connection closed.
pub async fn read_body_first(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let empty = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() == b"0")
        || (!request.headers().contains_key(header::CONTENT_LENGTH)
            && !request.headers().contains_key(header::TRANSFER_ENCODING));
    if empty {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return refused_and_closed(too_large());
    }
    let (parts, body) = request.into_parts();
    // A body sent a byte at a time would hold the connection (and this task) for ever.
    let read = tokio::time::timeout(state.settings.slow_client(), read_at_most(body)).await;
    match read {
        Err(_elapsed) => refused_and_closed(AppError::new(
            ErrorKind::RequestTimeout,
            "request_timeout",
            "请求体发送超时，请重新提交",
        )),
        Ok(Err(unreadable)) => unreadable.into_response(),
        Ok(Ok(None)) => refused_and_closed(too_large()),
        Ok(Ok(Some(kept))) => next.run(Request::from_parts(parts, Body::from(kept))).await,
    }
}

/// The body if it is at most [`MAX_BODY_BYTES`]; `None` for a larger one, of which at most
/// [`DRAIN_BYTES`] is read (and dropped), so that a client still sending hears the refusal.
async fn read_at_most(body: Body) -> Result<Option<Vec<u8>>, AppError> {
    let mut chunks = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = chunks.next().await {
        let Ok(chunk) = chunk else {
            return Err(AppError::bad_request("unreadable_body", "无法读取请求体"));
        };
        seen += chunk.len();
        if seen <= MAX_BODY_BYTES {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN_BYTES {
            break;
        }
    }
    Ok((seen <= MAX_BODY_BYTES).then_some(kept))
}

/// How much of a chunked body over the limit is read (and dropped) before the refusal.
const DRAIN_BYTES: usize = 16 * MAX_BODY_BYTES;

/// 413 in the JSON error shape.
fn too_large() -> AppError {
    AppError::new(
        ErrorKind::PayloadTooLarge,
        "payload_too_large",
        format!("请求体过大（上限 {} KB）", MAX_BODY_BYTES / 1024),
    )
}

/// A refusal whose body is left partly unread: the connection closes after it, and says so.
fn refused_and_closed(error: AppError) -> Response {
    let mut refused = error.into_response();
    refused
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    refused
}

/// Middleware for the form endpoints: refuses a post that a browser says came from another site.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_foreign(request.headers(), Site::of(&state.settings)) {
        return AppError::new(
            ErrorKind::Forbidden,
            "cross_site_request",
            "只接受从本站页面提交的表单，请在本站页面重新操作",
        )
        .into_response();
    }
    next.run(request).await
}

/// Middleware for the plain HTML forms (inside [`same_origin`]): a post their handlers never
/// saw — its fields could not be read (a stray invisible character copied from a chat, a field
/// missing or too long) — is sent back to the page it came from with `?error={code}`, which
/// the page says in Chinese, instead of a bare JSON answer in a browser without JavaScript.
pub async fn forms_refuse_in_pages(request: Request, next: Next) -> Response {
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| Url::parse(r).ok());
    let fallback = form_page(request.uri().path());
    let response = next.run(request).await;
    let refused_as_json = response.status().is_client_error()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !refused_as_json {
        return response;
    }
    let Ok(body) = axum::body::to_bytes(response.into_body(), 64 * 1024).await else {
        return AppError::bad_request("unreadable_form", "无法读取表单").into_response();
    };
    let code = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("code")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "invalid_form".into());
    // A path of `//…` would leave the site ("//evil.example" is another host to a browser).
    let back = back.filter(|page| !page.path().starts_with("//"));
    let target = match back {
        // The page itself (its address holds the booking's progress), minus an older error.
        Some(mut page) => {
            let kept: Vec<(String, String)> = page
                .query_pairs()
                .filter(|(k, _)| k != "error")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            page.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("error", &code);
            match page.query() {
                Some(query) => format!("{}?{query}", page.path()),
                None => page.path().to_string(),
            }
        }
        None => format!("{fallback}?error={code}"),
    };
    axum::response::Redirect::to(&target).into_response()
}

/// A form's address opened rather than posted to: the form's own page.
pub async fn to_form_page(uri: axum::http::Uri) -> Response {
    axum::response::Redirect::to(form_page(uri.path())).into_response()
}

/// The page of a form post, for a browser that sent no `Referer`.
fn form_page(path: &str) -> &'static str {
    match path {
        p if p.starts_with("/booking/") => "/booking",
        p if p.starts_with("/kiosk/") => "/kiosk",
        "/rate/submit" => "/rate",
        "/track/lookup" => "/track",
        _ => "/login",
    }
}

/// Middleware for the JSON API: a write (any method but GET, HEAD, OPTIONS) that a browser says
/// came from another origin is refused before its handler. `SameSite=Strict` does not cover a
/// page of the same site on another port or subdomain, and a write without a body needs no
/// JSON, so neither the cookie nor the content type alone stops such a post.
pub async fn api_same_origin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let writes = !matches!(
        *request.method(),
        http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
    );
    if writes && is_foreign(request.headers(), Site::of(&state.settings)) {
        // The code is the ratings' one since issue 13 (relied on by clients).
        return AppError::new(
            ErrorKind::Forbidden,
            "cross_origin",
            "只接受本站页面发出的操作，请在本站页面重新操作",
        )
        .into_response();
    }
    next.run(request).await
}

/// Where this deployment is reached: the configured public origin (behind a proxy that rewrites
/// `Host`), else the request's own `Host` with the scheme the site is served over (HTTPS when
/// `secure_cookies` says so).
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    pub public_origin: Option<&'a str>,
    pub https: bool,
}

impl<'a> Site<'a> {
    pub fn of(settings: &'a Settings) -> Self {
        Self {
            public_origin: settings.public_origin.as_deref(),
            https: settings.secure_cookies,
        }
    }

    /// The origin a browser reaches this site at, e.g. for a QR code a phone scans; empty (a
    /// relative address) when the request names no usable `Host`.
    pub fn origin(self, headers: &HeaderMap) -> String {
        if let Some(origin) = self.public_origin {
            return origin.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()) && !h.contains('/')
            });
        match host {
            Some(host) => format!("{}://{host}", if self.https { "https" } else { "http" }),
            None => String::new(),
        }
    }
}

/// Whether a browser says the request came from another origin: by `Sec-Fetch-Site` (sent by
/// every current browser, even where `Origin` is not) or by the page it names
/// ([`is_cross_site`]).
pub fn is_foreign(headers: &HeaderMap, site: Site) -> bool {
    let foreign_fetch = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site" || v == "same-site");
    foreign_fetch || is_cross_site(headers, site)
}

/// Whether the request names a page of another origin than the [`Site`]'s as its source. The
/// scheme counts: a page of our host over plain HTTP (which anyone on the hall's network can
/// forge) is not the HTTPS site.
pub fn is_cross_site(headers: &HeaderMap, site: Site) -> bool {
    let source = match (headers.get(header::ORIGIN), headers.get(header::REFERER)) {
        (Some(origin), _) => origin,
        (None, Some(referer)) => referer,
        (None, None) => return false,
    };
    let Some(source) = source.to_str().ok().and_then(|s| Url::parse(s).ok()) else {
        // `Origin: null` (a sandboxed or privacy-hidden source) and garbage alike.
        return true;
    };
    match Url::parse(&site.origin(headers)) {
        Ok(ours) => ours.origin() != source.origin() || !ours.origin().is_tuple(),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Site = Site {
        public_origin: None,
        https: false,
    };
    const TLS: Site = Site {
        public_origin: None,
        https: true,
    };
    const PROXIED: Site = Site {
        public_origin: Some("https://hall.example"),
        https: true,
    };

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_post_from_our_own_page_passes() {
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!is_cross_site(&h, PLAIN));
        let h = headers(&[("host", "hall.example"), ("origin", "https://hall.example")]);
        assert!(!is_cross_site(&h, TLS));
        let h = headers(&[
            ("host", "hall.example"),
            ("referer", "https://hall.example/login"),
        ]);
        assert!(!is_cross_site(&h, TLS));
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("origin", "http://127.0.0.1:4000"),
            ("origin", "null"),
            ("referer", "https://evil.example/page"),
        ] {
            let h = headers(&[("host", "127.0.0.1:3000"), (name, value)]);
            assert!(is_cross_site(&h, PLAIN), "{name}: {value}");
        }
    }

    #[test]
    fn a_plain_http_page_of_our_host_cannot_post_to_the_https_site() {
        // Anyone on the hall's Wi-Fi can answer for http://hall.example; only the HTTPS site
        // is ours.
        for (name, value) in [
            ("origin", "http://hall.example"),
            ("referer", "http://hall.example/booking"),
        ] {
            let h = headers(&[("host", "hall.example"), (name, value)]);
            assert!(is_cross_site(&h, TLS), "{name}: {value}");
            assert!(is_foreign(&h, TLS), "{name}: {value}");
        }
        let h = headers(&[("host", "hall.example"), ("origin", "https://hall.example")]);
        assert!(is_cross_site(&h, PLAIN));
    }

    #[test]
    fn a_request_naming_no_source_is_left_to_the_handler() {
        assert!(!is_cross_site(
            &headers(&[("host", "127.0.0.1:3000")]),
            PLAIN
        ));
    }

    #[test]
    fn behind_a_proxy_the_configured_public_origin_is_ours() {
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://hall.example"),
        ]);
        assert!(!is_cross_site(&h, PROXIED));
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(is_cross_site(&h, PROXIED));
    }

    #[test]
    fn the_booking_code_points_at_the_public_origin_when_one_is_set() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "10.0.0.5:3000".parse().unwrap());
        let public = Site {
            public_origin: Some("https://hall.example.gov.cn/"),
            https: true,
        };
        assert_eq!(public.origin(&headers), "https://hall.example.gov.cn");
        assert_eq!(PLAIN.origin(&headers), "http://10.0.0.5:3000");
        assert_eq!(TLS.origin(&headers), "https://10.0.0.5:3000");
        assert_eq!(PLAIN.origin(&HeaderMap::new()), "");
    }

    #[test]
    fn a_page_policy_carries_its_nonce_and_forbids_framing() {
        let csp = page_csp("abc123", false);
        assert!(csp.contains("'nonce-abc123'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("ws:"));
    }
}
