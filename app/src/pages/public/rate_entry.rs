//! `/rate`: 服务评价 with a code typed by hand, for a citizen who cannot scan the slip's QR code.
//! A plain GET form (`?code=`): a well-formed code goes to its page `/rate/<code>`; a malformed
//! one is said at the field (GOV.UK error pattern), with what was typed kept. The code's rules
//! are the server's own (`RatingCode::parse`: case, spaces and hyphens do not matter).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_query_map},
};
use rules::supervision::RatingCode;

use crate::{
    api::ApiError,
    components::form::{ErrorSummary, FieldError},
};

/// The code's page, or what is wrong with the text typed. Source: product rule (every text
/// input refuses control characters; the code's form is `RatingCode::parse`).
fn check(text: &str) -> Result<String, String> {
    if text.chars().any(char::is_control) {
        return Err("评价码含有不可见的控制字符，请重新输入".into());
    }
    if text.trim().is_empty() {
        return Err("请输入评价码".into());
    }
    RatingCode::parse(text)
        .map(|code| format!("/rate/{}", code.as_str()))
        .map_err(|e| e.to_string())
}

fn refusal(message: String) -> ApiError {
    ApiError {
        code: "rating_code_malformed".into(),
        message,
        field: Some("code".into()),
        status: 422,
        problems: Vec::new(),
    }
}

#[component]
pub fn RateEntry() -> impl IntoView {
    let query = use_query_map();
    let sent = query.with_untracked(|q| q.get("code"));
    let typed = RwSignal::new(sent.clone().unwrap_or_default());
    // The plain form's answer (no script, or a link with `?code=`).
    let (go, first_problem) = match sent.as_deref().map(check) {
        Some(Ok(page)) => (Some(page), None),
        Some(Err(message)) => (None, Some(refusal(message))),
        None => (None, None),
    };
    let problem = RwSignal::new(first_problem);
    view! {
        <Title text="服务评价" />
        {go.map(|path| view! { <Redirect path=path /> })}
        <section class="panel phone-panel rate-entry">
            <h1>"服务评价（好差评）"</h1>
            <p class="lead">
                "请输入号票、评价凭条或决定书上的评价码，对本次服务进行评价。\
                    也可用手机扫描评价码旁的二维码。"
            </p>
            <RatingCodeForm typed=typed problem=problem />
        </section>
    }
}

/// The code's field and its button, with what is wrong said at the field: on `/rate`, and on a
/// code's page when the code is unknown (that page had said so with no field to correct it in).
#[component]
pub fn RatingCodeForm(
    typed: RwSignal<String>,
    problem: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check(&typed.get_untracked()) {
            Ok(page) => {
                problem.set(None);
                navigate(&page, Default::default());
            }
            Err(message) => problem.set(Some(refusal(message))),
        }
    };
    let at_field = Signal::derive(move || problem.with(|p| p.as_ref().map(|e| e.message.clone())));
    view! {
        <ErrorSummary
            error=problem
            target=Callback::new(|field: String| (field == "code").then(|| "rate-code".into()))
        />
        <form method="get" action="/rate" class="stack" on:submit=submit novalidate>
            <div class="field">
                <label for="rate-code">"评价码"</label>
                <FieldError id="rate-code" error=at_field />
                <input
                    id="rate-code"
                    name="code"
                    type="text"
                    maxlength="20"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    class="rate-code-input"
                    // Drawn on the server too: without JavaScript the code typed stays in the
                    // field (the binding alone is set only once the page runs).
                    value=typed.get_untracked()
                    bind:value=typed
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    aria-describedby=move || {
                        if problem.with(Option::is_some) {
                            "rate-code-hint rate-code-error"
                        } else {
                            "rate-code-hint"
                        }
                    }
                />
                <small id="rate-code-hint" class="hint">
                    "共 10 位字母或数字，不区分大小写，可不输入空格"
                </small>
            </div>
            <button type="submit" class="button primary big">
                "去评价"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_code_goes_to_its_page_and_a_malformed_one_is_refused_in_chinese() {
        assert_eq!(check(" abcde-fghjk ").unwrap(), "/rate/ABCDEFGHJK");
        assert_eq!(check("ABCDE FGHJK").unwrap(), "/rate/ABCDEFGHJK");
        assert_eq!(check("").unwrap_err(), "请输入评价码");
        assert!(check("ABC").unwrap_err().contains("10 位"));
        // 0, 1, I, L and O are not in the alphabet (look-alikes).
        assert!(check("ABCDEFGHJ0").is_err());
        assert!(check("ABCDE\u{7}FGHJK").unwrap_err().contains("控制字符"));
    }
}
