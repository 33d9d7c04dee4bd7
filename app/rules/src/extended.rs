//! `ExtendedService` (延时服务制, Seed §二(四)): nobody already in the hall is sent home, and the
//! minutes served past the session are recorded.
//!
//! - Noon: business that can be finished on the spot ([`OnTheSpot`]) is finished through the noon
//!   break; the minutes inside the break are recorded.
//! - Close: every ticket issued that day and still waiting, called or being served is served; no
//!   ticket is issued after close (or after an earlier cut-off); the day's queue cannot be closed
//!   while such tickets remain; each ticket served after hours is recorded.
//! - Days off: any service on a public holiday or rest day is extended service with all its
//!   minutes.
//! - Appointments: slot rules (rest days and public holidays allowed, never inside opening hours),
//!   booking window and lateness of the duty staff.
//!
//! All times are the centre's local civil time; `now` is an argument.

mod service;
mod slots;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use service::{
    EXTENDED_SERVICE_LEAD_MINUTES, ExtendedKind, OnTheSpot, TooEarlyToExtend, extended_service_for,
    may_start_extended_service, minutes_past,
};
pub use slots::{SlotDays, SlotRefusal, check_slot_on, check_slot_rule};

use crate::calendar::{CalendarError, WorkingDays};
use crate::hours::BusinessHours;

/// Why a ticket cannot be issued now.
///
/// Source: Seed §二(四)一 (到达下午17:00时…对当天已经叫号且正在等待办理的群众…延时办理完毕: the
/// promise covers tickets already issued; new ones are not taken after close).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum TicketRefusal {
    /// The centre has no business today (holiday, weekend, closure).
    #[error("今日不办公，不能取号")]
    ClosedToday,
    /// Past close of business, or past the centre's earlier cut-off.
    #[error("今日取号已于{cutoff}截止，请在下一个办公日再来，或预约下班后办理")]
    AfterCutoff {
        /// The last moment a ticket could be taken (HH:MM).
        cutoff: String,
    },
    /// The day's queue was closed.
    #[error("今日叫号已结束")]
    DayClosed,
    /// Before the first session of the day (the hall is not open yet).
    #[error("尚未开始办公，{opens}开始取号")]
    BeforeOpening {
        /// The opening time (HH:MM).
        opens: String,
    },
}

impl TicketRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ClosedToday => "closed_today",
            Self::AfterCutoff { .. } => "after_cutoff",
            Self::DayClosed => "day_closed",
            Self::BeforeOpening { .. } => "before_opening",
        }
    }
}

/// Whether a ticket may be issued at `now`: on a day with business, from the first session's start
/// to close of business less `cutoff_minutes`, and while the day's queue is open.
///
/// Source: Seed §二(四)一; issue #6 (no ticket after close or a configurable earlier cut-off);
/// issue #14 point 2 (at 04:56 the hall is closed: no ticket "无需等候").
pub fn can_issue_ticket<C: WorkingDays + ?Sized>(
    now: NaiveDateTime,
    hours: &BusinessHours,
    cal: &C,
    cutoff_minutes: u32,
    day_closed: bool,
) -> Result<Result<(), TicketRefusal>, CalendarError> {
    if day_closed {
        return Ok(Err(TicketRefusal::DayClosed));
    }
    let Some(cutoff) = ticket_cutoff(now.date(), hours, cal, cutoff_minutes)? else {
        return Ok(Err(TicketRefusal::ClosedToday));
    };
    if now >= cutoff {
        return Ok(Err(TicketRefusal::AfterCutoff {
            cutoff: cutoff.format("%H:%M").to_string(),
        }));
    }
    if let Some(first) = hours.sessions_on(now.date(), cal)?.first()
        && now.time() < first.start
    {
        return Ok(Err(TicketRefusal::BeforeOpening {
            opens: first.start.format("%H:%M").to_string(),
        }));
    }
    Ok(Ok(()))
}

