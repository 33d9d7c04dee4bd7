//! `WorkCalendar`: the official working-day calendar (Seed §二(三)二: 承诺件以工作日计算).
//!
//! A working day is Monday–Friday, minus public holidays, plus make-up working days (调休) on
//! weekends, per the State Council's yearly notice. The calendar holds a set of published years;
//! any date in a year it does not hold is [`CalendarError::CalendarYearUnknown`], never a silent
//! guess. The service layer may opt into [`ProvisionalCalendar`] (for unknown years, weekends and
//! the holidays whose dates the law fixes are off; flagged 「暂定」).

mod arrangement;
mod csv;
mod day_kind;
mod error;
mod provisional;
mod statutory;
mod table;
mod working_days;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use arrangement::{
    CalendarIssue, FIRST_SUPPORTED_YEAR, Holiday, LAST_SUPPORTED_YEAR, MakeupWorkday,
    YearArrangement, is_weekend, validate_announced_year, validate_year,
};
pub use csv::{CalendarCsvError, CsvProblem, parse_csv, shipped_years, to_csv};
pub use day_kind::DayKind;
pub use error::CalendarError;
pub use provisional::{DueDate, ProvisionalCalendar};
pub use table::YearTable;
pub use working_days::WorkingDays;

/// The official work calendar: the published years, each validated and precomputed.
///
/// Immutable; build a new one to add or replace a year ([`with_year`](Self::with_year)).
/// Serialises as the list of its [`YearArrangement`]s (and validates when deserialised).
/// Source: 国务院 yearly holiday notices; Seed §二(三)二; 行政许可法 第八十二条.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "Vec<YearArrangement>", into = "Vec<YearArrangement>")]
pub struct WorkCalendar {
    /// Held years, ascending.
    arrangements: Vec<YearArrangement>,
    /// Year of `tables[0]`.
    first_year: i32,
    /// Dense by year from `first_year`; `None` for a gap between held years.
    tables: Vec<Option<YearTable>>,
}

impl WorkCalendar {
    /// Builds a calendar from published years, validating each ([`validate_year`]) and rejecting a
    /// year given twice. Source: 国务院 yearly holiday notices; issue #4 validation.
    pub fn new(years: impl IntoIterator<Item = YearArrangement>) -> Result<Self, CalendarError> {
        let mut arrangements: Vec<YearArrangement> = years.into_iter().collect();
        arrangements.sort_by_key(|a| a.year);
        let mut seen = BTreeSet::new();
        for a in &arrangements {
            if !seen.insert(a.year) {
                return Err(CalendarError::DuplicateYear(a.year));
            }
            validate_year(a).map_err(|issues| CalendarError::InvalidYear {
                year: a.year,
                issues,
            })?;
        }
        let first_year = arrangements.first().map_or(0, |a| a.year);
        let span = arrangements
            .last()
            .map_or(0, |a| (a.year - first_year + 1) as usize);
        let mut tables: Vec<Option<YearTable>> = vec![None; span];
        for a in &arrangements {
            tables[(a.year - first_year) as usize] = Some(YearTable::from_arrangement(a)?);
        }
        Ok(Self {
            arrangements,
            first_year,
            tables,
        })
    }

    /// The calendar shipped with the product: the official years 2022–2026 (embedded, no IO).
    /// Source: 国务院办公厅 yearly notices on holiday arrangements 2022–2026.
    pub fn shipped() -> Self {
        Self::new(shipped_years()).expect("the shipped calendar is valid (see tests)")
    }

    /// A new calendar with `year` added, or replacing the held arrangement of the same year.
    /// Source: issue #4 (an administrator adds or replaces a year).
    pub fn with_year(&self, year: YearArrangement) -> Result<Self, CalendarError> {
        let replaced = year.year;
        let others = self
            .arrangements
            .iter()
            .filter(|a| a.year != replaced)
            .cloned();
        Self::new(others.chain(std::iter::once(year)))
    }

