//! Live deadlines (限时办结): every countdown derives from the page's one clock (due − now, with
//! the shared rules), so all of them tick together and none drifts. Near-due is amber, overdue
//! red, suspended grey; provisional dates are marked 「暂定」.

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use rules::{
    DeadlineStatus, Due, Span, StatusThresholds, TimeLimit, WorkCalendar, deadline::status_at,
};

use crate::{components::hall_clock::HallClock, format};

/// The calendar the browser computes with (the same years the server holds), shared by every
/// countdown on the page.
#[derive(Clone, Copy)]
pub struct CalendarContext(pub StoredValue<Option<WorkCalendar>>);

impl CalendarContext {
    pub fn provide(calendar: Option<WorkCalendar>) -> Self {
        let ctx = CalendarContext(StoredValue::new(calendar));
        provide_context(ctx);
        ctx
    }
}

fn span_text(span: Span) -> String {
    match span {
        Span::WorkingDays(d) => format!("{d} 个工作日"),
        Span::Minutes(m) if m >= 60 => format!("{} 小时 {} 分", m / 60, m % 60),
        Span::Minutes(m) => format!("{m} 分钟"),
    }
}

/// Hours and minutes to a moment, for the last day.
fn clock_text(left: TimeDelta) -> String {
    let minutes = left.num_minutes().max(0);
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// The status of a due moment now, as (css class, text).
pub fn status_text(
    clock: &HallClock,
    calendar: Option<&WorkCalendar>,
    due_at: Option<DateTime<Utc>>,
    limit: TimeLimit,
) -> (&'static str, String) {
    let Some(due_at) = due_at else {
        return ("suspended", "暂停计时".into());
    };
    let now = clock.local_now();
    let due_local = clock.to_local(due_at);
    let status = match calendar {
        Some(cal) => status_at(
            &Due::At(due_local),
            &limit,
            now,
            &cal.provisional(),
            &StatusThresholds::default(),
        )
        .ok(),
        None => None,
    };
    let same_day = now.date() == due_local.date() && now <= due_local;
    let left = due_local - now;
    match status {
        Some(DeadlineStatus::Overdue { overdue_by }) => {
            ("overdue", format!("已超期 {}", span_text(overdue_by)))
        }
        Some(DeadlineStatus::NearDue { .. }) if same_day => {
            ("near-due", format!("今日到期，剩 {}", clock_text(left)))
        }
        Some(DeadlineStatus::NearDue { remaining }) => {
            ("near-due", format!("剩余 {}", span_text(remaining)))
        }
        Some(DeadlineStatus::OnTrack { remaining }) => {
            ("on-track", format!("剩余 {}", span_text(remaining)))
        }
        Some(DeadlineStatus::Suspended) => ("suspended", "暂停计时".into()),
        None if now > due_local => ("overdue", "已超期".into()),
        None => ("on-track", format!("截止 {}", format::date_time(due_local))),
    }
}

/// A live deadline badge.
#[component]
pub fn Countdown(
    due_at: Option<DateTime<Utc>>,
    limit: TimeLimit,
    #[prop(optional)] provisional: bool,
    #[prop(optional)] label: &'static str,
) -> impl IntoView {
    let clock = HallClock::get();
    let calendar = use_context::<CalendarContext>();
    let status = move || {
        calendar.map_or_else(
            || status_text(&clock, None, due_at, limit),
            |c| {
                c.0.with_value(|cal| status_text(&clock, cal.as_ref(), due_at, limit))
            },
        )
    };
    let due_text = due_at.map(|d| format::date_time(clock.to_local(d)));
    view! {
        <span class=move || format!("countdown {}", status().0) role="timer" aria-live="off">
            {(!label.is_empty()).then(|| view! { <span class="countdown-label">{label}</span> })}
            <strong>{move || status().1}</strong>
            {due_text.map(|t| view! { <span class="countdown-due">{t}</span> })}
            {provisional.then(|| view! { <span class="badge provisional" title="该年度节假日安排尚未公布，暂按周末计算">"暂定"</span> })}
        </span>
    }
}

/// Provides the calendar to the countdowns inside (a component, so that the context is set
/// before its children are built).
#[component]
pub fn WithCalendar(calendar: Option<WorkCalendar>, children: Children) -> impl IntoView {
    CalendarContext::provide(calendar);
    children()
}
