//! The security headers every response carries, and the page's Content-Security-Policy that lets
//! only the inline scripts it names by nonce run (issue 12, finding 10).

use reqwest::{Method, StatusCode};
use scenario_tests::spawn_app;

/// Pages, API answers (good and bad), static files, form redirects.
const ANSWERS: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("GET", "/kiosk?center=1"),
    ("GET", "/display?center=1"),
    ("GET", "/no-such-page"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/no-such-route"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/favicon.svg"),
    ("POST", "/session/logout"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for (method, path) in ANSWERS {
        let response = app
            .anonymous
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(path),
            )
            .send()
            .await
            .unwrap();
        let h = response.headers();
        let header = |name: &str| {
            h.get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{method} {path}: no {name}"))
        };
        assert_eq!(
            header("x-content-type-options"),
            "nosniff",
            "{method} {path}"
        );
        assert_eq!(header("x-frame-options"), "DENY", "{method} {path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{method} {path}");
        let csp = header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'"),
            "{method} {path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{method} {path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{method} {path}: {csp}");
    }
}

/// The nonce a page's policy names.
fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("a nonce in the page's policy") + "'nonce-".len();
    let end = start + csp[start..].find('\'').unwrap();
    csp[start..end].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_lets_only_its_own_nonced_scripts_run() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let mut seen = Vec::new();
    for (who, path) in [
        ("anonymous", "/login"),
        ("anonymous", "/guide"),
        ("clerk", "/clerk"),
    ] {
        let client = if who == "clerk" {
            &clerk.client
        } else {
            &app.anonymous
        };
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = nonce_of(&csp);
        assert!(nonce.len() >= 16, "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "{path}: no hydration script");
        for script in scripts {
            let tag = &script[..script.find('>').unwrap()];
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without this response's nonce: <script{tag}>"
            );
        }
        seen.push(nonce);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "a nonce was used twice");
}

/// A counter PC is shared: what a signed-in clerk read (an applicant's name, ID number and phone)
/// must not stay in the browser's cache for the next user. API answers are `no-store`, and so are
/// pages rendered for a signed-in browser; a public page keeps its revalidated cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_answers_and_signed_in_pages_are_never_stored_by_the_browser() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    for path in ["/api/v1/auth/me", "/api/v1/cases", "/api/v1/no-such-route"] {
        let response = clerk.get(path).await;
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "{path}: {:?}",
            response.status()
        );
    }
    let page = clerk.get("/clerk").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    let public = app.get("/").await;
    assert_eq!(public.headers()["cache-control"], "no-cache, private");
    let asset = app.get("/favicon.svg").await;
    assert_ne!(
        asset.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
}

/// A proxy's request id is kept; markup, a huge value or two ids are not echoed back (a client
/// had its own text put into the logs and the answer unchanged).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_that_is_not_a_short_token_is_replaced_by_the_servers_own() {
    let app = spawn_app().await;
    let echoed = |values: Vec<String>| {
        let mut request = app.anonymous.get(app.url("/api/v1/health"));
        for v in values {
            request = request.header("x-request-id", v);
        }
        async move {
            let r = request.send().await.unwrap();
            let id = r
                .headers()
                .get("x-request-id")
                .expect("an id")
                .to_str()
                .unwrap();
            id.to_owned()
        }
    };
    assert_eq!(echoed(vec!["proxy-7f3a.1".into()]).await, "proxy-7f3a.1");
    for bad in [
        vec!["<script>alert(1)</script>".to_owned()],
        vec!["a".repeat(65)],
        vec!["one".to_owned(), "two".to_owned()],
    ] {
        let id = echoed(bad.clone()).await;
        assert!(!bad.contains(&id), "{bad:?} echoed");
        assert_eq!(id.len(), 36, "a UUID of the server's: {id}");
    }
}
