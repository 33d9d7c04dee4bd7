//! Validation of business hours: sessions ordered and non-overlapping, seasons not overlapping.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::BusinessHours;
use super::schedule::{DaySchedule, WeekSchedule};
use super::season::{MonthDay, Season};

/// One problem in a centre's [`BusinessHours`]; `at` names the schedule in Chinese (e.g.
/// 常规作息周三).
///
/// Source: Seed §二(四)一 (business hours per centre); issue #4 (seasons, closures).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum HoursIssue {
    /// A session whose start is not before its end.
    #[error("{at}：时段{}—{}的开始时间须早于结束时间", hm(.start), hm(.end))]
    EmptySession {
        /// Where.
        at: String,
        /// Start given.
        start: NaiveTime,
        /// End given.
        end: NaiveTime,
    },
    /// Sessions out of order or overlapping.
    #[error("{at}：时段须按时间先后排列且互不重叠")]
    OverlappingSessions {
        /// Where.
        at: String,
    },
    /// A working-day schedule without any session.
    #[error("{at}：工作日至少要有一个办公时段")]
    NoSessions {
        /// Where.
        at: String,
    },
    /// An override for Saturday or Sunday (make-up days follow the working-day schedule).
    #[error("{at}：周末不单独设置作息，调休上班日按工作日作息")]
    WeekendOverride {
        /// Where.
        at: String,
    },
    /// Two overrides for the same weekday.
    #[error("{at}：同一星期几重复设置")]
    DuplicateOverride {
        /// Where.
        at: String,
    },
    /// A season without a name.
    #[error("季节作息缺少名称")]
    EmptySeasonName,
    /// A season bound that is not a day of the year.
    #[error("季节「{season}」的日期{}-{}无效", .month_day.month, .month_day.day)]
    InvalidMonthDay {
        /// The season.
        season: String,
        /// The bound given.
        month_day: MonthDay,
    },
    /// Two seasons share a day.
    #[error("季节「{first}」与「{second}」的日期范围重叠")]
    OverlappingSeasons {
        /// One season.
        first: String,
        /// The other.
        second: String,
    },
    /// A closure without a reason.
    #[error("{date}的临时闭厅缺少原因")]
    EmptyClosureReason {
        /// The date.
        date: NaiveDate,
    },
    /// Two closures on the same date.
    #[error("{date}的临时闭厅重复设置")]
    DuplicateClosure {
        /// The date.
        date: NaiveDate,
    },
}

impl HoursIssue {
    /// Stable snake_case code. Source: product rule (errors carry a code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptySession { .. } => "empty_session",
            Self::OverlappingSessions { .. } => "overlapping_sessions",
            Self::NoSessions { .. } => "no_sessions",
            Self::WeekendOverride { .. } => "weekend_override",
            Self::DuplicateOverride { .. } => "duplicate_override",
            Self::EmptySeasonName => "empty_season_name",
            Self::InvalidMonthDay { .. } => "invalid_month_day",
            Self::OverlappingSeasons { .. } => "overlapping_seasons",
            Self::EmptyClosureReason { .. } => "empty_closure_reason",
            Self::DuplicateClosure { .. } => "duplicate_closure",
        }
    }

    /// The message for the administrator, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }
}

fn hm(t: &NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The Chinese name of a weekday (周一…周日). Source: product rule (labels in Chinese).
pub fn weekday_zh(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

pub(super) fn validate(hours: &BusinessHours) -> Result<(), Vec<HoursIssue>> {
    let mut issues = Vec::new();
    check_week(&hours.regular, "常规作息", &mut issues);
    for season in &hours.seasons {
        check_season(season, &mut issues);
    }
    for (i, a) in hours.seasons.iter().enumerate() {
        for b in &hours.seasons[i + 1..] {
            if seasons_overlap(a, b) {
                issues.push(HoursIssue::OverlappingSeasons {
                    first: a.name.clone(),
                    second: b.name.clone(),
                });
            }
        }
    }
    let mut dates = BTreeSet::new();
    for c in &hours.closures {
        if c.reason.trim().is_empty() {
            issues.push(HoursIssue::EmptyClosureReason { date: c.date });
        }
        if !dates.insert(c.date) {
            issues.push(HoursIssue::DuplicateClosure { date: c.date });
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

fn check_season(season: &Season, issues: &mut Vec<HoursIssue>) {
    if season.name.trim().is_empty() {
        issues.push(HoursIssue::EmptySeasonName);
    }
    for month_day in [season.from, season.to] {
        if !month_day.is_valid() {
            issues.push(HoursIssue::InvalidMonthDay {
                season: season.name.clone(),
                month_day,
            });
        }
    }
    check_week(
        &season.schedule,
        &format!("季节「{}」", season.name),
        issues,
    );
}

fn check_week(week: &WeekSchedule, at: &str, issues: &mut Vec<HoursIssue>) {
    check_day(&week.working_day, at, issues);
    if week.working_day.sessions.is_empty() {
        issues.push(HoursIssue::NoSessions { at: at.to_owned() });
    }
    let mut seen = BTreeSet::new();
    for o in &week.overrides {
        let at = format!("{at}{}", weekday_zh(o.weekday));
        if matches!(o.weekday, Weekday::Sat | Weekday::Sun) {
            issues.push(HoursIssue::WeekendOverride { at: at.clone() });
        }
        if !seen.insert(o.weekday.num_days_from_monday()) {
            issues.push(HoursIssue::DuplicateOverride { at: at.clone() });
        }
        check_day(&o.schedule, &at, issues);
    }
}

fn check_day(day: &DaySchedule, at: &str, issues: &mut Vec<HoursIssue>) {
    for s in &day.sessions {
        if s.start >= s.end {
            issues.push(HoursIssue::EmptySession {
                at: at.to_owned(),
                start: s.start,
                end: s.end,
            });
        }
    }
    if day.sessions.windows(2).any(|w| w[0].end > w[1].start) {
        issues.push(HoursIssue::OverlappingSessions { at: at.to_owned() });
    }
}

fn seasons_overlap(a: &Season, b: &Season) -> bool {
    // Every day of a leap year, 02-29 included.
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    first
        .iter_days()
        .take(366)
        .map(MonthDay::of)
        .any(|md| a.contains_month_day(md) && b.contains_month_day(md))
}
