//! The due moment of a case.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::error::DeadlineError;
use super::extension::Extension;
use super::limit::{Due, ProvisionalDue, TimeLimit};
use super::suspension::{Suspension, check_dates, merged};
use crate::calendar::{CalendarError, WorkCalendar, WorkingDays};
use crate::hours::BusinessHours;

/// The due of a case whose clock started at `clock_start` (local time).
///
/// - Immediate items: the moment the limit's minutes of *business* time have passed since `clock_start`
///   ([`BusinessHours::add_business_minutes`]: never across the noon break, overnight or a day off);
///   suspensions and extensions do not apply.
/// - Promised items: the day of clock start is not counted; the due moment is close of business on the
///   N-th working day after it, N = limit + approved extension. Working days from a suspension's start
///   (inclusive) to its end (exclusive) are not counted; overlapping suspensions count once; while one is
///   open the due is [`Due::Suspended`]. A suspension that starts after the due date does not move it
///   (the clock had already run out). If the due date has no business (closure, closed weekday), the due
///   is the close of the next day with business, never earlier.
///
/// Strict: a year the calendar does not hold is an error (see [`compute_due_provisional`]).
/// Source: Seed §二(三)二; 民法典 第二百零一条, 第二百零三条; 行政许可法 第四十二条, 第四十五条, 第八十二条;
/// issue #11 point 4 (business minutes).
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
            match promised_due_date(clock_start.date(), total, suspensions, cal)? {
                None => Ok(Due::Suspended),
                Some(date) => Ok(Due::At(hours.close_of_business_on_or_after(date, cal)?)),
            }
        }
    }
}

/// [`compute_due`] for the service layer: years not held count as weekends-only and the result is
/// flagged provisional (「暂定」) when one was used. Acceptance is never blocked by a missing year.
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

/// The date of the N-th counted working day after `accepted_on`, or `None` while a suspension is open.
fn promised_due_date<C: WorkingDays + ?Sized>(
    accepted_on: NaiveDate,
    n: u32,
    suspensions: &[Suspension],
    cal: &C,
) -> Result<Option<NaiveDate>, DeadlineError> {
    for s in suspensions {
        check_dates(s, accepted_on)?;
    }
    let mut due = cal.add_working_days(accepted_on, n)?;
    let first_counted = accepted_on
        .succ_opt()
        .ok_or(CalendarError::YearOutOfRange(accepted_on.year()))?;
    for (start, end) in merged(suspensions) {
        // The day of clock start is never counted, so a suspension cannot take it out again.
        let start = start.max(first_counted);
        if start > due {
            break;
        }
        let Some(end) = end else {
            return Ok(None);
        };
        if end <= start {
            continue;
        }
        // Working days in [start, end) = working days in (start - 1, end - 1].
        let stopped = cal.working_days_between(day_before(start), day_before(end))?;
        due = cal.add_working_days(due, u32::try_from(stopped).unwrap_or(u32::MAX))?;
    }
    Ok(Some(due))
}

fn day_before(date: NaiveDate) -> NaiveDate {
    date.pred_opt()
        .expect("a date after the clock start has a predecessor")
}
