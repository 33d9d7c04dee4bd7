//! Loading and error states, worded for a clerk.

use leptos::prelude::*;

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

/// The last result of an action: nothing, a success note, or the error.
#[component]
pub fn ActionResult(
    #[prop(into)] message: Signal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    move || match message.get() {
        None => ().into_any(),
        Some(Ok(text)) => view! {
            <p class="ok-box" role="status">
                {text}
            </p>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
    }
}
