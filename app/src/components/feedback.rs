//! Loading and error states, worded for a clerk.

use leptos::{html, prelude::*};

use crate::api::ApiError;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            "正在加载…"
        </p>
    }
}

/// An API error as a message box. A missing session points to the login page.
#[component]
pub fn ErrorBox(error: ApiError) -> impl IntoView {
    let login_hint = error.is_unauthenticated();
    view! {
        <div class="error-box" role="alert">
            <p>{error.message.clone()}</p>
            {login_hint
                .then(|| {
                    view! {
                        <p>
                            <a href="/login">"前往登录"</a>
                        </p>
                    }
                })}
        </div>
    }
}

/// The last result of an action: nothing, a success note, or the error. Focus moves to it when
/// it appears: the button just pressed often goes with the step it belonged to (受理 once the
/// case is accepted), and focus then fell back to the top of the page, so that a keyboard or
/// screen-reader user was left at the start with no word of what happened.
#[component]
pub fn ActionResult(
    #[prop(into)] message: Signal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    move || {
        let result = match message.get()? {
            Ok(text) => view! {
                <p class="ok-box" role="status">
                    {text}
                </p>
            }
            .into_any(),
            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
        };
        let shown = NodeRef::<html::Div>::new();
        shown.on_load(|el| focus_once_shown(el.into(), FRAMES_TO_WAIT));
        Some(view! {
            <div class="action-result" tabindex="-1" node_ref=shown>
                {result}
            </div>
        })
    }
}

/// Frames to wait for a message to be put in the page: about two seconds.
const FRAMES_TO_WAIT: u32 = 120;

/// Focuses `el` once it is in the page. An element's reference is set when the element is made,
/// and a page that reloads what it shows after an action (in a `Suspense`) puts it in the page
/// only once that has loaded: focus cannot go to it before.
fn focus_once_shown(el: leptos::web_sys::HtmlElement, frames: u32) {
    request_animation_frame(move || {
        if el.is_connected() {
            let _ = el.focus();
        } else if frames > 0 {
            focus_once_shown(el, frames - 1);
        }
    });
}

/// A loaded list as a panel shows it: the error, a muted line saying there is nothing, or the
/// items in a `<ul>` of `class` (e.g. `plain`, `plain card-list`).
pub fn listed<T, V>(
    loaded: Result<Vec<T>, ApiError>,
    empty: &'static str,
    class: &'static str,
    item: impl FnMut(T) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    match loaded {
        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
        Ok(list) if list.is_empty() => view! { <p class="muted">{empty}</p> }.into_any(),
        Ok(list) => {
            view! { <ul class=class>{list.into_iter().map(item).collect_view()}</ul> }.into_any()
        }
    }
}

/// What a form page says of a post whose fields the server could not read (the server sends
/// it back with `?error={code}`), or `None` for another code.
pub fn unreadable_form(code: &str) -> Option<&'static str> {
    match code {
        "control_character" => {
            Some("输入中含有无法识别的字符（例如从别处复制带来的不可见字符），请删除后重新输入。")
        }
        "too_long" => Some("输入的内容过长，请删减后重新提交。"),
        "missing_parameter" | "unknown_parameter" | "invalid_parameter" | "invalid_form" => {
            Some("提交的内容不完整或无法识别，请重新填写后提交。")
        }
        _ => None,
    }
}
