//! Live deadlines (限时办结): every countdown derives from the page's one clock (due − now, with
//! the shared rules), so all of them tick together and none drifts. Near-due is amber, overdue
//! red, suspended grey; provisional dates are marked 「暂定」.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use leptos::prelude::*;
use rules::{
    BusinessHours, DeadlineStatus, Due, Span, StatusThresholds, TimeLimit, WorkCalendar,
    deadline::{business_clock, status_at},
};

use crate::{components::hall_clock::HallClock, format};

/// The calendar the browser computes with (the same years the server holds), shared by every
/// countdown on the page, and the business hours of the page's center (immediate items count
/// business time only).
///
/// Held by reference count, not in the reactive arena: a live refresh disposes the owner of the
/// old view while that view is still on screen, and its countdowns still tick with the page's
/// clock until the new view replaces them; an arena value would be gone under them (a panic,
/// after which nothing on the page works).
#[derive(Clone)]
pub struct CalendarContext(Arc<Calendars>);

struct Calendars {
    calendar: Option<WorkCalendar>,
    hours: Option<BusinessHours>,
    /// Each center's hours, where the page lists cases of several centers (the supervisor's).
    center_hours: Vec<(i64, BusinessHours)>,
}

impl CalendarContext {
    pub fn provide(
        calendar: Option<WorkCalendar>,
        hours: Option<BusinessHours>,
        center_hours: Vec<(i64, BusinessHours)>,
    ) -> Self {
        let ctx = CalendarContext(Arc::new(Calendars {
            calendar,
            hours,
            center_hours,
        }));
        provide_context(ctx.clone());
        ctx
    }

    pub fn calendar(&self) -> Option<&WorkCalendar> {
        self.0.calendar.as_ref()
    }

    /// The hours of `center` when the page knows them, else the page's own center's.
    pub fn hours_of(&self, center: Option<i64>) -> Option<&BusinessHours> {
        let of_center = center.and_then(|id| {
            self.0
                .center_hours
                .iter()
                .find(|(c, _)| *c == id)
                .map(|(_, h)| h)
        });
        of_center.or(self.0.hours.as_ref())
    }
}

/// "1 小时 5 分" / "42 分钟": business time, started minutes counted.
fn business_text(left: TimeDelta) -> String {
    let minutes = u64::try_from((left + TimeDelta::seconds(59)).num_minutes()).unwrap_or(0);
    span_text(Span::Minutes(minutes))
}

/// An immediate item's timer in business time at local moment `now` (issue 14 point 2): it stands
/// still over the noon break and after closing, and says so. `None` when the calendar lacks the
/// year (the caller falls back to the plain status).
fn immediate_text(
    now: NaiveDateTime,
    due_local: NaiveDateTime,
    minutes: u32,
    calendar: &WorkCalendar,
    hours: &BusinessHours,
) -> Option<(&'static str, String)> {
    let near = |left: TimeDelta| {
        let threshold =
            i64::from(minutes) * i64::from(StatusThresholds::default().near_due_percent);
        left.num_seconds() * 100 <= threshold * 60
    };
    let shown = business_clock(due_local, now, hours, calendar).ok()?;
    let class = if shown.overdue {
        "overdue"
    } else if near(shown.time) {
        "near-due"
    } else {
        "on-track"
    };
    let mut text = if shown.overdue {
        format!("已超期 {}", business_text(shown.time))
    } else {
        format!("剩余 {}", business_text(shown.time))
    };
    if !shown.running {
        // Resuming later today after a session that ended: the noon break.
        let break_today = shown.resumes_at.is_some_and(|at| at.date() == now.date())
            && hours
                .sessions_on(now.date(), calendar)
                .is_ok_and(|s| s.iter().any(|s| s.end <= now.time()));
        text.push_str(&match shown.resumes_at {
            Some(at) if break_today => format!("（午休暂停计时，{} 恢复）", at.format("%H:%M")),
            Some(at) => format!("（非办公时间暂停计时，{} 恢复）", format::date_time(at)),
            None => "（非办公时间暂停计时）".into(),
        });
    }
    Some((class, text))
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
    hours: Option<&BusinessHours>,
    due_at: Option<DateTime<Utc>>,
    limit: TimeLimit,
) -> (&'static str, String) {
    let Some(due_at) = due_at else {
        return ("suspended", "暂停计时".into());
    };
    if let (TimeLimit::Immediate { minutes }, Some(cal), Some(hours)) = (limit, calendar, hours)
        && let Some(shown) = immediate_text(
            clock.local_now(),
            clock.to_local(due_at),
            minutes,
            cal,
            hours,
        )
    {
        return shown;
    }
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
        // Past the due moment on its own day: not yet a whole working day late ("已超期 0 个
        // 工作日" read as not late at all).
        Some(DeadlineStatus::Overdue {
            overdue_by: Span::WorkingDays(0),
        }) => ("overdue", "已超期（今日到期）".into()),
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
    /// The case's center, whose business hours time an immediate item.
    #[prop(optional)]
    center_id: Option<i64>,
) -> impl IntoView {
    let clock = HallClock::get();
    let calendar = use_context::<CalendarContext>();
    let status = move || {
        let (cal, hours) = calendar
            .as_ref()
            .map_or((None, None), |c| (c.calendar(), c.hours_of(center_id)));
        status_text(&clock, cal, hours, due_at, limit)
    };
    let class_status = status.clone();
    let due_text = due_at.map(|d| format::date_time(clock.to_local(d)));
    view! {
        <span
            class=move || format!("countdown {}", class_status().0)
            role="timer"
            aria-live="off"
        >
            {(!label.is_empty()).then(|| view! { <span class="countdown-label">{label}</span> })}
            <strong>{move || status().1}</strong>
            {due_text.map(|t| view! { <span class="countdown-due">{t}</span> })}
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
        </span>
    }
}

