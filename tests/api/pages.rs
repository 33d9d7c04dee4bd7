//! The server-rendered pages: readable without the wasm bundle, role-aware.

use reqwest::StatusCode;
use scenario_tests::spawn_app;

async fn page(client: &reqwest::Client, url: String) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_home_lists_the_centers_and_their_hours_without_login() {
    let app = spawn_app().await;
    let (status, html) = page(&app.anonymous, app.url("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("金凤区政务服务中心"));
    assert!(html.contains("09:00–12:00，13:00–17:00"));
    assert!(html.contains("工作人员登录"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_its_own_navigation() {
    let app = spawn_app().await;
    for (who, shows, hides) in [
        ("clerk01", "窗口工作台", "系统管理"),
        ("chief01", "首席代表", "窗口工作台"),
        ("super01", "督查", "系统管理"),
        ("admin", "系统管理", "窗口工作台"),
    ] {
        let person = app.login(who).await;
        let (_, html) = page(&person.client, person.url("/")).await;
        let nav = &html[html.find("主导航").unwrap()..html.find("</nav>").unwrap()];
        assert!(nav.contains(shows), "{who} should see {shows}");
        assert!(!nav.contains(hides), "{who} should not see {hides}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_page_asks_an_anonymous_visitor_to_log_in() {
    let app = spawn_app().await;
    let (status, html) = page(&app.anonymous, app.url("/admin/centers")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("请先登录"));
    assert!(!html.contains("已有中心"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_pages_render_the_organisation_for_an_admin() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (_, html) = page(&admin.client, admin.url("/admin/staff")).await;
    assert!(html.contains("李建军"));
    let clerk = app.login("clerk01").await;
    let (_, html) = page(&clerk.client, clerk.url("/admin/staff")).await;
    assert!(html.contains("无权访问"));
    assert!(
        !html.contains("李建军"),
        "another person's name leaked to a clerk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_404() {
    let app = spawn_app().await;
    let (status, html) = page(&app.anonymous, app.url("/no-such-page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("页面不存在"));
}
