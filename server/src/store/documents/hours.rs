//! A service center's business hours as stored in `service_center.business_hours`. Version 1 is
//! the JSON of `rules::BusinessHours` as it was when these types were written.

use chrono::{NaiveDate, NaiveTime, Weekday};
use rules::{
    BusinessHours,
    hours::{Closure, DaySchedule, MonthDay, Season, Session, WeekSchedule, WeekdayOverride},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursV1 {
    pub regular: WeekV1,
    #[serde(default)]
    pub seasons: Vec<SeasonV1>,
    #[serde(default)]
    pub closures: Vec<ClosureV1>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekV1 {
    pub working_day: DayV1,
    #[serde(default)]
    pub overrides: Vec<OverrideV1>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayV1 {
    pub sessions: Vec<SessionV1>,
}

/// Times as `HH:MM:SS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionV1 {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideV1 {
    pub weekday: WeekdayV1,
    pub schedule: DayV1,
}

/// Weekdays as chrono wrote them (`"Mon"` … `"Sun"`), spelled out here so that a change of
/// chrono's format cannot change ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeekdayV1 {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeasonV1 {
    pub name: String,
    pub from: MonthDayV1,
    pub to: MonthDayV1,
    pub schedule: WeekV1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDayV1 {
    pub month: u32,
    pub day: u32,
}

/// The date as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureV1 {
    pub date: NaiveDate,
    pub reason: String,
}

impl From<&BusinessHours> for HoursV1 {
    fn from(h: &BusinessHours) -> Self {
        Self {
            regular: (&h.regular).into(),
            seasons: h.seasons.iter().map(Into::into).collect(),
            closures: h.closures.iter().map(Into::into).collect(),
        }
    }
}

impl From<HoursV1> for BusinessHours {
    fn from(h: HoursV1) -> Self {
        Self {
            regular: h.regular.into(),
            seasons: h.seasons.into_iter().map(Into::into).collect(),
            closures: h.closures.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<&WeekSchedule> for WeekV1 {
    fn from(w: &WeekSchedule) -> Self {
        Self {
            working_day: (&w.working_day).into(),
            overrides: w.overrides.iter().map(Into::into).collect(),
        }
    }
}

impl From<WeekV1> for WeekSchedule {
    fn from(w: WeekV1) -> Self {
        Self {
            working_day: w.working_day.into(),
            overrides: w.overrides.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<&DaySchedule> for DayV1 {
    fn from(d: &DaySchedule) -> Self {
        Self {
            sessions: d.sessions.iter().map(Into::into).collect(),
        }
    }
}

impl From<DayV1> for DaySchedule {
    fn from(d: DayV1) -> Self {
        Self {
            sessions: d.sessions.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<&Session> for SessionV1 {
    fn from(s: &Session) -> Self {
        Self {
            start: s.start,
            end: s.end,
        }
    }
}

impl From<SessionV1> for Session {
    fn from(s: SessionV1) -> Self {
        Self {
            start: s.start,
            end: s.end,
        }
    }
}

impl From<&WeekdayOverride> for OverrideV1 {
    fn from(o: &WeekdayOverride) -> Self {
        Self {
            weekday: o.weekday.into(),
            schedule: (&o.schedule).into(),
        }
    }
}

impl From<OverrideV1> for WeekdayOverride {
    fn from(o: OverrideV1) -> Self {
        Self {
            weekday: o.weekday.into(),
            schedule: o.schedule.into(),
        }
    }
}

impl From<Weekday> for WeekdayV1 {
    fn from(d: Weekday) -> Self {
        match d {
            Weekday::Mon => Self::Mon,
            Weekday::Tue => Self::Tue,
            Weekday::Wed => Self::Wed,
            Weekday::Thu => Self::Thu,
            Weekday::Fri => Self::Fri,
            Weekday::Sat => Self::Sat,
            Weekday::Sun => Self::Sun,
        }
    }
}

impl From<WeekdayV1> for Weekday {
    fn from(d: WeekdayV1) -> Self {
        match d {
            WeekdayV1::Mon => Self::Mon,
            WeekdayV1::Tue => Self::Tue,
            WeekdayV1::Wed => Self::Wed,
            WeekdayV1::Thu => Self::Thu,
            WeekdayV1::Fri => Self::Fri,
            WeekdayV1::Sat => Self::Sat,
            WeekdayV1::Sun => Self::Sun,
        }
    }
}

impl From<&Season> for SeasonV1 {
    fn from(s: &Season) -> Self {
        Self {
            name: s.name.clone(),
            from: s.from.into(),
            to: s.to.into(),
            schedule: (&s.schedule).into(),
        }
    }
}

impl From<SeasonV1> for Season {
    fn from(s: SeasonV1) -> Self {
        Self {
            name: s.name,
            from: s.from.into(),
            to: s.to.into(),
            schedule: s.schedule.into(),
        }
    }
}

impl From<MonthDay> for MonthDayV1 {
    fn from(md: MonthDay) -> Self {
        Self {
            month: md.month,
            day: md.day,
        }
    }
}

impl From<MonthDayV1> for MonthDay {
    fn from(md: MonthDayV1) -> Self {
        Self::new(md.month, md.day)
    }
}

impl From<&Closure> for ClosureV1 {
    fn from(c: &Closure) -> Self {
        Self {
            date: c.date,
            reason: c.reason.clone(),
        }
    }
}

impl From<ClosureV1> for Closure {
    fn from(c: ClosureV1) -> Self {
        Self {
            date: c.date,
            reason: c.reason,
        }
    }
}