/// The moment tickets stop on `date`: close of business less `cutoff_minutes` (`None`: no
/// business that day). A kiosk left on screen turns to "closed" then without being reloaded.
///
/// Source: issue #6 (a configurable cut-off before close).
pub fn ticket_cutoff<C: WorkingDays + ?Sized>(
    date: NaiveDate,
    hours: &BusinessHours,
    cal: &C,
    cutoff_minutes: u32,
) -> Result<Option<NaiveDateTime>, CalendarError> {
    let close = hours.close_of_business(date, cal)?;
    Ok(close.map(|close| close - TimeDelta::minutes(i64::from(cutoff_minutes))))
}

/// Why the day's queue cannot be closed.
///
/// Source: Seed §二(四)一 (必须为其延时办理完毕); issue #6.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("还有{remaining}位群众等待或正在办理，须全部办理完毕后才能结束当日叫号")]
pub struct TicketsRemain {
    /// Tickets still waiting, called or being served.
    pub remaining: usize,
}

/// The day's queue may close only when no ticket is waiting, called or being served.
///
/// Source: Seed §二(四)一; issue #6.
pub fn can_close_day(unfinished_tickets: usize) -> Result<(), TicketsRemain> {
    if unfinished_tickets == 0 {
        Ok(())
    } else {
        Err(TicketsRemain {
            remaining: unfinished_tickets,
        })
    }
}

/// Minutes a new ticket can expect to wait: the tickets ahead shared among the windows that serve
/// the queue, each taking the average service time of today (or a default until there is one).
///
/// Source: issue #6 (a waiting-time estimate per queue from today's service times).
pub fn estimate_wait_minutes(
    ahead: u32,
    windows: u32,
    average_service_minutes: Option<f64>,
) -> u32 {
    const DEFAULT_MINUTES: f64 = 10.0;
    let average = average_service_minutes
        .filter(|m| *m > 0.0)
        .unwrap_or(DEFAULT_MINUTES);
    let windows = f64::from(windows.max(1));
    (f64::from(ahead) * average / windows).ceil() as u32
}

/// Why an appointment cannot be booked in a slot now.
///
/// Source: issue #6 (booking window: e.g. up to 14 days ahead, closes 2 hours before the slot).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BookingRefusal {
    /// The slot has begun or passed.
    #[error("该时段已过，不能预约")]
    SlotPast,
    /// Less than the required notice before the slot.
    #[error("预约须在时段开始前{hours}小时完成")]
    TooLate {
        /// Hours of notice required.
        hours: u32,
    },
    /// Further ahead than the booking window.
    #[error("只能预约{days}天内的时段")]
    TooEarly {
        /// Days ahead allowed.
        days: u32,
    },
}

impl BookingRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SlotPast => "slot_past",
            Self::TooLate { .. } => "booking_closed",
            Self::TooEarly { .. } => "too_far_ahead",
        }
    }
}

/// The booking window: the slot starts at least `notice_hours` after `now` and at most
/// `days_ahead` days after today.
///
/// Source: issue #6; Seed §二(四)四 (预约时…一次性告知预约对象所需携带的全部资料).
pub fn check_booking_window(
    now: NaiveDateTime,
    slot_start: NaiveDateTime,
    notice_hours: u32,
    days_ahead: u32,
) -> Result<(), BookingRefusal> {
    if slot_start <= now {
        return Err(BookingRefusal::SlotPast);
    }
    if slot_start - now < TimeDelta::hours(i64::from(notice_hours)) {
        return Err(BookingRefusal::TooLate {
            hours: notice_hours,
        });
    }
    if (slot_start.date() - now.date()).num_days() > i64::from(days_ahead) {
        return Err(BookingRefusal::TooEarly { days: days_ahead });
    }
    Ok(())
}

