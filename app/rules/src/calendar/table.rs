//! The precomputed working-day index of one year: a flag per day, prefix counts and the ordinals of
//! the working days, so that every calendar query is a lookup (no day-by-day loops).

use chrono::{Datelike, NaiveDate};

use super::arrangement::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, YearArrangement, is_weekend};
use super::error::CalendarError;
use super::statutory::days_off_by_law;

/// One year's working days, precomputed.
///
/// Working day: Monday–Friday, minus public holidays, plus make-up working days (调休).
/// Source: 国务院 yearly holiday notice; Seed §二(三)二; 行政许可法 第八十二条.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearTable {
    year: i32,
    /// `working[i]`: the day with 0-based ordinal `i` is a working day.
    working: Vec<bool>,
    /// `prefix[i]`: working days among ordinals `0..i` (length = days + 1).
    prefix: Vec<u16>,
    /// 0-based ordinals of the working days, ascending.
    ordinals: Vec<u16>,
}

impl YearTable {
    /// The table of a held year. The arrangement must have passed validation.
    pub(crate) fn from_arrangement(a: &YearArrangement) -> Result<Self, CalendarError> {
        let mut working = weekday_flags(a.year)?;
        for h in &a.holidays {
            working[h.date.ordinal0() as usize] = false;
        }
        for m in &a.makeup_workdays {
            working[m.date.ordinal0() as usize] = true;
        }
        Ok(Self::from_flags(a.year, working))
    }

    /// The guess for a year whose arrangement is not published: Monday–Friday worked, except the
    /// days the law alone makes holidays (元旦, 劳动节, 国庆节 and their 补假; see
    /// [`days_off_by_law`]). Only for explicitly provisional computations (issue #4 unknown-year
    /// policy).
    pub(crate) fn unpublished(year: i32) -> Result<Self, CalendarError> {
        let mut working = weekday_flags(year)?;
        for day in days_off_by_law(year) {
            working[day.ordinal0() as usize] = false;
        }
        Ok(Self::from_flags(year, working))
    }

    /// Monday–Friday worked, no holidays (the base every table starts from).
    #[cfg(test)]
    fn weekdays_only(year: i32) -> Result<Self, CalendarError> {
        Ok(Self::from_flags(year, weekday_flags(year)?))
    }

    fn from_flags(year: i32, working: Vec<bool>) -> Self {
        let mut prefix = Vec::with_capacity(working.len() + 1);
        let mut ordinals = Vec::with_capacity(working.len());
        let mut count: u16 = 0;
        prefix.push(0);
        for (ordinal, &w) in (0u16..).zip(working.iter()) {
            if w {
                count += 1;
                ordinals.push(ordinal);
            }
            prefix.push(count);
        }
        Self {
            year,
            working,
            prefix,
            ordinals,
        }
    }

    /// The year. Source: 国务院 yearly holiday notice.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Number of working days in the year. Source: Seed §二(三)二.
    pub fn working_days(&self) -> u32 {
        u32::from(self.prefix[self.working.len()])
    }

    /// Whether the day with 0-based ordinal `ordinal0` is a working day. Source: Seed §二(三)二.
    pub fn is_working(&self, ordinal0: u32) -> bool {
        self.working[ordinal0 as usize]
    }

    /// Working days among the days with ordinal ≤ `ordinal0` (the day itself included).
    /// Source: Seed §二(三)二 (counting working days).
    pub fn working_through(&self, ordinal0: u32) -> u32 {
        u32::from(self.prefix[ordinal0 as usize + 1])
    }

    /// The 0-based ordinal of the `k`-th working day of the year (1-based `k`,
    /// `1..=working_days()`). Source: Seed §二(三)二 (counting working days).
    pub fn nth_working(&self, k: u32) -> u32 {
        u32::from(self.ordinals[k as usize - 1])
    }

    /// The date with 0-based ordinal `ordinal0` in this year.
    pub(crate) fn date(&self, ordinal0: u32) -> NaiveDate {
        NaiveDate::from_yo_opt(self.year, ordinal0 + 1).expect("ordinal within the table's year")
    }
}

fn weekday_flags(year: i32) -> Result<Vec<bool>, CalendarError> {
    if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange(year));
    }
    let first = NaiveDate::from_yo_opt(year, 1).ok_or(CalendarError::YearOutOfRange(year))?;
    Ok(first
        .iter_days()
        .take_while(|d| d.year() == year)
        .map(|d| !is_weekend(d))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weekdays_only_year_has_a_flag_per_day_and_consistent_counts() {
        let t = YearTable::weekdays_only(2024).unwrap();
        assert_eq!(t.working.len(), 366);
        // 2024: 262 weekdays.
        assert_eq!(t.working_days(), 262);
        assert_eq!(t.working_through(365), 262);
        // 2024-01-01 is a Monday, 2024-01-06 a Saturday.
        assert!(t.is_working(0));
        assert!(!t.is_working(5));
        assert_eq!(t.nth_working(6), 7); // the 6th weekday is Monday 2024-01-08
        assert_eq!(t.date(7), NaiveDate::from_ymd_opt(2024, 1, 8).unwrap());
    }

    #[test]
    fn a_year_outside_the_supported_range_has_no_table() {
        assert_eq!(
            YearTable::unpublished(2200),
            Err(CalendarError::YearOutOfRange(2200))
        );
    }
}
