//! The explicitly provisional view of the calendar for the service layer: a year not yet published
//! is guessed (weekends and the holidays whose dates the law fixes are off) and every answer that
//! used one is flagged provisional (「暂定」).

use std::borrow::Cow;
use std::cell::Cell;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::WorkCalendar;
use super::day_kind::DayKind;
use super::error::CalendarError;
use super::statutory::days_off_by_law;
use super::table::YearTable;
use super::working_days::WorkingDays;

/// A date computed from the calendar, with whether a year not held (a guess) was consulted.
///
/// Source: issue #4 unknown-year policy ("acceptance must never be blocked by a missing calendar
/// year"; shown as 「暂定」 until the year is published, then recomputed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The computed date.
    pub date: NaiveDate,
    /// True when a year the calendar does not hold was guessed.
    pub provisional: bool,
}

/// A view of a [`WorkCalendar`] that treats years it does not hold as Monday–Friday working weeks
/// less the holidays whose dates the law fixes (元旦, 劳动节, 国庆节 and their 补假), and
/// remembers that it did (see [`was_provisional`](Self::was_provisional)).
///
/// Every query through the same view accumulates the flag; make a new view per computation.
/// Conservative: consulting a year not held at all (even only to locate the start) sets the flag.
/// Source: issue #4 unknown-year policy; Seed §二(三)二.
#[derive(Debug)]
pub struct ProvisionalCalendar<'a> {
    calendar: &'a WorkCalendar,
    used_unknown_year: Cell<bool>,
}

impl<'a> ProvisionalCalendar<'a> {
    /// A fresh view (flag cleared). Source: issue #4 unknown-year policy.
    pub fn new(calendar: &'a WorkCalendar) -> Self {
        Self {
            calendar,
            used_unknown_year: Cell::new(false),
        }
    }

    /// Whether any query so far consulted a year the calendar does not hold.
    /// Source: issue #4 unknown-year policy.
    pub fn was_provisional(&self) -> bool {
        self.used_unknown_year.get()
    }

    /// The kind of `date`: from the calendar for a held year; for a year not held, a holiday when
    /// the law alone makes it one (元旦, 劳动节, 国庆节 and their 补假), a rest day on a weekend,
    /// else a working day. Source: issue #4 unknown-year policy; 全国年节及纪念日放假办法.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        if self.calendar.holds_year(date.year()) {
            return self.calendar.day_kind(date);
        }
        self.used_unknown_year.set(true);
        Ok(if days_off_by_law(date.year()).contains(&date) {
            DayKind::PublicHoliday
        } else if self.is_working_day(date)? {
            DayKind::WorkingDay
        } else {
            DayKind::RestDay
        })
    }
}

impl WorkingDays for ProvisionalCalendar<'_> {
    fn year_table(&self, year: i32) -> Result<Cow<'_, YearTable>, CalendarError> {
        match self.calendar.table(year) {
            Some(table) => Ok(Cow::Borrowed(table)),
            None => {
                self.used_unknown_year.set(true);
                Ok(Cow::Owned(YearTable::unpublished(year)?))
            }
        }
    }
}
