//! Seasonal schedules (recurring every year) and one-off closures.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::schedule::WeekSchedule;

/// A day of the year without the year, e.g. 10-01. Ordered by month, then day.
///
/// Source: Seed §二(四)一 (centres keep their own hours; seasonal schedules per issue #4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MonthDay {
    /// 1–12.
    pub month: u32,
    /// 1–31 (02-29 allowed).
    pub day: u32,
}

impl MonthDay {
    /// The month-day `month`-`day`. Source: issue #4 (seasonal schedules).
    pub const fn new(month: u32, day: u32) -> Self {
        Self { month, day }
    }

    /// The month-day of `date`. Source: issue #4.
    pub fn of(date: NaiveDate) -> Self {
        Self::new(date.month(), date.day())
    }

    /// Whether it names a day that exists in some year (02-29 included). Source: issue #4.
    pub fn is_valid(&self) -> bool {
        NaiveDate::from_ymd_opt(2024, self.month, self.day).is_some()
    }
}

/// A schedule in force every year from `from` to `to` inclusive; the range may wrap the new year
/// (winter 10-01..04-30).
///
/// Source: Seed §二(四)一 (各镇、街道及村居根据各自工作时间); issue #4 (summer/winter schedules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Season {
    /// E.g. 冬季作息.
    pub name: String,
    /// First day (inclusive).
    pub from: MonthDay,
    /// Last day (inclusive).
    pub to: MonthDay,
    /// The schedule during the season.
    pub schedule: WeekSchedule,
}

impl Season {
    /// Whether `date` falls in the season (any year). Source: issue #4.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.contains_month_day(MonthDay::of(date))
    }

    pub(crate) fn contains_month_day(&self, md: MonthDay) -> bool {
        if self.from <= self.to {
            self.from <= md && md <= self.to
        } else {
            md >= self.from || md <= self.to
        }
    }
}

/// A one-off closure of the centre on a date (e.g. power cut, relocation); the date has no
/// business.
///
/// Source: issue #4 (one-off closures); 民法典 第二百零三条 (business hours end a period).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// The closed date.
    pub date: NaiveDate,
    /// Why, shown to applicants.
    pub reason: String,
}
