//! Staff login. The form posts to the server (`/session/login`), which answers with a redirect:
//! it works the same with or without the wasm bundle, and the cookie is set by a plain response.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::feedback::unreadable_form;

/// The cookie that carries the 工号 typed into a refused login back to the login page (for a
/// minute, only to `/login`), so that the person need not type it again; never in the URL.
pub const TYPED_STAFF_NUMBER_COOKIE: &str = "chuangkou_login_typed";

/// The 工号 typed into the last refused login, given to the page rendered on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedStaffNumber(pub String);

/// The message for an error code the login form was sent back with.
fn message_for(code: &str) -> &'static str {
    match code {
        "invalid_credentials" => "工号或密码不正确",
        "too_many_login_attempts" => "登录尝试过于频繁，请一分钟后再试",
        "required" => "请填写工号和密码",
        _ => unreadable_form(code).unwrap_or("登录失败，请重试"),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error").map(|code| message_for(&code));
    let next = move || query.read().get("next").unwrap_or_default();
    // Only a page sent back after a refusal shows it (a stale cookie on a fresh page does not).
    let typed = use_context::<TypedStaffNumber>()
        .filter(|_| query.read_untracked().get("error").is_some())
        .map(|t| t.0)
        .unwrap_or_default();
    view! {
        <Title text="工作人员登录" />
        <section class="panel narrow">
            <h1>"工作人员登录"</h1>
            {move || {
                error()
                    .map(|msg| {
                        view! {
                            <p class="error-box" role="alert">
                                {msg}
                            </p>
                        }
                    })
            }}
            <form method="post" action="/session/login" class="stack">
                <input type="hidden" name="next" prop:value=next />
                <label for="staff_number">"工号"</label>
                <input
                    id="staff_number"
                    name="staff_number"
                    autocomplete="username"
                    required
                    autocapitalize="off"
                    spellcheck="false"
                    value=typed
                />
                <label for="password">"密码"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <button type="submit" class="button primary">
                    "登录"
                </button>
            </form>
        </section>
    }
}
