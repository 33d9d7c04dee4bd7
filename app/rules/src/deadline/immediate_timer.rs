//! The timer of an immediate item (即办件): it counts business time only, so it stands still over
//! the noon break, after closing, on days off and on closures, and runs again at the next opening.

use chrono::{NaiveDateTime, TimeDelta};

use super::error::DeadlineError;
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// What an immediate item's timer shows at a moment.
///
/// Source: Seed §二(三)二 (即办件以分钟或小时计算); issue #11 point 4 (business minutes); issue #14
/// point 2 (the timer stops at the noon break and at closing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessClock {
    /// Business time left before the due moment, or, when `overdue`, business time past it.
    pub time: TimeDelta,
    /// Past the due moment.
    pub overdue: bool,
    /// Whether the count goes on now (the centre is open); it stands still otherwise.
    pub running: bool,
    /// While stopped: the next opening, when the count goes on (none when none is known).
    pub resumes_at: Option<NaiveDateTime>,
}

/// The timer of an immediate item due at `due_at` (local time), at local moment `now`: the business
/// time between now and the due moment ([`BusinessHours::business_time_between`]), and whether it
/// is running (the centre is open at `now`).
///
/// Fails on a year the calendar does not hold.
/// Source: Seed §二(三)二, §二(四)一 (sessions; 12:00 / 17:00); issue #14 point 2.
pub fn business_clock<C: WorkingDays + ?Sized>(
    due_at: NaiveDateTime,
    now: NaiveDateTime,
    hours: &BusinessHours,
    cal: &C,
) -> Result<BusinessClock, DeadlineError> {
    let overdue = now > due_at;
    let time = if overdue {
        hours.business_time_between(due_at, now, cal)?
    } else {
        hours.business_time_between(now, due_at, cal)?
    };
    let running = hours.is_open(now, cal)?;
    let resumes_at = if running {
        None
    } else {
        hours.next_opening(now, cal).ok()
    };
    Ok(BusinessClock {
        time,
        overdue,
        running,
        resumes_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn running(minutes: i64) -> BusinessClock {
        BusinessClock {
            time: TimeDelta::minutes(minutes),
            overdue: false,
            running: true,
            resumes_at: None,
        }
    }

    fn stopped(minutes: i64, resumes_at: &str) -> BusinessClock {
        BusinessClock {
            time: TimeDelta::minutes(minutes),
            overdue: false,
            running: false,
            resumes_at: Some(t(resumes_at)),
        }
    }

    fn clock(due: &str, now: &str) -> BusinessClock {
        let hall = BusinessHours::district_hall_default();
        business_clock(t(due), t(now), &hall, &WorkCalendar::shipped()).unwrap()
    }

    // Wednesday 2026-03-04: the district hall is open 9:00–12:00 and 13:00–17:00.

    #[test]
    fn an_immediate_timer_runs_down_while_the_hall_is_open() {
        assert_eq!(clock("2026-03-04 11:00", "2026-03-04 10:15"), running(45));
    }

    #[test]
    fn an_immediate_timer_stands_still_over_the_noon_break() {
        // Due 13:30: 30 minutes were left at noon, and still are at 12:40.
        assert_eq!(
            clock("2026-03-04 13:30", "2026-03-04 12:00"),
            stopped(30, "2026-03-04 13:00")
        );
        assert_eq!(
            clock("2026-03-04 13:30", "2026-03-04 12:40"),
            stopped(30, "2026-03-04 13:00")
        );
    }

    #[test]
    fn an_immediate_timer_counts_the_morning_and_the_afternoon_but_not_the_break_between() {
        assert_eq!(clock("2026-03-04 13:30", "2026-03-04 11:40"), running(50));
    }

    #[test]
    fn an_immediate_timer_stops_at_closing_and_resumes_at_the_next_opening() {
        // Due Thursday 9:20; at 17:00 and at 20:00 on Wednesday, 20 minutes are left.
        let thursday = stopped(20, "2026-03-05 09:00");
        assert_eq!(clock("2026-03-05 09:20", "2026-03-04 17:00"), thursday);
        assert_eq!(clock("2026-03-05 09:20", "2026-03-04 20:00"), thursday);
    }

    #[test]
    fn an_immediate_timer_waits_over_the_weekend() {
        // Due Monday 2026-03-09 9:10; on Saturday 10 minutes are left until Monday's opening.
        assert_eq!(
            clock("2026-03-09 09:10", "2026-03-07 10:00"),
            stopped(10, "2026-03-09 09:00")
        );
    }

    #[test]
    fn an_overrun_counts_business_time_only_and_stands_still_over_the_noon_break() {
        let at = |now| clock("2026-03-04 11:50", now);
        let over = |minutes, running, resumes_at: Option<&str>| BusinessClock {
            time: TimeDelta::minutes(minutes),
            overdue: true,
            running,
            resumes_at: resumes_at.map(t),
        };
        assert_eq!(
            at("2026-03-04 12:30"),
            over(10, false, Some("2026-03-04 13:00"))
        );
        assert_eq!(at("2026-03-04 13:10"), over(20, true, None));
    }
}
