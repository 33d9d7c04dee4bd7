//! Counting working days: the queries every deadline is built on.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::error::CalendarError;
use super::table::YearTable;

/// A source of working days: the strict [`WorkCalendar`](super::WorkCalendar) (unknown year →
/// error) or the explicitly provisional [`ProvisionalCalendar`](super::ProvisionalCalendar)
/// (unknown year → guessed from the law).
///
/// All queries are lookups in per-year tables; none walks day by day. Source: Seed §二(三)二
/// (承诺件以工作日计算); 行政许可法 第八十二条 (期限以工作日计算，不含法定节假日).
pub trait WorkingDays {
    /// The working-day table of `year`, or why there is none.
    /// Source: 国务院 yearly holiday notice.
    fn year_table(&self, year: i32) -> Result<Cow<'_, YearTable>, CalendarError>;

    /// Whether `date` is a working day (Mon–Fri not a holiday, or a make-up day).
    /// Source: Seed §二(三)二; 国务院 yearly holiday notice.
    fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.year_table(date.year())?.is_working(date.ordinal0()))
    }

    /// The `n`-th working day after `start`; `start` itself is never counted and `n = 0` returns
    /// `start`. The year of `start` must be held (even for `n = 0`).
    ///
    /// Source: 民法典 第二百零一条 (the starting day is not counted), Seed §二(三)二, 行政许可法
    /// 第八十二条.
    fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut year = start.year();
        let mut table = self.year_table(year)?;
        if n == 0 {
            return Ok(start);
        }
        // Working days up to and including the current position in `table`'s year.
        let mut before = table.working_through(start.ordinal0());
        let mut remaining = n;
        loop {
            let after = table.working_days() - before;
            if remaining <= after {
                let ordinal0 = table.nth_working(before + remaining);
                return Ok(table.date(ordinal0));
            }
            remaining -= after;
            year = year
                .checked_add(1)
                .ok_or(CalendarError::YearOutOfRange(year))?;
            table = self.year_table(year)?;
            before = 0;
        }
    }

    /// Working days in `(from, to]` when `to ≥ from`; the negated count of `(to, from]` when `to <
    /// from`.
    ///
    /// It is the inverse of [`add_working_days`](Self::add_working_days): `working_days_between(d,
    /// add_working_days(d, n)?) == n`. Both years and every year between must be held; the error
    /// names the earliest missing year. Source: 民法典 第二百零一条, Seed §二(三)二.
    fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        if to < from {
            return self.working_days_between(to, from).map(|k| -k);
        }
        let first = self.year_table(from.year())?;
        let before = first.working_through(from.ordinal0());
        if from.year() == to.year() {
            return Ok(i64::from(first.working_through(to.ordinal0()) - before));
        }
        let mut count = i64::from(first.working_days() - before);
        for year in from.year() + 1..to.year() {
            count += i64::from(self.year_table(year)?.working_days());
        }
        count += i64::from(self.year_table(to.year())?.working_through(to.ordinal0()));
        Ok(count)
    }

    /// The first working day after `date` (`date` not counted). Source: 民法典 第二百零一条, Seed
    /// §二(三)二.
    fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// `date` itself if it is a working day, else the next one. Source: Seed §二(三)二.
    fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.next_working_day(date)
        }
    }
}
