//! Business time: minutes that count only while the centre is open (即办件, issue #11 point 4).

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::{BusinessHours, HoursError, OPENING_SEARCH_DAYS};
use crate::calendar::{CalendarError, WorkingDays};

impl BusinessHours {
    /// The earliest moment at which `minutes` business minutes have passed since `start`: only time
    /// inside the day's sessions counts, never the noon break, the night, a day off or a closure. A
    /// start outside the sessions waits for the next opening; `0` minutes is `start` itself; a
    /// count that ends exactly at the end of a session ends there (12:00, not 13:00).
    ///
    /// Fails on a year the calendar does not hold, or when [`OPENING_SEARCH_DAYS`] days in a row
    /// have no session.
    /// Source: Seed §二(三)二 (即办件实行以分钟或小时计算), §二(四)一 (sessions; 12:00 / 17:00);
    /// issue #11 point 4 (business minutes, not across the noon break or overnight).
    pub fn add_business_minutes<C: WorkingDays + ?Sized>(
        &self,
        start: NaiveDateTime,
        minutes: u32,
        cal: &C,
    ) -> Result<NaiveDateTime, HoursError> {
        let mut remaining = TimeDelta::minutes(i64::from(minutes));
        if remaining.is_zero() {
            return Ok(start);
        }
        let mut date = start.date();
        let mut days_without_session = 0;
        loop {
            let mut had_session = false;
            for s in self.sessions_on(date, cal)? {
                had_session = true;
                let from = start.max(date.and_time(s.start));
                let until = date.and_time(s.end);
                if until <= from {
                    continue;
                }
                if remaining <= until - from {
                    return Ok(from + remaining);
                }
                remaining -= until - from;
            }
            days_without_session = if had_session {
                0
            } else {
                days_without_session + 1
            };
            if days_without_session > OPENING_SEARCH_DAYS {
                return Err(HoursError::NoOpeningWithin {
                    from: date,
                    days: OPENING_SEARCH_DAYS,
                });
            }
            date = next_day(date)?;
        }
    }

    /// The business time in `[from, to)`: the parts inside the sessions of each day (zero when
    /// `to ≤ from`). Source: Seed §二(三)二, §二(四)一; issue #11 point 4.
    pub fn business_time_between<C: WorkingDays + ?Sized>(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        cal: &C,
    ) -> Result<TimeDelta, CalendarError> {
        let mut total = TimeDelta::zero();
        let mut date = from.date();
        while date <= to.date() {
            for s in self.sessions_on(date, cal)? {
                let a = from.max(date.and_time(s.start));
                let b = to.min(date.and_time(s.end));
                if b > a {
                    total += b - a;
                }
            }
            date = next_day(date)?;
        }
        Ok(total)
    }

    /// Whole business minutes in `[from, to)` (see [`business_time_between`]; a started minute is
    /// not counted). Source: Seed §二(三)二 (即办件以分钟计算); issue #11 point 4.
    ///
    /// [`business_time_between`]: Self::business_time_between
    pub fn business_minutes_between<C: WorkingDays + ?Sized>(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        cal: &C,
    ) -> Result<u64, CalendarError> {
        let time = self.business_time_between(from, to, cal)?;
        Ok(u64::try_from(time.num_minutes()).unwrap_or(0))
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(1))
        .ok_or(CalendarError::YearOutOfRange(date.year()))
}
