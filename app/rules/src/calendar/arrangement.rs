//! One year's published holiday arrangement and its validation.
//!
//! Source: the State Council's yearly notice on holiday arrangements
//! (国务院办公厅关于某年部分节假日安排的通知); working days matter because promised items are
//! counted in working days (Seed §二(三)二, 行政许可法 第八十二条).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The first year a calendar may hold. Bounds keep every table small and every search finite.
/// Source: product rule (the calendar holds the published years; Seed §二(三)二).
pub const FIRST_SUPPORTED_YEAR: i32 = 1900;

/// The last year a calendar may hold (see [`FIRST_SUPPORTED_YEAR`]).
/// Source: product rule (bounded tables and searches; Seed §二(三)二).
pub const LAST_SUPPORTED_YEAR: i32 = 2199;

/// A public holiday (法定节假日) of the official arrangement.
///
/// Source: 国务院 yearly holiday notice; holidays are not working days (行政许可法 第八十二条).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The day off.
    #[serde(deserialize_with = "crate::wire_date::deserialize")]
    pub date: NaiveDate,
    /// The festival, e.g. 春节.
    pub name: String,
    /// A Saturday or Sunday that belongs to an official holiday run (e.g. 2022-12-31, part of
    /// 2023's 元旦). Only meaningful on weekends; a weekend holiday without it is rejected by
    /// [`validate_year`].
    #[serde(default)]
    pub part_of_run: bool,
}

/// A make-up working day (调休上班): a Saturday or Sunday that is worked.
///
/// Source: 国务院 yearly holiday notice; make-up days count as working days (Seed §二(三)二).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakeupWorkday {
    /// The weekend day that is worked.
    #[serde(deserialize_with = "crate::wire_date::deserialize")]
    pub date: NaiveDate,
    /// What it makes up for, e.g. 春节调休上班.
    pub name: String,
}

/// The holidays and make-up working days of one calendar year, as published by the State Council.
///
/// Source: 国务院 yearly holiday notice; Seed §二(三)二 (承诺件以工作日计算).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearArrangement {
    /// The calendar year.
    pub year: i32,
    /// Public holidays falling in this year (a run may start in the previous year's last days).
    pub holidays: Vec<Holiday>,
    /// Weekend days that are worked.
    pub makeup_workdays: Vec<MakeupWorkday>,
}

impl YearArrangement {
    /// An arrangement with no holidays and no make-up days (a plain Monday–Friday year).
    /// Source: 国务院 yearly holiday notice (the administrator fills it in).
    pub fn empty(year: i32) -> Self {
        Self {
            year,
            holidays: Vec::new(),
            makeup_workdays: Vec::new(),
        }
    }

    /// The holiday on `date`, if any. Source: 国务院 yearly holiday notice.
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.date == date)
    }

    /// The make-up working day on `date`, if any. Source: 国务院 yearly holiday notice.
    pub fn makeup_on(&self, date: NaiveDate) -> Option<&MakeupWorkday> {
        self.makeup_workdays.iter().find(|m| m.date == date)
    }
}

/// Saturday or Sunday. Source: 国务院关于职工工作时间的规定 第七条 (weekly rest days).
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One problem found in a [`YearArrangement`], naming the offending date.
///
/// Source: product rule for the calendar administrator (issue #4 "validation"), based on the form
/// of the 国务院 yearly holiday notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CalendarIssue {
    /// The year is outside [`FIRST_SUPPORTED_YEAR`]..=[`LAST_SUPPORTED_YEAR`].
    #[error("年份{year}超出支持范围（{FIRST_SUPPORTED_YEAR}—{LAST_SUPPORTED_YEAR}年）")]
    YearOutOfRange {
        /// The year given.
        year: i32,
    },
    /// A date that does not belong to the arrangement's year.
    #[error("{date}不在{year}年内")]
    DateOutsideYear {
        /// The offending date.
        date: NaiveDate,
        /// The arrangement's year.
        year: i32,
    },
    /// A date listed both as a holiday and as a make-up working day.
    #[error("{date}不能既是节假日又是调休上班日")]
    BothHolidayAndMakeupDay {
        /// The offending date.
        date: NaiveDate,
    },
    /// A date listed twice in the same list.
    #[error("{date}重复出现")]
    DuplicateDate {
        /// The offending date.
        date: NaiveDate,
    },
    /// A make-up working day on Monday–Friday (those are working days anyway).
    #[error("调休上班日{date}必须是周六或周日")]
    MakeupDayNotWeekend {
        /// The offending date.
        date: NaiveDate,
    },
    /// A holiday on a weekend that is not marked as part of a holiday run.
    #[error("节假日{date}是周末，须标明属于连续放假安排")]
    WeekendHolidayNotInRun {
        /// The offending date.
        date: NaiveDate,
    },
    /// A holiday or make-up day without a name.
    #[error("{date}缺少名称")]
    EmptyName {
        /// The offending date.
        date: NaiveDate,
    },
    /// An announced year without a single holiday (see [`validate_announced_year`]).
    #[error("{year}年的放假安排没有节假日，请按国务院办公厅的通知填写")]
    NoHolidays {
        /// The year given.
        year: i32,
    },
}

