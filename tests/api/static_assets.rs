//! Issue 14 point 7, static assets: compressed once (brotli preferred, else gzip, as the
//! browser accepts), never per request; `Content-Length`, `ETag` and 304; the bundle under
//! content-hashed names cached for a year (`immutable`); other files and the pages' HTML
//! revalidated by `ETag`.

use std::{io::Read, time::Duration};

use reqwest::{StatusCode, header};
use scenario_tests::{AppOptions, TestApp, client, spawn_app_with};

/// A small site like the one `cargo leptos build` makes.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let js = "export default function init(){ /* wasm-bindgen glue */ }\n".repeat(200);
    std::fs::write(pkg.join("chuangkou.js"), js).unwrap();
    std::fs::write(pkg.join("chuangkou.wasm"), b"\0asm\x01\0\0\0".repeat(500)).unwrap();
    std::fs::write(
        pkg.join("chuangkou.css"),
        "body { color: #222; }\n".repeat(300),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>",
            " ".repeat(400)
        ),
    )
    .unwrap();
    dir
}

async fn spawn_with_site(dir: &tempfile::TempDir) -> TestApp {
    spawn_app_with(AppOptions {
        site_root: Some(dir.path().to_string_lossy().into_owned()),
        ..AppOptions::default()
    })
    .await
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header(r: &reqwest::Response, name: header::HeaderName) -> Option<&str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Compression runs once, in the background, after start: wait until it is there.
async fn compressed(app: &TestApp, path: &str) {
    for _ in 0..100 {
        let r = get(app, path, &[("accept-encoding", "br")]).await;
        if header(&r, header::CONTENT_ENCODING) == Some("br") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} was never served compressed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_come_precompressed_with_length_etag_and_a_304() {
    let dir = site();
    let app = spawn_with_site(&dir).await;
    compressed(&app, "/pkg/chuangkou.css").await;
    let original = std::fs::read(dir.path().join("pkg/chuangkou.css")).unwrap();

    let br = get(
        &app,
        "/pkg/chuangkou.css",
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(
        header(&br, header::CONTENT_ENCODING),
        Some("br"),
        "br preferred"
    );
    assert_eq!(
        header(&br, header::CONTENT_TYPE),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(header(&br, header::CACHE_CONTROL), Some("no-cache"));
    assert_eq!(header(&br, header::VARY), Some("accept-encoding"));
    let br_tag = header(&br, header::ETAG).unwrap().to_string();
    let br_len: usize = header(&br, header::CONTENT_LENGTH)
        .unwrap()
        .parse()
        .unwrap();
    let br_body = br.bytes().await.unwrap();
    assert_eq!(br_body.len(), br_len);
    assert!(
        br_len < original.len() / 5,
        "compressed: {br_len} of {}",
        original.len()
    );

    let gz = get(&app, "/pkg/chuangkou.css", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&gz, header::CONTENT_ENCODING), Some("gzip"));
    let gz_tag = header(&gz, header::ETAG).unwrap().to_string();
    assert_ne!(gz_tag, br_tag, "one ETag per representation");
    let gz_len: usize = header(&gz, header::CONTENT_LENGTH)
        .unwrap()
        .parse()
        .unwrap();
    let gz_body = gz.bytes().await.unwrap();
    assert_eq!(gz_body.len(), gz_len);
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz_body[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, original);

    let plain = get(
        &app,
        "/pkg/chuangkou.css",
        &[("accept-encoding", "identity")],
    )
    .await;
    assert_eq!(header(&plain, header::CONTENT_ENCODING), None);
    assert_eq!(
        header(&plain, header::CONTENT_LENGTH),
        Some(original.len().to_string().as_str())
    );
    assert_eq!(plain.bytes().await.unwrap(), original);

    // Revalidation: the same representation's ETag answers 304, with no body.
    let again = get(
        &app,
        "/pkg/chuangkou.css",
        &[("accept-encoding", "br"), ("if-none-match", &br_tag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, header::ETAG), Some(br_tag.as_str()));
    assert!(again.bytes().await.unwrap().is_empty());
    // A file of the public folder too, once its own compression is done (it runs in the
    // background: before, the identity representation answers with another tag).
    compressed(&app, "/favicon.svg").await;
    let icon = get(&app, "/favicon.svg", &[("accept-encoding", "br")]).await;
    let tag = header(&icon, header::ETAG).unwrap().to_string();
    let icon = get(
        &app,
        "/favicon.svg",
        &[("if-none-match", &tag), ("accept-encoding", "br")],
    )
    .await;
    assert_eq!(icon.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_load_the_bundle_by_content_hashed_names_cached_for_a_year() {
    let dir = site();
    let app = spawn_with_site(&dir).await;
    let page = get(&app, "/guide", &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    // `/pkg/chuangkou.{hash}.{ext}` in the page's links.
    let names: Vec<String> = html
        .match_indices("/pkg/chuangkou.")
        .map(|(i, _)| {
            let rest = &html[i..];
            rest[..rest.find(['"', '\'', '&']).unwrap()].to_string()
        })
        .filter(|n| n.split('.').count() == 3)
        .collect();
    let hashed = |ext: &str| {
        names
            .iter()
            .find(|n| n.ends_with(&format!(".{ext}")))
            .unwrap_or_else(|| panic!("no hashed .{ext} in the page: {names:?}"))
            .clone()
    };
    for ext in ["js", "wasm", "css"] {
        let path = hashed(ext);
        let r = get(&app, &path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&r, header::CACHE_CONTROL),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert!(header(&r, header::ETAG).is_some());
        assert!(header(&r, header::CONTENT_LENGTH).is_some());
    }
    // The hashed name follows the content.
    let js = hashed("js");
    let short = js
        .trim_start_matches("/pkg/chuangkou.")
        .trim_end_matches(".js");
    assert_eq!(short.len(), 16);
    assert!(short.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_of_a_page_answers_304_to_its_etag_and_keeps_its_policy() {
    let dir = site();
    let app = spawn_with_site(&dir).await;
    let first = get(&app, "/guide", &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let tag = header(&first, header::ETAG)
        .expect("the page has an ETag")
        .to_string();
    assert_eq!(
        header(&first, header::CACHE_CONTROL),
        Some("no-cache, private")
    );
    assert!(
        header(&first, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("nonce-")
    );
    // Each response has its own nonce, yet the same page has the same ETag.
    let second = get(&app, "/guide", &[]).await;
    assert_eq!(header(&second, header::ETAG), Some(tag.as_str()));
    let not_modified = get(&app, "/guide", &[("if-none-match", &tag)]).await;
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&not_modified, header::ETAG), Some(tag.as_str()));
    // The cached page keeps the policy that names its own nonce: a 304 sends none.
    assert_eq!(header(&not_modified, header::CONTENT_SECURITY_POLICY), None);
    assert!(not_modified.bytes().await.unwrap().is_empty());
    // Another page is another ETag.
    let other = get(&app, "/track", &[("if-none-match", &tag)]).await;
    assert_eq!(other.status(), StatusCode::OK);
}

/// A site file answers GET and HEAD only: any other method is 405 in the JSON error shape with
/// `Allow` (a tester's DELETE, PUT and TRACE of the stylesheet got the file with 200).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_file_answers_only_get_and_head() {
    let dir = site();
    let app = spawn_with_site(&dir).await;
    for method in ["DELETE", "PUT", "PATCH", "TRACE", "OPTIONS", "POST"] {
        let response = client()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url("/pkg/chuangkou.css"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(
            header(&response, header::ALLOW),
            Some("GET, HEAD"),
            "{method}"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "method_not_allowed", "{method}");
    }
    let head = client()
        .head(app.url("/pkg/chuangkou.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
}
