//! 月报提交: this month's rectification list of the unit (attachment 1, the monthly API's rows
//! for the unit), where its submission stands, and the chief representative's 提交月报.

use leptos::prelude::*;
use rules::supervision::SubmissionState;

use crate::{
    api::{
        ApiError,
        supervision::{self, MonthlyReport, UnitSubmission},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// 月报提交: this month's list for the unit (attachment 1) and its submission.
#[component]
pub(super) fn MonthSubmission(chief: bool) -> impl IntoView {
    let month = HallClock::get()
        .local_now_untracked()
        .format("%Y-%m")
        .to_string();
    let version = RwSignal::new(0u32);
    let report = Resource::new(
        move || version.get(),
        move |_| supervision::monthly(month.clone()),
    );
    let submit = Action::new(|m: &String| supervision::submit_month(m.clone()));
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    Effect::new(move |_| {
        if let Some(outcome) = submit.value().get() {
            let ok = outcome.is_ok();
            result.set(Some(outcome.map(|s| submitted_text(&s))));
            if ok {
                version.update(|v| *v += 1);
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="unit-month-title">
            <h2 id="unit-month-title">"月报提交"</h2>
            <ActionResult message=result />
            <Transition fallback=Loading>
                {move || suspend(async move {
                    match report.await {
                        Ok(r) => month_body(r, chief, submit),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn submitted_text(s: &UnitSubmission) -> String {
    let on = s.submitted_on.map(format::date).unwrap_or_default();
    format!("已报送本月整改清单月报表（{on}，{}）", s.state_label)
}

/// Where the unit's submission stands, as the supervisors' overview reminds of it: from the
/// 15th until it is submitted, and marked late after the 22nd.
fn submission_notice(s: &UnitSubmission) -> AnyView {
    let on = s.submitted_on.map(format::date).unwrap_or_default();
    match s.state {
        SubmissionState::NotYetDue => view! {
            <p class="muted">
                "每月 22 日前报送本单位整改清单月报表（15 日起提醒）。"
            </p>
        }
        .into_any(),
        SubmissionState::Remind => view! {
            <p class="notice-box" role="status">
                "本单位尚未报送本月整改清单月报表，请于 22 日前报送。"
            </p>
        }
        .into_any(),
        SubmissionState::Late => view! {
            <p class="warn-box" role="status">
                <strong>"逾期未报送"</strong>
                "：本月整改清单月报表应于 22 日前报送，请尽快报送。"
            </p>
        }
        .into_any(),
        SubmissionState::Submitted => view! {
            <p class="ok-box" role="status">
                {format!("已于 {on} 报送本月整改清单月报表。")}
            </p>
        }
        .into_any(),
        SubmissionState::SubmittedLate => view! {
            <p class="warn-box" role="status">
                <strong>"逾期报送"</strong>
                {format!(
                    "：已于 {on} 报送本月整改清单月报表（应于 22 日前）。",
                )}
            </p>
        }
        .into_any(),
    }
}

fn month_body(
    r: MonthlyReport,
    chief: bool,
    submit: Action<String, Result<UnitSubmission, ApiError>>,
) -> AnyView {
    let mine = r.units.first().cloned();
    let open = mine.as_ref().is_some_and(|s| {
        matches!(
            s.state,
            SubmissionState::NotYetDue | SubmissionState::Remind | SubmissionState::Late
        )
    });
    let totals = format!(
        "合计 {} 项：已销号 {} 项，整改中 {} 项，逾期 {} 项（截至 {}）",
        r.rows.len(),
        r.closed,
        r.in_progress,
        r.overdue,
        r.as_of
    );
    let month = r.month.clone();
    let table = if r.rows.is_empty() {
        view! { <p class="muted">"本月本单位没有列入整改清单的事项。"</p> }.into_any()
    } else {
        month_table(r.rows)
    };
    let action = match (chief, open) {
        (true, true) => view! {
            <button
                type="button"
                class="button primary"
                disabled=move || submit.pending().get()
                on:click=move |_| {
                    submit.dispatch(month.clone());
                }
            >
                "提交月报"
            </button>
            <p class="hint">"提交后本月不能再次提交；每月 22 日前报送。"</p>
        }
        .into_any(),
        (false, true) => view! { <p class="muted">"月报由本单位首席代表提交。"</p> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <p class="lead">{r.title}</p>
        {mine
            .as_ref()
            .map(|s| {
                view! {
                    <p>"报送情况：" <span class="state-pill">{s.state_label.clone()}</span></p>
                    {submission_notice(s)}
                }
            })}
        {table}
        <p>{totals}</p>
        {action}
    }
    .into_any()
}

fn month_table(rows: Vec<supervision::MonthlyRow>) -> AnyView {
    view! {
        <div
            class="monthly-wrap"
            tabindex="0"
            role="region"
            aria-label="本单位本月整改清单"
        >
            <table class="monthly-table unit-month-table">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"问题来源"</th>
                        <th scope="col">"发现时间"</th>
                        <th scope="col">"问题描述"</th>
                        <th scope="col">"责任人"</th>
                        <th scope="col">"整改措施"</th>
                        <th scope="col">"整改时限"</th>
                        <th scope="col">"整改情况"</th>
                        <th scope="col">"备注"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <td>{row.seq}</td>
                                    <td>{row.source}</td>
                                    <td>{format::plain_date(row.found_on)}</td>
                                    <td>{row.description}</td>
                                    <td>{row.responsible}</td>
                                    <td>{row.measure}</td>
                                    <td>{format::plain_date(row.deadline)}</td>
                                    <td>{row.status.label_zh()}</td>
                                    <td>{row.note}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
