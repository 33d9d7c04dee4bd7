//! The promised-date preview: computed in the browser with the same rules and the same calendar
//! the server enforces, so the clerk can tell the applicant the date before anything is sent.

use chrono::NaiveDate;
use leptos::prelude::*;
use rules::{
    BusinessHours, WorkCalendar,
    deadline::{Due, TimeLimit, compute_due_provisional},
};

use crate::{components::hall_clock::HallClock, format};

/// What the preview says for a limit counted from `accepted_on` (start of business that day).
pub fn preview_text(
    limit: &TimeLimit,
    accepted_on: NaiveDate,
    cal: &WorkCalendar,
    hours: &BusinessHours,
) -> Result<(String, bool), String> {
    let start = accepted_on.and_hms_opt(9, 0, 0).expect("valid time");
    let due =
        compute_due_provisional(limit, start, &[], None, cal, hours).map_err(|e| e.message_zh())?;
    match due.due {
        Due::At(at) => Ok((format::date_time(at), due.provisional)),
        Due::Suspended => Ok(("中止计时".into(), due.provisional)),
    }
}

/// A small calculator: accepted on a date, N working days → due moment.
#[component]
pub fn DuePreview(calendar: WorkCalendar, hours: BusinessHours) -> impl IntoView {
    let clock = HallClock::get();
    let accepted = RwSignal::new(clock.local_now_untracked().date().to_string());
    let days = RwSignal::new("20".to_string());
    let calendar = StoredValue::new(calendar);
    let hours = StoredValue::new(hours);
    let outcome = move || {
        let on: NaiveDate = accepted
            .get()
            .parse()
            .map_err(|_| "请输入受理日期".to_string())?;
        let n: u32 = days
            .get()
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=3650).contains(n))
            .ok_or_else(|| "工作日数须为 1–3650 的整数".to_string())?;
        let limit = TimeLimit::Promised { working_days: n };
        calendar.with_value(|cal| hours.with_value(|h| preview_text(&limit, on, cal, h)))
    };
    view! {
        <form class="stack" on:submit=|ev| ev.prevent_default()>
            <div class="row wrap">
                <div class="field">
                    <label for="preview-accepted">"受理日期"</label>
                    <input id="preview-accepted" type="date" bind:value=accepted />
                </div>
                <div class="field">
                    <label for="preview-days">"承诺时限（工作日）"</label>
                    <input
                        id="preview-days"
                        type="number"
                        min="1"
                        max="3650"
                        inputmode="numeric"
                        bind:value=days
                    />
                </div>
            </div>
            <output for="preview-accepted preview-days" class="due-output" aria-live="polite">
                {move || match outcome() {
                    Ok((text, provisional)) => {
                        view! {
                            <span>"办结期限："</span>
                            <strong data-testid="due-preview">{text}</strong>
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
                        }
                            .into_any()
                    }
                    Err(msg) => view! { <span class="error-text">{msg}</span> }.into_any(),
                }}
            </output>
            <p class="muted">
                "受理当日不计，自次日起算第 N 个工作日，至该日下班时截止（民法典第二百零一条、\
                 第二百零三条）。"
            </p>
        </form>
    }
}