/// Whole minutes a duty staff member checked in after the slot began; 0 when on time.
///
/// Source: Seed §二(四)五 (窗口工作人员要按照预约时间准时到岗); issue #6 (lateness recorded).
pub fn lateness_minutes(checked_in: NaiveDateTime, slot_start: NaiveDateTime) -> u32 {
    minutes_past(checked_in, slot_start)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::WorkCalendar;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn hall() -> BusinessHours {
        BusinessHours::district_hall_default()
    }

    #[test]
    fn a_ticket_can_be_taken_during_the_working_day() {
        let cal = WorkCalendar::shipped();
        assert_eq!(
            can_issue_ticket(at(2026, 3, 4, 10, 0), &hall(), &cal, 0, false).unwrap(),
            Ok(())
        );
    }

    #[test]
    fn no_ticket_is_issued_at_or_after_close() {
        let cal = WorkCalendar::shipped();
        let refusal = can_issue_ticket(at(2026, 3, 4, 17, 0), &hall(), &cal, 0, false)
            .unwrap()
            .unwrap_err();
        assert_eq!(refusal.code(), "after_cutoff");
    }

    #[test]
    fn no_ticket_is_issued_before_the_hall_opens() {
        let cal = WorkCalendar::shipped();
        let refusal = can_issue_ticket(at(2026, 3, 4, 4, 56), &hall(), &cal, 0, false)
            .unwrap()
            .unwrap_err();
        assert_eq!(refusal.code(), "before_opening");
        assert!(refusal.to_string().contains("开始取号"), "{refusal}");
    }

    #[test]
    fn an_earlier_cut_off_stops_tickets_before_close() {
        let cal = WorkCalendar::shipped();
        assert!(
            can_issue_ticket(at(2026, 3, 4, 16, 31), &hall(), &cal, 30, false)
                .unwrap()
                .is_err()
        );
        assert!(
            can_issue_ticket(at(2026, 3, 4, 16, 29), &hall(), &cal, 30, false)
                .unwrap()
                .is_ok()
        );
    }

    #[test]
    fn tickets_stop_at_close_of_business_less_the_cut_off_and_not_at_all_on_a_holiday() {
        let cal = WorkCalendar::shipped();
        let day = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let stop = ticket_cutoff(day, &hall(), &cal, 30).unwrap();
        assert_eq!(stop, Some(at(2026, 3, 4, 16, 30)));
        let holiday = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(ticket_cutoff(holiday, &hall(), &cal, 30).unwrap(), None);
    }

    #[test]
    fn no_ticket_on_a_holiday_or_after_the_day_was_closed() {
        let cal = WorkCalendar::shipped();
        let holiday = can_issue_ticket(at(2026, 10, 1, 10, 0), &hall(), &cal, 0, false).unwrap();
        assert_eq!(holiday, Err(TicketRefusal::ClosedToday));
        let closed = can_issue_ticket(at(2026, 3, 4, 10, 0), &hall(), &cal, 0, true).unwrap();
        assert_eq!(closed, Err(TicketRefusal::DayClosed));
    }

    #[test]
    fn the_day_cannot_close_while_anyone_waits() {
        assert_eq!(can_close_day(2), Err(TicketsRemain { remaining: 2 }));
        assert_eq!(can_close_day(0), Ok(()));
    }

    #[test]
    fn the_wait_estimate_shares_the_queue_among_windows() {
        assert_eq!(estimate_wait_minutes(6, 2, Some(8.0)), 24);
        assert_eq!(estimate_wait_minutes(3, 0, None), 30);
        assert_eq!(estimate_wait_minutes(0, 2, Some(8.0)), 0);
    }

    #[test]
    fn bookings_close_two_hours_before_the_slot_and_open_fourteen_days_ahead() {
        let now = at(2026, 3, 4, 10, 0);
        assert_eq!(
            check_booking_window(now, at(2026, 3, 4, 9, 0), 2, 14),
            Err(BookingRefusal::SlotPast)
        );
        assert_eq!(
            check_booking_window(now, at(2026, 3, 4, 11, 30), 2, 14),
            Err(BookingRefusal::TooLate { hours: 2 })
        );
        assert_eq!(
            check_booking_window(now, at(2026, 3, 4, 17, 0), 2, 14),
            Ok(())
        );
        assert_eq!(
            check_booking_window(now, at(2026, 3, 18, 17, 0), 2, 14),
            Ok(())
        );
        assert_eq!(
            check_booking_window(now, at(2026, 3, 19, 17, 0), 2, 14),
            Err(BookingRefusal::TooEarly { days: 14 })
        );
    }

    #[test]
    fn lateness_is_counted_from_the_slot_start() {
        assert_eq!(
            lateness_minutes(at(2026, 3, 4, 17, 12), at(2026, 3, 4, 17, 0)),
            12
        );
        assert_eq!(
            lateness_minutes(at(2026, 3, 4, 16, 55), at(2026, 3, 4, 17, 0)),
            0
        );
    }
}
