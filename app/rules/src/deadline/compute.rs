//! The due moment of a case.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use super::error::DeadlineError;
use super::extension::Extension;
use super::limit::{Due, ProvisionalDue, TimeLimit};
use super::suspension::{Suspension, check_dates, merged};
use crate::calendar::{CalendarError, WorkCalendar, WorkingDays};
use crate::hours::BusinessHours;

/// The due of a case whose clock started at `clock_start` (local time).
///
/// - Immediate items: the moment the limit's minutes of *business* time have passed since
///   `clock_start` ([`BusinessHours::add_business_minutes`]: never across the noon break, overnight
///   or a day off); suspensions and extensions do not apply.
/// - Promised items: the day of clock start is not counted; the due moment is close of business on
///   the N-th working day after it, N = limit + approved extension. A working day at whose close of
///   business the clock is stopped by a suspension is not counted (see [`Suspension`]); overlapping
///   suspensions count once; while one is open the due is [`Due::Suspended`]. A suspension that
///   starts at or after the due moment then in force does not move it, nor does any later one (the
///   clock had already run out: a special procedure cannot revive an overdue case). If the due date
///   has no business (closure, closed weekday), the due is the close of the next day with business,
///   never earlier.
///
/// Strict: a year the calendar does not hold is an error (see [`compute_due_provisional`]). Source:
/// Seed §二(三)二; 民法典 第二百零一条, 第二百零三条; 行政许可法 第四十二条, 第四十五条,
/// 第八十二条; issue #11 point 4 (business minutes).
pub fn compute_due<C: WorkingDays + ?Sized>(
    limit: &TimeLimit,
    clock_start: NaiveDateTime,
    suspensions: &[Suspension],
    extension: Option<&Extension>,
    cal: &C,
    hours: &BusinessHours,
) -> Result<Due, DeadlineError> {
    match *limit {
        TimeLimit::Immediate { minutes } => {
            if !suspensions.is_empty() || extension.is_some() {
                return Err(DeadlineError::NotForImmediateItems);
            }
            Ok(Due::At(hours.add_business_minutes(
                clock_start,
                minutes,
                cal,
            )?))
        }
        TimeLimit::Promised { working_days } => {
            let total = working_days.saturating_add(extension.map_or(0, |e| e.working_days));
            Ok(walk_promised(clock_start, total, suspensions, cal, hours)?.due)
        }
    }
}

/// [`compute_due`] for the service layer: years not held are guessed (weekends and the holidays
/// the law fixes off) and the result is flagged provisional (「暂定」) when one was used.
/// Acceptance is never blocked by a missing year.
/// Source: issue #4 unknown-year policy; Seed §二(三)二.
pub fn compute_due_provisional(
    limit: &TimeLimit,
    clock_start: NaiveDateTime,
    suspensions: &[Suspension],
    extension: Option<&Extension>,
    cal: &WorkCalendar,
    hours: &BusinessHours,
) -> Result<ProvisionalDue, DeadlineError> {
    let view = cal.provisional();
    let due = compute_due(limit, clock_start, suspensions, extension, &view, hours)?;
    Ok(ProvisionalDue {
        due,
        provisional: view.was_provisional(),
    })
}

/// What walking the suspensions found: the due, and the due moment that had already passed when a
/// suspension started (such a suspension, and every later one, is ignored: the clock had run out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Walk {
    /// The due.
    pub due: Due,
    /// Set when a suspension started at or after the due moment then in force.
    pub overdue_when_suspended: Option<NaiveDateTime>,
}

/// The due of a promised item of `n` working days (limit + extension) from `clock_start`, walking
/// the merged suspensions in order; see [`compute_due`] and [`Suspension`].
pub(super) fn walk_promised<C: WorkingDays + ?Sized>(
    clock_start: NaiveDateTime,
    n: u32,
    suspensions: &[Suspension],
    cal: &C,
    hours: &BusinessHours,
) -> Result<Walk, DeadlineError> {
    for s in suspensions {
        check_dates(s, clock_start)?;
    }
    let accepted_on = clock_start.date();
    let first_counted = accepted_on
        .succ_opt()
        .ok_or(CalendarError::YearOutOfRange(accepted_on.year()))?;
    let mut due_date = cal.add_working_days(accepted_on, n)?;
    let mut due_at = hours.close_of_business_on_or_after(due_date, cal)?;
    for (start, end) in merged(suspensions) {
        if start >= due_at {
            return Ok(Walk {
                due: Due::At(due_at),
                overdue_when_suspended: Some(due_at),
            });
        }
        let Some(end) = end else {
            return Ok(Walk {
                due: Due::Suspended,
                overdue_when_suspended: None,
            });
        };
        // The working days whose close of business falls in (start, end] are not counted; the day
        // of clock start never is, so a suspension cannot take it out again.
        let first = first_stopped_day(start, hours)?.max(first_counted);
        let last = last_stopped_day(end, hours)?;
        if last < first {
            continue;
        }
        let stopped = cal.working_days_between(day_before(first)?, last)?;
        due_date = cal.add_working_days(due_date, u32::try_from(stopped).unwrap_or(u32::MAX))?;
        due_at = hours.close_of_business_on_or_after(due_date, cal)?;
    }
    Ok(Walk {
        due: Due::At(due_at),
        overdue_when_suspended: None,
    })
}

/// When counting stops on `date`: its close of business by the centre's schedule for that date
/// (season, weekday), the end of the day when that schedule has no session.
fn day_close(date: NaiveDate, hours: &BusinessHours) -> Result<NaiveDateTime, CalendarError> {
    match hours.schedule_for(date).sessions.last() {
        Some(s) => Ok(date.and_time(s.end)),
        None => Ok(next_day(date)?.and_time(NaiveTime::MIN)),
    }
}

/// The first day whose close of business is after `start`.
fn first_stopped_day(
    start: NaiveDateTime,
    hours: &BusinessHours,
) -> Result<NaiveDate, CalendarError> {
    let day = start.date();
    if start < day_close(day, hours)? {
        Ok(day)
    } else {
        next_day(day)
    }
}

/// The last day whose close of business is at or before `end`.
fn last_stopped_day(end: NaiveDateTime, hours: &BusinessHours) -> Result<NaiveDate, CalendarError> {
    let day = end.date();
    if end >= day_close(day, hours)? {
        Ok(day)
    } else {
        day_before(day)
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt()
        .ok_or(CalendarError::YearOutOfRange(date.year()))
}

fn day_before(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.pred_opt()
        .ok_or(CalendarError::YearOutOfRange(date.year()))
}
