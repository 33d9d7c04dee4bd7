//! 办件查询: a citizen looks up a case with its number (hyphens optional) and the whole mobile
//! number given at receipt (issue 12: four digits were too few a secret) or the 查询码 on the
//! 收件凭证 (issue 14 point 10). The form posts to `/track/lookup` (so that the phone is in no
//! address, issue 14 point 3): when the pair opens the case, this browser holds it for half an
//! hour and the page shows it by its number alone (`/track?number=…`); a refusal comes back as
//! its code, said at its field, with the phone and code typed kept. The answer holds nothing
//! personal (the API gives none): the stage in plain words, the working days left, what the
//! applicant must still do and the history, newest first. An old link carrying `phone` or
//! `code` in its query still opens the case.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        ApiError,
        cases::{self, PublicCaseStatus, TypedLookup},
    },
    components::{
        feedback::{ErrorBox, Loading, unreadable_form},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// What the page was opened with.
#[derive(Debug, Clone, PartialEq)]
enum Asked {
    /// The look-up form was refused with this code.
    Refused(String),
    /// A case this browser holds (or an address naming a case alone).
    Held(String),
    /// An old link with the phone in its query.
    Phone(String, String),
    /// An old link with the 查询码 in its query.
    Code(String, String),
}

/// What the address asks for; `None`: the empty form.
fn asked(
    number: Option<String>,
    error: Option<String>,
    phone: Option<String>,
    code: Option<String>,
) -> Option<Asked> {
    let trimmed = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(error) = trimmed(error) {
        return Some(Asked::Refused(error));
    }
    let number = trimmed(number)?;
    Some(match (trimmed(phone), trimmed(code)) {
        (Some(phone), _) => Asked::Phone(number, phone),
        (None, Some(code)) => Asked::Code(number, code),
        (None, None) => Asked::Held(number),
    })
}

/// The field a refusal belongs to, and the page's own message for its code (nothing typed is
/// ever echoed from the address as a message).
fn refusal(code: &str) -> ApiError {
    let (field, message) = match code {
        "number_required" => (Some("number"), "请输入申请编号"),
        "required" => (
            Some("phone"),
            "请输入申请时所留的手机号，或改填收件凭证上的查询码",
        ),
        "invalid_phone" | "lookup_secret_too_short" => (
            Some("phone"),
            "请输入申请时所留的完整手机号（11 位），仅凭后四位已不能查询",
        ),
        "invalid_lookup_code" => (Some("code"), "查询码为 8 位字母和数字，见收件凭证"),
        "case_not_found" => (None, "没有找到该办件：请核对申请编号和手机号（或查询码）"),
        "too_many_lookups" | "too_many_case_lookups" => (None, "查询过于频繁，请稍后再试"),
        _ => (
            None,
            unreadable_form(code).unwrap_or("查询未能完成，请稍后再试"),
        ),
    };
    ApiError {
        code: code.into(),
        message: message.into(),
        field: field.map(Into::into),
        status: 422,
        problems: Vec::new(),
    }
}

async fn look_up(asked: Option<Asked>) -> Option<Result<PublicCaseStatus, ApiError>> {
    match asked? {
        Asked::Refused(code) => Some(Err(refusal(&code))),
        // An address naming a case this browser does not hold shows the form, number filled in.
        Asked::Held(number) => match cases::public_status_held(&number).await {
            Err(e) if e.code == "required" => None,
            answer => Some(answer),
        },
        Asked::Phone(number, phone) => Some(cases::public_status(&number, &phone).await),
        Asked::Code(number, code) => Some(cases::public_status_by_code(&number, &code).await),
    }
}

/// The message for `field`, when the answer is a refusal of it.
fn field_refusal(
    result: &Option<Result<PublicCaseStatus, ApiError>>,
    field: &str,
) -> Option<String> {
    match result {
        Some(Err(e)) => {
            let at = match e.field.as_deref() {
                Some("phone_last4") => Some("phone"),
                other => other,
            };
            (at == Some(field)).then(|| e.message.clone())
        }
        _ => None,
    }
}

/// The message under a field, when the answer refused what was typed there.
#[component]
fn FieldRefusal(
    result: Resource<Option<Result<PublicCaseStatus, ApiError>>>,
    field: &'static str,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || suspend(async move {
                match field_refusal(&result.await, field) {
                    Some(message) => {
                        view! {
                            <p
                                id=format!("track-{field}-error")
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
    }
}

#[component]
pub fn Track() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with(|q| q.get(key));
    let number = move || get("number");
    let result = Resource::new(
        move || asked(number(), get("error"), get("phone"), get("code")),
        look_up,
    );
    // What a refused look-up typed (given by the server's render); an old link's values else.
    let typed = use_context::<TypedLookup>().unwrap_or_default();
    let or_query = |typed: String, key: &str| match typed.is_empty() {
        true => get(key).unwrap_or_default(),
        false => typed,
    };
    let typed_phone = or_query(typed.phone, "phone");
    let typed_code = or_query(typed.code, "code");
    let typed_number = or_query(typed.number, "number");
    // A refused look-up marks its field (the message sat below it, the box said nothing).
    let refused_at = move |field: &'static str| {
        get("error").is_some_and(|code| refusal(code.trim()).field.as_deref() == Some(field))
    };
    let invalid = move |field: &'static str| move || refused_at(field).then_some("true");
    view! {
        <Title text="办件查询" />
        <section class="panel track-panel">
            <h1>"办件查询"</h1>
            <p class="lead">
                "输入申请编号（见收件凭证或受理通知书，可不输入“-”）和申请时所留的手机号，或收件凭\
                    证上的查询码，查询办理进度。"
            </p>
            <form method="post" action="/track/lookup" class="track-form">
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
                        value=typed_number
                        aria-invalid=invalid("number")
                        aria-describedby=move || {
                            refused_at("number").then_some("track-number-error")
                        }
                    />
                    <FieldRefusal result field="number" />
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
                        aria-describedby=move || {
                            if refused_at("phone") {
                                "track-phone-hint track-phone-error"
                            } else {
                                "track-phone-hint"
                            }
                        }
                        aria-invalid=invalid("phone")
                        value=typed_phone
                    />
                    <p id="track-phone-hint" class="muted">
                        "没有手机号的，可改填收件凭证上的查询码。"
                    </p>
                    <FieldRefusal result field="phone" />
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
                        value=typed_code
                        aria-invalid=invalid("code")
                        aria-describedby=move || refused_at("code").then_some("track-code-error")
                    />
                    <FieldRefusal result field="code" />
                </div>
                <button type="submit" class="button primary">
                    "查询"
                </button>
            </form>
        </section>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match result.await {
                    None => ().into_any(),
                    Some(Ok(status)) => view! { <StatusView status=status /> }.into_any(),
                    Some(Err(e)) if e.field.is_some() => ().into_any(),
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
    // Not yet accepted: the date the 收件凭证 promised, said as what it is.
    let promised = status.promised_date.map(|d| {
        let guess = if status.promised_provisional {
            "（暂定）"
        } else {
            ""
        };
        format!(
            "{}{guess}前（收件凭证所载，以受理之日起算为准）",
            format::date(d)
        )
    });
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
                        None => {
                            match promised.clone() {
                                Some(text) => {
                                    view! { <span data-testid="track-promised">{text}</span> }
                                        .into_any()
                                }
                                None => view! { <span>"—"</span> }.into_any(),
                            }
                        }
                    }}
                    {provisional
                        .then(|| {
                            view! {
                                <span
                                    class="badge provisional"
                                    title=crate::format::PROVISIONAL_HINT
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
                                {rules::tracking::days_left_text(d, status.past_due)}
                            </dd>
                        }
                    })}
                <dt>"咨询电话"</dt>
                <dd>
                    {format!("{} ", status.center_name)}
                    <a class="nowrap" href=format!("tel:{}", status.center_phone)>
                        {status.center_phone.clone()}
                    </a>
                </dd>
            </dl>
            {status
                .past_due
                .then(|| {
                    view! {
                        <p role="note" class="warn-box" data-testid="track-late">
                            {format!(
                                "本件已超过承诺办结期限。您可致电{}（{}）询问办理情况，\
                                 或拨打 12345 政务服务便民热线反映。",
                                status.center_name,
                                status.center_phone,
                            )}
                        </p>
                    }
                })}
        </section>
        <section class="panel" aria-labelledby="track-todo-title">
            <h2 id="track-todo-title">"您还需要做什么"</h2>
            {if status.applicant_todo.is_empty() {
                let state = rules::CaseState::from_code(&status.state);
                let text = state.map_or(
                    "目前无需您做任何事，请等待办理结果。",
                    rules::tracking::nothing_to_do_text,
                );
                view! { <p>{text}</p> }.into_any()
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
    fn the_address_names_a_refusal_a_held_case_or_an_old_link() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(asked(None, None, None, None), None);
        assert_eq!(asked(s(" "), None, None, None), None);
        assert_eq!(
            asked(s("A1"), s("invalid_phone"), s("138"), None),
            Some(Asked::Refused("invalid_phone".into()))
        );
        assert_eq!(
            asked(s(" A1 "), None, None, None),
            Some(Asked::Held("A1".into()))
        );
        assert_eq!(
            asked(s("A1"), None, s("13995012345"), s("k7m2-qx9p")),
            Some(Asked::Phone("A1".into(), "13995012345".into()))
        );
        assert_eq!(
            asked(s("A1"), None, s(""), s(" k7m2-qx9p ")),
            Some(Asked::Code("A1".into(), "k7m2-qx9p".into()))
        );
    }

    #[test]
    fn a_refusal_is_said_at_its_field_and_nowhere_else() {
        let phone = Some(Err(refusal("invalid_phone")));
        assert!(
            field_refusal(&phone, "phone")
                .unwrap()
                .contains("完整手机号")
        );
        assert_eq!(field_refusal(&phone, "number"), None);
        let code = Some(Err(refusal("invalid_lookup_code")));
        assert!(field_refusal(&code, "code").is_some());
        let unknown = Some(Err(refusal("case_not_found")));
        for field in ["number", "phone", "code"] {
            assert_eq!(field_refusal(&unknown, field), None);
        }
        assert_eq!(field_refusal(&None, "phone"), None);
    }
}
