//! What kind of day a date is: a working day, a rest day (公休日) or a public holiday (法定节假日).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::WorkCalendar;
use super::error::CalendarError;

/// The kind of a day in the official calendar.
///
/// Source: Seed §二(四) (延时服务 … 在法定节假日或公休日内办理); 国务院 yearly holiday notice;
/// 国务院关于职工工作时间的规定 第七条 (Saturday and Sunday are the weekly rest days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A working day, make-up working days (调休上班) included.
    WorkingDay,
    /// 公休日: a Saturday or Sunday that is neither worked nor part of a public holiday.
    RestDay,
    /// 法定节假日: a day of an official holiday run (weekend days inside the run included).
    PublicHoliday,
}

impl DayKind {
    /// The Chinese name. Source: Seed §二(四).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::WorkingDay => "工作日",
            Self::RestDay => "公休日",
            Self::PublicHoliday => "法定节假日",
        }
    }
}

impl WorkCalendar {
    /// The kind of `date`; a year not held is an error.
    /// Source: 国务院 yearly holiday notice; Seed §二(四).
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let arrangement = self
            .arrangement(date.year())
            .ok_or(CalendarError::CalendarYearUnknown(date.year()))?;
        Ok(if arrangement.holiday_on(date).is_some() {
            DayKind::PublicHoliday
        } else if self.is_working_day(date)? {
            DayKind::WorkingDay
        } else {
            DayKind::RestDay
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_day_is_a_working_day_a_rest_day_or_a_public_holiday() {
        let cal = WorkCalendar::shipped();
        assert_eq!(cal.day_kind(d("2025-03-05")), Ok(DayKind::WorkingDay));
        assert_eq!(cal.day_kind(d("2025-03-08")), Ok(DayKind::RestDay));
        assert_eq!(cal.day_kind(d("2025-10-01")), Ok(DayKind::PublicHoliday));
        // Saturday 2025-10-04 is inside the National Day run; Saturday 2025-10-11 is worked.
        assert_eq!(cal.day_kind(d("2025-10-04")), Ok(DayKind::PublicHoliday));
        assert_eq!(cal.day_kind(d("2025-10-11")), Ok(DayKind::WorkingDay));
        assert_eq!(
            cal.day_kind(d("2027-01-04")),
            Err(CalendarError::CalendarYearUnknown(2027))
        );
        assert_eq!(DayKind::RestDay.label_zh(), "公休日");
    }

    #[test]
    fn a_day_of_a_year_not_published_is_guessed_from_the_law_and_flagged() {
        let cal = WorkCalendar::shipped();
        let view = cal.provisional();
        assert_eq!(view.day_kind(d("2026-12-31")), Ok(DayKind::WorkingDay));
        assert!(!view.was_provisional(), "2026 is published");
        assert_eq!(view.day_kind(d("2027-01-01")), Ok(DayKind::PublicHoliday));
        assert!(view.was_provisional());
        // Saturday 2027-05-01 is 劳动节; Monday 05-03 its 补假; Saturday 01-02 a rest day.
        assert_eq!(view.day_kind(d("2027-05-01")), Ok(DayKind::PublicHoliday));
        assert_eq!(view.day_kind(d("2027-05-03")), Ok(DayKind::PublicHoliday));
        assert_eq!(view.day_kind(d("2027-01-02")), Ok(DayKind::RestDay));
        assert_eq!(view.day_kind(d("2027-01-04")), Ok(DayKind::WorkingDay));
    }
}