impl CalendarIssue {
    /// Stable snake_case code for storage and API errors. Source: product rule (errors carry a
    /// code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::YearOutOfRange { .. } => "year_out_of_range",
            Self::DateOutsideYear { .. } => "date_outside_year",
            Self::BothHolidayAndMakeupDay { .. } => "both_holiday_and_makeup_day",
            Self::DuplicateDate { .. } => "duplicate_date",
            Self::MakeupDayNotWeekend { .. } => "makeup_day_not_weekend",
            Self::WeekendHolidayNotInRun { .. } => "weekend_holiday_not_in_run",
            Self::EmptyName { .. } => "empty_name",
            Self::NoHolidays { .. } => "no_holidays",
        }
    }

    /// The offending date, when the issue is about one date. Source: product rule.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::YearOutOfRange { .. } | Self::NoHolidays { .. } => None,
            Self::DateOutsideYear { date, .. }
            | Self::BothHolidayAndMakeupDay { date }
            | Self::DuplicateDate { date }
            | Self::MakeupDayNotWeekend { date }
            | Self::WeekendHolidayNotInRun { date }
            | Self::EmptyName { date } => Some(*date),
        }
    }

    /// The message for the administrator, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }
}

/// [`validate_year`] for a year an administrator announces: it also has at least one holiday.
/// Every official year has its statutory holidays; an empty list is a mistake, and would turn a
/// year in use into weekdays only. (A calendar built for tests may hold empty years.)
///
/// Source: 《全国年节及纪念日放假办法》 (every year has its 全体公民放假的节日); product rule.
pub fn validate_announced_year(a: &YearArrangement) -> Result<(), Vec<CalendarIssue>> {
    let mut issues = validate_year(a).err().unwrap_or_default();
    if a.holidays.is_empty() {
        issues.push(CalendarIssue::NoHolidays { year: a.year });
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

/// Checks one year's arrangement and lists every problem at once.
///
/// Rules: every date inside the year; no date both a holiday and a make-up day; no duplicates;
/// make-up days only on weekends; a weekend holiday must be marked `part_of_run`; names non-empty.
/// Source: 国务院 yearly holiday notice (its form), Seed §二(三)二 (working days), issue #4
/// validation list.
pub fn validate_year(a: &YearArrangement) -> Result<(), Vec<CalendarIssue>> {
    let mut issues = Vec::new();
    if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&a.year) {
        issues.push(CalendarIssue::YearOutOfRange { year: a.year });
    }
    let mut holiday_dates = BTreeSet::new();
    for h in &a.holidays {
        check_common(a.year, h.date, &h.name, &mut holiday_dates, &mut issues);
        if is_weekend(h.date) && !h.part_of_run {
            issues.push(CalendarIssue::WeekendHolidayNotInRun { date: h.date });
        }
    }
    let mut makeup_dates = BTreeSet::new();
    for m in &a.makeup_workdays {
        check_common(a.year, m.date, &m.name, &mut makeup_dates, &mut issues);
        if holiday_dates.contains(&m.date) {
            issues.push(CalendarIssue::BothHolidayAndMakeupDay { date: m.date });
        }
        if !is_weekend(m.date) {
            issues.push(CalendarIssue::MakeupDayNotWeekend { date: m.date });
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

fn check_common(
    year: i32,
    date: NaiveDate,
    name: &str,
    seen: &mut BTreeSet<NaiveDate>,
    issues: &mut Vec<CalendarIssue>,
) {
    if date.year() != year {
        issues.push(CalendarIssue::DateOutsideYear { date, year });
    }
    if !seen.insert(date) {
        issues.push(CalendarIssue::DuplicateDate { date });
    }
    if name.trim().is_empty() {
        issues.push(CalendarIssue::EmptyName { date });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn holiday(date: NaiveDate, part_of_run: bool) -> Holiday {
        Holiday {
            date,
            name: "春节".into(),
            part_of_run,
        }
    }

    fn makeup(date: NaiveDate) -> MakeupWorkday {
        MakeupWorkday {
            date,
            name: "春节调休上班".into(),
        }
    }

    fn codes(a: &YearArrangement) -> Vec<&'static str> {
        validate_year(a)
            .err()
            .unwrap_or_default()
            .iter()
            .map(CalendarIssue::code)
            .collect()
    }

    #[test]
    fn a_well_formed_year_passes_validation() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2026, 2, 16), false));
        a.holidays.push(holiday(d(2026, 2, 15), true));
        a.makeup_workdays.push(makeup(d(2026, 2, 14)));
        assert_eq!(validate_year(&a), Ok(()));
    }

    #[test]
    fn a_date_outside_the_year_is_reported_with_the_date() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2025, 12, 31), false));
        let issues = validate_year(&a).unwrap_err();
        assert_eq!(
            issues,
            vec![CalendarIssue::DateOutsideYear {
                date: d(2025, 12, 31),
                year: 2026
            }]
        );
        assert_eq!(issues[0].date(), Some(d(2025, 12, 31)));
    }

    #[test]
    fn a_date_cannot_be_both_holiday_and_makeup_day() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2026, 2, 14), true));
        a.makeup_workdays.push(makeup(d(2026, 2, 14)));
        assert_eq!(codes(&a), vec!["both_holiday_and_makeup_day"]);
    }

    #[test]
    fn duplicate_dates_are_reported() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2026, 2, 16), false));
        a.holidays.push(holiday(d(2026, 2, 16), false));
        a.makeup_workdays.push(makeup(d(2026, 2, 14)));
        a.makeup_workdays.push(makeup(d(2026, 2, 14)));
        assert_eq!(codes(&a), vec!["duplicate_date", "duplicate_date"]);
    }

    #[test]
    fn a_makeup_day_on_a_weekday_is_rejected() {
        let mut a = YearArrangement::empty(2026);
        a.makeup_workdays.push(makeup(d(2026, 2, 13)));
        assert_eq!(codes(&a), vec!["makeup_day_not_weekend"]);
    }

    #[test]
    fn a_weekend_holiday_must_be_marked_part_of_a_run() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2026, 2, 21), false));
        assert_eq!(codes(&a), vec!["weekend_holiday_not_in_run"]);
    }

    #[test]
    fn an_announced_year_without_holidays_is_refused_after_its_other_issues() {
        let mut a = YearArrangement::empty(2026);
        assert_eq!(validate_year(&a), Ok(()));
        a.makeup_workdays.push(makeup(d(2026, 2, 16)));
        let issues = validate_announced_year(&a).unwrap_err();
        let codes: Vec<&str> = issues.iter().map(CalendarIssue::code).collect();
        assert_eq!(codes, ["makeup_day_not_weekend", "no_holidays"]);
        assert_eq!(issues[1].date(), None);
    }

    #[test]
    fn names_may_not_be_blank() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(Holiday {
            date: d(2026, 2, 16),
            name: "  ".into(),
            part_of_run: false,
        });
        a.makeup_workdays.push(MakeupWorkday {
            date: d(2026, 2, 14),
            name: String::new(),
        });
        assert_eq!(codes(&a), vec!["empty_name", "empty_name"]);
    }

    #[test]
    fn a_year_outside_the_supported_range_is_rejected() {
        assert_eq!(
            codes(&YearArrangement::empty(1899)),
            vec!["year_out_of_range"]
        );
        assert_eq!(
            codes(&YearArrangement::empty(2200)),
            vec!["year_out_of_range"]
        );
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut a = YearArrangement::empty(2026);
        a.holidays.push(holiday(d(2027, 1, 1), false));
        a.holidays.push(holiday(d(2026, 2, 21), false));
        a.makeup_workdays.push(makeup(d(2026, 2, 13)));
        assert_eq!(
            codes(&a),
            vec![
                "date_outside_year",
                "weekend_holiday_not_in_run",
                "makeup_day_not_weekend"
            ]
        );
    }

    #[test]
    fn issue_messages_are_in_chinese() {
        let issue = CalendarIssue::MakeupDayNotWeekend {
            date: d(2026, 2, 13),
        };
        assert_eq!(issue.message_zh(), "调休上班日2026-02-13必须是周六或周日");
    }
}
