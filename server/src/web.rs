//! The web app: Leptos pages rendered on the server and hydrated in the browser, the compiled
//! site (wasm, js, css, public files) and the no-JavaScript form endpoints.

use std::sync::Arc;

use app::{App, api::client::transport::InProcessApi, components::hall_clock::RenderTime, shell};
use axum::{Router, response::IntoResponse};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::{assets::Assets, config::Settings, time_source::Clock};

pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("chuangkou")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(settings.addr)
        .env(match settings.mode {
            crate::config::Mode::Dev => leptos::config::Env::DEV,
            crate::config::Mode::Production => leptos::config::Env::PROD,
        })
        .build()
}

/// Where the render leaves the nonce Leptos generated for this response's inline scripts, for
/// [`page_csp_layer`] to name in the Content-Security-Policy. (Setting the header through Leptos'
/// `ResponseOptions` alone was seen to lose it on some loads: the page then got the edge's
/// nothing-may-run policy and never hydrated.)
#[derive(Clone, Default)]
struct PageNonce(Arc<std::sync::Mutex<Option<String>>>);

/// Gives the page being rendered its Content-Security-Policy, naming the nonce Leptos generated
/// for this response and puts on its inline scripts (the edge layer adds the other headers).
fn set_page_csp(dev: bool) {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    if let Some(slot) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        *slot.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(nonce.to_string());
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&crate::edge::page_csp(&nonce, dev))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Names the rendered page's nonce in its Content-Security-Policy when the render left one, and
/// gives the page's HTML an `ETag` (issue 14 point 7): its SHA-256 with the nonce left out, so
/// the same page has the same tag whatever nonce this response got. A request naming that tag
/// gets 304 with no policy header: the browser keeps the page it has and the policy that names
/// that page's own nonce (a 304's headers replace the stored ones).
async fn page_csp_layer(
    axum::extract::State(dev): axum::extract::State<bool>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let slot = PageNonce::default();
    request.extensions_mut().insert(slot.clone());
    let is_get = request.method() == http::Method::GET;
    // A page rendered for a browser holding one of our cookies (a session, a looked-up case or
    // booking) may show personal data: never stored, since a counter PC is shared.
    let personal = request
        .headers()
        .get_all(http::header::COOKIE)
        .iter()
        .any(|v| v.as_bytes().windows(10).any(|w| w == b"chuangkou_"));
    let if_none_match = request
        .headers()
        .get(http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(request).await;
    let nonce = slot.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(nonce) = nonce else {
        return response;
    };
    if let Ok(value) = http::HeaderValue::from_str(&crate::edge::page_csp(&nonce, dev)) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_SECURITY_POLICY, value);
    }
    if !is_get || response.status() != http::StatusCode::OK {
        return response;
    }
    // Pages are rendered whole before they are sent (`SsrMode::Async`): nothing is lost by
    // reading the body here.
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = page_etag(&bytes, &nonce);
    let headers = &mut parts.headers;
    if let Ok(value) = http::HeaderValue::from_str(&etag) {
        headers.insert(http::header::ETAG, value);
    }
    let policy = if personal {
        "private, no-store"
    } else {
        "no-cache, private"
    };
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static(policy),
    );
    if crate::assets::none_match(if_none_match.as_deref(), &etag) {
        headers.remove(http::header::CONTENT_SECURITY_POLICY);
        headers.remove(http::header::CONTENT_LENGTH);
        headers.remove(http::header::CONTENT_TYPE);
        parts.status = http::StatusCode::NOT_MODIFIED;
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A page's `ETag`: the SHA-256 of its HTML with this response's nonce taken out (weak: the
/// same page, byte for byte but for the nonce).
fn page_etag(html: &[u8], nonce: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let text = String::from_utf8_lossy(html);
    for (i, piece) in text.split(nonce).enumerate() {
        if i > 0 {
            hasher.update(b"\0nonce\0");
        }
        hasher.update(piece.as_bytes());
    }
    format!("W/\"{}\"", &hex::encode(hasher.finalize())[..32])
}

/// The browser build every page can load: all the pages' code.
const MAIN_BUNDLE: &str = "chuangkou";
/// The browser build of the public pages, without the staff pages' code (issue 14 point 6).
const CITIZEN_BUNDLE: &str = "chuangkou-citizen";

/// Leptos' options for pages that load the full bundle (under its hashed names when it has them).
fn main_bundle_options(
    mut options: LeptosOptions,
    bundle: Option<&crate::assets::Bundle>,
) -> LeptosOptions {
    options.output_name = MAIN_BUNDLE.into();
    match bundle {
        Some(bundle) if bundle.hashed => {
            options.hash_files = true;
            options.hash_file = bundle.hash_file().to_string_lossy().as_ref().into();
        }
        _ => options.hash_files = false,
    }
    options
}

/// Pages + static files, with the API router merged in. Server-side renders call the API router
/// in-process (see `app::api::client`). Each render also gets the server's "now", so that pages
/// rendered under an injected or demo clock show that time, as the browser will after hydration.
pub fn site_router(api: Router, settings: &Settings, clock: Arc<dyn Clock>) -> Router {
    let assets = Arc::new(
        Assets::load(
            std::path::Path::new(&settings.site_root),
            &[MAIN_BUNDLE, CITIZEN_BUNDLE],
        )
        .unwrap_or_else(|err| {
            tracing::warn!(error = %err, root = %settings.site_root, "site files not read");
            Assets::default()
        }),
    );
    {
        // Compressed once per content, in the background: the server serves meanwhile.
        let assets = assets.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(err) = assets.precompress() {
                tracing::warn!(error = %err, "static files not precompressed");
            }
        });
    }
    let main = assets.bundle(MAIN_BUNDLE);
    let style = app::StyleHref(match main.and_then(|b| b.hashed_name("css")) {
        Some(name) => format!("/pkg/{name}"),
        None => format!("/pkg/{MAIN_BUNDLE}.css"),
    });
    let options = main_bundle_options(leptos_options(settings), main);
    // The public pages load the citizen bundle when the site has one (`scripts/citizen-bundle`).
    let citizen = assets.bundle(CITIZEN_BUNDLE).map(|bundle| {
        let href = |ext: &str| match bundle.hashed_name(ext) {
            Some(name) => format!("/pkg/{name}"),
            None => format!("/pkg/{CITIZEN_BUNDLE}.{ext}"),
        };
        app::HydrationBundle {
            js: href("js"),
            wasm: href("wasm"),
        }
    });
    let routes = generate_route_list(App);
    let api_for_pages = api.clone();
    let dev = settings.mode == crate::config::Mode::Dev;
    let context = move || {
        provide_context(InProcessApi(api_for_pages.clone()));
        provide_context(RenderTime(clock.now()));
        provide_context(style.clone());
        // A refused form's page keeps what was typed: the login page its 工号 (see
        // `routes::auth_forms`), the booking pages name and phone, `/track` phone and
        // 查询码 (`routes::holder`).
        if let Some(parts) = use_context::<http::request::Parts>() {
            let path = parts.uri.path();
            if let Some(citizen) = &citizen
                && app::is_citizen_page(path)
            {
                provide_context(citizen.clone());
            }
            if path == "/login"
                && let Some(typed) = crate::routes::auth_forms::typed_staff_number(&parts.headers)
            {
                provide_context(app::pages::login::TypedStaffNumber(typed));
            }
            if path.starts_with("/booking")
                && let Some(typed) = crate::routes::holder::typed(&parts.headers)
            {
                provide_context(typed);
            }
            if path == "/track"
                && let Some(typed) = crate::routes::holder::typed_lookup(&parts.headers)
            {
                provide_context(typed);
            }
            if path.starts_with("/rate/")
                && let Some(typed) = crate::routes::holder::typed_comment(&parts.headers)
            {
                provide_context(typed);
            }
        }
        set_page_csp(dev);
    };
    let pages = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options)
        .layer(axum::middleware::from_fn_with_state(dev, page_csp_layer))
        .layer(axum::middleware::from_fn_with_state(
            assets,
            crate::assets::serve,
        ));
    api.merge(pages)
}
