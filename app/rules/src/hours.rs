//! `BusinessHours`: when a service centre is open (Seed §二(四)一: morning ends 12:00, close 17:00
//! at the district hall; towns and streets by their own hours).
//!
//! Non-working days of the [`WorkCalendar`](crate::calendar::WorkCalendar) are closed; make-up
//! working days (调休) follow the working-day schedule; a one-off [`Closure`] closes its date.
//! Times are the centre's local civil time.

mod business_time;
mod schedule;
mod season;
pub mod time_of_day;
mod validate;

#[cfg(test)]
mod tests;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::{CalendarError, WorkingDays};

pub use schedule::{DaySchedule, Session, WeekSchedule, WeekdayOverride};
pub use season::{Closure, MonthDay, Season};
pub use validate::{HoursIssue, weekday_zh};

/// How far [`BusinessHours::next_opening`] and the due-moment shift look ahead, in calendar days.
/// Source: product rule (a bounded search; the longest official run is 9 days, Seed §二(三)二).
pub const OPENING_SEARCH_DAYS: u32 = 60;

/// Why an opening could not be found.
///
/// Source: Seed §二(四)一 (business hours); issue #4 (next opening after t).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum HoursError {
    /// A date in a year the calendar does not hold.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// No session within the search window.
    #[error("自{from}起{days}天内没有办公时间")]
    NoOpeningWithin {
        /// Where the search started.
        from: NaiveDate,
        /// The window searched.
        days: u32,
    },
}

impl HoursError {
    /// Stable snake_case code. Source: product rule (errors carry a code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.code(),
            Self::NoOpeningWithin { .. } => "no_opening_within",
        }
    }
}

/// A service centre's business hours: the regular week, recurring seasons and one-off closures.
///
/// Source: Seed §二(四)一 (12:00 / 17:00 at the district hall; 各镇、街道及村居根据各自工作时间);
/// 民法典 第二百零三条 (where there are business hours, a period ends when business stops).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// The schedule outside any season.
    pub regular: WeekSchedule,
    /// Recurring seasons (not overlapping).
    #[serde(default)]
    pub seasons: Vec<Season>,
    /// One-off closed dates.
    #[serde(default)]
    pub closures: Vec<Closure>,
}

impl BusinessHours {
    /// The district hall: 9:00–12:00 and 13:00–17:00 on every working day. Source: Seed §二(四)一.
    pub fn district_hall_default() -> Self {
        Self {
            regular: WeekSchedule::uniform(DaySchedule::district_hall()),
            seasons: Vec::new(),
            closures: Vec::new(),
        }
    }

    /// Checks sessions (start < end, ordered, not overlapping; a working day has one at least),
    /// overrides (Monday–Friday, once each), seasons (valid, named, not overlapping) and closures
    /// (reason, once), listing every problem. Source: Seed §二(四)一; issue #4.
    pub fn validate(&self) -> Result<(), Vec<HoursIssue>> {
        validate::validate(self)
    }

    /// The schedule that applies to `date` if it is a working day (season, then weekday override),
    /// ignoring the calendar and closures. Source: Seed §二(四)一; issue #4.
    pub fn schedule_for(&self, date: NaiveDate) -> &DaySchedule {
        self.seasons
            .iter()
            .find(|s| s.contains(date))
            .map_or(&self.regular, |s| &s.schedule)
            .for_weekday(date.weekday())
    }

    /// The closure on `date`, if any. Source: issue #4 (one-off closures).
    pub fn closure_on(&self, date: NaiveDate) -> Option<&Closure> {
        self.closures.iter().find(|c| c.date == date)
    }

    /// The sessions on `date`: none on a non-working day or a closure, else the applicable
    /// schedule. Source: Seed §二(四)一; 国务院 yearly holiday notice.
    pub fn sessions_on<C: WorkingDays + ?Sized>(
        &self,
        date: NaiveDate,
        cal: &C,
    ) -> Result<&[Session], CalendarError> {
        if !cal.is_working_day(date)? || self.closure_on(date).is_some() {
            return Ok(&[]);
        }
        Ok(&self.schedule_for(date).sessions)
    }

    /// Whether the centre is open at local time `t`. Source: Seed §二(四)一.
    pub fn is_open<C: WorkingDays + ?Sized>(
        &self,
        t: NaiveDateTime,
        cal: &C,
    ) -> Result<bool, CalendarError> {
        Ok(self
            .sessions_on(t.date(), cal)?
            .iter()
            .any(|s| s.contains(t.time())))
    }

    /// When business stops on `date` (end of the last session); `None` when closed that day.
    /// Source: 民法典 第二百零三条; Seed §二(四)一 (17:00 at the district hall).
    pub fn close_of_business<C: WorkingDays + ?Sized>(
        &self,
        date: NaiveDate,
        cal: &C,
    ) -> Result<Option<NaiveDateTime>, CalendarError> {
        Ok(self
            .sessions_on(date, cal)?
            .last()
            .map(|s| date.and_time(s.end)))
    }

    /// The end of the morning session on `date` (12:00 at the district hall): the end of the first
    /// session when the day has two or more; `None` when closed or open in one stretch.
    /// Source: Seed §二(四)一 (当到达中午12:00时…).
    pub fn morning_end<C: WorkingDays + ?Sized>(
        &self,
        date: NaiveDate,
        cal: &C,
    ) -> Result<Option<NaiveDateTime>, CalendarError> {
        let sessions = self.sessions_on(date, cal)?;
        Ok((sessions.len() >= 2).then(|| date.and_time(sessions[0].end)))
    }

    /// The first session start at or after `t`, looking at most [`OPENING_SEARCH_DAYS`] days ahead.
    /// Source: Seed §二(四)一; issue #4 (next opening after t).
    pub fn next_opening<C: WorkingDays + ?Sized>(
        &self,
        t: NaiveDateTime,
        cal: &C,
    ) -> Result<NaiveDateTime, HoursError> {
        for date in search_window(t.date()) {
            for s in self.sessions_on(date, cal)? {
                let at = date.and_time(s.start);
                if at >= t {
                    return Ok(at);
                }
            }
        }
        Err(HoursError::NoOpeningWithin {
            from: t.date(),
            days: OPENING_SEARCH_DAYS,
        })
    }

    /// Close of business on `date`, or if there is no business that day (non-working day, closure,
    /// closed weekday), on the next date with business — never earlier. Source: 民法典 第二百零三条
    /// (a period ending on a day off ends on the next day; business hours end it).
    pub fn close_of_business_on_or_after<C: WorkingDays + ?Sized>(
        &self,
        date: NaiveDate,
        cal: &C,
    ) -> Result<NaiveDateTime, HoursError> {
        for day in search_window(date) {
            if let Some(close) = self.close_of_business(day, cal)? {
                return Ok(close);
            }
        }
        Err(HoursError::NoOpeningWithin {
            from: date,
            days: OPENING_SEARCH_DAYS,
        })
    }
}

fn search_window(from: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    (0..=u64::from(OPENING_SEARCH_DAYS)).map_while(move |i| from.checked_add_days(Days::new(i)))
}
