//! Sessions of a day and the weekly schedule.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// One opening session of a day, `[start, end)`, e.g. the morning 9:00–12:00.
///
/// Source: Seed §二(四)一 (12:00 end of morning, 17:00 close at the district hall; towns and
/// streets by their own hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Opening time (inclusive).
    #[serde(deserialize_with = "super::time_of_day::deserialize")]
    pub start: NaiveTime,
    /// Closing time (exclusive).
    #[serde(deserialize_with = "super::time_of_day::deserialize")]
    pub end: NaiveTime,
}

impl Session {
    /// A session from `start` to `end`. Source: Seed §二(四)一.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        Self { start, end }
    }

    /// A session from whole hours and minutes, e.g. `Session::hm((9, 0), (12, 0))`.
    /// Panics on an invalid time (meant for constants). Source: Seed §二(四)一.
    pub fn hm(start: (u32, u32), end: (u32, u32)) -> Self {
        let t = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).expect("valid time of day");
        Self::new(t(start), t(end))
    }

    /// Whether time `t` falls in `[start, end)`. Source: Seed §二(四)一.
    pub fn contains(&self, t: NaiveTime) -> bool {
        self.start <= t && t < self.end
    }
}

/// The sessions of one day, in order; empty means closed.
///
/// Source: Seed §二(四)一 (morning and afternoon sessions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaySchedule {
    /// Sessions, ordered and not overlapping (see
    /// [`BusinessHours::validate`](super::BusinessHours::validate)).
    pub sessions: Vec<Session>,
}

impl DaySchedule {
    /// A day with these sessions. Source: Seed §二(四)一.
    pub fn new(sessions: Vec<Session>) -> Self {
        Self { sessions }
    }

    /// A closed day (no session). Source: Seed §二(四)一.
    pub fn closed() -> Self {
        Self::default()
    }

    /// The district hall's day: 9:00–12:00 and 13:00–17:00. Source: Seed §二(四)一.
    pub fn district_hall() -> Self {
        Self::new(vec![
            Session::hm((9, 0), (12, 0)),
            Session::hm((13, 0), (17, 0)),
        ])
    }
}

/// A day schedule replacing the working-day schedule on one weekday (Monday–Friday), e.g. a town
/// centre closed on Wednesday afternoons.
///
/// Source: Seed §二(四)一 (各镇、街道及村居根据各自工作时间).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekdayOverride {
    /// The weekday (Monday–Friday).
    pub weekday: Weekday,
    /// Its sessions.
    pub schedule: DaySchedule,
}

/// The sessions of working days, with optional per-weekday overrides.
///
/// A make-up working day (调休, always a Saturday or Sunday) follows `working_day`.
/// Source: Seed §二(四)一; 国务院 yearly holiday notice (make-up days are working days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekSchedule {
    /// Sessions of an ordinary working day.
    pub working_day: DaySchedule,
    /// Weekday-specific replacements (Monday–Friday only).
    #[serde(default)]
    pub overrides: Vec<WeekdayOverride>,
}

impl WeekSchedule {
    /// The same sessions on every working day. Source: Seed §二(四)一.
    pub fn uniform(working_day: DaySchedule) -> Self {
        Self {
            working_day,
            overrides: Vec::new(),
        }
    }

    /// The sessions of a working day falling on `weekday` (weekend → a make-up day →
    /// `working_day`). Source: Seed §二(四)一; 国务院 yearly holiday notice.
    pub fn for_weekday(&self, weekday: Weekday) -> &DaySchedule {
        if matches!(weekday, Weekday::Sat | Weekday::Sun) {
            return &self.working_day;
        }
        self.overrides
            .iter()
            .find(|o| o.weekday == weekday)
            .map_or(&self.working_day, |o| &o.schedule)
    }
}
