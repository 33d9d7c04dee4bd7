//! The warning that next year's official calendar is missing, on the home pages of the people who
//! can do something about it (administrators enter it; chief representatives see its effect).

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::{hall_clock::HallClock, suspend::suspend};
use crate::api::calendar;

/// The year whose official calendar should be entered by now and is not: from 1 November on,
/// next year (a promised case received in December may end in January), if `held` lacks it.
/// Source: issue #14 point 14; DESIGN.md "the system ships the published years and lets an
/// administrator add the next one".
pub fn missing_next_year(today: NaiveDate, held: &[i32]) -> Option<i32> {
    let next = today.year() + 1;
    (today.month() >= 11 && !held.contains(&next)).then_some(next)
}

/// Shown only when [`missing_next_year`] names a year; `link` points to the calendar page. It
/// appears once the page runs in the browser, by the hall clock (which follows the server's), so
/// that the server's render and the browser's never disagree about the date.
#[component]
pub fn NextYearCalendarWarning(#[prop(optional)] link: bool) -> impl IntoView {
    let clock = HallClock::get();
    let today = Memo::new(move |_| clock.local_now().date());
    let running = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let years = Resource::new(|| (), |_| calendar::years());
    view! {
        <Suspense fallback=|| ()>
            {move || suspend(async move {
                let held = years.await.ok()?.years;
                Some(move || {
                    let year = running.get().then(|| missing_next_year(today.get(), &held))??;
                    Some(
                        view! {
                            <section
                                class="warn-box next-year-warning"
                                aria-labelledby="next-year-title"
                            >
                                <h2 id="next-year-title">
                                    {format!("尚未录入 {year} 年节假日安排")}
                                </h2>
                                <p>
                                    {format!(
                                        "年底受理的承诺件可能在 {year} 年到期；在录入国务院公布的 \
                                         {year} 年安排之前，\
                                 这些期限只按周末和元旦、劳动节、国庆节推算\
                                 （春节等按农历的假日未计），标为「暂定」。",
                                    )}
                                </p>
                                {link
                                    .then(|| {
                                        view! {
                                            <p>
                                                <a href="/admin/calendar">
                                                    {format!("前往「节假日安排」录入 {year} 年")}
                                                </a>
                                            </p>
                                        }
                                    })}
                            </section>
                        },
                    )
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn from_the_first_of_november_a_missing_next_year_is_named() {
        assert_eq!(missing_next_year(day("2026-10-31"), &[2026]), None);
        assert_eq!(missing_next_year(day("2026-11-01"), &[2026]), Some(2027));
        assert_eq!(
            missing_next_year(day("2026-12-31"), &[2025, 2026]),
            Some(2027)
        );
        assert_eq!(missing_next_year(day("2026-11-01"), &[2026, 2027]), None);
    }
}
