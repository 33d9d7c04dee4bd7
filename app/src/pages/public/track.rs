//! 办件查询: a citizen looks up a case with its number (hyphens optional) and the whole mobile
//! number given at receipt (issue 12: four digits were too few a secret) or the 查询码 on the
//! 收件凭证 (issue 14 point 10). A plain GET form; the answer holds nothing personal (the API
//! gives none): the stage in plain words, the working days left, what the applicant must still
//! do and the history, newest first. A refused phone number or code is said at its field.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        ApiError,
        cases::{self, PublicCaseStatus},
    },
    components::{
        feedback::{ErrorBox, Loading},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// What opens the case: the phone or the receipt's 查询码.
#[derive(Debug, Clone, PartialEq)]
enum Secret {
    Phone(String),
    Code(String),
}

/// What the form sent, trimmed; `None` until the form has been submitted. A code typed wins
/// over an empty phone field.
fn submitted(
    number: Option<String>,
    phone: Option<String>,
    code: Option<String>,
) -> Option<(String, Secret)> {
    let number = number?.trim().to_string();
    let code = code.map(|c| c.trim().to_string()).unwrap_or_default();
    let phone = phone.map(|p| p.trim().to_string());
    match phone {
        Some(p) if !p.is_empty() || code.is_empty() => Some((number, Secret::Phone(p))),
        _ if !code.is_empty() => Some((number, Secret::Code(code))),
        _ => None,
    }
}

fn refused(field: &str, message: &str) -> ApiError {
    ApiError {
        code: "required".into(),
        message: message.into(),
        field: Some(field.into()),
        status: 422,
    }
}

async fn look_up(pair: Option<(String, Secret)>) -> Option<Result<PublicCaseStatus, ApiError>> {
    let (number, secret) = pair?;
    let phone = match secret {
        Secret::Code(_) if number.is_empty() => {
            return Some(Err(refused("number", "请输入申请编号")));
        }
        Secret::Code(code) => return Some(cases::public_status_by_code(&number, &code).await),
        Secret::Phone(phone) => phone,
    };
    if number.is_empty() {
        // An empty number would not even name a resource; say what is missing instead.
        return Some(Err(refused("number", "请输入申请编号")));
    }
    if rules::MobilePhone::parse(&phone).is_err() {
        // The server says the same; asking it would only spend a look-up.
        return Some(Err(refused(
            "phone",
            "请输入申请时所留的完整手机号（11 位），仅凭后四位已不能查询",
        )));
    }
    Some(cases::public_status(&number, &phone).await)
}

/// The phone field's own message: a refusal of the number typed there.
fn phone_refusal(result: &Option<Result<PublicCaseStatus, ApiError>>) -> Option<String> {
    match result {
        Some(Err(e)) if matches!(e.field.as_deref(), Some("phone" | "phone_last4" | "code")) => {
            Some(e.message.clone())
        }
        _ => None,
    }
}

#[component]
pub fn Track() -> impl IntoView {
    let query = use_query_map();
    let number = move || query.with(|q| q.get("number"));
    let phone = move || query.with(|q| q.get("phone"));
    let code = move || query.with(|q| q.get("code"));
    let result = Resource::new(move || submitted(number(), phone(), code()), look_up);
    view! {
        <Title text="办件查询" />
        <section class="panel track-panel">
            <h1>"办件查询"</h1>
            <p class="lead">
                "输入申请编号（见收件凭证或受理通知书，可不输入“-”）和申请时所留的手机号，或收件凭\
                    证上的查询码，查询办理进度。"
            </p>
            <form method="get" action="/track" class="track-form">
                <div class="field">
                    <label for="track-number">"申请编号"</label>
                    <input
                        id="track-number"
                        name="number"
                        type="text"
                        required
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        value=move || number().unwrap_or_default()
                    />
                </div>
                <div class="field">
                    <label for="track-phone">"申请时所留手机号"</label>
                    <input
                        id="track-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        maxlength="20"
                        autocomplete="off"
                        aria-describedby="track-phone-hint"
                        value=move || phone().unwrap_or_default()
                    />
                    <p id="track-phone-hint" class="muted">
                        "没有手机号的，可改填下方的查询码。"
                    </p>
                    <Suspense fallback=|| ()>
                        {move || suspend(async move {
                            match phone_refusal(&result.await) {
                                Some(message) => {
                                    view! {
                                        <p
                                            id="track-phone-error"
                                            class="field-error error-text"
                                            role="alert"
                                        >
                                            {message}
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => ().into_any(),
                            }
                        })}
                    </Suspense>
                </div>
                <div class="field">
                    <label for="track-code">"查询码（见收件凭证，可不填）"</label>
                    <input
                        id="track-code"
                        name="code"
                        type="text"
                        maxlength="12"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        value=move || code().unwrap_or_default()
                    />
                </div>
                <button type="submit" class="button primary">
                    "查询"
                </button>
            </form>
        </section>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let answer = result.await;
                let said_at_the_phone_field = phone_refusal(&answer).is_some();
                if said_at_the_phone_field {
                    return ().into_any();
                }
                match answer {
                    None => ().into_any(),
                    Some(Ok(status)) => view! { <StatusView status=status /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusView(status: PublicCaseStatus) -> impl IntoView {
    let clock = HallClock::get();
    let due = status
        .due_at
        .map(|at| format::date_time(clock.to_local(at)));
    let provisional = status.due_provisional && due.is_some();
    let suspended = status.suspended;
    view! {
        <section class="panel track-result" aria-labelledby="track-result-title">
            <h2 id="track-result-title">"办理进度"</h2>
            {suspended
                .then(|| {
                    view! {
                        <p class="notice-box suspended-note" role="status">
                            "特别程序中，暂停计时"
                        </p>
                    }
                })}
            <dl class="facts track-facts">
                <dt>"申请编号"</dt>
                <dd class="code case-number">{status.number.clone()}</dd>
                <dt>"当前状态"</dt>
                <dd>
                    <strong class="state-label">{status.state_label.clone()}</strong>
                </dd>
                <dt>"办理进展"</dt>
                <dd class="stage-text">{status.stage_text.clone()}</dd>
                <dt>"办理事项"</dt>
                <dd>{status.item_name.clone()}</dd>
                <dt>"办理单位"</dt>
                <dd>{status.unit_name.clone()}</dd>
                <dt>"收件日期"</dt>
                <dd>{format::date(status.received_on)}</dd>
                <dt>"办结期限"</dt>
                <dd>
                    {match due {
                        Some(text) => {
                            view! { <span data-testid="track-due">{text}</span> }.into_any()
                        }
                        None if suspended => {
                            view! {
                                <span>"暂停计时，特别程序结束后恢复计算"</span>
                            }
                                .into_any()
                        }
                        None => view! { <span>"—"</span> }.into_any(),
                    }}
                    {provisional
                        .then(|| {
                            view! {
                                <span
                                    class="badge provisional"
                                    title="该年度节假日安排尚未公布，暂按周末计算"
                                >
                                    "暂定"
                                </span>
                            }
                        })}
                </dd>
                {status
                    .working_days_left
                    .map(|d| {
                        view! {
                            <dt>"剩余时限"</dt>
                            <dd data-testid="track-days-left">
                                {rules::tracking::days_left_text(d)}
                            </dd>
                        }
                    })}
            </dl>
        </section>
        <section class="panel" aria-labelledby="track-todo-title">
            <h2 id="track-todo-title">"您还需要做什么"</h2>
            {if status.applicant_todo.is_empty() {
                view! { <p>"目前无需您做任何事，请等待办理结果。"</p> }.into_any()
            } else {
                view! {
                    <ul class="track-todo">
                        {status
                            .applicant_todo
                            .iter()
                            .map(|t| view! { <li>{t.clone()}</li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="track-history-title">
            <h2 id="track-history-title">"办理记录（最新在前）"</h2>
            <ol class="track-history">
                {status
                    .history
                    .iter()
                    .map(|h| {
                        view! {
                            <li>
                                <span class="muted">{format::date_time(clock.to_local(h.at))}</span>
                                <span>{h.text.clone()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <section class="panel" aria-labelledby="track-notices-title">
            <h2 id="track-notices-title">"已出具的文书"</h2>
            {if status.notices.is_empty() {
                view! { <p class="muted">"暂无文书。"</p> }.into_any()
            } else {
                view! {
                    <ul class="plain notice-list">
                        {status
                            .notices
                            .iter()
                            .map(|n| {
                                view! {
                                    <li>
                                        <span class="track-notice-title">{n.title.clone()}</span>
                                        <span class="muted">
                                            {format::date_time(clock.to_local(n.issued_at))}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_waits_for_both_fields() {
        assert_eq!(submitted(None, None, None), None);
        assert_eq!(submitted(Some("A1".into()), None, None), None);
        assert_eq!(
            submitted(Some(" A1 ".into()), Some("13995012345".into()), None),
            Some(("A1".into(), Secret::Phone("13995012345".into())))
        );
        assert_eq!(
            submitted(
                Some("A1".into()),
                Some("".into()),
                Some(" k7m2-qx9p ".into())
            ),
            Some(("A1".into(), Secret::Code("k7m2-qx9p".into())))
        );
        assert_eq!(
            submitted(Some("A1".into()), Some("".into()), Some("".into())),
            Some(("A1".into(), Secret::Phone("".into())))
        );
    }

    #[test]
    fn a_refused_phone_is_said_at_its_field_and_nothing_else_is() {
        let short = Some(Err(refused("phone", "请输入完整手机号")));
        assert_eq!(phone_refusal(&short).as_deref(), Some("请输入完整手机号"));
        let other = Some(Err(refused("number", "请输入申请编号")));
        assert_eq!(phone_refusal(&other), None);
        assert_eq!(phone_refusal(&None), None);
    }
}