    /// The first date up to `until` (inclusive) of `year`'s held arrangement that `replacement`
    /// would make a different kind of day, if any: days gone by (and today) were counted by the
    /// arrangement in force, and rewriting them moved due dates and on-time results silently.
    /// A year not held yet changes nothing that was counted by it. Source: issue #4; product
    /// rule (a calendar edit never rewrites history).
    pub fn first_past_day_rewritten(
        &self,
        replacement: &YearArrangement,
        until: NaiveDate,
    ) -> Result<Option<NaiveDate>, CalendarError> {
        if !self.holds_year(replacement.year) {
            return Ok(None);
        }
        let proposed = self.with_year(replacement.clone())?;
        let Some(first) = NaiveDate::from_ymd_opt(replacement.year, 1, 1) else {
            return Ok(None);
        };
        for date in first
            .iter_days()
            .take_while(|d| *d <= until && d.year() == first.year())
        {
            if self.day_kind(date)? != proposed.day_kind(date)? {
                return Ok(Some(date));
            }
        }
        Ok(None)
    }

    /// The years held, ascending. Source: issue #4 (`GET /api/v1/calendar/years`).
    pub fn years(&self) -> Vec<i32> {
        self.arrangements.iter().map(|a| a.year).collect()
    }

    /// Whether the official arrangement of `year` is held. Source: issue #4.
    pub fn holds_year(&self, year: i32) -> bool {
        self.table(year).is_some()
    }

    /// The arrangement of `year`, if held (`GET /api/v1/calendar/{year}`). Source: 国务院 yearly
    /// notice.
    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.arrangements.iter().find(|a| a.year == year)
    }

    /// Every held arrangement, ascending by year. Source: 国务院 yearly notices.
    pub fn arrangements(&self) -> &[YearArrangement] {
        &self.arrangements
    }

    /// Whether `date` is a working day; a year not held is an error.
    /// Source: Seed §二(三)二; 国务院 yearly holiday notice.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        WorkingDays::is_working_day(self, date)
    }

    /// The `n`-th working day after `start` (`start` not counted; `n = 0` returns `start`).
    /// Source: 民法典 第二百零一条; Seed §二(三)二; 行政许可法 第八十二条.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        WorkingDays::add_working_days(self, start, n)
    }

    /// Working days in `(from, to]` (negative when `to < from`); the inverse of
    /// [`add_working_days`](Self::add_working_days). Source: 民法典 第二百零一条; Seed §二(三)二.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, CalendarError> {
        WorkingDays::working_days_between(self, from, to)
    }

    /// The first working day after `date`. Source: Seed §二(三)二.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        WorkingDays::next_working_day(self, date)
    }

    /// Like [`add_working_days`](Self::add_working_days), but a year not held is guessed
    /// ([`ProvisionalCalendar`]) and the result says so (`provisional`). For the service layer
    /// only; never for a final notice date. Source: issue #4 unknown-year policy (「暂定」).
    pub fn add_working_days_provisional(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<DueDate, CalendarError> {
        let view = self.provisional();
        let date = view.add_working_days(start, n)?;
        Ok(DueDate {
            date,
            provisional: view.was_provisional(),
        })
    }

    /// The provisional view of this calendar (years not held guessed from the law, flagged).
    /// Source: issue #4 unknown-year policy.
    pub fn provisional(&self) -> ProvisionalCalendar<'_> {
        ProvisionalCalendar::new(self)
    }

    pub(crate) fn table(&self, year: i32) -> Option<&YearTable> {
        let index = usize::try_from(year.checked_sub(self.first_year)?).ok()?;
        self.tables.get(index)?.as_ref()
    }
}

impl WorkingDays for WorkCalendar {
    fn year_table(&self, year: i32) -> Result<Cow<'_, YearTable>, CalendarError> {
        self.table(year)
            .map(Cow::Borrowed)
            .ok_or(CalendarError::CalendarYearUnknown(year))
    }
}

impl PartialEq for WorkCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.arrangements == other.arrangements
    }
}

impl TryFrom<Vec<YearArrangement>> for WorkCalendar {
    type Error = CalendarError;

    fn try_from(years: Vec<YearArrangement>) -> Result<Self, Self::Error> {
        Self::new(years)
    }
}

impl From<WorkCalendar> for Vec<YearArrangement> {
    fn from(calendar: WorkCalendar) -> Self {
        calendar.arrangements
    }
}