/// Provides the calendar to the countdowns inside (a component, so that the context is set
/// before its children are built).
#[component]
pub fn WithCalendar(
    calendar: Option<WorkCalendar>,
    /// The business hours of the page's center, for immediate items.
    #[prop(optional_no_strip)]
    hours: Option<BusinessHours>,
    /// Each center's hours, for a page listing cases of several centers.
    #[prop(optional)]
    center_hours: Vec<(i64, BusinessHours)>,
    children: Children,
) -> impl IntoView {
    CalendarContext::provide(calendar, hours, center_hours);
    children()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    /// A 60-minute immediate item due at `due`, seen at `now` in the district hall (Wednesday
    /// 2026-03-04: 9:00–12:00 and 13:00–17:00).
    fn shown(due: &str, now: &str) -> (&'static str, String) {
        let hall = BusinessHours::district_hall_default();
        immediate_text(t(now), t(due), 60, &WorkCalendar::shipped(), &hall).unwrap()
    }

    #[test]
    fn an_immediate_timer_shows_business_time_left_while_the_hall_is_open() {
        assert_eq!(
            shown("2026-03-04 13:20", "2026-03-04 11:50"),
            ("on-track", "剩余 30 分钟".into())
        );
    }

    #[test]
    fn an_immediate_timer_says_it_stands_still_over_the_noon_break() {
        let at_noon = shown("2026-03-04 13:20", "2026-03-04 12:05");
        assert_eq!(
            at_noon,
            (
                "on-track",
                "剩余 20 分钟（午休暂停计时，13:00 恢复）".into()
            )
        );
        assert_eq!(shown("2026-03-04 13:20", "2026-03-04 12:55"), at_noon);
    }

    #[test]
    fn an_immediate_timer_says_it_stopped_at_closing_and_when_it_resumes() {
        let (_, text) = shown("2026-03-05 09:10", "2026-03-04 18:00");
        assert_eq!(
            text,
            "剩余 10 分钟（非办公时间暂停计时，2026年3月5日（周四） 09:00 恢复）"
        );
    }

    #[test]
    fn an_overrun_immediate_item_counts_business_minutes_and_stands_still_at_noon() {
        assert_eq!(
            shown("2026-03-04 11:40", "2026-03-04 12:30").1,
            "已超期 20 分钟（午休暂停计时，13:00 恢复）"
        );
        assert_eq!(shown("2026-03-04 11:40", "2026-03-04 12:30").0, "overdue");
    }
}
