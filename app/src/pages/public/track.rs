//! 办件查询: a citizen looks up a case with its number and the last four digits of the phone given
//! at receipt. A plain GET form; the answer holds nothing personal (the API gives none).

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

/// What the form sent: both fields, trimmed; `None` until the form has been submitted.
fn submitted(number: Option<String>, last4: Option<String>) -> Option<(String, String)> {
    Some((number?.trim().to_string(), last4?.trim().to_string()))
}

async fn look_up(pair: Option<(String, String)>) -> Option<Result<PublicCaseStatus, ApiError>> {
    let (number, last4) = pair?;
    if number.is_empty() {
        // An empty number would not even name a resource; say what is missing instead.
        return Some(Err(ApiError {
            code: "required".into(),
            message: "请输入申请编号".into(),
            field: Some("number".into()),
            status: 400,
        }));
    }
    Some(cases::public_status(&number, &last4).await)
}

#[component]
pub fn Track() -> impl IntoView {
    let query = use_query_map();
    let number = move || query.with(|q| q.get("number"));
    let last4 = move || query.with(|q| q.get("phone_last4"));
    let result = Resource::new(move || submitted(number(), last4()), look_up);
    view! {
        <Title text="办件查询"/>
        <section class="panel track-panel">
            <h1>"办件查询"</h1>
            <p class="lead">"输入申请编号（见受理通知书或收件凭证）和申请时所留手机号的后四位，查询办理进度。"</p>
            <form method="get" action="/track" class="track-form">
                <div class="field">
                    <label for="track-number">"申请编号"</label>
                    <input id="track-number" name="number" type="text" required
                        autocomplete="off" autocapitalize="characters" spellcheck="false"
                        value=move || number().unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="track-last4">"手机号后四位"</label>
                    <input id="track-last4" name="phone_last4" type="text" inputmode="numeric"
                        maxlength="4" required autocomplete="off"
                        value=move || last4().unwrap_or_default()/>
                </div>
                <button type="submit" class="button primary">"查询"</button>
            </form>
        </section>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match result.await {
                    None => ().into_any(),
                    Some(Ok(status)) => view! { <StatusView status=status/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
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
            {suspended.then(|| view! {
                <p class="notice-box suspended-note" role="status">"特别程序中，暂停计时"</p>
            })}
            <dl class="facts track-facts">
                <dt>"申请编号"</dt><dd class="code case-number">{status.number.clone()}</dd>
                <dt>"当前状态"</dt><dd><strong class="state-label">{status.state_label.clone()}</strong></dd>
                <dt>"办理事项"</dt><dd>{status.item_name.clone()}</dd>
                <dt>"办理单位"</dt><dd>{status.unit_name.clone()}</dd>
                <dt>"收件日期"</dt><dd>{format::date(status.received_on)}</dd>
                <dt>"办结期限"</dt>
                <dd>
                    {match due {
                        Some(text) => view! { <span data-testid="track-due">{text}</span> }.into_any(),
                        None if suspended => view! { <span>"暂停计时，特别程序结束后恢复计算"</span> }.into_any(),
                        None => view! { <span>"—"</span> }.into_any(),
                    }}
                    {provisional.then(|| view! {
                        <span class="badge provisional" title="该年度节假日安排尚未公布，暂按周末计算">"暂定"</span>
                    })}
                </dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="track-notices-title">
            <h2 id="track-notices-title">"已出具的文书"</h2>
            {if status.notices.is_empty() {
                view! { <p class="muted">"暂无文书。"</p> }.into_any()
            } else {
                view! {
                    <ul class="plain notice-list">
                        {status.notices.iter().map(|n| view! {
                            <li>
                                <span class="track-notice-title">{n.title.clone()}</span>
                                <span class="muted">{format::date_time(clock.to_local(n.issued_at))}</span>
                            </li>
                        }).collect_view()}
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
        assert_eq!(submitted(None, None), None);
        assert_eq!(submitted(Some("A1".into()), None), None);
        assert_eq!(
            submitted(Some(" A1 ".into()), Some("1234".into())),
            Some(("A1".into(), "1234".into()))
        );
    }
}
